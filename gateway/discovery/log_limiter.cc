#include "discovery/log_limiter.h"

namespace onvifgw::discovery {

bool LogLimiter::Allow(Clock::time_point now) {
  if (!started_ || now - window_start_ >= window_) {
    started_ = true;
    window_start_ = now;
    used_ = 0;
  }
  if (used_ < burst_) {
    ++used_;
    return true;
  }
  ++suppressed_;
  return false;
}

uint64_t LogLimiter::TakeSuppressed() {
  uint64_t n = suppressed_;
  suppressed_ = 0;
  return n;
}

}  // namespace onvifgw::discovery
