#include "relay/reconnecting_media.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <utility>

#include "core/log.h"

namespace onvifgw::relay {
namespace {

// Posted by the upstream element's pad probe when the camera ended the
// stream (EOS), which would otherwise end every client's session.
constexpr const char* kUpstreamEnded = "onvifgw-upstream-ended";
// Elements replaced but perhaps still named by queued bus messages.
constexpr std::size_t kRetiredKept = 4;

struct Reconnector {
  GstRTSPMedia* media = nullptr;  // owns this
  UpstreamResolver resolve;
  std::string label;
  ReconnectPolicy policy;
  std::chrono::milliseconds delay{0};
  GMainContext* context = nullptr;
  GSource* timer = nullptr;
  std::atomic<bool> flowing{false};
  unsigned attempts = 0;
  GstMessage* last_error = nullptr;
  std::deque<GstObject*> retired;

  ~Reconnector() {
    if (timer != nullptr) {
      g_source_destroy(timer);
      g_source_unref(timer);
    }
    if (last_error != nullptr) gst_message_unref(last_error);
    for (GstObject* o : retired) gst_object_unref(o);
    if (context != nullptr) g_main_context_unref(context);
  }
};

struct OnvifgwReconnectingMedia {
  GstRTSPMedia parent;
  Reconnector* reconnector;  // owned; nullptr until armed
};

struct OnvifgwReconnectingMediaClass {
  GstRTSPMediaClass parent_class;
};

G_DEFINE_TYPE(OnvifgwReconnectingMedia, onvifgw_reconnecting_media, GST_TYPE_RTSP_MEDIA)

Reconnector* ReconnectorOf(GstRTSPMedia* media) {
  return reinterpret_cast<OnvifgwReconnectingMedia*>(media)->reconnector;
}

void Log(const Reconnector& r, log::Level level, const std::string& text) {
  log::Write(level, "relay", r.label + ": " + text);
}

// Counts media as flowing, and turns the camera's end of stream into a
// message to the relay's thread instead of the end of every session.
GstPadProbeReturn WatchUpstream(GstPad* pad, GstPadProbeInfo* info, gpointer data) {
  auto* r = static_cast<Reconnector*>(data);
  if ((GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER) != 0) {
    r->flowing = true;
    return GST_PAD_PROBE_OK;
  }
  GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
  if (event != nullptr && GST_EVENT_TYPE(event) == GST_EVENT_EOS) {
    GstElement* element = gst_pad_get_parent_element(pad);
    if (element != nullptr) {
      gst_element_post_message(
          element, gst_message_new_application(GST_OBJECT(element),
                                               gst_structure_new_empty(kUpstreamEnded)));
      gst_object_unref(element);
    }
    return GST_PAD_PROBE_DROP;
  }
  return GST_PAD_PROBE_OK;
}

void Watch(Reconnector* r, GstPad* pad) {
  gst_pad_add_probe(
      pad,
      static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM),
      WatchUpstream, r, nullptr);
}

// A source pad of the upstream element: watched, and linked to "ingest"
// unless the pipeline's own delayed linking did it already.
void OnUpstreamPad(GstElement* upstream, GstPad* pad, gpointer data) {
  auto* r = static_cast<Reconnector*>(data);
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) return;
  Watch(r, pad);
  if (gst_pad_is_linked(pad)) return;
  GstObject* bin = gst_object_get_parent(GST_OBJECT(upstream));
  if (bin == nullptr) return;
  if (GstElement* ingest = gst_bin_get_by_name(GST_BIN(bin), "ingest")) {
    GstPad* sink = gst_element_get_static_pad(ingest, "sink");
    if (sink != nullptr && !gst_pad_is_linked(sink)) (void)gst_pad_link(pad, sink);
    if (sink != nullptr) gst_object_unref(sink);
    gst_object_unref(ingest);
  }
  gst_object_unref(bin);
}

// The pads it has now and those it adds later (rtspsrc's come with the
// camera's answer).
void WatchUpstreamElement(Reconnector* r, GstElement* upstream) {
  g_signal_connect(upstream, "pad-added", G_CALLBACK(OnUpstreamPad), r);
  GstIterator* it = gst_element_iterate_src_pads(upstream);
  GValue item = G_VALUE_INIT;
  while (gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
    OnUpstreamPad(upstream, GST_PAD(g_value_get_object(&item)), r);
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(it);
}

bool Playing(GstRTSPMedia* media) {
  return gst_rtsp_media_get_status(media) == GST_RTSP_MEDIA_STATUS_PREPARED;
}

void Schedule(Reconnector* r);

gboolean Reconnect(gpointer data) {
  auto* r = static_cast<Reconnector*>(data);
  g_source_unref(r->timer);
  r->timer = nullptr;
  if (!Playing(r->media)) {
    Log(*r, log::Level::kInfo, "no reconnect: the media is no longer played");
    return G_SOURCE_REMOVE;  // the last client left meanwhile
  }
  auto description = r->resolve();
  GstElement* bin = gst_rtsp_media_get_element(r->media);
  if (!description) {
    Log(*r, log::Level::kWarn, "the camera stream cannot be resumed: " + description.error());
    gst_object_unref(bin);
    if (r->last_error != nullptr) {
      // Ends the media as the error would have without us.
      GstMessage* error = r->last_error;
      r->last_error = nullptr;
      GST_RTSP_MEDIA_CLASS(onvifgw_reconnecting_media_parent_class)
          ->handle_message(r->media, error);
      gst_message_unref(error);
    }
    return G_SOURCE_REMOVE;
  }
  if (GstElement* old = gst_bin_get_by_name(GST_BIN(bin), "upstream")) {
    gst_element_set_locked_state(old, TRUE);
    gst_element_set_state(old, GST_STATE_NULL);
    gst_bin_remove(GST_BIN(bin), old);
    r->retired.push_back(GST_OBJECT(old));  // the reference get_by_name gave
    if (r->retired.size() > kRetiredKept) {
      gst_object_unref(r->retired.front());
      r->retired.pop_front();
    }
  }
  GError* error = nullptr;
  GstElement* fresh = gst_parse_launch(description->c_str(), &error);
  if (fresh == nullptr) {
    Log(*r, log::Level::kWarn,
        std::string("cannot make the camera connection: ") +
            (error != nullptr ? error->message : "unknown error"));
    if (error != nullptr) g_error_free(error);
    gst_object_unref(bin);
    Schedule(r);
    return G_SOURCE_REMOVE;
  }
  if (error != nullptr) g_error_free(error);  // a warning; the element is usable
  ++r->attempts;
  r->flowing = false;
  gst_bin_add(GST_BIN(bin), fresh);
  WatchUpstreamElement(r, fresh);
  gst_element_sync_state_with_parent(fresh);
  gst_object_unref(bin);
  Log(*r, log::Level::kInfo,
      "reconnecting to the camera (attempt " + std::to_string(r->attempts) + ")");
  return G_SOURCE_REMOVE;
}

void Schedule(Reconnector* r) {
  if (r->timer != nullptr) return;
  // Media flowed since the last attempt: the camera was back, start over.
  if (r->flowing.exchange(false)) {
    r->delay = std::chrono::milliseconds(0);
    r->attempts = 0;
  }
  r->delay =
      r->delay.count() == 0 ? r->policy.first_delay : std::min(r->delay * 2, r->policy.max_delay);
  r->timer = g_timeout_source_new(static_cast<guint>(r->delay.count()));
  g_source_set_callback(r->timer, Reconnect, r, nullptr);
  // On the loop that dispatches the media's bus (this call's), which is
  // what every step of a reconnect must run on.
  GSource* dispatching = g_main_current_source();
  g_source_attach(r->timer,
                  dispatching != nullptr ? g_source_get_context(dispatching) : r->context);
  Log(*r, log::Level::kInfo,
      "next attempt in " + std::to_string(r->delay.count()) + " ms; clients stay connected");
}

bool DescendsFrom(GstObject* object, GstObject* ancestor) {
  return object == ancestor || gst_object_has_as_ancestor(object, ancestor);
}

gboolean HandleMessage(GstRTSPMedia* media, GstMessage* message) {
  Reconnector* r = ReconnectorOf(media);
  const GstMessageType type = GST_MESSAGE_TYPE(message);
  if (r != nullptr && (type == GST_MESSAGE_ERROR || type == GST_MESSAGE_WARNING ||
                       type == GST_MESSAGE_APPLICATION)) {
    GstObject* src = GST_MESSAGE_SRC(message);
    // What a replaced connection still had to say is of no interest.
    for (GstObject* old : r->retired) {
      if (src != nullptr && DescendsFrom(src, old)) return TRUE;
    }
    GstElement* bin = gst_rtsp_media_get_element(media);
    GstElement* upstream = gst_bin_get_by_name(GST_BIN(bin), "upstream");
    gst_object_unref(bin);
    const bool from_upstream =
        upstream != nullptr && src != nullptr && DescendsFrom(src, GST_OBJECT(upstream));
    if (upstream != nullptr) gst_object_unref(upstream);
    const bool lost =
        from_upstream &&
        (type == GST_MESSAGE_ERROR ||
         (type == GST_MESSAGE_APPLICATION &&
          gst_structure_has_name(gst_message_get_structure(message), kUpstreamEnded)));
    if (lost && Playing(media)) {
      std::string why = "the camera ended the stream";
      if (type == GST_MESSAGE_ERROR) {
        GError* error = nullptr;
        gst_message_parse_error(message, &error, nullptr);
        why = std::string("lost the camera: ") + (error != nullptr ? error->message : "error");
        if (error != nullptr) g_error_free(error);
        if (r->last_error != nullptr) gst_message_unref(r->last_error);
        r->last_error = gst_message_ref(message);
      }
      Log(*r, log::Level::kWarn, why);
      Schedule(r);
      return TRUE;
    }
  }
  return GST_RTSP_MEDIA_CLASS(onvifgw_reconnecting_media_parent_class)
      ->handle_message(media, message);
}

void Finalize(GObject* object) {
  auto* self = reinterpret_cast<OnvifgwReconnectingMedia*>(object);
  delete self->reconnector;
  self->reconnector = nullptr;
  G_OBJECT_CLASS(onvifgw_reconnecting_media_parent_class)->finalize(object);
}

void onvifgw_reconnecting_media_class_init(OnvifgwReconnectingMediaClass* klass) {
  G_OBJECT_CLASS(klass)->finalize = Finalize;
  GST_RTSP_MEDIA_CLASS(klass)->handle_message = HandleMessage;
}

void onvifgw_reconnecting_media_init(OnvifgwReconnectingMedia* self) {
  self->reconnector = nullptr;
}

}  // namespace

GType ReconnectingMediaType() { return onvifgw_reconnecting_media_get_type(); }

void ArmReconnect(GstRTSPMedia* media, UpstreamResolver resolve, std::string label,
                  ReconnectPolicy policy) {
  if (!G_TYPE_CHECK_INSTANCE_TYPE(media, ReconnectingMediaType())) return;
  auto* self = reinterpret_cast<OnvifgwReconnectingMedia*>(media);
  delete self->reconnector;
  auto* r = new Reconnector;
  r->media = media;
  r->resolve = std::move(resolve);
  r->label = std::move(label);
  r->policy = policy;
  r->context = g_main_context_ref_thread_default();
  self->reconnector = r;
  GstElement* bin = gst_rtsp_media_get_element(media);
  if (GstElement* upstream = gst_bin_get_by_name(GST_BIN(bin), "upstream")) {
    WatchUpstreamElement(r, upstream);
    gst_object_unref(upstream);
  }
  gst_object_unref(bin);
}

}  // namespace onvifgw::relay
