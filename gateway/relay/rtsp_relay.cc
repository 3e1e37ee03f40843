#include "relay/rtsp_relay.h"

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <utility>

#include "core/log.h"
#include "relay/client_socket.h"
#include "relay/lingering_media.h"
#include "relay/reconnecting_media.h"
#include "relay/relay_media_factory.h"
#include "relay/rtsp_auth.h"
#include "relay/snapshot_feeder.h"
#include "relay/source_pipeline.h"
#include "services/media/relay_source.h"

namespace onvifgw::relay {

// How often each client's connection is looked at (client_socket.h).
constexpr guint kClientSampleIntervalMs = 1000;

// One device's server and the mounts it made.
class DeviceRtspServer : public services::RtspEndpoint {
 public:
  DeviceRtspServer(const services::VirtualDevice& device, GstRTSPServer* server)
      : device_(device), server_(server), mounts_(gst_rtsp_server_get_mount_points(server)) {
    g_signal_connect(server_, "client-connected", G_CALLBACK(OnClientConnected), this);
  }
  ~DeviceRtspServer() override {
    if (source_id_ != 0) {
      if (GSource* s = g_main_context_find_source_by_id(context_, source_id_)) g_source_destroy(s);
    }
    if (sampler_ != nullptr) {
      g_source_destroy(sampler_);
      g_source_unref(sampler_);
    }
    std::lock_guard lock(clients_mu_);
    for (const auto& [client, progress] : clients_) {
      g_object_weak_unref(G_OBJECT(client), OnClientFreed, this);
    }
    g_object_unref(mounts_);
    g_object_unref(server_);
  }
  DeviceRtspServer(const DeviceRtspServer&) = delete;
  DeviceRtspServer& operator=(const DeviceRtspServer&) = delete;

  void Attached(GMainContext* context, guint source_id, uint16_t port) {
    context_ = context;
    source_id_ = source_id;
    port_ = port;
    sampler_ = g_timeout_source_new(kClientSampleIntervalMs);
    g_source_set_callback(sampler_, SampleClients, this, nullptr);
    g_source_attach(sampler_, context_);
  }

  uint16_t port() const override { return port_.load(); }

  // A new listening socket on `port`, then the old one closed; clients keep
  // their connections. Done on the relay's thread, which owns the sources.
  Status<std::string> MoveTo(uint16_t port) override {
    auto done = std::make_shared<std::promise<Status<std::string>>>();
    auto result = done->get_future();
    struct Move {
      DeviceRtspServer* self;
      uint16_t port;
      std::shared_ptr<std::promise<Status<std::string>>> done;
    };
    GSource* idle = g_idle_source_new();
    g_source_set_callback(
        idle,
        [](gpointer data) -> gboolean {
          auto* m = static_cast<Move*>(data);
          m->done->set_value(m->self->MoveOnRelayThread(m->port));
          return G_SOURCE_REMOVE;
        },
        new Move{this, port, done}, [](gpointer data) { delete static_cast<Move*>(data); });
    g_source_attach(idle, context_);
    g_source_unref(idle);
    if (result.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
      return MakeUnexpected(std::string("the relay did not answer"));
    }
    return result.get();
  }

  const services::VirtualDevice& device() const { return device_; }
  /// Clients connected now (RTSP and tunnelled).
  std::size_t client_count() {
    std::lock_guard lock(clients_mu_);
    return clients_.size();
  }

  /// Serves an RTSP-over-HTTP tunnel half; on the relay's thread (the
  /// server attaches the client to that thread's default context).
  void AdoptTunnel(int fd, const std::string& received, const std::string& ip, uint16_t port) {
    GError* error = nullptr;
    GSocket* socket = g_socket_new_from_fd(fd, &error);
    if (socket == nullptr) {
      log::WriteAbout(log::Level::kWarn, "relay", device_.config.id,
                      std::string("cannot take an RTSP-over-HTTP connection: ") +
                          (error != nullptr ? error->message : "unknown error"));
      if (error != nullptr) g_error_free(error);
      ::close(fd);
      return;
    }
    // Takes the socket, closing it if the request is not a tunnel after all.
    if (!gst_rtsp_server_transfer_connection(server_, socket, ip.c_str(), port, received.c_str())) {
      log::WriteAbout(log::Level::kInfo, "relay", device_.config.id,
                      "refused an RTSP-over-HTTP connection from " + ip);
    }
  }

 private:
  // What a mount plays: enough to find its camera connection again.
  struct MountedStream {
    DeviceRtspServer* server = nullptr;
    unsigned generation = 0;  // of the factory that plays it
    const services::VirtualDevice* device = nullptr;
    std::string token;
    std::string path;
    std::string downstream;  // the launch without its upstream element
    // A snapshot-only camera's pictures: whose, and how many a second.
    bool pictures = false;
    std::string camera_id;
    std::string source_id;
    double framerate = 0;
  };

  // The launch description without the element that connects to the camera.
  static std::string Downstream(std::string launch, const std::string& upstream) {
    const auto at = launch.find(upstream);
    return at == std::string::npos ? launch : launch.erase(at, upstream.size());
  }

  // The upstream element to reconnect with: the profile's stream as it is
  // now, provided the rest of the pipeline would still be the same (a new
  // camera address or port is fine, another codec or transport is not).
  static Expected<std::string, std::string> ResumeUpstream(const MountedStream& m) {
    auto source = services::media::RelaySourceOf(*m.device, m.token);
    if (!source) return MakeUnexpected(source.error());
    auto upstream = UpstreamElement(source->stream);
    if (!upstream) return MakeUnexpected(upstream.error());
    auto launch = SourcePipeline(source->stream, source->encode_h264);
    if (!launch) return MakeUnexpected(launch.error());
    if (Downstream(*launch, *upstream) != m.downstream) {
      return MakeUnexpected(std::string("the stream's codec, transport or encoding changed"));
    }
    return *upstream;
  }

  static void OnMediaConfigure(GstRTSPMediaFactory*, GstRTSPMedia* media, gpointer data) {
    const auto* m = static_cast<const MountedStream*>(data);
    const std::string label = "device " + m->device->config.id + " " + m->path;
    LingerAfterLastClient(
        media, m->device->config.stream_linger, m->server->context_,
        [server = m->server, path = m->path, generation = m->generation] {
          server->Retire(path, generation);
        },
        label);
    if (m->pictures) {
      FeedSnapshots(media, m->server->context_, *m->device, m->camera_id, m->source_id,
                    m->framerate, label);
      return;
    }
    ArmReconnect(
        media, [m = *m] { return ResumeUpstream(m); }, label);
  }

  // Makes the media that `generation`'s factory made for `path` unreachable
  // to new clients (a lingering media about to be given up): the path gets
  // a fresh factory of the same stream, whose cache is empty. Nothing if
  // the path was remade since.
  void Retire(const std::string& path, unsigned generation) {
    std::lock_guard lock(mu_);
    auto it = mounted_.find(path);
    if (it == mounted_.end() || it->second.stream.generation != generation) return;
    AddFactory(path, it->second.launch, it->second.stream);
  }

  Status<std::string> MoveOnRelayThread(uint16_t port) {
    const uint16_t old = port_.load();
    gst_rtsp_server_set_service(server_, std::to_string(port).c_str());
    GError* error = nullptr;
    GSource* source = gst_rtsp_server_create_source(server_, nullptr, &error);
    if (source == nullptr) {
      gst_rtsp_server_set_service(server_, std::to_string(old).c_str());
      std::string why = error != nullptr ? error->message : "unknown error";
      if (error != nullptr) g_error_free(error);
      return MakeUnexpected("cannot serve RTSP on port " + std::to_string(port) + ": " + why);
    }
    if (GSource* previous = g_main_context_find_source_by_id(context_, source_id_)) {
      g_source_destroy(previous);  // closes the old listening socket
    }
    source_id_ = g_source_attach(source, context_);
    g_source_unref(source);
    port_ = port;
    return {};
  }

  static void OnClientConnected(GstRTSPServer*, GstRTSPClient* client, gpointer data) {
    auto* self = static_cast<DeviceRtspServer*>(data);
    g_signal_connect(client, "pre-describe-request", G_CALLBACK(OnPreDescribe), self);
    GstRTSPConnection* conn = gst_rtsp_client_get_connection(client);
    GSocket* socket = conn != nullptr ? gst_rtsp_connection_get_write_socket(conn) : nullptr;
    if (socket == nullptr) return;
    // A client that stops reading must not hold up the others.
    LimitUnacknowledgedTime(g_socket_get_fd(socket));
    {
      std::lock_guard lock(self->clients_mu_);
      self->clients_[client] =
          std::make_unique<ClientProgress>(g_socket_get_fd(socket), ClientProgress::Clock::now());
    }
    g_signal_connect(client, "closed", G_CALLBACK(OnClientClosed), self);
    // A client whose sessions outlive its connection (RTP over UDP) is not
    // reported closed: forgotten when it is freed.
    g_object_weak_ref(G_OBJECT(client), OnClientFreed, self);
  }

  static void OnClientFreed(gpointer data, GObject* client) {
    auto* self = static_cast<DeviceRtspServer*>(data);
    std::lock_guard lock(self->clients_mu_);
    self->clients_.erase(reinterpret_cast<GstRTSPClient*>(client));
  }

  // Every second, on the relay's thread: how each client's connection moves.
  static gboolean SampleClients(gpointer data) {
    auto* self = static_cast<DeviceRtspServer*>(data);
    const auto now = ClientProgress::Clock::now();
    std::lock_guard lock(self->clients_mu_);
    for (auto& [client, progress] : self->clients_) progress->Sample(now);
    return G_SOURCE_CONTINUE;
  }

  // Counts and logs the clients cut off for not reading (client_socket.h).
  static void OnClientClosed(GstRTSPClient* client, gpointer data) {
    auto* self = static_cast<DeviceRtspServer*>(data);
    std::unique_ptr<ClientProgress> progress;
    {
      std::lock_guard lock(self->clients_mu_);
      auto it = self->clients_.find(client);
      if (it == self->clients_.end()) return;
      progress = std::move(it->second);
      self->clients_.erase(it);
    }
    g_object_weak_unref(G_OBJECT(client), OnClientFreed, self);
    const auto now = ClientProgress::Clock::now();
    progress->Sample(now);
    if (!progress->Stalled(now)) return;
    GstRTSPConnection* conn = gst_rtsp_client_get_connection(client);
    const gchar* ip = conn != nullptr ? gst_rtsp_connection_get_ip(conn) : nullptr;
    const auto dropped = ++self->dropped_clients_;
    log::WriteAbout(log::Level::kWarn, "relay", self->device_.config.id,
                    std::string("dropped the client at ") + (ip != nullptr ? ip : "?") +
                        ": it took no data for " + std::to_string(kStalledClientTimeout.count()) +
                        " ms (" + std::to_string(dropped) + " dropped so far)");
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
    MountedStream mounted;
    mounted.device = &device_;
    mounted.token = token.value_or("");
    mounted.path = path;
    if (token) {
      auto source = services::media::RelaySourceOf(device_, *token);
      launch = source ? SourcePipeline(source->stream, source->encode_h264)
                      : MakeUnexpected(source.error());
      if (launch) {
        // SourcePipeline made an upstream element: UpstreamElement does too.
        mounted.downstream = Downstream(*launch, *UpstreamElement(source->stream));
        mounted.pictures =
            source->stream.transport() == adapter::v1::STREAM_TRANSPORT_SNAPSHOT_ONLY;
        mounted.camera_id = source->camera_id;
        mounted.source_id = source->source_id;
        mounted.framerate = source->stream.framerate();
      }
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
    if (it != mounted_.end() && it->second.launch == *launch) return;
    AddFactory(path, *launch, std::move(mounted));
    log::WriteAbout(log::Level::kInfo, "relay", device_.config.id,
                    "serving " + path + " from " + *launch);
  }

  // Mounts a new factory of `launch` at `path`, replacing the one there.
  // With mu_ held.
  void AddFactory(const std::string& path, const std::string& launch, MountedStream stream) {
    stream.server = this;
    stream.generation = ++generations_;
    GstRTSPMediaFactory* factory = NewRelayMediaFactory();
    gst_rtsp_media_factory_set_launch(factory, launch.c_str());
    // A lost camera connection is made again while the clients stay.
    gst_rtsp_media_factory_set_media_gtype(factory, ReconnectingMediaType());
    g_signal_connect_data(
        factory, "media-configure", G_CALLBACK(OnMediaConfigure), new MountedStream(stream),
        [](gpointer data, GClosure*) { delete static_cast<MountedStream*>(data); },
        GConnectFlags{});
    // One pipeline (one upstream pull) for every client of the profile.
    gst_rtsp_media_factory_set_shared(factory, TRUE);
    gst_rtsp_media_factory_set_protocols(
        factory,
        static_cast<GstRTSPLowerTrans>(GST_RTSP_LOWER_TRANS_UDP | GST_RTSP_LOWER_TRANS_TCP));
    gst_rtsp_mount_points_add_factory(mounts_, path.c_str(), factory);  // takes it
    mounted_[path] = Mounted{launch, std::move(stream)};
  }

  const services::VirtualDevice& device_;
  GstRTSPServer* server_;
  GstRTSPMountPoints* mounts_;
  GMainContext* context_ = nullptr;
  guint source_id_ = 0;
  std::atomic<uint16_t> port_{0};
  std::atomic<uint64_t> dropped_clients_{0};
  GSource* sampler_ = nullptr;  // SampleClients
  std::mutex clients_mu_;       // client-connected (relay thread), closed (client threads)
  std::map<GstRTSPClient*, std::unique_ptr<ClientProgress>> clients_;
  // A path's factory: the launch description it plays, and for what.
  struct Mounted {
    std::string launch;
    MountedStream stream;
  };
  std::mutex mu_;
  std::map<std::string, Mounted> mounted_;  // by path
  unsigned generations_ = 0;
};

bool IsRtspTunnelRequest(std::string_view method, std::string_view accept,
                         std::string_view content_type) {
  constexpr std::string_view kTunnelled = "application/x-rtsp-tunnelled";
  auto names = [&](std::string_view header) {
    // A media type compares case-insensitively; parameters may follow.
    if (header.size() < kTunnelled.size()) return false;
    for (std::size_t i = 0; i < kTunnelled.size(); ++i) {
      if (g_ascii_tolower(header[i]) != kTunnelled[i]) return false;
    }
    return header.size() == kTunnelled.size() || header[kTunnelled.size()] == ';' ||
           header[kTunnelled.size()] == ' ' || header[kTunnelled.size()] == ',';
  };
  if (method == "GET") return names(accept);
  if (method == "POST") return names(content_type);
  return false;
}

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
  std::lock_guard lock(mu_);
  servers_.clear();
  g_main_loop_unref(loop_);
  g_main_context_unref(context_);
}

Expected<services::RtspEndpoint*, std::string> RtspRelay::Serve(
    const services::VirtualDevice& device, const std::string& address, uint16_t port,
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
  entry->Attached(context_, id, static_cast<uint16_t>(bound));
  std::lock_guard lock(mu_);
  servers_.push_back(std::move(entry));
  return servers_.back().get();
}

namespace {

struct PendingTunnel {
  DeviceRtspServer* server;
  int fd;
  std::string received;
  std::string ip;
  uint16_t port;
};

gboolean AdoptPendingTunnel(gpointer data) {
  auto* t = static_cast<PendingTunnel*>(data);
  t->server->AdoptTunnel(t->fd, t->received, t->ip, t->port);
  t->fd = -1;  // the server's now
  return G_SOURCE_REMOVE;
}

}  // namespace

void RtspRelay::TakeTunnel(const services::VirtualDevice& device, int fd, std::string received,
                           std::string remote_address, uint16_t remote_port) {
  DeviceRtspServer* server = nullptr;
  {
    std::lock_guard lock(mu_);
    for (const auto& s : servers_) {
      if (&s->device() == &device) server = s.get();
    }
  }
  if (server == nullptr) {
    ::close(fd);
    return;
  }
  auto* pending =
      new PendingTunnel{server, fd, std::move(received), std::move(remote_address), remote_port};
  GSource* idle = g_idle_source_new();
  g_source_set_callback(idle, AdoptPendingTunnel, pending, [](gpointer data) {
    // Adopted, or dropped with the relay: the connection closes either way.
    auto* t = static_cast<PendingTunnel*>(data);
    if (t->fd >= 0) ::close(t->fd);
    delete t;
  });
  g_source_attach(idle, context_);
  g_source_unref(idle);
}

std::map<std::string, std::size_t> RtspRelay::ClientCounts() {
  std::map<std::string, std::size_t> counts;
  std::lock_guard lock(mu_);
  for (const auto& server : servers_) counts[server->device().config.id] += server->client_count();
  return counts;
}

}  // namespace onvifgw::relay
