#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/service_type.h>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <memory>

#include "adapters/sdk/result.h"

namespace onvifgw::adapter_sdk {

/// Builds the adapter's gRPC service from its config section (an empty node when the adapter was
/// started without --config). Returns an Error, or throws ConfigError, when the config is invalid;
/// the message must name the YAML path and position (see ConfigNode). Called once, on the main
/// thread, before the server starts.
using AdapterFactory =
    std::function<Result<std::unique_ptr<grpc::Service>>(const YAML::Node& config)>;

/// Optionally implemented by the service the factory returns (next to grpc::Service) when it has
/// long-running calls such as server streams. RunAdapter calls BeginShutdown() on the signal thread
/// just before grpc::Server::Shutdown(), so that those calls can return at once instead of being
/// cancelled at the shutdown deadline.
class ShutdownAware {
 public:
  virtual ~ShutdownAware() = default;
  /// Must be thread-safe and must not block.
  virtual void BeginShutdown() = 0;
};

/// Exit codes of RunAdapter.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;     ///< Could not listen, or the factory threw.
inline constexpr int kExitUsageError = 2;  ///< Bad command line or invalid config.

/// The whole life of an adapter process; call it from main():
///
///   int main(int argc, char** argv) { return RunAdapter(argc, argv, MakeMyService); }
///
/// 1. parses the command line (see CommandLine; --help prints usage and returns 0);
/// 2. blocks SIGTERM and SIGINT in every thread (so call it before starting any thread yourself)
///    and waits for them with sigwait() on a dedicated thread;
/// 3. loads --config and calls `factory`;
/// 4. removes a stale unix socket, starts a gRPC server with the default health service, and sets
///    the health status to SERVING; logs "listening on ADDR" (with the real port when 0 was
///    asked for);
/// 5. on SIGTERM or SIGINT: health NOT_SERVING, ShutdownAware::BeginShutdown(), then
///    grpc::Server::Shutdown() with a 2 s deadline, after which pending calls are cancelled.
///
/// Returns the process exit code (see kExit*). Logs to stderr through the SDK logger.
int RunAdapter(int argc, char** argv, const AdapterFactory& factory);

}  // namespace onvifgw::adapter_sdk
