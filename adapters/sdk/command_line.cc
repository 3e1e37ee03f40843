#include "adapters/sdk/command_line.h"

#include <charconv>

namespace onvifgw::adapter_sdk {

Result<CommandLine> ParseCommandLine(const std::vector<std::string_view>& args) {
  CommandLine result;
  bool have_listen = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      return result;
    }

    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (name != "--listen" && name != "--config" && name != "--log-level" &&
        name != "--parent-pid") {
      return Error{"unknown argument \"" + std::string(arg) + "\""};
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return Error{std::string(name) + " needs a value"};
      }
      value = args[++i];
    }

    if (name == "--listen") {
      if (have_listen) {
        return Error{"--listen given twice"};
      }
      auto address = ParseListenAddress(*value);
      if (!address) {
        return Error{"--listen: " + address.error().message};
      }
      result.listen = *address;
      have_listen = true;
    } else if (name == "--config") {
      if (result.config_path) {
        return Error{"--config given twice"};
      }
      if (value->empty()) {
        return Error{"--config needs a file name"};
      }
      result.config_path = std::string(*value);
    } else if (name == "--parent-pid") {
      long pid = 0;
      auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), pid);
      if (ec != std::errc() || end != value->data() + value->size() || pid <= 1) {
        return Error{"--parent-pid: expected a process id, got \"" + std::string(*value) + "\""};
      }
      result.parent_pid = static_cast<int>(pid);
    } else if (!ParseLogLevel(*value, &result.log_level)) {
      return Error{"--log-level: expected debug, info, warn or error, got \"" +
                   std::string(*value) + "\""};
    }
  }
  if (!have_listen) {
    return Error{"--listen is required"};
  }
  return result;
}

std::string UsageText(std::string_view program) {
  std::string text =
      "usage: " + std::string(program) +
      " --listen ADDR [--config FILE] [--log-level LEVEL] [--parent-pid PID]\n"
      "\n"
      "  --listen ADDR      unix:/abs/path.sock or host:port (port 0: any free port)\n"
      "  --config FILE      YAML file with this adapter's config section\n"
      "  --log-level LEVEL  debug, info (default), warn or error\n"
      "  --parent-pid PID   exit when process PID (the gateway) goes away\n"
      "  --help             show this text\n";
  return text;
}

}  // namespace onvifgw::adapter_sdk
