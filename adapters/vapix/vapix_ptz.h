#pragma once

// The adapter API's generic PTZ spaces mapped onto ptz.cgi parameters, from the head's
// query=limits. Pure functions: the camera layer sends what they build.
//
//   continuous  pan/tilt/zoom velocity v in [-1, 1] -> round(100 v) (continuouspantiltmove=x,y,
//               continuouszoommove=z; + = right / up / tele)
//   absolute    pan/tilt in [-1, 1] span [MinPan, MaxPan] / [MinTilt, MaxTilt] degrees (-1 the
//               lower end); zoom in [0, 1] spans [MinZoom, MaxZoom] steps (0 the widest)
//   relative    a translation of 2 is the whole range (as positions): rpan/rtilt degrees,
//               rzoom steps
//   speed       the pan/tilt speed s in [0, 1] -> speed=round(100 s) within 1..100 (ptz.cgi has
//               no zoom speed)

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/sdk/result.h"
#include "adapters/vapix/vapix_params.h"

namespace onvifgw::vapix {

/// ptz.cgi parameters in the order they are sent; values need no encoding.
using PtzParams = std::vector<std::pair<std::string, std::string>>;

/// The axes a request sets (absent: left alone).
struct PtzAxes {
  std::optional<double> pan;
  std::optional<double> tilt;
  std::optional<double> zoom;
};

/// round(100 v) within -100..100.
int VelocityPercent(double velocity);

/// continuouspantiltmove / continuouszoommove for the axes set; pan and tilt go together.
PtzParams ContinuousParams(const PtzAxes& velocity);

/// Both continuous moves of the axes asked for set to 0; empty when neither is asked.
PtzParams StopParams(bool pan_tilt, bool zoom);

/// speed=1..100 from a pan/tilt speed (the larger of x and y); nullopt for none.
std::optional<std::pair<std::string, std::string>> SpeedParam(std::optional<double> speed);

/// pan/tilt degrees and zoom steps for a generic position. An axis whose limits are unknown is
/// an error naming it.
adapter_sdk::Result<PtzParams> AbsoluteParams(const PtzLimits& limits, const PtzAxes& position);

/// rpan/rtilt degrees and rzoom steps for a generic translation.
adapter_sdk::Result<PtzParams> RelativeParams(const PtzLimits& limits, const PtzAxes& translation);

/// query=position in the generic space, clamped; axes without limits or value are left unset.
PtzAxes GenericPosition(const PtzLimits& limits, const PtzPosition& position);

/// "camera=1&speed=50&pan=10" (without '?').
std::string PtzQueryString(unsigned channel, const PtzParams& params);

}  // namespace onvifgw::vapix
