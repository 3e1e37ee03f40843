// The declared-once codec: round trips, order, attributes, optional fields,
// names that are not identifiers, and decoding errors.

#include "soap/codec.h"

#include <gtest/gtest.h>

#include "onvif/device.pb.h"
#include "soap/xml_document.h"

namespace onvifgw::soap {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;

std::string Encode(const google::protobuf::Message& m) {
  std::string out;
  XmlWriter w(out);
  EncodeTopLevel(m, w);
  return out;
}

// Wraps an encoded fragment with the declarations the envelope would add.
std::string WithNamespaces(const std::string& fragment) {
  const auto gt = fragment.find('>');
  const bool self_closing = fragment[gt - 1] == '/';
  const std::size_t insert_at = self_closing ? gt - 1 : gt;
  return fragment.substr(0, insert_at) +
         " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\""
         " xmlns:tt=\"http://www.onvif.org/ver10/schema\"" +
         fragment.substr(insert_at);
}

template <typename T>
T Decode(const std::string& xml) {
  auto doc = ParseXmlDocument(xml, XmlLimits{});
  EXPECT_TRUE(doc.has_value()) << (doc ? "" : doc.error().message);
  T m;
  auto st = DecodeElement(xmlDocGetRootElement(doc->get()), &m);
  EXPECT_TRUE(st.ok());
  return m;
}

TEST(Codec, WritesRequiredFieldsInSchemaOrder) {
  tds::GetDeviceInformationResponse r;
  r.set_manufacturer("Acme & Sons");
  r.set_model("M<1>");
  r.set_serialnumber("S1");
  // FirmwareVersion and HardwareId are required strings: written even empty.
  EXPECT_EQ(Encode(r),
            "<tds:GetDeviceInformationResponse><tds:Manufacturer>Acme &amp; Sons</tds:Manufacturer>"
            "<tds:Model>M&lt;1&gt;</tds:Model><tds:FirmwareVersion/>"
            "<tds:SerialNumber>S1</tds:SerialNumber><tds:HardwareId/>"
            "</tds:GetDeviceInformationResponse>");
}

TEST(Codec, ChildElementsTakeTheNamespaceOfTheirDeclaringType) {
  tds::GetHostnameResponse r;
  r.mutable_hostnameinformation()->set_fromdhcp(true);
  EXPECT_EQ(Encode(r),
            "<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>true</tt:FromDHCP>"
            "</tds:HostnameInformation></tds:GetHostnameResponse>");
}

TEST(Codec, OptionalFieldsOnlyWhenSet) {
  tt::HostnameInformation h;
  h.set_fromdhcp(false);
  std::string out;
  XmlWriter w(out);
  EncodeElement(h, "H", w);
  EXPECT_EQ(out, "<tt:H><tt:FromDHCP>false</tt:FromDHCP></tt:H>");
  h.set_name("cam");
  out.clear();
  XmlWriter w2(out);
  EncodeElement(h, "H", w2);
  EXPECT_EQ(out, "<tt:H><tt:FromDHCP>false</tt:FromDHCP><tt:Name>cam</tt:Name></tt:H>");
}

TEST(Codec, AttributesAndNonIdentifierNames) {
  tds::GetServiceCapabilitiesResponse r;
  auto* sec = r.mutable_capabilities()->mutable_security();
  sec->set_tls1_2(true);
  sec->set_x509token(false);
  sec->set_maxusers(8);
  sec->set_hashingalgorithms("MD5 SHA-256");
  r.mutable_capabilities()->mutable_network();
  r.mutable_capabilities()->mutable_system();
  const std::string xml = Encode(r);
  EXPECT_NE(xml.find("<tds:Security TLS1.2=\"true\" X.509Token=\"false\" MaxUsers=\"8\" "
                     "HashingAlgorithms=\"MD5 SHA-256\"/>"),
            std::string::npos)
      << xml;
  // Round trip through the parser.
  auto back = Decode<tds::GetServiceCapabilitiesResponse>(WithNamespaces(xml));
  EXPECT_TRUE(back.capabilities().security().tls1_2());
  EXPECT_TRUE(back.capabilities().security().has_x509token());
  EXPECT_FALSE(back.capabilities().security().x509token());
  EXPECT_EQ(back.capabilities().security().maxusers(), 8);
  EXPECT_FALSE(back.capabilities().security().has_tls1_0());
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
  }
  const std::string xml = Encode(r);
  auto back = Decode<tds::GetNetworkInterfacesResponse>(WithNamespaces(xml));
  EXPECT_EQ(back.SerializeAsString(), r.SerializeAsString());
}

TEST(Codec, DecodingIsLenientAboutPrefixesAndUnknownElements) {
  auto r = Decode<tds::GetServices>(
      "<x:GetServices xmlns:x=\"http://www.onvif.org/ver10/device/wsdl\">"
      "<x:Extension><y/></x:Extension>"
      "<IncludeCapability xmlns=\"urn:whatever\"> true </IncludeCapability></x:GetServices>");
  EXPECT_TRUE(r.includecapability());
}

TEST(Codec, RepeatedScalarsDecodeInOrder) {
  auto r = Decode<tds::GetCapabilities>(
      "<GetCapabilities xmlns=\"http://www.onvif.org/ver10/device/wsdl\">"
      "<Category>Device</Category><Category>Media</Category></GetCapabilities>");
  ASSERT_EQ(r.category_size(), 2);
  EXPECT_EQ(r.category(0), "Device");
  EXPECT_EQ(r.category(1), "Media");
}

TEST(Codec, BadScalarIsAnErrorWithItsPath) {
  auto doc = ParseXmlDocument(
      "<GetServices xmlns=\"http://www.onvif.org/ver10/device/wsdl\">"
      "<IncludeCapability>maybe</IncludeCapability></GetServices>",
      XmlLimits{});
  ASSERT_TRUE(doc.has_value());
  tds::GetServices m;
  auto st = DecodeElement(xmlDocGetRootElement(doc->get()), &m);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().path, "GetServices/IncludeCapability");
}

TEST(Codec, BadIntegerIsRejected) {
  auto doc = ParseXmlDocument(
      "<PrefixedIPv4Address xmlns=\"http://www.onvif.org/ver10/schema\">"
      "<Address>1.2.3.4</Address><PrefixLength>24x</PrefixLength></PrefixedIPv4Address>",
      XmlLimits{});
  ASSERT_TRUE(doc.has_value());
  tt::PrefixedIPv4Address m;
  EXPECT_FALSE(DecodeElement(xmlDocGetRootElement(doc->get()), &m).ok());
}

TEST(Codec, ControlCharactersAreDroppedNotEmitted) {
  tds::SystemRebootResponse r;
  r.set_message(std::string("a\x01" "b\n", 4));
  EXPECT_EQ(Encode(r), "<tds:SystemRebootResponse><tds:Message>ab\n</tds:Message>"
                       "</tds:SystemRebootResponse>");
}

}  // namespace
}  // namespace onvifgw::soap
