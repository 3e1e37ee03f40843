#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sdk/listen_address.h"
#include "adapters/sdk/logger.h"
#include "adapters/sdk/result.h"

namespace onvifgw::adapter_sdk {

/// The command line every adapter accepts (the gateway's process contract):
///
///   --listen ADDR      unix:/abs/path.sock or host:port (port 0: the system chooses). Required.
///   --config FILE      YAML file holding the adapter's section of the gateway config. Optional.
///   --log-level LEVEL  debug, info (default), warn or error.
///   --parent-pid PID   stop (SIGTERM) when that process dies: set by the gateway so that a
///                      killed gateway leaves no orphaned adapter behind.
///   --help             usage on stdout, exit code 0.
///
/// Both "--flag value" and "--flag=value" are accepted.
struct CommandLine {
  bool help = false;
  ListenAddress listen;
  /// Absent: the adapter runs with an empty config node.
  std::optional<std::string> config_path;
  LogLevel log_level = LogLevel::kInfo;
  /// 0: none.
  int parent_pid = 0;
};

/// Parses the arguments after the program name. An Error means bad usage (exit code 2).
Result<CommandLine> ParseCommandLine(const std::vector<std::string_view>& args);

/// The usage text, for --help and after a usage error.
std::string UsageText(std::string_view program);

}  // namespace onvifgw::adapter_sdk
