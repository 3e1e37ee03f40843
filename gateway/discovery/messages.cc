#include "discovery/messages.h"

#include "discovery/wsd_constants.h"
#include "soap/namespaces.h"
#include "soap/xml_writer.h"

namespace onvifgw::discovery {
namespace {

// Prefixes of this envelope. "wsa" is WS-Addressing 2004/08 here, the version
// WS-Discovery 2005/04 uses; all of them are declared on the Envelope.
constexpr std::string_view kEnv = "env";
constexpr std::string_view kWsa = "wsa";
constexpr std::string_view kD = "d";
constexpr std::string_view kTypes = "tds:Device dn:NetworkVideoTransmitter";

/// Writes <prefix:name>text</prefix:name>.
void Leaf(soap::XmlWriter& w, std::string_view prefix, std::string_view name,
          std::string_view text) {
  w.Start(prefix, name);
  w.Text(text);
  w.End(prefix, name);
}

std::string JoinList(const std::vector<std::string>& items, bool encode_whitespace) {
  std::string out;
  for (const std::string& item : items) {
    if (item.empty()) continue;
    if (!out.empty()) out += ' ';
    for (char c : item) {
      if (encode_whitespace && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        out += '%';
        out += kHex[(c >> 4) & 0xF];
        out += kHex[c & 0xF];
      } else {
        out += c;
      }
    }
  }
  return out;
}

struct Headers {
  std::string_view action;
  std::string_view message_id;
  std::string_view relates_to;  // omitted when empty
  std::string_view to;
  const AppSequence* sequence;  // omitted when null
};

/// Writes the XML declaration, <env:Envelope ...> with all namespace
/// declarations, the header blocks and opens <env:Body>.
void OpenEnvelope(std::string& out, soap::XmlWriter& w, const Headers& h) {
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  w.Start(kEnv, "Envelope");
  w.Attribute("xmlns:env", soap::ns::kSoap12);
  w.Attribute("xmlns:wsa", soap::ns::kWsa2004);
  w.Attribute("xmlns:d", soap::ns::kDiscovery);
  w.Attribute("xmlns:tds", soap::ns::kTds);
  w.Attribute("xmlns:dn", soap::ns::kDn);
  w.Start(kEnv, "Header");
  Leaf(w, kWsa, "MessageID", h.message_id);
  if (!h.relates_to.empty()) Leaf(w, kWsa, "RelatesTo", h.relates_to);
  Leaf(w, kWsa, "To", h.to);
  Leaf(w, kWsa, "Action", h.action);
  if (h.sequence != nullptr) {
    w.Start(kD, "AppSequence");
    w.Attribute("InstanceId", std::to_string(h.sequence->instance_id));
    w.Attribute("MessageNumber", std::to_string(h.sequence->message_number));
    w.End(kD, "AppSequence");
  }
  w.End(kEnv, "Header");
  w.Start(kEnv, "Body");
}

void CloseEnvelope(soap::XmlWriter& w) {
  w.End(kEnv, "Body");
  w.End(kEnv, "Envelope");
}

void EndpointReference(soap::XmlWriter& w, std::string_view address) {
  w.Start(kWsa, "EndpointReference");
  Leaf(w, kWsa, "Address", address);
  w.End(kWsa, "EndpointReference");
}

/// EndpointReference, Types, Scopes, XAddrs, MetadataVersion: the content of
/// Hello, ProbeMatch and ResolveMatch, in schema order.
void Description(soap::XmlWriter& w, const EndpointDescription& e) {
  EndpointReference(w, e.endpoint_reference);
  Leaf(w, kD, "Types", kTypes);
  Leaf(w, kD, "Scopes", JoinList(e.scopes, true));
  Leaf(w, kD, "XAddrs", JoinList(e.xaddrs, false));
  Leaf(w, kD, "MetadataVersion", std::to_string(e.metadata_version));
}

std::string BuildMatches(std::string_view action, std::string_view outer, std::string_view inner,
                         const EndpointDescription& endpoint, const ReplyAddressing& addressing,
                         const AppSequence& sequence) {
  std::string out;
  soap::XmlWriter w(out);
  OpenEnvelope(out, w,
               Headers{action, addressing.message_id, addressing.relates_to,
                       addressing.to.empty() ? wsd::kAnonymous : std::string_view(addressing.to),
                       &sequence});
  w.Start(kD, outer);
  w.Start(kD, inner);
  Description(w, endpoint);
  w.End(kD, inner);
  w.End(kD, outer);
  CloseEnvelope(w);
  return out;
}

}  // namespace

std::string ReplyToOrAnonymous(std::string_view reply_to) {
  return std::string(reply_to.empty() ? wsd::kAnonymous : reply_to);
}

std::string BuildHello(const EndpointDescription& endpoint, std::string_view message_id,
                       const AppSequence& sequence) {
  std::string out;
  soap::XmlWriter w(out);
  OpenEnvelope(out, w, Headers{wsd::kActionHello, message_id, {}, wsd::kMulticastTo, &sequence});
  w.Start(kD, "Hello");
  Description(w, endpoint);
  w.End(kD, "Hello");
  CloseEnvelope(w);
  return out;
}

std::string BuildBye(std::string_view endpoint_reference, std::string_view message_id,
                     const AppSequence& sequence) {
  std::string out;
  soap::XmlWriter w(out);
  OpenEnvelope(out, w, Headers{wsd::kActionBye, message_id, {}, wsd::kMulticastTo, &sequence});
  w.Start(kD, "Bye");
  EndpointReference(w, endpoint_reference);
  w.End(kD, "Bye");
  CloseEnvelope(w);
  return out;
}

std::string BuildProbeMatches(const EndpointDescription& endpoint,
                              const ReplyAddressing& addressing, const AppSequence& sequence) {
  return BuildMatches(wsd::kActionProbeMatches, "ProbeMatches", "ProbeMatch", endpoint, addressing,
                      sequence);
}

std::string BuildResolveMatches(const EndpointDescription& endpoint,
                                const ReplyAddressing& addressing, const AppSequence& sequence) {
  return BuildMatches(wsd::kActionResolveMatches, "ResolveMatches", "ResolveMatch", endpoint,
                      addressing, sequence);
}

std::string BuildMatchingRuleNotSupportedFault(const ReplyAddressing& addressing) {
  std::string out;
  soap::XmlWriter w(out);
  OpenEnvelope(
      out, w,
      Headers{wsd::kActionFault, addressing.message_id, addressing.relates_to,
              addressing.to.empty() ? wsd::kAnonymous : std::string_view(addressing.to), nullptr});
  w.Start(kEnv, "Fault");
  w.Start(kEnv, "Code");
  Leaf(w, kEnv, "Value", "env:Sender");
  w.Start(kEnv, "Subcode");
  Leaf(w, kEnv, "Value", "d:MatchingRuleNotSupported");
  w.End(kEnv, "Subcode");
  w.End(kEnv, "Code");
  w.Start(kEnv, "Reason");
  w.Start(kEnv, "Text");
  w.Attribute("xml:lang", "en");
  w.Text("the matching rule specified is not supported");
  w.End(kEnv, "Text");
  w.End(kEnv, "Reason");
  w.Start(kEnv, "Detail");
  std::string rules;
  for (std::string_view r : {wsd::kMatchByRfc3986, wsd::kMatchByRfc2396, wsd::kMatchByStrcmp0}) {
    if (!rules.empty()) rules += ' ';
    rules += r;
  }
  Leaf(w, kD, "SupportedMatchingRules", rules);
  w.End(kEnv, "Detail");
  w.End(kEnv, "Fault");
  CloseEnvelope(w);
  return out;
}

}  // namespace onvifgw::discovery
