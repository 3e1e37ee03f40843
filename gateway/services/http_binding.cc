#include "services/http_binding.h"

#include <algorithm>
#include <cctype>

#include "core/log.h"
#include "core/media_type.h"
#include "services/device/firmware_upgrade.h"
#include "services/device/system_backup.h"
#include "services/device/system_information.h"
#include "services/http_authorization.h"
#include "services/media/media_operations.h"
#include "services/media/snapshot_endpoint.h"
#include "soap/envelope.h"
#include "soap/mtom.h"

namespace onvifgw::services {
namespace {

constexpr const char* kSoapContentType = "application/soap+xml; charset=utf-8";

bool AcceptableContentType(std::string_view ct) {
  if (ct.empty()) return true;  // lenient: some clients omit it
  const MediaType m = ParseMediaType(ct);
  return m.Is("application/soap+xml") || m.Is("text/xml") || m.Is("application/xml");
}

// The text a GetSystemUris download serves, or nullptr for another path.
using DownloadText = std::string (*)(const VirtualDevice&);
DownloadText SystemDownload(std::string_view path) {
  if (path == device::kSystemLogPath) {
    return [](const VirtualDevice& d) {
      return device::SystemLogText(d, device::SystemLogKind::kSystem);
    };
  }
  if (path == device::kAccessLogPath) {
    return [](const VirtualDevice& d) {
      return device::SystemLogText(d, device::SystemLogKind::kAccess);
    };
  }
  if (path == device::kSupportInformationPath) return device::SupportInformationText;
  return nullptr;
}

http::Response MethodNotAllowed(const char* allowed) {
  http::Response r = PlainText(405, std::string("Method not allowed: use ") + allowed);
  r.headers.emplace_back("Allow", allowed);
  return r;
}

// GET the backup (GetSystemUris), POST one to the URI of StartSystemRestore.
void ServeBackupOrRestore(const RequestContext& ctx, const SoapEndpoint& endpoint,
                          const http::Request& req, std::function<void(http::Response)> respond) {
  const VirtualDevice& device = ctx.device;
  if (!device::BackupOffered(device)) return respond(PlainText(404, "Not found"));
  if (ctx.path == device::kBackupPath) {
    if (req.method != "GET") return respond(MethodNotAllowed("GET"));
    auto who = AuthorizeHttp(ctx, endpoint.authenticator(), AccessClass::kReadSystemSecret,
                             {"tds:GetSystemUris"});
    if (!who) return respond(who.error());
    const VirtualDevice* d = &device;
    return device::MakeBackup(
        device, [d, respond = std::move(respond)](Expected<std::string, std::string> file) {
          if (!file) {
            log::WriteAbout(log::Level::kError, "device", d->config.id,
                            "backup failed: " + file.error());
            return respond(PlainText(500, "The backup could not be made: " + file.error()));
          }
          http::Response r{200, "application/octet-stream", std::move(file).value(), {}};
          r.headers.emplace_back("Content-Disposition",
                                 "attachment; filename=\"" + device::BackupFileName(*d) + "\"");
          respond(std::move(r));
        });
  }
  if (req.method != "POST") return respond(MethodNotAllowed("POST"));
  auto who = AuthorizeHttp(ctx, endpoint.authenticator(), AccessClass::kUnrecoverable,
                           {"tds:StartSystemRestore"});
  if (!who) return respond(who.error());
  // Core §8.3.5 names application/octetstream; the registered type is accepted too.
  const MediaType type = ParseMediaType(req.content_type);
  if (!type.Is("application/octetstream") && !type.Is("application/octet-stream")) {
    return respond(PlainText(415, "Unsupported media type: send application/octetstream"));
  }
  const std::string ticket(ctx.path.substr(device::kRestorePathPrefix.size()));
  if (!device.restore_tickets->Redeem(ticket)) {
    return respond(PlainText(404, "Not found: no such restore, or it has expired or been used"));
  }
  device::RestoreBackup(
      device, std::string(req.body),
      [d = &device, from = ctx.remote_address,
       respond = std::move(respond)](Status<device::RestoreFailure> st) {
        if (!st) {
          const bool invalid = st.error().kind == device::RestoreFailure::kInvalidFile;
          log::WriteAbout(log::Level::kWarn, "access", d->config.id,
                          "restore from " + from + " refused: " + st.error().reason);
          return respond(invalid ? PlainText(415, "Unsupported media type: " + st.error().reason)
                                 : PlainText(500, "The restore failed: " + st.error().reason));
        }
        log::WriteAbout(log::Level::kInfo, "access", d->config.id,
                        "restore from " + from + " done");
        respond(PlainText(200, "Restored"));
      });
}

}  // namespace

std::string AuthorityFor(const VirtualDevice& device, const http::Request& request) {
  const std::string& adv = device.config.advertised_address;
  AdvertisedAddress address = ParseAdvertisedAddress(adv.empty() ? request.local_address : adv);
  // An advertised port is the HTTP port (behind NAT): over HTTPS, the port
  // the request came to is the one to name.
  if (request.tls) address.port.reset();
  return address.Authority(request.local_port);
}

http::Handler MakeDeviceHttpHandler(const VirtualDevice& device, const SoapEndpoint& endpoint) {
  return [&device, &endpoint](const http::Request& req,
                              std::function<void(http::Response)> respond) {
    std::string_view path = req.target.substr(0, req.target.find('?'));
    RequestContext ctx{device,
                       req.tls ? "https" : "http",
                       AuthorityFor(device, req),
                       req.local_address,
                       std::string(path),
                       std::string(req.authorization),
                       std::string(req.method),
                       req.remote_address,
                       std::nullopt};
    // Pictures from GetSnapshotUri, on the same port as the services.
    if (path.rfind(media::kSnapshotPath, 0) == 0 && device.snapshots != nullptr) {
      if (req.method != "GET") {
        http::Response r = PlainText(405, "Method not allowed: snapshots use GET");
        r.headers.emplace_back("Allow", "GET");
        respond(std::move(r));
        return;
      }
      media::ServeSnapshot(ctx, endpoint.authenticator(), *device.snapshots, std::move(respond));
      return;
    }
    // Logs and support information from GetSystemUris.
    if (auto text = SystemDownload(path)) {
      if (req.method != "GET") {
        http::Response r = PlainText(405, "Method not allowed: use GET");
        r.headers.emplace_back("Allow", "GET");
        respond(std::move(r));
        return;
      }
      auto who = AuthorizeHttp(ctx, endpoint.authenticator(), AccessClass::kReadSystemSecret,
                               {"tds:GetSystemUris"});
      if (!who) return respond(who.error());
      respond(http::Response{200, "text/plain; charset=utf-8", text(device), {}});
      return;
    }
    if (path.rfind(device::kFirmwarePathPrefix, 0) == 0) {
      return device::ServeFirmwareUpload(ctx, endpoint.authenticator(), req.content_type, req.body,
                                         std::move(respond));
    }
    if (path == device::kBackupPath || path.rfind(device::kRestorePathPrefix, 0) == 0) {
      return ServeBackupOrRestore(ctx, endpoint, req, std::move(respond));
    }
    // The path names a registered service (its XAddr or a path below its
    // prefix); the operation is then chosen by the body element.
    if (endpoint.registry().ForPath(path) == nullptr) {
      respond(PlainText(404, "Not found"));
      return;
    }
    if (req.method != "POST") {
      http::Response r = PlainText(405, "Method not allowed: SOAP requests use POST");
      r.headers.emplace_back("Allow", "POST");
      respond(std::move(r));
      return;
    }
    const bool mtom = soap::IsMultipartRelated(req.content_type);
    if (!mtom && !AcceptableContentType(req.content_type)) {
      respond(PlainText(415,
                        "Unsupported media type: send application/soap+xml, or "
                        "multipart/related (MTOM)"));
      return;
    }
    auto reply = [respond = std::move(respond)](SoapReply r) {
      respond(http::Response{
          r.http_status,
          r.content_type.empty() ? std::string(kSoapContentType) : std::move(r.content_type),
          std::move(r.body), std::move(r.headers), r.delay});
    };
    // An MTOM request: the envelope is its root part, the rest attachments.
    if (mtom) {
      auto package = soap::ParseMtom(req.content_type, req.body);
      if (!package) {
        SoapReply r;
        r.http_status = package.error().HttpStatus();
        r.body = soap::WriteFaultEnvelope(package.error(), {});
        return reply(std::move(r));
      }
      ctx.attachments =
          std::make_shared<const soap::ReceivedAttachments>(std::move(package->attachments));
      return endpoint.Handle(package->envelope, ctx, std::move(reply));
    }
    endpoint.Handle(req.body, ctx, std::move(reply));
  };
}

}  // namespace onvifgw::services
