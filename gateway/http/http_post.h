#pragma once
// One HTTP/1.1 POST to a plain http:// URL, asynchronously on an io_context:
// how the gateway reaches a client's own endpoint (a Basic Notification
// consumer). A new connection per request (Connection: close), every step
// bounded by one timeout.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "core/expected.h"

namespace onvifgw::http {

struct HttpUrl {
  std::string host;    ///< a name or an address (IPv6 without brackets)
  std::string port;    ///< "80" when the URL names none
  std::string target;  ///< path and query, "/" at least
};

/// "http://host[:port][/path]"; why not, otherwise (another scheme, user
/// information, an empty host, a bad port).
Expected<HttpUrl, std::string> ParseHttpUrl(std::string_view url);

/// Posts `body`; `done` gets the response status, or why there is none
/// (resolution, connection, timeout, a malformed answer). `done` runs on
/// `io`.
void Post(boost::asio::io_context& io, const HttpUrl& url, std::string content_type,
          std::string body, std::chrono::milliseconds timeout,
          std::function<void(Expected<unsigned, std::string>)> done);

}  // namespace onvifgw::http
