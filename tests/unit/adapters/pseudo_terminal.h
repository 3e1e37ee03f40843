#pragma once
// A pseudo-terminal pair for tests of serial code: the code under test opens
// the slave path as if it were a serial port; the test plays the device on
// the master side. Reads are bounded by a failsafe that only a broken line
// reaches.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

namespace onvifgw::testing {

class PseudoTerminal {
 public:
  static constexpr std::chrono::milliseconds kFailsafe{5000};

  PseudoTerminal() {
    termios raw{};
    ::cfmakeraw(&raw);
    char name[256] = {};
    if (::openpty(&master_, &slave_, name, &raw, nullptr) != 0) {
      ADD_FAILURE() << "openpty: " << std::strerror(errno);
      return;
    }
    slave_path_ = name;
    ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);
  }
  ~PseudoTerminal() {
    if (master_ >= 0) ::close(master_);
    if (slave_ >= 0) ::close(slave_);
  }
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  const std::string& slave_path() const { return slave_path_; }

  /// Exactly `count` bytes the code under test wrote.
  std::string Read(size_t count) {
    std::string data;
    const auto deadline = Clock::now() + kFailsafe;
    while (data.size() < count) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        ADD_FAILURE() << "the device got only " << data.size() << " of " << count << " bytes";
        break;
      }
      pollfd pfd{master_, POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(master_, buffer, std::min(sizeof buffer, count - data.size()));
      if (n > 0) data.append(buffer, static_cast<size_t>(n));
    }
    return data;
  }

  /// Everything that arrives until the line has been quiet for `quiet`.
  std::string ReadUntilQuiet(std::chrono::milliseconds quiet) {
    std::string data;
    const auto deadline = Clock::now() + kFailsafe;
    while (Clock::now() < deadline) {
      pollfd pfd{master_, POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(quiet.count())) <= 0) break;
      char buffer[4096];
      const ssize_t n = ::read(master_, buffer, sizeof buffer);
      if (n > 0) data.append(buffer, static_cast<size_t>(n));
    }
    return data;
  }

  /// Whether anything arrives within `window` (only used to show that
  /// something did NOT happen).
  bool HasData(std::chrono::milliseconds window) {
    pollfd pfd{master_, POLLIN, 0};
    return ::poll(&pfd, 1, static_cast<int>(window.count())) > 0;
  }

  /// Bytes from the device to the code under test.
  void Write(std::string_view bytes) {
    ASSERT_EQ(::write(master_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

 private:
  using Clock = std::chrono::steady_clock;
  int master_ = -1;
  int slave_ = -1;
  std::string slave_path_;
};

}  // namespace onvifgw::testing
