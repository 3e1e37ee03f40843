#pragma once
// What the HTTP room hands to the layer above, and what it gets back. The
// request handler never sees a socket (STYLE.md practice 1).

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onvifgw::http {

struct Limits {
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 256 * 1024;
  std::chrono::milliseconds read_timeout{10000};  ///< one whole request
  std::chrono::milliseconds idle_timeout{60000};  ///< between keep-alive requests
  std::size_t max_connections = 64;
  /// Uploads (firmware images, backups): requests whose target starts with
  /// `upload_prefix`, and with `multipart_uploads` every multipart/related
  /// request (SOAP with MTOM attachments), may carry up to
  /// `max_upload_bytes`, read within `upload_timeout`. Empty prefix: none.
  std::string upload_prefix = {};
  std::size_t max_upload_bytes = 0;
  bool multipart_uploads = false;
  std::chrono::milliseconds upload_timeout{300000};
};

struct Request {
  std::string_view method;
  std::string_view target;
  std::string_view content_type;
  std::string_view authorization;
  std::string_view body;
  std::string local_address;  ///< IP the connection was accepted on
  unsigned short local_port = 0;
  std::string remote_address;
  bool tls = false;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// Hold the response back this long (slows down password guessing
  /// without holding a thread).
  std::chrono::milliseconds delay{0};
};

/// Decides at accept time whether a peer may talk to this listener at all
/// (the device's IP address filter). Called on an I/O thread; must be quick.
using AdmissionCheck = std::function<bool(const std::string& remote_address)>;

/// Called once per request, on an I/O thread; `respond` may be called later
/// from any thread, exactly once. The Request views stay valid until then.
using Handler = std::function<void(const Request&, std::function<void(Response)> respond)>;

/// A connection that leaves HTTP: its socket, with every byte read from it
/// so far (the request header as received, and whatever followed it).
struct HandedOverConnection {
  int fd = -1;  ///< the receiver owns it (and closes it)
  std::string received;
  std::string remote_address;
  unsigned short remote_port = 0;
};

/// Lets another protocol take over connections on the web service port
/// (RTSP tunnelled in HTTP, ONVIF Streaming §5.1.1.4). `wants` is asked once
/// the request header is in, before any HTTP authentication (the tunnelled
/// protocol authenticates itself); `take` then owns the connection. Both are
/// called on an I/O thread and must be quick.
struct ConnectionHandover {
  std::function<bool(std::string_view method, std::string_view target, std::string_view accept,
                     std::string_view content_type)>
      wants;
  std::function<void(HandedOverConnection)> take;
  explicit operator bool() const { return wants && take; }
};

}  // namespace onvifgw::http
