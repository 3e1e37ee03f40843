#pragma once
// GET /onvif/snapshot/<video source token>: the camera's picture, as the
// URI from GetSnapshotUri promises it. Same port and same users as the SOAP
// services: HTTP Digest (Basic only when enabled), the READ_MEDIA access
// class of the device's policy. Pictures are cached per camera source for a
// short while and concurrent requests share one adapter call, so many
// clients polling cost the camera one request per period.
//
// Thread-safe.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/expected.h"
#include "http/http_types.h"
#include "services/authentication.h"
#include "services/request_context.h"
#include "soap/fault.h"

namespace onvifgw::services::media {

class SnapshotCache {
 public:
  using Picture = std::shared_ptr<const std::string>;
  using Result = Expected<Picture, soap::Fault>;

  explicit SnapshotCache(std::chrono::milliseconds max_age = std::chrono::milliseconds(1000))
      : max_age_(max_age) {}

  /// A picture no older than max_age, fetched through `adapter` when
  /// needed; `done` may run on another thread.
  void Get(adapters::CameraAdapter& adapter, const Clock& clock, const std::string& camera_id,
           const std::string& source_id, std::function<void(Result)> done);

  /// Adapter calls made so far (for tests and logs).
  std::size_t fetches() const;

 private:
  struct Entry {
    Picture picture;
    Clock::time_point taken{};
    bool in_flight = false;
    std::vector<std::function<void(Result)>> waiters;
  };
  const std::chrono::milliseconds max_age_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  std::size_t fetches_ = 0;
};

/// Answers one snapshot request addressed to ctx.path.
void ServeSnapshot(const RequestContext& ctx, RequestAuthenticator* authenticator,
                   SnapshotCache& cache, std::function<void(http::Response)> respond);

}  // namespace onvifgw::services::media
