#pragma once
// The shape the simulated camera's files share (firmware images,
// configuration files): a magic first line, "name: value" header lines, and
// a SHA-256 of everything before it in the last 32 bytes, so that a cut or
// altered file is refused as a real camera refuses one.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace onvifgw::simulated {

/// The 32-byte SHA-256 of `data`.
std::string Sha256(std::string_view data);

/// `body` followed by its SHA-256.
std::string Signed(std::string body);

/// The part of `file` before its checksum, or nullopt when `file` does not
/// begin with `magic` or its checksum does not match.
std::optional<std::string_view> SignedBody(std::string_view file, std::string_view magic);

/// The value of the header line "<name>: <value>\n" at `pos` of `text`, moving
/// `pos` past it; nullopt (and `pos` unchanged) when the line is not there.
std::optional<std::string_view> HeaderLine(std::string_view text, std::size_t& pos,
                                           std::string_view name);

}  // namespace onvifgw::simulated
