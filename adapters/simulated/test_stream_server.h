#pragma once
// The simulated camera's real video: an RTSP server on the adapter's machine
// (GStreamer's gst-rtsp-server) serving each stream at /<camera>/<stream> as
// the camera describes it now (codec, resolution, frame rate, bitrate, GOP),
// encoded from a moving test picture (GStreamer's videotestsrc) or from the
// camera's own rendered pictures (a PTZ camera: the view follows the head).
// The gateway's media relay pulls these like any camera's RTSP streams.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "adapter/v1/adapter.pb.h"
#include "adapters/sdk/result.h"
#include "adapters/simulated/frame_renderer.h"

typedef struct _GMainContext GMainContext;
typedef struct _GMainLoop GMainLoop;
typedef struct _GstRTSPServer GstRTSPServer;

namespace onvifgw::simulated {

/// The pattern of a stream that encodes the camera's rendered pictures (RenderFrame) rather than
/// a videotestsrc pattern: the picture of a camera with a PTZ head.
inline constexpr const char* kRenderedPicture = "rendered";

/// The largest picture (in pixels) a rendered stream renders: a larger stream renders at most this
/// many pixels (keeping its aspect ratio) and is scaled up, so that a frame costs at most about
/// what RenderFrame takes at 1280x720.
inline constexpr uint64_t kMaxRenderedPixels = 1280 * 720;

/// The size a rendered stream of `width` x `height` renders its pictures at: the stream's size, or
/// for a larger one, the largest even size of its aspect ratio within kMaxRenderedPixels.
std::pair<uint32_t, uint32_t> RenderedSize(uint32_t width, uint32_t height);

/// A gst-launch description (in parentheses, payloader pay0) encoding a
/// moving test picture (videotestsrc `pattern`: "ball", or "snow", noise that
/// makes the encoder use its whole bitrate) as `stream` describes; nullopt
/// for a codec the simulated camera does not encode. With kRenderedPicture the
/// picture comes from an appsrc named "frames" taking RGB frames at
/// RenderedSize() and the stream's frame rate, converted (and scaled up if
/// needed) to I420 at the stream's size, and H.264 is encoded in one slice
/// per frame (threads=1).
std::optional<std::string> TestStreamPipeline(const onvifgw::adapter::v1::VideoStream& stream,
                                              const std::string& pattern = "ball");

/// The picture of a rendered stream at `width` x `height` as the camera shows it now; nullopt: no
/// picture now (the frame is skipped). Called on a feeding thread of its own per playing stream.
using PictureSource = std::function<std::optional<RgbImage>(uint32_t width, uint32_t height)>;

/// A stream to serve and the test picture to encode in it.
struct TestStream {
  onvifgw::adapter::v1::VideoStream stream;
  /// "ball", "snow" or kRenderedPicture.
  std::string pattern = "ball";
  /// With kRenderedPicture: where the pictures come from.
  PictureSource render{};
};

struct FrameFeeders;

class TestStreamServer {
 public:
  /// The stream `stream_id` of camera `camera_id` as it is now, if any.
  using StreamLookup = std::function<std::optional<TestStream>(const std::string& camera_id,
                                                               const std::string& stream_id)>;

  TestStreamServer();
  ~TestStreamServer();
  TestStreamServer(const TestStreamServer&) = delete;
  TestStreamServer& operator=(const TestStreamServer&) = delete;

  /// Listens on address:port (0: a free port); returns the port. A stream of kRenderedPicture is
  /// fed by a thread of its own at the stream's frame rate from the moment a client asks for it
  /// until its media is unprepared (its last client gone) or the server is destroyed.
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
  // The threads feeding rendered pictures to the streams being played; shared with the media
  // they feed, which may outlive the server.
  std::shared_ptr<FrameFeeders> feeders_;
};

}  // namespace onvifgw::simulated
