// The VAPIX reply readers and PTZ mappings, on the sample bodies of
// shared/protocols/axis-vapix.md (and what the fake camera in tests/fakes/axis_camera.py sends).

#include "adapters/vapix/vapix_params.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/vapix/vapix_ptz.h"

namespace onvifgw::vapix {
namespace {

// --------------------------------------------------------------------------------- param.cgi

TEST(VapixParams, ReadsAListWithAndWithoutRoot) {
  const ParamList list = ParseParamList(
      "root.Brand.Brand=AXIS\r\n"
      "root.Brand.ProdFullName=AXIS P5635-E PTZ Dome Network Camera\r\n"
      "Properties.API.HTTP.Version=3\r\n"
      "root.Properties.Image.Resolution=1280x720,640x360\r\n"
      "root.Network.HostName=\r\n"
      "root.Time.NTP.Server=a=b\r\n");
  EXPECT_TRUE(list.errors.empty());
  EXPECT_TRUE(list.other_lines.empty());
  EXPECT_EQ(list.Get("Brand.Brand"), "AXIS");
  EXPECT_EQ(list.Get("root.Brand.ProdFullName"), "AXIS P5635-E PTZ Dome Network Camera");
  EXPECT_EQ(list.Get("Properties.API.HTTP.Version"), "3");
  EXPECT_EQ(list.Get("Network.HostName", "x"), "");  // Empty, not absent.
  EXPECT_EQ(list.Get("Time.NTP.Server"), "a=b");     // Only the first '=' separates.
  EXPECT_EQ(list.Get("Nothing.Here", "fallback"), "fallback");
  EXPECT_TRUE(list.HasGroup("Brand"));
  EXPECT_TRUE(list.HasGroup("root.Properties.Image"));
  EXPECT_FALSE(list.HasGroup("Prop"));  // Whole components only.
  EXPECT_FALSE(list.HasGroup("IOPort"));
}

TEST(VapixParams, ErrorLinesNameTheirGroupAmongGoodLines) {
  const std::string body =
      "root.Brand.Brand=AXIS\r\n"
      "# Error: Error -1 getting param in group 'PTZ.Preset.P0.HomePosition'\r\n"
      "root.Properties.PTZ.PTZ=no\r\n"
      "# Error: Error -1 getting param in group 'root.IOPort'\r\n";
  const ParamList list = ParseParamList(body);
  ASSERT_EQ(list.errors.size(), 2U);
  EXPECT_EQ(list.errors[0].subject, "PTZ.Preset.P0.HomePosition");
  EXPECT_EQ(list.errors[0].text, "Error -1 getting param in group 'PTZ.Preset.P0.HomePosition'");
  EXPECT_EQ(list.errors[1].subject, "IOPort");
  EXPECT_EQ(list.Get("Properties.PTZ.PTZ"), "no");
  EXPECT_NE(list.ErrorFor("IOPort"), nullptr);
  EXPECT_NE(list.ErrorFor("IOPort.I0"), nullptr);  // Inside a refused group.
  EXPECT_NE(list.ErrorFor("PTZ"), nullptr);        // A parameter of the group was refused.
  EXPECT_EQ(list.ErrorFor("Brand"), nullptr);

  auto strict = ParseParamListStrict(body);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error().message,
            "the camera refused group 'PTZ.Preset.P0.HomePosition' (Error -1 getting param in "
            "group 'PTZ.Preset.P0.HomePosition'); the camera refused group 'IOPort' (Error -1 "
            "getting param in group 'root.IOPort')");
}

TEST(VapixParams, StrictListNeedsParameters) {
  EXPECT_TRUE(ParseParamListStrict("root.A.B=1\r\n").ok());
  auto html = ParseParamListStrict("<html><body>Not here</body></html>\r\n");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().message, "not a parameter list: \"<html><body>Not here</body></html>\"");
  EXPECT_FALSE(ParseParamListStrict("").ok());
  const ParamList odd = ParseParamList("some words = here\r\nroot.A.B=1\n");
  EXPECT_EQ(odd.other_lines, std::vector<std::string>{"some words = here"});
  EXPECT_EQ(odd.Get("A.B"), "1");  // A bare LF ends a line too.
}

TEST(VapixParams, UpdateErrorsNameTheParameter) {
  const ParamList list =
      ParseParamList("# Error: Error setting 'IOPort.I2.Output.Active' to 'sideways'!\r\n");
  ASSERT_EQ(list.errors.size(), 1U);
  EXPECT_EQ(list.errors[0].subject, "IOPort.I2.Output.Active");
  auto reply = CheckControlReply(200,
                                 "# Error: Error setting 'IOPort.I2.Output.Active' to "
                                 "'sideways'!\r\n");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().message,
            "# Error: Error setting 'IOPort.I2.Output.Active' to 'sideways'!");
}

// ----------------------------------------------------------------------------- Control replies

TEST(VapixParams, ControlRepliesSucceedOnOkAndEmptyAndFailWithTheCamerasText) {
  EXPECT_TRUE(CheckControlReply(204, "").ok());
  EXPECT_TRUE(CheckControlReply(200, "").ok());
  EXPECT_TRUE(CheckControlReply(200, "OK\r\n").ok());
  EXPECT_TRUE(CheckControlReply(200, "ok").ok());
  EXPECT_TRUE(CheckControlReply(200, "\r\n").ok());

  auto ptz = CheckControlReply(200, "Error: pan out of range\r\n");
  ASSERT_FALSE(ptz.ok());
  EXPECT_EQ(ptz.error().message, "Error: pan out of range");
  auto date = CheckControlReply(200, "Request failed: missing or bad 'year'\r\n");
  ASSERT_FALSE(date.ok());
  EXPECT_EQ(date.error().message, "Request failed: missing or bad 'year'");
  auto param = CheckControlReply(200, "# Error: No parameters to update\r\n");
  ASSERT_FALSE(param.ok());
  EXPECT_EQ(param.error().message, "# Error: No parameters to update");
  auto other = CheckControlReply(200, "Hello there\r\n");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message, "unexpected reply \"Hello there\"");

  // restart.cgi's text varies: only an error fails the lenient check.
  EXPECT_TRUE(CheckNoErrorReply("<html>Restarting...</html>").ok());
  EXPECT_FALSE(CheckNoErrorReply("Error: not allowed\r\n").ok());
}

TEST(VapixParams, CameraTextIsBoundedAndPrintable) {
  EXPECT_EQ(CameraText("  one \r\n\r\ntwo\r\n"), "one / two");
  EXPECT_EQ(CameraText(std::string("a\x01"
                                   "b\x7f",
                                   4)),
            "a?b?");
  const std::string long_text(300, 'x');
  EXPECT_EQ(CameraText(long_text), std::string(kMaxCameraText, 'x') + "...");
  EXPECT_TRUE(IsErrorLine("# Error: x"));
  EXPECT_TRUE(IsErrorLine("#Error: x"));
  EXPECT_TRUE(IsErrorLine("Error: x"));
  EXPECT_TRUE(IsErrorLine("  Request failed: x"));
  EXPECT_FALSE(IsErrorLine("pan=1"));
  EXPECT_FALSE(IsErrorLine("# a comment"));
}

// ---------------------------------------------------------------------------------- key=value

TEST(VapixParams, KeyValueRepliesOfPtzAndPorts) {
  auto position = ParseKeyValues(
      "pan=51.2891\r\ntilt=46.1914\r\nzoom=1\r\niris=6427\r\nfocus=8265\r\nbrightness=4999\r\n"
      "autofocus=off\r\nautoiris=on\r\n");
  ASSERT_TRUE(position.ok()) << position.error().message;
  EXPECT_EQ(position->size(), 8U);
  EXPECT_EQ(position->at("pan"), "51.2891");
  EXPECT_EQ(position->at("autoiris"), "on");

  auto presets = ParseKeyValues(
      "Preset Positions for camera 1\r\npresetposno1=Home\r\n"
      "presetposno2=Door\r\n");
  ASSERT_TRUE(presets.ok());
  EXPECT_EQ(presets->size(), 2U);  // The title has no '='.

  auto error = ParseKeyValues("Error: unsupported query 'nothing'\r\n");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().message, "Error: unsupported query 'nothing'");
}

TEST(VapixParams, PortStates) {
  auto ports = ParsePortActive("port3=active\r\nport4=inactive\r\n");
  ASSERT_TRUE(ports.ok()) << ports.error().message;
  EXPECT_EQ(*ports, (std::map<uint32_t, bool>{{3, true}, {4, false}}));
  EXPECT_FALSE(ParsePortActive("port1=1\r\n").ok());  // A raw level, not checkactive.
  EXPECT_FALSE(ParsePortActive("").ok());
  auto error = ParsePortActive("Error: port 9 does not exist\r\n");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().message, "Error: port 9 does not exist");
}

TEST(VapixParams, IoPortsFromTheIoPortGroup) {
  const ParamList list = ParseParamList(
      "root.IOPort.I0.Configurable=no\r\n"
      "root.IOPort.I0.Direction=input\r\n"
      "root.IOPort.I0.Input.Name=Door contact\r\n"
      "root.IOPort.I0.Input.Trig=closed\r\n"
      "root.IOPort.I1.Direction=output\r\n"
      "root.IOPort.I1.Output.Active=open\r\n"
      "root.IOPort.I1.Output.Name=Siren\r\n"
      "root.IOPort.I10.Direction=output\r\n"
      "root.IOPort.I10.Output.Name=Light\r\n"
      "root.IOPort.I2.Configurable=yes\r\n");  // No direction: left out.
  const std::vector<IoPort> ports = IoPortsFromParams(list);
  ASSERT_EQ(ports.size(), 3U);
  EXPECT_EQ(ports[0], (IoPort{1, false, "Door contact", true}));
  EXPECT_EQ(ports[1], (IoPort{2, true, "Siren", false}));
  EXPECT_EQ(ports[2], (IoPort{11, true, "Light", true}));  // Active defaults to closed.
}

TEST(VapixParams, AnInputsActiveStateIsItsTrig) {
  const ParamList list = ParseParamList(
      "root.IOPort.I0.Direction=input\r\n"
      "root.IOPort.I0.Input.Trig=open\r\n"
      "root.IOPort.I1.Direction=input\r\n");
  const std::vector<IoPort> ports = IoPortsFromParams(list);
  ASSERT_EQ(ports.size(), 2U);
  EXPECT_FALSE(ports[0].active_closed);  // Active when open: idle closed.
  EXPECT_TRUE(ports[1].active_closed);   // Trig defaults to closed.
}

// ------------------------------------------------------------------------------------- Video

TEST(VapixParams, ResolutionsAndFormats) {
  const auto sizes = ParseResolutions("4CIF,1280x720, 1920x1080,640x360,CIF,0x0,99999x2");
  ASSERT_EQ(sizes.size(), 3U);
  EXPECT_EQ(sizes[0], (Resolution{1280, 720}));
  EXPECT_EQ(LargestResolution(sizes), (Resolution{1920, 1080}));
  EXPECT_FALSE(LargestResolution({}).has_value());
  EXPECT_TRUE(ListContains("jpeg,mjpeg,h264", "h264"));
  EXPECT_TRUE(ListContains("jpeg, MJPEG ,H264", "h264"));
  EXPECT_FALSE(ListContains("jpeg,mjpeg,h2645", "h264"));
  EXPECT_FALSE(ListContains("", "h264"));
}

TEST(VapixParams, CgiPathsPerGeneration) {
  EXPECT_EQ(CgiPath(Cgi::kParam, true), "/axis-cgi/param.cgi");
  EXPECT_EQ(CgiPath(Cgi::kParam, false), "/axis-cgi/operator/param.cgi");
  EXPECT_EQ(CgiPath(Cgi::kRestart, true), "/axis-cgi/restart.cgi");
  EXPECT_EQ(CgiPath(Cgi::kRestart, false), "/axis-cgi/admin/restart.cgi");
  EXPECT_EQ(CgiPath(Cgi::kFactoryDefault, false), "/axis-cgi/admin/factorydefault.cgi");
  EXPECT_EQ(CgiPath(Cgi::kSystemLog, false), "/axis-cgi/admin/systemlog.cgi");
  EXPECT_EQ(CgiPath(Cgi::kDate, false), "/axis-cgi/admin/date.cgi");
  EXPECT_EQ(CgiPath(Cgi::kHardFactoryDefault, false), "/axis-cgi/hardfactorydefault.cgi");
  EXPECT_EQ(CgiPath(Cgi::kPtz, false), "/axis-cgi/com/ptz.cgi");
  EXPECT_EQ(CgiPath(Cgi::kPort, true), "/axis-cgi/io/port.cgi");
  EXPECT_EQ(CgiPath(Cgi::kSnapshot, false), "/axis-cgi/jpg/image.cgi");
}

// ------------------------------------------------------------------------------------- Clock

TEST(VapixParams, ReadsDateCgi) {
  auto date = ParseCameraDate("Jul 24, 2013 19:19:17\r\n");
  ASSERT_TRUE(date.ok()) << date.error().message;
  EXPECT_EQ(*date, (CivilTime{2013, 7, 24, 19, 19, 17}));
  auto padded = ParseCameraDate("Jul 04, 2013 09:05:00");
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(padded->day, 4);
  auto unpadded = ParseCameraDate("\r\nFeb 9, 2024 00:00:59\r\n");
  ASSERT_TRUE(unpadded.ok());
  EXPECT_EQ(*unpadded, (CivilTime{2024, 2, 9, 0, 0, 59}));
  EXPECT_TRUE(ParseCameraDate("Feb 29, 2024 12:00:00").ok());
  EXPECT_FALSE(ParseCameraDate("Feb 29, 2023 12:00:00").ok());
  EXPECT_FALSE(ParseCameraDate("Jux 24, 2013 19:19:17").ok());
  EXPECT_FALSE(ParseCameraDate("Jul 24 2013 19:19:17").ok());
  EXPECT_FALSE(ParseCameraDate("Jul 24, 2013 24:19:17").ok());
  EXPECT_FALSE(ParseCameraDate("Jul 24, 2013 19:19:17 extra").ok());
  auto failed = ParseCameraDate("Request failed: clock not set\r\n");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "Request failed: clock not set");
}

TEST(VapixParams, CivilTimeRoundTrips) {
  EXPECT_EQ(CivilToEpoch({1970, 1, 1, 0, 0, 0}), 0);
  EXPECT_EQ(CivilToEpoch({2013, 7, 24, 19, 19, 17}), 1374693557);
  EXPECT_EQ(CivilToEpoch({2024, 2, 29, 23, 59, 59}), 1709251199);
  EXPECT_EQ(EpochToCivil(1374693557), (CivilTime{2013, 7, 24, 19, 19, 17}));
  EXPECT_EQ(EpochToCivil(4102444799), (CivilTime{2099, 12, 31, 23, 59, 59}));
  for (int64_t t = 0; t < 4102444800; t += 86400 * 37 + 3671) {
    ASSERT_EQ(CivilToEpoch(EpochToCivil(t)), t);
  }
}

TEST(VapixParams, PosixZonesWithFixedOffsets) {
  EXPECT_EQ(PosixZoneOffset("UTC0").value(), 0);
  EXPECT_EQ(PosixZoneOffset("GMT0").value(), 0);
  EXPECT_EQ(PosixZoneOffset("CET-1").value(), 3600);  // POSIX counts west: CET-1 is UTC+1.
  EXPECT_EQ(PosixZoneOffset("EST5").value(), -5 * 3600);
  EXPECT_EQ(PosixZoneOffset("EST+5").value(), -5 * 3600);
  EXPECT_EQ(PosixZoneOffset("<+0530>-5:30").value(), 5 * 3600 + 30 * 60);
  EXPECT_EQ(PosixZoneOffset("XYZ-3:30:15").value(), 3 * 3600 + 30 * 60 + 15);
  auto dst = PosixZoneOffset("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_FALSE(dst.ok());
  EXPECT_NE(dst.error().message.find("daylight saving part"), std::string::npos);
  EXPECT_FALSE(PosixZoneOffset("").ok());
  EXPECT_FALSE(PosixZoneOffset("UT0").ok());    // A name has 3 letters or more.
  EXPECT_FALSE(PosixZoneOffset("UTC").ok());    // No offset.
  EXPECT_FALSE(PosixZoneOffset("UTC25").ok());  // Beyond 24 hours.
  EXPECT_FALSE(PosixZoneOffset("<+05>").ok());
  EXPECT_FALSE(PosixZoneOffset("Europe/Paris").ok());
}

// --------------------------------------------------------------------------------------- PTZ

TEST(VapixParams, PtzLimitsPositionAndPresets) {
  auto limits = ParsePtzLimits(
      "MinPan=-170\r\nMaxPan=170\r\nMinTilt=-20\r\nMaxTilt=90\r\nMinZoom=1\r\nMaxZoom=9999\r\n"
      "MinIris=1\r\nMaxIris=9999\r\nMinFieldAngle=22\r\nMaxFieldAngle=623\r\n");
  ASSERT_TRUE(limits.ok()) << limits.error().message;
  EXPECT_EQ(limits->pan, (Range{-170, 170}));
  EXPECT_EQ(limits->tilt, (Range{-20, 90}));
  EXPECT_EQ(limits->zoom, (Range{1, 9999}));
  auto partial = ParsePtzLimits("MinZoom=1\r\nMaxZoom=9999\r\nMinPan=10\r\nMaxPan=10\r\n");
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->pan.has_value());  // An empty range is no range.
  EXPECT_FALSE(partial->tilt.has_value());
  EXPECT_TRUE(partial->zoom.has_value());
  EXPECT_FALSE(ParsePtzLimits("Error: unsupported query 'limits'\r\n").ok());

  auto position = ParsePtzPosition("pan=51.2891\r\ntilt=-46.1914\r\nzoom=1\r\nautofocus=off\r\n");
  ASSERT_TRUE(position.ok());
  EXPECT_DOUBLE_EQ(*position->pan, 51.2891);
  EXPECT_DOUBLE_EQ(*position->tilt, -46.1914);
  EXPECT_DOUBLE_EQ(*position->zoom, 1);
  auto zoom_only = ParsePtzPosition("zoom=4000\r\n");
  ASSERT_TRUE(zoom_only.ok());
  EXPECT_FALSE(zoom_only->pan.has_value());
  EXPECT_FALSE(ParsePtzPosition("pan=left\r\n").ok());

  EXPECT_EQ(ParseFocusLimits("MinZoom=1\r\nMaxZoom=9999\r\nMinFocus=1\r\nMaxFocus=9999\r\n"),
            (Range{1, 9999}));
  EXPECT_FALSE(ParseFocusLimits("MinZoom=1\r\nMaxZoom=9999\r\n").has_value());
  auto lens = ParseFocusPosition("pan=1\r\nfocus=8265\r\nautofocus=off\r\n");
  ASSERT_TRUE(lens.ok());
  EXPECT_DOUBLE_EQ(*lens->focus, 8265);
  EXPECT_EQ(lens->autofocus, false);
  auto fixed = ParseFocusPosition("pan=1\r\n");
  ASSERT_TRUE(fixed.ok());
  EXPECT_FALSE(fixed->focus.has_value());
  EXPECT_FALSE(fixed->autofocus.has_value());
  EXPECT_FALSE(ParseFocusPosition("focus=near\r\n").ok());

  auto presets = ParsePresetNumbers(
      "Preset Positions for camera 1\r\npresetposno1=Home\r\npresetposno12=Gate\r\n"
      "presetposno2=Door\r\n");
  ASSERT_TRUE(presets.ok());
  EXPECT_EQ(*presets, (std::vector<uint32_t>{1, 2, 12}));
}

TEST(VapixPtz, MapsTheGenericSpacesOntoPtzCgi) {
  const PtzLimits limits{Range{-180, 180}, Range{-90, 20}, Range{1, 9999}};
  EXPECT_EQ(PtzQueryString(1, ContinuousParams({0.5, -0.25, std::nullopt})),
            "camera=1&continuouspantiltmove=50,-25");
  EXPECT_EQ(PtzQueryString(2, ContinuousParams({0.004, 1.0, -0.333})),
            "camera=2&continuouspantiltmove=0,100&continuouszoommove=-33");
  EXPECT_TRUE(ContinuousParams({}).empty());
  EXPECT_EQ(PtzQueryString(1, StopParams(true, true)),
            "camera=1&continuouspantiltmove=0,0&continuouszoommove=0");
  EXPECT_EQ(PtzQueryString(1, StopParams(false, true)), "camera=1&continuouszoommove=0");
  EXPECT_TRUE(StopParams(false, false).empty());

  auto absolute = AbsoluteParams(limits, {0.5, -1, 0.5});
  ASSERT_TRUE(absolute.ok());
  EXPECT_EQ(PtzQueryString(1, *absolute), "camera=1&pan=90&tilt=-90&zoom=5000");
  auto corner = AbsoluteParams(limits, {1, 1, 0});
  ASSERT_TRUE(corner.ok());
  EXPECT_EQ(PtzQueryString(1, *corner), "camera=1&pan=180&tilt=20&zoom=1");
  auto relative = RelativeParams(limits, {0.1, -0.5, 0.25});
  ASSERT_TRUE(relative.ok());
  EXPECT_EQ(PtzQueryString(1, *relative), "camera=1&rpan=18&rtilt=-27.5&rzoom=2500");
  auto no_zoom = AbsoluteParams(PtzLimits{Range{-180, 180}, Range{-90, 20}, std::nullopt},
                                {std::nullopt, std::nullopt, 0.5});
  ASSERT_FALSE(no_zoom.ok());
  EXPECT_EQ(no_zoom.error().message, "the camera reports no zoom limits (ptz.cgi query=limits)");

  EXPECT_EQ(SpeedParam(0.5)->second, "50");
  EXPECT_EQ(SpeedParam(0.0)->second, "1");  // ptz.cgi speeds are 1..100.
  EXPECT_EQ(SpeedParam(1.0)->second, "100");
  EXPECT_FALSE(SpeedParam(std::nullopt).has_value());

  const PtzAxes generic = GenericPosition(limits, PtzPosition{90, -35, 5000});
  EXPECT_DOUBLE_EQ(*generic.pan, 0.5);
  EXPECT_DOUBLE_EQ(*generic.tilt, 0.0);
  EXPECT_DOUBLE_EQ(*generic.zoom, 4999.0 / 9998.0);
  const PtzAxes outside = GenericPosition(limits, PtzPosition{200, std::nullopt, 0});
  EXPECT_DOUBLE_EQ(*outside.pan, 1.0);  // Clamped.
  EXPECT_FALSE(outside.tilt.has_value());
  EXPECT_DOUBLE_EQ(*outside.zoom, 0.0);
  EXPECT_EQ(FormatNumber(-12.50001, 4), "-12.5");
  EXPECT_EQ(FormatNumber(-0.00001, 4), "0");
  EXPECT_EQ(FormatNumber(51.28914, 4), "51.2891");
}

// ------------------------------------------------------------------------------------ Motion

TEST(VapixParams, MotionRecords) {
  auto idle = ParseMotionRecord("group=0;level=3;threshold=20;");
  ASSERT_TRUE(idle.has_value());
  EXPECT_EQ(idle->group, 0U);
  EXPECT_EQ(idle->level, 3U);
  EXPECT_EQ(idle->threshold, 20U);
  EXPECT_FALSE(idle->Motion());
  auto moving = ParseMotionRecord(" threshold=20 ; level=75;group=1");
  ASSERT_TRUE(moving.has_value());
  EXPECT_EQ(moving->group, 1U);
  EXPECT_TRUE(moving->Motion());
  EXPECT_FALSE(ParseMotionRecord("group=0;level=20;threshold=20;")->Motion());
  EXPECT_FALSE(ParseMotionRecord("group=0;level=3;").has_value());
  EXPECT_FALSE(ParseMotionRecord("group=0;level=high;threshold=20;").has_value());
  EXPECT_FALSE(ParseMotionRecord("Error: no such motion window group").has_value());
  EXPECT_FALSE(ParseMotionRecord("").has_value());
}

}  // namespace
}  // namespace onvifgw::vapix
