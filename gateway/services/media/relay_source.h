#pragma once
// What the media relay re-serves for one media profile: the camera stream its
// video encoder configuration stands for, and the RTSP path the relay serves
// it on. GetStreamUri hands out rtsp://<host>:<relay port><RelayPath(token)>;
// the relay resolves the path back to the stream on every DESCRIBE, so a
// profile that changed encoder, or a stream the camera re-encoded, plays as
// it is now.

#include <optional>
#include <string>
#include <string_view>

#include "adapter/v1/adapter.pb.h"
#include "core/expected.h"
#include "services/media/relay_encoding.h"
#include "services/virtual_device.h"

namespace onvifgw::services::media {

/// "/" + the profile token, percent-encoding all but RFC 3986 unreserved
/// characters (tokens are any string up to 64 characters).
std::string RelayPath(std::string_view profile_token);
/// The profile token a relay path names; nullopt for anything else (more
/// segments, bad escapes, empty).
std::optional<std::string> ProfileTokenOfRelayPath(std::string_view path);

/// The camera stream a profile plays now: its URI as the camera serves it
/// (credentials included: the relay pulls it), how it is reached, and its
/// encoding.
struct RelaySource {
  std::string camera_id;
  std::string source_id;  ///< the camera's video source (for a snapshot-only camera's pictures)
  adapter::v1::VideoStream stream;
  /// The relay encodes the stream's JPEG as this H.264 (relay_encoding.h).
  std::optional<RelayH264> encode_h264;
};

/// The stream of `profile_token` on `device`, or why there is none (no such
/// profile, no video encoder configuration, a stream without a URI). A
/// snapshot-only camera's "stream" (transport SNAPSHOT_ONLY) is its pictures.
Expected<RelaySource, std::string> RelaySourceOf(const VirtualDevice& device,
                                                 std::string_view profile_token);

}  // namespace onvifgw::services::media
