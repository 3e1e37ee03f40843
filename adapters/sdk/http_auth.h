#pragma once
// HTTP authentication towards a camera: parsing WWW-Authenticate challenges and answering them
// with Basic (RFC 7617) or Digest (RFC 7616 / RFC 2617: MD5, MD5-sess, SHA-256, qop "auth" or
// none). Pure functions, so the HTTP client stays about connections and these stay testable.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sdk/result.h"

namespace onvifgw::adapter_sdk {

/// A camera account.
struct HttpCredentials {
  std::string user;
  std::string password;
};

/// One challenge of a WWW-Authenticate header: the scheme as written ("Digest", "Basic") and its
/// parameters, names lower-cased, quoted values unquoted.
struct AuthChallenge {
  std::string scheme;
  std::map<std::string, std::string> params;

  /// Case-insensitive scheme comparison ("digest" == "Digest").
  bool Is(std::string_view scheme_name) const;
};

/// Every challenge in one WWW-Authenticate field value. A header may hold several challenges
/// ("Digest realm=..., nonce=..., Basic realm=..."); a value that cannot be read yields the
/// challenges before the damage.
std::vector<AuthChallenge> ParseWwwAuthenticate(std::string_view value);

/// What a Digest challenge asks for.
struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string opaque;
  /// "MD5" (also when the challenge names none), "MD5-sess", "SHA-256" or "SHA-256-sess".
  std::string algorithm = "MD5";
  /// The challenge offered qop "auth" (we never use "auth-int": camera bodies are small forms).
  bool qop_auth = false;
  /// The server said the previous nonce merely expired: answer again without counting it as a
  /// credentials failure.
  bool stale = false;
};

/// The Digest challenge's fields; why not, when a required one is missing or the algorithm or
/// qop is one we cannot answer.
Result<DigestChallenge> ReadDigestChallenge(const AuthChallenge& challenge);

/// The Authorization header value answering `challenge` for `method` and `uri` (the request
/// target as sent), with the nonce count `nonce_count` (1 for the first use of a nonce) and the
/// client nonce `cnonce`.
std::string DigestAuthorization(const DigestChallenge& challenge,
                                const HttpCredentials& credentials, std::string_view method,
                                std::string_view uri, uint32_t nonce_count,
                                std::string_view cnonce);

/// "Basic base64(user:password)".
std::string BasicAuthorization(const HttpCredentials& credentials);

/// A fresh random client nonce (16 random bytes, hex).
std::string NewClientNonce();

/// Percent-encodes everything but RFC 3986 unreserved characters, for query values.
std::string UrlEncode(std::string_view text);

}  // namespace onvifgw::adapter_sdk
