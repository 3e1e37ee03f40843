#pragma once
// The media relay as the services see it, without GStreamer: a port that
// moves unless the new one is "in use".

#include <cstdint>
#include <set>
#include <string>

#include "services/virtual_device.h"

namespace onvifgw::testing {

class FakeRtspEndpoint : public services::RtspEndpoint {
 public:
  explicit FakeRtspEndpoint(uint16_t port) : port_(port) {}
  uint16_t port() const override { return port_; }
  Status<std::string> MoveTo(uint16_t port) override {
    if (in_use.count(port) != 0) return MakeUnexpected("port " + std::to_string(port) + " in use");
    port_ = port;
    return {};
  }
  std::set<uint16_t> in_use;

 private:
  uint16_t port_;
};

}  // namespace onvifgw::testing
