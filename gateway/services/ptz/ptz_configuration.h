#pragma once
// The ONVIF shapes of a device's PTZ heads: nodes, configurations and their
// options, in the generic spaces only (the adapter API speaks them too, so
// no value is converted between the client and the adapter). Media, Media2
// and the PTZ service all use these, so they always agree.

#include <chrono>
#include <string>
#include <string_view>

#include "onvif/generated/tt.pb.h"
#include "services/media/media_catalog.h"
#include "services/media/media_profile_store.h"

namespace onvifgw::services::ptz {

namespace tt = ::onvifgw::onvif::tt;
namespace v1 = ::onvifgw::adapter::v1;
using media::MediaState;
using media::PtzNodeEntry;

/// The generic spaces (ONVIF PTZ §5.7).
inline constexpr std::string_view kPanTiltPositionSpace =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace";
inline constexpr std::string_view kZoomPositionSpace =
    "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace";
inline constexpr std::string_view kPanTiltTranslationSpace =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace";
inline constexpr std::string_view kZoomTranslationSpace =
    "http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace";
inline constexpr std::string_view kPanTiltVelocitySpace =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace";
inline constexpr std::string_view kZoomVelocitySpace =
    "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace";
inline constexpr std::string_view kPanTiltSpeedSpace =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace";
inline constexpr std::string_view kZoomSpeedSpace =
    "http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace";

/// ContinuousMove timeouts: what the options offer, and the default when
/// neither the request nor the configuration names one.
inline constexpr std::chrono::milliseconds kMinTimeout{100};
inline constexpr std::chrono::milliseconds kMaxTimeout{std::chrono::minutes(10)};
inline constexpr std::chrono::milliseconds kDefaultTimeout{std::chrono::seconds(5)};

/// What a configuration's defaults are now: the client's, else the node's.
struct PtzDefaults {
  float pan_speed = 1;
  float tilt_speed = 1;
  float zoom_speed = 1;
  std::chrono::milliseconds timeout = kDefaultTimeout;
};
PtzDefaults DefaultsOf(const PtzNodeEntry& node, const MediaState& state);

tt::PTZNode NodeOf(const PtzNodeEntry& node);
tt::PTZConfiguration ConfigurationOf(const PtzNodeEntry& node, const MediaState& state);
tt::PTZConfigurationOptions ConfigurationOptionsOf(const PtzNodeEntry& node);

/// The spaces a node supports, as its tt:PTZNode lists them.
tt::PTZSpaces SpacesOf(const v1::PtzNode& node);

}  // namespace onvifgw::services::ptz
