#include "services/device/firmware_upgrade.h"

#include <algorithm>

#include "core/log.h"
#include "core/media_type.h"
#include "onvif/generated/tds.pb.h"
#include "services/attachment_data.h"
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
  // Core §8.3.7 names application/octet-stream; §8.3.5's spelling is accepted too.
  const MediaType type = ParseMediaType(content_type);
  return type.Is("application/octet-stream") || type.Is("application/octetstream");
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

namespace {

// How the camera took an image.
struct FirmwareVerdict {
  enum class Kind { kInstalled, kRefused, kFailed } kind = Kind::kFailed;
  std::string version;      ///< kInstalled
  unsigned downtime_s = 0;  ///< kInstalled
  std::string message;      ///< kRefused, kFailed: the camera's or adapter's words
};

// Hands `image` to the camera through its adapter, with the access log's
// lines on the way; `done` gets the verdict.
void SendFirmwareToCamera(const RequestContext& ctx, const std::string& who_name, std::string image,
                          std::function<void(FirmwareVerdict)> done) {
  const VirtualDevice& device = ctx.device;
  const std::string id = device.config.id;
  const std::string who = who_name + " from " + ctx.remote_address;
  log::WriteAbout(log::Level::kInfo, "access", id,
                  who + ": firmware upload of " + std::to_string(image.size()) + " bytes");
  device.adapter->UpgradeFirmware(
      device.config.camera, std::move(image),
      [id, who, done = std::move(done)](const grpc::Status& st,
                                        const adapters::v1::FirmwareUpgradeResponse& r) {
        FirmwareVerdict v;
        if (st.ok()) {
          log::WriteAbout(
              log::Level::kWarn, "access", id,
              who + ": firmware " + r.firmware_version() + " installed; the camera restarts");
          v.kind = FirmwareVerdict::Kind::kInstalled;
          v.version = r.firmware_version();
          v.downtime_s = r.expected_downtime_seconds();
          return done(std::move(v));
        }
        const bool refused = st.error_code() == grpc::StatusCode::INVALID_ARGUMENT;
        log::WriteAbout(log::Level::kWarn, "access", id,
                        who + ": firmware " +
                            (refused ? "refused by the camera: " : "upgrade failed: ") +
                            st.error_message());
        v.kind = refused ? FirmwareVerdict::Kind::kRefused : FirmwareVerdict::Kind::kFailed;
        v.message = st.error_message();
        done(std::move(v));
      });
}

soap::Fault InvalidFirmware(std::string why) {
  return soap::InvalidArgs(std::move(why), "InvalidFirmware");
}

std::string InstalledText(const FirmwareVerdict& v) {
  return "Firmware " + v.version + " installed; the camera restarts (about " +
         std::to_string(v.downtime_s) + " s)";
}

// The image as an MTOM attachment (the 2020 Core's UpgradeSystemFirmware,
// removed from Core in 25.06 but still in the WSDL); its faults are that
// Core's: ter:InvalidFirmware for an image the camera refuses,
// ter:FirmwareUpgradeFailed for a failure.
void UpgradeSystemFirmware(const RequestContext& ctx, const tds::UpgradeSystemFirmware& req,
                           Completion done) {
  if (!FirmwareUpgradeOffered(ctx.device)) {
    return done(MakeUnexpected(soap::ActionNotSupported("The camera takes no firmware upgrade")));
  }
  auto image = AttachedBytes(ctx, req.firmware(), "The firmware image");
  if (!image) return done(MakeUnexpected(InvalidFirmware(image.error().reason)));
  if (!ctx.device.adapter->available()) {
    return done(MakeUnexpected(
        soap::ActionFailed("The camera is not reachable at the moment", "FirmwareUpgradeFailed")));
  }
  const std::string who = ctx.principal && !ctx.principal->username.empty()
                              ? "'" + ctx.principal->username + "'"
                              : std::string("anonymous");
  SendFirmwareToCamera(ctx, who, std::string(*image), [done = std::move(done)](FirmwareVerdict v) {
    switch (v.kind) {
      case FirmwareVerdict::Kind::kInstalled: {
        tds::UpgradeSystemFirmwareResponse r;
        r.set_message(InstalledText(v));
        return done(Ok(std::move(r)));
      }
      case FirmwareVerdict::Kind::kRefused:
        return done(MakeUnexpected(
            InvalidFirmware("The camera refuses this firmware image: " + v.message)));
      case FirmwareVerdict::Kind::kFailed:
        break;
    }
    done(MakeUnexpected(
        soap::ActionFailed("The firmware upgrade failed: " + v.message, "FirmwareUpgradeFailed")));
  });
}

}  // namespace

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
  const std::string who_name = who->username.empty() ? "anonymous" : "'" + who->username + "'";
  SendFirmwareToCamera(
      ctx, who_name, std::string(body), [respond = std::move(respond)](FirmwareVerdict v) {
        switch (v.kind) {
          case FirmwareVerdict::Kind::kInstalled:
            return respond(PlainText(200, InstalledText(v)));
          case FirmwareVerdict::Kind::kRefused:
            return respond(PlainText(
                415, "Unsupported media type: the camera refuses this image (" + v.message + ")"));
          case FirmwareVerdict::Kind::kFailed:
            break;
        }
        respond(PlainText(500, "The upgrade failed: " + v.message));
      });
}

void BindFirmwareUpgradeOperations(ServiceBinder& b) {
  b.Bind("StartFirmwareUpgrade", StartFirmwareUpgrade)
      .Bind("UpgradeSystemFirmware", UpgradeSystemFirmware);
}

}  // namespace onvifgw::services::device
