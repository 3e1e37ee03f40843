#include "services/device/system_backup_operations.h"

#include "core/log.h"
#include "onvif/generated/tds.pb.h"
#include "services/attachment_data.h"
#include "services/device/system_backup.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
using soap::Fault;

constexpr const char* kBackupContentType = "application/octet-stream";

Fault NothingToBackUp() {
  return soap::ActionNotSupported("The device keeps no state to back up or restore");
}

Fault InvalidBackupFile(std::string why) {
  return soap::InvalidArgVal(std::move(why), "InvalidBackupFile");
}

Expected<tds::StartSystemRestoreResponse, Fault> StartSystemRestore(
    const RequestContext& ctx, const tds::StartSystemRestore&) {
  if (!BackupOffered(ctx.device)) return MakeUnexpected(NothingToBackUp());
  const std::string ticket = ctx.device.restore_tickets->Issue();
  tds::StartSystemRestoreResponse r;
  r.set_uploaduri(ctx.ServiceUrl(std::string(kRestorePathPrefix) + ticket));
  r.set_expecteddowntime("PT0S");  // applied at once, no reboot
  return r;
}

// The same file as the SystemBackupUri download, as an MTOM attachment.
Expected<tds::GetSystemBackupResponse, Fault> GetSystemBackup(const RequestContext& ctx,
                                                              const tds::GetSystemBackup&) {
  if (!BackupOffered(ctx.device)) return MakeUnexpected(NothingToBackUp());
  auto file = MakeBackup(ctx.device);
  if (!file) {
    log::WriteAbout(log::Level::kError, "device", ctx.device.config.id,
                    "backup failed: " + file.error());
    return MakeUnexpected(soap::ActionFailed("The backup could not be made"));
  }
  tds::GetSystemBackupResponse r;
  onvif::tt::BackupFile* f = r.add_backupfiles();
  f->set_name(BackupFileName(ctx.device));
  Attach(ctx, kBackupContentType, std::move(file).value(), f->mutable_data());
  return r;
}

// Accepts what GetSystemBackup returns: one file.
Expected<tds::RestoreSystemResponse, Fault> RestoreSystem(const RequestContext& ctx,
                                                          const tds::RestoreSystem& req) {
  if (!BackupOffered(ctx.device)) return MakeUnexpected(NothingToBackUp());
  if (req.backupfiles_size() != 1) {
    return MakeUnexpected(
        InvalidBackupFile("A restore takes the one file GetSystemBackup returns, not " +
                          std::to_string(req.backupfiles_size())));
  }
  auto file = AttachedBytes(ctx, req.backupfiles(0).data(), "The backup file");
  if (!file) return MakeUnexpected(InvalidBackupFile(file.error().reason));
  if (file->size() > kMaxBackupBytes) {
    return MakeUnexpected(InvalidBackupFile("The file is larger than any backup of this device"));
  }
  auto st = RestoreBackup(ctx.device, *file);
  if (!st) {
    if (st.error() == RestoreFailure::kInvalidFile) {
      return MakeUnexpected(InvalidBackupFile("Not a backup of this device by this gateway"));
    }
    return MakeUnexpected(soap::ActionFailed("The restore failed; nothing was changed"));
  }
  return tds::RestoreSystemResponse{};
}

}  // namespace

void BindSystemBackupOperations(ServiceBinder& b) {
  b.Bind("StartSystemRestore", StartSystemRestore)
      .Bind("GetSystemBackup", GetSystemBackup)
      .Bind("RestoreSystem", RestoreSystem);
}

}  // namespace onvifgw::services::device
