#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/sdk/run_adapter.h"
#include "adapters/vapix/vapix_camera.h"
#include "adapters/vapix/vapix_config.h"
#include "adapters/vapix/vapix_events.h"

namespace onvifgw::vapix {

/// Axis cameras over VAPIX behind the adapter API v1.
///
/// Each camera (one channel) has one video source kSourceId with an MJPEG stream and, when RTSP
/// is on, an H.264 RTSP stream; relay outputs "relay-<port>" and inputs "input-<port>" (port.cgi
/// numbers); one PTZ node kPtzNodeId when PTZ is on; one sensor kSourceId (imaging, focus) when
/// the camera lists ImageSource settings. What depends on the camera (PTZ, relays, inputs,
/// imaging, motion) is claimed once its facts are known: Describe reads them (within a few seconds)
/// for cameras it does not know yet, and an event stream announces FactsChanged when they are
/// learnt or change later. RPCs this adapter does not override answer UNIMPLEMENTED. All methods
/// are thread-safe.
class VapixService final : public onvifgw::adapter::v1::Adapter::Service,
                           public adapter_sdk::ShutdownAware {
 public:
  static constexpr const char* kAdapterName = "vapix";
  static constexpr const char* kAdapterVersion = "0.1.0";
  static constexpr const char* kSourceId = "0";
  static constexpr const char* kMjpegStreamId = "mjpeg";
  static constexpr const char* kH264StreamId = "h264";
  static constexpr const char* kPtzNodeId = "0";
  /// How long Describe waits for cameras whose facts it does not know yet.
  static constexpr std::chrono::milliseconds kDescribeBudget{3000};
  /// How often a waiting StreamEvents call checks whether its client has gone away.
  static constexpr std::chrono::milliseconds kCancelCheckPeriod{250};
  /// Roughly how long an Axis camera takes to come back.
  static constexpr uint32_t kRebootSeconds = 60;
  static constexpr uint32_t kFirmwareUpgradeSeconds = 300;
  /// The largest firmware image accepted.
  static constexpr size_t kMaxFirmwareBytes = 256u << 20;

  explicit VapixService(VapixConfig config);
  ~VapixService() override;

  /// Ends every StreamEvents call (with OK).
  void BeginShutdown() override;

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
  grpc::Status FactoryDefault(grpc::ServerContext* context,
                              const onvifgw::adapter::v1::FactoryDefaultRequest* request,
                              onvifgw::adapter::v1::FactoryDefaultResponse* response) override;
  grpc::Status ListVideoSources(grpc::ServerContext* context,
                                const onvifgw::adapter::v1::CameraRef* request,
                                onvifgw::adapter::v1::VideoSourceList* response) override;
  grpc::Status GetSnapshot(grpc::ServerContext* context,
                           const onvifgw::adapter::v1::SnapshotRequest* request,
                           onvifgw::adapter::v1::Snapshot* response) override;
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
  grpc::Status ListDigitalInputs(grpc::ServerContext* context,
                                 const onvifgw::adapter::v1::CameraRef* request,
                                 onvifgw::adapter::v1::DigitalInputList* response) override;
  grpc::Status SetDigitalInputSettings(
      grpc::ServerContext* context,
      const onvifgw::adapter::v1::SetDigitalInputSettingsRequest* request,
      onvifgw::adapter::v1::DigitalInput* response) override;
  grpc::Status UpgradeFirmware(grpc::ServerContext* context,
                               grpc::ServerReader<onvifgw::adapter::v1::FirmwareChunk>* reader,
                               onvifgw::adapter::v1::FirmwareUpgradeResponse* response) override;
  grpc::Status GetSystemLog(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::CameraRef* request,
                            onvifgw::adapter::v1::CameraLog* response) override;
  grpc::Status StreamEvents(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::StreamEventsRequest* request,
                            grpc::ServerWriter<onvifgw::adapter::v1::Event>* writer) override;

  // PTZ (vapix_service_ptz.cc): node kPtzNodeId on source kSourceId for cameras with PTZ on.
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

  // Imaging (vapix_service_imaging.cc): sensor kSourceId from ImageSource.I<channel-1>, focus
  // through ptz.cgi where query=limits gives MinFocus/MaxFocus.
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

  /// The call's deadline as a steady time, a little early so that the answer still arrives in
  /// time; far away when the call has none (each request is bounded by its own timeout anyway).
  static Deadline DeadlineOf(const grpc::ServerContext* context);
  /// Client-supplied text for an error message: bounded and printable, in quotes.
  static std::string Quote(std::string_view text);

 private:
  // NOT_FOUND for an unknown camera, INVALID_ARGUMENT for an empty id.
  grpc::Status Find(const std::string& camera_id, VapixCamera** camera) const;
  // Like Find, then the facts, and UNIMPLEMENTED unless PTZ is on, NOT_FOUND for another node
  // than kPtzNodeId (INVALID_ARGUMENT if empty).
  grpc::Status FindPtz(const std::string& camera_id, const std::string& node_id, Deadline deadline,
                       VapixCamera** camera, CameraFacts* facts) const;
  // Like Find, then the facts, and the output port `relay_id` names (NOT_FOUND if none;
  // UNIMPLEMENTED for a camera without outputs).
  grpc::Status FindRelay(const std::string& camera_id, const std::string& relay_id,
                         Deadline deadline, VapixCamera** camera, IoPort* port) const;
  // Like Find, then the facts, and the input port `input_id` names (NOT_FOUND if none;
  // UNIMPLEMENTED for a camera without inputs).
  grpc::Status FindInput(const std::string& camera_id, const std::string& input_id,
                         Deadline deadline, VapixCamera** camera, IoPort* port) const;
  static onvifgw::adapter::v1::DigitalInput InputOf(const IoPort& port, bool active);
  // Like Find, then the facts, and UNIMPLEMENTED unless the camera lists sensor settings,
  // NOT_FOUND for another sensor than kSourceId (INVALID_ARGUMENT if empty).
  grpc::Status FindSensor(const std::string& camera_id, const std::string& imaging_id,
                          Deadline deadline, VapixCamera** camera, CameraFacts* facts) const;
  // Like FindSensor, and INVALID_ARGUMENT unless the lens' focus can be moved.
  grpc::Status FindFocus(const std::string& camera_id, const std::string& imaging_id,
                         Deadline deadline, VapixCamera** camera, CameraFacts* facts) const;
  // Whether the camera moves the focus: PTZ on and query=limits gave MinFocus/MaxFocus.
  static bool FocusOn(const VapixCamera& camera, const CameraFacts& facts);
  static onvifgw::adapter::v1::ImagingOptions OptionsOf(const VapixCamera& camera,
                                                        const CameraFacts& facts);
  // The sensor's settings now: ImageSource.I<channel-1>, and autofocus from query=position.
  static grpc::Status ReadSettings(VapixCamera& camera, const CameraFacts& facts, Deadline deadline,
                                   onvifgw::adapter::v1::ImagingSettings* settings);
  // The source and its streams from the facts.
  static grpc::Status FillVideoSources(const VapixCamera& camera, const CameraFacts& facts,
                                       onvifgw::adapter::v1::VideoSourceList* response);
  static onvifgw::adapter::v1::RelayOutput RelayOf(const VapixCamera& camera, const IoPort& port,
                                                   bool active);
  // INVALID_ARGUMENT for a slot the node does not list.
  static grpc::Status CheckSlot(const VapixCamera& camera, const CameraFacts& facts, uint32_t slot);

  std::vector<std::unique_ptr<VapixCamera>> cameras_;  // In config order.
  std::map<std::string, VapixCamera*, std::less<>> by_id_;
  EventHub events_;  // Declared after the cameras: its pollers stop before they go.
};

/// "relay-<port>".
std::string RelayId(uint32_t port);

static_assert(std::string_view(EventHub::kMotionSourceId) == VapixService::kSourceId);

}  // namespace onvifgw::vapix
