#pragma once
// The authentication failure warning (SetAuthFailureWarningConfiguration):
// failed logins counted over MonitorPeriod; more than MaxAuthFailures raises
// the warning, at most once a period. Its configuration is stored as the
// schema's XML; the count lives in memory only. A value type.

#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include "core/expected.h"

namespace onvifgw::services {

struct AuthFailureWarning {
  bool enabled = false;
  int monitor_period_s = 60;
  int max_failures = 5;
};

class AuthFailureMonitor {
 public:
  static constexpr const char* kKey = "auth_failure_warning";
  /// At most this many failures are remembered, whatever the period.
  static constexpr std::size_t kMaxRemembered = 100000;

  static Expected<AuthFailureWarning, std::string> Decode(const std::optional<std::string>& stored);
  static std::string Encode(const AuthFailureWarning& w);

  const AuthFailureWarning& warning() const { return warning_; }
  void Configure(const AuthFailureWarning& w) { warning_ = w; }

  /// Records one failure at `now`; true when it takes the count within the
  /// period above the maximum (and the warning is enabled) for the first
  /// time in that period.
  bool Record(std::chrono::system_clock::time_point now);
  /// Forgets the failures counted (a reload).
  void Reset();

 private:
  AuthFailureWarning warning_;
  std::deque<std::chrono::system_clock::time_point> failures_;
  std::chrono::system_clock::time_point last_warning_{};
};

}  // namespace onvifgw::services
