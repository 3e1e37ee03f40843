// The classic Foscam CGI vocabulary (adapters/foscam/foscam_reply.h): pure functions, no I/O.

#include "adapters/foscam/foscam_reply.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace onvifgw::foscam {
namespace {

// A get_status.cgi body as recorded on an FI8918W: LF line ends, strings single-quoted.
constexpr const char* kStatusLf =
    "var id='000DC5D4DC51';\n"
    "var sys_ver='11.22.2.38';\n"
    "var app_ver='2.4.18.17';\n"
    "var alias='R2D2';\n"
    "var now=1352782910;\n"
    "var tz=18000;\n"
    "var alarm_status=0;\n"
    "var ddns_status=0;\n"
    "var ddns_host='';\n"
    "var oray_type=0;\n"
    "var upnp_status=0;\n"
    "var p2p_status=0;\n"
    "var p2p_local_port=25197;\n"
    "var msn_status=0;\n";

TEST(FoscamVars, ReadsAStatusReplyWithLfLineEnds) {
  auto vars = ParseVars(kStatusLf);
  ASSERT_TRUE(vars.ok()) << vars.error().message;
  EXPECT_EQ(vars->size(), 14U);
  EXPECT_EQ(vars->at("id"), "000DC5D4DC51");
  EXPECT_EQ(vars->at("sys_ver"), "11.22.2.38");
  EXPECT_EQ(vars->at("ddns_host"), "");
  EXPECT_EQ(IntVar(*vars, "now").value(), 1352782910);
  EXPECT_EQ(IntVar(*vars, "tz").value(), 18000);
  EXPECT_EQ(IntVar(*vars, "alarm_status").value(), 0);
}

TEST(FoscamVars, ReadsCrlfLineEndsAndAMissingFinalLineEnd) {
  auto vars = ParseVars("var brightness=169;\r\nvar contrast=2;\r\nvar alias='cam one'");
  ASSERT_TRUE(vars.ok()) << vars.error().message;
  EXPECT_EQ(IntVar(*vars, "brightness").value(), 169);
  EXPECT_EQ(IntVar(*vars, "contrast").value(), 2);
  EXPECT_EQ(vars->at("alias"), "cam one");

  auto one_line = ParseVars("var resolution=8; var brightness=169; var contrast=2;");
  ASSERT_TRUE(one_line.ok()) << one_line.error().message;
  EXPECT_EQ(one_line->size(), 3U);
  EXPECT_EQ(one_line->at("resolution"), "8");
}

TEST(FoscamVars, UnquotesStringsWithEscapesAndSemicolons) {
  auto vars = ParseVars(
      "var alias='it\\'s; here';\nvar path=\"a\\\\b\";\nvar bare= word ;\nvar empty=;\n"
      "var negative=-3600;\n");
  ASSERT_TRUE(vars.ok()) << vars.error().message;
  EXPECT_EQ(vars->at("alias"), "it's; here");
  EXPECT_EQ(vars->at("path"), "a\\b");
  EXPECT_EQ(vars->at("bare"), "word");
  EXPECT_EQ(vars->at("empty"), "");
  EXPECT_EQ(IntVar(*vars, "negative").value(), -3600);
}

TEST(FoscamVars, TakesStatementsWithoutTheVarKeywordOrTheSemicolon) {
  auto vars = ParseVars("user=admin\r\nvar pri=2\n");
  ASSERT_TRUE(vars.ok()) << vars.error().message;
  EXPECT_EQ(vars->at("user"), "admin");
  EXPECT_EQ(vars->at("pri"), "2");
}

TEST(FoscamVars, RefusesWhatIsNotAVarReply) {
  const auto error_of = [](const std::string& body) {
    auto vars = ParseVars(body);
    return vars.ok() ? std::string("parsed") : vars.error().message;
  };
  EXPECT_EQ(error_of(""), "the reply holds no `var name=value;` line");
  EXPECT_EQ(error_of("\r\n\n"), "the reply holds no `var name=value;` line");
  EXPECT_EQ(error_of("ok.\r\n"), "line 1: expected '=' after ok at \".\"");
  EXPECT_EQ(error_of("error: illegal params.\r\n"),
            "line 1: expected '=' after error at \": illegal params.\"");
  EXPECT_EQ(error_of("var a=1;\nvar b='open\nvar c=2;\n"), "line 2: unterminated string in b");
  EXPECT_EQ(error_of("var a=1;\n<html>\n"), "line 2: expected `var name=value;` at \"<html>\"");
  EXPECT_EQ(error_of("var a='x' y;\n"), "line 1: unexpected text after the value of a at \"y;\"");
}

TEST(FoscamVars, IntVarNamesAMissingOrBadVariable) {
  auto vars = ParseVars("var a=12x;\nvar b='';\n");
  ASSERT_TRUE(vars.ok());
  EXPECT_EQ(IntVar(*vars, "missing").error().message, "the reply has no missing");
  EXPECT_EQ(IntVar(*vars, "a").error().message, "the reply's a is not an integer: \"12x\"");
  EXPECT_EQ(IntVar(*vars, "b").error().message, "the reply's b is not an integer: \"\"");
}

TEST(FoscamReply, ClassifiesCommandReplies) {
  EXPECT_EQ(ClassifyCommandReply("ok.\r\n"), CommandReply::kOk);
  EXPECT_EQ(ClassifyCommandReply("ok.\n"), CommandReply::kOk);
  EXPECT_EQ(ClassifyCommandReply("ok."), CommandReply::kOk);
  EXPECT_EQ(ClassifyCommandReply("error: illegal params.\r\n"), CommandReply::kError);
  EXPECT_EQ(ClassifyCommandReply("\r\nerror: illegal params."), CommandReply::kError);
  EXPECT_EQ(ClassifyCommandReply("<html>ok</html>"), CommandReply::kOther);
  EXPECT_EQ(ClassifyCommandReply(""), CommandReply::kOther);
  EXPECT_EQ(ClassifyCommandReply("ok. more"), CommandReply::kOther);
  EXPECT_TRUE(IsCameraError("error: illegal params.\r\n"));
  EXPECT_FALSE(IsCameraError("var error=1;"));
}

TEST(FoscamReply, CameraTextIsTrimmedPrintableAndBounded) {
  EXPECT_EQ(CameraText("error: illegal params.\r\n"), "error: illegal params.");
  EXPECT_EQ(CameraText("a\x01\xff"
                       "b"),
            "a??b");
  EXPECT_EQ(CameraText(std::string(200, 'x')), std::string(120, 'x') + "...");
}

TEST(FoscamPtz, MoveCodesFollowTheSdkAndMirrorPan) {
  EXPECT_EQ(MoveCode(PtzDirection::kUp, false), 0U);
  EXPECT_EQ(MoveCode(PtzDirection::kDown, false), 2U);
  EXPECT_EQ(MoveCode(PtzDirection::kLeft, false), 4U);
  EXPECT_EQ(MoveCode(PtzDirection::kRight, false), 6U);
  EXPECT_EQ(MoveCode(PtzDirection::kUpLeft, false), 90U);
  EXPECT_EQ(MoveCode(PtzDirection::kUpRight, false), 91U);
  EXPECT_EQ(MoveCode(PtzDirection::kDownLeft, false), 92U);
  EXPECT_EQ(MoveCode(PtzDirection::kDownRight, false), 93U);
  // FI8918W: 4<->6, 90<->91, 92<->93; tilt unchanged.
  EXPECT_EQ(MoveCode(PtzDirection::kUp, true), 0U);
  EXPECT_EQ(MoveCode(PtzDirection::kDown, true), 2U);
  EXPECT_EQ(MoveCode(PtzDirection::kLeft, true), 6U);
  EXPECT_EQ(MoveCode(PtzDirection::kRight, true), 4U);
  EXPECT_EQ(MoveCode(PtzDirection::kUpLeft, true), 91U);
  EXPECT_EQ(MoveCode(PtzDirection::kUpRight, true), 90U);
  EXPECT_EQ(MoveCode(PtzDirection::kDownLeft, true), 93U);
  EXPECT_EQ(MoveCode(PtzDirection::kDownRight, true), 92U);
}

TEST(FoscamPtz, TheDominantDirectionOfAVelocity) {
  EXPECT_EQ(DirectionOf(0, 0), std::nullopt);
  EXPECT_EQ(DirectionOf(0.09, -0.09), std::nullopt);  // Both in the dead zone: a stop.
  EXPECT_EQ(DirectionOf(0.5, 0), PtzDirection::kRight);
  EXPECT_EQ(DirectionOf(-0.5, 0), PtzDirection::kLeft);
  EXPECT_EQ(DirectionOf(0, 0.2), PtzDirection::kUp);
  EXPECT_EQ(DirectionOf(0, -1), PtzDirection::kDown);
  EXPECT_EQ(DirectionOf(1, 1), PtzDirection::kUpRight);
  EXPECT_EQ(DirectionOf(-1, 1), PtzDirection::kUpLeft);
  EXPECT_EQ(DirectionOf(-0.6, -0.5), PtzDirection::kDownLeft);
  EXPECT_EQ(DirectionOf(0.6, -0.5), PtzDirection::kDownRight);
  EXPECT_EQ(DirectionOf(1, 0.3), PtzDirection::kRight);    // 17°: nearer the axis.
  EXPECT_EQ(DirectionOf(1, 0.5), PtzDirection::kUpRight);  // 27°: nearer the diagonal.
  EXPECT_EQ(DirectionOf(0.05, 0.8), PtzDirection::kUp);    // Pan in the dead zone.
  EXPECT_EQ(DirectionOf(0.1, 0), PtzDirection::kRight);    // The dead zone's edge moves.
}

TEST(FoscamPtz, PresetCodes) {
  EXPECT_EQ(SetPresetCode(1), 30U);
  EXPECT_EQ(GotoPresetCode(1), 31U);
  EXPECT_EQ(SetPresetCode(2), 32U);
  EXPECT_EQ(GotoPresetCode(2), 33U);
  EXPECT_EQ(SetPresetCode(16), 60U);
  EXPECT_EQ(GotoPresetCode(16), 61U);
  EXPECT_EQ(SetPresetCode(0), std::nullopt);
  EXPECT_EQ(GotoPresetCode(17), std::nullopt);
}

TEST(FoscamVideo, RateCodes) {
  EXPECT_EQ(RateCode(30), 0U);
  EXPECT_EQ(RateCode(0), 0U);
  EXPECT_EQ(RateCode(20), 1U);
  EXPECT_EQ(RateCode(15), 3U);
  EXPECT_EQ(RateCode(12), 6U);  // The highest listed rate not above 12 fps: 10.
  EXPECT_EQ(RateCode(1), 15U);
  EXPECT_EQ(RateCode(0.5), 17U);
  EXPECT_EQ(RateCode(1.0 / 3), 19U);
  EXPECT_EQ(RateCode(0.2), 23U);
  EXPECT_EQ(RateCode(0.01), 23U);
  EXPECT_EQ(RateFps(6), 10.0);
  EXPECT_EQ(RateFps(23), 0.2);
  EXPECT_EQ(RateFps(0), std::nullopt);
  EXPECT_EQ(RateFps(7), std::nullopt);
}

TEST(FoscamTime, PosixZoneFromSecondsWest) {
  EXPECT_EQ(PosixZoneFromTz(0), "UTC0");
  EXPECT_EQ(PosixZoneFromTz(18000), "UTC5");
  EXPECT_EQ(PosixZoneFromTz(-3600), "UTC-1");
  EXPECT_EQ(PosixZoneFromTz(-19800), "UTC-5:30");
  EXPECT_EQ(PosixZoneFromTz(12600), "UTC3:30");
  EXPECT_EQ(PosixZoneFromTz(-20745), "UTC-5:45:45");
  EXPECT_EQ(PosixZoneFromTz(43200), "UTC12");
  EXPECT_EQ(PosixZoneFromTz(-50400), "UTC-14");
}

TEST(FoscamTime, SecondsWestFromSimplePosixZones) {
  EXPECT_EQ(TzFromPosixZone("UTC0").value(), 0);
  EXPECT_EQ(TzFromPosixZone("CET-1").value(), -3600);
  EXPECT_EQ(TzFromPosixZone("EST5").value(), 18000);
  EXPECT_EQ(TzFromPosixZone("EST+5").value(), 18000);
  EXPECT_EQ(TzFromPosixZone("IST-5:30").value(), -19800);
  EXPECT_EQ(TzFromPosixZone("<+0530>-5:30").value(), -19800);
  EXPECT_EQ(TzFromPosixZone("NPT-5:45").value(), -20700);
  EXPECT_EQ(TzFromPosixZone("XXX-5:45:45").value(), -20745);
  EXPECT_EQ(TzFromPosixZone("UTC-14").value(), -50400);
  EXPECT_EQ(TzFromPosixZone("UTC12").value(), 43200);
  // Round trips.
  for (int64_t tz : {int64_t{0}, int64_t{18000}, int64_t{-3600}, int64_t{-19800}}) {
    EXPECT_EQ(TzFromPosixZone(PosixZoneFromTz(tz)).value(), tz);
  }
}

TEST(FoscamTime, RefusesZonesTheCameraCannotExpress) {
  const auto error_of = [](const std::string& zone) {
    auto tz = TzFromPosixZone(zone);
    return tz.ok() ? std::string("accepted") : tz.error().message;
  };
  EXPECT_EQ(error_of("CET-1CEST,M3.5.0,M10.5.0/3"),
            "the time zone \"CET-1CEST,M3.5.0,M10.5.0/3\" has daylight saving rules the camera "
            "cannot express (it keeps one fixed offset from UTC)");
  EXPECT_EQ(error_of("EST5EDT"),
            "the time zone \"EST5EDT\" has daylight saving rules the camera cannot express (it "
            "keeps one fixed offset from UTC)");
  EXPECT_EQ(error_of("UTC"), "the time zone \"UTC\" has no UTC offset (e.g. \"UTC0\", \"EST5\")");
  EXPECT_EQ(error_of(""),
            "the time zone \"\" is not a POSIX TZ string (a name of at least 3 letters comes "
            "first, e.g. \"UTC0\", \"CET-1\")");
  EXPECT_EQ(error_of("Z0"),
            "the time zone \"Z0\" is not a POSIX TZ string (a name of at least 3 letters comes "
            "first, e.g. \"UTC0\", \"CET-1\")");
  EXPECT_EQ(error_of("<+05"), "the time zone \"<+05\" is not a POSIX TZ string (unclosed <name>)");
  EXPECT_EQ(error_of("UTC-15"),
            "the time zone \"UTC-15\" is beyond the offsets the camera takes (UTC-12 to UTC+14)");
  EXPECT_EQ(error_of("UTC13"),
            "the time zone \"UTC13\" is beyond the offsets the camera takes (UTC-12 to UTC+14)");
  EXPECT_EQ(error_of("UTC1:60"), "the time zone \"UTC1:60\" has an invalid offset");
  EXPECT_EQ(error_of("Europe/Paris"),
            "the time zone \"Europe/Paris\" has no UTC offset (e.g. \"UTC0\", \"EST5\")");
}

}  // namespace
}  // namespace onvifgw::foscam
