// AdapterClient against an in-process adapter (a gRPC server on a Unix
// socket): the facts cached by Refresh and served while the adapter is
// gone, an API version it does not speak, calls that outlive the deadline,
// an adapter that is not there, the caches kept up to date by the calls
// that change them, and a FactsChanged event refreshing the cache.

#include "adapters/adapter_client.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>

namespace onvifgw::adapters {
namespace {

using namespace std::chrono_literals;

// What the fake adapter answers; the test changes it between calls.
class FakeAdapter final : public v1::Adapter::Service {
 public:
  std::atomic<uint32_t> api_version{1};
  std::atomic<int> describes{0};
  std::atomic<bool> slow{false};
  std::string model = "Model A";
  // A second camera "cam-2", and whether it refuses to be read (like a camera whose password
  // the adapter has wrong).
  std::atomic<bool> second_camera{false};
  std::atomic<bool> second_refuses{false};

  grpc::Status Describe(grpc::ServerContext*, const v1::DescribeRequest*,
                        v1::DescribeResponse* r) override {
    ++describes;
    r->set_api_version(api_version);
    r->set_adapter_name("fake");
    auto* cam = r->add_cameras();
    cam->set_camera_id("cam-1");
    cam->mutable_capabilities()->set_device_information(true);
    cam->mutable_capabilities()->set_video_sources(true);
    cam->mutable_capabilities()->set_relay_outputs(true);
    if (second_camera) {
      auto* second = r->add_cameras();
      second->set_camera_id("cam-2");
      second->mutable_capabilities()->set_device_information(true);
    }
    return grpc::Status::OK;
  }
  grpc::Status GetDeviceInformation(grpc::ServerContext*, const v1::CameraRef* ref,
                                    v1::DeviceInformation* r) override {
    if (ref->camera_id() == "cam-2" && second_refuses) {
      return {grpc::StatusCode::FAILED_PRECONDITION,
              "camera cam-2 refused the credentials of user 'onvif'"};
    }
    std::lock_guard lock(mu);
    r->set_manufacturer("Fake Optics");
    r->set_model(model);
    return grpc::Status::OK;
  }
  grpc::Status ListVideoSources(grpc::ServerContext*, const v1::CameraRef*,
                                v1::VideoSourceList* r) override {
    auto* s = r->add_sources();
    s->set_source_id("src-1");
    s->add_streams()->set_stream_id("main");
    return grpc::Status::OK;
  }
  grpc::Status ListRelayOutputs(grpc::ServerContext*, const v1::CameraRef*,
                                v1::RelayOutputList* r) override {
    r->add_relays()->set_relay_id("relay-1");
    return grpc::Status::OK;
  }
  grpc::Status Reboot(grpc::ServerContext* ctx, const v1::CameraRef*,
                      v1::RebootResponse* r) override {
    if (slow) {
      // Longer than the client's deadline; ends when the client gives up.
      for (int i = 0; i < 100 && !ctx->IsCancelled(); ++i) std::this_thread::sleep_for(20ms);
    }
    r->set_expected_downtime_seconds(7);
    return grpc::Status::OK;
  }
  grpc::Status ApplyVideoEncoderConfiguration(grpc::ServerContext*,
                                              const v1::ApplyVideoEncoderConfigurationRequest* req,
                                              v1::VideoStream* r) override {
    r->set_stream_id(req->stream_id());
    r->set_bitrate_kbps(req->bitrate_kbps());
    return grpc::Status::OK;
  }
  // Keeps what arrived: the chunks' sizes, the first chunk's header, the image.
  grpc::Status UpgradeFirmware(grpc::ServerContext*, grpc::ServerReader<v1::FirmwareChunk>* reader,
                               v1::FirmwareUpgradeResponse* r) override {
    v1::FirmwareChunk c;
    std::lock_guard lock(mu);
    while (reader->Read(&c)) {
      if (chunk_sizes.empty()) {
        first_camera = c.camera_id();
        first_total = c.total_size();
      } else if (!c.camera_id().empty() || c.total_size() != 0) {
        return {grpc::StatusCode::INVALID_ARGUMENT, "header repeated"};
      }
      chunk_sizes.push_back(c.data().size());
      image += c.data();
    }
    if (image.rfind("GOOD", 0) != 0) return {grpc::StatusCode::INVALID_ARGUMENT, "not an image"};
    r->set_firmware_version("2.0");
    return grpc::Status::OK;
  }
  // Streams `configuration` in 10 KiB chunks; keeps what an import sends.
  grpc::Status ExportConfiguration(grpc::ServerContext*, const v1::CameraRef*,
                                   grpc::ServerWriter<v1::ConfigurationChunk>* writer) override {
    std::string file;
    {
      std::lock_guard lock(mu);
      file = configuration;
    }
    for (std::size_t pos = 0; pos < file.size(); pos += 10 * 1024) {
      v1::ConfigurationChunk c;
      c.set_data(file.substr(pos, 10 * 1024));
      if (!writer->Write(c)) break;
    }
    return grpc::Status::OK;
  }
  grpc::Status ImportConfiguration(grpc::ServerContext*,
                                   grpc::ServerReader<v1::ConfigurationChunk>* reader,
                                   v1::ImportConfigurationResponse*) override {
    v1::ConfigurationChunk c;
    std::string file;
    std::string camera;
    while (reader->Read(&c)) {
      if (file.empty() && camera.empty()) camera = c.camera_id();
      file += c.data();
    }
    std::lock_guard lock(mu);
    imported = camera + ":" + file;
    return grpc::Status::OK;
  }
  std::string configuration;
  std::string imported;

  std::vector<std::size_t> chunk_sizes;
  std::string first_camera;
  uint64_t first_total = 0;
  std::string image;

  grpc::Status StreamEvents(grpc::ServerContext* ctx, const v1::StreamEventsRequest*,
                            grpc::ServerWriter<v1::Event>* writer) override {
    std::unique_lock lock(mu);
    while (!ctx->IsCancelled()) {
      if (!pending.empty()) {
        v1::Event e = pending.front();
        pending.erase(pending.begin());
        lock.unlock();
        writer->Write(e);
        lock.lock();
        continue;
      }
      cv.wait_for(lock, 50ms);
    }
    return grpc::Status::OK;
  }
  void Push(v1::Event e) {
    std::lock_guard lock(mu);
    pending.push_back(std::move(e));
    cv.notify_all();
  }

  std::mutex mu;
  std::condition_variable cv;
  std::vector<v1::Event> pending;
};

class AdapterClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_);
    target_ = "unix:" + (dir_ / "adapter.sock").string();
    StartServer();
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + 1s);
    std::filesystem::remove_all(dir_);
  }
  void StartServer() {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder b;
    b.AddListeningPort(target_, grpc::InsecureServerCredentials());
    b.RegisterService(&fake_);
    server_ = b.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  template <typename Response>
  std::pair<grpc::Status, Response> Wait(std::function<void(CameraAdapter::Done<Response>)> call) {
    std::promise<std::pair<grpc::Status, Response>> p;
    call([&](const grpc::Status& st, const Response& r) { p.set_value({st, r}); });
    auto f = p.get_future();
    EXPECT_EQ(f.wait_for(10s), std::future_status::ready);
    return f.get();
  }

  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("onvifgw-adapter-" + std::to_string(::getpid()));
  std::string target_;
  FakeAdapter fake_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(AdapterClientTest, RefreshCachesTheFactsWhichOutliveTheAdapter) {
  AdapterClient client("fake", target_, 2s);
  EXPECT_EQ(client.facts(), nullptr);  // never reached
  EXPECT_TRUE(client.IsServing(2s));
  ASSERT_TRUE(client.Refresh().ok());
  auto facts = client.facts();
  ASSERT_NE(facts, nullptr);
  const CameraFacts* cam = facts->Camera("cam-1");
  ASSERT_NE(cam, nullptr);
  EXPECT_EQ(cam->information.model(), "Model A");
  EXPECT_EQ(cam->video_sources.sources(0).source_id(), "src-1");
  EXPECT_EQ(cam->relay_outputs.relays(0).relay_id(), "relay-1");

  server_->Shutdown(std::chrono::system_clock::now() + 1s);
  server_.reset();
  // Gone: a refresh fails and the cache stays; calls fail fast.
  EXPECT_FALSE(client.Refresh().ok());
  EXPECT_EQ(client.facts()->Camera("cam-1")->information.model(), "Model A");
  EXPECT_FALSE(client.IsServing(300ms));
  const auto t0 = std::chrono::steady_clock::now();
  auto [st, r] = Wait<v1::RebootResponse>([&](CameraAdapter::Done<v1::RebootResponse> done) {
    client.Reboot("cam-1", std::move(done));
  });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2500ms);
}

TEST_F(AdapterClientTest, ACameraThatCannotBeReadKeepsNeitherTheOthersNorWhatWasKnownAway) {
  fake_.second_camera = true;
  fake_.second_refuses = true;
  AdapterClient client("fake", target_, 2s);
  ASSERT_TRUE(client.Refresh().ok());
  auto facts = client.facts();
  ASSERT_NE(facts->Camera("cam-1"), nullptr);
  EXPECT_EQ(facts->Camera("cam-2"), nullptr);  // Never read.
  ASSERT_EQ(facts->unavailable.size(), 1u);
  EXPECT_EQ(facts->unavailable.at("cam-2"),
            "GetDeviceInformation(cam-2) failed: camera cam-2 refused the credentials of user "
            "'onvif'");

  fake_.second_refuses = false;
  ASSERT_TRUE(client.Refresh().ok());
  facts = client.facts();
  ASSERT_NE(facts->Camera("cam-2"), nullptr);
  EXPECT_TRUE(facts->unavailable.empty());

  // Unreadable again: what was known of it stays, and it is listed as unavailable.
  fake_.second_refuses = true;
  ASSERT_TRUE(client.Refresh().ok());
  facts = client.facts();
  ASSERT_NE(facts->Camera("cam-2"), nullptr);
  EXPECT_EQ(facts->Camera("cam-2")->information.manufacturer(), "Fake Optics");
  EXPECT_EQ(facts->unavailable.count("cam-2"), 1u);
}

TEST_F(AdapterClientTest, AnotherApiVersionIsRefused) {
  fake_.api_version = 2;
  AdapterClient client("fake", target_, 2s);
  auto st = client.Refresh();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().find("API version 2"), std::string::npos) << st.error();
  EXPECT_EQ(client.facts(), nullptr);
}

TEST_F(AdapterClientTest, ACallOutlivingTheDeadlineEndsAtTheDeadline) {
  AdapterClient client("fake", target_, 300ms);
  ASSERT_TRUE(client.Refresh().ok());
  fake_.slow = true;
  const auto t0 = std::chrono::steady_clock::now();
  auto [st, r] = Wait<v1::RebootResponse>([&](CameraAdapter::Done<v1::RebootResponse> done) {
    client.Reboot("cam-1", std::move(done));
  });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 1500ms);
  fake_.slow = false;
  auto [ok, resp] = Wait<v1::RebootResponse>([&](CameraAdapter::Done<v1::RebootResponse> done) {
    client.Reboot("cam-1", std::move(done));
  });
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(resp.expected_downtime_seconds(), 7u);
}

TEST_F(AdapterClientTest, AnAppliedEncoderConfigurationUpdatesTheCacheCopyOnWrite) {
  AdapterClient client("fake", target_, 2s);
  ASSERT_TRUE(client.Refresh().ok());
  auto before = client.facts();
  v1::ApplyVideoEncoderConfigurationRequest req;
  req.set_camera_id("cam-1");
  req.set_source_id("src-1");
  req.set_stream_id("main");
  req.set_bitrate_kbps(2048);
  auto [st, stream] = Wait<v1::VideoStream>([&](CameraAdapter::Done<v1::VideoStream> done) {
    client.ApplyVideoEncoderConfiguration(req, std::move(done));
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(client.facts()->Camera("cam-1")->video_sources.sources(0).streams(0).bitrate_kbps(),
            2048u);
  // A reader holding the old snapshot still sees it unchanged.
  EXPECT_EQ(before->Camera("cam-1")->video_sources.sources(0).streams(0).bitrate_kbps(), 0u);
}

TEST_F(AdapterClientTest, FirmwareTravelsInChunksWithTheHeaderInTheFirst) {
  AdapterClient client("fake", target_, 2s);
  const std::string image = "GOOD" + std::string(150 * 1024, 'i');
  auto [st, r] =
      Wait<v1::FirmwareUpgradeResponse>([&](CameraAdapter::Done<v1::FirmwareUpgradeResponse> done) {
        client.UpgradeFirmware("cam-1", image, std::move(done));
      });
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.firmware_version(), "2.0");
  std::lock_guard lock(fake_.mu);
  EXPECT_EQ(fake_.first_camera, "cam-1");
  EXPECT_EQ(fake_.first_total, image.size());
  EXPECT_EQ(fake_.chunk_sizes, (std::vector<std::size_t>{65536, 65536, image.size() - 131072}));
  EXPECT_EQ(fake_.image, image);
}

TEST_F(AdapterClientTest, ARefusedImageComesBackAsInvalidArgument) {
  AdapterClient client("fake", target_, 2s);
  auto [st, r] =
      Wait<v1::FirmwareUpgradeResponse>([&](CameraAdapter::Done<v1::FirmwareUpgradeResponse> done) {
        client.UpgradeFirmware("cam-1", "BAD", std::move(done));
      });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // An empty image still reaches the adapter, as one empty chunk.
  auto [empty, r2] =
      Wait<v1::FirmwareUpgradeResponse>([&](CameraAdapter::Done<v1::FirmwareUpgradeResponse> done) {
        client.UpgradeFirmware("cam-1", "", std::move(done));
      });
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AdapterClientTest, AConfigurationComesBackWholeUpToItsLimitAndGoesBackInChunks) {
  AdapterClient client("fake", target_, 2s);
  {
    std::lock_guard lock(fake_.mu);
    fake_.configuration = std::string(25 * 1024, 'c');
  }
  auto [st, file] = Wait<std::string>([&](CameraAdapter::Done<std::string> done) {
    client.ExportConfiguration("cam-1", 30 * 1024, std::move(done));
  });
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(file, std::string(25 * 1024, 'c'));
  // Past the limit: refused, whatever arrived is dropped.
  auto [large, none] = Wait<std::string>([&](CameraAdapter::Done<std::string> done) {
    client.ExportConfiguration("cam-1", 20 * 1024, std::move(done));
  });
  EXPECT_EQ(large.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(none.empty());

  const std::string back = std::string(100 * 1024, 'b');
  auto [imported, r] = Wait<v1::ImportConfigurationResponse>(
      [&](CameraAdapter::Done<v1::ImportConfigurationResponse> done) {
        client.ImportConfiguration("cam-1", back, std::move(done));
      });
  ASSERT_TRUE(imported.ok()) << imported.error_message();
  std::lock_guard lock(fake_.mu);
  EXPECT_EQ(fake_.imported, "cam-1:" + back);
}

TEST_F(AdapterClientTest, AFactsChangedEventRefreshesTheCacheBeforeTheSinkSeesIt) {
  AdapterClient client("fake", target_, 2s);
  ASSERT_TRUE(client.Refresh().ok());
  std::promise<std::string> seen;
  std::atomic<bool> once{false};
  client.StartEvents([&](const v1::Event& e) {
    if (e.has_facts_changed() && !once.exchange(true)) {
      seen.set_value(client.facts()->Camera("cam-1")->information.model());
    }
  });
  {
    std::lock_guard lock(fake_.mu);
    fake_.model = "Model B";
  }
  v1::Event e;
  e.set_camera_id("cam-1");
  e.mutable_facts_changed();
  fake_.Push(e);
  auto f = seen.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(f.get(), "Model B");
  client.StopEvents();
}

}  // namespace
}  // namespace onvifgw::adapters
