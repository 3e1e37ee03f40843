#include "services/device/firmware_upgrade.h"

#include <algorithm>

#include "core/log.h"
#include "onvif/generated/tds.pb.h"
#include "services/device/system_backup.h"
#include "services/http_authorization.h"
#include "services/xml_time.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
using soap::Fault;

// Until the camera says how long it needs (its answer to the upload), the
// estimate Core §8.3.7 asks for: a camera writes its flash and reboots.
constexpr std::chrono::seconds kExpectedDownTime{120};

const adapters::CameraFacts* CameraOf(const VirtualDevice& d,
                                      std::shared_ptr<const adapters::AdapterFacts>& keep) {
  if (d.adapter == nullptr) return nullptr;
  keep = d.adapter->facts();
  return keep ? keep->Camera(d.config.camera) : nullptr;
}

bool OctetStream(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  type.erase(type.find_last_not_of(' ') + 1);
  // Core §8.3.7 names application/octet-stream; §8.3.5's spelling is accepted too.
  return type == "application/octet-stream" || type == "application/octetstream";
}

Expected<tds::StartFirmwareUpgradeResponse, Fault> StartFirmwareUpgrade(
    const RequestContext& ctx, const tds::StartFirmwareUpgrade&) {
  if (!FirmwareUpgradeOffered(ctx.device)) {
    return MakeUnexpected(soap::ActionNotSupported("The camera takes no firmware upgrade"));
  }
  if (!ctx.device.adapter->available()) {
    return MakeUnexpected(soap::ActionFailed("The camera is not reachable at the moment"));
  }
  tds::StartFirmwareUpgradeResponse r;
  r.set_uploaduri(
      ctx.ServiceUrl(std::string(kFirmwarePathPrefix) + ctx.device.firmware_tickets->Issue()));
  r.set_uploaddelay("PT0S");
  r.set_expecteddowntime(FormatDuration(kExpectedDownTime));
  return r;
}

}  // namespace

bool FirmwareUpgradeOffered(const VirtualDevice& d) {
  std::shared_ptr<const adapters::AdapterFacts> keep;
  const adapters::CameraFacts* cam = CameraOf(d, keep);
  return cam != nullptr && d.firmware_tickets != nullptr &&
         cam->description.capabilities().firmware_upgrade();
}

void ServeFirmwareUpload(const RequestContext& ctx, RequestAuthenticator* authenticator,
                         std::string_view content_type, std::string_view body,
                         std::function<void(http::Response)> respond) {
  const VirtualDevice& device = ctx.device;
  if (!FirmwareUpgradeOffered(device)) return respond(PlainText(404, "Not found"));
  if (ctx.method != "POST") {
    http::Response r = PlainText(405, "Method not allowed: use POST");
    r.headers.emplace_back("Allow", "POST");
    return respond(std::move(r));
  }
  auto who = AuthorizeHttp(ctx, authenticator, security::AccessClass::kUnrecoverable,
                           {"tds:StartFirmwareUpgrade"});
  if (!who) return respond(who.error());
  if (!OctetStream(content_type)) {
    return respond(PlainText(415, "Unsupported media type: send application/octet-stream"));
  }
  const std::string ticket(ctx.path.substr(kFirmwarePathPrefix.size()));
  if (!device.firmware_tickets->Redeem(ticket)) {
    return respond(PlainText(404, "Not found: no such upgrade, or it has expired or been used"));
  }
  const std::string id = device.config.id;
  const std::string from = ctx.remote_address;
  const std::string who_name = who->username.empty() ? "anonymous" : "'" + who->username + "'";
  log::WriteAbout(log::Level::kInfo, "access", id,
                  who_name + " from " + from + ": firmware upload of " +
                      std::to_string(body.size()) + " bytes");
  device.adapter->UpgradeFirmware(
      device.config.camera, std::string(body),
      [id, from, who_name, respond = std::move(respond)](
          const grpc::Status& st, const adapters::v1::FirmwareUpgradeResponse& r) {
        if (st.ok()) {
          log::WriteAbout(log::Level::kWarn, "access", id,
                          who_name + " from " + from + ": firmware " + r.firmware_version() +
                              " installed; the camera restarts");
          respond(PlainText(200, "Firmware " + r.firmware_version() +
                                     " installed; the camera restarts (about " +
                                     std::to_string(r.expected_downtime_seconds()) + " s)"));
          return;
        }
        const bool refused = st.error_code() == grpc::StatusCode::INVALID_ARGUMENT;
        log::WriteAbout(log::Level::kWarn, "access", id,
                        who_name + " from " + from + ": firmware " +
                            (refused ? "refused by the camera: " : "upgrade failed: ") +
                            st.error_message());
        respond(refused ? PlainText(415, "Unsupported media type: the camera refuses this image (" +
                                             st.error_message() + ")")
                        : PlainText(500, "The upgrade failed: " + st.error_message()));
      });
}

void BindFirmwareUpgradeOperations(ServiceBinder& b) {
  b.Bind("StartFirmwareUpgrade", StartFirmwareUpgrade);
}

}  // namespace onvifgw::services::device
