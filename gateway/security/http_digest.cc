#include "security/http_digest.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

#include "core/base64.h"
#include "security/crypto_util.h"

namespace onvifgw::security {
namespace {

constexpr std::size_t kMaxParams = 32;
constexpr std::size_t kNonceTimestampBytes = 8;
constexpr std::size_t kNonceRandomBytes = 16;
constexpr std::size_t kNonceMacBytes = 32;
constexpr std::size_t kNonceBytes = kNonceTimestampBytes + kNonceRandomBytes + kNonceMacBytes;
/// Nonces stamped further in the future than this are not ours.
constexpr std::int64_t kMaxClockSkew = 60;

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

bool IsTchar(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsOws(char c) { return c == ' ' || c == '\t'; }

bool IsCtl(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}

// Lenient unquoted value: anything visible but separators and quotes.
bool IsValueChar(char c) { return !IsCtl(c) && c != ' ' && c != ',' && c != '"'; }

bool IsToken68Char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~+/").find(c) != std::string_view::npos;
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }
  void skip_ows() {
    while (!done() && IsOws(peek())) ++pos_;
  }
  std::string_view take_while(bool (*pred)(char)) {
    const std::size_t start = pos_;
    while (!done() && pred(peek())) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  std::string_view rest() const { return s_.substr(std::min(pos_, s_.size())); }
  void advance() { ++pos_; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

// RFC 7230 quoted-string after the opening quote has been consumed.
Expected<std::string, std::string> QuotedString(Cursor& c) {
  std::string out;
  while (!c.done()) {
    char ch = c.peek();
    c.advance();
    if (ch == '"') return out;
    if (ch == '\\') {
      if (c.done()) break;
      ch = c.peek();
      c.advance();
    }
    if (IsCtl(ch) && ch != '\t') return MakeUnexpected(std::string("control character in value"));
    out += ch;
  }
  return MakeUnexpected(std::string("unterminated quoted string"));
}

using ParamList = std::vector<std::pair<std::string, std::string>>;

Expected<ParamList, std::string> ParseParams(Cursor& c) {
  ParamList params;
  while (true) {
    while (!c.done() && (IsOws(c.peek()) || c.peek() == ',')) c.advance();
    if (c.done()) break;
    std::string name(c.take_while(IsTchar));
    if (name.empty()) return MakeUnexpected(std::string("expected a parameter name"));
    std::transform(name.begin(), name.end(), name.begin(), Lower);
    c.skip_ows();
    if (c.done() || c.peek() != '=') {
      return MakeUnexpected("expected '=' after parameter '" + name + "'");
    }
    c.advance();
    c.skip_ows();
    std::string value;
    if (!c.done() && c.peek() == '"') {
      c.advance();
      auto q = QuotedString(c);
      if (!q) return MakeUnexpected(q.error());
      value = std::move(*q);
    } else {
      value = std::string(c.take_while(IsValueChar));
      // "=" cannot start a value: that is token68 padding ("Digest abc==").
      if (value.empty() || value.front() == '=') {
        return MakeUnexpected("parameter '" + name + "' has no valid value");
      }
    }
    for (const auto& [n, v] : params) {
      if (n == name) return MakeUnexpected("duplicate parameter '" + name + "'");
    }
    if (params.size() >= kMaxParams) return MakeUnexpected(std::string("too many parameters"));
    params.emplace_back(std::move(name), std::move(value));
    c.skip_ows();
    if (!c.done() && c.peek() != ',') {
      return MakeUnexpected(std::string("expected ',' between parameters"));
    }
  }
  return params;
}

DigestParams ToDigest(ParamList& params) {
  DigestParams d;
  std::pair<std::string_view, std::string*> fields[] = {
      {"username", &d.username}, {"realm", &d.realm},
      {"nonce", &d.nonce},       {"uri", &d.uri},
      {"response", &d.response}, {"algorithm", &d.algorithm},
      {"cnonce", &d.cnonce},     {"opaque", &d.opaque},
      {"qop", &d.qop},           {"nc", &d.nc}};
  for (auto& [name, value] : params) {
    for (auto& [field, target] : fields) {
      if (name == field) *target = std::move(value);
    }
    if (name == "username*") {
      d.has_username_star = true;
    } else if (name == "userhash") {
      d.userhash = IEquals(value, "true");
    }
  }
  return d;
}

std::string Hash(DigestAlgorithm a, std::string_view data) {
  const bool md5 = a == DigestAlgorithm::kMd5 || a == DigestAlgorithm::kMd5Sess;
  return HexLower(md5 ? Md5(data) : Sha256(data));
}

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) out += ':';
    first = false;
    out.append(p);
  }
  return out;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::optional<std::uint32_t> ParseNc(std::string_view nc) {
  if (nc.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : nc) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 16 + static_cast<std::uint32_t>(
                     std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : Lower(c) - 'a' + 10);
  }
  return v;
}

std::string_view PathOf(std::string_view uri) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (uri.size() >= scheme.size() && IEquals(uri.substr(0, scheme.size()), scheme)) {
      const std::size_t slash = uri.find('/', scheme.size());
      return slash == std::string_view::npos ? std::string_view("/") : uri.substr(slash);
    }
  }
  return uri;
}

}  // namespace

std::string_view DigestAlgorithmName(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
      return "MD5";
    case DigestAlgorithm::kMd5Sess:
      return "MD5-sess";
    case DigestAlgorithm::kSha256:
      return "SHA-256";
    case DigestAlgorithm::kSha256Sess:
      return "SHA-256-sess";
  }
  return "?";
}

std::optional<DigestAlgorithm> ParseDigestAlgorithm(std::string_view name) {
  for (DigestAlgorithm a : {DigestAlgorithm::kMd5, DigestAlgorithm::kMd5Sess,
                            DigestAlgorithm::kSha256, DigestAlgorithm::kSha256Sess}) {
    if (IEquals(name, DigestAlgorithmName(a))) return a;
  }
  return std::nullopt;
}

Expected<BasicCredentials, std::string> ParseBasic(std::string_view token68) {
  std::optional<std::string> decoded = Base64Decode(token68);
  if (!decoded) return MakeUnexpected(std::string("Basic credentials are not valid base64"));
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    OPENSSL_cleanse(decoded->data(), decoded->size());
    return MakeUnexpected(std::string("Basic credentials have no ':'"));
  }
  BasicCredentials b{decoded->substr(0, colon), decoded->substr(colon + 1)};
  OPENSSL_cleanse(decoded->data(), decoded->size());
  return b;
}

Expected<AuthorizationHeader, std::string> ParseAuthorizationHeader(std::string_view value) {
  if (value.size() > kMaxAuthorizationHeader) {
    return MakeUnexpected(std::string("Authorization header too long"));
  }
  Cursor c(value);
  c.skip_ows();
  AuthorizationHeader h;
  h.scheme_name = std::string(c.take_while(IsTchar));
  if (h.scheme_name.empty()) return MakeUnexpected(std::string("no authentication scheme"));
  if (!c.done() && !IsOws(c.peek())) {
    return MakeUnexpected(std::string("invalid character after the scheme"));
  }
  c.skip_ows();
  if (IEquals(h.scheme_name, "Basic")) {
    h.scheme = AuthScheme::kBasic;
    // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    Cursor t(c.rest());
    const std::string_view body = t.take_while(IsToken68Char);
    t.take_while([](char ch) { return ch == '='; });
    const std::string_view token68 = c.rest().substr(0, c.rest().size() - t.rest().size());
    t.skip_ows();
    if (body.empty() || !t.done()) {
      return MakeUnexpected(std::string("malformed Basic credentials"));
    }
    auto basic = ParseBasic(token68);
    if (!basic) return MakeUnexpected(basic.error());
    h.basic = std::move(*basic);
    return h;
  }
  if (IEquals(h.scheme_name, "Digest")) {
    h.scheme = AuthScheme::kDigest;
    auto params = ParseParams(c);
    if (!params) return MakeUnexpected("Digest: " + params.error());
    h.digest = ToDigest(*params);
    return h;
  }
  h.scheme = AuthScheme::kOther;
  return h;
}

std::string ComputeDigestResponse(DigestAlgorithm algorithm, std::string_view username,
                                  std::string_view realm, std::string_view password,
                                  std::string_view method, std::string_view uri,
                                  std::string_view nonce, std::string_view nc,
                                  std::string_view cnonce, std::string_view qop) {
  std::string a1 = Join({username, realm, password});
  std::string ha1 = Hash(algorithm, a1);
  OPENSSL_cleanse(a1.data(), a1.size());
  if (algorithm == DigestAlgorithm::kMd5Sess || algorithm == DigestAlgorithm::kSha256Sess) {
    ha1 = Hash(algorithm, Join({ha1, nonce, cnonce}));
  }
  const std::string ha2 = Hash(algorithm, Join({method, uri}));
  if (qop.empty()) return Hash(algorithm, Join({ha1, nonce, ha2}));  // RFC 2069
  return Hash(algorithm, Join({ha1, nonce, nc, cnonce, qop, ha2}));
}

bool DigestUriMatches(std::string_view digest_uri, std::string_view request_target) {
  if (digest_uri.empty()) return false;
  return digest_uri == request_target || PathOf(digest_uri) == PathOf(request_target);
}

DigestAuthenticator::DigestAuthenticator(std::string realm, std::vector<DigestAlgorithm> algorithms,
                                         std::chrono::seconds nonce_lifetime,
                                         std::size_t max_tracked_nonces)
    : realm_(std::move(realm)),
      lifetime_(nonce_lifetime),
      max_tracked_(std::max<std::size_t>(1, max_tracked_nonces)),
      secret_(RandomBytes(32)),
      opaque_(Base64UrlEncode(HmacSha256(secret_, "opaque:" + realm_).substr(0, 18))) {
  SetAlgorithms(std::move(algorithms));
}

std::vector<DigestAlgorithm> DigestAuthenticator::algorithms() const {
  std::lock_guard lock(mu_);
  return algorithms_;
}

void DigestAuthenticator::SetAlgorithms(std::vector<DigestAlgorithm> algorithms) {
  if (algorithms.empty()) algorithms.push_back(DigestAlgorithm::kMd5);
  std::lock_guard lock(mu_);
  algorithms_ = std::move(algorithms);
}

std::string DigestAuthenticator::IssueNonce(TimePoint now) const {
  const std::int64_t ts =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::string body(kNonceTimestampBytes, '\0');
  for (std::size_t i = 0; i < kNonceTimestampBytes; ++i) {
    body[i] = static_cast<char>((static_cast<std::uint64_t>(ts) >> (8 * (7 - i))) & 0xFF);
  }
  body += RandomBytes(kNonceRandomBytes);
  body += HmacSha256(secret_, body);
  return Base64UrlEncode(body);
}

std::optional<std::int64_t> DigestAuthenticator::NonceIssued(std::string_view nonce) const {
  if (nonce.size() != (kNonceBytes * 4 + 2) / 3) return std::nullopt;
  const std::optional<std::string> raw = Base64UrlDecode(nonce);
  if (!raw || raw->size() != kNonceBytes) return std::nullopt;
  const std::string_view body = std::string_view(*raw).substr(0, kNonceBytes - kNonceMacBytes);
  const std::string_view mac = std::string_view(*raw).substr(kNonceBytes - kNonceMacBytes);
  if (!ConstantTimeEquals(HmacSha256(secret_, body), mac)) return std::nullopt;
  std::uint64_t ts = 0;
  for (std::size_t i = 0; i < kNonceTimestampBytes; ++i) {
    ts = (ts << 8) | static_cast<std::uint8_t>((*raw)[i]);
  }
  return static_cast<std::int64_t>(ts);
}

std::vector<std::string> DigestAuthenticator::Challenges(bool stale) const {
  return Challenges(stale, std::chrono::system_clock::now());
}

std::vector<std::string> DigestAuthenticator::Challenges(bool stale, TimePoint now) const {
  const std::string nonce = IssueNonce(now);
  std::vector<std::string> out;
  for (DigestAlgorithm a : algorithms()) {
    std::string c = "Digest realm=" + Quote(realm_) +
                    ", qop=\"auth\", algorithm=" + std::string(DigestAlgorithmName(a)) +
                    ", nonce=" + Quote(nonce) + ", opaque=" + Quote(opaque_);
    if (stale) c += ", stale=true";
    out.push_back(std::move(c));
  }
  return out;
}

void DigestAuthenticator::EraseLocked(std::unordered_map<std::string, NonceState>::iterator it) {
  by_issue_.erase({it->second.issued, it->first});
  lru_.erase(it->second.lru);
  nc_.erase(it);
}

std::size_t DigestAuthenticator::tracked_nonces() const {
  std::lock_guard lock(mu_);
  return nc_.size();
}

DigestCheck DigestAuthenticator::Verify(const DigestParams& p, std::string_view method,
                                        std::string_view expected_password, TimePoint now,
                                        DigestQop qop) {
  if (p.has_username_star || p.userhash) return DigestCheck::kUnsupportedAlgorithm;
  if (p.username.empty() || p.realm.empty() || p.nonce.empty() || p.uri.empty() ||
      p.response.empty()) {
    return DigestCheck::kMalformed;
  }
  const bool rfc2069 = qop == DigestQop::kOptional && p.qop.empty();
  if (rfc2069 ? !p.cnonce.empty() || !p.nc.empty() : p.cnonce.empty() || !IEquals(p.qop, "auth")) {
    return DigestCheck::kMalformed;
  }
  const std::optional<std::uint32_t> nc = rfc2069 ? std::optional<std::uint32_t>(0) : ParseNc(p.nc);
  if (!nc) return DigestCheck::kMalformed;
  const std::optional<DigestAlgorithm> algorithm = p.algorithm.empty()
                                                       ? std::optional(DigestAlgorithm::kMd5)
                                                       : ParseDigestAlgorithm(p.algorithm);
  if (!algorithm) return DigestCheck::kUnsupportedAlgorithm;
  {
    std::lock_guard lock(mu_);
    if (std::find(algorithms_.begin(), algorithms_.end(), *algorithm) == algorithms_.end()) {
      return DigestCheck::kUnsupportedAlgorithm;
    }
  }
  if (p.realm != realm_) return DigestCheck::kBadCredentials;
  const std::optional<std::int64_t> issued = NonceIssued(p.nonce);
  const std::int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (!issued || *issued > now_s + kMaxClockSkew) return DigestCheck::kInvalidNonce;
  if (!p.opaque.empty() && p.opaque != opaque_) return DigestCheck::kMalformed;

  std::string response = p.response;
  std::transform(response.begin(), response.end(), response.begin(), Lower);
  const std::string expected =
      ComputeDigestResponse(*algorithm, p.username, realm_, expected_password, method, p.uri,
                            p.nonce, p.nc, p.cnonce, p.qop);
  if (!ConstantTimeEquals(expected, response)) return DigestCheck::kBadCredentials;
  if (now_s - *issued > lifetime_.count()) return DigestCheck::kStale;
  if (rfc2069) return DigestCheck::kOk;  // no nonce count to track

  std::lock_guard lock(mu_);
  // Entries expire with their nonce: a replay would be stale anyway.
  while (!by_issue_.empty() && by_issue_.begin()->first + lifetime_.count() < now_s) {
    EraseLocked(nc_.find(by_issue_.begin()->second));
  }
  auto it = nc_.find(p.nonce);
  if (it == nc_.end()) {
    // Possibly evicted while still valid: its nc history is lost, so the
    // client must start over with a fresh nonce.
    if (*issued <= evicted_up_to_) return DigestCheck::kStale;
    while (nc_.size() >= max_tracked_) {
      auto victim = nc_.find(lru_.back());
      evicted_up_to_ = std::max(evicted_up_to_, victim->second.issued);
      EraseLocked(victim);
    }
    lru_.push_front(p.nonce);
    by_issue_.emplace(*issued, p.nonce);
    nc_.emplace(p.nonce, NonceState{*nc, *issued, lru_.begin()});
    return DigestCheck::kOk;
  }
  if (*nc <= it->second.max_nc) return DigestCheck::kReplay;
  it->second.max_nc = *nc;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return DigestCheck::kOk;
}

}  // namespace onvifgw::security
