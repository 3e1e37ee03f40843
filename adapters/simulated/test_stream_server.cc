#include "adapters/simulated/test_stream_server.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <set>

#include "adapters/sdk/logger.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;

double FrameRate(const v1::VideoStream& stream) {
  return std::clamp<double>(stream.framerate(), 1, 120);
}

std::string RawCaps(const v1::VideoStream& stream) {
  return "video/x-raw,width=" + std::to_string(stream.resolution().width()) +
         ",height=" + std::to_string(stream.resolution().height()) +
         ",framerate=" + std::to_string(std::lround(FrameRate(stream) * 1000)) + "/1000";
}

// The source of a rendered stream: RGB frames pushed into an appsrc (timestamped as they leave
// it), converted to what the encoders take, and scaled up when rendered smaller than the stream.
std::string RenderedSource(const v1::VideoStream& stream) {
  const uint32_t width = stream.resolution().width();
  const uint32_t height = stream.resolution().height();
  const auto [render_width, render_height] = RenderedSize(width, height);
  std::string source(
      "appsrc name=frames is-live=true format=time do-timestamp=true "
      "caps=\"video/x-raw,format=RGB,width=");
  source += std::to_string(render_width);
  source += ",height=";
  source += std::to_string(render_height);
  source += ",framerate=";
  source += std::to_string(std::lround(FrameRate(stream) * 1000));
  source += "/1000\" ! videoconvert";
  if (render_width != width || render_height != height) source += " ! videoscale";
  source += " ! video/x-raw,format=I420,width=";
  source += std::to_string(width);
  source += ",height=";
  source += std::to_string(height);
  return source;
}

std::string H264Profile(const std::string& profile) {
  if (profile == "Baseline") return "constrained-baseline";
  if (profile == "High") return "high";
  return "main";  // Main, and Extended (which x264 does not encode)
}

constexpr const char* kFeederKey = "onvifgw-frame-feeder";

}  // namespace

class FrameFeeder;

// The feeding threads alive, so that the server can stop those its media outlive.
struct FrameFeeders {
  std::mutex mu;
  bool closed = false;          // Guarded by mu: the server is going, start no more.
  std::set<FrameFeeder*> live;  // Guarded by mu.
};

// Pushes the camera's pictures into the appsrc of one prepared media (a stream being played) at
// the stream's frame rate, on a thread of its own, from construction until Stop() or
// destruction. Holds a reference to the appsrc, so it never outlives what it feeds.
class FrameFeeder {
 public:
  FrameFeeder(std::shared_ptr<FrameFeeders> feeders, GstElement* appsrc, PictureSource render,
              uint32_t width, uint32_t height, double fps, std::string path)
      : feeders_(std::move(feeders)),
        appsrc_(appsrc),
        render_(std::move(render)),
        width_(width),
        height_(height),
        period_(static_cast<int64_t>(1e9 / fps)),
        path_(std::move(path)) {
    std::lock_guard lock(feeders_->mu);
    if (feeders_->closed) return;
    feeders_->live.insert(this);
    thread_ = std::thread([this] { Run(); });
    adapter_sdk::LogInfo("rtsp ", path_, ": feeding rendered pictures at ", width_, "x", height_);
  }

  ~FrameFeeder() {
    {
      std::lock_guard lock(feeders_->mu);
      feeders_->live.erase(this);
    }
    Stop();
    gst_object_unref(appsrc_);
  }

  FrameFeeder(const FrameFeeder&) = delete;
  FrameFeeder& operator=(const FrameFeeder&) = delete;

  // Stops feeding and waits for the thread: at most one frame's rendering. Idempotent.
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    std::lock_guard lock(join_mu_);
    if (thread_.joinable()) {
      thread_.join();
      adapter_sdk::LogInfo("rtsp ", path_, ": stopped feeding rendered pictures");
    }
  }

 private:
  // On a schedule (not sleep-after-push), so rendering time does not slow the stream down; a
  // feeder that falls behind skips ahead rather than bursting.
  void Run() {
    auto next = std::chrono::steady_clock::now();
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      FeedOne();
      lock.lock();
      next += period_;
      const auto now = std::chrono::steady_clock::now();
      if (next < now) next = now;
      wake_.wait_until(lock, next, [this] { return stopping_; });
    }
  }

  void FeedOne() {
    GstAppSrc* src = GST_APP_SRC(appsrc_);
    const std::size_t row = std::size_t{width_} * 3;
    // GStreamer's RGB rows start on 4-byte boundaries.
    const std::size_t stride = (row + 3) & ~std::size_t{3};
    const std::size_t frame_bytes = stride * height_;
    // Two frames waiting: the pipeline is not pulling (paused) or is behind; render nothing.
    if (gst_app_src_get_current_level_bytes(src) >= 2 * frame_bytes) return;
    std::optional<RgbImage> image = render_(width_, height_);
    if (!image || image->width != width_ || image->height != height_ ||
        image->pixels.size() != row * height_) {
      return;
    }
    GstBuffer* buffer = nullptr;
    if (stride == row) {
      // Hands the pixels over without copying them.
      auto* pixels = new std::vector<uint8_t>(std::move(image->pixels));
      buffer = gst_buffer_new_wrapped_full(
          GST_MEMORY_FLAG_READONLY, pixels->data(), pixels->size(), 0, pixels->size(), pixels,
          [](gpointer p) { delete static_cast<std::vector<uint8_t>*>(p); });
    } else {
      buffer = gst_buffer_new_allocate(nullptr, frame_bytes, nullptr);
      GstMapInfo map;
      if (!gst_buffer_map(buffer, &map, GST_MAP_WRITE)) {
        gst_buffer_unref(buffer);
        return;
      }
      for (uint32_t y = 0; y < height_; ++y) {
        std::copy_n(image->pixels.data() + y * row, row, map.data + y * stride);
        std::fill_n(map.data + y * stride + row, stride - row, uint8_t{0});
      }
      gst_buffer_unmap(buffer, &map);
    }
    GST_BUFFER_DURATION(buffer) = static_cast<GstClockTime>(period_.count());
    // Takes the buffer; while the media is not playing (flushing) it is dropped.
    gst_app_src_push_buffer(src, buffer);
  }

  const std::shared_ptr<FrameFeeders> feeders_;
  GstElement* const appsrc_;
  const PictureSource render_;
  const uint32_t width_;
  const uint32_t height_;
  const std::chrono::nanoseconds period_;
  const std::string path_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // Guarded by mu_.
  std::mutex join_mu_;     // Serialises Stop()'s join.
  std::thread thread_;
};

namespace {

// What a rendered stream's factory needs to feed each media it makes.
struct RenderedMount {
  std::shared_ptr<FrameFeeders> feeders;
  PictureSource render;
  uint32_t width;
  uint32_t height;
  double fps;
  std::string path;
};

// The factory made a new media (on the server's main loop, for a client's DESCRIBE when no media
// of the stream is playing): feed its appsrc until it is unprepared or finalized.
void OnMediaConfigure(GstRTSPMediaFactory*, GstRTSPMedia* media, gpointer data) {
  const auto& mount = *static_cast<const RenderedMount*>(data);
  GstElement* element = gst_rtsp_media_get_element(media);
  if (element == nullptr) return;
  GstElement* appsrc = gst_bin_get_by_name(GST_BIN(element), "frames");
  gst_object_unref(element);
  if (appsrc == nullptr) return;
  auto* feeder = new FrameFeeder(mount.feeders, appsrc, mount.render, mount.width, mount.height,
                                 mount.fps, mount.path);
  // The media owns the feeder: dropped when unprepared (below) or at the latest when finalized.
  g_object_set_data_full(G_OBJECT(media), kFeederKey, feeder,
                         [](gpointer f) { delete static_cast<FrameFeeder*>(f); });
  g_signal_connect(media, "unprepared", G_CALLBACK(+[](GstRTSPMedia* m, gpointer) {
                     g_object_set_data(G_OBJECT(m), kFeederKey, nullptr);
                   }),
                   nullptr);
}

}  // namespace

std::pair<uint32_t, uint32_t> RenderedSize(uint32_t width, uint32_t height) {
  const uint64_t pixels = uint64_t{width} * height;
  if (pixels <= kMaxRenderedPixels) return {width, height};
  const double scale = std::sqrt(static_cast<double>(kMaxRenderedPixels) / pixels);
  auto even = [scale](uint32_t size) {
    // (The epsilon keeps exact ratios exact: 1920x1080 renders at 1280x720.)
    return std::max<uint32_t>(2, static_cast<uint32_t>(size * scale + 1e-6) & ~1U);
  };
  return {even(width), even(height)};
}

std::optional<std::string> TestStreamPipeline(const v1::VideoStream& stream,
                                              const std::string& pattern) {
  if (stream.resolution().width() == 0 || stream.resolution().height() == 0) return std::nullopt;
  std::string source;
  if (pattern == kRenderedPicture) {
    source = RenderedSource(stream);
  } else if (pattern == "ball" || pattern == "snow") {
    source = "videotestsrc is-live=true pattern=" + pattern + " ! " + RawCaps(stream);
  } else {
    return std::nullopt;
  }
  const uint32_t kbps = std::max<uint32_t>(stream.bitrate_kbps(), 64);
  const uint32_t gop = std::max<uint32_t>(stream.gop_length(), 1);
  switch (stream.codec()) {
    case v1::VIDEO_CODEC_H264:
      // The rendered picture is encoded in one slice per frame (one thread): with x264's sliced
      // threads a key frame has several, and payloaders with config-interval=-1 (this one, the
      // gateway relay's) put SPS and PPS before each of them, which decoders such as FFmpeg take
      // for the start of a new frame; they then conceal half of every key frame (invisible on a
      // test pattern, plain on the rendered scene).
      return "( " + source +
             " ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=" + std::to_string(kbps) +
             " key-int-max=" + std::to_string(gop) +
             (pattern == kRenderedPicture ? " threads=1" : "") +
             " ! video/x-h264,profile=" + H264Profile(stream.codec_profile()) +
             " ! rtph264pay name=pay0 pt=96 config-interval=-1 )";
    case v1::VIDEO_CODEC_H265:
      return "( " + source +
             " ! x265enc tune=zerolatency speed-preset=ultrafast bitrate=" + std::to_string(kbps) +
             " key-int-max=" + std::to_string(gop) +
             " ! rtph265pay name=pay0 pt=96 config-interval=-1 )";
    case v1::VIDEO_CODEC_JPEG: {
      const long quality = std::clamp<long>(std::lround(stream.quality()), 1, 100);
      return "( " + source + " ! jpegenc quality=" + std::to_string(quality) +
             " ! rtpjpegpay name=pay0 pt=26 )";
    }
    default:
      return std::nullopt;
  }
}

TestStreamServer::TestStreamServer() : feeders_(std::make_shared<FrameFeeders>()) {
  gst_init(nullptr, nullptr);
  context_ = g_main_context_new();
  loop_ = g_main_loop_new(context_, FALSE);
}

TestStreamServer::~TestStreamServer() {
  if (thread_.joinable()) {
    g_main_loop_quit(loop_);
    thread_.join();
  }
  {
    // Media still held by sessions or clients outlive the server: stop feeding them now.
    std::lock_guard lock(feeders_->mu);
    feeders_->closed = true;
    for (FrameFeeder* feeder : feeders_->live) feeder->Stop();
  }
  if (server_ != nullptr) g_object_unref(server_);
  g_main_loop_unref(loop_);
  g_main_context_unref(context_);
}

adapter_sdk::Result<uint16_t> TestStreamServer::Start(const std::string& address, uint16_t port,
                                                      StreamLookup lookup) {
  lookup_ = std::move(lookup);
  server_ = gst_rtsp_server_new();
  gst_rtsp_server_set_address(server_, address.c_str());
  gst_rtsp_server_set_service(server_, std::to_string(port).c_str());
  // Each DESCRIBE mounts the stream as the camera encodes it now.
  g_signal_connect(server_, "client-connected",
                   G_CALLBACK(+[](GstRTSPServer*, GstRTSPClient* client, gpointer self) {
                     // One line per connection: tests count the upstream pulls by it.
                     GstRTSPConnection* conn = gst_rtsp_client_get_connection(client);
                     const gchar* ip = conn != nullptr ? gst_rtsp_connection_get_ip(conn) : nullptr;
                     adapter_sdk::LogInfo("rtsp client connected from ", ip != nullptr ? ip : "?");
                     g_signal_connect(client, "closed", G_CALLBACK(+[](GstRTSPClient*, gpointer) {
                                        adapter_sdk::LogInfo("rtsp client disconnected");
                                      }),
                                      nullptr);
                     g_signal_connect(
                         client, "pre-describe-request",
                         G_CALLBACK(+[](GstRTSPClient*, GstRTSPContext* ctx, gpointer server) {
                           if (ctx->uri != nullptr && ctx->uri->abspath != nullptr) {
                             static_cast<TestStreamServer*>(server)->Mount(ctx->uri->abspath);
                           }
                           return GST_RTSP_STS_OK;
                         }),
                         self);
                   }),
                   this);
  GError* error = nullptr;
  GSource* source = gst_rtsp_server_create_source(server_, nullptr, &error);
  if (source == nullptr) {
    std::string why = error != nullptr ? error->message : "unknown error";
    if (error != nullptr) g_error_free(error);
    return adapter_sdk::Error{"cannot serve RTSP on " + address + ":" + std::to_string(port) +
                              ": " + why};
  }
  const int bound = gst_rtsp_server_get_bound_port(server_);
  g_source_attach(source, context_);
  g_source_unref(source);
  thread_ = std::thread([this] {
    g_main_context_push_thread_default(context_);
    g_main_loop_run(loop_);
    g_main_context_pop_thread_default(context_);
  });
  return static_cast<uint16_t>(bound);
}

void TestStreamServer::Mount(const std::string& path) {
  // "/<camera>/<stream>"
  const std::size_t slash = path.find('/', 1);
  if (path.size() < 2 || path[0] != '/' || slash == std::string::npos) return;
  const auto stream = lookup_(path.substr(1, slash - 1), path.substr(slash + 1));
  // A rendered stream with nothing to render would never start: not served.
  const bool rendered = stream && stream->pattern == kRenderedPicture;
  const auto launch = stream && (!rendered || stream->render)
                          ? TestStreamPipeline(stream->stream, stream->pattern)
                          : std::nullopt;
  GstRTSPMountPoints* mounts = gst_rtsp_server_get_mount_points(server_);
  std::lock_guard lock(mu_);
  auto it = mounted_.find(path);
  if (!launch) {
    if (it != mounted_.end()) {
      gst_rtsp_mount_points_remove_factory(mounts, path.c_str());
      mounted_.erase(it);
    }
  } else if (it == mounted_.end() || it->second != *launch) {
    GstRTSPMediaFactory* factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(factory, launch->c_str());
    gst_rtsp_media_factory_set_shared(factory, TRUE);
    if (rendered) {
      const auto [width, height] =
          RenderedSize(stream->stream.resolution().width(), stream->stream.resolution().height());
      g_signal_connect_data(
          factory, "media-configure", G_CALLBACK(OnMediaConfigure),
          new RenderedMount{feeders_, stream->render, width, height, FrameRate(stream->stream),
                            path},
          [](gpointer data, GClosure*) { delete static_cast<RenderedMount*>(data); },
          GConnectFlags{});
    }
    gst_rtsp_mount_points_add_factory(mounts, path.c_str(), factory);
    mounted_[path] = *launch;
    adapter_sdk::LogInfo("serving rtsp ", path, " as ", *launch);
  }
  g_object_unref(mounts);
}

}  // namespace onvifgw::simulated
