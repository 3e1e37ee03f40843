#include "services/device/system_backup_operations.h"

#include "onvif/generated/tds.pb.h"
#include "services/device/system_backup.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
using soap::Fault;

Expected<tds::StartSystemRestoreResponse, Fault> StartSystemRestore(
    const RequestContext& ctx, const tds::StartSystemRestore&) {
  if (!BackupOffered(ctx.device)) {
    return MakeUnexpected(soap::ActionNotSupported("The device keeps no state to restore"));
  }
  const std::string ticket = ctx.device.restore_tickets->Issue();
  tds::StartSystemRestoreResponse r;
  r.set_uploaduri(ctx.ServiceUrl(std::string(kRestorePathPrefix) + ticket));
  r.set_expecteddowntime("PT0S");  // applied at once, no reboot
  return r;
}

}  // namespace

void BindSystemBackupOperations(ServiceBinder& b) {
  b.Bind("StartSystemRestore", StartSystemRestore);
}

}  // namespace onvifgw::services::device
