#include "services/device/system_information_operations.h"

#include "onvif/generated/tds.pb.h"
#include "services/device/system_backup.h"
#include "services/device/system_information.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

Expected<tds::GetSystemLogResponse, Fault> GetSystemLog(const RequestContext& ctx,
                                                        const tds::GetSystemLog& req) {
  tds::GetSystemLogResponse r;
  r.mutable_systemlog()->set_string(SystemLogText(
      ctx.device,
      req.logtype() == tt::SystemLogType_Access ? SystemLogKind::kAccess : SystemLogKind::kSystem));
  return r;
}

Expected<tds::GetSystemSupportInformationResponse, Fault> GetSystemSupportInformation(
    const RequestContext& ctx, const tds::GetSystemSupportInformation&) {
  tds::GetSystemSupportInformationResponse r;
  r.mutable_supportinformation()->set_string(SupportInformationText(ctx.device));
  return r;
}

Expected<tds::GetSystemUrisResponse, Fault> GetSystemUris(const RequestContext& ctx,
                                                          const tds::GetSystemUris&) {
  tds::GetSystemUrisResponse r;
  auto* logs = r.mutable_systemloguris();
  auto* system = logs->add_systemlog();
  system->set_type(tt::SystemLogType_System);
  system->set_uri(ctx.ServiceUrl(kSystemLogPath));
  auto* access = logs->add_systemlog();
  access->set_type(tt::SystemLogType_Access);
  access->set_uri(ctx.ServiceUrl(kAccessLogPath));
  r.set_supportinfouri(ctx.ServiceUrl(kSupportInformationPath));
  if (BackupOffered(ctx.device)) r.set_systembackupuri(ctx.ServiceUrl(kBackupPath));
  return r;
}

}  // namespace

void BindSystemInformationOperations(ServiceBinder& b) {
  b.Bind("GetSystemLog", GetSystemLog)
      .Bind("GetSystemSupportInformation", GetSystemSupportInformation)
      .Bind("GetSystemUris", GetSystemUris);
}

}  // namespace onvifgw::services::device
