#include "relay/rtsp_auth.h"

#include <gst/rtsp-server/rtsp-client.h>
#include <gst/rtsp-server/rtsp-context.h>

#include <utility>

namespace onvifgw::relay {
namespace {

struct OnvifgwAdmittingAuth {
  GstRTSPAuth parent;
  RtspAdmitter* admit;  // owned; deleted in Finalize
};

struct OnvifgwAdmittingAuthClass {
  GstRTSPAuthClass parent_class;
};

G_DEFINE_TYPE(OnvifgwAdmittingAuth, onvifgw_admitting_auth, GST_TYPE_RTSP_AUTH)

RtspRequest RequestOf(GstRTSPContext* ctx) {
  RtspRequest r;
  GstRTSPMethod method = GST_RTSP_INVALID;
  const gchar* uri = nullptr;
  GstRTSPVersion version = GST_RTSP_VERSION_INVALID;
  if (gst_rtsp_message_parse_request(ctx->request, &method, &uri, &version) == GST_RTSP_OK) {
    r.method = gst_rtsp_method_as_text(method);
    if (uri != nullptr) r.uri = uri;
  }
  gchar* authorization = nullptr;
  if (gst_rtsp_message_get_header(ctx->request, GST_RTSP_HDR_AUTHORIZATION, &authorization, 0) ==
          GST_RTSP_OK &&
      authorization != nullptr) {
    r.authorization = authorization;
  }
  if (GstRTSPConnection* conn = gst_rtsp_client_get_connection(ctx->client)) {
    if (const gchar* ip = gst_rtsp_connection_get_ip(conn)) r.remote_address = ip;
  }
  return r;
}

gboolean Check(GstRTSPAuth* auth, GstRTSPContext* ctx, const gchar* check) {
  auto* self = reinterpret_cast<OnvifgwAdmittingAuth*>(auth);
  if (g_str_equal(check, GST_RTSP_AUTH_CHECK_URL)) {
    const RtspAdmission admission = (*self->admit)(RequestOf(ctx));
    if (admission.admitted) return TRUE;
    const auto code = static_cast<GstRTSPStatusCode>(admission.status);
    gst_rtsp_message_init_response(ctx->response, code, gst_rtsp_status_as_text(code),
                                   ctx->request);
    for (const auto& [name, value] : admission.headers) {
      gst_rtsp_message_add_header_by_name(ctx->response, name.c_str(), value.c_str());
    }
    gst_rtsp_client_send_message(ctx->client, ctx->session, ctx->response);
    return FALSE;
  }
  // Connections are let in; each request is then judged on its own.
  if (g_str_equal(check, GST_RTSP_AUTH_CHECK_CONNECT)) return TRUE;
  // Admitted requests may use every mount: READ_MEDIA covers them all.
  if (g_str_has_prefix(check, "auth.check.media.factory.")) return TRUE;
  // Anything else (clients choosing their own multicast destination) is not
  // offered.
  return FALSE;
}

void Finalize(GObject* object) {
  auto* self = reinterpret_cast<OnvifgwAdmittingAuth*>(object);
  delete self->admit;
  self->admit = nullptr;
  G_OBJECT_CLASS(onvifgw_admitting_auth_parent_class)->finalize(object);
}

void onvifgw_admitting_auth_class_init(OnvifgwAdmittingAuthClass* klass) {
  G_OBJECT_CLASS(klass)->finalize = Finalize;
  GST_RTSP_AUTH_CLASS(klass)->check = Check;
}

void onvifgw_admitting_auth_init(OnvifgwAdmittingAuth* self) { self->admit = nullptr; }

}  // namespace

GstRTSPAuth* NewAdmittingAuth(RtspAdmitter admit) {
  auto* self =
      static_cast<OnvifgwAdmittingAuth*>(g_object_new(onvifgw_admitting_auth_get_type(), nullptr));
  self->admit = new RtspAdmitter(std::move(admit));
  return GST_RTSP_AUTH(self);
}

}  // namespace onvifgw::relay
