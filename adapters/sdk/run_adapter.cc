#include "adapters/sdk/run_adapter.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <string_view>
#include <thread>
#include <vector>

#include "adapters/sdk/command_line.h"
#include "adapters/sdk/config_node.h"
#include "adapters/sdk/logger.h"

namespace onvifgw::adapter_sdk {
namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(2);

// The thread that sigwait()s, once it exists; see ForwardStraySignal.
std::atomic<bool> g_signal_thread_ready{false};
pthread_t g_signal_thread;
volatile std::sig_atomic_t g_early_signal = 0;

// SIGTERM/SIGINT are blocked in every thread we create, but a thread started before main() (by a
// library's static initialiser) may not block them. Should the kernel deliver the signal there,
// this handler passes it on to the signal thread instead of letting it kill the process.
// Async-signal-safe: an atomic load, pthread_kill and a sig_atomic_t store.
extern "C" void ForwardStraySignal(int signal_number) {
  if (g_signal_thread_ready.load()) {
    pthread_kill(g_signal_thread, signal_number);
  } else {
    g_early_signal = signal_number;
  }
}

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

std::string_view ProgramName(char* argv0) {
  std::string_view name = argv0 != nullptr ? argv0 : "adapter";
  size_t slash = name.rfind('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

Result<YAML::Node> LoadConfig(const CommandLine& command_line) {
  if (!command_line.config_path) {
    return YAML::Node(YAML::NodeType::Map);
  }
  return LoadConfigFile(*command_line.config_path);
}

// Waits for SIGTERM/SIGINT (blocked in every thread), then stops the server gracefully.
void WaitForStopSignal(grpc::Server* server, grpc::Service* service) {
  sigset_t signals = StopSignals();
  int signal_number = g_early_signal;
  while (signal_number == 0 && sigwait(&signals, &signal_number) != 0) {
  }
  LogInfo("received ", signal_number == SIGTERM ? "SIGTERM" : "SIGINT", ", shutting down");
  server->GetHealthCheckService()->SetServingStatus(false);
  if (auto* aware = dynamic_cast<ShutdownAware*>(service)) {
    aware->BeginShutdown();
  }
  server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
}

}  // namespace

int RunAdapter(int argc, char** argv, const AdapterFactory& factory) {
  std::string_view program = ProgramName(argc > 0 ? argv[0] : nullptr);
  std::vector<std::string_view> args(argv + std::min(argc, 1), argv + argc);
  auto command_line = ParseCommandLine(args);
  if (!command_line) {
    std::cerr << program << ": " << command_line.error().message << " (see --help)\n";
    return kExitUsageError;
  }
  if (command_line->help) {
    std::cout << UsageText(program);
    return kExitOk;
  }
  SetLogLevel(command_line->log_level);
  if (command_line->parent_pid != 0) {
    // The kernel sends SIGTERM when the parent dies; if it already died before
    // this line, we are orphaned already: stop now.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != command_line->parent_pid) {
      LogError("parent process ", command_line->parent_pid, " is gone; exiting");
      return kExitOk;
    }
  }

  // Before any thread exists, so that every thread inherits the mask and only the signal thread
  // ever sees SIGTERM/SIGINT.
  sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  struct sigaction forward {};
  forward.sa_handler = ForwardStraySignal;
  sigemptyset(&forward.sa_mask);
  sigaction(SIGTERM, &forward, nullptr);
  sigaction(SIGINT, &forward, nullptr);

  auto config = LoadConfig(*command_line);
  if (!config) {
    LogError("invalid config: ", config.error().message);
    return kExitUsageError;
  }
  const std::string config_name = command_line->config_path.value_or("(none)");
  std::unique_ptr<grpc::Service> service;
  try {
    auto made = factory(*config);
    if (!made) {
      LogError("invalid config ", config_name, ": ", made.error().message);
      return kExitUsageError;
    }
    service = std::move(made).value();
  } catch (const ConfigError& e) {
    LogError("invalid config ", config_name, ": ", e.what());
    return kExitUsageError;
  } catch (const std::exception& e) {
    LogError("cannot start: ", e.what());
    return kExitFailure;
  }

  if (service == nullptr) {
    LogError("cannot start: the adapter factory returned no service");
    return kExitFailure;
  }

  const ListenAddress& listen = command_line->listen;
  if (listen.kind == ListenAddress::Kind::kUnix) {
    if (auto removed = RemoveStaleUnixSocket(listen.unix_path); !removed) {
      LogError("cannot listen on ", listen.ToGrpcTarget(), ": ", removed.error().message);
      return kExitFailure;
    }
  }

  // Must precede the builder: the builder installs the health service when it is enabled.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int selected_port = 0;
  builder.AddListeningPort(listen.ToGrpcTarget(), grpc::InsecureServerCredentials(),
                           &selected_port);
  builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || selected_port == 0) {
    LogError("cannot listen on ", listen.ToGrpcTarget());
    return kExitFailure;
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  if (listen.kind == ListenAddress::Kind::kTcp) {
    LogInfo("listening on ", listen.ToGrpcTargetWithPort(selected_port));
    if (listen.port == 0) {
      LogInfo("port ", selected_port, " chosen by the system");
    }
  } else {
    LogInfo("listening on ", listen.ToGrpcTarget());
  }
  // Remember which socket file is ours: a successor may have replaced it by
  // the time we exit, and removing that one would cut it off.
  struct stat own_socket {};
  const bool have_own_socket =
      listen.kind == ListenAddress::Kind::kUnix && ::stat(listen.unix_path.c_str(), &own_socket) == 0;

  std::thread signal_thread(WaitForStopSignal, server.get(), service.get());
  g_signal_thread = signal_thread.native_handle();
  g_signal_thread_ready.store(true);
  server->Wait();
  signal_thread.join();
  struct stat now {};
  if (have_own_socket && ::stat(listen.unix_path.c_str(), &now) == 0 &&
      now.st_ino == own_socket.st_ino && now.st_dev == own_socket.st_dev) {
    ::unlink(listen.unix_path.c_str());
  }
  LogInfo("stopped");
  return kExitOk;
}

}  // namespace onvifgw::adapter_sdk
