#pragma once
// WS-Security UsernameToken (OASIS WSS UsernameToken Profile 1.0/1.1, ONVIF
// Core §5.9.5): reading the token from a SOAP header, the PasswordDigest
// formula, and a verifier with a freshness window and a replay cache.
//
// Parsing is namespace-agnostic where real clients differ (INTEROP §2.12):
// `Security` must be in the WSS secext 1.0 or 1.1 namespace, whatever its
// prefix (or a default namespace); its `Username`, `Password`, `Nonce`
// children may be in secext 1.0/1.1 or in no namespace; `Created` in wsu,
// secext 1.0/1.1 or no namespace. `mustUnderstand`, `wsu:Id`, `EncodingType`
// (Base64Binary) and sibling elements such as `wsu:Timestamp` are tolerated.

#include <libxml/tree.h>

#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.h"
#include "security/replay_cache.h"

namespace onvifgw::security {

/// WSS secext 1.1 namespace (1.0 is soap::ns::kWsse).
inline constexpr std::string_view kWsse11 =
    "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd";
inline constexpr std::string_view kPasswordDigestUri =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordDigest";
inline constexpr std::string_view kPasswordTextUri =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordText";

/// A parsed token. `password` is the digest (base64) or the clear text; it is
/// a secret either way: never log it.
struct UsernameToken {
  enum class PasswordType { kDigest, kText };
  std::string username;
  std::string password;
  PasswordType type = PasswordType::kText;
  std::string nonce_base64;  ///< as sent; empty when absent (validated base64)
  std::string created;       ///< exact characters as sent; empty when absent
};

/// Finds the UsernameToken in a SOAP Header element (may be nullptr).
///
/// Returns nullopt when there is no Security header block or it holds no
/// UsernameToken; an error (safe to show the peer, never containing secrets)
/// for a malformed token: more than one UsernameToken, missing or empty
/// Username, missing Password, unknown Password Type, Nonce that is not valid
/// base64 or has a non-Base64Binary EncodingType, duplicated children, a
/// PasswordDigest without Nonce or Created (ONVIF requires both), or a field
/// longer than 1 KiB. A missing Type attribute means PasswordText (OASIS).
/// Thread-safe (reads the tree only).
Expected<std::optional<UsernameToken>, std::string> ParseUsernameToken(const xmlNode* soap_header);

/// Base64(SHA-1(nonce_bytes ‖ created ‖ password)); `nonce_bytes` is the
/// base64-decoded Nonce, `created` the Created text exactly as sent.
std::string ComputePasswordDigest(std::string_view nonce_bytes, std::string_view created,
                                  std::string_view password);

/// Whether the token's password (digest or clear text) is `password`. Pure:
/// no freshness or replay check; for trying an alternative password (the
/// derived one) once UsernameTokenVerifier::Verify has judged the token
/// fresh and new but kBadCredentials. Constant-time compare.
bool TokenPasswordMatches(const UsernameToken& token, std::string_view password);

enum class TokenCheck { kOk, kBadCredentials, kStale, kReplay, kMalformed };

/// Checks tokens against a password, a freshness window and a replay cache.
///
/// Thread-safe: the replay cache locks one stripe of itself per token; the
/// cryptography runs outside any lock.
class UsernameTokenVerifier {
 public:
  struct Options {
    /// Created must lie within now ± window (OASIS guideline: 5 minutes).
    std::chrono::seconds window{300};
    /// Size of the replay cache (24 bytes an entry, see ReplayCache);
    /// expired entries are reused first; when a token's set of slots is
    /// full, the entry there that expires first is evicted, and from then
    /// on a token created at or before the evicted one is refused as stale,
    /// so eviction never re-opens a replay. Only a flood of tokens near
    /// this many within the window makes the effective window shorter.
    std::size_t max_remembered_nonces = 65536;
  };

  explicit UsernameTokenVerifier(Options options);
  UsernameTokenVerifier() : UsernameTokenVerifier(Options{}) {}

  /// Order of checks: kMalformed (no Nonce or no Created — ONVIF §5.9.5
  /// requires both for either password type —, Created not an xs:dateTime,
  /// Nonce not base64); kReplay ((username, nonce, created) already seen
  /// while it could still be fresh); kStale (Created outside now ± window);
  /// kBadCredentials (password or digest differs, constant-time compare).
  /// Every token with a parseable Created is remembered whether or not it
  /// verifies, so a captured request cannot be replayed, and a future-dated
  /// token cannot be replayed once it becomes fresh. A token is forgotten
  /// when Created + window has passed (it would be stale by then).
  TokenCheck Verify(const UsernameToken& token, std::string_view expected_password,
                    std::chrono::system_clock::time_point now);

  /// Entries the replay cache holds at `now` (for tests and metrics).
  std::size_t remembered(std::chrono::system_clock::time_point now) const;

 private:
  const Options options_;
  ReplayCache seen_;
};

}  // namespace onvifgw::security
