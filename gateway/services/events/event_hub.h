#pragma once
// Pull-point subscriptions of every virtual device, and the current value of
// each event property (so that a new subscriber or a synchronization point
// gets the state as "Initialized", INTEROP §6.29).
//
// Thread-safe. A thread of its own completes PullMessages calls whose timeout
// ran out and removes expired subscriptions; completions run outside the lock.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/expected.h"
#include "soap/fault.h"

namespace onvifgw::services::events {

using Clock = std::chrono::system_clock;

/// One notification (tt:Message with one Source item and one Data item): of
/// a property event (`operation` "Initialized" or "Changed"; its latest
/// value is kept as state), or of a plain event (`operation` empty: not
/// kept, only queued to the subscriptions that exist when it happens).
struct Notification {
  std::string topic;  ///< "tns1:VideoSource/MotionAlarm"
  Clock::time_point time;
  std::string operation;  ///< "Initialized", "Changed", or empty: not a property
  std::string source_name;
  std::string source_value;
  std::string data_name;
  std::string data_value;

  bool is_property() const { return !operation.empty(); }
};

/// Topic expressions of a subscription filter; empty = every topic.
/// Each expression may hold alternatives separated by '|'; "//." selects a
/// subtree; prefixes are ignored (ConcreteSet dialect, Core §9.6).
class TopicFilter {
 public:
  TopicFilter() = default;
  explicit TopicFilter(const std::vector<std::string>& expressions);
  bool Matches(const std::string& topic) const;
  /// The alternatives that select none of `topics` (as written, without
  /// prefixes): what a fixed topic set does not have.
  std::vector<std::string> Unmatched(const std::vector<std::string>& topics) const;
  /// Why `expression` is no ConcreteSet expression (an empty alternative or
  /// level, a character no QName has); nullopt when it is one.
  static std::optional<std::string> SyntaxError(const std::string& expression);

 private:
  struct Alternative {
    std::string path;
    bool subtree = false;
  };
  std::vector<Alternative> alternatives_;
};

struct HubLimits {
  std::size_t max_subscriptions_per_device = 16;
  std::size_t max_queued_messages = 256;  ///< per subscription; oldest dropped
  std::chrono::seconds default_termination{60};
  std::chrono::seconds max_termination{3600};
  std::chrono::seconds max_pull_timeout{60};
};

struct PullResult {
  std::vector<Notification> messages;
  Clock::time_point termination;
};

class EventHub {
 public:
  /// `clock` tells the time and paces timeouts and expiry (tests pass a
  /// ManualClock); it must outlive the hub.
  explicit EventHub(HubLimits limits = {}, const ::onvifgw::Clock& clock = SystemClock::Instance());
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  struct Created {
    uint64_t id;
    Clock::time_point termination;
  };
  /// `termination` empty: the default. Queues the current state.
  Expected<Created, soap::Fault> Subscribe(const std::string& device, TopicFilter filter,
                                           std::optional<Clock::time_point> termination);

  /// Answers at once when messages are queued, else when one arrives or the
  /// timeout ends (then with none). A pull keeps the subscription alive.
  /// While one pull waits, another is refused (UnableToGetMessages).
  void Pull(const std::string& device, uint64_t id, std::chrono::milliseconds timeout, int limit,
            std::function<void(Expected<PullResult, soap::Fault>)> done);

  Expected<Clock::time_point, soap::Fault> Renew(const std::string& device, uint64_t id,
                                                 Clock::time_point termination);
  Status<soap::Fault> Unsubscribe(const std::string& device, uint64_t id);
  /// Queues the current state of every property again.
  Status<soap::Fault> Synchronize(const std::string& device, uint64_t id);

  /// A property changed on `device`: remembered and queued to subscribers.
  /// A plain event (not a property) is only queued.
  void Publish(const std::string& device, Notification n);

  std::size_t subscription_count(const std::string& device) const;

  const ::onvifgw::Clock& clock() const { return clock_; }
  const HubLimits& limits() const { return limits_; }

 private:
  struct Waiter {
    Clock::time_point deadline;
    int limit;
    std::function<void(Expected<PullResult, soap::Fault>)> done;
  };
  struct Subscription {
    std::string device;
    TopicFilter filter;
    Clock::time_point termination;
    std::chrono::milliseconds lifetime;
    std::deque<Notification> queue;
    std::optional<Waiter> waiter;
  };
  using Key = std::pair<std::string, uint64_t>;
  using Completion = std::function<void()>;

  std::size_t subscription_count_locked(const std::string& device) const;
  Subscription* FindLive(const std::string& device, uint64_t id);
  void QueueState(Subscription& s);
  void Enqueue(Subscription& s, Notification n, std::vector<Completion>& ready);
  static PullResult Take(Subscription& s, int limit);
  void Loop();

  const HubLimits limits_;
  const ::onvifgw::Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  uint64_t next_id_ = 1;
  std::map<Key, Subscription> subscriptions_;
  // device -> (topic + source value) -> last notification
  std::map<std::string, std::map<std::string, Notification>> state_;
  std::thread thread_;
};

}  // namespace onvifgw::services::events
