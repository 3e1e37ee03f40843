#include "adapters/pelco_d/pelco_d_space.h"

#include <algorithm>
#include <cmath>

#include "adapters/pelco_d/pelco_d_frame.h"

namespace onvifgw::pelco_d {
namespace {

double Clamp(double value, double low, double high) {
  if (std::isnan(value)) {
    return low;
  }
  return std::clamp(value, low, high);
}

// Into [0, 360).
double Normalise(double degrees) {
  double result = std::fmod(degrees, 360.0);
  return result < 0 ? result + 360.0 : result;
}

}  // namespace

double GenericPan(const CameraConfig& camera, uint16_t hundredths) {
  const double width = camera.pan_max_degrees - camera.pan_min_degrees;
  const double offset = Normalise(PanDegrees(hundredths) - camera.pan_min_degrees);
  double generic;
  if (camera.FullCirclePan()) {
    generic = offset / 360.0 * 2.0 - 1.0;
  } else if (offset <= width) {
    generic = offset / width * 2.0 - 1.0;
  } else {
    // In the dead zone behind a partial range: report the end the head is closer to.
    generic = (offset - width) < (360.0 - offset) ? 1.0 : -1.0;
  }
  return camera.invert_pan ? -generic : generic;
}

uint16_t DomePan(const CameraConfig& camera, double generic) {
  double g = Clamp(generic, -1.0, 1.0);
  if (camera.invert_pan) {
    g = -g;
  }
  const double width = camera.pan_max_degrees - camera.pan_min_degrees;
  return PanHundredths(camera.pan_min_degrees + (g + 1.0) / 2.0 * width);
}

double GenericTilt(const CameraConfig& camera, uint16_t hundredths) {
  const double up = camera.tilt_up_limit_degrees;
  const double down = camera.tilt_down_limit_degrees;
  const double elevation = Clamp(TiltElevationDegrees(hundredths), -down, up);
  const double generic = (elevation + down) / (up + down) * 2.0 - 1.0;
  return camera.invert_tilt ? -generic : generic;
}

uint16_t DomeTilt(const CameraConfig& camera, double generic) {
  double g = Clamp(generic, -1.0, 1.0);
  if (camera.invert_tilt) {
    g = -g;
  }
  const double up = camera.tilt_up_limit_degrees;
  const double down = camera.tilt_down_limit_degrees;
  return TiltHundredths(-down + (g + 1.0) / 2.0 * (up + down));
}

double TranslatePan(const CameraConfig& camera, double generic, double translation) {
  const double moved = generic + translation;
  if (!camera.FullCirclePan()) {
    return Clamp(moved, -1.0, 1.0);
  }
  // -1 and +1 are the same direction on a full circle.
  double wrapped = std::fmod(moved + 1.0, 2.0);
  if (wrapped < 0) {
    wrapped += 2.0;
  }
  return wrapped - 1.0;
}

double TranslateTilt(double generic, double translation) {
  return Clamp(generic + translation, -1.0, 1.0);
}

double TranslateZoom(double generic, double translation) {
  return Clamp(generic + translation, 0.0, 1.0);
}

}  // namespace onvifgw::pelco_d
