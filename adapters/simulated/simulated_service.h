#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/sdk/run_adapter.h"
#include "adapters/simulated/clock.h"
#include "adapters/simulated/frame_renderer.h"
#include "adapters/simulated/mjpeg_http_server.h"
#include "adapters/simulated/simulated_camera.h"
#include "adapters/simulated/simulated_config.h"

namespace onvifgw::simulated {

/// A software camera behind the adapter API v1: every RPC is implemented, with data that is
/// consistent across RPCs and changes over time (clock, snapshot, motion). Settings changed by RPCs
/// (clock, relays, stream encoders) live in memory only: a restarted adapter starts from defaults.
///
/// Motion of every camera toggles inactive -> active -> inactive... every motion_interval, counted
/// from the service's construction; snapshots show the same state. The contact of each digital
/// input toggles closed -> open -> closed... every input_interval, input k's kInputStagger * k
/// later than that. A rebooting camera answers
/// UNAVAILABLE to everything but Describe for kRebootDowntime. All methods are thread-safe.
class SimulatedService final : public onvifgw::adapter::v1::Adapter::Service,
                               public adapter_sdk::ShutdownAware {
 public:
  /// Stream `stream_id` of camera `camera_id` as the camera encodes it now (the test stream
  /// server's lookup).
  std::optional<onvifgw::adapter::v1::VideoStream> VideoStreamOf(
      const std::string& camera_id, const std::string& stream_id) const;
  /// The picture camera `camera_id`'s encoded (RTSP) streams show: kRenderedPicture for a camera
  /// with a PTZ head (its rendered view, which follows the head), else its `test_pattern`; "ball"
  /// if unknown.
  std::string TestPatternOf(const std::string& camera_id) const;
  /// The picture camera `camera_id` shows now at `width` x `height` (that of its snapshots and
  /// MJPEG streams, at any size); nullopt for an unknown camera.
  std::optional<RgbImage> RenderPicture(const std::string& camera_id, uint32_t width,
                                        uint32_t height) const;
  /// Runs `hook` first thing when the service is destroyed, while its cameras still exist: what
  /// renders pictures on threads of its own (the stream servers) stops asking the service then.
  void OnDestroy(std::function<void()> hook);
  /// The picture stream `stream_id` of camera `camera_id` shows now, as a JPEG at the stream's
  /// size and quality, with the stream's frame rate (the MJPEG server's frame source); nullopt
  /// for no such JPEG stream, or while the camera reboots.
  std::optional<MjpegFrame> RenderStreamFrame(const std::string& camera_id,
                                              const std::string& stream_id) const;

  static constexpr std::chrono::seconds kRebootDowntime{2};
  /// How often a waiting StreamEvents call checks whether its client has gone away.
  static constexpr std::chrono::milliseconds kCancelCheckPeriod{250};
  static constexpr const char* kAdapterName = "simulated";
  static constexpr const char* kAdapterVersion = "0.1.0";

  /// `clock` must outlive the service.
  explicit SimulatedService(SimulatedConfig config, const Clock& clock = RealClock());
  ~SimulatedService() override;

  /// Ends every StreamEvents call (with OK) and makes new ones return at once.
  void BeginShutdown() override;

  /// Whether motion is active at `now` (the schedule shared by events and snapshots).
  bool MotionActiveAt(std::chrono::steady_clock::time_point now) const;
  /// How much later than input k - 1's the contact of input k toggles.
  static constexpr std::chrono::milliseconds kInputStagger{100};
  /// Whether the contact of input `number` (1-based) of any camera is closed at `now`.
  bool InputContactClosedAt(uint32_t number, std::chrono::steady_clock::time_point now) const;

  grpc::Status Describe(grpc::ServerContext* context,
                        const onvifgw::adapter::v1::DescribeRequest* request,
                        onvifgw::adapter::v1::DescribeResponse* response) override;
  grpc::Status GetDeviceInformation(grpc::ServerContext* context,
                                    const onvifgw::adapter::v1::CameraRef* request,
                                    onvifgw::adapter::v1::DeviceInformation* response) override;
  grpc::Status GetSystemTime(grpc::ServerContext* context,
                             const onvifgw::adapter::v1::CameraRef* request,
                             onvifgw::adapter::v1::SystemTime* response) override;
  grpc::Status SetSystemTime(grpc::ServerContext* context,
                             const onvifgw::adapter::v1::SetSystemTimeRequest* request,
                             onvifgw::adapter::v1::SystemTime* response) override;
  grpc::Status Reboot(grpc::ServerContext* context, const onvifgw::adapter::v1::CameraRef* request,
                      onvifgw::adapter::v1::RebootResponse* response) override;
  grpc::Status SendAuxiliaryCommand(
      grpc::ServerContext* context, const onvifgw::adapter::v1::AuxiliaryCommandRequest* request,
      onvifgw::adapter::v1::AuxiliaryCommandResponse* response) override;
  grpc::Status FactoryDefault(grpc::ServerContext* context,
                              const onvifgw::adapter::v1::FactoryDefaultRequest* request,
                              onvifgw::adapter::v1::FactoryDefaultResponse* response) override;
  grpc::Status ListVideoSources(grpc::ServerContext* context,
                                const onvifgw::adapter::v1::CameraRef* request,
                                onvifgw::adapter::v1::VideoSourceList* response) override;
  grpc::Status ListAudioSources(grpc::ServerContext* context,
                                const onvifgw::adapter::v1::CameraRef* request,
                                onvifgw::adapter::v1::AudioSourceList* response) override;
  grpc::Status GetSnapshot(grpc::ServerContext* context,
                           const onvifgw::adapter::v1::SnapshotRequest* request,
                           onvifgw::adapter::v1::Snapshot* response) override;
  grpc::Status ApplyVideoEncoderConfiguration(
      grpc::ServerContext* context,
      const onvifgw::adapter::v1::ApplyVideoEncoderConfigurationRequest* request,
      onvifgw::adapter::v1::VideoStream* response) override;
  grpc::Status ListRelayOutputs(grpc::ServerContext* context,
                                const onvifgw::adapter::v1::CameraRef* request,
                                onvifgw::adapter::v1::RelayOutputList* response) override;
  grpc::Status SetRelayOutputSettings(
      grpc::ServerContext* context,
      const onvifgw::adapter::v1::SetRelayOutputSettingsRequest* request,
      onvifgw::adapter::v1::RelayOutput* response) override;
  grpc::Status SetRelayOutputState(grpc::ServerContext* context,
                                   const onvifgw::adapter::v1::SetRelayOutputStateRequest* request,
                                   onvifgw::adapter::v1::RelayOutput* response) override;
  grpc::Status UpgradeFirmware(grpc::ServerContext* context,
                               grpc::ServerReader<onvifgw::adapter::v1::FirmwareChunk>* reader,
                               onvifgw::adapter::v1::FirmwareUpgradeResponse* response) override;
  grpc::Status ExportConfiguration(
      grpc::ServerContext* context, const onvifgw::adapter::v1::CameraRef* request,
      grpc::ServerWriter<onvifgw::adapter::v1::ConfigurationChunk>* writer) override;
  grpc::Status ImportConfiguration(
      grpc::ServerContext* context,
      grpc::ServerReader<onvifgw::adapter::v1::ConfigurationChunk>* reader,
      onvifgw::adapter::v1::ImportConfigurationResponse* response) override;
  grpc::Status GetSystemLog(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::CameraRef* request,
                            onvifgw::adapter::v1::CameraLog* response) override;
  grpc::Status ListDigitalInputs(grpc::ServerContext* context,
                                 const onvifgw::adapter::v1::CameraRef* request,
                                 onvifgw::adapter::v1::DigitalInputList* response) override;
  grpc::Status SetDigitalInputSettings(
      grpc::ServerContext* context,
      const onvifgw::adapter::v1::SetDigitalInputSettingsRequest* request,
      onvifgw::adapter::v1::DigitalInput* response) override;
  grpc::Status StreamEvents(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::StreamEventsRequest* request,
                            grpc::ServerWriter<onvifgw::adapter::v1::Event>* writer) override;

  // PTZ (simulated_service_ptz.cc), for cameras with `ptz: true`: one node kPtzNodeId on source
  // "0"; every other camera answers UNIMPLEMENTED.
  static constexpr const char* kPtzNodeId = "0";
  grpc::Status ListPtzNodes(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::CameraRef* request,
                            onvifgw::adapter::v1::PtzNodeList* response) override;
  grpc::Status ContinuousMovePtz(grpc::ServerContext* context,
                                 const onvifgw::adapter::v1::ContinuousMovePtzRequest* request,
                                 onvifgw::adapter::v1::PtzMoveResponse* response) override;
  grpc::Status RelativeMovePtz(grpc::ServerContext* context,
                               const onvifgw::adapter::v1::RelativeMovePtzRequest* request,
                               onvifgw::adapter::v1::PtzMoveResponse* response) override;
  grpc::Status AbsoluteMovePtz(grpc::ServerContext* context,
                               const onvifgw::adapter::v1::AbsoluteMovePtzRequest* request,
                               onvifgw::adapter::v1::PtzMoveResponse* response) override;
  grpc::Status StopPtz(grpc::ServerContext* context,
                       const onvifgw::adapter::v1::StopPtzRequest* request,
                       onvifgw::adapter::v1::PtzMoveResponse* response) override;
  grpc::Status GetPtzStatus(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::PtzNodeRef* request,
                            onvifgw::adapter::v1::PtzStatus* response) override;
  grpc::Status SetPtzPreset(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::PtzPresetRequest* request,
                            onvifgw::adapter::v1::PtzMoveResponse* response) override;
  grpc::Status RemovePtzPreset(grpc::ServerContext* context,
                               const onvifgw::adapter::v1::PtzPresetRequest* request,
                               onvifgw::adapter::v1::PtzMoveResponse* response) override;
  grpc::Status GotoPtzPreset(grpc::ServerContext* context,
                             const onvifgw::adapter::v1::GotoPtzPresetRequest* request,
                             onvifgw::adapter::v1::PtzMoveResponse* response) override;
  grpc::Status GotoPtzHome(grpc::ServerContext* context,
                           const onvifgw::adapter::v1::GotoPtzHomeRequest* request,
                           onvifgw::adapter::v1::PtzMoveResponse* response) override;
  grpc::Status SetPtzHome(grpc::ServerContext* context,
                          const onvifgw::adapter::v1::PtzNodeRef* request,
                          onvifgw::adapter::v1::PtzMoveResponse* response) override;

  // Imaging (simulated_service_imaging.cc), for every camera: one sensor, kImagingId (the id of
  // its video source, whose imaging_id is empty), with a movable focus lens.
  static constexpr const char* kImagingId = "0";
  grpc::Status GetImagingOptions(grpc::ServerContext* context,
                                 const onvifgw::adapter::v1::ImagingRef* request,
                                 onvifgw::adapter::v1::ImagingOptions* response) override;
  grpc::Status GetImagingSettings(grpc::ServerContext* context,
                                  const onvifgw::adapter::v1::ImagingRef* request,
                                  onvifgw::adapter::v1::ImagingSettings* response) override;
  grpc::Status SetImagingSettings(grpc::ServerContext* context,
                                  const onvifgw::adapter::v1::SetImagingSettingsRequest* request,
                                  onvifgw::adapter::v1::ImagingSettings* response) override;
  grpc::Status MoveFocus(grpc::ServerContext* context,
                         const onvifgw::adapter::v1::MoveFocusRequest* request,
                         onvifgw::adapter::v1::FocusMoveResponse* response) override;
  grpc::Status StopFocus(grpc::ServerContext* context,
                         const onvifgw::adapter::v1::ImagingRef* request,
                         onvifgw::adapter::v1::FocusMoveResponse* response) override;
  grpc::Status GetFocusStatus(grpc::ServerContext* context,
                              const onvifgw::adapter::v1::ImagingRef* request,
                              onvifgw::adapter::v1::FocusStatus* response) override;

 private:
  // Client-supplied text for an error message: bounded and printable, in quotes.
  static std::string Quote(std::string_view text);
  // Finds a camera by id: NOT_FOUND if unknown, INVALID_ARGUMENT if empty.
  grpc::Status Find(const std::string& camera_id, SimulatedCamera** camera) const;
  // Like Find, and UNAVAILABLE while the camera reboots.
  grpc::Status FindUp(const std::string& camera_id, SimulatedCamera** camera) const;
  // Like FindUp, and UNIMPLEMENTED for a camera without relay outputs.
  grpc::Status FindWithRelays(const std::string& camera_id, SimulatedCamera** camera) const;
  static grpc::Status NoSuchRelay(const SimulatedCamera& camera, const std::string& relay_id);
  // Like FindUp, and UNIMPLEMENTED for a camera without PTZ, NOT_FOUND for another node than
  // kPtzNodeId (INVALID_ARGUMENT if empty).
  grpc::Status FindPtz(const std::string& camera_id, const std::string& node_id,
                       SimulatedCamera** camera) const;
  // Like FindUp, and NOT_FOUND for another imaging id than the source's (INVALID_ARGUMENT if
  // empty).
  grpc::Status FindImaging(const std::string& camera_id, const std::string& imaging_id,
                           SimulatedCamera** camera) const;
  // Like FindUp, and UNIMPLEMENTED for a camera without digital inputs.
  grpc::Status FindWithInputs(const std::string& camera_id, SimulatedCamera** camera) const;
  // Every input of `camera` as it is at `now`: idle state and logical state.
  std::vector<onvifgw::adapter::v1::DigitalInput> DigitalInputsAt(
      const SimulatedCamera& camera, std::chrono::steady_clock::time_point now) const;
  // When the contact of input `number` toggles next after `now`.
  std::chrono::steady_clock::time_point NextInputToggle(
      uint32_t number, std::chrono::steady_clock::time_point now) const;
  // The picture of `camera` at `width` x `height` now.
  RgbImage Render(const SimulatedCamera& camera, uint32_t width, uint32_t height) const;
  // The camera's one video source with its streams as encoded now.
  static void FillVideoSources(const SimulatedCamera& camera,
                               onvifgw::adapter::v1::VideoSourceList* response);
  std::chrono::steady_clock::time_point NextMotionToggle(
      std::chrono::steady_clock::time_point now) const;

  const Clock& clock_;
  const std::chrono::milliseconds motion_interval_;
  const std::chrono::milliseconds input_interval_;
  const std::chrono::steady_clock::time_point started_;
  std::vector<std::unique_ptr<SimulatedCamera>> cameras_;  // In config order.
  std::map<std::string, SimulatedCamera*, std::less<>> by_id_;

  std::function<void()> on_destroy_;

  std::mutex stream_mutex_;
  std::condition_variable stream_wakeup_;
  bool shutting_down_ = false;  // Guarded by stream_mutex_.
};

}  // namespace onvifgw::simulated
