#include "services/device/system_backup.h"

#include <algorithm>

#include "core/log.h"
#include "security/secret_box.h"
#include "services/device/device_state_reload.h"
#include "store/random_ids.h"
#include "store/state_store.h"
#include "store/v1/device_backup.pb.h"

namespace onvifgw::services::device {
namespace {

constexpr std::string_view kMagic = "ONVIFGW-BACKUP-1\n";

std::string AssociatedData(const VirtualDevice& d) { return "backup/" + d.config.id; }

}  // namespace

std::string BackupFileName(const VirtualDevice& device) {
  return device.config.id + ".onvifgw-backup";
}

bool BackupOffered(const VirtualDevice& d) {
  return d.state != nullptr && d.secrets != nullptr && d.restore_tickets != nullptr;
}

Expected<std::string, std::string> MakeBackup(const VirtualDevice& d) {
  if (!BackupOffered(d)) return MakeUnexpected(std::string("the device keeps no state"));
  auto settings = d.state->Settings(d.config.id);
  if (!settings) return MakeUnexpected(settings.error());
  auto users = d.state->Users(d.config.id);
  if (!users) return MakeUnexpected(users.error());
  store::v1::DeviceBackup b;
  b.set_device_id(d.config.id);
  b.set_endpoint_reference(d.identity.endpoint_reference);
  b.set_created(
      std::chrono::duration_cast<std::chrono::seconds>(d.clock->Now().time_since_epoch()).count());
  for (const auto& [key, value] : *settings) {
    auto* s = b.add_settings();
    s->set_key(key);
    s->set_value(value);
  }
  for (const store::StoredUser& u : *users) {
    auto* user = b.add_users();
    user->set_username(u.username);
    user->set_level(u.level);
    user->set_sealed_password(u.sealed_password);
    user->set_fixed(u.fixed);
    user->set_roles(u.roles);
  }
  auto sealed = d.secrets->Seal(b.SerializeAsString(), AssociatedData(d));
  if (!sealed) return MakeUnexpected(sealed.error());
  return std::string(kMagic) + *sealed;
}

Status<RestoreFailure> RestoreBackup(const VirtualDevice& d, std::string_view file) {
  if (!BackupOffered(d)) return MakeUnexpected(RestoreFailure::kDeviceError);
  if (file.size() > kMaxBackupBytes || file.substr(0, kMagic.size()) != kMagic) {
    return MakeUnexpected(RestoreFailure::kInvalidFile);
  }
  // Another gateway's key, another device, or any changed byte: refused here.
  auto plain = d.secrets->Open(file.substr(kMagic.size()), AssociatedData(d));
  store::v1::DeviceBackup b;
  if (!plain || !b.ParseFromString(*plain) || b.device_id() != d.config.id ||
      b.endpoint_reference() != d.identity.endpoint_reference) {
    return MakeUnexpected(RestoreFailure::kInvalidFile);
  }
  store::StateStore::DeviceReset replace;
  for (const auto& s : b.settings()) replace.put.emplace_back(s.key(), s.value());
  replace.users.emplace();
  for (const auto& u : b.users()) {
    replace.users->push_back({u.username(), u.level(), u.sealed_password(), u.fixed(), u.roles()});
  }
  if (auto st = d.state->ResetDevice(d.config.id, replace); !st) {
    log::WriteAbout(log::Level::kError, "device", d.config.id, "restore not stored: " + st.error());
    return MakeUnexpected(RestoreFailure::kDeviceError);
  }
  ReloadDeviceState(d);
  log::WriteAbout(log::Level::kWarn, "device", d.config.id,
                  "restored from a backup of " + std::to_string(b.created()) + " (" +
                      std::to_string(b.settings_size()) + " settings, " +
                      std::to_string(b.users_size()) + " users)");
  return {};
}

std::string UploadTickets::Issue() {
  std::string ticket = store::RandomHex(16);
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  std::erase_if(expiry_, [&](const auto& t) { return t.second <= now; });
  expiry_[ticket] = now + kLifetime;
  return ticket;
}

bool UploadTickets::Redeem(const std::string& ticket) {
  std::lock_guard lock(mu_);
  auto it = expiry_.find(ticket);
  if (it == expiry_.end()) return false;
  const bool valid = it->second > std::chrono::steady_clock::now();
  expiry_.erase(it);
  return valid;
}

}  // namespace onvifgw::services::device
