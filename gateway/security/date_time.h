#pragma once
// xs:dateTime parsing for wsu:Created (XML Schema 1.0 §3.2.7).
//
// Accepted: `YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh:mm]` with a four-digit year
// in 1900-2200 (so the result and `result ± window` always fit
// std::chrono::system_clock's 64-bit nanosecond range), valid calendar dates, hours 00-23, seconds
// 00-59, any number of fraction digits (up to 18, microsecond precision kept) and offsets up to
// ±14:00. A value without a zone is taken as UTC (what ONVIF clients mean).
// Pure function; thread-safe.

#include <chrono>
#include <optional>
#include <string_view>

namespace onvifgw::security {

std::optional<std::chrono::system_clock::time_point> ParseXsDateTime(std::string_view text);

}  // namespace onvifgw::security
