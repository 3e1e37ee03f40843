#include "services/media/stream_uri.h"

namespace onvifgw::services::media {
namespace {

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace

std::string UpstreamUriForClient(std::string_view uri, std::string_view client_host,
                                 bool keep_credentials) {
  const std::size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return std::string(uri);
  const std::size_t authority_begin = scheme_end + 3;
  std::size_t authority_end = uri.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = uri.size();
  std::string_view authority = uri.substr(authority_begin, authority_end - authority_begin);
  std::string_view userinfo;
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = authority.substr(0, at + 1);
    authority = authority.substr(at + 1);
  }
  // host[:port], the host possibly a bracketed IPv6 address.
  std::string_view host = authority;
  std::string_view port;
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon);
  }
  std::string out(uri.substr(0, authority_begin));
  if (keep_credentials) out += userinfo;
  out += IsLoopback(host) && !client_host.empty() ? client_host : host;
  out += port;
  out += uri.substr(authority_end);
  return out;
}

}  // namespace onvifgw::services::media
