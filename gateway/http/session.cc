#include "http/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/error.hpp>

#include "core/log.h"
#include "core/media_type.h"
#include "http/peer_address.h"

namespace onvifgw::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

template <class Stream>
BasicSession<Stream>::BasicSession(
    asio::ip::tcp::socket&& socket, const Limits& limits, std::shared_ptr<const Handler> handler,
    std::shared_ptr<std::atomic<std::size_t>> open_counter,
    std::shared_ptr<const ConnectionHandover> handover) requires(!kTls)
    : stream_(std::move(socket)),
      limits_(limits),
      handler_(std::move(handler)),
      open_(std::move(open_counter)),
      handover_(std::move(handover)) {
  Init();
}

template <class Stream>
BasicSession<Stream>::BasicSession(asio::ip::tcp::socket&& socket, const Limits& limits,
                                   std::shared_ptr<const Handler> handler,
                                   std::shared_ptr<std::atomic<std::size_t>> open_counter,
                                   std::shared_ptr<asio::ssl::context> tls) requires(kTls)
    : tls_(std::move(tls)),
      stream_(std::move(socket), *tls_),
      limits_(limits),
      handler_(std::move(handler)),
      open_(std::move(open_counter)) {
  Init();
}

template <class Stream>
void BasicSession<Stream>::Init() {
  ++*open_;
  // Beast sizes each read by the buffer's spare capacity (at least 512
  // bytes): an empty buffer reads a 1.3 KB request carrying a WS-Security
  // header in two or three system calls. Room for a typical request up
  // front makes it one.
  buffer_.reserve(kInitialReadBuffer);
  boost::system::error_code ec;
  auto local = tcp().socket().local_endpoint(ec);
  if (!ec) {
    local_address_ = WithoutV4Mapping(local.address()).to_string();
    local_port_ = local.port();
  }
  auto remote = tcp().socket().remote_endpoint(ec);
  if (!ec) {
    remote_address_ = WithoutV4Mapping(remote.address()).to_string();
    remote_port_ = remote.port();
  }
}

template <class Stream>
BasicSession<Stream>::~BasicSession() {
  --*open_;
}

template <class Stream>
void BasicSession<Stream>::Start() {
  if constexpr (kTls) {
    // The handshake counts as part of the first request: it must be done
    // within the read timeout (a client that connects and says nothing, or
    // stalls mid-handshake, is dropped).
    tcp().expires_after(limits_.read_timeout);
    stream_.async_handshake(
        asio::ssl::stream_base::server,
        [self = this->shared_from_this()](beast::error_code ec) { self->OnHandshake(ec); });
  } else {
    asio::dispatch(stream_.get_executor(),
                   [self = this->shared_from_this()] { self->ReadHeader(); });
  }
}

template <class Stream>
void BasicSession<Stream>::OnHandshake(beast::error_code ec) {
  if (ec) {
    // An old protocol version, no shared cipher, no (or an untrusted)
    // client certificate, or plain HTTP sent to the TLS port: nothing to
    // answer in HTTP.
    log::Debug("http",
               std::string("TLS handshake with ") + remote_address_ + " failed: " + ec.message());
    return Close();
  }
  ReadHeader();
}

template <class Stream>
void BasicSession<Stream>::ReadHeader() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
  // The body limit is checked once the header is in (OnHeader): a
  // connection handed over (a tunnel's POST announces a body far above it)
  // must not be refused first.
  parser_->body_limit(boost::none);
  // The first request must arrive within the read timeout; later ones within
  // the keep-alive idle timeout.
  tcp().expires_after(requests_ == 0 ? limits_.read_timeout : limits_.idle_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
}

template <class Stream>
void BasicSession<Stream>::OnHeader(beast::error_code ec) {
  if (ec == bhttp::error::header_limit) return SendError(431, "Request header too large", true);
  // A TLS peer that closes without close_notify (stream_truncated) has gone
  // like any other: nothing to answer.
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::connection_reset || ec == asio::error::eof ||
      ec == asio::ssl::error::stream_truncated) {
    return Close();
  }
  if (ec) return SendError(400, "Bad request", true);
  // Before the body limit: a tunnel's POST announces a large body that is
  // really an endless stream.
  if (HandedOver()) return;
  const auto& header = parser_->get();
  const auto type = header[bhttp::field::content_type];
  const bool upload =
      (!limits_.upload_prefix.empty() && header.target().starts_with(limits_.upload_prefix)) ||
      (limits_.multipart_uploads &&
       ParseMediaType(std::string_view(type.data(), type.size())).Is("multipart/related"));
  const std::size_t limit = upload ? limits_.max_upload_bytes : limits_.max_body_bytes;
  if (parser_->content_length() && *parser_->content_length() > limit) {
    return SendError(413, "Request body too large", true);
  }
  parser_->body_limit(limit);  // a chunked body, as it arrives
  tcp().expires_after(upload ? limits_.upload_timeout : limits_.read_timeout);
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
}

template <class Stream>
bool BasicSession<Stream>::HandedOver() {
  if constexpr (kTls) {
    return false;  // RTSP tunnelled in HTTPS is not offered
  }
  if (!handover_ || !*handover_) return false;
  const auto& header = parser_->get();
  const auto method = header.method_string();
  const auto target = header.target();
  const auto accept = header[bhttp::field::accept];
  const auto content_type = header[bhttp::field::content_type];
  if (!handover_->wants(std::string_view(method.data(), method.size()),
                        std::string_view(target.data(), target.size()),
                        std::string_view(accept.data(), accept.size()),
                        std::string_view(content_type.data(), content_type.size()))) {
    return false;
  }
  // The new owner parses the request itself: the header as it came (fields
  // in arrival order), then whatever the client sent after it.
  HandedOverConnection c;
  c.received.append(method.data(), method.size()).append(" ");
  c.received.append(target.data(), target.size());
  c.received.append(header.version() == 10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  for (const auto& field : header) {
    c.received.append(field.name_string().data(), field.name_string().size()).append(": ");
    c.received.append(field.value().data(), field.value().size()).append("\r\n");
  }
  c.received.append("\r\n");
  c.received.append(beast::buffers_to_string(buffer_.data()));
  buffer_.consume(buffer_.size());
  c.remote_address = remote_address_;
  c.remote_port = remote_port_;
  tcp().expires_never();
  beast::error_code ec;
  c.fd = tcp().socket().release(ec);
  if (ec) {
    Close();
    return true;
  }
  handover_->take(std::move(c));
  return true;
}

template <class Stream>
void BasicSession<Stream>::OnBody(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) return SendError(413, "Request body too large", true);
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::ssl::error::stream_truncated) {
    return Close();
  }
  if (ec) return SendError(400, "Bad request", true);
  request_ = parser_->release();
  ++requests_;
  tcp().expires_never();  // the handler may take until the adapter deadline
  Dispatch();
}

template <class Stream>
void BasicSession<Stream>::Dispatch() {
  Request r;
  r.method = std::string_view(request_.method_string().data(), request_.method_string().size());
  r.target = std::string_view(request_.target().data(), request_.target().size());
  auto ct = request_[bhttp::field::content_type];
  r.content_type = std::string_view(ct.data(), ct.size());
  auto auth = request_[bhttp::field::authorization];
  r.authorization = std::string_view(auth.data(), auth.size());
  r.body = request_.body();
  r.local_address = local_address_;
  r.local_port = local_port_;
  r.remote_address = remote_address_;
  r.tls = kTls;
  const bool keep_alive = request_.keep_alive();
  (*handler_)(r, [self = this->shared_from_this(), keep_alive](Response resp) {
    // Back onto this connection's strand, whatever thread answered. A
    // handler that answered at once is still on the strand: dispatch then
    // sends inline instead of queueing (and waking a thread for) a post.
    asio::dispatch(self->stream_.get_executor(),
                   [self, keep_alive, resp = std::move(resp)]() mutable {
                     self->Send(std::move(resp), keep_alive);
                   });
  });
}

template <class Stream>
void BasicSession<Stream>::SendError(unsigned status, const char* text, bool close) {
  Response r;
  r.status = static_cast<int>(status);
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::string(text) + "\n";
  request_ = {};
  request_.version(11);
  Send(std::move(r), !close);
}

template <class Stream>
void BasicSession<Stream>::Send(Response r, bool keep_alive) {
  response_ = std::make_shared<bhttp::response<bhttp::string_body>>();
  auto& res = *response_;
  res.version(11);
  res.result(static_cast<unsigned>(r.status));
  res.set(bhttp::field::server, "onvif-gateway");
  if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) res.insert(k, v);  // several WWW-Authenticate
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();  // exact Content-Length, never chunked
  if (r.delay.count() > 0) {
    delay_timer_.emplace(stream_.get_executor());
    delay_timer_->expires_after(r.delay);
    delay_timer_->async_wait([self = this->shared_from_this(), keep_alive](beast::error_code) {
      self->Write(keep_alive);
    });
    return;
  }
  Write(keep_alive);
}

template <class Stream>
void BasicSession<Stream>::Write(bool keep_alive) {
  auto& res = *response_;
  tcp().expires_after(limits_.read_timeout);
  bhttp::async_write(stream_, res,
                     [self = this->shared_from_this(), close = !keep_alive](
                         beast::error_code ec, std::size_t) { self->OnWrite(close, ec); });
}

template <class Stream>
void BasicSession<Stream>::OnWrite(bool close, beast::error_code ec) {
  response_.reset();
  if (ec) return Close();
  if (close) return LingeringClose();
  ReadHeader();
}

template <class Stream>
void BasicSession<Stream>::Close() {
  beast::error_code ec;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  tcp().socket().close(ec);
}

// Closing a socket that still has unread request bytes makes the kernel send
// a reset, which can destroy the error response before the client reads it
// (a 413 for a body we never read). So: end our side, then discard what the
// client still sends until it closes or a short deadline passes.
template <class Stream>
void BasicSession<Stream>::LingeringClose() {
  beast::error_code ec;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  tcp().expires_after(std::chrono::seconds(2));
  Drain();
}

template <class Stream>
void BasicSession<Stream>::Drain() {
  tcp().async_read_some(asio::buffer(drain_buffer_),
                        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                          if (ec) return self->Close();
                          self->Drain();
                        });
}

template class BasicSession<beast::tcp_stream>;
template class BasicSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace onvifgw::http
