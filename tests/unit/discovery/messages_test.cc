#include "discovery/messages.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <utility>

#include "discovery/message_id.h"
#include "discovery/request_parser.h"
#include "test_support.h"

namespace onvifgw::discovery {
namespace {

constexpr char kWsa[] = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
constexpr char kD[] = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
constexpr char kEnv[] = "http://www.w3.org/2003/05/soap-envelope";

EndpointDescription Endpoint() {
  return EndpointDescription{"urn:uuid:1419d68a-1dd2-11b2-a105-010203040506",
                             {"onvif://www.onvif.org/Profile/Streaming",
                              "onvif://www.onvif.org/name/Front door",  // space: encoded
                              "onvif://www.onvif.org/location/a&b<c>"},
                             {"http://192.0.2.7:8080/onvif/device_service"},
                             7};
}

ReplyAddressing Addressing() {
  return ReplyAddressing{"urn:uuid:00000000-0000-4000-8000-0000000000aa",
                         "urn:uuid:57f2b0be-1787-49f8-ab8b-4567327b23c6", ReplyToOrAnonymous("")};
}

TEST(NewMessageId, IsAFreshUuidUrn) {
  const std::string a = NewMessageId();
  const std::string b = NewMessageId();
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), 9u + 36u);
  EXPECT_EQ(a.substr(0, 9), "urn:uuid:");
  EXPECT_EQ(a[9 + 14], '4');                                          // version
  EXPECT_NE(std::string("89ab").find(a[9 + 19]), std::string::npos);  // variant
}

TEST(BuildProbeMatches, HeadersAndBody) {
  const std::string xml = BuildProbeMatches(Endpoint(), Addressing(), AppSequence{1700000000, 42});
  EXPECT_EQ(testing::BodyOperation(xml), "ProbeMatches");
  EXPECT_EQ(testing::ElementText(xml, kWsa, "MessageID"),
            "urn:uuid:00000000-0000-4000-8000-0000000000aa");
  EXPECT_EQ(testing::ElementText(xml, kWsa, "RelatesTo"),
            "urn:uuid:57f2b0be-1787-49f8-ab8b-4567327b23c6");
  EXPECT_EQ(testing::ElementText(xml, kWsa, "To"),
            "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous");
  EXPECT_EQ(testing::ElementText(xml, kWsa, "Action"),
            "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches");
  EXPECT_EQ(testing::ElementAttribute(xml, kD, "AppSequence", "InstanceId"), "1700000000");
  EXPECT_EQ(testing::ElementAttribute(xml, kD, "AppSequence", "MessageNumber"), "42");
  EXPECT_EQ(testing::ElementText(xml, kWsa, "Address"),
            "urn:uuid:1419d68a-1dd2-11b2-a105-010203040506");
  EXPECT_EQ(testing::ElementText(xml, kD, "Types"), "tds:Device dn:NetworkVideoTransmitter");
  EXPECT_EQ(testing::ElementText(xml, kD, "Scopes"),
            "onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/name/Front%20door "
            "onvif://www.onvif.org/location/a&b<c>");
  EXPECT_EQ(testing::ElementText(xml, kD, "XAddrs"), "http://192.0.2.7:8080/onvif/device_service");
  EXPECT_EQ(testing::ElementText(xml, kD, "MetadataVersion"), "7");
  // Both type prefixes are declared on the envelope.
  EXPECT_NE(xml.find("xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\""), std::string::npos);
  EXPECT_NE(xml.find("xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\""), std::string::npos);
  // Exactly one ProbeMatch.
  EXPECT_EQ(xml.find("<d:ProbeMatch>"), xml.rfind("<d:ProbeMatch>"));
}

TEST(BuildProbeMatches, ReplyToIsUsedAsTo) {
  ReplyAddressing a = Addressing();
  a.to = ReplyToOrAnonymous("soap.udp://10.0.0.1:3702");
  const std::string xml = BuildProbeMatches(Endpoint(), a, AppSequence{1, 1});
  EXPECT_EQ(testing::ElementText(xml, kWsa, "To"), "soap.udp://10.0.0.1:3702");
}

TEST(BuildHelloBye, MulticastAddressing) {
  const std::string hello = BuildHello(Endpoint(), NewMessageId(), AppSequence{5, 1});
  EXPECT_EQ(testing::BodyOperation(hello), "Hello");
  EXPECT_EQ(testing::ElementText(hello, kWsa, "To"),
            "urn:schemas-xmlsoap-org:ws:2005:04:discovery");
  EXPECT_EQ(testing::ElementText(hello, kWsa, "Action"),
            "http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello");
  EXPECT_FALSE(testing::ElementText(hello, kWsa, "RelatesTo").has_value());
  EXPECT_EQ(testing::ElementText(hello, kD, "XAddrs"),
            "http://192.0.2.7:8080/onvif/device_service");
  EXPECT_EQ(testing::ElementText(hello, kD, "MetadataVersion"), "7");

  const std::string bye =
      BuildBye(Endpoint().endpoint_reference, NewMessageId(), AppSequence{5, 2});
  EXPECT_EQ(testing::BodyOperation(bye), "Bye");
  EXPECT_EQ(testing::ElementText(bye, kWsa, "Action"),
            "http://schemas.xmlsoap.org/ws/2005/04/discovery/Bye");
  EXPECT_EQ(testing::ElementAttribute(bye, kD, "AppSequence", "MessageNumber"), "2");
  EXPECT_EQ(testing::ElementText(bye, kWsa, "Address"), Endpoint().endpoint_reference);
}

TEST(BuildFault, MatchingRuleNotSupported) {
  const std::string xml = BuildMatchingRuleNotSupportedFault(Addressing());
  EXPECT_EQ(testing::BodyOperation(xml), "Fault");
  EXPECT_EQ(testing::ElementText(xml, kWsa, "Action"),
            "http://schemas.xmlsoap.org/ws/2005/04/discovery/fault");
  EXPECT_EQ(testing::ElementText(xml, kWsa, "RelatesTo"), Addressing().relates_to);
  EXPECT_NE(xml.find("<env:Value>d:MatchingRuleNotSupported</env:Value>"), std::string::npos);
  EXPECT_NE(testing::ElementText(xml, kD, "SupportedMatchingRules")->find("rfc3986"),
            std::string::npos);
  EXPECT_TRUE(testing::ElementText(xml, kEnv, "Text").has_value());
}

TEST(BuildMessages, OurOwnMessagesAreNotRequests) {
  // The responder hears its own multicast Hello/Bye; they must be ignored, not answered.
  for (const std::string& xml : {BuildHello(Endpoint(), NewMessageId(), AppSequence{1, 1}),
                                 BuildBye("urn:uuid:x", NewMessageId(), AppSequence{1, 2})}) {
    auto r = ParseDiscoveryRequest(xml);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ParseError::Kind::kNotARequest);
  }
}

// Every message the responder can emit, validated by ../shared/onvif/check-soap.
TEST(BuildMessages, ValidateWithCheckSoap) {
  if (!testing::SharedOnvifPresent()) {
    GTEST_SKIP() << "check-soap not found at " ONVIFGW_CHECK_SOAP
                    " (the shared ONVIF bundle is absent); schema validation skipped";
  }
  EndpointDescription no_scopes = Endpoint();
  no_scopes.scopes.clear();
  EndpointDescription two_xaddrs = Endpoint();
  two_xaddrs.xaddrs.push_back("http://[2001:db8::1]:8080/onvif/device_service");
  ReplyAddressing odd = Addressing();
  odd.relates_to = "8fb5a344-41957941-547dd46f-fd3c5644-00491befcf99";  // Uniview-style id
  odd.to = "soap.udp://10.0.0.1:3702";
  const std::vector<std::pair<std::string, std::string>> messages{
      {"Hello", BuildHello(Endpoint(), NewMessageId(), AppSequence{4294967295u, 1})},
      {"Hello-no-scopes", BuildHello(no_scopes, NewMessageId(), AppSequence{1, 2})},
      {"Bye", BuildBye(Endpoint().endpoint_reference, NewMessageId(), AppSequence{1, 3})},
      {"ProbeMatches", BuildProbeMatches(Endpoint(), Addressing(), AppSequence{1, 4})},
      {"ProbeMatches-odd", BuildProbeMatches(two_xaddrs, odd, AppSequence{1, 5})},
      {"ResolveMatches", BuildResolveMatches(Endpoint(), Addressing(), AppSequence{1, 6})},
      {"Fault", BuildMatchingRuleNotSupportedFault(Addressing())},
  };
  const testing::CheckSoapResult check = testing::CheckSoap(messages);
  const std::string& output = check.output;
  EXPECT_EQ(check.exit_code, 0) << output;
  for (const auto& m : messages) {
    EXPECT_NE(output.find(m.first + ".xml: valid"), std::string::npos) << output;
  }
  std::printf("%s", output.c_str());
}

}  // namespace
}  // namespace onvifgw::discovery
