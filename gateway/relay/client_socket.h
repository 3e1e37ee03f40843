#pragma once
// The relay's policy for RTSP client connections that stop reading. A
// client whose socket buffers are full holds up gst-rtsp-server's sending to
// every client of the same media, so such a client is cut off: the kernel
// gives up on a connection whose peer has acknowledged no data for
// kStalledClientTimeout (TCP_USER_TIMEOUT), which ends that client alone.
// ClientProgress watches each connection, so that such an end can be told
// from a client that left, and counted.

#include <chrono>
#include <cstdint>

namespace onvifgw::relay {

inline constexpr std::chrono::milliseconds kStalledClientTimeout{5000};

/// Applies kStalledClientTimeout to the client connection `fd`.
void LimitUnacknowledgedTime(int fd);

/// Whether a client connection moves: sampled now and then (and once more
/// when the client is gone), it remembers when the client last acknowledged
/// data or had nothing waiting for it. Holds a descriptor of its own for the
/// connection (gst-rtsp-server closes its own before it reports the client
/// gone), so the connection's end is delayed until this is destroyed.
class ClientProgress {
 public:
  using Clock = std::chrono::steady_clock;

  ClientProgress(int fd, Clock::time_point now);
  ~ClientProgress();
  ClientProgress(const ClientProgress&) = delete;
  ClientProgress& operator=(const ClientProgress&) = delete;

  void Sample(Clock::time_point now);
  /// Whether the client took no data for (about) kStalledClientTimeout:
  /// what a connection the kernel ended for that reason looks like.
  bool Stalled(Clock::time_point now) const;

 private:
  int fd_ = -1;
  uint64_t acked_ = 0;
  Clock::time_point last_progress_;
};

}  // namespace onvifgw::relay
