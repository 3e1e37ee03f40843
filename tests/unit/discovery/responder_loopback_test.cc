// The responder on 127.0.0.1 answering unicast requests (no multicast needed).

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <future>
#include <memory>
#include <set>

#include "discovery/responder.h"
#include "responder_test_util.h"
#include "test_support.h"

namespace onvifgw::discovery {
namespace {

using namespace std::chrono_literals;
using testing::ElementAttribute;
using testing::ElementText;

constexpr char kWsa[] = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
constexpr char kD[] = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
constexpr char kEprA[] = "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001";
constexpr char kEprB[] = "urn:uuid:bbbbbbbb-0000-4000-8000-000000000002";
constexpr char kNvtTypes[] =
    "<d:Types "
    "xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">dn:NetworkVideoTransmitter</d:Types>";

std::vector<DiscoverableDevice> TwoDevices() {
  DiscoverableDevice a;
  a.endpoint_reference = kEprA;
  a.scopes = {"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/name/A"};
  a.bind_address = "0.0.0.0";
  a.http_port = 8081;
  DiscoverableDevice b;
  b.endpoint_reference = kEprB;
  b.scopes = {"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/name/B"};
  b.bind_address = "0.0.0.0";
  b.http_port = 8082;
  b.advertised_host = "cam-b.example";
  b.metadata_version = 3;
  return {a, b};
}

class ResponderLoopback : public ::testing::Test {
 protected:
  void SetUp() override {
    ResponderOptions options;
    options.bind_address = "127.0.0.1";
    options.port = 0;
    options.join_multicast = false;
    options.max_reply_delay = 50ms;
    options.instance_id = 12345;
    options.log = [sink = log_](std::string_view level, std::string_view msg) {
      (*sink)(level, msg);
    };
    responder_ = std::make_unique<Responder>(io_.io, options, [] { return TwoDevices(); });
    auto started = responder_->Start();
    ASSERT_TRUE(started.ok()) << started.error();
    ASSERT_NE(responder_->port(), 0);
    ASSERT_TRUE(client_.ok());
  }
  void TearDown() override {
    responder_.reset();
    io_.Join();
  }
  bool Send(const std::string& xml) { return client_.SendTo(xml, "127.0.0.1", responder_->port()); }

  testing::IoThreads io_{2};
  std::shared_ptr<testing::LogSink> log_ = std::make_shared<testing::LogSink>();
  std::unique_ptr<Responder> responder_;
  testing::UdpPeer client_;
};

TEST_F(ResponderLoopback, UnicastProbeGetsOneProbeMatchesPerDevice) {
  const std::string id = "urn:uuid:11111111-2222-4333-8444-555555555555";
  ASSERT_TRUE(Send(testing::ProbeXml(id, kNvtTypes)));
  const auto replies = client_.ReceiveN(2, 3s);
  ASSERT_EQ(replies.size(), 2u) << log_->All();
  std::set<std::string> eprs;
  std::set<std::string> xaddrs;
  std::set<uint64_t> numbers;
  for (const std::string& r : replies) {
    EXPECT_EQ(testing::BodyOperation(r), "ProbeMatches");
    EXPECT_EQ(ElementText(r, kWsa, "RelatesTo"), id);
    EXPECT_EQ(ElementText(r, kWsa, "To"),
              "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous");
    EXPECT_EQ(ElementText(r, kWsa, "Action"),
              "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches");
    EXPECT_NE(ElementText(r, kWsa, "MessageID"), id);
    EXPECT_EQ(ElementAttribute(r, kD, "AppSequence", "InstanceId"), "12345");
    numbers.insert(
        std::stoull(ElementAttribute(r, kD, "AppSequence", "MessageNumber").value_or("0")));
    EXPECT_EQ(ElementText(r, kD, "Types"), "tds:Device dn:NetworkVideoTransmitter");
    eprs.insert(ElementText(r, kWsa, "Address").value_or(""));
    xaddrs.insert(ElementText(r, kD, "XAddrs").value_or(""));
  }
  EXPECT_EQ(eprs, (std::set<std::string>{kEprA, kEprB}));
  EXPECT_EQ(xaddrs, (std::set<std::string>{"http://127.0.0.1:8081/onvif/device_service",
                                           "http://cam-b.example:8082/onvif/device_service"}));
  EXPECT_EQ(numbers.size(), 2u);
  EXPECT_EQ(numbers.count(0), 0u);
  // Nothing more: one ProbeMatches per device.
  EXPECT_FALSE(client_.Receive(200ms).has_value());
  // What went over the wire is schema-valid.
  if (testing::SharedOnvifPresent()) {
    const auto check = testing::CheckSoap({{"wire-0", replies[0]}, {"wire-1", replies[1]}});
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }
}

TEST_F(ResponderLoopback, ScopesSelectDevicesAndReplyToIsHonoured) {
  const std::string probe =
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
      "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
      "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><s:Header>"
      "<a:MessageID>uuid:scoped</a:MessageID><a:ReplyTo><a:Address>soap.udp://127.0.0.1:9"
      "</a:Address></a:ReplyTo></s:Header><s:Body><d:Probe><d:Scopes>"
      "ONVIF://www.onvif.org/name/B</d:Scopes></d:Probe></s:Body></s:Envelope>";
  ASSERT_TRUE(Send(probe));
  const auto replies = client_.ReceiveN(2, 1s);
  ASSERT_EQ(replies.size(), 1u) << log_->All();
  EXPECT_EQ(ElementText(replies[0], kWsa, "Address"), kEprB);
  EXPECT_EQ(ElementText(replies[0], kWsa, "To"), "soap.udp://127.0.0.1:9");
  EXPECT_EQ(ElementText(replies[0], kD, "MetadataVersion"), "3");
}

TEST_F(ResponderLoopback, NoMatchNoReply) {
  ASSERT_TRUE(
      Send(testing::ProbeXml("uuid:none", "<d:Scopes>onvif://www.onvif.org/name/A-1</d:Scopes>")));
  ASSERT_TRUE(Send(testing::ProbeXml(
      "uuid:foreign", "<d:Types xmlns:p=\"http://example.com/printers\">p:Printer</d:Types>")));
  EXPECT_FALSE(client_.Receive(300ms).has_value());
}

TEST_F(ResponderLoopback, ResolveGetsResolveMatches) {
  ASSERT_TRUE(Send(testing::ResolveXml("urn:uuid:resolve-1", kEprB)));
  const auto replies = client_.ReceiveN(2, 1s);
  ASSERT_EQ(replies.size(), 1u) << log_->All();
  EXPECT_EQ(testing::BodyOperation(replies[0]), "ResolveMatches");
  EXPECT_EQ(ElementText(replies[0], kWsa, "RelatesTo"), "urn:uuid:resolve-1");
  EXPECT_EQ(ElementText(replies[0], kD, "XAddrs"),
            "http://cam-b.example:8082/onvif/device_service");
  if (testing::SharedOnvifPresent()) {
    const auto check = testing::CheckSoap({{"wire-resolve", replies[0]}});
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }
  ASSERT_TRUE(Send(testing::ResolveXml("urn:uuid:resolve-2", "urn:uuid:unknown")));
  EXPECT_FALSE(client_.Receive(200ms).has_value());
}

TEST_F(ResponderLoopback, UnsupportedMatchByInUnicastProbeGetsFault) {
  ASSERT_TRUE(Send(testing::ProbeXml(
      "uuid:ldap",
      "<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/discovery/ldap\">"
      "ldap:///ou=cams</d:Scopes>")));
  const auto reply = client_.Receive(2s);
  ASSERT_TRUE(reply.has_value()) << log_->All();
  EXPECT_EQ(testing::BodyOperation(*reply), "Fault");
  EXPECT_EQ(ElementText(*reply, kWsa, "RelatesTo"), "uuid:ldap");
  EXPECT_NE(reply->find("d:MatchingRuleNotSupported"), std::string::npos);
  if (testing::SharedOnvifPresent()) {
    const auto check = testing::CheckSoap({{"wire-fault", *reply}});
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }
}

TEST_F(ResponderLoopback, MalformedDatagramsAreDroppedAndServiceContinues) {
  ASSERT_TRUE(Send("garbage"));
  ASSERT_TRUE(Send("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"));
  ASSERT_TRUE(Send(std::string("\0\0\0", 3)));
  ASSERT_TRUE(Send(std::string(60000, '<')));
  ASSERT_TRUE(Send(testing::ProbeXml("uuid:after", kNvtTypes)));
  const auto replies = client_.ReceiveN(2, 3s);
  ASSERT_EQ(replies.size(), 2u) << log_->All();
  for (const auto& r : replies) EXPECT_EQ(ElementText(r, kWsa, "RelatesTo"), "uuid:after");
  EXPECT_TRUE(log_->Contains("debug: WS-Discovery: dropping malformed")) << log_->All();
}

TEST_F(ResponderLoopback, StopFromAnIoThreadReturns) {
  std::promise<void> stopped;
  boost::asio::post(io_.io, [&] {
    responder_->Stop();  // another thread runs the io_context meanwhile
    stopped.set_value();
  });
  ASSERT_EQ(stopped.get_future().wait_for(5s), std::future_status::ready);
  responder_->Stop();  // idempotent
  ASSERT_TRUE(Send(testing::ProbeXml("uuid:late", kNvtTypes)));
  EXPECT_FALSE(client_.Receive(200ms).has_value());
}

TEST(Responder, StopFromTheOnlyIoThreadDoesNotDeadlock) {
  boost::asio::io_context io;
  ResponderOptions options;
  options.bind_address = "127.0.0.1";
  options.port = 0;
  options.join_multicast = false;
  Responder responder(io, options, [] { return TwoDevices(); });
  ASSERT_TRUE(responder.Start().ok());
  std::promise<void> stopped;
  boost::asio::post(io, [&] {
    responder.Stop();
    stopped.set_value();
  });
  auto finished = std::async(std::launch::async, [&] { io.run_for(5s); });
  ASSERT_EQ(stopped.get_future().wait_for(5s), std::future_status::ready);
  io.stop();
  finished.wait();
}

TEST(Responder, StopWithoutRunningIoContext) {
  boost::asio::io_context io;
  ResponderOptions options;
  options.bind_address = "127.0.0.1";
  options.port = 0;
  options.join_multicast = false;
  Responder responder(io, options, [] { return TwoDevices(); });
  ASSERT_TRUE(responder.Start().ok());
  responder.Stop();  // nobody runs io: done inline after a short wait
  EXPECT_FALSE(responder.Start().ok());
}

TEST(Responder, StartRejectsBadOptions) {
  boost::asio::io_context io;
  {
    ResponderOptions o;
    o.bind_address = "not-an-address";
    Responder r(io, o, {});
    EXPECT_FALSE(r.Start().ok());
  }
  {
    ResponderOptions o;
    o.bind_address = "127.0.0.1";
    o.port = 0;
    o.multicast_group = "10.0.0.1";
    Responder r(io, o, {});
    EXPECT_FALSE(r.Start().ok());
  }
  {
    ResponderOptions o;
    o.bind_address = "127.0.0.1";
    o.port = 0;
    o.instance_id = uint64_t{1} << 32;
    Responder r(io, o, {});
    EXPECT_FALSE(r.Start().ok());
  }
  {
    ResponderOptions o;
    o.bind_address = "192.0.2.123";  // not a local address
    o.port = 0;
    Responder r(io, o, {});
    auto s = r.Start();
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().find("bind"), std::string::npos) << s.error();
  }
  {
    ResponderOptions o;
    o.bind_address = "127.0.0.1";
    o.port = 0;
    o.join_multicast = false;
    Responder r(io, o, {});
    EXPECT_TRUE(r.Start().ok());
    EXPECT_FALSE(r.Start().ok());  // twice
  }
}

}  // namespace
}  // namespace onvifgw::discovery
