#include "services/events/camera_events.h"

#include "services/events/event_service.h"
#include "services/media/media_catalog.h"

namespace onvifgw::services::events {
namespace {

namespace v1 = ::onvifgw::adapter::v1;

const char* Boolean(bool b) { return b ? "true" : "false"; }

Notification Property(std::string_view topic, Clock::time_point time,
                      std::vector<SimpleItem> source, std::vector<SimpleItem> data) {
  return Notification{std::string(topic), time, "Changed", std::move(source), std::move(data)};
}

// Both motion topics for one video source.
void Motion(const config::DeviceConfig& device, const std::string& camera_id,
            const std::string& source_id, bool active, Clock::time_point time,
            std::vector<Notification>& out) {
  const std::string source = media::VideoSourceToken(device, camera_id, source_id);
  if (source.empty()) return;  // a camera this device does not present
  const std::string configuration =
      media::VideoSourceConfigurationToken(device, camera_id, source_id);
  out.push_back(
      Property(kMotionAlarmTopic, time, {{"Source", source}}, {{"State", Boolean(active)}}));
  // The camera's own detector stands for the analytics configuration of
  // the source ("vac_" + the source's part of its token).
  out.push_back(Property(kCellMotionTopic, time,
                         {{"VideoSourceConfigurationToken", configuration},
                          {"VideoAnalyticsConfigurationToken", "vac_" + configuration.substr(4)},
                          {"Rule", kMotionRule}},
                         {{"IsMotion", Boolean(active)}}));
}

// A per-source State topic (signal loss, tampering).
void SourceState(std::string_view topic, const config::DeviceConfig& device,
                 const std::string& camera_id, const std::string& source_id, bool state,
                 Clock::time_point time, std::vector<Notification>& out) {
  const std::string source = media::VideoSourceToken(device, camera_id, source_id);
  if (source.empty()) return;
  out.push_back(Property(topic, time, {{"Source", source}}, {{"State", Boolean(state)}}));
}

// Whether the device presents the relays and inputs of `camera_id`: those
// of its main camera (the Device IO operations serve that one).
bool PresentsIo(const config::DeviceConfig& device, const std::string& camera_id) {
  return device.camera == camera_id;
}

}  // namespace

std::vector<Notification> CameraNotifications(const config::DeviceConfig& device,
                                              const v1::Event& event, Clock::time_point time) {
  std::vector<Notification> out;
  switch (event.kind_case()) {
    case v1::Event::kMotion:
      Motion(device, event.camera_id(), event.motion().source_id(), event.motion().active(), time,
             out);
      break;
    case v1::Event::kTamper:
      SourceState(kTamperTopic, device, event.camera_id(), event.tamper().source_id(),
                  event.tamper().active(), time, out);
      break;
    case v1::Event::kDigitalInput:
      if (PresentsIo(device, event.camera_id()) && !event.digital_input().input_id().empty()) {
        out.push_back(Property(kDigitalInputTopic, time,
                               {{"InputToken", event.digital_input().input_id()}},
                               {{"LogicalState", Boolean(event.digital_input().active())}}));
      }
      break;
    case v1::Event::kRelay:
      if (PresentsIo(device, event.camera_id()) && !event.relay().relay_id().empty()) {
        out.push_back(RelayState(event.relay().relay_id(), event.relay().active(), time));
      }
      break;
    default:
      break;
  }
  return out;
}

std::vector<Notification> InitialState(const config::DeviceConfig& device,
                                       const adapters::AdapterFacts& facts,
                                       Clock::time_point time) {
  std::vector<Notification> out;
  for (const auto& binding : media::CameraBindings(device)) {
    const adapters::CameraFacts* camera = facts.Camera(binding.camera_id);
    if (camera == nullptr) continue;
    const auto& caps = camera->description.capabilities();
    if (caps.video_sources()) {
      for (const v1::VideoSource& source : camera->video_sources.sources()) {
        if (caps.events()) Motion(device, binding.camera_id, source.source_id(), false, time, out);
        if (caps.tamper_events()) {
          SourceState(kTamperTopic, device, binding.camera_id, source.source_id(), false, time,
                      out);
        }
      }
    }
    if (caps.relay_outputs() && PresentsIo(device, binding.camera_id)) {
      for (const v1::RelayOutput& relay : camera->relay_outputs.relays()) {
        out.push_back(RelayState(relay.relay_id(), relay.active(), time));
      }
    }
  }
  for (Notification& n : out) n.operation = "Initialized";
  return out;
}

std::vector<Notification> SignalState(const config::DeviceConfig& device,
                                      const adapters::AdapterFacts& facts, bool lost,
                                      Clock::time_point time) {
  std::vector<Notification> out;
  for (const auto& binding : media::CameraBindings(device)) {
    const adapters::CameraFacts* camera = facts.Camera(binding.camera_id);
    if (camera == nullptr || !camera->description.capabilities().video_sources()) continue;
    for (const v1::VideoSource& source : camera->video_sources.sources()) {
      SourceState(kSignalLossTopic, device, binding.camera_id, source.source_id(), lost, time, out);
    }
  }
  return out;
}

Notification RelayState(const std::string& relay_id, bool active, Clock::time_point time) {
  return Property(kRelayTopic, time, {{"RelayToken", relay_id}},
                  {{"LogicalState", active ? "active" : "inactive"}});
}

}  // namespace onvifgw::services::events
