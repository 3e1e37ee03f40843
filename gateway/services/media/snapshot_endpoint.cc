#include "services/media/snapshot_endpoint.h"

#include <algorithm>

#include "adapters/fault_map.h"
#include "core/log.h"
#include "services/http_authorization.h"
#include "services/media/media_operations.h"

namespace onvifgw::services::media {
namespace {

bool LooksLikeJpeg(const std::string& b) {
  return b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0xFF &&
         static_cast<unsigned char>(b[1]) == 0xD8;
}

}  // namespace

void SnapshotCache::Get(adapters::CameraAdapter& adapter, const Clock& clock,
                        const std::string& camera_id, const std::string& source_id,
                        std::function<void(Result)> done) {
  const std::string key = camera_id + '\n' + source_id;
  Picture fresh;
  {
    std::lock_guard lock(mu_);
    Entry& e = entries_[key];
    if (e.picture && clock.Now() - e.taken < max_age_) {
      fresh = e.picture;
    } else {
      e.waiters.push_back(std::move(done));
      if (e.in_flight) return;  // answered with the fetch under way
      e.in_flight = true;
      ++fetches_;
    }
  }
  if (fresh) return done(std::move(fresh));
  adapters::v1::SnapshotRequest req;
  req.set_camera_id(camera_id);
  req.set_source_id(source_id);
  adapter.GetSnapshot(std::move(req), [this, key, &clock](const grpc::Status& st,
                                                          const adapters::v1::Snapshot& snap) {
    Result result = MakeUnexpected(soap::ActionFailed("No picture"));
    if (!st.ok()) {
      result = MakeUnexpected(adapters::FaultFromStatus(st));
    } else if (!LooksLikeJpeg(snap.jpeg())) {
      result = MakeUnexpected(soap::ActionFailed("The camera's picture is not a JPEG", "NotJpeg"));
    } else {
      result = std::make_shared<const std::string>(snap.jpeg());
    }
    std::vector<std::function<void(Result)>> waiters;
    {
      std::lock_guard lock(mu_);
      Entry& e = entries_[key];
      e.in_flight = false;
      waiters.swap(e.waiters);
      if (result) {
        e.picture = *result;
        e.taken = clock.Now();
      }
    }
    for (auto& w : waiters) w(result);
  });
}

std::size_t SnapshotCache::fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

void ServeSnapshot(const RequestContext& ctx, RequestAuthenticator* authenticator,
                   SnapshotCache& cache, std::function<void(http::Response)> respond) {
  if (auto who = AuthorizeHttp(ctx, authenticator, security::AccessClass::kReadMedia,
                               {"trt:GetSnapshotUri", "tr2:GetSnapshotUri"});
      !who) {
    return respond(who.error());
  }
  const std::string token = ctx.path.substr(kSnapshotPath.size());
  auto view = ViewOf(ctx);
  const VideoSourceEntry* source = view ? view->catalog.Source(token) : nullptr;
  if (source == nullptr) return respond(PlainText(404, "Not found: no video source " + token));
  const auto facts = ctx.device.adapter->facts();
  const adapters::CameraFacts* cam = facts ? facts->Camera(source->camera_id) : nullptr;
  if (cam == nullptr || !cam->description.capabilities().snapshot()) {
    return respond(PlainText(404, "Not found: the camera takes no snapshots"));
  }
  if (!ctx.device.adapter->available()) {
    return respond(PlainText(503, "Service unavailable: the camera is not reachable"));
  }
  const std::string device_id = ctx.device.config.id;
  cache.Get(*ctx.device.adapter, *ctx.device.clock, source->camera_id, source->source.source_id(),
            [respond = std::move(respond), device_id](SnapshotCache::Result r) {
              if (!r) {
                log::WriteAbout(log::Level::kWarn, "media", device_id,
                                "snapshot failed: " + r.error().reason);
                // Unreachable or busy: 503 (try again); an answer that is not
                // a picture: 502 (the upstream is at fault).
                const auto& sub = r.error().subcodes;
                const bool bad_answer = std::find(sub.begin(), sub.end(), "NotJpeg") != sub.end();
                const bool unavailable =
                    !bad_answer && r.error().code == soap::FaultCode::kReceiver;
                return respond(PlainText(unavailable ? 503 : 502, "The camera gave no picture"));
              }
              http::Response ok{200, "image/jpeg", **r, {}};
              ok.headers.emplace_back("Cache-Control", "no-store");
              respond(std::move(ok));
            });
}

}  // namespace onvifgw::services::media
