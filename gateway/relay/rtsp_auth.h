#pragma once
// A GstRTSPAuth that puts every RTSP request before an RtspAdmitter: the
// relay's users are the device's, decided per request, not a list copied into
// GStreamer. Refusals carry the admitter's status and challenge headers.

#include <gst/rtsp-server/rtsp-auth.h>

#include "relay/rtsp_admission.h"

namespace onvifgw::relay {

/// A new reference to such an auth object.
GstRTSPAuth* NewAdmittingAuth(RtspAdmitter admit);

}  // namespace onvifgw::relay
