// The Event service: pull points, filters, long polls, expiry, and every
// response validated against the official schemas.

#include "services/events/event_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <regex>
#include <thread>

#include "check_soap.h"
#include "served_registry.h"
#include "services/device/device_service.h"
#include "services/events/camera_events.h"
#include "services/events/event_hub.h"
#include "services/events/notify_consumer.h"
#include "services/soap_endpoint.h"

namespace onvifgw::services::events {
namespace {

using namespace std::chrono_literals;
using onvifgw::testing::CheckSoap;

Notification Motion(bool on, const std::string& source = "VideoSource_0") {
  return {std::string(kMotionAlarmTopic),
          Clock::now(),
          "Changed",
          {{"Source", source}},
          {{"State", on ? "true" : "false"}}};
}

SubscriptionFilter Topics(std::vector<std::string> expressions = {}) {
  return SubscriptionFilter{TopicFilter(expressions), std::nullopt};
}

TEST(TopicFilter, ConcreteSetExpressions) {
  EXPECT_TRUE(TopicFilter().Matches("tns1:VideoSource/MotionAlarm"));
  EXPECT_TRUE(
      TopicFilter({"tns1:VideoSource/MotionAlarm"}).Matches("tns1:VideoSource/MotionAlarm"));
  EXPECT_TRUE(TopicFilter({"x:VideoSource/x:MotionAlarm"}).Matches("tns1:VideoSource/MotionAlarm"));
  EXPECT_TRUE(TopicFilter({"tns1:VideoSource//."}).Matches("tns1:VideoSource/MotionAlarm"));
  EXPECT_TRUE(TopicFilter({"tns1:Device/Trigger|tns1:VideoSource/MotionAlarm"})
                  .Matches("tns1:VideoSource/MotionAlarm"));
  EXPECT_FALSE(TopicFilter({"tns1:VideoSource"}).Matches("tns1:VideoSource/MotionAlarm"));
  EXPECT_FALSE(TopicFilter({"tns1:RuleEngine//."}).Matches("tns1:VideoSource/MotionAlarm"));
}

TEST(TopicFilter, TellsWhatAFixedTopicSetLacksAndWhatIsNoExpression) {
  const std::vector<std::string> set = {"tns1:VideoSource/MotionAlarm",
                                        "tns1:Device/SecurityPolicy/AuthFailed"};
  EXPECT_TRUE(TopicFilter({"tns1:VideoSource/MotionAlarm|tns1:Device//."}).Unmatched(set).empty());
  EXPECT_EQ(TopicFilter({"tns1:VideoSource/MotionAlarm|tns1:RuleEngine/CellMotionDetector/Motion"})
                .Unmatched(set),
            std::vector<std::string>{"RuleEngine/CellMotionDetector/Motion"});
  EXPECT_EQ(TopicFilter({"tns1:Device"}).Unmatched(set), std::vector<std::string>{"Device"});
  EXPECT_EQ(TopicFilter::SyntaxError("tns1:VideoSource/MotionAlarm|tns1:Device//."), std::nullopt);
  for (const char* bad : {"", "tns1:VideoSource|", "tns1:VideoSource//MotionAlarm", "a b",
                          "tns1:Video Source", ":x", "a:b:c", "tns1:VideoSource/*"}) {
    EXPECT_NE(TopicFilter::SyntaxError(bad), std::nullopt) << bad;
  }
}

TEST(EventHub, NewSubscriberGetsCurrentStateAsInitialized) {
  EventHub hub;
  hub.Publish("d", Motion(true));
  auto sub = hub.Subscribe("d", {}, Topics(), std::nullopt);
  ASSERT_TRUE(sub.has_value());
  std::promise<PullResult> got;
  hub.Pull("d", sub->id, {}, 0ms, 10, [&](Expected<PullResult, soap::Fault> r) {
    ASSERT_TRUE(r.has_value());
    got.set_value(*r);
  });
  PullResult r = got.get_future().get();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].operation, "Initialized");
  EXPECT_EQ(r.messages[0].data.at(0).value, "true");
}

TEST(EventHub, LongPollAnswersWhenAnEventArrives) {
  EventHub hub;
  auto sub = hub.Subscribe("d", {}, Topics(), std::nullopt);
  ASSERT_TRUE(sub.has_value());
  std::promise<PullResult> got;
  hub.Pull("d", sub->id, {}, 30s, 10, [&](Expected<PullResult, soap::Fault> r) {
    got.set_value(r.has_value() ? *r : PullResult{});
  });
  auto fut = got.get_future();
  EXPECT_EQ(fut.wait_for(0ms), std::future_status::timeout);  // nothing yet: waiting
  hub.Publish("other-device", Motion(true));
  EXPECT_EQ(fut.wait_for(0ms), std::future_status::timeout);  // not ours
  hub.Publish("d", Motion(true));
  ASSERT_EQ(fut.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(fut.get().messages.size(), 1u);
}

TEST(EventHub, LongPollEndsEmptyAtItsTimeout) {
  ManualClock clock;
  EventHub hub({}, clock);
  auto sub = hub.Subscribe("d", {}, Topics(), std::nullopt);
  std::promise<std::size_t> got;
  hub.Pull("d", sub->id, {}, 50ms, 10, [&](Expected<PullResult, soap::Fault> r) {
    got.set_value(r.has_value() ? r->messages.size() : 99);
  });
  auto fut = got.get_future();
  clock.Advance(49ms);
  EXPECT_EQ(fut.wait_for(0ms), std::future_status::timeout);  // not yet
  clock.Advance(1ms);
  ASSERT_EQ(fut.wait_for(5s), std::future_status::ready);  // bound, not a delay
  EXPECT_EQ(fut.get(), 0u);
}

TEST(EventHub, FilterAndMessageLimit) {
  EventHub hub;
  auto other = hub.Subscribe("d", {}, Topics({"tns1:RuleEngine//."}), std::nullopt);
  auto mine = hub.Subscribe("d", {}, Topics({"tns1:VideoSource/MotionAlarm"}), std::nullopt);
  for (int i = 0; i < 5; ++i) hub.Publish("d", Motion(i % 2 == 0));
  std::size_t n_other = 99, n_mine = 99;
  hub.Pull("d", other->id, {}, 0ms, 10,
           [&](Expected<PullResult, soap::Fault> r) { n_other = r->messages.size(); });
  hub.Pull("d", mine->id, {}, 0ms, 3,
           [&](Expected<PullResult, soap::Fault> r) { n_mine = r->messages.size(); });
  EXPECT_EQ(n_other, 0u);
  EXPECT_EQ(n_mine, 3u);
}

TEST(EventHub, UnsubscribeAffectsOnlyItsOwnSubscription) {
  EventHub hub;
  auto a = hub.Subscribe("d", {}, Topics(), std::nullopt);
  auto b = hub.Subscribe("d", {}, Topics(), std::nullopt);
  EXPECT_TRUE(hub.Unsubscribe("d", a->id, {}).ok());
  EXPECT_FALSE(hub.Unsubscribe("d", a->id, {}).ok());
  EXPECT_EQ(hub.subscription_count("d"), 1u);
  EXPECT_TRUE(hub.Renew("d", b->id, {}, Clock::now() + 30s).has_value());
}

TEST(EventHub, ExpiredSubscriptionsAreGone) {
  ManualClock clock;
  EventHub hub({}, clock);
  const auto termination = clock.Now() + 20ms;
  auto a = hub.Subscribe("d", {}, Topics(), termination);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(hub.subscription_count("d"), 1u);
  clock.Advance(19ms);
  EXPECT_EQ(hub.subscription_count("d"), 1u);
  clock.Advance(1ms);
  EXPECT_EQ(hub.subscription_count("d"), 0u);
  EXPECT_FALSE(hub.Renew("d", a->id, {}, clock.Now() + 10s).has_value());
  EXPECT_FALSE(hub.Unsubscribe("d", a->id, {}).ok());
}

TEST(EventHub, SubscriptionLimitIsEnforced) {
  HubLimits limits;
  limits.max_subscriptions_per_device = 2;
  EventHub hub(limits);
  EXPECT_TRUE(hub.Subscribe("d", {}, Topics(), std::nullopt).has_value());
  EXPECT_TRUE(hub.Subscribe("d", {}, Topics(), std::nullopt).has_value());
  auto third = hub.Subscribe("d", {}, Topics(), std::nullopt);
  ASSERT_FALSE(third.has_value());
  EXPECT_EQ(third.error().subcodes.at(0), "Action");
  EXPECT_TRUE(hub.Subscribe("e", {}, Topics(), std::nullopt).has_value());
}

TEST(MessageContentFilter, TheItemFilterDialect) {
  const std::vector<SimpleItem> items = {
      {"VideoSourceConfigurationToken", "1"}, {"Rule", "myImportantField"}, {"IsInside", "true"}};
  auto matches = [&](const std::string& expression) {
    auto f = MessageContentFilter::Parse(expression);
    EXPECT_TRUE(f.has_value()) << expression << ": " << (f ? "" : f.error());
    return f && f->Matches(items);
  };
  // The examples of Core §9.6.2, with ASCII quotes.
  EXPECT_TRUE(
      matches(R"(boolean(//tt:SimpleItem[@Name="VideoSourceConfigurationToken" and @Value="1"]))"));
  EXPECT_TRUE(
      matches(R"(not( boolean(//tt:SimpleItem[@Name="VideoAnalyticsConfigurationToken"] ) ))"));
  EXPECT_FALSE(matches(
      R"(boolean(//tt:SimpleItem[@Name="VideoAnalyticsConfigurationToken" and @Value="2"] ) and boolean(//tt:SimpleItem[@Name="VideoSourceConfigurationToken" and @Value="1"] ))"));
  EXPECT_TRUE(matches(
      R"(boolean(//tt:SimpleItem[@Name='IsInside' and @Value='true'] ) and boolean(//tt:SimpleItem[@Name="Rule" and @Value="myImportantField"] ))"));
  // One item must satisfy the whole bracket: Name of one, Value of another is no match.
  EXPECT_FALSE(matches(R"(boolean(//tt:SimpleItem[@Name="Rule" and @Value="1"]))"));
  // 'and' binds tighter than 'or'.
  EXPECT_TRUE(matches(
      R"(boolean(//tt:SimpleItem[@Name="x"]) and boolean(//tt:SimpleItem[@Name="y"]) or boolean(//tt:SimpleItem[@Name="Rule"]))"));
  EXPECT_FALSE(matches(
      R"(boolean(//tt:SimpleItem[@Name="x"]) and (boolean(//tt:SimpleItem[@Name="y"]) or boolean(//tt:SimpleItem[@Name="Rule"])))"));
  EXPECT_TRUE(matches(R"(boolean(//SimpleItem[not(@Name="Rule") and @Value="true"]))"));
  EXPECT_FALSE(matches(R"(boolean(//tt:ElementItem[@Name="Rule"]))"));
  for (const char* bad :
       {"", "boolean(", "boolean(//tt:Foo[@Name=\"a\"])", "@Name=\"a\"",
        "boolean(//tt:SimpleItem[@Name=a])", "boolean(//tt:SimpleItem[@Name=\"a\"]) xor x",
        "boolean(//tt:SimpleItem[@Other=\"a\"])", "boolean(//tt:SimpleItem[@Name=\"a])"}) {
    EXPECT_FALSE(MessageContentFilter::Parse(bad).has_value()) << bad;
  }
}

TEST(EventHub, ASubscriptionIsItsOwnersOrAnAdministrators) {
  EventHub hub;
  auto sub = hub.Subscribe("d", {"alice", false}, Topics(), std::nullopt);
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ(sub->id.size(), 32u);
  auto someone_else = hub.Renew("d", sub->id, {"bob", false}, Clock::now() + 30s);
  ASSERT_FALSE(someone_else.has_value());
  EXPECT_EQ(someone_else.error().subcodes.at(0), "NotAuthorized");
  EXPECT_FALSE(hub.Synchronize("d", sub->id, {"", false}).ok());
  EXPECT_TRUE(hub.Renew("d", sub->id, {"alice", false}, Clock::now() + 30s).has_value());
  EXPECT_TRUE(hub.Synchronize("d", sub->id, {"root", true}).ok());
  EXPECT_TRUE(hub.Unsubscribe("d", sub->id, {"root", true}).ok());
}

TEST(EventHub, DeclaredDefaultsComeOnTheFirstPullUntilTheCameraSaysMore) {
  EventHub hub;
  hub.Declare("d", Motion(false));
  auto first = hub.Subscribe("d", {}, Topics(), std::nullopt);
  hub.Publish("d", Motion(true));
  hub.Declare("d", Motion(false));  // a default never overrides a reported value
  auto second = hub.Subscribe("d", {}, Topics(), std::nullopt);
  auto pull = [&](const std::string& id) {
    std::vector<Notification> got;
    hub.Pull("d", id, {}, 0ms, 10, [&](Expected<PullResult, soap::Fault> r) {
      if (r) got = r->messages;
    });
    return got;
  };
  auto a = pull(first->id);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].operation, "Initialized");
  EXPECT_EQ(a[0].data.at(0).value, "false");
  EXPECT_EQ(a[1].operation, "Changed");
  auto b = pull(second->id);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].operation, "Initialized");
  EXPECT_EQ(b[0].data.at(0).value, "true");
}

TEST(EventHub, MessageContentFilterSelectsBySourceItems) {
  EventHub hub;
  SubscriptionFilter filter = Topics();
  filter.content = *MessageContentFilter::Parse(
      R"(boolean(//tt:SimpleItem[@Name="Source" and @Value="VideoSource_1"]))");
  auto sub = hub.Subscribe("d", {}, std::move(filter), std::nullopt);
  hub.Publish("d", Motion(true, "VideoSource_0"));
  hub.Publish("d", Motion(true, "VideoSource_1"));
  std::vector<Notification> got;
  hub.Pull("d", sub->id, {}, 0ms, 10, [&](Expected<PullResult, soap::Fault> r) {
    if (r) got = r->messages;
  });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].source.at(0).value, "VideoSource_1");
}

// A push target that records what it is offered.
class RecordingTarget : public PushTarget {
 public:
  void Offer(Notification n) override {
    std::lock_guard lock(mu);
    offered.push_back(std::move(n));
  }
  void Close() override {
    if (!closed.exchange(true)) closed_signal.set_value();
  }
  std::mutex mu;
  std::vector<Notification> offered;
  std::atomic<bool> closed{false};
  std::promise<void> closed_signal;
};

TEST(EventHub, EndingADevicesSubscriptionsAnswersItsWaitingPullAndClosesItsPushTargets) {
  EventHub hub;
  auto pull = hub.Subscribe("d", {}, Topics(), std::nullopt);
  auto target = std::make_shared<RecordingTarget>();
  auto push = hub.Subscribe("d", {}, Topics(), std::nullopt, target);
  auto other = hub.Subscribe("other", {}, Topics(), std::nullopt);
  ASSERT_TRUE(pull.has_value() && push.has_value() && other.has_value());
  std::promise<std::string> pulled;
  hub.Pull("d", pull->id, {}, 30s, 10, [&](Expected<PullResult, soap::Fault> r) {
    pulled.set_value(r.has_value() ? "messages" : r.error().reason);
  });
  EXPECT_EQ(hub.EndSubscriptions("d"), 2u);
  auto answer = pulled.get_future();
  ASSERT_EQ(answer.wait_for(0ms), std::future_status::ready);  // at once, not at its timeout
  EXPECT_NE(answer.get(), "messages");
  EXPECT_TRUE(target->closed.load());
  EXPECT_EQ(hub.subscription_count("d"), 0u);
  EXPECT_FALSE(hub.Renew("d", pull->id, {}, Clock::now() + 30s).has_value());
  EXPECT_EQ(hub.subscription_count("other"), 1u);  // another device's stay
  EXPECT_EQ(hub.EndSubscriptions("d"), 0u);
}

TEST(EventHub, PushSubscriptionsAreOfferedTheirMessagesAndClosedWhenTheyEnd) {
  ManualClock clock;
  EventHub hub({}, clock);
  hub.Publish("d", Motion(false));
  auto target = std::make_shared<RecordingTarget>();
  auto sub = hub.Subscribe("d", {}, Topics(), clock.Now() + 10s, target);
  ASSERT_TRUE(sub.has_value());
  hub.Publish("d", Motion(true));
  {
    std::lock_guard lock(target->mu);
    ASSERT_EQ(target->offered.size(), 2u);
    EXPECT_EQ(target->offered[0].operation, "Initialized");
    EXPECT_EQ(target->offered[1].data.at(0).value, "true");
  }
  // Nothing to pull from a push subscription.
  std::optional<soap::Fault> fault;
  hub.Pull("d", sub->id, {}, 0ms, 10, [&](Expected<PullResult, soap::Fault> r) {
    if (!r) fault = r.error();
  });
  ASSERT_TRUE(fault.has_value());
  // Expiry closes it (the hub's thread collects it).
  clock.Advance(10s);
  EXPECT_EQ(target->closed_signal.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(hub.subscription_count("d"), 0u);
  auto other = std::make_shared<RecordingTarget>();
  auto second = hub.Subscribe("d", {}, Topics(), std::nullopt, other);
  EXPECT_TRUE(hub.Unsubscribe("d", second->id, {}).ok());
  EXPECT_TRUE(other->closed);
}

// What the adapter's events mean per device, and the declared defaults.
TEST(CameraEvents, EachAdapterEventHasItsTopicAndEachPropertyAnInitialValue) {
  namespace v1 = ::onvifgw::adapter::v1;
  config::DeviceConfig device;
  device.id = "front";
  device.camera = "cam-1";
  adapters::AdapterFacts facts;
  adapters::CameraFacts& cam = facts.cameras["cam-1"];
  cam.description.mutable_capabilities()->set_video_sources(true);
  cam.description.mutable_capabilities()->set_events(true);
  cam.description.mutable_capabilities()->set_relay_outputs(true);
  cam.video_sources.add_sources()->set_source_id("0");
  auto* relay = cam.relay_outputs.add_relays();
  relay->set_relay_id("relay-1");
  relay->set_active(true);
  const auto now = Clock::now();
  auto topics = [](const std::vector<Notification>& ns) {
    std::vector<std::string> out;
    for (const auto& n : ns) out.push_back(n.topic + " " + n.operation);
    return out;
  };

  // No tampering declared: the camera does not claim tamper_events.
  auto initial = InitialState(device, facts, now);
  EXPECT_EQ(topics(initial),
            (std::vector<std::string>{"tns1:VideoSource/MotionAlarm Initialized",
                                      "tns1:RuleEngine/CellMotionDetector/Motion Initialized",
                                      "tns1:Device/Trigger/Relay Initialized"}));
  EXPECT_EQ(initial[2].data.at(0), (SimpleItem{"LogicalState", "active"}));
  cam.description.mutable_capabilities()->set_tamper_events(true);
  EXPECT_EQ(InitialState(device, facts, now).size(), 4u);

  v1::Event motion;
  motion.set_camera_id("cam-1");
  motion.mutable_motion()->set_source_id("0");
  motion.mutable_motion()->set_active(true);
  auto m = CameraNotifications(device, motion, now);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].source, (std::vector<SimpleItem>{{"Source", "VideoSource_0"}}));
  EXPECT_EQ(m[1].source, (std::vector<SimpleItem>{{"VideoSourceConfigurationToken", "vsc_0"},
                                                  {"VideoAnalyticsConfigurationToken", "vac_0"},
                                                  {"Rule", "MotionDetection"}}));
  EXPECT_EQ(m[1].data, (std::vector<SimpleItem>{{"IsMotion", "true"}}));
  motion.set_camera_id("cam-9");  // a camera this device does not present
  EXPECT_TRUE(CameraNotifications(device, motion, now).empty());

  v1::Event input;
  input.set_camera_id("cam-1");
  input.mutable_digital_input()->set_input_id("in-1");
  input.mutable_digital_input()->set_active(true);
  auto i = CameraNotifications(device, input, now);
  ASSERT_EQ(i.size(), 1u);
  EXPECT_EQ(i[0].topic, kDigitalInputTopic);
  EXPECT_EQ(i[0].source, (std::vector<SimpleItem>{{"InputToken", "in-1"}}));
  EXPECT_EQ(i[0].data, (std::vector<SimpleItem>{{"LogicalState", "true"}}));

  v1::Event tamper;
  tamper.set_camera_id("cam-1");
  tamper.mutable_tamper()->set_source_id("0");
  tamper.mutable_tamper()->set_active(true);
  EXPECT_EQ(CameraNotifications(device, tamper, now).at(0).topic, kTamperTopic);

  v1::Event relay_event;
  relay_event.set_camera_id("cam-1");
  relay_event.mutable_relay()->set_relay_id("relay-1");
  auto r = CameraNotifications(device, relay_event, now);
  EXPECT_EQ(r.at(0).data, (std::vector<SimpleItem>{{"LogicalState", "inactive"}}));

  auto lost = SignalState(device, facts, true, now);
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].topic, kSignalLossTopic);
  EXPECT_EQ(lost[0].data, (std::vector<SimpleItem>{{"State", "true"}}));
}

class EventServiceTest : public ::testing::Test {
 protected:
  EventServiceTest() : endpoint_(onvifgw::testing::ServedRegistry(), soap::XmlLimits{}) {
    device_.config.id = "front";
    device_.events = &hub_;
    device_.push = &push_;
  }

  // The path of the subscription manager a CreatePullPointSubscription or
  // Subscribe answer names.
  static std::string SubscriptionPath(const SoapReply& created) {
    const std::string prefix = "<wsa:Address>http://192.0.2.10:8080";
    const auto at = created.body.find(prefix);
    if (at == std::string::npos) return "(no address)";
    const auto start = at + prefix.size();
    return created.body.substr(start, created.body.find('<', start) - start);
  }

  SoapReply Call(const std::string& path, const std::string& body, const std::string& header = "",
                 std::optional<Principal> principal = std::nullopt) {
    const std::string xml =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:tev=\"http://www.onvif.org/ver10/events/wsdl\" "
        "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "
        "xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\">" +
        (header.empty() ? "" : "<s:Header>" + header + "</s:Header>") + "<s:Body>" + body +
        "</s:Body></s:Envelope>";
    RequestContext ctx{device_, "http", "192.0.2.10:8080", "192.0.2.10",        path,
                       "",      "POST", "192.0.2.99",      std::move(principal)};
    std::promise<SoapReply> p;
    endpoint_.Handle(xml, ctx, [&](SoapReply r) { p.set_value(std::move(r)); });
    auto f = p.get_future();
    EXPECT_EQ(f.wait_for(10s), std::future_status::ready);
    return f.get();
  }

  // Notify requests would go out on this context, which nobody runs here
  // (NotifyConsumer has its own tests); declared before the hub, which
  // closes its targets through it when it goes.
  boost::asio::io_context unrun_io_;
  PushDelivery push_{unrun_io_, {}};
  EventHub hub_;
  SoapEndpoint endpoint_;
  VirtualDevice device_;
};

TEST_F(EventServiceTest, PullPointLifecycleValidates) {
  hub_.Publish("front", Motion(false));
  SoapReply created = Call("/onvif/events_service",
                           "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT60S"
                           "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>");
  ASSERT_EQ(created.http_status, 200) << created.body;
  // 128 random bits: no client can reach another's subscription by counting.
  const std::string sub = SubscriptionPath(created);
  EXPECT_TRUE(std::regex_match(sub, std::regex("/onvif/subscription/[0-9A-F]{32}"))) << sub;
  SoapReply pulled = Call(sub,
                          "<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout>"
                          "<tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>");
  ASSERT_EQ(pulled.http_status, 200) << pulled.body;
  EXPECT_NE(pulled.body.find("PropertyOperation=\"Initialized\""), std::string::npos);
  EXPECT_NE(pulled.body.find("tns1:VideoSource/MotionAlarm"), std::string::npos);
  std::vector<SoapReply> replies = {
      created,
      pulled,
      Call("/onvif/events_service", "<tev:GetServiceCapabilities/>"),
      Call("/onvif/events_service", "<tev:GetEventProperties/>"),
      Call(sub, "<tev:SetSynchronizationPoint/>"),
      Call(sub, "<wsnt:Renew><wsnt:TerminationTime>PT120S</wsnt:TerminationTime></wsnt:Renew>"),
      Call(sub, "<wsnt:Unsubscribe/>"),
      Call(
          "/onvif/device_service",
          "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>"),
      Call("/onvif/device_service",
           "<tds:GetCapabilities><tds:Category>Events</tds:Category></tds:GetCapabilities>"),
  };
  for (std::size_t i = 2; i < replies.size(); ++i) {
    EXPECT_EQ(replies[i].http_status, 200) << replies[i].body;
  }
  SoapReply gone = Call(sub, "<wsnt:Unsubscribe/>");
  EXPECT_EQ(gone.http_status, 400);
  EXPECT_NE(gone.body.find("<wsrf_r:ResourceUnknownFault"), std::string::npos) << gone.body;
  replies.push_back(gone);
  SKIP_WITHOUT_CHECK_SOAP();
  for (const auto& r : replies) EXPECT_EQ(CheckSoap(r.body), "") << r.body;
}

// The reply's wsa:Action is the WSDL's, for the port type the client named.
TEST_F(EventServiceTest, RepliesCarryThePortTypesAction) {
  auto header = [](const std::string& action) {
    return "<a:MessageID xmlns:a=\"http://www.w3.org/2005/08/addressing\">urn:uuid:1</a:MessageID>"
           "<a:Action xmlns:a=\"http://www.w3.org/2005/08/addressing\">" +
           action + "</a:Action>";
  };
  SoapReply created =
      Call("/onvif/events_service", "<tev:CreatePullPointSubscription/>", header("x"));
  const std::string sub = SubscriptionPath(created);
  EXPECT_NE(created.body.find("http://www.onvif.org/ver10/events/wsdl/EventPortType/"
                              "CreatePullPointSubscriptionResponse"),
            std::string::npos)
      << created.body;
  SoapReply pulled = Call(sub,
                          "<tev:PullMessages><tev:Timeout>PT0S</tev:Timeout>"
                          "<tev:MessageLimit>1</tev:MessageLimit></tev:PullMessages>",
                          header("x"));
  EXPECT_NE(pulled.body.find("http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/"
                             "PullMessagesResponse"),
            std::string::npos)
      << pulled.body;
  SoapReply renewed =
      Call(sub, "<wsnt:Renew><wsnt:TerminationTime>PT60S</wsnt:TerminationTime></wsnt:Renew>",
           header("http://docs.oasis-open.org/wsn/bw-2/PausableSubscriptionManager/RenewRequest"));
  EXPECT_NE(renewed.body.find(
                "http://docs.oasis-open.org/wsn/bw-2/PausableSubscriptionManager/RenewResponse"),
            std::string::npos)
      << renewed.body;
  SoapReply gone =
      Call(sub, "<wsnt:Unsubscribe/>",
           header("http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest"));
  EXPECT_NE(
      gone.body.find("http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeResponse"),
      std::string::npos)
      << gone.body;
}

// Each WSDL fault of the event service, as a client generated from the
// WSDL expects it: the typed fault message in env:Detail.
TEST_F(EventServiceTest, WsdlFaultsCarryTheirMessagesInTheDetail) {
  std::vector<SoapReply> faults;
  auto expect = [&](const SoapReply& r, const std::string& detail) {
    EXPECT_EQ(r.http_status, 400) << r.body;
    EXPECT_NE(r.body.find("<env:Detail><" + detail), std::string::npos) << r.body;
    faults.push_back(r);
  };
  auto subscribe = [&](const std::string& filter) {
    return Call("/onvif/events_service", "<tev:CreatePullPointSubscription><tev:Filter>" + filter +
                                             "</tev:Filter></tev:CreatePullPointSubscription>");
  };
  const std::string concrete = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";
  auto topic = [&](const std::string& expression, const std::string& dialect) {
    return "<wsnt:TopicExpression Dialect=\"" + dialect +
           "\" xmlns:tns1=\"http://www.onvif.org/ver10/topics\">" + expression +
           "</wsnt:TopicExpression>";
  };
  // The topic set is fixed: a topic it lacks is refused, not ignored.
  expect(subscribe(topic("tns1:RuleEngine/LineDetector/Crossed", concrete)),
         "wsnt:TopicNotSupportedFault");
  expect(subscribe(topic("tns1:VideoSource//MotionAlarm", concrete)),
         "wsnt:InvalidTopicExpressionFault");
  expect(subscribe(topic("tns1:VideoSource/MotionAlarm", "urn:example:xpath")),
         "wsnt:TopicExpressionDialectUnknownFault");
  // A MessageContent filter is applied, so one it cannot apply is refused.
  const std::string item_filter = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter";
  expect(subscribe("<wsnt:MessageContent Dialect=\"" + item_filter +
                   "\">boolean(//tt:SimpleItem[@Name=</wsnt:MessageContent>"),
         "wsnt:InvalidMessageContentExpressionFault");
  expect(subscribe("<wsnt:MessageContent Dialect=\"http://www.w3.org/TR/1999/REC-xpath-19991116\">"
                   "//tt:SimpleItem</wsnt:MessageContent>"),
         "wsnt:InvalidMessageContentExpressionFault");
  expect(
      subscribe("<wsnt:ProducerProperties Dialect=\"http://www.w3.org/TR/1999/REC-xpath-19991116\">"
                "boolean(true)</wsnt:ProducerProperties>"),
      "wsnt:InvalidFilterFault");
  // A consumer the gateway cannot notify.
  expect(Call("/onvif/events_service",
              "<wsnt:Subscribe><wsnt:ConsumerReference><wsa:Address xmlns:wsa=\"http://www.w3.org/"
              "2005/08/addressing\">https://192.0.2.99/notify</wsa:Address>"
              "</wsnt:ConsumerReference></wsnt:Subscribe>"),
         "wsnt:SubscribeCreationFailedFault");
  EXPECT_EQ(hub_.subscription_count("front"), 0u);
  // Someone else's subscription is not yours to use.
  SoapReply alices = Call("/onvif/events_service", "<tev:CreatePullPointSubscription/>", "",
                          Principal{"alice", security::UserLevel::kUser});
  ASSERT_EQ(alices.http_status, 200) << alices.body;
  SoapReply bobs = Call(SubscriptionPath(alices), "<wsnt:Unsubscribe/>", "",
                        Principal{"bob", security::UserLevel::kOperator});
  EXPECT_NE(bobs.http_status, 200) << bobs.body;
  EXPECT_NE(bobs.body.find("ter:NotAuthorized"), std::string::npos) << bobs.body;
  faults.push_back(bobs);
  EXPECT_EQ(Call(SubscriptionPath(alices), "<wsnt:Unsubscribe/>", "",
                 Principal{"admin", security::UserLevel::kAdministrator})
                .http_status,
            200);
  expect(Call("/onvif/events_service",
              "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>"
              "2001-01-01T00:00:00Z</tev:InitialTerminationTime>"
              "</tev:CreatePullPointSubscription>"),
         "wsnt:UnacceptableInitialTerminationTimeFault");
  hub_.Publish("front", Motion(false));  // a state, for the first pull
  // A known topic subscribes; a termination beyond the maximum is granted
  // as the maximum, and the answer says so.
  SoapReply created =
      Call("/onvif/events_service",
           "<tev:CreatePullPointSubscription><tev:Filter>" +
               topic("tns1:VideoSource/MotionAlarm", concrete) +
               "</tev:Filter><tev:InitialTerminationTime>PT100H</tev:InitialTerminationTime>"
               "</tev:CreatePullPointSubscription>");
  ASSERT_EQ(created.http_status, 200) << created.body;
  const std::string sub = SubscriptionPath(created);
  expect(Call(sub,
              "<wsnt:Renew><wsnt:TerminationTime>2001-01-01T00:00:00Z</wsnt:TerminationTime>"
              "</wsnt:Renew>"),
         "wsnt:UnacceptableTerminationTimeFault");
  // Above the maximum timeout: both limits in the fault.
  SoapReply too_long = Call(sub,
                            "<tev:PullMessages><tev:Timeout>PT10M</tev:Timeout>"
                            "<tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>");
  expect(too_long, "tev:PullMessagesFaultResponse");
  EXPECT_NE(too_long.body.find("<tev:MaxTimeout>PT60S</tev:MaxTimeout>"), std::string::npos)
      << too_long.body;
  EXPECT_NE(too_long.body.find("<tev:MaxMessageLimit>256</tev:MaxMessageLimit>"),
            std::string::npos);
  // A second pull while one waits is refused; the waiting one keeps its
  // place and gets the message.
  std::promise<SoapReply> first;
  std::thread waiting([&] {
    first.set_value(Call(sub,
                         "<tev:PullMessages><tev:Timeout>PT50S</tev:Timeout>"
                         "<tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>"));
  });
  // The first pull takes the Initialized state at once; the next one waits.
  SoapReply initial = first.get_future().get();
  waiting.join();
  ASSERT_EQ(initial.http_status, 200) << initial.body;
  std::promise<SoapReply> second;
  std::thread long_poll([&] {
    second.set_value(Call(sub,
                          "<tev:PullMessages><tev:Timeout>PT50S</tev:Timeout>"
                          "<tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>"));
  });
  SoapReply refused;
  // PT0S never waits itself: empty answers until the long poll waits.
  for (int i = 0; i < 10000; ++i) {
    refused = Call(sub,
                   "<tev:PullMessages><tev:Timeout>PT0S</tev:Timeout>"
                   "<tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>");
    if (refused.http_status != 200) break;
  }
  expect(refused, "wsnt:UnableToGetMessagesFault");
  hub_.Publish("front", Motion(true));
  SoapReply delivered = second.get_future().get();
  long_poll.join();
  EXPECT_EQ(delivered.http_status, 200);
  EXPECT_NE(delivered.body.find("Value=\"true\""), std::string::npos) << delivered.body;
  // Gone: every operation on it is ResourceUnknown.
  EXPECT_EQ(Call(sub, "<wsnt:Unsubscribe/>").http_status, 200);
  expect(Call(sub,
              "<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout><tev:MessageLimit>1"
              "</tev:MessageLimit></tev:PullMessages>"),
         "wsrf_r:ResourceUnknownFault");
  expect(Call(sub, "<wsnt:Renew><wsnt:TerminationTime>PT60S</wsnt:TerminationTime></wsnt:Renew>"),
         "wsrf_r:ResourceUnknownFault");
  SKIP_WITHOUT_CHECK_SOAP();
  for (const auto& r : faults) EXPECT_EQ(CheckSoap(r.body), "") << r.body;
}

TEST_F(EventServiceTest, BadArgumentsAreFaults) {
  SoapReply r = Call("/onvif/events_service",
                     "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>soon"
                     "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>");
  EXPECT_EQ(r.http_status, 400);
  r = Call("/onvif/events_service",
           "<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout><tev:MessageLimit>1"
           "</tev:MessageLimit></tev:PullMessages>");
  EXPECT_EQ(r.http_status, 400) << "PullMessages must go to a subscription address";
  r = Call("/onvif/events_service",
           "<tev:Seek><tev:UtcTime>2026-01-01T00:00:00Z</tev:UtcTime></tev:Seek>");
  EXPECT_EQ(r.http_status, 500);
  EXPECT_NE(r.body.find("ter:ActionNotSupported"), std::string::npos);
}

}  // namespace
}  // namespace onvifgw::services::events
