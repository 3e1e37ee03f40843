#pragma once
// POSIX time zone strings (IEEE 1003.1 §8.3, the TZ variable), which ONVIF
// uses for a device's time zone (Core §8.3.9): "CET-1CEST,M3.5.0,M10.5.0/3".
// Parsed strictly (anything else is ter:InvalidTimeZone) and evaluated to
// the offset of local time from UTC at a given instant. Rule times may use
// the RFC 8536 extension (hours -167..167); names may be quoted (<+0330>).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace onvifgw::services::device {

class PosixTimeZone {
 public:
  /// The zone `text` describes, or nullopt when it is not a POSIX TZ string.
  static std::optional<PosixTimeZone> Parse(std::string_view text);

  /// Seconds to add to UTC to get local time at the UTC instant `utc`
  /// (seconds since the epoch). `daylight_savings` false ignores the zone's
  /// daylight saving part (ONVIF's DaylightSavings flag).
  int64_t LocalOffsetAt(int64_t utc, bool daylight_savings) const;

  bool has_dst() const { return has_dst_; }
  /// The zone without its daylight saving part: "CET-1" of "CET-1CEST,...".
  const std::string& standard_part() const { return standard_part_; }

 private:
  // A transition rule: Jn (1..365, Feb 29 never counted), n (0..365), or
  // Mm.w.d (day d of week w of month m; w = 5: the last), at `time` seconds
  // of local time.
  struct Rule {
    enum class Kind { kJulian1, kJulian0, kMonthWeekDay } kind = Kind::kMonthWeekDay;
    int day = 0;  // n for the Julian forms
    int month = 0, week = 0, weekday = 0;
    int64_t time = 2 * 3600;
  };
  // Seconds since the epoch of the rule's transition in `year`, local time.
  static int64_t LocalTransition(const Rule& rule, int64_t year);

  // POSIX offsets are west-positive (UTC = local + offset); kept as such.
  std::string standard_part_;
  int64_t std_offset_ = 0;
  bool has_dst_ = false;
  int64_t dst_offset_ = 0;
  Rule start_, end_;
};

}  // namespace onvifgw::services::device
