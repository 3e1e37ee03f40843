#include "services/deviceio/deviceio_service.h"

#include <algorithm>
#include <memory>
#include <set>

#include "adapters/fault_map.h"
#include "core/log.h"
#include "onvif/generated/tmd.pb.h"
#include "services/device/io_operations.h"
#include "services/media/media_operations.h"
#include "services/operation.h"
#include "services/service_registry.h"
#include "soap/codec.h"

namespace onvifgw::services::deviceio {
namespace {

namespace tmd = ::onvifgw::onvif::tmd;
namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
namespace v1 = ::onvifgw::adapter::v1;
using soap::Fault;

// The longest monostable hold time the relays take (as the Device service).
constexpr float kMaxRelayDelaySeconds = 3600.0f;
constexpr float kMinRelayDelaySeconds = 0.001f;

bool Offered(const RequestContext& ctx) { return media::MediaAvailable(ctx); }

/// The cached facts of the device's camera (relays and inputs are its).
const adapters::CameraFacts* MainCamera(const RequestContext& ctx,
                                        std::shared_ptr<const adapters::AdapterFacts>& holder) {
  if (ctx.device.adapter == nullptr) return nullptr;
  holder = ctx.device.adapter->facts();
  return holder ? holder->Camera(ctx.device.config.camera) : nullptr;
}

int RelayCount(const RequestContext& ctx) {
  std::shared_ptr<const adapters::AdapterFacts> facts;
  const adapters::CameraFacts* camera = MainCamera(ctx, facts);
  if (camera == nullptr || !camera->description.capabilities().relay_outputs()) return 0;
  return camera->relay_outputs.relays_size();
}

int DigitalInputCount(const RequestContext& ctx) {
  std::shared_ptr<const adapters::AdapterFacts> facts;
  const adapters::CameraFacts* camera = MainCamera(ctx, facts);
  if (camera == nullptr || !camera->description.capabilities().digital_inputs()) return 0;
  return camera->digital_inputs.inputs_size();
}

tmd::Capabilities ServiceCapabilities(const RequestContext& ctx) {
  tmd::Capabilities c;
  if (Offered(ctx)) {
    const media::MediaCatalog catalog =
        media::MediaCatalog::Build(ctx.device.adapter, media::CamerasOf(ctx));
    c.set_videosources(static_cast<int>(catalog.sources().size()));
    c.set_audiosources(static_cast<int>(catalog.audio_sources().size()));
  } else {
    c.set_videosources(0);
    c.set_audiosources(0);
  }
  c.set_videooutputs(0);
  c.set_audiooutputs(0);
  c.set_relayoutputs(RelayCount(ctx));
  c.set_serialports(0);
  const int inputs = DigitalInputCount(ctx);
  c.set_digitalinputs(inputs);
  c.set_digitalinputoptions(inputs > 0);
  return c;
}

Expected<tmd::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext& ctx, const tmd::GetServiceCapabilities&) {
  tmd::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities(ctx);
  return r;
}

// ------------------------------------------------------ sources and outputs

Expected<tmd::GetResponse, Fault> GetVideoSources(const RequestContext& ctx, const tmd::Get&) {
  tmd::GetResponse r;
  if (!Offered(ctx)) return r;
  const media::MediaCatalog catalog =
      media::MediaCatalog::Build(ctx.device.adapter, media::CamerasOf(ctx));
  for (const auto& source : catalog.sources()) r.add_token(source.token);
  return r;
}

Expected<tmd::GetResponse, Fault> GetAudioSources(const RequestContext& ctx, const tmd::Get&) {
  tmd::GetResponse r;
  if (!Offered(ctx)) return r;
  const media::MediaCatalog catalog =
      media::MediaCatalog::Build(ctx.device.adapter, media::CamerasOf(ctx));
  for (const auto& source : catalog.audio_sources()) r.add_token(source.token);
  return r;
}

// The device has no outputs: empty lists, and every token is unknown.
Expected<tmd::GetResponse, Fault> GetAudioOutputs(const RequestContext&, const tmd::Get&) {
  return tmd::GetResponse{};
}

Expected<tmd::GetVideoOutputsResponse, Fault> GetVideoOutputs(const RequestContext&,
                                                              const tmd::GetVideoOutputs&) {
  return tmd::GetVideoOutputsResponse{};
}

Fault NoVideoOutput(const std::string& token) {
  return soap::InvalidArgVal("The requested video output '" + token + "' does not exist",
                             "NoVideoOutput");
}
Fault NoAudioOutput(const std::string& token) {
  return soap::InvalidArgVal("The requested audio output '" + token + "' does not exist",
                             "NoAudioOutput");
}

Expected<tmd::GetVideoOutputConfigurationResponse, Fault> GetVideoOutputConfiguration(
    const RequestContext&, const tmd::GetVideoOutputConfiguration& req) {
  return MakeUnexpected(NoVideoOutput(req.videooutputtoken()));
}
Expected<tmd::SetVideoOutputConfigurationResponse, Fault> SetVideoOutputConfiguration(
    const RequestContext&, const tmd::SetVideoOutputConfiguration& req) {
  return MakeUnexpected(NoVideoOutput(req.configuration().outputtoken()));
}
Expected<tmd::GetVideoOutputConfigurationOptionsResponse, Fault> GetVideoOutputConfigurationOptions(
    const RequestContext&, const tmd::GetVideoOutputConfigurationOptions& req) {
  return MakeUnexpected(NoVideoOutput(req.videooutputtoken()));
}
Expected<tmd::GetAudioOutputConfigurationResponse, Fault> GetAudioOutputConfiguration(
    const RequestContext&, const tmd::GetAudioOutputConfiguration& req) {
  return MakeUnexpected(NoAudioOutput(req.audiooutputtoken()));
}
Expected<tmd::SetAudioOutputConfigurationResponse, Fault> SetAudioOutputConfiguration(
    const RequestContext&, const tmd::SetAudioOutputConfiguration& req) {
  return MakeUnexpected(NoAudioOutput(req.configuration().outputtoken()));
}
Expected<tmd::GetAudioOutputConfigurationOptionsResponse, Fault> GetAudioOutputConfigurationOptions(
    const RequestContext&, const tmd::GetAudioOutputConfigurationOptions& req) {
  return MakeUnexpected(NoAudioOutput(req.audiooutputtoken()));
}

// ------------------------------------------------------------ serial ports

Fault InvalidSerialPort(const std::string& token) {
  return soap::InvalidArgVal("The serial port '" + token + "' does not exist", "InvalidSerialPort");
}

Expected<tmd::GetSerialPortsResponse, Fault> GetSerialPorts(const RequestContext&,
                                                            const tmd::GetSerialPorts&) {
  return tmd::GetSerialPortsResponse{};
}
Expected<tmd::GetSerialPortConfigurationResponse, Fault> GetSerialPortConfiguration(
    const RequestContext&, const tmd::GetSerialPortConfiguration& req) {
  return MakeUnexpected(InvalidSerialPort(req.serialporttoken()));
}
Expected<tmd::SetSerialPortConfigurationResponse, Fault> SetSerialPortConfiguration(
    const RequestContext&, const tmd::SetSerialPortConfiguration& req) {
  return MakeUnexpected(InvalidSerialPort(req.serialportconfiguration().token()));
}
Expected<tmd::GetSerialPortConfigurationOptionsResponse, Fault> GetSerialPortConfigurationOptions(
    const RequestContext&, const tmd::GetSerialPortConfigurationOptions& req) {
  return MakeUnexpected(InvalidSerialPort(req.serialporttoken()));
}
Expected<tmd::SendReceiveSerialCommandResponse, Fault> SendReceiveSerialCommand(
    const RequestContext&, const tmd::SendReceiveSerialCommand& req) {
  return MakeUnexpected(InvalidSerialPort(req.token()));
}

// ----------------------------------------------------------- relay outputs

Expected<tmd::GetRelayOutputOptionsResponse, Fault> GetRelayOutputOptions(
    const RequestContext& ctx, const tmd::GetRelayOutputOptions& req) {
  std::shared_ptr<const adapters::AdapterFacts> facts;
  const adapters::CameraFacts* camera = MainCamera(ctx, facts);
  tmd::GetRelayOutputOptionsResponse r;
  bool found = !req.has_relayoutputtoken();
  if (camera != nullptr && camera->description.capabilities().relay_outputs()) {
    for (const auto& relay : camera->relay_outputs.relays()) {
      if (req.has_relayoutputtoken() && relay.relay_id() != req.relayoutputtoken()) continue;
      found = true;
      // What SetRelayOutputSettings takes: both modes, hold times from 1 ms to 1 hour.
      auto* o = r.add_relayoutputoptions();
      o->set_token(relay.relay_id());
      o->add_mode(tt::RelayMode_Monostable);
      o->add_mode(tt::RelayMode_Bistable);
      o->add_delaytimes(kMinRelayDelaySeconds);
      o->add_delaytimes(kMaxRelayDelaySeconds);
      o->set_discrete(false);
    }
  }
  if (!found) {
    return MakeUnexpected(soap::InvalidArgVal("Unknown relay token reference", "RelayToken"));
  }
  return r;
}

// The DeviceIO form carries the token inside the relay; the rules are the
// Device service's.
void SetRelayOutputSettings(const RequestContext& ctx, const tmd::SetRelayOutputSettings& req,
                            Completion done) {
  tds::SetRelayOutputSettings call;
  call.set_relayoutputtoken(req.relayoutput().token());
  *call.mutable_properties() = req.relayoutput().properties();
  device::SetRelayOutputSettings(ctx, call, [done = std::move(done)](OperationResult result) {
    if (!result) return done(std::move(result));
    done(Ok(tmd::SetRelayOutputSettingsResponse{}));
  });
}

// ---------------------------------------------------------- digital inputs

Expected<const adapters::CameraFacts*, Fault> InputCamera(
    const RequestContext& ctx, std::shared_ptr<const adapters::AdapterFacts>& holder) {
  const adapters::CameraFacts* camera = MainCamera(ctx, holder);
  if (camera == nullptr || !camera->description.capabilities().digital_inputs()) {
    return MakeUnexpected(soap::ActionNotSupported("This device has no digital inputs"));
  }
  if (!ctx.device.adapter->available()) {
    return MakeUnexpected(soap::ActionFailed("The camera is not reachable at the moment"));
  }
  return camera;
}

tt::DigitalIdleState IdleStateOf(v1::RelayIdleState state) {
  // The ONVIF default for an input that does not say is closed.
  return state == v1::RELAY_IDLE_STATE_OPEN ? tt::DigitalIdleState_open
                                            : tt::DigitalIdleState_closed;
}

void GetDigitalInputs(const RequestContext& ctx, const tmd::GetDigitalInputs&, Completion done) {
  std::shared_ptr<const adapters::AdapterFacts> facts;
  auto camera = InputCamera(ctx, facts);
  if (!camera) return done(MakeUnexpected(camera.error()));
  ctx.device.adapter->ListDigitalInputs(
      ctx.device.config.camera,
      [done = std::move(done)](const grpc::Status& st, const v1::DigitalInputList& list) {
        if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        tmd::GetDigitalInputsResponse r;
        for (const auto& input : list.inputs()) {
          auto* out = r.add_digitalinputs();
          out->set_token(input.input_id());
          out->set_idlestate(IdleStateOf(input.idle_state()));
        }
        done(Ok(std::move(r)));
      });
}

const v1::DigitalInput* FindInput(const adapters::CameraFacts& camera, const std::string& token) {
  for (const auto& input : camera.digital_inputs.inputs()) {
    if (input.input_id() == token) return &input;
  }
  return nullptr;
}

Fault NoInputConfig(const std::string& token) {
  return soap::InvalidArgVal("The digital input '" + token + "' does not exist", "NoConfig");
}

Expected<tmd::GetDigitalInputConfigurationOptionsResponse, Fault>
GetDigitalInputConfigurationOptions(const RequestContext& ctx,
                                    const tmd::GetDigitalInputConfigurationOptions& req) {
  std::shared_ptr<const adapters::AdapterFacts> facts;
  const adapters::CameraFacts* camera = MainCamera(ctx, facts);
  if (camera == nullptr || !camera->description.capabilities().digital_inputs()) {
    return MakeUnexpected(soap::ActionNotSupported("This device has no digital inputs"));
  }
  // The idle states the named input (or every input) can take.
  std::set<tt::DigitalIdleState> states;
  for (const auto& input : camera->digital_inputs.inputs()) {
    if (req.has_token() && input.input_id() != req.token()) continue;
    states.insert(IdleStateOf(input.idle_state()));
    if (input.idle_state_settable()) {
      states.insert(tt::DigitalIdleState_closed);
      states.insert(tt::DigitalIdleState_open);
    }
  }
  if (req.has_token() && FindInput(*camera, req.token()) == nullptr) {
    return MakeUnexpected(NoInputConfig(req.token()));
  }
  tmd::GetDigitalInputConfigurationOptionsResponse r;
  auto* options = r.mutable_digitalinputoptions();
  for (tt::DigitalIdleState state : states) options->add_idlestate(state);
  if (states.empty()) options->add_idlestate(tt::DigitalIdleState_closed);
  return r;
}

// All or nothing: every input is checked before the first one changes.
// Inputs whose idle state is already the asked one are not touched.
void SetDigitalInputConfigurations(const RequestContext& ctx,
                                   const tmd::SetDigitalInputConfigurations& req, Completion done) {
  std::shared_ptr<const adapters::AdapterFacts> facts;
  auto camera = InputCamera(ctx, facts);
  if (!camera) return done(MakeUnexpected(camera.error()));
  std::vector<v1::SetDigitalInputSettingsRequest> calls;
  std::set<std::string> seen;
  for (const auto& wanted : req.digitalinputs()) {
    const v1::DigitalInput* input = FindInput(**camera, wanted.token());
    if (input == nullptr) return done(MakeUnexpected(NoInputConfig(wanted.token())));
    if (!seen.insert(wanted.token()).second) {
      return done(MakeUnexpected(soap::InvalidArgVal(
          "The digital input '" + wanted.token() + "' is named twice", "SettingsInvalid")));
    }
    const tt::DigitalIdleState state =
        wanted.has_idlestate() ? wanted.idlestate() : tt::DigitalIdleState_closed;
    if (state == IdleStateOf(input->idle_state())) continue;
    if (!input->idle_state_settable()) {
      return done(MakeUnexpected(soap::InvalidArgVal(
          "The idle state of digital input '" + wanted.token() + "' cannot be changed",
          "SettingsInvalid")));
    }
    v1::SetDigitalInputSettingsRequest call;
    call.set_camera_id(ctx.device.config.camera);
    call.set_input_id(wanted.token());
    call.set_idle_state(state == tt::DigitalIdleState_open ? v1::RELAY_IDLE_STATE_OPEN
                                                           : v1::RELAY_IDLE_STATE_CLOSED);
    calls.push_back(std::move(call));
  }
  const std::string who = ctx.principal ? ctx.principal->username : std::string("anonymous");
  log::WriteAbout(
      log::Level::kInfo, "io", ctx.device.config.id,
      std::to_string(calls.size()) + " digital input idle state(s) changed (by '" + who + "')");
  // One after the other; the cached facts take the new idle states at the
  // next refresh, and the live list is what GetDigitalInputs answers.
  struct Chain {
    adapters::CameraAdapter* adapter;
    std::vector<v1::SetDigitalInputSettingsRequest> calls;
    size_t next = 0;
    Completion done;
    static void Step(std::shared_ptr<Chain> self) {
      if (self->next == self->calls.size()) {
        return self->done(Ok(tmd::SetDigitalInputConfigurationsResponse{}));
      }
      auto call = self->calls[self->next++];
      self->adapter->SetDigitalInputSettings(
          std::move(call), [self](const grpc::Status& st, const v1::DigitalInput&) {
            if (!st.ok()) {
              if (st.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
                return self->done(
                    MakeUnexpected(soap::InvalidArgVal(st.error_message(), "SettingsInvalid")));
              }
              return self->done(MakeUnexpected(adapters::FaultFromStatus(st)));
            }
            Step(self);
          });
    }
  };
  auto chain =
      std::make_shared<Chain>(Chain{ctx.device.adapter, std::move(calls), 0, std::move(done)});
  Chain::Step(chain);
}

std::string DeviceIoCapabilitiesFragment(const RequestContext& ctx) {
  return soap::EncodeFragment(ServiceCapabilities(ctx), "tmd", "Capabilities");
}

}  // namespace

void ServeDeviceIo(ServiceRegistry& registry) {
  ServiceDescription d;
  d.path = std::string(kDeviceIoPath);
  d.available = Offered;
  d.capabilities = DeviceIoCapabilitiesFragment;
  // GetCapabilities lists DeviceIO under Extension (no category of its own).
  d.legacy_capabilities = [](const RequestContext& ctx, tt::Capabilities* caps) {
    const tmd::Capabilities c = ServiceCapabilities(ctx);
    auto* io = caps->mutable_extension()->mutable_deviceio();
    io->set_xaddr(ctx.ServiceUrl(kDeviceIoPath));
    io->set_videosources(c.videosources());
    io->set_videooutputs(c.videooutputs());
    io->set_audiosources(c.audiosources());
    io->set_audiooutputs(c.audiooutputs());
    io->set_relayoutputs(c.relayoutputs());
  };
  ServiceBinder b = registry.Serve("tmd", std::move(d));
  b.Bind("GetServiceCapabilities", GetServiceCapabilities)
      .Bind("GetRelayOutputOptions", GetRelayOutputOptions)
      .Bind("GetAudioSources", GetAudioSources)
      .Bind("GetAudioOutputs", GetAudioOutputs)
      .Bind("GetVideoSources", GetVideoSources)
      .Bind("GetVideoOutputs", GetVideoOutputs)
      .Bind("GetVideoOutputConfiguration", GetVideoOutputConfiguration)
      .Bind("GetAudioOutputConfiguration", GetAudioOutputConfiguration)
      .Bind("SetVideoOutputConfiguration", SetVideoOutputConfiguration)
      .Bind("SetAudioOutputConfiguration", SetAudioOutputConfiguration)
      .Bind("GetVideoOutputConfigurationOptions", GetVideoOutputConfigurationOptions)
      .Bind("GetAudioOutputConfigurationOptions", GetAudioOutputConfigurationOptions)
      .Bind("GetRelayOutputs", device::GetRelayOutputs)
      .Bind("SetRelayOutputSettings", SetRelayOutputSettings)
      .Bind("SetRelayOutputState", device::SetRelayOutputState)
      .Bind("GetDigitalInputs", GetDigitalInputs)
      .Bind("GetDigitalInputConfigurationOptions", GetDigitalInputConfigurationOptions)
      .Bind("SetDigitalInputConfigurations", SetDigitalInputConfigurations)
      .Bind("GetSerialPorts", GetSerialPorts)
      .Bind("GetSerialPortConfiguration", GetSerialPortConfiguration)
      .Bind("SetSerialPortConfiguration", SetSerialPortConfiguration)
      .Bind("GetSerialPortConfigurationOptions", GetSerialPortConfigurationOptions)
      .Bind("SendReceiveSerialCommand", SendReceiveSerialCommand)
      .Unsupported(
          "Video and audio source configurations are served by the Media and Media2 services",
          {"GetVideoSourceConfiguration", "GetAudioSourceConfiguration",
           "SetVideoSourceConfiguration", "SetAudioSourceConfiguration",
           "GetVideoSourceConfigurationOptions", "GetAudioSourceConfigurationOptions"});
}

}  // namespace onvifgw::services::deviceio
