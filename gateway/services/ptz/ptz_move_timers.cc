#include "services/ptz/ptz_move_timers.h"

#include <algorithm>
#include <vector>

namespace onvifgw::services::ptz {

PtzMoveTimers::PtzMoveTimers(const ::onvifgw::Clock& clock)
    : clock_(clock), thread_([this] { Run(); }) {}

PtzMoveTimers::~PtzMoveTimers() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PtzMoveTimers::Arm(const std::string& head, std::chrono::milliseconds after,
                        std::function<void()> stop) {
  {
    std::lock_guard lock(mu_);
    pending_[head] = Pending{clock_.Now() + after, std::move(stop)};
  }
  cv_.notify_all();
}

void PtzMoveTimers::Cancel(const std::string& head) {
  std::lock_guard lock(mu_);
  pending_.erase(head);
}

std::size_t PtzMoveTimers::armed() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

void PtzMoveTimers::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const ::onvifgw::Clock::time_point now = clock_.Now();
    std::vector<std::function<void()>> due;
    ::onvifgw::Clock::time_point next = ::onvifgw::Clock::time_point::max();
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.deadline <= now) {
        due.push_back(std::move(it->second.stop));
        it = pending_.erase(it);
      } else {
        next = std::min(next, it->second.deadline);
        ++it;
      }
    }
    if (!due.empty()) {
      // Outside the lock: a stop calls the adapter, whose completion may
      // arm or cancel timers.
      lock.unlock();
      for (auto& stop : due) stop();
      lock.lock();
      continue;
    }
    if (next == ::onvifgw::Clock::time_point::max()) {
      cv_.wait(lock);
    } else {
      clock_.WaitUntil(lock, cv_, next);
    }
  }
}

}  // namespace onvifgw::services::ptz
