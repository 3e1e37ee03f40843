#include "http/http_post.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <memory>

namespace onvifgw::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

Expected<HttpUrl, std::string> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.size() < kScheme.size() || url.substr(0, kScheme.size()) != kScheme) {
    return MakeUnexpected(std::string("not an http:// address"));
  }
  std::string_view rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  HttpUrl out;
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (const auto hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
  if (out.target.empty() || out.target[0] != '/') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return MakeUnexpected(std::string("user information in the address is not supported"));
  }
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return MakeUnexpected(std::string("an unclosed '['"));
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return MakeUnexpected(std::string("text after the IPv6 address"));
      port = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) return MakeUnexpected(std::string("no host"));
  out.port = "80";
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return MakeUnexpected("a bad port '" + std::string(port) + "'");
    }
    out.port = std::to_string(value);
  }
  return out;
}

namespace {

// One exchange; keeps itself alive through its handlers.
class PostExchange : public std::enable_shared_from_this<PostExchange> {
 public:
  PostExchange(asio::io_context& io, std::chrono::milliseconds timeout,
               std::function<void(Expected<unsigned, std::string>)> done)
      : resolver_(io), stream_(io), timeout_(timeout), done_(std::move(done)) {}

  void Start(const HttpUrl& url, std::string content_type, std::string body) {
    request_.method(bhttp::verb::post);
    request_.target(url.target);
    request_.version(11);
    const bool v6 = url.host.find(':') != std::string::npos;
    const std::string host = v6 ? "[" + url.host + "]" : url.host;
    request_.set(bhttp::field::host, url.port == "80" ? host : host + ":" + url.port);
    request_.set(bhttp::field::content_type, content_type);
    request_.set(bhttp::field::connection, "close");
    request_.set(bhttp::field::user_agent, "onvif-gateway");
    request_.body() = std::move(body);
    request_.prepare_payload();
    // The resolver has no deadline of its own: the stream's timer stands
    // in for it by cancelling the resolution when it fires.
    stream_.expires_after(timeout_);
    resolve_guard_ = std::make_shared<asio::steady_timer>(stream_.get_executor(), timeout_);
    resolve_guard_->async_wait([self = shared_from_this()](const beast::error_code& ec) {
      if (!ec) self->resolver_.cancel();
    });
    resolver_.async_resolve(url.host, url.port,
                            [self = shared_from_this()](const beast::error_code& ec,
                                                        const tcp::resolver::results_type& r) {
                              self->resolve_guard_->cancel();
                              if (ec) return self->Finish("cannot resolve: " + ec.message());
                              self->Connect(r);
                            });
  }

 private:
  void Connect(const tcp::resolver::results_type& results) {
    stream_.async_connect(
        results, [self = shared_from_this()](const beast::error_code& ec, const tcp::endpoint&) {
          if (ec) return self->Finish("cannot connect: " + ec.message());
          bhttp::async_write(self->stream_, self->request_,
                             [self](const beast::error_code& wec, std::size_t) {
                               if (wec) return self->Finish("cannot send: " + wec.message());
                               self->Read();
                             });
        });
  }

  void Read() {
    parser_.body_limit(64 * 1024);  // a consumer's answer is small; more is not read
    bhttp::async_read(stream_, buffer_, parser_,
                      [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                        if (ec) return self->Finish("no answer: " + ec.message());
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                        self->Finish(self->parser_.get().result_int());
                      });
  }

  void Finish(Expected<unsigned, std::string> result) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(result));
  }
  void Finish(const std::string& why) {
    Finish(Expected<unsigned, std::string>(MakeUnexpected(why)));
  }
  void Finish(unsigned status) { Finish(Expected<unsigned, std::string>(status)); }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  std::shared_ptr<asio::steady_timer> resolve_guard_;
  std::chrono::milliseconds timeout_;
  std::function<void(Expected<unsigned, std::string>)> done_;
  bhttp::request<bhttp::string_body> request_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

}  // namespace

void Post(asio::io_context& io, const HttpUrl& url, std::string content_type, std::string body,
          std::chrono::milliseconds timeout,
          std::function<void(Expected<unsigned, std::string>)> done) {
  std::make_shared<PostExchange>(io, timeout, std::move(done))
      ->Start(url, std::move(content_type), std::move(body));
}

}  // namespace onvifgw::http
