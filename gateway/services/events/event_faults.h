#pragma once
// The faults of the event service's WSDL operations (Core §9, WS-Base
// Notification 1.3, WS-ResourceFramework): a SOAP fault whose Detail carries
// the WSDL fault message, so that a client generated from the WSDL gets the
// typed fault (ResourceUnknownFault, TopicNotSupportedFault...) it expects.
// All are the client's doing: env:Sender, ter:InvalidArgVal.

#include <chrono>
#include <string>
#include <utility>

#include "services/xml_time.h"
#include "soap/fault.h"

namespace onvifgw::services::events {

/// The subscription addressed does not exist (never did, expired, or was
/// unsubscribed): wsrf_r:ResourceUnknownFault.
soap::Fault ResourceUnknown(Clock::time_point now);

/// A PullMessages Timeout above the maximum: tev:PullMessagesFaultResponse
/// with both upper limits (Core §9.1.4.2).
soap::Fault PullMessagesFault(std::chrono::milliseconds max_timeout, int max_message_limit);

/// A termination time that cannot be granted (in the past):
/// wsnt:UnacceptableInitialTerminationTimeFault (subscribing) or
/// wsnt:UnacceptableTerminationTimeFault (renewing), with the earliest and
/// latest acceptable times.
soap::Fault UnacceptableTerminationTime(bool initial, Clock::time_point now,
                                        Clock::time_point minimum, Clock::time_point maximum);

/// A PullMessages on a subscription where another one is still waiting
/// (Core §9.1.4.2): wsnt:UnableToGetMessagesFault. The waiting one is
/// answered as usual; no message is lost.
soap::Fault UnableToGetMessages(Clock::time_point now);

/// A topic filter naming no topic of the device's (fixed) topic set.
soap::Fault TopicNotSupported(Clock::time_point now, const std::string& topic);
/// A topic expression that is not one in its dialect.
soap::Fault InvalidTopicExpression(Clock::time_point now, const std::string& why);
/// A topic expression dialect the device does not know.
soap::Fault TopicExpressionDialectUnknown(Clock::time_point now, const std::string& dialect);

/// A MessageContent expression that is none in the ItemFilter dialect, or
/// in a dialect the device does not apply.
soap::Fault InvalidMessageContentExpression(Clock::time_point now, const std::string& why);
/// A filter element the device cannot apply (ProducerProperties, or
/// another): wsnt:InvalidFilterFault naming it ({namespace, local name}).
soap::Fault InvalidFilter(Clock::time_point now, const std::pair<std::string, std::string>& filter);
/// A SubscriptionPolicy, which the device does not understand
/// (WSSubscriptionPolicySupport false): wsnt:UnrecognizedPolicyRequestFault.
soap::Fault UnrecognizedPolicyRequest(Clock::time_point now);
/// A push subscription the device will not create (a consumer address it
/// cannot deliver to): wsnt:SubscribeCreationFailedFault.
soap::Fault SubscribeCreationFailed(Clock::time_point now, const std::string& why);

}  // namespace onvifgw::services::events
