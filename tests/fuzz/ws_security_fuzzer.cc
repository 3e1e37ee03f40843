// Arbitrary bytes as a SOAP request: hardened XML parsing, finding the
// Header, UsernameToken extraction and verification (xs:dateTime, base64,
// digest, replay cache).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "security/username_token.h"
#include "soap/xml_document.h"

namespace {

using namespace onvifgw;

xmlNode* FindHeader(xmlDoc* doc) {
  xmlNode* root = xmlDocGetRootElement(doc);
  if (root == nullptr) return nullptr;
  for (xmlNode* c = soap::FirstElementChild(root); c; c = soap::NextElementSibling(c)) {
    if (soap::LocalName(c) == "Header") return c;
  }
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Bounded replay cache, fixed clock: deterministic and memory-flat.
  static security::UsernameTokenVerifier verifier(
      security::UsernameTokenVerifier::Options{std::chrono::seconds(300), 1024});
  static const auto now =
      std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));

  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto doc = soap::ParseXmlDocument(bytes, soap::XmlLimits{});
  if (!doc) return 0;
  auto token = security::ParseUsernameToken(FindHeader(doc->get()));
  if (!token || !token->has_value()) return 0;
  const security::UsernameToken& t = **token;
  (void)verifier.Verify(t, "password", now);
  // Also at the token's own time, so fresh tokens reach the digest check.
  (void)verifier.Verify(t, t.username, now + std::chrono::seconds(1));
  return 0;
}
