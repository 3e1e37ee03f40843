#pragma once
// What the cameras' events mean as ONVIF notifications, per virtual device:
// the adapter's motion, input, relay and tamper events, the adapter's
// reachability, and the documented initial value of each property, so that
// a subscriber learns a state on its first pull even before the camera
// reported one (Core §9.2.3: Initialized).
//
//   motion        tns1:VideoSource/MotionAlarm                 Source / State
//                 tns1:RuleEngine/CellMotionDetector/Motion    VideoSourceConfigurationToken,
//                                                              VideoAnalyticsConfigurationToken,
//                                                              Rule / IsMotion
//   reachability  tns1:VideoSource/SignalLoss                  Source / State
//   tamper        tns1:VideoSource/GlobalSceneChange/ImagingService  Source / State
//   input         tns1:Device/Trigger/DigitalInput             InputToken / LogicalState
//   relay         tns1:Device/Trigger/Relay                    RelayToken / LogicalState
//
// Initial values: no motion, no tampering (cameras that report it), relays
// as last listed. Signal loss is published as a change whenever the
// adapter is reached or lost. Digital inputs have none until the camera
// reports one.

#include <string>
#include <vector>

#include "adapter/v1/adapter.pb.h"
#include "adapters/camera_adapter.h"
#include "config/gateway_config.h"
#include "services/events/event_hub.h"

namespace onvifgw::services::events {

/// The cell motion rule the gateway names in its motion events: the
/// camera's own motion detection, which has no configuration of its own.
inline constexpr const char* kMotionRule = "MotionDetection";

/// The notifications an adapter event means for `device` (none for a camera
/// or source the device does not present, or an event without a topic).
std::vector<Notification> CameraNotifications(const config::DeviceConfig& device,
                                              const adapter::v1::Event& event,
                                              Clock::time_point time);

/// The initial value of every property of `device` that the facts reveal.
std::vector<Notification> InitialState(const config::DeviceConfig& device,
                                       const adapters::AdapterFacts& facts, Clock::time_point time);

/// Signal lost (or back) on every video source `device` presents.
std::vector<Notification> SignalState(const config::DeviceConfig& device,
                                      const adapters::AdapterFacts& facts, bool lost,
                                      Clock::time_point time);

/// A relay's logical state after a change the gateway made.
Notification RelayState(const std::string& relay_id, bool active, Clock::time_point time);

}  // namespace onvifgw::services::events
