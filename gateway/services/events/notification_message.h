#pragma once
// A notification as the wire carries it: wsnt:NotificationMessage with its
// Topic (ConcreteSet dialect) and the tt:Message in its Message slot
// (Core §9.3.1). PullMessagesResponse and Notify both hold these.

#include <string>

#include "onvif/generated/wsnt.pb.h"
#include "services/events/event_hub.h"

namespace onvifgw::services::events {

inline constexpr const char* kConcreteSetDialect =
    "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";

/// `subscription`, when not empty, is the subscription manager's address
/// (a Notify names the subscription it is for).
onvif::wsnt::NotificationMessageHolderType NotificationMessage(
    const Notification& n, const std::string& subscription = {});

}  // namespace onvifgw::services::events
