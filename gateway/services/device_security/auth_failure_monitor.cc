#include "services/device_security/auth_failure_monitor.h"

#include <algorithm>

#include "onvif/generated/tds.pb.h"
#include "services/device_security/stored_form.h"

namespace onvifgw::services {

Expected<AuthFailureWarning, std::string> AuthFailureMonitor::Decode(
    const std::optional<std::string>& stored) {
  if (!stored) return AuthFailureWarning{};
  onvif::tds::SetAuthFailureWarningConfiguration w;
  if (!RestoreStored(*stored, &w)) {
    return MakeUnexpected(std::string("stored authentication failure warning is unreadable"));
  }
  return AuthFailureWarning{w.enabled(), w.monitorperiod(), w.maxauthfailures()};
}

std::string AuthFailureMonitor::Encode(const AuthFailureWarning& w) {
  onvif::tds::SetAuthFailureWarningConfiguration p;
  p.set_enabled(w.enabled);
  p.set_monitorperiod(w.monitor_period_s);
  p.set_maxauthfailures(w.max_failures);
  return StoredForm(p);
}

bool AuthFailureMonitor::Record(std::chrono::system_clock::time_point now) {
  const auto period = std::chrono::seconds(std::max(warning_.monitor_period_s, 1));
  failures_.push_back(now);
  while (!failures_.empty() &&
         (failures_.front() <= now - period || failures_.size() > kMaxRemembered)) {
    failures_.pop_front();
  }
  if (!warning_.enabled || failures_.size() <= static_cast<std::size_t>(warning_.max_failures)) {
    return false;
  }
  if (now - last_warning_ < period) return false;  // once per period
  last_warning_ = now;
  return true;
}

void AuthFailureMonitor::Reset() {
  failures_.clear();
  last_warning_ = {};
}

}  // namespace onvifgw::services
