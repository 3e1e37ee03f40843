#pragma once
// An io_context run by a few threads, and a thread-safe log sink, for the
// responder tests.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace onvifgw::discovery::testing {

class IoThreads {
 public:
  explicit IoThreads(int n) : guard_(io.get_executor()) {
    for (int i = 0; i < n; ++i) threads_.emplace_back([this] { io.run(); });
  }
  ~IoThreads() { Join(); }
  void Join() {
    guard_.reset();
    io.stop();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  boost::asio::io_context io;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

class LogSink {
 public:
  void operator()(std::string_view level, std::string_view msg) {
    std::lock_guard lock(mu_);
    lines_.push_back(std::string(level) + ": " + std::string(msg));
  }
  bool Contains(std::string_view needle) {
    std::lock_guard lock(mu_);
    for (const auto& l : lines_) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  }
  std::string All() {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

}  // namespace onvifgw::discovery::testing
