#pragma once
// xs:dateTime and xs:duration, as ONVIF messages carry them.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace onvifgw::services {

using Clock = std::chrono::system_clock;

/// "2026-12-01T03:04:05Z" (UTC, whole seconds).
std::string FormatDateTime(Clock::time_point t);

/// xs:dateTime with a "Z" or ±hh:mm zone (none = UTC); fractions allowed.
std::optional<Clock::time_point> ParseDateTime(std::string_view text);

/// xs:duration without years or months ("PT60S", "P1DT2H", "PT0.5S").
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

/// xs:duration in seconds with millisecond precision: "PT1S", "PT0.25S".
std::string FormatDuration(std::chrono::milliseconds d);

/// WS-BaseNotification AbsoluteOrRelativeTimeType: a duration from `now` or a
/// dateTime.
std::optional<Clock::time_point> ParseAbsoluteOrRelative(std::string_view text,
                                                         Clock::time_point now);

}  // namespace onvifgw::services
