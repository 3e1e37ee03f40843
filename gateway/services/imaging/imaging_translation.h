#pragma once
// Imaging between ONVIF and the adapter API: settings and options in both
// directions, and the checks a SetImagingSettings or a focus Move passes
// before it reaches the camera. Pure functions, so the rules are tested
// without a service around them.
//
// The adapter's options are the whole truth about a sensor: a setting the
// options do not describe does not exist, and a request that names one is
// refused (ter:SettingsInvalid), never silently dropped.

#include <optional>

#include "adapter/v1/adapter.pb.h"
#include "core/expected.h"
#include "onvif/generated/tt.pb.h"
#include "soap/fault.h"

namespace onvifgw::services::imaging {

namespace v1 = ::onvifgw::adapter::v1;
namespace tt = ::onvifgw::onvif::tt;

/// The sensor's settings as ONVIF shows them (only what the camera reported).
tt::ImagingSettings20 SettingsToOnvif(const v1::ImagingSettings& settings);

/// What a client asks to change, checked against the options: every value in
/// its range, every mode offered, nothing the sensor lacks. The fault is
/// ter:InvalidArgVal/ter:SettingsInvalid naming the setting.
Expected<v1::ImagingSettings, soap::Fault> SettingsFromOnvif(const tt::ImagingSettings20& settings,
                                                             const v1::ImagingOptions& options);

/// The options as ONVIF shows them.
tt::ImagingOptions20 OptionsToOnvif(const v1::ImagingOptions& options);

/// The focus moves the lens takes (empty when it takes none).
tt::MoveOptions20 MoveOptionsToOnvif(const v1::ImagingOptions& options);

/// Whether the lens takes any focus move.
bool HasFocusMoves(const v1::ImagingOptions& options);

/// A focus Move checked against the move options; exactly one kind of move.
Expected<v1::MoveFocusRequest, soap::Fault> FocusMoveFromOnvif(const tt::FocusMove& move,
                                                               const v1::ImagingOptions& options);

/// The lens status (ImagingStatus20 with a FocusStatus20).
tt::ImagingStatus20 StatusToOnvif(const v1::FocusStatus& status);

}  // namespace onvifgw::services::imaging
