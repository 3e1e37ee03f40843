// The Imaging service against a fake camera with one sensor: settings and
// options translated both ways, every change checked against the options
// before the camera sees it (ter:SettingsInvalid otherwise), the focus lens,
// and the documented faults. Every reply is validated with check-soap when
// it is present.

#include <gtest/gtest.h>

#include "media_test_fixture.h"

namespace onvifgw::services {
namespace {

inline constexpr const char* kImaging = "/onvif/imaging_service";
inline constexpr const char* kDevice = "/onvif/device_service";

std::string Source(const std::string& inner = "") {
  return "<timg:VideoSourceToken>VideoSource_0</timg:VideoSourceToken>" + inner;
}

class ImagingServiceTest : public MediaServiceTest {
 protected:
  ImagingServiceTest() { adapter_.AddImaging(); }

  std::string ImagingOk(const std::string& body) { return Ok(body, kImaging); }
  std::string ImagingFault(const std::string& body) { return FaultOf(body, kImaging); }
  std::string LastCall() const { return adapter_.calls.empty() ? "" : adapter_.calls.back(); }
};

TEST_F(ImagingServiceTest, SettingsAndOptionsAreTheCamerasInOnvifShape) {
  std::string r = ImagingOk("<timg:GetImagingSettings>" + Source() + "</timg:GetImagingSettings>");
  EXPECT_NE(r.find("<tt:Brightness>50</tt:Brightness>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:IrCutFilter>AUTO</tt:IrCutFilter>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:Exposure><tt:Mode>AUTO</tt:Mode></tt:Exposure>"), std::string::npos) << r;
  EXPECT_EQ(r.find("Sharpness"), std::string::npos) << r;  // the sensor has none
  EXPECT_EQ(LastCall(), "GetImagingSettings camera_id: \"cam-1\" imaging_id: \"0\"");

  r = ImagingOk("<timg:GetOptions>" + Source() + "</timg:GetOptions>");
  EXPECT_NE(r.find("<tt:Brightness><tt:Min>0</tt:Min><tt:Max>100</tt:Max></tt:Brightness>"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:IrCutFilterModes>ON</tt:IrCutFilterModes>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:Mode>MANUAL</tt:Mode>"), std::string::npos) << r;
  EXPECT_EQ(r.find("ColorSaturation"), std::string::npos) << r;

  r = ImagingOk("<timg:GetMoveOptions>" + Source() + "</timg:GetMoveOptions>");
  EXPECT_NE(r.find("<tt:Absolute><tt:Position><tt:Min>0</tt:Min><tt:Max>1</tt:Max>"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:Continuous><tt:Speed><tt:Min>-1</tt:Min>"), std::string::npos) << r;
  EXPECT_EQ(r.find("<tt:Relative>"), std::string::npos) << r;
}

TEST_F(ImagingServiceTest, ChangesWithinTheOptionsReachTheCamera) {
  ImagingOk("<timg:SetImagingSettings>" + Source() +
            "<timg:ImagingSettings><tt:Brightness>80</tt:Brightness>"
            "<tt:Exposure><tt:Mode>MANUAL</tt:Mode><tt:ExposureTime>2000</tt:ExposureTime>"
            "</tt:Exposure><tt:IrCutFilter>OFF</tt:IrCutFilter></timg:ImagingSettings>"
            "</timg:SetImagingSettings>");
  EXPECT_EQ(LastCall(),
            "SetImagingSettings camera_id: \"cam-1\" imaging_id: \"0\" settings { brightness: 80 "
            "ir_cut_filter: IR_CUT_FILTER_MODE_OFF exposure { mode: AUTO_MANUAL_MODE_MANUAL "
            "exposure_time: 2000 } }");
  std::string r = ImagingOk("<timg:GetImagingSettings>" + Source() + "</timg:GetImagingSettings>");
  EXPECT_NE(r.find("<tt:Brightness>80</tt:Brightness>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:ExposureTime>2000</tt:ExposureTime>"), std::string::npos) << r;
}

TEST_F(ImagingServiceTest, ChangesOutsideTheOptionsAreRefusedAndNothingChanges) {
  const size_t calls = adapter_.calls.size();
  for (const char* settings :
       {"<tt:Brightness>101</tt:Brightness>",  // out of range
        "<tt:Sharpness>1</tt:Sharpness>",      // the sensor has no sharpness
        "<tt:Brightness>10</tt:Brightness><tt:Contrast>-1</tt:Contrast>",  // one bad of two
        "<tt:Exposure><tt:Mode>MANUAL</tt:Mode><tt:ExposureTime>5</tt:ExposureTime></tt:Exposure>",
        "<tt:Exposure><tt:Mode>AUTO</tt:Mode><tt:MinGain>1</tt:MinGain></tt:Exposure>",
        "<tt:WideDynamicRange><tt:Mode>ON</tt:Mode></tt:WideDynamicRange>",
        "<tt:WhiteBalance><tt:Mode>AUTO</tt:Mode></tt:WhiteBalance>"}) {
    EXPECT_EQ(ImagingFault("<timg:SetImagingSettings>" + Source() + "<timg:ImagingSettings>" +
                           settings + "</timg:ImagingSettings></timg:SetImagingSettings>"),
              "SettingsInvalid")
        << settings;
  }
  EXPECT_EQ(adapter_.calls.size(), calls);
  EXPECT_EQ(adapter_.imaging_settings.brightness(), 50);
}

TEST_F(ImagingServiceTest, TheFocusLensMovesStopsAndReportsItsStatus) {
  ImagingOk("<timg:Move>" + Source() +
            "<timg:Focus><tt:Absolute><tt:Position>0.25</tt:Position></tt:Absolute></timg:Focus>"
            "</timg:Move>");
  EXPECT_EQ(LastCall(),
            "MoveFocus camera_id: \"cam-1\" imaging_id: \"0\" absolute { position: 0.25 }");
  ImagingOk("<timg:Move>" + Source() +
            "<timg:Focus><tt:Continuous><tt:Speed>-0.5</tt:Speed></tt:Continuous></timg:Focus>"
            "</timg:Move>");
  EXPECT_EQ(LastCall(),
            "MoveFocus camera_id: \"cam-1\" imaging_id: \"0\" continuous { speed: -0.5 }");
  ImagingOk("<timg:Stop>" + Source() + "</timg:Stop>");
  EXPECT_EQ(LastCall(), "StopFocus camera_id: \"cam-1\" imaging_id: \"0\"");
  std::string r = ImagingOk("<timg:GetStatus>" + Source() + "</timg:GetStatus>");
  EXPECT_NE(r.find("<tt:Position>0.5</tt:Position><tt:MoveStatus>IDLE</tt:MoveStatus>"),
            std::string::npos)
      << r;

  // Relative moves are not offered; positions beyond the range are refused.
  EXPECT_EQ(ImagingFault("<timg:Move>" + Source() +
                         "<timg:Focus><tt:Relative><tt:Distance>0.1</tt:Distance></tt:Relative>"
                         "</timg:Focus></timg:Move>"),
            "SettingsInvalid");
  EXPECT_EQ(ImagingFault("<timg:Move>" + Source() +
                         "<timg:Focus><tt:Absolute><tt:Position>2</tt:Position></tt:Absolute>"
                         "</timg:Focus></timg:Move>"),
            "SettingsInvalid");
  EXPECT_EQ(ImagingFault("<timg:Move>" + Source() + "<timg:Focus/></timg:Move>"),
            "SettingsInvalid");
}

TEST_F(ImagingServiceTest, ALensThatDoesNotKnowItsPositionSaysSo) {
  adapter_.focus_status.clear_position();
  adapter_.focus_status.set_move_status(adapters::v1::PTZ_MOVE_STATUS_UNKNOWN);
  std::string r = ImagingOk("<timg:GetStatus>" + Source() + "</timg:GetStatus>");
  EXPECT_NE(r.find("<tt:MoveStatus>UNKNOWN</tt:MoveStatus><tt:Error>"), std::string::npos) << r;
}

TEST_F(ImagingServiceTest, ASensorWithoutFocusMovesHasNoLens) {
  adapter_.AddImaging([](adapters::v1::ImagingOptions& o) { o.mutable_focus()->clear_move(); });
  EXPECT_EQ(ImagingFault("<timg:Move>" + Source() +
                         "<timg:Focus><tt:Continuous><tt:Speed>1</tt:Speed></tt:Continuous>"
                         "</timg:Focus></timg:Move>"),
            "NoImagingForSource");
  std::string r = ImagingOk("<timg:GetStatus>" + Source() + "</timg:GetStatus>");
  EXPECT_EQ(r.find("FocusStatus20"), std::string::npos) << r;
  r = ImagingOk("<timg:GetMoveOptions>" + Source() + "</timg:GetMoveOptions>");
  EXPECT_NE(r.find("<timg:MoveOptions/>"), std::string::npos) << r;
}

TEST_F(ImagingServiceTest, DocumentedFaults) {
  EXPECT_EQ(ImagingFault("<timg:GetImagingSettings><timg:VideoSourceToken>nope"
                         "</timg:VideoSourceToken></timg:GetImagingSettings>"),
            "NoSource");
  EXPECT_EQ(ImagingFault("<timg:GetPresets>" + Source() + "</timg:GetPresets>"),
            "ActionNotSupported");
  adapter_.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "camera gone");
  EXPECT_NE(ImagingFault("<timg:GetImagingSettings>" + Source() + "</timg:GetImagingSettings>"),
            "");
}

TEST_F(ImagingServiceTest, TheDeviceAdvertisesTheImagingService) {
  std::string r = Ok(
      "<tds:GetCapabilities><tds:Category>Imaging</tds:Category></tds:GetCapabilities>", kDevice);
  EXPECT_NE(r.find("<tt:XAddr>http://192.0.2.10:8080/onvif/imaging_service</tt:XAddr>"),
            std::string::npos)
      << r;
  r = Ok("<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>",
         kDevice);
  EXPECT_NE(r.find("http://www.onvif.org/ver20/imaging/wsdl"), std::string::npos) << r;
  r = ImagingOk("<timg:GetServiceCapabilities/>");
  EXPECT_NE(r.find("Presets=\"false\""), std::string::npos) << r;
}

class CameraWithoutImagingTest : public MediaServiceTest {};

TEST_F(CameraWithoutImagingTest, TheServiceIsNotOffered) {
  EXPECT_EQ(
      FaultOf("<timg:GetImagingSettings>" + Source() + "</timg:GetImagingSettings>", kImaging),
      "ActionNotSupported");
  EXPECT_EQ(FaultOf("<tds:GetCapabilities><tds:Category>Imaging</tds:Category>"
                    "</tds:GetCapabilities>",
                    kDevice),
            "NoSuchService");
}

}  // namespace
}  // namespace onvifgw::services
