#pragma once
// A CameraAdapter for service tests: facts set by the test, calls recorded
// and answered at once with the status the test chose. No process, no gRPC.

#include <memory>
#include <string>
#include <vector>

#include "adapters/camera_adapter.h"

namespace onvifgw::testing {

class FakeCameraAdapter final : public adapters::CameraAdapter {
 public:
  /// One camera `camera_id` with the given relays (ids), reachable.
  explicit FakeCameraAdapter(const std::string& camera_id, std::vector<std::string> relays = {}) {
    auto facts = std::make_shared<adapters::AdapterFacts>();
    auto& cam = facts->cameras[camera_id];
    cam.description.set_camera_id(camera_id);
    cam.information.set_manufacturer("Fake Cameras");
    cam.information.set_model("FC-1");
    cam.information.set_firmware_version("1.2.3");
    cam.description.mutable_capabilities()->set_relay_outputs(!relays.empty());
    for (const auto& id : relays) {
      auto* r = cam.relay_outputs.add_relays();
      r->set_relay_id(id);
      r->set_mode(adapters::v1::RELAY_MODE_BISTABLE);
      r->set_idle_state(adapters::v1::RELAY_IDLE_STATE_OPEN);
    }
    facts_ = facts;
  }

  std::shared_ptr<const adapters::AdapterFacts> facts() const override { return facts_; }
  bool available() const override { return available_; }

  void Reboot(const std::string& camera_id, Done<adapters::v1::RebootResponse> done) override {
    calls.push_back("Reboot " + camera_id);
    adapters::v1::RebootResponse r;
    r.set_expected_downtime_seconds(42);
    done(status, r);
  }
  void ListRelayOutputs(const std::string& camera_id,
                        Done<adapters::v1::RelayOutputList> done) override {
    calls.push_back("ListRelayOutputs " + camera_id);
    done(status, facts_->cameras.begin()->second.relay_outputs);
  }
  void SetRelayOutputSettings(adapters::v1::SetRelayOutputSettingsRequest request,
                              Done<adapters::v1::RelayOutput> done) override {
    calls.push_back("SetRelayOutputSettings " + request.relay_id() +
                    " mode=" + std::to_string(request.mode()) +
                    " delay_ms=" + std::to_string(request.delay_ms()));
    done(status, {});
  }
  void SetRelayOutputState(adapters::v1::SetRelayOutputStateRequest request,
                           Done<adapters::v1::RelayOutput> done) override {
    calls.push_back("SetRelayOutputState " + request.relay_id() +
                    (request.active() ? " active" : " inactive"));
    done(status, {});
  }

  /// What every call answers with.
  grpc::Status status = grpc::Status::OK;
  bool available_ = true;
  std::vector<std::string> calls;

 private:
  std::shared_ptr<const adapters::AdapterFacts> facts_;
};

}  // namespace onvifgw::testing
