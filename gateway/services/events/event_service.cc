#include "services/events/event_service.h"

#include <charconv>
#include <initializer_list>
#include <utility>

#include "onvif/events.pb.h"
#include "onvif/notification.pb.h"
#include "services/events/event_hub.h"
#include "services/xml_time.h"
#include "soap/namespaces.h"

namespace onvifgw::services::events {
namespace {

namespace tev = ::onvifgw::onvif::tev;
namespace wsnt = ::onvifgw::onvif::wsnt;
using soap::Fault;

constexpr const char* kConcreteSetDialect =
    "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";

Fault NoEvents() { return soap::ActionFailed("The event service is not available"); }

// The subscription id from the path the request was posted to.
std::optional<uint64_t> SubscriptionId(const RequestContext& ctx) {
  if (ctx.path.rfind(kSubscriptionPathPrefix, 0) != 0) return std::nullopt;
  std::string_view id = std::string_view(ctx.path).substr(kSubscriptionPathPrefix.size());
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
  if (ec != std::errc() || p != id.data() + id.size()) return std::nullopt;
  return v;
}

Fault NotASubscription() {
  return soap::InvalidArgVal("Send this request to the subscription's address", "NoSubscription");
}

wsnt::NotificationMessage ToMessage(const Notification& n) {
  wsnt::NotificationMessage m;
  m.mutable_topic()->set_dialect(kConcreteSetDialect);
  m.mutable_topic()->set_expression(n.topic);
  auto* msg = m.mutable_message()->mutable_message();
  msg->set_utctime(FormatDateTime(n.time));
  if (n.is_property()) msg->set_propertyoperation(n.operation);
  auto* src = msg->mutable_source()->add_simpleitem();
  src->set_name(n.source_name);
  src->set_value(n.source_value);
  auto* data = msg->mutable_data()->add_simpleitem();
  data->set_name(n.data_name);
  data->set_value(n.data_value);
  return m;
}

Expected<tev::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext&, const tev::GetServiceCapabilities&) {
  tev::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities();
  return r;
}

// One leaf of the topic set: its message description's items (name, type).
using ItemDescriptions = std::initializer_list<std::pair<const char*, const char*>>;
void Describe(tev::EventTopic* topic, bool is_property, ItemDescriptions source,
              ItemDescriptions data) {
  topic->set_topic(true);
  auto* desc = topic->mutable_messagedescription();
  desc->set_isproperty(is_property);
  for (auto [items, list] :
       {std::pair{source, desc->mutable_source()}, std::pair{data, desc->mutable_data()}}) {
    for (const auto& [name, type] : items) {
      auto* item = list->add_simpleitemdescription();
      item->set_name(name);
      item->set_type(type);
    }
  }
}

Expected<tev::GetEventPropertiesResponse, Fault> GetEventProperties(
    const RequestContext&, const tev::GetEventProperties&) {
  tev::GetEventPropertiesResponse r;
  r.add_topicnamespacelocation("http://www.onvif.org/onvif/ver10/topics/topicns.xml");
  r.set_fixedtopicset(true);
  auto& topics = *r.mutable_topicset();
  Describe(topics.mutable_videosource()->mutable_motionalarm(), true,
           {{"Source", "tt:ReferenceToken"}}, {{"State", "xs:boolean"}});
  Describe(topics.mutable_device()->mutable_securitypolicy()->mutable_authfailed(), false,
           {{"NetworkInterface", "tt:ReferenceToken"}},
           {{"SourceIPv4", "tt:IPv4Address"}, {"SourceIPv6", "tt:IPv6Address"}});
  r.add_topicexpressiondialect(kConcreteSetDialect);
  r.add_topicexpressiondialect("http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete");
  r.add_messagecontentfilterdialect(
      "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter");
  r.add_messagecontentschemalocation("http://www.onvif.org/onvif/ver10/schema/onvif.xsd");
  return r;
}

Expected<tev::CreatePullPointSubscriptionResponse, Fault> CreatePullPointSubscription(
    const RequestContext& ctx, const tev::CreatePullPointSubscription& req) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  const auto now = Clock::now();
  std::optional<Clock::time_point> termination;
  if (req.has_initialterminationtime() && !req.initialterminationtime().empty()) {
    termination = ParseAbsoluteOrRelative(req.initialterminationtime(), now);
    if (!termination) {
      return MakeUnexpected(soap::InvalidArgVal("InitialTerminationTime is not a duration or time",
                                                "InvalidTerminationTime"));
    }
  }
  std::vector<std::string> expressions;
  for (const auto& e : req.filter().topicexpression()) expressions.push_back(e.expression());
  auto created =
      ctx.device.events->Subscribe(ctx.device.config.id, TopicFilter(expressions), termination);
  if (!created) return MakeUnexpected(created.error());
  tev::CreatePullPointSubscriptionResponse r;
  r.mutable_subscriptionreference()->set_address(
      ctx.ServiceUrl(std::string(kSubscriptionPathPrefix) + std::to_string(created->id)));
  r.set_currenttime(FormatDateTime(now));
  r.set_terminationtime(FormatDateTime(created->termination));
  return r;
}

void PullMessages(const RequestContext& ctx, const tev::PullMessages& req, Completion done) {
  if (ctx.device.events == nullptr) return done(MakeUnexpected(NoEvents()));
  auto id = SubscriptionId(ctx);
  if (!id) return done(MakeUnexpected(NotASubscription()));
  auto timeout = ParseDuration(req.timeout());
  if (!timeout) {
    return done(MakeUnexpected(soap::InvalidArgVal("Timeout is not an xs:duration")));
  }
  if (req.messagelimit() < 1) {
    return done(MakeUnexpected(soap::InvalidArgVal("MessageLimit must be at least 1")));
  }
  ctx.device.events->Pull(ctx.device.config.id, *id, *timeout, req.messagelimit(),
                          [done = std::move(done)](Expected<PullResult, Fault> result) {
                            if (!result) return done(MakeUnexpected(result.error()));
                            tev::PullMessagesResponse r;
                            r.set_currenttime(FormatDateTime(Clock::now()));
                            r.set_terminationtime(FormatDateTime(result->termination));
                            for (const auto& n : result->messages)
                              *r.add_notificationmessage() = ToMessage(n);
                            done(Ok(std::move(r)));
                          });
}

Expected<wsnt::RenewResponse, Fault> Renew(const RequestContext& ctx, const wsnt::Renew& req) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  auto id = SubscriptionId(ctx);
  if (!id) return MakeUnexpected(NotASubscription());
  const auto now = Clock::now();
  auto termination = ParseAbsoluteOrRelative(req.terminationtime(), now);
  if (!termination) {
    return MakeUnexpected(
        soap::InvalidArgVal("TerminationTime is not a duration or time", "InvalidTerminationTime"));
  }
  auto renewed = ctx.device.events->Renew(ctx.device.config.id, *id, *termination);
  if (!renewed) return MakeUnexpected(renewed.error());
  wsnt::RenewResponse r;
  r.set_terminationtime(FormatDateTime(*renewed));
  r.set_currenttime(FormatDateTime(now));
  return r;
}

Expected<wsnt::UnsubscribeResponse, Fault> Unsubscribe(const RequestContext& ctx,
                                                       const wsnt::Unsubscribe&) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  auto id = SubscriptionId(ctx);
  if (!id) return MakeUnexpected(NotASubscription());
  if (auto st = ctx.device.events->Unsubscribe(ctx.device.config.id, *id); !st) {
    return MakeUnexpected(st.error());
  }
  return wsnt::UnsubscribeResponse{};
}

Expected<tev::SetSynchronizationPointResponse, Fault> SetSynchronizationPoint(
    const RequestContext& ctx, const tev::SetSynchronizationPoint&) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  auto id = SubscriptionId(ctx);
  if (!id) return MakeUnexpected(NotASubscription());
  if (auto st = ctx.device.events->Synchronize(ctx.device.config.id, *id); !st) {
    return MakeUnexpected(st.error());
  }
  return tev::SetSynchronizationPointResponse{};
}

}  // namespace

tev::Capabilities ServiceCapabilities() {
  tev::Capabilities c;
  c.set_wssubscriptionpolicysupport(false);
  c.set_wspausablesubscriptionmanagerinterfacesupport(false);
  c.set_maxnotificationproducers(0);
  c.set_maxpullpoints(static_cast<int>(HubLimits{}.max_subscriptions_per_device));
  c.set_persistentnotificationstorage(false);
  return c;
}

std::string VideoSourceToken(const std::string& source_id) { return "VideoSource_" + source_id; }

std::vector<Operation> Operations() {
  using AC = AccessClass;
  const std::string_view tev_ns = soap::ns::kTev;
  const std::string_view wsnt_ns = soap::ns::kWsnt;
  // Access classes: Core §9 (GetServiceCapabilities PRE_AUTH, the rest READ_MEDIA).
  return {
      SyncOperation(tev_ns, AC::kPreAuth, GetServiceCapabilities),
      SyncOperation(tev_ns, AC::kReadMedia, GetEventProperties),
      SyncOperation(tev_ns, AC::kReadMedia, CreatePullPointSubscription),
      AsyncOperation(tev_ns, AC::kReadMedia, PullMessages),
      SyncOperation(tev_ns, AC::kReadMedia, SetSynchronizationPoint),
      SyncOperation(wsnt_ns, AC::kReadMedia, Renew),
      SyncOperation(wsnt_ns, AC::kReadMedia, Unsubscribe),
  };
}

}  // namespace onvifgw::services::events
