#include "security/failure_limiter.h"

#include <algorithm>

namespace onvifgw::security {

FailureLimiter::FailureLimiter(Options options) : options_(options) {}

std::string FailureLimiter::KeyFor(const boost::asio::ip::address& address) {
  if (address.is_v6()) {
    const boost::asio::ip::address_v6 v6 = address.to_v6();
    if (v6.is_v4_mapped()) {
      return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
    }
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
  }
  return address.to_string();
}

std::string FailureLimiter::KeyFor(std::string_view address) {
  boost::system::error_code ec;
  const auto parsed = boost::asio::ip::make_address(std::string(address), ec);
  return ec ? std::string(address) : KeyFor(parsed);
}

FailureLimiter::Decision FailureLimiter::Check(std::string_view address, TimePoint now) {
  // Fast path for the common case (no address has failed): no lock, no parse.
  if (tracked_.load(std::memory_order_relaxed) == 0) return {};
  return CheckKey(KeyFor(address), now);
}
FailureLimiter::Decision FailureLimiter::Check(const boost::asio::ip::address& address,
                                               TimePoint now) {
  return CheckKey(KeyFor(address), now);
}
void FailureLimiter::RecordFailure(std::string_view address, TimePoint now) {
  FailureKey(KeyFor(address), now);
}
void FailureLimiter::RecordFailure(const boost::asio::ip::address& address, TimePoint now) {
  FailureKey(KeyFor(address), now);
}
void FailureLimiter::RecordSuccess(std::string_view address) {
  if (tracked_.load(std::memory_order_relaxed) == 0) return;
  SuccessKey(KeyFor(address));
}
void FailureLimiter::RecordSuccess(const boost::asio::ip::address& address) {
  SuccessKey(KeyFor(address));
}

FailureLimiter::Decision FailureLimiter::CheckKey(const std::string& key, TimePoint now) {
  std::lock_guard lock(mu_);
  auto it = records_.find(key);
  if (it == records_.end()) return {};
  Record& r = it->second;
  if (now < r.locked_until) return {false, options_.max_delay, r.locked_until};
  while (!r.failures.empty() && r.failures.front() <= now - options_.window) {
    r.failures.pop_front();
  }
  const std::size_t n = r.failures.size();
  Decision d;
  if (n >= options_.delay_after) {
    const std::size_t steps = std::min<std::size_t>(n - options_.delay_after, 30);
    d.delay = std::min(options_.max_delay, options_.base_delay * (std::int64_t{1} << steps));
  }
  return d;
}

void FailureLimiter::FailureKey(const std::string& key, TimePoint now) {
  std::lock_guard lock(mu_);
  all_failures_.push_back(now);
  while (all_failures_.size() > options_.max_warning_events ||
         (!all_failures_.empty() && all_failures_.front() <= now - options_.max_monitor_period)) {
    all_failures_.pop_front();
  }

  auto it = records_.find(key);
  if (it == records_.end()) {
    while (!records_.empty() && records_.size() >= options_.max_tracked_addresses) {
      records_.erase(lru_.back());
      lru_.pop_back();
    }
    if (options_.max_tracked_addresses == 0) return;
    lru_.push_front(key);
    it = records_.emplace(key, Record{{}, {}, lru_.begin()}).first;
    tracked_.store(records_.size(), std::memory_order_relaxed);
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Record& r = it->second;
  if (now < r.locked_until) return;  // already locked: the lockout is not extended
  while (!r.failures.empty() && r.failures.front() <= now - options_.window) {
    r.failures.pop_front();
  }
  r.failures.push_back(now);
  if (r.failures.size() >= options_.lockout_after) {
    r.failures.clear();
    r.locked_until = now + options_.lockout;
  }
}

void FailureLimiter::SuccessKey(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = records_.find(key);
  if (it == records_.end()) return;
  lru_.erase(it->second.lru);
  records_.erase(it);
  tracked_.store(records_.size(), std::memory_order_relaxed);
}

std::size_t FailureLimiter::FailuresWithin(std::chrono::seconds period, TimePoint now) const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(
      std::count_if(all_failures_.begin(), all_failures_.end(),
                    [&](TimePoint t) { return t > now - period && t <= now; }));
}

bool FailureLimiter::ExceedsWarningThreshold(std::chrono::seconds period, std::size_t max_failures,
                                             TimePoint now) const {
  return FailuresWithin(period, now) > max_failures;
}

std::size_t FailureLimiter::tracked_addresses() const {
  std::lock_guard lock(mu_);
  return records_.size();
}

}  // namespace onvifgw::security
