#pragma once
// A device's backup and its restore (Core §8.3.2, §8.3.5): the backup is
// every stored setting and user of the device (passwords stay sealed) and
// the configuration of each of its cameras whose adapter exports one
// (capability configuration_backup), sealed with the gateway's secret key
// and bound to the device, so a restore accepts exactly what this gateway's
// backup of this device produced and refuses anything else (another
// device's, another gateway's, a modified or truncated file) without
// changing anything. A restore gives each camera its configuration back
// first (a camera that refuses it stops the restore before the gateway
// changes anything), then replaces the device's stored state in one
// transaction and reloads it (device_state_reload.h). The device's identity
// is the hardware's and is neither saved nor restored.
//
// The file travels either over HTTP on the device's port (GET kBackupPath,
// GetSystemUris' SystemBackupUri; POST to the one-time URI that
// StartSystemRestore hands out) or as an MTOM attachment (GetSystemBackup,
// RestoreSystem).

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/expected.h"
#include "services/virtual_device.h"

namespace onvifgw::services::device {

inline constexpr std::string_view kBackupPath = "/onvif/system/backup";
inline constexpr std::string_view kRestorePathPrefix = "/onvif/system/restore/";
/// Largest camera configuration a backup keeps (the adapter's export is
/// refused past it, and so is the backup).
inline constexpr std::size_t kMaxCameraConfigurationBytes = 1 << 20;
/// Largest upload a restore accepts: the device's state is a few KiB, its
/// cameras' configurations up to kMaxCameraConfigurationBytes each.
inline constexpr std::size_t kMaxBackupBytes = 8 << 20;

/// Whether the device can be backed up and restored (it has a store and the
/// gateway's key).
bool BackupOffered(const VirtualDevice& device);

/// The name its backup file goes by ("<device id>.onvifgw-backup").
std::string BackupFileName(const VirtualDevice& device);

/// The backup file of the device now, or why there is none (a storage
/// failure, a camera that could not be read) to log and say. `done` runs
/// once, on a gRPC thread when a camera was asked; `device` must outlive it.
using BackupDone = std::function<void(Expected<std::string, std::string>)>;
void MakeBackup(const VirtualDevice& device, BackupDone done);

struct RestoreFailure {
  enum Kind {
    kInvalidFile,  ///< not a backup of this device by this gateway (HTTP 415)
    kDeviceError,  ///< it could not be applied; nothing changed (HTTP 500)
  };
  Kind kind = kDeviceError;
  std::string reason;
};
/// Restores `file`. A file refused changes nothing; a camera failing stops
/// the restore before the gateway's state changes. `done` runs once,
/// possibly on a gRPC thread; `device` must outlive it.
using RestoreDone = std::function<void(Status<RestoreFailure>)>;
void RestoreBackup(const VirtualDevice& device, std::string file, RestoreDone done);

/// One-time upload URIs (StartSystemRestore, StartFirmwareUpgrade): a ticket is
/// valid for kLifetime and one upload. Thread-safe.
class UploadTickets {
 public:
  static constexpr std::chrono::seconds kLifetime{300};

  /// A new ticket (32 hex digits).
  std::string Issue();
  /// Whether `ticket` is valid now; it is used up either way.
  bool Redeem(const std::string& ticket);

 private:
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> expiry_;
};

}  // namespace onvifgw::services::device
