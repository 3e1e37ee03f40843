#pragma once
// tt:AttachmentData, binary data an xop:Include names: the bytes a request
// carries as an MTOM part, and the part a reply carries (soap/mtom.h).

#include <string>
#include <string_view>

#include "core/expected.h"
#include "onvif/generated/tt.pb.h"
#include "services/request_context.h"
#include "soap/fault.h"

namespace onvifgw::services {

/// The bytes `data` names in the request. ter:InvalidArgVal when the request
/// has no part of that name (not an MTOM request, or another href); `what`
/// names the value in the fault's reason ("The firmware image").
Expected<std::string_view, soap::Fault> AttachedBytes(const RequestContext& ctx,
                                                      const onvif::tt::AttachmentData& data,
                                                      std::string_view what);

/// Puts `bytes` into the reply as a part of its own and makes `out` name it.
/// `parts` is the request's ctx.reply_attachments, which a handler that
/// completes later holds in its completion.
void Attach(soap::OutgoingAttachments& parts, std::string content_type, std::string bytes,
            onvif::tt::AttachmentData* out);

}  // namespace onvifgw::services
