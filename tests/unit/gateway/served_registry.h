#pragma once
// The gateway's services, registered once per test program (ServeAll), for
// tests that drive a SoapEndpoint without sockets.

#include <gtest/gtest.h>

#include "services/served_services.h"
#include "services/service_registry.h"

namespace onvifgw::testing {

inline const services::ServiceRegistry& ServedRegistry() {
  static services::ServiceRegistry* registry = [] {
    auto* r = new services::ServiceRegistry;  // lives as long as the program
    auto st = services::ServeAll(*r);
    EXPECT_TRUE(st.ok()) << (st ? "" : st.error());
    return r;
  }();
  return *registry;
}

}  // namespace onvifgw::testing
