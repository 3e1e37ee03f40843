#pragma once
// The HTTP transport every HTTP camera adapter uses to talk to its camera: HTTP/1.1 with
// keep-alive (or a connection per request for cameras that cannot keep one), Basic and Digest
// authentication answered from the camera's challenge (Digest preferred, its nonce reused with a
// counting nc so most requests cost one round trip), every step bounded by a deadline, bounded
// retries of idempotent requests after a connection failure, bounded response sizes, and the
// multipart MJPEG streams and the endless text streams legacy cameras serve.
//
// Blocking API, any thread: each call runs on the client's own I/O thread (Boost.Beast) and the
// caller waits for its result, which suits the adapters' synchronous gRPC handlers. Calls from
// several threads run concurrently, each on its own connection.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/sdk/http_auth.h"
#include "adapters/sdk/result.h"

namespace onvifgw::adapter_sdk {

/// One camera's HTTP endpoint and how to talk to it.
struct HttpClientSettings {
  /// A host name or address (IPv6 without brackets), and the port.
  std::string host;
  uint16_t port = 80;
  /// The account on the camera; none: requests go without credentials (and a 401 is an error).
  std::optional<HttpCredentials> credentials;
  /// Send Basic credentials with the first request instead of waiting for a challenge, for
  /// cameras that never send one (the classic Foscam answers 401 without WWW-Authenticate).
  bool preemptive_basic = false;
  /// Refuse to answer a Basic challenge (the password would cross the network in clear); the
  /// camera must offer Digest.
  bool forbid_basic = false;
  /// Connection setup (resolution and TCP connect), and the whole of one request including its
  /// retries, unless the request sets its own.
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds request_timeout{5000};
  /// Attempts for an idempotent request whose connection failed before a response arrived (a
  /// keep-alive connection the camera closed, a refused connect while it reboots). At least 1.
  unsigned max_attempts = 2;
  /// Pause before each further attempt, growing linearly (delay, 2 delay...), within the deadline.
  std::chrono::milliseconds retry_delay{100};
  /// Largest response body accepted; larger is an error (kTooLarge), never an allocation.
  size_t max_body_bytes = 8u << 20;
  /// Idle connections kept for reuse; 0 (or keep_alive false): one connection per request.
  size_t max_idle_connections = 2;
  bool keep_alive = true;
  std::string user_agent = "onvif-gateway-adapter";
};

struct HttpRequest {
  std::string method = "GET";
  /// Path and query as sent ("/axis-cgi/param.cgi?action=list"); values already encoded.
  std::string target;
  std::string body;
  std::string content_type;
  /// Overrides settings.request_timeout for this request.
  std::optional<std::chrono::milliseconds> timeout;
  /// May be sent again after a connection failure. POSTs that change state should say false.
  bool idempotent = true;
};

struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  /// The first header of that name (case-insensitive); empty when absent.
  std::string Header(std::string_view name) const;
  /// The media type without parameters, lower-cased ("text/plain").
  std::string MediaType() const;
};

/// Why an HttpClient call failed, for mapping to a gRPC status.
enum class HttpErrorKind {
  /// The deadline passed (connect, write, or the camera did not answer). DEADLINE_EXCEEDED.
  kTimeout,
  /// Name resolution or connection failed, or the connection broke. UNAVAILABLE.
  kConnect,
  /// The camera refused the credentials (401 after answering its challenge, or a challenge we
  /// may not or cannot answer). The adapter's configuration is wrong: FAILED_PRECONDITION.
  kAuth,
  /// The camera's answer is not HTTP we can read. UNAVAILABLE (a camera fault, not the caller's).
  kProtocol,
  /// The answer is larger than max_body_bytes. RESOURCE_EXHAUSTED.
  kTooLarge,
  /// The client was closed, or a stream was stopped by its caller. CANCELLED / UNAVAILABLE.
  kClosed,
};

/// The kind of an Error made by HttpClient (its message starts with a fixed tag); kConnect for
/// errors made elsewhere.
HttpErrorKind HttpErrorKindOf(const Error& error);

/// Counters for logs, metrics and tests.
struct HttpClientCounters {
  uint64_t requests = 0;            ///< Send calls
  uint64_t connections_opened = 0;  ///< TCP connections made
  uint64_t connections_reused = 0;  ///< requests sent on a kept-alive connection
  uint64_t retries = 0;             ///< further attempts after a connection failure
  uint64_t challenges = 0;          ///< 401s answered with credentials
};

class HttpClient {
 public:
  /// Starts the I/O thread. Fails only on bad settings (empty host, max_attempts 0).
  static Result<std::unique_ptr<HttpClient>> Create(HttpClientSettings settings);

  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends one request and returns the camera's response, whatever its status except a 401 that
  /// credentials could not get past (kAuth). Within the request's deadline.
  Result<HttpResponse> Send(HttpRequest request);

  /// A GET is the common case.
  Result<HttpResponse> Get(std::string target);

  /// Reads the multipart/x-mixed-replace JPEG stream at `target`, calling `on_picture` on the I/O
  /// thread with each picture, until `on_picture` returns false or `stop` is requested (both end
  /// with success), the camera ends the stream (success), or an error: the first response byte
  /// or any later byte taking longer than `stall_timeout` (kTimeout), a response that is not a
  /// multipart stream, or a picture over max_body_bytes. The stream has its own connection.
  Result<void> ReadMjpeg(std::string target,
                         const std::function<bool(std::string_view jpeg)>& on_picture,
                         std::chrono::milliseconds stall_timeout, std::stop_token stop = {});

  /// Reads the never-ending text response at `target` (VAPIX motiondata.cgi, event feeds) line by
  /// line, calling `on_line` on the I/O thread with each line without its line end (LF or CR LF),
  /// until `on_line` returns false or `stop` is requested (both end with success), the camera
  /// ends the response (success, after a last unterminated line), or an error: the first response
  /// byte or any later byte taking longer than `stall_timeout` (kTimeout), a status other than
  /// 200 (kProtocol, "answered HTTP <status>"), or a line over max_body_bytes (kTooLarge). Same
  /// authentication as Send; the stream has its own connection.
  Result<void> ReadLines(std::string target,
                         const std::function<bool(std::string_view line)>& on_line,
                         std::chrono::milliseconds stall_timeout, std::stop_token stop = {});

  /// Fails calls in flight promptly with kClosed, closes the connections and stops the thread.
  /// Idempotent. The destructor does it too, but must not run while calls are in flight.
  void Close();

  const HttpClientSettings& settings() const;
  HttpClientCounters counters() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace onvifgw::adapter_sdk
