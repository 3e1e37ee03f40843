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
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/expected.h"
#include "services/events/message_content_filter.h"
#include "soap/fault.h"

namespace onvifgw::services::events {

using Clock = std::chrono::system_clock;

/// One notification (tt:Message with its Source and Data items): of a
/// property event (`operation` "Initialized" or "Changed"; its latest value
/// is kept as state), or of a plain event (`operation` empty: not kept, only
/// queued to the subscriptions that exist when it happens).
struct Notification {
  std::string topic;  ///< "tns1:VideoSource/MotionAlarm"
  Clock::time_point time;
  std::string operation;  ///< "Initialized", "Changed", or empty: not a property
  std::vector<SimpleItem> source;
  std::vector<SimpleItem> data;

  bool is_property() const { return !operation.empty(); }
  /// The property this is a value of: its topic and source items.
  std::string StateKey() const;
  /// Source and data items together, as a MessageContent filter sees them.
  std::vector<SimpleItem> Items() const;
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

/// What a subscription receives: topics (empty = all) and, optionally, a
/// MessageContent expression on the items.
struct SubscriptionFilter {
  TopicFilter topics;
  std::optional<MessageContentFilter> content;

  bool Matches(const Notification& n) const;
};

/// Who is asking: a subscription is usable only by the user who created it
/// or by an administrator. An empty user name (authentication off, or an
/// anonymous caller) creates subscriptions anyone may use.
struct Subscriber {
  std::string username;
  bool administrator = false;
};

/// Where a push (Basic Notification) subscription delivers. Offer and Close
/// are called outside the hub's lock, Offer in the order the messages were
/// queued; neither may block.
class PushTarget {
 public:
  virtual ~PushTarget() = default;
  virtual void Offer(Notification n) = 0;
  /// The subscription ended (unsubscribed, expired, the hub stopping):
  /// nothing more is offered and undelivered messages may be dropped.
  virtual void Close() = 0;
};

struct HubLimits {
  /// Pull points and push subscriptions together.
  std::size_t max_subscriptions_per_device = 64;
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
    std::string id;  ///< 128 random bits in hex: the subscription's address
    Clock::time_point termination;
  };
  /// A pull point (`push` null) or a push subscription. `termination`
  /// empty: the default. Queues (or offers) the current state.
  Expected<Created, soap::Fault> Subscribe(const std::string& device, const Subscriber& owner,
                                           SubscriptionFilter filter,
                                           std::optional<Clock::time_point> termination,
                                           std::shared_ptr<PushTarget> push = nullptr);

  /// Answers at once when messages are queued, else when one arrives or the
  /// timeout ends (then with none). A pull keeps the subscription alive.
  /// While one pull waits, another is refused (UnableToGetMessages).
  void Pull(const std::string& device, const std::string& id, const Subscriber& caller,
            std::chrono::milliseconds timeout, int limit,
            std::function<void(Expected<PullResult, soap::Fault>)> done);

  Expected<Clock::time_point, soap::Fault> Renew(const std::string& device, const std::string& id,
                                                 const Subscriber& caller,
                                                 Clock::time_point termination);
  Status<soap::Fault> Unsubscribe(const std::string& device, const std::string& id,
                                  const Subscriber& caller);
  /// Queues the current state of every property again.
  Status<soap::Fault> Synchronize(const std::string& device, const std::string& id,
                                  const Subscriber& caller);
  /// Ends a subscription whatever its owner (a push consumer that stopped
  /// answering: its target is not closed, it gave up itself); nothing if it
  /// is gone already.
  void Terminate(const std::string& device, const std::string& id);
  /// The device restarts (SystemReboot): every subscription of it ends, as
  /// an unsubscribe would end it (a waiting PullMessages gets
  /// ResourceUnknownFault, a push target is closed). Returns how many ended.
  std::size_t EndSubscriptions(const std::string& device);

  /// A property changed on `device`: remembered and queued to subscribers.
  /// A plain event (not a property) is only queued.
  void Publish(const std::string& device, Notification n);
  /// The documented initial value of a property, so that a subscriber is
  /// told a state before the camera reported one (motion: false). Kept only
  /// while no value was published; queued to nobody.
  void Declare(const std::string& device, Notification n);

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
    std::string owner;
    SubscriptionFilter filter;
    Clock::time_point termination;
    std::chrono::milliseconds lifetime;
    std::deque<Notification> queue;
    std::optional<Waiter> waiter;
    std::shared_ptr<PushTarget> push;
  };
  using Key = std::pair<std::string, std::string>;
  using Completion = std::function<void()>;

  std::size_t subscription_count_locked(const std::string& device) const;
  /// The live subscription, or the fault to answer: ResourceUnknown, or
  /// NotAuthorized for someone else's.
  Expected<Subscription*, soap::Fault> FindLive(const std::string& device, const std::string& id,
                                                const Subscriber& caller);
  void QueueState(Subscription& s, std::vector<Completion>& ready);
  void Enqueue(Subscription& s, Notification n, std::vector<Completion>& ready);
  static PullResult Take(Subscription& s, int limit);
  void Loop();

  const HubLimits limits_;
  const ::onvifgw::Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<Key, Subscription> subscriptions_;
  // device -> (topic + source value) -> last notification
  std::map<std::string, std::map<std::string, Notification>> state_;
  std::thread thread_;
};

}  // namespace onvifgw::services::events
