#include "adapters/sdk/serial_line.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/sdk/logger.h"

namespace onvifgw::adapter_sdk {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Error carries only a message: the kind travels as a fixed leading tag (see SerialErrorKindOf).
constexpr std::string_view kTimeoutTag = "timeout: ";
constexpr std::string_view kClosedTag = "closed: ";
constexpr std::string_view kInvalidSettingsTag = "invalid settings: ";
constexpr std::string_view kIoTag = "serial i/o: ";

Error MakeError(std::string_view tag, const std::string& path, const std::string& what) {
  return Error{std::string(tag) + std::string("serial line ") + path + ": " + what};
}

std::string ErrnoText(int error_number) { return std::strerror(error_number); }

std::optional<speed_t> TermiosSpeed(unsigned baud) {
  switch (baud) {
    case 1200:
      return B1200;
    case 1800:
      return B1800;
    case 2400:
      return B2400;
    case 4800:
      return B4800;
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    case 230400:
      return B230400;
    default:
      return std::nullopt;
  }
}

std::optional<Error> ValidateSettings(const SerialSettings& settings) {
  auto invalid = [&](const std::string& what) {
    return MakeError(kInvalidSettingsTag, settings.path, what);
  };
  if (settings.path.empty()) {
    return invalid("no device path");
  }
  if (!TermiosSpeed(settings.baud)) {
    return invalid(std::string("unsupported baud rate ") + std::to_string(settings.baud) +
                   " (use 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200 or 230400)");
  }
  if (settings.data_bits < 5 || settings.data_bits > 8) {
    return invalid(std::string("data bits must be 5..8, not ") +
                   std::to_string(settings.data_bits));
  }
  if (settings.stop_bits != 1 && settings.stop_bits != 2) {
    return invalid(std::string("stop bits must be 1 or 2, not ") +
                   std::to_string(settings.stop_bits));
  }
  if (settings.inter_frame_gap && settings.inter_frame_gap->count() < 0) {
    return invalid("negative inter-frame gap");
  }
  if (settings.write_timeout.count() <= 0) {
    return invalid("write timeout must be positive");
  }
  return std::nullopt;
}

// Raw mode, the requested character format, no flow control of any kind.
std::optional<Error> ConfigureTerminal(int fd, const SerialSettings& settings) {
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) {
    return MakeError(kIoTag, settings.path, std::string("not a terminal: ") + ErrnoText(errno));
  }
  ::cfmakeraw(&tio);
  const speed_t speed = *TermiosSpeed(settings.baud);
  if (::cfsetispeed(&tio, speed) != 0 || ::cfsetospeed(&tio, speed) != 0) {
    return MakeError(kIoTag, settings.path, std::string("cannot set baud: ") + ErrnoText(errno));
  }
  tio.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
  switch (settings.data_bits) {
    case 5:
      tio.c_cflag |= CS5;
      break;
    case 6:
      tio.c_cflag |= CS6;
      break;
    case 7:
      tio.c_cflag |= CS7;
      break;
    default:
      tio.c_cflag |= CS8;
      break;
  }
  if (settings.parity != Parity::kNone) {
    tio.c_cflag |= PARENB;
    if (settings.parity == Parity::kOdd) {
      tio.c_cflag |= PARODD;
    }
    tio.c_iflag |= INPCK;
  }
  if (settings.stop_bits == 2) {
    tio.c_cflag |= CSTOPB;
  }
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
    return MakeError(kIoTag, settings.path, std::string("cannot configure: ") + ErrnoText(errno));
  }
  // Whatever a previous user left in the buffers is not ours.
  ::tcflush(fd, TCIOFLUSH);
  return std::nullopt;
}

const char* ParityLetter(Parity parity) {
  switch (parity) {
    case Parity::kEven:
      return "E";
    case Parity::kOdd:
      return "O";
    case Parity::kNone:
      break;
  }
  return "N";
}

}  // namespace

SerialErrorKind SerialErrorKindOf(const Error& error) {
  const std::string_view message = error.message;
  if (message.starts_with(kTimeoutTag)) {
    return SerialErrorKind::kTimeout;
  }
  if (message.starts_with(kClosedTag)) {
    return SerialErrorKind::kClosed;
  }
  if (message.starts_with(kInvalidSettingsTag)) {
    return SerialErrorKind::kInvalidSettings;
  }
  return SerialErrorKind::kIo;
}

milliseconds SerialLine::WireTime(size_t byte_count, unsigned baud) {
  if (baud == 0) {
    return milliseconds(0);
  }
  const uint64_t bit_ms = static_cast<uint64_t>(byte_count) * 10 * 1000;
  return milliseconds((bit_ms + baud - 1) / baud);
}

struct SerialLine::Impl {
  // One queued frame and everyone waiting for it (several when coalesced).
  struct Request {
    std::string frame;
    std::string coalesce_key;
    ResponseMatcher matcher;  // Empty for Send.
    milliseconds response_timeout{0};
    Clock::time_point write_deadline;
    std::vector<std::promise<Result<std::string>>> waiters;
  };

  enum class Phase { kWriting, kAwaitingResponse };

  Impl(SerialSettings settings_in, int fd_in) : settings(std::move(settings_in)), fd(fd_in) {}

  // --- Caller threads ---

  // Queues a frame; returns the future of its result, or an error when the line cannot take it.
  Result<std::future<Result<std::string>>> Submit(std::string frame, std::string coalesce_key,
                                                  ResponseMatcher matcher,
                                                  milliseconds response_timeout) {
    std::promise<Result<std::string>> promise;
    auto future = promise.get_future();
    const Clock::time_point deadline = Clock::now() + settings.write_timeout;
    std::lock_guard lock(mutex);
    if (closing) {
      return MakeError(kClosedTag, settings.path, "closed");
    }
    if (failure) {
      return *failure;
    }
    if (!coalesce_key.empty()) {
      for (auto& queued : queue) {
        if (queued->coalesce_key == coalesce_key) {
          queued->frame = std::move(frame);
          queued->write_deadline = std::max(queued->write_deadline, deadline);
          queued->waiters.push_back(std::move(promise));
          ++coalesced;
          return future;  // The loop already knows this request: no need to wake it.
        }
      }
    }
    auto request = std::make_unique<Request>();
    request->frame = std::move(frame);
    request->coalesce_key = std::move(coalesce_key);
    request->matcher = std::move(matcher);
    request->response_timeout = response_timeout;
    request->write_deadline = deadline;
    request->waiters.push_back(std::move(promise));
    queue.push_back(std::move(request));
    // Under the lock: Close() cannot have closed the async handle yet.
    uv_async_send(&async);
    return future;
  }

  // --- Loop thread ---

  static Impl* From(uv_handle_t* handle) { return static_cast<Impl*>(handle->data); }

  static void OnAsync(uv_async_t* handle) {
    Impl* self = From(reinterpret_cast<uv_handle_t*>(handle));
    bool stop;
    {
      std::lock_guard lock(self->mutex);
      stop = self->closing;
    }
    if (stop) {
      self->Teardown();
    } else {
      self->Pump();
    }
  }

  static void OnTimer(uv_timer_t* handle) { From(reinterpret_cast<uv_handle_t*>(handle))->Pump(); }

  static void OnPoll(uv_poll_t* handle, int status, int events) {
    Impl* self = From(reinterpret_cast<uv_handle_t*>(handle));
    if (status < 0) {
      self->FailLine(std::string("poll failed: ") + uv_strerror(status));
      return;
    }
    if ((events & UV_READABLE) != 0) {
      self->ReadAvailable();
    }
    self->Pump();
  }

  milliseconds GapAfter(size_t frame_size) const {
    return settings.inter_frame_gap.value_or(WireTime(frame_size, settings.baud));
  }

  static void Complete(std::unique_ptr<Request> request, const Result<std::string>& result) {
    for (auto& waiter : request->waiters) {
      waiter.set_value(result);
    }
  }

  // Advances the state machine as far as it can go now, then arms the poll and the timer for
  // whatever it waits for next. Called after every event.
  void Pump() {
    if (torn_down || failure_seen) {
      return;
    }
    Clock::time_point now = Clock::now();
    ExpireQueued(now);
    if (current && phase == Phase::kWriting && now >= current->write_deadline) {
      Complete(std::move(current),
               MakeError(kTimeoutTag, settings.path,
                         std::string("frame not written within ") +
                             std::to_string(settings.write_timeout.count()) + " ms"));
      next_start = now + GapAfter(0);
    }
    if (current && phase == Phase::kAwaitingResponse && now >= response_deadline) {
      const milliseconds timeout = current->response_timeout;
      discarded += received.size();
      received.clear();
      Complete(std::move(current), MakeError(kTimeoutTag, settings.path,
                                             std::string("no response within ") +
                                                 std::to_string(timeout.count()) + " ms"));
      next_start = now + GapAfter(0);
    }
    if (!current && now >= next_start) {
      std::lock_guard lock(mutex);
      if (!queue.empty()) {
        current = std::move(queue.front());
        queue.pop_front();
        phase = Phase::kWriting;
        written = 0;
        // The response is looked for only in bytes received from now on.
        received.clear();
      }
    }
    if (current && phase == Phase::kWriting) {
      WriteSome();
      if (failure_seen) {
        return;
      }
      now = Clock::now();
      if (current && phase == Phase::kWriting && written == current->frame.size()) {
        const milliseconds on_wire = WireTime(current->frame.size(), settings.baud);
        if (current->matcher) {
          phase = Phase::kAwaitingResponse;
          response_deadline = now + on_wire + current->response_timeout;
          MatchResponse();
        } else {
          const size_t size = current->frame.size();
          Complete(std::move(current), std::string());
          next_start = now + on_wire + GapAfter(size);
        }
      }
    }
    Arm();
  }

  void ExpireQueued(Clock::time_point now) {
    std::vector<std::unique_ptr<Request>> expired;
    {
      std::lock_guard lock(mutex);
      for (auto it = queue.begin(); it != queue.end();) {
        if ((*it)->write_deadline <= now) {
          expired.push_back(std::move(*it));
          it = queue.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& request : expired) {
      Complete(std::move(request),
               MakeError(kTimeoutTag, settings.path,
                         std::string("line busy: frame not written within ") +
                             std::to_string(settings.write_timeout.count()) + " ms"));
    }
  }

  void WriteSome() {
    const std::string& frame = current->frame;
    while (written < frame.size()) {
      const ssize_t n = ::write(fd, frame.data() + written, frame.size() - written);
      if (n > 0) {
        written += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;  // Arm() asks the poll for writability.
      }
      FailLine(std::string("write failed: ") + ErrnoText(n < 0 ? errno : EIO));
      return;
    }
  }

  void ReadAvailable() {
    char buffer[512];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        if (current && current->matcher) {
          received.append(buffer, static_cast<size_t>(n));
        } else {
          discarded += static_cast<uint64_t>(n);
        }
        continue;
      }
      if (n == 0) {
        return;
      }
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        break;
      }
      FailLine(std::string("read failed: ") + ErrnoText(errno));
      return;
    }
    if (current && phase == Phase::kAwaitingResponse) {
      MatchResponse();
    }
  }

  void MatchResponse() {
    if (received.empty()) {
      return;
    }
    const ResponseMatch match = current->matcher(received);
    if (!match.found) {
      return;
    }
    if (match.offset > received.size() || match.length > received.size() - match.offset) {
      // A matcher bug, not a device fault: fail the call rather than read out of bounds.
      Complete(std::move(current),
               MakeError(kIoTag, settings.path, "response matcher returned a range out of bounds"));
    } else {
      const size_t frame_size = current->frame.size();
      discarded += received.size() - match.length;
      Complete(std::move(current), received.substr(match.offset, match.length));
      next_start = Clock::now() + GapAfter(frame_size);
    }
    received.clear();
  }

  void Arm() {
    const bool want_writable = current && phase == Phase::kWriting;
    const int events = UV_READABLE | (want_writable ? UV_WRITABLE : 0);
    if (events != poll_events) {
      uv_poll_start(&poll, events, &Impl::OnPoll);
      poll_events = events;
    }

    std::optional<Clock::time_point> wake;
    auto consider = [&wake](Clock::time_point t) {
      if (!wake || t < *wake) {
        wake = t;
      }
    };
    if (current) {
      consider(phase == Phase::kWriting ? current->write_deadline : response_deadline);
    }
    {
      std::lock_guard lock(mutex);
      if (!current && !queue.empty()) {
        consider(next_start);
      }
      for (const auto& queued : queue) {
        consider(queued->write_deadline);
      }
    }
    if (!wake) {
      uv_timer_stop(&timer);
      return;
    }
    const auto delay = std::chrono::ceil<milliseconds>(*wake - Clock::now());
    uv_timer_start(&timer, &Impl::OnTimer,
                   static_cast<uint64_t>(std::max<int64_t>(0, delay.count())), 0);
  }

  // An I/O error the line cannot recover from (device unplugged, pty closed): every pending and
  // future call fails with it until the owner reopens the line.
  void FailLine(const std::string& what) {
    const Error error = MakeError(kIoTag, settings.path, what);
    LogError(error.message);
    std::deque<std::unique_ptr<Request>> pending;
    {
      std::lock_guard lock(mutex);
      failure = error;
      pending.swap(queue);
    }
    failure_seen = true;
    if (current) {
      Complete(std::move(current), error);
    }
    for (auto& request : pending) {
      Complete(std::move(request), error);
    }
    uv_poll_stop(&poll);
    uv_timer_stop(&timer);
    poll_events = 0;
  }

  void Teardown() {
    if (torn_down) {
      return;
    }
    torn_down = true;
    const Error error = MakeError(kClosedTag, settings.path, "closed while the call waited");
    std::deque<std::unique_ptr<Request>> pending;
    {
      std::lock_guard lock(mutex);
      pending.swap(queue);
    }
    if (current) {
      Complete(std::move(current), error);
    }
    for (auto& request : pending) {
      Complete(std::move(request), error);
    }
    uv_close(reinterpret_cast<uv_handle_t*>(&poll), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&async), nullptr);
  }

  void Run() {
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }

  const SerialSettings settings;
  const int fd;

  uv_loop_t loop{};
  uv_poll_t poll{};
  uv_async_t async{};
  uv_timer_t timer{};
  std::thread thread;
  std::mutex join_mutex;  // Serialises Close() callers around the join.
  bool joined = false;    // Guarded by join_mutex.

  // Shared with caller threads, guarded by mutex.
  std::mutex mutex;
  std::deque<std::unique_ptr<Request>> queue;
  bool closing = false;
  std::optional<Error> failure;

  std::atomic<uint64_t> discarded{0};
  std::atomic<uint64_t> coalesced{0};

  // Loop thread only.
  std::unique_ptr<Request> current;
  Phase phase = Phase::kWriting;
  size_t written = 0;
  std::string received;
  Clock::time_point next_start{};
  Clock::time_point response_deadline{};
  int poll_events = 0;
  bool failure_seen = false;
  bool torn_down = false;
};

Result<std::unique_ptr<SerialLine>> SerialLine::Open(const SerialSettings& settings) {
  if (auto invalid = ValidateSettings(settings)) {
    return *invalid;
  }
  const int fd = ::open(settings.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(kIoTag, settings.path, std::string("cannot open: ") + ErrnoText(errno));
  }
  if (auto failed = ConfigureTerminal(fd, settings)) {
    ::close(fd);
    return *failed;
  }

  auto impl = std::make_unique<Impl>(settings, fd);
  Impl* raw = impl.get();
  int status = uv_loop_init(&raw->loop);
  if (status != 0) {
    ::close(fd);
    return MakeError(kIoTag, settings.path,
                     std::string("cannot start event loop: ") + uv_strerror(status));
  }
  // Handles on a freshly initialised loop only fail on programming errors or a bad fd.
  status = uv_poll_init(&raw->loop, &raw->poll, fd);
  if (status != 0) {
    uv_loop_close(&raw->loop);
    ::close(fd);
    return MakeError(kIoTag, settings.path, std::string("cannot poll: ") + uv_strerror(status));
  }
  uv_async_init(&raw->loop, &raw->async, &Impl::OnAsync);
  uv_timer_init(&raw->loop, &raw->timer);
  raw->poll.data = raw;
  raw->async.data = raw;
  raw->timer.data = raw;
  uv_poll_start(&raw->poll, UV_READABLE, &Impl::OnPoll);
  raw->poll_events = UV_READABLE;
  raw->thread = std::thread([raw] { raw->Run(); });

  LogInfo("serial line ", settings.path, " opened at ", settings.baud, " baud ", settings.data_bits,
          ParityLetter(settings.parity), settings.stop_bits);
  return std::unique_ptr<SerialLine>(new SerialLine(std::move(impl)));
}

SerialLine::SerialLine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SerialLine::~SerialLine() { Close(); }

void SerialLine::Close() {
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->closing) {
      impl_->closing = true;
      uv_async_send(&impl_->async);
    }
  }
  if (std::this_thread::get_id() == impl_->thread.get_id()) {
    return;  // Called from a matcher: the loop tears itself down when the callback returns.
  }
  std::lock_guard lock(impl_->join_mutex);
  if (impl_->joined) {
    return;
  }
  impl_->thread.join();
  ::close(impl_->fd);
  impl_->joined = true;
  LogInfo("serial line ", impl_->settings.path, " closed");
}

const std::string& SerialLine::path() const { return impl_->settings.path; }

size_t SerialLine::QueuedFrameCount() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->queue.size();
}

uint64_t SerialLine::CoalescedFrameCount() const { return impl_->coalesced.load(); }

uint64_t SerialLine::DiscardedByteCount() const { return impl_->discarded.load(); }

Result<void> SerialLine::Send(std::string frame, std::string coalesce_key) {
  const milliseconds backstop = impl_->settings.write_timeout + milliseconds(1000);
  auto submitted = impl_->Submit(std::move(frame), std::move(coalesce_key), {}, milliseconds(0));
  if (!submitted.ok()) {
    return submitted.error();
  }
  auto& future = submitted.value();
  if (future.wait_for(backstop) != std::future_status::ready) {
    return MakeError(kTimeoutTag, impl_->settings.path, "the line's loop did not answer");
  }
  Result<std::string> result = future.get();
  if (!result.ok()) {
    return result.error();
  }
  return {};
}

Result<std::string> SerialLine::Exchange(std::string frame, ResponseMatcher matcher,
                                         milliseconds timeout) {
  if (!matcher) {
    return MakeError(kInvalidSettingsTag, impl_->settings.path, "Exchange without a matcher");
  }
  const milliseconds backstop = impl_->settings.write_timeout + std::max(timeout, milliseconds(0)) +
                                WireTime(frame.size(), impl_->settings.baud) + milliseconds(1000);
  auto submitted =
      impl_->Submit(std::move(frame), {}, std::move(matcher), std::max(timeout, milliseconds(0)));
  if (!submitted.ok()) {
    return submitted.error();
  }
  auto& future = submitted.value();
  if (future.wait_for(backstop) != std::future_status::ready) {
    return MakeError(kTimeoutTag, impl_->settings.path, "the line's loop did not answer");
  }
  return future.get();
}

}  // namespace onvifgw::adapter_sdk
