#include "adapters/adapter_client.h"

#include "core/log.h"
#include "core/metrics.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace onvifgw::adapters {
namespace {

constexpr uint32_t kApiVersion = 1;

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target) {
  grpc::ChannelArguments args;
  // A restarted adapter must be reachable again at once, not after gRPC's
  // default reconnect back-off (up to two minutes).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

void SetDeadline(grpc::ClientContext& ctx, std::chrono::milliseconds d) {
  ctx.set_deadline(std::chrono::system_clock::now() + d);
}

// The status code as gRPC spells it (a metric label).
const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "OTHER";
  }
}

}  // namespace

AdapterClient::AdapterClient(std::string id, std::string target,
                             std::chrono::milliseconds call_deadline)
    : id_(std::move(id)), target_(std::move(target)), call_deadline_(call_deadline) {
  Reconnect();
}

AdapterClient::~AdapterClient() { StopEvents(); }

void AdapterClient::Reconnect() {
  auto ch = MakeChannel(target_);
  auto st = std::make_shared<v1::Adapter::Stub>(ch);
  std::lock_guard lock(mu_);
  channel_ = std::move(ch);
  // The old stub stays until no call holds it. A call's completion runs on
  // a thread of gRPC's callback completion queue, where the last reference
  // to a channel must not go: the channel's end would join that very thread
  // (gRPC 1.51 then goes on with a freed queue and aborts). So a call gives
  // its context (which holds the channel) and its stub back before its
  // completion runs, while this client still holds both; an old stub is
  // released here, off those threads, once only this list holds it.
  if (stub_) retired_stubs_.push_back(std::move(stub_));
  std::erase_if(retired_stubs_, [](const auto& old) { return old.use_count() == 1; });
  stub_ = std::move(st);
}

std::shared_ptr<v1::Adapter::Stub> AdapterClient::stub() const {
  std::lock_guard lock(mu_);
  return stub_;
}

std::shared_ptr<grpc::Channel> AdapterClient::channel() const {
  std::lock_guard lock(mu_);
  return channel_;
}

bool AdapterClient::IsServing(std::chrono::milliseconds timeout) {
  grpc::health::v1::Health::Stub health(channel());
  grpc::ClientContext ctx;
  SetDeadline(ctx, timeout);
  ctx.set_wait_for_ready(true);  // the socket may not exist yet
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status st = health.Check(&ctx, req, &resp);
  return st.ok() && resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

Status<std::string> AdapterClient::Refresh() {
  auto s = stub();
  auto facts = std::make_shared<AdapterFacts>();
  {
    grpc::ClientContext ctx;
    SetDeadline(ctx, call_deadline_);
    v1::DescribeRequest req;
    req.set_gateway_api_version(kApiVersion);
    grpc::Status st = s->Describe(&ctx, req, &facts->describe);
    if (!st.ok()) return MakeUnexpected("Describe failed: " + st.error_message());
  }
  if (facts->describe.api_version() != kApiVersion) {
    return MakeUnexpected("adapter speaks API version " +
                          std::to_string(facts->describe.api_version()) + ", the gateway speaks " +
                          std::to_string(kApiVersion));
  }
  for (const auto& cam : facts->describe.cameras()) {
    CameraFacts cf;
    cf.description = cam;
    v1::CameraRef ref;
    ref.set_camera_id(cam.camera_id());
    // The cached facts: one call each, for what the camera claims.
    using Stub = v1::Adapter::Stub;
    auto fetch = [&](bool claimed, const char* rpc, auto method, auto* out) -> Status<std::string> {
      if (!claimed) return {};
      grpc::ClientContext ctx;
      SetDeadline(ctx, call_deadline_);
      if (grpc::Status st = ((*s).*method)(&ctx, ref, out); !st.ok()) {
        return MakeUnexpected(std::string(rpc) + "(" + cam.camera_id() +
                              ") failed: " + st.error_message());
      }
      return {};
    };
    const v1::Capabilities& caps = cam.capabilities();
    Status<std::string> st = fetch(caps.device_information(), "GetDeviceInformation",
                                   &Stub::GetDeviceInformation, &cf.information);
    if (st) {
      st = fetch(caps.video_sources(), "ListVideoSources", &Stub::ListVideoSources,
                 &cf.video_sources);
    }
    if (st) {
      st = fetch(caps.audio_sources(), "ListAudioSources", &Stub::ListAudioSources,
                 &cf.audio_sources);
    }
    if (st) {
      st = fetch(caps.relay_outputs(), "ListRelayOutputs", &Stub::ListRelayOutputs,
                 &cf.relay_outputs);
    }
    if (st) {
      st = fetch(caps.ptz(), "ListPtzNodes", &Stub::ListPtzNodes, &cf.ptz_nodes);
    }
    if (st) {
      st = fetch(caps.digital_inputs(), "ListDigitalInputs", &Stub::ListDigitalInputs,
                 &cf.digital_inputs);
    }
    // One options request per sensor; sources sharing a sensor share its options.
    for (const auto& source : cf.video_sources.sources()) {
      if (!st || !caps.imaging()) break;
      const std::string& imaging_id =
          source.imaging_id().empty() ? source.source_id() : source.imaging_id();
      if (cf.imaging_options.count(imaging_id) != 0) continue;
      v1::ImagingRef imaging_ref;
      imaging_ref.set_camera_id(cam.camera_id());
      imaging_ref.set_imaging_id(imaging_id);
      grpc::ClientContext ctx;
      SetDeadline(ctx, call_deadline_);
      v1::ImagingOptions options;
      if (grpc::Status call = s->GetImagingOptions(&ctx, imaging_ref, &options); !call.ok()) {
        st = MakeUnexpected(std::string("GetImagingOptions(") + cam.camera_id() + ", " +
                            imaging_id + ") failed: " + call.error_message());
        break;
      }
      cf.imaging_options.emplace(imaging_id, std::move(options));
    }
    if (!st) {
      // One camera that cannot be read (gone, credentials refused) must not keep the adapter's
      // other cameras away: it keeps what was known of it, and a later refresh tries again.
      facts->unavailable.emplace(cam.camera_id(), st.error());
      std::shared_ptr<const AdapterFacts> previous = this->facts();
      if (const CameraFacts* known = previous ? previous->Camera(cam.camera_id()) : nullptr) {
        facts->cameras.emplace(cam.camera_id(), *known);
      }
      continue;
    }
    facts->cameras.emplace(cam.camera_id(), std::move(cf));
  }
  facts->fetched_at = std::chrono::system_clock::now();
  std::lock_guard lock(mu_);
  facts_ = std::move(facts);
  return {};
}

std::shared_ptr<const AdapterFacts> AdapterClient::facts() const {
  std::lock_guard lock(mu_);
  return facts_;
}

template <typename Request, typename Response>
void AdapterClient::Unary(const char* rpc,
                          void (v1::Adapter::Stub::async_interface::*method)(
                              grpc::ClientContext*, const Request*, Response*,
                              std::function<void(grpc::Status)>),
                          Request request, Done<Response> done) {
  struct Call {
    grpc::ClientContext ctx;
    Request req;
    Response resp;
    std::shared_ptr<v1::Adapter::Stub> stub;  // keeps the stub alive for the call
  };
  auto call = std::make_shared<Call>();
  call->req = std::move(request);
  call->stub = stub();
  SetDeadline(call->ctx, call_deadline_);
  const auto started = std::chrono::steady_clock::now();
  (call->stub->async()->*method)(
      &call->ctx, &call->req, &call->resp,
      [call, rpc, started, adapter = id_, done = std::move(done)](grpc::Status st) mutable {
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        metrics::Default().Observe("onvif_adapter_call_duration_seconds",
                                   {{"adapter", adapter}, {"rpc", rpc}}, took.count());
        metrics::Default().Add(
            "onvif_adapter_calls_total",
            {{"adapter", adapter}, {"rpc", rpc}, {"code", StatusCodeName(st.error_code())}});
        // The call's context and stub go first, while the client still holds the channel: see
        // Reconnect.
        Response resp = std::move(call->resp);
        call.reset();
        done(st, resp);
      });
}

void AdapterClient::Reboot(const std::string& camera_id, Done<v1::RebootResponse> done) {
  v1::CameraRef ref;
  ref.set_camera_id(camera_id);
  Unary("Reboot", &v1::Adapter::Stub::async_interface::Reboot, std::move(ref), std::move(done));
}

void AdapterClient::FactoryDefault(v1::FactoryDefaultRequest request,
                                   Done<v1::FactoryDefaultResponse> done) {
  const std::string camera_id = request.camera_id();
  Unary("FactoryDefault", &v1::Adapter::Stub::async_interface::FactoryDefault, std::move(request),
        Done<v1::FactoryDefaultResponse>(
            [this, camera_id, done = std::move(done)](const grpc::Status& st,
                                                      const v1::FactoryDefaultResponse& r) {
              if (st.ok()) CacheVideoSources(camera_id, r.video_sources());
              done(st, r);
            }));
}

void AdapterClient::SendAuxiliaryCommand(v1::AuxiliaryCommandRequest request,
                                         Done<v1::AuxiliaryCommandResponse> done) {
  Unary("SendAuxiliaryCommand", &v1::Adapter::Stub::async_interface::SendAuxiliaryCommand,
        std::move(request), std::move(done));
}

void AdapterClient::SetSystemTime(v1::SetSystemTimeRequest request, Done<v1::SystemTime> done) {
  Unary("SetSystemTime", &v1::Adapter::Stub::async_interface::SetSystemTime, std::move(request),
        std::move(done));
}

void AdapterClient::ListRelayOutputs(const std::string& camera_id, Done<v1::RelayOutputList> done) {
  v1::CameraRef ref;
  ref.set_camera_id(camera_id);
  Unary("ListRelayOutputs", &v1::Adapter::Stub::async_interface::ListRelayOutputs, std::move(ref),
        std::move(done));
}

void AdapterClient::SetRelayOutputSettings(v1::SetRelayOutputSettingsRequest request,
                                           Done<v1::RelayOutput> done) {
  Unary("SetRelayOutputSettings", &v1::Adapter::Stub::async_interface::SetRelayOutputSettings,
        std::move(request), std::move(done));
}

void AdapterClient::SetRelayOutputState(v1::SetRelayOutputStateRequest request,
                                        Done<v1::RelayOutput> done) {
  Unary("SetRelayOutputState", &v1::Adapter::Stub::async_interface::SetRelayOutputState,
        std::move(request), std::move(done));
}

void AdapterClient::GetSnapshot(v1::SnapshotRequest request, Done<v1::Snapshot> done) {
  Unary("GetSnapshot", &v1::Adapter::Stub::async_interface::GetSnapshot, std::move(request),
        std::move(done));
}

void AdapterClient::ApplyVideoEncoderConfiguration(
    v1::ApplyVideoEncoderConfigurationRequest request, Done<v1::VideoStream> done) {
  const std::string camera_id = request.camera_id();
  const std::string source_id = request.source_id();
  Unary("ApplyVideoEncoderConfiguration",
        &v1::Adapter::Stub::async_interface::ApplyVideoEncoderConfiguration, std::move(request),
        Done<v1::VideoStream>([this, camera_id, source_id, done = std::move(done)](
                                  const grpc::Status& st, const v1::VideoStream& stream) {
          if (st.ok()) CacheStream(camera_id, source_id, stream);
          done(st, stream);
        }));
}

void AdapterClient::ContinuousMovePtz(v1::ContinuousMovePtzRequest request,
                                      Done<v1::PtzMoveResponse> done) {
  Unary("ContinuousMovePtz", &v1::Adapter::Stub::async_interface::ContinuousMovePtz,
        std::move(request), std::move(done));
}

void AdapterClient::RelativeMovePtz(v1::RelativeMovePtzRequest request,
                                    Done<v1::PtzMoveResponse> done) {
  Unary("RelativeMovePtz", &v1::Adapter::Stub::async_interface::RelativeMovePtz, std::move(request),
        std::move(done));
}

void AdapterClient::AbsoluteMovePtz(v1::AbsoluteMovePtzRequest request,
                                    Done<v1::PtzMoveResponse> done) {
  Unary("AbsoluteMovePtz", &v1::Adapter::Stub::async_interface::AbsoluteMovePtz, std::move(request),
        std::move(done));
}

void AdapterClient::StopPtz(v1::StopPtzRequest request, Done<v1::PtzMoveResponse> done) {
  Unary("StopPtz", &v1::Adapter::Stub::async_interface::StopPtz, std::move(request),
        std::move(done));
}

void AdapterClient::GetPtzStatus(v1::PtzNodeRef request, Done<v1::PtzStatus> done) {
  Unary("GetPtzStatus", &v1::Adapter::Stub::async_interface::GetPtzStatus, std::move(request),
        std::move(done));
}

void AdapterClient::SetPtzPreset(v1::PtzPresetRequest request, Done<v1::PtzMoveResponse> done) {
  Unary("SetPtzPreset", &v1::Adapter::Stub::async_interface::SetPtzPreset, std::move(request),
        std::move(done));
}

void AdapterClient::RemovePtzPreset(v1::PtzPresetRequest request, Done<v1::PtzMoveResponse> done) {
  Unary("RemovePtzPreset", &v1::Adapter::Stub::async_interface::RemovePtzPreset, std::move(request),
        std::move(done));
}

void AdapterClient::GotoPtzPreset(v1::GotoPtzPresetRequest request,
                                  Done<v1::PtzMoveResponse> done) {
  Unary("GotoPtzPreset", &v1::Adapter::Stub::async_interface::GotoPtzPreset, std::move(request),
        std::move(done));
}

void AdapterClient::GotoPtzHome(v1::GotoPtzHomeRequest request, Done<v1::PtzMoveResponse> done) {
  Unary("GotoPtzHome", &v1::Adapter::Stub::async_interface::GotoPtzHome, std::move(request),
        std::move(done));
}

void AdapterClient::SetPtzHome(v1::PtzNodeRef request, Done<v1::PtzMoveResponse> done) {
  Unary("SetPtzHome", &v1::Adapter::Stub::async_interface::SetPtzHome, std::move(request),
        std::move(done));
}

namespace {

// Streams one firmware image through the callback API: a chunk at a time,
// the next one written when the last is done; deletes itself at the end.
// A file sent to the adapter in kFirmwareChunkBytes chunks (UpgradeFirmware,
// ImportConfiguration), camera_id and total_size in the first; deletes
// itself when the call ends.
template <typename Chunk, typename Response>
class ChunkedUpload final : public grpc::ClientWriteReactor<Chunk> {
 public:
  using Method = void (v1::Adapter::Stub::async_interface::*)(grpc::ClientContext*, Response*,
                                                              grpc::ClientWriteReactor<Chunk>*);
  ChunkedUpload(std::shared_ptr<v1::Adapter::Stub> stub, Method method,
                const std::string& camera_id, std::string file, std::chrono::seconds deadline,
                CameraAdapter::Done<Response> done)
      : stub_(std::move(stub)), method_(method), file_(std::move(file)), done_(std::move(done)) {
    ctx_.set_deadline(std::chrono::system_clock::now() + deadline);
    chunk_.set_camera_id(camera_id);
    chunk_.set_total_size(file_.size());
  }
  void Start() {
    (stub_->async()->*method_)(&ctx_, &response_, this);
    WriteNext();
    this->StartCall();
  }
  void OnWriteDone(bool ok) override {
    if (!ok) return;  // the call failed; OnDone says why
    WriteNext();
  }
  void OnDone(const grpc::Status& status) override {
    // The call's context and stub go before `done_` runs, while the client
    // still holds the channel: see Reconnect.
    const grpc::Status st = status;
    auto done = std::move(done_);
    Response response = std::move(response_);
    delete this;
    done(st, response);
  }

 private:
  void WriteNext() {
    if (sent_ > 0 && sent_ >= file_.size()) {
      this->StartWritesDone();
      return;
    }
    const std::size_t n = std::min(AdapterClient::kFirmwareChunkBytes, file_.size() - sent_);
    if (sent_ > 0) {
      chunk_.clear_camera_id();
      chunk_.clear_total_size();
    }
    chunk_.set_data(file_.substr(sent_, n));
    sent_ += n;
    if (n == 0) sent_ = 1;  // an empty file: one empty chunk, then done
    this->StartWrite(&chunk_);
  }

  std::shared_ptr<v1::Adapter::Stub> stub_;
  Method method_;
  std::string file_;
  CameraAdapter::Done<Response> done_;
  grpc::ClientContext ctx_;
  Chunk chunk_;
  Response response_;
  std::size_t sent_ = 0;
};

// A camera's configuration file read from ExportConfiguration's chunks, up
// to a size limit; deletes itself when the call ends.
class ConfigurationDownload final : public grpc::ClientReadReactor<v1::ConfigurationChunk> {
 public:
  ConfigurationDownload(std::shared_ptr<v1::Adapter::Stub> stub, const std::string& camera_id,
                        std::size_t max_bytes, std::chrono::seconds deadline,
                        CameraAdapter::Done<std::string> done)
      : stub_(std::move(stub)), max_bytes_(max_bytes), done_(std::move(done)) {
    ctx_.set_deadline(std::chrono::system_clock::now() + deadline);
    ref_.set_camera_id(camera_id);
  }
  void Start() {
    stub_->async()->ExportConfiguration(&ctx_, &ref_, this);
    StartRead(&chunk_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended; OnDone follows
    if (chunk_.data().size() > max_bytes_ - std::min(max_bytes_, file_.size())) {
      too_large_ = true;
      ctx_.TryCancel();
      return;
    }
    file_ += chunk_.data();
    StartRead(&chunk_);
  }
  void OnDone(const grpc::Status& status) override {
    grpc::Status st = status;
    if (too_large_) {
      st = grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          "the camera's configuration is larger than " + std::to_string(max_bytes_) + " bytes");
    }
    auto done = std::move(done_);
    std::string file = st.ok() ? std::move(file_) : std::string();
    delete this;
    done(st, file);
  }

 private:
  std::shared_ptr<v1::Adapter::Stub> stub_;
  const std::size_t max_bytes_;
  CameraAdapter::Done<std::string> done_;
  grpc::ClientContext ctx_;
  v1::CameraRef ref_;
  v1::ConfigurationChunk chunk_;
  std::string file_;
  bool too_large_ = false;
};

}  // namespace

void AdapterClient::UpgradeFirmware(const std::string& camera_id, std::string image,
                                    Done<v1::FirmwareUpgradeResponse> done) {
  (new ChunkedUpload<v1::FirmwareChunk, v1::FirmwareUpgradeResponse>(
       stub(), &v1::Adapter::Stub::async_interface::UpgradeFirmware, camera_id, std::move(image),
       kFirmwareDeadline, std::move(done)))
      ->Start();
}

void AdapterClient::ExportConfiguration(const std::string& camera_id, std::size_t max_bytes,
                                        Done<std::string> done) {
  (new ConfigurationDownload(stub(), camera_id, max_bytes, kConfigurationDeadline, std::move(done)))
      ->Start();
}

void AdapterClient::ImportConfiguration(const std::string& camera_id, std::string file,
                                        Done<v1::ImportConfigurationResponse> done) {
  (new ChunkedUpload<v1::ConfigurationChunk, v1::ImportConfigurationResponse>(
       stub(), &v1::Adapter::Stub::async_interface::ImportConfiguration, camera_id, std::move(file),
       kConfigurationDeadline, std::move(done)))
      ->Start();
}

void AdapterClient::GetSystemLog(const std::string& camera_id, Done<v1::CameraLog> done) {
  v1::CameraRef ref;
  ref.set_camera_id(camera_id);
  Unary("GetSystemLog", &v1::Adapter::Stub::async_interface::GetSystemLog, std::move(ref),
        std::move(done));
}

void AdapterClient::ChangeCachedCamera(const std::string& camera_id,
                                       const std::function<void(CameraFacts&)>& change) {
  std::lock_guard lock(mu_);
  if (!facts_) return;
  // Copy on write: readers keep the snapshot they hold.
  auto next = std::make_shared<AdapterFacts>(*facts_);
  auto cam = next->cameras.find(camera_id);
  if (cam == next->cameras.end()) return;
  change(cam->second);
  facts_ = std::move(next);
}

void AdapterClient::CacheStream(const std::string& camera_id, const std::string& source_id,
                                const v1::VideoStream& stream) {
  ChangeCachedCamera(camera_id, [&](CameraFacts& cam) {
    for (auto& source : *cam.video_sources.mutable_sources()) {
      if (source.source_id() != source_id) continue;
      for (auto& s : *source.mutable_streams()) {
        if (s.stream_id() == stream.stream_id()) s = stream;
      }
    }
  });
}

void AdapterClient::CacheVideoSources(const std::string& camera_id,
                                      const v1::VideoSourceList& sources) {
  ChangeCachedCamera(camera_id, [&](CameraFacts& cam) { cam.video_sources = sources; });
}

void AdapterClient::StartEvents(std::function<void(const v1::Event&)> sink) {
  StopEvents();
  std::lock_guard lock(events_mu_);
  events_stop_ = false;
  auto ctx = std::make_shared<grpc::ClientContext>();
  events_ctx_ = ctx;
  auto s = stub();
  events_thread_ = std::thread([this, ctx, s, sink = std::move(sink)] {
    v1::StreamEventsRequest req;
    auto reader = s->StreamEvents(ctx.get(), req);
    v1::Event ev;
    while (reader->Read(&ev)) {
      if (ev.has_facts_changed()) {
        if (auto st = Refresh(); !st) {
          log::Warn("adapter",
                    id_ + ": facts changed, but the cache was not refreshed: " + st.error());
        } else {
          log::Info("adapter", id_ + ": facts changed, cache refreshed");
        }
      }
      if (sink) sink(ev);
    }
    grpc::Status st = reader->Finish();
    if (!events_stop_) {
      log::Debug("adapter", id_ + ": event stream ended: " + st.error_message());
    }
  });
}

void AdapterClient::StopEvents() {
  std::lock_guard lock(events_mu_);
  events_stop_ = true;
  if (events_ctx_) events_ctx_->TryCancel();
  if (events_thread_.joinable()) events_thread_.join();
  events_ctx_.reset();
}

void AdapterClient::ListDigitalInputs(const std::string& camera_id,
                                      Done<v1::DigitalInputList> done) {
  v1::CameraRef ref;
  ref.set_camera_id(camera_id);
  Unary("ListDigitalInputs", &v1::Adapter::Stub::async_interface::ListDigitalInputs, std::move(ref),
        std::move(done));
}

void AdapterClient::SetDigitalInputSettings(v1::SetDigitalInputSettingsRequest request,
                                            Done<v1::DigitalInput> done) {
  Unary("SetDigitalInputSettings", &v1::Adapter::Stub::async_interface::SetDigitalInputSettings,
        std::move(request), std::move(done));
}

void AdapterClient::GetImagingSettings(v1::ImagingRef request, Done<v1::ImagingSettings> done) {
  Unary("GetImagingSettings", &v1::Adapter::Stub::async_interface::GetImagingSettings,
        std::move(request), std::move(done));
}

void AdapterClient::SetImagingSettings(v1::SetImagingSettingsRequest request,
                                       Done<v1::ImagingSettings> done) {
  Unary("SetImagingSettings", &v1::Adapter::Stub::async_interface::SetImagingSettings,
        std::move(request), std::move(done));
}

void AdapterClient::MoveFocus(v1::MoveFocusRequest request, Done<v1::FocusMoveResponse> done) {
  Unary("MoveFocus", &v1::Adapter::Stub::async_interface::MoveFocus, std::move(request),
        std::move(done));
}

void AdapterClient::StopFocus(v1::ImagingRef request, Done<v1::FocusMoveResponse> done) {
  Unary("StopFocus", &v1::Adapter::Stub::async_interface::StopFocus, std::move(request),
        std::move(done));
}

void AdapterClient::GetFocusStatus(v1::ImagingRef request, Done<v1::FocusStatus> done) {
  Unary("GetFocusStatus", &v1::Adapter::Stub::async_interface::GetFocusStatus, std::move(request),
        std::move(done));
}

}  // namespace onvifgw::adapters
