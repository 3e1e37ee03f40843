#include "adapters/vapix/vapix_ptz.h"

#include <algorithm>
#include <cmath>

namespace onvifgw::vapix {
namespace {

using adapter_sdk::Error;
using adapter_sdk::Result;

// Degrees with the precision query=position reports.
constexpr int kDegreeDecimals = 4;

std::string Degrees(double value) { return FormatNumber(value, kDegreeDecimals); }

std::string Steps(double value) { return std::to_string(std::lround(value)); }

Error NoLimits(const char* axis) {
  return Error{std::string("the camera reports no ") + axis + " limits (ptz.cgi query=limits)"};
}

}  // namespace

int VelocityPercent(double velocity) {
  return static_cast<int>(std::clamp<long>(std::lround(100 * velocity), -100, 100));
}

PtzParams ContinuousParams(const PtzAxes& velocity) {
  PtzParams params;
  if (velocity.pan || velocity.tilt) {
    params.emplace_back("continuouspantiltmove",
                        std::to_string(VelocityPercent(velocity.pan.value_or(0))) + "," +
                            std::to_string(VelocityPercent(velocity.tilt.value_or(0))));
  }
  if (velocity.zoom) {
    params.emplace_back("continuouszoommove", std::to_string(VelocityPercent(*velocity.zoom)));
  }
  return params;
}

PtzParams StopParams(bool pan_tilt, bool zoom) {
  PtzParams params;
  if (pan_tilt) params.emplace_back("continuouspantiltmove", "0,0");
  if (zoom) params.emplace_back("continuouszoommove", "0");
  return params;
}

std::optional<std::pair<std::string, std::string>> SpeedParam(std::optional<double> speed) {
  if (!speed) return std::nullopt;
  const long percent = std::clamp<long>(std::lround(100 * *speed), 1, 100);
  return std::make_pair(std::string("speed"), std::to_string(percent));
}

Result<PtzParams> AbsoluteParams(const PtzLimits& limits, const PtzAxes& position) {
  PtzParams params;
  auto span = [](const Range& range, double generic) {
    return range.min + (std::clamp(generic, -1.0, 1.0) + 1) / 2 * (range.max - range.min);
  };
  if (position.pan) {
    if (!limits.pan) return NoLimits("pan");
    params.emplace_back("pan", Degrees(span(*limits.pan, *position.pan)));
  }
  if (position.tilt) {
    if (!limits.tilt) return NoLimits("tilt");
    params.emplace_back("tilt", Degrees(span(*limits.tilt, *position.tilt)));
  }
  if (position.zoom) {
    if (!limits.zoom) return NoLimits("zoom");
    const Range& zoom = *limits.zoom;
    params.emplace_back(
        "zoom", Steps(zoom.min + std::clamp(*position.zoom, 0.0, 1.0) * (zoom.max - zoom.min)));
  }
  return params;
}

Result<PtzParams> RelativeParams(const PtzLimits& limits, const PtzAxes& translation) {
  PtzParams params;
  auto half = [](const Range& range, double generic) {
    return std::clamp(generic, -1.0, 1.0) * (range.max - range.min) / 2;
  };
  if (translation.pan) {
    if (!limits.pan) return NoLimits("pan");
    params.emplace_back("rpan", Degrees(half(*limits.pan, *translation.pan)));
  }
  if (translation.tilt) {
    if (!limits.tilt) return NoLimits("tilt");
    params.emplace_back("rtilt", Degrees(half(*limits.tilt, *translation.tilt)));
  }
  if (translation.zoom) {
    if (!limits.zoom) return NoLimits("zoom");
    const Range& zoom = *limits.zoom;
    params.emplace_back("rzoom",
                        Steps(std::clamp(*translation.zoom, -1.0, 1.0) * (zoom.max - zoom.min)));
  }
  return params;
}

PtzAxes GenericPosition(const PtzLimits& limits, const PtzPosition& position) {
  PtzAxes generic;
  auto unspan = [](const Range& range, double value) {
    return std::clamp(2 * (value - range.min) / (range.max - range.min) - 1, -1.0, 1.0);
  };
  if (limits.pan && position.pan) generic.pan = unspan(*limits.pan, *position.pan);
  if (limits.tilt && position.tilt) generic.tilt = unspan(*limits.tilt, *position.tilt);
  if (limits.zoom && position.zoom) {
    const Range& zoom = *limits.zoom;
    generic.zoom = std::clamp((*position.zoom - zoom.min) / (zoom.max - zoom.min), 0.0, 1.0);
  }
  return generic;
}

std::string PtzQueryString(unsigned channel, const PtzParams& params) {
  std::string query = "camera=" + std::to_string(channel);
  for (const auto& [key, value] : params) {
    query.append("&").append(key).append("=").append(value);
  }
  return query;
}

}  // namespace onvifgw::vapix
