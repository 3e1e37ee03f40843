#pragma once
// H.264 encoding of JPEG streams in the relay, for VMSes that refuse JPEG
// (the device's `encode_h264`). A camera stream named there that the camera
// delivers as JPEG is presented to clients as an H.264 encoder: its
// resolution, frame rate and quality stay the camera's (a client's change
// is applied to the camera, still as JPEG); its bitrate, GOV length and
// H.264 profile are the relay encoder's, set by clients and stored with the
// configuration (StoredConfiguration.relay_h264).

#include <cstdint>
#include <string>

#include "config/gateway_config.h"
#include "services/media/media_catalog.h"
#include "store/v1/media_state.pb.h"

namespace onvifgw::services::media {

/// The relay's H.264 encoder settings for one stream.
struct RelayH264 {
  uint32_t bitrate_kbps = 0;
  uint32_t gop_length = 0;
  std::string profile;  ///< "Baseline", "Main" or "High"
};

/// Presents the encoders of `catalog` that the relay encodes as H.264, with
/// the settings stored in `state` (defaults where none are).
void PresentRelayEncoding(const config::DeviceConfig& device, const store::v1::MediaState& state,
                          MediaCatalog* catalog);

/// The relay encoder settings of an entry PresentRelayEncoding presented.
RelayH264 RelayH264Of(const VideoEncoderEntry& entry);

}  // namespace onvifgw::services::media
