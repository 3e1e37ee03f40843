#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

namespace onvifgw::simulated {

/// An 8-bit RGB picture, rows top to bottom, 3 bytes per pixel.
struct RgbImage {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> pixels;  ///< width * height * 3 bytes.
};

/// Everything a simulated picture depends on.
struct FrameSpec {
  std::string_view camera_id;
  uint32_t width = 320;
  uint32_t height = 180;
  /// The camera's clock: drives the moving bar and the HH:MM:SS counter.
  std::chrono::system_clock::time_point time;
  /// Drawn as a red square in the top-right corner.
  bool motion_active = false;
};

/// Draws the test picture: a gradient tinted by the camera id, a white bar that sweeps across the
/// picture every 4 seconds, the time as HH:MM:SS in block digits, a stripe of blocks encoding the
/// camera id, and the motion marker. A pure function: equal specs give equal pictures, and times
/// in different seconds give different pictures.
RgbImage RenderFrame(const FrameSpec& spec);

}  // namespace onvifgw::simulated
