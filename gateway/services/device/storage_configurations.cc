#include "services/device/storage_configurations.h"

#include <algorithm>

#include "security/secret_box.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
using soap::Fault;

Fault NoConfig(const std::string& token) {
  return soap::InvalidArgVal("No storage configuration " + token.substr(0, 64), "NoConfig");
}

// What clients read: the stored configuration, which holds no credentials.
tds::StorageConfiguration Readable(const StorageState::Entry& e) {
  tds::StorageConfiguration c;
  (void)c.ParseFromString(e.configuration());
  return c;
}

// Binds a sealed credential to its device, configuration and field, so that
// one cannot be moved to another and still open.
std::string AssociatedData(const std::string& device_id, const std::string& token,
                           const char* field) {
  return "storage/" + device_id + "/" + token + "/" + field;
}

}  // namespace

std::vector<tds::StorageConfiguration> StorageConfigurations::List() const {
  const StorageState s = Current();
  std::vector<tds::StorageConfiguration> out;
  out.reserve(s.entries_size());
  for (const auto& e : s.entries()) out.push_back(Readable(e));
  return out;
}

Expected<tds::StorageConfiguration, Fault> StorageConfigurations::Find(
    const std::string& token) const {
  const StorageState s = Current();
  for (const auto& e : s.entries()) {
    if (e.token() == token) return Readable(e);
  }
  return MakeUnexpected(NoConfig(token));
}

// Seals the credentials of `configuration` into `entry` and keeps the rest
// without them. A user name given again without its secrets keeps the ones
// `entry` already has.
std::optional<Fault> StorageConfigurations::Store(const tds::StorageConfiguration& configuration,
                                                  StorageState::Entry& entry) const {
  tds::StorageConfiguration kept = configuration;
  const tds::StorageConfiguration before = Readable(entry);
  const bool same_user = before.data().has_user() && kept.data().has_user() &&
                         before.data().user().username() == kept.data().user().username();
  auto seal = [&](const char* field, bool given, const std::string& value,
                  std::string* sealed) -> std::optional<Fault> {
    if (!given) {
      if (!same_user) sealed->clear();
      return std::nullopt;
    }
    if (secrets_ == nullptr) {
      *sealed = value;
      return std::nullopt;
    }
    auto s = secrets_->Seal(value, AssociatedData(device_id(), entry.token(), field));
    if (!s) return soap::ActionFailed("The credentials could not be sealed");
    *sealed = std::move(*s);
    return std::nullopt;
  };
  const bool has_user = kept.data().has_user();
  const auto& user = kept.data().user();
  if (auto f = seal("password", has_user && user.has_password(), user.password(),
                    entry.mutable_sealed_password())) {
    return f;
  }
  if (auto f =
          seal("token", has_user && user.has_token(), user.token(), entry.mutable_sealed_token())) {
    return f;
  }
  if (!has_user) {
    entry.clear_sealed_password();
    entry.clear_sealed_token();
  }
  if (has_user) {
    kept.mutable_data()->mutable_user()->clear_password();
    kept.mutable_data()->mutable_user()->clear_token();
  }
  kept.set_token(entry.token());
  entry.set_configuration(kept.SerializeAsString());
  return std::nullopt;
}

Expected<std::string, Fault> StorageConfigurations::Create(
    const tds::StorageConfigurationData& data) {
  std::string token;
  auto st = Update([&](StorageState& s) -> std::optional<Fault> {
    if (s.entries_size() >= kMax) {
      return Fault{soap::FaultCode::kReceiver,
                   {"OperationProhibited", "MaxStorageConfigurations"},
                   "At most " + std::to_string(kMax) + " storage configurations are kept"};
    }
    const uint64_t n = std::max<uint64_t>(s.next_token(), 1);
    s.set_next_token(n + 1);
    token = "storage_" + std::to_string(n);
    StorageState::Entry* e = s.add_entries();
    e->set_token(token);
    tds::StorageConfiguration c;
    *c.mutable_data() = data;
    return Store(c, *e);
  });
  if (!st) return MakeUnexpected(st.error());
  return token;
}

Status<Fault> StorageConfigurations::Replace(const tds::StorageConfiguration& configuration) {
  return Update([&](StorageState& s) -> std::optional<Fault> {
    for (auto& e : *s.mutable_entries()) {
      if (e.token() == configuration.token()) return Store(configuration, e);
    }
    return NoConfig(configuration.token());
  });
}

Status<Fault> StorageConfigurations::Delete(const std::string& token) {
  return Update([&](StorageState& s) -> std::optional<Fault> {
    auto* list = s.mutable_entries();
    auto it = std::find_if(list->begin(), list->end(),
                           [&](const StorageState::Entry& e) { return e.token() == token; });
    if (it == list->end()) return NoConfig(token);
    list->erase(it);
    return std::nullopt;
  });
}

std::string StorageConfigurations::Reveal(const std::string& sealed, const std::string& token,
                                          const char* field) const {
  if (sealed.empty() || secrets_ == nullptr) return sealed;
  auto opened = secrets_->Open(sealed, AssociatedData(device_id(), token, field));
  return opened ? *opened : std::string();
}

StorageConfigurations::Credentials StorageConfigurations::CredentialsOf(
    const std::string& token) const {
  const StorageState s = Current();
  for (const auto& e : s.entries()) {
    if (e.token() != token) continue;
    return {Reveal(e.sealed_password(), token, "password"),
            Reveal(e.sealed_token(), token, "token")};
  }
  return {};
}

}  // namespace onvifgw::services::device
