#include "services/media/relay_encoding.h"

#include <algorithm>
#include <cmath>

namespace onvifgw::services::media {
namespace {

namespace v1 = ::onvifgw::adapter::v1;

// What the relay's encoder (x264) accepts from clients.
constexpr uint32_t kMinBitrateKbps = 64;
constexpr uint32_t kMaxBitrateKbps = 16384;
constexpr uint32_t kMaxGopLength = 300;
const char* const kProfiles[] = {"Baseline", "Main", "High"};

// A bitrate that keeps the picture: about 0.1 bit per pixel.
uint32_t DefaultBitrateKbps(const v1::VideoStream& s) {
  const double kbps = static_cast<double>(s.resolution().width()) * s.resolution().height() *
                      std::max(1.0f, s.framerate()) * 0.1 / 1000.0;
  return std::clamp(static_cast<uint32_t>(kbps), uint32_t{128}, uint32_t{8192});
}

// A key frame every two seconds: a client joining waits at most that long.
uint32_t DefaultGopLength(const v1::VideoStream& s) {
  return std::clamp(static_cast<uint32_t>(std::lround(std::max(1.0f, s.framerate()) * 2)),
                    uint32_t{1}, kMaxGopLength);
}

// H.264 options over the camera's picture choices: its JPEG options when
// it applies changes, its current values when it does not.
v1::EncoderOptions H264Options(const VideoEncoderEntry& camera) {
  const v1::VideoStream& s = camera.stream;
  v1::CodecOptions h264;
  const v1::CodecOptions* jpeg = nullptr;
  if (camera.configurable) {
    for (const auto& c : s.options().codecs()) {
      if (c.codec() == v1::VIDEO_CODEC_JPEG) jpeg = &c;
    }
  }
  if (jpeg != nullptr) {
    *h264.mutable_resolutions() = jpeg->resolutions();
    *h264.mutable_framerate() = jpeg->framerate();
    *h264.mutable_quality() = jpeg->quality();
  } else {
    *h264.add_resolutions() = s.resolution();
    h264.mutable_framerate()->set_min(s.framerate());
    h264.mutable_framerate()->set_max(s.framerate());
    h264.mutable_quality()->set_min(s.quality());
    h264.mutable_quality()->set_max(s.quality());
  }
  h264.set_codec(v1::VIDEO_CODEC_H264);
  h264.mutable_bitrate_kbps()->set_min(kMinBitrateKbps);
  h264.mutable_bitrate_kbps()->set_max(kMaxBitrateKbps);
  h264.mutable_gop_length()->set_min(1);
  h264.mutable_gop_length()->set_max(kMaxGopLength);
  for (const char* p : kProfiles) h264.add_codec_profiles(p);
  v1::EncoderOptions options;
  *options.add_codecs() = std::move(h264);
  return options;
}

}  // namespace

void PresentRelayEncoding(const config::DeviceConfig& device, const store::v1::MediaState& state,
                          MediaCatalog* catalog) {
  const auto& named = device.h264_encoded_streams;
  if (named.empty() || !device.stream_relay) return;
  for (VideoEncoderEntry& e : catalog->mutable_encoders()) {
    if (e.stream.codec() != v1::VIDEO_CODEC_JPEG ||
        std::find(named.begin(), named.end(), e.stream.stream_id()) == named.end()) {
      continue;
    }
    RelayH264 settings{DefaultBitrateKbps(e.stream), DefaultGopLength(e.stream), "Baseline"};
    if (auto it = state.configurations().find(e.token);
        it != state.configurations().end() && it->second.has_relay_h264()) {
      const auto& stored = it->second.relay_h264();
      if (stored.bitrate_kbps() != 0) settings.bitrate_kbps = stored.bitrate_kbps();
      if (stored.gop_length() != 0) settings.gop_length = stored.gop_length();
      if (!stored.profile().empty()) settings.profile = stored.profile();
    }
    v1::VideoStream presented = e.stream;
    presented.set_codec(v1::VIDEO_CODEC_H264);
    presented.set_bitrate_kbps(settings.bitrate_kbps);
    presented.set_gop_length(settings.gop_length);
    presented.set_codec_profile(settings.profile);
    *presented.mutable_options() = H264Options(e);
    e.relay_encoded = true;
    e.camera_configurable = e.configurable;
    e.camera_stream = std::move(e.stream);
    e.stream = std::move(presented);
    // The encoder's own settings can always be changed.
    e.configurable = true;
  }
}

RelayH264 RelayH264Of(const VideoEncoderEntry& entry) {
  return RelayH264{entry.stream.bitrate_kbps(), entry.stream.gop_length(),
                   entry.stream.codec_profile()};
}

}  // namespace onvifgw::services::media
