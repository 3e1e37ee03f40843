#pragma once

#include <string>

#include "adapters/sdk/result.h"
#include "adapters/simulated/frame_renderer.h"

namespace onvifgw::simulated {

/// Encodes a picture as a baseline JFIF file with libjpeg. `quality` is 1..100.
/// Thread-safe (each call has its own encoder).
adapter_sdk::Result<std::string> EncodeJpeg(const RgbImage& image, int quality = 80);

}  // namespace onvifgw::simulated
