#include "services/device/factory_default_operations.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "adapters/fault_map.h"
#include "core/log.h"
#include "onvif/generated/tds.pb.h"
#include "services/device/device_certificates.h"
#include "services/device/device_state_reload.h"
#include "services/device/discovery_settings.h"
#include "services/device/dot1x_configurations.h"
#include "services/device/network_settings.h"
#include "services/device_security.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

// The cameras of the device whose adapters can reset them, each once.
std::vector<std::string> ResettableCameras(const VirtualDevice& device) {
  return CamerasWith(device,
                     [](const adapters::v1::Capabilities& c) { return c.factory_default(); });
}

// Resets cameras[next...] one after the other, then calls `done`.
void ResetCameras(const VirtualDevice* device,
                  std::shared_ptr<const std::vector<std::string>> cameras, std::size_t next,
                  bool hard, std::function<void(Status<Fault>)> done) {
  if (next == cameras->size()) return done({});
  adapters::v1::FactoryDefaultRequest call;
  call.set_camera_id((*cameras)[next]);
  call.set_hard(hard);
  device->adapter->FactoryDefault(
      std::move(call), [device, cameras, next, hard, done = std::move(done)](
                           const grpc::Status& st, const adapters::v1::FactoryDefaultResponse&) {
        const std::string& camera = (*cameras)[next];
        if (!st.ok()) {
          log::WriteAbout(log::Level::kError, "device", device->config.id,
                          "camera " + camera + " was not reset: " + st.error_message());
          Fault f = adapters::FaultFromStatus(st);
          f.reason = "Camera " + camera + " could not be reset" +
                     (next > 0 ? " (the cameras before it were)" : "") + ": " + f.reason;
          return done(MakeUnexpected(std::move(f)));
        }
        log::WriteAbout(log::Level::kInfo, "device", device->config.id,
                        "camera " + camera + " reset");
        ResetCameras(device, cameras, next + 1, hard, done);
      });
}

Status<Fault> ResetGatewayState(const VirtualDevice& d, bool hard) {
  store::StateStore::DeviceReset reset;
  reset.keep_users = !hard;
  if (!hard) {
    if (d.network != nullptr) reset.keep_keys.push_back(d.network->key());
    // 802.1X is how a device gets onto its network: after a soft reset it
    // must still be reachable where it was (Core, SetSystemFactoryDefault).
    if (d.dot1x != nullptr) reset.keep_keys.push_back(d.dot1x->key());
    // ...and so are the certificates HTTPS and EAP-TLS use there.
    if (d.certificates != nullptr) reset.keep_keys.push_back(d.certificates->key());
    reset.keep_key_prefixes.push_back(DeviceSecurity::kPasswordHistoryKeyPrefix);
  }
  if (d.discovery != nullptr) {
    reset.put.emplace_back(d.discovery->key(),
                           d.discovery->FactoryDefaultState().SerializeAsString());
  }
  if (auto st = d.state->ResetDevice(d.config.id, reset); !st) {
    log::WriteAbout(log::Level::kError, "device", d.config.id,
                    "factory default not stored: " + st.error());
    return MakeUnexpected(soap::ActionFailed("The reset could not be stored; nothing was changed"));
  }
  // Private keys and passwords of the old state leave the disk too.
  if (auto erased = d.state->EraseOldVersions(); !erased) {
    log::WriteAbout(log::Level::kError, "device", d.config.id, erased.error());
  }
  ReloadDeviceState(d);
  log::WriteAbout(log::Level::kWarn, "device", d.config.id,
                  std::string(hard ? "hard" : "soft") + " factory default done");
  return {};
}

void SetSystemFactoryDefault(const RequestContext& ctx, const tds::SetSystemFactoryDefault& req,
                             Completion done) {
  const VirtualDevice* device = &ctx.device;
  if (device->state == nullptr) {
    return done(MakeUnexpected(soap::ActionNotSupported("The device keeps no state to reset")));
  }
  const bool hard = req.factorydefault() == tt::FactoryDefaultType_Hard;
  auto cameras = std::make_shared<const std::vector<std::string>>(ResettableCameras(*device));
  if (!cameras->empty() && !device->adapter->available()) {
    return done(MakeUnexpected(
        soap::ActionFailed("The camera is not reachable at the moment; nothing was reset")));
  }
  ResetCameras(device, cameras, 0, hard,
               [device, hard, done = std::move(done)](Status<Fault> cameras_reset) {
                 if (!cameras_reset) return done(MakeUnexpected(cameras_reset.error()));
                 if (auto st = ResetGatewayState(*device, hard); !st) {
                   return done(MakeUnexpected(st.error()));
                 }
                 done(Ok(tds::SetSystemFactoryDefaultResponse{}));
               });
}

}  // namespace

void BindFactoryDefaultOperations(ServiceBinder& b) {
  b.Bind("SetSystemFactoryDefault", SetSystemFactoryDefault);
}

}  // namespace onvifgw::services::device
