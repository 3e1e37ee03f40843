#include "security/replay_cache.h"

#include <gtest/gtest.h>

#include <vector>

namespace onvifgw::security {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;
using Outcome = ReplayCache::Outcome;

// Well-spread 128-bit keys from a counter (splitmix64), as SHA-256 would be.
ReplayCache::Key KeyFor(std::uint64_t n) {
  auto mix = [](std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return {mix(n), mix(n ^ 0xabcdefULL)};
}

const Clock::time_point kT0 = Clock::time_point(seconds(1'800'000'000));

TEST(ReplayCache, RemembersUntilExpiry) {
  ReplayCache cache(64);
  EXPECT_EQ(cache.Insert(KeyFor(1), kT0 + seconds(300), kT0), Outcome::kNew);
  EXPECT_EQ(cache.Insert(KeyFor(1), kT0 + seconds(300), kT0 + seconds(299)), Outcome::kSeen);
  EXPECT_EQ(cache.size(kT0 + seconds(299)), 1u);
  // Expired: the slot is free again (the caller refuses such a token as
  // stale by its own clock check).
  EXPECT_EQ(cache.Insert(KeyFor(2), kT0 + seconds(900), kT0 + seconds(300)), Outcome::kNew);
  EXPECT_EQ(cache.size(kT0 + seconds(300)), 1u);
  // Already expired on arrival: nothing to remember.
  EXPECT_EQ(cache.Insert(KeyFor(3), kT0, kT0 + seconds(300)), Outcome::kNew);
  EXPECT_EQ(cache.size(kT0 + seconds(300)), 1u);
}

TEST(ReplayCache, EvictionRaisesTheFloorInsteadOfForgetting) {
  ReplayCache cache(8);  // one set of eight
  for (std::uint64_t i = 0; i < 8; ++i) {
    EXPECT_EQ(cache.Insert(KeyFor(i), kT0 + seconds(300 + i), kT0), Outcome::kNew);
  }
  // A ninth evicts the entry that expires first (key 0)...
  EXPECT_EQ(cache.Insert(KeyFor(8), kT0 + seconds(310), kT0), Outcome::kNew);
  EXPECT_EQ(cache.size(kT0), 8u);
  // ...which is then refused, as is anything else expiring no later.
  EXPECT_EQ(cache.Insert(KeyFor(0), kT0 + seconds(300), kT0), Outcome::kBelowFloor);
  EXPECT_EQ(cache.Insert(KeyFor(99), kT0 + seconds(300), kT0), Outcome::kBelowFloor);
  // The survivors are still remembered; later keys are still welcome.
  EXPECT_EQ(cache.Insert(KeyFor(1), kT0 + seconds(301), kT0), Outcome::kSeen);
  EXPECT_EQ(cache.Insert(KeyFor(100), kT0 + seconds(320), kT0), Outcome::kNew);
}

TEST(ReplayCache, ZeroCapacityRemembersNothing) {
  ReplayCache cache(0);
  EXPECT_EQ(cache.Insert(KeyFor(1), kT0 + seconds(300), kT0), Outcome::kNew);
  EXPECT_EQ(cache.Insert(KeyFor(1), kT0 + seconds(300), kT0), Outcome::kNew);
  EXPECT_EQ(cache.size(kT0), 0u);
}

// The load the benchmark produces: many tokens per second, Created with
// one-second resolution, far more tokens per window than the cache holds.
// No fresh token may be refused, and every replay must be.
TEST(ReplayCache, SustainedLoadAtOneSecondResolutionRefusesNoFreshToken) {
  ReplayCache cache(65536);
  constexpr std::uint64_t kPerSecond = 20000;
  std::uint64_t n = 0;
  std::size_t refused = 0;
  for (int second = 0; second < 20; ++second) {
    const auto now = kT0 + seconds(second);
    for (std::uint64_t i = 0; i < kPerSecond; ++i, ++n) {
      refused += cache.Insert(KeyFor(n), now + seconds(300), now) != Outcome::kNew;
    }
    // Replays of this second's first tokens are refused.
    for (std::uint64_t i = n - kPerSecond; i < n - kPerSecond + 100; ++i) {
      EXPECT_NE(cache.Insert(KeyFor(i), now + seconds(300), now), Outcome::kNew);
    }
  }
  EXPECT_EQ(refused, 0u);
  EXPECT_LE(cache.size(kT0 + seconds(19)), 65536u);
}

// A flood beyond the cache's capacity within one second: some fresh tokens
// are refused, but no token accepted once is ever accepted again.
TEST(ReplayCache, FloodNeverReopensAReplay) {
  ReplayCache cache(1024);
  std::vector<std::uint64_t> accepted;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    if (cache.Insert(KeyFor(i), kT0 + seconds(300), kT0) == Outcome::kNew) accepted.push_back(i);
  }
  EXPECT_GE(accepted.size(), 1024u);
  EXPECT_LT(accepted.size(), 20000u);
  for (std::uint64_t i : accepted) {
    EXPECT_NE(cache.Insert(KeyFor(i), kT0 + seconds(300), kT0 + seconds(1)), Outcome::kNew) << i;
  }
}

}  // namespace
}  // namespace onvifgw::security
