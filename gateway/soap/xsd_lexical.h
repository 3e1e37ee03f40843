#pragma once
// Lexical checks and conversions for the XSD simple types the ONVIF schemas
// use (XML Schema Part 2). The codec runs them on every decoded value whose
// field names an (xsd_type); handlers then only see well-formed values.
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace onvifgw::soap::xsd {

/// PnYnMnDTnHnMnS (at least one part, T only with a time part).
bool IsDuration(std::string_view s);
/// YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?
bool IsDateTime(std::string_view s);
bool IsDate(std::string_view s);
bool IsTime(std::string_view s);
/// NCName: a name without a colon (ASCII subset checked, non-ASCII accepted).
bool IsNCName(std::string_view s);
/// NCName or prefix:NCName.
bool IsQName(std::string_view s);
/// No whitespace or control characters (RFC 3986 reference, leniently).
bool IsAnyUri(std::string_view s);
/// [+-]?digits(.digits)? with at least one digit.
bool IsDecimal(std::string_view s);
/// xs:float/xs:double lexical forms, INF, -INF and NaN included.
std::optional<double> ParseDouble(std::string_view s);

/// xs:base64Binary: whitespace between groups allowed (it is collapsed).
std::optional<std::string> Base64BinaryDecode(std::string_view s);

/// Number of characters (Unicode code points) of UTF-8 text.
std::size_t CharacterCount(std::string_view utf8);

}  // namespace onvifgw::soap::xsd
