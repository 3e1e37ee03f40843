#include "adapters/vapix/vapix_events.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

namespace onvifgw::vapix {
namespace {

namespace v1 = onvifgw::adapter::v1;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kFirstBackoff{1000};
constexpr milliseconds kMaxBackoff{30'000};

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace

std::string InputId(uint32_t port) { return "input-" + std::to_string(port); }

EventHub::~EventHub() {
  Shutdown();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    for (auto& [camera, poller] : pollers_) {
      if (poller.thread.joinable()) threads.push_back(std::move(poller.thread));
      if (poller.motion_thread.joinable()) threads.push_back(std::move(poller.motion_thread));
    }
  }
  for (std::thread& thread : threads) thread.join();
}

void EventHub::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    for (auto& [camera, poller] : pollers_) StopMotionRead(poller);
  }
  wakeup_.notify_all();
}

std::shared_ptr<EventHub::Subscription> EventHub::Subscribe(
    const std::vector<VapixCamera*>& cameras) {
  auto subscription = std::make_shared<Subscription>();
  subscription->cameras = cameras;
  std::lock_guard lock(mutex_);
  subscriptions_.push_back(subscription);
  for (VapixCamera* camera : cameras) {
    Poller& poller = pollers_[camera];
    ++poller.listeners;
    // What the poller knows already is this call's initial state; the rest comes with its polls.
    for (const auto& [port, active] : poller.inputs) {
      subscription->queue.push_back(InputEvent(*camera, port, active));
    }
    if (poller.motion) subscription->queue.push_back(MotionEvent(*camera, *poller.motion));
    if (!poller.running && !shutting_down_) {
      // A poller that stopped has left its loop (running is cleared last): joining is quick.
      if (poller.thread.joinable()) poller.thread.join();
      poller.running = true;
      poller.thread = std::thread([this, camera] { Poll(camera); });
    }
    if (!poller.motion_running && !shutting_down_) {
      if (poller.motion_thread.joinable()) poller.motion_thread.join();
      poller.motion_running = true;
      poller.motion_thread = std::thread([this, camera] { WatchMotion(camera); });
    }
  }
  return subscription;
}

void EventHub::Unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  {
    std::lock_guard lock(mutex_);
    std::erase(subscriptions_, subscription);
    for (VapixCamera* camera : subscription->cameras) {
      Poller& poller = pollers_[camera];
      if (--poller.listeners == 0) StopMotionRead(poller);
    }
  }
  wakeup_.notify_all();
}

bool EventHub::Wait(Subscription& subscription, milliseconds timeout,
                    std::vector<v1::Event>* events) {
  std::unique_lock lock(mutex_);
  wakeup_.wait_for(lock, timeout, [&] { return shutting_down_ || !subscription.queue.empty(); });
  if (shutting_down_) return false;
  events->insert(events->end(), std::make_move_iterator(subscription.queue.begin()),
                 std::make_move_iterator(subscription.queue.end()));
  subscription.queue.clear();
  return true;
}

void EventHub::StopMotionRead(Poller& poller) {
  if (poller.motion_read) poller.motion_read->request_stop();
}

void EventHub::Deliver(VapixCamera* camera, const v1::Event& event) {
  for (const auto& subscription : subscriptions_) {
    const auto& wanted = subscription->cameras;
    if (std::find(wanted.begin(), wanted.end(), camera) != wanted.end()) {
      subscription->queue.push_back(event);
    }
  }
}

v1::Event EventHub::MotionEvent(const VapixCamera& camera, bool active) {
  v1::Event event;
  event.set_camera_id(camera.config().id);
  *event.mutable_time() = Now();
  event.mutable_motion()->set_source_id(kMotionSourceId);
  event.mutable_motion()->set_active(active);
  return event;
}

v1::Event EventHub::InputEvent(const VapixCamera& camera, uint32_t port, bool active) {
  v1::Event event;
  event.set_camera_id(camera.config().id);
  *event.mutable_time() = Now();
  event.mutable_digital_input()->set_input_id(InputId(port));
  event.mutable_digital_input()->set_active(active);
  return event;
}

void EventHub::PublishInputs(VapixCamera* camera, const std::map<uint32_t, bool>& states) {
  {
    std::lock_guard lock(mutex_);
    Poller& poller = pollers_[camera];
    for (const auto& [port, active] : states) {
      auto known = poller.inputs.find(port);
      if (known != poller.inputs.end() && known->second == active) continue;
      poller.inputs[port] = active;
      Deliver(camera, InputEvent(*camera, port, active));
    }
  }
  wakeup_.notify_all();
}

void EventHub::PublishMotion(VapixCamera* camera, bool active) {
  {
    std::lock_guard lock(mutex_);
    Poller& poller = pollers_[camera];
    if (poller.motion == active) return;
    poller.motion = active;
    Deliver(camera, MotionEvent(*camera, active));
  }
  wakeup_.notify_all();
}

void EventHub::WatchMotion(VapixCamera* camera) {
  milliseconds backoff{0};
  while (true) {
    std::stop_source stop;
    {
      std::lock_guard lock(mutex_);
      Poller& poller = pollers_[camera];
      poller.motion_read.reset();
      if (shutting_down_ || poller.listeners == 0) {
        // Nobody hears the motion any more: what a later call gets first is read anew.
        poller.motion.reset();
        poller.motion_running = false;
        return;
      }
      poller.motion_read = stop;
    }
    // The poller reads the facts; until they show an image source there is nothing to read.
    const std::optional<CameraFacts> facts = camera->KnownFacts();
    milliseconds pause = kPollPeriod;
    if (facts && facts->image_source) {
      bool delivered = false;
      const grpc::Status status =
          camera->ReadMotion(stop.get_token(), [&](const MotionRecord& record) {
            delivered = true;
            PublishMotion(camera, record.Motion());
          });
      // A stream that carried records ended or broke: reconnect soon; one that failed at once
      // (the camera is down, or has no motion data) ever more slowly.
      if (delivered) {
        backoff = kFirstBackoff;
      } else {
        backoff = backoff.count() == 0 ? kFirstBackoff : std::min(backoff * 2, kMaxBackoff);
      }
      if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) backoff = kMaxBackoff;
      pause = backoff;
    }
    std::unique_lock lock(mutex_);
    wakeup_.wait_for(lock, pause,
                     [&] { return shutting_down_ || pollers_[camera].listeners == 0; });
  }
}

bool EventHub::RefreshFacts(VapixCamera* camera, CameraFacts* facts,
                            steady_clock::time_point* next_attempt, milliseconds* backoff) {
  const auto now = steady_clock::now();
  if (camera->FactsOutdated() && now >= *next_attempt) {
    const uint64_t before = camera->FactsGeneration();
    grpc::Status status = camera->Facts(now + camera->config().request_timeout, true, facts);
    if (camera->FactsOutdated()) {
      *backoff = backoff->count() == 0 ? kFirstBackoff : std::min(*backoff * 2, kMaxBackoff);
      *next_attempt = steady_clock::now() + *backoff;
    } else {
      *backoff = milliseconds(0);
    }
    // Calls compare generations themselves; wake them to do it now.
    if (camera->FactsGeneration() != before) wakeup_.notify_all();
    return status.ok();
  }
  std::optional<CameraFacts> known = camera->KnownFacts();
  if (!known) return false;
  *facts = std::move(*known);
  return true;
}

void EventHub::Poll(VapixCamera* camera) {
  steady_clock::time_point next_facts_attempt = steady_clock::now();
  milliseconds backoff{0};
  while (true) {
    {
      std::lock_guard lock(mutex_);
      Poller& poller = pollers_[camera];
      if (shutting_down_ || poller.listeners == 0) {
        poller.running = false;
        return;
      }
    }
    const auto round = steady_clock::now();
    CameraFacts facts;
    if (RefreshFacts(camera, &facts, &next_facts_attempt, &backoff)) {
      std::vector<uint32_t> inputs;
      for (const IoPort& port : facts.ports) {
        if (!port.output) inputs.push_back(port.number);
      }
      std::map<uint32_t, bool> states;
      if (!inputs.empty() &&
          camera
              ->CheckActive(steady_clock::now() + camera->config().request_timeout, inputs, &states)
              .ok()) {
        PublishInputs(camera, states);
      }
    }
    std::unique_lock lock(mutex_);
    wakeup_.wait_until(lock, round + kPollPeriod,
                       [&] { return shutting_down_ || pollers_[camera].listeners == 0; });
  }
}

}  // namespace onvifgw::vapix
