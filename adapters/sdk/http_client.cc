#include "adapters/sdk/http_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/sdk/multipart_parser.h"

namespace onvifgw::adapter_sdk {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Error carries only a message: the kind travels as a fixed leading tag (see HttpErrorKindOf).
constexpr std::string_view kTimeoutTag = "timeout: ";
constexpr std::string_view kConnectTag = "connection: ";
constexpr std::string_view kAuthTag = "authentication: ";
constexpr std::string_view kProtocolTag = "protocol: ";
constexpr std::string_view kTooLargeTag = "too large: ";
constexpr std::string_view kClosedTag = "closed: ";

// Responses' header blocks are small on every camera; a bigger one is a broken peer.
constexpr uint32_t kHeaderLimit = 16 * 1024;
constexpr size_t kStreamReadChunk = 64 * 1024;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

struct Connection {
  explicit Connection(asio::io_context& io) : stream(io) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  bool reused = false;
};
using ConnectionPtr = std::shared_ptr<Connection>;

// What an endless response carries.
enum class StreamKind { kMultipart, kLines };

enum class LineFeed { kMore, kDone, kTooLong };

// Appends `data` to the unfinished line in `pending` and hands over each complete line without
// its CR LF; kDone once `on_line` declined one, kTooLong when a line outgrows `limit`.
LineFeed FeedLines(std::string& pending, std::string_view data,
                   const std::function<bool(std::string_view)>& on_line, size_t limit) {
  size_t start = 0;
  while (true) {
    const size_t end = data.find('\n', start);
    if (end == std::string_view::npos) break;
    std::string_view line = data.substr(start, end - start);
    if (!pending.empty()) {
      pending.append(line);
      line = pending;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > limit) return LineFeed::kTooLong;
    const bool more = on_line(line);
    pending.clear();
    if (!more) return LineFeed::kDone;
    start = end + 1;
  }
  pending.append(data.substr(start));
  return pending.size() > limit ? LineFeed::kTooLong : LineFeed::kMore;
}

// How a request's Authorization header was made, to judge the 401 that may come back.
enum class SentAuth { kNone, kBasic, kDigestCached, kDigestFresh };

}  // namespace

HttpErrorKind HttpErrorKindOf(const Error& error) {
  const std::string& m = error.message;
  if (m.starts_with(kTimeoutTag)) return HttpErrorKind::kTimeout;
  if (m.starts_with(kAuthTag)) return HttpErrorKind::kAuth;
  if (m.starts_with(kProtocolTag)) return HttpErrorKind::kProtocol;
  if (m.starts_with(kTooLargeTag)) return HttpErrorKind::kTooLarge;
  if (m.starts_with(kClosedTag)) return HttpErrorKind::kClosed;
  return HttpErrorKind::kConnect;
}

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

std::string HttpResponse::MediaType() const {
  std::string type = Header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

struct HttpClient::Impl {
  explicit Impl(HttpClientSettings s)
      : settings(std::move(s)), work(asio::make_work_guard(io)), cnonce(NewClientNonce()) {
    if (settings.preemptive_basic && settings.credentials) basic_seen = true;
    thread = std::thread([this] { io.run(); });
  }

  HttpClientSettings settings;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::thread thread;
  std::once_flag close_once;
  std::atomic<bool> closed{false};

  // I/O-thread state.
  std::vector<ConnectionPtr> idle;
  std::set<Connection*> active;  // every connection in use, to cancel on Close
  std::optional<DigestChallenge> digest;
  uint32_t nonce_count = 0;
  std::string cnonce;
  bool basic_seen = false;

  std::atomic<uint64_t> requests{0}, opened{0}, reused{0}, retries{0}, challenges{0};

  std::string Where() const {
    return "http://" + settings.host + ":" + std::to_string(settings.port);
  }
  Error MakeError(std::string_view tag, const std::string& what) const {
    return Error{std::string(tag) + Where() + ": " + what};
  }

  // Runs `op` on the I/O thread and waits for it.
  template <typename T>
  Result<T> Run(asio::awaitable<std::optional<Result<T>>> op) {
    if (closed) return MakeError(kClosedTag, "the client is closed");
    std::promise<Result<T>> promise;
    auto future = promise.get_future();
    asio::co_spawn(io, std::move(op),
                   [this, &promise](std::exception_ptr e, std::optional<Result<T>> result) {
                     if (e || !result) {
                       promise.set_value(MakeError(kProtocolTag, "internal error"));
                     } else {
                       promise.set_value(std::move(*result));
                     }
                   });
    return future.get();
  }

  // The Authorization value for the next request, and how it was made.
  std::pair<std::string, SentAuth> Authorization(std::string_view method, std::string_view target,
                                                 bool fresh_challenge) {
    if (!settings.credentials) return {{}, SentAuth::kNone};
    if (digest) {
      ++nonce_count;
      return {
          DigestAuthorization(*digest, *settings.credentials, method, target, nonce_count, cnonce),
          fresh_challenge ? SentAuth::kDigestFresh : SentAuth::kDigestCached};
    }
    if (basic_seen && !settings.forbid_basic) {
      return {BasicAuthorization(*settings.credentials), SentAuth::kBasic};
    }
    return {{}, SentAuth::kNone};
  }

  // Learns from a 401 whether another try with credentials can succeed; an error when not.
  Result<void> Challenged(const bhttp::response_header<>& header, SentAuth sent) {
    if (!settings.credentials) {
      return MakeError(kAuthTag, "the camera asks for credentials (HTTP 401) and none are set");
    }
    std::optional<DigestChallenge> offered_digest;
    std::string digest_problem;
    bool offered_basic = false;
    auto [first, last] = header.equal_range(bhttp::field::www_authenticate);
    for (auto field = first; field != last; ++field) {
      for (const AuthChallenge& challenge : ParseWwwAuthenticate(field->value())) {
        if (challenge.Is("Digest") && !offered_digest) {
          auto read = ReadDigestChallenge(challenge);
          if (read) {
            offered_digest = std::move(read.value());
          } else {
            digest_problem = read.error().message;
          }
        } else if (challenge.Is("Basic")) {
          offered_basic = true;
        }
      }
    }
    const std::string user = "user '" + settings.credentials->user + "'";
    if (offered_digest) {
      // A refused Digest answer made from a fresh challenge means wrong credentials, unless the
      // camera says the nonce merely went stale.
      if (sent == SentAuth::kDigestFresh && !offered_digest->stale) {
        return MakeError(kAuthTag, "the camera refused the credentials of " + user +
                                       " (HTTP 401 to a Digest answer)");
      }
      digest = std::move(offered_digest);
      nonce_count = 0;
      cnonce = NewClientNonce();
      return {};
    }
    if (offered_basic ||
        (header.count(bhttp::field::www_authenticate) == 0 && settings.preemptive_basic)) {
      if (sent == SentAuth::kBasic) {
        return MakeError(kAuthTag,
                         "the camera refused the credentials of " + user + " (HTTP 401 to Basic)");
      }
      if (settings.forbid_basic) {
        return MakeError(kAuthTag,
                         "the camera offers only Basic authentication, which this camera's "
                         "configuration forbids (the password would cross the network in clear)");
      }
      basic_seen = true;
      digest.reset();
      return {};
    }
    if (!digest_problem.empty()) return MakeError(kAuthTag, digest_problem);
    if (sent != SentAuth::kNone) {
      return MakeError(kAuthTag, "the camera refused the credentials of " + user + " (HTTP 401)");
    }
    // No challenge at all (classic cameras): Basic is all such cameras know.
    if (settings.forbid_basic) {
      return MakeError(kAuthTag,
                       "the camera answers HTTP 401 without a challenge and Basic is "
                       "forbidden by this camera's configuration");
    }
    basic_seen = true;
    return {};
  }

  // A pooled connection or a new one.
  asio::awaitable<Result<ConnectionPtr>> Acquire(Clock::time_point deadline, bool pooled) {
    while (pooled && !idle.empty()) {
      ConnectionPtr connection = std::move(idle.back());
      idle.pop_back();
      if (connection->stream.socket().is_open()) {
        connection->reused = true;
        ++reused;
        co_return connection;
      }
    }
    tcp::resolver resolver(io);
    auto [resolve_error, endpoints] =
        co_await resolver.async_resolve(settings.host, std::to_string(settings.port), kTuple);
    if (closed) co_return MakeError(kClosedTag, "the client is closed");
    if (resolve_error) {
      co_return MakeError(kConnectTag, "cannot resolve the host: " + resolve_error.message());
    }
    auto connection = std::make_shared<Connection>(io);
    connection->stream.expires_at(std::min(deadline, Clock::now() + settings.connect_timeout));
    active.insert(connection.get());
    auto [connect_error, endpoint] = co_await connection->stream.async_connect(endpoints, kTuple);
    active.erase(connection.get());
    if (closed) co_return MakeError(kClosedTag, "the client is closed");
    if (connect_error == beast::error::timeout) {
      co_return MakeError(kTimeoutTag, "no connection within the timeout");
    }
    if (connect_error)
      co_return MakeError(kConnectTag, "cannot connect: " + connect_error.message());
    ++opened;
    co_return connection;
  }

  void Release(ConnectionPtr connection) {
    if (closed || !settings.keep_alive || idle.size() >= settings.max_idle_connections) {
      beast::error_code ignored;
      connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      connection->stream.close();
      return;
    }
    connection->stream.expires_never();
    idle.push_back(std::move(connection));
  }

  bhttp::request<bhttp::string_body> Build(const HttpRequest& request,
                                           const std::string& authorization) const {
    bhttp::request<bhttp::string_body> message;
    message.method_string(request.method);
    message.target(request.target);
    message.version(11);
    message.set(bhttp::field::host, settings.host + ":" + std::to_string(settings.port));
    message.set(bhttp::field::user_agent, settings.user_agent);
    if (!authorization.empty()) message.set(bhttp::field::authorization, authorization);
    if (!request.content_type.empty())
      message.set(bhttp::field::content_type, request.content_type);
    message.keep_alive(settings.keep_alive && settings.max_idle_connections > 0);
    message.body() = request.body;
    message.prepare_payload();
    return message;
  }

  // Classifies a transport error; `retryable` says another attempt may succeed.
  Error TransportError(const beast::error_code& error, bool& retryable) const {
    retryable = false;
    if (closed) return MakeError(kClosedTag, "the client is closed");
    if (error == beast::error::timeout)
      return MakeError(kTimeoutTag, "no answer within the timeout");
    if (error == bhttp::error::body_limit) {
      return MakeError(kTooLargeTag,
                       "the answer exceeds " + std::to_string(settings.max_body_bytes) + " bytes");
    }
    if (error.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
        error != bhttp::error::end_of_stream && error != bhttp::error::partial_message) {
      return MakeError(kProtocolTag, "not a readable HTTP answer: " + error.message());
    }
    retryable = true;
    return MakeError(kConnectTag, "the connection failed: " + error.message());
  }

  asio::awaitable<std::optional<Result<HttpResponse>>> Exchange(HttpRequest request) {
    const auto deadline = Clock::now() + request.timeout.value_or(settings.request_timeout);
    unsigned attempt = 0;
    unsigned auth_rounds = 0;
    bool fresh_challenge = false;
    while (true) {
      ++attempt;
      auto connection = co_await Acquire(deadline, true);
      std::optional<Error> failure;
      bool retryable = false;
      bhttp::response<bhttp::string_body> response;
      SentAuth sent = SentAuth::kNone;
      if (!connection) {
        failure = connection.error();
        retryable = HttpErrorKindOf(*failure) == HttpErrorKind::kConnect;
      } else {
        ConnectionPtr c = std::move(connection.value());
        auto [authorization, how] = Authorization(request.method, request.target, fresh_challenge);
        sent = how;
        fresh_challenge = false;
        auto message = Build(request, authorization);
        c->stream.expires_at(deadline);
        active.insert(c.get());
        auto [write_error, written] = co_await bhttp::async_write(c->stream, message, kTuple);
        beast::error_code read_error;
        bhttp::response_parser<bhttp::string_body> parser;
        if (!write_error) {
          parser.header_limit(kHeaderLimit);
          parser.body_limit(settings.max_body_bytes);
          auto [error, read] = co_await bhttp::async_read(c->stream, c->buffer, parser, kTuple);
          read_error = error;
        }
        active.erase(c.get());
        if (write_error || read_error) {
          failure = TransportError(write_error ? write_error : read_error, retryable);
          // A state-changing request the camera may have received is not sent twice, except
          // when the write itself failed on a kept-alive connection the camera had closed.
          if (!request.idempotent && !(write_error && c->reused)) retryable = false;
          c->stream.close();
        } else {
          response = parser.release();
          if (response.keep_alive()) {
            Release(std::move(c));
          } else {
            c->stream.close();
          }
        }
      }
      if (failure) {
        if (retryable && attempt < settings.max_attempts && !closed) {
          auto pause = settings.retry_delay * (attempt - 1);
          if (Clock::now() + pause < deadline) {
            ++retries;
            if (pause.count() > 0) {
              asio::steady_timer timer(io, pause);
              co_await timer.async_wait(kTuple);
            }
            continue;
          }
        }
        co_return *failure;
      }
      if (response.result_int() == 401 && auth_rounds < 2) {
        auto learned = Challenged(response.base(), sent);
        if (!learned) co_return learned.error();
        ++auth_rounds;
        ++challenges;
        fresh_challenge = true;
        --attempt;  // a challenge is not a failed attempt
        continue;
      }
      if (response.result_int() == 401) {
        co_return MakeError(kAuthTag, "the camera keeps answering HTTP 401");
      }
      HttpResponse out;
      out.status = response.result_int();
      for (const auto& field : response) {
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      out.body = std::move(response.body());
      co_return out;
    }
  }

  // An endless response: pictures of a multipart stream, or lines of text, for `on_item`.
  asio::awaitable<std::optional<Result<void>>> Stream(
      std::string target, StreamKind kind, const std::function<bool(std::string_view)>& on_item,
      milliseconds stall_timeout, std::stop_token stop) {
    unsigned auth_rounds = 0;
    bool fresh_challenge = false;
    while (true) {
      if (stop.stop_requested()) co_return Result<void>{};
      auto connection = co_await Acquire(Clock::now() + stall_timeout, false);
      if (!connection) co_return connection.error();
      ConnectionPtr c = std::move(connection.value());
      struct ActiveGuard {
        Impl* impl;
        Connection* c;
        ~ActiveGuard() { impl->active.erase(c); }
      } guard{this, c.get()};
      active.insert(c.get());
      // A stop request cancels the connection's pending read from the I/O thread.
      std::weak_ptr<Connection> weak = c;
      std::stop_callback on_stop(stop, [this, weak] {
        asio::post(io, [weak] {
          if (auto alive = weak.lock()) alive->stream.cancel();
        });
      });
      if (stop.stop_requested()) co_return Result<void>{};
      auto [authorization, sent] = Authorization("GET", target, fresh_challenge);
      fresh_challenge = false;
      HttpRequest request;
      request.target = target;
      auto message = Build(request, authorization);
      message.keep_alive(false);
      c->stream.expires_after(stall_timeout);
      auto [write_error, written] = co_await bhttp::async_write(c->stream, message, kTuple);
      bool retryable = false;
      if (write_error) co_return TransportError(write_error, retryable);
      bhttp::response_parser<bhttp::buffer_body> parser;
      parser.header_limit(kHeaderLimit);
      parser.body_limit(boost::none);  // an endless stream: each picture is bounded instead
      auto [header_error, header_bytes] =
          co_await bhttp::async_read_header(c->stream, c->buffer, parser, kTuple);
      if (stop.stop_requested()) co_return Result<void>{};
      if (header_error) co_return TransportError(header_error, retryable);
      const auto& header = parser.get();
      if (header.result_int() == 401 && auth_rounds < 2) {
        auto learned = Challenged(header.base(), sent);
        if (!learned) co_return learned.error();
        ++auth_rounds;
        ++challenges;
        fresh_challenge = true;
        continue;
      }
      if (header.result_int() != 200) {
        co_return MakeError(kProtocolTag, "the stream " + target + " answered HTTP " +
                                              std::to_string(header.result_int()));
      }
      std::optional<MultipartParser> parts;
      if (kind == StreamKind::kMultipart) {
        auto boundary = MultipartBoundary(header[bhttp::field::content_type]);
        if (!boundary) {
          co_return MakeError(kProtocolTag, "the stream " + target + " is not multipart (" +
                                                std::string(header[bhttp::field::content_type]) +
                                                ")");
        }
        parts.emplace(*boundary, settings.max_body_bytes);
      }
      std::string pending;  // kLines: the line read so far
      // The end of the response: a last line without its line end still counts.
      auto finish = [&]() -> Result<void> {
        if (kind == StreamKind::kLines && !pending.empty()) {
          std::string_view line = pending;
          if (line.back() == '\r') line.remove_suffix(1);
          on_item(line);
        }
        return {};
      };
      std::vector<char> chunk(kStreamReadChunk);
      while (!parser.is_done()) {
        if (stop.stop_requested() || closed) co_return Result<void>{};
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        c->stream.expires_after(stall_timeout);
        // read_some: hand over whatever arrived (a picture is due as soon as it is complete),
        // not only once the chunk is full.
        auto [read_error, read] =
            co_await bhttp::async_read_some(c->stream, c->buffer, parser, kTuple);
        if (read_error == bhttp::error::need_buffer) read_error = {};
        size_t filled = chunk.size() - parser.get().body().size;
        if (filled > 0 && parts) {
          auto fed =
              parts->Feed(std::string_view(chunk.data(), filled),
                          [&](std::string_view body, std::string_view) { return on_item(body); });
          if (!fed) {
            co_return MakeError(fed.error().message.find("exceeds") != std::string::npos
                                    ? kTooLargeTag
                                    : kProtocolTag,
                                fed.error().message);
          }
          if (!parts->wants_more()) co_return Result<void>{};
        } else if (filled > 0) {
          switch (FeedLines(pending, std::string_view(chunk.data(), filled), on_item,
                            settings.max_body_bytes)) {
            case LineFeed::kMore:
              break;
            case LineFeed::kDone:
              co_return Result<void>{};
            case LineFeed::kTooLong:
              co_return MakeError(kTooLargeTag, "a line of " + target + " exceeds " +
                                                    std::to_string(settings.max_body_bytes) +
                                                    " bytes");
          }
        }
        if (stop.stop_requested()) co_return Result<void>{};
        if (read_error == bhttp::error::end_of_stream || read_error == asio::error::eof) {
          co_return finish();
        }
        if (read_error == beast::error::timeout) {
          co_return MakeError(kTimeoutTag, "the stream " + target + " sent nothing for " +
                                               std::to_string(stall_timeout.count()) + " ms");
        }
        if (read_error) co_return TransportError(read_error, retryable);
      }
      co_return finish();
    }
  }

  void Close() {
    std::call_once(close_once, [this] {
      closed = true;
      asio::post(io, [this] {
        for (auto& connection : idle) connection->stream.close();
        idle.clear();
        for (Connection* connection : active) connection->stream.cancel();
      });
      work.reset();
      if (thread.joinable()) thread.join();
    });
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpClient::~HttpClient() { Close(); }

Result<std::unique_ptr<HttpClient>> HttpClient::Create(HttpClientSettings settings) {
  if (settings.host.empty()) return Error{"the camera's HTTP host is empty"};
  if (settings.port == 0) return Error{"the camera's HTTP port is 0"};
  if (settings.max_attempts == 0) return Error{"max_attempts must be at least 1"};
  return std::unique_ptr<HttpClient>(new HttpClient(std::make_unique<Impl>(std::move(settings))));
}

Result<HttpResponse> HttpClient::Send(HttpRequest request) {
  ++impl_->requests;
  return impl_->Run<HttpResponse>(impl_->Exchange(std::move(request)));
}

Result<HttpResponse> HttpClient::Get(std::string target) {
  HttpRequest request;
  request.target = std::move(target);
  return Send(std::move(request));
}

Result<void> HttpClient::ReadMjpeg(std::string target,
                                   const std::function<bool(std::string_view jpeg)>& on_picture,
                                   milliseconds stall_timeout, std::stop_token stop) {
  return impl_->Run<void>(
      impl_->Stream(std::move(target), StreamKind::kMultipart, on_picture, stall_timeout, stop));
}

Result<void> HttpClient::ReadLines(std::string target,
                                   const std::function<bool(std::string_view line)>& on_line,
                                   milliseconds stall_timeout, std::stop_token stop) {
  return impl_->Run<void>(
      impl_->Stream(std::move(target), StreamKind::kLines, on_line, stall_timeout, stop));
}

void HttpClient::Close() { impl_->Close(); }

const HttpClientSettings& HttpClient::settings() const { return impl_->settings; }

HttpClientCounters HttpClient::counters() const {
  return {impl_->requests, impl_->opened, impl_->reused, impl_->retries, impl_->challenges};
}

}  // namespace onvifgw::adapter_sdk
