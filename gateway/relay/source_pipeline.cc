#include "relay/source_pipeline.h"

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

Expected<std::string, std::string> SourcePipeline(const v1::VideoStream& stream) {
  auto upstream = UpstreamElement(stream);
  if (!upstream) return MakeUnexpected(upstream.error());
  if (stream.transport() == v1::STREAM_TRANSPORT_SNAPSHOT_ONLY) {
    // Pictures pushed by the relay (snapshot_feeder.h), stamped as they come.
    return "( " + *upstream + " ! jpegparse name=ingest ! rtpjpegpay name=pay0 pt=26 )";
  }
  if (stream.transport() == v1::STREAM_TRANSPORT_MJPEG_HTTP) {
    return "( " + *upstream +
           " ! multipartdemux name=ingest single-stream=true ! image/jpeg ! jpegparse ! "
           "rtpjpegpay name=pay0 pt=26 )";
  }
  // The depayloader is the first element of the chain: it takes the name.
  std::string chain = RtpChain(stream.codec());
  chain.insert(chain.find(' '), " name=ingest");
  return "( " + *upstream + " ! " + chain + " )";
}

}  // namespace onvifgw::relay
