// The simulated camera's PTZ head, served in-process and called through a real gRPC stub, with a
// clock that moves only when the test says so.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/simulated/camera_configuration.h"
#include "adapters/simulated/frame_renderer.h"
#include "adapters/simulated/simulated_config.h"
#include "adapters/simulated/simulated_ptz_head.h"
#include "adapters/simulated/simulated_service.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

constexpr float kTolerance = 1e-4F;

class FakeClock final : public Clock {
 public:
  system_clock::time_point SystemNow() const override {
    return system_clock::time_point(seconds(1'700'000'000)) + elapsed();
  }
  steady_clock::time_point SteadyNow() const override {
    return steady_clock::time_point(seconds(1000)) + elapsed();
  }
  void Advance(steady_clock::duration d) { elapsed_ns_ += d.count(); }

 private:
  steady_clock::duration elapsed() const { return steady_clock::duration(elapsed_ns_.load()); }
  std::atomic<steady_clock::rep> elapsed_ns_{0};
};

v1::PtzVector Vector(std::optional<std::pair<float, float>> pan_tilt, std::optional<float> zoom) {
  v1::PtzVector v;
  if (pan_tilt) {
    v.mutable_pan_tilt()->set_x(pan_tilt->first);
    v.mutable_pan_tilt()->set_y(pan_tilt->second);
  }
  if (zoom) v.mutable_zoom()->set_x(*zoom);
  return v;
}

class SimulatedPtzTest : public ::testing::Test {
 protected:
  // The default configuration: cam-1 with PTZ, cam-2 without.
  void SetUp() override { Start(""); }

  void Start(const std::string& yaml) {
    TearDown();
    auto config = ParseSimulatedConfig(YAML::Load(yaml));
    ASSERT_TRUE(config.ok()) << config.error().message;
    service_ = std::make_unique<SimulatedService>(std::move(config).value(), clock_);
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::Adapter::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }

  void TearDown() override {
    if (server_) {
      service_->BeginShutdown();
      server_->Shutdown(system_clock::now() + seconds(2));
      server_.reset();
    }
  }

  grpc::Status Continuous(const v1::PtzVector& velocity, const std::string& camera = "cam-1",
                          const std::string& node = "0") {
    grpc::ClientContext context;
    v1::ContinuousMovePtzRequest request;
    request.set_camera_id(camera);
    request.set_node_id(node);
    *request.mutable_velocity() = velocity;
    v1::PtzMoveResponse response;
    return stub_->ContinuousMovePtz(&context, request, &response);
  }
  grpc::Status Absolute(const v1::PtzVector& position, const v1::PtzVector& speed = {}) {
    grpc::ClientContext context;
    v1::AbsoluteMovePtzRequest request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    *request.mutable_position() = position;
    if (speed.has_pan_tilt() || speed.has_zoom()) *request.mutable_speed() = speed;
    v1::PtzMoveResponse response;
    return stub_->AbsoluteMovePtz(&context, request, &response);
  }
  grpc::Status Relative(const v1::PtzVector& translation, const v1::PtzVector& speed = {}) {
    grpc::ClientContext context;
    v1::RelativeMovePtzRequest request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    *request.mutable_translation() = translation;
    if (speed.has_pan_tilt() || speed.has_zoom()) *request.mutable_speed() = speed;
    v1::PtzMoveResponse response;
    return stub_->RelativeMovePtz(&context, request, &response);
  }
  grpc::Status Stop(bool pan_tilt, bool zoom) {
    grpc::ClientContext context;
    v1::StopPtzRequest request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    request.set_pan_tilt(pan_tilt);
    request.set_zoom(zoom);
    v1::PtzMoveResponse response;
    return stub_->StopPtz(&context, request, &response);
  }
  v1::PtzStatus Status() {
    grpc::ClientContext context;
    v1::PtzNodeRef ref;
    ref.set_camera_id("cam-1");
    ref.set_node_id("0");
    v1::PtzStatus status;
    grpc::Status rpc = stub_->GetPtzStatus(&context, ref, &status);
    EXPECT_TRUE(rpc.ok()) << rpc.error_message();
    return status;
  }
  grpc::Status Preset(const std::string& what, uint32_t slot) {
    grpc::ClientContext context;
    v1::PtzMoveResponse response;
    if (what == "goto") {
      v1::GotoPtzPresetRequest request;
      request.set_camera_id("cam-1");
      request.set_node_id("0");
      request.set_slot(slot);
      return stub_->GotoPtzPreset(&context, request, &response);
    }
    v1::PtzPresetRequest request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    request.set_slot(slot);
    return what == "set" ? stub_->SetPtzPreset(&context, request, &response)
                         : stub_->RemovePtzPreset(&context, request, &response);
  }
  grpc::Status GotoHome() {
    grpc::ClientContext context;
    v1::GotoPtzHomeRequest request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    v1::PtzMoveResponse response;
    return stub_->GotoPtzHome(&context, request, &response);
  }
  grpc::Status SetHome() {
    grpc::ClientContext context;
    v1::PtzNodeRef request;
    request.set_camera_id("cam-1");
    request.set_node_id("0");
    v1::PtzMoveResponse response;
    return stub_->SetPtzHome(&context, request, &response);
  }
  // Moves to a position and waits (in simulated time) until it is there.
  void Park(float pan, float tilt, float zoom) {
    ASSERT_TRUE(Absolute(Vector({{pan, tilt}}, zoom)).ok());
    clock_.Advance(seconds(10));
  }
  std::string Snapshot() {
    grpc::ClientContext context;
    v1::SnapshotRequest request;
    request.set_camera_id("cam-1");
    v1::Snapshot snapshot;
    EXPECT_TRUE(stub_->GetSnapshot(&context, request, &snapshot).ok());
    return snapshot.jpeg();
  }

  FakeClock clock_;
  std::unique_ptr<SimulatedService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Adapter::Stub> stub_;
};

#define EXPECT_POSITION(ptz_status, want_pan, want_tilt, want_zoom)               \
  do {                                                                            \
    EXPECT_NEAR((ptz_status).position().pan_tilt().x(), (want_pan), kTolerance);  \
    EXPECT_NEAR((ptz_status).position().pan_tilt().y(), (want_tilt), kTolerance); \
    EXPECT_NEAR((ptz_status).position().zoom().x(), (want_zoom), kTolerance);     \
  } while (false)

TEST_F(SimulatedPtzTest, TheDemoCameraDescribesOneFullyCapableNode) {
  grpc::ClientContext describe_context;
  v1::DescribeResponse described;
  ASSERT_TRUE(stub_->Describe(&describe_context, v1::DescribeRequest(), &described).ok());
  ASSERT_EQ(described.cameras_size(), 2);
  EXPECT_TRUE(described.cameras(0).capabilities().ptz());
  EXPECT_FALSE(described.cameras(1).capabilities().ptz());
  // The auxiliary commands stay as they were, wiper included.
  const auto& commands = described.cameras(0).auxiliary_commands();
  EXPECT_NE(std::find(commands.begin(), commands.end(), "tt:Wiper|On"), commands.end());
  EXPECT_NE(std::find(commands.begin(), commands.end(), "tt:Wiper|Off"), commands.end());

  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id("cam-1");
  v1::PtzNodeList nodes;
  ASSERT_TRUE(stub_->ListPtzNodes(&context, ref, &nodes).ok());
  ASSERT_EQ(nodes.nodes_size(), 1);
  const v1::PtzNode& node = nodes.nodes(0);
  EXPECT_EQ(node.node_id(), "0");
  EXPECT_EQ(node.source_id(), "0");
  EXPECT_TRUE(node.pan_tilt() && node.zoom() && node.absolute_move() && node.relative_move() &&
              node.home() && node.settable_home() && node.move_status());
  ASSERT_EQ(node.preset_slots_size(), 64);
  EXPECT_EQ(node.preset_slots(0), 1u);
  EXPECT_EQ(node.preset_slots(63), 64u);

  // At rest at home.
  const v1::PtzStatus status = Status();
  EXPECT_POSITION(status, 0, 0, 0);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_TRUE(status.error().empty());
}

TEST_F(SimulatedPtzTest, ContinuousMoveAdvancesWithTheClockUntilStopped) {
  ASSERT_TRUE(Continuous(Vector({{1, -0.5F}}, 1)).ok());
  clock_.Advance(milliseconds(1000));
  // Pan: 2 units in 4 s at velocity 1; tilt at half that; zoom: 1 unit in 3 s.
  v1::PtzStatus status = Status();
  EXPECT_POSITION(status, 0.5, -0.25, 1.0 / 3);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);

  // Stopping zoom only: pan and tilt carry on.
  ASSERT_TRUE(Stop(false, true).ok());
  clock_.Advance(milliseconds(500));
  status = Status();
  EXPECT_POSITION(status, 0.75, -0.375, 1.0 / 3);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_IDLE);

  ASSERT_TRUE(Stop(true, true).ok());
  clock_.Advance(seconds(5));
  status = Status();
  EXPECT_POSITION(status, 0.75, -0.375, 1.0 / 3);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
}

TEST_F(SimulatedPtzTest, ContinuousMoveStopsAtTheEndOfTheRangeAndIsThenIdle) {
  ASSERT_TRUE(Continuous(Vector({{-1, 0}}, std::nullopt)).ok());
  clock_.Advance(milliseconds(1500));
  EXPECT_EQ(Status().pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  clock_.Advance(seconds(10));
  const v1::PtzStatus status = Status();
  EXPECT_POSITION(status, -1, 0, 0);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);

  // The next move replaces it for the axes it has; an absent axis (here pan and tilt) goes on.
  ASSERT_TRUE(Continuous(Vector({{1, 0}}, std::nullopt)).ok());
  clock_.Advance(milliseconds(1000));
  ASSERT_TRUE(Continuous(Vector(std::nullopt, 0.5F)).ok());
  clock_.Advance(milliseconds(3000));
  EXPECT_POSITION(Status(), 1, 0, 0.5);
}

// ONVIF: "If the pan/tilt element is omitted, the current pan/tilt movement shall not be
// affected"; the same holds for zoom, and for absolute and relative moves.
TEST_F(SimulatedPtzTest, AnAbsentAxisKeepsItsMovementAndAZeroOneStandsStill) {
  ASSERT_TRUE(Continuous(Vector({{0.5F, 0}}, std::nullopt)).ok());
  clock_.Advance(milliseconds(1000));                     // Pan at 0.25 a second.
  ASSERT_TRUE(Continuous(Vector(std::nullopt, 1)).ok());  // Zoom only: pan keeps moving.
  clock_.Advance(milliseconds(600));
  v1::PtzStatus status = Status();
  EXPECT_POSITION(status, 0.4, 0, 0.2);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);

  // Present with velocity 0: that group stands still, the absent zoom goes on.
  ASSERT_TRUE(Continuous(Vector({{0, 0}}, std::nullopt)).ok());
  clock_.Advance(milliseconds(300));
  status = Status();
  EXPECT_POSITION(status, 0.4, 0, 0.3);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);

  // A stop that names neither group stops nothing.
  ASSERT_TRUE(Stop(false, false).ok());
  clock_.Advance(milliseconds(300));
  EXPECT_EQ(Status().zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_POSITION(Status(), 0.4, 0, 0.4);

  // An absolute or relative move of pan/tilt leaves the running zoom move alone.
  ASSERT_TRUE(Absolute(Vector({{0, 0}}, std::nullopt)).ok());
  clock_.Advance(milliseconds(300));
  EXPECT_POSITION(Status(), 0.25, 0, 0.5);
  ASSERT_TRUE(Relative(Vector({{-0.15F, 0}}, std::nullopt)).ok());
  clock_.Advance(milliseconds(300));
  status = Status();
  EXPECT_POSITION(status, 0.1, 0, 0.6);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);
  ASSERT_TRUE(Stop(true, true).ok());
}

TEST_F(SimulatedPtzTest, AbsoluteMoveTravelsAtItsSpeedAndArrives) {
  // Fastest by default: pan 0 -> 0.5 takes 1 s, zoom 0 -> 0.5 takes 1.5 s.
  ASSERT_TRUE(Absolute(Vector({{0.5F, -0.25F}}, 0.5F)).ok());
  clock_.Advance(milliseconds(500));
  v1::PtzStatus status = Status();
  EXPECT_POSITION(status, 0.25, -0.25, 0.5 / 3);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);
  clock_.Advance(milliseconds(600));
  status = Status();
  EXPECT_POSITION(status, 0.5, -0.25, 1.1 / 3);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_MOVING);
  clock_.Advance(milliseconds(500));
  status = Status();
  EXPECT_POSITION(status, 0.5, -0.25, 0.5);
  EXPECT_EQ(status.zoom_status(), v1::PTZ_MOVE_STATUS_IDLE);

  // At a quarter speed, 0.5 -> -0.5 takes 8 s; an absent zoom is left alone.
  ASSERT_TRUE(Absolute(Vector({{-0.5F, -0.25F}}, std::nullopt), Vector({{0.25F, 1}}, 1)).ok());
  clock_.Advance(seconds(4));
  EXPECT_POSITION(Status(), 0, -0.25, 0.5);
  clock_.Advance(seconds(4));
  status = Status();
  EXPECT_POSITION(status, -0.5, -0.25, 0.5);
  EXPECT_EQ(status.pan_tilt_status(), v1::PTZ_MOVE_STATUS_IDLE);
}

TEST_F(SimulatedPtzTest, RelativeMoveStartsWhereTheHeadIsAndStaysInRange) {
  Park(0.25F, 0.5F, 0.5F);
  ASSERT_TRUE(Relative(Vector({{0.5F, 0.75F}}, -0.25F)).ok());
  clock_.Advance(milliseconds(100));
  EXPECT_EQ(Status().pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  clock_.Advance(seconds(10));
  // Tilt 0.5 + 0.75 stops at the end of the range.
  EXPECT_POSITION(Status(), 0.75, 1, 0.25);
  ASSERT_TRUE(Relative(Vector(std::nullopt, 1)).ok());
  clock_.Advance(seconds(10));
  EXPECT_POSITION(Status(), 0.75, 1, 1);
}

TEST_F(SimulatedPtzTest, PresetsAreStoredRecalledAndRemoved) {
  Park(0.5F, -0.5F, 0.25F);
  ASSERT_TRUE(Preset("set", 3).ok());
  ASSERT_TRUE(Preset("set", 64).ok());
  Park(-1, 1, 1);
  ASSERT_TRUE(Preset("goto", 3).ok());
  clock_.Advance(milliseconds(100));
  EXPECT_EQ(Status().pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  clock_.Advance(seconds(10));
  EXPECT_POSITION(Status(), 0.5, -0.5, 0.25);

  ASSERT_TRUE(Preset("remove", 3).ok());
  EXPECT_EQ(Preset("goto", 3).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Preset("goto", 5).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Preset("remove", 3).ok());  // already empty: nothing to do
  EXPECT_TRUE(Preset("goto", 64).ok());

  // Slots outside preset_slots.
  for (const char* what : {"set", "goto", "remove"}) {
    for (uint32_t slot : {0u, 65u, 1000u}) {
      const grpc::Status status = Preset(what, slot);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << what << " " << slot;
      EXPECT_NE(status.error_message().find("preset_slots"), std::string::npos);
    }
  }
}

TEST_F(SimulatedPtzTest, HomeIsTheOriginUntilSet) {
  Park(0.5F, 0.5F, 0.5F);
  ASSERT_TRUE(GotoHome().ok());
  clock_.Advance(seconds(10));
  EXPECT_POSITION(Status(), 0, 0, 0);

  Park(-0.25F, 0.75F, 1);
  ASSERT_TRUE(SetHome().ok());
  Park(1, -1, 0);
  ASSERT_TRUE(GotoHome().ok());
  clock_.Advance(milliseconds(100));
  EXPECT_EQ(Status().pan_tilt_status(), v1::PTZ_MOVE_STATUS_MOVING);
  clock_.Advance(seconds(10));
  EXPECT_POSITION(Status(), -0.25, 0.75, 1);
}

TEST_F(SimulatedPtzTest, ValuesOutsideTheGenericSpacesAreRefused) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  struct Case {
    grpc::Status status;
    const char* names;
  };
  const Case cases[] = {
      {Absolute(Vector({{1.5F, 0}}, std::nullopt)), "position.pan_tilt.x"},
      {Absolute(Vector({{0, -1.01F}}, std::nullopt)), "position.pan_tilt.y"},
      {Absolute(Vector(std::nullopt, -0.1F)), "position.zoom.x"},
      {Absolute(Vector(std::nullopt, nan)), "position.zoom.x"},
      {Absolute(Vector(std::nullopt, 0.5F), Vector(std::nullopt, 2)), "speed.zoom.x"},
      {Absolute(Vector(std::nullopt, 0.5F), Vector({{-0.5F, 1}}, std::nullopt)),
       "speed.pan_tilt.x"},
      {Relative(Vector({{0, 2}}, std::nullopt)), "translation.pan_tilt.y"},
      {Relative(Vector(std::nullopt, -1.5F)), "translation.zoom.x"},
      {Continuous(Vector({{-1.5F, 0}}, std::nullopt)), "velocity.pan_tilt.x"},
      {Continuous(Vector(std::nullopt, 1.5F)), "velocity.zoom.x"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.names;
    EXPECT_NE(c.status.error_message().find(c.names), std::string::npos)
        << c.status.error_message();
  }
  // Nothing moved.
  clock_.Advance(seconds(1));
  EXPECT_POSITION(Status(), 0, 0, 0);
  // The limits themselves are fine.
  EXPECT_TRUE(Absolute(Vector({{-1, 1}}, 1), Vector({{0, 1}}, 0)).ok());
  EXPECT_TRUE(Relative(Vector({{-1, 1}}, -1)).ok());
}

TEST_F(SimulatedPtzTest, UnknownCameraOrNodeAndCamerasWithoutPtz) {
  EXPECT_EQ(Continuous(Vector({{1, 0}}, 0), "nowhere").error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Continuous(Vector({{1, 0}}, 0), "cam-1", "1").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Continuous(Vector({{1, 0}}, 0), "cam-1", "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // cam-2 has no PTZ: every PTZ call is UNIMPLEMENTED.
  EXPECT_EQ(Continuous(Vector({{1, 0}}, 0), "cam-2").error_code(), grpc::StatusCode::UNIMPLEMENTED);
  v1::PtzMoveResponse moved;
  {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id("cam-2");
    v1::PtzNodeList nodes;
    EXPECT_EQ(stub_->ListPtzNodes(&context, ref, &nodes).error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  {
    grpc::ClientContext context;
    v1::PtzNodeRef ref;
    ref.set_camera_id("cam-2");
    ref.set_node_id("0");
    v1::PtzStatus status;
    EXPECT_EQ(stub_->GetPtzStatus(&context, ref, &status).error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  {
    grpc::ClientContext context;
    v1::PtzNodeRef ref;
    ref.set_camera_id("cam-2");
    ref.set_node_id("0");
    EXPECT_EQ(stub_->SetPtzHome(&context, ref, &moved).error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  {
    grpc::ClientContext context;
    v1::PtzPresetRequest request;
    request.set_camera_id("cam-2");
    request.set_node_id("0");
    request.set_slot(1);
    EXPECT_EQ(stub_->SetPtzPreset(&context, request, &moved).error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }
}

TEST_F(SimulatedPtzTest, ThePictureFollowsTheHead) {
  const std::string at_home = Snapshot();
  EXPECT_EQ(Snapshot(), at_home);  // same time, same place
  Park(0.5F, 0, 0);
  const std::string panned = Snapshot();
  EXPECT_NE(panned, at_home);

  // The same, without the clock: only the place changes.
  const FrameSpec fixed{.camera_id = "cam-1", .width = 320, .height = 180};
  FrameSpec spec = fixed;
  spec.ptz = PtzPosition{};
  const RgbImage home = RenderFrame(spec);
  EXPECT_NE(home.pixels, RenderFrame(fixed).pixels);
  EXPECT_EQ(home.pixels, RenderFrame(spec).pixels);
  for (PtzPosition p : {PtzPosition{0.1, 0, 0}, PtzPosition{0, -0.1, 0}, PtzPosition{0, 0, 0.1},
                        PtzPosition{-1, -1, 1}, PtzPosition{1, 1, 0}}) {
    spec.ptz = p;
    EXPECT_NE(RenderFrame(spec).pixels, home.pixels) << p.pan << " " << p.tilt << " " << p.zoom;
  }
}

TEST_F(SimulatedPtzTest, PresetsAndHomeTravelInTheConfigurationAndHardResetsForgetThem) {
  Park(0.5F, -0.5F, 0.25F);
  ASSERT_TRUE(Preset("set", 7).ok());
  Park(-0.125F, 0.375F, 1);
  ASSERT_TRUE(SetHome().ok());

  std::string file;
  {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id("cam-1");
    auto reader = stub_->ExportConfiguration(&context, ref);
    v1::ConfigurationChunk chunk;
    while (reader->Read(&chunk)) file += chunk.data();
    ASSERT_TRUE(reader->Finish().ok());
  }
  auto parsed = ParseConfigurationFile(file, "SIM-1000");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_TRUE(parsed->ptz.has_value());
  EXPECT_EQ(parsed->ptz->home, (PtzPosition{-0.125, 0.375, 1}));
  ASSERT_EQ(parsed->ptz->presets.size(), 1u);
  EXPECT_EQ(parsed->ptz->presets.at(7), (PtzPosition{0.5, -0.5, 0.25}));

  auto factory_default = [&](bool hard) {
    grpc::ClientContext context;
    v1::FactoryDefaultRequest request;
    request.set_camera_id("cam-1");
    request.set_hard(hard);
    v1::FactoryDefaultResponse response;
    return stub_->FactoryDefault(&context, request, &response);
  };
  ASSERT_TRUE(factory_default(false).ok());
  EXPECT_TRUE(Preset("goto", 7).ok());  // a soft reset keeps them
  ASSERT_TRUE(factory_default(true).ok());
  EXPECT_EQ(Preset("goto", 7).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(GotoHome().ok());
  clock_.Advance(seconds(10));
  EXPECT_POSITION(Status(), 0, 0, 0);

  // Importing the file brings them back.
  {
    grpc::ClientContext context;
    v1::ImportConfigurationResponse response;
    auto writer = stub_->ImportConfiguration(&context, &response);
    v1::ConfigurationChunk chunk;
    chunk.set_camera_id("cam-1");
    chunk.set_total_size(file.size());
    chunk.set_data(file);
    ASSERT_TRUE(writer->Write(chunk));
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_TRUE(Preset("goto", 7).ok());
  clock_.Advance(seconds(10));
  EXPECT_POSITION(Status(), 0.5, -0.5, 0.25);
  ASSERT_TRUE(GotoHome().ok());
  clock_.Advance(seconds(10));
  EXPECT_POSITION(Status(), -0.125, 0.375, 1);
}

TEST(SimulatedPtzConfigTest, PtzIsAPerCameraSwitch) {
  auto config = ParseSimulatedConfig(YAML::Load("cameras: [{id: a, ptz: true}, {id: b}]"));
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->cameras[0].ptz);
  EXPECT_FALSE(config->cameras[1].ptz);
  auto defaults = ParseSimulatedConfig(YAML::Load(""));
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->cameras[0].ptz);
  EXPECT_FALSE(defaults->cameras[1].ptz);
  auto wrong = ParseSimulatedConfig(YAML::Load("cameras: [{id: a, ptz: maybe}]"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("ptz"), std::string::npos) << wrong.error().message;
}

TEST(SimulatedPtzHeadTest, SlowSpeedsStillArrive) {
  FakeClock clock;
  SimulatedPtzHead head(clock);
  head.MoveTo({.pan = 1}, {.pan = 0});  // raised to kMinSpeed: 0.025 units/s
  clock.Advance(seconds(20));
  EXPECT_NEAR(head.Position().pan, 0.5, 1e-9);
  EXPECT_TRUE(head.Now().pan_tilt_moving);
  clock.Advance(seconds(20));
  EXPECT_EQ(head.Position().pan, 1);
  EXPECT_FALSE(head.Now().pan_tilt_moving);
}

}  // namespace
}  // namespace onvifgw::simulated
