#include "services/device/io_operations.h"

#include <algorithm>
#include <functional>

#include "adapters/camera_adapter.h"
#include "adapters/fault_map.h"
#include "core/log.h"
#include "onvif/generated/tds.pb.h"
#include "services/events/camera_events.h"
#include "services/xml_time.h"
#include "soap/namespaces.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
namespace v1 = ::onvifgw::adapter::v1;
using soap::Fault;

// Longest monostable hold time accepted from a client (an adapter may
// accept less and say so with INVALID_ARGUMENT, answered ter:ModeError).
constexpr std::chrono::milliseconds kMaxDelay{3'600'000};

Fault RelayTokenFault() {
  return soap::InvalidArgVal("Unknown relay token reference", "RelayToken");
}

Fault ModeError(std::string reason) { return soap::InvalidArgVal(std::move(reason), "ModeError"); }

// The adapter behind the device, when its cached facts say the camera has
// relays; otherwise the fault to answer.
Expected<adapters::CameraAdapter*, Fault> RelayAdapter(const RequestContext& ctx) {
  adapters::CameraAdapter* adapter = ctx.device.adapter;
  if (adapter == nullptr) {
    return MakeUnexpected(soap::ActionNotSupported("This device has no relay outputs"));
  }
  auto facts = adapter->facts();
  const adapters::CameraFacts* cam = facts ? facts->Camera(ctx.device.config.camera) : nullptr;
  if (cam == nullptr) {
    return MakeUnexpected(soap::ActionFailed("The camera has not been reached yet"));
  }
  if (!cam->description.capabilities().relay_outputs()) {
    return MakeUnexpected(soap::ActionNotSupported("This device has no relay outputs"));
  }
  if (!adapter->available()) {
    return MakeUnexpected(soap::ActionFailed("The camera is not reachable at the moment"));
  }
  return adapter;
}

bool KnownRelay(const RequestContext& ctx, const std::string& token) {
  auto facts = ctx.device.adapter->facts();
  const adapters::CameraFacts* cam = facts ? facts->Camera(ctx.device.config.camera) : nullptr;
  if (cam == nullptr) return false;
  const auto& relays = cam->relay_outputs.relays();
  return std::any_of(relays.begin(), relays.end(),
                     [&](const v1::RelayOutput& r) { return r.relay_id() == token; });
}

// The adapter for a change to relay `token`, or the fault to answer: an
// unknown token is refused from the cached relay ids, without a round trip.
Expected<adapters::CameraAdapter*, Fault> RelayTarget(const RequestContext& ctx,
                                                      const std::string& token) {
  auto adapter = RelayAdapter(ctx);
  if (adapter && !KnownRelay(ctx, token)) return MakeUnexpected(RelayTokenFault());
  return adapter;
}

// Completes a relay change: the adapter's NOT_FOUND is ter:RelayToken and,
// for settings, INVALID_ARGUMENT is ter:ModeError.
template <typename Response>
adapters::CameraAdapter::Done<v1::RelayOutput> AfterRelayChange(
    Completion done, bool settings, std::function<void(const v1::RelayOutput&)> changed = {}) {
  return [done = std::move(done), settings, changed = std::move(changed)](
             const grpc::Status& st, const v1::RelayOutput& relay) {
    if (settings && st.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      done(MakeUnexpected(ModeError(st.error_message())));
    } else if (st.error_code() == grpc::StatusCode::NOT_FOUND) {
      done(MakeUnexpected(RelayTokenFault()));
    } else if (!st.ok()) {
      done(MakeUnexpected(adapters::FaultFromStatus(st)));
    } else {
      if (changed) changed(relay);
      done(Ok(Response()));
    }
  };
}

tt::RelayOutput ToOnvif(const v1::RelayOutput& r) {
  tt::RelayOutput out;
  out.set_token(r.relay_id());
  auto* p = out.mutable_properties();
  p->set_mode(r.mode() == v1::RELAY_MODE_MONOSTABLE ? tt::RelayMode_Monostable
                                                    : tt::RelayMode_Bistable);
  p->set_delaytime(FormatDuration(std::chrono::milliseconds(r.delay_ms())));
  p->set_idlestate(r.idle_state() == v1::RELAY_IDLE_STATE_CLOSED ? tt::RelayIdleState_closed
                                                                 : tt::RelayIdleState_open);
  return out;
}

}  // namespace

void GetRelayOutputs(const RequestContext& ctx, const tds::GetRelayOutputs&, Completion done) {
  auto adapter = RelayAdapter(ctx);
  if (!adapter) {
    done(MakeUnexpected(adapter.error()));
    return;
  }
  (*adapter)->ListRelayOutputs(
      ctx.device.config.camera,
      [done = std::move(done)](const grpc::Status& st, const v1::RelayOutputList& list) {
        if (!st.ok()) {
          done(MakeUnexpected(adapters::FaultFromStatus(st)));
          return;
        }
        tds::GetRelayOutputsResponse r;
        for (const auto& relay : list.relays()) *r.add_relayoutputs() = ToOnvif(relay);
        done(Ok(std::move(r)));
      });
}

void SetRelayOutputSettings(const RequestContext& ctx, const tds::SetRelayOutputSettings& req,
                            Completion done) {
  auto adapter = RelayTarget(ctx, req.relayoutputtoken());
  if (!adapter) {
    done(MakeUnexpected(adapter.error()));
    return;
  }
  const tt::RelayOutputSettings& p = req.properties();
  v1::SetRelayOutputSettingsRequest call;
  call.set_camera_id(ctx.device.config.camera);
  call.set_relay_id(req.relayoutputtoken());
  // Mode and IdleState are schema enumerations: the codec has refused any
  // other value already.
  call.set_mode(p.mode() == tt::RelayMode_Bistable ? v1::RELAY_MODE_BISTABLE
                                                   : v1::RELAY_MODE_MONOSTABLE);
  call.set_idle_state(p.idlestate() == tt::RelayIdleState_open ? v1::RELAY_IDLE_STATE_OPEN
                                                               : v1::RELAY_IDLE_STATE_CLOSED);
  const auto delay = ParseDuration(p.delaytime());
  if (!delay) {
    done(MakeUnexpected(soap::InvalidArgVal("DelayTime is not an xs:duration")));
    return;
  }
  // The schema lets a bistable relay ignore DelayTime; a monostable one
  // needs a hold time it can keep.
  if (call.mode() == v1::RELAY_MODE_MONOSTABLE && (delay->count() <= 0 || *delay > kMaxDelay)) {
    done(MakeUnexpected(ModeError("Monostable delay time not valid (1 ms to 1 hour)")));
    return;
  }
  call.set_delay_ms(
      static_cast<uint32_t>(std::clamp(*delay, std::chrono::milliseconds(0), kMaxDelay).count()));
  (*adapter)->SetRelayOutputSettings(
      std::move(call),
      AfterRelayChange<tds::SetRelayOutputSettingsResponse>(std::move(done), true));
}

void SetRelayOutputState(const RequestContext& ctx, const tds::SetRelayOutputState& req,
                         Completion done) {
  auto adapter = RelayTarget(ctx, req.relayoutputtoken());
  if (!adapter) {
    done(MakeUnexpected(adapter.error()));
    return;
  }
  v1::SetRelayOutputStateRequest call;
  call.set_camera_id(ctx.device.config.camera);
  call.set_relay_id(req.relayoutputtoken());
  const bool active = req.logicalstate() == tt::RelayLogicalState_active;
  call.set_active(active);
  const std::string who = ctx.principal ? ctx.principal->username : std::string("anonymous");
  log::WriteAbout(log::Level::kInfo, "io", ctx.device.config.id,
                  "relay " + req.relayoutputtoken() + " " + (active ? "active" : "inactive") +
                      " (by '" + who + "')");
  // Subscribers of tns1:Device/Trigger/Relay learn the state the relay
  // reports after the change.
  auto publish = [events = ctx.device.events, device = ctx.device.config.id,
                  token = req.relayoutputtoken()](const v1::RelayOutput& relay) {
    if (events == nullptr) return;
    events->Publish(device, events::RelayState(relay.relay_id().empty() ? token : relay.relay_id(),
                                               relay.active(), events->clock().Now()));
  };
  (*adapter)->SetRelayOutputState(
      std::move(call),
      AfterRelayChange<tds::SetRelayOutputStateResponse>(std::move(done), false, publish));
}

namespace {

// Core §8.7: one of the commands the capabilities list (those of the
// device's camera), run by the camera through its adapter.
void SendAuxiliaryCommand(const RequestContext& ctx, const tds::SendAuxiliaryCommand& req,
                          Completion done) {
  const std::vector<std::string> commands = AuxiliaryCommandsOf(ctx.device);
  if (commands.empty()) {
    return done(MakeUnexpected(soap::ActionNotSupported("The device has no auxiliary commands")));
  }
  if (std::find(commands.begin(), commands.end(), req.auxiliarycommand()) == commands.end()) {
    return done(MakeUnexpected(
        soap::InvalidArgVal("The device has no auxiliary command '" + req.auxiliarycommand() + "'",
                            "AuxiliaryDataNotSupported")));
  }
  if (!ctx.device.adapter->available()) {
    return done(MakeUnexpected(soap::ActionFailed("The camera is not reachable at the moment")));
  }
  v1::AuxiliaryCommandRequest call;
  call.set_camera_id(ctx.device.config.camera);
  call.set_command(req.auxiliarycommand());
  const std::string who = ctx.principal ? ctx.principal->username : std::string();
  ctx.device.adapter->SendAuxiliaryCommand(
      std::move(call),
      [done = std::move(done), command = req.auxiliarycommand(), device = ctx.device.config.id,
       who](const grpc::Status& st, const v1::AuxiliaryCommandResponse& r) {
        if (!st.ok()) {
          Fault f = adapters::FaultFromStatus(st);
          if (st.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
            f = soap::InvalidArgVal(f.reason, "AuxiliaryDataNotSupported");
          }
          return done(MakeUnexpected(std::move(f)));
        }
        log::WriteAbout(log::Level::kInfo, "io", device,
                        "auxiliary command " + command + (who.empty() ? "" : " by '" + who + "'"));
        tds::SendAuxiliaryCommandResponse resp;
        // tt:AuxiliaryData is at most 128 characters.
        if (!r.response().empty()) resp.set_auxiliarycommandresponse(r.response().substr(0, 128));
        done(Ok(std::move(resp)));
      });
}

}  // namespace

void BindIoOperations(ServiceBinder& b) {
  b.Bind("GetRelayOutputs", GetRelayOutputs)
      .Bind("SetRelayOutputSettings", SetRelayOutputSettings)
      .Bind("SetRelayOutputState", SetRelayOutputState)
      .Bind("SendAuxiliaryCommand", SendAuxiliaryCommand);
}

std::vector<std::string> AuxiliaryCommandsOf(const VirtualDevice& device) {
  if (device.adapter == nullptr) return {};
  const auto facts = device.adapter->facts();
  const adapters::CameraFacts* cam = facts ? facts->Camera(device.config.camera) : nullptr;
  if (cam == nullptr || !cam->description.capabilities().auxiliary_commands()) return {};
  std::vector<std::string> out;
  for (const std::string& c : cam->description.auxiliary_commands()) {
    // Each is one item of an attribute list: no white space, and tt:AuxiliaryData's length.
    const bool listable =
        !c.empty() && c.size() <= 128 && std::none_of(c.begin(), c.end(), [](unsigned char ch) {
          return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
        });
    if (listable) out.push_back(c);
  }
  return out;
}

}  // namespace onvifgw::services::device
