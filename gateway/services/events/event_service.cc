#include "services/events/event_service.h"

#include <charconv>
#include <initializer_list>
#include <utility>

#include "onvif/generated/tev.pb.h"
#include "onvif/generated/tt.pb.h"
#include "onvif/generated/wsnt.pb.h"
#include "services/events/event_faults.h"
#include "services/events/event_hub.h"
#include "services/xml_time.h"
#include "soap/codec.h"
#include "soap/namespaces.h"
#include "soap/xml_writer.h"

namespace onvifgw::services::events {
namespace {

namespace tev = ::onvifgw::onvif::tev;
namespace tt = ::onvifgw::onvif::tt;
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

// A request for a subscription sent anywhere else names none.
Fault NotASubscription(const RequestContext& ctx) {
  return ResourceUnknown(ctx.device.events != nullptr ? ctx.device.events->clock().Now()
                                                      : Clock::now());
}

// The notification's payload, tt:Message, sits in wsnt:Message's xs:any.
wsnt::NotificationMessageHolderType ToMessage(const Notification& n) {
  wsnt::NotificationMessageHolderType m;
  m.mutable_topic()->set_dialect(kConcreteSetDialect);
  m.mutable_topic()->set_xml_text(n.topic);
  tt::Message msg;
  msg.set_utctime(FormatDateTime(n.time));
  if (n.is_property()) {
    msg.set_propertyoperation(soap::FromXmlValue<tt::PropertyOperation>(n.operation)
                                  .value_or(tt::PropertyOperation_Changed));
  }
  auto* src = msg.mutable_source()->add_simpleitem();
  src->set_name(n.source_name);
  src->set_value(n.source_value);
  auto* data = msg.mutable_data()->add_simpleitem();
  data->set_name(n.data_name);
  data->set_value(n.data_value);
  m.mutable_message()->add_xml_any(soap::EncodeFragment(msg, "tt", "Message"));
  return m;
}

Expected<tev::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext&, const tev::GetServiceCapabilities&) {
  tev::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities();
  return r;
}

// One leaf of the topic set: wstop:topic="true" and its tt:MessageDescription.
struct TopicLeaf {
  bool is_property;
  std::vector<std::pair<const char*, const char*>> source, data;  // (name, type)
};

// Writes <tns1:Root><Branch>...<Leaf wstop:topic="true">description</Leaf>...
// The topic tree is open content (xs:any) in wstop:TopicSet: the levels
// below the root are unqualified, as ONVIF devices write them.
std::string TopicTree(std::string_view root, const std::vector<std::string_view>& branches,
                      const TopicLeaf& leaf) {
  std::string out;
  soap::XmlWriter w(out);
  w.Start("tns1", root);
  w.Attribute("xmlns:tns1", soap::ns::kTns1);
  w.Attribute("xmlns:wstop", soap::ns::kWstop);
  for (std::size_t i = 0; i + 1 < branches.size(); ++i) w.Start("", branches[i]);
  w.Start("", branches.back());
  w.Attribute("wstop:topic", "true");
  tt::MessageDescription desc;
  desc.set_isproperty(leaf.is_property);
  for (auto [items, list] : {std::pair{&leaf.source, desc.mutable_source()},
                             std::pair{&leaf.data, desc.mutable_data()}}) {
    for (const auto& [name, type] : *items) {
      auto* item = list->add_simpleitemdescription();
      item->set_name(name);
      item->set_type(type);
    }
  }
  w.Raw(soap::EncodeFragment(desc, "tt", "MessageDescription"));
  for (std::size_t i = branches.size(); i-- > 0;) w.End("", branches[i]);
  w.End("tns1", root);
  return out;
}

// The device's topic set (fixed): what GetEventProperties describes and
// what subscription filters may name.
struct TopicDescription {
  std::string_view root;
  std::vector<std::string_view> branches;
  TopicLeaf leaf;
};

const std::vector<TopicDescription>& TopicSet() {
  static const std::vector<TopicDescription> topics = {
      {"VideoSource",
       {"MotionAlarm"},
       {true, {{"Source", "tt:ReferenceToken"}}, {{"State", "xs:boolean"}}}},
      {"Device",
       {"SecurityPolicy", "AuthFailed"},
       {false,
        {{"NetworkInterface", "tt:ReferenceToken"}},
        {{"SourceIPv4", "tt:IPv4Address"}, {"SourceIPv6", "tt:IPv6Address"}}}},
  };
  return topics;
}

// "tns1:VideoSource/MotionAlarm" for each topic of the set.
std::vector<std::string> TopicNames() {
  std::vector<std::string> names;
  for (const auto& t : TopicSet()) {
    // Appended piece by piece: GCC 12 at -O3 takes "literal" + string here
    // for an overlapping copy (-Wrestrict).
    std::string name = "tns1:";
    name.append(t.root);
    for (auto b : t.branches) {
      name += '/';
      name.append(b);
    }
    names.push_back(std::move(name));
  }
  return names;
}

constexpr const char* kConcreteDialect =
    "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete";

Expected<tev::GetEventPropertiesResponse, Fault> GetEventProperties(
    const RequestContext&, const tev::GetEventProperties&) {
  tev::GetEventPropertiesResponse r;
  r.add_topicnamespacelocation("http://www.onvif.org/onvif/ver10/topics/topicns.xml");
  r.set_fixedtopicset(true);
  auto& topics = *r.mutable_topicset();
  for (const auto& t : TopicSet()) topics.add_xml_any(TopicTree(t.root, t.branches, t.leaf));
  r.add_topicexpressiondialect(kConcreteSetDialect);
  r.add_topicexpressiondialect(kConcreteDialect);
  r.add_messagecontentfilterdialect(
      "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter");
  r.add_messagecontentschemalocation("http://www.onvif.org/onvif/ver10/schema/onvif.xsd");
  return r;
}

Expected<tev::CreatePullPointSubscriptionResponse, Fault> CreatePullPointSubscription(
    const RequestContext& ctx, const tev::CreatePullPointSubscription& req) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  const auto now = ctx.device.events->clock().Now();
  std::optional<Clock::time_point> termination;
  if (req.has_initialterminationtime()) {
    termination = ParseAbsoluteOrRelative(req.initialterminationtime(), now);
    if (!termination) {
      return MakeUnexpected(soap::InvalidArgVal("InitialTerminationTime is not a duration or time",
                                                "InvalidTerminationTime"));
    }
  }
  // The filter's content is open (xs:any): its wsnt:TopicExpression
  // elements are decoded here; other filters are not applied yet.
  std::vector<std::string> expressions;
  for (const std::string& kept : req.filter().xml_any()) {
    wsnt::TopicExpressionType e;
    auto decoded = soap::DecodeKept(kept, soap::ns::kWsnt, "TopicExpression", &e);
    if (!decoded) return MakeUnexpected(soap::DecodeFault(decoded.error()));
    if (!*decoded) continue;
    if (e.dialect() != kConcreteSetDialect && e.dialect() != kConcreteDialect) {
      return MakeUnexpected(TopicExpressionDialectUnknown(now, e.dialect()));
    }
    if (auto why = TopicFilter::SyntaxError(e.xml_text())) {
      return MakeUnexpected(InvalidTopicExpression(now, *why));
    }
    expressions.push_back(e.xml_text());
  }
  TopicFilter filter(expressions);
  // The topic set is fixed (GetEventProperties): a topic it lacks would
  // never be delivered, which the client must be told.
  if (auto unmatched = filter.Unmatched(TopicNames()); !unmatched.empty()) {
    return MakeUnexpected(TopicNotSupported(now, unmatched.front()));
  }
  auto created = ctx.device.events->Subscribe(ctx.device.config.id, std::move(filter), termination);
  if (!created) return MakeUnexpected(created.error());
  tev::CreatePullPointSubscriptionResponse r;
  r.mutable_subscriptionreference()->mutable_address()->set_xml_text(
      ctx.ServiceUrl(std::string(kSubscriptionPathPrefix) + std::to_string(created->id)));
  r.set_currenttime(FormatDateTime(now));
  r.set_terminationtime(FormatDateTime(created->termination));
  return r;
}

void PullMessages(const RequestContext& ctx, const tev::PullMessages& req, Completion done) {
  if (ctx.device.events == nullptr) return done(MakeUnexpected(NoEvents()));
  auto id = SubscriptionId(ctx);
  if (!id) return done(MakeUnexpected(NotASubscription(ctx)));
  auto timeout = ParseDuration(req.timeout());
  if (!timeout) {
    return done(MakeUnexpected(soap::InvalidArgVal("Timeout is not an xs:duration")));
  }
  if (req.messagelimit() < 1) {
    return done(MakeUnexpected(soap::InvalidArgVal("MessageLimit must be at least 1")));
  }
  const HubLimits& limits = ctx.device.events->limits();
  if (*timeout > limits.max_pull_timeout) {
    // Both limits, so that the client can ask again within them; a larger
    // MessageLimit is never a fault (fewer messages are returned).
    return done(MakeUnexpected(
        PullMessagesFault(limits.max_pull_timeout, static_cast<int>(limits.max_queued_messages))));
  }
  const ::onvifgw::Clock& clock = ctx.device.events->clock();
  ctx.device.events->Pull(ctx.device.config.id, *id, *timeout, req.messagelimit(),
                          [done = std::move(done), &clock](Expected<PullResult, Fault> result) {
                            if (!result) return done(MakeUnexpected(result.error()));
                            tev::PullMessagesResponse r;
                            r.set_currenttime(FormatDateTime(clock.Now()));
                            r.set_terminationtime(FormatDateTime(result->termination));
                            for (const auto& n : result->messages)
                              *r.add_notificationmessage() = ToMessage(n);
                            done(Ok(std::move(r)));
                          });
}

Expected<wsnt::RenewResponse, Fault> Renew(const RequestContext& ctx, const wsnt::Renew& req) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  auto id = SubscriptionId(ctx);
  if (!id) return MakeUnexpected(NotASubscription(ctx));
  const auto now = ctx.device.events->clock().Now();
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
  if (!id) return MakeUnexpected(NotASubscription(ctx));
  if (auto st = ctx.device.events->Unsubscribe(ctx.device.config.id, *id); !st) {
    return MakeUnexpected(st.error());
  }
  return wsnt::UnsubscribeResponse{};
}

Expected<tev::SetSynchronizationPointResponse, Fault> SetSynchronizationPoint(
    const RequestContext& ctx, const tev::SetSynchronizationPoint&) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  auto id = SubscriptionId(ctx);
  if (!id) return MakeUnexpected(NotASubscription(ctx));
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

void Serve(ServiceRegistry& registry) {
  ServiceDescription d;
  d.path = std::string(kPath);
  d.path_prefix = std::string(kSubscriptionPathPrefix);
  d.available = [](const RequestContext& ctx) { return ctx.device.events != nullptr; };
  d.capabilities = [](const RequestContext&) {
    return soap::EncodeFragment(ServiceCapabilities(), "tev", "Capabilities");
  };
  d.legacy_category = "Events";
  d.legacy_capabilities = [](const RequestContext& ctx, tt::Capabilities* caps) {
    auto* ev = caps->mutable_events();
    ev->set_xaddr(ctx.ServiceUrl(kPath));
    ev->set_wssubscriptionpolicysupport(false);
    ev->set_wspullpointsupport(true);
    ev->set_wspausablesubscriptionmanagerinterfacesupport(false);
  };
  registry.Serve("tev", std::move(d))
      .Bind("GetServiceCapabilities", GetServiceCapabilities)
      .Bind("GetEventProperties", GetEventProperties)
      .Bind("CreatePullPointSubscription", CreatePullPointSubscription)
      .Bind("PullMessages", PullMessages)
      .Bind("SetSynchronizationPoint", SetSynchronizationPoint)
      .Bind("Renew", Renew)
      .Bind("Unsubscribe", Unsubscribe)
      // Basic Notification, Seek, event brokers and the WS-BaseNotification
      // pull point are not implemented: WSSubscriptionPolicySupport and
      // WSPausableSubscriptionManagerInterfaceSupport say false.
      .Unsupported({"Seek", "AddEventBroker", "DeleteEventBroker", "GetEventBrokers", "Subscribe",
                    "GetCurrentMessage", "GetMessages", "DestroyPullPoint", "CreatePullPoint",
                    "PauseSubscription", "ResumeSubscription"});
}

}  // namespace onvifgw::services::events
