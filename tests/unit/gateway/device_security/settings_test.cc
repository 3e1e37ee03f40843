// The small security settings: the IP address filter (stored form, the
// binary form of the first releases, what it admits), the authentication
// failure warning (the count over the period, once a period), the remote
// user (sealed, bound to the device) and the Digest algorithms.

#include <gtest/gtest.h>

#include "services/device_security/auth_failure_monitor.h"
#include "services/device_security/digest_algorithm_setting.h"
#include "services/device_security/ip_address_filter_setting.h"
#include "services/device_security/remote_user_setting.h"

namespace onvifgw::services {
namespace {

namespace tt = ::onvifgw::onvif::tt;
using std::chrono::seconds;

tt::IPAddressFilter Filter(tt::IPAddressFilterType type, const std::string& v4, int len) {
  tt::IPAddressFilter f;
  f.set_type(type);
  auto* a = f.add_ipv4address();
  a->set_address(v4);
  a->set_prefixlength(len);
  return f;
}

TEST(IpAddressFilterSetting, StoredReadBackAndApplied) {
  const IpAddressFilterSetting none;
  EXPECT_EQ(none.rules(), nullptr);  // no prefix: everyone
  EXPECT_TRUE(IpAddressFilterSetting::Admits(none.rules(), "203.0.113.9"));
  EXPECT_EQ(none.filter().type(), tt::IPAddressFilterType_Allow);

  const IpAddressFilterSetting allow(Filter(tt::IPAddressFilterType_Allow, "192.0.2.0", 24));
  auto back = IpAddressFilterSetting::Decode(allow.Encode());
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(back->filter().ipv4address(0).address(), "192.0.2.0");
  EXPECT_TRUE(IpAddressFilterSetting::Admits(back->rules(), "192.0.2.77"));
  EXPECT_FALSE(IpAddressFilterSetting::Admits(back->rules(), "198.51.100.1"));
  EXPECT_FALSE(IpAddressFilterSetting::Admits(back->rules(), "not an address"));

  const IpAddressFilterSetting deny(Filter(tt::IPAddressFilterType_Deny, "192.0.2.0", 24));
  EXPECT_FALSE(IpAddressFilterSetting::Admits(deny.rules(), "192.0.2.77"));
  EXPECT_TRUE(IpAddressFilterSetting::Admits(deny.rules(), "198.51.100.1"));

  EXPECT_TRUE(IpAddressFilterSetting::Decode(std::nullopt).has_value());
  EXPECT_FALSE(IpAddressFilterSetting::Decode(std::string("<Stored><Type>Sideways")).has_value());
}

TEST(IpAddressFilterSetting, TheFirstReleasesBinaryFormWithAStringTypeIsRead) {
  // Field 1 as a string "Deny", field 2 an IPv4 prefix {1: address, 2: length}.
  std::string prefix;
  prefix += '\x0a';
  prefix += static_cast<char>(9);
  prefix += "192.0.2.0";
  prefix += '\x10';
  prefix += static_cast<char>(24);
  std::string legacy;
  legacy += '\x0a';
  legacy += static_cast<char>(4);
  legacy += "Deny";
  legacy += '\x12';
  legacy += static_cast<char>(prefix.size());
  legacy += prefix;
  auto s = IpAddressFilterSetting::Decode(legacy);
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->filter().type(), tt::IPAddressFilterType_Deny);
  EXPECT_FALSE(IpAddressFilterSetting::Admits(s->rules(), "192.0.2.1"));
}

TEST(AuthFailureMonitor, WarnsOnceAPeriodAboveTheMaximum) {
  AuthFailureMonitor m;
  const auto t0 = std::chrono::system_clock::time_point(seconds(1'000'000));
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(m.Record(t0));  // disabled
  m.Reset();
  m.Configure({true, 10, 3});
  EXPECT_FALSE(m.Record(t0));
  EXPECT_FALSE(m.Record(t0 + seconds(1)));
  EXPECT_FALSE(m.Record(t0 + seconds(2)));
  EXPECT_TRUE(m.Record(t0 + seconds(3)));   // the fourth within 10 s
  EXPECT_FALSE(m.Record(t0 + seconds(4)));  // once a period
  // The early ones leave the window; later a new burst warns again.
  EXPECT_FALSE(m.Record(t0 + seconds(30)));
  EXPECT_FALSE(m.Record(t0 + seconds(31)));
  EXPECT_FALSE(m.Record(t0 + seconds(32)));
  EXPECT_TRUE(m.Record(t0 + seconds(33)));

  auto back = AuthFailureMonitor::Decode(AuthFailureMonitor::Encode({true, 120, 7}));
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(back->enabled);
  EXPECT_EQ(back->monitor_period_s, 120);
  EXPECT_EQ(back->max_failures, 7);
  EXPECT_EQ(AuthFailureMonitor::Decode(std::nullopt)->max_failures, 5);
}

TEST(RemoteUserSetting, SealedToTheDeviceAndEmptyForNone) {
  const auto box = std::move(security::SecretBox::FromKey(std::string(32, 'k'))).value();
  const DeviceSecrets front(box, "front");
  tt::RemoteUser user;
  user.set_username("upstream");
  user.set_password("Upstream-Passw0rd");
  user.set_usederivedpassword(true);
  auto sealed = RemoteUserSetting::Encode(user, front);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(sealed->find("Upstream-Passw0rd"), std::string::npos);
  auto back = RemoteUserSetting::Decode(*sealed, front);
  ASSERT_TRUE(back.has_value() && back->has_value());
  EXPECT_EQ((*back)->password(), "Upstream-Passw0rd");
  EXPECT_TRUE((*back)->usederivedpassword());
  EXPECT_FALSE(RemoteUserSetting::Decode(*sealed, DeviceSecrets(box, "back")).has_value());
  EXPECT_EQ(*RemoteUserSetting::Encode(std::nullopt, front), "");
  EXPECT_FALSE(RemoteUserSetting::Decode(std::string(), front)->has_value());
}

TEST(DigestAlgorithmSetting, NamesInOrderUnknownOnesSkipped) {
  using security::DigestAlgorithm;
  EXPECT_EQ(*DigestAlgorithmSetting::Decode(std::nullopt),
            (std::vector<DigestAlgorithm>{DigestAlgorithm::kMd5, DigestAlgorithm::kSha256}));
  const std::vector<DigestAlgorithm> sha_first = {DigestAlgorithm::kSha256, DigestAlgorithm::kMd5};
  EXPECT_EQ(DigestAlgorithmSetting::Encode(sha_first), "SHA-256 MD5");
  EXPECT_EQ(*DigestAlgorithmSetting::Decode(std::string("SHA-256 MD5")), sha_first);
  EXPECT_EQ(*DigestAlgorithmSetting::Decode(std::string("SHA-512-256 SHA-256")),
            (std::vector<DigestAlgorithm>{DigestAlgorithm::kSha256}));
  EXPECT_FALSE(DigestAlgorithmSetting::Decode(std::string("CRC32")).has_value());
}

}  // namespace
}  // namespace onvifgw::services
