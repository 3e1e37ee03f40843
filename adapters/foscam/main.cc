// onvif-adapter-foscam: classic Foscam MJPEG CGI cameras (FI8918W era, "Netwave IP Camera")
// behind the adapter API v1.

#include <memory>

#include "adapters/foscam/foscam_config.h"
#include "adapters/foscam/foscam_service.h"
#include "adapters/sdk/run_adapter.h"

namespace {

using onvifgw::adapter_sdk::Result;

Result<std::unique_ptr<grpc::Service>> MakeService(const YAML::Node& yaml) {
  auto config = onvifgw::foscam::ParseFoscamConfig(yaml);
  if (!config) {
    return config.error();
  }
  // Cameras that do not answer yet do not stop the adapter: each call asks its camera anew.
  return std::unique_ptr<grpc::Service>(
      std::make_unique<onvifgw::foscam::FoscamService>(std::move(config).value()));
}

}  // namespace

int main(int argc, char** argv) {
  return onvifgw::adapter_sdk::RunAdapter(argc, argv, MakeService);
}
