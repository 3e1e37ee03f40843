#include "services/events/event_faults.h"

#include "onvif/generated/tev.pb.h"
#include "onvif/generated/wsnt.pb.h"
#include "onvif/generated/wsrf_r.pb.h"
#include "soap/codec.h"
#include "soap/namespaces.h"

namespace onvifgw::services::events {
namespace {

namespace tev = ::onvifgw::onvif::tev;
namespace wsnt = ::onvifgw::onvif::wsnt;
namespace wsrf_r = ::onvifgw::onvif::wsrf_r;

// The fault message `detail` (a generated type) in env:Detail of an
// env:Sender / ter:InvalidArgVal fault.
soap::Fault SenderFault(std::string reason, const google::protobuf::Message& detail,
                        std::string_view prefix, std::string_view element) {
  soap::Fault f = soap::InvalidArgVal(std::move(reason));
  f.code = soap::FaultCode::kSender;
  f.detail = soap::EncodeFragment(detail, prefix, element);
  return f;
}

// The WS-BaseFaults part every WS-N and WS-RF fault has: its Timestamp and
// a Description.
template <typename FaultType>
FaultType BaseFault(Clock::time_point now, const std::string& description) {
  FaultType f;
  f.set_timestamp(FormatDateTime(now));
  auto* d = f.add_description();
  d->set_xml_text(description);
  d->set_lang("en");
  return f;
}

// A WS-BaseNotification fault element wsnt:<element> of type FaultType.
template <typename FaultType>
soap::Fault NotificationFault(Clock::time_point now, const std::string& why,
                              std::string_view element) {
  return SenderFault(why, BaseFault<FaultType>(now, why), "wsnt", element);
}

}  // namespace

soap::Fault ResourceUnknown(Clock::time_point now) {
  const std::string why = "No such subscription (it may have expired or been unsubscribed)";
  return SenderFault(why, BaseFault<wsrf_r::ResourceUnknownFaultType>(now, why), "wsrf_r",
                     "ResourceUnknownFault");
}

soap::Fault PullMessagesFault(std::chrono::milliseconds max_timeout, int max_message_limit) {
  tev::PullMessagesFaultResponse detail;
  detail.set_maxtimeout(FormatDuration(max_timeout));
  detail.set_maxmessagelimit(max_message_limit);
  return SenderFault("Timeout exceeds the maximum, " + FormatDuration(max_timeout), detail, "tev",
                     "PullMessagesFaultResponse");
}

soap::Fault UnacceptableTerminationTime(bool initial, Clock::time_point now,
                                        Clock::time_point minimum, Clock::time_point maximum) {
  const std::string why = "The termination time must be between " + FormatDateTime(minimum) +
                          " and " + FormatDateTime(maximum);
  if (initial) {
    auto f = BaseFault<wsnt::UnacceptableInitialTerminationTimeFaultType>(now, why);
    f.set_minimumtime(FormatDateTime(minimum));
    f.set_maximumtime(FormatDateTime(maximum));
    return SenderFault(why, f, "wsnt", "UnacceptableInitialTerminationTimeFault");
  }
  auto f = BaseFault<wsnt::UnacceptableTerminationTimeFaultType>(now, why);
  f.set_minimumtime(FormatDateTime(minimum));
  f.set_maximumtime(FormatDateTime(maximum));
  return SenderFault(why, f, "wsnt", "UnacceptableTerminationTimeFault");
}

soap::Fault UnableToGetMessages(Clock::time_point now) {
  return NotificationFault<wsnt::UnableToGetMessagesFaultType>(
      now, "Another PullMessages is waiting on this subscription", "UnableToGetMessagesFault");
}

soap::Fault TopicNotSupported(Clock::time_point now, const std::string& topic) {
  return NotificationFault<wsnt::TopicNotSupportedFaultType>(
      now, "The device has no topic " + topic + " (see GetEventProperties)",
      "TopicNotSupportedFault");
}

soap::Fault InvalidTopicExpression(Clock::time_point now, const std::string& why) {
  return NotificationFault<wsnt::InvalidTopicExpressionFaultType>(now, why,
                                                                  "InvalidTopicExpressionFault");
}

soap::Fault TopicExpressionDialectUnknown(Clock::time_point now, const std::string& dialect) {
  return NotificationFault<wsnt::TopicExpressionDialectUnknownFaultType>(
      now, "Unknown topic expression dialect " + dialect, "TopicExpressionDialectUnknownFault");
}

soap::Fault InvalidMessageContentExpression(Clock::time_point now, const std::string& why) {
  return NotificationFault<wsnt::InvalidMessageContentExpressionFaultType>(
      now, why, "InvalidMessageContentExpressionFault");
}

soap::Fault InvalidFilter(Clock::time_point now,
                          const std::pair<std::string, std::string>& filter) {
  const std::string why = "The device cannot apply the filter {" + filter.first + "}" +
                          filter.second + "; it knows TopicExpression and MessageContent";
  auto f = BaseFault<wsnt::InvalidFilterFaultType>(now, why);
  // A QName needs a declared prefix: the gateway's own for a namespace it
  // knows (wsnt:ProducerProperties); an unknown namespace is named in the
  // Description only.
  const auto prefix = soap::ns::PrefixForUri(filter.first);
  f.add_unknownfilter(prefix ? std::string(*prefix) + ":" + filter.second : filter.second);
  return SenderFault(why, f, "wsnt", "InvalidFilterFault");
}

soap::Fault UnrecognizedPolicyRequest(Clock::time_point now) {
  return NotificationFault<wsnt::UnrecognizedPolicyRequestFaultType>(
      now, "The device understands no subscription policy", "UnrecognizedPolicyRequestFault");
}

soap::Fault SubscribeCreationFailed(Clock::time_point now, const std::string& why) {
  return NotificationFault<wsnt::SubscribeCreationFailedFaultType>(now, why,
                                                                   "SubscribeCreationFailedFault");
}

}  // namespace onvifgw::services::events
