// Where the virtual device is reached (Core §8.2.10–13): SetNetworkProtocols
// and SetNetworkInterfaces really move its listener (checked with sockets on
// loopback), announce the move, keep it, and refuse what a virtual device
// cannot honour with the documented faults, changing nothing.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <thread>

#include "fake_rtsp_endpoint.h"
#include "http/rebindable_listener.h"
#include "loopback_socket.h"
#include "services/device/discovery_settings.h"
#include "services/device/network_settings.h"
#include "soap_test_client.h"

namespace onvifgw::services {
namespace {

using onvifgw::testing::Connects;

// A socket listening on a free loopback port (to occupy it), and the port.
struct BusyPort {
  BusyPort() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, 1), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~BusyPort() { ::close(fd); }
  int fd = -1;
  uint16_t port = 0;
};

uint16_t FreePort() {
  BusyPort p;
  return p.port;  // closed on return: free again (nobody else on loopback takes it this fast)
}

std::string Protocols(const std::string& http_enabled, int port, const std::string& extra = "") {
  return "<tds:SetNetworkProtocols><tds:NetworkProtocols><tt:Name>HTTP</tt:Name><tt:Enabled>" +
         http_enabled + "</tt:Enabled><tt:Port>" + std::to_string(port) +
         "</tt:Port></tds:NetworkProtocols>" + extra + "</tds:SetNetworkProtocols>";
}

std::string Interfaces(const std::string& token, const std::string& nic) {
  return "<tds:SetNetworkInterfaces><tds:InterfaceToken>" + token +
         "</tds:InterfaceToken><tds:NetworkInterface>" + nic +
         "</tds:NetworkInterface></tds:SetNetworkInterfaces>";
}

std::string Manual(const std::string& address, int prefix) {
  return "<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Manual><tt:Address>" + address +
         "</tt:Address><tt:PrefixLength>" + std::to_string(prefix) +
         "</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:IPv4>";
}

class InterfaceOperationsTest : public ::testing::Test {
 protected:
  InterfaceOperationsTest()
      : work_(io_.get_executor()),
        listener_(
            io_, http::Limits{}, [](const http::Request&, auto) {}, "front"),
        network_("front", nullptr),
        discovery_("front", {"onvif://www.onvif.org/name/Front"}, nullptr) {
    thread_ = std::thread([this] { io_.run(); });
    EXPECT_TRUE(listener_.Listen("0.0.0.0", 0).ok());
    device_.config.id = "front";
    device_.config.address = "0.0.0.0";
    device_.config.port = listener_.port();
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.network = &network_;
    device_.discovery = &discovery_;
    device_.listener = &listener_;
    device_.announce = [this](DiscoveryAnnouncement a) { announced_.push_back(a); };
  }
  ~InterfaceOperationsTest() override {
    listener_.Stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  http::RebindableListener listener_;
  device::NetworkSettings network_;
  device::DiscoverySettings discovery_;
  VirtualDevice device_;
  std::vector<DiscoveryAnnouncement> announced_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(InterfaceOperationsTest, SetNetworkProtocolsMovesTheListener) {
  const uint16_t before = listener_.port();
  const uint32_t version = discovery_.Snapshot().metadata_version;
  ASSERT_TRUE(Connects(before));
  const uint16_t next = FreePort();
  soap_.Ok(Protocols("true", next,
                     "<tds:NetworkProtocols><tt:Name>RTSP</tt:Name><tt:Enabled>false</tt:Enabled>"
                     "<tt:Port>554</tt:Port></tds:NetworkProtocols>"));
  EXPECT_EQ(listener_.port(), next);
  EXPECT_TRUE(Connects(next));
  EXPECT_FALSE(Connects(before));
  const std::string r = soap_.Ok("<tds:GetNetworkProtocols/>");
  EXPECT_NE(r.find("<tt:Port>" + std::to_string(next) + "</tt:Port>"), std::string::npos) << r;
  // Kept, and announced with a new MetadataVersion.
  EXPECT_EQ(network_.Current().http_port(), next);
  EXPECT_EQ(network_.BindingFor("0.0.0.0", device_.config.port).port, next);
  EXPECT_EQ(network_.BindingFor("0.0.0.0", 9999).port, 9999);  // the config changed since: it wins
  EXPECT_GT(discovery_.Snapshot().metadata_version, version);
  EXPECT_EQ(announced_, std::vector<DiscoveryAnnouncement>{DiscoveryAnnouncement::kHello});
  // The same port again changes nothing.
  soap_.Ok(Protocols("true", next));
  EXPECT_EQ(announced_.size(), 1u);
}

TEST_F(InterfaceOperationsTest, ProtocolFaultsChangeNothing) {
  const uint16_t port = listener_.port();
  BusyPort busy;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Protocols("true", busy.port), "PortAlreadyInUse"},
      {Protocols("false", FreePort()), "InvalidArgVal"},
      {Protocols("true", 0), "InvalidArgVal"},
      {Protocols("true", FreePort(),
                 "<tds:NetworkProtocols><tt:Name>HTTPS</tt:Name><tt:Enabled>true</tt:Enabled>"
                 "<tt:Port>443</tt:Port></tds:NetworkProtocols>"),
       "ServiceNotSupported"},
      {"<tds:SetNetworkProtocols><tds:NetworkProtocols><tt:Name>RTSP</tt:Name><tt:Enabled>true"
       "</tt:Enabled><tt:Port>554</tt:Port></tds:NetworkProtocols></tds:SetNetworkProtocols>",
       "ServiceNotSupported"},
  };
  for (const auto& [body, fault] : cases) {
    EXPECT_EQ(soap_.FaultOf(body), fault) << body;
    EXPECT_EQ(listener_.port(), port) << body;
    EXPECT_TRUE(Connects(port)) << body;
  }
  EXPECT_EQ(network_.Current().http_port(), 0u);
  EXPECT_TRUE(announced_.empty());
}

TEST_F(InterfaceOperationsTest, TheRelaysRtspPortIsReportedAndMoves) {
  onvifgw::testing::FakeRtspEndpoint relay(8554);
  device_.relay = &relay;
  device_.config.rtsp_port = 8554;
  const std::string r = soap_.Ok("<tds:GetNetworkProtocols/>");
  EXPECT_NE(r.find("<tt:Name>RTSP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>8554</tt:Port>"),
            std::string::npos)
      << r;
  const auto rtsp = [](const char* enabled, int port) {
    return std::string("<tds:NetworkProtocols><tt:Name>RTSP</tt:Name><tt:Enabled>") + enabled +
           "</tt:Enabled><tt:Port>" + std::to_string(port) + "</tt:Port></tds:NetworkProtocols>";
  };
  // What GetNetworkProtocols said, written back: accepted, nothing moves.
  const uint16_t port = listener_.port();
  soap_.Ok(Protocols("true", port, rtsp("true", 8554)));
  EXPECT_EQ(network_.Current().rtsp_port(), 0u);
  // Refused, and nothing moves: off, no port, the HTTP port, a busy port,
  // RTSP named twice.
  relay.in_use.insert(8600);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {Protocols("true", port, rtsp("false", 8554)), "InvalidArgVal"},
      {Protocols("true", port, rtsp("true", 0)), "InvalidArgVal"},
      {Protocols("true", port, rtsp("true", port)), "InvalidArgVal"},
      {Protocols("true", port, rtsp("true", 8600)), "PortAlreadyInUse"},
      {Protocols("true", port, rtsp("true", 8555) + rtsp("true", 8556)), "InvalidArgVal"},
  };
  for (const auto& [body, fault] : refused) {
    EXPECT_EQ(soap_.FaultOf(body), fault) << body;
    EXPECT_EQ(relay.port(), 8554) << body;
  }
  // Moved: served there, reported, kept for the next start (while the
  // config's rtsp_port stays what it was), and stream URIs follow.
  soap_.Ok(Protocols("true", port, rtsp("true", 8555)));
  EXPECT_EQ(relay.port(), 8555);
  EXPECT_NE(soap_.Ok("<tds:GetNetworkProtocols/>").find("<tt:Port>8555</tt:Port>"),
            std::string::npos);
  EXPECT_EQ(network_.Current().rtsp_port(), 8555u);
  EXPECT_EQ(network_.RtspPortFor(8554), 8555);
  EXPECT_EQ(network_.RtspPortFor(9554), 9554);  // the config changed since: it wins
  EXPECT_EQ(listener_.port(), port);
  EXPECT_TRUE(announced_.empty());  // the XAddrs did not change
}

TEST_F(InterfaceOperationsTest, AFailedHttpMovePutsTheRtspPortBack) {
  onvifgw::testing::FakeRtspEndpoint relay(8554);
  device_.relay = &relay;
  const uint16_t port = listener_.port();
  BusyPort busy;
  EXPECT_EQ(soap_.FaultOf(Protocols("true", busy.port,
                                    "<tds:NetworkProtocols><tt:Name>RTSP</tt:Name><tt:Enabled>true"
                                    "</tt:Enabled><tt:Port>8555</tt:Port></tds:NetworkProtocols>")),
            "PortAlreadyInUse");
  EXPECT_EQ(relay.port(), 8554);
  EXPECT_EQ(listener_.port(), port);
  EXPECT_EQ(network_.Current().rtsp_port(), 0u);
}

TEST_F(InterfaceOperationsTest,
       SetNetworkInterfacesBindsAnAddressOfTheApplianceAndKeepsLinkSettings) {
  const uint16_t port = listener_.port();
  const auto r = soap_.Call(Interfaces(
      "eth0",
      "<tt:Enabled>true</tt:Enabled><tt:Link><tt:AutoNegotiation>false</tt:AutoNegotiation>"
      "<tt:Speed>100</tt:Speed><tt:Duplex>Full</tt:Duplex></tt:Link><tt:MTU>1400</tt:MTU>" +
          Manual("127.0.0.1", 8)));
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_NE(r.body.find("<tds:RebootNeeded>false</tds:RebootNeeded>"), std::string::npos);
  EXPECT_EQ(listener_.address(), "127.0.0.1");  // moved off the wildcard, same port
  EXPECT_EQ(listener_.port(), port);
  EXPECT_TRUE(Connects(port));
  EXPECT_EQ(announced_.size(), 1u);
  const std::string got = soap_.Ok("<tds:GetNetworkInterfaces/>");
  for (const char* want :
       {"<tt:MTU>1400</tt:MTU>", "<tt:Address>127.0.0.1</tt:Address>",
        "<tt:PrefixLength>8</tt:PrefixLength>", "<tt:Speed>100</tt:Speed>",
        "<tt:Duplex>Full</tt:Duplex>", "<tt:InterfaceType>6</tt:InterfaceType>"}) {
    EXPECT_NE(got.find(want), std::string::npos) << want << "\n" << got;
  }
  EXPECT_EQ(network_.BindingFor("0.0.0.0", port).address, "127.0.0.1");
}

TEST_F(InterfaceOperationsTest, InterfaceFaultsChangeNothing) {
  const std::string before = soap_.Ok("<tds:GetNetworkInterfaces/>");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Interfaces("eth9", "<tt:MTU>1400</tt:MTU>"), "InvalidNetworkInterface"},
      {Interfaces("eth0", "<tt:MTU>20</tt:MTU>"), "InvalidMtuValue"},
      {Interfaces("eth0", "<tt:Enabled>false</tt:Enabled>"), "InvalidArgVal"},
      {Interfaces("eth0",
                  "<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:DHCP>true</tt:DHCP></tt:IPv4>"),
       "InvalidIPv4Address"},
      {Interfaces("eth0", Manual("192.0.2.77", 24)), "InvalidIPv4Address"},  // not the appliance's
      {Interfaces("eth0", "<tt:IPv6><tt:Enabled>true</tt:Enabled></tt:IPv6>"),
       "InvalidIPv6Address"},
      {Interfaces("eth0",
                  "<tt:Link><tt:AutoNegotiation>true</tt:AutoNegotiation><tt:Speed>0"
                  "</tt:Speed><tt:Duplex>Full</tt:Duplex></tt:Link>"),
       "InvalidInterfaceSpeed"},
  };
  for (const auto& [body, fault] : cases) {
    EXPECT_EQ(soap_.FaultOf(body), fault) << body;
    EXPECT_EQ(soap_.Ok("<tds:GetNetworkInterfaces/>"), before) << body;
  }
  EXPECT_EQ(listener_.address(), "0.0.0.0");
  EXPECT_TRUE(announced_.empty());
}

TEST_F(InterfaceOperationsTest, RefusedWhenTheConfigFixesTheNetworkAndAdvertisedOtherwise) {
  EXPECT_NE(soap_.Ok("<tds:GetServiceCapabilities/>").find("NetworkConfigNotSupported=\"false\""),
            std::string::npos);
  device_.config.network_config_stored = false;
  EXPECT_EQ(soap_.FaultOf(Protocols("true", FreePort())), "OperationProhibited");
  EXPECT_EQ(soap_.FaultOf(Interfaces("eth0", "<tt:MTU>1400</tt:MTU>")), "OperationProhibited");
  EXPECT_NE(soap_.Ok("<tds:GetServiceCapabilities/>").find("NetworkConfigNotSupported=\"true\""),
            std::string::npos);
}

}  // namespace
}  // namespace onvifgw::services
