// The device's scopes and discovery mode (Core §8.3.14–19) as a client sets
// and reads them: fixed and configurable scopes, the documented faults (each
// changing nothing), the Hello/Bye each change asks for, the MetadataVersion,
// and persistence across a restart.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "services/device/discovery_settings.h"
#include "soap_test_client.h"
#include "store/state_store.h"

namespace onvifgw::services {
namespace {

using device::DiscoverySettings;

constexpr char kBase[] = "onvif://www.onvif.org/";

std::string Scope(const std::string& path) { return kBase + path; }

std::string SetScopes(const std::vector<std::string>& scopes) {
  std::string body = "<tds:SetScopes>";
  for (const auto& s : scopes) body += "<tds:Scopes>" + s + "</tds:Scopes>";
  return body + "</tds:SetScopes>";
}

std::string Items(const char* op, const std::vector<std::string>& scopes) {
  std::string body = std::string("<tds:") + op + ">";
  for (const auto& s : scopes) body += "<tds:ScopeItem>" + s + "</tds:ScopeItem>";
  return body + "</tds:" + op + ">";
}

class DiscoveryOperationsTest : public ::testing::Test {
 protected:
  DiscoveryOperationsTest()
      : discovery_("front", {Scope("Profile/Streaming"), Scope("name/Front"), Scope("hardware/X")},
                   nullptr) {
    device_.config.id = "front";
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.discovery = &discovery_;
    device_.announce = [this](DiscoveryAnnouncement a) { announced_.push_back(a); };
  }

  // "Fixed:<uri>" / "Configurable:<uri>" in the order GetScopes lists them.
  std::vector<std::string> Listed() {
    const std::string body = soap_.Ok("<tds:GetScopes/>");
    std::vector<std::string> out;
    const std::string def = "<tt:ScopeDef>", item = "<tt:ScopeItem>";
    for (std::size_t at = body.find(def); at != std::string::npos; at = body.find(def, at + 1)) {
      const std::size_t d = at + def.size();
      const std::size_t i = body.find(item, d) + item.size();
      out.push_back(body.substr(d, body.find('<', d) - d) + ":" +
                    body.substr(i, body.find('<', i) - i));
    }
    return out;
  }

  DiscoverySettings discovery_;
  VirtualDevice device_;
  std::vector<DiscoveryAnnouncement> announced_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(DiscoveryOperationsTest, ConfigurableScopesAreSetAddedAndRemoved) {
  EXPECT_EQ(Listed(), (std::vector<std::string>{"Fixed:" + Scope("Profile/Streaming"),
                                                "Fixed:" + Scope("name/Front"),
                                                "Fixed:" + Scope("hardware/X")}));
  const uint32_t v1 = discovery_.Snapshot().metadata_version;

  // A fixed scope named again is not repeated; a duplicate is kept once.
  soap_.Ok(SetScopes(
      {Scope("location/west"), Scope("name/Front"), Scope("location/west"), Scope("name/Gate")}));
  EXPECT_EQ(Listed(), (std::vector<std::string>{
                          "Fixed:" + Scope("Profile/Streaming"), "Fixed:" + Scope("name/Front"),
                          "Fixed:" + Scope("hardware/X"), "Configurable:" + Scope("location/west"),
                          "Configurable:" + Scope("name/Gate")}));
  EXPECT_GT(discovery_.Snapshot().metadata_version, v1);
  EXPECT_EQ(announced_, std::vector<DiscoveryAnnouncement>{DiscoveryAnnouncement::kHello});

  // The same list again changes nothing and announces nothing.
  soap_.Ok(SetScopes({Scope("location/west"), Scope("name/Gate")}));
  EXPECT_EQ(announced_.size(), 1u);

  soap_.Ok(Items("AddScopes", {Scope("location/floor/2"), Scope("location/west")}));
  EXPECT_EQ(discovery_.Snapshot().configurable,
            (std::vector<std::string>{Scope("location/west"), Scope("name/Gate"),
                                      Scope("location/floor/2")}));
  EXPECT_EQ(announced_.size(), 2u);

  const std::string removed = soap_.Ok(Items("RemoveScopes", {Scope("name/Gate")}));
  EXPECT_NE(removed.find("<tds:ScopeItem>" + Scope("name/Gate") + "</tds:ScopeItem>"),
            std::string::npos)
      << removed;
  EXPECT_EQ(discovery_.Snapshot().configurable,
            (std::vector<std::string>{Scope("location/west"), Scope("location/floor/2")}));
  EXPECT_EQ(announced_.size(), 3u);

  // SetScopes replaces the configurable scopes only.
  soap_.Ok(SetScopes({Scope("location/east")}));
  EXPECT_EQ(discovery_.Snapshot().configurable, std::vector<std::string>{Scope("location/east")});
  EXPECT_EQ(discovery_.Snapshot().All().size(), 4u);
}

TEST_F(DiscoveryOperationsTest, BadRequestsGiveTheDocumentedFaultsAndChangeNothing) {
  soap_.Ok(SetScopes({Scope("location/west")}));
  const auto before = Listed();
  const std::size_t announcements = announced_.size();

  std::vector<std::string> seventeen;
  for (int i = 0; i < 17; ++i) seventeen.push_back(Scope("location/" + std::to_string(i)));
  std::vector<std::string> sixteen(seventeen.begin() + 1, seventeen.end());

  const std::vector<std::pair<std::string, std::string>> cases = {
      {Items("RemoveScopes", {Scope("name/Front")}), "FixedScope"},
      {Items("RemoveScopes", {Scope("location/absent")}), "NoScope"},
      // All or nothing: the first could go, the second cannot.
      {Items("RemoveScopes", {Scope("location/west"), Scope("location/absent")}), "NoScope"},
      {Items("RemoveScopes", {Scope("location/west"), Scope("location/west")}), "NoScope"},
      {SetScopes(seventeen), "TooManyScopes"},
      {Items("AddScopes", sixteen), "TooManyScopes"},  // 1 + 16
      {SetScopes({Scope(std::string(300, 'a'))}), "InvalidArgVal"},
      {Items("AddScopes", {""}), "InvalidArgVal"},
  };
  for (const auto& [body, fault] : cases) {
    EXPECT_EQ(soap_.FaultOf(body), fault) << body;
    EXPECT_EQ(Listed(), before) << body;
  }
  EXPECT_EQ(announced_.size(), announcements);

  // The fault codes themselves (Core §8.3.15–17).
  const auto fixed = soap_.Call(Items("RemoveScopes", {Scope("name/Front")}));
  EXPECT_EQ(fixed.http_status, 400);
  EXPECT_NE(fixed.body.find("ter:OperationProhibited"), std::string::npos) << fixed.body;
  const auto many = soap_.Call(SetScopes(seventeen));
  EXPECT_EQ(many.http_status, 500);
  EXPECT_NE(many.body.find("ter:Action<"), std::string::npos) << many.body;

  // Exactly as many as allowed is fine.
  soap_.Ok(SetScopes(sixteen));
  EXPECT_EQ(discovery_.Snapshot().configurable.size(), DiscoverySettings::kMaxConfigurableScopes);
}

TEST_F(DiscoveryOperationsTest, DiscoveryModeIsSetAnnouncedAndReadBack) {
  EXPECT_NE(soap_.Ok("<tds:GetDiscoveryMode/>").find(">Discoverable<"), std::string::npos);
  soap_.Ok(
      "<tds:SetDiscoveryMode><tds:DiscoveryMode>NonDiscoverable</tds:DiscoveryMode>"
      "</tds:SetDiscoveryMode>");
  EXPECT_NE(soap_.Ok("<tds:GetDiscoveryMode/>").find(">NonDiscoverable<"), std::string::npos);
  EXPECT_EQ(announced_, std::vector<DiscoveryAnnouncement>{DiscoveryAnnouncement::kBye});
  EXPECT_FALSE(discovery_.Snapshot().discoverable);

  // Scope changes of a non-discoverable device are kept but not announced.
  soap_.Ok(SetScopes({Scope("location/quiet")}));
  EXPECT_EQ(announced_.size(), 1u);

  soap_.Ok(
      "<tds:SetDiscoveryMode><tds:DiscoveryMode>Discoverable</tds:DiscoveryMode>"
      "</tds:SetDiscoveryMode>");
  EXPECT_EQ(announced_.back(), DiscoveryAnnouncement::kHello);
  EXPECT_EQ(announced_.size(), 2u);
  // Setting the mode it already has announces nothing.
  soap_.Ok(
      "<tds:SetDiscoveryMode><tds:DiscoveryMode>Discoverable</tds:DiscoveryMode>"
      "</tds:SetDiscoveryMode>");
  EXPECT_EQ(announced_.size(), 2u);
}

TEST_F(DiscoveryOperationsTest, WithoutWsDiscoveryTheModeCannotBeSet) {
  device_.discovery_enabled = false;
  device_.announce = nullptr;
  EXPECT_NE(soap_.Ok("<tds:GetDiscoveryMode/>").find(">NonDiscoverable<"), std::string::npos);
  EXPECT_EQ(soap_.FaultOf("<tds:SetDiscoveryMode><tds:DiscoveryMode>Discoverable"
                          "</tds:DiscoveryMode></tds:SetDiscoveryMode>"),
            "ActionNotSupported");
  const std::string caps = soap_.Ok("<tds:GetServiceCapabilities/>");
  EXPECT_NE(caps.find("DiscoveryNotSupported=\"true\""), std::string::npos) << caps;
  // Scopes still work: they are what GetScopes reports.
  soap_.Ok(Items("AddScopes", {Scope("location/x")}));
  EXPECT_EQ(Listed().size(), 4u);
}

TEST(DiscoverySettingsTest, StateSurvivesARestartAndAConfigChangeRaisesTheVersion) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("onvifgw-disc-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::vector<std::string> fixed = {Scope("name/A"), Scope("hardware/X")};
  uint32_t version = 0;
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value()) << store.error();
    DiscoverySettings s("front", fixed, store->get());
    ASSERT_TRUE(s.Load().ok());
    EXPECT_EQ(s.Snapshot().metadata_version, 1u);
    ASSERT_TRUE(s.SetScopes({Scope("location/west")}).has_value());
    ASSERT_TRUE(s.SetDiscoverable(false).has_value());
    version = s.Snapshot().metadata_version;
    EXPECT_EQ(version, 2u);
  }
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value());
    DiscoverySettings s("front", fixed, store->get());
    ASSERT_TRUE(s.Load().ok());
    const auto v = s.Snapshot();
    EXPECT_EQ(v.configurable, std::vector<std::string>{Scope("location/west")});
    EXPECT_FALSE(v.discoverable);
    EXPECT_EQ(v.metadata_version, version);  // same config: same version
  }
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value());
    DiscoverySettings s("front", {Scope("name/B"), Scope("hardware/X")}, store->get());
    ASSERT_TRUE(s.Load().ok());
    EXPECT_GT(s.Snapshot().metadata_version, version);  // the name changed in the config
    EXPECT_EQ(s.Snapshot().configurable, std::vector<std::string>{Scope("location/west")});
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onvifgw::services
