#include "http/listener.h"

#include <fcntl.h>

#include <boost/asio/strand.hpp>
#include <chrono>
#include <future>

#include "core/log.h"
#include "http/peer_address.h"
#include "http/session.h"

namespace onvifgw::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(asio::io_context& io, Limits limits, Handler handler, std::string name)
    : io_(io),
      acceptor_(asio::make_strand(io)),
      limits_(limits),
      handler_(std::make_shared<const Handler>(std::move(handler))),
      name_(std::move(name)) {}

Status<std::string> Listener::Listen(const std::string& address, unsigned short port) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec) return MakeUnexpected("invalid address '" + address + "'");
  tcp::endpoint ep(ip, port);
  acceptor_.open(ep.protocol(), ec);
  // Not inherited by spawned adapters: a child that outlives a killed
  // gateway must not keep the device's port busy.
  if (!ec) ::fcntl(acceptor_.native_handle(), F_SETFD, FD_CLOEXEC);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeUnexpected("cannot listen on " + address + ":" + std::to_string(port) + ": " +
                          ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  return {};
}

void Listener::Run() { Accept(); }

void Listener::Stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
  });
}

void Listener::StopAndWait() {
  auto closed = std::make_shared<std::promise<void>>();
  std::future<void> done = closed->get_future();
  asio::post(acceptor_.get_executor(), [self = shared_from_this(), closed] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    closed->set_value();
  });
  if (done.wait_for(std::chrono::seconds(1)) != std::future_status::ready) {
    boost::system::error_code ec;
    acceptor_.close(ec);
  }
}

void Listener::StartSession(tcp::socket socket) {
  if (!tls_) {
    std::make_shared<Session>(std::move(socket), limits_, handler_, open_, handover_)->Start();
    return;
  }
  auto context = tls_->Current();
  if (!context) {
    boost::system::error_code ignored;
    socket.close(ignored);  // no certificate to serve (any more)
    return;
  }
  std::make_shared<TlsSession>(std::move(socket), limits_, handler_, open_, std::move(context))
      ->Start();
}

void Listener::Accept() {
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (!ec && self->admit_) {
          boost::system::error_code rec;
          auto remote = socket.remote_endpoint(rec);
          const auto addr = WithoutV4Mapping(remote.address());
          if (rec || !self->admit_(addr.to_string())) {
            // Refused by the IP address filter: close before reading a byte.
            log::Debug("http", self->name_ + ": connection from " +
                                   (rec ? std::string("?") : addr.to_string()) +
                                   " refused by the IP address filter");
            boost::system::error_code ignored;
            socket.close(ignored);
            return self->Accept();
          }
        }
        if (!ec) {
          if (self->open_->load() >= self->limits_.max_connections) {
            // Over the limit: close at once; the client retries later.
            log::Warn("http", self->name_ + ": connection limit reached, refusing a connection");
            boost::system::error_code ignored;
            socket.close(ignored);
          } else {
            ::fcntl(socket.native_handle(), F_SETFD, FD_CLOEXEC);
            self->StartSession(std::move(socket));
          }
        }
        self->Accept();
      });
}

}  // namespace onvifgw::http
