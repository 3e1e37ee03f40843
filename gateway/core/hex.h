#pragma once
// Hexadecimal text <-> bytes (digests in HTTP Digest, xs:hexBinary).
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace onvifgw {

enum class HexCase { kLower, kUpper };

std::string HexEncode(std::string_view bytes, HexCase letters = HexCase::kLower);
/// Either case accepted; nullopt for an odd length or a non-hex digit.
std::optional<std::string> HexDecode(std::string_view text);

}  // namespace onvifgw
