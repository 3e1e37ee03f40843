#include "discovery/responder.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/multicast.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <exception>
#include <future>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <utility>
#include <variant>
#include <vector>

#include "discovery/local_address.h"
#include "discovery/log_limiter.h"
#include "discovery/matching.h"
#include "discovery/message_id.h"
#include "discovery/messages.h"
#include "discovery/request_parser.h"
#include "discovery/xaddrs.h"

namespace onvifgw::discovery {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

/// Datagrams handled per readiness notification before yielding to other work.
constexpr int kDatagramsPerWakeup = 16;
/// How long Stop() waits for the strand before doing the work itself.
constexpr std::chrono::milliseconds kStopGrace{250};

enum class ReplyKind { kProbeMatches, kResolveMatches };

struct PendingReply {
  ReplyKind kind;
  EndpointDescription endpoint;
  ReplyAddressing addressing;  // message_id filled in when sent
  udp::endpoint destination;
};

}  // namespace

class Responder::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, ResponderOptions options, DeviceSnapshotProvider devices)
      : io_(io),
        strand_(asio::make_strand(io)),
        socket_(strand_),
        options_(std::move(options)),
        devices_(std::move(devices)),
        rng_(std::random_device{}()),
        limiter_(10, std::chrono::seconds(10)),
        buffer_(kMaxRequestBytes + 1) {}

  Status<std::string> Start();
  void Stop();
  uint16_t port() const { return port_.load(); }
  void Announce(const std::string& endpoint_reference);
  void Depart(const std::string& endpoint_reference);

 private:
  // All of these run on the strand with mu_ held.
  void StartReceive();
  void OnReadable(const boost::system::error_code& ec);
  void HandleDatagram(std::string_view bytes, const udp::endpoint& sender,
                      const asio::ip::address& destination, const asio::ip::address& arrival);
  void HandleProbe(const Probe& probe, const udp::endpoint& sender, bool multicast,
                   const std::string& arrival_host);
  void HandleResolve(const Resolve& resolve, const udp::endpoint& sender,
                     const std::string& arrival_host);
  void Schedule(std::vector<PendingReply> replies);
  void SendReply(PendingReply& reply);
  void SendHellos();
  void SendHello(const DiscoverableDevice& d, const std::string& default_host);
  void DoStop();
  void Send(const std::string& message, const udp::endpoint& to, std::string_view what);
  std::vector<DiscoverableDevice> Snapshot();
  AppSequence NextSequence() { return AppSequence{instance_id_, ++message_number_}; }
  void Log(std::string_view level, std::string_view msg) const {
    if (options_.log) options_.log(level, msg);
  }
  void LogLimited(std::string_view msg);

  asio::io_context& io_;
  asio::strand<asio::io_context::executor_type> strand_;
  udp::socket socket_;
  const ResponderOptions options_;
  const DeviceSnapshotProvider devices_;

  std::mutex mu_;  // held by every strand handler and by Stop()'s fallback
  bool started_ = false;
  bool stopped_ = false;
  std::atomic<bool> ever_started_{false};
  std::atomic<uint16_t> port_{0};
  udp::endpoint group_;
  uint32_t instance_id_ = 0;
  uint32_t message_number_ = 0;
  std::mt19937_64 rng_;
  LogLimiter limiter_;
  std::vector<char> buffer_;
  std::set<std::shared_ptr<asio::steady_timer>> pending_;
};

Status<std::string> Responder::Impl::Start() {
  std::lock_guard lock(mu_);
  if (started_ || stopped_) return MakeUnexpected(std::string("responder already started"));
  boost::system::error_code ec;
  const auto bind_addr = asio::ip::make_address(options_.bind_address, ec);
  if (ec || !bind_addr.is_v4()) {
    return MakeUnexpected("bind_address '" + options_.bind_address + "' is not an IPv4 address");
  }
  const auto group_addr = asio::ip::make_address(options_.multicast_group, ec);
  if (ec || !group_addr.is_v4() || !group_addr.is_multicast()) {
    return MakeUnexpected("multicast_group '" + options_.multicast_group +
                          "' is not an IPv4 multicast address");
  }
  uint64_t instance = options_.instance_id;
  if (instance == 0) instance = static_cast<uint64_t>(std::time(nullptr));
  if (instance > std::numeric_limits<uint32_t>::max()) {
    return MakeUnexpected(
        std::string("instance_id does not fit AppSequence/@InstanceId (32 bits)"));
  }
  instance_id_ = static_cast<uint32_t>(instance);

  auto fail = [&](std::string_view what) {
    std::string msg = "WS-Discovery socket: " + std::string(what) + ": " + ec.message();
    boost::system::error_code ignored;
    socket_.close(ignored);
    return MakeUnexpected(std::move(msg));
  };
  socket_.open(udp::v4(), ec);
  if (ec) return fail("open");
  ::fcntl(socket_.native_handle(), F_SETFD, FD_CLOEXEC);  // not inherited by adapters
  socket_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("SO_REUSEADDR");
  socket_.bind(udp::endpoint(bind_addr, options_.port), ec);
  if (ec) return fail("bind " + options_.bind_address + ":" + std::to_string(options_.port));
  const int one = 1;
  if (::setsockopt(socket_.native_handle(), IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0) {
    Log("warn", std::string("WS-Discovery: IP_PKTINFO: ") + std::strerror(errno));
  }
  const uint16_t port = socket_.local_endpoint(ec).port();
  if (ec) return fail("local_endpoint");
  port_ = port;
  group_ = udp::endpoint(group_addr, port);

  // Multicast is link-local; a specific bind address also picks the interface.
  socket_.set_option(asio::ip::multicast::hops(1), ec);
  if (ec) Log("warn", "WS-Discovery: IP_MULTICAST_TTL: " + ec.message());
  if (!bind_addr.is_unspecified()) {
    socket_.set_option(asio::ip::multicast::outbound_interface(bind_addr.to_v4()), ec);
    if (ec) Log("warn", "WS-Discovery: IP_MULTICAST_IF: " + ec.message());
  }
  if (options_.join_multicast) {
    const auto group_v4 = group_addr.to_v4();
    std::vector<asio::ip::address_v4> interfaces;
    if (bind_addr.is_unspecified()) {
      interfaces.push_back(asio::ip::address_v4::any());  // the interface the routes pick
      for (const auto& a : MulticastIpv4Interfaces()) interfaces.push_back(a);
    } else {
      interfaces.push_back(bind_addr.to_v4());
      Log("warn", "WS-Discovery: bound to " + options_.bind_address +
                      ": multicast Probes are only delivered to a socket bound to 0.0.0.0");
    }
    int joined = 0;
    for (const auto& itf : interfaces) {
      socket_.set_option(asio::ip::multicast::join_group(group_v4, itf), ec);
      if (!ec) {
        ++joined;
      } else if (ec != boost::system::errc::address_in_use) {  // already joined there
        Log(itf.is_unspecified() ? "warn" : "debug",
            "WS-Discovery: joining " + options_.multicast_group + " on " +
                (itf.is_unspecified() ? std::string("the default interface") : itf.to_string()) +
                " failed: " + ec.message());
      }
    }
    if (joined == 0) {
      Log("warn", "WS-Discovery: not a member of " + options_.multicast_group +
                      ": only unicast Probes will be answered");
    }
  }
  started_ = true;
  ever_started_ = true;
  Log("info", "WS-Discovery responder on " + options_.bind_address + ":" + std::to_string(port));
  asio::post(strand_, [self = shared_from_this()] {
    std::lock_guard lock(self->mu_);
    if (self->stopped_) return;
    self->SendHellos();
    self->StartReceive();
  });
  return {};
}

void Responder::Impl::Stop() {
  if (!ever_started_) {
    std::lock_guard lock(mu_);
    stopped_ = true;  // a later Start() fails
    return;
  }
  if (strand_.running_in_this_thread()) {
    DoStop();  // called from our own handler (a callback): mu_ is held by this thread
    return;
  }
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  asio::post(strand_, [self = shared_from_this(), done] {
    {
      std::lock_guard lock(self->mu_);
      self->DoStop();
    }
    done->set_value();
  });
  // Normally another thread runs the strand at once. If nobody runs the
  // io_context (not run yet, stopped, or only by this very thread), do it here;
  // mu_ keeps that safe and DoStop() is idempotent.
  const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (finished.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
    if (io_.stopped() || std::chrono::steady_clock::now() >= deadline) {
      std::lock_guard lock(mu_);
      DoStop();
      return;
    }
  }
}

void Responder::Impl::DoStop() {
  if (stopped_) return;
  stopped_ = true;
  for (const auto& timer : pending_) timer->cancel();
  pending_.clear();
  if (!started_) return;
  for (const DiscoverableDevice& d : Snapshot()) {
    Send(BuildBye(d.endpoint_reference, NewMessageId(), NextSequence()), group_, "Bye");
  }
  boost::system::error_code ec;
  socket_.close(ec);
  Log("info", "WS-Discovery responder stopped");
}

std::vector<DiscoverableDevice> Responder::Impl::Snapshot() {
  try {
    return devices_ ? devices_() : std::vector<DiscoverableDevice>{};
  } catch (const std::exception& e) {
    Log("error", std::string("WS-Discovery: device snapshot failed: ") + e.what());
  } catch (...) {
    Log("error", "WS-Discovery: device snapshot failed");
  }
  return {};
}

void Responder::Impl::Send(const std::string& message, const udp::endpoint& to,
                           std::string_view what) {
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(message), to, 0, ec);
  if (ec) {
    LogLimited("WS-Discovery: sending " + std::string(what) + " to " + to.address().to_string() +
               ":" + std::to_string(to.port()) + " failed: " + ec.message());
  }
}

void Responder::Impl::LogLimited(std::string_view msg) {
  if (!options_.log || !limiter_.Allow(LogLimiter::Clock::now())) return;
  std::string line(msg);
  if (uint64_t n = limiter_.TakeSuppressed(); n > 0) {
    line += " (" + std::to_string(n) + " similar messages suppressed)";
  }
  Log("debug", line);
}

void Responder::Impl::SendHellos() {
  const std::vector<DiscoverableDevice> devices = Snapshot();
  if (devices.empty()) return;
  const std::string default_host = DefaultIpv4Host();
  for (const DiscoverableDevice& d : devices) SendHello(d, default_host);
}

void Responder::Impl::SendHello(const DiscoverableDevice& d, const std::string& default_host) {
  EndpointDescription e{d.endpoint_reference, d.scopes,
                        DeviceServiceXAddrs(d, AnnounceHost(d, default_host)), d.metadata_version};
  Send(BuildHello(e, NewMessageId(), NextSequence()), group_, "Hello");
}

void Responder::Impl::Announce(const std::string& endpoint_reference) {
  asio::post(strand_, [self = shared_from_this(), endpoint_reference] {
    std::lock_guard lock(self->mu_);
    if (!self->started_ || self->stopped_) return;
    for (const DiscoverableDevice& d : self->Snapshot()) {
      if (d.endpoint_reference == endpoint_reference) self->SendHello(d, DefaultIpv4Host());
    }
  });
}

void Responder::Impl::Depart(const std::string& endpoint_reference) {
  asio::post(strand_, [self = shared_from_this(), endpoint_reference] {
    std::lock_guard lock(self->mu_);
    if (!self->started_ || self->stopped_) return;
    self->Send(BuildBye(endpoint_reference, NewMessageId(), self->NextSequence()), self->group_,
               "Bye");
  });
}

void Responder::Impl::StartReceive() {
  socket_.async_wait(udp::socket::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       std::lock_guard lock(self->mu_);
                       self->OnReadable(ec);
                     });
}

void Responder::Impl::OnReadable(const boost::system::error_code& ec) {
  if (stopped_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    LogLimited("WS-Discovery: wait failed: " + ec.message());
  }
  for (int i = 0; i < kDatagramsPerWakeup && !stopped_; ++i) {
    sockaddr_in from{};
    iovec iov{buffer_.data(), buffer_.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in_pktinfo))];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(socket_.native_handle(), &msg, MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        LogLimited(std::string("WS-Discovery: recvmsg: ") + std::strerror(errno));
      }
      break;
    }
    if (from.sin_family != AF_INET || from.sin_port == 0) continue;
    const udp::endpoint sender(asio::ip::address_v4(ntohl(from.sin_addr.s_addr)),
                               ntohs(from.sin_port));
    if ((msg.msg_flags & MSG_TRUNC) != 0 || static_cast<std::size_t>(n) > kMaxRequestBytes) {
      LogLimited("WS-Discovery: dropping an oversized datagram from " +
                 sender.address().to_string());
      continue;
    }
    asio::ip::address destination;
    asio::ip::address arrival;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        destination = asio::ip::address_v4(ntohl(info.ipi_addr.s_addr));
        arrival = asio::ip::address_v4(ntohl(info.ipi_spec_dst.s_addr));
      }
    }
    HandleDatagram(std::string_view(buffer_.data(), static_cast<std::size_t>(n)), sender,
                   destination, arrival);
  }
  if (!stopped_) StartReceive();
}

void Responder::Impl::HandleDatagram(std::string_view bytes, const udp::endpoint& sender,
                                     const asio::ip::address& destination,
                                     const asio::ip::address& arrival) {
  auto request = ParseDiscoveryRequest(bytes);
  if (!request) {
    const bool malformed = request.error().kind == ParseError::Kind::kMalformed;
    LogLimited(std::string("WS-Discovery: ") + (malformed ? "dropping malformed" : "ignoring") +
               " datagram from " + sender.address().to_string() + ":" +
               std::to_string(sender.port()) + ": " + request.error().message);
    return;
  }
  // The address the prober reached us on: IP_PKTINFO, else ask the routing table.
  std::string arrival_host;
  if (!arrival.is_unspecified()) {
    arrival_host = arrival.to_string();
  } else if (auto local = LocalAddressFor(sender.address())) {
    arrival_host = local->to_string();
  } else {
    arrival_host = DefaultIpv4Host();
  }
  const bool multicast = destination.is_multicast();
  if (const auto* probe = std::get_if<Probe>(&*request)) {
    HandleProbe(*probe, sender, multicast, arrival_host);
  } else {
    HandleResolve(std::get<Resolve>(*request), sender, arrival_host);
  }
}

void Responder::Impl::HandleProbe(const Probe& probe, const udp::endpoint& sender, bool multicast,
                                  const std::string& arrival_host) {
  ReplyAddressing addressing{"", probe.message_id, ReplyToOrAnonymous(probe.reply_to)};
  if (probe.match_rule == MatchRule::kUnsupported) {
    LogLimited("WS-Discovery: Probe from " + sender.address().to_string() +
               " with unsupported MatchBy '" + probe.match_by + "'");
    if (!multicast) {  // never fault a multicast request (no storms)
      addressing.message_id = NewMessageId();
      Send(BuildMatchingRuleNotSupportedFault(addressing), sender, "fault");
    }
    return;
  }
  std::vector<PendingReply> replies;
  for (const DiscoverableDevice& d : Snapshot()) {
    if (!Matches(probe, d)) continue;
    replies.push_back(PendingReply{
        ReplyKind::kProbeMatches,
        EndpointDescription{d.endpoint_reference, d.scopes,
                            DeviceServiceXAddrs(d, ReplyHost(d, arrival_host)), d.metadata_version},
        addressing, sender});
  }
  Schedule(std::move(replies));
}

void Responder::Impl::HandleResolve(const Resolve& resolve, const udp::endpoint& sender,
                                    const std::string& arrival_host) {
  std::vector<PendingReply> replies;
  for (const DiscoverableDevice& d : Snapshot()) {
    if (!Matches(resolve, d)) continue;
    replies.push_back(PendingReply{
        ReplyKind::kResolveMatches,
        EndpointDescription{d.endpoint_reference, d.scopes,
                            DeviceServiceXAddrs(d, ReplyHost(d, arrival_host)), d.metadata_version},
        ReplyAddressing{"", resolve.message_id, ReplyToOrAnonymous(resolve.reply_to)}, sender});
    break;  // endpoint references are unique
  }
  Schedule(std::move(replies));
}

void Responder::Impl::Schedule(std::vector<PendingReply> replies) {
  if (replies.empty() || stopped_) return;  // stopped_: Stop() called from a callback
  // Spread the replies over [0, max_reply_delay]: reply i gets a random delay
  // in its own slice, and the slices are handed out in random order.
  const int64_t max_ms = std::max<int64_t>(0, options_.max_reply_delay.count());
  const std::size_t n = replies.size();
  std::vector<std::size_t> slots(n);
  for (std::size_t i = 0; i < n; ++i) slots[i] = i;
  std::shuffle(slots.begin(), slots.end(), rng_);
  for (std::size_t i = 0; i < n; ++i) {
    if (pending_.size() >= options_.max_pending_replies) {
      LogLimited("WS-Discovery: too many pending replies, dropping " + std::to_string(n - i));
      return;
    }
    const int64_t lo = max_ms * static_cast<int64_t>(slots[i]) / static_cast<int64_t>(n);
    const int64_t hi = max_ms * static_cast<int64_t>(slots[i] + 1) / static_cast<int64_t>(n);
    const int64_t delay = std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
    auto timer = std::make_shared<asio::steady_timer>(strand_, std::chrono::milliseconds(delay));
    pending_.insert(timer);
    timer->async_wait([self = shared_from_this(), timer,
                       reply = std::move(replies[i])](const boost::system::error_code& ec) mutable {
      std::lock_guard lock(self->mu_);
      self->pending_.erase(timer);
      if (ec || self->stopped_) return;
      self->SendReply(reply);
    });
  }
}

void Responder::Impl::SendReply(PendingReply& reply) {
  reply.addressing.message_id = NewMessageId();
  if (reply.kind == ReplyKind::kProbeMatches) {
    Send(BuildProbeMatches(reply.endpoint, reply.addressing, NextSequence()), reply.destination,
         "ProbeMatches");
  } else {
    Send(BuildResolveMatches(reply.endpoint, reply.addressing, NextSequence()), reply.destination,
         "ResolveMatches");
  }
}

Responder::Responder(asio::io_context& io, ResponderOptions options, DeviceSnapshotProvider devices)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(devices))) {}

Responder::~Responder() { impl_->Stop(); }

Status<std::string> Responder::Start() { return impl_->Start(); }

void Responder::Stop() { impl_->Stop(); }

uint16_t Responder::port() const { return impl_->port(); }

void Responder::Announce(const std::string& endpoint_reference) {
  impl_->Announce(endpoint_reference);
}

void Responder::Depart(const std::string& endpoint_reference) { impl_->Depart(endpoint_reference); }

}  // namespace onvifgw::discovery
