#pragma once
// The ContinuousMove timeout, kept by the gateway: a camera behind an
// adapter (a Pelco-D dome above all) moves until it is told to stop, so the
// gateway sends the stop itself when a move's timeout runs out. One timer
// per PTZ head.
//
// Commands to one head travel as separate calls and may overtake each other,
// so a pending stop is only dropped once a later command has taken effect:
// every Arm starts a new generation of the head, and CancelIfCurrent drops
// the pending stop only if nothing was armed since the generation the
// command saw when it was sent. A failed move keeps its stop (a stop too
// many is harmless; a missing one leaves a dome turning).
//
// Thread-safe. The stops run on the timers' own thread, outside its lock.
// Runs on a monotonic clock: a step of the wall clock must not stretch a
// move.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"

namespace onvifgw::services::ptz {

class PtzMoveTimers {
 public:
  /// What runs when a move's time is up: sends the stop and calls
  /// `finished` once the adapter has answered (StopAllNow waits for it).
  using Stop = std::function<void(std::function<void()> finished)>;

  explicit PtzMoveTimers(const ::onvifgw::Clock& clock = ::onvifgw::MonotonicClock::Instance());
  /// Shutdown(), if it was not called.
  ~PtzMoveTimers();
  PtzMoveTimers(const PtzMoveTimers&) = delete;
  PtzMoveTimers& operator=(const PtzMoveTimers&) = delete;

  /// Runs `stop` once `after` has passed, replacing the head's pending
  /// stop. Returns the head's new generation.
  std::uint64_t Arm(const std::string& head, std::chrono::milliseconds after, Stop stop);
  /// The head's generation now (0: never armed).
  std::uint64_t Generation(const std::string& head) const;
  /// Drops the head's pending stop if it was armed at `generation` or
  /// before (a command sent then has taken effect since).
  void CancelIfCurrent(const std::string& head, std::uint64_t generation);

  /// Runs every pending stop now and waits up to `limit` for the adapters'
  /// answers (the gateway stopping: no dome is left turning), then stops
  /// the thread. Later Arms are kept but never run.
  void Shutdown(std::chrono::milliseconds limit = std::chrono::milliseconds(1000));

  /// Heads whose stop is pending (tests, logs).
  std::size_t armed() const;

 private:
  void Run();
  /// Runs `stops` outside the lock and counts them until they finish.
  void RunStops(std::unique_lock<std::mutex>& lock, std::vector<Stop> stops);

  const ::onvifgw::Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  struct Pending {
    ::onvifgw::Clock::time_point deadline;
    Stop stop;
    std::uint64_t generation = 0;
  };
  std::map<std::string, Pending> pending_;
  std::map<std::string, std::uint64_t> generations_;
  std::size_t running_ = 0;  ///< stops sent whose answer has not come
  std::condition_variable finished_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace onvifgw::services::ptz
