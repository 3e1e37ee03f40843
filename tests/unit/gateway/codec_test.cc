// The codec over the generated ONVIF types: order, required fields,
// attributes, names that are not identifiers, enumerations, lists, choices,
// open content (xs:any, xs:anyAttribute) and every decode check with the
// fault it maps to.

#include "soap/codec.h"

#include <gtest/gtest.h>

#include "onvif/generated/tds.pb.h"
#include "onvif/generated/tptz.pb.h"
#include "onvif/generated/trt.pb.h"
#include "onvif/generated/wsnt.pb.h"
#include "soap/namespaces.h"
#include "soap/xml_document.h"

namespace onvifgw::soap {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
namespace wsnt = ::onvifgw::onvif::wsnt;

constexpr const char* kTdsNs = "http://www.onvif.org/ver10/device/wsdl";
constexpr const char* kTtNs = "http://www.onvif.org/ver10/schema";

std::string Encode(const google::protobuf::Message& m, const std::string& name) {
  std::string out;
  XmlWriter w(out);
  EncodeElement(m, name, w);
  return out;
}

// Wraps an encoded fragment with the declarations the envelope would add.
std::string WithNamespaces(const std::string& fragment) {
  const auto gt = fragment.find('>');
  const bool self_closing = fragment[gt - 1] == '/';
  const std::size_t insert_at = self_closing ? gt - 1 : gt;
  return fragment.substr(0, insert_at) + " xmlns:tds=\"" + kTdsNs + "\" xmlns:tt=\"" + kTtNs +
         "\"" + fragment.substr(insert_at);
}

Status<DecodeError> DecodeInto(const std::string& xml, google::protobuf::Message* m) {
  auto doc = ParseXmlDocument(xml, XmlLimits{});
  EXPECT_TRUE(doc.has_value()) << (doc ? "" : doc.error().message);
  if (!doc) return MakeUnexpected(DecodeError{});
  return DecodeElement(xmlDocGetRootElement(doc->get()), m);
}

template <typename T>
T Decode(const std::string& xml) {
  T m;
  auto st = DecodeInto(xml, &m);
  EXPECT_TRUE(st.ok()) << (st ? "" : st.error().path + ": " + st.error().reason);
  return m;
}

template <typename T>
DecodeError DecodeFails(const std::string& xml) {
  T m;
  auto st = DecodeInto(xml, &m);
  EXPECT_FALSE(st.ok()) << xml;
  return st ? DecodeError{} : st.error();
}

TEST(Codec, WritesRequiredFieldsInSchemaOrder) {
  tds::GetDeviceInformationResponse r;
  r.set_manufacturer("Acme & Sons");
  r.set_model("M<1>");
  r.set_serialnumber("S1");
  // FirmwareVersion and HardwareId are required strings: written even empty.
  EXPECT_EQ(Encode(r, "GetDeviceInformationResponse"),
            "<tds:GetDeviceInformationResponse><tds:Manufacturer>Acme &amp; Sons</tds:Manufacturer>"
            "<tds:Model>M&lt;1&gt;</tds:Model><tds:FirmwareVersion/>"
            "<tds:SerialNumber>S1</tds:SerialNumber><tds:HardwareId/>"
            "</tds:GetDeviceInformationResponse>");
}

TEST(Codec, ChildElementsTakeTheNamespaceOfTheirDeclaringType) {
  tds::GetHostnameResponse r;
  r.mutable_hostnameinformation()->set_fromdhcp(true);
  EXPECT_EQ(Encode(r, "GetHostnameResponse"),
            "<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>true</tt:FromDHCP>"
            "</tds:HostnameInformation></tds:GetHostnameResponse>");
}

TEST(Codec, AnUnsetRequiredMessageIsWrittenWithItsRequiredContent) {
  tds::GetHostnameResponse r;  // HostnameInformation (required) not set
  EXPECT_EQ(Encode(r, "GetHostnameResponse"),
            "<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP>"
            "</tds:HostnameInformation></tds:GetHostnameResponse>");
}

TEST(Codec, AttributesListsAndNonIdentifierNames) {
  tds::GetServiceCapabilitiesResponse r;
  auto* sec = r.mutable_capabilities()->mutable_security();
  sec->set_tls1_2(true);
  sec->set_x_509token(false);
  sec->set_maxusers(8);
  sec->add_hashingalgorithms("MD5");
  sec->add_hashingalgorithms("SHA-256");
  const std::string xml = Encode(r, "GetServiceCapabilitiesResponse");
  EXPECT_NE(xml.find("<tds:Security TLS1.2=\"true\" X.509Token=\"false\" MaxUsers=\"8\" "
                     "HashingAlgorithms=\"MD5 SHA-256\"/>"),
            std::string::npos)
      << xml;
  auto back = Decode<tds::GetServiceCapabilitiesResponse>(WithNamespaces(xml));
  EXPECT_TRUE(back.capabilities().security().tls1_2());
  EXPECT_TRUE(back.capabilities().security().has_x_509token());
  EXPECT_FALSE(back.capabilities().security().x_509token());
  EXPECT_EQ(back.capabilities().security().maxusers(), 8);
  EXPECT_FALSE(back.capabilities().security().has_tls1_0());
  ASSERT_EQ(back.capabilities().security().hashingalgorithms_size(), 2);
  EXPECT_EQ(back.capabilities().security().hashingalgorithms(1), "SHA-256");
}

TEST(Codec, RoundTripOfNestedAndRepeatedFields) {
  tds::GetNetworkInterfacesResponse r;
  for (int i = 0; i < 2; ++i) {
    auto* n = r.add_networkinterfaces();
    n->set_token("eth" + std::to_string(i));
    n->set_enabled(i == 0);
    n->mutable_info()->set_hwaddress("02:00:00:00:00:0" + std::to_string(i));
    n->mutable_info()->set_mtu(1500);
    auto* m = n->mutable_ipv4()->mutable_config()->add_manual();
    m->set_address("10.0.0." + std::to_string(i + 1));
    m->set_prefixlength(24);
    n->mutable_ipv4()->set_enabled(true);
    n->mutable_ipv4()->mutable_config()->set_dhcp(false);
  }
  const std::string xml = Encode(r, "GetNetworkInterfacesResponse");
  auto back = Decode<tds::GetNetworkInterfacesResponse>(WithNamespaces(xml));
  EXPECT_EQ(back.SerializeAsString(), r.SerializeAsString());
}

TEST(Codec, EnumerationsUseTheSchemaSpelling) {
  tds::SetSystemDateAndTime r;
  r.set_datetimetype(tt::SetDateTimeType_NTP);
  r.set_daylightsavings(false);
  EXPECT_NE(Encode(r, "SetSystemDateAndTime").find("<tds:DateTimeType>NTP</tds:DateTimeType>"),
            std::string::npos);
  auto back = Decode<tds::GetCapabilities>(
      std::string("<GetCapabilities xmlns=\"") + kTdsNs +
      "\"><Category>Device</Category><Category>PTZ</Category></GetCapabilities>");
  ASSERT_EQ(back.category_size(), 2);
  EXPECT_EQ(back.category(1), tt::CapabilityCategory_PTZ);
  EXPECT_EQ(XmlValue(tt::StreamType_RTP_Unicast), "RTP-Unicast");
  EXPECT_EQ(FromXmlValue<tt::StreamType>("RTP-Multicast"), tt::StreamType_RTP_Multicast);
}

TEST(Codec, AnUnknownEnumerationValueIsInvalidArgValNamingTheElement) {
  auto e =
      DecodeFails<tds::GetCapabilities>(std::string("<GetCapabilities xmlns=\"") + kTdsNs +
                                        "\"><Category>Everything</Category></GetCapabilities>");
  EXPECT_EQ(e.kind, DecodeError::Kind::kInvalidArgVal);
  EXPECT_EQ(e.path, "GetCapabilities/Category");
  const Fault f = DecodeFault(e);
  EXPECT_EQ(f.code, FaultCode::kSender);
  EXPECT_EQ(f.subcodes, std::vector<std::string>{"InvalidArgVal"});
  EXPECT_NE(f.reason.find("GetCapabilities/Category"), std::string::npos);
}

TEST(Codec, PrefixesDoNotMatterNamespacesDo) {
  auto r = Decode<tds::GetServices>(std::string("<x:GetServices xmlns:x=\"") + kTdsNs +
                                    "\"><x:IncludeCapability> true </x:IncludeCapability>"
                                    "</x:GetServices>");
  EXPECT_TRUE(r.includecapability());
  auto e = DecodeFails<tds::GetServices>(
      std::string("<x:GetServices xmlns:x=\"") + kTdsNs +
      "\"><IncludeCapability xmlns=\"urn:whatever\">true</IncludeCapability></x:GetServices>");
  EXPECT_EQ(e.kind, DecodeError::Kind::kNamespace);
  EXPECT_EQ(e.path, "GetServices/IncludeCapability");
  EXPECT_EQ(DecodeFault(e).subcodes, std::vector<std::string>{"Namespace"});
}

TEST(Codec, AMissingRequiredElementIsInvalidArgs) {
  auto e = DecodeFails<tds::GetServices>(std::string("<GetServices xmlns=\"") + kTdsNs + "\"/>");
  EXPECT_EQ(e.kind, DecodeError::Kind::kInvalidArgs);
  EXPECT_EQ(e.path, "GetServices/IncludeCapability");
  EXPECT_EQ(DecodeFault(e).subcodes, std::vector<std::string>{"InvalidArgs"});
}

TEST(Codec, AMissingRequiredAttributeIsMissingAttr) {
  auto e = DecodeFails<tt::RelayOutput>(std::string("<RelayOutput xmlns=\"") + kTtNs +
                                        "\"><Properties><Mode>Bistable</Mode>"
                                        "<DelayTime>PT1S</DelayTime><IdleState>open</IdleState>"
                                        "</Properties></RelayOutput>");
  EXPECT_EQ(e.kind, DecodeError::Kind::kMissingAttr);
  EXPECT_EQ(e.path, "RelayOutput/@token");
}

TEST(Codec, UnknownChildrenOfAClosedTypeAreIgnored) {
  auto r = Decode<tds::GetServices>(std::string("<GetServices xmlns=\"") + kTdsNs +
                                    "\"><IncludeCapability>1</IncludeCapability>"
                                    "<NewerElement xmlns=\"urn:x\"/></GetServices>");
  EXPECT_TRUE(r.includecapability());
}

TEST(Codec, OpenContentSurvivesTheRoundTrip) {
  const std::string in = std::string("<tt:IPAddressFilter xmlns:tt=\"") + kTtNs +
                         "\" xmlns:v=\"urn:vendor\" v:flag=\"1\">"
                         "<tt:Type>Deny</tt:Type>"
                         "<tt:Extension><v:Fancy level=\"3\">v:yes</v:Fancy></tt:Extension>"
                         "</tt:IPAddressFilter>";
  auto r = Decode<tt::IPAddressFilter>(in);
  ASSERT_EQ(r.xml_any_attribute_size(), 1);
  EXPECT_EQ(r.xml_any_attribute(0).ns(), "urn:vendor");
  ASSERT_EQ(r.extension().xml_any_size(), 1);
  // The kept element declares the namespaces it uses, in its name or text.
  EXPECT_EQ(r.extension().xml_any(0),
            "<v:Fancy xmlns:v=\"urn:vendor\" level=\"3\">v:yes</v:Fancy>");
  const std::string out = Encode(r, "IPAddressFilter");
  EXPECT_NE(out.find("ns0:flag=\"1\""), std::string::npos) << out;
  auto again = Decode<tt::IPAddressFilter>(WithNamespaces(out));
  EXPECT_EQ(again.SerializeAsString(), r.SerializeAsString());
}

TEST(Codec, RangesLengthsAndLexicalFormsAreChecked) {
  const std::string head = std::string("<Dot11Configuration xmlns=\"") + kTtNs + "\">";
  const std::string security = "<Security><Mode>None</Mode></Security></Dot11Configuration>";
  auto ok = Decode<tt::Dot11Configuration>(head +
                                           "<SSID>6E6574</SSID><Mode>Ad-hoc</Mode><Alias>a</Alias>"
                                           "<Priority>31</Priority>" +
                                           security);
  EXPECT_EQ(ok.ssid(), "net");
  EXPECT_EQ(ok.priority(), 31);
  auto range = DecodeFails<tt::Dot11Configuration>(
      head + "<SSID>6E6574</SSID><Mode>Ad-hoc</Mode><Alias>a</Alias><Priority>32</Priority>" +
      security);
  EXPECT_EQ(range.kind, DecodeError::Kind::kInvalidArgVal);
  EXPECT_EQ(range.path, "Dot11Configuration/Priority");
  auto hex = DecodeFails<tt::Dot11Configuration>(
      head + "<SSID>6E657</SSID><Mode>Ad-hoc</Mode><Alias>a</Alias><Priority>1</Priority>" +
      security);
  EXPECT_EQ(hex.kind, DecodeError::Kind::kInvalidArgs);
  auto length = DecodeFails<tt::Dot11Configuration>(
      head + "<SSID>6E6574</SSID><Mode>Ad-hoc</Mode><Alias>" + std::string(65, 'a') +
      "</Alias><Priority>1</Priority>" + security);
  EXPECT_EQ(length.kind, DecodeError::Kind::kInvalidArgVal);
  EXPECT_EQ(length.path, "Dot11Configuration/Alias");
  auto bits = DecodeFails<tt::PrefixedIPv4Address>(
      std::string("<PrefixedIPv4Address xmlns=\"") + kTtNs +
      "\"><Address>1.2.3.4</Address><PrefixLength>99999999999</PrefixLength>"
      "</PrefixedIPv4Address>");
  EXPECT_EQ(bits.kind, DecodeError::Kind::kInvalidArgs);
  auto duration = DecodeFails<tt::RelayOutputSettings>(
      std::string("<RelayOutputSettings xmlns=\"") + kTtNs +
      "\"><Mode>Bistable</Mode><DelayTime>5 seconds</DelayTime><IdleState>open</IdleState>"
      "</RelayOutputSettings>");
  EXPECT_EQ(duration.path, "RelayOutputSettings/DelayTime");
}

TEST(Codec, Base64BinaryIsDecoded) {
  auto r = Decode<tt::BinaryData>(std::string("<BinaryData xmlns=\"") + kTtNs +
                                  "\"><Data>aGVs\n bG8=</Data></BinaryData>");
  EXPECT_EQ(r.data(), "hello");
  EXPECT_NE(Encode(r, "BinaryData").find("<tt:Data>aGVsbG8=</tt:Data>"), std::string::npos);
  DecodeFails<tt::BinaryData>(std::string("<BinaryData xmlns=\"") + kTtNs +
                              "\"><Data>not base64!</Data></BinaryData>");
}

TEST(Codec, OnlyOneElementOfAChoice) {
  const std::string head = std::string("<PTZPresetTourPresetDetail xmlns=\"") + kTtNs + "\">";
  auto r = Decode<tt::PTZPresetTourPresetDetail>(head + "<Home>true</Home>" +
                                                 "</PTZPresetTourPresetDetail>");
  EXPECT_TRUE(r.home());
  EXPECT_EQ(r.choice_case(), tt::PTZPresetTourPresetDetail::kHome);
  auto e = DecodeFails<tt::PTZPresetTourPresetDetail>(
      head + "<PresetToken>p1</PresetToken><Home>true</Home></PTZPresetTourPresetDetail>");
  EXPECT_EQ(e.path, "PTZPresetTourPresetDetail/Home");
}

TEST(Codec, MaxOccursIsChecked) {
  auto e = DecodeFails<tds::GetServices>(std::string("<GetServices xmlns=\"") + kTdsNs +
                                         "\"><IncludeCapability>1</IncludeCapability>"
                                         "<IncludeCapability>0</IncludeCapability></GetServices>");
  EXPECT_EQ(e.kind, DecodeError::Kind::kInvalidArgs);
}

TEST(Codec, XsiTypeMayNameTheTypeOrADerivedOne) {
  const std::string head =
      std::string("<VideoSourceConfiguration xmlns=\"") + kTtNs + "\" xmlns:tt=\"" + kTtNs +
      "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" token=\"v\" ";
  const std::string body =
      "><Name>n</Name><UseCount>1</UseCount><SourceToken>s</SourceToken>"
      "<Bounds x=\"0\" y=\"0\" width=\"1\" height=\"1\"/></VideoSourceConfiguration>";
  Decode<tt::VideoSourceConfiguration>(head + "xsi:type=\"tt:VideoSourceConfiguration\"" + body);
  auto e = DecodeFails<tt::VideoSourceConfiguration>(head + "xsi:type=\"tt:User\"" + body);
  EXPECT_EQ(e.path, "VideoSourceConfiguration/@xsi:type");
  // A base type's field given a derived type is accepted.
  Decode<tt::JpegOptions>(
      std::string("<JpegOptions xmlns=\"") + kTtNs + "\" xmlns:tt=\"" + kTtNs +
      "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"tt:JpegOptions2\">"
      "<ResolutionsAvailable><Width>1</Width><Height>1</Height></ResolutionsAvailable>"
      "<FrameRateRange><Min>1</Min><Max>2</Max></FrameRateRange>"
      "<EncodingIntervalRange><Min>1</Min><Max>2</Max></EncodingIntervalRange></JpegOptions>");
}

TEST(Codec, FragmentsDeclareTheirNamespaces) {
  tt::Message m;
  m.set_utctime("2026-01-01T00:00:00Z");
  m.mutable_data()->add_simpleitem()->set_name("State");
  const std::string f = EncodeFragment(m, "tt", "Message");
  EXPECT_EQ(f.rfind("<tt:Message xmlns:tt=\"http://www.onvif.org/ver10/schema\" UtcTime=", 0), 0u)
      << f;
  wsnt::TopicExpressionType t;
  auto kept = DecodeKept(
      "<wsnt:TopicExpression xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\" "
      "Dialect=\"d\">tns1:A/B</wsnt:TopicExpression>",
      ns::kWsnt, "TopicExpression", &t);
  ASSERT_TRUE(kept.has_value());
  EXPECT_TRUE(*kept);
  EXPECT_EQ(t.xml_text(), "tns1:A/B");
  auto other = DecodeKept("<x xmlns=\"urn:x\"/>", ns::kWsnt, "TopicExpression", &t);
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(*other);
}

TEST(Codec, ControlCharactersAreDroppedNotEmitted) {
  tds::SystemRebootResponse r;
  r.set_message(
      std::string("a\x01"
                  "b\n",
                  4));
  EXPECT_EQ(Encode(r, "SystemRebootResponse"),
            "<tds:SystemRebootResponse><tds:Message>ab\n</tds:Message>"
            "</tds:SystemRebootResponse>");
}

}  // namespace
}  // namespace onvifgw::soap
