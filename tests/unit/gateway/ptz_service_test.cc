// The PTZ service against a fake camera with one head: nodes and
// configurations (and their place in media profiles), moves handed to the
// adapter in the generic spaces, the ContinuousMove timeout the gateway
// keeps, presets named by the gateway on the camera's slots, home, status,
// and the documented faults. Every reply is validated with check-soap when
// it is present.

#include <gtest/gtest.h>

#include <future>

#include "media_test_fixture.h"
#include "services/ptz/ptz_move_timers.h"

namespace onvifgw::services {
namespace {

inline constexpr const char* kPtz = "/onvif/ptz_service";
inline constexpr const char* kDevice = "/onvif/device_service";

std::string Profile(const std::string& inner) {
  return "<tptz:ProfileToken>prof_0_main</tptz:ProfileToken>" + inner;
}

class PtzServiceTest : public MediaServiceTest {
 protected:
  PtzServiceTest() {
    adapter_.AddPtzNode();
    adapter_.SetAuxiliaryCommands({"tt:Wiper|On", "tt:Wiper|Off"});
    adapter_.SetCapability([](adapters::v1::Capabilities& c) { c.set_auxiliary_commands(true); });
    device_.ptz_moves = &timers_;
  }

  std::string PtzOk(const std::string& body) { return Ok(body, kPtz); }
  std::string PtzFault(const std::string& body) { return FaultOf(body, kPtz); }
  std::string LastCall() const { return adapter_.calls.empty() ? "" : adapter_.calls.back(); }

  ManualClock timer_clock_;
  ptz::PtzMoveTimers timers_{timer_clock_};
};

TEST_F(PtzServiceTest, NodesAndConfigurationsDescribeTheHeadInTheGenericSpaces) {
  std::string r = PtzOk("<tptz:GetNodes/>");
  EXPECT_EQ(Tokens(r, "tptz:PTZNode"), std::vector<std::string>{"PTZNode_head"});
  EXPECT_NE(r.find("<tt:MaximumNumberOfPresets>4</tt:MaximumNumberOfPresets>"), std::string::npos);
  EXPECT_NE(r.find("<tt:HomeSupported>true</tt:HomeSupported>"), std::string::npos) << r;
  EXPECT_NE(r.find("FixedHomePosition=\"false\""), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:AuxiliaryCommands>tt:Wiper|On</tt:AuxiliaryCommands>"), std::string::npos);
  for (const char* space :
       {"PanTiltSpaces/PositionGenericSpace", "ZoomSpaces/PositionGenericSpace",
        "PanTiltSpaces/TranslationGenericSpace", "PanTiltSpaces/VelocityGenericSpace",
        "PanTiltSpaces/GenericSpeedSpace", "ZoomSpaces/ZoomGenericSpeedSpace"}) {
    EXPECT_NE(r.find(space), std::string::npos) << space;
  }
  EXPECT_EQ(Tokens(PtzOk("<tptz:GetNode><tptz:NodeToken>PTZNode_head</tptz:NodeToken>"
                         "</tptz:GetNode>"),
                   "tptz:PTZNode"),
            std::vector<std::string>{"PTZNode_head"});
  EXPECT_EQ(PtzFault("<tptz:GetNode><tptz:NodeToken>nope</tptz:NodeToken></tptz:GetNode>"),
            "NoEntity");

  r = PtzOk("<tptz:GetConfigurations/>");
  EXPECT_EQ(Tokens(r, "tptz:PTZConfiguration"), std::vector<std::string>{"ptz_head"});
  EXPECT_NE(r.find("<tt:NodeToken>PTZNode_head</tt:NodeToken>"), std::string::npos);
  EXPECT_NE(r.find("<tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout>"), std::string::npos) << r;
  // The default profile of the head's source holds it: UseCount 2 (both streams).
  EXPECT_NE(r.find("<tt:UseCount>2</tt:UseCount>"), std::string::npos) << r;
  EXPECT_EQ(PtzFault("<tptz:GetConfiguration><tptz:PTZConfigurationToken>x"
                     "</tptz:PTZConfigurationToken></tptz:GetConfiguration>"),
            "NoConfig");
  r = PtzOk(
      "<tptz:GetConfigurationOptions><tptz:ConfigurationToken>ptz_head"
      "</tptz:ConfigurationToken></tptz:GetConfigurationOptions>");
  EXPECT_NE(r.find("<tt:Min>PT0.1S</tt:Min>"), std::string::npos) << r;
  r = PtzOk("<tptz:GetCompatibleConfigurations>" + Profile("") +
            "</tptz:GetCompatibleConfigurations>");
  EXPECT_EQ(Tokens(r, "tptz:PTZConfiguration"), std::vector<std::string>{"ptz_head"});

  // Media ver10 and Media2 show it in the profile.
  EXPECT_NE(Ok("<trt:GetProfile><trt:ProfileToken>prof_0_main</trt:ProfileToken></trt:GetProfile>")
                .find("<tt:PTZConfiguration token=\"ptz_head\">"),
            std::string::npos);
  EXPECT_NE(Ok("<tr2:GetProfiles><tr2:Type>PTZ</tr2:Type></tr2:GetProfiles>", kMedia2)
                .find("<tr2:PTZ token=\"ptz_head\">"),
            std::string::npos);
  EXPECT_NE(Ok("<tr2:GetServiceCapabilities/>", kMedia2)
                .find("ConfigurationsSupported=\"VideoSource VideoEncoder Metadata PTZ\""),
            std::string::npos);
}

TEST_F(PtzServiceTest, TheDeviceAdvertisesThePtzService) {
  std::string r =
      Ok("<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>", kDevice);
  EXPECT_NE(r.find("<tt:XAddr>http://192.0.2.10:8080/onvif/ptz_service</tt:XAddr>"),
            std::string::npos)
      << r;
  r = Ok("<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>",
         kDevice);
  EXPECT_NE(r.find("http://www.onvif.org/ver20/ptz/wsdl"), std::string::npos) << r;
  EXPECT_NE(r.find("MoveStatus=\"true\""), std::string::npos) << r;
  r = PtzOk("<tptz:GetServiceCapabilities/>");
  EXPECT_NE(r.find("StatusPosition=\"true\""), std::string::npos) << r;
}

TEST_F(PtzServiceTest, ProfilesCanLeaveAndTakeTheConfigurationAgain) {
  Ok("<trt:RemovePTZConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
     "</trt:RemovePTZConfiguration>");
  EXPECT_EQ(PtzFault("<tptz:Stop>" + Profile("") + "</tptz:Stop>"), "NoPTZProfile");
  EXPECT_EQ(FaultOf("<trt:AddPTZConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
                    "<trt:ConfigurationToken>nope</trt:ConfigurationToken>"
                    "</trt:AddPTZConfiguration>"),
            "NoConfig");
  Ok("<trt:AddPTZConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
     "<trt:ConfigurationToken>ptz_head</trt:ConfigurationToken></trt:AddPTZConfiguration>");
  PtzOk("<tptz:Stop>" + Profile("") + "</tptz:Stop>");
  EXPECT_EQ(LastCall(), "StopPtz camera_id: \"cam-1\" node_id: \"head\" pan_tilt: true zoom: true");
  // Media2: the device chooses the head of the profile's source.
  Ok("<tr2:RemoveConfiguration><tr2:ProfileToken>prof_0_main</tr2:ProfileToken>"
     "<tr2:Configuration><tr2:Type>PTZ</tr2:Type></tr2:Configuration></tr2:RemoveConfiguration>",
     kMedia2);
  Ok("<tr2:AddConfiguration><tr2:ProfileToken>prof_0_main</tr2:ProfileToken>"
     "<tr2:Configuration><tr2:Type>PTZ</tr2:Type></tr2:Configuration></tr2:AddConfiguration>",
     kMedia2);
  PtzOk("<tptz:GetStatus>" + Profile("") + "</tptz:GetStatus>");
}

TEST_F(PtzServiceTest, ContinuousMoveStopsByItselfWhenItsTimeoutRunsOut) {
  std::promise<std::string> stopped;
  adapter_.on_ptz_call = [&](const std::string& call) {
    if (call.rfind("StopPtz", 0) == 0) stopped.set_value(call);
  };
  PtzOk("<tptz:ContinuousMove>" +
        Profile("<tptz:Velocity><tt:PanTilt x=\"0.5\" y=\"-0.25\"/><tt:Zoom x=\"1\"/>"
                "</tptz:Velocity><tptz:Timeout>PT2S</tptz:Timeout>") +
        "</tptz:ContinuousMove>");
  EXPECT_EQ(LastCall(),
            "ContinuousMovePtz camera_id: \"cam-1\" node_id: \"head\" velocity { pan_tilt { x: 0.5 "
            "y: -0.25 } zoom { x: 1 } }");
  EXPECT_EQ(timers_.armed(), 1u);
  timer_clock_.Advance(std::chrono::milliseconds(1999));
  EXPECT_EQ(timers_.armed(), 1u);
  timer_clock_.Advance(std::chrono::milliseconds(1));
  auto future = stopped.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(future.get(),
            "StopPtz camera_id: \"cam-1\" node_id: \"head\" pan_tilt: true zoom: true");
  adapter_.on_ptz_call = nullptr;
}

TEST_F(PtzServiceTest, AStopOrAnotherMoveCancelsThePendingTimeout) {
  const std::string move = "<tptz:ContinuousMove>" +
                           Profile("<tptz:Velocity><tt:PanTilt x=\"1\" y=\"0\"/></tptz:Velocity>") +
                           "</tptz:ContinuousMove>";
  PtzOk(move);
  EXPECT_EQ(timers_.armed(), 1u);
  PtzOk("<tptz:Stop>" + Profile("<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom>") +
        "</tptz:Stop>");
  EXPECT_EQ(timers_.armed(), 0u);
  PtzOk(move);
  PtzOk("<tptz:AbsoluteMove>" +
        Profile("<tptz:Position><tt:PanTilt x=\"0\" y=\"0\"/></tptz:Position>") +
        "</tptz:AbsoluteMove>");
  EXPECT_EQ(timers_.armed(), 0u);
  // The adapter refusing the move: nothing stays armed.
  PtzOk(move);
  PtzOk("<tptz:Stop>" + Profile("") + "</tptz:Stop>");
  // A move the adapter reports failed keeps its stop: the camera may have
  // moved all the same.
  adapter_.status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the dome is silent");
  EXPECT_FALSE(FaultOf(move, kPtz).empty());
  EXPECT_EQ(timers_.armed(), 1u);
  // A stop that fails does not drop it either; one that succeeds does.
  EXPECT_FALSE(FaultOf("<tptz:Stop>" + Profile("") + "</tptz:Stop>", kPtz).empty());
  EXPECT_EQ(timers_.armed(), 1u);
  adapter_.status = grpc::Status::OK;
  PtzOk("<tptz:Stop>" + Profile("") + "</tptz:Stop>");
  EXPECT_EQ(timers_.armed(), 0u);
}

TEST_F(PtzServiceTest, StopFlagsDefaultToTrue) {
  PtzOk("<tptz:Stop>" + Profile("<tptz:PanTilt>false</tptz:PanTilt>") + "</tptz:Stop>");
  EXPECT_EQ(LastCall(), "StopPtz camera_id: \"cam-1\" node_id: \"head\" zoom: true");
  PtzOk("<tptz:Stop>" + Profile("<tptz:PanTilt>true</tptz:PanTilt>") + "</tptz:Stop>");
  EXPECT_EQ(LastCall(), "StopPtz camera_id: \"cam-1\" node_id: \"head\" pan_tilt: true zoom: true");
  const std::size_t calls = adapter_.calls.size();
  PtzOk("<tptz:Stop>" + Profile("<tptz:PanTilt>false</tptz:PanTilt><tptz:Zoom>false</tptz:Zoom>") +
        "</tptz:Stop>");
  EXPECT_EQ(adapter_.calls.size(), calls) << "stopping nothing reaches no camera";
}

TEST_F(PtzServiceTest, AMoveOlderThanTheStopsCommandKeepsItsTimer) {
  // A GotoPreset sent while move 1 ran, answered after move 2 was armed:
  // move 2's stop stays.
  const std::string move = "<tptz:ContinuousMove>" +
                           Profile("<tptz:Velocity><tt:PanTilt x=\"1\" y=\"0\"/></tptz:Velocity>") +
                           "</tptz:ContinuousMove>";
  PtzOk(move);
  const std::uint64_t before = timers_.Generation("front/PTZNode_head");
  PtzOk(move);
  timers_.CancelIfCurrent("front/PTZNode_head", before);
  EXPECT_EQ(timers_.armed(), 1u);
  timers_.CancelIfCurrent("front/PTZNode_head", timers_.Generation("front/PTZNode_head"));
  EXPECT_EQ(timers_.armed(), 0u);
}

TEST_F(PtzServiceTest, MovesCarryTheirValuesAndTheConfigurationsDefaultSpeed) {
  PtzOk("<tptz:AbsoluteMove>" +
        Profile("<tptz:Position><tt:PanTilt x=\"-1\" y=\"1\"/><tt:Zoom x=\"0.5\"/></tptz:Position>"
                "<tptz:Speed><tt:PanTilt x=\"0.25\" y=\"0.5\"/></tptz:Speed>") +
        "</tptz:AbsoluteMove>");
  EXPECT_EQ(LastCall(),
            "AbsoluteMovePtz camera_id: \"cam-1\" node_id: \"head\" position { pan_tilt { x: -1 y: "
            "1 } zoom { x: 0.5 } } speed { pan_tilt { x: 0.25 y: 0.5 } zoom { x: 1 } }");
  PtzOk("<tptz:RelativeMove>" +
        Profile("<tptz:Translation><tt:PanTilt x=\"0.1\" y=\"0\" "
                "space=\"http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace\"/>"
                "</tptz:Translation>") +
        "</tptz:RelativeMove>");
  EXPECT_EQ(LastCall(),
            "RelativeMovePtz camera_id: \"cam-1\" node_id: \"head\" translation { pan_tilt { x: "
            "0.1 } } speed { pan_tilt { x: 1 y: 1 } zoom { x: 1 } }");

  // A default speed and timeout set on the configuration are kept and used.
  PtzOk(
      "<tptz:SetConfiguration><tptz:PTZConfiguration token=\"ptz_head\"><tt:Name>Dome</tt:Name>"
      "<tt:UseCount>2</tt:UseCount><tt:NodeToken>PTZNode_head</tt:NodeToken>"
      "<tt:DefaultPTZSpeed><tt:PanTilt x=\"0.5\" y=\"0.5\"/><tt:Zoom "
      "x=\"0.25\"/></tt:DefaultPTZSpeed>"
      "<tt:DefaultPTZTimeout>PT3S</tt:DefaultPTZTimeout></tptz:PTZConfiguration>"
      "<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>");
  std::string r = PtzOk(
      "<tptz:GetConfiguration><tptz:PTZConfigurationToken>ptz_head</tptz:PTZConfigurationToken>"
      "</tptz:GetConfiguration>");
  EXPECT_NE(r.find("<tt:Name>Dome</tt:Name>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:DefaultPTZTimeout>PT3S</tt:DefaultPTZTimeout>"), std::string::npos) << r;
  PtzOk("<tptz:GotoHomePosition>" + Profile("") + "</tptz:GotoHomePosition>");
  EXPECT_EQ(LastCall(),
            "GotoPtzHome camera_id: \"cam-1\" node_id: \"head\" speed { pan_tilt { x: 0.5 y: 0.5 "
            "} zoom { x: 0.25 } }");
  EXPECT_EQ(PtzFault("<tptz:SetConfiguration><tptz:PTZConfiguration token=\"ptz_head\">"
                     "<tt:Name>Dome</tt:Name><tt:UseCount>2</tt:UseCount>"
                     "<tt:NodeToken>PTZNode_head</tt:NodeToken>"
                     "<tt:DefaultPTZTimeout>PT1H</tt:DefaultPTZTimeout></tptz:PTZConfiguration>"
                     "<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>"),
            "ConfigModify");
}

TEST_F(PtzServiceTest, WrongValuesGetTheDocumentedFaults) {
  const auto move = [&](const std::string& velocity, const std::string& extra = "") {
    return PtzFault("<tptz:ContinuousMove>" +
                    Profile("<tptz:Velocity>" + velocity + "</tptz:Velocity>" + extra) +
                    "</tptz:ContinuousMove>");
  };
  EXPECT_EQ(move("<tt:PanTilt x=\"1.5\" y=\"0\"/>"), "InvalidVelocity");
  EXPECT_EQ(move("<tt:PanTilt x=\"0.5\" y=\"0\" space=\"http://example.com/degrees\"/>"),
            "SpaceNotSupported");
  EXPECT_EQ(move("<tt:Zoom x=\"0.5\"/>", "<tptz:Timeout>PT1H</tptz:Timeout>"),
            "TimeoutNotSupported");
  EXPECT_EQ(PtzFault("<tptz:AbsoluteMove>" +
                     Profile("<tptz:Position><tt:Zoom x=\"-0.5\"/></tptz:Position>") +
                     "</tptz:AbsoluteMove>"),
            "InvalidPosition");
  EXPECT_EQ(PtzFault("<tptz:RelativeMove>" +
                     Profile("<tptz:Translation><tt:PanTilt x=\"3\" y=\"0\"/></tptz:Translation>") +
                     "</tptz:RelativeMove>"),
            "InvalidTranslation");
  EXPECT_EQ(PtzFault("<tptz:GotoHomePosition>" +
                     Profile("<tptz:Speed><tt:PanTilt x=\"2\" y=\"0\"/></tptz:Speed>") +
                     "</tptz:GotoHomePosition>"),
            "InvalidSpeed");
  EXPECT_EQ(PtzFault("<tptz:Stop><tptz:ProfileToken>nope</tptz:ProfileToken></tptz:Stop>"),
            "NoProfile");
  EXPECT_EQ(PtzFault("<tptz:GotoPreset>" + Profile("<tptz:PresetToken>x</tptz:PresetToken>") +
                     "</tptz:GotoPreset>"),
            "NoToken");
  EXPECT_EQ(PtzFault("<tptz:SendAuxiliaryCommand>" +
                     Profile("<tptz:AuxiliaryData>tt:Washer|On</tptz:AuxiliaryData>") +
                     "</tptz:SendAuxiliaryCommand>"),
            "AuxiliaryDataNotSupported");
  EXPECT_NE(Call("<tptz:GetPresetTours>" + Profile("") + "</tptz:GetPresetTours>", kPtz)
                .body.find("ter:ActionNotSupported"),
            std::string::npos);
  SoapReply unsupported =
      Call("<tptz:GeoMove>" + Profile("<tptz:Target/>") + "</tptz:GeoMove>", kPtz);
  EXPECT_NE(unsupported.body.find("ter:ActionNotSupported"), std::string::npos) << unsupported.body;
  EXPECT_TRUE(adapter_.calls.empty() || adapter_.calls.back().find("Ptz") == std::string::npos)
      << "nothing reached the camera";
}

TEST_F(PtzServiceTest, PresetsAreNamedByTheGatewayOnTheCamerasSlots) {
  std::string r = PtzOk("<tptz:SetPreset>" + Profile("<tptz:PresetName>Gate</tptz:PresetName>") +
                        "</tptz:SetPreset>");
  EXPECT_NE(r.find("<tptz:PresetToken>preset_1</tptz:PresetToken>"), std::string::npos) << r;
  EXPECT_EQ(LastCall(), "SetPtzPreset camera_id: \"cam-1\" node_id: \"head\" slot: 1");
  EXPECT_EQ(PtzFault("<tptz:SetPreset>" + Profile("<tptz:PresetName>Gate</tptz:PresetName>") +
                     "</tptz:SetPreset>"),
            "PresetExist");
  EXPECT_EQ(PtzFault("<tptz:SetPreset>" + Profile("<tptz:PresetName></tptz:PresetName>") +
                     "</tptz:SetPreset>"),
            "InvalidPresetName");
  // Without a name: named after its token. Overwriting keeps the slot.
  r = PtzOk("<tptz:SetPreset>" + Profile("") + "</tptz:SetPreset>");
  EXPECT_NE(r.find("preset_2"), std::string::npos);
  EXPECT_EQ(LastCall(), "SetPtzPreset camera_id: \"cam-1\" node_id: \"head\" slot: 2");
  PtzOk("<tptz:SetPreset>" + Profile("<tptz:PresetToken>preset_1</tptz:PresetToken>") +
        "</tptz:SetPreset>");
  EXPECT_EQ(LastCall(), "SetPtzPreset camera_id: \"cam-1\" node_id: \"head\" slot: 1");
  r = PtzOk("<tptz:GetPresets>" + Profile("") + "</tptz:GetPresets>");
  EXPECT_EQ(Tokens(r, "tptz:Preset"), (std::vector<std::string>{"preset_1", "preset_2"}));
  EXPECT_NE(r.find("<tt:Name>Gate</tt:Name>"), std::string::npos) << r;

  PtzOk("<tptz:GotoPreset>" + Profile("<tptz:PresetToken>preset_2</tptz:PresetToken>") +
        "</tptz:GotoPreset>");
  EXPECT_EQ(
      LastCall(),
      "GotoPtzPreset camera_id: \"cam-1\" node_id: \"head\" slot: 2 speed { pan_tilt { x: 1 y: "
      "1 } zoom { x: 1 } }");

  // The node has four slots.
  PtzOk("<tptz:SetPreset>" + Profile("") + "</tptz:SetPreset>");
  PtzOk("<tptz:SetPreset>" + Profile("") + "</tptz:SetPreset>");
  EXPECT_EQ(PtzFault("<tptz:SetPreset>" + Profile("") + "</tptz:SetPreset>"), "TooManyPresets");
  PtzOk("<tptz:RemovePreset>" + Profile("<tptz:PresetToken>preset_2</tptz:PresetToken>") +
        "</tptz:RemovePreset>");
  EXPECT_EQ(LastCall(), "RemovePtzPreset camera_id: \"cam-1\" node_id: \"head\" slot: 2");
  EXPECT_EQ(
      PtzFault("<tptz:RemovePreset>" + Profile("<tptz:PresetToken>preset_2</tptz:PresetToken>") +
               "</tptz:RemovePreset>"),
      "NoToken");

  // A camera that fails to store it: the slot is not taken.
  adapter_.status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the dome is silent");
  EXPECT_FALSE(PtzFault("<tptz:SetPreset>" + Profile("") + "</tptz:SetPreset>").empty());
  adapter_.status = grpc::Status::OK;
  PtzOk("<tptz:SetPreset>" + Profile("") + "</tptz:SetPreset>");
  EXPECT_EQ(LastCall(), "SetPtzPreset camera_id: \"cam-1\" node_id: \"head\" slot: 2");
}

TEST_F(PtzServiceTest, StatusIsWhatTheHeadReports) {
  adapter_.ptz_status.mutable_position()->mutable_pan_tilt()->set_x(0.25f);
  adapter_.ptz_status.mutable_position()->mutable_pan_tilt()->set_y(-0.5f);
  adapter_.ptz_status.mutable_position()->mutable_zoom()->set_x(0.75f);
  adapter_.ptz_status.set_pan_tilt_status(adapters::v1::PTZ_MOVE_STATUS_MOVING);
  adapter_.ptz_status.set_zoom_status(adapters::v1::PTZ_MOVE_STATUS_IDLE);
  std::string r = PtzOk("<tptz:GetStatus>" + Profile("") + "</tptz:GetStatus>");
  EXPECT_NE(
      r.find("<tt:PanTilt x=\"0.25\" y=\"-0.5\" "
             "space=\"http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace\"/>"),
      std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:PanTilt>MOVING</tt:PanTilt><tt:Zoom>IDLE</tt:Zoom>"), std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:UtcTime>2026-01-01T00:00:00Z</tt:UtcTime>"), std::string::npos) << r;
  // Without a position: none reported, and what is not known is UNKNOWN.
  adapter_.ptz_status = {};
  r = PtzOk("<tptz:GetStatus>" + Profile("") + "</tptz:GetStatus>");
  EXPECT_EQ(r.find("<tt:Position>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:PanTilt>UNKNOWN</tt:PanTilt>"), std::string::npos) << r;
  adapter_.status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "no answer");
  EXPECT_FALSE(PtzFault("<tptz:GetStatus>" + Profile("") + "</tptz:GetStatus>").empty());
}

TEST_F(PtzServiceTest, HomeAndAuxiliaryCommands) {
  PtzOk("<tptz:SetHomePosition>" + Profile("") + "</tptz:SetHomePosition>");
  EXPECT_EQ(LastCall(), "SetPtzHome camera_id: \"cam-1\" node_id: \"head\"");
  std::string r = PtzOk("<tptz:SendAuxiliaryCommand>" +
                        Profile("<tptz:AuxiliaryData>tt:Wiper|On</tptz:AuxiliaryData>") +
                        "</tptz:SendAuxiliaryCommand>");
  EXPECT_EQ(LastCall(), "SendAuxiliaryCommand cam-1 tt:Wiper|On");
  EXPECT_NE(r.find("done tt:Wiper|On"), std::string::npos) << r;
}

class FixedHomePtzTest : public MediaServiceTest {
 protected:
  ManualClock timer_clock_;
  ptz::PtzMoveTimers timers_{timer_clock_};
};

TEST_F(FixedHomePtzTest, AFixedHomeCannotBeOverwrittenButCanBeReached) {
  adapter_.AddPtzNode([](adapters::v1::PtzNode& n) { n.set_settable_home(false); });
  device_.ptz_moves = &timers_;
  EXPECT_EQ(FaultOf("<tptz:SetHomePosition>" + Profile("") + "</tptz:SetHomePosition>", kPtz),
            "CannotOverwriteHome");
  Ok("<tptz:GotoHomePosition>" + Profile("") + "</tptz:GotoHomePosition>", kPtz);
}

TEST_F(FixedHomePtzTest, AHeadWithoutZoomTakesAZeroZoomAndRefusesAnyOther) {
  adapter_.AddPtzNode([](adapters::v1::PtzNode& n) { n.set_zoom(false); });
  device_.ptz_moves = &timers_;
  // What the npm onvif client sends whatever the head: the zero is dropped.
  Ok("<tptz:ContinuousMove>" +
         Profile("<tptz:Velocity><tt:PanTilt x=\"0.5\" y=\"0\"/><tt:Zoom x=\"0\"/>"
                 "</tptz:Velocity>") +
         "</tptz:ContinuousMove>",
     kPtz);
  EXPECT_EQ(adapter_.calls.back(),
            "ContinuousMovePtz camera_id: \"cam-1\" node_id: \"head\" velocity { pan_tilt { x: "
            "0.5 } }");
  EXPECT_EQ(FaultOf("<tptz:AbsoluteMove>" +
                        Profile("<tptz:Position><tt:Zoom x=\"0.5\"/></tptz:Position>") +
                        "</tptz:AbsoluteMove>",
                    kPtz),
            "SpaceNotSupported");
}

TEST_F(FixedHomePtzTest, WithoutAHeadThePtzServiceIsNotOffered) {
  device_.ptz_moves = &timers_;
  EXPECT_NE(Call("<tptz:GetNodes/>", kPtz).body.find("ter:ActionNotSupported"), std::string::npos);
  EXPECT_EQ(
      Ok("<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>",
         kDevice)
          .find("ver20/ptz/wsdl"),
      std::string::npos);
  EXPECT_NE(
      Call("<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>", kDevice)
          .body.find("ter:NoSuchService"),
      std::string::npos);
}

}  // namespace
}  // namespace onvifgw::services
