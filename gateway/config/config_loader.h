#pragma once
// Loads and validates the YAML configuration before anything starts.
// Every problem is reported with file, line and column, and a reason.

#include <string>
#include <string_view>

#include "config/gateway_config.h"
#include "core/expected.h"

namespace onvifgw::config {

struct ConfigError {
  std::string file;
  int line = 0;    ///< 1-based; 0 when unknown
  int column = 0;  ///< 1-based
  std::string reason;
  /// "file:line:column: reason"
  std::string ToString() const;
};

Expected<GatewayConfig, ConfigError> LoadConfigFile(const std::string& path);
/// `file_name` is used in messages and to resolve relative paths.
Expected<GatewayConfig, ConfigError> ParseConfig(std::string_view yaml,
                                                 const std::string& file_name);

}  // namespace onvifgw::config
