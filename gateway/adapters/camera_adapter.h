#pragma once
// What the ONVIF services need from the adapter behind a virtual device: the
// camera's cached facts and the calls that act on it. AdapterClient is the
// gRPC implementation; unit tests give services a fake (tests/unit/gateway/
// fake_camera_adapter.h) and so test them without processes.
//
// Thread-safety: every method may be called from any thread; completions may
// run on any thread.

#include <grpcpp/support/status.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "adapter/v1/adapter.pb.h"

namespace onvifgw::adapters {

namespace v1 = ::onvifgw::adapter::v1;

struct CameraFacts {
  v1::CameraDescription description;
  v1::DeviceInformation information;
  v1::VideoSourceList video_sources;
  v1::AudioSourceList audio_sources;
  /// The relays as first listed: their ids (the ONVIF tokens) and count.
  /// Their settings and state are read live.
  v1::RelayOutputList relay_outputs;
  /// The PTZ heads (capability ptz) and what each can do.
  v1::PtzNodeList ptz_nodes;
  /// The digital inputs as first listed (capability digital_inputs): their
  /// ids (the ONVIF tokens) and count. Their settings and state are read live.
  v1::DigitalInputList digital_inputs;
  /// What each sensor offers (capability imaging), by imaging id (a video
  /// source's imaging_id, or its source_id when that is empty).
  std::map<std::string, v1::ImagingOptions> imaging_options;
};

/// An immutable snapshot; replaced as a whole on refresh.
struct AdapterFacts {
  v1::DescribeResponse describe;
  std::map<std::string, CameraFacts> cameras;
  /// Cameras whose facts could not be read at the last refresh, with the reason. One that was
  /// read before keeps its earlier facts in `cameras`; one never read is absent from it (its
  /// device answers as if the adapter were away) until a later refresh reads it.
  std::map<std::string, std::string> unavailable;
  std::chrono::system_clock::time_point fetched_at;

  const CameraFacts* Camera(const std::string& id) const {
    auto it = cameras.find(id);
    return it == cameras.end() ? nullptr : &it->second;
  }
};

class CameraAdapter {
 public:
  virtual ~CameraAdapter() = default;

  template <typename Response>
  using Done = std::function<void(const grpc::Status&, const Response&)>;

  /// The last facts fetched, or nullptr if the adapter was never reached.
  virtual std::shared_ptr<const AdapterFacts> facts() const = 0;
  /// Whether the adapter is believed up.
  virtual bool available() const = 0;

  virtual void Reboot(const std::string& camera_id, Done<v1::RebootResponse> done) = 0;
  /// Restores the settings the adapter manages on the camera (capability
  /// factory_default); on success the cached facts hold the returned video
  /// sources before `done` runs.
  virtual void FactoryDefault(v1::FactoryDefaultRequest request,
                              Done<v1::FactoryDefaultResponse> done) = 0;
  /// Runs one auxiliary command (capability auxiliary_commands).
  virtual void SendAuxiliaryCommand(v1::AuxiliaryCommandRequest request,
                                    Done<v1::AuxiliaryCommandResponse> done) = 0;
  /// Sets the camera's clock (capability set_system_time).
  virtual void SetSystemTime(v1::SetSystemTimeRequest request, Done<v1::SystemTime> done) = 0;
  virtual void ListRelayOutputs(const std::string& camera_id, Done<v1::RelayOutputList> done) = 0;
  virtual void SetRelayOutputSettings(v1::SetRelayOutputSettingsRequest request,
                                      Done<v1::RelayOutput> done) = 0;
  virtual void SetRelayOutputState(v1::SetRelayOutputStateRequest request,
                                   Done<v1::RelayOutput> done) = 0;
  /// One JPEG of a video source, taken now.
  virtual void GetSnapshot(v1::SnapshotRequest request, Done<v1::Snapshot> done) = 0;
  /// Re-encodes one stream; on success the cached facts hold the returned
  /// stream before `done` runs, so the next read sees the new values.
  virtual void ApplyVideoEncoderConfiguration(v1::ApplyVideoEncoderConfigurationRequest request,
                                              Done<v1::VideoStream> done) = 0;
  /// Sends `image` to the camera as new firmware (capability
  /// firmware_upgrade), in chunks; INVALID_ARGUMENT when the camera refuses
  /// the image.
  virtual void UpgradeFirmware(const std::string& camera_id, std::string image,
                               Done<v1::FirmwareUpgradeResponse> done) = 0;
  /// The camera's own log (capability system_log).
  virtual void GetSystemLog(const std::string& camera_id, Done<v1::CameraLog> done) = 0;
  /// The camera's configuration file (capability configuration_backup), as
  /// its adapter exports it; RESOURCE_EXHAUSTED when larger than `max_bytes`.
  virtual void ExportConfiguration(const std::string& camera_id, std::size_t max_bytes,
                                   Done<std::string> done) = 0;
  /// Puts back a file ExportConfiguration gave; INVALID_ARGUMENT for one the
  /// adapter refuses (nothing changed).
  virtual void ImportConfiguration(const std::string& camera_id, std::string file,
                                   Done<v1::ImportConfigurationResponse> done) = 0;

  /// PTZ (capability ptz), in the generic spaces the adapter API describes;
  /// the nodes are in the cached facts.
  virtual void ContinuousMovePtz(v1::ContinuousMovePtzRequest request,
                                 Done<v1::PtzMoveResponse> done) = 0;
  virtual void RelativeMovePtz(v1::RelativeMovePtzRequest request,
                               Done<v1::PtzMoveResponse> done) = 0;
  virtual void AbsoluteMovePtz(v1::AbsoluteMovePtzRequest request,
                               Done<v1::PtzMoveResponse> done) = 0;
  virtual void StopPtz(v1::StopPtzRequest request, Done<v1::PtzMoveResponse> done) = 0;
  virtual void GetPtzStatus(v1::PtzNodeRef request, Done<v1::PtzStatus> done) = 0;
  virtual void SetPtzPreset(v1::PtzPresetRequest request, Done<v1::PtzMoveResponse> done) = 0;
  virtual void RemovePtzPreset(v1::PtzPresetRequest request, Done<v1::PtzMoveResponse> done) = 0;
  virtual void GotoPtzPreset(v1::GotoPtzPresetRequest request, Done<v1::PtzMoveResponse> done) = 0;
  virtual void GotoPtzHome(v1::GotoPtzHomeRequest request, Done<v1::PtzMoveResponse> done) = 0;
  virtual void SetPtzHome(v1::PtzNodeRef request, Done<v1::PtzMoveResponse> done) = 0;

  /// Digital inputs (capability digital_inputs), read live.
  virtual void ListDigitalInputs(const std::string& camera_id, Done<v1::DigitalInputList> done) = 0;
  virtual void SetDigitalInputSettings(v1::SetDigitalInputSettingsRequest request,
                                       Done<v1::DigitalInput> done) = 0;

  /// Imaging (capability imaging); the options are in the cached facts.
  virtual void GetImagingSettings(v1::ImagingRef request, Done<v1::ImagingSettings> done) = 0;
  virtual void SetImagingSettings(v1::SetImagingSettingsRequest request,
                                  Done<v1::ImagingSettings> done) = 0;
  virtual void MoveFocus(v1::MoveFocusRequest request, Done<v1::FocusMoveResponse> done) = 0;
  virtual void StopFocus(v1::ImagingRef request, Done<v1::FocusMoveResponse> done) = 0;
  virtual void GetFocusStatus(v1::ImagingRef request, Done<v1::FocusStatus> done) = 0;
};

}  // namespace onvifgw::adapters
