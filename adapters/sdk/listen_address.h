#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/sdk/result.h"

namespace onvifgw::adapter_sdk {

/// Where an adapter's gRPC server listens: a unix domain socket or a TCP host and port.
struct ListenAddress {
  enum class Kind { kUnix, kTcp };

  Kind kind = Kind::kTcp;
  /// Absolute socket path (kUnix only).
  std::string unix_path;
  /// Host name or IP literal without brackets (kTcp only), e.g. "127.0.0.1", "::1".
  std::string host;
  /// 0 asks the system to choose a free port (kTcp only).
  uint16_t port = 0;

  /// The address in gRPC's syntax: "unix:/run/x.sock", "127.0.0.1:50051", "[::1]:50051".
  std::string ToGrpcTarget() const;
  /// The same address with another port (kTcp), e.g. the one the system chose for port 0.
  std::string ToGrpcTargetWithPort(int actual_port) const;
};

/// Parses "unix:/abs/path.sock", "host:port" or "[v6-literal]:port". The unix path must be
/// absolute; the port must be 0..65535.
Result<ListenAddress> ParseListenAddress(std::string_view text);

/// Makes a unix socket path usable for a new listener: removes a socket file that nobody listens
/// on any more (a stale one left by a crashed adapter). Fails if another process is listening on
/// it, or if the path exists and is not a socket.
Result<void> RemoveStaleUnixSocket(const std::string& path);

}  // namespace onvifgw::adapter_sdk
