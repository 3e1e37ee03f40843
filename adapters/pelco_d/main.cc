// onvif-adapter-pelco-d: Pelco-D PTZ domes on RS-485 serial lines behind the adapter API v1.

#include <memory>

#include "adapters/pelco_d/pelco_d_config.h"
#include "adapters/pelco_d/pelco_d_service.h"
#include "adapters/sdk/run_adapter.h"

namespace {

using onvifgw::adapter_sdk::Result;

Result<std::unique_ptr<grpc::Service>> MakeService(const YAML::Node& yaml) {
  auto config = onvifgw::pelco_d::ParsePelcoDConfig(yaml);
  if (!config) {
    return config.error();
  }
  // Lines that cannot be opened yet do not stop the adapter: they are retried in the background.
  return std::unique_ptr<grpc::Service>(
      std::make_unique<onvifgw::pelco_d::PelcoDService>(std::move(config).value()));
}

}  // namespace

int main(int argc, char** argv) {
  return onvifgw::adapter_sdk::RunAdapter(argc, argv, MakeService);
}
