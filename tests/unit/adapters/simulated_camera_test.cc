// The simulated camera adapter, served in-process and called through a real gRPC stub.

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/simulated/camera_configuration.h"
#include "adapters/simulated/firmware_image.h"
#include "adapters/simulated/frame_renderer.h"
#include "adapters/simulated/jpeg_encoder.h"
#include "adapters/simulated/mjpeg_http_server.h"
#include "adapters/simulated/simulated_config.h"
#include "adapters/simulated/simulated_service.h"
#include "adapters/simulated/test_stream_server.h"
#include "loopback_socket.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;
using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

// A clock that moves only when told to.
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

SimulatedConfig ParseOrDie(const std::string& yaml) {
  auto config = ParseSimulatedConfig(YAML::Load(yaml));
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().message);
  return config.ok() ? config.value() : SimulatedConfig{};
}

std::string ConfigError(const std::string& yaml) {
  auto config = ParseSimulatedConfig(YAML::Load(yaml));
  EXPECT_FALSE(config.ok()) << "config was accepted:\n" << yaml;
  return config.ok() ? "" : config.error().message;
}

// Serves a SimulatedService in-process; stub() calls it through gRPC.
class SimulatedAdapterTest : public ::testing::Test {
 protected:
  void Start(SimulatedConfig config, const Clock& clock) {
    service_ = std::make_unique<SimulatedService>(std::move(config), clock);
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::Adapter::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void StartWithFakeClock(SimulatedConfig config = ParseOrDie("")) {
    Start(std::move(config), fake_clock_);
  }

  void TearDown() override {
    if (server_) {
      service_->BeginShutdown();
      server_->Shutdown(system_clock::now() + seconds(2));
    }
  }

  v1::Adapter::Stub& stub() { return *stub_; }

  // StreamEvents for the given cameras (every camera when none), bounded at 10 s.
  std::unique_ptr<grpc::ClientReader<v1::Event>> OpenEvents(
      grpc::ClientContext* context, const std::vector<std::string>& camera_ids = {}) {
    context->set_deadline(system_clock::now() + seconds(10));
    v1::StreamEventsRequest request;
    for (const auto& id : camera_ids) request.add_camera_ids(id);
    return stub().StreamEvents(context, request);
  }

  v1::Snapshot Snap(const std::string& camera_id) {
    grpc::ClientContext context;
    v1::SnapshotRequest request;
    request.set_camera_id(camera_id);
    v1::Snapshot snapshot;
    grpc::Status status = stub().GetSnapshot(&context, request, &snapshot);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return snapshot;
  }

  grpc::Status DeviceInfo(const std::string& camera_id, v1::DeviceInformation* info) {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id(camera_id);
    return stub().GetDeviceInformation(&context, ref, info);
  }

  FakeClock fake_clock_;
  std::unique_ptr<SimulatedService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Adapter::Stub> stub_;
};

TEST_F(SimulatedAdapterTest, DescribeListsDefaultCamerasWithAllCapabilities) {
  StartWithFakeClock();
  grpc::ClientContext context;
  v1::DescribeRequest request;
  request.set_gateway_api_version(1);
  v1::DescribeResponse response;
  ASSERT_TRUE(stub().Describe(&context, request, &response).ok());
  EXPECT_EQ(response.api_version(), 1u);
  EXPECT_EQ(response.adapter_name(), "simulated");
  ASSERT_EQ(response.cameras_size(), 2);
  EXPECT_EQ(response.cameras(0).camera_id(), "cam-1");
  EXPECT_EQ(response.cameras(1).camera_id(), "cam-2");
  const v1::Capabilities& caps = response.cameras(0).capabilities();
  EXPECT_TRUE(caps.device_information() && caps.system_time() && caps.set_system_time() &&
              caps.reboot() && caps.video_sources() && caps.snapshot() && caps.events() &&
              caps.relay_outputs() && caps.video_encoder_configuration());
  // The demo camera has a PTZ head, the second one none (simulated_ptz_test.cc).
  EXPECT_TRUE(caps.ptz());
  EXPECT_FALSE(response.cameras(1).capabilities().ptz());
  // Every camera has imaging, the demo camera an alarm input (simulated_imaging_test.cc).
  EXPECT_TRUE(caps.imaging() && response.cameras(1).capabilities().imaging());
  EXPECT_TRUE(caps.digital_inputs());
  EXPECT_FALSE(response.cameras(1).capabilities().digital_inputs());
}

TEST_F(SimulatedAdapterTest, InventoryMatchesDescribedCapabilities) {
  StartWithFakeClock();
  grpc::ClientContext context;
  v1::DescribeResponse response;
  ASSERT_TRUE(stub().Describe(&context, v1::DescribeRequest(), &response).ok());
  std::set<std::string> described;
  const auto* caps = &response.cameras(0).capabilities();
  const auto* descriptor = caps->GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (caps->GetReflection()->GetBool(*caps, descriptor->field(i))) {
      described.insert(descriptor->field(i)->name());
    }
  }

  YAML::Node inventory = YAML::LoadFile(ONVIFGW_INVENTORY_PATH);
  bool found = false;
  for (const YAML::Node& adapter : inventory["adapters"]) {
    if (adapter["name"].as<std::string>() != "simulated") {
      continue;
    }
    found = true;
    EXPECT_EQ(adapter["executable"].as<std::string>(), "onvif-adapter-simulated");
    EXPECT_EQ(adapter["api_version"].as<uint32_t>(), response.api_version());
    std::set<std::string> listed;
    for (const YAML::Node& feature : adapter["features"]) {
      listed.insert(feature.as<std::string>());
    }
    EXPECT_EQ(listed, described);
  }
  EXPECT_TRUE(found) << "simulated is missing from " << ONVIFGW_INVENTORY_PATH;
}

TEST_F(SimulatedAdapterTest, DeviceInformationUsesConfigAndDefaults) {
  StartWithFakeClock(ParseOrDie(R"(
cameras:
  - id: lobby
    manufacturer: Acme
  - id: yard
    model: SIM-2000
    firmware: 2.1.0
)"));
  v1::DeviceInformation lobby;
  ASSERT_TRUE(DeviceInfo("lobby", &lobby).ok());
  EXPECT_EQ(lobby.manufacturer(), "Acme");
  EXPECT_EQ(lobby.model(), "SIM-1000");
  EXPECT_EQ(lobby.firmware_version(), "1.0.0");
  EXPECT_FALSE(lobby.serial_number().empty());

  v1::DeviceInformation yard;
  ASSERT_TRUE(DeviceInfo("yard", &yard).ok());
  EXPECT_EQ(yard.manufacturer(), "Simulated Optics");
  EXPECT_EQ(yard.model(), "SIM-2000");
  EXPECT_EQ(yard.firmware_version(), "2.1.0");
  EXPECT_NE(yard.serial_number(), lobby.serial_number());
}

TEST_F(SimulatedAdapterTest, SetSystemTimeRoundTrips) {
  StartWithFakeClock();
  v1::SetSystemTimeRequest set;
  set.set_camera_id("cam-1");
  *set.mutable_utc_time() = TimeUtil::SecondsToTimestamp(1'577'836'800);  // 2020-01-01T00:00Z
  set.set_posix_timezone("CET-1CEST,M3.5.0,M10.5.0/3");
  {
    grpc::ClientContext context;
    v1::SystemTime reply;
    ASSERT_TRUE(stub().SetSystemTime(&context, set, &reply).ok());
    EXPECT_EQ(reply.utc_time().seconds(), 1'577'836'800);
  }
  fake_clock_.Advance(seconds(5));

  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id("cam-1");
  v1::SystemTime time;
  ASSERT_TRUE(stub().GetSystemTime(&context, ref, &time).ok());
  EXPECT_EQ(time.utc_time().seconds(), 1'577'836'805);  // The clock keeps running.
  EXPECT_EQ(time.posix_timezone(), "CET-1CEST,M3.5.0,M10.5.0/3");
  EXPECT_FALSE(time.ntp_synchronized());

  // The other camera's clock is untouched.
  grpc::ClientContext other_context;
  ref.set_camera_id("cam-2");
  ASSERT_TRUE(stub().GetSystemTime(&other_context, ref, &time).ok());
  EXPECT_EQ(time.utc_time().seconds(), 1'700'000'005);
  EXPECT_TRUE(time.ntp_synchronized());
  EXPECT_EQ(time.posix_timezone(), "UTC0");
}

TEST_F(SimulatedAdapterTest, SetSystemTimeRejectsBadInput) {
  StartWithFakeClock();
  v1::SetSystemTimeRequest set;
  set.set_camera_id("cam-1");
  grpc::ClientContext no_time_context;
  v1::SystemTime reply;
  EXPECT_EQ(stub().SetSystemTime(&no_time_context, set, &reply).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  *set.mutable_utc_time() = TimeUtil::SecondsToTimestamp(0);
  set.set_posix_timezone("bad zone\n");
  grpc::ClientContext bad_zone_context;
  EXPECT_EQ(stub().SetSystemTime(&bad_zone_context, set, &reply).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SimulatedAdapterTest, SnapshotIsAJpegThatChangesOverTime) {
  StartWithFakeClock();
  v1::Snapshot first = Snap("cam-1");
  const std::string& jpeg = first.jpeg();
  ASSERT_GT(jpeg.size(), 100u);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[0]), 0xFF);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[1]), 0xD8);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[jpeg.size() - 2]), 0xFF);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[jpeg.size() - 1]), 0xD9);
  EXPECT_EQ(first.taken_at().seconds(), 1'700'000'000);

  EXPECT_EQ(Snap("cam-1").jpeg(), jpeg);  // Same time, same picture.
  fake_clock_.Advance(seconds(1));
  v1::Snapshot later = Snap("cam-1");
  EXPECT_NE(later.jpeg(), jpeg);
  EXPECT_EQ(later.taken_at().seconds(), 1'700'000'001);
  EXPECT_NE(Snap("cam-2").jpeg(), later.jpeg());  // Each camera has its own picture.

  grpc::ClientContext context;
  v1::SnapshotRequest request;
  request.set_camera_id("cam-1");
  request.set_source_id("7");
  v1::Snapshot none;
  EXPECT_EQ(stub().GetSnapshot(&context, request, &none).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST(FrameRendererTest, IsAPureFunctionOfCameraAndTime) {
  const system_clock::time_point t(seconds(1'700'000'000));
  FrameSpec spec{.camera_id = "cam-1", .width = 320, .height = 180, .time = t};
  RgbImage a = RenderFrame(spec);
  ASSERT_EQ(a.pixels.size(), 320u * 180u * 3u);
  EXPECT_EQ(RenderFrame(spec).pixels, a.pixels);

  FrameSpec next_second = spec;
  next_second.time = t + seconds(1);
  EXPECT_NE(RenderFrame(next_second).pixels, a.pixels);

  FrameSpec with_motion = spec;
  with_motion.motion_active = true;
  EXPECT_NE(RenderFrame(with_motion).pixels, a.pixels);

  auto jpeg = EncodeJpeg(a);
  ASSERT_TRUE(jpeg.ok());
  EXPECT_EQ(jpeg->substr(0, 2), "\xFF\xD8");
}

TEST_F(SimulatedAdapterTest, AudioIsDescribedOnlyForCamerasConfiguredWithIt) {
  StartWithFakeClock(ParseOrDie("cameras:\n  - id: quiet\n  - id: loud\n    audio: true\n"));
  grpc::ClientContext describe_context;
  v1::DescribeResponse described;
  ASSERT_TRUE(stub().Describe(&describe_context, v1::DescribeRequest(), &described).ok());
  ASSERT_EQ(described.cameras_size(), 2);
  EXPECT_FALSE(described.cameras(0).capabilities().audio_sources());
  EXPECT_TRUE(described.cameras(1).capabilities().audio_sources());

  auto list_audio = [&](const std::string& camera_id, v1::AudioSourceList* out) {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id(camera_id);
    return stub().ListAudioSources(&context, ref, out);
  };
  v1::AudioSourceList none;
  EXPECT_EQ(list_audio("quiet", &none).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  v1::AudioSourceList audio;
  ASSERT_TRUE(list_audio("loud", &audio).ok());
  ASSERT_EQ(audio.sources_size(), 1);
  EXPECT_EQ(audio.sources(0).source_id(), "mic");
  EXPECT_EQ(audio.sources(0).channels(), 1u);
  ASSERT_EQ(audio.sources(0).streams_size(), 1);
  EXPECT_EQ(audio.sources(0).streams(0).codec(), v1::AUDIO_CODEC_G711);
  EXPECT_EQ(audio.sources(0).streams(0).sample_rate_khz(), 8u);

  // The main stream names the audio it carries; the sub stream none, and a
  // camera without audio none at all.
  for (const std::string camera_id : {"quiet", "loud"}) {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id(camera_id);
    v1::VideoSourceList video;
    ASSERT_TRUE(stub().ListVideoSources(&context, ref, &video).ok());
    ASSERT_EQ(video.sources(0).streams_size(), 2);
    EXPECT_EQ(video.sources(0).streams(0).has_audio(), camera_id == "loud") << camera_id;
    EXPECT_FALSE(video.sources(0).streams(1).has_audio());
    if (camera_id == "loud") {
      EXPECT_EQ(video.sources(0).streams(0).audio().source_id(), "mic");
      EXPECT_EQ(video.sources(0).streams(0).audio().stream_id(), "g711");
    }
  }
}

TEST_F(SimulatedAdapterTest, ListVideoSourcesDescribesMainAndSubStreams) {
  StartWithFakeClock();
  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id("cam-2");
  v1::VideoSourceList list;
  ASSERT_TRUE(stub().ListVideoSources(&context, ref, &list).ok());
  ASSERT_EQ(list.sources_size(), 1);
  const v1::VideoSource& source = list.sources(0);
  EXPECT_EQ(source.source_id(), "0");
  EXPECT_EQ(source.resolution().width(), 1280u);
  EXPECT_EQ(source.resolution().height(), 720u);
  EXPECT_FLOAT_EQ(source.framerate(), 25);
  ASSERT_EQ(source.streams_size(), 2);

  const v1::VideoStream& main = source.streams(0);
  EXPECT_EQ(main.stream_id(), "main");
  EXPECT_EQ(main.uri(), "rtsp://127.0.0.1:8554/cam-2/main");
  EXPECT_EQ(main.codec(), v1::VIDEO_CODEC_H264);
  EXPECT_EQ(main.resolution().width(), 1280u);
  EXPECT_EQ(main.bitrate_kbps(), 4096u);
  EXPECT_EQ(main.gop_length(), 50u);
  EXPECT_EQ(main.codec_profile(), "Main");

  const v1::VideoStream& sub = source.streams(1);
  EXPECT_EQ(sub.stream_id(), "sub");
  EXPECT_EQ(sub.uri(), "rtsp://127.0.0.1:8554/cam-2/sub");
  EXPECT_EQ(sub.resolution().width(), 640u);
  EXPECT_EQ(sub.resolution().height(), 360u);
  EXPECT_EQ(sub.bitrate_kbps(), 512u);
}

TEST_F(SimulatedAdapterTest, RebootMakesCameraUnavailableForTwoSeconds) {
  StartWithFakeClock();
  {
    grpc::ClientContext context;
    v1::CameraRef ref;
    ref.set_camera_id("cam-1");
    v1::RebootResponse response;
    ASSERT_TRUE(stub().Reboot(&context, ref, &response).ok());
    EXPECT_EQ(response.expected_downtime_seconds(), 2u);
  }
  v1::DeviceInformation info;
  grpc::Status status = DeviceInfo("cam-1", &info);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("rebooting"), std::string::npos);
  EXPECT_TRUE(DeviceInfo("cam-2", &info).ok());  // Only that camera reboots.

  fake_clock_.Advance(milliseconds(1999));
  EXPECT_EQ(DeviceInfo("cam-1", &info).error_code(), grpc::StatusCode::UNAVAILABLE);
  fake_clock_.Advance(milliseconds(2));
  EXPECT_TRUE(DeviceInfo("cam-1", &info).ok());
}

// Sends `image` to UpgradeFirmware in chunks of `chunk` bytes.
grpc::Status Upgrade(v1::Adapter::Stub& stub, const std::string& camera_id,
                     const std::string& image, v1::FirmwareUpgradeResponse* response,
                     std::size_t chunk = 1000) {
  grpc::ClientContext context;
  auto writer = stub.UpgradeFirmware(&context, response);
  for (std::size_t pos = 0; pos == 0 || pos < image.size(); pos += chunk) {
    v1::FirmwareChunk c;
    if (pos == 0) {
      c.set_camera_id(camera_id);
      c.set_total_size(image.size());
    }
    c.set_data(image.substr(pos, chunk));
    if (!writer->Write(c)) break;
  }
  writer->WritesDone();
  return writer->Finish();
}

TEST(FirmwareImageTest, OnlyAnIntactImageForTheModelIsAccepted) {
  const std::string good = MakeFirmwareImage("SIM-1000", "2.1.0", std::string(5000, 'x'));
  auto version = ParseFirmwareImage(good, "SIM-1000");
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, "2.1.0");
  EXPECT_NE(ParseFirmwareImage(good, "SIM-2000").error().message.find("for model \"SIM-1000\""),
            std::string::npos);
  std::string flipped = good;
  flipped[100] ^= 1;
  EXPECT_NE(ParseFirmwareImage(flipped, "SIM-1000").error().message.find("damaged"),
            std::string::npos);
  EXPECT_FALSE(ParseFirmwareImage(good.substr(0, good.size() - 1), "SIM-1000").ok());
  EXPECT_FALSE(ParseFirmwareImage("MZ\x90\x00 an executable", "SIM-1000").ok());
  EXPECT_FALSE(ParseFirmwareImage(MakeFirmwareImage("SIM-1000", "two words", ""), "SIM-1000").ok());
  EXPECT_FALSE(ParseFirmwareImage(MakeFirmwareImage("SIM-1000", "", ""), "SIM-1000").ok());
}

TEST_F(SimulatedAdapterTest, UpgradeFirmwareInstallsAGoodImageRebootsAndSaysFactsChanged) {
  StartWithFakeClock();
  grpc::ClientContext events_context;
  auto events = OpenEvents(&events_context, {"cam-1"});
  v1::Event event;
  ASSERT_TRUE(events->Read(&event));  // the current motion state

  v1::FirmwareUpgradeResponse response;
  grpc::Status refused = Upgrade(stub(), "cam-1", MakeFirmwareImage("OTHER", "9", ""), &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("model"), std::string::npos);
  v1::DeviceInformation info;
  ASSERT_TRUE(DeviceInfo("cam-1", &info).ok());
  EXPECT_EQ(info.firmware_version(), "1.0.0");

  const std::string image = MakeFirmwareImage("SIM-1000", "2.0.0", std::string(200000, 'f'));
  ASSERT_TRUE(Upgrade(stub(), "cam-1", image, &response, 65536).ok());
  EXPECT_EQ(response.firmware_version(), "2.0.0");
  EXPECT_EQ(response.expected_downtime_seconds(), 2u);
  EXPECT_EQ(DeviceInfo("cam-1", &info).error_code(), grpc::StatusCode::UNAVAILABLE);  // rebooting
  fake_clock_.Advance(milliseconds(2001));
  ASSERT_TRUE(DeviceInfo("cam-1", &info).ok());
  EXPECT_EQ(info.firmware_version(), "2.0.0");
  ASSERT_TRUE(DeviceInfo("cam-2", &info).ok());
  EXPECT_EQ(info.firmware_version(), "1.0.0");  // only that camera
  // Back from the reboot: FactsChanged, then the motion state again.
  bool facts_changed = false;
  while (!facts_changed && events->Read(&event)) facts_changed = event.has_facts_changed();
  EXPECT_TRUE(facts_changed);
  EXPECT_EQ(event.camera_id(), "cam-1");
  events_context.TryCancel();
  while (events->Read(&event)) {
  }
  (void)events->Finish();

  grpc::ClientContext log_context;
  v1::CameraRef ref;
  ref.set_camera_id("cam-1");
  v1::CameraLog log;
  ASSERT_TRUE(stub().GetSystemLog(&log_context, ref, &log).ok());
  ASSERT_GE(log.lines_size(), 3);
  EXPECT_NE(log.lines(0).find("firmware refused: the image is for model"), std::string::npos);
  EXPECT_NE(log.lines(1).find("firmware 2.0.0 installed"), std::string::npos);
  EXPECT_NE(log.lines(2).find("rebooting"), std::string::npos);
  EXPECT_EQ(log.lines(1).substr(4, 1), "-");  // stamped with the camera's date
}

TEST_F(SimulatedAdapterTest, UnknownCameraIsNotFound) {
  StartWithFakeClock();
  v1::DeviceInformation info;
  grpc::Status status = DeviceInfo("cam-9", &info);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("cam-9"), std::string::npos);
  EXPECT_EQ(DeviceInfo("", &info).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  grpc::ClientContext context;
  auto reader = OpenEvents(&context, {"cam-9"});
  v1::Event event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(SimulatedAdapterTest, StreamEventsDeliversMotionToggles) {
  Start(ParseOrDie("motion_interval_ms: 50"), RealClock());
  grpc::ClientContext context;
  auto reader = OpenEvents(&context, {"cam-2"});

  // The current state first, then the toggle, all for cam-2 only.
  v1::Event first;
  ASSERT_TRUE(reader->Read(&first));
  EXPECT_EQ(first.camera_id(), "cam-2");
  ASSERT_TRUE(first.has_motion());
  EXPECT_EQ(first.motion().source_id(), "0");
  v1::Event second;
  ASSERT_TRUE(reader->Read(&second));
  EXPECT_EQ(second.camera_id(), "cam-2");
  ASSERT_TRUE(second.has_motion());
  EXPECT_NE(second.motion().active(), first.motion().active());
  EXPECT_GE(TimeUtil::TimestampToNanoseconds(second.time()),
            TimeUtil::TimestampToNanoseconds(first.time()));

  context.TryCancel();
  while (reader->Read(&second)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(SimulatedAdapterTest, StreamEventsEndsCleanlyOnShutdown) {
  Start(ParseOrDie("motion_interval_ms: 3600000"), RealClock());
  grpc::ClientContext context;
  auto reader = OpenEvents(&context);
  v1::Event event;
  ASSERT_TRUE(reader->Read(&event));  // cam-1's motion state
  ASSERT_TRUE(reader->Read(&event));  // cam-1's input-1 state
  ASSERT_TRUE(reader->Read(&event));  // cam-2's state
  const auto before = steady_clock::now();
  service_->BeginShutdown();
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_LT(steady_clock::now() - before, seconds(1));
}

v1::VideoSourceList VideoSources(v1::Adapter::Stub& stub, const std::string& camera_id) {
  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id(camera_id);
  v1::VideoSourceList list;
  grpc::Status status = stub.ListVideoSources(&context, ref, &list);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return list;
}

grpc::Status ApplyEncoder(v1::Adapter::Stub& stub,
                          const v1::ApplyVideoEncoderConfigurationRequest& request,
                          v1::VideoStream* applied = nullptr) {
  grpc::ClientContext context;
  v1::VideoStream out;
  grpc::Status status = stub.ApplyVideoEncoderConfiguration(&context, request, &out);
  if (applied != nullptr) *applied = out;
  return status;
}

// A valid change of cam-1's main stream (1280x720 at 25 fps by default).
v1::ApplyVideoEncoderConfigurationRequest MainStreamRequest() {
  v1::ApplyVideoEncoderConfigurationRequest request;
  request.set_camera_id("cam-1");
  request.set_source_id("0");
  request.set_stream_id("main");
  request.set_codec(v1::VIDEO_CODEC_H265);
  request.mutable_resolution()->set_width(640);
  request.mutable_resolution()->set_height(360);
  request.set_framerate(12.5f);
  request.set_bitrate_kbps(2000);
  request.set_gop_length(25);
  request.set_codec_profile("Main");
  request.set_quality(90);
  return request;
}

std::vector<std::string> SizeNames(const v1::CodecOptions& codec) {
  std::vector<std::string> out;
  for (const v1::Resolution& r : codec.resolutions()) {
    out.push_back(std::to_string(r.width()) + "x" + std::to_string(r.height()));
  }
  return out;
}

// The stream's current values are among those its options offer for its current codec.
void ExpectInsideOptions(const v1::VideoStream& stream) {
  SCOPED_TRACE("stream " + stream.stream_id());
  const v1::CodecOptions* codec = nullptr;
  for (const v1::CodecOptions& offered : stream.options().codecs()) {
    if (offered.codec() == stream.codec()) codec = &offered;
  }
  ASSERT_NE(codec, nullptr);
  bool size_offered = false;
  for (const v1::Resolution& r : codec->resolutions()) {
    size_offered |=
        r.width() == stream.resolution().width() && r.height() == stream.resolution().height();
  }
  EXPECT_TRUE(size_offered);
  EXPECT_GE(stream.framerate(), codec->framerate().min());
  EXPECT_LE(stream.framerate(), codec->framerate().max());
  EXPECT_GE(stream.bitrate_kbps(), codec->bitrate_kbps().min());
  EXPECT_LE(stream.bitrate_kbps(), codec->bitrate_kbps().max());
  EXPECT_GE(stream.gop_length(), codec->gop_length().min());
  EXPECT_LE(stream.gop_length(), codec->gop_length().max());
  EXPECT_GE(stream.quality(), codec->quality().min());
  EXPECT_LE(stream.quality(), codec->quality().max());
  const auto& profiles = codec->codec_profiles();
  if (profiles.empty()) {
    EXPECT_EQ(stream.codec_profile(), "");
  } else {
    EXPECT_NE(std::find(profiles.begin(), profiles.end(), stream.codec_profile()), profiles.end());
  }
}

TEST_F(SimulatedAdapterTest, StreamsDescribeEncoderOptionsHoldingTheirDefaults) {
  StartWithFakeClock();
  const v1::VideoSource source = VideoSources(stub(), "cam-1").sources(0);
  EXPECT_EQ(source.imaging_id(), "");
  ASSERT_EQ(source.streams_size(), 2);

  const v1::VideoStream& main = source.streams(0);
  EXPECT_EQ(main.transport(), v1::STREAM_TRANSPORT_RTSP);
  EXPECT_FLOAT_EQ(main.quality(), 70);
  ASSERT_EQ(main.options().codecs_size(), 3);
  const v1::CodecOptions& h264 = main.options().codecs(0);
  EXPECT_EQ(h264.codec(), v1::VIDEO_CODEC_H264);
  EXPECT_EQ(SizeNames(h264), (std::vector<std::string>{"1280x720", "640x360"}));
  EXPECT_FLOAT_EQ(h264.framerate().min(), 1);
  EXPECT_FLOAT_EQ(h264.framerate().max(), 25);
  EXPECT_EQ(h264.bitrate_kbps().min(), 256u);
  EXPECT_EQ(h264.bitrate_kbps().max(), 8192u);
  EXPECT_EQ(h264.gop_length().min(), 1u);
  EXPECT_EQ(h264.gop_length().max(), 300u);
  EXPECT_EQ(std::vector<std::string>(h264.codec_profiles().begin(), h264.codec_profiles().end()),
            (std::vector<std::string>{"Baseline", "Main", "High"}));
  EXPECT_FLOAT_EQ(h264.quality().min(), 0);
  EXPECT_FLOAT_EQ(h264.quality().max(), 100);
  const v1::CodecOptions& h265 = main.options().codecs(1);
  EXPECT_EQ(h265.codec(), v1::VIDEO_CODEC_H265);
  ASSERT_EQ(h265.codec_profiles_size(), 1);
  EXPECT_EQ(h265.codec_profiles(0), "Main");
  const v1::CodecOptions& jpeg = main.options().codecs(2);
  EXPECT_EQ(jpeg.codec(), v1::VIDEO_CODEC_JPEG);
  EXPECT_EQ(jpeg.bitrate_kbps().min(), 512u);
  EXPECT_EQ(jpeg.bitrate_kbps().max(), 16384u);
  EXPECT_EQ(jpeg.gop_length().max(), 0u);
  EXPECT_EQ(jpeg.codec_profiles_size(), 0);

  const v1::VideoStream& sub = source.streams(1);
  EXPECT_EQ(sub.transport(), v1::STREAM_TRANSPORT_RTSP);
  EXPECT_FLOAT_EQ(sub.quality(), 50);
  ASSERT_EQ(sub.options().codecs_size(), 2);
  EXPECT_EQ(sub.options().codecs(0).codec(), v1::VIDEO_CODEC_H264);
  EXPECT_EQ(SizeNames(sub.options().codecs(0)), (std::vector<std::string>{"640x360", "320x180"}));
  EXPECT_EQ(sub.options().codecs(0).bitrate_kbps().max(), 2048u);
  EXPECT_EQ(sub.options().codecs(1).codec(), v1::VIDEO_CODEC_JPEG);
  EXPECT_EQ(sub.options().codecs(1).bitrate_kbps().min(), 128u);

  ExpectInsideOptions(main);
  ExpectInsideOptions(sub);
}

TEST_F(SimulatedAdapterTest, EncoderOptionsFollowTheSensorSize) {
  StartWithFakeClock(ParseOrDie(R"(
cameras:
  - {id: big, width: 3840, height: 2160, framerate: 120}
  - {id: tiny, width: 160, height: 120, framerate: 1}
)"));
  const v1::VideoSource big = VideoSources(stub(), "big").sources(0);
  EXPECT_EQ(SizeNames(big.streams(0).options().codecs(0)),
            (std::vector<std::string>{"3840x2160", "1920x1080", "1280x720", "640x360"}));
  const v1::VideoSource tiny = VideoSources(stub(), "tiny").sources(0);
  EXPECT_EQ(SizeNames(tiny.streams(0).options().codecs(0)), (std::vector<std::string>{"160x120"}));
  EXPECT_EQ(SizeNames(tiny.streams(1).options().codecs(0)), (std::vector<std::string>{"160x120"}));
  for (const v1::VideoSource* source : {&big, &tiny}) {
    for (const v1::VideoStream& stream : source->streams()) {
      ExpectInsideOptions(stream);
    }
  }
}

TEST_F(SimulatedAdapterTest, ApplyVideoEncoderConfigurationChangesOnlyThatStream) {
  StartWithFakeClock();
  const v1::VideoSourceList before = VideoSources(stub(), "cam-1");
  const std::string snapshot_before = Snap("cam-1").jpeg();
  v1::VideoStream applied;
  grpc::Status status = ApplyEncoder(stub(), MainStreamRequest(), &applied);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(applied.stream_id(), "main");
  EXPECT_EQ(applied.uri(), "rtsp://127.0.0.1:8554/cam-1/main");
  EXPECT_EQ(applied.codec(), v1::VIDEO_CODEC_H265);
  EXPECT_EQ(applied.resolution().width(), 640u);
  EXPECT_EQ(applied.resolution().height(), 360u);
  EXPECT_FLOAT_EQ(applied.framerate(), 12.5f);
  EXPECT_EQ(applied.bitrate_kbps(), 2000u);
  EXPECT_EQ(applied.gop_length(), 25u);
  EXPECT_EQ(applied.codec_profile(), "Main");
  EXPECT_FLOAT_EQ(applied.quality(), 90);
  EXPECT_TRUE(
      MessageDifferencer::Equals(applied.options(), before.sources(0).streams(0).options()));

  const v1::VideoSourceList after = VideoSources(stub(), "cam-1");
  EXPECT_TRUE(MessageDifferencer::Equals(after.sources(0).streams(0), applied));
  EXPECT_TRUE(
      MessageDifferencer::Equals(after.sources(0).streams(1), before.sources(0).streams(1)));
  EXPECT_EQ(VideoSources(stub(), "cam-2").sources(0).streams(0).codec(), v1::VIDEO_CODEC_H264);
  EXPECT_EQ(Snap("cam-1").jpeg(), snapshot_before);
}

TEST_F(SimulatedAdapterTest, ApplyVideoEncoderConfigurationRejectsValuesOutsideOptions) {
  StartWithFakeClock();
  const v1::VideoSourceList before = VideoSources(stub(), "cam-1");
  struct BadCase {
    std::string expected_in_message;
    std::function<void(v1::ApplyVideoEncoderConfigurationRequest&)> spoil;
  };
  const std::vector<BadCase> cases = {
      {"codec MPEG4", [](auto& r) { r.set_codec(v1::VIDEO_CODEC_MPEG4); }},
      {"codec H265", [](auto& r) { r.set_stream_id("sub"); }},  // sub offers H264 and JPEG
      {"resolution 1920x1080 is not offered for H265 on stream \"main\"; offered: 1280x720, "
       "640x360",
       [](auto& r) {
         r.mutable_resolution()->set_width(1920);
         r.mutable_resolution()->set_height(1080);
       }},
      {"resolution 1280x360", [](auto& r) { r.mutable_resolution()->set_width(1280); }},
      {"resolution 0x0", [](auto& r) { r.clear_resolution(); }},
      {"framerate 0 is outside 1..25", [](auto& r) { r.set_framerate(0); }},
      {"framerate 25.5", [](auto& r) { r.set_framerate(25.5f); }},
      {"framerate nan", [](auto& r) { r.set_framerate(std::nanf("")); }},
      {"bitrate_kbps 255 is outside 256..8192", [](auto& r) { r.set_bitrate_kbps(255); }},
      {"bitrate_kbps 8193", [](auto& r) { r.set_bitrate_kbps(8193); }},
      {"gop_length 0 is outside 1..300", [](auto& r) { r.set_gop_length(0); }},
      {"gop_length 301", [](auto& r) { r.set_gop_length(301); }},
      {"quality -1 is outside 0..100", [](auto& r) { r.set_quality(-1); }},
      {"quality 100.5", [](auto& r) { r.set_quality(100.5f); }},
      {"codec_profile must be one of Main for H265", [](auto& r) { r.set_codec_profile("High"); }},
      {"codec_profile must be one of Baseline, Main, High for H264",
       [](auto& r) {
         r.set_codec(v1::VIDEO_CODEC_H264);
         r.set_codec_profile("Extended");
       }},
      {"codec_profile must be empty for JPEG",
       [](auto& r) {
         r.set_codec(v1::VIDEO_CODEC_JPEG);
         r.set_codec_profile("Main");
       }},
  };
  for (const BadCase& bad : cases) {
    v1::ApplyVideoEncoderConfigurationRequest request = MainStreamRequest();
    bad.spoil(request);
    grpc::Status status = ApplyEncoder(stub(), request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.expected_in_message;
    EXPECT_NE(status.error_message().find(bad.expected_in_message), std::string::npos)
        << status.error_message();
  }
  EXPECT_TRUE(MessageDifferencer::Equals(VideoSources(stub(), "cam-1"), before));
}

TEST_F(SimulatedAdapterTest, ApplyVideoEncoderConfigurationNamesWhatIsMissing) {
  StartWithFakeClock();
  struct MissingCase {
    std::string camera_id, source_id, stream_id, expected_in_message;
  };
  for (const MissingCase& missing : std::vector<MissingCase>{
           {"cam-9", "0", "main", "\"cam-9\""},
           {"cam-1", "1", "main", "no video source \"1\""},
           {"cam-1", "", "main", "no video source \"\""},
           {"cam-1", "0", "third", "no stream \"third\""},
       }) {
    v1::ApplyVideoEncoderConfigurationRequest request = MainStreamRequest();
    request.set_camera_id(missing.camera_id);
    request.set_source_id(missing.source_id);
    request.set_stream_id(missing.stream_id);
    grpc::Status status = ApplyEncoder(stub(), request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << missing.expected_in_message;
    EXPECT_NE(status.error_message().find(missing.expected_in_message), std::string::npos)
        << status.error_message();
  }

  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id("cam-1");
  v1::RebootResponse rebooted;
  ASSERT_TRUE(stub().Reboot(&context, ref, &rebooted).ok());
  EXPECT_EQ(ApplyEncoder(stub(), MainStreamRequest()).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SimulatedAdapterTest, JpegStoresNoGopNorProfileAndEmptyProfileKeepsOrPicks) {
  StartWithFakeClock();
  v1::ApplyVideoEncoderConfigurationRequest request = MainStreamRequest();
  request.set_codec(v1::VIDEO_CODEC_JPEG);
  request.set_bitrate_kbps(16384);
  request.set_gop_length(9999);  // Ignored for JPEG, even out of every range.
  request.set_codec_profile("");
  v1::VideoStream applied;
  ASSERT_TRUE(ApplyEncoder(stub(), request, &applied).ok());
  EXPECT_EQ(applied.codec(), v1::VIDEO_CODEC_JPEG);
  EXPECT_EQ(applied.gop_length(), 0u);
  EXPECT_EQ(applied.codec_profile(), "");
  EXPECT_EQ(VideoSources(stub(), "cam-1").sources(0).streams(0).gop_length(), 0u);

  // From JPEG (no profile) back to H.264 without a profile: the codec's first.
  request = MainStreamRequest();
  request.set_codec(v1::VIDEO_CODEC_H264);
  request.set_codec_profile("");
  ASSERT_TRUE(ApplyEncoder(stub(), request, &applied).ok());
  EXPECT_EQ(applied.codec_profile(), "Baseline");

  // An empty profile keeps the current one when the codec offers it.
  request.set_codec_profile("High");
  ASSERT_TRUE(ApplyEncoder(stub(), request).ok());
  request.set_codec_profile("");
  request.set_bitrate_kbps(300);
  ASSERT_TRUE(ApplyEncoder(stub(), request, &applied).ok());
  EXPECT_EQ(applied.codec_profile(), "High");
  EXPECT_EQ(applied.bitrate_kbps(), 300u);
}

v1::RelayOutputList Relays(v1::Adapter::Stub& stub, const std::string& camera_id,
                           grpc::Status* status = nullptr) {
  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id(camera_id);
  v1::RelayOutputList list;
  grpc::Status st = stub.ListRelayOutputs(&context, ref, &list);
  if (status != nullptr) *status = st;
  return list;
}

grpc::Status SetRelay(v1::Adapter::Stub& stub, const std::string& relay_id, bool active) {
  grpc::ClientContext context;
  v1::SetRelayOutputStateRequest request;
  request.set_camera_id("cam-1");
  request.set_relay_id(relay_id);
  request.set_active(active);
  v1::RelayOutput out;
  return stub.SetRelayOutputState(&context, request, &out);
}

grpc::Status ConfigureRelay(v1::Adapter::Stub& stub, v1::RelayMode mode, uint32_t delay_ms,
                            v1::RelayIdleState idle = v1::RELAY_IDLE_STATE_OPEN,
                            const std::string& relay_id = "relay-1") {
  grpc::ClientContext context;
  v1::SetRelayOutputSettingsRequest request;
  request.set_camera_id("cam-1");
  request.set_relay_id(relay_id);
  request.set_mode(mode);
  request.set_delay_ms(delay_ms);
  request.set_idle_state(idle);
  v1::RelayOutput out;
  return stub.SetRelayOutputSettings(&context, request, &out);
}

TEST_F(SimulatedAdapterTest, RelaysStartBistableOpenInactiveAndFollowTheConfig) {
  StartWithFakeClock(
      ParseOrDie("cameras: [{id: cam-1, relay_outputs: 2}, {id: cam-2, "
                 "relay_outputs: 0}]"));
  v1::RelayOutputList list = Relays(stub(), "cam-1");
  ASSERT_EQ(list.relays_size(), 2);
  EXPECT_EQ(list.relays(0).relay_id(), "relay-1");
  EXPECT_EQ(list.relays(1).relay_id(), "relay-2");
  EXPECT_EQ(list.relays(0).mode(), v1::RELAY_MODE_BISTABLE);
  EXPECT_EQ(list.relays(0).idle_state(), v1::RELAY_IDLE_STATE_OPEN);
  EXPECT_FALSE(list.relays(0).active());

  // No relays: not claimed, and the RPCs say UNIMPLEMENTED.
  grpc::ClientContext context;
  v1::DescribeResponse described;
  ASSERT_TRUE(stub().Describe(&context, v1::DescribeRequest(), &described).ok());
  EXPECT_TRUE(described.cameras(0).capabilities().relay_outputs());
  EXPECT_FALSE(described.cameras(1).capabilities().relay_outputs());
  grpc::Status status;
  Relays(stub(), "cam-2", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(SimulatedAdapterTest, BistableRelayKeepsItsState) {
  StartWithFakeClock();
  ASSERT_TRUE(SetRelay(stub(), "relay-1", true).ok());
  fake_clock_.Advance(seconds(3600));
  EXPECT_TRUE(Relays(stub(), "cam-1").relays(0).active());
  ASSERT_TRUE(SetRelay(stub(), "relay-1", false).ok());
  EXPECT_FALSE(Relays(stub(), "cam-1").relays(0).active());
}

TEST_F(SimulatedAdapterTest, MonostableRelayReturnsToIdleAfterItsDelay) {
  StartWithFakeClock();
  ASSERT_TRUE(
      ConfigureRelay(stub(), v1::RELAY_MODE_MONOSTABLE, 1500, v1::RELAY_IDLE_STATE_CLOSED).ok());
  v1::RelayOutput relay = Relays(stub(), "cam-1").relays(0);
  EXPECT_EQ(relay.mode(), v1::RELAY_MODE_MONOSTABLE);
  EXPECT_EQ(relay.delay_ms(), 1500u);
  EXPECT_EQ(relay.idle_state(), v1::RELAY_IDLE_STATE_CLOSED);
  ASSERT_TRUE(SetRelay(stub(), "relay-1", true).ok());
  fake_clock_.Advance(milliseconds(1499));
  EXPECT_TRUE(Relays(stub(), "cam-1").relays(0).active());
  fake_clock_.Advance(milliseconds(1));
  EXPECT_FALSE(Relays(stub(), "cam-1").relays(0).active());
}

TEST_F(SimulatedAdapterTest, RelayRejectsBadSettingsAndUnknownIds) {
  StartWithFakeClock();
  EXPECT_EQ(ConfigureRelay(stub(), v1::RELAY_MODE_MONOSTABLE, 0).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ConfigureRelay(stub(), v1::RELAY_MODE_MONOSTABLE, 3'600'001).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ConfigureRelay(stub(), v1::RELAY_MODE_UNSPECIFIED, 10).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ConfigureRelay(stub(), v1::RELAY_MODE_BISTABLE, 10, v1::RELAY_IDLE_STATE_UNSPECIFIED)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      ConfigureRelay(stub(), v1::RELAY_MODE_BISTABLE, 10, v1::RELAY_IDLE_STATE_OPEN, "relay-9")
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(SetRelay(stub(), "relay-9", true).error_code(), grpc::StatusCode::NOT_FOUND);
  // Nothing changed.
  EXPECT_EQ(Relays(stub(), "cam-1").relays(0).mode(), v1::RELAY_MODE_BISTABLE);
}

TEST(SimulatedConfigTest, AppliesDefaults) {
  SimulatedConfig config = ParseOrDie("cameras:\n  - id: a\n");
  ASSERT_EQ(config.cameras.size(), 1u);
  const CameraConfig& camera = config.cameras[0];
  EXPECT_EQ(camera.label, "a");
  EXPECT_EQ(camera.manufacturer, "Simulated Optics");
  EXPECT_EQ(camera.model, "SIM-1000");
  EXPECT_EQ(camera.firmware, "1.0.0");
  EXPECT_EQ(camera.width, 1280u);
  EXPECT_EQ(camera.height, 720u);
  EXPECT_EQ(camera.framerate, 25);
  EXPECT_EQ(config.motion_interval, milliseconds(5000));

  EXPECT_EQ(ParseOrDie("").cameras.size(), 2u);
  EXPECT_EQ(ParseOrDie("motion_interval_ms: 100").motion_interval, milliseconds(100));
}

TEST(SimulatedConfigTest, UnknownKeyNamesPathLineAndColumn) {
  std::string error = ConfigError("cameras:\n  - id: a\n    colour: red\n");
  EXPECT_NE(error.find("cameras[0].colour"), std::string::npos) << error;
  EXPECT_NE(error.find("line 3, column 5"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown key"), std::string::npos) << error;

  error = ConfigError("motion_interval: 5\n");
  EXPECT_NE(error.find("line 1, column 1"), std::string::npos) << error;
}

TEST(SimulatedConfigTest, DuplicateIdNamesBothPositions) {
  std::string error = ConfigError("cameras:\n  - id: a\n  - id: b\n  - id: a\n");
  EXPECT_NE(error.find("cameras[2].id"), std::string::npos) << error;
  EXPECT_NE(error.find("line 4, column 9"), std::string::npos) << error;
  EXPECT_NE(error.find("duplicate camera id \"a\""), std::string::npos) << error;
  EXPECT_NE(error.find("line 2, column 9"), std::string::npos) << error;
}

TEST(SimulatedConfigTest, RejectsBadValues) {
  EXPECT_NE(ConfigError("cameras:\n  - label: x\n").find("cameras[0].id"), std::string::npos);
  EXPECT_NE(ConfigError("cameras:\n  - id: a\n    width: 5\n").find("between 16 and 7680"),
            std::string::npos);
  EXPECT_NE(ConfigError("cameras:\n  - id: a\n    height: tall\n").find("expected an integer"),
            std::string::npos);
  EXPECT_NE(ConfigError("cameras:\n  - id: a/b\n").find("line 2, column 9"), std::string::npos);
  EXPECT_NE(ConfigError("cameras: []\n").find("at least one camera"), std::string::npos);
  EXPECT_NE(ConfigError("cameras: {id: a}\n").find("expected a list"), std::string::npos);
  EXPECT_NE(ConfigError("motion_interval_ms: 0\n").find("motion_interval_ms"), std::string::npos);
  EXPECT_NE(ConfigError("- 1\n").find("expected a map"), std::string::npos);
  EXPECT_NE(
      ConfigError("cameras:\n  - id: a\n    streaming: hls\n").find("rtsp, mjpeg_http or snapshot"),
      std::string::npos);
}

TEST_F(SimulatedAdapterTest, AuxiliaryCommandsAreDescribedAndRun) {
  StartWithFakeClock();
  grpc::ClientContext describe_context;
  v1::DescribeRequest describe;
  v1::DescribeResponse described;
  ASSERT_TRUE(stub().Describe(&describe_context, describe, &described).ok());
  const auto& cam = described.cameras(0);
  EXPECT_TRUE(cam.capabilities().auxiliary_commands());
  EXPECT_EQ(
      std::vector<std::string>(cam.auxiliary_commands().begin(), cam.auxiliary_commands().end()),
      (std::vector<std::string>{"tt:IRLamp|On", "tt:IRLamp|Off", "tt:IRLamp|Auto", "tt:Wiper|On",
                                "tt:Wiper|Off"}));
  auto send = [&](const std::string& command, v1::AuxiliaryCommandResponse* out) {
    grpc::ClientContext context;
    v1::AuxiliaryCommandRequest request;
    request.set_camera_id("cam-1");
    request.set_command(command);
    return stub().SendAuxiliaryCommand(&context, request, out);
  };
  v1::AuxiliaryCommandResponse r;
  ASSERT_TRUE(send("tt:IRLamp|On", &r).ok());
  EXPECT_EQ(r.response(), "IRLamp=On");
  ASSERT_TRUE(send("tt:Wiper|On", &r).ok());
  EXPECT_EQ(r.response(), "Wiper=On");
  EXPECT_EQ(send("tt:Washer|On", &r).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(send("", &r).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SimulatedAdapterTest, FactoryDefaultRestoresStreamsRelaysAndClock) {
  StartWithFakeClock(ParseOrDie("cameras: [{id: cam-1, relay_outputs: 1}]"));
  const v1::VideoSourceList before = VideoSources(stub(), "cam-1");
  ASSERT_TRUE(ApplyEncoder(stub(), MainStreamRequest()).ok());
  ASSERT_TRUE(ConfigureRelay(stub(), v1::RELAY_MODE_MONOSTABLE, 500).ok());
  {
    grpc::ClientContext context;
    v1::SetSystemTimeRequest set;
    set.set_camera_id("cam-1");
    *set.mutable_utc_time() = TimeUtil::SecondsToTimestamp(1'577'836'800);
    set.set_posix_timezone("CET-1CEST,M3.5.0,M10.5.0/3");
    v1::SystemTime reply;
    ASSERT_TRUE(stub().SetSystemTime(&context, set, &reply).ok());
  }

  grpc::ClientContext context;
  v1::FactoryDefaultRequest request;
  request.set_camera_id("cam-1");
  request.set_hard(true);
  v1::FactoryDefaultResponse reset;
  grpc::Status status = stub().FactoryDefault(&context, request, &reset);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(MessageDifferencer::Equals(reset.video_sources(), before));
  EXPECT_TRUE(MessageDifferencer::Equals(VideoSources(stub(), "cam-1"), before));
  EXPECT_EQ(Relays(stub(), "cam-1").relays(0).mode(), v1::RELAY_MODE_BISTABLE);
  grpc::ClientContext time_context;
  v1::CameraRef ref;
  ref.set_camera_id("cam-1");
  v1::SystemTime now;
  ASSERT_TRUE(stub().GetSystemTime(&time_context, ref, &now).ok());
  EXPECT_EQ(now.posix_timezone(), "UTC0");
  EXPECT_TRUE(now.ntp_synchronized());

  grpc::ClientContext unknown_context;
  request.set_camera_id("nope");
  EXPECT_EQ(stub().FactoryDefault(&unknown_context, request, &reset).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// The configuration file ExportConfiguration streams for `camera_id`.
grpc::Status Export(v1::Adapter::Stub& stub, const std::string& camera_id, std::string* file) {
  grpc::ClientContext context;
  v1::CameraRef ref;
  ref.set_camera_id(camera_id);
  auto reader = stub.ExportConfiguration(&context, ref);
  v1::ConfigurationChunk chunk;
  while (reader->Read(&chunk)) *file += chunk.data();
  return reader->Finish();
}

grpc::Status Import(v1::Adapter::Stub& stub, const std::string& camera_id,
                    const std::string& file) {
  grpc::ClientContext context;
  v1::ImportConfigurationResponse response;
  auto writer = stub.ImportConfiguration(&context, &response);
  for (std::size_t pos = 0; pos == 0 || pos < file.size(); pos += 1000) {
    v1::ConfigurationChunk c;
    if (pos == 0) {
      c.set_camera_id(camera_id);
      c.set_total_size(file.size());
    }
    c.set_data(file.substr(pos, 1000));
    if (!writer->Write(c)) break;
  }
  writer->WritesDone();
  return writer->Finish();
}

TEST_F(SimulatedAdapterTest, ExportedConfigurationIsImportedBackAndAForeignOneRefused) {
  StartWithFakeClock(ParseOrDie("cameras: [{id: cam-1, relay_outputs: 1}, {id: cam-2, model: X}]"));
  ASSERT_TRUE(ApplyEncoder(stub(), MainStreamRequest()).ok());
  ASSERT_TRUE(ConfigureRelay(stub(), v1::RELAY_MODE_MONOSTABLE, 500).ok());
  const v1::VideoSourceList configured = VideoSources(stub(), "cam-1");
  std::string file;
  grpc::Status st = Export(stub(), "cam-1", &file);
  ASSERT_TRUE(st.ok()) << st.error_message();

  {
    grpc::ClientContext context;
    v1::FactoryDefaultRequest request;
    request.set_camera_id("cam-1");
    v1::FactoryDefaultResponse reset;
    ASSERT_TRUE(stub().FactoryDefault(&context, request, &reset).ok());
  }
  EXPECT_FALSE(MessageDifferencer::Equals(VideoSources(stub(), "cam-1"), configured));
  st = Import(stub(), "cam-1", file);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(MessageDifferencer::Equals(VideoSources(stub(), "cam-1"), configured));
  EXPECT_EQ(Relays(stub(), "cam-1").relays(0).mode(), v1::RELAY_MODE_MONOSTABLE);
  EXPECT_EQ(Relays(stub(), "cam-1").relays(0).delay_ms(), 500u);

  // Another model's file, a damaged one, or no file at all: refused, nothing changed.
  std::string damaged = file;
  damaged[damaged.size() / 2] ^= 1;
  for (const auto& [camera, bad] : std::vector<std::pair<std::string, std::string>>{
           {"cam-2", file}, {"cam-1", damaged}, {"cam-1", "not a configuration"}}) {
    st = Import(stub(), camera, bad);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << camera;
  }
  EXPECT_TRUE(MessageDifferencer::Equals(VideoSources(stub(), "cam-1"), configured));
  EXPECT_NE(ParseConfigurationFile(file, "X").error().message.find("of model \"SIM-1000\""),
            std::string::npos);
}

TEST(TestStreamPipelineTest, EncodesWhatTheStreamDescribes) {
  v1::VideoStream stream;
  stream.set_codec(v1::VIDEO_CODEC_H264);
  stream.mutable_resolution()->set_width(640);
  stream.mutable_resolution()->set_height(360);
  stream.set_framerate(12.5F);
  stream.set_bitrate_kbps(512);
  stream.set_gop_length(25);
  stream.set_codec_profile("High");
  EXPECT_EQ(TestStreamPipeline(stream),
            "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,"
            "framerate=12500/1000 ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=512 "
            "key-int-max=25 ! video/x-h264,profile=high ! rtph264pay name=pay0 pt=96 "
            "config-interval=-1 )");
  stream.set_codec(v1::VIDEO_CODEC_JPEG);
  stream.set_quality(70);
  const auto jpeg = TestStreamPipeline(stream);
  ASSERT_TRUE(jpeg.has_value());
  EXPECT_NE(jpeg->find("jpegenc quality=70 ! rtpjpegpay name=pay0 pt=26"), std::string::npos);
  stream.set_codec(v1::VIDEO_CODEC_MPEG4);
  EXPECT_FALSE(TestStreamPipeline(stream).has_value());
  // Noise, for figures at the stream's whole bitrate; nothing else.
  stream.set_codec(v1::VIDEO_CODEC_H264);
  EXPECT_EQ(
      TestStreamPipeline(stream, "snow")->rfind("( videotestsrc is-live=true pattern=snow ! ", 0),
      0u);
  EXPECT_FALSE(TestStreamPipeline(stream, "bars").has_value());
  EXPECT_EQ(ParseOrDie("cameras: [{id: a, test_pattern: snow}]").cameras[0].test_pattern, "snow");
  EXPECT_NE(ConfigError("cameras:\n  - id: a\n    test_pattern: bars\n").find("ball or snow"),
            std::string::npos);
}

TEST(TestStreamPipelineTest, APtzCamerasStreamsEncodeItsRenderedPictures) {
  v1::VideoStream stream;
  stream.set_codec(v1::VIDEO_CODEC_H264);
  stream.mutable_resolution()->set_width(640);
  stream.mutable_resolution()->set_height(360);
  stream.set_framerate(12.5F);
  stream.set_bitrate_kbps(512);
  stream.set_gop_length(25);
  stream.set_codec_profile("Main");
  EXPECT_EQ(TestStreamPipeline(stream, kRenderedPicture),
            "( appsrc name=frames is-live=true format=time do-timestamp=true "
            "caps=\"video/x-raw,format=RGB,width=640,height=360,framerate=12500/1000\" ! "
            "videoconvert ! video/x-raw,format=I420,width=640,height=360 ! x264enc "
            "tune=zerolatency speed-preset=ultrafast bitrate=512 key-int-max=25 threads=1 ! "
            "video/x-h264,profile=main ! rtph264pay name=pay0 pt=96 config-interval=-1 )");
  // Larger pictures are rendered at about 1280x720 and scaled up.
  EXPECT_EQ(RenderedSize(1280, 720), std::make_pair(1280u, 720u));
  EXPECT_EQ(RenderedSize(1920, 1080), std::make_pair(1280u, 720u));
  EXPECT_EQ(RenderedSize(7680, 4320), std::make_pair(1280u, 720u));
  EXPECT_EQ(RenderedSize(2048, 2048), std::make_pair(960u, 960u));
  EXPECT_EQ(RenderedSize(3000, 1000), std::make_pair(1662u, 554u));
  stream.set_codec(v1::VIDEO_CODEC_JPEG);
  stream.mutable_resolution()->set_width(1920);
  stream.mutable_resolution()->set_height(1080);
  const auto jpeg = TestStreamPipeline(stream, kRenderedPicture);
  ASSERT_TRUE(jpeg.has_value());
  EXPECT_NE(jpeg->find("width=1280,height=720,framerate=12500/1000\" ! videoconvert ! videoscale ! "
                       "video/x-raw,format=I420,width=1920,height=1080 ! jpegenc"),
            std::string::npos)
      << *jpeg;

  // The service says which cameras' streams are rendered: those with a PTZ head.
  SimulatedService service(
      ParseOrDie("cameras: [{id: ptz, ptz: true}, {id: fixed}, "
                 "{id: noisy, test_pattern: snow}]"));
  EXPECT_EQ(service.TestPatternOf("ptz"), kRenderedPicture);
  EXPECT_EQ(service.TestPatternOf("fixed"), "ball");
  EXPECT_EQ(service.TestPatternOf("noisy"), "snow");
  const auto picture = service.RenderPicture("ptz", 320, 180);
  ASSERT_TRUE(picture.has_value());
  EXPECT_EQ(picture->width, 320u);
  EXPECT_EQ(picture->pixels.size(), 320u * 180u * 3u);
  EXPECT_FALSE(service.RenderPicture("nope", 320, 180).has_value());
}

// Just enough RTSP to play one stream over TCP (RTP interleaved on channel 0).
class RtspPlayer {
 public:
  explicit RtspPlayer(uint16_t port) : socket_(port) {}
  bool connected() const { return socket_.connected(); }

  // One request; its response (header and body), empty if none came.
  std::string Request(const std::string& method, const std::string& url,
                      const std::string& headers = "") {
    socket_.Send(method + " " + url + " RTSP/1.0\r\nCSeq: " + std::to_string(++cseq_) + "\r\n" +
                 headers + "\r\n");
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Receive()) return {};
    }
    std::size_t length = 0;
    if (const std::size_t at = buffer_.find("Content-Length: "); at < end) {
      length = std::stoul(buffer_.substr(at + 16));
    }
    while (buffer_.size() < end + 4 + length) {
      if (!Receive()) return {};
    }
    std::string response = buffer_.substr(0, end + 4 + length);
    buffer_.erase(0, end + 4 + length);
    return response;
  }

  // Counts the video frames (RTP packets with the marker bit) that arrive, until `frames` or the
  // deadline.
  int ReceiveFrames(int frames, steady_clock::duration timeout) {
    const auto deadline = steady_clock::now() + timeout;
    int seen = 0;
    while (seen < frames && steady_clock::now() < deadline) {
      while (buffer_.size() >= 4 && buffer_[0] == '$') {
        const std::size_t length =
            (static_cast<uint8_t>(buffer_[2]) << 8) | static_cast<uint8_t>(buffer_[3]);
        if (buffer_.size() < 4 + length) break;
        if (buffer_[1] == 0 && length >= 2 && (static_cast<uint8_t>(buffer_[5]) & 0x80) != 0) {
          ++seen;
        }
        buffer_.erase(0, 4 + length);
      }
      if (!buffer_.empty() && buffer_[0] != '$') return -1;  // not interleaved data
      if (seen < frames && !Receive()) break;
    }
    return seen;
  }

 private:
  bool Receive() {
    const std::string more = socket_.ReceiveSome();
    buffer_ += more;
    return !more.empty();
  }

  onvifgw::testing::LoopbackSocket socket_;
  std::string buffer_;
  int cseq_ = 0;
};

TEST(TestStreamServerTest, APtzCamerasStreamCarriesItsRenderedPicturesWhilePlayed) {
  v1::VideoStream stream;
  stream.set_codec(v1::VIDEO_CODEC_JPEG);
  stream.mutable_resolution()->set_width(160);
  stream.mutable_resolution()->set_height(90);
  stream.set_framerate(25);
  stream.set_quality(50);
  std::atomic<int> rendered{0};
  std::atomic<uint32_t> asked{0};  // width << 16 | height
  auto server = std::make_unique<TestStreamServer>();
  const auto port = server->Start(
      "127.0.0.1", 0,
      [&](const std::string& camera, const std::string& id) -> std::optional<TestStream> {
        if (camera != "ptz" || id != "main") return std::nullopt;
        TestStream test{stream, kRenderedPicture};
        test.render = [&](uint32_t width, uint32_t height) -> std::optional<RgbImage> {
          asked = width << 16 | height;
          ++rendered;
          return RenderFrame(
              {.camera_id = "ptz", .width = width, .height = height, .ptz = PtzPosition{}});
        };
        return test;
      });
  ASSERT_TRUE(port.ok()) << port.error().message;
  const std::string url = "rtsp://127.0.0.1:" + std::to_string(*port) + "/ptz/main";
  // Plays the stream until `frames` frames came, then (with `teardown`) tears it down.
  auto play = [&](RtspPlayer& player, int frames, bool teardown) {
    ASSERT_TRUE(player.connected());
    const std::string sdp = player.Request("DESCRIBE", url, "Accept: application/sdp\r\n");
    ASSERT_EQ(sdp.rfind("RTSP/1.0 200 OK", 0), 0u) << sdp;
    EXPECT_NE(sdp.find("m=video 0 RTP/AVP 26"), std::string::npos) << sdp;
    const std::string setup = player.Request("SETUP", url + "/stream=0",
                                             "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");
    ASSERT_EQ(setup.rfind("RTSP/1.0 200 OK", 0), 0u) << setup;
    const std::size_t at = setup.find("Session: ");
    ASSERT_NE(at, std::string::npos) << setup;
    const std::string session = setup.substr(at + 9, setup.find_first_of(";\r", at) - at - 9);
    const std::string playing = player.Request("PLAY", url, "Session: " + session + "\r\n");
    ASSERT_EQ(playing.rfind("RTSP/1.0 200 OK", 0), 0u) << playing;
    EXPECT_EQ(player.ReceiveFrames(frames, seconds(20)), frames);
    if (teardown) player.Request("TEARDOWN", url, "Session: " + session + "\r\n");
  };
  // Waits until the stream is no longer rendered; false if it still is after a while.
  auto stops_rendering = [&] {
    for (const auto deadline = steady_clock::now() + seconds(10); steady_clock::now() < deadline;) {
      const int before = rendered;
      std::this_thread::sleep_for(milliseconds(300));
      if (rendered == before) return true;
    }
    return false;
  };
  {
    RtspPlayer player(*port);
    play(player, 5, true);
  }
  EXPECT_GE(rendered.load(), 5);
  EXPECT_EQ(asked.load(), 160u << 16 | 90u);
  // Its last client gone, the stream is no longer fed.
  EXPECT_TRUE(stops_rendering());
  // Nor once the server is gone, though a client still plays it.
  RtspPlayer player(*port);
  play(player, 3, false);
  server.reset();
  EXPECT_TRUE(stops_rendering());
}

TEST(SimulatedServiceTest, StreamsAreServedWhereTheConfiguredBaseSays) {
  SimulatedConfig config = ParseOrDie("cameras: [{id: cam-9}]\nrtsp_port: 40000");
  EXPECT_EQ(config.rtsp_port, 40000);
  config.cameras[0].stream_base_uri = "rtsp://127.0.0.1:40000/";
  SimulatedService service(config);
  const auto main = service.VideoStreamOf("cam-9", "main");
  ASSERT_TRUE(main.has_value());
  EXPECT_EQ(main->uri(), "rtsp://127.0.0.1:40000/cam-9/main");
  EXPECT_FALSE(service.VideoStreamOf("cam-9", "nope").has_value());
  EXPECT_FALSE(service.VideoStreamOf("cam-1", "main").has_value());
}

TEST(SimulatedServiceTest, ALegacyCameraStreamsItsPicturesAsMjpegOverHttp) {
  SimulatedConfig config = ParseOrDie(
      "cameras: [{id: old, streaming: mjpeg_http, width: 640, height: 480}]\n"
      "mjpeg_port: 40001");
  EXPECT_EQ(config.mjpeg_port, 40001);
  ASSERT_EQ(config.cameras[0].streaming, Streaming::kMjpegHttp);
  config.cameras[0].mjpeg_base_uri = "http://127.0.0.1:40001/";
  SimulatedService service(config);
  for (const char* id : {"main", "sub"}) {
    const auto stream = service.VideoStreamOf("old", id);
    ASSERT_TRUE(stream.has_value());
    EXPECT_EQ(stream->uri(), std::string("http://127.0.0.1:40001/old/") + id);
    EXPECT_EQ(stream->transport(), v1::STREAM_TRANSPORT_MJPEG_HTTP);
    EXPECT_EQ(stream->codec(), v1::VIDEO_CODEC_JPEG);
    EXPECT_EQ(stream->gop_length(), 0u);
    // JPEG is all it can send.
    ASSERT_EQ(stream->options().codecs_size(), 1);
    EXPECT_EQ(stream->options().codecs(0).codec(), v1::VIDEO_CODEC_JPEG);
  }
  const auto frame = service.RenderStreamFrame("old", "sub");
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->jpeg.substr(0, 2), "\xFF\xD8");
  EXPECT_EQ(frame->framerate, 25);
  EXPECT_FALSE(service.RenderStreamFrame("old", "nope").has_value());
  EXPECT_FALSE(service.RenderStreamFrame("cam-1", "main").has_value());
}

TEST(SimulatedServiceTest, ACameraStreamingFromElsewhereHasThatOneStream) {
  SimulatedConfig config = ParseOrDie(
      "cameras: [{id: far, streaming: mjpeg_http, width: 800, height: 600,"
      " mjpeg_url: 'http://192.0.2.7/video.mjpg'}]");
  SimulatedService service(config);
  const auto main = service.VideoStreamOf("far", "main");
  ASSERT_TRUE(main.has_value());
  EXPECT_EQ(main->uri(), "http://192.0.2.7/video.mjpg");
  EXPECT_EQ(main->transport(), v1::STREAM_TRANSPORT_MJPEG_HTTP);
  EXPECT_EQ(main->codec(), v1::VIDEO_CODEC_JPEG);
  EXPECT_EQ(main->resolution().width(), 800u);
  EXPECT_EQ(main->resolution().height(), 600u);
  EXPECT_FALSE(service.VideoStreamOf("far", "sub").has_value());
  EXPECT_NE(ConfigError("cameras:\n  - id: a\n    mjpeg_url: http://x/\n")
                .find("needs streaming: mjpeg_http"),
            std::string::npos);
  EXPECT_NE(ConfigError("cameras:\n  - id: a\n    streaming: mjpeg_http\n"
                        "    mjpeg_url: rtsp://x/\n")
                .find("must be an http:// URL"),
            std::string::npos);
}

TEST(SimulatedServiceTest, ASnapshotOnlyCameraHasOnePictureStreamWithoutUri) {
  SimulatedConfig config = ParseOrDie("cameras: [{id: still, streaming: snapshot, framerate: 2}]");
  SimulatedService service(config);
  const auto main = service.VideoStreamOf("still", "main");
  ASSERT_TRUE(main.has_value());
  EXPECT_EQ(main->transport(), v1::STREAM_TRANSPORT_SNAPSHOT_ONLY);
  EXPECT_EQ(main->codec(), v1::VIDEO_CODEC_JPEG);
  EXPECT_TRUE(main->uri().empty());
  EXPECT_EQ(main->resolution().width(), 640u);  // the size GetSnapshot renders
  EXPECT_EQ(main->framerate(), 2);
  EXPECT_FALSE(service.VideoStreamOf("still", "sub").has_value());
}

TEST(MjpegHttpServerTest, StreamsOneJpegPartPerFrameAndRefusesUnknownStreams) {
  std::atomic<int> asked{0};
  MjpegHttpServer server;
  auto port = server.Start(
      "127.0.0.1", 0,
      [&](const std::string& camera, const std::string& stream) -> std::optional<MjpegFrame> {
        if (camera != "cam" || stream != "s") return std::nullopt;
        ++asked;
        return MjpegFrame{"\xFF\xD8 frame " + std::to_string(asked.load()) + " \xFF\xD9", 100};
      });
  ASSERT_TRUE(port.ok()) << port.error().message;

  testing::LoopbackSocket stream(*port);
  stream.Send("GET /cam/s HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string got = stream.ReceiveAtLeast(300);
  EXPECT_EQ(got.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << got;
  EXPECT_NE(got.find("Content-Type: multipart/x-mixed-replace; boundary=frame\r\n"),
            std::string::npos);
  // Each part: the boundary, its type and exact length, the JPEG, CRLF.
  EXPECT_NE(got.find("\r\n\r\n--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 13\r\n\r\n"
                     "\xFF\xD8 frame 1 \xFF\xD9\r\n--frame\r\n"),
            std::string::npos)
      << got;
  EXPECT_NE(got.find("\xFF\xD8 frame 2 \xFF\xD9\r\n"), std::string::npos) << got;

  testing::LoopbackSocket unknown(*port);
  unknown.Send("GET /cam/other HTTP/1.1\r\n\r\n");
  EXPECT_EQ(unknown.ReceiveAtLeast(1000).rfind("HTTP/1.0 404 Not Found\r\n", 0), 0u);
}

}  // namespace
}  // namespace onvifgw::simulated
