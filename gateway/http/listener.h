#pragma once
// Accepts TCP connections for one virtual device and gives each its own
// Session; refuses connections beyond the limit. Only accepts.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "core/expected.h"
#include "http/http_types.h"

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
  unsigned short port() const { return port_; }

  /// Open connections (for limits and tests).
  std::size_t connections() const { return open_->load(); }

 private:
  void Accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Limits limits_;
  std::shared_ptr<const Handler> handler_;
  std::string name_;
  AdmissionCheck admit_;
  std::shared_ptr<const ConnectionHandover> handover_;
  unsigned short port_ = 0;
  std::shared_ptr<std::atomic<std::size_t>> open_ = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace onvifgw::http
