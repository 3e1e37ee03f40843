#include "services/media/relay_source.h"

#include "services/media/media_operations.h"
#include "services/request_context.h"

namespace onvifgw::services::media {
namespace {

namespace v1 = ::onvifgw::adapter::v1;

bool Unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string RelayPath(std::string_view profile_token) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string path = "/";
  for (char c : profile_token) {
    if (Unreserved(c)) {
      path += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      path += '%';
      path += kDigits[byte >> 4];
      path += kDigits[byte & 0xF];
    }
  }
  return path;
}

std::optional<std::string> ProfileTokenOfRelayPath(std::string_view path) {
  if (path.size() < 2 || path.front() != '/') return std::nullopt;
  std::string token;
  for (std::size_t i = 1; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '/') return std::nullopt;
    if (c != '%') {
      token += c;
      continue;
    }
    if (i + 2 >= path.size()) return std::nullopt;
    const int hi = HexValue(path[i + 1]);
    const int lo = HexValue(path[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    token += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return token;
}

Expected<RelaySource, std::string> RelaySourceOf(const VirtualDevice& device,
                                                 std::string_view profile_token) {
  const RequestContext ctx{device, "rtsp", "", "", "", "", "DESCRIBE", "", std::nullopt};
  auto view = ViewOf(ctx);
  if (!view) return MakeUnexpected(view.error().reason);
  const StoredProfile* p = view->Profile(profile_token);
  if (p == nullptr) return MakeUnexpected("no profile " + std::string(profile_token));
  const VideoEncoderEntry* enc = view->catalog.Encoder(p->video_encoder());
  if (enc == nullptr) {
    return MakeUnexpected("profile " + std::string(profile_token) +
                          " has no video encoder configuration");
  }
  if (enc->stream.transport() != v1::STREAM_TRANSPORT_SNAPSHOT_ONLY && enc->stream.uri().empty()) {
    return MakeUnexpected("camera " + enc->camera_id + " names no URI for its stream");
  }
  if (enc->relay_encoded) {
    return RelaySource{enc->camera_id, enc->source_id, enc->camera_stream, RelayH264Of(*enc)};
  }
  return RelaySource{enc->camera_id, enc->source_id, enc->stream, std::nullopt};
}

}  // namespace onvifgw::services::media
