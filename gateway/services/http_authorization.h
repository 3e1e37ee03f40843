#pragma once
// Plain HTTP resources of a device (snapshots, logs, support information)
// are served on its port to its users, like its SOAP operations: HTTP Digest
// (Basic only when enabled), then the access class the resource stands for,
// from the device's policy.

#include <initializer_list>
#include <string_view>

#include "core/expected.h"
#include "http/http_types.h"
#include "security/access_class.h"
#include "services/authentication.h"
#include "services/request_context.h"

namespace onvifgw::services {

/// A text/plain response (a trailing newline added).
http::Response PlainText(int status, std::string text);

/// Who is calling, or the refusal to send: 401 with the challenges, or 403
/// when the user's level lacks `access`. A user of level Extended is let in
/// by a predefined role whose level has `access`, or by a custom role that
/// lists one of `granted_by`: the operations that hand out the resource
/// ("trt:GetStreamUri" for a stream). Without an authenticator or security
/// (unit tests), everyone is admitted as Anonymous.
Expected<Principal, http::Response> AuthorizeHttp(
    const RequestContext& ctx, RequestAuthenticator* authenticator, security::AccessClass access,
    std::initializer_list<std::string_view> granted_by = {});

}  // namespace onvifgw::services
