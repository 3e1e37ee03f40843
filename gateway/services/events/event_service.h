#pragma once
// The ONVIF Event service (event.wsdl): real-time pull points (Core §9.1-9.5),
// backed by events::EventHub. The adapters' events become ONVIF topics here:
// motion -> tns1:VideoSource/MotionAlarm (State, per video source).
// Operations not declared in event_service.cc answer ter:ActionNotSupported.

#include <string>
#include <string_view>
#include <vector>

#include "onvif/events.pb.h"
#include "services/operation.h"

namespace onvifgw::services::events {

inline constexpr std::string_view kPath = "/onvif/events_service";
/// Subscription managers live at kSubscriptionPathPrefix + id.
inline constexpr std::string_view kSubscriptionPathPrefix = "/onvif/subscription/";
inline constexpr std::string_view kMotionAlarmTopic = "tns1:VideoSource/MotionAlarm";

std::vector<Operation> Operations();

/// What the event service advertises (GetServiceCapabilities and the
/// device's GetServices).
onvif::tev::Capabilities ServiceCapabilities();

/// The token clients see for an adapter's video source.
std::string VideoSourceToken(const std::string& source_id);

}  // namespace onvifgw::services::events
