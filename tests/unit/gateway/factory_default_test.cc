// SetSystemFactoryDefault (Core §8.3.8) as a client uses it: what a hard and
// a soft reset remove and keep, in memory and in the store (a restart after
// the reset sees the same), the camera reset through the adapter first (a
// camera that fails stops the reset before anything of the gateway changes),
// and the Hello with a higher MetadataVersion. And the backup and restore of
// the same state (system_backup.h): a restore brings back exactly what was
// saved, and refuses anything but this gateway's backup of this device.

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "fake_camera_adapter.h"
#include "security/secret_box.h"
#include "services/device/system_backup.h"
#include "services/events/event_hub.h"
#include "soap/mtom.h"
#include "soap_test_client.h"
#include "stored_device_state.h"

namespace onvifgw::services {
namespace {

constexpr char kAdmin[] = "admin";
constexpr char kAdminPassword[] = "Factory-Passw0rd1";
constexpr char kMedia[] = "/onvif/media_service";

// The fake adapter answers at once, and so do these.
Expected<std::string, std::string> BackupNow(const VirtualDevice& device) {
  std::optional<Expected<std::string, std::string>> out;
  device::MakeBackup(device, [&](Expected<std::string, std::string> r) { out = std::move(r); });
  return out ? std::move(*out) : MakeUnexpected(std::string("MakeBackup never completed"));
}
Status<device::RestoreFailure> RestoreNow(const VirtualDevice& device, std::string file) {
  std::optional<Status<device::RestoreFailure>> out;
  device::RestoreBackup(device, std::move(file),
                        [&](Status<device::RestoreFailure> r) { out = std::move(r); });
  if (!out)
    return MakeUnexpected(
        device::RestoreFailure{device::RestoreFailure::kDeviceError, "never completed"});
  return std::move(*out);
}

// One virtual device with every part of its state kept in a real store, as
// the gateway builds it; Restart() builds the parts again from the store.
class FactoryDefaultTest : public ::testing::Test {
 protected:
  FactoryDefaultTest() : adapter_("cam-1") {
    adapter_.AddVideo();
    adapter_.SetCapability([](adapters::v1::Capabilities& c) { c.set_factory_default(true); });
    device_.config.id = "front";
    device_.config.camera = "cam-1";
    device_.config.cameras = {"cam-1"};
    device_.config.admin = config::AdminConfig{kAdmin, kAdminPassword};
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.adapter = &adapter_;
    device_.announce = [this](DiscoveryAnnouncement a) { announced_.push_back(a); };
    Restart();
    soap_.SignInAs(kAdmin, kAdminPassword);
  }

  ~FactoryDefaultTest() override { state_.Detach(device_); }

  void Restart() {
    const std::string error = state_.Open(device_);
    ASSERT_TRUE(error.empty()) << error;
  }

  // Changes one thing of every kind a client can change.
  void ChangeEverything() {
    soap_.Ok(
        "<tds:CreateUsers><tds:User><tt:Username>operator1</tt:Username><tt:Password>"
        "Op-Passw0rd-1</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User>"
        "</tds:CreateUsers>");
    soap_.Ok("<tds:SetHostname><tds:Name>gate-cam</tds:Name></tds:SetHostname>");
    soap_.Ok(
        "<tds:AddScopes><tds:ScopeItem>onvif://www.onvif.org/location/west</tds:ScopeItem>"
        "</tds:AddScopes>");
    soap_.Ok(
        "<tds:SetGeoLocation><tds:Location Entity=\"Device\" Token=\"gate\"><tt:GeoLocation "
        "lat=\"45.5\" lon=\"-73.6\" elevation=\"35\"/></tds:Location></tds:SetGeoLocation>");
    soap_.Ok(
        "<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType>"
        "<tds:DaylightSavings>true</tds:DaylightSavings><tds:TimeZone><tt:TZ>"
        "CET-1CEST,M3.5.0,M10.5.0/3</tt:TZ></tds:TimeZone><tds:UTCDateTime><tt:Time><tt:Hour>12"
        "</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>"
        "2026</tt:Year><tt:Month>1</tt:Month><tt:Day>1</tt:Day></tt:Date></tds:UTCDateTime>"
        "</tds:SetSystemDateAndTime>");
    soap_.Ok(
        "<tds:SetIPAddressFilter><tds:IPAddressFilter><tt:Type>Deny</tt:Type><tt:IPv4Address>"
        "<tt:Address>198.51.100.0</tt:Address><tt:PrefixLength>24</tt:PrefixLength>"
        "</tt:IPv4Address></tds:IPAddressFilter></tds:SetIPAddressFilter>");
    soap_.Ok(
        "<trt:CreateProfile><trt:Name>VMS</trt:Name><trt:Token>vms</trt:Token>"
        "</trt:CreateProfile>",
        kMedia);
    soap_.Ok(
        "<tds:SetDiscoveryMode><tds:DiscoveryMode>NonDiscoverable</tds:DiscoveryMode>"
        "</tds:SetDiscoveryMode>");
    soap_.Ok(
        "<tds:CreateDot1XConfiguration><tds:Dot1XConfiguration><tt:Dot1XConfigurationToken>wired"
        "</tt:Dot1XConfigurationToken><tt:Identity>camera-7</tt:Identity><tt:EAPMethod>25"
        "</tt:EAPMethod><tt:EAPMethodConfiguration><tt:Password>p3ap-Secret</tt:Password>"
        "</tt:EAPMethodConfiguration></tds:Dot1XConfiguration></tds:CreateDot1XConfiguration>");
    announced_.clear();
  }

  bool Has(const std::string& body, const std::string& what) {
    return soap_.Ok(body).find(what) != std::string::npos;
  }
  bool HasMedia(const std::string& body, const std::string& what) {
    return soap_.Ok(body, kMedia).find(what) != std::string::npos;
  }

  std::string Reset(const char* kind) {
    return soap_.FaultOf(std::string("<tds:SetSystemFactoryDefault><tds:FactoryDefault>") + kind +
                         "</tds:FactoryDefault></tds:SetSystemFactoryDefault>");
  }

  ManualClock host_{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  onvifgw::testing::StoredDeviceState state_{
      "factory",
      {.admin = config::AdminConfig{kAdmin, kAdminPassword},
       .stored_scopes = std::vector<std::string>{"onvif://www.onvif.org/name/Front"},
       .media = true,
       .host = &host_}};
  onvifgw::testing::FakeCameraAdapter adapter_;
  VirtualDevice device_;
  std::vector<DiscoveryAnnouncement> announced_;
  onvifgw::testing::SoapTestClient soap_{device_, /*authenticate=*/true};
};

TEST_F(FactoryDefaultTest, HardResetRemovesEverythingClientsChangedAndStaysReset) {
  ChangeEverything();
  const uint32_t version = state_.discovery().Snapshot().metadata_version;
  ASSERT_TRUE(Has("<tds:GetUsers/>", "operator1"));

  EXPECT_EQ(Reset("Hard"), "");
  EXPECT_EQ(adapter_.calls.back(), "FactoryDefault cam-1 hard");
  for (bool restarted : {false, true}) {
    SCOPED_TRACE(restarted ? "after a restart" : "at once");
    if (restarted) Restart();
    EXPECT_FALSE(Has("<tds:GetUsers/>", "operator1"));
    EXPECT_TRUE(Has("<tds:GetUsers/>", "<tt:Username>admin</tt:Username>"));
    EXPECT_FALSE(Has("<tds:GetHostname/>", "gate-cam"));
    EXPECT_FALSE(Has("<tds:GetScopes/>", "location/west"));
    EXPECT_TRUE(Has("<tds:GetScopes/>", "name/Front"));
    EXPECT_FALSE(Has("<tds:GetGeoLocation/>", "<tds:Location"));
    EXPECT_TRUE(Has("<tds:GetSystemDateAndTime/>", "<tt:TZ>UTC0</tt:TZ>"));
    EXPECT_FALSE(Has("<tds:GetSystemDateAndTime/>", "<tt:Hour>12</tt:Hour>"));
    EXPECT_FALSE(Has("<tds:GetIPAddressFilter/>", "198.51.100.0"));
    EXPECT_TRUE(Has("<tds:GetDiscoveryMode/>", "Discoverable</tds:DiscoveryMode>"));
    EXPECT_FALSE(Has("<tds:GetDiscoveryMode/>", "NonDiscoverable"));
    EXPECT_FALSE(Has("<tds:GetDot1XConfigurations/>", "wired"));
    EXPECT_FALSE(HasMedia("<trt:GetProfiles/>", "token=\"vms\""));
    EXPECT_TRUE(HasMedia("<trt:GetProfiles/>", "<trt:Profiles"));
    // The scopes changed: announced with a higher MetadataVersion, kept.
    EXPECT_GT(state_.discovery().Snapshot().metadata_version, version);
  }
}

TEST_F(FactoryDefaultTest, HardResetAnnouncesTheDeviceAgain) {
  ChangeEverything();
  EXPECT_EQ(Reset("Hard"), "");
  EXPECT_EQ(announced_, std::vector<DiscoveryAnnouncement>{DiscoveryAnnouncement::kHello});
}

// SystemReboot restarts the virtual device once the camera took the reboot:
// Bye, its subscriptions ended, its state read again, Hello.
TEST_F(FactoryDefaultTest, SystemRebootRestartsTheVirtualDeviceAfterTheCamera) {
  events::EventHub hub;
  device_.events = &hub;
  const std::string subscribe =
      "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT60S"
      "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>";
  soap_.Ok(subscribe, "/onvif/events_service");
  soap_.Ok("<tds:SetHostname><tds:Name>before-reboot</tds:Name></tds:SetHostname>");
  // A camera that cannot reboot: a fault, and nothing restarts.
  adapter_.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "camera offline");
  EXPECT_NE(soap_.FaultOf("<tds:SystemReboot/>"), "");
  EXPECT_TRUE(announced_.empty());
  EXPECT_EQ(hub.subscription_count("front"), 1u);

  adapter_.status = grpc::Status::OK;
  EXPECT_TRUE(Has("<tds:SystemReboot/>", "<tds:Message>Rebooting in 42 seconds</tds:Message>"));
  EXPECT_EQ(announced_, (std::vector<DiscoveryAnnouncement>{DiscoveryAnnouncement::kBye,
                                                            DiscoveryAnnouncement::kHello}));
  EXPECT_EQ(hub.subscription_count("front"), 0u);
  EXPECT_TRUE(Has("<tds:GetHostname/>", "before-reboot"));  // what clients stored survives
  soap_.Ok(subscribe, "/onvif/events_service");             // and the device serves again
  EXPECT_EQ(hub.subscription_count("front"), 1u);
  device_.events = nullptr;
}

TEST_F(FactoryDefaultTest, SoftResetKeepsNetworkSettingsAndUsers) {
  ChangeEverything();
  EXPECT_EQ(Reset("Soft"), "");
  EXPECT_EQ(adapter_.calls.back(), "FactoryDefault cam-1 soft");
  for (bool restarted : {false, true}) {
    SCOPED_TRACE(restarted ? "after a restart" : "at once");
    if (restarted) Restart();
    EXPECT_TRUE(Has("<tds:GetUsers/>", "operator1"));
    EXPECT_TRUE(Has("<tds:GetHostname/>", "gate-cam"));
    // 802.1X gets the device onto its network, as the network settings do.
    EXPECT_TRUE(Has("<tds:GetDot1XConfigurations/>", "wired"));
    EXPECT_FALSE(Has("<tds:GetScopes/>", "location/west"));
    EXPECT_FALSE(Has("<tds:GetGeoLocation/>", "<tds:Location"));
    EXPECT_FALSE(Has("<tds:GetIPAddressFilter/>", "198.51.100.0"));
    EXPECT_FALSE(HasMedia("<trt:GetProfiles/>", "token=\"vms\""));
  }
  // The operator still signs in with the password set before the reset.
  soap_.SignInAs("operator1", "Op-Passw0rd-1");
  EXPECT_EQ(soap_.FaultOf("<tds:GetHostname/>"), "");
}

TEST_F(FactoryDefaultTest, TheCameraIsResetToo) {
  // A client re-encoded the main stream; the camera's reset undoes it, and
  // the media configurations show it at once.
  soap_.Ok(
      "<trt:SetVideoEncoderConfiguration><trt:Configuration token=\"enc_0_main\">"
      "<tt:Name>main</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>"
      "<tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution>"
      "<tt:Quality>70</tt:Quality><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit>"
      "<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>4096</tt:BitrateLimit>"
      "</tt:RateControl><tt:H264><tt:GovLength>50</tt:GovLength><tt:H264Profile>Main"
      "</tt:H264Profile></tt:H264><tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type>"
      "<tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>1"
      "</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast><tt:SessionTimeout>PT60S"
      "</tt:SessionTimeout></trt:Configuration><trt:ForcePersistence>true</trt:ForcePersistence>"
      "</trt:SetVideoEncoderConfiguration>",
      kMedia);
  const std::string get =
      "<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>enc_0_main"
      "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>";
  ASSERT_TRUE(HasMedia(get, "<tt:Width>640</tt:Width>"));
  EXPECT_EQ(Reset("Soft"), "");
  EXPECT_TRUE(HasMedia(get, "<tt:Width>1280</tt:Width>"));
}

TEST_F(FactoryDefaultTest, ACameraThatFailsStopsTheResetBeforeTheGatewayChanges) {
  ChangeEverything();
  adapter_.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "camera rebooting");
  EXPECT_NE(Reset("Hard"), "");
  adapter_.status = grpc::Status::OK;
  EXPECT_TRUE(Has("<tds:GetUsers/>", "operator1"));
  EXPECT_TRUE(Has("<tds:GetScopes/>", "location/west"));
  EXPECT_TRUE(Has("<tds:GetHostname/>", "gate-cam"));
  EXPECT_TRUE(announced_.empty());
}

TEST_F(FactoryDefaultTest, ACameraWithoutTheCapabilityIsLeftAlone) {
  adapter_.SetCapability([](adapters::v1::Capabilities& c) { c.set_factory_default(false); });
  ChangeEverything();
  EXPECT_EQ(Reset("Hard"), "");
  for (const auto& call : adapter_.calls)
    EXPECT_EQ(call.rfind("FactoryDefault", 0), std::string::npos);
  EXPECT_FALSE(Has("<tds:GetScopes/>", "location/west"));
}

TEST_F(FactoryDefaultTest, OnlyAnAdministratorMayReset) {
  ChangeEverything();
  soap_.SignInAs("operator1", "Op-Passw0rd-1");
  EXPECT_EQ(Reset("Hard"), "NotAuthorized");
  soap_.SignInAs(kAdmin, kAdminPassword);
  EXPECT_TRUE(Has("<tds:GetUsers/>", "operator1"));
}

TEST_F(FactoryDefaultTest, ARestoreBringsBackWhatTheBackupSaved) {
  ChangeEverything();
  auto backup = BackupNow(device_);
  ASSERT_TRUE(backup.has_value()) << backup.error();
  EXPECT_EQ(Reset("Hard"), "");
  soap_.Ok("<tds:SetHostname><tds:Name>after-backup</tds:Name></tds:SetHostname>");
  announced_.clear();

  ASSERT_TRUE(static_cast<bool>(RestoreNow(device_, *backup)));
  for (bool restarted : {false, true}) {
    SCOPED_TRACE(restarted ? "after a restart" : "at once");
    if (restarted) Restart();
    EXPECT_TRUE(Has("<tds:GetUsers/>", "operator1"));
    EXPECT_TRUE(Has("<tds:GetHostname/>", "gate-cam"));
    EXPECT_TRUE(Has("<tds:GetScopes/>", "location/west"));
    EXPECT_TRUE(Has("<tds:GetGeoLocation/>", "lat=\"45.5\""));
    EXPECT_TRUE(Has("<tds:GetIPAddressFilter/>", "198.51.100.0"));
    EXPECT_TRUE(HasMedia("<trt:GetProfiles/>", "token=\"vms\""));
    EXPECT_TRUE(Has("<tds:GetDiscoveryMode/>", "NonDiscoverable"));
  }
  // The restored operator signs in with the password saved.
  soap_.SignInAs("operator1", "Op-Passw0rd-1");
  EXPECT_EQ(soap_.FaultOf("<tds:GetHostname/>"), "");
}

TEST_F(FactoryDefaultTest, TheBackupCarriesTheCamerasConfigurationAndTheRestoreGivesItBack) {
  adapter_.SetCapability([](adapters::v1::Capabilities& c) { c.set_configuration_backup(true); });
  adapter_.configuration = "FAKE-CONFIG saved";
  auto backup = BackupNow(device_);
  ASSERT_TRUE(backup.has_value()) << backup.error();
  EXPECT_EQ(adapter_.calls.back(), "ExportConfiguration cam-1");
  adapter_.configuration = "FAKE-CONFIG changed since";
  soap_.Ok("<tds:SetHostname><tds:Name>after-backup</tds:Name></tds:SetHostname>");

  ASSERT_TRUE(static_cast<bool>(RestoreNow(device_, *backup)));
  EXPECT_EQ(adapter_.configuration, "FAKE-CONFIG saved");
  EXPECT_FALSE(Has("<tds:GetHostname/>", "after-backup"));

  // A camera that refuses its configuration stops the restore before the
  // gateway changes anything.
  adapter_.configuration = "not one the camera takes";
  auto refused_backup = BackupNow(device_);
  ASSERT_TRUE(refused_backup.has_value());
  adapter_.configuration = "FAKE-CONFIG current";
  soap_.Ok("<tds:SetHostname><tds:Name>kept-name</tds:Name></tds:SetHostname>");
  auto st = RestoreNow(device_, *refused_backup);
  ASSERT_FALSE(static_cast<bool>(st));
  EXPECT_EQ(st.error().kind, device::RestoreFailure::kInvalidFile);
  EXPECT_NE(st.error().reason.find("Camera cam-1 refused its configuration"), std::string::npos)
      << st.error().reason;
  EXPECT_TRUE(Has("<tds:GetHostname/>", "kept-name"));
  EXPECT_EQ(adapter_.configuration, "FAKE-CONFIG current");
  // A camera that fails: a device error, nothing changed either.
  adapter_.status = grpc::Status(grpc::StatusCode::INTERNAL, "flash worn out");
  st = RestoreNow(device_, *backup);
  ASSERT_FALSE(static_cast<bool>(st));
  EXPECT_EQ(st.error().kind, device::RestoreFailure::kDeviceError);
  EXPECT_TRUE(Has("<tds:GetHostname/>", "kept-name"));
  // Nor is there a backup without the camera's part.
  auto failed = BackupNow(device_);
  ASSERT_FALSE(failed.has_value());
  EXPECT_NE(failed.error().find("configuration of camera cam-1 could not be read"),
            std::string::npos)
      << failed.error();
  adapter_.status = grpc::Status::OK;
  adapter_.configuration = "FAKE-CONFIG " + std::string(device::kMaxCameraConfigurationBytes, 'x');
  EXPECT_FALSE(BackupNow(device_).has_value());
}

TEST_F(FactoryDefaultTest, ARestoreRefusesAnythingButThisDevicesBackupAndChangesNothing) {
  auto backup = BackupNow(device_);
  ASSERT_TRUE(backup.has_value()) << backup.error();
  soap_.Ok("<tds:SetHostname><tds:Name>kept-name</tds:Name></tds:SetHostname>");
  auto refused = [&](const std::string& file) {
    auto st = RestoreNow(device_, file);
    return !st && st.error().kind == device::RestoreFailure::kInvalidFile;
  };
  std::string flipped = *backup;
  flipped[flipped.size() / 2] ^= 0x01;
  EXPECT_TRUE(refused(flipped));
  EXPECT_TRUE(refused(backup->substr(0, backup->size() - 1)));
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused("not a backup at all"));
  EXPECT_TRUE(refused(std::string(device::kMaxBackupBytes + 1, 'x')));
  // Another device of the same gateway.
  VirtualDevice other = device_;
  other.config.id = "back";
  auto other_backup = BackupNow(other);
  ASSERT_TRUE(other_backup.has_value());
  EXPECT_TRUE(refused(*other_backup));
  // The same device on a gateway with another key.
  auto key = security::SecretBox::FromKey(std::string(32, 'k'));
  ASSERT_TRUE(key.has_value());
  VirtualDevice elsewhere = device_;
  elsewhere.secrets = &*key;
  auto foreign = BackupNow(elsewhere);
  ASSERT_TRUE(foreign.has_value());
  EXPECT_TRUE(refused(*foreign));
  EXPECT_TRUE(Has("<tds:GetHostname/>", "kept-name"));
  EXPECT_TRUE(announced_.empty());
}

// The MTOM pair: GetSystemBackup's attachment is what RestoreSystem takes.
TEST_F(FactoryDefaultTest, GetSystemBackupAndRestoreSystemCarryTheFileAsAnMtomAttachment) {
  EXPECT_TRUE(Has("<tds:GetServiceCapabilities/>", "SystemBackup=\"true\""));
  EXPECT_TRUE(Has("<tds:GetCapabilities/>", "<tt:SystemBackup>true</tt:SystemBackup>"));
  ChangeEverything();
  const SoapReply reply = soap_.Call("<tds:GetSystemBackup/>");
  ASSERT_EQ(reply.http_status, 200) << reply.body;
  auto package = soap::ParseMtom(reply.content_type, reply.body);
  ASSERT_TRUE(package.has_value()) << reply.content_type;
  const std::string envelope(package->envelope);
  EXPECT_NE(envelope.find("<tt:Name>front.onvifgw-backup</tt:Name>"), std::string::npos);
  EXPECT_NE(envelope.find("xmime:contentType=\"application/octet-stream\""), std::string::npos);
  const std::size_t href = envelope.find("href=\"") + 6;
  const soap::ReceivedPart* part =
      package->attachments.Find(envelope.substr(href, envelope.find('"', href) - href));
  ASSERT_NE(part, nullptr) << envelope;
  const std::string file(part->data());
  ASSERT_TRUE(static_cast<bool>(RestoreNow(device_, file)));  // the download's format

  EXPECT_EQ(Reset("Hard"), "");
  const std::string restore =
      "<tds:RestoreSystem><tds:BackupFiles><tt:Name>front.onvifgw-backup</tt:Name><tt:Data>"
      "<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:b%40client\"/>"
      "</tt:Data></tds:BackupFiles></tds:RestoreSystem>";
  auto restore_with = [&](std::string bytes, std::string id = "b@client") {
    soap::ReceivedAttachments parts;
    parts.parts.push_back(onvifgw::testing::SoapTestClient::Part(std::move(id), std::move(bytes)));
    const SoapReply r = soap_.CallWithParts(restore, std::move(parts));
    return r.http_status == 200 ? std::string() : onvifgw::testing::InnermostTerSubcode(r.body);
  };
  // Anything but this device's backup is refused, and changes nothing.
  EXPECT_EQ(restore_with("not a backup"), "InvalidBackupFile");
  EXPECT_EQ(restore_with(file, "other@client"), "InvalidBackupFile");  // the href names no part
  EXPECT_EQ(soap_.FaultOf(restore), "InvalidBackupFile");              // no attachment at all
  EXPECT_EQ(restore_with(std::string(device::kMaxBackupBytes + 1, 'x')), "InvalidBackupFile");
  EXPECT_FALSE(Has("<tds:GetUsers/>", "operator1"));

  EXPECT_EQ(restore_with(file), "");
  EXPECT_TRUE(Has("<tds:GetUsers/>", "operator1"));
  EXPECT_TRUE(Has("<tds:GetHostname/>", "gate-cam"));
  EXPECT_TRUE(HasMedia("<trt:GetProfiles/>", "token=\"vms\""));
}

TEST_F(FactoryDefaultTest, RestoreSystemTakesExactlyOneFile) {
  auto backup = BackupNow(device_);
  ASSERT_TRUE(backup.has_value());
  const std::string file_element =
      "<tds:BackupFiles><tt:Name>front.onvifgw-backup</tt:Name><tt:Data><xop:Include "
      "xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:b\"/></tt:Data>"
      "</tds:BackupFiles>";
  soap::ReceivedAttachments parts;
  parts.parts.push_back(onvifgw::testing::SoapTestClient::Part("b", *backup));
  const SoapReply r = soap_.CallWithParts(
      "<tds:RestoreSystem>" + file_element + file_element + "</tds:RestoreSystem>", parts);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(onvifgw::testing::InnermostTerSubcode(r.body), "InvalidBackupFile");
  EXPECT_EQ(
      soap_.CallWithParts("<tds:RestoreSystem>" + file_element + "</tds:RestoreSystem>", parts)
          .http_status,
      200);
}

TEST_F(FactoryDefaultTest, UpgradeSystemFirmwareHandsTheAttachmentToTheCamera) {
  const std::string upgrade =
      "<tds:UpgradeSystemFirmware><tds:Firmware><xop:Include "
      "xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:fw\"/></tds:Firmware>"
      "</tds:UpgradeSystemFirmware>";
  soap::ReceivedAttachments parts;
  parts.parts.push_back(onvifgw::testing::SoapTestClient::Part("fw", std::string(100000, 'f')));
  // Not offered while the camera does not take firmware.
  EXPECT_TRUE(Has("<tds:GetCapabilities/>", "<tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>"));
  EXPECT_EQ(soap_.FaultOf(upgrade), "ActionNotSupported");
  adapter_.SetCapability([](adapters::v1::Capabilities& c) { c.set_firmware_upgrade(true); });
  device::UploadTickets firmware_tickets;  // as the gateway gives each device
  device_.firmware_tickets = &firmware_tickets;
  EXPECT_TRUE(Has("<tds:GetCapabilities/>", "<tt:FirmwareUpgrade>true</tt:FirmwareUpgrade>"));

  EXPECT_EQ(soap_.FaultOf(upgrade), "InvalidFirmware");  // no attachment
  adapter_.calls.clear();
  const SoapReply done = soap_.CallWithParts(upgrade, parts);
  ASSERT_EQ(done.http_status, 200) << done.body;
  EXPECT_NE(done.body.find("<tds:Message>Firmware 2.0.0 installed; the camera restarts (about 3 "
                           "s)</tds:Message>"),
            std::string::npos)
      << done.body;
  EXPECT_EQ(adapter_.calls, std::vector<std::string>{"UpgradeFirmware cam-1 100000"});

  adapter_.status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "not for this model");
  SoapReply refused = soap_.CallWithParts(upgrade, parts);
  EXPECT_EQ(refused.http_status, 400);
  EXPECT_EQ(onvifgw::testing::InnermostTerSubcode(refused.body), "InvalidFirmware");
  EXPECT_NE(refused.body.find("not for this model"), std::string::npos);
  adapter_.status = grpc::Status(grpc::StatusCode::INTERNAL, "flash write failed");
  SoapReply failed = soap_.CallWithParts(upgrade, parts);
  EXPECT_EQ(failed.http_status, 500);
  EXPECT_EQ(onvifgw::testing::InnermostTerSubcode(failed.body), "FirmwareUpgradeFailed");
  // Only an administrator (UNRECOVERABLE).
  adapter_.status = grpc::Status::OK;
  soap_.Ok(
      "<tds:CreateUsers><tds:User><tt:Username>operator1</tt:Username><tt:Password>"
      "Op-Passw0rd-1</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User>"
      "</tds:CreateUsers>");
  soap_.SignInAs("operator1", "Op-Passw0rd-1");
  EXPECT_EQ(onvifgw::testing::InnermostTerSubcode(soap_.CallWithParts(upgrade, parts).body),
            "NotAuthorized");
}

TEST(UploadTickets, AreForOneUpload) {
  device::UploadTickets tickets;
  const std::string t = tickets.Issue();
  EXPECT_EQ(t.size(), 32u);
  EXPECT_NE(tickets.Issue(), t);
  EXPECT_FALSE(device::UploadTickets().Redeem(t));  // another device's tickets
  EXPECT_TRUE(tickets.Redeem(t));
  EXPECT_FALSE(tickets.Redeem(t));
  EXPECT_FALSE(tickets.Redeem("0000000000000000000000000000000A"));
}

TEST(FactoryDefaultWithoutStore, IsNotOffered) {
  VirtualDevice device;
  device.config.id = "front";
  device.identity = onvifgw::testing::TestDeviceIdentity();
  onvifgw::testing::SoapTestClient soap(device);
  EXPECT_EQ(soap.FaultOf("<tds:SetSystemFactoryDefault><tds:FactoryDefault>Soft"
                         "</tds:FactoryDefault></tds:SetSystemFactoryDefault>"),
            "ActionNotSupported");
}

}  // namespace
}  // namespace onvifgw::services
