#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/pelco_d/pelco_d_bus.h"
#include "adapters/pelco_d/pelco_d_config.h"
#include "adapters/pelco_d/pelco_d_dome.h"

namespace onvifgw::pelco_d {

/// Pelco-D domes on RS-485 lines behind the adapter API v1.
///
/// Each camera has one PTZ node kPtzNodeId on video source "0" (when it has a video source).
/// Facts (Describe, GetDeviceInformation, ListPtzNodes, ListVideoSources) come from the config
/// and are answered even while a line is down; everything that needs the wire answers UNAVAILABLE
/// then. RPCs this adapter does not override answer UNIMPLEMENTED (the generated base class).
/// All methods are thread-safe.
class PelcoDService final : public onvifgw::adapter::v1::Adapter::Service {
 public:
  static constexpr const char* kAdapterName = "pelco-d";
  static constexpr const char* kAdapterVersion = "0.1.0";
  static constexpr const char* kPtzNodeId = "0";
  static constexpr const char* kSourceId = "0";
  static constexpr const char* kStreamId = "main";

  /// Opens every line (a line that fails is retried in the background; the service starts anyway).
  explicit PelcoDService(PelcoDConfig config);
  ~PelcoDService() override;

  grpc::Status Describe(grpc::ServerContext* context,
                        const onvifgw::adapter::v1::DescribeRequest* request,
                        onvifgw::adapter::v1::DescribeResponse* response) override;
  grpc::Status GetDeviceInformation(grpc::ServerContext* context,
                                    const onvifgw::adapter::v1::CameraRef* request,
                                    onvifgw::adapter::v1::DeviceInformation* response) override;
  grpc::Status ListVideoSources(grpc::ServerContext* context,
                                const onvifgw::adapter::v1::CameraRef* request,
                                onvifgw::adapter::v1::VideoSourceList* response) override;
  grpc::Status SendAuxiliaryCommand(
      grpc::ServerContext* context, const onvifgw::adapter::v1::AuxiliaryCommandRequest* request,
      onvifgw::adapter::v1::AuxiliaryCommandResponse* response) override;

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

 private:
  // Client-supplied text for an error message: bounded and printable, in quotes.
  static std::string Quote(std::string_view text);
  // NOT_FOUND for an unknown camera, INVALID_ARGUMENT for an empty id.
  grpc::Status Find(const std::string& camera_id, Dome** dome) const;
  // Like Find, and NOT_FOUND for another node than kPtzNodeId (INVALID_ARGUMENT if empty).
  grpc::Status FindPtz(const std::string& camera_id, const std::string& node_id, Dome** dome) const;
  // INVALID_ARGUMENT for a slot the node does not list.
  static grpc::Status CheckSlot(const Dome& dome, uint32_t slot);
  static grpc::Status NoHome(const Dome& dome);

  std::map<std::string, std::shared_ptr<Bus>> buses_;  // By line id.
  std::vector<std::unique_ptr<Dome>> domes_;           // In config order.
  std::map<std::string, Dome*, std::less<>> by_id_;
};

}  // namespace onvifgw::pelco_d
