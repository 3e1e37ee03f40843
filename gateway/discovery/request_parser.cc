#include "discovery/request_parser.h"

#include <libxml/tree.h>

#include <utility>

#include "discovery/wsd_constants.h"
#include "soap/namespaces.h"
#include "soap/xml_document.h"

namespace onvifgw::discovery {
namespace {

constexpr int kMaxDepth = 16;

Unexpected<ParseError> Malformed(std::string message) {
  return MakeUnexpected(ParseError{ParseError::Kind::kMalformed, std::move(message)});
}

bool IsWsa(const xmlNode* node, std::string_view local_name) {
  return soap::IsElement(node, soap::ns::kWsa2004, local_name) ||
         soap::IsElement(node, soap::ns::kWsa, local_name);
}

bool IsD(const xmlNode* node, std::string_view local_name) {
  return soap::IsElement(node, soap::ns::kDiscovery, local_name);
}

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsXmlSpace(text[i])) ++i;
    std::size_t b = i;
    while (i < text.size() && !IsXmlSpace(text[i])) ++i;
    if (i > b) out.emplace_back(text.substr(b, i - b));
  }
  return out;
}

/// The text of <wsa:Address> inside `node` (ReplyTo, EndpointReference), or "".
std::string AddressOf(xmlNode* node) {
  for (xmlNode* c = soap::FirstElementChild(node); c != nullptr; c = soap::NextElementSibling(c)) {
    if (IsWsa(c, "Address")) return soap::TrimmedText(c);
  }
  return "";
}

/// Resolves "prefix:local" (or "local") against the namespaces in scope at `node`.
QName ResolveQName(xmlNode* node, std::string_view token) {
  QName q;
  std::string prefix;
  if (auto colon = token.find(':'); colon != std::string_view::npos) {
    prefix = std::string(token.substr(0, colon));
    q.local = std::string(token.substr(colon + 1));
  } else {
    q.local = std::string(token);
  }
  const xmlChar* p = prefix.empty() ? nullptr : reinterpret_cast<const xmlChar*>(prefix.c_str());
  if (xmlNsPtr ns = xmlSearchNs(node->doc, node, p); ns != nullptr && ns->href != nullptr) {
    q.ns = reinterpret_cast<const char*>(ns->href);
  } else if (!prefix.empty()) {
    // Undeclared prefix (not namespace-well-formed, seen in the wild): accept
    // only the prefixes whose meaning is fixed in this gateway.
    if (auto uri = soap::ns::UriForPrefix(prefix)) q.ns = std::string(*uri);
  }
  return q;
}

MatchRule RuleFor(std::string_view match_by) {
  if (match_by.empty() || match_by == wsd::kMatchByRfc3986 || match_by == wsd::kMatchByRfc2396) {
    return MatchRule::kRfc3986;
  }
  if (match_by == wsd::kMatchByStrcmp0) return MatchRule::kStrcmp0;
  return MatchRule::kUnsupported;
}

std::string TrimmedAttribute(xmlNode* node, const char* name) {
  xmlChar* v = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return "";
  std::string s = reinterpret_cast<const char*>(v);
  xmlFree(v);
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && IsXmlSpace(s[b])) ++b;
  while (e > b && IsXmlSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

Probe ReadProbe(xmlNode* probe_node) {
  Probe probe;
  bool seen_types = false;
  bool seen_scopes = false;
  for (xmlNode* c = soap::FirstElementChild(probe_node); c != nullptr;
       c = soap::NextElementSibling(c)) {
    if (IsD(c, "Types") && !seen_types) {
      seen_types = true;
      for (const std::string& token : SplitList(soap::TrimmedText(c))) {
        probe.types.push_back(ResolveQName(c, token));
      }
    } else if (IsD(c, "Scopes") && !seen_scopes) {
      seen_scopes = true;
      probe.match_by = TrimmedAttribute(c, "MatchBy");
      probe.match_rule = RuleFor(probe.match_by);
      probe.scopes = SplitList(soap::TrimmedText(c));
    }
  }
  return probe;
}

}  // namespace

Expected<DiscoveryRequest, ParseError> ParseDiscoveryRequest(std::string_view bytes) {
  auto doc = soap::ParseXmlDocument(bytes, soap::XmlLimits{kMaxRequestBytes, kMaxDepth});
  if (!doc) return Malformed(doc.error().message);
  xmlNode* envelope = xmlDocGetRootElement(doc->get());
  const std::string_view env_ns = soap::NamespaceUri(envelope);
  if ((env_ns != soap::ns::kSoap12 && env_ns != soap::ns::kSoap11) ||
      soap::LocalName(envelope) != "Envelope") {
    return Malformed("root element is not a SOAP Envelope");
  }
  xmlNode* header = nullptr;
  xmlNode* body = nullptr;
  for (xmlNode* c = soap::FirstElementChild(envelope); c != nullptr;
       c = soap::NextElementSibling(c)) {
    // Anything else in the Envelope (SOAP forbids it, some probers send it) is ignored.
    if (header == nullptr && body == nullptr && soap::IsElement(c, env_ns, "Header")) header = c;
    if (body == nullptr && soap::IsElement(c, env_ns, "Body")) body = c;
  }
  if (body == nullptr) return Malformed("SOAP Envelope without Body");

  std::string message_id;
  std::string reply_to;
  for (xmlNode* h = soap::FirstElementChild(header); h != nullptr;
       h = soap::NextElementSibling(h)) {
    if (IsWsa(h, "MessageID") && message_id.empty()) {
      message_id = soap::TrimmedText(h);
    } else if (IsWsa(h, "ReplyTo") && reply_to.empty()) {
      reply_to = AddressOf(h);
    }
  }

  xmlNode* op = soap::FirstElementChild(body);
  const bool is_probe = IsD(op, "Probe");
  const bool is_resolve = IsD(op, "Resolve");
  if (!is_probe && !is_resolve) {
    std::string what = op ? std::string(soap::LocalName(op)) : std::string("empty Body");
    return MakeUnexpected(
        ParseError{ParseError::Kind::kNotARequest, "not a Probe/Resolve: " + what});
  }
  if (message_id.empty()) return Malformed("request without wsa:MessageID");

  if (is_probe) {
    Probe probe = ReadProbe(op);
    probe.message_id = std::move(message_id);
    probe.reply_to = std::move(reply_to);
    return DiscoveryRequest(std::move(probe));
  }
  Resolve resolve;
  for (xmlNode* c = soap::FirstElementChild(op); c != nullptr; c = soap::NextElementSibling(c)) {
    if (IsWsa(c, "EndpointReference")) {
      resolve.endpoint_reference = AddressOf(c);
      break;
    }
  }
  if (resolve.endpoint_reference.empty()) return Malformed("Resolve without EndpointReference");
  resolve.message_id = std::move(message_id);
  resolve.reply_to = std::move(reply_to);
  return DiscoveryRequest(std::move(resolve));
}

Expected<Probe, ParseError> ParseProbe(std::string_view bytes) {
  auto request = ParseDiscoveryRequest(bytes);
  if (!request) return MakeUnexpected(request.error());
  if (auto* probe = std::get_if<Probe>(&*request)) return std::move(*probe);
  return MakeUnexpected(ParseError{ParseError::Kind::kNotARequest, "not a Probe: a Resolve"});
}

Expected<Resolve, ParseError> ParseResolve(std::string_view bytes) {
  auto request = ParseDiscoveryRequest(bytes);
  if (!request) return MakeUnexpected(request.error());
  if (auto* resolve = std::get_if<Resolve>(&*request)) return std::move(*resolve);
  return MakeUnexpected(ParseError{ParseError::Kind::kNotARequest, "not a Resolve: a Probe"});
}

}  // namespace onvifgw::discovery
