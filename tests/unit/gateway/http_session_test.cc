// http::Listener and http::Session on a loopback port, spoken to byte by
// byte: what a handler is given, keep-alive and Connection: close, pipelined
// requests answered in order, the header and body limits (and the upload
// limit for firmware and MTOM requests), the idle timeout,
// the connection limit, and a held-back (delayed) response.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "http/listener.h"
#include "loopback_socket.h"

namespace onvifgw::http {
namespace {

using onvifgw::testing::LoopbackSocket;
using namespace std::chrono_literals;

class HttpSessionTest : public ::testing::Test {
 protected:
  void Start(Limits limits) {
    listener_ = std::make_shared<Listener>(
        io_, limits,
        [this](const Request& r, std::function<void(Response)> respond) {
          {
            std::lock_guard lock(mu_);
            last_ = {std::string(r.method),       std::string(r.target),
                     std::string(r.content_type), std::string(r.authorization),
                     std::string(r.body),         r.remote_address};
          }
          ++requests_;
          Response resp;
          resp.content_type = "text/plain";
          resp.body = std::string(r.method) + " " + std::string(r.target);
          if (r.target == "/slow") resp.delay = 300ms;
          if (r.target == "/header") resp.headers.emplace_back("X-Test", "yes");
          respond(std::move(resp));
        },
        "session-test");
    ASSERT_TRUE(listener_->Listen("127.0.0.1", 0).ok());
    listener_->Run();
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    if (listener_) listener_->Stop();
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  uint16_t port() const { return listener_->port(); }

  struct Seen {
    std::string method, target, content_type, authorization, body, remote;
  };
  Seen last() {
    std::lock_guard lock(mu_);
    return last_;
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::shared_ptr<Listener> listener_;
  std::thread thread_;
  std::mutex mu_;
  Seen last_;
  std::atomic<int> requests_{0};
};

TEST_F(HttpSessionTest, TheHandlerIsGivenTheRequestAndConnectionsStayOpen) {
  Start({});
  LoopbackSocket c(port());
  ASSERT_TRUE(c.connected());
  c.Send(
      "POST /onvif/device_service?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/soap+xml\r\n"
      "Authorization: Digest username=\"u\"\r\nContent-Length: 5\r\n\r\nhello");
  std::string r = c.ReceiveUntil("POST /onvif/device_service?x=1");
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  const Seen s = last();
  EXPECT_EQ(s.method, "POST");
  EXPECT_EQ(s.content_type, "application/soap+xml");
  EXPECT_EQ(s.authorization, "Digest username=\"u\"");
  EXPECT_EQ(s.body, "hello");
  EXPECT_EQ(s.remote, "127.0.0.1");
  // The same connection serves the next request, with the handler's headers.
  c.Send("GET /header HTTP/1.1\r\nHost: a\r\n\r\n");
  r = c.ReceiveUntil("GET /header");
  EXPECT_NE(r.find("X-Test: yes\r\n"), std::string::npos) << r;
  EXPECT_EQ(requests_.load(), 2);
  // Connection: close is honoured after the answer.
  c.Send("GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  bool closed = false;
  r = c.ReceiveUntilClosed(&closed);
  EXPECT_TRUE(closed);
  EXPECT_NE(r.find("GET /last"), std::string::npos) << r;
}

TEST_F(HttpSessionTest, PipelinedRequestsAreAnsweredInOrder) {
  Start({});
  LoopbackSocket c(port());
  c.Send(
      "GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /three HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  const std::string r = c.ReceiveUntilClosed();
  const auto one = r.find("GET /one");
  const auto two = r.find("GET /two");
  const auto three = r.find("GET /three");
  ASSERT_NE(three, std::string::npos) << r;
  EXPECT_LT(one, two);
  EXPECT_LT(two, three);
}

TEST_F(HttpSessionTest, OversizedHeadersAndBodiesAreRefusedAndTheConnectionClosed) {
  Limits limits;
  limits.max_header_bytes = 512;
  limits.max_body_bytes = 64;
  Start(limits);
  {
    LoopbackSocket c(port());
    c.Send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(1024, 'x') + "\r\n\r\n");
    bool closed = false;
    const std::string r = c.ReceiveUntilClosed(&closed);
    EXPECT_EQ(r.rfind("HTTP/1.1 431", 0), 0u) << r;
    EXPECT_TRUE(closed);
  }
  {
    LoopbackSocket c(port());
    c.Send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n" + std::string(65, 'b'));
    bool closed = false;
    const std::string r = c.ReceiveUntilClosed(&closed);
    EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
    EXPECT_TRUE(closed);
  }
  {
    LoopbackSocket c(port());
    c.Send("NOT HTTP AT ALL\r\n\r\n");
    const std::string r = c.ReceiveUntilClosed();
    EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;
  }
  EXPECT_EQ(requests_.load(), 0);  // none of them reached the handler
}

TEST_F(HttpSessionTest, UploadsMayBeLargerThanOtherBodies) {
  Limits limits;
  limits.max_body_bytes = 64;
  limits.upload_prefix = "/upload/";
  limits.max_upload_bytes = 1000;
  limits.multipart_uploads = true;
  Start(limits);
  auto post = [&](const std::string& target, const std::string& type, std::size_t size) {
    LoopbackSocket c(port());
    c.Send("POST " + target + " HTTP/1.1\r\nHost: a\r\nContent-Type: " + type +
           "\r\nConnection: close\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" +
           std::string(size, 'u'));
    const std::string r = c.ReceiveUntilClosed();
    return r.substr(0, r.find("\r\n"));
  };
  EXPECT_EQ(post("/upload/1", "application/octet-stream", 1000), "HTTP/1.1 200 OK");
  EXPECT_EQ(post("/upload/1", "application/octet-stream", 1001), "HTTP/1.1 413 Payload Too Large");
  // SOAP with MTOM attachments, wherever it is posted.
  EXPECT_EQ(post("/onvif/device_service", "Multipart/Related; boundary=x", 1000),
            "HTTP/1.1 200 OK");
  EXPECT_EQ(post("/onvif/device_service", "multipart/related; boundary=x", 1001),
            "HTTP/1.1 413 Payload Too Large");
  EXPECT_EQ(post("/onvif/device_service", "application/soap+xml", 65),
            "HTTP/1.1 413 Payload Too Large");
  EXPECT_EQ(last().body.size(), 1000u);
}

TEST_F(HttpSessionTest, AnIdleConnectionIsClosedAfterItsTimeout) {
  Limits limits;
  limits.idle_timeout = 200ms;
  Start(limits);
  LoopbackSocket c(port());
  c.Send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_NE(c.ReceiveUntil("GET /a").find("200 OK"), std::string::npos);
  const auto t0 = std::chrono::steady_clock::now();
  bool closed = false;
  c.ReceiveUntilClosed(&closed);  // the server's close ends this read (bounded by 5 s)
  EXPECT_TRUE(closed);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
}

TEST_F(HttpSessionTest, ConnectionsBeyondTheLimitAreRefused) {
  Limits limits;
  limits.max_connections = 1;
  Start(limits);
  LoopbackSocket first(port());
  first.Send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_NE(first.ReceiveUntil("GET /a").find("200 OK"), std::string::npos);
  LoopbackSocket second(port());
  second.Send("GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
  bool closed = false;
  const std::string r = second.ReceiveUntilClosed(&closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(r.find("GET /b"), std::string::npos) << r;
  EXPECT_EQ(listener_->connections(), 1u);
}

TEST_F(HttpSessionTest, AHeldBackResponseArrivesAfterItsDelay) {
  Start({});
  LoopbackSocket c(port());
  const auto t0 = std::chrono::steady_clock::now();
  c.Send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_NE(c.ReceiveUntil("GET /slow").find("200 OK"), std::string::npos);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 300ms);
  // The connection is still usable afterwards.
  c.Send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_NE(c.ReceiveUntil("GET /next").find("200 OK"), std::string::npos);
}

}  // namespace
}  // namespace onvifgw::http
