#include "services/device/date_time_settings.h"

namespace onvifgw::services::device {
namespace {

using soap::Fault;

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

Fault InvalidDateTime(std::string reason) {
  return soap::InvalidArgVal(std::move(reason), "InvalidDateTime");
}

}  // namespace

std::optional<int64_t> EpochSecondsOf(const CivilTime& t) {
  if (t.year < 1970 || t.year > 9999 || t.month < 1 || t.month > 12 || t.day < 1 ||
      t.day > DaysInMonth(t.year, t.month) || t.hour < 0 || t.hour > 23 || t.minute < 0 ||
      t.minute > 59 || t.second < 0 || t.second > 59) {
    return std::nullopt;
  }
  // Days from civil (proleptic Gregorian), years from 1970 on.
  const int64_t y = t.year - (t.month <= 2 ? 1 : 0);
  const int64_t era = y / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (t.month + (t.month > 2 ? -3 : 9)) + 2) / 5 + t.day - 1;
  const int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  return days * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

CivilTime CivilTimeOf(int64_t epoch_seconds) {
  int64_t days = epoch_seconds / 86400;
  int64_t rest = epoch_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  CivilTime t;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(yoe + era * 400 + (t.month <= 2 ? 1 : 0));
  t.hour = static_cast<int>(rest / 3600);
  t.minute = static_cast<int>(rest % 3600 / 60);
  t.second = static_cast<int>(rest % 60);
  return t;
}

Status<std::string> DateTimeSettings::Load() {
  if (auto st = StoredSetting::Load(); !st) return st;
  ApplyOffset();
  return {};
}

void DateTimeSettings::ApplyOffset() {
  const ClockState s = Current();
  clock_.set_offset(s.ntp() ? Clock::time_point::duration::zero()
                            : std::chrono::duration_cast<Clock::time_point::duration>(
                                  std::chrono::nanoseconds(s.manual_offset_ns())));
}

DateTimeSettings::View DateTimeSettings::Snapshot() const {
  const ClockState s = Current();
  View v;
  v.ntp = s.ntp();
  v.daylight_savings = s.daylight_savings();
  if (!s.posix_tz().empty()) v.time_zone = s.posix_tz();
  v.utc = clock_.Now();
  const auto zone = PosixTimeZone::Parse(v.time_zone);  // stored ones were checked
  const int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(v.utc.time_since_epoch()).count();
  v.local_offset = zone ? zone->LocalOffsetAt(seconds, v.daylight_savings) : 0;
  return v;
}

Status<Fault> DateTimeSettings::Set(const Change& change) {
  if (change.time_zone && !PosixTimeZone::Parse(*change.time_zone)) {
    return MakeUnexpected(soap::InvalidArgVal(
        "Not a POSIX 1003.1 time zone: '" + change.time_zone->substr(0, 64) + "'",
        "InvalidTimeZone"));
  }
  std::optional<int64_t> manual;
  if (change.ntp) {
    if (!change.ntp_servers_defined) {
      return MakeUnexpected(
          soap::InvalidArgVal("No NTP server is defined (SetNTP)", "NtpServerUndefined"));
    }
  } else {
    if (!change.utc) return MakeUnexpected(InvalidDateTime("Manual needs a UTCDateTime"));
    manual = EpochSecondsOf(*change.utc);
    if (!manual) return MakeUnexpected(InvalidDateTime("Not a valid date and time"));
  }
  // The offset is taken against the host's clock as it is now.
  const auto host_now = clock_.Now() - clock_.offset();
  auto st = Update([&](ClockState& s) -> std::optional<Fault> {
    s.set_ntp(change.ntp);
    s.set_daylight_savings(change.daylight_savings);
    if (change.time_zone) s.set_posix_tz(*change.time_zone);
    if (manual) {
      const auto set = Clock::time_point(std::chrono::seconds(*manual));
      s.set_manual_offset_ns(
          std::chrono::duration_cast<std::chrono::nanoseconds>(set - host_now).count());
    }
    return std::nullopt;
  });
  if (!st) return st;
  ApplyOffset();
  return {};
}

}  // namespace onvifgw::services::device
