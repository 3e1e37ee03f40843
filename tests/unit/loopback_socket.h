#pragma once
// A blocking TCP client on 127.0.0.1 for tests that speak to a server byte
// by byte: every read is bounded (SO_RCVTIMEO), so a server that fails to
// answer fails the test instead of hanging it.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace onvifgw::testing {

class LoopbackSocket {
 public:
  /// Connects to 127.0.0.1:port; connected() says whether it was accepted.
  explicit LoopbackSocket(uint16_t port, int timeout_s = 5)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{timeout_s, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~LoopbackSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  /// Gives the descriptor away (the caller closes it).
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

  void Send(const std::string& s) const {
    ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  }
  /// What one recv returns: empty at end of stream, on error or timeout.
  std::string ReceiveSome() const {
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }
  /// Reads until `marker` has arrived (or the peer closes, or a timeout).
  std::string ReceiveUntil(const std::string& marker) const {
    std::string got;
    while (got.find(marker) == std::string::npos) {
      const std::string more = ReceiveSome();
      if (more.empty()) break;
      got += more;
    }
    return got;
  }
  /// Reads until `want` bytes arrived (or the peer stops sending).
  std::string ReceiveAtLeast(std::size_t want) const {
    std::string got;
    while (got.size() < want) {
      const std::string more = ReceiveSome();
      if (more.empty()) break;
      got += more;
    }
    return got;
  }
  /// Reads until the peer closes; `closed` says whether it did (rather than
  /// the read timing out).
  std::string ReceiveUntilClosed(bool* closed = nullptr) const {
    std::string got;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        got.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (closed != nullptr) *closed = n == 0 || errno == ECONNRESET;
      return got;
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

/// Whether 127.0.0.1:port accepts a connection.
inline bool Connects(uint16_t port) { return LoopbackSocket(port).connected(); }

}  // namespace onvifgw::testing
