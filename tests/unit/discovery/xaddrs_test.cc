#include "discovery/xaddrs.h"

#include <gtest/gtest.h>

#include "discovery/local_address.h"

namespace onvifgw::discovery {
namespace {

DiscoverableDevice Device(std::string bind, std::string advertised) {
  DiscoverableDevice d;
  d.endpoint_reference = "urn:uuid:1";
  d.bind_address = std::move(bind);
  d.advertised_host = std::move(advertised);
  d.http_port = 8081;
  return d;
}

TEST(Xaddrs, DeviceServiceXAddr) {
  EXPECT_EQ(DeviceServiceXAddr("192.0.2.1", 80), "http://192.0.2.1:80/onvif/device_service");
  EXPECT_EQ(DeviceServiceXAddr("cam.example", 8080),
            "http://cam.example:8080/onvif/device_service");
  EXPECT_EQ(DeviceServiceXAddr("2001:db8::1", 8080),
            "http://[2001:db8::1]:8080/onvif/device_service");
  EXPECT_EQ(DeviceServiceXAddr("[2001:db8::1]", 8080),
            "http://[2001:db8::1]:8080/onvif/device_service");
}

TEST(Xaddrs, OnePerProtocolHttpsWhileItIsOn) {
  DiscoverableDevice d = Device("0.0.0.0", "");
  EXPECT_EQ(DeviceServiceXAddrs(d, "192.0.2.1"),
            std::vector<std::string>{"http://192.0.2.1:8081/onvif/device_service"});
  d.https_port = 8443;
  EXPECT_EQ(DeviceServiceXAddrs(d, "192.0.2.1"),
            (std::vector<std::string>{"http://192.0.2.1:8081/onvif/device_service",
                                      "https://192.0.2.1:8443/onvif/device_service"}));
}

TEST(Xaddrs, HostChoice) {
  EXPECT_EQ(ReplyHost(Device("0.0.0.0", ""), "10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(ReplyHost(Device("", ""), "10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(ReplyHost(Device("192.0.2.9", ""), "10.1.2.3"), "192.0.2.9");
  EXPECT_EQ(ReplyHost(Device("192.0.2.9", "nvr.example"), "10.1.2.3"), "nvr.example");
  EXPECT_EQ(AnnounceHost(Device("0.0.0.0", ""), "172.16.0.4"), "172.16.0.4");
  EXPECT_EQ(AnnounceHost(Device("0.0.0.0", "203.0.113.5"), "172.16.0.4"), "203.0.113.5");
  EXPECT_TRUE(IsUnspecifiedAddress("0.0.0.0"));
  EXPECT_TRUE(IsUnspecifiedAddress("::"));
  EXPECT_FALSE(IsUnspecifiedAddress("127.0.0.1"));
}

TEST(LocalAddress, LoopbackPeerIsReachedFromLoopback) {
  auto local = LocalAddressFor(boost::asio::ip::make_address("127.0.0.1"));
  ASSERT_TRUE(local.has_value());
  EXPECT_TRUE(local->is_loopback());
  EXPECT_FALSE(DefaultIpv4Host().empty());
}

}  // namespace
}  // namespace onvifgw::discovery
