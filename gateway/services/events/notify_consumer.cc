#include "services/events/notify_consumer.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <utility>

#include "core/log.h"
#include "onvif/generated/wsnt.pb.h"
#include "services/events/notification_message.h"
#include "soap/envelope.h"
#include "soap/namespaces.h"
#include "store/random_ids.h"

namespace onvifgw::services::events {

namespace asio = boost::asio;
namespace wsnt = ::onvifgw::onvif::wsnt;

namespace {
constexpr const char* kNotifyAction =
    "http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify";
}

NotifyConsumer::NotifyConsumer(asio::io_context& io, ConsumerEndpoint consumer,
                               NotifyOptions options)
    : io_(io),
      strand_(asio::make_strand(io)),
      retry_(strand_),
      consumer_(std::move(consumer)),
      options_(options) {}

void NotifyConsumer::Start(std::string subscription_address, std::function<void()> gave_up) {
  {
    std::lock_guard lock(gave_up_mu_);
    if (!close_called_) gave_up_ = std::move(gave_up);
  }
  asio::post(strand_,
             [self = shared_from_this(), address = std::move(subscription_address)]() mutable {
               self->subscription_ = std::move(address);
               self->started_ = true;
               self->Pump();
             });
}

void NotifyConsumer::Offer(Notification n) {
  asio::post(strand_, [self = shared_from_this(), n = std::move(n)]() mutable {
    if (self->closed_) return;
    if (self->queue_.size() >= self->options_.max_queued) self->queue_.pop_front();
    self->queue_.push_back(std::move(n));
    self->Pump();
  });
}

void NotifyConsumer::Close() {
  {
    std::lock_guard lock(gave_up_mu_);
    close_called_ = true;
    gave_up_ = nullptr;
  }
  asio::post(strand_, [self = shared_from_this()] {
    self->closed_ = true;
    self->queue_.clear();
    self->retry_.cancel();
  });
}

void NotifyConsumer::Pump() {
  if (!started_ || closed_ || in_flight_ || waiting_retry_ || queue_.empty()) return;
  wsnt::Notify notify;
  const std::size_t count = std::min(queue_.size(), options_.max_batch);
  for (std::size_t i = 0; i < count; ++i) {
    *notify.add_notificationmessage() = NotificationMessage(queue_[i], subscription_);
  }
  std::string body = soap::WriteMessageEnvelope(
      notify, {soap::ns::kWsnt, "Notify"},
      {store::RandomUuidUrn(), consumer_.address, kNotifyAction, consumer_.reference_parameters});
  in_flight_ = true;
  http::Post(io_, consumer_.url, "application/soap+xml; charset=utf-8", std::move(body),
             options_.timeout,
             [self = shared_from_this(), count](Expected<unsigned, std::string> result) {
               asio::post(self->strand_, [self, count, result = std::move(result)]() mutable {
                 self->Sent(std::move(result), count);
               });
             });
}

void NotifyConsumer::Sent(Expected<unsigned, std::string> result, std::size_t count) {
  in_flight_ = false;
  if (closed_) return;
  if (result.has_value() && *result >= 200 && *result < 300) {
    failures_ = 0;
    for (std::size_t i = 0; i < count && !queue_.empty(); ++i) queue_.pop_front();
    delivered_.fetch_add(1);
    Pump();
    return;
  }
  const std::string why =
      result.has_value() ? "HTTP status " + std::to_string(*result) : result.error();
  if (++failures_ >= options_.attempts) {
    log::Warn("events", "gave up notifying " + consumer_.address + " after " +
                            std::to_string(failures_) + " failed attempts (" + why +
                            "); its subscription ends and " + std::to_string(queue_.size()) +
                            " message(s) are dropped");
    closed_ = true;
    queue_.clear();
    std::lock_guard lock(gave_up_mu_);
    if (gave_up_) std::exchange(gave_up_, nullptr)();
    return;
  }
  // 1 s, 2 s, 4 s ... up to the maximum.
  auto delay = options_.first_retry;
  for (int i = 1; i < failures_ && delay < options_.max_retry; ++i) delay *= 2;
  delay = std::min(delay, options_.max_retry);
  log::Info("events", "notifying " + consumer_.address + " failed (" + why + "); retry " +
                          std::to_string(failures_) + " in " + std::to_string(delay.count()) +
                          " ms");
  waiting_retry_ = true;
  retry_.expires_after(delay);
  retry_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
    self->waiting_retry_ = false;
    self->Pump();
  });
}

}  // namespace onvifgw::services::events
