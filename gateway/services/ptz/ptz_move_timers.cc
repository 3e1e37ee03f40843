#include "services/ptz/ptz_move_timers.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace onvifgw::services::ptz {

PtzMoveTimers::PtzMoveTimers(const ::onvifgw::Clock& clock)
    : clock_(clock), thread_([this] { Run(); }) {}

PtzMoveTimers::~PtzMoveTimers() { Shutdown(std::chrono::milliseconds(0)); }

std::uint64_t PtzMoveTimers::Arm(const std::string& head, std::chrono::milliseconds after,
                                 Stop stop) {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = ++generations_[head];
    pending_[head] = Pending{clock_.Now() + after, std::move(stop), generation};
  }
  cv_.notify_all();
  return generation;
}

std::uint64_t PtzMoveTimers::Generation(const std::string& head) const {
  std::lock_guard lock(mu_);
  auto it = generations_.find(head);
  return it == generations_.end() ? 0 : it->second;
}

void PtzMoveTimers::CancelIfCurrent(const std::string& head, std::uint64_t generation) {
  std::lock_guard lock(mu_);
  auto it = pending_.find(head);
  if (it != pending_.end() && it->second.generation <= generation) pending_.erase(it);
}

std::size_t PtzMoveTimers::armed() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

void PtzMoveTimers::RunStops(std::unique_lock<std::mutex>& lock, std::vector<Stop> stops) {
  running_ += stops.size();
  // Outside the lock: a stop calls the adapter, whose completion may arm
  // or cancel timers.
  lock.unlock();
  for (auto& stop : stops) {
    stop([this] {
      std::lock_guard done(mu_);
      --running_;
      finished_.notify_all();
    });
  }
  lock.lock();
}

void PtzMoveTimers::Shutdown(std::chrono::milliseconds limit) {
  std::unique_lock lock(mu_);
  if (!stopping_) {
    stopping_ = true;
    std::vector<Stop> now;
    for (auto& [head, pending] : pending_) now.push_back(std::move(pending.stop));
    pending_.clear();
    RunStops(lock, std::move(now));
    finished_.wait_for(lock, limit, [this] { return running_ == 0; });
  }
  lock.unlock();
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PtzMoveTimers::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const ::onvifgw::Clock::time_point now = clock_.Now();
    std::vector<Stop> due;
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
      RunStops(lock, std::move(due));
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
