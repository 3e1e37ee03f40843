// Geo location entries (Core §8.3.22–24) as a client sets, reads and deletes
// them: replaced whole by entity and token, the documented faults changing
// nothing, the capability, and persistence across a restart.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "services/device/geo_location_operations.h"
#include "soap_test_client.h"
#include "store/state_store.h"

namespace onvifgw::services {
namespace {

std::string Entry(const std::string& entity, const std::string& token, const std::string& inner,
                  const std::string& extra = "") {
  return "<tds:Location Entity=\"" + entity + "\" Token=\"" + token + "\"" + extra + ">" + inner +
         "</tds:Location>";
}
std::string Geo(const std::string& lat, const std::string& lon) {
  return "<tt:GeoLocation lat=\"" + lat + "\" lon=\"" + lon + "\" elevation=\"35\"/>";
}
std::string Set(const std::string& entries) {
  return "<tds:SetGeoLocation>" + entries + "</tds:SetGeoLocation>";
}

class GeoLocationTest : public ::testing::Test {
 protected:
  GeoLocationTest() : geo_("front", nullptr) {
    device_.config.id = "front";
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.geo_location = &geo_;
  }
  device::GeoLocationSettings geo_;
  VirtualDevice device_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(GeoLocationTest, EntriesAreSetReplacedReadAndDeleted) {
  EXPECT_EQ(soap_.Ok("<tds:GetGeoLocation/>").find("<tds:Location"), std::string::npos);
  soap_.Ok(Set(
      Entry("Device", "gate",
            Geo("48.8584", "2.2945") + "<tt:GeoOrientation roll=\"0\" pitch=\"-10\" yaw=\"90\"/>") +
      Entry("VideoSource", "VideoSource_0", "<tt:LocalLocation x=\"1\" y=\"2\" z=\"3\"/>")));
  std::string r = soap_.Ok("<tds:GetGeoLocation/>");
  EXPECT_NE(r.find("Entity=\"Device\" Token=\"gate\""), std::string::npos) << r;
  EXPECT_NE(r.find("lat=\"48.8584\""), std::string::npos) << r;
  EXPECT_NE(r.find("yaw=\"90\""), std::string::npos) << r;
  EXPECT_NE(r.find("Entity=\"VideoSource\""), std::string::npos) << r;
  // The same entity and token again: replaced whole (its orientation goes).
  soap_.Ok(Set(Entry("Device", "gate", Geo("45.5", "-73.6"))));
  r = soap_.Ok("<tds:GetGeoLocation/>");
  EXPECT_NE(r.find("lat=\"45.5\""), std::string::npos) << r;
  EXPECT_EQ(r.find("yaw="), std::string::npos) << r;
  EXPECT_EQ(geo_.Current().location_size(), 2);
  soap_.Ok("<tds:DeleteGeoLocation>" + Entry("VideoSource", "VideoSource_0", "") +
           "</tds:DeleteGeoLocation>");
  EXPECT_EQ(geo_.Current().location_size(), 1);
  const std::string caps = soap_.Ok("<tds:GetServiceCapabilities/>");
  EXPECT_NE(caps.find("GeoLocationEntries=\"16\""), std::string::npos) << caps;
}

TEST_F(GeoLocationTest, BadRequestsGiveTheDocumentedFaultsAndChangeNothing) {
  soap_.Ok(Set(Entry("Device", "gate", Geo("48.8584", "2.2945"))));
  const std::string before = soap_.Ok("<tds:GetGeoLocation/>");
  std::string seventeen;
  for (int i = 0; i < 17; ++i) seventeen += Entry("Device", "d" + std::to_string(i), "");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Set(Entry("Device", "gps", "", " AutoGeo=\"true\"")), "NoAutoGeo"},
      {Set(Entry("Device", "x", Geo("91", "0"))), "InvalidArgVal"},
      {Set(Entry("Device", "x", Geo("0", "-180.5"))), "InvalidArgVal"},
      {Set(seventeen), "TooManyEntries"},
      {"<tds:DeleteGeoLocation>" + Entry("Device", "absent", "") + "</tds:DeleteGeoLocation>",
       "NoConfig"},
      // All or nothing: the first exists, the second does not.
      {"<tds:DeleteGeoLocation>" + Entry("Device", "gate", "") + Entry("Device", "absent", "") +
           "</tds:DeleteGeoLocation>",
       "NoConfig"},
  };
  for (const auto& [body, fault] : cases) {
    EXPECT_EQ(soap_.FaultOf(body), fault) << body;
    EXPECT_EQ(soap_.Ok("<tds:GetGeoLocation/>"), before) << body;
  }
}

TEST_F(GeoLocationTest, WithoutSettingsTheFeatureIsAbsent) {
  device_.geo_location = nullptr;
  EXPECT_EQ(soap_.FaultOf("<tds:GetGeoLocation/>"), "ActionNotSupported");
  EXPECT_EQ(soap_.Ok("<tds:GetServiceCapabilities/>").find("GeoLocationEntries"),
            std::string::npos);
}

TEST(GeoLocationSettingsTest, EntriesSurviveARestart) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("onvifgw-geo-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value()) << store.error();
    device::GeoLocationSettings geo("front", store->get());
    ASSERT_TRUE(geo.Load().ok());
    ASSERT_TRUE(geo.Update([](onvif::tds::GetGeoLocationResponse& s) -> std::optional<soap::Fault> {
                     auto* e = s.add_location();
                     e->set_entity("Device");
                     e->mutable_geolocation()->set_lat(1.5);
                     return std::nullopt;
                   })
                    .ok());
  }
  auto store = store::StateStore::Open(dir.string());
  ASSERT_TRUE(store.has_value());
  device::GeoLocationSettings geo("front", store->get());
  ASSERT_TRUE(geo.Load().ok());
  ASSERT_EQ(geo.Current().location_size(), 1);
  EXPECT_EQ(geo.Current().location(0).geolocation().lat(), 1.5);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onvifgw::services
