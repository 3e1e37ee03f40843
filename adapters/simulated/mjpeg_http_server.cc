#include "adapters/simulated/mjpeg_http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "adapters/sdk/logger.h"

namespace onvifgw::simulated {
namespace {

constexpr std::size_t kMaxRequestBytes = 4096;
constexpr int kRequestTimeoutMs = 5000;
constexpr const char* kBoundary = "frame";

bool SendAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool SendAll(int fd, const std::string& s) { return SendAll(fd, s.data(), s.size()); }

// The request line's target, once the whole header is in; empty on a bad,
// slow or oversized request.
std::string ReadRequestTarget(int fd) {
  std::string header;
  char buf[1024];
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kRequestTimeoutMs);
  while (header.find("\r\n\r\n") == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || header.size() > kMaxRequestBytes) return {};
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return {};
    header.append(buf, static_cast<std::size_t>(n));
  }
  // "GET <target> HTTP/1.x"
  if (header.rfind("GET ", 0) != 0) return {};
  const std::size_t end = header.find(' ', 4);
  if (end == std::string::npos) return {};
  return header.substr(4, end - 4);
}

}  // namespace

MjpegHttpServer::~MjpegHttpServer() {
  stopping_ = true;
  if (wake_[1] >= 0) ::close(wake_[1]);
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard lock(mu_);
    for (Client& c : clients_) ::shutdown(c.fd, SHUT_RDWR);
  }
  for (Client& c : clients_) {
    if (c.thread.joinable()) c.thread.join();
    ::close(c.fd);
  }
  if (wake_[0] >= 0) ::close(wake_[0]);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

adapter_sdk::Result<uint16_t> MjpegHttpServer::Start(const std::string& address, uint16_t port,
                                                     FrameSource frames) {
  frames_ = std::move(frames);
  const std::string where = address + ":" + std::to_string(port);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1) {
    return adapter_sdk::Error{"cannot serve MJPEG on " + where + ": not an IPv4 address"};
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  if (listen_fd_ < 0 || ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 16) != 0 || ::pipe2(wake_, O_CLOEXEC) != 0) {
    return adapter_sdk::Error{"cannot serve MJPEG on " + where + ": " + std::strerror(errno)};
  }
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  acceptor_ = std::thread([this] { AcceptLoop(); });
  return static_cast<uint16_t>(ntohs(a.sin_port));
}

void MjpegHttpServer::AcceptLoop() {
  while (!stopping_) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents != 0) return;  // the destructor closed the pipe
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (fd < 0) continue;
    char ip[INET_ADDRSTRLEN] = "?";
    ::inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    // One line per connection: tests count the pulls by it.
    adapter_sdk::LogInfo("mjpeg client connected from ", ip);
    ReapFinished();
    std::lock_guard lock(mu_);
    if (clients_.size() >= static_cast<std::size_t>(kMaxClients)) {
      SendAll(fd, std::string("HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
      ::close(fd);
      continue;
    }
    Client& c = clients_.emplace_back();
    c.fd = fd;
    c.thread = std::thread([this, &c] {
      Serve(c);
      ::shutdown(c.fd, SHUT_RDWR);  // the client sees the end now, not at the next accept
      c.done = true;
    });
  }
}

void MjpegHttpServer::ReapFinished() {
  std::lock_guard lock(mu_);
  for (auto it = clients_.begin(); it != clients_.end();) {
    if (it->done) {
      it->thread.join();
      ::close(it->fd);
      it = clients_.erase(it);
    } else {
      ++it;
    }
  }
}

void MjpegHttpServer::Serve(Client& client) {
  const std::string target = ReadRequestTarget(client.fd);
  // "/<camera>/<stream>"
  const std::size_t slash = target.find('/', 1);
  if (target.size() < 2 || target[0] != '/' || slash == std::string::npos) {
    SendAll(client.fd, std::string("HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
    return;
  }
  const std::string camera = target.substr(1, slash - 1);
  const std::string stream = target.substr(slash + 1);
  auto frame = frames_(camera, stream);
  if (!frame) {
    SendAll(client.fd, std::string("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    return;
  }
  if (!SendAll(client.fd, std::string("HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace; "
                                      "boundary=") +
                              kBoundary +
                              "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")) {
    return;
  }
  // Paced by the stream's frame rate, on a schedule (not sleep-after-send),
  // so encoding time does not slow the stream down.
  auto next = std::chrono::steady_clock::now();
  while (!stopping_ && frame) {
    const std::string part =
        std::string("--") + kBoundary +
        "\r\nContent-Type: image/jpeg\r\nContent-Length: " + std::to_string(frame->jpeg.size()) +
        "\r\n\r\n";
    if (!SendAll(client.fd, part) || !SendAll(client.fd, frame->jpeg) ||
        !SendAll(client.fd, "\r\n", 2)) {
      return;
    }
    next += std::chrono::microseconds(
        static_cast<int64_t>(1e6 / std::clamp(frame->framerate, 0.1, 120.0)));
    const auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // fell behind: do not burst to catch up
    // Woken early when the server stops (the destructor shuts the socket).
    pollfd p{client.fd, POLLIN, 0};
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now);
    if (::poll(&p, 1, static_cast<int>(wait.count())) > 0) {
      char sink[256];
      if (::recv(client.fd, sink, sizeof sink, MSG_DONTWAIT) <= 0) return;  // client left
    }
    frame = frames_(camera, stream);
  }
}

}  // namespace onvifgw::simulated
