#pragma once
// Keeps the adapters alive, on a libuv loop in a thread of its own.
//
// `exec:` adapters are spawned with `--listen unix:<state>/run/<id>.sock
// --config /dev/fd/3 --parent-pid <gateway pid>` (fd 3: an in-memory file
// with the adapter's section, its sealed values opened); their stdout/stderr go to the log
// with an "adapter:<id>" prefix; once their gRPC health service says SERVING the client refreshes
// its cache and starts the event feed. A crashed adapter is restarted with exponential back-off
// (250 ms doubling to 30 s, reset after 30 s of good health). `endpoint:` adapters are only
// health-polled. Stop() terminates the children (SIGTERM, SIGKILL after 3 s).

#include <uv.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "adapters/adapter_client.h"
#include "config/gateway_config.h"

namespace onvifgw::adapters {

class Supervisor {
 public:
  struct Entry {
    AdapterClient* client;
    config::AdapterConfig config;
  };
  /// `run_dir` holds sockets and per-adapter config files; `search_dir` is
  /// where bare program names are looked up first (the gateway's own folder).
  /// `availability` (may be empty) hears when an adapter becomes ready (its
  /// facts refreshed, its events flowing) and when it is lost (exited or
  /// failing health checks), on the supervisor's thread.
  Supervisor(std::vector<Entry> entries, std::string run_dir, std::string search_dir,
             std::function<void(const adapter::v1::Event&, const std::string& adapter_id)> sink,
             std::function<void(const std::string& adapter_id, bool available)> availability = {});
  ~Supervisor();

  /// Starts the loop thread. Fails if the run directory cannot be prepared.
  Status<std::string> Start();
  /// Stops children and the loop; idempotent.
  void Stop();

  /// The gRPC target for an adapter (the unix socket for exec adapters).
  static std::string TargetFor(const config::AdapterConfig& a, const std::string& run_dir);

  struct Child;  // per-adapter state on the loop

  /// Hands an adapter event to the sink (called on the client's event thread).
  void Deliver(const adapter::v1::Event& ev, const std::string& adapter_id);
  /// Tells `availability` (loop thread).
  void Announce(const std::string& adapter_id, bool available);
  /// Time spent waiting for children after SIGKILL (loop thread only).
  std::chrono::milliseconds stop_waited_{0};

 private:
  void Run();

  std::vector<Entry> entries_;
  std::string run_dir_;
  std::string search_dir_;
  std::function<void(const adapter::v1::Event&, const std::string&)> sink_;
  std::function<void(const std::string&, bool)> availability_;
  uv_loop_t loop_{};
  uv_async_t stop_async_{};
  std::thread thread_;
  bool started_ = false;
  std::vector<std::unique_ptr<Child>> children_;
};

}  // namespace onvifgw::adapters
