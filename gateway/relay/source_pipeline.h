#pragma once
// The GStreamer pipeline that pulls one camera stream and hands it to the
// RTSP server as RTP, without transcoding: an upstream RTSP stream is
// depayloaded, parsed and payloaded again (H.264, H.265, JPEG); MJPEG over
// HTTP becomes RTP/JPEG (RFC 2435), which Profile S allows. A JPEG stream
// the device has the relay encode (encode_h264) is decoded and encoded as
// H.264 instead.

#include <optional>
#include <string>

#include "adapter/v1/adapter.pb.h"
#include "core/expected.h"
#include "services/media/relay_encoding.h"

namespace onvifgw::relay {

/// A gst-launch description, in the parentheses GstRTSPMediaFactory wants,
/// whose payloader is named pay0; or why the stream cannot be relayed (a
/// codec or transport the relay does not carry, a URI it cannot quote).
/// The element that connects to the camera is named "upstream" and the one
/// it feeds "ingest", so that a lost camera connection can be replaced
/// (UpstreamElement) without touching the rest.
/// With `encode_h264`, the stream's JPEG is sent as H.264 with those settings.
Expected<std::string, std::string> SourcePipeline(
    const adapter::v1::VideoStream& stream,
    const std::optional<services::media::RelayH264>& encode_h264 = std::nullopt);

/// The "upstream" element of SourcePipeline(stream) alone.
Expected<std::string, std::string> UpstreamElement(const adapter::v1::VideoStream& stream);

}  // namespace onvifgw::relay
