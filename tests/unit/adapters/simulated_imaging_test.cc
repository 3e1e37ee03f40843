// The simulated camera's imaging (settings, focus lens, the picture they change) and digital
// inputs, served in-process and called through a real gRPC stub, with a clock that moves only
// when the test says so.

#include "adapters/simulated/simulated_imaging.h"

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/simulated/camera_configuration.h"
#include "adapters/simulated/frame_renderer.h"
#include "adapters/simulated/jpeg_encoder.h"
#include "adapters/simulated/simulated_config.h"
#include "adapters/simulated/simulated_service.h"
#include "adapters/simulated/video_streams.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;
using google::protobuf::util::MessageDifferencer;
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

std::string ConfigError(const std::string& yaml) {
  auto config = ParseSimulatedConfig(YAML::Load(yaml));
  EXPECT_FALSE(config.ok()) << "config was accepted:\n" << yaml;
  return config.ok() ? "" : config.error().message;
}

// The mean of 0.299 R + 0.587 G + 0.114 B over the picture.
double MeanLuma(const RgbImage& image) {
  double sum = 0;
  for (std::size_t i = 0; i + 2 < image.pixels.size(); i += 3) {
    sum += 0.299 * image.pixels[i] + 0.587 * image.pixels[i + 1] + 0.114 * image.pixels[i + 2];
  }
  return sum / static_cast<double>(image.pixels.size() / 3);
}

class SimulatedImagingTest : public ::testing::Test {
 protected:
  // The default configuration: cam-1 (PTZ, one input), cam-2.
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

  static v1::ImagingRef Ref(const std::string& camera = "cam-1", const std::string& id = "0") {
    v1::ImagingRef ref;
    ref.set_camera_id(camera);
    ref.set_imaging_id(id);
    return ref;
  }
  grpc::Status Options(v1::ImagingOptions* options, const v1::ImagingRef& ref = Ref()) {
    grpc::ClientContext context;
    return stub_->GetImagingOptions(&context, ref, options);
  }
  v1::ImagingSettings Settings(const std::string& camera = "cam-1") {
    grpc::ClientContext context;
    v1::ImagingSettings settings;
    grpc::Status status = stub_->GetImagingSettings(&context, Ref(camera), &settings);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return settings;
  }
  grpc::Status Set(const v1::ImagingSettings& change, v1::ImagingSettings* now = nullptr,
                   const std::string& camera = "cam-1") {
    grpc::ClientContext context;
    v1::SetImagingSettingsRequest request;
    request.set_camera_id(camera);
    request.set_imaging_id("0");
    *request.mutable_settings() = change;
    v1::ImagingSettings reply;
    grpc::Status status = stub_->SetImagingSettings(&context, request, &reply);
    if (now != nullptr) *now = reply;
    return status;
  }
  grpc::Status Move(const v1::MoveFocusRequest& move) {
    grpc::ClientContext context;
    v1::MoveFocusRequest request = move;
    request.set_camera_id("cam-1");
    request.set_imaging_id("0");
    v1::FocusMoveResponse response;
    return stub_->MoveFocus(&context, request, &response);
  }
  v1::FocusStatus Focus() {
    grpc::ClientContext context;
    v1::FocusStatus status;
    grpc::Status rpc = stub_->GetFocusStatus(&context, Ref(), &status);
    EXPECT_TRUE(rpc.ok()) << rpc.error_message();
    return status;
  }
  grpc::Status StopFocus() {
    grpc::ClientContext context;
    v1::FocusMoveResponse response;
    return stub_->StopFocus(&context, Ref(), &response);
  }
  grpc::Status Inputs(v1::DigitalInputList* list, const std::string& camera = "cam-1") {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id(camera);
    return stub_->ListDigitalInputs(&context, ref, list);
  }
  grpc::Status SetIdle(const std::string& input_id, v1::RelayIdleState idle,
                       v1::DigitalInput* input = nullptr) {
    grpc::ClientContext context;
    v1::SetDigitalInputSettingsRequest request;
    request.set_camera_id("cam-1");
    request.set_input_id(input_id);
    request.set_idle_state(idle);
    v1::DigitalInput reply;
    grpc::Status status = stub_->SetDigitalInputSettings(&context, request, &reply);
    if (input != nullptr) *input = reply;
    return status;
  }
  v1::Snapshot Snap(const std::string& camera) {
    grpc::ClientContext context;
    v1::SnapshotRequest request;
    request.set_camera_id(camera);
    v1::Snapshot snapshot;
    grpc::Status status = stub_->GetSnapshot(&context, request, &snapshot);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return snapshot;
  }
  void FactoryDefault() {
    grpc::ClientContext context;
    v1::FactoryDefaultRequest request;
    request.set_camera_id("cam-1");
    v1::FactoryDefaultResponse response;
    ASSERT_TRUE(stub_->FactoryDefault(&context, request, &response).ok());
  }

  FakeClock clock_;
  std::unique_ptr<SimulatedService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Adapter::Stub> stub_;
};

// ------------------------------------------------------------------ Imaging

TEST_F(SimulatedImagingTest, EveryCameraDescribesImagingWithTheDocumentedOptions) {
  grpc::ClientContext context;
  v1::DescribeResponse described;
  ASSERT_TRUE(stub_->Describe(&context, v1::DescribeRequest(), &described).ok());
  ASSERT_EQ(described.cameras_size(), 2);
  EXPECT_TRUE(described.cameras(0).capabilities().imaging());
  EXPECT_TRUE(described.cameras(1).capabilities().imaging());

  for (const std::string camera : {"cam-1", "cam-2"}) {
    v1::ImagingOptions o;
    ASSERT_TRUE(Options(&o, Ref(camera)).ok()) << camera;
    for (const v1::FloatRange* range :
         {&o.brightness(), &o.color_saturation(), &o.contrast(), &o.sharpness(),
          &o.wide_dynamic_range().level(), &o.backlight_compensation().level()}) {
      EXPECT_EQ(range->min(), 0);
      EXPECT_EQ(range->max(), 100);
    }
    EXPECT_EQ(o.ir_cut_filter_modes_size(), 3);
    EXPECT_EQ(o.exposure().modes_size(), 2);
    EXPECT_EQ(o.exposure().exposure_time().min(), 10);
    EXPECT_EQ(o.exposure().exposure_time().max(), 40000);
    EXPECT_EQ(o.exposure().gain().max(), 36);
    EXPECT_FALSE(o.exposure().has_iris());
    EXPECT_EQ(o.focus().auto_focus_modes_size(), 2);
    EXPECT_EQ(o.focus().default_speed().max(), 1);
    ASSERT_TRUE(o.focus().has_move());
    EXPECT_EQ(o.focus().move().absolute_position().max(), 1);
    EXPECT_EQ(o.focus().move().relative_distance().min(), -1);
    EXPECT_EQ(o.focus().move().continuous_speed().min(), -1);
    EXPECT_EQ(o.focus().move().relative_speed().max(), 1);
    EXPECT_EQ(o.white_balance().cr_gain().max(), 255);
    EXPECT_EQ(o.white_balance().cb_gain().max(), 255);
  }
}

TEST_F(SimulatedImagingTest, SettingsStartAtTheirDefaultsEveryOnePresent) {
  const v1::ImagingSettings s = Settings();
  EXPECT_TRUE(MessageDifferencer::Equals(s, DefaultImagingSettings()));
  ASSERT_TRUE(s.has_brightness() && s.has_color_saturation() && s.has_contrast() &&
              s.has_sharpness());
  EXPECT_EQ(s.brightness(), 50);
  EXPECT_EQ(s.ir_cut_filter(), v1::IR_CUT_FILTER_MODE_AUTO);
  EXPECT_EQ(s.exposure().mode(), v1::AUTO_MANUAL_MODE_AUTO);
  EXPECT_EQ(s.exposure().exposure_time(), 10000);
  EXPECT_TRUE(s.exposure().has_gain());
  EXPECT_EQ(s.focus().auto_focus_mode(), v1::AUTO_MANUAL_MODE_AUTO);
  EXPECT_FLOAT_EQ(s.focus().default_speed(), 0.5F);
  EXPECT_EQ(s.wide_dynamic_range().mode(), v1::ON_OFF_MODE_OFF);
  EXPECT_EQ(s.wide_dynamic_range().level(), 50);
  EXPECT_EQ(s.backlight_compensation().mode(), v1::ON_OFF_MODE_OFF);
  EXPECT_EQ(s.white_balance().mode(), v1::AUTO_MANUAL_MODE_AUTO);
  EXPECT_EQ(s.white_balance().cr_gain(), 128);
}

TEST_F(SimulatedImagingTest, UnknownCameraOrSensorIsRefused) {
  v1::ImagingOptions options;
  EXPECT_EQ(Options(&options, Ref("cam-9")).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::Status status = Options(&options, Ref("cam-1", "1"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("\"1\""), std::string::npos) << status.error_message();
  EXPECT_EQ(Options(&options, Ref("cam-1", "")).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext context;
  v1::FocusStatus focus;
  EXPECT_EQ(stub_->GetFocusStatus(&context, Ref("cam-1", "x"), &focus).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(SimulatedImagingTest, SetChangesOnlyTheFieldsPresent) {
  v1::ImagingSettings change;
  change.set_brightness(80);
  change.mutable_exposure()->set_mode(v1::AUTO_MANUAL_MODE_MANUAL);
  change.mutable_exposure()->set_exposure_time(20000);
  change.mutable_wide_dynamic_range()->set_mode(v1::ON_OFF_MODE_ON);
  change.mutable_white_balance()->set_cb_gain(10);  // mode UNSPECIFIED: stays AUTO
  change.set_ir_cut_filter(v1::IR_CUT_FILTER_MODE_OFF);
  v1::ImagingSettings now;
  grpc::Status status = Set(change, &now);
  ASSERT_TRUE(status.ok()) << status.error_message();

  v1::ImagingSettings expected = DefaultImagingSettings();
  expected.set_brightness(80);
  expected.mutable_exposure()->set_mode(v1::AUTO_MANUAL_MODE_MANUAL);
  expected.mutable_exposure()->set_exposure_time(20000);
  expected.mutable_wide_dynamic_range()->set_mode(v1::ON_OFF_MODE_ON);
  expected.mutable_white_balance()->set_cb_gain(10);
  expected.set_ir_cut_filter(v1::IR_CUT_FILTER_MODE_OFF);
  EXPECT_TRUE(MessageDifferencer::Equals(now, expected)) << now.DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(Settings(), expected));
  // Only that camera's sensor.
  EXPECT_TRUE(MessageDifferencer::Equals(Settings("cam-2"), DefaultImagingSettings()));
  // An empty change changes nothing.
  ASSERT_TRUE(Set(v1::ImagingSettings(), &now).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(now, expected));
}

TEST_F(SimulatedImagingTest, SetIsAllOrNothingAndNamesTheSetting) {
  struct Case {
    const char* name;
    std::function<void(v1::ImagingSettings*)> bad;
  };
  const std::vector<Case> cases = {
      {"contrast", [](v1::ImagingSettings* s) { s->set_contrast(101); }},
      {"sharpness",
       [](v1::ImagingSettings* s) { s->set_sharpness(std::numeric_limits<float>::quiet_NaN()); }},
      {"ir_cut_filter",
       [](v1::ImagingSettings* s) { s->set_ir_cut_filter(static_cast<v1::IrCutFilterMode>(7)); }},
      {"exposure.exposure_time",
       [](v1::ImagingSettings* s) { s->mutable_exposure()->set_exposure_time(5); }},
      {"exposure.gain", [](v1::ImagingSettings* s) { s->mutable_exposure()->set_gain(40); }},
      {"exposure.iris", [](v1::ImagingSettings* s) { s->mutable_exposure()->set_iris(1); }},
      {"focus.default_speed",
       [](v1::ImagingSettings* s) { s->mutable_focus()->set_default_speed(2); }},
      {"focus.near_limit", [](v1::ImagingSettings* s) { s->mutable_focus()->set_near_limit(0); }},
      {"wide_dynamic_range.level",
       [](v1::ImagingSettings* s) { s->mutable_wide_dynamic_range()->set_level(-1); }},
      {"backlight_compensation.mode",
       [](v1::ImagingSettings* s) {
         s->mutable_backlight_compensation()->set_mode(static_cast<v1::OnOffMode>(9));
       }},
      {"white_balance.cr_gain",
       [](v1::ImagingSettings* s) { s->mutable_white_balance()->set_cr_gain(300); }},
  };
  for (const Case& c : cases) {
    v1::ImagingSettings change;
    change.set_brightness(70);  // valid, but must not be applied
    change.mutable_focus()->set_auto_focus_mode(v1::AUTO_MANUAL_MODE_MANUAL);
    c.bad(&change);
    grpc::Status status = Set(change);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name;
    EXPECT_EQ(status.error_message().rfind(c.name, 0), 0u) << status.error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(Settings(), DefaultImagingSettings())) << c.name;
  }
}

TEST_F(SimulatedImagingTest, FactoryDefaultPutsTheSettingsBack) {
  v1::ImagingSettings change;
  change.set_contrast(10);
  change.mutable_backlight_compensation()->set_mode(v1::ON_OFF_MODE_ON);
  ASSERT_TRUE(Set(change).ok());
  FactoryDefault();
  EXPECT_TRUE(MessageDifferencer::Equals(Settings(), DefaultImagingSettings()));
}

TEST_F(SimulatedImagingTest, ExportedConfigurationKeepsTheImagingSettingsAndInputs) {
  v1::ImagingSettings change;
  change.set_brightness(85);
  change.set_color_saturation(5);
  change.mutable_focus()->set_auto_focus_mode(v1::AUTO_MANUAL_MODE_MANUAL);
  change.mutable_white_balance()->set_mode(v1::AUTO_MANUAL_MODE_MANUAL);
  v1::ImagingSettings configured;
  ASSERT_TRUE(Set(change, &configured).ok());
  ASSERT_TRUE(SetIdle("input-1", v1::RELAY_IDLE_STATE_OPEN).ok());

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
  ASSERT_TRUE(parsed->imaging.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*parsed->imaging, configured));
  ASSERT_EQ(parsed->inputs.size(), 1u);

  FactoryDefault();
  EXPECT_TRUE(MessageDifferencer::Equals(Settings(), DefaultImagingSettings()));
  v1::DigitalInputList inputs;
  ASSERT_TRUE(Inputs(&inputs).ok());
  EXPECT_EQ(inputs.inputs(0).idle_state(), v1::RELAY_IDLE_STATE_CLOSED);

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
    grpc::Status status = writer->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_TRUE(MessageDifferencer::Equals(Settings(), configured));
  ASSERT_TRUE(Inputs(&inputs).ok());
  EXPECT_EQ(inputs.inputs(0).idle_state(), v1::RELAY_IDLE_STATE_OPEN);

  // Settings outside the options, or for other inputs, are refused whole (a camera like cam-1
  // without its PTZ head).
  CameraConfig like_cam1;
  like_cam1.id = "x";
  like_cam1.digital_inputs = 1;
  SimulatedCamera camera(like_cam1, clock_);
  CameraSettings good = *parsed;
  good.ptz.reset();
  CameraSettings bad = good;
  bad.imaging->set_brightness(500);
  auto refused = camera.ApplySettings(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("brightness"), std::string::npos);
  bad = good;
  bad.inputs[0].set_input_id("input-7");
  EXPECT_FALSE(camera.ApplySettings(bad).ok());
  bad.inputs.push_back(good.inputs[0]);
  EXPECT_FALSE(camera.ApplySettings(bad).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(camera.Imaging(), DefaultImagingSettings()));
  EXPECT_EQ(camera.InputIdleStates()[0], v1::RELAY_IDLE_STATE_CLOSED);
  ASSERT_TRUE(camera.ApplySettings(good).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(camera.Imaging(), configured));
  EXPECT_EQ(camera.InputIdleStates()[0], v1::RELAY_IDLE_STATE_OPEN);
}

// ------------------------------------------------------------- Focus lens

TEST_F(SimulatedImagingTest, FocusMovesOverTimeAndStops) {
  v1::FocusStatus status = Focus();
  EXPECT_NEAR(status.position(), 0.5, kTolerance);
  EXPECT_EQ(status.move_status(), v1::PTZ_MOVE_STATUS_IDLE);
  EXPECT_TRUE(status.error().empty());

  // Absolute at speed 1: 0.5 per second.
  v1::MoveFocusRequest absolute;
  absolute.mutable_absolute()->set_position(1);
  absolute.mutable_absolute()->set_speed(1);
  ASSERT_TRUE(Move(absolute).ok());
  clock_.Advance(milliseconds(500));
  status = Focus();
  EXPECT_NEAR(status.position(), 0.75, kTolerance);
  EXPECT_EQ(status.move_status(), v1::PTZ_MOVE_STATUS_MOVING);
  clock_.Advance(milliseconds(600));
  status = Focus();
  EXPECT_NEAR(status.position(), 1.0, kTolerance);
  EXPECT_EQ(status.move_status(), v1::PTZ_MOVE_STATUS_IDLE);

  // Relative without a speed: the default speed (0.5), 0.25 per second.
  v1::MoveFocusRequest relative;
  relative.mutable_relative()->set_distance(-0.5F);
  ASSERT_TRUE(Move(relative).ok());
  clock_.Advance(seconds(1));
  EXPECT_NEAR(Focus().position(), 0.75, kTolerance);
  clock_.Advance(seconds(2));
  status = Focus();
  EXPECT_NEAR(status.position(), 0.5, kTolerance);
  EXPECT_EQ(status.move_status(), v1::PTZ_MOVE_STATUS_IDLE);

  // Continuous towards near at |speed| x 0.5 per second, until StopFocus.
  v1::MoveFocusRequest continuous;
  continuous.mutable_continuous()->set_speed(-0.4F);
  ASSERT_TRUE(Move(continuous).ok());
  clock_.Advance(seconds(1));
  EXPECT_NEAR(Focus().position(), 0.3, kTolerance);
  ASSERT_TRUE(StopFocus().ok());
  clock_.Advance(seconds(1));
  status = Focus();
  EXPECT_NEAR(status.position(), 0.3, kTolerance);
  EXPECT_EQ(status.move_status(), v1::PTZ_MOVE_STATUS_IDLE);

  // A continuous move ends at the end of the range, idle there; in manual focus mode too.
  v1::ImagingSettings manual;
  manual.mutable_focus()->set_auto_focus_mode(v1::AUTO_MANUAL_MODE_MANUAL);
  manual.mutable_focus()->set_default_speed(0);
  ASSERT_TRUE(Set(manual).ok());
  continuous.mutable_continuous()->set_speed(-1);
  ASSERT_TRUE(Move(continuous).ok());
  clock_.Advance(seconds(5));
  status = Focus();
  EXPECT_NEAR(status.position(), 0, kTolerance);
  EXPECT_EQ(status.move_status(), v1::PTZ_MOVE_STATUS_IDLE);

  // Default speed 0: an absolute move without a speed goes at 1.
  absolute.mutable_absolute()->clear_speed();
  absolute.mutable_absolute()->set_position(0.5F);
  ASSERT_TRUE(Move(absolute).ok());
  clock_.Advance(milliseconds(500));
  EXPECT_NEAR(Focus().position(), 0.25, kTolerance);
  // Continuous speed 0 stops.
  continuous.mutable_continuous()->set_speed(0);
  ASSERT_TRUE(Move(continuous).ok());
  clock_.Advance(seconds(1));
  EXPECT_NEAR(Focus().position(), 0.25, kTolerance);
  EXPECT_EQ(Focus().move_status(), v1::PTZ_MOVE_STATUS_IDLE);
}

TEST_F(SimulatedImagingTest, FocusMovesOutsideTheOptionsAreRefusedAndMoveNothing) {
  auto expect_refused = [&](const v1::MoveFocusRequest& move, const std::string& field) {
    grpc::Status status = Move(move);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_NE(status.error_message().find(field), std::string::npos) << status.error_message();
  };
  v1::MoveFocusRequest move;
  expect_refused(move, "absolute, relative or continuous");
  move.mutable_absolute()->set_position(1.5F);
  expect_refused(move, "absolute.position");
  move.mutable_absolute()->set_position(1);
  move.mutable_absolute()->set_speed(-0.1F);
  expect_refused(move, "absolute.speed");
  move.mutable_relative()->set_distance(std::numeric_limits<float>::quiet_NaN());
  expect_refused(move, "relative.distance");
  move.mutable_relative()->set_distance(0.1F);
  move.mutable_relative()->set_speed(2);
  expect_refused(move, "relative.speed");
  move.mutable_continuous()->set_speed(-1.01F);
  expect_refused(move, "continuous.speed");
  clock_.Advance(seconds(3));
  EXPECT_NEAR(Focus().position(), 0.5, kTolerance);
  EXPECT_EQ(Focus().move_status(), v1::PTZ_MOVE_STATUS_IDLE);
}

TEST(SimulatedFocusLensTest, SlowMovesStillArriveAndTargetsAreClamped) {
  FakeClock clock;
  SimulatedFocusLens lens(clock);
  lens.MoveTo(0.55, 0.001);  // raised to kMinSpeed: 0.025 per second
  clock.Advance(seconds(1));
  EXPECT_NEAR(lens.Now().position, 0.525, 1e-9);
  clock.Advance(seconds(2));
  EXPECT_NEAR(lens.Now().position, 0.55, 1e-9);
  EXPECT_FALSE(lens.Now().moving);
  lens.MoveBy(5, 1);
  clock.Advance(seconds(10));
  EXPECT_NEAR(lens.Now().position, 1.0, 1e-9);
}

// -------------------------------------------------------------- The picture

TEST(FrameRendererImagingTest, BrightnessContrastAndSaturationChangeThePicture) {
  const FrameSpec plain{.camera_id = "cam-1", .width = 160, .height = 90};
  const RgbImage base = RenderFrame(plain);
  FrameSpec spec = plain;
  spec.brightness = 50;
  spec.contrast = 50;
  spec.color_saturation = 50;
  EXPECT_EQ(RenderFrame(spec).pixels, base.pixels);  // 50: as drawn

  spec.brightness = 80;
  EXPECT_GT(MeanLuma(RenderFrame(spec)), MeanLuma(base) + 20);
  spec.brightness = 20;
  EXPECT_LT(MeanLuma(RenderFrame(spec)), MeanLuma(base) - 20);

  // No saturation: the gradient is grey (a pixel in the middle, away from the overlays).
  spec = plain;
  spec.color_saturation = 0;
  const RgbImage grey = RenderFrame(spec);
  const std::size_t middle = (45 * 160 + 100) * 3;
  EXPECT_NEAR(grey.pixels[middle], grey.pixels[middle + 1], 1);
  EXPECT_NEAR(grey.pixels[middle + 1], grey.pixels[middle + 2], 1);
  EXPECT_GT(std::abs(base.pixels[middle] - base.pixels[middle + 2]), 20);

  // Low contrast pulls levels towards mid-grey.
  spec = plain;
  spec.contrast = 0;
  const RgbImage flat = RenderFrame(spec);
  EXPECT_LT(std::abs(flat.pixels[middle + 2] - 128), std::abs(base.pixels[middle + 2] - 128));
}

TEST_F(SimulatedImagingTest, BrightnessMakesTheSnapshotBrighter) {
  // The clock stands still: the snapshot is exactly the rendered picture.
  const v1::Resolution sub = SubResolution(CameraConfig());  // cam-2's size: the default
  const auto render = [&] {
    auto picture = service_->RenderPicture("cam-2", sub.width(), sub.height());
    EXPECT_TRUE(picture.has_value());
    return picture.value_or(RgbImage{});
  };
  const RgbImage before = render();
  EXPECT_EQ(Snap("cam-2").jpeg(), EncodeJpeg(before).value());

  v1::ImagingSettings change;
  change.set_brightness(90);
  ASSERT_TRUE(Set(change, nullptr, "cam-2").ok());
  const RgbImage after = render();
  EXPECT_EQ(Snap("cam-2").jpeg(), EncodeJpeg(after).value());
  EXPECT_GT(MeanLuma(after), MeanLuma(before) + 30);
  // cam-1's picture is not cam-2's sensor's business.
  const auto cam1 = service_->RenderPicture("cam-1", 64, 36);
  change.set_brightness(50);
  ASSERT_TRUE(Set(change, nullptr, "cam-2").ok());
  EXPECT_EQ(service_->RenderPicture("cam-1", 64, 36)->pixels, cam1->pixels);
  EXPECT_NEAR(MeanLuma(render()), MeanLuma(before), 1e-9);
}

// ---------------------------------------------------------- Digital inputs

TEST_F(SimulatedImagingTest, DefaultCam1HasOneInputCam2None) {
  grpc::ClientContext context;
  v1::DescribeResponse described;
  ASSERT_TRUE(stub_->Describe(&context, v1::DescribeRequest(), &described).ok());
  EXPECT_TRUE(described.cameras(0).capabilities().digital_inputs());
  EXPECT_FALSE(described.cameras(1).capabilities().digital_inputs());

  v1::DigitalInputList inputs;
  ASSERT_TRUE(Inputs(&inputs).ok());
  ASSERT_EQ(inputs.inputs_size(), 1);
  const v1::DigitalInput& input = inputs.inputs(0);
  EXPECT_EQ(input.input_id(), "input-1");
  EXPECT_EQ(input.idle_state(), v1::RELAY_IDLE_STATE_CLOSED);
  EXPECT_TRUE(input.idle_state_settable());
  EXPECT_TRUE(input.active_known());
  EXPECT_FALSE(input.active());
  EXPECT_EQ(Inputs(&inputs, "cam-2").error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(Inputs(&inputs, "cam-9").error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(SimulatedImagingTest, InputsToggleEachIntervalStaggeredAndIdleStateIsSettable) {
  Start("input_interval_ms: 1000\ncameras: [{id: cam-1, digital_inputs: 3}]");
  auto actives = [&] {
    v1::DigitalInputList inputs;
    EXPECT_TRUE(Inputs(&inputs).ok());
    std::vector<bool> out;
    for (const auto& input : inputs.inputs()) out.push_back(input.active());
    return out;
  };
  EXPECT_EQ(actives(), (std::vector<bool>{false, false, false}));
  clock_.Advance(milliseconds(1150));  // input-1 toggled at 1100 ms, input-2 toggles at 1200
  EXPECT_EQ(actives(), (std::vector<bool>{true, false, false}));
  clock_.Advance(milliseconds(200));
  EXPECT_EQ(actives(), (std::vector<bool>{true, true, true}));
  clock_.Advance(milliseconds(1000));  // 2350 ms: all three back (2100, 2200, 2300)
  EXPECT_EQ(actives(), (std::vector<bool>{false, false, false}));

  // Idle open: the closed contact now reads active.
  v1::DigitalInput input;
  ASSERT_TRUE(SetIdle("input-2", v1::RELAY_IDLE_STATE_OPEN, &input).ok());
  EXPECT_EQ(input.input_id(), "input-2");
  EXPECT_EQ(input.idle_state(), v1::RELAY_IDLE_STATE_OPEN);
  EXPECT_TRUE(input.active());
  EXPECT_EQ(actives(), (std::vector<bool>{false, true, false}));

  grpc::Status status = SetIdle("input-4", v1::RELAY_IDLE_STATE_OPEN);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("input-4"), std::string::npos);
  EXPECT_EQ(SetIdle("input-1", v1::RELAY_IDLE_STATE_UNSPECIFIED).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(actives(), (std::vector<bool>{false, true, false}));
}

TEST_F(SimulatedImagingTest, EventsTellEachInputsStateThenEveryChange) {
  Start(
      "motion_interval_ms: 3600000\ninput_interval_ms: 1000\n"
      "cameras: [{id: cam-1, digital_inputs: 2}, {id: cam-2}]");
  grpc::ClientContext context;
  context.set_deadline(system_clock::now() + seconds(10));
  v1::StreamEventsRequest request;
  auto reader = stub_->StreamEvents(&context, request);
  auto next_input = [&] {
    v1::Event event;
    while (reader->Read(&event)) {
      if (event.has_digital_input()) return event;
    }
    ADD_FAILURE() << "the stream ended";
    return event;
  };
  // The current state first, input by input.
  v1::Event event = next_input();
  EXPECT_EQ(event.camera_id(), "cam-1");
  EXPECT_EQ(event.digital_input().input_id(), "input-1");
  EXPECT_FALSE(event.digital_input().active());
  event = next_input();
  EXPECT_EQ(event.digital_input().input_id(), "input-2");
  EXPECT_FALSE(event.digital_input().active());

  // Each toggle (the stream looks at least every kCancelCheckPeriod of real time).
  clock_.Advance(milliseconds(1150));
  event = next_input();
  EXPECT_EQ(event.digital_input().input_id(), "input-1");
  EXPECT_TRUE(event.digital_input().active());
  clock_.Advance(milliseconds(100));
  event = next_input();
  EXPECT_EQ(event.digital_input().input_id(), "input-2");
  EXPECT_TRUE(event.digital_input().active());

  // A new idle state that flips the logical state is told too.
  ASSERT_TRUE(SetIdle("input-1", v1::RELAY_IDLE_STATE_OPEN).ok());
  event = next_input();
  EXPECT_EQ(event.digital_input().input_id(), "input-1");
  EXPECT_FALSE(event.digital_input().active());

  context.TryCancel();
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

// ------------------------------------------------------------------- Config

TEST(SimulatedInputConfigTest, ReadsTheNewKeysAndNamesBadValues) {
  auto config = ParseSimulatedConfig(
      YAML::Load("input_interval_ms: 250\ncameras: [{id: a, digital_inputs: 8}, {id: b}]"));
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->input_interval, milliseconds(250));
  EXPECT_EQ(config->cameras[0].digital_inputs, 8u);
  EXPECT_EQ(config->cameras[1].digital_inputs, 0u);
  auto defaults = ParseSimulatedConfig(YAML::Load(""));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->input_interval, milliseconds(7000));
  EXPECT_EQ(defaults->cameras[0].digital_inputs, 1u);
  EXPECT_EQ(defaults->cameras[1].digital_inputs, 0u);

  std::string error = ConfigError("cameras:\n  - id: a\n    digital_inputs: 9\n");
  EXPECT_NE(error.find("cameras[0].digital_inputs"), std::string::npos) << error;
  EXPECT_NE(error.find("line 3, column 21"), std::string::npos) << error;
  error = ConfigError("cameras:\n  - id: a\n    digital_inputs: many\n");
  EXPECT_NE(error.find("expected an integer"), std::string::npos) << error;
  error = ConfigError("motion_interval_ms: 100\ninput_interval_ms: 5\n");
  EXPECT_NE(error.find("input_interval_ms"), std::string::npos) << error;
  EXPECT_NE(error.find("line 2, column 20"), std::string::npos) << error;
  error = ConfigError("input_interval_ms: 3600001\n");
  EXPECT_NE(error.find("input_interval_ms"), std::string::npos) << error;
}

}  // namespace
}  // namespace onvifgw::simulated
