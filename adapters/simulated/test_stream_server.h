#pragma once
// The simulated camera's real video: an RTSP server on the adapter's machine
// (GStreamer's gst-rtsp-server) serving each stream at /<camera>/<stream> as
// the camera describes it now (codec, resolution, frame rate, bitrate, GOP),
// encoded from a moving test picture. The gateway's media relay pulls these
// like any camera's RTSP streams.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "adapter/v1/adapter.pb.h"
#include "adapters/sdk/result.h"

typedef struct _GMainContext GMainContext;
typedef struct _GMainLoop GMainLoop;
typedef struct _GstRTSPServer GstRTSPServer;

namespace onvifgw::simulated {

/// A gst-launch description (in parentheses, payloader pay0) encoding a
/// moving test picture (videotestsrc `pattern`: "ball", or "snow", noise that
/// makes the encoder use its whole bitrate) as `stream` describes; nullopt
/// for a codec the simulated camera does not encode.
std::optional<std::string> TestStreamPipeline(const onvifgw::adapter::v1::VideoStream& stream,
                                              const std::string& pattern = "ball");

/// A stream to serve and the test picture to encode in it.
struct TestStream {
  onvifgw::adapter::v1::VideoStream stream;
  std::string pattern = "ball";
};

class TestStreamServer {
 public:
  /// The stream `stream_id` of camera `camera_id` as it is now, if any.
  using StreamLookup = std::function<std::optional<TestStream>(const std::string& camera_id,
                                                               const std::string& stream_id)>;

  TestStreamServer();
  ~TestStreamServer();
  TestStreamServer(const TestStreamServer&) = delete;
  TestStreamServer& operator=(const TestStreamServer&) = delete;

  /// Listens on address:port (0: a free port); returns the port.
  adapter_sdk::Result<uint16_t> Start(const std::string& address, uint16_t port,
                                      StreamLookup lookup);

 private:
  void Mount(const std::string& path);

  GMainContext* context_ = nullptr;
  GMainLoop* loop_ = nullptr;
  GstRTSPServer* server_ = nullptr;
  std::thread thread_;
  StreamLookup lookup_;
  std::mutex mu_;
  std::map<std::string, std::string> mounted_;  // path -> launch description
};

}  // namespace onvifgw::simulated
