#include "discovery/request_parser.h"

#include <gtest/gtest.h>

#include <random>

#include "discovery/matching.h"
#include "test_support.h"

namespace onvifgw::discovery {
namespace {

constexpr char kDn[] = "http://www.onvif.org/ver10/network/wsdl";

DiscoverableDevice Camera() {
  DiscoverableDevice d;
  d.endpoint_reference = "urn:uuid:1419d68a-1dd2-11b2-a105-010203040506";
  d.scopes = {"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/name/Cam"};
  d.bind_address = "0.0.0.0";
  d.http_port = 8080;
  return d;
}

std::optional<std::string> Trace(const std::string& name) {
  return testing::ReadFile(testing::SharedOnvifDir() + "/traces/" + name);
}

TEST(ParseProbe, OdmTraceParsesAndMatches) {
  auto bytes = Trace("odm--Probe.xml");
  if (!bytes) GTEST_SKIP() << "shared ONVIF bundle not found at " << testing::SharedOnvifDir();
  auto probe = ParseProbe(*bytes);
  ASSERT_TRUE(probe.has_value()) << probe.error().message;
  EXPECT_EQ(probe->message_id, "urn:uuid:57f2b0be-1787-49f8-ab8b-4567327b23c6");
  EXPECT_EQ(probe->reply_to, "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous");
  ASSERT_EQ(probe->types.size(), 1u);
  EXPECT_EQ(probe->types[0], (QName{kDn, "NetworkVideoTransmitter"}));
  EXPECT_TRUE(probe->scopes.empty());
  EXPECT_EQ(probe->match_rule, MatchRule::kRfc3986);
  EXPECT_TRUE(Matches(*probe, Camera()));
}

TEST(ParseProbe, OtherClientTraces) {
  if (!testing::SharedOnvifPresent()) {
    GTEST_SKIP() << "shared ONVIF bundle not found at " << testing::SharedOnvifDir();
  }
  // python-ws-discovery: no Types, one scope.
  auto py = ParseProbe(*Trace("python-wsdiscovery--Probe.xml"));
  ASSERT_TRUE(py.has_value()) << py.error().message;
  EXPECT_TRUE(py->types.empty());
  ASSERT_EQ(py->scopes.size(), 1u);
  EXPECT_TRUE(Matches(*py, Camera()));
  // Uniview: default-namespace envelope, an element after Body, empty Scopes.
  auto uv = ParseProbe(*Trace("uniview-netdev--Probe-PriDescrib.xml"));
  ASSERT_TRUE(uv.has_value()) << uv.error().message;
  EXPECT_TRUE(Matches(*uv, Camera()));
  // Uniview's invented operation is not a Probe.
  auto netdev = ParseDiscoveryRequest(*Trace("uniview-netdev--NetdevProbe.xml"));
  ASSERT_FALSE(netdev.has_value());
  EXPECT_EQ(netdev.error().kind, ParseError::Kind::kNotARequest);
  // openHAB: an undeclared attribute prefix (a namespace error, not a syntax
  // error) and Types with its own prefix: answered.
  auto oh = ParseProbe(*Trace("openhab-ipcamera--Probe.xml"));
  ASSERT_TRUE(oh.has_value()) << oh.error().message;
  EXPECT_EQ(oh->message_id, "uuid:b1bf6b3f-ab94-42f3-a225-c75e2f0b00c1");
  EXPECT_TRUE(Matches(*oh, Camera()));
}

TEST(ParseProbe, Soap11IsTolerated) {
  auto probe = ParseProbe(testing::ProbeXml(
      "uuid:1",
      "<d:Types "
      "xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">dn:NetworkVideoTransmitter</d:Types>",
      /*soap11=*/true));
  ASSERT_TRUE(probe.has_value()) << probe.error().message;
  EXPECT_EQ(probe->message_id, "uuid:1");
  EXPECT_TRUE(Matches(*probe, Camera()));
}

TEST(ParseProbe, WsAddressing2005IsTolerated) {
  const std::string xml =
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
      "xmlns:a=\"http://www.w3.org/2005/08/addressing\" "
      "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><s:Header>"
      "<a:MessageID>urn:uuid:abc</a:MessageID><a:ReplyTo><a:Address>soap.udp://10.0.0.1:3702"
      "</a:Address></a:ReplyTo></s:Header><s:Body><d:Probe/></s:Body></s:Envelope>";
  auto probe = ParseProbe(xml);
  ASSERT_TRUE(probe.has_value()) << probe.error().message;
  EXPECT_EQ(probe->message_id, "urn:uuid:abc");
  EXPECT_EQ(probe->reply_to, "soap.udp://10.0.0.1:3702");
}

TEST(ParseProbe, MatchByIsRead) {
  auto p = ParseProbe(testing::ProbeXml(
      "m",
      "<d:Scopes MatchBy=\" http://schemas.xmlsoap.org/ws/2005/04/discovery/strcmp0 \">"
      "a b</d:Scopes>"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->match_rule, MatchRule::kStrcmp0);
  EXPECT_EQ(p->scopes, (std::vector<std::string>{"a", "b"}));
  auto u = ParseProbe(testing::ProbeXml(
      "m",
      "<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/discovery/uuid\">x</d:Scopes>"));
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->match_rule, MatchRule::kUnsupported);
  EXPECT_EQ(u->match_by, "http://schemas.xmlsoap.org/ws/2005/04/discovery/uuid");
}

TEST(ParseResolve, ReadsEndpointReference) {
  auto r = ParseResolve(
      testing::ResolveXml("urn:uuid:r1", "urn:uuid:1419d68a-1dd2-11b2-a105-010203040506"));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->message_id, "urn:uuid:r1");
  EXPECT_TRUE(Matches(*r, Camera()));
  EXPECT_FALSE(ParseProbe(testing::ResolveXml("urn:uuid:r1", "x")).has_value());
}

void ExpectMalformed(const std::string& bytes) {
  auto r = ParseDiscoveryRequest(bytes);
  ASSERT_FALSE(r.has_value()) << bytes;
  EXPECT_EQ(r.error().kind, ParseError::Kind::kMalformed) << bytes;
}

TEST(ParseDiscoveryRequest, MalformedInputIsRejected) {
  ExpectMalformed("");
  ExpectMalformed("not xml at all");
  ExpectMalformed("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>");
  ExpectMalformed(std::string("<a>\0</a>", 8));
  ExpectMalformed(
      "<Probe xmlns=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"/>");  // no envelope
  ExpectMalformed(
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header/></s:Envelope>");
  // A Probe without MessageID cannot be answered.
  ExpectMalformed(
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>"
      "<d:Probe "
      "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"/></s:Body></s:Envelope>");
  ExpectMalformed(testing::ResolveXml("urn:uuid:r", ""));
  // Too deep.
  std::string nest;
  for (int i = 0; i < 40; ++i) nest += "<x:a xmlns:x=\"urn:x\">";
  for (int i = 0; i < 40; ++i) nest += "</x:a>";
  ExpectMalformed(testing::ProbeXml("m", nest));
  // Too big.
  ExpectMalformed(
      testing::ProbeXml("m", "<d:Scopes>" + std::string(kMaxRequestBytes, 'a') + "</d:Scopes>"));
}

TEST(ParseDiscoveryRequest, DtdIsRejected) {
  ExpectMalformed(
      "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x \"boom\">]>"
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
      "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
      "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><s:Header>"
      "<a:MessageID>&x;</a:MessageID></s:Header><s:Body><d:Probe/></s:Body></s:Envelope>");
  ExpectMalformed(
      "<!doctype lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>");
  ExpectMalformed(
      "<!DOCTYPE x SYSTEM \"http://example.com/x.dtd\"><s:Envelope "
      "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"/>");
}

TEST(ParseDiscoveryRequest, OtherMessagesAreNotRequests) {
  const std::string hello =
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
      "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
      "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><s:Header>"
      "<a:MessageID>urn:uuid:h</a:MessageID></s:Header><s:Body><d:Hello/></s:Body></s:Envelope>";
  auto r = ParseDiscoveryRequest(hello);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ParseError::Kind::kNotARequest);
}

}  // namespace
}  // namespace onvifgw::discovery

namespace onvifgw::discovery {
namespace {

// Mutated probes (flipped, dropped and duplicated bytes; fixed seed) never crash
// the parser, and whatever parses can be matched.
TEST(ParseDiscoveryRequest, SurvivesMutatedInput) {
  const std::string seed_probe = testing::ProbeXml(
      "urn:uuid:57f2b0be-1787-49f8-ab8b-4567327b23c6",
      "<d:Types xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">dn:NetworkVideoTransmitter"
      "</d:Types><d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc3986\">"
      "onvif://www.onvif.org/Profile/Streaming</d:Scopes>");
  std::mt19937 rng(12345);
  DiscoverableDevice device;
  device.endpoint_reference = "urn:uuid:1";
  device.scopes = {"onvif://www.onvif.org/Profile/Streaming"};
  int parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = seed_probe;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !bytes.empty(); ++e) {
      const std::size_t pos = rng() % bytes.size();
      switch (rng() % 3) {
        case 0:
          bytes[pos] = static_cast<char>(rng() & 0xFF);
          break;
        case 1:
          bytes.erase(pos, 1 + rng() % 8);
          break;
        default:
          bytes.insert(pos, bytes.substr(pos, 1 + rng() % 16));
          break;
      }
    }
    auto request = ParseDiscoveryRequest(bytes);
    if (!request) continue;
    ++parsed;
    if (const auto* probe = std::get_if<Probe>(&*request)) (void)Matches(*probe, device);
  }
  EXPECT_GT(parsed, 0);
}

}  // namespace
}  // namespace onvifgw::discovery
