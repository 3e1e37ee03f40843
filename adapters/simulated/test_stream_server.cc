#include "adapters/simulated/test_stream_server.h"

#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#include <algorithm>
#include <cmath>

#include "adapters/sdk/logger.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;

std::string RawCaps(const v1::VideoStream& stream) {
  const double fps = std::clamp<double>(stream.framerate(), 1, 120);
  return "video/x-raw,width=" + std::to_string(stream.resolution().width()) +
         ",height=" + std::to_string(stream.resolution().height()) +
         ",framerate=" + std::to_string(std::lround(fps * 1000)) + "/1000";
}

std::string H264Profile(const std::string& profile) {
  if (profile == "Baseline") return "constrained-baseline";
  if (profile == "High") return "high";
  return "main";  // Main, and Extended (which x264 does not encode)
}

}  // namespace

std::optional<std::string> TestStreamPipeline(const v1::VideoStream& stream,
                                              const std::string& pattern) {
  if (stream.resolution().width() == 0 || stream.resolution().height() == 0) return std::nullopt;
  if (pattern != "ball" && pattern != "snow") return std::nullopt;
  const std::string source =
      "videotestsrc is-live=true pattern=" + pattern + " ! " + RawCaps(stream);
  const uint32_t kbps = std::max<uint32_t>(stream.bitrate_kbps(), 64);
  const uint32_t gop = std::max<uint32_t>(stream.gop_length(), 1);
  switch (stream.codec()) {
    case v1::VIDEO_CODEC_H264:
      return "( " + source +
             " ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=" + std::to_string(kbps) +
             " key-int-max=" + std::to_string(gop) +
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

TestStreamServer::TestStreamServer() {
  gst_init(nullptr, nullptr);
  context_ = g_main_context_new();
  loop_ = g_main_loop_new(context_, FALSE);
}

TestStreamServer::~TestStreamServer() {
  if (thread_.joinable()) {
    g_main_loop_quit(loop_);
    thread_.join();
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
  const auto launch = stream ? TestStreamPipeline(stream->stream, stream->pattern) : std::nullopt;
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
    gst_rtsp_mount_points_add_factory(mounts, path.c_str(), factory);
    mounted_[path] = *launch;
    adapter_sdk::LogInfo("serving rtsp ", path, " as ", *launch);
  }
  g_object_unref(mounts);
}

}  // namespace onvifgw::simulated
