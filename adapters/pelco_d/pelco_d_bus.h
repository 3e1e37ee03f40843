#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "adapters/pelco_d/pelco_d_config.h"
#include "adapters/pelco_d/pelco_d_frame.h"
#include "adapters/sdk/serial_line.h"

namespace onvifgw::pelco_d {

/// One RS-485 bus and the domes on it: a single SerialLine shared by all of its cameras, so that
/// their frames are serialised on the wire. A line that cannot be opened (or fails later: device
/// unplugged) is retried every reopen interval on a thread of its own; meanwhile every call
/// answers UNAVAILABLE. Thread-safe.
class Bus {
 public:
  Bus(LineConfig config, std::chrono::milliseconds reopen_interval);
  /// Stops the retry thread and closes the line.
  ~Bus();
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  /// Tries to open the line now (logging a failure) and starts the retry thread.
  void Start();

  const LineConfig& config() const { return config_; }
  bool IsOpen() const;

  /// Writes `frame` without waiting for an answer (a reply that comes is discarded by the line).
  /// Frames with the same non-empty `coalesce_key` replace each other while queued.
  grpc::Status Send(const Frame& frame, std::string coalesce_key = {});
  /// Writes `frame` and waits up to the line's response timeout for what `matcher` recognises.
  grpc::Status Exchange(const Frame& frame, adapter_sdk::ResponseMatcher matcher,
                        std::string* response);

  /// The serial settings a line config stands for (8N1, see LineConfig::inter_frame_gap).
  static adapter_sdk::SerialSettings SettingsFor(const LineConfig& config);

 private:
  std::shared_ptr<adapter_sdk::SerialLine> Line() const;
  grpc::Status NotOpen() const;
  // Maps a SerialLine error to a status; an I/O failure also drops the line so it gets reopened.
  grpc::Status Failed(const std::shared_ptr<adapter_sdk::SerialLine>& line,
                      const adapter_sdk::Error& error);
  // Opens the line if it is not open; returns whether it is open.
  bool TryOpen();
  void RetryLoop();

  const LineConfig config_;
  const std::chrono::milliseconds reopen_interval_;

  mutable std::mutex mutex_;
  std::condition_variable wakeup_;
  // Callers hold their own reference while they use the line, so it is closed only after them.
  std::shared_ptr<adapter_sdk::SerialLine> line_;  // Guarded by mutex_.
  std::optional<std::string> last_failure_;        // Guarded by mutex_.
  bool stopping_ = false;                          // Guarded by mutex_.
  std::thread retry_thread_;
};

}  // namespace onvifgw::pelco_d
