// The virtual device's network operations (Core §8.2): host name, DNS, NTP,
// default gateway and protocols, as a client sets and reads them back; the
// documented faults for bad values, each changing nothing; the per-device
// `network_config: refuse` switch; the names checker and the host readers.
// Every response is validated with check-soap when it is present.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "services/device/network_names.h"
#include "services/device/network_settings.h"
#include "soap_test_client.h"

namespace onvifgw::services {
namespace {

using namespace std::string_literals;

class NetworkOperationsTest : public ::testing::Test {
 protected:
  NetworkOperationsTest() : network_("front", nullptr) {
    device_.config.id = "front";
    device_.config.camera = "cam-1";
    device_.config.port = 8080;
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.network = &network_;
  }

  SoapReply Call(const std::string& body) { return soap_.Call(body); }
  std::string Ok(const std::string& body) { return soap_.Ok(body); }
  std::string FaultOf(const std::string& body) { return soap_.FaultOf(body); }

  device::NetworkSettings network_;
  VirtualDevice device_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(NetworkOperationsTest, SettingsAreStoredAndReadBack) {
  EXPECT_NE(Ok("<tds:GetHostname/>").find("<tt:Name>front</tt:Name>"), std::string::npos);
  Ok("<tds:SetHostname><tds:Name>gate-cam.example.org</tds:Name></tds:SetHostname>");
  EXPECT_NE(Ok("<tds:GetHostname/>").find("<tt:Name>gate-cam.example.org</tt:Name>"),
            std::string::npos);

  Ok("<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP><tds:SearchDomain>example.org"
     "</tds:SearchDomain><tds:DNSManual><tt:Type>IPv4</tt:Type><tt:IPv4Address>192.0.2.53"
     "</tt:IPv4Address></tds:DNSManual><tds:DNSManual><tt:Type>IPv6</tt:Type><tt:IPv6Address>"
     "2001:db8::53</tt:IPv6Address></tds:DNSManual></tds:SetDNS>");
  std::string r = Ok("<tds:GetDNS/>");
  EXPECT_NE(r.find("<tt:SearchDomain>example.org</tt:SearchDomain>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:IPv4Address>192.0.2.53</tt:IPv4Address>"), std::string::npos);
  EXPECT_NE(r.find("<tt:IPv6Address>2001:db8::53</tt:IPv6Address>"), std::string::npos);

  Ok("<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type>"
     "<tt:DNSname>pool.ntp.org</tt:DNSname></tds:NTPManual><tds:NTPManual><tt:Type>IPv4"
     "</tt:Type><tt:IPv4Address>192.0.2.123</tt:IPv4Address></tds:NTPManual></tds:SetNTP>");
  r = Ok("<tds:GetNTP/>");
  EXPECT_NE(r.find("<tt:DNSname>pool.ntp.org</tt:DNSname>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:IPv4Address>192.0.2.123</tt:IPv4Address>"), std::string::npos);

  Ok("<tds:SetNetworkDefaultGateway><tds:IPv4Address>192.0.2.1</tds:IPv4Address>"
     "</tds:SetNetworkDefaultGateway>");
  r = Ok("<tds:GetNetworkDefaultGateway/>");
  EXPECT_NE(r.find("<tt:IPv4Address>192.0.2.1</tt:IPv4Address>"), std::string::npos) << r;

  r = Ok("<tds:GetNetworkProtocols/>");
  EXPECT_NE(r.find("<tt:Name>HTTP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>8080</tt:Port>"),
            std::string::npos)
      << r;
  // The capabilities say how many NTP servers are kept.
  r = Ok("<tds:GetServiceCapabilities/>");
  EXPECT_NE(r.find("NTP=\"4\""), std::string::npos) << r;
}

TEST_F(NetworkOperationsTest, BadValuesGiveTheDocumentedFaultsAndChangeNothing) {
  Ok("<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type>"
     "<tt:DNSname>ntp.example.org</tt:DNSname></tds:NTPManual></tds:SetNTP>");
  const std::string before = Ok("<tds:GetHostname/>") + Ok("<tds:GetDNS/>") + Ok("<tds:GetNTP/>") +
                             Ok("<tds:GetNetworkDefaultGateway/>");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<tds:SetHostname><tds:Name>-bad-</tds:Name></tds:SetHostname>", "InvalidHostname"},
      {"<tds:SetHostname><tds:Name>under_score</tds:Name></tds:SetHostname>", "InvalidHostname"},
      {"<tds:SetHostname><tds:Name>" + std::string(64, 'a') + "</tds:Name></tds:SetHostname>",
       "InvalidHostname"},
      {"<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP><tds:DNSManual><tt:Type>IPv4</tt:Type>"
       "<tt:IPv4Address>300.1.1.1</tt:IPv4Address></tds:DNSManual></tds:SetDNS>",
       "InvalidIPv4Address"},
      {"<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP><tds:DNSManual><tt:Type>IPv6</tt:Type>"
       "<tt:IPv6Address>2001:db8::zz</tt:IPv6Address></tds:DNSManual></tds:SetDNS>",
       "InvalidIPv6Address"},
      {"<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type>"
       "<tt:DNSname>not a name</tt:DNSname></tds:NTPManual></tds:SetNTP>",
       "InvalidDnsName"},
      {"<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>IPv4</tt:Type>"
       "<tt:IPv4Address>1.2.3</tt:IPv4Address></tds:NTPManual></tds:SetNTP>",
       "InvalidIPv4Address"},
      {"<tds:SetNetworkDefaultGateway><tds:IPv4Address>192.0.2.256</tds:IPv4Address>"
       "</tds:SetNetworkDefaultGateway>",
       "InvalidGatewayAddress"},
  };
  for (const auto& [body, fault] : cases) EXPECT_EQ(FaultOf(body), fault) << body;
  // Too many servers: refused too.
  std::string five = "<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP>";
  for (int i = 1; i <= 5; ++i) {
    five += "<tds:NTPManual><tt:Type>IPv4</tt:Type><tt:IPv4Address>192.0.2." + std::to_string(i) +
            "</tt:IPv4Address></tds:NTPManual>";
  }
  EXPECT_EQ(FaultOf(five + "</tds:SetNTP>"), "InvalidArgVal");
  EXPECT_EQ(Ok("<tds:GetHostname/>") + Ok("<tds:GetDNS/>") + Ok("<tds:GetNTP/>") +
                Ok("<tds:GetNetworkDefaultGateway/>"),
            before);
}

TEST_F(NetworkOperationsTest, HostnameFromDhcpDynamicDnsAndZeroConfigurationAreKept) {
  Ok("<tds:SetHostname><tds:Name>gate-cam</tds:Name></tds:SetHostname>");
  std::string r =
      Ok("<tds:SetHostnameFromDHCP><tds:FromDHCP>true</tds:FromDHCP>"
         "</tds:SetHostnameFromDHCP>");
  EXPECT_NE(r.find("<tds:RebootNeeded>false</tds:RebootNeeded>"), std::string::npos) << r;
  // No DHCP client: the static name stays in use, the flag is kept.
  r = Ok("<tds:GetHostname/>");
  EXPECT_NE(r.find("<tt:FromDHCP>true</tt:FromDHCP><tt:Name>gate-cam</tt:Name>"), std::string::npos)
      << r;
  // A name set again turns DHCP off; an empty one asks for DHCP (Core §8.2.2).
  Ok("<tds:SetHostname><tds:Name>gate-2</tds:Name></tds:SetHostname>");
  EXPECT_NE(Ok("<tds:GetHostname/>").find("<tt:FromDHCP>false</tt:FromDHCP>"), std::string::npos);
  Ok("<tds:SetHostname><tds:Name></tds:Name></tds:SetHostname>");
  r = Ok("<tds:GetHostname/>");
  EXPECT_NE(r.find("<tt:FromDHCP>true</tt:FromDHCP><tt:Name>gate-2</tt:Name>"), std::string::npos)
      << r;

  EXPECT_NE(Ok("<tds:GetDynamicDNS/>").find("<tt:Type>NoUpdate</tt:Type>"), std::string::npos);
  Ok("<tds:SetDynamicDNS><tds:Type>ClientUpdates</tds:Type><tds:Name>cam.example.org</tds:Name>"
     "<tds:TTL>PT10M</tds:TTL></tds:SetDynamicDNS>");
  r = Ok("<tds:GetDynamicDNS/>");
  EXPECT_NE(r.find("<tt:Type>ClientUpdates</tt:Type><tt:Name>cam.example.org</tt:Name>"
                   "<tt:TTL>PT600S</tt:TTL>"),
            std::string::npos)
      << r;
  Ok("<tds:SetDynamicDNS><tds:Type>ServerUpdates</tds:Type></tds:SetDynamicDNS>");
  r = Ok("<tds:GetDynamicDNS/>");
  EXPECT_NE(r.find("<tt:Type>ServerUpdates</tt:Type></tds:DynamicDNSInformation>"),
            std::string::npos)
      << r;

  r = Ok("<tds:GetZeroConfiguration/>");
  EXPECT_NE(r.find("<tt:InterfaceToken>eth0</tt:InterfaceToken><tt:Enabled>false</tt:Enabled>"),
            std::string::npos)
      << r;
  Ok("<tds:SetZeroConfiguration><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:Enabled>true"
     "</tds:Enabled></tds:SetZeroConfiguration>");
  EXPECT_NE(Ok("<tds:GetZeroConfiguration/>").find("<tt:Enabled>true</tt:Enabled>"),
            std::string::npos);
  EXPECT_TRUE(network_.Current().zero_configuration());

  r = Ok("<tds:GetServiceCapabilities/>");
  for (const char* cap :
       {"ZeroConfiguration=\"true\"", "DynDNS=\"true\"", "HostnameFromDHCP=\"true\""}) {
    EXPECT_NE(r.find(cap), std::string::npos) << cap << r;
  }

  const std::string before = Ok("<tds:GetDynamicDNS/>") + Ok("<tds:GetZeroConfiguration/>");
  EXPECT_EQ(FaultOf("<tds:SetZeroConfiguration><tds:InterfaceToken>wlan9</tds:InterfaceToken>"
                    "<tds:Enabled>false</tds:Enabled></tds:SetZeroConfiguration>"),
            "InvalidNetworkInterface");
  EXPECT_EQ(FaultOf("<tds:SetDynamicDNS><tds:Type>ClientUpdates</tds:Type><tds:Name>not a name"
                    "</tds:Name></tds:SetDynamicDNS>"),
            "InvalidArgVal");
  EXPECT_EQ(Ok("<tds:GetDynamicDNS/>") + Ok("<tds:GetZeroConfiguration/>"), before);
}

TEST_F(NetworkOperationsTest, ADeviceConfiguredToRefuseSaysOperationProhibited) {
  device_.config.network_config_stored = false;
  EXPECT_EQ(FaultOf("<tds:SetHostname><tds:Name>cam</tds:Name></tds:SetHostname>"),
            "OperationProhibited");
  EXPECT_EQ(FaultOf("<tds:SetNTP><tds:FromDHCP>true</tds:FromDHCP></tds:SetNTP>"),
            "OperationProhibited");
  EXPECT_NE(Ok("<tds:GetHostname/>").find("<tt:Name>front</tt:Name>"), std::string::npos);
  for (const char* set : {"<tds:SetHostnameFromDHCP><tds:FromDHCP>true</tds:FromDHCP>"
                          "</tds:SetHostnameFromDHCP>",
                          "<tds:SetDynamicDNS><tds:Type>NoUpdate</tds:Type></tds:SetDynamicDNS>",
                          "<tds:SetZeroConfiguration><tds:InterfaceToken>eth0</tds:InterfaceToken>"
                          "<tds:Enabled>true</tds:Enabled></tds:SetZeroConfiguration>"}) {
    EXPECT_EQ(FaultOf(set), "OperationProhibited") << set;
  }
  const std::string caps = Ok("<tds:GetServiceCapabilities/>");
  EXPECT_NE(caps.find("NTP=\"0\""), std::string::npos);
  EXPECT_NE(caps.find("DynDNS=\"false\""), std::string::npos);
  EXPECT_NE(caps.find("HostnameFromDHCP=\"false\""), std::string::npos);
}

TEST(NetworkNamesTest, HostNamesAndAddresses) {
  for (const char* good : {"cam", "cam-1", "a.b.c", "example.org.", "1cam", "x1.2"}) {
    EXPECT_TRUE(device::IsHostName(good)) << good;
  }
  for (const char* bad : {"", "-cam", "cam-", "a..b", "a_b", "1.2.3.4", ".", "a b"}) {
    EXPECT_FALSE(device::IsHostName(bad)) << bad;
  }
  EXPECT_FALSE(device::IsHostName(std::string(64, 'a')));
  EXPECT_TRUE(device::IsHostName(std::string(63, 'a')));
  EXPECT_TRUE(device::IsIpv4Address("192.0.2.1"));
  EXPECT_FALSE(device::IsIpv4Address("192.0.2"));
  EXPECT_TRUE(device::IsIpv6Address("::1"));
  EXPECT_FALSE(device::IsIpv6Address("[::1]"));
}

TEST(NetworkSettingsTest, HostResolverAndGatewaysAreRead) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("onvifgw-net-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "resolv.conf") << "# comment\nsearch a.example b.example\n"
                                        "nameserver 192.0.2.53\nnameserver 2001:db8::1\n";
  const auto r = device::ReadResolvConf((dir / "resolv.conf").string());
  EXPECT_EQ(r.servers, (std::vector<std::string>{"192.0.2.53", "2001:db8::1"}));
  EXPECT_EQ(r.search_domains, (std::vector<std::string>{"a.example", "b.example"}));
  // 0102A8C0 is 192.168.2.1 in the kernel's (little-endian) order.
  std::ofstream(dir / "route") << "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
                                  "eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\n"
                                  "eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\n";
  EXPECT_EQ(device::ReadDefaultGateways((dir / "route").string()),
            std::vector<std::string>{"192.168.2.1"});
  EXPECT_TRUE(device::ReadResolvConf((dir / "absent").string()).servers.empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onvifgw::services
