// onvif-adapter-vapix: Axis cameras and video encoders over the VAPIX HTTP CGIs behind the
// adapter API v1.

#include <memory>

#include "adapters/sdk/run_adapter.h"
#include "adapters/vapix/vapix_config.h"
#include "adapters/vapix/vapix_service.h"

namespace {

using onvifgw::adapter_sdk::Result;

Result<std::unique_ptr<grpc::Service>> MakeService(const YAML::Node& yaml) {
  auto config = onvifgw::vapix::ParseVapixConfig(yaml);
  if (!config) {
    return config.error();
  }
  // Cameras that do not answer yet do not stop the adapter: each call asks its camera again.
  return std::unique_ptr<grpc::Service>(
      std::make_unique<onvifgw::vapix::VapixService>(std::move(config).value()));
}

}  // namespace

int main(int argc, char** argv) {
  return onvifgw::adapter_sdk::RunAdapter(argc, argv, MakeService);
}
