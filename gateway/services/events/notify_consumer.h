#pragma once
// The delivery side of one Basic Notification subscription (Core §9.2,
// WS-BaseNotification): its messages POSTed as wsnt:Notify to the
// consumer's address, in order, a batch at a time.
//
// Each consumer has its own queue and its own connection on a strand of the
// gateway's io_context, so a slow or dead consumer delays nobody else. A
// failed delivery (no connection, no answer within the timeout, a status
// other than 2xx) is retried with doubling back-off; after `attempts`
// failures in a row the subscription is given up (the hub terminates it)
// and its messages are dropped, with a log line saying so.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/http_post.h"
#include "services/events/event_hub.h"

namespace onvifgw::services::events {

struct NotifyOptions {
  std::chrono::milliseconds timeout{5000};  ///< per POST: connect, send, answer
  int attempts = 5;                         ///< failures in a row before giving up
  std::chrono::milliseconds first_retry{1000};
  std::chrono::milliseconds max_retry{30000};
  std::size_t max_queued = 256;  ///< oldest dropped beyond
  std::size_t max_batch = 32;    ///< NotificationMessages per Notify
};

/// What push subscriptions of a device deliver with: the gateway's I/O and
/// the delivery options.
struct PushDelivery {
  boost::asio::io_context& io;
  NotifyOptions options;
};

/// Whom to notify: the parsed wsnt:ConsumerReference.
struct ConsumerEndpoint {
  std::string address;                            ///< wsa:Address as given
  http::HttpUrl url;                              ///< where it is POSTed
  std::vector<std::string> reference_parameters;  ///< echoed as header blocks
};

class NotifyConsumer : public PushTarget, public std::enable_shared_from_this<NotifyConsumer> {
 public:
  NotifyConsumer(boost::asio::io_context& io, ConsumerEndpoint consumer, NotifyOptions options);

  /// Deliveries begin: messages offered before (the initial state) wait
  /// until the subscription's own address is known. `gave_up` runs once,
  /// on the consumer's strand, when deliveries failed `attempts` times, and
  /// never after Close() returned (so it may name the hub, which closes
  /// every target before it goes).
  void Start(std::string subscription_address, std::function<void()> gave_up);

  void Offer(Notification n) override;
  void Close() override;

  /// Notify requests answered 2xx so far (for tests and logs).
  std::size_t delivered() const { return delivered_.load(); }

 private:
  void Pump();
  void Sent(Expected<unsigned, std::string> result, std::size_t count);

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer retry_;
  const ConsumerEndpoint consumer_;
  const NotifyOptions options_;
  // On the strand only:
  std::deque<Notification> queue_;
  std::string subscription_;
  bool started_ = false;
  bool closed_ = false;
  bool in_flight_ = false;
  bool waiting_retry_ = false;
  int failures_ = 0;
  std::atomic<std::size_t> delivered_{0};
  std::mutex gave_up_mu_;  // Close() against a give-up under way
  std::function<void()> gave_up_;
  bool close_called_ = false;
};

}  // namespace onvifgw::services::events
