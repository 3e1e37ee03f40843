#pragma once
// A GstRTSPMedia that outlives its camera connection: when the "upstream"
// element of a playing media (SourcePipeline) fails or ends, its clients
// stay connected while the element is replaced by a fresh one, resolved
// anew (the camera's URI may have changed), after a back-off that doubles
// from half a second to 30 s and starts over once media flows again. The
// rest of the pipeline (depayloader, parser, payloader) is kept, so the RTP
// the clients receive goes on with the same sequence and clock.
//
// A media that fails before it is prepared fails as before: a client asking
// for a camera that is down is told at once, not kept waiting.

#include <gst/rtsp-server/rtsp-media.h>

#include <chrono>
#include <functional>
#include <string>

#include "core/expected.h"

namespace onvifgw::relay {

/// The "upstream" element to connect to the camera with now (a gst-launch
/// description), or why there is none any more (the profile's stream is
/// gone or changed codec): the media then ends as it would have.
using UpstreamResolver = std::function<Expected<std::string, std::string>()>;

struct ReconnectPolicy {
  std::chrono::milliseconds first_delay{500};
  std::chrono::milliseconds max_delay{30000};
};

/// For gst_rtsp_media_factory_set_media_gtype.
GType ReconnectingMediaType();

/// Makes `media` (of ReconnectingMediaType, from its factory's
/// media-configure signal, on the relay's thread) replace its lost upstream.
/// `label` names it in logs.
void ArmReconnect(GstRTSPMedia* media, UpstreamResolver resolve, std::string label,
                  ReconnectPolicy policy = {});

}  // namespace onvifgw::relay
