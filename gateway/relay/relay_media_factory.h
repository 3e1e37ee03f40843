#pragma once
// The media factory of every relay mount. gst-rtsp-server's own factory
// caches a shared media under the port and path of the URL the client
// asked for, so clients reaching one profile through another port (RTSP
// tunnelled in HTTP arrives on the web service port; clients that still use
// the old port after SetNetworkProtocols) would each get a pipeline, and a
// camera connection, of their own. This one caches by path alone: one media,
// one camera connection per profile, whichever way the clients come.

#include <gst/rtsp-server/rtsp-media-factory.h>

namespace onvifgw::relay {

/// A new factory (a reference the caller owns), otherwise as
/// gst_rtsp_media_factory_new().
GstRTSPMediaFactory* NewRelayMediaFactory();

}  // namespace onvifgw::relay
