#pragma once

// Mapping between the adapter API's generic PTZ spaces and a dome's own units, per camera config.
// Generic pan and tilt positions are [-1, 1] (-1 the left/lower end of the configured range, +1
// the right/upper end, mirrored by invert_pan/invert_tilt); zoom positions are [0, 1]. Pelco-D pan
// and tilt are hundredths of a degree on the wire (see pelco_d_frame.h), zoom the ratio 0..65535.

#include <cstdint>

#include "adapters/pelco_d/pelco_d_config.h"

namespace onvifgw::pelco_d {

/// Dome pan (hundredths, 0..35999) -> generic pan. A position outside a partial range counts as
/// the nearer end.
double GenericPan(const CameraConfig& camera, uint16_t hundredths);
/// Generic pan (clamped to [-1, 1]) -> dome pan.
uint16_t DomePan(const CameraConfig& camera, double generic);

/// Dome tilt (hundredths, 0 = horizon, 9000 = straight down, >= 18000 above the horizon) ->
/// generic tilt, clamped to the configured limits.
double GenericTilt(const CameraConfig& camera, uint16_t hundredths);
/// Generic tilt (clamped to [-1, 1]) -> dome tilt.
uint16_t DomeTilt(const CameraConfig& camera, double generic);

/// Generic pan moved by a translation: wraps round a full circle, clamps to a partial range.
double TranslatePan(const CameraConfig& camera, double generic, double translation);
/// Generic tilt moved by a translation, clamped to [-1, 1].
double TranslateTilt(double generic, double translation);
/// Generic zoom moved by a translation, clamped to [0, 1].
double TranslateZoom(double generic, double translation);

}  // namespace onvifgw::pelco_d
