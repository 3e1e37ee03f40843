#include "services/device/https_endpoint.h"

#include "core/log.h"
#include "services/device/device_certificates.h"

namespace onvifgw::services::device {

using soap::Fault;

HttpsEndpoint::HttpsEndpoint(std::string device_id, http::RebindableListener& listener,
                             std::shared_ptr<http::TlsContextSlot> slot,
                             DeviceCertificates& certificates)
    : device_id_(std::move(device_id)),
      listener_(listener),
      slot_(std::move(slot)),
      certificates_(certificates) {
  certificates.set_serving_check([this](const CertificateState& next) -> std::optional<Fault> {
    if (!serving()) return std::nullopt;
    auto credentials = certificates_.CredentialsIn(next);
    if (!credentials) {
      return soap::InvalidArgVal(
          "HTTPS is on and needs an enabled server certificate: enable another one, or switch "
          "HTTPS off (SetNetworkProtocols) first");
    }
    if (auto context = http::MakeTlsServerContext(*credentials); !context) {
      return soap::ActionNotSupported(
          std::string("HTTPS cannot be served with it: ") + context.error(), "EnablingTlsFailed");
    }
    return std::nullopt;
  });
}

Expected<std::shared_ptr<boost::asio::ssl::context>, Fault> HttpsEndpoint::MakeContext() const {
  auto credentials = certificates_.ServerCredentials();
  if (!credentials) {
    return MakeUnexpected(soap::ActionNotSupported(
        "HTTPS needs an enabled server certificate (CreateCertificate or LoadCertificates, "
        "then SetCertificatesStatus)",
        "EnablingTlsFailed"));
  }
  auto context = http::MakeTlsServerContext(*credentials);
  if (!context) {
    log::WriteAbout(log::Level::kError, "https", device_id_, context.error());
    return MakeUnexpected(soap::ActionNotSupported(
        std::string("TLS cannot be set up: ") + context.error(), "EnablingTlsFailed"));
  }
  return std::move(context).value();
}

Status<Fault> HttpsEndpoint::Serve(const std::string& address, uint16_t port) {
  std::lock_guard lock(mu_);
  auto context = MakeContext();
  if (!context) return MakeUnexpected(context.error());
  auto before = slot_->Current();
  slot_->Replace(*context);
  if (listener_.port() == port && listener_.address() == address) return {};
  if (auto st = listener_.Rebind(address, port); !st) {
    slot_->Replace(std::move(before));
    log::WriteAbout(log::Level::kWarn, "https", device_id_, st.error());
    return MakeUnexpected(soap::InvalidArgVal(
        std::string("Port ") + std::to_string(port) + " cannot be used for HTTPS: it is in use",
        "PortAlreadyInUse"));
  }
  log::WriteAbout(log::Level::kInfo, "https", device_id_,
                  std::string("serving https://") +
                      (address == "0.0.0.0" ? std::string("127.0.0.1") : address) +
                      std::string(":") + std::to_string(listener_.port()) +
                      "/onvif/device_service");
  return {};
}

void HttpsEndpoint::Stop() {
  std::lock_guard lock(mu_);
  if (!serving()) return;
  listener_.StopAndWait();
  log::WriteAbout(log::Level::kInfo, "https", device_id_, "HTTPS switched off");
}

Status<Fault> HttpsEndpoint::Refresh() {
  std::lock_guard lock(mu_);
  auto context = MakeContext();
  if (!context) {
    if (serving()) return MakeUnexpected(context.error());
    slot_->Replace(nullptr);
    return {};
  }
  slot_->Replace(std::move(context).value());
  return {};
}

}  // namespace onvifgw::services::device
