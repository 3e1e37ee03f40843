#pragma once
// The textual network values clients send (Core §8.2): host names (RFC 1123
// §2.1 / RFC 952), IPv4 and IPv6 addresses, checked without exceptions.

#include <string_view>

namespace onvifgw::services::device {

/// A host name or fully qualified domain name: labels of 1..63 letters,
/// digits and '-', not starting or ending with '-', separated by single dots
/// (a trailing dot allowed), at most 253 characters; not all digits and dots
/// (that is an address).
bool IsHostName(std::string_view name);
/// Dotted-quad IPv4 address (inet_pton).
bool IsIpv4Address(std::string_view text);
/// IPv6 address without brackets or zone (inet_pton).
bool IsIpv6Address(std::string_view text);

}  // namespace onvifgw::services::device
