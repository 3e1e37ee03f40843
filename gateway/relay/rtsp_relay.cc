#include "relay/rtsp_relay.h"

#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#include <map>
#include <mutex>
#include <utility>

#include "core/log.h"
#include "relay/rtsp_auth.h"
#include "relay/source_pipeline.h"
#include "services/media/relay_source.h"

namespace onvifgw::relay {

// One device's server and the mounts it made.
class DeviceRtspServer {
 public:
  DeviceRtspServer(const services::VirtualDevice& device, GstRTSPServer* server)
      : device_(device), server_(server), mounts_(gst_rtsp_server_get_mount_points(server)) {
    g_signal_connect(server_, "client-connected", G_CALLBACK(OnClientConnected), this);
  }
  ~DeviceRtspServer() {
    if (source_id_ != 0) {
      if (GSource* s = g_main_context_find_source_by_id(context_, source_id_)) g_source_destroy(s);
    }
    g_object_unref(mounts_);
    g_object_unref(server_);
  }
  DeviceRtspServer(const DeviceRtspServer&) = delete;
  DeviceRtspServer& operator=(const DeviceRtspServer&) = delete;

  void Attached(GMainContext* context, guint source_id) {
    context_ = context;
    source_id_ = source_id;
  }

 private:
  static void OnClientConnected(GstRTSPServer*, GstRTSPClient* client, gpointer self) {
    g_signal_connect(client, "pre-describe-request", G_CALLBACK(OnPreDescribe), self);
  }

  static GstRTSPStatusCode OnPreDescribe(GstRTSPClient*, GstRTSPContext* ctx, gpointer self) {
    if (ctx->uri != nullptr && ctx->uri->abspath != nullptr) {
      static_cast<DeviceRtspServer*>(self)->Mount(ctx->uri->abspath);
    }
    return GST_RTSP_STS_OK;
  }

  // Makes `path` serve the stream its profile plays now, or nothing (the
  // client then gets 404 Not Found).
  void Mount(const std::string& path) {
    const auto token = services::media::ProfileTokenOfRelayPath(path);
    Expected<std::string, std::string> launch = MakeUnexpected(std::string("no such profile"));
    if (token) {
      auto source = services::media::RelaySourceOf(device_, *token);
      launch = source ? SourcePipeline(source->stream) : MakeUnexpected(source.error());
    }
    std::lock_guard lock(mu_);
    auto it = mounted_.find(path);
    if (!launch) {
      if (it != mounted_.end()) {
        gst_rtsp_mount_points_remove_factory(mounts_, path.c_str());
        mounted_.erase(it);
      }
      log::WriteAbout(log::Level::kInfo, "relay", device_.config.id,
                      "nothing to play at " + path + ": " + launch.error());
      return;
    }
    if (it != mounted_.end() && it->second == *launch) return;
    GstRTSPMediaFactory* factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(factory, launch->c_str());
    // One pipeline (one upstream pull) for every client of the profile.
    gst_rtsp_media_factory_set_shared(factory, TRUE);
    gst_rtsp_media_factory_set_protocols(
        factory,
        static_cast<GstRTSPLowerTrans>(GST_RTSP_LOWER_TRANS_UDP | GST_RTSP_LOWER_TRANS_TCP));
    gst_rtsp_mount_points_add_factory(mounts_, path.c_str(), factory);  // takes it
    mounted_[path] = *launch;
    log::WriteAbout(log::Level::kInfo, "relay", device_.config.id,
                    "serving " + path + " from " + *launch);
  }

  const services::VirtualDevice& device_;
  GstRTSPServer* server_;
  GstRTSPMountPoints* mounts_;
  GMainContext* context_ = nullptr;
  guint source_id_ = 0;
  std::mutex mu_;
  std::map<std::string, std::string> mounted_;  // path -> launch description
};

RtspRelay::RtspRelay() {
  gst_init(nullptr, nullptr);
  context_ = g_main_context_new();
  loop_ = g_main_loop_new(context_, FALSE);
  thread_ = std::thread([this] {
    g_main_context_push_thread_default(context_);
    g_main_loop_run(loop_);
    g_main_context_pop_thread_default(context_);
  });
}

RtspRelay::~RtspRelay() {
  g_main_loop_quit(loop_);
  thread_.join();
  servers_.clear();
  g_main_loop_unref(loop_);
  g_main_context_unref(context_);
}

Expected<uint16_t, std::string> RtspRelay::Serve(const services::VirtualDevice& device,
                                                 const std::string& address, uint16_t port,
                                                 RtspAdmitter admit) {
  GstRTSPServer* server = gst_rtsp_server_new();
  gst_rtsp_server_set_address(server, address.c_str());
  gst_rtsp_server_set_service(server, std::to_string(port).c_str());
  GstRTSPAuth* auth = NewAdmittingAuth(std::move(admit));
  gst_rtsp_server_set_auth(server, auth);
  g_object_unref(auth);
  auto entry = std::make_unique<DeviceRtspServer>(device, server);
  GError* error = nullptr;
  GSource* source = gst_rtsp_server_create_source(server, nullptr, &error);
  if (source == nullptr) {
    std::string why = error != nullptr ? error->message : "unknown error";
    if (error != nullptr) g_error_free(error);
    return MakeUnexpected("cannot serve RTSP on " + address + ":" + std::to_string(port) + ": " +
                          why);
  }
  const int bound = gst_rtsp_server_get_bound_port(server);
  const guint id = g_source_attach(source, context_);
  g_source_unref(source);
  entry->Attached(context_, id);
  servers_.push_back(std::move(entry));
  return static_cast<uint16_t>(bound);
}

}  // namespace onvifgw::relay
