// onvif-gateway: presents legacy cameras as ONVIF devices.
//   onvif-gateway --config FILE [--check]

#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "config/config_loader.h"
#include "core/log.h"
#include "gateway_app.h"

namespace {

void Usage(std::ostream& os) {
  os << "usage: onvif-gateway --config FILE [--check]\n"
        "  --config FILE  the gateway configuration (YAML)\n"
        "  --check        validate the configuration and exit\n";
}

std::string ProgramDir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : p.parent_path().string();
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  bool check_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (a == "--check") {
      check_only = true;
    } else if (a == "--help" || a == "-h") {
      Usage(std::cout);
      return 0;
    } else {
      std::cerr << "onvif-gateway: unknown argument '" << a << "'\n";
      Usage(std::cerr);
      return 2;
    }
  }
  if (config_path.empty()) {
    Usage(std::cerr);
    return 2;
  }
  auto config = onvifgw::config::LoadConfigFile(config_path);
  if (!config) {
    std::cerr << "onvif-gateway: invalid configuration: " << config.error().ToString() << "\n";
    return 1;
  }
  if (check_only) {
    std::cout << config_path << ": OK (" << config->devices.size() << " device(s), "
              << config->adapters.size() << " adapter(s))\n";
    return 0;
  }
  onvifgw::log::Level level = onvifgw::log::Level::kInfo;
  onvifgw::log::ParseLevel(config->log_level, &level);
  onvifgw::log::SetLevel(level);

  // A peer that goes away mid-write is an error code, not a reason to die.
  std::signal(SIGPIPE, SIG_IGN);

  onvifgw::GatewayApp app(std::move(config).value(), ProgramDir());
  if (auto st = app.Start(); !st) {
    onvifgw::log::Error("gateway", st.error());
    app.Stop();
    return 1;
  }
  onvifgw::log::Info("gateway", "running; press Ctrl-C to stop");
  app.RunUntilSignal();
  return 0;
}
