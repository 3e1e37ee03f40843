#include "security/access_policy.h"

#include <gtest/gtest.h>

namespace onvifgw::security {
namespace {

using C = AccessClass;
using L = UserLevel;

TEST(UserLevelNames, RoundTrip) {
  for (L l : {L::kAdministrator, L::kOperator, L::kUser, L::kAnonymous, L::kExtended}) {
    EXPECT_EQ(ParseUserLevel(UserLevelName(l)), l);
  }
  EXPECT_FALSE(ParseUserLevel("administrator"));
  EXPECT_FALSE(ParseUserLevel(""));
  EXPECT_EQ(ParseAccessClass("READ_SYSTEM_SECRET"), C::kReadSystemSecret);
  EXPECT_FALSE(ParseAccessClass("read_system"));
}

// FACTS §1.3, cell by cell.
TEST(AccessPolicy, DefaultMatchesCoreTable) {
  const AccessPolicy p = AccessPolicy::Default();
  const C classes[] = {C::kPreAuth,          C::kReadSystem,  C::kReadSystemSensitive,
                       C::kReadSystemSecret, C::kWriteSystem, C::kUnrecoverable,
                       C::kReadMedia,        C::kActuate};
  // Columns in the order of `classes`: PRE RS RSS RSX WS UN RM ACT.
  const bool admin[] = {1, 1, 1, 1, 1, 1, 1, 1};
  const bool oper[] = {1, 1, 1, 0, 0, 0, 1, 1};
  const bool user[] = {1, 1, 0, 0, 0, 0, 1, 0};
  const bool anon[] = {1, 0, 0, 0, 0, 0, 0, 0};
  const bool ext[] = {1, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(p.Allows(L::kAdministrator, classes[i]), admin[i]) << i;
    EXPECT_EQ(p.Allows(L::kOperator, classes[i]), oper[i]) << i;
    EXPECT_EQ(p.Allows(L::kUser, classes[i]), user[i]) << i;
    EXPECT_EQ(p.Allows(L::kAnonymous, classes[i]), anon[i]) << i;
    EXPECT_EQ(p.Allows(L::kExtended, classes[i]), ext[i]) << i;
  }
}

TEST(AccessPolicy, SerializeDefault) {
  EXPECT_EQ(AccessPolicy::Default().Serialize(),
            "onvif-access-policy 1\n"
            "Administrator: PRE_AUTH READ_SYSTEM READ_SYSTEM_SENSITIVE READ_SYSTEM_SECRET "
            "WRITE_SYSTEM UNRECOVERABLE READ_MEDIA ACTUATE\n"
            "Operator: PRE_AUTH READ_SYSTEM READ_SYSTEM_SENSITIVE READ_MEDIA ACTUATE\n"
            "User: PRE_AUTH READ_SYSTEM READ_MEDIA\n"
            "Anonymous: PRE_AUTH\n"
            "Extended: PRE_AUTH\n");
}

TEST(AccessPolicy, RoundTripOfCustomPolicy) {
  AccessPolicy p = AccessPolicy::Default();
  p.Set(L::kUser, C::kActuate, true);
  p.Set(L::kOperator, C::kReadSystemSensitive, false);
  p.Set(L::kExtended, C::kReadMedia, true);
  p.Set(L::kAnonymous, C::kPreAuth, false);  // no effect
  EXPECT_TRUE(p.Allows(L::kAnonymous, C::kPreAuth));
  auto back = AccessPolicy::Parse(p.Serialize());
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(*back, p);
  EXPECT_TRUE(back->Allows(L::kUser, C::kActuate));
}

TEST(AccessPolicy, ParseIsTolerantOfLayout) {
  auto p = AccessPolicy::Parse(
      "\xEF\xBB\xBFonvif-access-policy 1\r\n"
      "# custom\r\n"
      "\r\n"
      "  Administrator :\tPRE_AUTH  READ_SYSTEM READ_SYSTEM_SENSITIVE READ_SYSTEM_SECRET "
      "WRITE_SYSTEM UNRECOVERABLE READ_MEDIA ACTUATE\r\n"
      "User: READ_MEDIA\r\n"
      "Anonymous:");
  ASSERT_TRUE(p) << p.error();
  EXPECT_TRUE(p->Allows(L::kUser, C::kReadMedia));
  EXPECT_TRUE(p->Allows(L::kUser, C::kPreAuth));  // implied
  EXPECT_FALSE(p->Allows(L::kUser, C::kReadSystem));
  EXPECT_FALSE(p->Allows(L::kOperator, C::kReadSystem));  // unlisted level: nothing
  EXPECT_TRUE(p->Allows(L::kAnonymous, C::kPreAuth));
}

TEST(AccessPolicy, ParseErrorsNameTheLine) {
  const std::string admin =
      "Administrator: READ_SYSTEM READ_SYSTEM_SECRET WRITE_SYSTEM UNRECOVERABLE\n";
  const std::pair<std::string, std::string> cases[] = {
      {"", "line 1"},
      {"Administrator: WRITE_SYSTEM\n", "line 1"},
      {"onvif-access-policy 2\n" + admin, "line 1"},
      {"onvif-access-policy 1\n" + admin + "Guest: PRE_AUTH\n", "line 3: unknown user level"},
      {"onvif-access-policy 1\n" + admin + "User: READ_EVERYTHING\n",
       "line 3: unknown access class"},
      {"onvif-access-policy 1\n" + admin + "User: READ_MEDIA\nUser: ACTUATE\n",
       "line 4: user level 'User' listed twice"},
      {"onvif-access-policy 1\n" + admin + "User: READ_MEDIA READ_MEDIA\n", "line 3"},
      {"onvif-access-policy 1\n" + admin + "User READ_MEDIA\n", "line 3: expected"},
      {"onvif-access-policy 1\nOperator: WRITE_SYSTEM\n", "Administrator must keep WRITE_SYSTEM"},
      {"onvif-access-policy 1\n" + admin + "user: READ_MEDIA\n", "line 3"},
  };
  for (const auto& [text, expected] : cases) {
    auto p = AccessPolicy::Parse(text);
    ASSERT_FALSE(p) << text;
    EXPECT_NE(p.error().find(expected), std::string::npos) << p.error();
  }
  EXPECT_FALSE(AccessPolicy::Parse("onvif-access-policy 1\n" + admin + std::string(70000, '#')));
}

}  // namespace
}  // namespace onvifgw::security
