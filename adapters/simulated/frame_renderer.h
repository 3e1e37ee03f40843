#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "adapters/simulated/ptz_position.h"

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
  std::chrono::system_clock::time_point time{};
  /// Drawn as a red square in the top-right corner.
  bool motion_active = false;
  /// Where the PTZ head looks; nullopt for a fixed camera.
  std::optional<PtzPosition> ptz{};
  /// The sensor's imaging settings, 0..100; 50 leaves the picture as drawn.
  double brightness = 50;
  double contrast = 50;
  double color_saturation = 50;
};

/// Draws the test picture: a gradient tinted by the camera id, a white bar that sweeps across the
/// picture every 4 seconds, the time as HH:MM:SS in block digits, a stripe of blocks encoding the
/// camera id, and the motion marker. A pure function: equal specs give equal pictures, and times
/// in different seconds give different pictures.
///
/// With `ptz`, the gradient gives way to a window onto a larger scene: a checkerboard of cells
/// (8 across the widest view) whose colour changes with the place (red from left to right, green
/// from bottom to top), white lines between cells, thin dark lines at each quarter cell, and each
/// cell's "column:row" number. Pan and tilt move the window (pan -1..1 shifts it by its own width
/// either way at the widest, tilt by 0.6 of its width), zoom magnifies 1x..8x (2^(3 zoom)). The
/// position reads "P+0.00 T+0.00 Z0.00" in the bottom-right corner.
///
/// Brightness, contrast and colour saturation change the gradient or scene (not the overlays,
/// which a camera draws after its sensor): brightness shifts every level by 2 per step from 50,
/// contrast scales the distance from mid-grey by 2^((contrast - 50) / 25) (1/4x..4x), colour
/// saturation scales the distance from the pixel's grey by saturation / 50 (0: grey, 100: 2x).
RgbImage RenderFrame(const FrameSpec& spec);

}  // namespace onvifgw::simulated
