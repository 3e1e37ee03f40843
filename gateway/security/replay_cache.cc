#include "security/replay_cache.h"

#include <algorithm>
#include <bit>
#include <new>

namespace onvifgw::security {
namespace {

std::int64_t Ticks(ReplayCache::TimePoint t) { return t.time_since_epoch().count(); }

}  // namespace

ReplayCache::ReplayCache(std::size_t capacity) {
  if (capacity == 0) return;
  const std::size_t slots = std::bit_ceil(capacity);
  ways_ = std::min(kMaxWays, slots);
  const std::size_t sets = slots / ways_;
  set_mask_ = sets - 1;
  // calloc: zeroed (every slot free) without touching the pages up front.
  slots_.reset(static_cast<Slot*>(std::calloc(slots, sizeof(Slot))));
  if (!slots_) throw std::bad_alloc();
  floors_ = std::make_unique<std::int64_t[]>(sets);
  std::fill_n(floors_.get(), sets, INT64_MIN);
  const std::size_t stripes = std::min(kMaxStripes, sets);
  stripes_ = std::make_unique<std::mutex[]>(stripes);
  stripe_mask_ = stripes - 1;
}

ReplayCache::Outcome ReplayCache::Insert(const Key& key, TimePoint expires, TimePoint now) {
  const std::int64_t now_ticks = Ticks(now);
  const std::int64_t exp_ticks = Ticks(expires);
  if (!slots_) return Outcome::kNew;

  const std::size_t set = static_cast<std::size_t>(key.hi) & set_mask_;
  Slot* first = slots_.get() + set * ways_;
  std::lock_guard lock(stripes_[set & stripe_mask_]);
  Slot* free_slot = nullptr;
  Slot* victim = nullptr;  // the live entry that expires first
  for (Slot* s = first; s != first + ways_; ++s) {
    if (s->expires <= now_ticks) {
      if (free_slot == nullptr) free_slot = s;
    } else if (s->hi == key.hi && s->lo == key.lo) {
      return Outcome::kSeen;
    } else if (victim == nullptr || s->expires < victim->expires) {
      victim = s;
    }
  }
  std::int64_t& floor = floors_[set];
  if (exp_ticks <= floor) return Outcome::kBelowFloor;
  if (exp_ticks <= now_ticks) return Outcome::kNew;  // never fresh again
  Slot* target = free_slot;
  if (target == nullptr) {
    floor = std::max(floor, victim->expires);
    target = victim;
  }
  *target = Slot{key.hi, key.lo, exp_ticks};
  return Outcome::kNew;
}

std::size_t ReplayCache::size(TimePoint now_point) const {
  if (!slots_) return 0;
  const std::int64_t now = Ticks(now_point);
  std::size_t n = 0;
  for (std::size_t set = 0; set <= set_mask_; ++set) {
    std::lock_guard lock(stripes_[set & stripe_mask_]);
    const Slot* first = slots_.get() + set * ways_;
    n += static_cast<std::size_t>(
        std::count_if(first, first + ways_, [now](const Slot& s) { return s.expires > now; }));
  }
  return n;
}

}  // namespace onvifgw::security
