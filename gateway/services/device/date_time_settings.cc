#include "services/device/date_time_settings.h"

namespace onvifgw::services::device {
namespace {

using soap::Fault;

Fault InvalidDateTime(std::string reason) {
  return soap::InvalidArgVal(std::move(reason), "InvalidDateTime");
}

}  // namespace

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
