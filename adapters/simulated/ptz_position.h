#pragma once
// The values a simulated PTZ head is made of, shared by the head, the
// picture that shows where it looks and the camera's configuration file.

#include <cstdint>
#include <map>

namespace onvifgw::simulated {

/// Where the head looks, in the adapter API's generic spaces: pan and tilt in
/// [-1, 1] (-1 left/down), zoom in [0, 1] (0 the widest).
struct PtzPosition {
  double pan = 0;
  double tilt = 0;
  double zoom = 0;
  bool operator==(const PtzPosition&) const = default;
};

/// Whether every value of `position` lies in its generic space (NaN does not).
inline bool IsValidPtzPosition(const PtzPosition& p) {
  return p.pan >= -1 && p.pan <= 1 && p.tilt >= -1 && p.tilt <= 1 && p.zoom >= 0 && p.zoom <= 1;
}

/// What the head remembers across moves: its home position and its presets,
/// by slot number. Part of the camera's configuration file.
struct PtzMemory {
  PtzPosition home;
  std::map<uint32_t, PtzPosition> presets;
  bool operator==(const PtzMemory&) const = default;
};

}  // namespace onvifgw::simulated
