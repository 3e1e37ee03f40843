#include "services/device/system_information_operations.h"

#include "onvif/generated/tds.pb.h"
#include "services/device/system_backup.h"
#include "services/device/system_information.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

// Whether the device's camera hands out its own log through its adapter.
bool CameraKeepsALog(const VirtualDevice& d) {
  if (d.adapter == nullptr || !d.adapter->available()) return false;
  auto facts = d.adapter->facts();
  const adapters::CameraFacts* cam = facts ? facts->Camera(d.config.camera) : nullptr;
  return cam != nullptr && cam->description.capabilities().system_log();
}

// The System log: the gateway's lines about the device, then the camera's
// own log where its adapter has one (a camera that cannot be read says so
// in a line; the gateway's lines are answered either way).
void GetSystemLog(const RequestContext& ctx, const tds::GetSystemLog& req, Completion done) {
  const bool access = req.logtype() == tt::SystemLogType_Access;
  std::string text =
      SystemLogText(ctx.device, access ? SystemLogKind::kAccess : SystemLogKind::kSystem);
  if (access || !CameraKeepsALog(ctx.device)) {
    tds::GetSystemLogResponse r;
    r.mutable_systemlog()->set_string(std::move(text));
    return done(Ok(std::move(r)));
  }
  const std::string camera = ctx.device.config.camera;
  ctx.device.adapter->GetSystemLog(
      camera, [text = std::move(text), camera, done = std::move(done)](
                  const grpc::Status& st, const adapters::v1::CameraLog& log) mutable {
        text += "--- the log of camera " + camera + " ---\n";
        if (!st.ok()) text += "(not available: " + st.error_message() + ")\n";
        for (const std::string& line : log.lines()) text += line + "\n";
        tds::GetSystemLogResponse r;
        r.mutable_systemlog()->set_string(std::move(text));
        done(Ok(std::move(r)));
      });
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
