// The web service port hands connections that leave HTTP (RTSP tunnelled in
// HTTP) to their new owner: with every byte read so far, before any body
// limit or authentication, and with a socket that still works.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "http/listener.h"
#include "loopback_socket.h"

namespace onvifgw::http {
namespace {

class ConnectionHandoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Limits limits;
    limits.max_body_bytes = 1024;  // below what a tunnel's POST announces
    listener_ = std::make_shared<Listener>(
        io_, limits,
        [this](const Request& r, std::function<void(Response)> respond) {
          ++http_requests_;
          Response resp;
          resp.content_type = "text/plain";
          resp.body = std::string(r.method) + " " + std::string(r.target);
          respond(std::move(resp));
        },
        "handover-test");
    ConnectionHandover handover;
    handover.wants = [](std::string_view method, std::string_view target, std::string_view accept,
                        std::string_view content_type) {
      return target == "/tunnel" && ((method == "GET" && accept == "application/x-tunnel") ||
                                     (method == "POST" && content_type == "application/x-tunnel"));
    };
    handover.take = [this](HandedOverConnection c) { taken_.set_value(std::move(c)); };
    listener_->set_handover(std::move(handover));
    ASSERT_TRUE(listener_->Listen("127.0.0.1", 0).ok());
    listener_->Run();
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    listener_->Stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  static void Send(int fd, const std::string& s) {
    ASSERT_EQ(::send(fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::shared_ptr<Listener> listener_;
  std::thread thread_;
  std::atomic<int> http_requests_{0};
  std::promise<HandedOverConnection> taken_;
};

TEST_F(ConnectionHandoverTest, TheNewOwnerGetsTheHeaderWhatFollowedAndAWorkingSocket) {
  testing::LoopbackSocket client(listener_->port());
  // A tunnel's POST: a body length far above the HTTP limit, and the first
  // tunnelled bytes in the same segment as the header.
  client.Send(
      "POST /tunnel HTTP/1.0\r\nx-sessioncookie: abc\r\nContent-Type: application/x-tunnel\r\n"
      "Content-Length: 32767\r\n\r\nREJTQ1JJQkU=");
  auto taken = taken_.get_future();
  ASSERT_EQ(taken.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  HandedOverConnection c = taken.get();
  EXPECT_EQ(
      c.received,
      "POST /tunnel HTTP/1.0\r\nx-sessioncookie: abc\r\nContent-Type: application/x-tunnel\r\n"
      "Content-Length: 32767\r\n\r\nREJTQ1JJQkU=");
  EXPECT_EQ(c.remote_address, "127.0.0.1");
  EXPECT_NE(c.remote_port, 0);
  ASSERT_GE(c.fd, 0);
  // The socket is the new owner's alone: both directions work, and HTTP
  // never answered on it.
  client.Send("more");
  char buf[16] = {};
  ASSERT_EQ(::recv(c.fd, buf, 4, MSG_WAITALL), 4);
  EXPECT_EQ(std::string(buf, 4), "more");
  Send(c.fd, "RTSP/1.0 200 OK\r\n\r\n");
  EXPECT_EQ(client.ReceiveSome(), "RTSP/1.0 200 OK\r\n\r\n");
  EXPECT_EQ(http_requests_.load(), 0);
  ::close(c.fd);
}

TEST_F(ConnectionHandoverTest, OtherRequestsStayHttpOnTheSamePort) {
  testing::LoopbackSocket client(listener_->port());
  client.Send("GET /tunnel HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
  const std::string reply = client.ReceiveSome();
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  EXPECT_NE(reply.find("GET /tunnel"), std::string::npos) << reply;
  EXPECT_EQ(http_requests_.load(), 1);
}

}  // namespace
}  // namespace onvifgw::http
