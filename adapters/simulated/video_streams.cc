#include "adapters/simulated/video_streams.h"

#include <algorithm>
#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;

constexpr uint32_t kMainBitrateKbps = 4096;
constexpr uint32_t kSubBitrateKbps = 512;
constexpr float kMainQuality = 70;
constexpr float kSubQuality = 50;
constexpr uint32_t kMaxGopLength = 300;
constexpr float kMaxQuality = 100;

struct Size {
  uint32_t width;
  uint32_t height;
};

struct UIntBounds {
  uint32_t min;
  uint32_t max;
};

v1::Resolution MakeResolution(Size size) {
  v1::Resolution resolution;
  resolution.set_width(size.width);
  resolution.set_height(size.height);
  return resolution;
}

// `largest` first, then each of `smaller` that is strictly smaller in both dimensions: a real
// encoder only scales down.
std::vector<v1::Resolution> ScaledDownResolutions(const v1::Resolution& largest,
                                                  std::initializer_list<Size> smaller) {
  std::vector<v1::Resolution> out = {largest};
  for (Size size : smaller) {
    if (size.width < largest.width() && size.height < largest.height()) {
      out.push_back(MakeResolution(size));
    }
  }
  return out;
}

v1::CodecOptions MakeCodecOptions(v1::VideoCodec codec,
                                  const std::vector<v1::Resolution>& resolutions,
                                  float max_framerate, UIntBounds bitrate_kbps,
                                  std::initializer_list<const char*> profiles) {
  v1::CodecOptions options;
  options.set_codec(codec);
  for (const v1::Resolution& resolution : resolutions) {
    *options.add_resolutions() = resolution;
  }
  options.mutable_framerate()->set_min(1);
  options.mutable_framerate()->set_max(max_framerate);
  options.mutable_bitrate_kbps()->set_min(bitrate_kbps.min);
  options.mutable_bitrate_kbps()->set_max(bitrate_kbps.max);
  // JPEG has no groups of pictures: {0, 0}, as the API asks.
  const bool has_gop = codec != v1::VIDEO_CODEC_JPEG;
  options.mutable_gop_length()->set_min(has_gop ? 1 : 0);
  options.mutable_gop_length()->set_max(has_gop ? kMaxGopLength : 0);
  for (const char* profile : profiles) {
    options.add_codec_profiles(profile);
  }
  options.mutable_quality()->set_min(0);
  options.mutable_quality()->set_max(kMaxQuality);
  return options;
}

// An H.264 stream as the camera starts it; options are added by the caller.
v1::VideoStream MakeDefaultStream(const CameraConfig& camera, const std::string& stream_id,
                                  const v1::Resolution& resolution, uint32_t bitrate_kbps,
                                  float quality) {
  v1::VideoStream stream;
  stream.set_stream_id(stream_id);
  stream.set_uri(camera.stream_base_uri + camera.id + "/" + stream_id);
  stream.set_transport(v1::STREAM_TRANSPORT_RTSP);
  stream.set_codec(v1::VIDEO_CODEC_H264);
  *stream.mutable_resolution() = resolution;
  stream.set_framerate(static_cast<float>(camera.framerate));
  stream.set_bitrate_kbps(bitrate_kbps);
  stream.set_gop_length(static_cast<uint32_t>(camera.framerate * 2));  // One key frame per 2 s.
  stream.set_codec_profile("Main");
  stream.set_quality(quality);
  return stream;
}

std::string CodecName(v1::VideoCodec codec) {
  switch (codec) {
    case v1::VIDEO_CODEC_JPEG:
      return "JPEG";
    case v1::VIDEO_CODEC_MPEG4:
      return "MPEG4";
    case v1::VIDEO_CODEC_H264:
      return "H264";
    case v1::VIDEO_CODEC_H265:
      return "H265";
    default:
      return "codec " + std::to_string(static_cast<int>(codec));
  }
}

std::string Number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string SizeText(const v1::Resolution& resolution) {
  return std::to_string(resolution.width()) + "x" + std::to_string(resolution.height());
}

template <typename Items, typename ToText>
std::string JoinAll(const Items& items, ToText to_text) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + to_text(item);
  }
  return out;
}

// Written so that NaN is outside every range.
bool InRange(float value, const v1::FloatRange& range) {
  return value >= range.min() && value <= range.max();
}
bool InRange(uint32_t value, const v1::UIntRange& range) {
  return value >= range.min() && value <= range.max();
}

template <typename Range>
std::string RangeText(const Range& range) {
  return Number(range.min()) + ".." + Number(range.max());
}

// The profile to store. An empty request means "no change" to a client that only edits, say, the
// bitrate: keep the current profile if the codec offers it, else take the codec's first.
adapter_sdk::Result<std::string> ChooseProfile(const v1::VideoStream& current,
                                               const v1::CodecOptions& codec,
                                               const std::string& requested) {
  const auto& offered = codec.codec_profiles();
  auto is_offered = [&offered](const std::string& profile) {
    return std::find(offered.begin(), offered.end(), profile) != offered.end();
  };
  if (offered.empty()) {
    if (!requested.empty()) {
      return adapter_sdk::Error{"codec_profile must be empty for " + CodecName(codec.codec())};
    }
    return std::string();
  }
  if (requested.empty()) {
    return is_offered(current.codec_profile()) ? current.codec_profile() : offered[0];
  }
  if (!is_offered(requested)) {
    return adapter_sdk::Error{"codec_profile must be one of " +
                              JoinAll(offered, [](const std::string& profile) { return profile; }) +
                              " for " + CodecName(codec.codec())};
  }
  return requested;
}

// A legacy camera's streams: its pictures as MJPEG over HTTP, nothing else.
std::vector<v1::VideoStream> MjpegVideoStreams(const CameraConfig& camera, float framerate);
// A camera without streams: one "stream" standing for its snapshots.
std::vector<v1::VideoStream> SnapshotOnlyStreams(const CameraConfig& camera, float framerate);

}  // namespace

v1::Resolution SubResolution(const CameraConfig& camera) {
  v1::Resolution resolution;
  uint32_t width = std::min<uint32_t>(640, camera.width);
  uint32_t height = static_cast<uint32_t>(uint64_t{camera.height} * width / camera.width);
  resolution.set_width(width & ~1u);
  resolution.set_height(std::max<uint32_t>(height & ~1u, 2));
  return resolution;
}

std::vector<v1::VideoStream> DefaultVideoStreams(const CameraConfig& camera) {
  const auto framerate = static_cast<float>(camera.framerate);
  if (camera.streaming == Streaming::kMjpegHttp) return MjpegVideoStreams(camera, framerate);
  if (camera.streaming == Streaming::kSnapshot) return SnapshotOnlyStreams(camera, framerate);

  const v1::Resolution native = MakeResolution({camera.width, camera.height});
  const std::vector<v1::Resolution> main_sizes =
      ScaledDownResolutions(native, {{1920, 1080}, {1280, 720}, {640, 360}});
  v1::VideoStream main = MakeDefaultStream(camera, "main", native, kMainBitrateKbps, kMainQuality);
  v1::EncoderOptions* main_options = main.mutable_options();
  *main_options->add_codecs() = MakeCodecOptions(v1::VIDEO_CODEC_H264, main_sizes, framerate,
                                                 {256, 8192}, {"Baseline", "Main", "High"});
  *main_options->add_codecs() =
      MakeCodecOptions(v1::VIDEO_CODEC_H265, main_sizes, framerate, {256, 8192}, {"Main"});
  *main_options->add_codecs() =
      MakeCodecOptions(v1::VIDEO_CODEC_JPEG, main_sizes, framerate, {512, 16384}, {});

  const v1::Resolution sub_size = SubResolution(camera);
  const std::vector<v1::Resolution> sub_sizes = ScaledDownResolutions(sub_size, {{320, 180}});
  v1::VideoStream sub = MakeDefaultStream(camera, "sub", sub_size, kSubBitrateKbps, kSubQuality);
  v1::EncoderOptions* sub_options = sub.mutable_options();
  *sub_options->add_codecs() = MakeCodecOptions(v1::VIDEO_CODEC_H264, sub_sizes, framerate,
                                                {64, 2048}, {"Baseline", "Main", "High"});
  *sub_options->add_codecs() =
      MakeCodecOptions(v1::VIDEO_CODEC_JPEG, sub_sizes, framerate, {128, 4096}, {});

  return {std::move(main), std::move(sub)};
}

adapter_sdk::Result<v1::VideoStream> ApplyEncoderRequest(
    const v1::VideoStream& current, const v1::ApplyVideoEncoderConfigurationRequest& request) {
  const auto& codecs = current.options().codecs();
  auto codec = std::find_if(codecs.begin(), codecs.end(), [&request](const v1::CodecOptions& c) {
    return c.codec() == request.codec();
  });
  const std::string where = " on stream \"" + current.stream_id() + "\"";
  if (codec == codecs.end()) {
    return adapter_sdk::Error{"codec " + CodecName(request.codec()) + " is not offered" + where +
                              "; offered: " + JoinAll(codecs, [](const v1::CodecOptions& c) {
                                return CodecName(c.codec());
                              })};
  }
  const std::string for_codec = " for " + CodecName(codec->codec()) + where;

  const v1::Resolution& size = request.resolution();
  const auto& sizes = codec->resolutions();
  if (std::none_of(sizes.begin(), sizes.end(), [&size](const v1::Resolution& offered) {
        return offered.width() == size.width() && offered.height() == size.height();
      })) {
    return adapter_sdk::Error{"resolution " + SizeText(size) + " is not offered" + for_codec +
                              "; offered: " + JoinAll(sizes, SizeText)};
  }
  if (!InRange(request.framerate(), codec->framerate())) {
    return adapter_sdk::Error{"framerate " + Number(request.framerate()) + " is outside " +
                              RangeText(codec->framerate()) + for_codec};
  }
  if (!InRange(request.bitrate_kbps(), codec->bitrate_kbps())) {
    return adapter_sdk::Error{"bitrate_kbps " + Number(request.bitrate_kbps()) + " is outside " +
                              RangeText(codec->bitrate_kbps()) + for_codec};
  }
  const bool uses_gop = codec->codec() != v1::VIDEO_CODEC_JPEG;
  if (uses_gop && !InRange(request.gop_length(), codec->gop_length())) {
    return adapter_sdk::Error{"gop_length " + Number(request.gop_length()) + " is outside " +
                              RangeText(codec->gop_length()) + for_codec};
  }
  if (!InRange(request.quality(), codec->quality())) {
    return adapter_sdk::Error{"quality " + Number(request.quality()) + " is outside " +
                              RangeText(codec->quality()) + for_codec};
  }
  adapter_sdk::Result<std::string> profile =
      ChooseProfile(current, *codec, request.codec_profile());
  if (!profile.ok()) {
    return adapter_sdk::Error{profile.error().message + where};
  }

  v1::VideoStream updated = current;
  updated.set_codec(codec->codec());
  updated.mutable_resolution()->set_width(size.width());
  updated.mutable_resolution()->set_height(size.height());
  updated.set_framerate(request.framerate());
  updated.set_bitrate_kbps(request.bitrate_kbps());
  updated.set_gop_length(uses_gop ? request.gop_length() : 0);
  updated.set_codec_profile(std::move(profile).value());
  updated.set_quality(request.quality());
  return updated;
}

namespace {

std::vector<v1::VideoStream> MjpegVideoStreams(const CameraConfig& camera, float framerate) {
  auto mjpeg = [&](v1::VideoStream stream, const std::vector<v1::Resolution>& sizes,
                   UIntBounds bitrate) {
    stream.set_uri(camera.mjpeg_base_uri + camera.id + "/" + stream.stream_id());
    stream.set_transport(v1::STREAM_TRANSPORT_MJPEG_HTTP);
    stream.set_codec(v1::VIDEO_CODEC_JPEG);
    stream.set_gop_length(0);
    stream.set_codec_profile("");
    *stream.mutable_options()->add_codecs() =
        MakeCodecOptions(v1::VIDEO_CODEC_JPEG, sizes, framerate, bitrate, {});
    return stream;
  };
  const v1::Resolution native = MakeResolution({camera.width, camera.height});
  if (!camera.mjpeg_url.empty()) {
    // Another program's stream: one, as it is (nothing here can change it).
    v1::VideoStream stream = mjpeg(MakeDefaultStream(camera, "main", native, 8192, kMainQuality),
                                   {native}, {512, 16384});
    stream.set_uri(camera.mjpeg_url);
    return {std::move(stream)};
  }
  const v1::Resolution sub_size = SubResolution(camera);
  return {mjpeg(MakeDefaultStream(camera, "main", native, 8192, kMainQuality),
                ScaledDownResolutions(native, {{1280, 720}, {640, 360}}), {512, 16384}),
          mjpeg(MakeDefaultStream(camera, "sub", sub_size, 2048, kSubQuality),
                ScaledDownResolutions(sub_size, {{320, 180}}), {128, 4096})};
}

std::vector<v1::VideoStream> SnapshotOnlyStreams(const CameraConfig& camera, float framerate) {
  // GetSnapshot renders at the sub size: the pictures are that size.
  const v1::Resolution size = SubResolution(camera);
  v1::VideoStream still = MakeDefaultStream(camera, "main", size, 2048, kMainQuality);
  still.clear_uri();
  still.set_transport(v1::STREAM_TRANSPORT_SNAPSHOT_ONLY);
  still.set_codec(v1::VIDEO_CODEC_JPEG);
  still.set_gop_length(0);
  still.set_codec_profile("");
  *still.mutable_options()->add_codecs() =
      MakeCodecOptions(v1::VIDEO_CODEC_JPEG, {size}, framerate, {128, 4096}, {});
  return {std::move(still)};
}

}  // namespace

}  // namespace onvifgw::simulated
