#include "security/username_token.h"

#include <openssl/crypto.h>

#include <cstring>

#include "core/base64.h"
#include "security/crypto_util.h"
#include "security/date_time.h"
#include "soap/namespaces.h"
#include "soap/xml_document.h"

namespace onvifgw::security {
namespace {

constexpr std::size_t kMaxField = 1024;

using soap::LocalName;
using soap::NamespaceUri;

bool IsSecext(std::string_view ns) { return ns == soap::ns::kWsse || ns == kWsse11; }

// Username/Password/Nonce: secext or, leniently, no namespace.
bool IsTokenChild(const xmlNode* n, std::string_view name) {
  const std::string_view ns = NamespaceUri(n);
  return LocalName(n) == name && (IsSecext(ns) || ns.empty());
}

bool IsCreated(const xmlNode* n) {
  const std::string_view ns = NamespaceUri(n);
  return LocalName(n) == "Created" && (ns == soap::ns::kWsu || IsSecext(ns) || ns.empty());
}

// Value of an unqualified attribute, or nullopt.
std::optional<std::string> Attribute(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->ns == nullptr && xmlStrEqual(a->name, reinterpret_cast<const xmlChar*>(name))) {
      xmlChar* v = xmlNodeListGetString(n->doc, a->children, 1);
      std::string out = v ? reinterpret_cast<const char*>(v) : "";
      xmlFree(v);
      return out;
    }
  }
  return std::nullopt;
}

// Raw text content (no trimming: a clear-text password is taken as sent).
std::string RawText(const xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

std::string_view Trim(std::string_view s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

Expected<UsernameToken, std::string> ParseToken(xmlNode* token_node) {
  const xmlNode* username = nullptr;
  const xmlNode* password = nullptr;
  const xmlNode* nonce = nullptr;
  const xmlNode* created = nullptr;
  for (xmlNode* c = soap::FirstElementChild(token_node); c; c = soap::NextElementSibling(c)) {
    const xmlNode** slot = IsTokenChild(c, "Username")   ? &username
                           : IsTokenChild(c, "Password") ? &password
                           : IsTokenChild(c, "Nonce")    ? &nonce
                           : IsCreated(c)                ? &created
                                                         : nullptr;
    if (slot == nullptr) continue;  // e.g. wsse11:Salt, extensions: ignored
    if (*slot != nullptr) {
      return MakeUnexpected("UsernameToken has a duplicate " + std::string(LocalName(c)));
    }
    *slot = c;
  }

  UsernameToken t;
  if (username == nullptr) return MakeUnexpected(std::string("UsernameToken has no Username"));
  t.username = soap::TrimmedText(username);
  if (t.username.empty()) return MakeUnexpected(std::string("UsernameToken has an empty Username"));
  if (password == nullptr) return MakeUnexpected(std::string("UsernameToken has no Password"));

  const std::optional<std::string> type = Attribute(password, "Type");
  if (!type || Trim(*type) == kPasswordTextUri) {
    t.type = UsernameToken::PasswordType::kText;
    t.password = RawText(password);
  } else if (Trim(*type) == kPasswordDigestUri) {
    t.type = UsernameToken::PasswordType::kDigest;
    t.password = soap::TrimmedText(password);
  } else {
    return MakeUnexpected(std::string("UsernameToken has an unsupported Password Type"));
  }

  if (nonce != nullptr) {
    if (auto enc = Attribute(nonce, "EncodingType");
        enc && !std::string_view(*enc).ends_with("#Base64Binary")) {
      return MakeUnexpected(std::string("UsernameToken Nonce has an unsupported EncodingType"));
    }
    t.nonce_base64 = soap::TrimmedText(nonce);
    if (t.nonce_base64.empty() || !Base64Decode(t.nonce_base64)) {
      return MakeUnexpected(std::string("UsernameToken Nonce is not valid base64"));
    }
  }
  if (created != nullptr) t.created = soap::TrimmedText(created);

  if (t.username.size() > kMaxField || t.password.size() > kMaxField ||
      t.nonce_base64.size() > kMaxField || t.created.size() > kMaxField) {
    return MakeUnexpected(std::string("UsernameToken field too long"));
  }
  // ONVIF Core §5.9.5: the device shall reject a token lacking Nonce or Created.
  if (t.type == UsernameToken::PasswordType::kDigest &&
      (t.nonce_base64.empty() || t.created.empty())) {
    return MakeUnexpected(std::string("UsernameToken digest requires both Nonce and Created"));
  }
  return t;
}

bool PasswordMatches(const UsernameToken& token, std::string_view nonce_bytes,
                     std::string_view password) {
  if (token.type == UsernameToken::PasswordType::kDigest) {
    return ConstantTimeEquals(ComputePasswordDigest(nonce_bytes, token.created, password),
                              token.password);
  }
  return SecretEquals(token.password, password);
}

}  // namespace

Expected<std::optional<UsernameToken>, std::string> ParseUsernameToken(const xmlNode* soap_header) {
  if (soap_header == nullptr) return std::optional<UsernameToken>();
  xmlNode* header = const_cast<xmlNode*>(soap_header);  // libxml2 helpers are not const
  xmlNode* found = nullptr;
  for (xmlNode* h = soap::FirstElementChild(header); h; h = soap::NextElementSibling(h)) {
    if (LocalName(h) != "Security" || !IsSecext(NamespaceUri(h))) continue;
    for (xmlNode* c = soap::FirstElementChild(h); c; c = soap::NextElementSibling(c)) {
      if (LocalName(c) != "UsernameToken") continue;
      const std::string_view ns = NamespaceUri(c);
      if (!IsSecext(ns) && !ns.empty()) continue;
      if (found != nullptr) {
        return MakeUnexpected(std::string("more than one UsernameToken in the Security header"));
      }
      found = c;
    }
  }
  if (found == nullptr) return std::optional<UsernameToken>();
  auto token = ParseToken(found);
  if (!token) return MakeUnexpected(token.error());
  return std::optional<UsernameToken>(std::move(*token));
}

std::string ComputePasswordDigest(std::string_view nonce_bytes, std::string_view created,
                                  std::string_view password) {
  std::string input;
  input.reserve(nonce_bytes.size() + created.size() + password.size());
  input.append(nonce_bytes).append(created).append(password);
  std::string digest = Base64Encode(Sha1(input));
  OPENSSL_cleanse(input.data(), input.size());
  return digest;
}

UsernameTokenVerifier::UsernameTokenVerifier(Options options)
    : options_(options), seen_(options.max_remembered_nonces) {}

std::size_t UsernameTokenVerifier::remembered(std::chrono::system_clock::time_point now) const {
  return seen_.size(now);
}

TokenCheck UsernameTokenVerifier::Verify(const UsernameToken& token,
                                         std::string_view expected_password,
                                         std::chrono::system_clock::time_point now) {
  if (token.nonce_base64.empty() || token.created.empty()) return TokenCheck::kMalformed;
  const auto created = ParseXsDateTime(token.created);
  if (!created) return TokenCheck::kMalformed;
  const std::optional<std::string> nonce = Base64Decode(token.nonce_base64);
  if (!nonce) return TokenCheck::kMalformed;

  // The cache key is a hash of the length-prefixed triple: a fixed 16 bytes
  // per entry whatever the client sends.
  std::string material;
  material.reserve(token.username.size() + nonce->size() + token.created.size() + 24);
  for (std::string_view part : {std::string_view(token.username), std::string_view(*nonce),
                                std::string_view(token.created)}) {
    const auto n = static_cast<std::uint32_t>(part.size());
    const char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                         static_cast<char>(n >> 8), static_cast<char>(n)};
    material.append(len, sizeof len).append(part);
  }
  const std::string digest = Sha256(material);
  ReplayCache::Key key;
  std::memcpy(&key.hi, digest.data(), 8);
  std::memcpy(&key.lo, digest.data() + 8, 8);
  switch (seen_.Insert(key, *created + options_.window, now)) {
    case ReplayCache::Outcome::kSeen:
      return TokenCheck::kReplay;
    case ReplayCache::Outcome::kBelowFloor:
      // Evicted while fresh, maybe: it might be a replay no longer remembered.
      return TokenCheck::kStale;
    case ReplayCache::Outcome::kNew:
      break;
  }

  if (*created < now - options_.window || *created > now + options_.window) {
    return TokenCheck::kStale;
  }
  return PasswordMatches(token, *nonce, expected_password) ? TokenCheck::kOk
                                                           : TokenCheck::kBadCredentials;
}

bool TokenPasswordMatches(const UsernameToken& token, std::string_view password) {
  const std::optional<std::string> nonce = Base64Decode(token.nonce_base64);
  return nonce && PasswordMatches(token, *nonce, password);
}

}  // namespace onvifgw::security
