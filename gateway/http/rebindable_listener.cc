#include "http/rebindable_listener.h"

namespace onvifgw::http {

RebindableListener::RebindableListener(boost::asio::io_context& io, Limits limits, Handler handler,
                                       std::string name, AdmissionCheck admission,
                                       ConnectionHandover handover,
                                       std::shared_ptr<const TlsContextSlot> tls)
    : io_(io),
      limits_(limits),
      handler_(std::move(handler)),
      name_(std::move(name)),
      admission_(std::move(admission)),
      handover_(std::move(handover)),
      tls_(std::move(tls)) {}

RebindableListener::~RebindableListener() { Stop(); }

Expected<std::shared_ptr<Listener>, std::string> RebindableListener::Open(
    const std::string& address, uint16_t port) {
  auto listener = std::make_shared<Listener>(io_, limits_, handler_, name_);
  if (admission_) listener->set_admission_check(admission_);
  if (handover_) listener->set_handover(handover_);
  if (tls_) listener->set_tls(tls_);
  if (auto st = listener->Listen(address, port); !st) return MakeUnexpected(st.error());
  listener->Run();
  return listener;
}

Status<std::string> RebindableListener::Listen(const std::string& address, uint16_t port) {
  return Rebind(address, port);
}

Status<std::string> RebindableListener::Rebind(const std::string& address, uint16_t port) {
  std::lock_guard lock(mu_);
  if (current_ && current_->port() == port) {
    // The same port on another address: Linux refuses a second listening
    // socket beside a wildcard one, so the old socket closes first and is
    // reopened if the new one cannot be bound.
    current_->StopAndWait();
    auto next = Open(address, port);
    if (!next) {
      auto back = Open(address_, port);
      if (back) current_ = std::move(back).value();
      return MakeUnexpected(next.error());
    }
    current_ = std::move(next).value();
    address_ = address;
    return {};
  }
  auto next = Open(address, port);
  if (!next) return MakeUnexpected(next.error());
  if (current_) current_->Stop();
  current_ = std::move(next).value();
  address_ = address;
  return {};
}

void RebindableListener::Stop() {
  std::lock_guard lock(mu_);
  if (current_) current_->Stop();
  current_.reset();
}

void RebindableListener::StopAndWait() {
  std::lock_guard lock(mu_);
  if (current_) current_->StopAndWait();
  current_.reset();
}

uint16_t RebindableListener::port() const {
  std::lock_guard lock(mu_);
  return current_ ? current_->port() : 0;
}

std::string RebindableListener::address() const {
  std::lock_guard lock(mu_);
  return address_;
}

}  // namespace onvifgw::http
