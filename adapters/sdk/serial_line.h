#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/sdk/result.h"

namespace onvifgw::adapter_sdk {

/// Parity of every character on the line.
enum class Parity { kNone, kEven, kOdd };

/// How to open a serial line. Validated by SerialLine::Open.
struct SerialSettings {
  /// The tty device, e.g. "/dev/ttyUSB0".
  std::string path;
  /// One of the standard termios rates: 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600,
  /// 115200, 230400.
  unsigned baud = 9600;
  Parity parity = Parity::kNone;
  /// 5..8.
  unsigned data_bits = 8;
  /// 1 or 2.
  unsigned stop_bits = 1;
  /// Silence kept between the end of one frame on the wire and the start of the next (RS-485
  /// receivers on a shared bus need it to tell frames apart). Unset: as long as the previous frame
  /// took on the wire, counted as 10 bits per byte at `baud`.
  std::optional<std::chrono::milliseconds> inter_frame_gap;
  /// How long a frame may wait in the queue and be written before Send/Exchange give up with a
  /// timeout: a line that cannot be written (stuck driver, full buffer) cannot hang a caller.
  std::chrono::milliseconds write_timeout{1000};
};

/// What a ResponseMatcher found in the bytes received so far.
struct ResponseMatch {
  /// False: no complete response yet, call again when more bytes arrive.
  bool found = false;
  /// The response is received.substr(offset, length); meaningful only when found.
  size_t offset = 0;
  size_t length = 0;

  static ResponseMatch NeedMore() { return {}; }
  static ResponseMatch Found(size_t offset, size_t length) { return {true, offset, length}; }
};

/// Recognises a complete response in all the bytes received since the request frame started to
/// be written. Called on the line's loop thread each time bytes arrive, always with the whole
/// buffer (so it can be a pure function); it skips garbage itself (resynchronisation is protocol
/// knowledge). Must not block and must not call back into the SerialLine.
using ResponseMatcher = std::function<ResponseMatch(std::string_view received)>;

/// Why a SerialLine call failed, for mapping to a gRPC status.
enum class SerialErrorKind {
  /// Bad SerialSettings (e.g. baud 1234). Maps to INVALID_ARGUMENT / startup failure.
  kInvalidSettings,
  /// The device could not be opened, configured, read or written. Maps to UNAVAILABLE.
  kIo,
  /// No response (or the write did not complete) in time. Maps to DEADLINE_EXCEEDED.
  kTimeout,
  /// The line was closed while the call waited or before it was made. Maps to UNAVAILABLE.
  kClosed,
};

/// The kind of an Error returned by SerialLine. Error carries only a message, so SerialLine starts
/// every message with a fixed tag ("timeout: ", "closed: ", "invalid settings: ", "serial i/o: ")
/// that this function reads back; an Error not made by SerialLine is reported as kIo.
SerialErrorKind SerialErrorKindOf(const Error& error);

/// One serial port (typically an RS-485 bus shared by several devices), with a single writer.
///
/// The line runs its own libuv loop on its own thread; every public method may be called from any
/// thread, concurrently. Frames are written whole and in the order they were accepted: frames of
/// different callers never interleave. Exchange holds the line (half-duplex) until its response
/// arrives or times out. Bytes that arrive while no Exchange waits for them are discarded and
/// counted (DiscardedByteCount) — devices on such buses do not talk unprompted.
///
/// Close() may be called while other threads are inside Send/Exchange: they fail promptly with
/// kClosed. The destructor closes the line too, but must not run while calls are in flight (the
/// owner keeps the object alive until its callers have returned).
class SerialLine {
 public:
  /// Opens and configures the tty (raw 8N1-style termios, no flow control, CLOCAL|CREAD, pending
  /// input and output flushed) and starts the loop thread. Errors name the path and strerror.
  static Result<std::unique_ptr<SerialLine>> Open(const SerialSettings& settings);

  ~SerialLine();
  SerialLine(const SerialLine&) = delete;
  SerialLine& operator=(const SerialLine&) = delete;

  /// Queues `frame` and returns once it has been written to the device (or failed), at most about
  /// settings.write_timeout later. A frame with a non-empty `coalesce_key` replaces a queued,
  /// not-yet-started frame with the same key in place (latest wins; it keeps the older frame's
  /// position in the queue, and the callers of both frames get the result of writing the newer
  /// one), so a flood of move commands cannot back up behind a slow bus.
  Result<void> Send(std::string frame, std::string coalesce_key = {});

  /// Writes `frame`, then holds the line until `matcher` recognises a response in the bytes
  /// received since the write started, and returns that response. `timeout` counts from the moment
  /// the frame has left the wire (write completion plus its transmission time at the baud rate);
  /// queueing and writing are bounded separately by settings.write_timeout. No response in time is
  /// a kTimeout error and leaves the line usable.
  Result<std::string> Exchange(std::string frame, ResponseMatcher matcher,
                               std::chrono::milliseconds timeout);

  /// Stops the loop thread, fails queued and waiting calls with kClosed and closes the device.
  /// Idempotent. Must not be called from a ResponseMatcher (that runs on the loop thread).
  void Close();

  /// The path the line was opened with.
  const std::string& path() const;

  /// Counters for metrics and tests. Frames waiting in the queue (not the one being written);
  /// frames replaced by a newer one with the same coalesce key; bytes received while no Exchange
  /// waited, or around a recognised response.
  size_t QueuedFrameCount() const;
  uint64_t CoalescedFrameCount() const;
  uint64_t DiscardedByteCount() const;

  /// How long `byte_count` bytes take on the wire at `baud`, counting 10 bits per byte (start,
  /// 8 data, stop), rounded up to whole milliseconds.
  static std::chrono::milliseconds WireTime(size_t byte_count, unsigned baud);

 private:
  struct Impl;
  explicit SerialLine(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace onvifgw::adapter_sdk
