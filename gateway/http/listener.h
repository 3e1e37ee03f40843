#pragma once
// Accepts TCP connections for one virtual device and gives each its own
// Session (a TlsSession on an HTTPS listener); refuses connections beyond the limit. Only accepts.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "core/expected.h"
#include "http/http_types.h"
#include "http/tls_server_context.h"

namespace onvifgw::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& io, Limits limits, Handler handler, std::string name);

  /// Binds and listens; port 0 picks a free port (see port()).
  Status<std::string> Listen(const std::string& address, unsigned short port);
  void Run();
  void Stop();
  /// Stop(), returning once the socket is closed (so its port is free). If
  /// nobody runs the io_context within a second, closes it here.
  void StopAndWait();
  /// Installs the accept-time filter (before Run()).
  void set_admission_check(AdmissionCheck check) { admit_ = std::move(check); }
  /// Lets another protocol take connections over (before Run()).
  void set_handover(ConnectionHandover handover) {
    handover_ = std::make_shared<const ConnectionHandover>(std::move(handover));
  }
  /// Serves HTTPS with the slot's current context (before Run()); a
  /// connection accepted while the slot is empty is closed.
  void set_tls(std::shared_ptr<const TlsContextSlot> tls) { tls_ = std::move(tls); }
  unsigned short port() const { return port_; }

  /// Open connections (for limits and tests).
  std::size_t connections() const { return open_->load(); }

 private:
  void Accept();
  void StartSession(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Limits limits_;
  std::shared_ptr<const Handler> handler_;
  std::string name_;
  AdmissionCheck admit_;
  std::shared_ptr<const ConnectionHandover> handover_;
  std::shared_ptr<const TlsContextSlot> tls_;
  unsigned short port_ = 0;
  std::shared_ptr<std::atomic<std::size_t>> open_ = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace onvifgw::http
