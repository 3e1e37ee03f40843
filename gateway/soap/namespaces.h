#pragma once
// The XML namespaces the gateway reads and writes, and the prefixes it uses.
// Prefixes are not normative (Core §5.3); every prefix we write is declared on
// the Envelope (INTEROP §1.3).

#include <optional>
#include <string_view>

namespace onvifgw::soap::ns {

inline constexpr std::string_view kSoap12 = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr std::string_view kSoap11 = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view kWsa = "http://www.w3.org/2005/08/addressing";
inline constexpr std::string_view kWsa2004 = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
inline constexpr std::string_view kDiscovery = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
inline constexpr std::string_view kTt = "http://www.onvif.org/ver10/schema";
inline constexpr std::string_view kTds = "http://www.onvif.org/ver10/device/wsdl";
inline constexpr std::string_view kTer = "http://www.onvif.org/ver10/error";
inline constexpr std::string_view kDn = "http://www.onvif.org/ver10/network/wsdl";
inline constexpr std::string_view kTrt = "http://www.onvif.org/ver10/media/wsdl";
inline constexpr std::string_view kTr2 = "http://www.onvif.org/ver20/media/wsdl";
inline constexpr std::string_view kTev = "http://www.onvif.org/ver10/events/wsdl";
inline constexpr std::string_view kTptz = "http://www.onvif.org/ver20/ptz/wsdl";
inline constexpr std::string_view kTimg = "http://www.onvif.org/ver20/imaging/wsdl";
inline constexpr std::string_view kTmd = "http://www.onvif.org/ver10/deviceIO/wsdl";
inline constexpr std::string_view kWsse =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
inline constexpr std::string_view kWsu =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

inline constexpr std::string_view kWsnt = "http://docs.oasis-open.org/wsn/b-2";
inline constexpr std::string_view kWstop = "http://docs.oasis-open.org/wsn/t-1";
inline constexpr std::string_view kTns1 = "http://www.onvif.org/ver10/topics";
inline constexpr std::string_view kXs = "http://www.w3.org/2001/XMLSchema";
inline constexpr std::string_view kWsrfBf = "http://docs.oasis-open.org/wsrf/bf-2";
inline constexpr std::string_view kWsrfR = "http://docs.oasis-open.org/wsrf/r-2";
inline constexpr std::string_view kXmime = "http://www.w3.org/2005/05/xmlmime";
inline constexpr std::string_view kXop = "http://www.w3.org/2004/08/xop/include";

/// URI for one of our prefixes ("tt", "tds", ...), or nullopt if unknown.
/// The generated ONVIF files name their namespace with the same prefixes
/// (a unit test checks every (xml_ns, xml_uri) pair against this table).
std::optional<std::string_view> UriForPrefix(std::string_view prefix);
/// Our prefix for a namespace URI, or nullopt if unknown.
std::optional<std::string_view> PrefixForUri(std::string_view uri);

}  // namespace onvifgw::soap::ns
