#include "core/base64.h"

#include <gtest/gtest.h>

#include "security/date_time.h"

namespace onvifgw::security {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64, StrictDecodeRefusesDeviations) {
  for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zm9v=", "Zh==", "Zm-v",
                          "Zm_v", "====", "Zm=v"}) {
    EXPECT_FALSE(Base64Decode(bad)) << bad;
  }
}

TEST(Base64, UrlRoundTripWithoutPadding) {
  const std::string bytes("\xfb\xff\xfe\x00\x01", 5);
  const std::string enc = Base64UrlEncode(bytes);
  EXPECT_EQ(enc, "-__-AAE");
  EXPECT_EQ(*Base64UrlDecode(enc), bytes);
  EXPECT_FALSE(Base64UrlDecode("-__-AAE="));
  EXPECT_FALSE(Base64UrlDecode("+//+AAE"));
  EXPECT_FALSE(Base64UrlDecode("A"));
}

TEST(XsDateTime, ParsesZoneForms) {
  using namespace std::chrono;
  const auto base = sys_days{year{2010} / 9 / 16} + hours{7} + minutes{50} + seconds{45};
  EXPECT_EQ(*ParseXsDateTime("2010-09-16T07:50:45Z"), base);
  EXPECT_EQ(*ParseXsDateTime("2010-09-16T07:50:45"), base);
  EXPECT_EQ(*ParseXsDateTime("2010-09-16T09:50:45+02:00"), base);
  EXPECT_EQ(*ParseXsDateTime("2010-09-16T02:20:45-05:30"), base);
  EXPECT_EQ(*ParseXsDateTime("2010-09-16T07:50:45.624Z"), base + milliseconds{624});
  EXPECT_EQ(*ParseXsDateTime("2010-09-16T07:50:45.1234567Z"), base + microseconds{123456});
  EXPECT_TRUE(ParseXsDateTime("2024-02-29T00:00:00Z"));
  EXPECT_TRUE(ParseXsDateTime("1900-01-01T00:00:00+14:00"));
  EXPECT_TRUE(ParseXsDateTime("2200-12-31T23:59:59.999999-14:00"));
}

TEST(XsDateTime, RefusesJunk) {
  for (const char* bad :
       {"", "2010-09-16", "2010-09-16T07:50Z", "2010-13-16T07:50:45Z", "2023-02-29T00:00:00Z",
        "2010-09-16T24:00:00Z", "2010-09-16T07:60:45Z", "2010-09-16T07:50:60Z",
        "2010-09-16T07:50:45.Z", "2010-09-16T07:50:45+1:00", "2010-09-16T07:50:45+15:00",
        "2010-09-16T07:50:45ZZ", " 2010-09-16T07:50:45Z", "2010-09-16t07:50:45Z",
        "0000-01-01T00:00:00Z", "2010-09-16T07:50:45.1234567890123456789Z",
        // Outside system_clock's range (found by ws_security_fuzzer: UB overflow).
        "2448-11-05T09:54:40.624Z", "9999-12-31T23:59:59Z", "1899-12-31T23:59:59Z"}) {
    EXPECT_FALSE(ParseXsDateTime(bad)) << bad;
  }
}

}  // namespace
}  // namespace onvifgw::security
