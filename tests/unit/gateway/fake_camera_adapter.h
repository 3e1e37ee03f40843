#pragma once
// A CameraAdapter for service tests: facts set by the test, calls recorded
// and answered at once with the status the test chose. No process, no gRPC.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/camera_adapter.h"

namespace onvifgw::testing {

class FakeCameraAdapter final : public adapters::CameraAdapter {
 public:
  /// One camera `camera_id` with the given relays (ids), reachable.
  explicit FakeCameraAdapter(const std::string& camera_id, std::vector<std::string> relays = {}) {
    auto facts = std::make_shared<adapters::AdapterFacts>();
    auto& cam = facts->cameras[camera_id];
    cam.description.set_camera_id(camera_id);
    cam.information.set_manufacturer("Fake Cameras");
    cam.information.set_model("FC-1");
    cam.information.set_firmware_version("1.2.3");
    cam.description.mutable_capabilities()->set_relay_outputs(!relays.empty());
    for (const auto& id : relays) {
      auto* r = cam.relay_outputs.add_relays();
      r->set_relay_id(id);
      r->set_mode(adapters::v1::RELAY_MODE_BISTABLE);
      r->set_idle_state(adapters::v1::RELAY_IDLE_STATE_OPEN);
    }
    facts_ = facts;
  }

  std::shared_ptr<const adapters::AdapterFacts> facts() const override { return facts_; }
  bool available() const override { return available_; }

  void Reboot(const std::string& camera_id, Done<adapters::v1::RebootResponse> done) override {
    calls.push_back("Reboot " + camera_id);
    adapters::v1::RebootResponse r;
    r.set_expected_downtime_seconds(42);
    done(status, r);
  }
  void FactoryDefault(adapters::v1::FactoryDefaultRequest request,
                      Done<adapters::v1::FactoryDefaultResponse> done) override {
    calls.push_back("FactoryDefault " + request.camera_id() + (request.hard() ? " hard" : " soft"));
    adapters::v1::FactoryDefaultResponse r;
    if (status.ok()) {
      // As a camera would: its streams encode as they did when new.
      auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
      auto& cam = next->cameras[request.camera_id()];
      cam.video_sources = default_video_sources_;
      *r.mutable_video_sources() = default_video_sources_;
      facts_ = next;
    }
    done(status, r);
  }
  void SendAuxiliaryCommand(adapters::v1::AuxiliaryCommandRequest request,
                            Done<adapters::v1::AuxiliaryCommandResponse> done) override {
    calls.push_back("SendAuxiliaryCommand " + request.camera_id() + " " + request.command());
    adapters::v1::AuxiliaryCommandResponse r;
    r.set_response("done " + request.command());
    done(status, r);
  }
  void SetSystemTime(adapters::v1::SetSystemTimeRequest request,
                     Done<adapters::v1::SystemTime> done) override {
    calls.push_back("SetSystemTime " + request.camera_id() + " " +
                    std::to_string(request.utc_time().seconds()) + " " + request.posix_timezone());
    adapters::v1::SystemTime t;
    *t.mutable_utc_time() = request.utc_time();
    t.set_posix_timezone(request.posix_timezone());
    done(status, t);
  }
  void ListRelayOutputs(const std::string& camera_id,
                        Done<adapters::v1::RelayOutputList> done) override {
    calls.push_back("ListRelayOutputs " + camera_id);
    done(status, facts_->cameras.begin()->second.relay_outputs);
  }
  void SetRelayOutputSettings(adapters::v1::SetRelayOutputSettingsRequest request,
                              Done<adapters::v1::RelayOutput> done) override {
    calls.push_back("SetRelayOutputSettings " + request.relay_id() +
                    " mode=" + std::to_string(request.mode()) +
                    " delay_ms=" + std::to_string(request.delay_ms()));
    done(status, {});
  }
  void SetRelayOutputState(adapters::v1::SetRelayOutputStateRequest request,
                           Done<adapters::v1::RelayOutput> done) override {
    calls.push_back("SetRelayOutputState " + request.relay_id() +
                    (request.active() ? " active" : " inactive"));
    done(status, {});
  }

  void UpgradeFirmware(const std::string& camera_id, std::string image,
                       Done<adapters::v1::FirmwareUpgradeResponse> done) override {
    calls.push_back("UpgradeFirmware " + camera_id + " " + std::to_string(image.size()));
    adapters::v1::FirmwareUpgradeResponse r;
    r.set_firmware_version("2.0.0");
    r.set_expected_downtime_seconds(3);
    done(status, r);
  }
  void GetSystemLog(const std::string& camera_id, Done<adapters::v1::CameraLog> done) override {
    calls.push_back("GetSystemLog " + camera_id);
    adapters::v1::CameraLog log;
    log.add_lines("2026-01-01T00:00:00Z camera line");
    done(status, log);
  }
  /// `configuration` is the camera's configuration file; an import takes
  /// only files that begin "FAKE-CONFIG" (else INVALID_ARGUMENT).
  void ExportConfiguration(const std::string& camera_id, std::size_t max_bytes,
                           Done<std::string> done) override {
    calls.push_back("ExportConfiguration " + camera_id);
    if (status.ok() && configuration.size() > max_bytes) {
      return done(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too large"), {});
    }
    done(status, status.ok() ? configuration : std::string());
  }
  void ImportConfiguration(const std::string& camera_id, std::string file,
                           Done<adapters::v1::ImportConfigurationResponse> done) override {
    calls.push_back("ImportConfiguration " + camera_id + " " + file);
    if (!status.ok()) return done(status, {});
    if (file.rfind("FAKE-CONFIG", 0) != 0) {
      return done(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "not a configuration"), {});
    }
    configuration = std::move(file);
    done(status, {});
  }
  // PTZ: every call recorded as its name and the request's text form; moves
  // answer `status`, GetPtzStatus answers `ptz_status`.
  void ContinuousMovePtz(adapters::v1::ContinuousMovePtzRequest request,
                         Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("ContinuousMovePtz", request, done);
  }
  void RelativeMovePtz(adapters::v1::RelativeMovePtzRequest request,
                       Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("RelativeMovePtz", request, done);
  }
  void AbsoluteMovePtz(adapters::v1::AbsoluteMovePtzRequest request,
                       Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("AbsoluteMovePtz", request, done);
  }
  void StopPtz(adapters::v1::StopPtzRequest request,
               Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("StopPtz", request, done);
  }
  void GetPtzStatus(adapters::v1::PtzNodeRef request, Done<adapters::v1::PtzStatus> done) override {
    calls.push_back("GetPtzStatus " + request.ShortDebugString());
    done(status, ptz_status);
  }
  void SetPtzPreset(adapters::v1::PtzPresetRequest request,
                    Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("SetPtzPreset", request, done);
  }
  void RemovePtzPreset(adapters::v1::PtzPresetRequest request,
                       Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("RemovePtzPreset", request, done);
  }
  void GotoPtzPreset(adapters::v1::GotoPtzPresetRequest request,
                     Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("GotoPtzPreset", request, done);
  }
  void GotoPtzHome(adapters::v1::GotoPtzHomeRequest request,
                   Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("GotoPtzHome", request, done);
  }
  void SetPtzHome(adapters::v1::PtzNodeRef request,
                  Done<adapters::v1::PtzMoveResponse> done) override {
    RecordPtz("SetPtzHome", request, done);
  }

  // Digital inputs: ListDigitalInputs answers `digital_inputs` (AddDigitalInputs).
  void ListDigitalInputs(const std::string& camera_id,
                         Done<adapters::v1::DigitalInputList> done) override {
    calls.push_back("ListDigitalInputs " + camera_id);
    done(status, digital_inputs);
  }
  void SetDigitalInputSettings(adapters::v1::SetDigitalInputSettingsRequest request,
                               Done<adapters::v1::DigitalInput> done) override {
    calls.push_back("SetDigitalInputSettings " + request.input_id() + " " +
                    std::to_string(request.idle_state()));
    for (auto& input : *digital_inputs.mutable_inputs()) {
      if (input.input_id() != request.input_id()) continue;
      if (!input.idle_state_settable()) {
        return done(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "fixed idle state"), {});
      }
      if (status.ok()) input.set_idle_state(request.idle_state());
      return done(status, input);
    }
    done(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such input"), {});
  }

  /// Gives the first camera bistable relays with these ids (idle open).
  void AddRelays(const std::vector<std::string>& relays) {
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    auto& cam = next->cameras.begin()->second;
    cam.description.mutable_capabilities()->set_relay_outputs(true);
    for (const auto& id : relays) {
      auto* r = cam.relay_outputs.add_relays();
      r->set_relay_id(id);
      r->set_mode(adapters::v1::RELAY_MODE_BISTABLE);
      r->set_idle_state(adapters::v1::RELAY_IDLE_STATE_OPEN);
    }
    facts_ = next;
  }

  /// Gives the first camera inputs "in-1" (idle state settable, active) and
  /// "in-2" (fixed, state unknown).
  void AddDigitalInputs() {
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    auto& cam = next->cameras.begin()->second;
    cam.description.mutable_capabilities()->set_digital_inputs(true);
    auto* a = digital_inputs.add_inputs();
    a->set_input_id("in-1");
    a->set_idle_state(adapters::v1::RELAY_IDLE_STATE_OPEN);
    a->set_idle_state_settable(true);
    a->set_active(true);
    a->set_active_known(true);
    auto* b = digital_inputs.add_inputs();
    b->set_input_id("in-2");
    cam.digital_inputs = digital_inputs;
    facts_ = next;
  }

  // Imaging: one sensor whose settings live in `imaging_settings` and whose
  // focus status is `focus_status` (AddImaging).
  void GetImagingSettings(adapters::v1::ImagingRef request,
                          Done<adapters::v1::ImagingSettings> done) override {
    calls.push_back("GetImagingSettings " + request.ShortDebugString());
    done(status, imaging_settings);
  }
  void SetImagingSettings(adapters::v1::SetImagingSettingsRequest request,
                          Done<adapters::v1::ImagingSettings> done) override {
    calls.push_back("SetImagingSettings " + request.ShortDebugString());
    if (status.ok()) imaging_settings.MergeFrom(request.settings());
    done(status, imaging_settings);
  }
  void MoveFocus(adapters::v1::MoveFocusRequest request,
                 Done<adapters::v1::FocusMoveResponse> done) override {
    calls.push_back("MoveFocus " + request.ShortDebugString());
    done(status, {});
  }
  void StopFocus(adapters::v1::ImagingRef request,
                 Done<adapters::v1::FocusMoveResponse> done) override {
    calls.push_back("StopFocus " + request.ShortDebugString());
    done(status, {});
  }
  void GetFocusStatus(adapters::v1::ImagingRef request,
                      Done<adapters::v1::FocusStatus> done) override {
    calls.push_back("GetFocusStatus " + request.ShortDebugString());
    done(status, focus_status);
  }

  /// Gives the first camera's sensor "0" imaging options (brightness and
  /// contrast 0..100, IR cut filter ON/OFF/AUTO, exposure AUTO/MANUAL with an
  /// exposure time, focus AUTO/MANUAL with absolute 0..1 and continuous
  /// moves) and settings to match; `change` adjusts the options.
  void AddImaging(const std::function<void(adapters::v1::ImagingOptions&)>& change = {}) {
    namespace v1 = adapters::v1;
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    auto& cam = next->cameras.begin()->second;
    cam.description.mutable_capabilities()->set_imaging(true);
    v1::ImagingOptions o;
    o.mutable_brightness()->set_max(100);
    o.mutable_contrast()->set_max(100);
    o.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_ON);
    o.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_OFF);
    o.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_AUTO);
    o.mutable_exposure()->add_modes(v1::AUTO_MANUAL_MODE_AUTO);
    o.mutable_exposure()->add_modes(v1::AUTO_MANUAL_MODE_MANUAL);
    o.mutable_exposure()->mutable_exposure_time()->set_min(10);
    o.mutable_exposure()->mutable_exposure_time()->set_max(40000);
    o.mutable_focus()->add_auto_focus_modes(v1::AUTO_MANUAL_MODE_AUTO);
    o.mutable_focus()->add_auto_focus_modes(v1::AUTO_MANUAL_MODE_MANUAL);
    o.mutable_focus()->mutable_move()->mutable_absolute_position()->set_max(1);
    o.mutable_focus()->mutable_move()->mutable_continuous_speed()->set_min(-1);
    o.mutable_focus()->mutable_move()->mutable_continuous_speed()->set_max(1);
    if (change) change(o);
    cam.imaging_options["0"] = o;
    imaging_settings.set_brightness(50);
    imaging_settings.set_contrast(50);
    imaging_settings.set_ir_cut_filter(v1::IR_CUT_FILTER_MODE_AUTO);
    imaging_settings.mutable_exposure()->set_mode(v1::AUTO_MANUAL_MODE_AUTO);
    imaging_settings.mutable_focus()->set_auto_focus_mode(v1::AUTO_MANUAL_MODE_AUTO);
    focus_status.set_position(0.5f);
    focus_status.set_move_status(v1::PTZ_MOVE_STATUS_IDLE);
    facts_ = next;
  }

  /// Gives the first camera's source "0" a PTZ head "head" (pan/tilt, zoom,
  /// absolute and relative moves, presets in slots 1..4, a settable home,
  /// move status); `change` adjusts it.
  void AddPtzNode(const std::function<void(adapters::v1::PtzNode&)>& change = {}) {
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    auto& cam = next->cameras.begin()->second;
    cam.description.mutable_capabilities()->set_ptz(true);
    auto* node = cam.ptz_nodes.add_nodes();
    node->set_node_id("head");
    node->set_source_id("0");
    node->set_pan_tilt(true);
    node->set_zoom(true);
    node->set_absolute_move(true);
    node->set_relative_move(true);
    for (std::uint32_t slot = 1; slot <= 4; ++slot) node->add_preset_slots(slot);
    node->set_home(true);
    node->set_settable_home(true);
    node->set_move_status(true);
    if (change) change(*node);
    facts_ = next;
  }

  void GetSnapshot(adapters::v1::SnapshotRequest request,
                   Done<adapters::v1::Snapshot> done) override {
    calls.push_back("GetSnapshot " + request.camera_id() + " " + request.source_id());
    adapters::v1::Snapshot snap;
    snap.set_jpeg(snapshot_jpeg);
    done(status, snap);
  }
  void ApplyVideoEncoderConfiguration(adapters::v1::ApplyVideoEncoderConfigurationRequest request,
                                      Done<adapters::v1::VideoStream> done) override {
    calls.push_back("ApplyVideoEncoderConfiguration " + request.stream_id() +
                    " codec=" + std::to_string(request.codec()) + " " +
                    std::to_string(request.resolution().width()) + "x" +
                    std::to_string(request.resolution().height()));
    adapters::v1::VideoStream applied;
    if (status.ok()) {
      // As a camera would: the stream now encodes as asked.
      auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
      for (auto& [id, cam] : next->cameras) {
        for (auto& src : *cam.video_sources.mutable_sources()) {
          for (auto& st : *src.mutable_streams()) {
            if (st.stream_id() != request.stream_id()) continue;
            st.set_codec(request.codec());
            *st.mutable_resolution() = request.resolution();
            st.set_framerate(request.framerate());
            st.set_bitrate_kbps(request.bitrate_kbps());
            st.set_gop_length(request.gop_length());
            st.set_codec_profile(request.codec_profile());
            st.set_quality(request.quality());
            applied = st;
          }
        }
      }
      facts_ = next;
    }
    done(status, applied);
  }

  /// Gives the camera one video source "0" (1280x720 at 25 fps) with a main
  /// stream (H.264, configurable: H.264, H.265 and JPEG) and a sub stream
  /// (JPEG 640x360, fixed), and the snapshot and encoder capabilities.
  /// Changes the capabilities every camera reports.
  void SetCapability(const std::function<void(adapters::v1::Capabilities&)>& change) {
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    for (auto& [id, cam] : next->cameras) change(*cam.description.mutable_capabilities());
    facts_ = next;
  }

  /// The auxiliary commands every camera describes.
  void SetAuxiliaryCommands(const std::vector<std::string>& commands) {
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    for (auto& [id, cam] : next->cameras) {
      cam.description.clear_auxiliary_commands();
      for (const auto& c : commands) cam.description.add_auxiliary_commands(c);
    }
    facts_ = next;
  }

  void AddVideo() {
    namespace v1 = adapters::v1;
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    auto& cam = next->cameras.begin()->second;
    auto* caps = cam.description.mutable_capabilities();
    caps->set_video_sources(true);
    caps->set_snapshot(true);
    caps->set_video_encoder_configuration(true);
    cam.description.set_label("Fake camera");
    auto* src = cam.video_sources.add_sources();
    src->set_source_id("0");
    src->mutable_resolution()->set_width(1280);
    src->mutable_resolution()->set_height(720);
    src->set_framerate(25);
    auto* main = src->add_streams();
    main->set_stream_id("main");
    main->set_uri("rtsp://admin:secret@127.0.0.1:8554/fake/main");
    main->set_codec(v1::VIDEO_CODEC_H264);
    main->mutable_resolution()->set_width(1280);
    main->mutable_resolution()->set_height(720);
    main->set_framerate(25);
    main->set_bitrate_kbps(4096);
    main->set_gop_length(50);
    main->set_codec_profile("Main");
    main->set_transport(v1::STREAM_TRANSPORT_RTSP);
    main->set_quality(70);
    for (v1::VideoCodec codec :
         {v1::VIDEO_CODEC_H264, v1::VIDEO_CODEC_H265, v1::VIDEO_CODEC_JPEG}) {
      auto* o = main->mutable_options()->add_codecs();
      o->set_codec(codec);
      for (auto [w, h] : {std::pair{1280u, 720u}, std::pair{640u, 360u}}) {
        auto* r = o->add_resolutions();
        r->set_width(w);
        r->set_height(h);
      }
      o->mutable_framerate()->set_min(1);
      o->mutable_framerate()->set_max(25);
      o->mutable_bitrate_kbps()->set_min(256);
      o->mutable_bitrate_kbps()->set_max(8192);
      if (codec != v1::VIDEO_CODEC_JPEG) {
        o->mutable_gop_length()->set_min(1);
        o->mutable_gop_length()->set_max(300);
        o->add_codec_profiles("Main");
        if (codec == v1::VIDEO_CODEC_H264) o->add_codec_profiles("High");
      }
      o->mutable_quality()->set_min(0);
      o->mutable_quality()->set_max(100);
    }
    auto* sub = src->add_streams();
    sub->set_stream_id("sub");
    sub->set_uri("rtsp://127.0.0.1:8554/fake/sub");
    sub->set_codec(v1::VIDEO_CODEC_JPEG);
    sub->mutable_resolution()->set_width(640);
    sub->mutable_resolution()->set_height(360);
    sub->set_framerate(10);
    sub->set_bitrate_kbps(1024);
    sub->set_transport(v1::STREAM_TRANSPORT_RTSP);
    sub->set_quality(50);
    default_video_sources_ = cam.video_sources;
    facts_ = next;
  }

  /// Gives the camera (after AddVideo) a microphone "mic" encoded as G.711
  /// (8 kHz, 64 kbit/s) and AAC (16 kHz, 32 kbit/s); the main stream carries
  /// the G.711, the sub stream no audio.
  void AddAudio() {
    namespace v1 = adapters::v1;
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    auto& cam = next->cameras.begin()->second;
    cam.description.mutable_capabilities()->set_audio_sources(true);
    auto* mic = cam.audio_sources.add_sources();
    mic->set_source_id("mic");
    mic->set_channels(1);
    auto* g711 = mic->add_streams();
    g711->set_stream_id("g711");
    g711->set_codec(v1::AUDIO_CODEC_G711);
    g711->set_bitrate_kbps(64);
    g711->set_sample_rate_khz(8);
    auto* aac = mic->add_streams();
    aac->set_stream_id("aac");
    aac->set_codec(v1::AUDIO_CODEC_AAC);
    aac->set_bitrate_kbps(32);
    aac->set_sample_rate_khz(16);
    for (auto& src : *cam.video_sources.mutable_sources()) {
      for (auto& st : *src.mutable_streams()) {
        if (st.stream_id() != "main") continue;
        st.mutable_audio()->set_source_id("mic");
        st.mutable_audio()->set_stream_id("g711");
      }
    }
    facts_ = next;
  }

  /// Gives source "0" (after AddVideo) a third, fixed stream "legacy":
  /// MPEG-4 Part 2, simple profile, 352x288 at 12 fps, GOV 30.
  void AddMpeg4Stream() {
    namespace v1 = adapters::v1;
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    auto* src = next->cameras.begin()->second.video_sources.mutable_sources(0);
    auto* legacy = src->add_streams();
    legacy->set_stream_id("legacy");
    legacy->set_uri("rtsp://127.0.0.1:8554/fake/legacy");
    legacy->set_codec(v1::VIDEO_CODEC_MPEG4);
    legacy->mutable_resolution()->set_width(352);
    legacy->mutable_resolution()->set_height(288);
    legacy->set_framerate(12);
    legacy->set_bitrate_kbps(512);
    legacy->set_gop_length(30);
    legacy->set_codec_profile("SP");
    legacy->set_transport(v1::STREAM_TRANSPORT_RTSP);
    legacy->set_quality(40);
    facts_ = next;
  }

  /// Makes the first camera's "main" stream a snapshot-only camera's: JPEG
  /// pictures (GetSnapshot), no URI.
  void MakeMainSnapshotOnly() {
    namespace v1 = adapters::v1;
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    for (auto& src : *next->cameras.begin()->second.video_sources.mutable_sources()) {
      for (auto& st : *src.mutable_streams()) {
        if (st.stream_id() != "main") continue;
        st.set_transport(v1::STREAM_TRANSPORT_SNAPSHOT_ONLY);
        st.set_codec(v1::VIDEO_CODEC_JPEG);
        st.clear_uri();
      }
    }
    facts_ = next;
  }

  /// A second camera `camera_id`, a copy of the first one (an NVR's channels).
  void AddCameraLikeTheFirst(const std::string& camera_id, const std::string& label) {
    auto next = std::make_shared<adapters::AdapterFacts>(*facts_);
    adapters::CameraFacts copy = next->cameras.begin()->second;
    copy.description.set_camera_id(camera_id);
    copy.description.set_label(label);
    next->cameras[camera_id] = copy;
    facts_ = next;
  }

  /// What GetSnapshot returns.
  std::string snapshot_jpeg = std::string("\xFF\xD8") + "fake" + "\xFF\xD9";
  /// The camera's configuration file (ExportConfiguration, ImportConfiguration).
  std::string configuration = "FAKE-CONFIG v1";
  /// What GetPtzStatus answers.
  adapters::v1::PtzStatus ptz_status;
  /// The inputs ListDigitalInputs answers (AddDigitalInputs).
  adapters::v1::DigitalInputList digital_inputs;
  /// The sensor's settings and lens status (AddImaging).
  adapters::v1::ImagingSettings imaging_settings;
  adapters::v1::FocusStatus focus_status;
  /// Told of each PTZ move call as recorded (from whichever thread made it:
  /// the stop after a ContinuousMove's timeout comes from the timers' own).
  std::function<void(const std::string&)> on_ptz_call;
  /// What every call answers with.
  grpc::Status status = grpc::Status::OK;
  bool available_ = true;
  std::vector<std::string> calls;

 private:
  template <typename Request>
  void RecordPtz(const char* name, const Request& request,
                 const Done<adapters::v1::PtzMoveResponse>& done) {
    calls.push_back(std::string(name) + " " + request.ShortDebugString());
    if (on_ptz_call) on_ptz_call(calls.back());
    done(status, {});
  }

  std::shared_ptr<const adapters::AdapterFacts> facts_;
  adapters::v1::VideoSourceList default_video_sources_;  // as AddVideo made them
};

}  // namespace onvifgw::testing
