#include "discovery/matching.h"

#include <gtest/gtest.h>

#include "discovery/request_parser.h"
#include "test_support.h"

namespace onvifgw::discovery {
namespace {

constexpr char kTds[] = "http://www.onvif.org/ver10/device/wsdl";
constexpr char kDn[] = "http://www.onvif.org/ver10/network/wsdl";

DiscoverableDevice Camera() {
  DiscoverableDevice d;
  d.endpoint_reference = "urn:uuid:1419d68a-1dd2-11b2-a105-010203040506";
  d.scopes = {"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/hardware/D1-566",
              "onvif://www.onvif.org/location/country/china", "onvif://www.onvif.org/name/ARV-453"};
  d.bind_address = "0.0.0.0";
  d.http_port = 8080;
  return d;
}

Probe ParsedProbe(std::string_view children) {
  auto p = ParseProbe(testing::ProbeXml("urn:uuid:00000000-0000-4000-8000-000000000001", children));
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
  return p ? *p : Probe{};
}

TEST(TypesMatch, EmptyMatchesEverything) {
  EXPECT_TRUE(TypesMatch({}));
  EXPECT_TRUE(Matches(ParsedProbe(""), Camera()));
  EXPECT_TRUE(Matches(ParsedProbe("<d:Types/>"), Camera()));
}

TEST(TypesMatch, DeviceAndNetworkVideoTransmitter) {
  EXPECT_TRUE(TypesMatch({{kTds, "Device"}}));
  EXPECT_TRUE(TypesMatch({{kDn, "NetworkVideoTransmitter"}}));
  EXPECT_TRUE(TypesMatch({{kDn, "NetworkVideoTransmitter"}, {kTds, "Device"}}));
}

TEST(TypesMatch, PrefixesAreIrrelevant) {
  EXPECT_TRUE(Matches(ParsedProbe("<d:Types xmlns:zz=\"http://www.onvif.org/ver10/device/wsdl\">"
                                  "zz:Device</d:Types>"),
                      Camera()));
  EXPECT_TRUE(Matches(ParsedProbe("<d:Types xmlns:dp0=\"http://www.onvif.org/ver10/network/wsdl\">"
                                  "dp0:NetworkVideoTransmitter</d:Types>"),
                      Camera()));
  // Both, odd prefixes, extra whitespace, declared on Probe.
  EXPECT_TRUE(Matches(ParsedProbe("<d:Types xmlns:q1=\"http://www.onvif.org/ver10/network/wsdl\" "
                                  "xmlns:q2=\"http://www.onvif.org/ver10/device/wsdl\">\n  "
                                  "q1:NetworkVideoTransmitter\t q2:Device  </d:Types>"),
                      Camera()));
  // A default namespace resolves an unprefixed type.
  EXPECT_TRUE(Matches(
      ParsedProbe("<d:Types xmlns=\"http://www.onvif.org/ver10/device/wsdl\">Device</d:Types>"),
      Camera()));
}

TEST(TypesMatch, PrefixBoundToOtherNamespaceDoesNotMatch) {
  // "dn" is the usual prefix, but bound here to another namespace.
  EXPECT_FALSE(Matches(ParsedProbe("<d:Types xmlns:dn=\"http://example.com/other\">"
                                   "dn:NetworkVideoTransmitter</d:Types>"),
                       Camera()));
}

TEST(TypesMatch, ForeignTypeDoesNotMatch) {
  EXPECT_FALSE(TypesMatch({{"http://www.onvif.org/ver10/network/wsdl", "NetworkVideoDisplay"}}));
  EXPECT_FALSE(
      TypesMatch({{"http://schemas.microsoft.com/windows/2006/08/wdp/print", "PrintDevice"}}));
  EXPECT_FALSE(Matches(
      ParsedProbe("<d:Types xmlns:wprt=\"http://schemas.microsoft.com/windows/2006/08/wdp/print\">"
                  "wprt:PrintDeviceType</d:Types>"),
      Camera()));
  // All listed types must be satisfied.
  EXPECT_FALSE(
      Matches(ParsedProbe("<d:Types xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\" "
                          "xmlns:x=\"urn:example\">dn:NetworkVideoTransmitter x:Device</d:Types>"),
              Camera()));
  // No namespace at all (no default namespace in scope): not tds:Device.
  EXPECT_FALSE(Matches(ParsedProbe("<d:Types>Device</d:Types>"), Camera()));
}

TEST(TypesMatch, UndeclaredWellKnownPrefixIsTolerated) {
  // Not namespace-well-formed, but seen in the wild: dn/tds keep their meaning.
  Probe p = ParsedProbe("<d:Types>dn:NetworkVideoTransmitter</d:Types>");
  ASSERT_EQ(p.types.size(), 1u);
  EXPECT_EQ(p.types[0].ns, kDn);
  EXPECT_TRUE(Matches(p, Camera()));
  EXPECT_FALSE(Matches(ParsedProbe("<d:Types>nope:NetworkVideoTransmitter</d:Types>"), Camera()));
}

TEST(ScopeMatches, SegmentPrefix) {
  const auto r = MatchRule::kRfc3986;
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org", "onvif://www.onvif.org/hardware/D1-566", r));
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/", "onvif://www.onvif.org/hardware/D1-566", r));
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/location/country/china",
                           "onvif://www.onvif.org/location/country/china", r));
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/location",
                           "onvif://www.onvif.org/location/country/china", r));
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/location/country/",
                           "onvif://www.onvif.org/location/country/china", r));
}

TEST(ScopeMatches, SegmentsAreNotStringPrefixes) {
  const auto r = MatchRule::kRfc3986;
  EXPECT_FALSE(ScopeMatches("onvif://www.onvif.org/hardware/D1",
                            "onvif://www.onvif.org/hardware/D1-566", r));
  EXPECT_FALSE(
      ScopeMatches("onvif://www.onvif.org/loc", "onvif://www.onvif.org/location/country", r));
  EXPECT_FALSE(ScopeMatches("onvif://www.onvif.org/location/country/china/beijing",
                            "onvif://www.onvif.org/location/country/china", r));
}

TEST(ScopeMatches, CaseRules) {
  const auto r = MatchRule::kRfc3986;
  // Scheme and authority are case-insensitive ...
  EXPECT_TRUE(
      ScopeMatches("ONVIF://WWW.ONVIF.ORG/name/ARV-453", "onvif://www.onvif.org/name/ARV-453", r));
  EXPECT_TRUE(ScopeMatches("Onvif://www.Onvif.org", "onvif://www.onvif.org/name/ARV-453", r));
  // ... path segments are not.
  EXPECT_FALSE(
      ScopeMatches("onvif://www.onvif.org/Name/ARV-453", "onvif://www.onvif.org/name/ARV-453", r));
  EXPECT_FALSE(
      ScopeMatches("onvif://www.onvif.org/name/arv-453", "onvif://www.onvif.org/name/ARV-453", r));
  // Another scheme or authority never matches.
  EXPECT_FALSE(ScopeMatches("http://www.onvif.org/name", "onvif://www.onvif.org/name/ARV-453", r));
  EXPECT_FALSE(ScopeMatches("onvif://www.onvif.com/name", "onvif://www.onvif.org/name/ARV-453", r));
}

TEST(ScopeMatches, EscapesDotSegmentsQuery) {
  const auto r = MatchRule::kRfc3986;
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/name/HIKVISION%20DS",
                           "onvif://www.onvif.org/name/HIKVISION%20DS", r));
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/%6Eame", "onvif://www.onvif.org/name/x", r));
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/a%2fb", "onvif://www.onvif.org/a%2Fb", r));
  EXPECT_FALSE(ScopeMatches("onvif://www.onvif.org/a%2Fb", "onvif://www.onvif.org/a/b", r));
  EXPECT_FALSE(ScopeMatches("onvif://www.onvif.org/name/../hardware",
                            "onvif://www.onvif.org/hardware/D1", r));
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/name?x=1", "onvif://www.onvif.org/name/ARV", r));
  // Not a URI: only an identical string matches.
  EXPECT_TRUE(ScopeMatches("just-text", "just-text", r));
  EXPECT_FALSE(ScopeMatches("just", "just-text", r));
}

TEST(ScopeMatches, Strcmp0AndUnsupported) {
  EXPECT_TRUE(ScopeMatches("onvif://www.onvif.org/name/ARV-453",
                           "onvif://www.onvif.org/name/ARV-453", MatchRule::kStrcmp0));
  EXPECT_FALSE(ScopeMatches("onvif://www.onvif.org/name", "onvif://www.onvif.org/name/ARV-453",
                            MatchRule::kStrcmp0));
  EXPECT_FALSE(ScopeMatches("ONVIF://www.onvif.org/name/ARV-453",
                            "onvif://www.onvif.org/name/ARV-453", MatchRule::kStrcmp0));
  EXPECT_FALSE(ScopeMatches("onvif://www.onvif.org/name/ARV-453",
                            "onvif://www.onvif.org/name/ARV-453", MatchRule::kUnsupported));
}

TEST(ScopesMatch, EveryProbeScopeNeedsADeviceScope) {
  const DiscoverableDevice d = Camera();
  const auto r = MatchRule::kRfc3986;
  EXPECT_TRUE(ScopesMatch({}, d.scopes, r));
  EXPECT_TRUE(ScopesMatch(
      {"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/location"}, d.scopes, r));
  EXPECT_FALSE(ScopesMatch(
      {"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/Profile/T"}, d.scopes, r));
  EXPECT_FALSE(ScopesMatch({}, d.scopes, MatchRule::kUnsupported));
}

TEST(Matches, ProbeScopesWithMatchBy) {
  const DiscoverableDevice d = Camera();
  EXPECT_TRUE(Matches(ParsedProbe("<d:Scopes>onvif://www.onvif.org/location</d:Scopes>"), d));
  EXPECT_TRUE(Matches(ParsedProbe("<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/"
                                  "discovery/rfc3986\">onvif://www.onvif.org/hardware</d:Scopes>"),
                      d));
  EXPECT_TRUE(Matches(ParsedProbe("<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/"
                                  "discovery/rfc2396\">onvif://www.onvif.org/hardware</d:Scopes>"),
                      d));
  EXPECT_FALSE(Matches(ParsedProbe("<d:Scopes>onvif://www.onvif.org/hardware/D1</d:Scopes>"), d));
  EXPECT_FALSE(Matches(ParsedProbe("<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/"
                                   "discovery/strcmp0\">onvif://www.onvif.org/hardware</d:Scopes>"),
                       d));
  EXPECT_TRUE(Matches(ParsedProbe("<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/"
                                  "discovery/strcmp0\">onvif://www.onvif.org/hardware/D1-566"
                                  "</d:Scopes>"),
                      d));
  Probe ldap = ParsedProbe(
      "<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/discovery/ldap\">"
      "ldap:///ou=x</d:Scopes>");
  EXPECT_EQ(ldap.match_rule, MatchRule::kUnsupported);
  EXPECT_FALSE(Matches(ldap, d));
}

TEST(Matches, Resolve) {
  const DiscoverableDevice d = Camera();
  EXPECT_TRUE(Matches(Resolve{"m", "", d.endpoint_reference}, d));
  EXPECT_TRUE(Matches(Resolve{"m", "", "URN:UUID:1419D68A-1DD2-11B2-A105-010203040506"}, d));
  EXPECT_FALSE(Matches(Resolve{"m", "", "urn:uuid:1419d68a-1dd2-11b2-a105-010203040507"}, d));
  EXPECT_FALSE(Matches(Resolve{"m", "", ""}, d));
}

}  // namespace
}  // namespace onvifgw::discovery
