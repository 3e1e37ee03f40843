#include "relay/source_pipeline.h"

#include <cctype>

namespace onvifgw::relay {
namespace {

namespace v1 = ::onvifgw::adapter::v1;

// Latency (ms) of the upstream jitter buffer: enough for a LAN camera, small
// enough to keep the relay's added delay well under a frame interval or two.
constexpr int kUpstreamLatencyMs = 100;

// The URI as a quoted gst-launch value. Quotes and backslashes would end or
// escape the quoting, control characters have no place in a URI: refused.
Expected<std::string, std::string> Quoted(const std::string& uri) {
  for (char c : uri) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return MakeUnexpected(
          std::string("the stream URI holds a character the relay cannot pass on"));
    }
  }
  return "\"" + uri + "\"";
}

// depay ! parse ! pay for one codec carried as RTP; empty for one we do not.
std::string RtpChain(v1::VideoCodec codec) {
  switch (codec) {
    case v1::VIDEO_CODEC_H264:
      return "rtph264depay ! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 "
             "config-interval=-1";
    case v1::VIDEO_CODEC_H265:
      return "rtph265depay ! h265parse config-interval=-1 ! rtph265pay name=pay0 pt=96 "
             "config-interval=-1";
    case v1::VIDEO_CODEC_JPEG:
      return "rtpjpegdepay ! rtpjpegpay name=pay0 pt=26";
    case v1::VIDEO_CODEC_MPEG4:
      return "rtpmp4vdepay ! rtpmp4vpay name=pay0 pt=96 config-interval=-1";
    default:
      return "";
  }
}

// JPEG pictures to H.264 RTP: decoded, made 4:2:0 (what the Baseline and
// Main profiles carry; cameras often send 4:2:2), and encoded for low
// latency (no B-frames, no look-ahead) at the client's settings.
Expected<std::string, std::string> H264Encoding(const services::media::RelayH264& h264) {
  std::string profile;
  for (char c : h264.profile)
    profile += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (profile != "baseline" && profile != "main" && profile != "high") {
    return MakeUnexpected("the relay does not encode the H.264 profile " + h264.profile);
  }
  return "jpegdec ! videoconvert ! video/x-raw,format=I420 ! x264enc tune=zerolatency "
         "speed-preset=ultrafast bitrate=" +
         std::to_string(h264.bitrate_kbps) + " key-int-max=" + std::to_string(h264.gop_length) +
         " ! video/x-h264,profile=" + profile +
         " ! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 config-interval=-1";
}

}  // namespace

Expected<std::string, std::string> UpstreamElement(const v1::VideoStream& stream) {
  if (stream.transport() == v1::STREAM_TRANSPORT_SNAPSHOT_ONLY) {
    return std::string(
        "appsrc name=upstream is-live=true format=time do-timestamp=true caps=image/jpeg");
  }
  auto location = Quoted(stream.uri());
  if (!location) return MakeUnexpected(location.error());
  switch (stream.transport()) {
    case v1::STREAM_TRANSPORT_UNSPECIFIED:
    case v1::STREAM_TRANSPORT_RTSP:
      if (RtpChain(stream.codec()).empty()) {
        return MakeUnexpected(std::string("the stream's codec is not relayed"));
      }
      // TCP to the camera: legacy cameras' UDP is the first thing a NAT or a
      // firewall between gateway and camera breaks, and costs nothing here.
      return "rtspsrc name=upstream location=" + *location +
             " protocols=tcp latency=" + std::to_string(kUpstreamLatencyMs);
    case v1::STREAM_TRANSPORT_MJPEG_HTTP:
      // The frames keep the time they arrived (do-timestamp): the camera
      // sends no clock of its own.
      return "souphttpsrc name=upstream location=" + *location +
             " is-live=true do-timestamp=true keep-alive=true";
    default:
      return MakeUnexpected(std::string("the stream's transport is not relayed"));
  }
}

Expected<std::string, std::string> SourcePipeline(
    const v1::VideoStream& stream, const std::optional<services::media::RelayH264>& encode_h264) {
  auto upstream = UpstreamElement(stream);
  if (!upstream) return MakeUnexpected(upstream.error());
  std::string jpeg_out = "rtpjpegpay name=pay0 pt=26";
  if (encode_h264) {
    if (stream.codec() != v1::VIDEO_CODEC_JPEG) {
      return MakeUnexpected(std::string("only JPEG is encoded as H.264"));
    }
    auto encoding = H264Encoding(*encode_h264);
    if (!encoding) return MakeUnexpected(encoding.error());
    jpeg_out = *encoding;
  }
  if (stream.transport() == v1::STREAM_TRANSPORT_SNAPSHOT_ONLY) {
    // Pictures pushed by the relay (snapshot_feeder.h), stamped as they come.
    return "( " + *upstream + " ! jpegparse name=ingest ! " + jpeg_out + " )";
  }
  if (stream.transport() == v1::STREAM_TRANSPORT_MJPEG_HTTP) {
    return "( " + *upstream +
           " ! multipartdemux name=ingest single-stream=true ! image/jpeg ! jpegparse ! " +
           jpeg_out + " )";
  }
  if (encode_h264) return "( " + *upstream + " ! rtpjpegdepay name=ingest ! " + jpeg_out + " )";
  // The depayloader is the first element of the chain: it takes the name.
  std::string chain = RtpChain(stream.codec());
  chain.insert(chain.find(' '), " name=ingest");
  return "( " + *upstream + " ! " + chain + " )";
}

}  // namespace onvifgw::relay
