#pragma once
// A shared media that outlives its last client for a while. gst-rtsp-server
// ends a shared media, and with it the camera connection, as soon as its
// last client leaves; a VMS that closes a stream and opens it again a moment
// later (switching layouts, probing before it plays, reconnecting after a
// hiccup) would then wait for a new camera connection and the camera's next
// key frame each time, and a camera with a small session limit would see a
// stream of connects. Held, the media goes on pulling from the camera with
// no client; the next client joins it at once.
//
// The hold is one more preparation of the media (gst_rtsp_media_prepare
// counts them), taken once the media is first prepared and given back once
// the media has had no client for the linger time. Before it is given back,
// `retire` is called so that no new client can find the media any more (the
// factory caches it): a client must not pick up a media that is unpreparing.

#include <gst/rtsp-server/rtsp-media.h>

#include <chrono>
#include <functional>
#include <string>

namespace onvifgw::relay {

/// Makes `media` (from its factory's media-configure signal) stay prepared
/// for `linger` after its last client leaves; `context` is the relay's main
/// context, where the idle check runs; `retire` is called on it just before
/// the media is given up; `label` names the media in logs. A zero `linger`
/// changes nothing.
void LingerAfterLastClient(GstRTSPMedia* media, std::chrono::milliseconds linger,
                           GMainContext* context, std::function<void()> retire, std::string label);

}  // namespace onvifgw::relay
