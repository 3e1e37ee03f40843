#pragma once
// A virtual device's HTTPS: its TLS listener, switched on and moved with
// SetNetworkProtocols, serving the certificate SetCertificatesStatus enabled.
// A change of certificates (or of client certificate mode) gives the next
// connections a new TLS context; connections already open keep theirs, and
// none is dropped.
//
// Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/expected.h"
#include "http/rebindable_listener.h"
#include "http/tls_server_context.h"
#include "soap/fault.h"

namespace onvifgw::services::device {

class DeviceCertificates;

class HttpsEndpoint {
 public:
  /// Installs itself as `certificates`' serving check: while HTTPS is
  /// served, a certificate change that leaves nothing to serve, or that TLS
  /// cannot be set up with, is refused before it is stored.
  HttpsEndpoint(std::string device_id, http::RebindableListener& listener,
                std::shared_ptr<http::TlsContextSlot> slot, DeviceCertificates& certificates);

  /// Serves HTTPS on address:port (moving there when it serves elsewhere).
  /// ter:EnablingTlsFailed when no certificate is enabled, PortAlreadyInUse
  /// when the port cannot be had; either way nothing changes.
  Status<soap::Fault> Serve(const std::string& address, uint16_t port);
  /// Stops accepting HTTPS connections (those open finish).
  void Stop();
  /// The certificates changed: the next connections are served with what
  /// they say now. Refused (ter:EnablingTlsFailed, the old context kept)
  /// when HTTPS is served and they no longer allow it.
  Status<soap::Fault> Refresh();

  bool serving() const { return listener_.port() != 0; }
  uint16_t port() const { return listener_.port(); }

 private:
  Expected<std::shared_ptr<boost::asio::ssl::context>, soap::Fault> MakeContext() const;

  const std::string device_id_;
  http::RebindableListener& listener_;
  const std::shared_ptr<http::TlsContextSlot> slot_;
  const DeviceCertificates& certificates_;
  std::mutex mu_;  ///< one change at a time
};

}  // namespace onvifgw::services::device
