// Pelco-D codec: byte-exact fixtures from the implementer notes (shared/protocols/pelco-d.md §5),
// response framing with resynchronisation, and the ONVIF mapping helpers.

#include "adapters/pelco_d/pelco_d_frame.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace onvifgw::pelco_d {
namespace {

using adapter_sdk::Result;

// "FF 01 00 02" → bytes.
std::string Hex(std::string_view text) {
  std::string bytes;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    bytes.push_back(static_cast<char>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return bytes;
}

std::string Bytes(const Result<Frame>& frame) {
  if (!frame.ok()) {
    ADD_FAILURE() << frame.error().message;
    return {};
  }
  return ToBytes(*frame);
}

StandardCommand PanRight(uint8_t speed) {
  StandardCommand command;
  command.pan = Pan::kRight;
  command.pan_speed = speed;
  return command;
}

// §5 worked frames: what the encoder must produce, and what the decoder must give back.
struct CommandFixture {
  const char* action;
  Result<Frame> encoded;
  const char* hex;
};

std::vector<CommandFixture> WorkedCommandFrames() {
  std::vector<CommandFixture> fixtures;
  auto standard = [&](const char* action, StandardCommand command, const char* hex) {
    fixtures.push_back({action, EncodeStandard(1, command), hex});
  };
  standard("stop", {}, "FF 01 00 00 00 00 01");
  standard("pan right 0x20", PanRight(0x20), "FF 01 00 02 20 00 23");
  StandardCommand command;
  command.pan = Pan::kLeft;
  command.pan_speed = 0x20;
  standard("pan left 0x20", command, "FF 01 00 04 20 00 25");
  command = {};
  command.tilt = Tilt::kUp;
  command.tilt_speed = 0x20;
  standard("tilt up 0x20", command, "FF 01 00 08 00 20 29");
  command = {};
  command.tilt = Tilt::kDown;
  command.tilt_speed = 0x3F;
  standard("tilt down 0x3F", command, "FF 01 00 10 00 3F 50");
  command = PanRight(0x20);
  command.tilt = Tilt::kUp;
  command.tilt_speed = 0x20;
  standard("up + right", command, "FF 01 00 0A 20 20 4B");
  standard("pan right turbo", PanRight(kTurboSpeed), "FF 01 00 02 40 00 43");
  command = {};
  command.zoom = Zoom::kTele;
  standard("zoom tele", command, "FF 01 00 20 00 00 21");
  command.zoom = Zoom::kWide;
  standard("zoom wide", command, "FF 01 00 40 00 00 41");
  command = {};
  command.focus = Focus::kFar;
  standard("focus far", command, "FF 01 00 80 00 00 81");
  command.focus = Focus::kNear;
  standard("focus near", command, "FF 01 01 00 00 00 02");
  command = {};
  command.iris = Iris::kOpen;
  standard("iris open", command, "FF 01 02 00 00 00 03");
  command.iris = Iris::kClose;
  standard("iris close", command, "FF 01 04 00 00 00 05");
  command = {};
  command.camera = Switch::kOn;
  standard("camera on", command, "FF 01 88 00 00 00 89");
  command.camera = Switch::kOff;
  standard("camera off", command, "FF 01 08 00 00 00 09");
  command = {};
  command.auto_scan = Switch::kOn;
  standard("auto-scan on", command, "FF 01 90 00 00 00 91");

  fixtures.push_back({"set preset 1", EncodeSetPreset(1, 1), "FF 01 00 03 00 01 05"});
  fixtures.push_back({"clear preset 1", EncodeClearPreset(1, 1), "FF 01 00 05 00 01 07"});
  fixtures.push_back({"go to preset 1", EncodeGoToPreset(1, 1), "FF 01 00 07 00 01 09"});
  fixtures.push_back({"go to preset 10", EncodeGoToPreset(1, 10), "FF 01 00 07 00 0A 12"});
  fixtures.push_back({"flip", EncodeFlip(1), "FF 01 00 07 00 21 29"});
  fixtures.push_back({"go to zero pan", EncodeGoToZeroPan(1), "FF 01 00 07 00 22 2A"});
  fixtures.push_back({"call preset 95", EncodeGoToPreset(1, 95), "FF 01 00 07 00 5F 67"});
  fixtures.push_back({"aux 1 on", EncodeSetAuxiliary(1, 1), "FF 01 00 09 00 01 0B"});
  fixtures.push_back({"aux 1 off", EncodeClearAuxiliary(1, 1), "FF 01 00 0B 00 01 0D"});
  fixtures.push_back({"remote reset", EncodeRemoteReset(1), "FF 01 00 0F 00 00 10"});
  fixtures.push_back({"zoom speed 2", EncodeSetZoomSpeed(1, 2), "FF 01 00 25 00 02 28"});
  fixtures.push_back({"focus speed 1", EncodeSetFocusSpeed(1, 1), "FF 01 00 27 00 01 29"});
  fixtures.push_back({"reset to defaults", EncodeResetCameraToDefaults(1), "FF 01 00 29 00 00 2A"});
  fixtures.push_back(
      {"auto-focus auto", EncodeAutoFocusMode(1, LensMode::kAuto), "FF 01 00 2B 00 00 2C"});
  fixtures.push_back({"set zero position", EncodeSetZeroPosition(1), "FF 01 00 49 00 00 4A"});
  fixtures.push_back(
      {"set pan 90", EncodeSetPanPosition(1, PanHundredths(90.0)), "FF 01 00 4B 23 28 97"});
  fixtures.push_back({"set tilt 45 below", EncodeSetTiltPosition(1, TiltHundredths(-45.0)),
                      "FF 01 00 4D 11 94 F3"});
  fixtures.push_back({"query pan", EncodeQuery(1, Query::kPanPosition), "FF 01 00 51 00 00 52"});
  fixtures.push_back({"query tilt", EncodeQuery(1, Query::kTiltPosition), "FF 01 00 53 00 00 54"});
  fixtures.push_back({"query zoom", EncodeQuery(1, Query::kZoomPosition), "FF 01 00 55 00 00 56"});
  fixtures.push_back({"query part number", EncodeQueryPartNumber(1), "FF 01 00 45 00 00 46"});
  fixtures.push_back({"turbo at 0xC8 (checksum wraps)", EncodeStandard(0xC8, PanRight(kTurboSpeed)),
                      "FF C8 00 02 40 00 0A"});
  return fixtures;
}

TEST(PelcoDFrameTest, EncodesEveryWorkedCommandFrame) {
  for (const auto& fixture : WorkedCommandFrames()) {
    ASSERT_TRUE(fixture.encoded.ok()) << fixture.action << ": " << fixture.encoded.error().message;
    EXPECT_EQ(ToHex(*fixture.encoded), fixture.hex) << fixture.action;
  }
}

TEST(PelcoDFrameTest, DecodesEveryWorkedCommandFrameBackToItsCommand) {
  for (const auto& fixture : WorkedCommandFrames()) {
    const auto decoded = DecodeCommand(Hex(fixture.hex));
    ASSERT_TRUE(decoded.has_value()) << fixture.action;
    // Re-encoding what was decoded gives the same bytes: the decoder lost nothing.
    Result<Frame> again =
        std::holds_alternative<StandardCommand>(decoded->command)
            ? EncodeStandard(decoded->address, std::get<StandardCommand>(decoded->command))
            : EncodeExtended(decoded->address, std::get<ExtendedCommand>(decoded->command).opcode,
                             std::get<ExtendedCommand>(decoded->command).data1,
                             std::get<ExtendedCommand>(decoded->command).data2);
    EXPECT_EQ(Bytes(again), Hex(fixture.hex)) << fixture.action;
  }
  const auto up_right = DecodeCommand(Hex("FF 01 00 0A 20 20 4B"));
  ASSERT_TRUE(up_right.has_value());
  StandardCommand expected = PanRight(0x20);
  expected.tilt = Tilt::kUp;
  expected.tilt_speed = 0x20;
  EXPECT_EQ(*up_right, (DecodedCommand{1, expected}));
  const auto preset = DecodeCommand(Hex("FF 01 00 07 00 0A 12"));
  ASSERT_TRUE(preset.has_value());
  EXPECT_EQ(*preset, (DecodedCommand{1, ExtendedCommand{ExtendedOpcode::kGoToPreset, 0, 10}}));
}

TEST(PelcoDFrameTest, DecodeCommandRejectsBrokenFrames) {
  EXPECT_FALSE(DecodeCommand(Hex("FF 01 00 02 20 00 24")));  // Checksum off by one.
  EXPECT_FALSE(DecodeCommand(Hex("FE 01 00 02 20 00 23")));  // No sync byte.
  EXPECT_FALSE(DecodeCommand(Hex("FF 01 00 02 20 00")));     // Truncated.
  EXPECT_FALSE(DecodeCommand(Hex("FF 00 00 00 00 00 00")));  // Address 0.
  EXPECT_FALSE(DecodeCommand(Hex("FF 01 00 06 20 00 27")));  // Left and right at once.
  EXPECT_FALSE(DecodeCommand(Hex("FF 01 00 57 00 00 58")));  // Reserved extended opcode.
}

TEST(PelcoDFrameTest, EncoderRejectsWhatTheProtocolCannotSay) {
  EXPECT_FALSE(EncodeStop(0).ok());
  EXPECT_FALSE(EncodeStandard(1, PanRight(0x41)).ok());
  StandardCommand tilt_turbo;
  tilt_turbo.tilt = Tilt::kUp;
  tilt_turbo.tilt_speed = kTurboSpeed;
  EXPECT_FALSE(EncodeStandard(1, tilt_turbo).ok());
  StandardCommand conflicting_sense;
  conflicting_sense.camera = Switch::kOn;
  conflicting_sense.auto_scan = Switch::kOff;
  EXPECT_FALSE(EncodeStandard(1, conflicting_sense).ok());
  StandardCommand agreeing_sense;
  agreeing_sense.camera = Switch::kOn;
  agreeing_sense.auto_scan = Switch::kOn;
  EXPECT_EQ(Bytes(EncodeStandard(1, agreeing_sense)), Hex("FF 01 98 00 00 00 99"));
  EXPECT_FALSE(EncodeGoToPreset(1, 0).ok());
  EXPECT_FALSE(EncodeSetAuxiliary(1, 9).ok());
  EXPECT_FALSE(EncodeSetZoomSpeed(1, 4).ok());
  const auto pan = EncodeSetPanPosition(1, 36000);
  ASSERT_FALSE(pan.ok());
  EXPECT_NE(pan.error().message.find("36000"), std::string::npos) << pan.error().message;
  EXPECT_EQ(Bytes(EncodeGoToPreset(0xFF, 1)), Hex("FF FF 00 07 00 01 07"));
}

TEST(PelcoDFrameTest, DecodesWorkedExtendedResponses) {
  struct ResponseFixture {
    const char* hex;
    ExtendedResponse expected;
  };
  const ResponseFixture fixtures[] = {
      // The checksum equals the sync value.
      {"FF 01 00 59 11 94 FF", {1, ResponseOpcode::kPanPosition, 4500}},
      {"FF 01 00 5B 80 E8 C4", {1, ResponseOpcode::kTiltPosition, 33000}},
      {"FF 01 00 5D 06 F5 59", {1, ResponseOpcode::kZoomPosition, 0x06F5}},
  };
  for (const auto& fixture : fixtures) {
    const auto decoded = DecodeExtendedResponse(Hex(fixture.hex));
    ASSERT_TRUE(decoded.has_value()) << fixture.hex;
    EXPECT_EQ(*decoded, fixture.expected) << fixture.hex;
  }
  EXPECT_DOUBLE_EQ(PanDegrees(4500), 45.0);
  EXPECT_DOUBLE_EQ(TiltElevationDegrees(33000), 30.0);
  EXPECT_NEAR(ZoomRatio(0x06F5) * 184, 5.0, 0.01);
  EXPECT_FALSE(DecodeExtendedResponse(Hex("FF 01 00 59 11 94 FE")));
  EXPECT_FALSE(DecodeExtendedResponse(Hex("FF 01 01 59 11 94 00")));  // Byte 3 must be 0.
  EXPECT_FALSE(DecodeExtendedResponse(Hex("FF 01 00 51 00 00 52")));  // A query, not an answer.
}

TEST(PelcoDFrameTest, DecodesTheWorkedGeneralResponse) {
  const Frame sent = *EncodeStandard(1, PanRight(0x20));
  const auto decoded = DecodeGeneralResponse(Hex("FF 01 05 28"), sent);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, (GeneralResponse{1, 0x05}));  // Alarms 1 and 3.
  EXPECT_FALSE(DecodeGeneralResponse(Hex("FF 01 05 29"), sent));
  EXPECT_FALSE(DecodeGeneralResponse(Hex("FF 02 05 28"), sent));
  // Checksum wrap: 0xF3 + 0x10 = 0x103.
  const Frame tilt = *EncodeSetTiltPosition(1, 4500);
  EXPECT_TRUE(DecodeGeneralResponse(Hex("FF 01 10 03"), tilt));
  EXPECT_TRUE(FindGeneralResponse(Hex("FF 01 10 03"), tilt).found);
}

TEST(PelcoDFrameTest, FindsAResponseThatContainsAndEndsInFF) {
  const std::string pan_45 = Hex("FF 01 00 59 11 94 FF");
  const auto match = FindExtendedResponse(pan_45, 1, ResponseOpcode::kPanPosition);
  ASSERT_TRUE(match.found);
  EXPECT_EQ(match.offset, 0u);
  EXPECT_EQ(match.length, 7u);
  // 0xFF as data: pan 0xFF00 is out of range for a dome but the framing must still hold.
  const std::string ff_data = Hex("FF 01 00 59 FF 00 59");
  EXPECT_TRUE(FindExtendedResponse(Hex("12 FF") + ff_data, 1, ResponseOpcode::kPanPosition).found);
  // The trailing FF of one response followed by the next response.
  const auto second =
      FindExtendedResponse(pan_45 + Hex("FF 01 00 5B 80 E8 C4"), 1, ResponseOpcode::kTiltPosition);
  ASSERT_TRUE(second.found);
  EXPECT_EQ(second.offset, 7u);
}

TEST(PelcoDFrameTest, SkipsGarbageBeforeAndBetweenFrames) {
  const std::string response = Hex("FF 01 00 5D 06 F5 59");
  const std::string garbage = Hex("00 FF FF 13 FF 01 00");
  const auto match =
      FindExtendedResponse(garbage + response + garbage, 1, ResponseOpcode::kZoomPosition);
  ASSERT_TRUE(match.found);
  EXPECT_EQ(match.offset, garbage.size());
  EXPECT_EQ(match.length, 7u);
  // A valid response for another address or opcode is not ours: the search goes on past it.
  const std::string other_camera = Hex("FF 02 00 5D 06 F5 5A");
  const auto ours =
      FindExtendedResponse(other_camera + garbage + response, 1, ResponseOpcode::kZoomPosition);
  ASSERT_TRUE(ours.found);
  EXPECT_EQ(ours.offset, other_camera.size() + garbage.size());
  EXPECT_FALSE(FindExtendedResponse(response, 1, ResponseOpcode::kPanPosition).found);
}

TEST(PelcoDFrameTest, ResynchronisesAfterACorruptedFrame) {
  const std::string corrupted = Hex("FF 01 00 59 11 95 FF");  // One data bit flipped.
  const std::string good = Hex("FF 01 00 59 11 94 FF");
  const auto match = FindExtendedResponse(corrupted + good, 1, ResponseOpcode::kPanPosition);
  ASSERT_TRUE(match.found);
  EXPECT_EQ(match.offset, corrupted.size());
  // A corrupted frame that is cut short by the good one (sliding a whole frame would miss it).
  const std::string cut = Hex("FF 01 00");
  const auto after_cut = FindExtendedResponse(cut + good, 1, ResponseOpcode::kPanPosition);
  ASSERT_TRUE(after_cut.found);
  EXPECT_EQ(after_cut.offset, cut.size());
  const Frame sent = *EncodeStandard(1, PanRight(0x20));
  const auto general = FindGeneralResponse(Hex("FF 01 05 27 FF 01 05 28"), sent);
  ASSERT_TRUE(general.found);
  EXPECT_EQ(general.offset, 4u);
}

TEST(PelcoDFrameTest, TruncatedInputNeedsMore) {
  const std::string good = Hex("FF 01 00 59 11 94 FF");
  for (size_t length = 0; length < good.size(); ++length) {
    EXPECT_FALSE(
        FindExtendedResponse(good.substr(0, length), 1, ResponseOpcode::kPanPosition).found)
        << length;
  }
  const Frame sent = *EncodeStop(1);
  EXPECT_FALSE(FindGeneralResponse(Hex("FF 01 00"), sent).found);
  // The matcher built on it behaves the same, byte by byte, as the serial line would feed it.
  const auto matcher = ExtendedResponseMatcher(1, ResponseOpcode::kPanPosition);
  std::string received = Hex("00 13");
  for (char byte : good) {
    EXPECT_FALSE(matcher(received).found);
    received.push_back(byte);
  }
  const auto match = matcher(received);
  ASSERT_TRUE(match.found);
  EXPECT_EQ(received.substr(match.offset, match.length), good);
  EXPECT_TRUE(GeneralResponseMatcher(sent)(Hex("FF 01 00 01")).found);
}

TEST(PelcoDFrameTest, RandomStreamsFindEveryEmbeddedFrame) {
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> garbage_length(0, 12);
  const ResponseOpcode opcodes[] = {ResponseOpcode::kPanPosition, ResponseOpcode::kTiltPosition,
                                    ResponseOpcode::kZoomPosition, ResponseOpcode::kMagnification};
  for (int round = 0; round < 200; ++round) {
    // Garbage (biased towards 0xFF so that false starts are common) and good responses, from our
    // dome (address 1) and from two others on the bus, with every opcode.
    std::string stream;
    std::vector<std::pair<size_t, uint16_t>> ours;  // Offset and value of each pan response of 1.
    for (int segment = 0; segment < 20; ++segment) {
      for (int i = garbage_length(random); i > 0; --i) {
        stream.push_back(static_cast<char>(byte(random) < 96 ? 0xFF : byte(random)));
      }
      const uint8_t address = static_cast<uint8_t>(1 + byte(random) % 3);
      const ResponseOpcode opcode = opcodes[byte(random) % 4];
      const auto value = static_cast<uint16_t>(byte(random) << 8 | byte(random));
      const uint8_t msb = static_cast<uint8_t>(value >> 8);
      const uint8_t lsb = static_cast<uint8_t>(value & 0xFF);
      const auto code = static_cast<uint8_t>(opcode);
      const Frame response{
          kSyncByte, address, 0, code, msb, lsb, Checksum(address, 0, code, msb, lsb)};
      if (address == 1 && opcode == ResponseOpcode::kPanPosition) {
        ours.emplace_back(stream.size(), value);
      }
      stream += ToBytes(response);
    }
    // Find them one after the other, as a caller that consumed each match would.
    std::vector<std::pair<size_t, uint16_t>> found;
    size_t position = 0;
    for (;;) {
      const auto match = FindExtendedResponse(std::string_view(stream).substr(position), 1,
                                              ResponseOpcode::kPanPosition);
      if (!match.found) {
        break;
      }
      const auto decoded = DecodeExtendedResponse(stream.substr(position + match.offset, 7));
      ASSERT_TRUE(decoded.has_value());
      found.emplace_back(position + match.offset, decoded->value);
      position += match.offset + match.length;
    }
    // Exactly the embedded frames: none missed, and (with this seed) no false frame in garbage.
    EXPECT_EQ(found, ours) << "round " << round << ": " << ToHex(stream);
  }
}

TEST(PelcoDFrameTest, VelocityMapsToDirectionAndSpeed) {
  EXPECT_EQ(PanFromVelocity(0.0, false), PanMotion{});
  EXPECT_EQ(PanFromVelocity(1.0, false), (PanMotion{Pan::kRight, 0x3F}));
  EXPECT_EQ(PanFromVelocity(1.0, true), (PanMotion{Pan::kRight, kTurboSpeed}));
  EXPECT_EQ(PanFromVelocity(-0.5, true), (PanMotion{Pan::kLeft, 32}));  // round(31.5)
  EXPECT_EQ(PanFromVelocity(-7.0, false), (PanMotion{Pan::kLeft, 0x3F}));
  EXPECT_EQ(PanFromVelocity(0.001, false), (PanMotion{Pan::kRight, 0}));  // Very slow, not stop.
  EXPECT_EQ(TiltFromVelocity(1.0), (TiltMotion{Tilt::kUp, 0x3F}));
  EXPECT_EQ(TiltFromVelocity(-0.25), (TiltMotion{Tilt::kDown, 16}));
  EXPECT_EQ(TiltFromVelocity(std::nan("")), TiltMotion{});
  EXPECT_EQ(ZoomFromVelocity(0.3), Zoom::kTele);
  EXPECT_EQ(ZoomFromVelocity(-0.3), Zoom::kWide);
  EXPECT_EQ(ZoomFromVelocity(0.0), Zoom::kStop);
}

TEST(PelcoDFrameTest, PositionsMapToDegreesAndBack) {
  EXPECT_EQ(PanHundredths(90.0), 9000);
  EXPECT_EQ(PanHundredths(-90.0), 27000);
  EXPECT_EQ(PanHundredths(359.999), 0);
  EXPECT_EQ(PanHundredths(720.5), 50);
  EXPECT_DOUBLE_EQ(PanDegrees(35999), 359.99);

  EXPECT_EQ(TiltHundredths(0.0), 0);
  EXPECT_EQ(TiltHundredths(-45.0), 4500);
  EXPECT_EQ(TiltHundredths(-90.0), 9000);
  EXPECT_EQ(TiltHundredths(30.0), 33000);
  EXPECT_DOUBLE_EQ(TiltElevationDegrees(0), 0.0);
  EXPECT_DOUBLE_EQ(TiltElevationDegrees(4500), -45.0);
  EXPECT_DOUBLE_EQ(TiltElevationDegrees(9000), -90.0);
  EXPECT_DOUBLE_EQ(TiltElevationDegrees(27000), 90.0);
  for (uint16_t v : {0, 1, 4500, 9000, 17999, 18000, 27000, 33000, 35999}) {
    EXPECT_EQ(TiltHundredths(TiltElevationDegrees(v)), v) << v;
    EXPECT_EQ(PanHundredths(PanDegrees(v)), v) << v;
  }

  EXPECT_EQ(ZoomValue(0.0), 0);
  EXPECT_EQ(ZoomValue(1.0), 65535);
  EXPECT_EQ(ZoomValue(2.0), 65535);
  EXPECT_EQ(ZoomValue(5.0 / 184.0), 1781);
  EXPECT_DOUBLE_EQ(ZoomRatio(65535), 1.0);
}

}  // namespace
}  // namespace onvifgw::pelco_d
