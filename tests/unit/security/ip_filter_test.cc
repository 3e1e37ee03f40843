#include "security/ip_filter.h"

#include <gtest/gtest.h>

namespace onvifgw::security {
namespace {

boost::asio::ip::address A(const char* s) { return boost::asio::ip::make_address(s); }

TEST(IpPrefixParse, Ipv4) {
  auto p = ParseIpv4Prefix("192.168.1.0", 24);
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->address, A("192.168.1.0"));
  EXPECT_EQ(p->prefix_length, 24);
  EXPECT_TRUE(ParseIpv4Prefix("0.0.0.0", 0));
  EXPECT_TRUE(ParseIpv4Prefix("255.255.255.255", 32));
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4",
        "+1.2.3.4", "1..3.4", "1.2.3.4/24", "0x1.2.3.4", "::1", "1234.1.1.1", "1.2.3.4\n"}) {
    EXPECT_FALSE(ParseIpv4Prefix(bad, 24)) << bad;
  }
  EXPECT_FALSE(ParseIpv4Prefix("1.2.3.4", -1));
  EXPECT_FALSE(ParseIpv4Prefix("1.2.3.4", 33));
}

TEST(IpPrefixParse, Ipv6) {
  auto p = ParseIpv6Prefix("2001:db8::", 32);
  ASSERT_TRUE(p) << p.error();
  EXPECT_TRUE(p->address.is_v6());
  EXPECT_TRUE(ParseIpv6Prefix("::", 0));
  EXPECT_TRUE(ParseIpv6Prefix("fe80::1", 128));
  for (const char* bad : {"", "1.2.3.4", "2001:db8::/32", "fe80::1%eth0", "2001:db8:::1",
                          "gggg::", " ::1", "::1 ", "1:2:3:4:5:6:7:8:9"}) {
    EXPECT_FALSE(ParseIpv6Prefix(bad, 64)) << bad;
  }
  EXPECT_FALSE(ParseIpv6Prefix("::1", 129));
  EXPECT_FALSE(ParseIpv6Prefix("::1", -1));
  // An IPv4-mapped prefix becomes an IPv4 prefix.
  auto mapped = ParseIpv6Prefix("::ffff:10.1.0.0", 112);
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(mapped->address.is_v4());
  EXPECT_EQ(mapped->prefix_length, 16);
}

TEST(IpFilter, AllowList) {
  IpFilter f(IpFilter::Type::kAllow,
             {*ParseIpv4Prefix("192.168.1.0", 24), *ParseIpv6Prefix("2001:db8::", 32)});
  EXPECT_TRUE(f.Permits(A("192.168.1.77")));
  EXPECT_FALSE(f.Permits(A("192.168.2.1")));
  EXPECT_TRUE(f.Permits(A("2001:db8:ffff::1")));
  EXPECT_FALSE(f.Permits(A("2001:db9::1")));
  // Dual-stack sockets report IPv4 clients as mapped IPv6.
  EXPECT_TRUE(f.Permits(A("::ffff:192.168.1.5")));
  EXPECT_FALSE(f.Permits(A("::ffff:10.0.0.1")));
}

TEST(IpFilter, DenyList) {
  IpFilter f(IpFilter::Type::kDeny,
             {*ParseIpv4Prefix("10.0.0.7", 32), *ParseIpv6Prefix("fe80::", 10)});
  EXPECT_FALSE(f.Permits(A("10.0.0.7")));
  EXPECT_FALSE(f.Permits(A("::ffff:10.0.0.7")));
  EXPECT_TRUE(f.Permits(A("10.0.0.8")));
  EXPECT_FALSE(f.Permits(A("fe80::1234")));
  EXPECT_FALSE(f.Permits(A("febf::1")));
  EXPECT_TRUE(f.Permits(A("fec0::1")));
}

TEST(IpFilter, EmptyListsPermitEveryone) {
  EXPECT_TRUE(IpFilter(IpFilter::Type::kAllow, {}).Permits(A("203.0.113.1")));
  EXPECT_TRUE(IpFilter(IpFilter::Type::kDeny, {}).Permits(A("203.0.113.1")));
}

TEST(IpFilter, HostBitsIgnoredAndPrefixEdges) {
  IpFilter f(IpFilter::Type::kAllow, {*ParseIpv4Prefix("172.16.5.9", 12)});
  EXPECT_TRUE(f.Permits(A("172.31.255.255")));
  EXPECT_FALSE(f.Permits(A("172.32.0.0")));
  IpFilter any(IpFilter::Type::kAllow, {*ParseIpv4Prefix("0.0.0.0", 0)});
  EXPECT_TRUE(any.Permits(A("8.8.8.8")));
  EXPECT_FALSE(any.Permits(A("::1")));  // an IPv4 prefix never matches IPv6
  IpFilter odd(IpFilter::Type::kAllow, {*ParseIpv6Prefix("2001:db8:80::", 41)});
  EXPECT_TRUE(odd.Permits(A("2001:db8:80::1")));
  EXPECT_TRUE(odd.Permits(A("2001:db8:ff::1")));
  EXPECT_FALSE(odd.Permits(A("2001:db8:7f::1")));
}

}  // namespace
}  // namespace onvifgw::security
