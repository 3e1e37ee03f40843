// onvif-adapter-simulated: a software camera behind the adapter API v1. Needs no hardware.

#include <memory>

#include "adapters/sdk/run_adapter.h"
#include "adapters/simulated/simulated_config.h"
#include "adapters/simulated/simulated_service.h"

namespace {

using onvifgw::adapter_sdk::Result;

Result<std::unique_ptr<grpc::Service>> MakeService(const YAML::Node& yaml) {
  auto config = onvifgw::simulated::ParseSimulatedConfig(yaml);
  if (!config) {
    return config.error();
  }
  return std::unique_ptr<grpc::Service>(
      std::make_unique<onvifgw::simulated::SimulatedService>(std::move(config).value()));
}

}  // namespace

int main(int argc, char** argv) {
  return onvifgw::adapter_sdk::RunAdapter(argc, argv, MakeService);
}
