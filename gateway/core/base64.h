#pragma once
// Base64 (RFC 4648 §4) and base64url (§5) for credentials and nonces.
//
// Decoding is strict: only the alphabet, no whitespace, and for standard
// base64 the input length must be a multiple of 4 with correct '=' padding.
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace onvifgw {

/// Standard alphabet with '=' padding.
std::string Base64Encode(std::string_view bytes);
/// Strict decode of Base64Encode's output; nullopt on any deviation.
std::optional<std::string> Base64Decode(std::string_view text);

/// URL-safe alphabet ('-', '_'), no padding.
std::string Base64UrlEncode(std::string_view bytes);
/// Strict decode of Base64UrlEncode's output (no padding accepted).
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace onvifgw
