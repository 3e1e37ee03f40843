#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/foscam/foscam_camera.h"
#include "adapters/foscam/foscam_config.h"
#include "adapters/sdk/run_adapter.h"

namespace onvifgw::foscam {

/// Classic Foscam MJPEG CGI cameras (FI8918W era) behind the adapter API v1.
///
/// Facts (Describe, ListVideoSources, ListPtzNodes, GetImagingOptions) come from the config and
/// are answered while a camera is unreachable; everything else asks the camera, bounded by the
/// call's deadline and the camera's request_timeout_ms. RPCs of capabilities a camera does not
/// claim answer UNIMPLEMENTED. All methods are thread-safe.
class FoscamService final : public onvifgw::adapter::v1::Adapter::Service,
                            public adapter_sdk::ShutdownAware {
 public:
  static constexpr const char* kAdapterName = "foscam";
  static constexpr const char* kAdapterVersion = "0.1.0";
  /// How often a StreamEvents call looks whether its client went away.
  static constexpr std::chrono::milliseconds kCancelCheckPeriod{250};

  explicit FoscamService(FoscamConfig config);
  ~FoscamService() override;

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
  grpc::Status SendAuxiliaryCommand(
      grpc::ServerContext* context, const onvifgw::adapter::v1::AuxiliaryCommandRequest* request,
      onvifgw::adapter::v1::AuxiliaryCommandResponse* response) override;
  grpc::Status GetSystemLog(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::CameraRef* request,
                            onvifgw::adapter::v1::CameraLog* response) override;

  grpc::Status ListPtzNodes(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::CameraRef* request,
                            onvifgw::adapter::v1::PtzNodeList* response) override;
  grpc::Status ContinuousMovePtz(grpc::ServerContext* context,
                                 const onvifgw::adapter::v1::ContinuousMovePtzRequest* request,
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

  grpc::Status StreamEvents(grpc::ServerContext* context,
                            const onvifgw::adapter::v1::StreamEventsRequest* request,
                            grpc::ServerWriter<onvifgw::adapter::v1::Event>* writer) override;

 private:
  // Client-supplied text for an error message: bounded and printable, in quotes.
  static std::string Quote(std::string_view text);
  // The call's deadline on the steady clock (at most an hour away).
  static Deadline DeadlineOf(const grpc::ServerContext* context);
  // NOT_FOUND for an unknown camera, INVALID_ARGUMENT for an empty id.
  grpc::Status Find(const std::string& camera_id, FoscamCamera** camera) const;
  // Like Find; UNIMPLEMENTED without a PTZ node, NOT_FOUND for another node than "0".
  grpc::Status FindPtz(const std::string& camera_id, const std::string& node_id,
                       FoscamCamera** camera) const;
  // Like Find; NOT_FOUND for another sensor than "0".
  grpc::Status FindSensor(const std::string& camera_id, const std::string& imaging_id,
                          FoscamCamera** camera) const;
  // Like Find; UNIMPLEMENTED without `input`, NOT_FOUND for another input than "input-1".
  grpc::Status FindInput(const std::string& camera_id, const std::string& input_id,
                         FoscamCamera** camera) const;
  // Like Find; UNIMPLEMENTED without `relay`, NOT_FOUND for another relay than "relay-1".
  grpc::Status FindRelay(const std::string& camera_id, const std::string& relay_id,
                         FoscamCamera** camera) const;
  // INVALID_ARGUMENT for a slot outside 1..presets (or any slot without a pan/tilt head).
  static grpc::Status CheckSlot(const FoscamCamera& camera, uint32_t slot);

  std::vector<std::unique_ptr<FoscamCamera>> cameras_;  // In config order.
  std::map<std::string, FoscamCamera*, std::less<>> by_id_;

  std::mutex streams_mutex_;
  bool shutting_down_ = false;                     // Guarded by streams_mutex_.
  std::set<std::shared_ptr<EventQueue>> streams_;  // Guarded by streams_mutex_.
};

}  // namespace onvifgw::foscam
