#include "core/clock.h"

namespace onvifgw {

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

const MonotonicClock& MonotonicClock::Instance() {
  static const MonotonicClock clock;
  return clock;
}

}  // namespace onvifgw
