#include "soap/envelope.h"

#include "soap/codec.h"
#include "soap/namespaces.h"
#include "soap/xml_writer.h"

namespace onvifgw::soap {
namespace {

constexpr std::string_view kXmlDecl = R"(<?xml version="1.0" encoding="UTF-8"?>)";

std::string_view CodeValue(FaultCode c) {
  switch (c) {
    case FaultCode::kVersionMismatch:
      return "env:VersionMismatch";
    case FaultCode::kMustUnderstand:
      return "env:MustUnderstand";
    case FaultCode::kSender:
      return "env:Sender";
    case FaultCode::kReceiver:
      return "env:Receiver";
  }
  return "env:Receiver";
}

// Header + body assembly: the body is written first so that the Envelope can
// declare exactly the prefixes the message uses.
// The envelope around a written header (may be empty) and body, every
// prefix either used declared on the Envelope.
std::string Wrap(std::string_view header, const XmlWriter& hw, std::string_view body,
                 const XmlWriter& body_writer) {
  std::string out;
  out.reserve(body.size() + header.size() + 512);
  out += kXmlDecl;
  out += R"(<env:Envelope xmlns:env=")";
  out += ns::kSoap12;
  out += '"';
  auto declare = [&out](std::string_view prefix) {
    if (prefix == "env") return;
    auto uri = ns::UriForPrefix(prefix);
    if (!uri) return;
    out += " xmlns:";
    out += prefix;
    out += "=\"";
    out += *uri;
    out += '"';
  };
  std::set<std::string, std::less<>> prefixes = body_writer.used_prefixes();
  prefixes.insert(hw.used_prefixes().begin(), hw.used_prefixes().end());
  for (const auto& p : prefixes) declare(p);
  out += '>';
  out += header;
  out += "<env:Body>";
  out += body;
  out += "</env:Body></env:Envelope>";
  return out;
}

std::string Assemble(std::string_view body, XmlWriter& body_writer,
                     const ResponseAddressing& addressing) {
  std::string header;
  XmlWriter hw(header);
  if (!addressing.relates_to.empty()) {
    hw.Start("env", "Header");
    hw.Start("wsa", "Action");
    hw.Text(addressing.action);
    hw.End("wsa", "Action");
    hw.Start("wsa", "RelatesTo");
    hw.Text(addressing.relates_to);
    hw.End("wsa", "RelatesTo");
    hw.End("env", "Header");
  }
  return Wrap(header, hw, body, body_writer);
}

// A reference parameter as a header block, marked as one (WS-Addressing
// 1.0 Core §3.3): the attribute goes into the element's start tag.
std::string MarkReferenceParameter(std::string element) {
  std::size_t end = element.find_first_of(" \t\r\n/>", 1);
  if (element.empty() || element[0] != '<' || end == std::string::npos) return element;
  element.insert(end,
                 " xmlns:wsa=\"" + std::string(ns::kWsa) + "\" wsa:IsReferenceParameter=\"true\"");
  return element;
}

std::string ChildText(xmlNode* parent, std::string_view local, std::string_view ns1,
                      std::string_view ns2) {
  for (xmlNode* c = FirstElementChild(parent); c != nullptr; c = NextElementSibling(c)) {
    if (IsElement(c, ns1, local) || IsElement(c, ns2, local)) return TrimmedText(c);
  }
  return {};
}

}  // namespace

Expected<SoapRequest, Fault> ParseEnvelope(std::string_view bytes, const XmlLimits& limits) {
  auto doc = ParseXmlDocument(bytes, limits);
  if (!doc) return MakeUnexpected(WellFormed(doc.error().message));
  SoapRequest req;
  req.doc = std::move(doc).value();
  xmlNode* root = xmlDocGetRootElement(req.doc.get());
  std::string_view env_ns = NamespaceUri(root);
  if (env_ns == ns::kSoap12) {
    req.version = SoapVersion::k12;
  } else if (env_ns == ns::kSoap11) {
    req.version = SoapVersion::k11;
  } else {
    return MakeUnexpected(
        Fault{FaultCode::kVersionMismatch, {}, "The root element is not a SOAP Envelope"});
  }
  if (LocalName(root) != "Envelope") {
    return MakeUnexpected(
        Fault{FaultCode::kSender, {"TagMismatch"}, "The root element is not a SOAP Envelope"});
  }
  xmlNode* body = nullptr;
  for (xmlNode* c = FirstElementChild(root); c != nullptr; c = NextElementSibling(c)) {
    if (IsElement(c, env_ns, "Header") && req.header == nullptr && body == nullptr) {
      req.header = c;
    } else if (IsElement(c, env_ns, "Body")) {
      if (body != nullptr) {
        return MakeUnexpected(
            Fault{FaultCode::kSender, {"TagMismatch"}, "The SOAP Envelope has two Bodies"});
      }
      body = c;
    }
    // Anything else is ignored: a real prober (Uniview NETDEV) appends an
    // element after the Body, and being lenient costs nothing here.
  }
  if (body == nullptr) {
    return MakeUnexpected(Fault{FaultCode::kSender, {"Tag"}, "The SOAP Envelope has no Body"});
  }
  req.operation = FirstElementChild(body);
  if (req.operation == nullptr) {
    return MakeUnexpected(Fault{FaultCode::kSender, {"Tag"}, "The SOAP Body is empty"});
  }
  req.operation_ns = NamespaceUri(req.operation);
  req.operation_name = LocalName(req.operation);
  if (req.header != nullptr) {
    req.message_id = ChildText(req.header, "MessageID", ns::kWsa, ns::kWsa2004);
    req.action = ChildText(req.header, "Action", ns::kWsa, ns::kWsa2004);
  }
  return req;
}

std::string WriteResponseEnvelope(const google::protobuf::Message& body,
                                  const onvif::QualifiedName& element,
                                  const ResponseAddressing& addressing) {
  std::string content;
  XmlWriter w(content);
  EncodeElement(body, ns::PrefixForUri(element.ns).value_or(""), element.name, w);
  return Assemble(content, w, addressing);
}

std::string WriteMessageEnvelope(const google::protobuf::Message& body,
                                 const onvif::QualifiedName& element,
                                 const MessageAddressing& addressing) {
  std::string content;
  XmlWriter w(content);
  EncodeElement(body, ns::PrefixForUri(element.ns).value_or(""), element.name, w);
  std::string header;
  XmlWriter hw(header);
  hw.Start("env", "Header");
  hw.Start("wsa", "MessageID");
  hw.Text(addressing.message_id);
  hw.End("wsa", "MessageID");
  hw.Start("wsa", "To");
  hw.Text(addressing.to);
  hw.End("wsa", "To");
  hw.Start("wsa", "Action");
  hw.Text(addressing.action);
  hw.End("wsa", "Action");
  for (const std::string& p : addressing.reference_parameters) hw.Raw(MarkReferenceParameter(p));
  hw.End("env", "Header");
  return Wrap(header, hw, content, w);
}

std::string WriteFaultEnvelope(const Fault& fault, const ResponseAddressing& addressing) {
  std::string content;
  XmlWriter w(content);
  w.Start("env", "Fault");
  w.Start("env", "Code");
  w.Start("env", "Value");
  w.Text(CodeValue(fault.code));
  w.End("env", "Value");
  // Nested Subcode elements, innermost last (Core §5.8.2.1).
  for (const std::string& sub : fault.subcodes) {
    w.Start("env", "Subcode");
    w.Start("env", "Value");
    w.UsePrefix("ter");  // the value is a QName: its prefix must be declared
    w.Text("ter:" + sub);
    w.End("env", "Value");
  }
  for (std::size_t i = 0; i < fault.subcodes.size(); ++i) w.End("env", "Subcode");
  w.End("env", "Code");
  w.Start("env", "Reason");
  w.Start("env", "Text");
  w.Attribute("xml:lang", "en");
  w.Text(fault.reason);
  w.End("env", "Text");
  w.End("env", "Reason");
  if (!fault.detail.empty()) {
    w.Start("env", "Detail");
    w.Raw(fault.detail);
    w.End("env", "Detail");
  }
  w.End("env", "Fault");
  return Assemble(content, w, addressing);
}

}  // namespace onvifgw::soap
