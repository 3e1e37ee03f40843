#pragma once
// A virtual device's date and time (Core §8.3.9–10): the clock mode (Manual
// or NTP), the POSIX time zone and the daylight saving flag, and the device's
// clock itself, which is the gateway host's clock moved by the offset a
// client set by hand (Manual), or the host's clock unchanged (NTP: the
// appliance keeps its own clock synchronised). Persisted per device
// (StoredSetting, key "clock").
//
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "services/device/civil_time.h"
#include "services/device/posix_time_zone.h"
#include "services/device/stored_setting.h"
#include "store/v1/clock_state.pb.h"

namespace onvifgw::services::device {

using ClockState = ::onvifgw::store::v1::ClockState;

/// The time zone a device reports before a client sets one.
inline constexpr const char* kDefaultTimeZone = "UTC0";

class DateTimeSettings : public StoredSetting<ClockState> {
 public:
  DateTimeSettings(std::string device_id, store::StateStore* store,
                   const ::onvifgw::Clock& host = ::onvifgw::SystemClock::Instance())
      : StoredSetting(std::move(device_id), "clock", store), clock_(host) {}

  /// Reads the stored settings and sets the device's clock from them.
  Status<std::string> Load();

  /// The device's clock (UsernameToken Created is checked against it).
  const ::onvifgw::Clock& clock() const { return clock_; }

  struct View {
    bool ntp = false;
    bool daylight_savings = false;
    std::string time_zone = kDefaultTimeZone;
    ::onvifgw::Clock::time_point utc;
    /// Local time minus UTC at `utc`, in seconds.
    int64_t local_offset = 0;
  };
  View Snapshot() const;

  /// SetSystemDateAndTime, validated: a time zone that is not POSIX is
  /// ter:InvalidTimeZone; Manual without a real UTCDateTime is
  /// ter:InvalidDateTime; NTP without NTP servers (`ntp_servers_defined`)
  /// is ter:NtpServerUndefined. Nothing changes on a fault.
  struct Change {
    bool ntp = false;
    bool daylight_savings = false;
    std::optional<std::string> time_zone;  ///< nullopt: keep the current one
    std::optional<CivilTime> utc;          ///< Manual: required
    bool ntp_servers_defined = false;
  };
  Status<soap::Fault> Set(const Change& change);

 private:
  void ApplyOffset();

  ::onvifgw::OffsetClock clock_;
};

}  // namespace onvifgw::services::device
