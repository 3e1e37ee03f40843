#include "adapters/simulated/clock.h"

namespace onvifgw::simulated {
namespace {

class SystemClocks final : public Clock {
 public:
  std::chrono::system_clock::time_point SystemNow() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::now();
  }
};

}  // namespace

const Clock& RealClock() {
  static const SystemClocks clock;
  return clock;
}

}  // namespace onvifgw::simulated
