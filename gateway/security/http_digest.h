#pragma once
// HTTP authentication (RFC 7235 framing, RFC 7616 Digest, RFC 7617 Basic) as
// required by ONVIF Core §5.9.1/§5.9.3: parsing the Authorization header,
// issuing challenges, and verifying Digest responses.
//
// Nonces are stateless: base64url(timestamp ‖ random ‖ HMAC-SHA256(secret,
// timestamp ‖ random)), so issuing challenges allocates nothing. The only
// state is a bounded map nonce → highest nc seen, filled only by requests
// whose response verified, which detects replays.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/expected.h"

namespace onvifgw::security {

enum class AuthScheme { kDigest, kBasic, kOther };

enum class DigestAlgorithm { kMd5, kMd5Sess, kSha256, kSha256Sess };

/// "MD5", "MD5-sess", "SHA-256", "SHA-256-sess".
std::string_view DigestAlgorithmName(DigestAlgorithm a);
/// Case-insensitive inverse of DigestAlgorithmName.
std::optional<DigestAlgorithm> ParseDigestAlgorithm(std::string_view name);

/// The parameters of a `Digest` credentials value (names case-insensitive on
/// the wire; values unquoted and unescaped). Empty = absent, except where a
/// flag says otherwise.
struct DigestParams {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  std::string algorithm;  ///< absent means MD5 (RFC 7616 §3.4)
  std::string cnonce;
  std::string opaque;
  std::string qop;
  std::string nc;
  bool has_username_star = false;  ///< RFC 7616 `username*`: unsupported
  bool userhash = false;           ///< RFC 7616 `userhash=true`: unsupported
};

struct BasicCredentials {
  std::string username;
  std::string password;  ///< secret: never log
};

/// A parsed Authorization header. `digest` is filled for kDigest, `basic`
/// for kBasic; for kOther only `scheme_name` is set.
struct AuthorizationHeader {
  AuthScheme scheme = AuthScheme::kOther;
  std::string scheme_name;  ///< as sent
  DigestParams digest;
  BasicCredentials basic;
};

/// Values longer than this are refused by ParseAuthorizationHeader.
inline constexpr std::size_t kMaxAuthorizationHeader = 4096;

/// Parses an Authorization (or Proxy-Authorization) header value.
///
/// Tolerant of optional whitespace around '=' and ',', empty list elements,
/// token or quoted-string values (with backslash escapes) and parameter names
/// in any case. Refused: values over 4 KiB, more than 32 parameters,
/// duplicate parameters, control characters, unterminated quotes, a Digest
/// with token68 instead of parameters, and Basic credentials that are not
/// strict base64 of `user:password`. Other schemes are returned as kOther
/// without looking at their credentials. Error strings never contain secrets.
Expected<AuthorizationHeader, std::string> ParseAuthorizationHeader(std::string_view value);

/// Decodes Basic credentials (the token68 after "Basic "): strict base64 of
/// `user:password`, split at the first ':' (RFC 7617 §2).
Expected<BasicCredentials, std::string> ParseBasic(std::string_view token68);

/// The RFC 7616 §3.4.1 `response` (lower-case hex) for qop=auth:
/// H(HA1:nonce:nc:cnonce:qop:H(method:uri)) with HA1 = H(user:realm:password),
/// or for -sess algorithms HA1 = H(H(user:realm:password):nonce:cnonce).
std::string ComputeDigestResponse(DigestAlgorithm algorithm, std::string_view username,
                                  std::string_view realm, std::string_view password,
                                  std::string_view method, std::string_view uri,
                                  std::string_view nonce, std::string_view nc,
                                  std::string_view cnonce, std::string_view qop);

/// Whether the Digest `uri` parameter designates the request target
/// (RFC 7616 §3.4.6): equal strings, or equal path-and-query when either is
/// in absolute form (`http://host[:port]/path?query`). The caller rejects a
/// request whose `uri` does not match.
bool DigestUriMatches(std::string_view digest_uri, std::string_view request_target);

enum class DigestCheck {
  kOk,
  kBadCredentials,        ///< wrong response (password), or realm mismatch
  kStale,                 ///< authentic nonce that expired, and a correct response
  kInvalidNonce,          ///< nonce not issued by us (HMAC fails) or from the future
  kReplay,                ///< nc not greater than the last accepted one for the nonce
  kMalformed,             ///< missing/invalid parameters, qop absent (RFC 2069) or not auth
  kUnsupportedAlgorithm,  ///< algorithm not enabled, `userhash`, or `username*`
};

/// Whether Verify accepts RFC 2069 credentials (no qop).
enum class DigestQop { kRequired, kOptional };

/// Issues Digest challenges and verifies responses for one realm.
///
/// Thread-safe: the secret and realm are immutable; the algorithm list and
/// the nc map are guarded by a mutex.
class DigestAuthenticator {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  /// `algorithms` in preference order (ONVIF clients want MD5 first, INTEROP
  /// §2.13); an empty list means {kMd5}. The 32-byte HMAC secret comes from
  /// RAND_bytes, so nonces do not survive a restart (clients get stale=false
  /// 401s and retry). `max_tracked_nonces` bounds the nc map (LRU).
  DigestAuthenticator(std::string realm, std::vector<DigestAlgorithm> algorithms,
                      std::chrono::seconds nonce_lifetime, std::size_t max_tracked_nonces = 16384);

  const std::string& realm() const { return realm_; }
  std::vector<DigestAlgorithm> algorithms() const;
  /// For SetHashingAlgorithm; an empty list means {kMd5}.
  void SetAlgorithms(std::vector<DigestAlgorithm> algorithms);

  /// One WWW-Authenticate value per enabled algorithm, in preference order:
  /// `Digest realm="…", qop="auth", algorithm=MD5, nonce="…", opaque="…"`
  /// followed by `, stale=true` when `stale`. All share one fresh nonce.
  std::vector<std::string> Challenges(bool stale) const;
  std::vector<std::string> Challenges(bool stale, TimePoint now) const;

  /// A fresh nonce stamped with `now` (exposed for tests).
  std::string IssueNonce(TimePoint now) const;

  /// Verifies Digest credentials for `method` against `expected_password`.
  /// Checks, in order: required parameters and qop=auth, 8-hex-digit nc
  /// (kMalformed); algorithm enabled, no userhash (kUnsupportedAlgorithm);
  /// realm (kBadCredentials); nonce authenticity (kInvalidNonce); opaque if
  /// sent (kMalformed); response, constant-time (kBadCredentials); nonce
  /// age (kStale, only for a correct response, RFC 7616 §3.3); nc strictly
  /// increasing per nonce (kReplay). The `uri` is not compared with the
  /// request target here: use DigestUriMatches.
  ///
  /// With `DigestQop::kOptional`, credentials without qop (RFC 2069: no nc,
  /// no cnonce, response = H(HA1:nonce:HA2)) are verified too, for RTSP,
  /// where many clients (live555's among them) answer only that way; they
  /// have no nonce count, so a replay within the nonce's lifetime passes.
  DigestCheck Verify(const DigestParams& params, std::string_view method,
                     std::string_view expected_password, TimePoint now,
                     DigestQop qop = DigestQop::kRequired);

  /// Entries in the nc map (tests, metrics).
  std::size_t tracked_nonces() const;

 private:
  struct NonceState {
    std::uint32_t max_nc;
    std::int64_t issued;  // seconds since the epoch
    std::list<std::string>::iterator lru;
  };
  /// Issue time (epoch seconds) of an authentic nonce, else nullopt.
  std::optional<std::int64_t> NonceIssued(std::string_view nonce) const;
  void EraseLocked(std::unordered_map<std::string, NonceState>::iterator it);

  const std::string realm_;
  const std::chrono::seconds lifetime_;
  const std::size_t max_tracked_;
  const std::string secret_;
  const std::string opaque_;

  mutable std::mutex mu_;
  std::vector<DigestAlgorithm> algorithms_;
  std::unordered_map<std::string, NonceState> nc_;
  std::list<std::string> lru_;                               // front = most recently used
  std::set<std::pair<std::int64_t, std::string>> by_issue_;  // expiry order
  /// Nonces issued at or before this time that are missing from nc_ may
  /// have been evicted while still valid: they are answered kStale.
  std::int64_t evicted_up_to_ = INT64_MIN;
};

}  // namespace onvifgw::security
