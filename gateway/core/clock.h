#pragma once
// The wall clock as a seam: production code asks a Clock for the time and
// waits on it; tests use ManualClock and move time forward themselves, so
// nothing in a test depends on how fast the machine is.
//
// Thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

namespace onvifgw {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;

  virtual time_point Now() const = 0;
  /// Blocks on `cv` (with `lock` held on entry and exit) until it is
  /// notified or this clock reaches `deadline`; spurious returns allowed.
  virtual void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                         time_point deadline) const = 0;
};

/// std::chrono::system_clock.
class SystemClock final : public Clock {
 public:
  static const SystemClock& Instance();
  time_point Now() const override { return std::chrono::system_clock::now(); }
  void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 time_point deadline) const override {
    cv.wait_until(lock, deadline);
  }
};

/// std::chrono::steady_clock behind the same seam, for intervals that a step
/// of the wall clock must not stretch or cut (its time points count from
/// the steady clock's epoch: compare them with each other only).
class MonotonicClock final : public Clock {
 public:
  static const MonotonicClock& Instance();
  time_point Now() const override {
    return time_point(std::chrono::duration_cast<time_point::duration>(
        std::chrono::steady_clock::now().time_since_epoch()));
  }
  void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 time_point deadline) const override {
    cv.wait_until(lock, std::chrono::steady_clock::time_point(
                            std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                deadline.time_since_epoch())));
  }
};

/// A clock that stands still until Advance(); waiters wake when it moves.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(time_point start = time_point(std::chrono::seconds(1'800'000'000)))
      : now_(start) {}

  time_point Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }

  void Advance(std::chrono::nanoseconds d) {
    std::vector<std::pair<std::mutex*, std::condition_variable*>> waiters;
    {
      std::lock_guard lock(mu_);
      now_ += std::chrono::duration_cast<time_point::duration>(d);
      waiters = waiters_;
    }
    // Taking the waiter's own mutex before notifying means a waiter that has
    // checked the time but not yet blocked cannot miss the wake-up.
    for (auto [m, cv] : waiters) {
      std::lock_guard waiter_lock(*m);
      cv->notify_all();
    }
  }

  void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 time_point deadline) const override {
    {
      std::lock_guard g(mu_);
      if (now_ >= deadline) return;
      waiters_.emplace_back(lock.mutex(), &cv);
    }
    cv.wait(lock);
    std::lock_guard g(mu_);
    std::erase(waiters_, std::pair{lock.mutex(), &cv});
  }

 private:
  mutable std::mutex mu_;
  time_point now_;
  mutable std::vector<std::pair<std::mutex*, std::condition_variable*>> waiters_;
};

/// Another clock moved by a settable offset: a virtual device's clock after
/// a client set its date and time by hand, over the gateway's own.
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(const Clock& base) : base_(base) {}

  time_point Now() const override { return base_.Now() + offset(); }
  void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 time_point deadline) const override {
    base_.WaitUntil(lock, cv, deadline - offset());
  }

  time_point::duration offset() const { return time_point::duration(offset_.load()); }
  void set_offset(time_point::duration d) { offset_.store(d.count()); }

 private:
  const Clock& base_;
  std::atomic<time_point::duration::rep> offset_{0};
};

}  // namespace onvifgw
