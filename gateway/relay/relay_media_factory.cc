#include "relay/relay_media_factory.h"

namespace onvifgw::relay {
namespace {

struct OnvifgwRelayFactory {
  GstRTSPMediaFactory parent;
};

struct OnvifgwRelayFactoryClass {
  GstRTSPMediaFactoryClass parent_class;
};

G_DEFINE_TYPE(OnvifgwRelayFactory, onvifgw_relay_factory, GST_TYPE_RTSP_MEDIA_FACTORY)

// The path names the profile; the port and host only say how the client
// came. A query is not part of any URI the gateway hands out.
gchar* KeyOfPath(GstRTSPMediaFactory*, const GstRTSPUrl* url) {
  return g_strdup(url->abspath != nullptr ? url->abspath : "/");
}

void onvifgw_relay_factory_class_init(OnvifgwRelayFactoryClass* klass) {
  GST_RTSP_MEDIA_FACTORY_CLASS(klass)->gen_key = KeyOfPath;
}

void onvifgw_relay_factory_init(OnvifgwRelayFactory*) {}

}  // namespace

GstRTSPMediaFactory* NewRelayMediaFactory() {
  return GST_RTSP_MEDIA_FACTORY(g_object_new(onvifgw_relay_factory_get_type(), nullptr));
}

}  // namespace onvifgw::relay
