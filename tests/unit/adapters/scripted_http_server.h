#pragma once
// A loopback HTTP server whose every answer the test scripts: the camera side of HTTP client
// tests. Each accepted connection gets its own thread; each request on it is read (headers and a
// Content-Length body) and handed to the test's handler, whose Reply says what goes back on the
// wire, including the misbehaviour real cameras show (closing, stalling, endless bodies).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace onvifgw::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::string authorization;  // the Authorization header, empty when absent
  std::string body;
  int connection = 0;  // 1 for the first connection accepted, and so on
};

struct Reply {
  Reply() = default;
  Reply(std::string bytes) : raw(std::move(bytes)) {}  // NOLINT: implicit, Reply{HttpReply(...)}

  /// Bytes written as they are (a whole HTTP response, or part of one).
  std::string raw;
  /// Close the connection after writing `raw`.
  bool close = false;
  /// Write nothing more and hold the connection open until the server stops (a hung camera).
  bool stall = false;
  /// For streams: called repeatedly after `raw` until it returns empty or the peer is gone.
  std::function<std::string()> more;
  std::chrono::milliseconds more_interval{10};
};

inline std::string HttpReply(int status, std::string_view body,
                             std::vector<std::string> extra_headers = {}) {
  std::string out = "HTTP/1.1 " + std::to_string(status) +
                    " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& header : extra_headers) out += header + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

class ScriptedHttpServer {
 public:
  using Handler = std::function<Reply(const ReceivedRequest&)>;

  explicit ScriptedHttpServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~ScriptedHttpServer() { Stop(); }

  void Stop() {
    if (stopping_.exchange(true)) return;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& thread : connections_) thread.join();
  }

  uint16_t port() const { return port_; }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int connections() const { return accepted_; }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      int id = ++accepted_;
      std::lock_guard lock(mutex_);
      open_fds_.push_back(fd);
      connections_.emplace_back([this, fd, id] { Serve(fd, id); });
    }
  }

  // Reads until `buffer` holds a whole request; false when the peer closed or the server stops.
  bool ReadRequest(int fd, std::string& buffer, ReceivedRequest& out) {
    while (true) {
      size_t end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = buffer.substr(0, end);
        size_t length = 0;
        size_t line_start = head.find("\r\n");
        std::string first = head.substr(0, line_start);
        out.method = first.substr(0, first.find(' '));
        out.target = first.substr(first.find(' ') + 1);
        out.target = out.target.substr(0, out.target.rfind(' '));
        while (line_start != std::string::npos && line_start < head.size()) {
          size_t next = head.find("\r\n", line_start + 2);
          std::string line =
              head.substr(line_start + 2,
                          next == std::string::npos ? std::string::npos : next - line_start - 2);
          std::string lower = line;
          for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (lower.rfind("content-length:", 0) == 0) length = std::stoul(line.substr(15));
          if (lower.rfind("authorization:", 0) == 0) out.authorization = line.substr(15);
          line_start = next;
        }
        if (buffer.size() >= end + 4 + length) {
          out.body = buffer.substr(end + 4, length);
          buffer.erase(0, end + 4 + length);
          return true;
        }
      }
      char chunk[4096];
      ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(got));
    }
  }

  bool Write(int fd, const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  void Serve(int fd, int id) {
    std::string buffer;
    while (!stopping_) {
      ReceivedRequest request;
      request.connection = id;
      if (!ReadRequest(fd, buffer, request)) break;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      Reply reply = handler_(request);
      if (!Write(fd, reply.raw)) break;
      if (reply.stall) {
        while (!stopping_) {
          char sink[256];
          pollfd p{fd, POLLIN, 0};
          if (::poll(&p, 1, 20) > 0 && ::recv(fd, sink, sizeof sink, 0) <= 0) break;
        }
        break;
      }
      if (reply.more) {
        bool alive = true;
        while (alive && !stopping_) {
          std::string next = reply.more();
          if (next.empty()) break;
          alive = Write(fd, next);
          std::this_thread::sleep_for(reply.more_interval);
        }
        break;
      }
      if (reply.close) break;
    }
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    std::lock_guard lock(mutex_);
    std::erase(open_fds_, fd);
  }

  Handler handler_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::vector<int> open_fds_;
  std::vector<ReceivedRequest> requests_;
};

}  // namespace onvifgw::testing
