#include "services/device/dot1x_configurations.h"

#include <algorithm>

#include "security/secret_box.h"

namespace onvifgw::services::device {
namespace {

namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

Fault NoConfig(const std::string& token) {
  return soap::InvalidArgVal("No IEEE 802.1X configuration " + token.substr(0, 64), "NoConfig");
}

// What clients read: the stored configuration, which holds no password.
tt::Dot1XConfiguration Readable(const Dot1XState::Entry& e) {
  tt::Dot1XConfiguration c;
  (void)c.ParseFromString(e.configuration());
  return c;
}

// Binds a sealed password to its device and configuration, so that it cannot
// be moved to another and still open.
std::string AssociatedData(const std::string& device_id, const std::string& token) {
  return "dot1x/" + device_id + "/" + token + "/password";
}

Dot1XState::Entry* Named(Dot1XState& s, const std::string& token) {
  for (auto& e : *s.mutable_entries()) {
    if (e.token() == token) return &e;
  }
  return nullptr;
}

}  // namespace

std::vector<tt::Dot1XConfiguration> Dot1XConfigurations::List() const {
  const Dot1XState s = Current();
  std::vector<tt::Dot1XConfiguration> out;
  out.reserve(s.entries_size());
  for (const auto& e : s.entries()) out.push_back(Readable(e));
  return out;
}

Expected<tt::Dot1XConfiguration, Fault> Dot1XConfigurations::Find(const std::string& token) const {
  const Dot1XState s = Current();
  for (const auto& e : s.entries()) {
    if (e.token() == token) return Readable(e);
  }
  return MakeUnexpected(NoConfig(token));
}

// Seals the password of `configuration` into `entry` and keeps the rest
// without it. The same identity given again without a password keeps the
// one `entry` has.
std::optional<Fault> Dot1XConfigurations::Store(const tt::Dot1XConfiguration& configuration,
                                                Dot1XState::Entry& entry) const {
  tt::Dot1XConfiguration kept = configuration;
  const bool same_identity = Readable(entry).identity() == kept.identity();
  const bool given =
      kept.has_eapmethodconfiguration() && kept.eapmethodconfiguration().has_password();
  if (given) {
    const std::string& password = kept.eapmethodconfiguration().password();
    if (secrets_ == nullptr) {
      entry.set_sealed_password(password);
    } else {
      auto sealed = secrets_->Seal(password, AssociatedData(device_id(), entry.token()));
      if (!sealed) return soap::ActionFailed("The password could not be sealed");
      entry.set_sealed_password(std::move(*sealed));
    }
    kept.mutable_eapmethodconfiguration()->clear_password();
    // Nothing else in it: no empty element in what clients read.
    if (kept.eapmethodconfiguration().ByteSizeLong() == 0) kept.clear_eapmethodconfiguration();
  } else if (!same_identity) {
    entry.clear_sealed_password();
  }
  entry.set_configuration(kept.SerializeAsString());
  return std::nullopt;
}

Status<Fault> Dot1XConfigurations::Create(const tt::Dot1XConfiguration& configuration) {
  return Update([&](Dot1XState& s) -> std::optional<Fault> {
    const std::string& token = configuration.dot1xconfigurationtoken();
    if (Named(s, token) != nullptr) {
      return soap::InvalidArgVal("An IEEE 802.1X configuration " + token +
                                     " exists already: SetDot1XConfiguration "
                                     "changes it",
                                 "ReferenceToken");
    }
    if (s.entries_size() >= kMax) {
      return Fault{soap::FaultCode::kReceiver,
                   {"Action", "MaxDot1X"},
                   "At most " + std::to_string(kMax) + " IEEE 802.1X configurations are kept"};
    }
    Dot1XState::Entry* e = s.add_entries();
    e->set_token(token);
    return Store(configuration, *e);
  });
}

Status<Fault> Dot1XConfigurations::Replace(const tt::Dot1XConfiguration& configuration) {
  return Update([&](Dot1XState& s) -> std::optional<Fault> {
    Dot1XState::Entry* e = Named(s, configuration.dot1xconfigurationtoken());
    if (e == nullptr) return NoConfig(configuration.dot1xconfigurationtoken());
    return Store(configuration, *e);
  });
}

Status<Fault> Dot1XConfigurations::Delete(const std::vector<std::string>& tokens) {
  return Update([&](Dot1XState& s) -> std::optional<Fault> {
    for (const std::string& token : tokens) {
      if (Named(s, token) == nullptr) return NoConfig(token);
    }
    auto* list = s.mutable_entries();
    list->erase(std::remove_if(list->begin(), list->end(),
                               [&](const Dot1XState::Entry& e) {
                                 return std::find(tokens.begin(), tokens.end(), e.token()) !=
                                        tokens.end();
                               }),
                list->end());
    return std::nullopt;
  });
}

std::string Dot1XConfigurations::PasswordOf(const std::string& token) const {
  const Dot1XState s = Current();
  for (const auto& e : s.entries()) {
    if (e.token() != token) continue;
    if (e.sealed_password().empty() || secrets_ == nullptr) return e.sealed_password();
    auto opened = secrets_->Open(e.sealed_password(), AssociatedData(device_id(), token));
    return opened ? *opened : std::string();
  }
  return {};
}

std::optional<std::string> Dot1XConfigurations::ConfigurationNaming(const std::string& id) const {
  for (const auto& c : List()) {
    const bool names =
        std::find(c.cacertificateid().begin(), c.cacertificateid().end(), id) !=
            c.cacertificateid().end() ||
        (c.has_eapmethodconfiguration() && c.eapmethodconfiguration().has_tlsconfiguration() &&
         c.eapmethodconfiguration().tlsconfiguration().certificateid() == id);
    if (names) return c.dot1xconfigurationtoken();
  }
  return std::nullopt;
}

}  // namespace onvifgw::services::device
