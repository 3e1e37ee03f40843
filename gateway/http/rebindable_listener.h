#pragma once
// A device's HTTP listener that clients may move to another address or port
// (SetNetworkProtocols, SetNetworkInterfaces): the new socket is bound before
// the old one closes, so a failed move changes nothing, and connections open
// on the old socket finish their requests (the answer to the move itself
// goes out on one of them).
//
// Thread-safe.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/expected.h"
#include "http/http_types.h"
#include "http/listener.h"

namespace onvifgw::http {

class RebindableListener {
 public:
  RebindableListener(boost::asio::io_context& io, Limits limits, Handler handler, std::string name,
                     AdmissionCheck admission = {}, ConnectionHandover handover = {},
                     std::shared_ptr<const TlsContextSlot> tls = nullptr);
  ~RebindableListener();
  RebindableListener(const RebindableListener&) = delete;
  RebindableListener& operator=(const RebindableListener&) = delete;

  /// Binds and starts accepting; port 0 picks a free port.
  Status<std::string> Listen(const std::string& address, uint16_t port);
  /// Binds address:port and accepts there instead; on failure the old
  /// socket keeps serving and the error says why.
  Status<std::string> Rebind(const std::string& address, uint16_t port);
  /// Stops accepting (open connections finish); port() is 0 until the
  /// next Listen.
  void Stop();
  /// Stop(), returning once the port is free (to listen there again).
  void StopAndWait();

  /// 0 when not listening.
  uint16_t port() const;
  std::string address() const;

 private:
  Expected<std::shared_ptr<Listener>, std::string> Open(const std::string& address, uint16_t port);

  boost::asio::io_context& io_;
  const Limits limits_;
  const Handler handler_;
  const std::string name_;
  const AdmissionCheck admission_;
  const ConnectionHandover handover_;
  const std::shared_ptr<const TlsContextSlot> tls_;
  mutable std::mutex mu_;
  std::shared_ptr<Listener> current_;
  std::string address_;
};

}  // namespace onvifgw::http
