#pragma once
// A bounded memory of recently seen token identities (WS-Security
// UsernameToken replay detection), sized once and never allocating after.
//
// It is a set-associative table: a key's hash picks a set of up to 64 slots;
// an expired slot is free. When a key's set is full of live entries, the one
// that expires first is evicted and the set's floor rises to its expiry:
// from then on a key of that set expiring at or before the floor is refused
// (kBelowFloor), since it might be a replay the cache no longer remembers.
// So eviction only ever shortens the effective window under a flood; it
// never re-opens a replay. Sets are wide so that a set's oldest entry is
// seconds old even when the cache holds only a few seconds of traffic:
// clients' Created has one-second resolution, and a floor inside the current
// second would refuse fresh tokens. Sets are guarded by striped locks, so
// threads verifying tokens for one device rarely wait for each other.

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace onvifgw::security {

class ReplayCache {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  /// 128 bits of a cryptographic hash of the token's identity.
  struct Key {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
  };

  enum class Outcome {
    kNew,         ///< not seen before; now remembered
    kSeen,        ///< remembered: a replay
    kBelowFloor,  ///< not remembered, but expires at or before the floor
  };

  /// Holds at least `capacity` entries (rounded up to a power of two); 0
  /// remembers nothing. Memory: 24 bytes a slot, touched only as used.
  explicit ReplayCache(std::size_t capacity);

  /// Looks `key` up and, if it is new, remembers it until `expires`
  /// (nothing to remember if `expires <= now`).
  Outcome Insert(const Key& key, TimePoint expires, TimePoint now);

  /// Entries live at `now` (for tests and metrics; O(capacity)).
  std::size_t size(TimePoint now) const;

 private:
  struct Slot {
    std::uint64_t hi;
    std::uint64_t lo;
    std::int64_t expires;  ///< system_clock ticks; <= now means free
  };
  struct FreeSlots {
    void operator()(Slot* s) const { std::free(s); }
  };
  static constexpr std::size_t kMaxWays = 64;
  static constexpr std::size_t kMaxStripes = 64;

  std::size_t ways_ = 0;
  std::size_t set_mask_ = 0;  // sets - 1 (a power of two)
  std::unique_ptr<Slot[], FreeSlots> slots_;
  std::unique_ptr<std::mutex[]> stripes_;
  std::size_t stripe_mask_ = 0;
  /// Per set: entries expiring at or before this were evicted while live.
  std::unique_ptr<std::int64_t[]> floors_;
};

}  // namespace onvifgw::security
