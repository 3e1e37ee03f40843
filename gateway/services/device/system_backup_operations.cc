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
void GetSystemBackup(const RequestContext& ctx, const tds::GetSystemBackup&, Completion done) {
  if (!BackupOffered(ctx.device)) return done(MakeUnexpected(NothingToBackUp()));
  const VirtualDevice* device = &ctx.device;
  MakeBackup(*device, [device, parts = ctx.reply_attachments,
                       done = std::move(done)](Expected<std::string, std::string> file) {
    if (!file) {
      log::WriteAbout(log::Level::kError, "device", device->config.id,
                      "backup failed: " + file.error());
      return done(
          MakeUnexpected(soap::ActionFailed("The backup could not be made: " + file.error())));
    }
    tds::GetSystemBackupResponse r;
    onvif::tt::BackupFile* f = r.add_backupfiles();
    f->set_name(BackupFileName(*device));
    Attach(*parts, kBackupContentType, std::move(file).value(), f->mutable_data());
    done(Ok(std::move(r)));
  });
}

// Accepts what GetSystemBackup returns: one file.
void RestoreSystem(const RequestContext& ctx, const tds::RestoreSystem& req, Completion done) {
  if (!BackupOffered(ctx.device)) return done(MakeUnexpected(NothingToBackUp()));
  if (req.backupfiles_size() != 1) {
    return done(MakeUnexpected(
        InvalidBackupFile("A restore takes the one file GetSystemBackup returns, not " +
                          std::to_string(req.backupfiles_size()))));
  }
  auto file = AttachedBytes(ctx, req.backupfiles(0).data(), "The backup file");
  if (!file) return done(MakeUnexpected(InvalidBackupFile(file.error().reason)));
  if (file->size() > kMaxBackupBytes) {
    return done(
        MakeUnexpected(InvalidBackupFile("The file is larger than any backup of this device")));
  }
  RestoreBackup(ctx.device, std::string(*file),
                [done = std::move(done)](Status<RestoreFailure> st) {
                  if (!st) {
                    if (st.error().kind == RestoreFailure::kInvalidFile) {
                      return done(MakeUnexpected(InvalidBackupFile(st.error().reason)));
                    }
                    return done(MakeUnexpected(soap::ActionFailed(st.error().reason)));
                  }
                  done(Ok(tds::RestoreSystemResponse{}));
                });
}

}  // namespace

void BindSystemBackupOperations(ServiceBinder& b) {
  b.Bind("StartSystemRestore", StartSystemRestore)
      .Bind("GetSystemBackup", GetSystemBackup)
      .Bind("RestoreSystem", RestoreSystem);
}

}  // namespace onvifgw::services::device
