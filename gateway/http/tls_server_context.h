#pragma once
// The TLS side of a device's HTTPS listener: what it serves (its enabled
// server certificate and key, and when client certificates are required, the
// CA certificates they must chain to), turned into an Asio SSL context with
// TLS 1.2 and 1.3 only and forward-secret AEAD cipher suites.
//
// A TlsContextSlot holds the context new connections are served with; a
// certificate changed at run time replaces it there, and connections already
// open keep the one they started with.

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/expected.h"

namespace onvifgw::http {

struct TlsServerCredentials {
  std::string certificate_der;  ///< the server certificate
  std::string private_key_der;  ///< its key, PKCS#8 DER
  /// CA certificates (DER) a client certificate must chain to; with
  /// `require_client_certificate`, at least one.
  std::vector<std::string> client_ca_der = {};
  bool require_client_certificate = false;
};

/// The context, or why not (a certificate or key OpenSSL refuses, a key
/// that does not match the certificate, client certificates required with
/// no CA to check them against).
Expected<std::shared_ptr<boost::asio::ssl::context>, std::string> MakeTlsServerContext(
    const TlsServerCredentials& credentials);

/// Thread-safe.
class TlsContextSlot {
 public:
  std::shared_ptr<boost::asio::ssl::context> Current() const {
    std::lock_guard lock(mu_);
    return context_;
  }
  void Replace(std::shared_ptr<boost::asio::ssl::context> context) {
    std::lock_guard lock(mu_);
    context_ = std::move(context);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> context_;
};

}  // namespace onvifgw::http
