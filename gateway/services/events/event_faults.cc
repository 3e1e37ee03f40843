#include "services/events/event_faults.h"

#include <functional>
#include <string_view>

#include "soap/namespaces.h"
#include "soap/xml_writer.h"

namespace onvifgw::services::events {
namespace {

soap::Fault SenderFault(std::string reason, std::string detail) {
  soap::Fault f = soap::InvalidArgVal(std::move(reason));
  f.code = soap::FaultCode::kSender;
  f.detail = std::move(detail);
  return f;
}

// A WS-BaseFaults fault element <prefix:name> (namespace `ns`): its
// Timestamp, a Description, and `extra` (elements of its own type).
std::string BaseFault(std::string_view prefix, std::string_view ns, std::string_view name,
                      Clock::time_point now, std::string_view description,
                      const std::function<void(soap::XmlWriter&)>& extra = {}) {
  std::string out;
  soap::XmlWriter w(out);
  w.Start(prefix, name);
  w.Attribute(std::string("xmlns:") + std::string(prefix), ns);
  w.Attribute("xmlns:wsrf-bf", soap::ns::kWsrfBf);
  w.Start("wsrf-bf", "Timestamp");
  w.Text(FormatDateTime(now));
  w.End("wsrf-bf", "Timestamp");
  w.Start("wsrf-bf", "Description");
  w.Attribute("xml:lang", "en");
  w.Text(description);
  w.End("wsrf-bf", "Description");
  if (extra) extra(w);
  w.End(prefix, name);
  return out;
}

}  // namespace

soap::Fault ResourceUnknown(Clock::time_point now) {
  const char* why = "No such subscription (it may have expired or been unsubscribed)";
  return SenderFault(why, BaseFault("wsrf-r", soap::ns::kWsrfR, "ResourceUnknownFault", now, why));
}

soap::Fault PullMessagesFault(std::chrono::milliseconds max_timeout, int max_message_limit) {
  std::string out;
  soap::XmlWriter w(out);
  w.Start("tev", "PullMessagesFaultResponse");
  w.Attribute("xmlns:tev", soap::ns::kTev);
  w.Start("tev", "MaxTimeout");
  w.Text(FormatDuration(max_timeout));
  w.End("tev", "MaxTimeout");
  w.Start("tev", "MaxMessageLimit");
  w.Text(std::to_string(max_message_limit));
  w.End("tev", "MaxMessageLimit");
  w.End("tev", "PullMessagesFaultResponse");
  return SenderFault("Timeout exceeds the maximum, " + FormatDuration(max_timeout), out);
}

soap::Fault UnacceptableTerminationTime(bool initial, Clock::time_point now,
                                        Clock::time_point minimum, Clock::time_point maximum) {
  const std::string why = "The termination time must be between " + FormatDateTime(minimum) +
                          " and " + FormatDateTime(maximum);
  return SenderFault(why, BaseFault("wsnt", soap::ns::kWsnt,
                                    initial ? "UnacceptableInitialTerminationTimeFault"
                                            : "UnacceptableTerminationTimeFault",
                                    now, why, [&](soap::XmlWriter& w) {
                                      w.Start("wsnt", "MinimumTime");
                                      w.Text(FormatDateTime(minimum));
                                      w.End("wsnt", "MinimumTime");
                                      w.Start("wsnt", "MaximumTime");
                                      w.Text(FormatDateTime(maximum));
                                      w.End("wsnt", "MaximumTime");
                                    }));
}

soap::Fault UnableToGetMessages(Clock::time_point now) {
  const char* why = "Another PullMessages is waiting on this subscription";
  return SenderFault(why, BaseFault("wsnt", soap::ns::kWsnt, "UnableToGetMessagesFault", now, why));
}

soap::Fault TopicNotSupported(Clock::time_point now, const std::string& topic) {
  const std::string why = "The device has no topic " + topic + " (see GetEventProperties)";
  return SenderFault(why, BaseFault("wsnt", soap::ns::kWsnt, "TopicNotSupportedFault", now, why));
}

soap::Fault InvalidTopicExpression(Clock::time_point now, const std::string& why) {
  return SenderFault(why,
                     BaseFault("wsnt", soap::ns::kWsnt, "InvalidTopicExpressionFault", now, why));
}

soap::Fault TopicExpressionDialectUnknown(Clock::time_point now, const std::string& dialect) {
  const std::string why = "Unknown topic expression dialect " + dialect;
  return SenderFault(
      why, BaseFault("wsnt", soap::ns::kWsnt, "TopicExpressionDialectUnknownFault", now, why));
}

soap::Fault InvalidMessageContentExpression(Clock::time_point now, const std::string& why) {
  return SenderFault(
      why, BaseFault("wsnt", soap::ns::kWsnt, "InvalidMessageContentExpressionFault", now, why));
}

soap::Fault InvalidFilter(Clock::time_point now,
                          const std::pair<std::string, std::string>& filter) {
  const std::string why = "The device cannot apply the filter {" + filter.first + "}" +
                          filter.second + "; it knows TopicExpression and MessageContent";
  return SenderFault(why, BaseFault("wsnt", soap::ns::kWsnt, "InvalidFilterFault", now, why,
                                    [&](soap::XmlWriter& w) {
                                      w.Start("wsnt", "UnknownFilter");
                                      // The QName's prefix, declared where it is used.
                                      if (filter.first.empty()) {
                                        w.Text(filter.second);
                                      } else {
                                        w.Attribute("xmlns:f", filter.first);
                                        w.Text("f:" + filter.second);
                                      }
                                      w.End("wsnt", "UnknownFilter");
                                    }));
}

soap::Fault UnrecognizedPolicyRequest(Clock::time_point now) {
  const char* why = "The device understands no subscription policy";
  return SenderFault(
      why, BaseFault("wsnt", soap::ns::kWsnt, "UnrecognizedPolicyRequestFault", now, why));
}

soap::Fault SubscribeCreationFailed(Clock::time_point now, const std::string& why) {
  return SenderFault(why,
                     BaseFault("wsnt", soap::ns::kWsnt, "SubscribeCreationFailedFault", now, why));
}

}  // namespace onvifgw::services::events
