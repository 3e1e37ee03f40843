#include "services/events/event_hub.h"

#include <algorithm>
#include <cctype>

#include "services/events/event_faults.h"
#include "store/random_ids.h"

namespace onvifgw::services::events {
namespace {

// "tns1:VideoSource/tns1:MotionAlarm" -> "VideoSource/MotionAlarm".
std::string StripPrefixes(std::string_view expr) {
  std::string out;
  std::size_t start = 0;
  while (start <= expr.size()) {
    std::size_t slash = expr.find('/', start);
    std::string_view seg = expr.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (auto colon = seg.find(':'); colon != std::string_view::npos) seg.remove_prefix(colon + 1);
    if (!out.empty() || start > 0) out += '/';
    out += seg;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string Notification::StateKey() const {
  std::string key = topic;
  for (const SimpleItem& item : source) {
    key += '\n';
    key += item.name;
    key += '=';
    key += item.value;
  }
  return key;
}

std::vector<SimpleItem> Notification::Items() const {
  std::vector<SimpleItem> items = source;
  items.insert(items.end(), data.begin(), data.end());
  return items;
}

bool SubscriptionFilter::Matches(const Notification& n) const {
  return topics.Matches(n.topic) && (!content || content->Matches(n.Items()));
}

TopicFilter::TopicFilter(const std::vector<std::string>& expressions) {
  for (const auto& e : expressions) {
    std::size_t start = 0;
    while (start <= e.size()) {
      std::size_t bar = e.find('|', start);
      std::string alt = Trim(std::string_view(e).substr(
          start, bar == std::string::npos ? std::string::npos : bar - start));
      Alternative a;
      if (alt.size() >= 3 && alt.compare(alt.size() - 3, 3, "//.") == 0) {
        a.subtree = true;
        alt.resize(alt.size() - 3);
      }
      a.path = StripPrefixes(alt);
      if (!a.path.empty() || a.subtree) alternatives_.push_back(std::move(a));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
  }
}

bool TopicFilter::Matches(const std::string& topic) const {
  if (alternatives_.empty()) return true;
  const std::string path = StripPrefixes(topic);
  for (const auto& a : alternatives_) {
    if (path == a.path) return true;
    if (a.subtree && (a.path.empty() || path.rfind(a.path + "/", 0) == 0)) return true;
  }
  return false;
}

std::vector<std::string> TopicFilter::Unmatched(const std::vector<std::string>& topics) const {
  std::vector<std::string> out;
  for (const auto& a : alternatives_) {
    bool any = false;
    for (const auto& t : topics) {
      const std::string path = StripPrefixes(t);
      if (path == a.path || (a.subtree && (a.path.empty() || path.rfind(a.path + "/", 0) == 0))) {
        any = true;
      }
    }
    if (!any) out.push_back(a.subtree ? a.path + "//." : a.path);
  }
  return out;
}

std::optional<std::string> TopicFilter::SyntaxError(const std::string& expression) {
  std::size_t start = 0;
  while (start <= expression.size()) {
    const std::size_t bar = expression.find('|', start);
    std::string alt =
        Trim(std::string_view(expression)
                 .substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (alt.size() >= 3 && alt.compare(alt.size() - 3, 3, "//.") == 0) alt.resize(alt.size() - 3);
    if (alt.empty()) return "an empty topic in \"" + expression + "\"";
    std::size_t level = 0;
    while (level <= alt.size()) {
      const std::size_t slash = alt.find('/', level);
      const std::string_view name = std::string_view(alt).substr(
          level, slash == std::string::npos ? std::string::npos : slash - level);
      if (name.empty()) return "an empty level in \"" + alt + "\"";
      const auto colon = name.find(':');
      if (colon != std::string_view::npos &&
          (colon == 0 || colon + 1 == name.size() || name.find(':', colon + 1) != name.npos)) {
        return "\"" + std::string(name) + "\" is no QName";
      }
      for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' &&
            c != ':') {
          return "\"" + std::string(name) + "\" is no QName";
        }
      }
      if (slash == std::string::npos) break;
      level = slash + 1;
    }
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return std::nullopt;
}

EventHub::EventHub(HubLimits limits, const ::onvifgw::Clock& clock)
    : limits_(limits), clock_(clock) {
  thread_ = std::thread([this] { Loop(); });
}

EventHub::~EventHub() {
  std::vector<Completion> ready;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    for (auto& [key, s] : subscriptions_) {
      if (s.waiter) {
        ready.push_back([w = std::move(*s.waiter), term = s.termination] {
          w.done(PullResult{{}, term});
        });
        s.waiter.reset();
      }
      if (s.push) ready.push_back([p = s.push] { p->Close(); });
    }
  }
  cv_.notify_all();
  thread_.join();
  for (auto& c : ready) c();
}

Expected<EventHub::Created, soap::Fault> EventHub::Subscribe(
    const std::string& device, const Subscriber& owner, SubscriptionFilter filter,
    std::optional<Clock::time_point> termination, std::shared_ptr<PushTarget> push) {
  const auto now = clock_.Now();
  Clock::time_point term = termination.value_or(now + limits_.default_termination);
  // Later than the maximum is granted as the maximum (the answer says so);
  // the past cannot be granted.
  if (term <= now) {
    return MakeUnexpected(UnacceptableTerminationTime(true, now, now + std::chrono::seconds(1),
                                                      now + limits_.max_termination));
  }
  term = std::min(term, now + limits_.max_termination);
  std::vector<Completion> ready;
  Created created;
  {
    std::lock_guard lock(mu_);
    if (subscription_count_locked(device) >= limits_.max_subscriptions_per_device) {
      return MakeUnexpected(soap::ActionFailed(
          "Too many subscriptions; let one expire or unsubscribe first", "TooManySubscriptions"));
    }
    // The address is the only handle on a subscription: unguessable, so
    // that one client cannot pull or cancel another's by counting.
    std::string id = store::RandomHex(16);
    while (subscriptions_.count(Key{device, id}) != 0) id = store::RandomHex(16);
    Subscription s;
    s.device = device;
    s.owner = owner.username;
    s.filter = std::move(filter);
    s.termination = term;
    s.lifetime = std::chrono::duration_cast<std::chrono::milliseconds>(term - now);
    s.push = std::move(push);
    QueueState(s, ready);
    subscriptions_.emplace(Key{device, id}, std::move(s));
    created = Created{std::move(id), term};
  }
  cv_.notify_all();
  for (auto& c : ready) c();
  return created;
}

std::size_t EventHub::subscription_count_locked(const std::string& device) const {
  const auto now = clock_.Now();
  std::size_t n = 0;
  for (const auto& [key, s] : subscriptions_) n += key.first == device && s.termination > now;
  return n;
}

Expected<EventHub::Subscription*, soap::Fault> EventHub::FindLive(const std::string& device,
                                                                  const std::string& id,
                                                                  const Subscriber& caller) {
  auto it = subscriptions_.find(Key{device, id});
  // An expired subscription is gone even before the hub's thread collects it.
  if (it == subscriptions_.end() || it->second.termination <= clock_.Now()) {
    return MakeUnexpected(ResourceUnknown(clock_.Now()));
  }
  const Subscription& s = it->second;
  if (!s.owner.empty() && s.owner != caller.username && !caller.administrator) {
    return MakeUnexpected(soap::NotAuthorized("The subscription belongs to another user"));
  }
  return &it->second;
}

std::size_t EventHub::subscription_count(const std::string& device) const {
  std::lock_guard lock(mu_);
  return subscription_count_locked(device);
}

void EventHub::QueueState(Subscription& s, std::vector<Completion>& ready) {
  auto it = state_.find(s.device);
  if (it == state_.end()) return;
  for (const auto& [k, n] : it->second) {
    Notification init = n;
    init.operation = "Initialized";
    Enqueue(s, std::move(init), ready);
  }
}

PullResult EventHub::Take(Subscription& s, int limit) {
  PullResult r;
  r.termination = s.termination;
  const std::size_t n =
      std::min<std::size_t>(s.queue.size(), static_cast<std::size_t>(std::max(limit, 1)));
  for (std::size_t i = 0; i < n; ++i) {
    r.messages.push_back(std::move(s.queue.front()));
    s.queue.pop_front();
  }
  return r;
}

void EventHub::Enqueue(Subscription& s, Notification n, std::vector<Completion>& ready) {
  if (!s.filter.Matches(n)) return;
  if (s.push) {
    ready.push_back([p = s.push, n = std::move(n)]() mutable { p->Offer(std::move(n)); });
    return;
  }
  if (s.queue.size() >= limits_.max_queued_messages) s.queue.pop_front();
  s.queue.push_back(std::move(n));
  if (s.waiter) {
    auto w = std::move(*s.waiter);
    s.waiter.reset();
    PullResult r = Take(s, w.limit);
    ready.push_back([done = std::move(w.done), r = std::move(r)]() mutable { done(std::move(r)); });
  }
}

void EventHub::Pull(const std::string& device, const std::string& id, const Subscriber& caller,
                    std::chrono::milliseconds timeout, int limit,
                    std::function<void(Expected<PullResult, soap::Fault>)> done) {
  std::vector<Completion> ready;
  {
    std::lock_guard lock(mu_);
    auto found = FindLive(device, id, caller);
    if (!found) {
      ready.push_back([done, f = found.error()] { done(MakeUnexpected(f)); });
    } else if ((*found)->push) {
      ready.push_back([done] {
        done(MakeUnexpected(soap::InvalidArgVal(
            "This subscription delivers by Notify to its consumer; it has nothing to pull",
            "NotAPullPoint")));
      });
    } else {
      Subscription& s = **found;
      const auto now = clock_.Now();
      // Polling keeps a pull point alive for another lifetime.
      s.termination = std::max(s.termination, now + s.lifetime);
      if (s.waiter) {
        // One pull waits at a time (Core §9.1.4.2): the waiting one keeps
        // its place and gets the next messages; this one is refused.
        ready.push_back([done, f = UnableToGetMessages(now)] { done(MakeUnexpected(f)); });
      } else if (!s.queue.empty() || timeout.count() <= 0) {
        PullResult r = Take(s, limit);
        ready.push_back([done, r = std::move(r)]() mutable { done(std::move(r)); });
      } else {
        timeout = std::min<std::chrono::milliseconds>(timeout, limits_.max_pull_timeout);
        s.waiter = Waiter{now + timeout, limit, std::move(done)};
        cv_.notify_all();
      }
    }
  }
  for (auto& c : ready) c();
}

Expected<Clock::time_point, soap::Fault> EventHub::Renew(const std::string& device,
                                                         const std::string& id,
                                                         const Subscriber& caller,
                                                         Clock::time_point termination) {
  const auto now = clock_.Now();
  if (termination <= now) {
    return MakeUnexpected(UnacceptableTerminationTime(false, now, now + std::chrono::seconds(1),
                                                      now + limits_.max_termination));
  }
  termination = std::min(termination, now + limits_.max_termination);
  std::lock_guard lock(mu_);
  auto found = FindLive(device, id, caller);
  if (!found) return MakeUnexpected(found.error());
  Subscription* s = *found;
  s->termination = termination;
  s->lifetime = std::chrono::duration_cast<std::chrono::milliseconds>(termination - now);
  cv_.notify_all();
  return termination;
}

Status<soap::Fault> EventHub::Unsubscribe(const std::string& device, const std::string& id,
                                          const Subscriber& caller) {
  std::vector<Completion> ready;
  {
    std::lock_guard lock(mu_);
    auto found = FindLive(device, id, caller);
    if (!found) return MakeUnexpected(found.error());
    Subscription* s = *found;
    if (s->push) ready.push_back([p = s->push] { p->Close(); });
    if (s->waiter) {
      ready.push_back([w = std::move(*s->waiter), f = ResourceUnknown(clock_.Now())] {
        w.done(MakeUnexpected(f));
      });
    }
    subscriptions_.erase(Key{device, id});
  }
  for (auto& c : ready) c();
  return {};
}

Status<soap::Fault> EventHub::Synchronize(const std::string& device, const std::string& id,
                                          const Subscriber& caller) {
  std::vector<Completion> ready;
  {
    std::lock_guard lock(mu_);
    auto found = FindLive(device, id, caller);
    if (!found) return MakeUnexpected(found.error());
    QueueState(**found, ready);
  }
  for (auto& c : ready) c();
  return {};
}

void EventHub::Terminate(const std::string& device, const std::string& id) {
  std::lock_guard lock(mu_);
  subscriptions_.erase(Key{device, id});
}

std::size_t EventHub::EndSubscriptions(const std::string& device) {
  std::vector<Completion> ready;
  std::size_t ended = 0;
  {
    std::lock_guard lock(mu_);
    for (auto it = subscriptions_.begin(); it != subscriptions_.end();) {
      if (it->first.first != device) {
        ++it;
        continue;
      }
      Subscription& s = it->second;
      if (s.push) ready.push_back([p = s.push] { p->Close(); });
      if (s.waiter) {
        ready.push_back([w = std::move(*s.waiter), f = ResourceUnknown(clock_.Now())] {
          w.done(MakeUnexpected(f));
        });
      }
      it = subscriptions_.erase(it);
      ++ended;
    }
  }
  for (auto& c : ready) c();
  return ended;
}

void EventHub::Publish(const std::string& device, Notification n) {
  std::vector<Completion> ready;
  {
    std::lock_guard lock(mu_);
    if (n.is_property()) state_[device][n.StateKey()] = n;
    for (auto& [key, s] : subscriptions_) {
      if (key.first == device) Enqueue(s, n, ready);
    }
  }
  for (auto& c : ready) c();
}

void EventHub::Declare(const std::string& device, Notification n) {
  std::lock_guard lock(mu_);
  state_[device].try_emplace(n.StateKey(), std::move(n));
}

void EventHub::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    const auto now = clock_.Now();
    std::vector<Completion> ready;
    auto next = now + std::chrono::hours(1);
    for (auto it = subscriptions_.begin(); it != subscriptions_.end();) {
      Subscription& s = it->second;
      if (s.waiter && s.waiter->deadline <= now) {
        ready.push_back([w = std::move(*s.waiter), term = s.termination] {
          w.done(PullResult{{}, term});
        });
        s.waiter.reset();
      }
      if (!s.waiter && s.termination <= now) {
        if (s.push) ready.push_back([p = s.push] { p->Close(); });
        it = subscriptions_.erase(it);  // expired: garbage-collected
        continue;
      }
      if (s.waiter) next = std::min(next, s.waiter->deadline);
      next = std::min(next, s.termination);
      ++it;
    }
    if (!ready.empty()) {
      lock.unlock();
      for (auto& c : ready) c();
      lock.lock();
      continue;
    }
    clock_.WaitUntil(lock, cv_, next);
  }
}

}  // namespace onvifgw::services::events
