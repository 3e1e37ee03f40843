#include "services/events/event_service.h"

#include <initializer_list>
#include <utility>

#include "http/http_post.h"
#include "onvif/generated/tev.pb.h"
#include "onvif/generated/tt.pb.h"
#include "onvif/generated/wsnt.pb.h"
#include "services/events/event_faults.h"
#include "services/events/event_hub.h"
#include "services/events/notification_message.h"
#include "services/events/notify_consumer.h"
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

Fault NoEvents() { return soap::ActionFailed("The event service is not available"); }

// The subscription id from the path the request was posted to.
std::optional<std::string> SubscriptionId(const RequestContext& ctx) {
  if (ctx.path.rfind(kSubscriptionPathPrefix, 0) != 0) return std::nullopt;
  std::string id = ctx.path.substr(kSubscriptionPathPrefix.size());
  if (id.empty()) return std::nullopt;
  return id;
}

// Whose request this is, for the subscription's owner check.
Subscriber Caller(const RequestContext& ctx) {
  if (!ctx.principal) return {};
  return {ctx.principal->username, ctx.principal->level == security::UserLevel::kAdministrator};
}

// A request for a subscription sent anywhere else names none.
Fault NotASubscription(const RequestContext& ctx) {
  return ResourceUnknown(ctx.device.events != nullptr ? ctx.device.events->clock().Now()
                                                      : Clock::now());
}

Expected<tev::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext& ctx, const tev::GetServiceCapabilities&) {
  tev::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities(ctx.device);
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
  using Items = std::vector<std::pair<const char*, const char*>>;
  const Items source{{"Source", "tt:ReferenceToken"}};
  const Items state{{"State", "xs:boolean"}};
  static const std::vector<TopicDescription> topics = {
      // Motion, both ways VMSes listen for it (INTEROP §6.30).
      {"VideoSource", {"MotionAlarm"}, {true, source, state}},
      {"RuleEngine",
       {"CellMotionDetector", "Motion"},
       {true,
        {{"VideoSourceConfigurationToken", "tt:ReferenceToken"},
         {"VideoAnalyticsConfigurationToken", "tt:ReferenceToken"},
         {"Rule", "xs:string"}},
        {{"IsMotion", "xs:boolean"}}}},
      // The camera behind the video source is out of reach (Imaging §
      // SignalLoss: the video input is lost).
      {"VideoSource", {"SignalLoss"}, {true, source, state}},
      // Tampering: the camera reports its view covered or moved.
      {"VideoSource", {"GlobalSceneChange", "ImagingService"}, {true, source, state}},
      {"Device",
       {"Trigger", "DigitalInput"},
       {true, {{"InputToken", "tt:ReferenceToken"}}, {{"LogicalState", "xs:boolean"}}}},
      {"Device",
       {"Trigger", "Relay"},
       {true, {{"RelayToken", "tt:ReferenceToken"}}, {{"LogicalState", "tt:RelayLogicalState"}}}},
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

constexpr const char* kItemFilterDialect =
    "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter";

// A subscription's filter (wsnt:FilterType, open content): its
// TopicExpressions, against the fixed topic set, and at most one
// MessageContent expression in the ItemFilter dialect.
Expected<SubscriptionFilter, Fault> ParseFilter(const wsnt::FilterType& filter,
                                                Clock::time_point now) {
  std::vector<std::string> expressions;
  SubscriptionFilter out;
  for (const std::string& kept : filter.xml_any()) {
    wsnt::TopicExpressionType e;
    auto topic = soap::DecodeKept(kept, soap::ns::kWsnt, "TopicExpression", &e);
    if (!topic) return MakeUnexpected(soap::DecodeFault(topic.error()));
    if (*topic) {
      if (e.dialect() != kConcreteSetDialect && e.dialect() != kConcreteDialect) {
        return MakeUnexpected(TopicExpressionDialectUnknown(now, e.dialect()));
      }
      if (auto why = TopicFilter::SyntaxError(e.xml_text())) {
        return MakeUnexpected(InvalidTopicExpression(now, *why));
      }
      expressions.push_back(e.xml_text());
      continue;
    }
    wsnt::QueryExpressionType q;
    auto content = soap::DecodeKept(kept, soap::ns::kWsnt, "MessageContent", &q);
    if (!content) return MakeUnexpected(soap::DecodeFault(content.error()));
    if (*content) {
      if (q.dialect() != kItemFilterDialect) {
        return MakeUnexpected(InvalidMessageContentExpression(
            now, "Unsupported MessageContent dialect " + q.dialect() + " (use " +
                     kItemFilterDialect + ")"));
      }
      if (out.content) {
        return MakeUnexpected(
            InvalidMessageContentExpression(now, "More than one MessageContent expression"));
      }
      auto parsed = MessageContentFilter::Parse(q.xml_text());
      if (!parsed) {
        return MakeUnexpected(InvalidMessageContentExpression(
            now, "MessageContent is no ItemFilter expression: " + parsed.error()));
      }
      out.content = std::move(*parsed);
      continue;
    }
    // ProducerProperties, or anything else the device cannot apply: a
    // filter silently dropped would deliver what the client excluded.
    return MakeUnexpected(InvalidFilter(now, soap::KeptElementName(kept)));
  }
  out.topics = TopicFilter(expressions);
  // The topic set is fixed (GetEventProperties): a topic it lacks would
  // never be delivered, which the client must be told.
  if (auto unmatched = out.topics.Unmatched(TopicNames()); !unmatched.empty()) {
    return MakeUnexpected(TopicNotSupported(now, unmatched.front()));
  }
  return out;
}

// A subscription request's InitialTerminationTime: absent (the default), a
// duration or a time.
template <typename Request>
Expected<std::optional<Clock::time_point>, Fault> InitialTermination(const Request& req,
                                                                     Clock::time_point now) {
  if (!req.has_initialterminationtime()) return std::optional<Clock::time_point>();
  auto termination = ParseAbsoluteOrRelative(req.initialterminationtime(), now);
  if (!termination) {
    return MakeUnexpected(soap::InvalidArgVal("InitialTerminationTime is not a duration or time",
                                              "InvalidTerminationTime"));
  }
  return std::optional<Clock::time_point>(*termination);
}

Expected<tev::CreatePullPointSubscriptionResponse, Fault> CreatePullPointSubscription(
    const RequestContext& ctx, const tev::CreatePullPointSubscription& req) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  const auto now = ctx.device.events->clock().Now();
  auto termination = InitialTermination(req, now);
  if (!termination) return MakeUnexpected(termination.error());
  auto filter = ParseFilter(req.filter(), now);
  if (!filter) return MakeUnexpected(filter.error());
  auto created = ctx.device.events->Subscribe(ctx.device.config.id, Caller(ctx), std::move(*filter),
                                              *termination);
  if (!created) return MakeUnexpected(created.error());
  tev::CreatePullPointSubscriptionResponse r;
  r.mutable_subscriptionreference()->mutable_address()->set_xml_text(
      ctx.ServiceUrl(std::string(kSubscriptionPathPrefix) + created->id));
  r.set_currenttime(FormatDateTime(now));
  r.set_terminationtime(FormatDateTime(created->termination));
  return r;
}

// Core §9.2: a push subscription. Its messages go to the consumer as
// Notify; Renew and Unsubscribe reach it at the address answered here.
Expected<wsnt::SubscribeResponse, Fault> Subscribe(const RequestContext& ctx,
                                                   const wsnt::Subscribe& req) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  if (ctx.device.push == nullptr) {
    return MakeUnexpected(soap::ActionNotSupported("This device delivers no pushed notifications"));
  }
  const auto now = ctx.device.events->clock().Now();
  ConsumerEndpoint consumer;
  consumer.address = req.consumerreference().address().xml_text();
  auto url = http::ParseHttpUrl(consumer.address);
  if (!url) {
    return MakeUnexpected(SubscribeCreationFailed(
        now, "The consumer address \"" + consumer.address + "\" cannot be notified: " +
                 url.error() + " (the gateway notifies http:// consumers)"));
  }
  consumer.url = std::move(*url);
  for (const std::string& p : req.consumerreference().referenceparameters().xml_any()) {
    consumer.reference_parameters.push_back(p);
  }
  if (req.has_subscriptionpolicy() && req.subscriptionpolicy().xml_any_size() > 0) {
    // WSSubscriptionPolicySupport is false: no policy is understood.
    return MakeUnexpected(UnrecognizedPolicyRequest(now));
  }
  auto termination = InitialTermination(req, now);
  if (!termination) return MakeUnexpected(termination.error());
  auto filter = ParseFilter(req.filter(), now);
  if (!filter) return MakeUnexpected(filter.error());
  auto target = std::make_shared<NotifyConsumer>(ctx.device.push->io, std::move(consumer),
                                                 ctx.device.push->options);
  auto created = ctx.device.events->Subscribe(ctx.device.config.id, Caller(ctx), std::move(*filter),
                                              *termination, target);
  if (!created) return MakeUnexpected(created.error());
  const std::string address = ctx.ServiceUrl(std::string(kSubscriptionPathPrefix) + created->id);
  target->Start(address, [hub = ctx.device.events, device = ctx.device.config.id,
                          id = created->id] { hub->Terminate(device, id); });
  wsnt::SubscribeResponse r;
  r.mutable_subscriptionreference()->mutable_address()->set_xml_text(address);
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
  ctx.device.events->Pull(ctx.device.config.id, *id, Caller(ctx), *timeout, req.messagelimit(),
                          [done = std::move(done), &clock](Expected<PullResult, Fault> result) {
                            if (!result) return done(MakeUnexpected(result.error()));
                            tev::PullMessagesResponse r;
                            r.set_currenttime(FormatDateTime(clock.Now()));
                            r.set_terminationtime(FormatDateTime(result->termination));
                            for (const auto& n : result->messages)
                              *r.add_notificationmessage() = NotificationMessage(n);
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
  auto renewed = ctx.device.events->Renew(ctx.device.config.id, *id, Caller(ctx), *termination);
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
  if (auto st = ctx.device.events->Unsubscribe(ctx.device.config.id, *id, Caller(ctx)); !st) {
    return MakeUnexpected(st.error());
  }
  return wsnt::UnsubscribeResponse{};
}

Expected<tev::SetSynchronizationPointResponse, Fault> SetSynchronizationPoint(
    const RequestContext& ctx, const tev::SetSynchronizationPoint&) {
  if (ctx.device.events == nullptr) return MakeUnexpected(NoEvents());
  auto id = SubscriptionId(ctx);
  if (!id) return MakeUnexpected(NotASubscription(ctx));
  if (auto st = ctx.device.events->Synchronize(ctx.device.config.id, *id, Caller(ctx)); !st) {
    return MakeUnexpected(st.error());
  }
  return tev::SetSynchronizationPointResponse{};
}

}  // namespace

tev::Capabilities ServiceCapabilities(const VirtualDevice& device) {
  tev::Capabilities c;
  // No subscription policy is understood and no subscription can pause.
  c.set_wssubscriptionpolicysupport(false);
  c.set_wspausablesubscriptionmanagerinterfacesupport(false);
  // Pull points and push subscriptions share the device's limit; either
  // kind may take all of it.
  const int limit = device.events != nullptr
                        ? static_cast<int>(device.events->limits().max_subscriptions_per_device)
                        : 0;
  c.set_maxnotificationproducers(device.push != nullptr ? limit : 0);
  c.set_maxpullpoints(limit);
  // Messages are kept only for the subscriptions that exist when they
  // happen (and the properties' current values), not stored for Seek.
  c.set_persistentnotificationstorage(false);
  return c;
}

void Serve(ServiceRegistry& registry) {
  ServiceDescription d;
  d.path = std::string(kPath);
  d.path_prefix = std::string(kSubscriptionPathPrefix);
  d.available = [](const RequestContext& ctx) { return ctx.device.events != nullptr; };
  d.capabilities = [](const RequestContext& ctx) {
    return soap::EncodeFragment(ServiceCapabilities(ctx.device), "tev", "Capabilities");
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
      .Bind("Subscribe", Subscribe)
      // Seek, event brokers, GetCurrentMessage and the WS-BaseNotification
      // pull point are not implemented, nor pausing a subscription:
      // WSPausableSubscriptionManagerInterfaceSupport says false.
      .Unsupported({"Seek", "AddEventBroker", "DeleteEventBroker", "GetEventBrokers",
                    "GetCurrentMessage", "GetMessages", "DestroyPullPoint", "CreatePullPoint",
                    "PauseSubscription", "ResumeSubscription"});
}

}  // namespace onvifgw::services::events
