// onvif-adapter-simulated: a software camera behind the adapter API v1. Needs no hardware.

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "adapters/sdk/run_adapter.h"
#include "adapters/simulated/mjpeg_http_server.h"
#include "adapters/simulated/simulated_config.h"
#include "adapters/simulated/simulated_service.h"
#include "adapters/simulated/test_stream_server.h"

namespace {

using onvifgw::adapter_sdk::Result;

// Serves the cameras' streams for as long as the adapter runs.
std::unique_ptr<onvifgw::simulated::TestStreamServer> stream_server;
std::unique_ptr<onvifgw::simulated::MjpegHttpServer> mjpeg_server;

// The service the stream servers ask, once made, until it is destroyed (the servers live on
// until the process exits, and their threads ask it for pictures): read under a shared lock.
struct ServiceSlot {
  std::shared_mutex mutex;
  onvifgw::simulated::SimulatedService* service = nullptr;  // Guarded by mutex.
};

Result<std::unique_ptr<grpc::Service>> MakeService(const YAML::Node& yaml) {
  auto config = onvifgw::simulated::ParseSimulatedConfig(yaml);
  if (!config) {
    return config.error();
  }
  // The service answers with the streams' URIs, so the server's port comes first; the server
  // asks the service what a stream is when a client wants it.
  auto slot = std::make_shared<ServiceSlot>();
  stream_server = std::make_unique<onvifgw::simulated::TestStreamServer>();
  auto port = stream_server->Start(
      "127.0.0.1", config->rtsp_port,
      [slot](const std::string& camera_id,
             const std::string& stream_id) -> std::optional<onvifgw::simulated::TestStream> {
        std::shared_lock lock(slot->mutex);
        if (slot->service == nullptr) return std::nullopt;
        auto stream = slot->service->VideoStreamOf(camera_id, stream_id);
        if (!stream) return std::nullopt;
        onvifgw::simulated::TestStream test{std::move(*stream),
                                            slot->service->TestPatternOf(camera_id)};
        if (test.pattern == onvifgw::simulated::kRenderedPicture) {
          // A PTZ camera: its streams show what its head sees, rendered on the feeding thread.
          test.render = [slot, camera_id](
                            uint32_t width,
                            uint32_t height) -> std::optional<onvifgw::simulated::RgbImage> {
            std::shared_lock lock(slot->mutex);
            if (slot->service == nullptr) return std::nullopt;
            return slot->service->RenderPicture(camera_id, width, height);
          };
        }
        return test;
      });
  if (!port) {
    return port.error();
  }
  for (auto& camera : config->cameras) {
    camera.stream_base_uri = "rtsp://127.0.0.1:" + std::to_string(*port) + "/";
  }
  // Only when some camera streams like a legacy one: no port is taken otherwise.
  if (std::any_of(config->cameras.begin(), config->cameras.end(), [](const auto& camera) {
        return camera.streaming == onvifgw::simulated::Streaming::kMjpegHttp &&
               camera.mjpeg_url.empty();
      })) {
    mjpeg_server = std::make_unique<onvifgw::simulated::MjpegHttpServer>();
    auto mjpeg_port = mjpeg_server->Start(
        "127.0.0.1", config->mjpeg_port,
        [slot](const std::string& camera_id,
               const std::string& stream_id) -> std::optional<onvifgw::simulated::MjpegFrame> {
          std::shared_lock lock(slot->mutex);
          if (slot->service == nullptr) return std::nullopt;
          return slot->service->RenderStreamFrame(camera_id, stream_id);
        });
    if (!mjpeg_port) {
      return mjpeg_port.error();
    }
    for (auto& camera : config->cameras) {
      camera.mjpeg_base_uri = "http://127.0.0.1:" + std::to_string(*mjpeg_port) + "/";
    }
  }
  auto service = std::make_unique<onvifgw::simulated::SimulatedService>(std::move(config).value());
  service->OnDestroy([slot] {
    std::unique_lock lock(slot->mutex);  // waits for a picture being rendered
    slot->service = nullptr;
  });
  {
    std::unique_lock lock(slot->mutex);
    slot->service = service.get();
  }
  return std::unique_ptr<grpc::Service>(std::move(service));
}

}  // namespace

int main(int argc, char** argv) {
  return onvifgw::adapter_sdk::RunAdapter(argc, argv, MakeService);
}
