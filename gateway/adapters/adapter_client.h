#pragma once
// The gateway's side of one adapter: its gRPC channel, the facts it cached
// from it, and the event feed.
//
// Facts that rarely change (Describe, device information, video sources) are
// fetched on (re)connection and on a FactsChanged event, and then served from
// memory: a read-only ONVIF call costs no adapter round trip. Calls that act
// on the camera carry the adapter's deadline.
//
// Thread-safety: every method may be called from any thread. Lifetime: the
// client must outlive the calls it started (their completions run on gRPC's
// threads and must not drop the last reference to its channel).

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapter/v1/adapter.grpc.pb.h"
#include "adapters/camera_adapter.h"
#include "core/expected.h"

namespace onvifgw::adapters {

/// The gRPC implementation of CameraAdapter.
class AdapterClient final : public CameraAdapter {
 public:
  /// `target` is a gRPC address: "unix:/path" or "host:port".
  AdapterClient(std::string id, std::string target, std::chrono::milliseconds call_deadline);
  ~AdapterClient();

  const std::string& id() const { return id_; }
  const std::string& target() const { return target_; }
  std::chrono::milliseconds call_deadline() const { return call_deadline_; }

  /// Drops the channel and builds a new one (after the adapter restarted).
  void Reconnect();

  /// grpc.health.v1 Check with a short timeout: true when SERVING.
  bool IsServing(std::chrono::milliseconds timeout);

  /// Describe + per-camera facts; on success the cache is replaced. Blocking.
  Status<std::string> Refresh();

  /// The last facts fetched, or nullptr if the adapter was never reached.
  /// Stays available while the adapter is down (served from cache).
  std::shared_ptr<const AdapterFacts> facts() const override;

  /// Whether the adapter is believed up (set by the supervisor).
  bool available() const override { return available_.load(); }
  void set_available(bool up) { available_.store(up); }

  /// Asynchronous, with the call deadline; `done` runs on a gRPC thread.
  void Reboot(const std::string& camera_id, Done<v1::RebootResponse> done) override;
  void FactoryDefault(v1::FactoryDefaultRequest request,
                      Done<v1::FactoryDefaultResponse> done) override;
  void SendAuxiliaryCommand(v1::AuxiliaryCommandRequest request,
                            Done<v1::AuxiliaryCommandResponse> done) override;
  void SetSystemTime(v1::SetSystemTimeRequest request, Done<v1::SystemTime> done) override;
  void ListRelayOutputs(const std::string& camera_id, Done<v1::RelayOutputList> done) override;
  void SetRelayOutputSettings(v1::SetRelayOutputSettingsRequest request,
                              Done<v1::RelayOutput> done) override;
  void SetRelayOutputState(v1::SetRelayOutputStateRequest request,
                           Done<v1::RelayOutput> done) override;
  void GetSnapshot(v1::SnapshotRequest request, Done<v1::Snapshot> done) override;
  void ApplyVideoEncoderConfiguration(v1::ApplyVideoEncoderConfigurationRequest request,
                                      Done<v1::VideoStream> done) override;
  /// With kFirmwareDeadline rather than the call deadline: an image of tens
  /// of MiB takes longer than a camera command.
  void UpgradeFirmware(const std::string& camera_id, std::string image,
                       Done<v1::FirmwareUpgradeResponse> done) override;
  void GetSystemLog(const std::string& camera_id, Done<v1::CameraLog> done) override;
  void ExportConfiguration(const std::string& camera_id, std::size_t max_bytes,
                           Done<std::string> done) override;
  void ImportConfiguration(const std::string& camera_id, std::string file,
                           Done<v1::ImportConfigurationResponse> done) override;
  void ContinuousMovePtz(v1::ContinuousMovePtzRequest request,
                         Done<v1::PtzMoveResponse> done) override;
  void RelativeMovePtz(v1::RelativeMovePtzRequest request, Done<v1::PtzMoveResponse> done) override;
  void AbsoluteMovePtz(v1::AbsoluteMovePtzRequest request, Done<v1::PtzMoveResponse> done) override;
  void StopPtz(v1::StopPtzRequest request, Done<v1::PtzMoveResponse> done) override;
  void GetPtzStatus(v1::PtzNodeRef request, Done<v1::PtzStatus> done) override;
  void SetPtzPreset(v1::PtzPresetRequest request, Done<v1::PtzMoveResponse> done) override;
  void RemovePtzPreset(v1::PtzPresetRequest request, Done<v1::PtzMoveResponse> done) override;
  void GotoPtzPreset(v1::GotoPtzPresetRequest request, Done<v1::PtzMoveResponse> done) override;
  void GotoPtzHome(v1::GotoPtzHomeRequest request, Done<v1::PtzMoveResponse> done) override;
  void SetPtzHome(v1::PtzNodeRef request, Done<v1::PtzMoveResponse> done) override;
  void ListDigitalInputs(const std::string& camera_id, Done<v1::DigitalInputList> done) override;
  void SetDigitalInputSettings(v1::SetDigitalInputSettingsRequest request,
                               Done<v1::DigitalInput> done) override;
  void GetImagingSettings(v1::ImagingRef request, Done<v1::ImagingSettings> done) override;
  void SetImagingSettings(v1::SetImagingSettingsRequest request,
                          Done<v1::ImagingSettings> done) override;
  void MoveFocus(v1::MoveFocusRequest request, Done<v1::FocusMoveResponse> done) override;
  void StopFocus(v1::ImagingRef request, Done<v1::FocusMoveResponse> done) override;
  void GetFocusStatus(v1::ImagingRef request, Done<v1::FocusStatus> done) override;

  static constexpr std::chrono::seconds kFirmwareDeadline{300};
  /// For a camera's whole configuration, either way.
  static constexpr std::chrono::seconds kConfigurationDeadline{60};
  /// Bytes per FirmwareChunk.
  static constexpr std::size_t kFirmwareChunkBytes = 64 * 1024;

  /// Reads StreamEvents on a thread of its own until StopEvents(); a
  /// FactsChanged event triggers Refresh(); every event goes to `sink`.
  void StartEvents(std::function<void(const v1::Event&)> sink);
  void StopEvents();

 private:
  /// One asynchronous unary call through the stub's callback API: `method`
  /// is the stub's async member for the RPC.
  template <typename Request, typename Response>
  // `rpc` names the call in the metrics.
  void Unary(const char* rpc,
             void (v1::Adapter::Stub::async_interface::*method)(grpc::ClientContext*,
                                                                const Request*, Response*,
                                                                std::function<void(grpc::Status)>),
             Request request, Done<Response> done);

  std::shared_ptr<v1::Adapter::Stub> stub() const;
  /// Changes one camera's cached facts (copy on write); nothing when the
  /// camera is not cached.
  void ChangeCachedCamera(const std::string& camera_id,
                          const std::function<void(CameraFacts&)>& change);
  /// Replaces one stream in the cached facts.
  void CacheStream(const std::string& camera_id, const std::string& source_id,
                   const v1::VideoStream& stream);
  /// Replaces one camera's video sources in the cached facts.
  void CacheVideoSources(const std::string& camera_id, const v1::VideoSourceList& sources);
  std::shared_ptr<grpc::Channel> channel() const;

  const std::string id_;
  const std::string target_;
  const std::chrono::milliseconds call_deadline_;
  mutable std::mutex mu_;
  std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<v1::Adapter::Stub> stub_;
  /// Stubs replaced by Reconnect that calls may still hold.
  std::vector<std::shared_ptr<v1::Adapter::Stub>> retired_stubs_;
  std::shared_ptr<const AdapterFacts> facts_;
  std::atomic<bool> available_{false};

  std::mutex events_mu_;
  std::thread events_thread_;
  std::shared_ptr<grpc::ClientContext> events_ctx_;
  std::atomic<bool> events_stop_{false};
};

}  // namespace onvifgw::adapters
