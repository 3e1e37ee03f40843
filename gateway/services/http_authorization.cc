#include "services/http_authorization.h"

#include <algorithm>

namespace onvifgw::services {

http::Response PlainText(int status, std::string text) {
  return http::Response{status, "text/plain; charset=utf-8", std::move(text) + "\n", {}};
}

Expected<Principal, http::Response> AuthorizeHttp(
    const RequestContext& ctx, RequestAuthenticator* authenticator, security::AccessClass access,
    std::initializer_list<std::string_view> granted_by) {
  if (authenticator == nullptr || ctx.device.security == nullptr) {
    return Principal{"", security::UserLevel::kAnonymous};
  }
  auto who = authenticator->Authenticate(ctx, nullptr, *ctx.device.security);
  const auto policy = ctx.device.security->policy();
  if (!who && who.error().no_credentials &&
      policy.Allows(security::UserLevel::kAnonymous, access)) {
    return Principal{"", security::UserLevel::kAnonymous};
  }
  if (!who) {
    http::Response r = PlainText(who.error().http_status, who.error().fault.reason);
    r.headers = who.error().headers;
    r.delay = who.error().delay;
    return MakeUnexpected(std::move(r));
  }
  const DeviceSecurity& security = *ctx.device.security;
  const bool granted = security.Authorizes(*who, "", access) ||
                       std::any_of(granted_by.begin(), granted_by.end(), [&](std::string_view f) {
                         return security.Authorizes(*who, f, access);
                       });
  if (!granted) {
    return MakeUnexpected(PlainText(403, "Forbidden: the user's level does not permit " +
                                             std::string(security::AccessClassName(access))));
  }
  return *who;
}

}  // namespace onvifgw::services
