#include "relay/snapshot_feeder.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include "adapters/camera_adapter.h"
#include "core/log.h"

namespace onvifgw::relay {
namespace {

constexpr double kMaxPicturesPerSecond = 10;
constexpr double kMinPicturesPerSecond = 0.1;

// Shared by the timer and the adapter's answers, which may come after the
// media is gone: whoever is last frees it.
struct Feeder {
  std::mutex mu;
  GstElement* appsrc = nullptr;  // a reference while feeding; nullptr once stopped
  bool in_flight = false;
  bool warned = false;
  const services::VirtualDevice* device = nullptr;
  std::string camera_id;
  std::string source_id;
  std::string label;
  GSource* timer = nullptr;

  void Stop() {
    GSource* t = nullptr;
    GstElement* src = nullptr;
    {
      std::lock_guard lock(mu);
      std::swap(t, timer);
      std::swap(src, appsrc);
    }
    if (t != nullptr) {
      g_source_destroy(t);
      g_source_unref(t);
    }
    if (src != nullptr) {
      GstFlowReturn ret = GST_FLOW_OK;
      g_signal_emit_by_name(src, "end-of-stream", &ret);
      gst_object_unref(src);
    }
  }
};

void Push(const std::shared_ptr<Feeder>& f, const grpc::Status& status,
          const adapter::v1::Snapshot& picture) {
  GstElement* src = nullptr;
  {
    std::lock_guard lock(f->mu);
    f->in_flight = false;
    if (f->appsrc == nullptr) return;  // stopped meanwhile
    if (!status.ok() || picture.jpeg().empty()) {
      if (!f->warned) {
        log::Write(log::Level::kWarn, "relay",
                   f->label + ": no picture from the camera: " + status.error_message());
      }
      f->warned = true;
      return;
    }
    f->warned = false;
    src = GST_ELEMENT(gst_object_ref(f->appsrc));
  }
  GstBuffer* buffer = gst_buffer_new_memdup(picture.jpeg().data(), picture.jpeg().size());
  GstFlowReturn ret = GST_FLOW_OK;
  g_signal_emit_by_name(src, "push-buffer", buffer, &ret);  // does not take the buffer
  gst_buffer_unref(buffer);
  gst_object_unref(src);
}

gboolean Tick(gpointer data) {
  auto f = *static_cast<std::shared_ptr<Feeder>*>(data);
  {
    std::lock_guard lock(f->mu);
    if (f->appsrc == nullptr) return G_SOURCE_REMOVE;
    if (f->in_flight || f->device->adapter == nullptr) return G_SOURCE_CONTINUE;
    f->in_flight = true;
  }
  adapter::v1::SnapshotRequest request;
  request.set_camera_id(f->camera_id);
  request.set_source_id(f->source_id);
  f->device->adapter->GetSnapshot(
      std::move(request), [f](const grpc::Status& status, const adapter::v1::Snapshot& picture) {
        Push(f, status, picture);
      });
  return G_SOURCE_CONTINUE;
}

}  // namespace

void FeedSnapshots(GstRTSPMedia* media, GMainContext* context,
                   const services::VirtualDevice& device, const std::string& camera_id,
                   const std::string& source_id, double framerate, const std::string& label) {
  GstElement* bin = gst_rtsp_media_get_element(media);
  GstElement* appsrc = gst_bin_get_by_name(GST_BIN(bin), "upstream");
  gst_object_unref(bin);
  if (appsrc == nullptr) return;
  auto feeder = std::make_shared<Feeder>();
  feeder->appsrc = appsrc;  // the reference get_by_name gave
  feeder->device = &device;
  feeder->camera_id = camera_id;
  feeder->source_id = source_id;
  feeder->label = label;
  const double rate =
      std::clamp(framerate > 0 ? framerate : 1.0, kMinPicturesPerSecond, kMaxPicturesPerSecond);
  feeder->timer = g_timeout_source_new(static_cast<guint>(1000.0 / rate));
  g_source_set_callback(feeder->timer, Tick, new std::shared_ptr<Feeder>(feeder),
                        [](gpointer data) { delete static_cast<std::shared_ptr<Feeder>*>(data); });
  g_source_attach(feeder->timer, context);
  // Stopped with the media: when it is unprepared, or at the latest when it
  // is freed.
  auto* stop_on_unprepare = new std::shared_ptr<Feeder>(feeder);
  g_signal_connect_data(
      media, "unprepared", G_CALLBACK(+[](GstRTSPMedia*, gpointer data) {
        (*static_cast<std::shared_ptr<Feeder>*>(data))->Stop();
      }),
      stop_on_unprepare,
      [](gpointer data, GClosure*) {
        auto* f = static_cast<std::shared_ptr<Feeder>*>(data);
        (*f)->Stop();
        delete f;
      },
      GConnectFlags{});
  // The first picture at once: the media cannot describe itself before it.
  std::shared_ptr<Feeder> first = feeder;
  (void)Tick(&first);
}

}  // namespace onvifgw::relay
