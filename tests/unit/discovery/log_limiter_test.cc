#include "discovery/log_limiter.h"

#include <gtest/gtest.h>

namespace onvifgw::discovery {
namespace {

TEST(LogLimiter, AllowsABurstPerWindowAndCountsTheRest) {
  LogLimiter limiter(3, std::chrono::seconds(10));
  const auto t0 = LogLimiter::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_TRUE(limiter.Allow(t0));
  EXPECT_TRUE(limiter.Allow(t0));
  EXPECT_TRUE(limiter.Allow(t0 + std::chrono::seconds(1)));
  EXPECT_FALSE(limiter.Allow(t0 + std::chrono::seconds(2)));
  EXPECT_FALSE(limiter.Allow(t0 + std::chrono::seconds(9)));
  EXPECT_TRUE(limiter.Allow(t0 + std::chrono::seconds(10)));
  EXPECT_EQ(limiter.TakeSuppressed(), 2u);
  EXPECT_EQ(limiter.TakeSuppressed(), 0u);
}

}  // namespace
}  // namespace onvifgw::discovery
