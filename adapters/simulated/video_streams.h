#pragma once

#include <vector>

#include "adapter/v1/adapter.pb.h"
#include "adapters/sdk/result.h"
#include "adapters/simulated/simulated_config.h"

namespace onvifgw::simulated {

/// The size of the "sub" stream at start-up and of every snapshot: at most 640 wide, keeping the
/// sensor's aspect ratio, even dimensions.
onvifgw::adapter::v1::Resolution SubResolution(const CameraConfig& camera);

/// The streams of video source "0" at start-up, "main" then "sub", each with its EncoderOptions.
/// Every default value lies inside the stream's options.
std::vector<onvifgw::adapter::v1::VideoStream> DefaultVideoStreams(const CameraConfig& camera);

/// `current` re-encoded as `request` asks, or an Error naming the field and the values allowed
/// when the request lies outside `current.options()`. Keeps stream_id, uri, transport and options.
/// JPEG ignores gop_length (stored as 0); an empty codec_profile keeps the current one if the
/// codec offers it, else takes the codec's first.
adapter_sdk::Result<onvifgw::adapter::v1::VideoStream> ApplyEncoderRequest(
    const onvifgw::adapter::v1::VideoStream& current,
    const onvifgw::adapter::v1::ApplyVideoEncoderConfigurationRequest& request);

}  // namespace onvifgw::simulated
