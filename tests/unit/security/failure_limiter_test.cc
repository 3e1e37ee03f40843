#include "security/failure_limiter.h"

#include <gtest/gtest.h>

namespace onvifgw::security {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::system_clock;

Clock::time_point T0() { return Clock::time_point(seconds(1'700'000'000)); }

TEST(FailureLimiter, DelaysThenLocksOut) {
  FailureLimiter l;
  const std::string ip = "192.0.2.7";
  auto t = T0();
  for (int i = 0; i < 4; ++i) {
    l.RecordFailure(ip, t);
    const auto d = l.Check(ip, t);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.delay, milliseconds(0)) << i;
  }
  const milliseconds expected[] = {milliseconds(1000), milliseconds(2000), milliseconds(4000),
                                   milliseconds(8000), milliseconds(8000)};
  for (int i = 0; i < 5; ++i) {  // failures 5..9
    l.RecordFailure(ip, t);
    const auto d = l.Check(ip, t);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.delay, expected[i]) << i;
  }
  l.RecordFailure(ip, t);  // 10th
  auto d = l.Check(ip, t + seconds(10));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.locked_until, t + seconds(300));
  // Other addresses are unaffected.
  EXPECT_TRUE(l.Check("192.0.2.8", t).allowed);
  // After the lockout a clean record.
  d = l.Check(ip, t + seconds(300));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.delay, milliseconds(0));
}

TEST(FailureLimiter, SlidingWindowForgetsOldFailures) {
  FailureLimiter l;
  for (int i = 0; i < 9; ++i) l.RecordFailure("h", T0() + seconds(i * 10));  // spread over 80 s
  const auto d = l.Check("h", T0() + seconds(85));
  EXPECT_TRUE(d.allowed);
  // Failures at 30..80 are within 60 s of 85: 6 of them -> second delay step.
  EXPECT_EQ(d.delay, milliseconds(2000));
}

TEST(FailureLimiter, SuccessResets) {
  FailureLimiter l;
  for (int i = 0; i < 7; ++i) l.RecordFailure("10.0.0.1", T0());
  EXPECT_GT(l.Check("10.0.0.1", T0()).delay, milliseconds(0));
  l.RecordSuccess("10.0.0.1");
  EXPECT_EQ(l.Check("10.0.0.1", T0()).delay, milliseconds(0));
  EXPECT_EQ(l.tracked_addresses(), 0u);
}

TEST(FailureLimiter, AddressNormalisation) {
  EXPECT_EQ(FailureLimiter::KeyFor("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(FailureLimiter::KeyFor("2001:db8:1:2:aaaa::1"),
            FailureLimiter::KeyFor("2001:db8:1:2::ffff"));
  EXPECT_NE(FailureLimiter::KeyFor("2001:db8:1:2::1"), FailureLimiter::KeyFor("2001:db8:1:3::1"));
  EXPECT_EQ(FailureLimiter::KeyFor("not-an-ip"), "not-an-ip");
  FailureLimiter l;
  for (int i = 0; i < 10; ++i)
    l.RecordFailure(boost::asio::ip::make_address("::ffff:192.0.2.1"), T0());
  EXPECT_FALSE(l.Check("192.0.2.1", T0()).allowed);
  EXPECT_FALSE(l.Check(boost::asio::ip::make_address("192.0.2.1"), T0()).allowed);
}

TEST(FailureLimiter, BoundedMemory) {
  FailureLimiter::Options o;
  o.max_tracked_addresses = 16;
  FailureLimiter l(o);
  for (int i = 0; i < 1000; ++i)
    l.RecordFailure("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), T0());
  EXPECT_EQ(l.tracked_addresses(), 16u);
}

TEST(FailureLimiter, WarningThreshold) {
  FailureLimiter l;
  for (int i = 0; i < 6; ++i) l.RecordFailure("10.0.0." + std::to_string(i), T0() + seconds(i));
  EXPECT_EQ(l.FailuresWithin(seconds(60), T0() + seconds(5)), 6u);
  EXPECT_EQ(l.FailuresWithin(seconds(3), T0() + seconds(5)), 3u);
  EXPECT_TRUE(l.ExceedsWarningThreshold(seconds(60), 5, T0() + seconds(5)));
  EXPECT_FALSE(l.ExceedsWarningThreshold(seconds(60), 6, T0() + seconds(5)));
  EXPECT_FALSE(l.ExceedsWarningThreshold(seconds(60), 5, T0() + seconds(100)));
}

}  // namespace
}  // namespace onvifgw::security
