#pragma once
// The ONVIF Event service (event.wsdl): real-time pull points (Core §9.1-9.5),
// and Basic Notification push subscriptions (Core §9.2), backed by
// events::EventHub. The adapters' events become ONVIF topics in
// camera_events.h; the gateway adds tns1:Device/SecurityPolicy/AuthFailed.
// Serve() registers it: every operation of the served port types of
// event.wsdl is bound or declared unsupported.

#include <string>
#include <string_view>
#include <vector>

#include "onvif/generated/tev.pb.h"
#include "services/service_registry.h"

namespace onvifgw::services::events {

inline constexpr std::string_view kPath = "/onvif/events_service";
/// Subscription managers live at kSubscriptionPathPrefix + id.
inline constexpr std::string_view kSubscriptionPathPrefix = "/onvif/subscription/";
inline constexpr std::string_view kMotionAlarmTopic = "tns1:VideoSource/MotionAlarm";
inline constexpr std::string_view kCellMotionTopic = "tns1:RuleEngine/CellMotionDetector/Motion";
inline constexpr std::string_view kSignalLossTopic = "tns1:VideoSource/SignalLoss";
inline constexpr std::string_view kTamperTopic =
    "tns1:VideoSource/GlobalSceneChange/ImagingService";
inline constexpr std::string_view kDigitalInputTopic = "tns1:Device/Trigger/DigitalInput";
inline constexpr std::string_view kRelayTopic = "tns1:Device/Trigger/Relay";
/// Core §8.4 (authentication failure warning): more than MaxAuthFailures
/// failures within MonitorPeriod. Source NetworkInterface; Data SourceIPv4
/// or SourceIPv6, the address the last failure came from.
inline constexpr std::string_view kAuthFailedTopic = "tns1:Device/SecurityPolicy/AuthFailed";
/// The token of the one network interface GetNetworkInterfaces reports.
inline constexpr std::string_view kNetworkInterfaceToken = "eth0";

void Serve(ServiceRegistry& registry);

/// What the event service advertises (GetServiceCapabilities and the
/// device's GetServices).
onvif::tev::Capabilities ServiceCapabilities(const VirtualDevice& device);

}  // namespace onvifgw::services::events
