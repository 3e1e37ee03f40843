#include "adapters/supervisor.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>

#include "core/log.h"
#include "core/metrics.h"

namespace onvifgw::adapters {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {
constexpr auto kMinBackoff = 250ms;
constexpr auto kMaxBackoff = 30s;
constexpr auto kStableAfter = 30s;
constexpr auto kHealthPoll = 100ms;
constexpr auto kRunningPoll = 2s;
constexpr auto kKillAfter = 3s;
// While not serving, health is polled every kHealthPoll: 100 polls = ~10 s
// (plus their timeouts) before a running but unresponsive adapter is killed.
constexpr int kMaxFailedChecks = 100;
// A camera whose facts could not be read is asked again after this, doubling up to the max.
constexpr auto kMinFactsRetry = 2s;
constexpr auto kMaxFactsRetry = 60s;
}  // namespace

struct Supervisor::Child {
  Supervisor* owner;
  AdapterClient* client;
  config::AdapterConfig config;
  // The adapter's config section in an in-memory file (memfd), handed to each spawn as fd 3:
  // opened secrets in it never reach a disk. -1 without exec.
  int config_fd = -1;
  std::string program;
  uv_process_t process{};
  uv_pipe_t out{};
  uv_pipe_t err{};
  uv_timer_t timer{};
  bool running = false;
  bool stopping = false;
  int open_pipes = 0;
  std::chrono::milliseconds backoff = kMinBackoff;
  std::chrono::steady_clock::time_point serving_since{};
  bool serving = false;
  int failed_checks = 0;
  std::string out_buf;
  std::string err_buf;
  // Cameras whose facts could not be read, as last logged (camera id -> reason), and when the
  // facts are read again for them.
  std::map<std::string, std::string> reported_unavailable;
  std::chrono::milliseconds facts_retry = kMinFactsRetry;
  std::chrono::steady_clock::time_point next_facts_retry{};

  std::string tag() const { return "adapter:" + config.id; }

  ~Child() {
    if (config_fd >= 0) ::close(config_fd);
  }
};

namespace {

void Forward(Supervisor::Child* c, std::string& buf, const char* data, ssize_t n) {
  buf.append(data, static_cast<std::size_t>(n));
  std::size_t pos;
  while ((pos = buf.find('\n')) != std::string::npos) {
    std::string line = buf.substr(0, pos);
    buf.erase(0, pos + 1);
    if (!line.empty()) log::Info(c->tag(), line);
  }
  if (buf.size() > 4096) {  // a runaway line without newline
    log::Info(c->tag(), buf);
    buf.clear();
  }
}

void AllocBuffer(uv_handle_t*, size_t suggested, uv_buf_t* buf) {
  buf->base = new char[suggested];
  buf->len = suggested;
}

void SchedulePoll(Supervisor::Child* c, std::chrono::milliseconds delay);
void Spawn(Supervisor::Child* c);

// Logs each camera whose facts could not be read (once per reason) and each that came back.
// `refreshed`: the facts were just read, so the next attempt is planned (backing off while a
// camera stays unavailable).
void ReportUnavailableCameras(Supervisor::Child* c, bool refreshed) {
  std::shared_ptr<const AdapterFacts> facts = c->client->facts();
  if (!facts) return;
  for (const auto& [camera, why] : facts->unavailable) {
    auto reported = c->reported_unavailable.find(camera);
    if (reported != c->reported_unavailable.end() && reported->second == why) continue;
    log::Warn(c->tag(), "camera " + camera + " is unavailable (retrying, its devices answer " +
                            "without it meanwhile): " + why);
  }
  for (const auto& [camera, why] : c->reported_unavailable) {
    if (facts->unavailable.count(camera) == 0) log::Info(c->tag(), "camera " + camera + " is back");
  }
  c->reported_unavailable = facts->unavailable;
  if (facts->unavailable.empty()) {
    c->facts_retry = kMinFactsRetry;
  } else if (refreshed) {
    c->next_facts_retry = std::chrono::steady_clock::now() + c->facts_retry;
    c->facts_retry = std::min<std::chrono::milliseconds>(c->facts_retry * 2, kMaxFactsRetry);
  }
}

void OnPipeClosed(uv_handle_t* h) {
  auto* c = static_cast<Supervisor::Child*>(h->data);
  --c->open_pipes;
}

void OnRead(uv_stream_t* stream, ssize_t n, const uv_buf_t* buf) {
  auto* c = static_cast<Supervisor::Child*>(stream->data);
  if (n > 0) {
    Forward(c, reinterpret_cast<uv_stream_t*>(&c->out) == stream ? c->out_buf : c->err_buf,
            buf->base, n);
  }
  delete[] buf->base;
  if (n < 0) uv_close(reinterpret_cast<uv_handle_t*>(stream), OnPipeClosed);
}

void OnTimer(uv_timer_t* t) {
  auto* c = static_cast<Supervisor::Child*>(t->data);
  if (c->stopping) return;
  if (!c->config.exec.empty() && !c->running) {
    Spawn(c);
    return;
  }
  // Health: short blocking checks are fine on the supervisor's own thread.
  const bool up = c->client->IsServing(c->serving ? 1000ms : 50ms);
  if (up && !c->serving) {
    if (auto st = c->client->Refresh(); !st) {
      log::Warn(c->tag(), "serving, but the first refresh failed: " + st.error());
      SchedulePoll(c, 500ms);
      return;
    }
    c->serving = true;
    c->serving_since = std::chrono::steady_clock::now();
    c->client->set_available(true);
    c->client->StartEvents(
        [c](const adapter::v1::Event& ev) { c->owner->Deliver(ev, c->config.id); });
    log::Info(c->tag(),
              "ready (" + std::to_string(c->client->facts()->cameras.size()) + " camera(s))");
    c->owner->Announce(c->config.id, true);
    ReportUnavailableCameras(c, true);
  } else if (up && c->serving && !c->reported_unavailable.empty() &&
             std::chrono::steady_clock::now() >= c->next_facts_retry) {
    // Blocking, like the first refresh: the supervisor's own thread, bounded by call deadlines.
    if (auto st = c->client->Refresh(); !st) {
      log::Warn(c->tag(), "refresh failed: " + st.error());
    }
    ReportUnavailableCameras(c, true);
  } else if (up && c->serving) {
    // A refresh on a FactsChanged event may have found cameras missing or back.
    ReportUnavailableCameras(c, false);
  } else if (!up && c->serving) {
    log::Warn(c->tag(), "health check failed; marking unavailable");
    c->serving = false;
    c->client->set_available(false);
    c->owner->Announce(c->config.id, false);
    c->failed_checks = 1;
  } else if (!up && c->running && ++c->failed_checks > kMaxFailedChecks) {
    // Alive but not serving: a hung adapter is restarted like a crashed one.
    log::Warn(c->tag(), "not serving after " + std::to_string(kMaxFailedChecks) +
                            " health checks; killing it");
    uv_process_kill(&c->process, SIGKILL);
    c->failed_checks = 0;
  }
  if (up) c->failed_checks = 0;
  if (c->serving && std::chrono::steady_clock::now() - c->serving_since > kStableAfter) {
    c->backoff = kMinBackoff;
  }
  SchedulePoll(c, c->serving ? std::chrono::milliseconds(kRunningPoll) : kHealthPoll);
}

void SchedulePoll(Supervisor::Child* c, std::chrono::milliseconds delay) {
  uv_timer_start(&c->timer, OnTimer, static_cast<uint64_t>(delay.count()), 0);
}

void OnExit(uv_process_t* p, int64_t status, int signal) {
  auto* c = static_cast<Supervisor::Child*>(p->data);
  c->running = false;
  const bool was_serving = c->serving;
  c->serving = false;
  c->client->set_available(false);
  uv_close(reinterpret_cast<uv_handle_t*>(p), nullptr);
  if (was_serving && !c->stopping) c->owner->Announce(c->config.id, false);
  if (c->stopping) {
    log::Info(c->tag(), "stopped");
    return;
  }
  metrics::Default().Add("onvif_adapter_restarts_total", {{"adapter", c->config.id}});
  log::Warn(c->tag(), "exited (status " + std::to_string(status) + ", signal " +
                          std::to_string(signal) + "); restarting in " +
                          std::to_string(c->backoff.count()) + " ms");
  uv_timer_start(&c->timer, OnTimer, static_cast<uint64_t>(c->backoff.count()), 0);
  c->backoff = std::min<std::chrono::milliseconds>(c->backoff * 2, kMaxBackoff);
}

void Spawn(Supervisor::Child* c) {
  const std::string socket_target = c->client->target();
  const std::string socket_path = socket_target.substr(std::string("unix:").size());
  std::error_code ec;
  fs::remove(socket_path, ec);

  std::vector<std::string> args = c->config.exec;
  args[0] = c->program;
  // --parent-pid: the adapter stops by itself if the gateway is killed.
  args.insert(args.end(), {"--listen", socket_target, "--config", "/dev/fd/3", "--parent-pid",
                           std::to_string(::getpid())});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  uv_loop_t* loop = c->timer.loop;
  uv_pipe_init(loop, &c->out, 0);
  uv_pipe_init(loop, &c->err, 0);
  c->out.data = c;
  c->err.data = c;
  uv_stdio_container_t stdio[4];
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[1].data.stream = reinterpret_cast<uv_stream_t*>(&c->out);
  stdio[2].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[2].data.stream = reinterpret_cast<uv_stream_t*>(&c->err);
  stdio[3].flags = UV_INHERIT_FD;
  stdio[3].data.fd = c->config_fd;
  uv_process_options_t opts{};
  opts.file = argv[0];
  opts.args = argv.data();
  opts.exit_cb = OnExit;
  opts.stdio_count = 4;
  opts.stdio = stdio;
  c->process.data = c;
  const int rc = uv_spawn(loop, &c->process, &opts);
  if (rc != 0) {
    log::Error(c->tag(), "cannot start '" + c->program + "': " + uv_strerror(rc) +
                             "; retrying in " + std::to_string(c->backoff.count()) + " ms");
    uv_close(reinterpret_cast<uv_handle_t*>(&c->out), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&c->err), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&c->process), nullptr);
    uv_timer_start(&c->timer, OnTimer, static_cast<uint64_t>(c->backoff.count()), 0);
    c->backoff = std::min<std::chrono::milliseconds>(c->backoff * 2, kMaxBackoff);
    return;
  }
  c->running = true;
  c->failed_checks = 0;
  c->open_pipes = 2;
  c->out_buf.clear();
  c->err_buf.clear();
  uv_read_start(reinterpret_cast<uv_stream_t*>(&c->out), AllocBuffer, OnRead);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&c->err), AllocBuffer, OnRead);
  log::Info(c->tag(), "started pid " + std::to_string(c->process.pid));
  // A fresh channel: the old one may sit in reconnect back-off.
  c->client->Reconnect();
  SchedulePoll(c, kHealthPoll);
}

std::string ResolveProgram(const std::string& program, const std::string& search_dir) {
  if (program.find('/') != std::string::npos) return program;
  fs::path beside = fs::path(search_dir) / program;
  std::error_code ec;
  if (fs::exists(beside, ec)) return beside.string();
  return program;  // uv_spawn searches PATH
}

}  // namespace

Supervisor::Supervisor(std::vector<Entry> entries, std::string run_dir, std::string search_dir,
                       std::function<void(const adapter::v1::Event&, const std::string&)> sink,
                       std::function<void(const std::string&, bool)> availability)
    : entries_(std::move(entries)),
      run_dir_(std::move(run_dir)),
      search_dir_(std::move(search_dir)),
      sink_(std::move(sink)),
      availability_(std::move(availability)) {}

Supervisor::~Supervisor() { Stop(); }

std::string Supervisor::TargetFor(const config::AdapterConfig& a, const std::string& run_dir) {
  if (!a.endpoint.empty()) return a.endpoint;
  return "unix:" + (fs::path(run_dir) / (a.id + ".sock")).string();
}

Status<std::string> Supervisor::Start() {
  std::error_code ec;
  fs::create_directories(run_dir_, ec);
  if (ec) return MakeUnexpected("cannot create " + run_dir_ + ": " + ec.message());
  uv_loop_init(&loop_);
  uv_async_init(&loop_, &stop_async_, [](uv_async_t* a) {
    auto* self = static_cast<Supervisor*>(a->data);
    for (auto& c : self->children_) {
      c->stopping = true;
      uv_timer_stop(&c->timer);
      if (c->running) uv_process_kill(&c->process, SIGTERM);
    }
    // Escalate if a child ignores SIGTERM; then close everything.
    auto* kill_timer = new uv_timer_t;
    uv_timer_init(a->loop, kill_timer);
    kill_timer->data = self;
    uv_timer_start(
        kill_timer,
        [](uv_timer_t* t) {
          auto* s = static_cast<Supervisor*>(t->data);
          s->stop_waited_ += 50ms;
          bool any = false;
          for (auto& c : s->children_) {
            if (!c->running) continue;
            any = true;
            if (s->stop_waited_ >= kKillAfter) uv_process_kill(&c->process, SIGKILL);
          }
          if (any && s->stop_waited_ < kKillAfter + 1s) return;
          uv_timer_stop(t);
          uv_close(reinterpret_cast<uv_handle_t*>(t),
                   [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
          for (auto& c : s->children_) uv_close(reinterpret_cast<uv_handle_t*>(&c->timer), nullptr);
          uv_close(reinterpret_cast<uv_handle_t*>(&s->stop_async_), nullptr);
        },
        50, 50);
  });
  stop_async_.data = this;
  for (auto& e : entries_) {
    auto c = std::make_unique<Child>();
    c->owner = this;
    c->client = e.client;
    c->config = e.config;
    metrics::Default().Set("onvif_adapter_up", {{"adapter", c->config.id}}, 0);
    if (!c->config.exec.empty()) {
      c->program = ResolveProgram(c->config.exec[0], search_dir_);
      // Earlier versions left the section in run/<id>.yaml, possibly with passwords in clear.
      std::error_code ec;
      fs::remove(fs::path(run_dir_) / (c->config.id + ".yaml"), ec);
      c->config_fd = ::memfd_create(("adapter-" + c->config.id).c_str(), MFD_CLOEXEC);
      if (c->config_fd < 0) {
        return MakeUnexpected("adapter " + c->config.id +
                              ": cannot make its in-memory config file: " + std::strerror(errno));
      }
      const std::string text =
          (c->config.section_yaml.empty() ? "{}" : c->config.section_yaml) + "\n";
      for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(c->config_fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          return MakeUnexpected(
              "adapter " + c->config.id +
              ": cannot write its in-memory config file: " + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
      }
    }
    uv_timer_init(&loop_, &c->timer);
    c->timer.data = c.get();
    uv_timer_start(&c->timer, OnTimer, 0, 0);
    children_.push_back(std::move(c));
  }
  started_ = true;
  thread_ = std::thread([this] { Run(); });
  return {};
}

void Supervisor::Deliver(const adapter::v1::Event& ev, const std::string& adapter_id) {
  if (sink_) sink_(ev, adapter_id);
}

void Supervisor::Announce(const std::string& adapter_id, bool available) {
  metrics::Default().Set("onvif_adapter_up", {{"adapter", adapter_id}}, available ? 1 : 0);
  if (availability_) availability_(adapter_id, available);
}

void Supervisor::Run() {
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

void Supervisor::Stop() {
  if (!started_) return;
  started_ = false;
  for (auto& c : children_) c->client->StopEvents();
  uv_async_send(&stop_async_);
  if (thread_.joinable()) thread_.join();
}

}  // namespace onvifgw::adapters
