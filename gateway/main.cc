// onvif-gateway: presents legacy cameras as ONVIF devices.
//   onvif-gateway --config FILE [--check]
//   onvif-gateway seal --config FILE    (a secret on stdin -> its sealed form on stdout)

#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "adapters/adapter_secrets.h"
#include "config/config_loader.h"
#include "core/log.h"
#include "gateway_app.h"

namespace {

void Usage(std::ostream& os) {
  os << "usage: onvif-gateway --config FILE [--check]\n"
        "       onvif-gateway seal --config FILE\n"
        "  --config FILE  the gateway configuration (YAML)\n"
        "  --check        validate the configuration and exit\n"
        "  seal           read a secret (a camera password) from stdin and print its sealed\n"
        "                 form for the adapter sections of FILE: sealed:... (sealed with the\n"
        "                 key in FILE's state directory, made there if it has none yet)\n";
}

// One line from stdin, without echo when it is a terminal.
std::string ReadSecret() {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    std::cerr << "secret: " << std::flush;
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int Seal(const onvifgw::config::GatewayConfig& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.state_dir, ec);
  if (ec) {
    std::cerr << "onvif-gateway: cannot create " << config.state_dir << ": " << ec.message()
              << "\n";
    return 1;
  }
  auto box = onvifgw::security::SecretBox::OpenOrCreate(
      (std::filesystem::path(config.state_dir) / "secret.key").string());
  if (!box) {
    std::cerr << "onvif-gateway: " << box.error() << "\n";
    return 1;
  }
  const std::string secret = ReadSecret();
  if (secret.empty()) {
    std::cerr << "onvif-gateway: no secret on stdin\n";
    return 2;
  }
  auto sealed = onvifgw::adapters::SealAdapterSecret(*box, secret);
  if (!sealed) {
    std::cerr << "onvif-gateway: " << sealed.error() << "\n";
    return 1;
  }
  std::cout << *sealed << "\n";
  return 0;
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
  bool seal = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "seal" && i == 1) {
      seal = true;
    } else if (a == "--config" && i + 1 < argc) {
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
  if (seal) return Seal(*config);
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
