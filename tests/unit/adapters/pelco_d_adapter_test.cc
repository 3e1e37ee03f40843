// The Pelco-D adapter served in-process and called through a real gRPC stub; its serial line is
// the slave side of a pseudo-terminal and the test plays the dome(s) on the master side.

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/pelco_d/pelco_d_config.h"
#include "adapters/pelco_d/pelco_d_frame.h"
#include "adapters/pelco_d/pelco_d_service.h"
#include "adapters/pelco_d/pelco_d_space.h"
#include "pseudo_terminal.h"

namespace onvifgw::pelco_d {
namespace {

namespace v1 = onvifgw::adapter::v1;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Upper bound for anything the test waits for: only reached when the code under test is broken.
constexpr milliseconds kFailsafe{5000};

std::string Bytes(std::initializer_list<uint8_t> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// The bus as the dome sees it.
class PseudoTerminal : public onvifgw::testing::PseudoTerminal {
 public:
  std::string ReadFrame() { return ToHex(Read(kFrameSize)); }
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The general response to a command frame given as hex: FF, address, alarms 0, command checksum.
std::string GeneralResponseTo(const std::string& hex_frame) {
  Frame frame{};
  for (size_t i = 0; i < kFrameSize; ++i) {
    frame[i] = static_cast<uint8_t>(std::stoi(hex_frame.substr(i * 3, 2), nullptr, 16));
  }
  return Bytes({kSyncByte, frame[1], 0x00, frame[6]});
}

// The extended response the notes work out: `opcode` with `value`.
std::string ExtendedResponse(uint8_t address, uint8_t opcode, uint16_t value) {
  const auto msb = static_cast<uint8_t>(value >> 8);
  const auto lsb = static_cast<uint8_t>(value & 0xFF);
  return Bytes(
      {kSyncByte, address, 0x00, opcode, msb, lsb, Checksum(address, 0, opcode, msb, lsb)});
}

v1::PtzVector Vector(std::optional<std::pair<float, float>> pan_tilt, std::optional<float> zoom) {
  v1::PtzVector v;
  if (pan_tilt) {
    v.mutable_pan_tilt()->set_x(pan_tilt->first);
    v.mutable_pan_tilt()->set_y(pan_tilt->second);
  }
  if (zoom) v.mutable_zoom()->set_x(*zoom);
  return v;
}

// ------------------------------------------------------------------------------------- Config

constexpr const char* kGoodConfig = R"(reopen_interval_ms: 250
lines:
  - id: bus-1
    device: /dev/ttyUSB0
    baud: 2400
    response_timeout_ms: 150
  - id: bus-2
    device: /dev/ttyUSB1
    replies: false
    inter_frame_gap_ms: 30
  - id: bus-3
    device: /dev/ttyUSB2
    reply_turnaround_ms: 5
cameras:
  - id: dome-1
    label: Car park
    line: bus-1
    address: 1
    model: Spectra IV
    turbo: true
    home_preset: 32
    position_feedback: true
    pan_range: [-170, 170]
    tilt_up_limit: 20
    tilt_down_limit: 80
    repeat_ms: 200
    auxiliary:
      "tt:Wiper|On": {aux: 1, on: true}
      "tt:Wiper|Off": {aux: 1, on: false}
    video: {uri: "rtsp://192.0.2.10/ch1", width: 704, height: 576, framerate: 25, codec: h265}
  - id: dome-2
    line: bus-2
    address: 1
    preset_slots: [5, "30-40", 95]
    zoom: false
    invert_pan: true
)";

TEST(PelcoDConfig, ParsesAGoodConfig) {
  auto config = ParsePelcoDConfig(YAML::Load(kGoodConfig));
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->reopen_interval, milliseconds(250));
  ASSERT_EQ(config->lines.size(), 3U);
  EXPECT_EQ(config->lines[0].baud, 2400U);
  EXPECT_EQ(config->lines[0].response_timeout, milliseconds(150));
  EXPECT_TRUE(config->lines[0].replies);
  EXPECT_FALSE(config->lines[0].inter_frame_gap.has_value());
  EXPECT_EQ(config->lines[1].baud, 9600U);
  EXPECT_FALSE(config->lines[1].replies);
  EXPECT_EQ(config->lines[1].inter_frame_gap, milliseconds(30));
  EXPECT_EQ(config->lines[0].reply_turnaround, milliseconds(30));  // The default.
  EXPECT_EQ(config->lines[2].reply_turnaround, milliseconds(5));
  // The gap: a frame and a general response on the wire (46 ms at 2400 baud, 8 ms at 9600) plus
  // the turnaround when the domes reply; as configured when set.
  EXPECT_EQ(InterFrameGap(config->lines[0]), milliseconds(46 + 30));
  EXPECT_EQ(InterFrameGap(config->lines[1]), milliseconds(30));
  EXPECT_EQ(InterFrameGap(config->lines[2]), milliseconds(12 + 5));
  // A status's 3 queries: frame (30 ms) + timeout + gap each, within the 4 s budget.
  EXPECT_EQ(WorstQueryTime(config->lines[0]), milliseconds(30 + 150 + 76));

  ASSERT_EQ(config->cameras.size(), 2U);
  const CameraConfig& one = config->cameras[0];
  EXPECT_EQ(one.label, "Car park");
  EXPECT_EQ(one.manufacturer, "Pelco");
  EXPECT_EQ(one.model, "Spectra IV");
  EXPECT_TRUE(one.turbo);
  EXPECT_EQ(one.home_preset, 32);
  // Default slots 1..32, the home slot left out.
  ASSERT_EQ(one.preset_slots.size(), 31U);
  EXPECT_EQ(one.preset_slots.front(), 1U);
  EXPECT_EQ(one.preset_slots.back(), 31U);
  EXPECT_TRUE(one.position_feedback);
  EXPECT_EQ(one.pan_min_degrees, -170);
  EXPECT_EQ(one.pan_max_degrees, 170);
  EXPECT_FALSE(one.FullCirclePan());
  EXPECT_EQ(one.tilt_up_limit_degrees, 20);
  EXPECT_EQ(one.tilt_down_limit_degrees, 80);
  EXPECT_EQ(one.repeat, milliseconds(200));
  ASSERT_EQ(one.auxiliary.size(), 2U);
  EXPECT_EQ(one.auxiliary[0].first, "tt:Wiper|On");
  EXPECT_TRUE(one.auxiliary[0].second.on);
  EXPECT_EQ(one.auxiliary[1].first, "tt:Wiper|Off");
  EXPECT_FALSE(one.auxiliary[1].second.on);
  ASSERT_TRUE(one.video.has_value());
  EXPECT_EQ(one.video->codec, VideoCodecName::kH265);
  EXPECT_EQ(one.video->width, 704U);

  const CameraConfig& two = config->cameras[1];
  EXPECT_EQ(two.label, "dome-2");
  EXPECT_FALSE(two.zoom);
  EXPECT_TRUE(two.invert_pan);
  EXPECT_FALSE(two.home_preset.has_value());
  EXPECT_FALSE(two.video.has_value());
  EXPECT_FALSE(two.repeat.has_value());
  // A range skips the magic 33 and 34; 95 listed on its own is taken.
  EXPECT_EQ(two.preset_slots, (std::vector<uint32_t>{5, 30, 31, 32, 35, 36, 37, 38, 39, 40, 95}));
}

struct BadConfig {
  const char* name;
  std::string yaml;
  std::string expected;  // A part of the message, with the position of the offending node.
};

TEST(PelcoDConfig, RejectsBadValuesNamingTheirPosition) {
  const std::string lines = "lines:\n  - {id: bus-1, device: /dev/ttyS0}\n";
  const std::string camera = "cameras:\n  - id: dome-1\n    line: bus-1\n    address: 1\n";
  const std::vector<BadConfig> cases = {
      {"unknown top-level key", "colour: red\n" + lines + camera, "unknown key \"colour\""},
      {"baud", "lines:\n  - {id: bus-1, device: /dev/ttyS0, baud: 38400}\n" + camera,
       "lines[0].baud (line 2, column 43): must be 2400, 4800, 9600 or 19200"},
      {"no lines", camera, "lines (line 1, column 1): must list at least one serial line"},
      {"no device", "lines:\n  - {id: bus-1}\n" + camera, "lines[0].device (line 2,"},
      {"duplicate line", "lines:\n  - {id: a, device: /dev/x}\n  - {id: a, device: /dev/y}\n",
       "lines[1].id (line 3, column 10): duplicate line id \"a\" (first defined at line 2, column "
       "10)"},
      {"duplicate device", "lines:\n  - {id: a, device: /dev/x}\n  - {id: b, device: /dev/x}\n",
       "lines[1].device (line 3, column 21): duplicate device"},
      {"timeout", "lines:\n  - {id: a, device: /dev/x, response_timeout_ms: 0}\n",
       "lines[0].response_timeout_ms (line 2,"},
      {"unknown line", lines + "cameras:\n  - {id: d, line: bus-9, address: 1}\n",
       "cameras[0].line (line 4, column 19): no line with id \"bus-9\""},
      {"address 0", lines + "cameras:\n  - {id: d, line: bus-1, address: 0}\n",
       "cameras[0].address (line 4, column 35): must be between 1 and 255"},
      {"address 256", lines + "cameras:\n  - {id: d, line: bus-1, address: 256}\n",
       "cameras[0].address (line 4,"},
      {"address 255", lines + "cameras:\n  - {id: d, line: bus-1, address: 255}\n",
       "cameras[0].address (line 4, column 35): 255 is not usable: some devices take 0xFF as the "
       "broadcast address"},
      {"turnaround", "lines:\n  - {id: a, device: /dev/x, reply_turnaround_ms: 600}\n",
       "lines[0].reply_turnaround_ms (line 2,"},
      {"timeout beyond the status budget",
       "lines:\n  - {id: a, device: /dev/x, baud: 2400, response_timeout_ms: 1300}\n" + camera,
       "lines[0].response_timeout_ms (line 2, column 62): too long: a position status makes 3 "
       "queries, which must fit in 4000 ms (the gateway's call deadline is 5 s); at this baud and "
       "gap use at most 1227 ms"},
      {"duplicate address", lines + camera + "  - id: dome-2\n    line: bus-1\n    address: 1\n",
       "cameras[1].address (line 9, column 14): duplicate address 1 on line \"bus-1\""},
      {"duplicate camera", lines + camera + "  - id: dome-1\n    line: bus-1\n    address: 2\n",
       "cameras[1].id (line 7, column 9): duplicate"},
      {"camera id", lines + "cameras:\n  - {id: \"a b\", line: bus-1, address: 1}\n",
       "cameras[0].id (line 4,"},
      {"unknown camera key", lines + camera + "    speed: 3\n",
       "cameras[0].speed (line 7, column 5): unknown key \"speed\""},
      {"feedback without replies",
       "lines:\n  - {id: bus-1, device: /dev/x, replies: false}\n" + camera +
           "    position_feedback: true\n",
       "cameras[0].position_feedback (line 7, column 24): needs a line whose domes answer"},
      {"preset 0", lines + camera + "    preset_slots: [0]\n",
       "cameras[0].preset_slots[0] (line 7,"},
      {"preset range", lines + camera + "    preset_slots: [\"9-3\"]\n", "range \"9-3\" is empty"},
      {"preset text", lines + camera + "    preset_slots: [abc]\n", "expected a preset number"},
      {"home 0", lines + camera + "    home_preset: 0\n", "cameras[0].home_preset (line 7,"},
      {"pan range", lines + camera + "    pan_range: [0, 400]\n",
       "cameras[0].pan_range[1] (line 7,"},
      {"pan range width", lines + camera + "    pan_range: [10, 10]\n",
       "cameras[0].pan_range (line 7, column 16): max must be 1 to 360 degrees above min"},
      {"tilt limit", lines + camera + "    tilt_up_limit: 91\n",
       "cameras[0].tilt_up_limit (line 7,"},
      {"repeat", lines + camera + "    repeat_ms: 5\n", "cameras[0].repeat_ms (line 7,"},
      {"aux number", lines + camera + "    auxiliary: {\"tt:Wiper|On\": {aux: 9, on: true}}\n",
       "cameras[0].auxiliary.tt:Wiper|On.aux (line 7,"},
      {"aux on missing", lines + camera + "    auxiliary: {\"tt:Wiper|On\": {aux: 1}}\n",
       "cameras[0].auxiliary.tt:Wiper|On.on (line 7, column 32): is required"},
      {"aux white space", lines + camera + "    auxiliary: {\"wiper on\": {aux: 1, on: true}}\n",
       "without white space"},
      {"video codec",
       lines + camera + "    video: {uri: \"rtsp://x/1\", width: 640, height: 480, codec: vp8}\n",
       "cameras[0].video.codec (line 7,"},
      {"video uri", lines + camera + "    video: {uri: \"http://x/1\", width: 640, height: 480}\n",
       "cameras[0].video.uri (line 7, column 18): must be an rtsp:// URI"},
      {"video width", lines + camera + "    video: {uri: \"rtsp://x/1\", height: 480}\n",
       "cameras[0].video.width (line 7, column 12): is required"},
  };
  for (const BadConfig& bad : cases) {
    auto config = ParsePelcoDConfig(YAML::Load(bad.yaml));
    ASSERT_FALSE(config.ok()) << bad.name;
    EXPECT_NE(config.error().message.find(bad.expected), std::string::npos)
        << bad.name << ": " << config.error().message;
  }
}

// The sample gateway config ships an adapter section that this adapter accepts.
TEST(PelcoDConfig, TheLongestTimeoutThatFitsTheStatusBudgetIsAccepted) {
  const std::string camera = "cameras:\n  - {id: d, line: a, address: 254}\n";
  auto config = ParsePelcoDConfig(YAML::Load(
      "lines:\n  - {id: a, device: /dev/x, baud: 2400, response_timeout_ms: 1227}\n" + camera));
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_LE(kQueriesPerStatus * WorstQueryTime(config->lines[0]), kStatusQueryBudget);
  EXPECT_EQ(config->cameras[0].address, 254);
  // Without replies there are no queries: the budget does not apply.
  EXPECT_TRUE(ParsePelcoDConfig(YAML::Load("lines:\n  - {id: a, device: /dev/x, baud: 2400, "
                                           "replies: false, response_timeout_ms: 5000}\n" +
                                           camera))
                  .ok());
}

TEST(PelcoDConfig, SampleGatewayConfigSectionParses) {
  const std::filesystem::path sample =
      std::filesystem::path(__FILE__).parent_path() / "../../../config/pelco-d.yaml";
  YAML::Node root = YAML::LoadFile(sample.string());
  int found = 0;
  for (const YAML::Node& adapter : root["adapters"]) {
    if (adapter["exec"].as<std::string>() != "onvif-adapter-pelco-d") continue;
    auto config = ParsePelcoDConfig(adapter["config"]);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->cameras.size(), 2U);
    ++found;
  }
  EXPECT_EQ(found, 1);
}

// ------------------------------------------------------------------------------- Generic space

TEST(PelcoDSpace, MapsDegreesToTheGenericSpace) {
  CameraConfig camera;  // Pan 0..360, tilt 10 up .. 90 down.
  EXPECT_DOUBLE_EQ(GenericPan(camera, 4500), -0.75);
  EXPECT_DOUBLE_EQ(GenericPan(camera, 18000), 0.0);
  EXPECT_EQ(DomePan(camera, 0.0), 18000);
  EXPECT_EQ(DomePan(camera, 1.0), 0);                 // A full circle: +1 is 360° = 0°.
  EXPECT_DOUBLE_EQ(GenericTilt(camera, 0), 0.8);      // Horizon.
  EXPECT_DOUBLE_EQ(GenericTilt(camera, 9000), -1.0);  // Straight down.
  EXPECT_DOUBLE_EQ(GenericTilt(camera, 35000), 1.0);  // 10° up.
  EXPECT_DOUBLE_EQ(GenericTilt(camera, 30000), 1.0);  // 60° up: beyond the limit, clamped.
  EXPECT_EQ(DomeTilt(camera, 1.0), 35000);
  EXPECT_EQ(DomeTilt(camera, 0.0), 4000);
  EXPECT_DOUBLE_EQ(TranslatePan(camera, 0.9, 0.2), -0.9);  // Wraps round.

  camera.pan_min_degrees = -90;
  camera.pan_max_degrees = 90;
  camera.invert_pan = true;
  EXPECT_DOUBLE_EQ(GenericPan(camera, 0), 0.0);
  EXPECT_DOUBLE_EQ(GenericPan(camera, 9000), -1.0);   // Inverted: +90° is the left end.
  EXPECT_DOUBLE_EQ(GenericPan(camera, 10000), -1.0);  // Dead zone, nearer +90°.
  EXPECT_DOUBLE_EQ(GenericPan(camera, 18100), 1.0);   // Dead zone, nearer -90° (270°).
  EXPECT_EQ(DomePan(camera, 1.0), 27000);
  EXPECT_DOUBLE_EQ(TranslatePan(camera, 0.9, 0.2), 1.0);  // Clamped.
}

// ------------------------------------------------------------------------------------ Service

class PelcoDServiceTest : public ::testing::Test {
 protected:
  // Two domes on one answering line (the pty), a third on a second line that never answers.
  static constexpr const char* kConfig = R"(reopen_interval_ms: 100
lines:
  - id: bus-1
    device: {tty}
    baud: 19200
    response_timeout_ms: 200
  - id: quiet
    device: {tty2}
    replies: false
cameras:
  - id: dome-1
    label: Car park
    line: bus-1
    address: 1
    model: Spectra IV
    home_preset: 32
    position_feedback: true
    auxiliary:
      "tt:Wiper|On": {aux: 1, on: true}
      "tt:Wiper|Off": {aux: 1, on: false}
    video: {uri: "rtsp://192.0.2.10/ch1", width: 704, height: 576, framerate: 25, codec: h264}
  - id: dome-2
    line: bus-1
    address: 2
    turbo: true
    zoom: false
  - id: dome-3
    line: quiet
    address: 200
    invert_pan: true
    invert_tilt: true
)";

  void SetUp() override { Start(kConfig); }

  void Start(const std::string& yaml) {
    Stop();
    const std::string text =
        Replace(Replace(yaml, "{tty2}", bus2_.slave_path()), "{tty}", bus_.slave_path());
    auto config = ParsePelcoDConfig(YAML::Load(text));
    ASSERT_TRUE(config.ok()) << config.error().message;
    service_ = std::make_unique<PelcoDService>(std::move(config).value());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::Adapter::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }

  void Stop() {
    if (server_) {
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
      server_.reset();
    }
    service_.reset();
  }
  void TearDown() override { Stop(); }

  grpc::Status Continuous(const v1::PtzVector& velocity, const std::string& camera = "dome-1") {
    grpc::ClientContext context;
    v1::ContinuousMovePtzRequest request;
    request.set_camera_id(camera);
    request.set_node_id("0");
    *request.mutable_velocity() = velocity;
    v1::PtzMoveResponse response;
    return stub_->ContinuousMovePtz(&context, request, &response);
  }
  grpc::Status StopPtz(bool pan_tilt, bool zoom, const std::string& camera = "dome-1") {
    grpc::ClientContext context;
    v1::StopPtzRequest request;
    request.set_camera_id(camera);
    request.set_node_id("0");
    request.set_pan_tilt(pan_tilt);
    request.set_zoom(zoom);
    v1::PtzMoveResponse response;
    return stub_->StopPtz(&context, request, &response);
  }
  grpc::Status Absolute(const v1::PtzVector& position, const std::string& camera = "dome-1") {
    grpc::ClientContext context;
    v1::AbsoluteMovePtzRequest request;
    request.set_camera_id(camera);
    request.set_node_id("0");
    *request.mutable_position() = position;
    v1::PtzMoveResponse response;
    return stub_->AbsoluteMovePtz(&context, request, &response);
  }
  grpc::Status Relative(const v1::PtzVector& translation) {
    grpc::ClientContext context;
    v1::RelativeMovePtzRequest request;
    request.set_camera_id("dome-1");
    request.set_node_id("0");
    *request.mutable_translation() = translation;
    v1::PtzMoveResponse response;
    return stub_->RelativeMovePtz(&context, request, &response);
  }
  grpc::Status Status(v1::PtzStatus* status, const std::string& camera = "dome-1") {
    grpc::ClientContext context;
    v1::PtzNodeRef request;
    request.set_camera_id(camera);
    request.set_node_id("0");
    return stub_->GetPtzStatus(&context, request, status);
  }
  enum class PresetCall { kSet, kRemove, kGoto };
  grpc::Status Preset(PresetCall call, uint32_t slot, const std::string& camera = "dome-1") {
    grpc::ClientContext context;
    v1::PtzMoveResponse response;
    if (call == PresetCall::kGoto) {
      v1::GotoPtzPresetRequest request;
      request.set_camera_id(camera);
      request.set_node_id("0");
      request.set_slot(slot);
      return stub_->GotoPtzPreset(&context, request, &response);
    }
    v1::PtzPresetRequest request;
    request.set_camera_id(camera);
    request.set_node_id("0");
    request.set_slot(slot);
    return call == PresetCall::kSet ? stub_->SetPtzPreset(&context, request, &response)
                                    : stub_->RemovePtzPreset(&context, request, &response);
  }
  grpc::Status Aux(const std::string& command, const std::string& camera = "dome-1") {
    grpc::ClientContext context;
    v1::AuxiliaryCommandRequest request;
    request.set_camera_id(camera);
    request.set_command(command);
    v1::AuxiliaryCommandResponse response;
    return stub_->SendAuxiliaryCommand(&context, request, &response);
  }

  // Runs `call` while the test plays the dome: each frame read is checked against the expected
  // hex and answered with `reply(frame)` (nothing when it returns empty).
  template <typename Call>
  grpc::Status Answered(Call call, const std::vector<std::string>& expected_frames,
                        const std::function<std::string(const std::string&)>& reply) {
    auto result = std::async(std::launch::async, call);
    for (const std::string& expected : expected_frames) {
      const std::string frame = bus_.ReadFrame();
      EXPECT_EQ(frame, expected);
      if (std::string answer = reply(frame); !answer.empty()) bus_.Write(answer);
    }
    EXPECT_EQ(result.wait_for(kFailsafe), std::future_status::ready);
    return result.get();
  }
  // Confirms every command with the general response.
  template <typename Call>
  grpc::Status Confirmed(Call call, const std::vector<std::string>& expected_frames) {
    return Answered(call, expected_frames, GeneralResponseTo);
  }

  PseudoTerminal bus_;
  PseudoTerminal bus2_;
  std::unique_ptr<PelcoDService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Adapter::Stub> stub_;
};

TEST_F(PelcoDServiceTest, DescribesEachDomeWithWhatItCanDo) {
  grpc::ClientContext context;
  v1::DescribeRequest request;
  request.set_gateway_api_version(1);
  v1::DescribeResponse response;
  ASSERT_TRUE(stub_->Describe(&context, request, &response).ok());
  EXPECT_EQ(response.api_version(), 1U);
  EXPECT_EQ(response.adapter_name(), "pelco-d");
  ASSERT_EQ(response.cameras_size(), 3);
  const v1::CameraDescription& one = response.cameras(0);
  EXPECT_EQ(one.camera_id(), "dome-1");
  EXPECT_EQ(one.label(), "Car park");
  EXPECT_TRUE(one.capabilities().device_information());
  EXPECT_TRUE(one.capabilities().ptz());
  EXPECT_TRUE(one.capabilities().auxiliary_commands());
  EXPECT_TRUE(one.capabilities().video_sources());
  EXPECT_FALSE(one.capabilities().snapshot());
  EXPECT_FALSE(one.capabilities().events());
  EXPECT_FALSE(one.capabilities().system_time());
  EXPECT_FALSE(one.capabilities().reboot());
  ASSERT_EQ(one.auxiliary_commands_size(), 2);
  EXPECT_EQ(one.auxiliary_commands(0), "tt:Wiper|On");
  const v1::CameraDescription& two = response.cameras(1);
  EXPECT_TRUE(two.capabilities().ptz());
  EXPECT_FALSE(two.capabilities().auxiliary_commands());
  EXPECT_FALSE(two.capabilities().video_sources());
  EXPECT_EQ(two.auxiliary_commands_size(), 0);

  // What it does not claim answers UNIMPLEMENTED.
  grpc::ClientContext snapshot_context;
  v1::SnapshotRequest snapshot_request;
  snapshot_request.set_camera_id("dome-1");
  v1::Snapshot snapshot;
  EXPECT_EQ(stub_->GetSnapshot(&snapshot_context, snapshot_request, &snapshot).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  grpc::ClientContext sources_context;
  v1::CameraRef dome2;
  dome2.set_camera_id("dome-2");
  v1::VideoSourceList none;
  EXPECT_EQ(stub_->ListVideoSources(&sources_context, dome2, &none).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(Aux("tt:Wiper|On", "dome-2").error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(PelcoDServiceTest, DeviceInformationAndVideoSourceComeFromTheConfig) {
  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id("dome-1");
  v1::DeviceInformation info;
  ASSERT_TRUE(stub_->GetDeviceInformation(&context, ref, &info).ok());
  EXPECT_EQ(info.manufacturer(), "Pelco");
  EXPECT_EQ(info.model(), "Spectra IV");
  EXPECT_EQ(info.firmware_version(), "");
  EXPECT_EQ(info.serial_number(), "bus-1:1");

  grpc::ClientContext default_context;
  ref.set_camera_id("dome-2");
  ASSERT_TRUE(stub_->GetDeviceInformation(&default_context, ref, &info).ok());
  EXPECT_EQ(info.model(), "Pelco-D dome");

  grpc::ClientContext sources_context;
  ref.set_camera_id("dome-1");
  v1::VideoSourceList sources;
  ASSERT_TRUE(stub_->ListVideoSources(&sources_context, ref, &sources).ok());
  ASSERT_EQ(sources.sources_size(), 1);
  const v1::VideoSource& source = sources.sources(0);
  EXPECT_EQ(source.source_id(), "0");
  EXPECT_EQ(source.resolution().width(), 704U);
  ASSERT_EQ(source.streams_size(), 1);
  EXPECT_EQ(source.streams(0).stream_id(), "main");
  EXPECT_EQ(source.streams(0).uri(), "rtsp://192.0.2.10/ch1");
  EXPECT_EQ(source.streams(0).codec(), v1::VIDEO_CODEC_H264);
  EXPECT_EQ(source.streams(0).transport(), v1::STREAM_TRANSPORT_RTSP);

  grpc::ClientContext unknown_context;
  ref.set_camera_id("dome-9");
  EXPECT_EQ(stub_->GetDeviceInformation(&unknown_context, ref, &info).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(PelcoDServiceTest, ListsOnePtzNodePerDomeAsConfigured) {
  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id("dome-1");
  v1::PtzNodeList nodes;
  ASSERT_TRUE(stub_->ListPtzNodes(&context, ref, &nodes).ok());
  ASSERT_EQ(nodes.nodes_size(), 1);
  const v1::PtzNode& one = nodes.nodes(0);
  EXPECT_EQ(one.node_id(), "0");
  EXPECT_EQ(one.source_id(), "0");
  EXPECT_TRUE(one.pan_tilt());
  EXPECT_TRUE(one.zoom());
  EXPECT_TRUE(one.absolute_move());
  EXPECT_TRUE(one.relative_move());
  EXPECT_TRUE(one.home());
  EXPECT_TRUE(one.settable_home());
  EXPECT_TRUE(one.move_status());
  ASSERT_EQ(one.preset_slots_size(), 31);  // 1..32 without the home slot 32.
  EXPECT_EQ(one.preset_slots(30), 31U);

  grpc::ClientContext context2;
  ref.set_camera_id("dome-2");
  nodes.Clear();
  ASSERT_TRUE(stub_->ListPtzNodes(&context2, ref, &nodes).ok());
  const v1::PtzNode& two = nodes.nodes(0);
  EXPECT_EQ(two.source_id(), "");
  EXPECT_FALSE(two.zoom());
  EXPECT_FALSE(two.absolute_move());
  EXPECT_FALSE(two.relative_move());
  EXPECT_FALSE(two.home());
  EXPECT_FALSE(two.settable_home());
  EXPECT_FALSE(two.move_status());
  EXPECT_EQ(two.preset_slots_size(), 32);
}

TEST_F(PelcoDServiceTest, ContinuousMoveWritesTheStandardFrame) {
  struct Case {
    v1::PtzVector velocity;
    std::string camera;
    std::string frame;
  };
  const std::vector<Case> cases = {
      // Both groups are given: an absent one would keep its running move.
      {Vector({{0.5F, 0}}, 0), "dome-1", "FF 01 00 02 20 00 23"},          // Right 0x20.
      {Vector({{-0.5F, 0}}, 0), "dome-1", "FF 01 00 04 20 00 25"},         // Left 0x20.
      {Vector({{0, 1}}, 0), "dome-1", "FF 01 00 08 00 3F 48"},             // Up 0x3F.
      {Vector({{0.5F, 0.5F}}, 0), "dome-1", "FF 01 00 0A 20 20 4B"},       // Up + right.
      {Vector({{-1, -1}}, 0), "dome-1", "FF 01 00 14 3F 3F 93"},           // Down + left.
      {Vector({{0, 0}}, 1), "dome-1", "FF 01 00 20 00 00 21"},             // Zoom tele.
      {Vector({{0, 0}}, -0.3F), "dome-1", "FF 01 00 40 00 00 41"},         // Zoom wide.
      {Vector({{1, 0}}, 0), "dome-1", "FF 01 00 02 3F 00 42"},             // No turbo.
      {Vector({{1, 0}}, std::nullopt), "dome-2", "FF 02 00 02 40 00 44"},  // Turbo.
      {Vector({{0, 0}}, 0), "dome-1", "FF 01 00 00 00 00 01"},             // All zero: stop.
  };
  for (const Case& c : cases) {
    const auto started = Clock::now();
    ASSERT_TRUE(Continuous(c.velocity, c.camera).ok()) << c.frame;
    // A move is written at once: no wait beyond the write itself.
    EXPECT_LT(Clock::now() - started, milliseconds(500)) << c.frame;
    EXPECT_EQ(bus_.ReadFrame(), c.frame);
  }
  // Inverted axes on the other line: right becomes left, up becomes down.
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0.5F}}, std::nullopt), "dome-3").ok());
  EXPECT_EQ(bus2_.ReadFrame(), ToHex(*EncodeStandard(200, StandardCommand{.pan = Pan::kLeft,
                                                                          .pan_speed = 0x20,
                                                                          .tilt = Tilt::kDown,
                                                                          .tilt_speed = 0x20})));

  EXPECT_EQ(Continuous(Vector({{1.5F, 0}}, std::nullopt)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Continuous(Vector(std::nullopt, 1), "dome-2").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // dome-2 has no zoom.
  EXPECT_FALSE(bus_.HasData(milliseconds(50)));
}

TEST_F(PelcoDServiceTest, StopClearsTheAxesAskedFor) {
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0}}, 1)).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 22 20 00 43");
  ASSERT_TRUE(StopPtz(true, false).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 20 00 00 21");  // Zoom goes on.
  ASSERT_TRUE(StopPtz(true, true).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 00 00 00 01");
  // Nothing named: nothing stops, nothing is sent (adapter API).
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0}}, std::nullopt), "dome-2").ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 02 00 02 20 00 24");
  ASSERT_TRUE(StopPtz(false, false, "dome-2").ok());
  EXPECT_FALSE(bus_.HasData(milliseconds(100)));
  v1::PtzStatus status;
  ASSERT_TRUE(Status(&status, "dome-2").ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
}

// ONVIF: "If the pan/tilt element is omitted, the current pan/tilt movement shall not be
// affected"; the same holds for zoom. Present with velocity 0, a group stands still.
TEST_F(PelcoDServiceTest, AnAbsentAxisKeepsItsRunningMove) {
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0}}, std::nullopt)).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 02 20 00 23");  // Pan right.
  ASSERT_TRUE(Continuous(Vector(std::nullopt, 1)).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 22 20 00 43");  // Pan right and zoom tele.
  ASSERT_TRUE(Continuous(Vector({{0, 0}}, std::nullopt)).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 20 00 00 21");  // Zoom tele goes on.
  ASSERT_TRUE(Continuous(Vector({{0, -1}}, std::nullopt)).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 30 00 3F 70");  // Tilt down, zoom tele.
  ASSERT_TRUE(Continuous(v1::PtzVector()).ok());        // No group at all: nothing changes.
  EXPECT_FALSE(bus_.HasData(milliseconds(100)));
  ASSERT_TRUE(Continuous(Vector(std::nullopt, 0)).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 10 00 3F 50");  // Zoom stops, tilt goes on.

  // Without feedback the status follows each group on its own.
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0}}, std::nullopt), "dome-2").ok());
  ASSERT_TRUE(Continuous(Vector(std::nullopt, 0), "dome-2").ok());  // Zoom 0 on a zoomless dome.
  v1::PtzStatus status;
  ASSERT_TRUE(Status(&status, "dome-2").ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_TRUE(status.error().empty());
  ASSERT_TRUE(StopPtz(true, true).ok());
  ASSERT_TRUE(StopPtz(true, true, "dome-2").ok());
  const std::string tail = bus_.ReadUntilQuiet(milliseconds(150));
  ASSERT_EQ(tail.size(), 4 * kFrameSize) << ToHex(tail);
  EXPECT_EQ(ToHex(tail.substr(kFrameSize, kFrameSize)), "FF 02 00 02 20 00 24");
}

// A go-to of pan/tilt leaves a running zoom move alone: it is still repeated afterwards.
TEST_F(PelcoDServiceTest, AGoToOfOneGroupKeepsTheOthersContinuousMove) {
  Start(Replace(kConfig, "    position_feedback: true\n",
                "    position_feedback: true\n    repeat_ms: 40\n"));
  const std::string zoom_tele = "FF 01 00 20 00 00 21";
  ASSERT_TRUE(Continuous(Vector(std::nullopt, 1)).ok());
  EXPECT_EQ(bus_.ReadFrame(), zoom_tele);
  auto moved = std::async(std::launch::async, [this] { return Absolute(Vector({{0, 0}}, {})); });
  std::vector<std::string> set_frames;
  while (set_frames.size() < 2) {
    const std::string frame = bus_.ReadFrame();
    ASSERT_FALSE(frame.empty());
    if (frame == zoom_tele) continue;  // A repeat from before the go-to.
    set_frames.push_back(frame);
    bus_.Write(GeneralResponseTo(frame));
  }
  EXPECT_EQ(set_frames, (std::vector<std::string>{"FF 01 00 4B 46 50 E2", "FF 01 00 4D 0F A0 FD"}));
  ASSERT_EQ(moved.wait_for(kFailsafe), std::future_status::ready);
  EXPECT_TRUE(moved.get().ok());
  EXPECT_EQ(bus_.ReadFrame(), zoom_tele);  // Still repeated.
  EXPECT_EQ(bus_.ReadFrame(), zoom_tele);
  ASSERT_TRUE(StopPtz(true, true).ok());
  const std::string tail = bus_.ReadUntilQuiet(milliseconds(200));
  ASSERT_GE(tail.size(), kFrameSize);
  EXPECT_EQ(ToHex(tail.substr(tail.size() - kFrameSize)), "FF 01 00 00 00 00 01") << ToHex(tail);
}

// Frames of one dome reach the wire in the order of the state changes they stand for: a stop
// made while a move waits for the line is not moved ahead of a go-to made after it (and the
// status then says what the dome was told last).
TEST_F(PelcoDServiceTest, FramesOfADomeKeepTheOrderOfItsStateChanges) {
  // dome-1's unanswered preset holds the line for its response timeout (200 ms).
  auto held = std::async(std::launch::async, [this] { return Preset(PresetCall::kSet, 1); });
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 03 00 01 05");
  auto move = std::async(std::launch::async, [this] {
    return Continuous(Vector({{0.5F, 0}}, std::nullopt), "dome-2");
  });
  std::this_thread::sleep_for(milliseconds(30));
  auto stop = std::async(std::launch::async, [this] { return StopPtz(true, true, "dome-2"); });
  std::this_thread::sleep_for(milliseconds(30));
  auto go =
      std::async(std::launch::async, [this] { return Preset(PresetCall::kGoto, 4, "dome-2"); });
  EXPECT_EQ(held.get().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  std::vector<std::string> frames;
  for (int i = 0; i < 3; ++i) {
    frames.push_back(bus_.ReadFrame());
    if (frames.back() == "FF 02 00 07 00 04 0D") bus_.Write(GeneralResponseTo(frames.back()));
  }
  EXPECT_EQ(frames, (std::vector<std::string>{"FF 02 00 02 20 00 24", "FF 02 00 00 00 00 02",
                                              "FF 02 00 07 00 04 0D"}));
  EXPECT_TRUE(move.get().ok());
  EXPECT_TRUE(stop.get().ok());
  EXPECT_TRUE(go.get().ok());
  v1::PtzStatus status;
  ASSERT_TRUE(Status(&status, "dome-2").ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_UNKNOWN);  // The go-to came last.
  EXPECT_FALSE(bus_.HasData(milliseconds(100)));
}

// A stop (a timer's) racing a move (a client's): whichever wins, the last frame on the wire is
// the state the adapter reports.
TEST_F(PelcoDServiceTest, ARacingStopAndMoveLeaveWireAndStateAgreeing) {
  for (int i = 0; i < 8; ++i) {
    auto stop = std::async(std::launch::async, [this] { return StopPtz(true, true, "dome-2"); });
    auto move = std::async(std::launch::async, [this] {
      return Continuous(Vector({{0.5F, 0}}, std::nullopt), "dome-2");
    });
    EXPECT_TRUE(stop.get().ok());
    EXPECT_TRUE(move.get().ok());
    const std::string wire = bus_.ReadUntilQuiet(milliseconds(80));
    ASSERT_GE(wire.size(), kFrameSize);
    const std::string last = ToHex(wire.substr(wire.size() - kFrameSize));
    v1::PtzStatus status;
    ASSERT_TRUE(Status(&status, "dome-2").ok());
    EXPECT_EQ(status.pan_tilt_status(), last == "FF 02 00 00 00 00 02" ? v1::PTZ_MOVE_STATUS_IDLE
                                                                       : v1::PTZ_MOVE_STATUS_MOVING)
        << ToHex(wire);
  }
}

// With replies, the gap after a move leaves room for its unawaited answer and the turnaround.
TEST_F(PelcoDServiceTest, TheGapAfterAMoveCoversTheReplyTurnaround) {
  Start(Replace(kConfig, "    response_timeout_ms: 200\n",
                "    response_timeout_ms: 200\n    reply_turnaround_ms: 150\n"));
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0}}, std::nullopt), "dome-2").ok());
  const auto started = Clock::now();
  ASSERT_TRUE(StopPtz(true, true, "dome-2").ok());
  EXPECT_GE(Clock::now() - started, milliseconds(140));
  EXPECT_EQ(bus_.ReadFrame(), "FF 02 00 02 20 00 24");
  EXPECT_EQ(bus_.ReadFrame(), "FF 02 00 00 00 00 02");
}

TEST_F(PelcoDServiceTest, PresetsUseTheExtendedCommandsAndOnlyTheNodesSlots) {
  EXPECT_TRUE(
      Confirmed([this] { return Preset(PresetCall::kSet, 1); }, {"FF 01 00 03 00 01 05"}).ok());
  EXPECT_TRUE(
      Confirmed([this] { return Preset(PresetCall::kRemove, 1); }, {"FF 01 00 05 00 01 07"}).ok());
  EXPECT_TRUE(
      Confirmed([this] { return Preset(PresetCall::kGoto, 10); }, {"FF 01 00 07 00 0A 12"}).ok());

  // The magic numbers, the home slot and slots beyond the range are refused before the wire.
  for (uint32_t slot : {0U, 32U, 33U, 34U, 95U, 256U}) {
    EXPECT_EQ(Preset(PresetCall::kGoto, slot).error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << slot;
    EXPECT_EQ(Preset(PresetCall::kSet, slot).error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << slot;
  }
  EXPECT_FALSE(bus_.HasData(milliseconds(50)));

  // Home is the home_preset slot.
  grpc::ClientContext set_home;
  v1::PtzNodeRef ref;
  ref.set_camera_id("dome-1");
  ref.set_node_id("0");
  v1::PtzMoveResponse response;
  EXPECT_TRUE(Confirmed([&] { return stub_->SetPtzHome(&set_home, ref, &response); },
                        {"FF 01 00 03 00 20 24"})
                  .ok());
  grpc::ClientContext goto_home;
  v1::GotoPtzHomeRequest home;
  home.set_camera_id("dome-1");
  home.set_node_id("0");
  EXPECT_TRUE(Confirmed([&] { return stub_->GotoPtzHome(&goto_home, home, &response); },
                        {"FF 01 00 07 00 20 28"})
                  .ok());
  grpc::ClientContext no_home;
  home.set_camera_id("dome-2");
  EXPECT_EQ(stub_->GotoPtzHome(&no_home, home, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(PelcoDServiceTest, ASilentDomeDoesNotConfirmAPreset) {
  const auto started = Clock::now();
  const grpc::Status status =
      Answered([this] { return Preset(PresetCall::kSet, 3); }, {"FF 01 00 03 00 03 07"},
               [](const std::string&) { return std::string(); });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_NE(status.error_message().find("did not confirm"), std::string::npos)
      << status.error_message();
  EXPECT_LT(Clock::now() - started, milliseconds(1500));
}

TEST_F(PelcoDServiceTest, WithoutRepliesCommandsAreFireAndForget) {
  // dome-3's line never answers: the preset returns once written.
  ASSERT_TRUE(Preset(PresetCall::kGoto, 2, "dome-3").ok());
  EXPECT_EQ(bus2_.ReadFrame(), ToHex(*EncodeGoToPreset(200, 2)));
}

TEST_F(PelcoDServiceTest, AuxiliaryCommandsSwitchTheMappedOutput) {
  EXPECT_TRUE(Confirmed([this] { return Aux("tt:Wiper|On"); }, {"FF 01 00 09 00 01 0B"}).ok());
  EXPECT_TRUE(Confirmed([this] { return Aux("tt:Wiper|Off"); }, {"FF 01 00 0B 00 01 0D"}).ok());
  EXPECT_EQ(Aux("tt:IRLamp|On").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(bus_.HasData(milliseconds(50)));
}

TEST_F(PelcoDServiceTest, StatusQueriesThePosition) {
  v1::PtzStatus status;
  const grpc::Status result =
      Answered([&] { return Status(&status); },
               {"FF 01 00 51 00 00 52", "FF 01 00 53 00 00 54", "FF 01 00 55 00 00 56"},
               [](const std::string& frame) {
                 if (frame == "FF 01 00 51 00 00 52")
                   return Bytes({0xFF, 0x01, 0x00, 0x59, 0x11, 0x94, 0xFF});
                 if (frame == "FF 01 00 53 00 00 54")
                   return ExtendedResponse(1, 0x5B, 0);  // Horizon.
                 return ExtendedResponse(1, 0x5D, 0x8000);
               });
  ASSERT_TRUE(result.ok()) << result.error_message();
  ASSERT_TRUE(status.has_position());
  EXPECT_FLOAT_EQ(status.position().pan_tilt().x(), -0.75F);  // 45° of 0..360.
  EXPECT_FLOAT_EQ(status.position().pan_tilt().y(), 0.8F);    // Horizon of 10° up .. 90° down.
  EXPECT_NEAR(status.position().zoom().x(), 0.5, 1e-4);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_IDLE);
}

TEST_F(PelcoDServiceTest, ASilentDomeGivesDeadlineExceededWithinTheTimeout) {
  v1::PtzStatus status;
  const auto started = Clock::now();
  const grpc::Status result = Answered([&] { return Status(&status); }, {"FF 01 00 51 00 00 52"},
                                       [](const std::string&) { return std::string(); });
  const auto took = Clock::now() - started;
  EXPECT_EQ(result.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_NE(result.error_message().find("did not answer"), std::string::npos)
      << result.error_message();
  EXPECT_GE(took, milliseconds(200));
  EXPECT_LT(took, milliseconds(1500));
  const auto timed_out = Clock::now();
  // The line stays usable.
  ASSERT_TRUE(StopPtz(true, true).ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 00 00 00 01");

  // For a while the silent dome is not asked again: its status fails at once, off the wire, so a
  // polling client cannot keep the shared line busy.
  for (int i = 0; i < 3; ++i) {
    const auto asked = Clock::now();
    const grpc::Status again = Status(&status);
    EXPECT_EQ(again.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_NE(again.error_message().find("not asked again"), std::string::npos)
        << again.error_message();
    EXPECT_LT(Clock::now() - asked, milliseconds(100));
  }
  EXPECT_FALSE(bus_.HasData(milliseconds(50)));
  // Other domes on the line are not concerned.
  ASSERT_TRUE(StopPtz(true, true, "dome-2").ok());
  EXPECT_EQ(bus_.ReadFrame(), "FF 02 00 00 00 00 02");

  // After the back-off the dome is asked again; an answer ends the back-off.
  std::this_thread::sleep_until(timed_out + milliseconds(2100));
  const grpc::Status answered =
      Answered([&] { return Status(&status); },
               {"FF 01 00 51 00 00 52", "FF 01 00 53 00 00 54", "FF 01 00 55 00 00 56"},
               [](const std::string& frame) {
                 if (frame == "FF 01 00 51 00 00 52") return ExtendedResponse(1, 0x59, 0);
                 if (frame == "FF 01 00 53 00 00 54") return ExtendedResponse(1, 0x5B, 0);
                 return ExtendedResponse(1, 0x5D, 0);
               });
  EXPECT_TRUE(answered.ok()) << answered.error_message();
}

TEST_F(PelcoDServiceTest, AbsoluteMoveSetsThePositions) {
  // Pan 0 = 180°, tilt 0 = 40° down (10 up .. 90 down), zoom 0.5 = 0x8000.
  EXPECT_TRUE(Confirmed(
                  [this] {
                    return Absolute(Vector({{0, 0}}, 0.5F));
                  },
                  {"FF 01 00 4B 46 50 E2", "FF 01 00 4D 0F A0 FD", "FF 01 00 4F 80 00 D0"})
                  .ok());
  EXPECT_EQ(Absolute(Vector({{0, 0}}, 1.5F)).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Absolute(Vector({{0, 0}}, std::nullopt), "dome-2").error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(PelcoDServiceTest, RelativeMoveAddsToTheQueriedPosition) {
  const grpc::Status result = Answered(
      [this] {
        return Relative(Vector({{0.25F, 0}}, std::nullopt));
      },
      {"FF 01 00 51 00 00 52", "FF 01 00 53 00 00 54", "FF 01 00 4B 23 28 97",
       "FF 01 00 4D 00 00 4E"},
      [](const std::string& frame) {
        if (frame == "FF 01 00 51 00 00 52") return ExtendedResponse(1, 0x59, 4500);  // 45°.
        if (frame == "FF 01 00 53 00 00 54") return ExtendedResponse(1, 0x5B, 0);
        return GeneralResponseTo(frame);
      });
  ASSERT_TRUE(result.ok()) << result.error_message();  // 45° + a quarter of 360° = 90°.
}

TEST_F(PelcoDServiceTest, MoveStatusWithPositionFeedbackFollowsTheHead) {
  ASSERT_TRUE(Confirmed(
                  [this] {
                    return Absolute(Vector({{0, 0}}, std::nullopt));
                  },
                  {"FF 01 00 4B 46 50 E2", "FF 01 00 4D 0F A0 FD"})
                  .ok());
  auto status_at = [this](uint16_t pan, uint16_t tilt) {
    v1::PtzStatus status;
    const grpc::Status result =
        Answered([&] { return Status(&status); },
                 {"FF 01 00 51 00 00 52", "FF 01 00 53 00 00 54", "FF 01 00 55 00 00 56"},
                 [&](const std::string& frame) {
                   if (frame == "FF 01 00 51 00 00 52") return ExtendedResponse(1, 0x59, pan);
                   if (frame == "FF 01 00 53 00 00 54") return ExtendedResponse(1, 0x5B, tilt);
                   return ExtendedResponse(1, 0x5D, 0);
                 });
    EXPECT_TRUE(result.ok()) << result.error_message();
    return status.pan_tilt_status();
  };
  EXPECT_EQ(status_at(9000, 1000), v1::PTZ_MOVE_STATUS_MOVING);  // On its way.
  EXPECT_EQ(status_at(18000, 4000), v1::PTZ_MOVE_STATUS_IDLE);   // Arrived.
}

TEST_F(PelcoDServiceTest, MoveStatusWithoutFeedbackIsWhatTheAdapterCanSee) {
  v1::PtzStatus status;
  ASSERT_TRUE(Status(&status, "dome-2").ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_FALSE(status.has_position());
  EXPECT_TRUE(status.error().empty());
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0}}, std::nullopt), "dome-2").ok());
  ASSERT_TRUE(Status(&status, "dome-2").ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  ASSERT_TRUE(StopPtz(true, false, "dome-2").ok());
  ASSERT_TRUE(Status(&status, "dome-2").ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
  bus_.ReadUntilQuiet(milliseconds(50));
  ASSERT_TRUE(
      Confirmed([this] { return Preset(PresetCall::kGoto, 4, "dome-2"); }, {"FF 02 00 07 00 04 0D"})
          .ok());
  ASSERT_TRUE(Status(&status, "dome-2").ok());
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_UNKNOWN);  // Its end is invisible.
  // ONVIF wants an Error with an UNKNOWN move status.
  EXPECT_NE(status.error().find("the dome gives no position"), std::string::npos) << status.error();
}

TEST_F(PelcoDServiceTest, TwoDomesOnOneLineNeverInterleave) {
  constexpr int kMoves = 40;
  auto mover = [this](const std::string& camera) {
    for (int i = 0; i < kMoves; ++i) {
      const float pan = (i % 2 == 0) ? 0.5F : -0.25F;
      EXPECT_TRUE(Continuous(Vector({{pan, 0}}, std::nullopt), camera).ok());
    }
    EXPECT_TRUE(StopPtz(true, true, camera).ok());
  };
  std::thread one(mover, "dome-1");
  std::thread two(mover, "dome-2");
  const std::string wire = bus_.ReadUntilQuiet(milliseconds(300));
  one.join();
  two.join();
  ASSERT_FALSE(wire.empty());
  ASSERT_EQ(wire.size() % kFrameSize, 0U) << ToHex(wire);
  std::optional<DecodedCommand> last[3];
  int frames[3] = {0, 0, 0};
  for (size_t at = 0; at < wire.size(); at += kFrameSize) {
    const auto decoded = DecodeCommand(std::string_view(wire).substr(at, kFrameSize));
    ASSERT_TRUE(decoded.has_value()) << "frame at byte " << at << " of " << ToHex(wire);
    ASSERT_TRUE(decoded->address == 1 || decoded->address == 2);
    last[decoded->address] = decoded;
    ++frames[decoded->address];
  }
  // Coalescing may drop intermediate moves, never the last word: each dome ends stopped.
  for (uint8_t address : {1, 2}) {
    ASSERT_TRUE(last[address].has_value());
    EXPECT_GE(frames[address], 1);
    EXPECT_LE(frames[address], kMoves + 1);
    EXPECT_EQ(std::get<StandardCommand>(last[address]->command), StandardCommand{});
  }
}

TEST_F(PelcoDServiceTest, RepeatsARunningMoveUntilStopped) {
  Start(Replace(kConfig, "    zoom: false\n", "    zoom: false\n    repeat_ms: 40\n"));
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0}}, std::nullopt), "dome-2").ok());
  // The first frame and at least two repeats of it.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(bus_.ReadFrame(), "FF 02 00 02 20 00 24") << i;
  }
  ASSERT_TRUE(StopPtz(true, true, "dome-2").ok());
  const std::string tail = bus_.ReadUntilQuiet(milliseconds(200));
  ASSERT_GE(tail.size(), kFrameSize);
  // Whatever repeat was on its way came before the stop, and nothing after it.
  EXPECT_EQ(ToHex(tail.substr(tail.size() - kFrameSize)), "FF 02 00 00 00 00 02") << ToHex(tail);
  EXPECT_FALSE(bus_.HasData(milliseconds(150)));
}

TEST_F(PelcoDServiceTest, ALineThatCannotBeOpenedIsRetried) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pelco-d-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path link = dir / "bus";
  std::filesystem::remove(link);
  Start(Replace(kConfig, "device: {tty}\n", "device: " + link.string() + "\n"));

  // Facts still come from the config; the wire is UNAVAILABLE.
  grpc::ClientContext context;
  v1::DescribeResponse described;
  ASSERT_TRUE(stub_->Describe(&context, v1::DescribeRequest(), &described).ok());
  const grpc::Status down = Continuous(Vector({{0.5F, 0}}, std::nullopt));
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(down.error_message().find("is not open"), std::string::npos) << down.error_message();
  v1::PtzStatus status;
  EXPECT_EQ(Status(&status, "dome-2").error_code(), grpc::StatusCode::UNAVAILABLE);

  // The device appears: the line is reopened within a few retry periods.
  std::filesystem::create_symlink(bus_.slave_path(), link);
  grpc::Status up = down;
  for (auto deadline = Clock::now() + kFailsafe; !up.ok() && Clock::now() < deadline;) {
    std::this_thread::sleep_for(milliseconds(20));
    up = Continuous(Vector({{0.5F, 0}}, std::nullopt));
  }
  EXPECT_TRUE(up.ok()) << up.error_message();
  EXPECT_EQ(bus_.ReadFrame(), "FF 01 00 02 20 00 23");
  std::filesystem::remove_all(dir);
}

TEST_F(PelcoDServiceTest, RejectsUnknownCamerasAndNodes) {
  EXPECT_EQ(Continuous(Vector({{0.5F, 0}}, std::nullopt), "nope").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Continuous(Vector({{0.5F, 0}}, std::nullopt), "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext context;
  v1::ContinuousMovePtzRequest request;
  request.set_camera_id("dome-1");
  request.set_node_id("1");
  v1::PtzMoveResponse response;
  EXPECT_EQ(stub_->ContinuousMovePtz(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(bus_.HasData(milliseconds(50)));
}

}  // namespace
}  // namespace onvifgw::pelco_d
