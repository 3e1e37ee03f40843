#pragma once
// One HTTP/1.1 connection: owns its stream and buffer, sets a deadline before
// every read, builds a fresh parser with header and body limits per message,
// answers in order (pipelined requests are read one after the other), keeps
// the connection alive unless the client asks otherwise.
//
// One template for both kinds of connection: plain TCP (`Session`) and TLS
// over TCP (`TlsSession`, which first completes the handshake within the read
// timeout). Only a plain connection can be handed over to another protocol:
// a TLS one's bytes are not the socket's.

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>
#include <type_traits>

#include "http/http_types.h"

namespace onvifgw::http {

template <class Stream>
class BasicSession : public std::enable_shared_from_this<BasicSession<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, boost::beast::tcp_stream>;

  /// A plain connection.
  BasicSession(boost::asio::ip::tcp::socket&& socket, const Limits& limits,
               std::shared_ptr<const Handler> handler,
               std::shared_ptr<std::atomic<std::size_t>> open_counter,
               std::shared_ptr<const ConnectionHandover> handover = nullptr) requires(!kTls);
  /// A TLS connection served with `tls` (kept for the connection's life: a
  /// certificate changed meanwhile applies to the next connections).
  BasicSession(boost::asio::ip::tcp::socket&& socket, const Limits& limits,
               std::shared_ptr<const Handler> handler,
               std::shared_ptr<std::atomic<std::size_t>> open_counter,
               std::shared_ptr<boost::asio::ssl::context> tls) requires kTls;
  ~BasicSession();
  void Start();

 private:
  using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
  void Init();
  void OnHandshake(boost::beast::error_code ec);
  boost::beast::tcp_stream& tcp() { return boost::beast::get_lowest_layer(stream_); }
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void OnBody(boost::beast::error_code ec);
  /// Gives the connection to `handover_` if it wants this request; true if
  /// it did (the session then ends without touching the socket again).
  bool HandedOver();
  void Dispatch();
  void SendError(unsigned status, const char* text, bool close);
  void Send(Response r, bool keep_alive);
  void Write(bool keep_alive);
  void OnWrite(bool close, boost::beast::error_code ec);
  void Close();
  void LingeringClose();
  void Drain();

  std::shared_ptr<boost::asio::ssl::context> tls_;  ///< before stream_, which uses it
  Stream stream_;
  /// Bytes reserved for reading requests (grows for larger ones).
  static constexpr std::size_t kInitialReadBuffer = 4096;
  boost::beast::flat_buffer buffer_;
  Limits limits_;
  std::shared_ptr<const Handler> handler_;
  std::shared_ptr<std::atomic<std::size_t>> open_;
  std::shared_ptr<const ConnectionHandover> handover_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  BeastRequest request_;
  std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response_;
  std::string local_address_;
  unsigned short local_port_ = 0;
  std::string remote_address_;
  unsigned short remote_port_ = 0;
  unsigned requests_ = 0;
  std::array<char, 4096> drain_buffer_{};
  std::optional<boost::asio::steady_timer> delay_timer_;
};

using Session = BasicSession<boost::beast::tcp_stream>;
using TlsSession = BasicSession<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace onvifgw::http
