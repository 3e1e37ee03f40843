// The device's date and time: POSIX time zones (IEEE 1003.1 §8.3) parsed and
// evaluated, civil time conversions, and Get/SetSystemDateAndTime as a client
// uses them (Manual and NTP, time zone, daylight saving, the documented
// faults changing nothing, the camera's clock following, persistence).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/clock.h"
#include "fake_camera_adapter.h"
#include "services/device/date_time_settings.h"
#include "services/device/network_settings.h"
#include "services/device/posix_time_zone.h"
#include "soap_test_client.h"
#include "store/state_store.h"

namespace onvifgw::services {
namespace {

using device::CivilTime;
using device::PosixTimeZone;

int64_t Epoch(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return device::EpochSecondsOf({y, mo, d, h, mi, s}).value();
}

int64_t OffsetAt(const char* tz, int64_t utc, bool dst = true) {
  auto zone = PosixTimeZone::Parse(tz);
  EXPECT_TRUE(zone.has_value()) << tz;
  return zone ? zone->LocalOffsetAt(utc, dst) : -1;
}

TEST(PosixTimeZoneTest, ValidZonesParseAndInvalidOnesDoNot) {
  for (const char* good :
       {"UTC0", "GMT0", "EST5", "CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0,M11.1.0", "EST5EDT",
        "<+0330>-3:30", "<-03>3", "IST-5:30", "NZST-12NZDT,M9.5.0,M4.1.0/3",
        "AEST-10AEDT,M10.1.0,M4.1.0/3", "XXX3YYY,J60/2,300/-1", "ABC+1:02:03DEF+0:30,0,365",
        "<+14>-14", "EST5EDT4,M3.2.0/02:00:00,M11.1.0/02:00:00", "WART4WARST,J1/0,J365/25"}) {
    EXPECT_TRUE(PosixTimeZone::Parse(good).has_value()) << good;
  }
  for (const char* bad :
       {"", "UTC", "0", "AB1", "CET", "CET-25", "CET-1CEST,M13.1.0,M10.5.0",
        "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0", "CET-1CEST,M3.5.0",
        "CET-1CEST,J0,J10", "CET-1CEST,366,1", "CET-1:60", "Europe/Paris", "CET-1 CEST", "<+03-3",
        "<+3>-3", "CET-1CEST,M3.5.0,M10.5.0/168", "CET-1CEST,M3.5.0,M10.5.0,"}) {
    EXPECT_FALSE(PosixTimeZone::Parse(bad).has_value()) << bad;
  }
  EXPECT_EQ(PosixTimeZone::Parse("CET-1CEST,M3.5.0,M10.5.0/3")->standard_part(), "CET-1");
  EXPECT_EQ(PosixTimeZone::Parse("<+0330>-3:30")->standard_part(), "<+0330>-3:30");
}

TEST(PosixTimeZoneTest, OffsetsFollowTheRules) {
  const char* paris = "CET-1CEST,M3.5.0,M10.5.0/3";
  // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
  EXPECT_EQ(OffsetAt(paris, Epoch(2026, 1, 15, 12)), 3600);
  EXPECT_EQ(OffsetAt(paris, Epoch(2026, 3, 29, 0, 59, 59)), 3600);
  EXPECT_EQ(OffsetAt(paris, Epoch(2026, 3, 29, 1)), 7200);
  EXPECT_EQ(OffsetAt(paris, Epoch(2026, 7, 1)), 7200);
  EXPECT_EQ(OffsetAt(paris, Epoch(2026, 10, 25, 0, 59, 59)), 7200);
  EXPECT_EQ(OffsetAt(paris, Epoch(2026, 10, 25, 1)), 3600);
  EXPECT_EQ(OffsetAt(paris, Epoch(2026, 7, 1), /*dst=*/false), 3600);
  // New York 2026: 8 March 07:00 UTC to 1 November 06:00 UTC.
  const char* ny = "EST5EDT,M3.2.0,M11.1.0";
  EXPECT_EQ(OffsetAt(ny, Epoch(2026, 3, 8, 6, 59, 59)), -5 * 3600);
  EXPECT_EQ(OffsetAt(ny, Epoch(2026, 3, 8, 7)), -4 * 3600);
  EXPECT_EQ(OffsetAt(ny, Epoch(2026, 11, 1, 5, 59, 59)), -4 * 3600);
  EXPECT_EQ(OffsetAt(ny, Epoch(2026, 11, 1, 6)), -5 * 3600);
  // Southern hemisphere: Sydney is on summer time in January.
  const char* sydney = "AEST-10AEDT,M10.1.0,M4.1.0/3";
  EXPECT_EQ(OffsetAt(sydney, Epoch(2026, 1, 10)), 11 * 3600);
  EXPECT_EQ(OffsetAt(sydney, Epoch(2026, 7, 10)), 10 * 3600);
  // Fixed and fractional zones.
  EXPECT_EQ(OffsetAt("UTC0", Epoch(2026, 7, 1)), 0);
  EXPECT_EQ(OffsetAt("<+0330>-3:30", Epoch(2026, 7, 1)), 3 * 3600 + 1800);
  EXPECT_EQ(OffsetAt("<-03>3", Epoch(2026, 7, 1)), -3 * 3600);
  // Julian rules: J60 is 1 March even in a leap year; a zero-based 59 is 29 February then.
  EXPECT_EQ(OffsetAt("AAA0BBB,J60/0,J300/0", Epoch(2028, 2, 29, 12)), 0);
  EXPECT_EQ(OffsetAt("AAA0BBB,J60/0,J300/0", Epoch(2028, 3, 1, 0, 0, 1)), 3600);
  EXPECT_EQ(OffsetAt("AAA0BBB,59/0,300/0", Epoch(2028, 2, 29, 0, 0, 1)), 3600);
}

TEST(CivilTimeTest, ConversionsRoundTripAndRefuseImpossibleDates) {
  EXPECT_EQ(Epoch(1970, 1, 1), 0);
  EXPECT_EQ(Epoch(2000, 3, 1), 951868800);
  EXPECT_EQ(Epoch(2026, 12, 5, 23, 45, 50), 1796514350);
  for (int64_t t : {int64_t{0}, int64_t{951782400}, int64_t{1796514350}, int64_t{4102444799}}) {
    const CivilTime c = device::CivilTimeOf(t);
    EXPECT_EQ(device::EpochSecondsOf(c), t);
  }
  for (CivilTime bad : {CivilTime{2026, 2, 29, 0, 0, 0}, CivilTime{2026, 13, 1, 0, 0, 0},
                        CivilTime{2026, 4, 31, 0, 0, 0}, CivilTime{2026, 1, 1, 24, 0, 0},
                        CivilTime{2026, 1, 1, 0, 60, 0}, CivilTime{2026, 1, 1, 0, 0, 60},
                        CivilTime{1969, 12, 31, 0, 0, 0}, CivilTime{2026, 0, 1, 0, 0, 0}}) {
    EXPECT_FALSE(device::EpochSecondsOf(bad).has_value()) << bad.year << "-" << bad.month;
  }
  EXPECT_TRUE(device::EpochSecondsOf({2028, 2, 29, 0, 0, 0}).has_value());
}

std::string SetManual(const std::string& tz, bool dst, const std::string& date,
                      const std::string& time) {
  auto field = [](const std::string& s, int i) { return std::to_string(std::stoi(s.substr(i))); };
  return "<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType>"
         "<tds:DaylightSavings>" +
         std::string(dst ? "true" : "false") + "</tds:DaylightSavings>" +
         (tz.empty() ? "" : "<tds:TimeZone><tt:TZ>" + tz + "</tt:TZ></tds:TimeZone>") +
         "<tds:UTCDateTime><tt:Time><tt:Hour>" + field(time, 0) + "</tt:Hour><tt:Minute>" +
         field(time, 3) + "</tt:Minute><tt:Second>" + field(time, 6) +
         "</tt:Second></tt:Time><tt:Date><tt:Year>" + field(date, 0) + "</tt:Year><tt:Month>" +
         field(date, 5) + "</tt:Month><tt:Day>" + field(date, 8) +
         "</tt:Day></tt:Date></tds:UTCDateTime></tds:SetSystemDateAndTime>";
}

// "YYYY-MM-DD hh:mm:ss" of the named tt:DateTime in a GetSystemDateAndTime answer.
std::string DateTimeIn(const std::string& body, const std::string& element) {
  const std::size_t at = body.find("<tt:" + element + ">");
  if (at == std::string::npos) return "";
  auto value = [&](const char* name) {
    const std::string open = std::string("<tt:") + name + ">";
    const std::size_t p = body.find(open, at) + open.size();
    return std::stoi(body.substr(p, body.find('<', p) - p));
  };
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d:%02d", value("Year"), value("Month"),
                value("Day"), value("Hour"), value("Minute"), value("Second"));
  return out;
}

class DateTimeOperationsTest : public ::testing::Test {
 protected:
  DateTimeOperationsTest()
      : adapter_("cam-1"), network_("front", nullptr), date_time_("front", nullptr, host_) {
    device_.config.id = "front";
    device_.config.camera = "cam-1";
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.adapter = &adapter_;
    device_.network = &network_;
    device_.date_time = &date_time_;
    device_.clock = &date_time_.clock();
  }

  std::string Get() { return soap_.Ok("<tds:GetSystemDateAndTime/>"); }

  // 2026-01-01T00:00:00Z
  ManualClock host_{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  onvifgw::testing::FakeCameraAdapter adapter_;
  device::NetworkSettings network_;
  device::DateTimeSettings date_time_;
  VirtualDevice device_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(DateTimeOperationsTest, ManualTimeZoneAndDaylightSavingAreSetAndReadBack) {
  adapter_.SetCapability([](auto& c) { c.set_set_system_time(true); });
  std::string r = Get();
  EXPECT_NE(r.find("<tt:DateTimeType>Manual</tt:DateTimeType>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:TZ>UTC0</tt:TZ>"), std::string::npos);
  EXPECT_EQ(DateTimeIn(r, "UTCDateTime"), "2026-01-01 00:00:00");
  EXPECT_EQ(DateTimeIn(r, "LocalDateTime"), "2026-01-01 00:00:00");

  soap_.Ok(SetManual("CET-1CEST,M3.5.0,M10.5.0/3", true, "2030-06-01", "12:00:00"));
  r = Get();
  EXPECT_NE(r.find("<tt:DaylightSavings>true</tt:DaylightSavings>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:TZ>CET-1CEST,M3.5.0,M10.5.0/3</tt:TZ>"), std::string::npos);
  EXPECT_EQ(DateTimeIn(r, "UTCDateTime"), "2030-06-01 12:00:00");
  EXPECT_EQ(DateTimeIn(r, "LocalDateTime"), "2030-06-01 14:00:00");  // CEST
  // The device's clock runs on from there at the host's rate.
  host_.Advance(std::chrono::seconds(90));
  EXPECT_EQ(DateTimeIn(Get(), "UTCDateTime"), "2030-06-01 12:01:30");
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::seconds>(device_.clock->Now().time_since_epoch())
          .count(),
      Epoch(2030, 6, 1, 12, 1, 30));

  // The camera's clock followed, with the zone.
  ASSERT_FALSE(adapter_.calls.empty());
  EXPECT_EQ(adapter_.calls.back(), "SetSystemTime cam-1 " + std::to_string(Epoch(2030, 6, 1, 12)) +
                                       " CET-1CEST,M3.5.0,M10.5.0/3");

  // Daylight saving off: standard time, and the camera gets the zone without it.
  soap_.Ok(SetManual("", false, "2030-06-01", "12:00:00"));
  r = Get();
  EXPECT_NE(r.find("<tt:TZ>CET-1CEST,M3.5.0,M10.5.0/3</tt:TZ>"), std::string::npos) << r;
  EXPECT_EQ(DateTimeIn(r, "LocalDateTime"), "2030-06-01 13:00:00");
  EXPECT_EQ(adapter_.calls.back(),
            "SetSystemTime cam-1 " + std::to_string(Epoch(2030, 6, 1, 12)) + " CET-1");
}

TEST_F(DateTimeOperationsTest, CameraWithoutAClockIsNotCalledAndAFailingOneIsOnlyLogged) {
  soap_.Ok(SetManual("UTC0", false, "2027-01-01", "00:00:00"));
  EXPECT_TRUE(adapter_.calls.empty());  // the fake camera has no set_system_time yet
  adapter_.SetCapability([](auto& c) { c.set_set_system_time(true); });
  adapter_.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
  soap_.Ok(SetManual("UTC0", false, "2027-01-01", "00:00:00"));
  EXPECT_EQ(adapter_.calls.size(), 1u);
  EXPECT_EQ(DateTimeIn(Get(), "UTCDateTime"), "2027-01-01 00:00:00");
}

TEST_F(DateTimeOperationsTest, BadRequestsGiveTheDocumentedFaultsAndChangeNothing) {
  soap_.Ok(SetManual("EST5EDT,M3.2.0,M11.1.0", true, "2030-01-01", "08:00:00"));
  const std::string before = Get();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {SetManual("Europe/Paris", true, "2030-01-01", "08:00:00"), "InvalidTimeZone"},
      {SetManual("CET-1CEST,M3.5.0", true, "2030-01-01", "08:00:00"), "InvalidTimeZone"},
      {SetManual("UTC0", false, "2030-02-30", "08:00:00"), "InvalidDateTime"},
      {SetManual("UTC0", false, "2030-01-01", "24:00:00"), "InvalidDateTime"},
      {"<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType>"
       "<tds:DaylightSavings>false</tds:DaylightSavings></tds:SetSystemDateAndTime>",
       "InvalidDateTime"},
      {"<tds:SetSystemDateAndTime><tds:DateTimeType>NTP</tds:DateTimeType>"
       "<tds:DaylightSavings>false</tds:DaylightSavings></tds:SetSystemDateAndTime>",
       "NtpServerUndefined"},
  };
  for (const auto& [body, fault] : cases) {
    EXPECT_EQ(soap_.FaultOf(body), fault) << body;
    EXPECT_EQ(Get(), before) << body;
  }
}

TEST_F(DateTimeOperationsTest, NtpFollowsTheHostClock) {
  soap_.Ok(SetManual("UTC0", false, "2030-01-01", "08:00:00"));
  EXPECT_EQ(DateTimeIn(Get(), "UTCDateTime"), "2030-01-01 08:00:00");
  soap_.Ok(
      "<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type>"
      "<tt:DNSname>pool.ntp.org</tt:DNSname></tds:NTPManual></tds:SetNTP>");
  soap_.Ok(
      "<tds:SetSystemDateAndTime><tds:DateTimeType>NTP</tds:DateTimeType>"
      "<tds:DaylightSavings>true</tds:DaylightSavings><tds:TimeZone><tt:TZ>"
      "CET-1CEST,M3.5.0,M10.5.0/3</tt:TZ></tds:TimeZone></tds:SetSystemDateAndTime>");
  const std::string r = Get();
  EXPECT_NE(r.find("<tt:DateTimeType>NTP</tt:DateTimeType>"), std::string::npos) << r;
  EXPECT_EQ(DateTimeIn(r, "UTCDateTime"), "2026-01-01 00:00:00");  // the host's
  EXPECT_EQ(DateTimeIn(r, "LocalDateTime"), "2026-01-01 01:00:00");
}

TEST(DateTimeSettingsTest, SettingsSurviveARestart) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("onvifgw-clock-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ManualClock host(std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600)));
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value()) << store.error();
    device::DateTimeSettings s("front", store->get(), host);
    ASSERT_TRUE(s.Load().ok());
    device::DateTimeSettings::Change c;
    c.daylight_savings = true;
    c.time_zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    c.utc = CivilTime{2030, 6, 1, 12, 0, 0};
    ASSERT_TRUE(s.Set(c).ok());
  }
  host.Advance(std::chrono::seconds(60));  // the gateway was down for a minute
  auto store = store::StateStore::Open(dir.string());
  ASSERT_TRUE(store.has_value());
  device::DateTimeSettings s("front", store->get(), host);
  ASSERT_TRUE(s.Load().ok());
  const auto v = s.Snapshot();
  EXPECT_EQ(v.time_zone, "CET-1CEST,M3.5.0,M10.5.0/3");
  EXPECT_TRUE(v.daylight_savings);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(v.utc.time_since_epoch()).count(),
            Epoch(2030, 6, 1, 12, 1, 0));
  EXPECT_EQ(v.local_offset, 7200);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onvifgw::services
