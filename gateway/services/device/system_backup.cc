#include "services/device/system_backup.h"

#include <algorithm>

#include "adapters/camera_adapter.h"
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

namespace {

using store::v1::DeviceBackup;
using Cameras = std::shared_ptr<const std::vector<std::string>>;

// The cameras of the device whose adapters export their configuration, each
// once, in the config's order.
std::vector<std::string> ConfigurableCameras(const VirtualDevice& d) {
  return CamerasWith(d,
                     [](const adapters::v1::Capabilities& c) { return c.configuration_backup(); });
}

// The device's stored state: every setting and user, as the store keeps them.
Expected<DeviceBackup, std::string> StoredStateOf(const VirtualDevice& d) {
  auto settings = d.state->Settings(d.config.id);
  if (!settings) return MakeUnexpected(settings.error());
  auto users = d.state->Users(d.config.id);
  if (!users) return MakeUnexpected(users.error());
  DeviceBackup b;
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
  return b;
}

// Adds the configurations of cameras[next...] to `backup`, one after the
// other, then calls `done`.
void ExportCameras(const VirtualDevice* d, std::shared_ptr<DeviceBackup> backup, Cameras cameras,
                   std::size_t next, std::function<void(Status<std::string>)> done) {
  if (next == cameras->size()) return done({});
  d->adapter->ExportConfiguration(
      (*cameras)[next], kMaxCameraConfigurationBytes,
      [d, backup, cameras, next, done = std::move(done)](const grpc::Status& st,
                                                         const std::string& file) {
        const std::string& camera = (*cameras)[next];
        if (!st.ok()) {
          return done(MakeUnexpected("the configuration of camera " + camera +
                                     " could not be read: " + st.error_message()));
        }
        auto* c = backup->add_cameras();
        c->set_camera_id(camera);
        c->set_configuration(file);
        ExportCameras(d, backup, cameras, next + 1, done);
      });
}

// The backup in `file`, if it is one of this device by this gateway.
Expected<DeviceBackup, RestoreFailure> OpenBackup(const VirtualDevice& d, std::string_view file) {
  const RestoreFailure invalid{RestoreFailure::kInvalidFile,
                               "Not a backup of this device by this gateway"};
  if (file.size() > kMaxBackupBytes || file.substr(0, kMagic.size()) != kMagic) {
    return MakeUnexpected(invalid);
  }
  // Another gateway's key, another device, or any changed byte: refused here.
  auto plain = d.secrets->Open(file.substr(kMagic.size()), AssociatedData(d));
  DeviceBackup b;
  if (!plain || !b.ParseFromString(*plain) || b.device_id() != d.config.id ||
      b.endpoint_reference() != d.identity.endpoint_reference) {
    return MakeUnexpected(invalid);
  }
  return b;
}

using CameraFiles = std::shared_ptr<const std::vector<DeviceBackup::CameraConfiguration>>;

// Gives cameras[next...] their configurations back, one after the other,
// then calls `done`; the first one refused or failing stops it.
void ImportCameras(const VirtualDevice* d, CameraFiles cameras, std::size_t next,
                   std::function<void(Status<RestoreFailure>)> done) {
  if (next == cameras->size()) return done({});
  const DeviceBackup::CameraConfiguration& c = (*cameras)[next];
  d->adapter->ImportConfiguration(
      c.camera_id(), c.configuration(),
      [d, cameras, next, done = std::move(done)](const grpc::Status& st,
                                                 const adapters::v1::ImportConfigurationResponse&) {
        const std::string& camera = (*cameras)[next].camera_id();
        if (!st.ok()) {
          const std::string before = next > 0 ? " (the cameras before it were restored)" : "";
          log::WriteAbout(log::Level::kError, "device", d->config.id,
                          "restore: camera " + camera +
                              " refused its configuration: " + st.error_message() + before);
          const bool refused = st.error_code() == grpc::StatusCode::INVALID_ARGUMENT;
          return done(MakeUnexpected(RestoreFailure{
              refused ? RestoreFailure::kInvalidFile : RestoreFailure::kDeviceError,
              "Camera " + camera + (refused ? " refused its configuration" : " failed") + ": " +
                  st.error_message() + before}));
        }
        log::WriteAbout(log::Level::kInfo, "device", d->config.id,
                        "restore: camera " + camera + " configuration restored");
        ImportCameras(d, cameras, next + 1, done);
      });
}

// Replaces the device's stored state with the backup's, in one transaction.
Status<RestoreFailure> RestoreStoredState(const VirtualDevice& d, const DeviceBackup& b) {
  store::StateStore::DeviceReset replace;
  for (const auto& s : b.settings()) replace.put.emplace_back(s.key(), s.value());
  replace.users.emplace();
  for (const auto& u : b.users()) {
    replace.users->push_back({u.username(), u.level(), u.sealed_password(), u.fixed(), u.roles()});
  }
  if (auto st = d.state->ResetDevice(d.config.id, replace); !st) {
    log::WriteAbout(log::Level::kError, "device", d.config.id, "restore not stored: " + st.error());
    return MakeUnexpected(
        RestoreFailure{RestoreFailure::kDeviceError, "The restore could not be stored"});
  }
  ReloadDeviceState(d);
  log::WriteAbout(log::Level::kWarn, "device", d.config.id,
                  "restored from a backup of " + std::to_string(b.created()) + " (" +
                      std::to_string(b.settings_size()) + " settings, " +
                      std::to_string(b.users_size()) + " users, " +
                      std::to_string(b.cameras_size()) + " camera configurations)");
  return {};
}

}  // namespace

void MakeBackup(const VirtualDevice& d, BackupDone done) {
  if (!BackupOffered(d)) return done(MakeUnexpected(std::string("the device keeps no state")));
  auto state = StoredStateOf(d);
  if (!state) return done(MakeUnexpected(state.error()));
  auto backup = std::make_shared<DeviceBackup>(std::move(state).value());
  auto cameras = std::make_shared<const std::vector<std::string>>(ConfigurableCameras(d));
  if (!cameras->empty() && !d.adapter->available()) {
    return done(MakeUnexpected(std::string("the camera is not reachable at the moment")));
  }
  const VirtualDevice* device = &d;
  ExportCameras(
      device, backup, cameras, 0, [device, backup, done = std::move(done)](Status<std::string> st) {
        if (!st) return done(MakeUnexpected(st.error()));
        auto sealed = device->secrets->Seal(backup->SerializeAsString(), AssociatedData(*device));
        if (!sealed) return done(MakeUnexpected(sealed.error()));
        done(std::string(kMagic) + *sealed);
      });
}

void RestoreBackup(const VirtualDevice& d, std::string file, RestoreDone done) {
  if (!BackupOffered(d)) {
    return done(MakeUnexpected(
        RestoreFailure{RestoreFailure::kDeviceError, "The device keeps no state to restore"}));
  }
  auto opened = OpenBackup(d, file);
  if (!opened) return done(MakeUnexpected(opened.error()));
  auto backup = std::make_shared<const DeviceBackup>(std::move(opened).value());
  // The configurations of the cameras the device still has and can give one
  // to; any other (the config changed since the backup) is left out.
  const std::vector<std::string> now = ConfigurableCameras(d);
  std::vector<DeviceBackup::CameraConfiguration> files;
  for (const auto& c : backup->cameras()) {
    if (std::find(now.begin(), now.end(), c.camera_id()) != now.end()) {
      files.push_back(c);
    } else {
      log::WriteAbout(log::Level::kWarn, "device", d.config.id,
                      "restore: the configuration of camera " + c.camera_id() +
                          " is left out: the device no longer has that camera, or it no longer "
                          "takes one");
    }
  }
  if (!files.empty() && !d.adapter->available()) {
    return done(MakeUnexpected(
        RestoreFailure{RestoreFailure::kDeviceError,
                       "The camera is not reachable at the moment; nothing was restored"}));
  }
  const VirtualDevice* device = &d;
  ImportCameras(device, std::make_shared<const decltype(files)>(std::move(files)), 0,
                [device, backup, done = std::move(done)](Status<RestoreFailure> st) {
                  if (!st) return done(std::move(st));
                  done(RestoreStoredState(*device, *backup));
                });
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
