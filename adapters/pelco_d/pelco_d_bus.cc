#include "adapters/pelco_d/pelco_d_bus.h"

#include <utility>

#include "adapters/sdk/logger.h"

namespace onvifgw::pelco_d {

using adapter_sdk::LogError;
using adapter_sdk::LogInfo;
using adapter_sdk::SerialErrorKind;
using adapter_sdk::SerialLine;

Bus::Bus(LineConfig config, std::chrono::milliseconds reopen_interval)
    : config_(std::move(config)), reopen_interval_(reopen_interval) {}

Bus::~Bus() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_all();
  if (retry_thread_.joinable()) {
    retry_thread_.join();
  }
  std::shared_ptr<SerialLine> line;
  {
    std::lock_guard lock(mutex_);
    line = std::move(line_);
  }
  if (line) {
    line->Close();
  }
}

adapter_sdk::SerialSettings Bus::SettingsFor(const LineConfig& config) {
  adapter_sdk::SerialSettings settings;
  settings.path = config.device;
  settings.baud = config.baud;
  settings.parity = adapter_sdk::Parity::kNone;
  settings.data_bits = 8;
  settings.stop_bits = 1;
  // Domes that answer do so after moves too, which nobody waits for: the gap leaves room for
  // that general response (and the dome's turnaround) before the next frame on the half-duplex
  // bus. SerialLine keeps one gap after every frame, so it is also kept after a query.
  settings.inter_frame_gap = InterFrameGap(config);
  return settings;
}

void Bus::Start() {
  TryOpen();
  retry_thread_ = std::thread([this] { RetryLoop(); });
}

bool Bus::IsOpen() const { return Line() != nullptr; }

std::shared_ptr<SerialLine> Bus::Line() const {
  std::lock_guard lock(mutex_);
  return line_;
}

bool Bus::TryOpen() {
  if (IsOpen()) {
    return true;
  }
  auto opened = SerialLine::Open(SettingsFor(config_));
  std::lock_guard lock(mutex_);
  if (!opened) {
    // Logged once per distinct reason, not at every retry.
    if (last_failure_ != opened.error().message) {
      LogError("line ", config_.id, ": ", opened.error().message, "; retrying every ",
               reopen_interval_.count(), " ms");
      last_failure_ = opened.error().message;
    }
    return false;
  }
  if (last_failure_) {
    LogInfo("line ", config_.id, ": ", config_.device, " is open again");
  }
  last_failure_.reset();
  line_ = std::shared_ptr<SerialLine>(std::move(opened).value());
  return true;
}

void Bus::RetryLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wakeup_.wait_for(lock, reopen_interval_, [this] { return stopping_; });
    if (stopping_ || line_) {
      continue;
    }
    lock.unlock();
    TryOpen();
    lock.lock();
  }
}

grpc::Status Bus::NotOpen() const {
  std::lock_guard lock(mutex_);
  std::string message = "line " + config_.id + " (" + config_.device + ") is not open";
  if (last_failure_) {
    message += ": " + *last_failure_;
  }
  return {grpc::StatusCode::UNAVAILABLE, message};
}

grpc::Status Bus::Failed(const std::shared_ptr<SerialLine>& line, const adapter_sdk::Error& error) {
  const std::string message = "line " + config_.id + ": " + error.message;
  switch (adapter_sdk::SerialErrorKindOf(error)) {
    case SerialErrorKind::kTimeout:
      return {grpc::StatusCode::DEADLINE_EXCEEDED, message};
    case SerialErrorKind::kInvalidSettings:
      return {grpc::StatusCode::INTERNAL, message};
    case SerialErrorKind::kClosed:
      return {grpc::StatusCode::UNAVAILABLE, message};
    case SerialErrorKind::kIo:
      break;
  }
  // A SerialLine that failed stays failed: drop it, the retry thread opens the device anew.
  {
    std::lock_guard lock(mutex_);
    if (line_ == line) {
      line_.reset();
      last_failure_ = error.message;
    }
  }
  return {grpc::StatusCode::UNAVAILABLE, message};
}

grpc::Status Bus::Send(const Frame& frame, std::string coalesce_key) {
  std::shared_ptr<SerialLine> line = Line();
  if (!line) {
    return NotOpen();
  }
  adapter_sdk::Result<void> sent = line->Send(ToBytes(frame), std::move(coalesce_key));
  return sent ? grpc::Status::OK : Failed(line, sent.error());
}

grpc::Status Bus::Exchange(const Frame& frame, adapter_sdk::ResponseMatcher matcher,
                           std::string* response) {
  std::shared_ptr<SerialLine> line = Line();
  if (!line) {
    return NotOpen();
  }
  adapter_sdk::Result<std::string> answer =
      line->Exchange(ToBytes(frame), std::move(matcher), config_.response_timeout);
  if (!answer) {
    return Failed(line, answer.error());
  }
  *response = std::move(answer).value();
  return grpc::Status::OK;
}

}  // namespace onvifgw::pelco_d
