// The Device service through the SOAP endpoint, without sockets: dispatch by
// body element, faults, addresses from the request, and every response
// validated against the official schemas.

#include "services/device/device_service.h"

#include <gtest/gtest.h>

#include "check_soap.h"
#include "served_registry.h"
#include "services/device/discovery_settings.h"
#include "services/soap_endpoint.h"
#include "soap_test_client.h"

namespace onvifgw::services {
namespace {

using onvifgw::testing::CheckSoap;

class DeviceServiceTest : public ::testing::Test {
 protected:
  DeviceServiceTest() : endpoint_(onvifgw::testing::ServedRegistry(), soap::XmlLimits{}) {
    device_.config.id = "front";
    device_.config.name = "Front door";
    device_.config.hardware = "SIM-1000";
    device_.config.camera = "cam-1";
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    discovery_ = std::make_unique<device::DiscoverySettings>(
        device_.config.id, FixedScopes(device_.config, "SIM-1000"), nullptr);
    device_.discovery = discovery_.get();
  }

  SoapReply Call(const std::string& body, const std::string& header = "") {
    const std::string xml =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "
        "xmlns:tt=\"http://www.onvif.org/ver10/schema\">" +
        (header.empty() ? "" : "<s:Header>" + header + "</s:Header>") + "<s:Body>" + body +
        "</s:Body></s:Envelope>";
    RequestContext ctx{
        device_,        "http", "192.0.2.10:8080", "192.0.2.10", "/onvif/device_service",
        authorization_, "POST", "192.0.2.99",      std::nullopt};
    SoapReply reply;
    bool called = false;
    endpoint_.Handle(xml, ctx, [&](SoapReply r) {
      reply = std::move(r);
      called = true;
    });
    EXPECT_TRUE(called);  // every operation used here completes synchronously
    return reply;
  }

  SoapEndpoint endpoint_;
  VirtualDevice device_;
  std::unique_ptr<device::DiscoverySettings> discovery_;
  std::string authorization_;
};

TEST_F(DeviceServiceTest, GetSystemDateAndTimeIsUtcAndValid) {
  SoapReply r = Call("<tds:GetSystemDateAndTime/>");
  EXPECT_EQ(r.http_status, 200);
  EXPECT_NE(r.body.find("<tt:UTCDateTime>"), std::string::npos);
  SKIP_WITHOUT_CHECK_SOAP();
  EXPECT_EQ(CheckSoap(r.body), "");
}

TEST_F(DeviceServiceTest, ReadOnlyOperationsValidate) {
  SKIP_WITHOUT_CHECK_SOAP();
  for (const char* body :
       {"<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>",
        "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>",
        "<tds:GetServiceCapabilities/>", "<tds:GetCapabilities/>",
        "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>",
        "<tds:GetCapabilities><tds:Category>Device</tds:Category></tds:GetCapabilities>",
        "<tds:GetWsdlUrl/>", "<tds:GetEndpointReference/>", "<tds:GetScopes/>",
        "<tds:GetHostname/>", "<tds:GetNetworkInterfaces/>", "<tds:GetDiscoveryMode/>"}) {
    SoapReply r = Call(body);
    EXPECT_EQ(r.http_status, 200) << body << "\n" << r.body;
    EXPECT_EQ(CheckSoap(r.body), "") << body << "\n" << r.body;
  }
}

TEST_F(DeviceServiceTest, AddressesComeFromTheRequest) {
  SoapReply r = Call("<tds:GetCapabilities/>");
  EXPECT_NE(r.body.find("<tt:XAddr>http://192.0.2.10:8080/onvif/device_service</tt:XAddr>"),
            std::string::npos)
      << r.body;
  r = Call(
      "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>");
  EXPECT_NE(r.body.find("<tds:XAddr>http://192.0.2.10:8080/onvif/device_service</tds:XAddr>"),
            std::string::npos);
  EXPECT_EQ(r.body.find("<tds:Capabilities>"), std::string::npos);  // not asked for
}

TEST_F(DeviceServiceTest, DiscoveryModeFollowsTheDiscoverySetting) {
  device_.discovery_enabled = true;
  EXPECT_NE(Call("<tds:GetDiscoveryMode/>").body.find("<tds:DiscoveryMode>Discoverable<"),
            std::string::npos);
  device_.discovery_enabled = false;
  EXPECT_NE(Call("<tds:GetDiscoveryMode/>").body.find("<tds:DiscoveryMode>NonDiscoverable<"),
            std::string::npos);
}

TEST_F(DeviceServiceTest, IdentityAndScopes) {
  SoapReply r = Call("<tds:GetEndpointReference/>");
  EXPECT_NE(r.body.find("urn:uuid:0a4f9f61-4c7e-4d8a-9d9e-2f1a3b4c5d6e"), std::string::npos);
  r = Call("<tds:GetNetworkInterfaces/>");
  EXPECT_NE(r.body.find("<tt:HwAddress>02:11:22:33:44:55</tt:HwAddress>"), std::string::npos);
  EXPECT_NE(r.body.find("<tt:Address>192.0.2.10</tt:Address>"), std::string::npos);
  r = Call("<tds:GetScopes/>");
  EXPECT_NE(r.body.find("onvif://www.onvif.org/name/Front%20door"), std::string::npos);
  EXPECT_NE(r.body.find("onvif://www.onvif.org/hardware/SIM-1000"), std::string::npos);
  EXPECT_NE(r.body.find("onvif://www.onvif.org/Profile/Streaming"), std::string::npos);
}

TEST_F(DeviceServiceTest, UnknownOperationIsActionNotSupported) {
  for (const char* body :
       {"<tds:GetUsers/>", "<tds:SetHostname><tds:Name>x</tds:Name></tds:SetHostname>",
        "<foo:Bar xmlns:foo=\"urn:foo\"/>"}) {
    SoapReply r = Call(body);
    EXPECT_EQ(r.http_status, 500) << body;
    EXPECT_NE(r.body.find("ter:ActionNotSupported"), std::string::npos) << r.body;
    if (onvifgw::testing::CheckSoapAvailable()) {
      EXPECT_EQ(CheckSoap(r.body), "");
    }
  }
}

TEST_F(DeviceServiceTest, UnsupportedCategoryIsNoSuchService) {
  SoapReply r =
      Call("<tds:GetCapabilities><tds:Category>Events</tds:Category></tds:GetCapabilities>");
  EXPECT_NE(r.body.find("ter:NoSuchService"), std::string::npos) << "no event hub: no Events";
  r = Call("<tds:GetCapabilities><tds:Category>Media</tds:Category></tds:GetCapabilities>");
  EXPECT_EQ(r.http_status, 500);
  EXPECT_NE(r.body.find("ter:NoSuchService"), std::string::npos) << r.body;
  r = Call("<tds:GetCapabilities><tds:Category>Toaster</tds:Category></tds:GetCapabilities>");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_NE(r.body.find("ter:InvalidArgVal"), std::string::npos) << r.body;
}

TEST_F(DeviceServiceTest, BadArgumentIsInvalidArgs) {
  SoapReply r = Call(
      "<tds:GetServices><tds:IncludeCapability>perhaps</tds:IncludeCapability></tds:GetServices>");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_NE(r.body.find("ter:InvalidArgs"), std::string::npos) << r.body;
}

TEST_F(DeviceServiceTest, DeviceInformationWithoutAdapterIsAFaultNotAHang) {
  SoapReply r = Call("<tds:GetDeviceInformation/>");
  EXPECT_EQ(r.http_status, 500);
  EXPECT_NE(r.body.find("ter:Action"), std::string::npos);
  SoapReply reboot = Call("<tds:SystemReboot/>");
  EXPECT_EQ(reboot.http_status, 500);
}

TEST_F(DeviceServiceTest, MessageIdBecomesRelatesTo) {
  SoapReply r = Call("<tds:GetHostname/>",
                     "<a:MessageID xmlns:a=\"http://www.w3.org/2005/08/addressing\">"
                     "urn:uuid:42</a:MessageID>");
  EXPECT_NE(r.body.find("<wsa:RelatesTo>urn:uuid:42</wsa:RelatesTo>"), std::string::npos);
  EXPECT_NE(r.body.find("http://www.onvif.org/ver10/device/wsdl/Device/GetHostnameResponse"),
            std::string::npos);
  if (onvifgw::testing::CheckSoapAvailable()) {
    EXPECT_EQ(CheckSoap(r.body), "");
  }
}

TEST_F(DeviceServiceTest, MalformedRequestIsAValidFault) {
  SoapReply r = Call("<tds:GetHostname>");
  EXPECT_EQ(r.http_status, 400);
  EXPECT_NE(r.body.find("ter:WellFormed"), std::string::npos);
  if (onvifgw::testing::CheckSoapAvailable()) {
    EXPECT_EQ(CheckSoap(r.body), "");
  }
}

}  // namespace
}  // namespace onvifgw::services

namespace onvifgw::services {
namespace {

TEST(AdvertisedAddress, HostsPortsAndIpv6) {
  EXPECT_EQ(ParseAdvertisedAddress("cam.example").Authority(8080), "cam.example:8080");
  EXPECT_EQ(ParseAdvertisedAddress("10.0.0.5:18080").Authority(8080), "10.0.0.5:18080");
  EXPECT_EQ(ParseAdvertisedAddress("10.0.0.5:18080").host, "10.0.0.5");
  EXPECT_EQ(ParseAdvertisedAddress("[fe80::1]:9000").Authority(8080), "[fe80::1]:9000");
  EXPECT_EQ(ParseAdvertisedAddress("[fe80::1]").host, "fe80::1");
  EXPECT_EQ(ParseAdvertisedAddress("fe80::1").Authority(80), "[fe80::1]:80");
  EXPECT_FALSE(ParseAdvertisedAddress("fe80::1").port.has_value());
}

}  // namespace
}  // namespace onvifgw::services
