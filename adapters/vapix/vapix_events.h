#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "adapter/v1/adapter.pb.h"
#include "adapters/vapix/vapix_camera.h"

namespace onvifgw::vapix {

/// The camera pollers behind StreamEvents. While at least one StreamEvents call wants a camera,
/// one thread per camera polls its digital inputs (port.cgi?checkactive=...) every kPollPeriod
/// and hands each change to every call that wants the camera; the first poll reports every
/// input, and a call that joins later gets the states known so far first. Between polls the
/// thread reads the camera's facts when they are unknown or stale (backing off from 1 s to 30 s
/// while the camera does not answer), so that the calls can announce FactsChanged. No thread runs
/// for a camera nobody listens to.
///
/// A second thread per camera reads its motion data (motion/motiondata.cgi?group=0, an endless
/// stream of level/threshold records) while the facts show an image source, and hands over a
/// MotionEvent for source "0" at each change of "level > threshold" (the first record gives the
/// state; a call that joins later gets the known state first). When the stream ends or fails it
/// reconnects after 1 s, backing off to 30 s while it keeps failing. Thread-safe.
class EventHub {
 public:
  static constexpr std::chrono::milliseconds kPollPeriod{500};
  /// The video source motion events name (VapixService::kSourceId).
  static constexpr const char* kMotionSourceId = "0";

  /// What one StreamEvents call receives.
  struct Subscription {
    std::vector<VapixCamera*> cameras;
    std::deque<onvifgw::adapter::v1::Event> queue;  // Guarded by the hub's mutex.
  };

  EventHub() = default;
  /// Shuts down and waits for the pollers (close the cameras first so that none waits for a
  /// camera's timeout).
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  /// Registers a call for `cameras` (which outlive the hub) and starts their pollers.
  std::shared_ptr<Subscription> Subscribe(const std::vector<VapixCamera*>& cameras);
  /// The call ended; pollers nobody needs stop after their current round.
  void Unsubscribe(const std::shared_ptr<Subscription>& subscription);
  /// Waits up to `timeout` for events and takes them all (possibly none); false once the hub is
  /// shut down.
  bool Wait(Subscription& subscription, std::chrono::milliseconds timeout,
            std::vector<onvifgw::adapter::v1::Event>* events);
  /// Ends every Wait (false) and every poller.
  void Shutdown();

 private:
  struct Poller {
    std::thread thread;
    bool running = false;
    size_t listeners = 0;
    std::map<uint32_t, bool> inputs;  // Port number -> active, as last polled.
    std::thread motion_thread;
    bool motion_running = false;
    std::optional<bool> motion;                   // As last read; unknown while not read.
    std::optional<std::stop_source> motion_read;  // Ends the motion stream being read.
  };

  void Poll(VapixCamera* camera);
  // Reads the facts when needed; false while they are unknown.
  bool RefreshFacts(VapixCamera* camera, CameraFacts* facts,
                    std::chrono::steady_clock::time_point* next_attempt,
                    std::chrono::milliseconds* backoff);
  void PublishInputs(VapixCamera* camera, const std::map<uint32_t, bool>& states);
  // The motion thread of `camera`.
  void WatchMotion(VapixCamera* camera);
  void PublishMotion(VapixCamera* camera, bool active);
  // Queues `event` for every call that wants `camera` (mutex_ held).
  void Deliver(VapixCamera* camera, const onvifgw::adapter::v1::Event& event);
  // Ends the motion stream read for `poller` (mutex_ held).
  static void StopMotionRead(Poller& poller);
  static onvifgw::adapter::v1::Event MotionEvent(const VapixCamera& camera, bool active);
  static onvifgw::adapter::v1::Event InputEvent(const VapixCamera& camera, uint32_t port,
                                                bool active);

  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool shutting_down_ = false;                                // Guarded by mutex_.
  std::vector<std::shared_ptr<Subscription>> subscriptions_;  // Guarded by mutex_.
  std::map<VapixCamera*, Poller> pollers_;                    // Guarded by mutex_.
};

/// The id a digital input has in events: "input-<port>" (port.cgi's 1-based number).
std::string InputId(uint32_t port);

}  // namespace onvifgw::vapix
