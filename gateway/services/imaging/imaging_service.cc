// The Imaging service: VideoSourceToken -> the camera and sensor behind it
// -> the adapter. Settings are checked against the cached options here, so a
// camera only ever sees values it said it takes.
#include "services/imaging/imaging_service.h"

#include "adapters/fault_map.h"
#include "core/log.h"
#include "onvif/generated/timg.pb.h"
#include "services/imaging/imaging_translation.h"
#include "services/media/media_operations.h"
#include "services/operation.h"
#include "services/service_registry.h"
#include "soap/codec.h"

namespace onvifgw::services::imaging {
namespace {

namespace timg = ::onvifgw::onvif::timg;
using soap::Fault;

/// The sensor a request addresses.
struct Sensor {
  std::string camera_id;
  std::string imaging_id;
  v1::ImagingOptions options;
};

bool CameraHasImaging(const adapters::AdapterFacts& facts, const std::string& camera_id) {
  const adapters::CameraFacts* camera = facts.Camera(camera_id);
  return camera != nullptr && camera->description.capabilities().imaging() &&
         !camera->imaging_options.empty();
}

bool Offered(const RequestContext& ctx) {
  if (!media::MediaAvailable(ctx)) return false;
  auto facts = ctx.device.adapter->facts();
  if (!facts) return false;
  for (const auto& camera : media::CamerasOf(ctx)) {
    if (CameraHasImaging(*facts, camera.camera_id)) return true;
  }
  return false;
}

std::string ImagingIdOf(const media::VideoSourceEntry& source) {
  return source.source.imaging_id().empty() ? source.source.source_id()
                                            : source.source.imaging_id();
}

Expected<Sensor, Fault> SensorOf(const RequestContext& ctx, const std::string& token) {
  if (!Offered(ctx)) {
    return MakeUnexpected(
        soap::ActionNotSupported("The device's cameras have no imaging settings"));
  }
  const media::MediaCatalog catalog =
      media::MediaCatalog::Build(ctx.device.adapter, media::CamerasOf(ctx));
  const media::VideoSourceEntry* source = catalog.Source(token);
  if (source == nullptr) {
    return MakeUnexpected(soap::InvalidArgVal(
        std::string("The requested VideoSource '") + token + "' does not exist", "NoSource"));
  }
  auto facts = ctx.device.adapter->facts();
  const adapters::CameraFacts* camera = facts ? facts->Camera(source->camera_id) : nullptr;
  const std::string imaging_id = ImagingIdOf(*source);
  if (camera == nullptr || !camera->description.capabilities().imaging() ||
      camera->imaging_options.count(imaging_id) == 0) {
    return MakeUnexpected(soap::ActionNotSupported(
        "The requested VideoSource does not support imaging settings", "NoImagingForSource"));
  }
  if (!ctx.device.adapter->available()) {
    return MakeUnexpected(soap::ActionFailed("The camera is not reachable at the moment"));
  }
  return Sensor{source->camera_id, imaging_id, camera->imaging_options.at(imaging_id)};
}

v1::ImagingRef RefOf(const Sensor& sensor) {
  v1::ImagingRef ref;
  ref.set_camera_id(sensor.camera_id);
  ref.set_imaging_id(sensor.imaging_id);
  return ref;
}

void Log(const RequestContext& ctx, const std::string& what) {
  const std::string who =
      ctx.principal ? std::string(" (by '") + ctx.principal->username + "')" : "";
  log::WriteAbout(log::Level::kDebug, "imaging", ctx.device.config.id, what + who);
}

timg::Capabilities ServiceCapabilities() {
  timg::Capabilities c;
  c.set_imagestabilization(false);
  c.set_presets(false);
  c.set_adaptablepreset(false);
  return c;
}

Expected<timg::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext&, const timg::GetServiceCapabilities&) {
  timg::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities();
  return r;
}

void GetImagingSettings(const RequestContext& ctx, const timg::GetImagingSettings& req,
                        Completion done) {
  auto sensor = SensorOf(ctx, req.videosourcetoken());
  if (!sensor) return done(MakeUnexpected(sensor.error()));
  ctx.device.adapter->GetImagingSettings(
      RefOf(*sensor),
      [done = std::move(done)](const grpc::Status& st, const v1::ImagingSettings& settings) {
        if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        timg::GetImagingSettingsResponse r;
        *r.mutable_imagingsettings() = SettingsToOnvif(settings);
        done(Ok(std::move(r)));
      });
}

void SetImagingSettings(const RequestContext& ctx, const timg::SetImagingSettings& req,
                        Completion done) {
  auto sensor = SensorOf(ctx, req.videosourcetoken());
  if (!sensor) return done(MakeUnexpected(sensor.error()));
  auto settings = SettingsFromOnvif(req.imagingsettings(), sensor->options);
  if (!settings) return done(MakeUnexpected(settings.error()));
  v1::SetImagingSettingsRequest call;
  call.set_camera_id(sensor->camera_id);
  call.set_imaging_id(sensor->imaging_id);
  *call.mutable_settings() = std::move(*settings);
  Log(ctx, "imaging settings of " + req.videosourcetoken() + " changed");
  ctx.device.adapter->SetImagingSettings(
      std::move(call),
      [done = std::move(done)](const grpc::Status& st, const v1::ImagingSettings&) {
        if (!st.ok()) {
          // The options were checked here: a camera that still refuses says
          // why in the status; keep the Imaging subcode for a bad value.
          if (st.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
            return done(MakeUnexpected(soap::InvalidArgVal(st.error_message(), "SettingsInvalid")));
          }
          return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        }
        done(Ok(timg::SetImagingSettingsResponse{}));
      });
}

Expected<timg::GetOptionsResponse, Fault> GetOptions(const RequestContext& ctx,
                                                     const timg::GetOptions& req) {
  auto sensor = SensorOf(ctx, req.videosourcetoken());
  if (!sensor) return MakeUnexpected(sensor.error());
  timg::GetOptionsResponse r;
  *r.mutable_imagingoptions() = OptionsToOnvif(sensor->options);
  return r;
}

Expected<timg::GetMoveOptionsResponse, Fault> GetMoveOptions(const RequestContext& ctx,
                                                             const timg::GetMoveOptions& req) {
  auto sensor = SensorOf(ctx, req.videosourcetoken());
  if (!sensor) return MakeUnexpected(sensor.error());
  timg::GetMoveOptionsResponse r;
  *r.mutable_moveoptions() = MoveOptionsToOnvif(sensor->options);
  return r;
}

Expected<Sensor, Fault> LensOf(const RequestContext& ctx, const std::string& token) {
  auto sensor = SensorOf(ctx, token);
  if (!sensor) return sensor;
  if (!HasFocusMoves(sensor->options)) {
    return MakeUnexpected(soap::ActionNotSupported(
        "The requested VideoSource has no focus lens that can be moved", "NoImagingForSource"));
  }
  return sensor;
}

void Move(const RequestContext& ctx, const timg::Move& req, Completion done) {
  auto lens = LensOf(ctx, req.videosourcetoken());
  if (!lens) return done(MakeUnexpected(lens.error()));
  auto call = FocusMoveFromOnvif(req.focus(), lens->options);
  if (!call) return done(MakeUnexpected(call.error()));
  call->set_camera_id(lens->camera_id);
  call->set_imaging_id(lens->imaging_id);
  Log(ctx, "focus of " + req.videosourcetoken() + " moved");
  ctx.device.adapter->MoveFocus(
      std::move(*call),
      [done = std::move(done)](const grpc::Status& st, const v1::FocusMoveResponse&) {
        if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        done(Ok(timg::MoveResponse{}));
      });
}

void Stop(const RequestContext& ctx, const timg::Stop& req, Completion done) {
  auto lens = LensOf(ctx, req.videosourcetoken());
  if (!lens) return done(MakeUnexpected(lens.error()));
  Log(ctx, "focus of " + req.videosourcetoken() + " stopped");
  ctx.device.adapter->StopFocus(
      RefOf(*lens), [done = std::move(done)](const grpc::Status& st, const v1::FocusMoveResponse&) {
        if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        done(Ok(timg::StopResponse{}));
      });
}

void GetStatus(const RequestContext& ctx, const timg::GetStatus& req, Completion done) {
  auto sensor = SensorOf(ctx, req.videosourcetoken());
  if (!sensor) return done(MakeUnexpected(sensor.error()));
  if (!HasFocusMoves(sensor->options)) {
    // Nothing moves: the status has no focus part.
    timg::GetStatusResponse r;
    r.mutable_status();
    return done(Ok(std::move(r)));
  }
  ctx.device.adapter->GetFocusStatus(
      RefOf(*sensor), [done = std::move(done)](const grpc::Status& st, const v1::FocusStatus& s) {
        if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        timg::GetStatusResponse r;
        *r.mutable_status() = StatusToOnvif(s);
        done(Ok(std::move(r)));
      });
}

std::string ImagingCapabilitiesFragment(const RequestContext&) {
  return soap::EncodeFragment(ServiceCapabilities(), "timg", "Capabilities");
}

}  // namespace

void ServeImaging(ServiceRegistry& registry) {
  ServiceDescription d;
  d.path = std::string(kImagingPath);
  d.available = Offered;
  d.capabilities = ImagingCapabilitiesFragment;
  d.legacy_category = "Imaging";
  d.legacy_capabilities = [](const RequestContext& ctx, tt::Capabilities* caps) {
    caps->mutable_imaging()->set_xaddr(ctx.ServiceUrl(kImagingPath));
  };
  ServiceBinder b = registry.Serve("timg", std::move(d));
  b.Bind("GetServiceCapabilities", GetServiceCapabilities)
      .Bind("GetImagingSettings", GetImagingSettings)
      .Bind("SetImagingSettings", SetImagingSettings)
      .Bind("GetOptions", GetOptions)
      .Bind("GetMoveOptions", GetMoveOptions)
      .Bind("Move", Move)
      .Bind("Stop", Stop)
      .Bind("GetStatus", GetStatus)
      .Unsupported("The cameras behind the gateway offer no imaging presets",
                   {"GetPresets", "GetCurrentPreset", "SetCurrentPreset"});
}

}  // namespace onvifgw::services::imaging
