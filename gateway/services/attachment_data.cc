#include "services/attachment_data.h"

#include "onvif/generated/xop.pb.h"

namespace onvifgw::services {

Expected<std::string_view, soap::Fault> AttachedBytes(const RequestContext& ctx,
                                                      const onvif::tt::AttachmentData& data,
                                                      std::string_view what) {
  const std::string& href = data.include().href();
  const soap::ReceivedPart* part =
      ctx.attachments != nullptr ? ctx.attachments->Find(href) : nullptr;
  if (part == nullptr) {
    std::string why(what);
    why += ctx.attachments == nullptr
               ? " must be sent as an MTOM attachment (multipart/related), and the request "
                 "has none"
               : " names " + href.substr(0, 128) + ", which is no part of the request";
    return MakeUnexpected(soap::InvalidArgVal(std::move(why)));
  }
  return part->data();
}

void Attach(soap::OutgoingAttachments& parts, std::string content_type, std::string bytes,
            onvif::tt::AttachmentData* out) {
  out->set_contenttype(content_type);
  out->mutable_include()->set_href(parts.Add(std::move(content_type), std::move(bytes)));
}

}  // namespace onvifgw::services
