#include "relay/client_socket.h"

#include <fcntl.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>

namespace onvifgw::relay {

namespace {

// How far apart samples may be: a stalled connection has made no progress
// for the whole timeout, sampled at most this late.
constexpr std::chrono::milliseconds kSampleSlack{1500};

// tcpi_state of an established connection (TCP_ESTABLISHED in the kernel's
// tcp_states.h, which <linux/tcp.h> does not export).
constexpr std::uint8_t kTcpEstablished = 1;

}  // namespace

void LimitUnacknowledgedTime(int fd) {
  const unsigned timeout_ms = static_cast<unsigned>(kStalledClientTimeout.count());
  ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &timeout_ms, sizeof timeout_ms);
}

ClientProgress::ClientProgress(int fd, Clock::time_point now)
    : fd_(::fcntl(fd, F_DUPFD_CLOEXEC, 0)), last_progress_(now) {}

ClientProgress::~ClientProgress() {
  if (fd_ >= 0) ::close(fd_);
}

void ClientProgress::Sample(Clock::time_point now) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (fd_ < 0 || ::getsockopt(fd_, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return;
  // Progress: the client acknowledged more, or nothing waits for it. A
  // connection the kernel has ended keeps its last counts.
  const bool waiting = info.tcpi_unacked > 0 || info.tcpi_notsent_bytes > 0;
  if (info.tcpi_bytes_acked != acked_ || (!waiting && info.tcpi_state == kTcpEstablished)) {
    last_progress_ = now;
  }
  acked_ = info.tcpi_bytes_acked;
}

bool ClientProgress::Stalled(Clock::time_point now) const {
  return now - last_progress_ >= kStalledClientTimeout - kSampleSlack;
}

}  // namespace onvifgw::relay
