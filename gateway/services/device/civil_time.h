#pragma once
// Civil (proleptic Gregorian) dates and times and their conversion to and
// from days or seconds since 1970-01-01, as tt:DateTime and the POSIX time
// zone rules need them. The day arithmetic is the well-known era/day-of-era
// method: exact for every int64 day, no table, no time zone.

#include <cstdint>
#include <optional>

namespace onvifgw::services::device {

/// A civil date and time, as tt:DateTime carries it.
struct CivilTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

bool IsLeapYear(int64_t year);
/// Days of a month (1–12) of a year.
int DaysInMonth(int64_t year, int month);
/// Days since 1970-01-01 of a civil date; negative before it.
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day);
/// The civil date (time of day 00:00:00) of days since 1970-01-01.
CivilTime CivilFromDays(int64_t days);
/// a / b rounded towards negative infinity (b > 0).
int64_t FloorDiv(int64_t a, int64_t b);

/// Seconds since the epoch of a UTC civil time, or nullopt when it is not a
/// real date and time (month 13, February 30, 24:00, a year before 1970 or
/// after 9999).
std::optional<int64_t> EpochSecondsOf(const CivilTime& t);
/// The civil time of seconds since the epoch.
CivilTime CivilTimeOf(int64_t epoch_seconds);

}  // namespace onvifgw::services::device
