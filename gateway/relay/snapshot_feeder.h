#pragma once
// A camera that only takes pictures, played as a stream: while a relay
// media of such a camera is prepared or played, its pictures are fetched
// from the adapter (GetSnapshot) at the stream's frame rate, at most 10 a
// second, one fetch at a time, and pushed into the pipeline's "upstream"
// appsrc as JPEG frames, which the relay sends as RTP/JPEG (RFC 2435).
// Every client of the profile shares the one feeder. It stops when the
// media is unprepared (the last client left).

#include <gst/rtsp-server/rtsp-media.h>

#include <string>

#include "services/virtual_device.h"

namespace onvifgw::relay {

/// Starts feeding `media` (from its factory's media-configure signal) with
/// pictures of `camera_id`'s source `source_id` through `device`'s adapter,
/// timed on `context`: the relay's own, which runs as long as the relay (a
/// client's thread ends with its last client, while a lingering media goes
/// on). `device` outlives the relay.
void FeedSnapshots(GstRTSPMedia* media, GMainContext* context,
                   const services::VirtualDevice& device, const std::string& camera_id,
                   const std::string& source_id, double framerate, const std::string& label);

}  // namespace onvifgw::relay
