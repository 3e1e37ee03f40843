// PasswordRules and PasswordHistoryRecords: the rules stored as the schema's
// XML and read back (also from the binary form of earlier releases), the
// lock, and the history of each user's passwords: recorded on a change,
// refused when reused, cut to its length, sealed to its user.

#include "services/device_security/password_rules.h"

#include <gtest/gtest.h>

#include <map>

#include "onvif/generated/tds.pb.h"
#include "services/device_security/password_history.h"

namespace onvifgw::services {
namespace {

using security::UserLevel;

TEST(PasswordRules, StoredAndReadBackAndLockedForGood) {
  PasswordRules rules;
  EXPECT_FALSE(rules.SetComplexity({8, 1, 1, 0, true, false}).has_value());
  EXPECT_FALSE(rules.SetHistory({true, 3}).has_value());
  auto back = PasswordRules::Decode(rules.EncodeComplexity(), rules.EncodeHistory());
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(back->complexity().min_len, 8);
  EXPECT_TRUE(back->complexity().block_username_occurrence);
  EXPECT_TRUE(back->history().enabled);
  EXPECT_EQ(back->history().length, 3);

  // Locked: neither part changes any more.
  EXPECT_FALSE(rules.SetComplexity({8, 1, 1, 0, true, true}).has_value());
  const auto locked = rules.SetComplexity({1, 0, 0, 0, false, false});
  ASSERT_TRUE(locked.has_value());
  EXPECT_EQ(locked->subcodes, (std::vector<std::string>{"OperationProhibited"}));
  EXPECT_TRUE(rules.SetHistory({false, 0}).has_value());
  EXPECT_TRUE(rules.history().enabled);

  // Nothing stored: the defaults; a damaged value: an error.
  auto defaults = PasswordRules::Decode(std::nullopt, std::nullopt);
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->complexity().min_len, 0);
  EXPECT_FALSE(defaults->history().enabled);
  EXPECT_FALSE(PasswordRules::Decode(std::string("<Stored><MinLen>x"), std::nullopt).has_value());
}

TEST(PasswordRules, TheBinaryFormOfEarlierReleasesIsRead) {
  onvif::tds::SetPasswordHistoryConfiguration h;
  h.set_enabled(true);
  h.set_length(5);
  auto rules = PasswordRules::Decode(std::nullopt, h.SerializeAsString());
  ASSERT_TRUE(rules.has_value());
  EXPECT_EQ(rules->history().length, 5);
}

class PasswordHistoryTest : public ::testing::Test {
 protected:
  PasswordHistoryRecords::Settings Change(const std::string& from, const std::string& to,
                                          const PasswordHistory& config,
                                          soap::Fault* refused = nullptr) {
    auto r = PasswordHistoryRecords::Record(
        {{"alice", from, UserLevel::kUser, false}}, {{"alice", to, UserLevel::kUser, false}},
        config,
        [this](const std::string& key) -> std::optional<std::string> {
          auto it = stored_.find(key);
          if (it == stored_.end()) return std::nullopt;
          return it->second;
        },
        secrets_);
    if (!r) {
      if (refused != nullptr) *refused = r.error();
      return {};
    }
    for (const auto& [k, v] : *r) stored_[k] = v;
    return *r;
  }
  std::vector<std::string> Kept() {
    auto plain = secrets_.Open("password_history/alice", stored_["password_history/alice"]);
    return plain ? PasswordHistoryRecords::DecodeList(*plain) : std::vector<std::string>{};
  }

  security::SecretBox box_ = std::move(security::SecretBox::FromKey(std::string(32, 'k'))).value();
  DeviceSecrets secrets_{box_, "front"};
  std::map<std::string, std::string> stored_;
};

TEST_F(PasswordHistoryTest, ChangesAreRecordedReusesRefusedAndTheListCut) {
  const PasswordHistory on{true, 2};
  EXPECT_TRUE(Change("p0", "p0", on).empty());  // unchanged: nothing to record
  auto s = Change("p0", "p1", on);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].first, "password_history/alice");
  EXPECT_EQ(s[0].second.find("p0"), std::string::npos);  // sealed
  EXPECT_EQ(Kept(), (std::vector<std::string>{"p0"}));
  Change("p1", "p2", on);
  Change("p2", "p3", on);
  EXPECT_EQ(Kept(), (std::vector<std::string>{"p2", "p1"}));  // cut to 2
  soap::Fault refused;
  EXPECT_TRUE(Change("p3", "p2", on, &refused).empty());
  EXPECT_EQ(refused.subcodes, (std::vector<std::string>{"OperationProhibited", "PasswordTooWeak"}));
  // p0 fell out of the list: usable again. Disabled: nothing recorded.
  EXPECT_EQ(Change("p3", "p0", on).size(), 1u);
  EXPECT_EQ(Kept(), (std::vector<std::string>{"p3", "p2"}));
  EXPECT_TRUE(Change("p0", "p9", PasswordHistory{false, 2}).empty());
  // A new user has no history to check.
  EXPECT_TRUE(PasswordHistoryRecords::Record(
                  {}, {{"bob", "b", UserLevel::kUser, false}}, on,
                  [](const std::string&) { return std::nullopt; }, secrets_)
                  ->empty());
}

TEST(PasswordHistoryRecords, TheListEncodingSurvivesAnyBytesAndStopsAtGarbage) {
  const std::vector<std::string> items = {"a:b", "", std::string("\0x", 2), "12:34"};
  EXPECT_EQ(PasswordHistoryRecords::DecodeList(PasswordHistoryRecords::EncodeList(items)), items);
  EXPECT_EQ(PasswordHistoryRecords::DecodeList("3:abc99:short"), (std::vector<std::string>{"abc"}));
  EXPECT_TRUE(PasswordHistoryRecords::DecodeList("x:abc").empty());
  EXPECT_TRUE(PasswordHistoryRecords::DecodeList("18446744073709551616:a").empty());
  EXPECT_TRUE(PasswordHistoryRecords::DecodeList("-1:a").empty());
}

}  // namespace
}  // namespace onvifgw::services
