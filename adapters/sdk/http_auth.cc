#include "adapters/sdk/http_auth.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>

namespace onvifgw::adapter_sdk {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 7230 token characters.
bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A cursor over a header value, skipping optional whitespace where the grammar allows it.
class HeaderReader {
 public:
  explicit HeaderReader(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string_view Token() {
    size_t start = pos_;
    while (pos_ < text_.size() && IsTokenChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // A quoted-string with backslash escapes; nullopt when unterminated.
  std::optional<std::string> Quoted() {
    if (!Consume('"')) return std::nullopt;
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\' && pos_ < text_.size()) c = text_[pos_++];
      out.push_back(c);
    }
    return std::nullopt;
  }
  size_t position() const { return pos_; }
  void Rewind(size_t position) { pos_ = position; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0x0F]);
  }
  return out;
}

// Lower-case hex digest of `text` with MD5 or SHA-256 (RFC 7616 uses hex digests throughout).
std::string HexDigest(bool sha256, std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, sha256 ? EVP_sha256() : EVP_md5(),
             nullptr);
  return Hex(digest.data(), size);
}

// A quoted-string for a header: backslash before quote and backslash.
std::string QuoteForHeader(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

bool AuthChallenge::Is(std::string_view scheme_name) const {
  return EqualsIgnoreCase(scheme, scheme_name);
}

std::vector<AuthChallenge> ParseWwwAuthenticate(std::string_view value) {
  std::vector<AuthChallenge> challenges;
  HeaderReader reader(value);
  while (true) {
    reader.SkipSpace();
    while (reader.Consume(',')) reader.SkipSpace();
    if (reader.AtEnd()) break;
    std::string_view scheme = reader.Token();
    if (scheme.empty()) break;  // damage: keep what was read
    AuthChallenge challenge{std::string(scheme), {}};
    // Parameters follow until the next scheme: a token that is not followed by '='.
    while (true) {
      reader.SkipSpace();
      size_t before = reader.position();
      while (reader.Consume(',')) reader.SkipSpace();
      std::string_view name = reader.Token();
      reader.SkipSpace();
      if (name.empty() || !reader.Consume('=')) {
        reader.Rewind(before);
        break;
      }
      reader.SkipSpace();
      std::string param_value;
      if (reader.Peek() == '"') {
        auto quoted = reader.Quoted();
        if (!quoted) {
          challenges.push_back(std::move(challenge));
          return challenges;
        }
        param_value = std::move(*quoted);
      } else {
        param_value = std::string(reader.Token());
      }
      challenge.params[Lower(name)] = std::move(param_value);
    }
    challenges.push_back(std::move(challenge));
    // Skip a token68 (Basic/Negotiate blobs) or anything unreadable up to the next comma.
    reader.SkipSpace();
    if (!reader.AtEnd() && reader.Peek() != ',' && !IsTokenChar(reader.Peek())) break;
  }
  return challenges;
}

Result<DigestChallenge> ReadDigestChallenge(const AuthChallenge& challenge) {
  if (!challenge.Is("Digest")) return Error{"not a Digest challenge"};
  DigestChallenge digest;
  auto find = [&](const char* name) -> const std::string* {
    auto it = challenge.params.find(name);
    return it == challenge.params.end() ? nullptr : &it->second;
  };
  const std::string* nonce = find("nonce");
  if (nonce == nullptr || nonce->empty()) return Error{"the Digest challenge has no nonce"};
  digest.nonce = *nonce;
  if (const std::string* realm = find("realm")) digest.realm = *realm;
  if (const std::string* opaque = find("opaque")) digest.opaque = *opaque;
  if (const std::string* algorithm = find("algorithm")) {
    std::string upper = *algorithm;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != "MD5" && upper != "MD5-SESS" && upper != "SHA-256" && upper != "SHA-256-SESS") {
      return Error{"the Digest challenge asks for algorithm " + *algorithm +
                   ", which is not supported (MD5, MD5-sess, SHA-256, SHA-256-sess are)"};
    }
    digest.algorithm = upper == "MD5-SESS"       ? "MD5-sess"
                       : upper == "SHA-256-SESS" ? "SHA-256-sess"
                                                 : upper;
  }
  if (const std::string* qop = find("qop")) {
    // A list such as "auth,auth-int".
    size_t start = 0;
    while (start <= qop->size()) {
      size_t end = qop->find(',', start);
      if (end == std::string::npos) end = qop->size();
      std::string_view item(qop->data() + start, end - start);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (EqualsIgnoreCase(item, "auth")) digest.qop_auth = true;
      start = end + 1;
    }
    if (!digest.qop_auth) {
      return Error{"the Digest challenge offers only qop " + *qop + " (auth is needed)"};
    }
  }
  if (const std::string* stale = find("stale")) digest.stale = EqualsIgnoreCase(*stale, "true");
  return digest;
}

std::string DigestAuthorization(const DigestChallenge& challenge,
                                const HttpCredentials& credentials, std::string_view method,
                                std::string_view uri, uint32_t nonce_count,
                                std::string_view cnonce) {
  const bool sha256 = challenge.algorithm.rfind("SHA-256", 0) == 0;
  const bool session = challenge.algorithm.ends_with("-sess");
  std::string ha1 =
      HexDigest(sha256, credentials.user + ":" + challenge.realm + ":" + credentials.password);
  if (session) {
    ha1 = HexDigest(sha256, ha1 + ":" + challenge.nonce + ":" + std::string(cnonce));
  }
  std::string ha2 = HexDigest(sha256, std::string(method) + ":" + std::string(uri));
  char nc[9];
  std::snprintf(nc, sizeof nc, "%08x", nonce_count);
  std::string response = challenge.qop_auth
                             ? HexDigest(sha256, ha1 + ":" + challenge.nonce + ":" + nc + ":" +
                                                     std::string(cnonce) + ":auth:" + ha2)
                             : HexDigest(sha256, ha1 + ":" + challenge.nonce + ":" + ha2);
  std::string header = "Digest username=" + QuoteForHeader(credentials.user) +
                       ", realm=" + QuoteForHeader(challenge.realm) +
                       ", nonce=" + QuoteForHeader(challenge.nonce) +
                       ", uri=" + QuoteForHeader(uri) + ", algorithm=" + challenge.algorithm +
                       ", response=" + QuoteForHeader(response);
  if (challenge.qop_auth) {
    header += std::string(", qop=auth, nc=") + nc + ", cnonce=" + QuoteForHeader(cnonce);
  }
  if (!challenge.opaque.empty()) header += ", opaque=" + QuoteForHeader(challenge.opaque);
  return header;
}

std::string BasicAuthorization(const HttpCredentials& credentials) {
  std::string plain = credentials.user + ":" + credentials.password;
  std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
  int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                             reinterpret_cast<const unsigned char*>(plain.data()),
                             static_cast<int>(plain.size()));
  encoded.resize(static_cast<size_t>(size));
  return "Basic " + encoded;
}

std::string NewClientNonce() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // The cnonce guards against chosen-plaintext by the server, not a secret: a clock-derived
    // value is an acceptable fallback when the generator is unavailable.
    auto now = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    for (size_t i = 0; i < bytes.size(); ++i)
      bytes[i] = static_cast<unsigned char>(now >> (i % 8 * 8));
  }
  return Hex(bytes.data(), bytes.size());
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kDigits[byte >> 4]);
      out.push_back(kDigits[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace onvifgw::adapter_sdk
