#pragma once
// The ContinuousMove timeout, kept by the gateway: a camera behind an
// adapter (a Pelco-D dome above all) moves until it is told to stop, so the
// gateway sends the stop itself when a move's timeout runs out. One timer
// per PTZ head; a new move re-arms it, any other command for the head
// cancels it.
//
// Thread-safe. The stops run on the timers' own thread, outside its lock.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"

namespace onvifgw::services::ptz {

class PtzMoveTimers {
 public:
  explicit PtzMoveTimers(const ::onvifgw::Clock& clock = ::onvifgw::SystemClock::Instance());
  /// Stops the thread; stops not yet due are dropped.
  ~PtzMoveTimers();
  PtzMoveTimers(const PtzMoveTimers&) = delete;
  PtzMoveTimers& operator=(const PtzMoveTimers&) = delete;

  /// Runs `stop` once `after` has passed unless the head's timer is armed
  /// again or cancelled first. `head` names one head of one device.
  void Arm(const std::string& head, std::chrono::milliseconds after, std::function<void()> stop);
  void Cancel(const std::string& head);

  /// Heads whose stop is pending (tests, logs).
  std::size_t armed() const;

 private:
  void Run();

  const ::onvifgw::Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  struct Pending {
    ::onvifgw::Clock::time_point deadline;
    std::function<void()> stop;
  };
  std::map<std::string, Pending> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace onvifgw::services::ptz
