#include "relay/lingering_media.h"

#include <utility>

#include "core/log.h"

namespace onvifgw::relay {
namespace {

// How often a held media is looked at: a fraction of any sensible linger.
constexpr guint kCheckIntervalMs = 250;
constexpr const char* kLingerKey = "onvifgw-linger";

struct Linger {
  GstRTSPMedia* media = nullptr;  // owns this; referenced while held
  std::chrono::milliseconds linger{0};
  GMainContext* context = nullptr;
  std::function<void()> retire;
  std::string label;
  bool held = false;  // once: a media given back is never prepared again
  bool idle = false;
  std::chrono::steady_clock::time_point idle_since;
};

// Clients set up on the media now (a client that has only described it
// holds its own preparation, which keeps the media whatever we do).
std::size_t ClientTransports(GstRTSPMedia* media) {
  std::size_t count = 0;
  const guint streams = gst_rtsp_media_n_streams(media);
  for (guint i = 0; i < streams; ++i) {
    GstRTSPStream* stream = gst_rtsp_media_get_stream(media, i);
    if (stream == nullptr) continue;
    GList* transports = gst_rtsp_stream_transport_filter(stream, nullptr, nullptr);
    count += g_list_length(transports);
    g_list_free_full(transports, g_object_unref);
  }
  return count;
}

gboolean CheckIdle(gpointer data) {
  auto* l = static_cast<Linger*>(data);
  const auto now = std::chrono::steady_clock::now();
  const GstRTSPMediaStatus status = gst_rtsp_media_get_status(l->media);
  std::string why;
  if (status != GST_RTSP_MEDIA_STATUS_PREPARED) {
    // Failed for good: held, it would stay in the factory's cache and be
    // handed to the next client broken.
    why = "the media ended";
  } else if (ClientTransports(l->media) > 0) {
    l->idle = false;
  } else if (!l->idle) {
    l->idle = true;
    l->idle_since = now;
  } else if (now - l->idle_since >= l->linger) {
    why = "no client for " + std::to_string(l->linger.count()) + " ms";
  }
  if (why.empty()) return G_SOURCE_CONTINUE;
  log::Write(log::Level::kInfo, "relay", l->label + ": " + why + ": closing the camera stream");
  // New clients get a new media from now on; then ours is let go.
  if (l->retire) l->retire();
  GstRTSPMedia* media = l->media;
  gst_rtsp_media_unprepare(media);
  g_object_unref(media);  // may finalize the media, and `l` with it
  return G_SOURCE_REMOVE;
}

// Emitted on the thread of the client whose request prepared the media.
void OnPrepared(GstRTSPMedia* media, gpointer data) {
  auto* l = static_cast<Linger*>(data);
  if (l->held) return;
  // Already prepared, so this only counts one more preparation.
  if (!gst_rtsp_media_prepare(media, nullptr)) return;
  l->held = true;
  g_object_ref(media);
  GSource* timer = g_timeout_source_new(kCheckIntervalMs);
  g_source_set_callback(timer, CheckIdle, l, nullptr);
  g_source_attach(timer, l->context);
  g_source_unref(timer);
}

}  // namespace

void LingerAfterLastClient(GstRTSPMedia* media, std::chrono::milliseconds linger,
                           GMainContext* context, std::function<void()> retire, std::string label) {
  if (linger.count() <= 0 || context == nullptr) return;
  auto* l = new Linger;
  l->media = media;
  l->linger = linger;
  l->context = context;
  l->retire = std::move(retire);
  l->label = std::move(label);
  g_object_set_data_full(G_OBJECT(media), kLingerKey, l,
                         [](gpointer data) { delete static_cast<Linger*>(data); });
  g_signal_connect(media, "prepared", G_CALLBACK(OnPrepared), l);
}

}  // namespace onvifgw::relay
