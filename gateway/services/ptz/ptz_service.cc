// The PTZ service. A request names a media profile; the profile's PTZ
// configuration names the head, and the head's adapter does the moving.
// What the camera cannot keep is kept here: preset names and tokens (mapped
// to the camera's numbered slots, in the media state) and the ContinuousMove
// timeout (PtzMoveTimers sends the stop).
#include "services/ptz/ptz_service.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>

#include "adapters/fault_map.h"
#include "core/log.h"
#include "onvif/generated/tptz.pb.h"
#include "services/media/media_operations.h"
#include "services/operation.h"
#include "services/ptz/ptz_configuration.h"
#include "services/ptz/ptz_move_timers.h"
#include "services/service_registry.h"
#include "services/xml_time.h"
#include "soap/codec.h"

namespace onvifgw::services::ptz {
namespace {

namespace tptz = ::onvifgw::onvif::tptz;
using media::MediaView;
using media::StoredProfile;
using soap::Fault;

std::string Quoted(std::string_view s) { return std::string("'") + std::string(s) + "'"; }

Fault NoPtzProfile(std::string_view token) {
  return soap::InvalidArgVal(
      std::string("Profile ") + Quoted(token) + " holds no PTZ configuration", "NoPTZProfile");
}
Fault SpaceNotSupported(std::string_view space) {
  return soap::InvalidArgVal(std::string("The PTZ node does not support space ") + Quoted(space),
                             "SpaceNotSupported");
}
Fault NoPresetToken(std::string_view token) {
  return soap::InvalidArgVal(std::string("No preset ") + Quoted(token), "NoToken");
}

/// The head a request addresses through its profile, and the view it was
/// found in.
struct Target {
  MediaView view;
  const PtzNodeEntry* head = nullptr;
};

bool Offered(const RequestContext& ctx) {
  if (!media::MediaAvailable(ctx) || ctx.device.ptz_moves == nullptr) return false;
  return !media::MediaCatalog::Build(ctx.device.adapter, media::CamerasOf(ctx)).ptz_nodes().empty();
}

Expected<MediaView, Fault> PtzView(const RequestContext& ctx) {
  if (!Offered(ctx)) return MakeUnexpected(soap::ActionNotSupported("The device has no PTZ head"));
  return media::ViewOf(ctx);
}

Expected<Target, Fault> TargetOf(const RequestContext& ctx, const std::string& profile_token) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  const StoredProfile* profile = view->Profile(profile_token);
  if (profile == nullptr) return MakeUnexpected(media::NoProfile(profile_token));
  Target t{std::move(*view), nullptr};
  t.head = t.view.catalog.PtzConfiguration(t.view.Profile(profile_token)->ptz());
  if (t.head == nullptr) return MakeUnexpected(NoPtzProfile(profile_token));
  if (!ctx.device.adapter->available()) {
    return MakeUnexpected(soap::ActionFailed("The camera is not reachable at the moment"));
  }
  return t;
}

std::string TimerKey(const RequestContext& ctx, const PtzNodeEntry& head) {
  return ctx.device.config.id + std::string("/") + head.token;
}

// --------------------------------------------------------- value checks

bool Within(float v, float min, float max) { return std::isfinite(v) && v >= min && v <= max; }

/// A 2D value in `space` (empty: the default, which is `space`).
std::optional<Fault> Check2D(const tt::Vector2D& v, std::string_view space, float min, float max,
                             const char* subcode, const char* what) {
  if (v.has_space() && !v.space().empty() && v.space() != space) {
    return SpaceNotSupported(v.space());
  }
  if (!Within(v.x(), min, max) || !Within(v.y(), min, max)) {
    return soap::InvalidArgVal(std::string("The ") + what + " is out of bounds", subcode);
  }
  return std::nullopt;
}

std::optional<Fault> Check1D(const tt::Vector1D& v, std::string_view space, float min, float max,
                             const char* subcode, const char* what) {
  if (v.has_space() && !v.space().empty() && v.space() != space) {
    return SpaceNotSupported(v.space());
  }
  if (!Within(v.x(), min, max)) {
    return soap::InvalidArgVal(std::string("The ") + what + " is out of bounds", subcode);
  }
  return std::nullopt;
}

/// Which axes of a request reach the head. An axis the head lacks may be
/// named with a zero value, as many clients always send both (the npm
/// `onvif` client sends <Zoom x="0"/> to a head without zoom): that part is
/// dropped. Any other value for a missing axis is refused.
struct Axes {
  bool pan_tilt = false;
  bool zoom = false;
};
Expected<Axes, Fault> AxesOf(const PtzNodeEntry& head, const tt::Vector2D* pan_tilt,
                             const tt::Vector1D* zoom) {
  Axes axes;
  if (pan_tilt != nullptr) {
    if (head.node.pan_tilt()) {
      axes.pan_tilt = true;
    } else if (pan_tilt->x() != 0 || pan_tilt->y() != 0) {
      return MakeUnexpected(
          soap::InvalidArgVal("The PTZ node cannot pan or tilt", "SpaceNotSupported"));
    }
  }
  if (zoom != nullptr) {
    if (head.node.zoom()) {
      axes.zoom = true;
    } else if (zoom->x() != 0) {
      return MakeUnexpected(soap::InvalidArgVal("The PTZ node cannot zoom", "SpaceNotSupported"));
    }
  }
  return axes;
}

template <typename Vector>
Expected<Axes, Fault> AxesOf(const PtzNodeEntry& head, const Vector& v) {
  return AxesOf(head, v.has_pantilt() ? &v.pantilt() : nullptr, v.has_zoom() ? &v.zoom() : nullptr);
}

/// A move's speed: what the request gives, else the configuration's default.
Expected<v1::PtzVector, Fault> SpeedOf(const Target& t, const tt::PTZSpeed* asked) {
  const PtzDefaults d = DefaultsOf(*t.head, t.view.state);
  v1::PtzVector speed;
  if (t.head->node.pan_tilt()) {
    speed.mutable_pan_tilt()->set_x(d.pan_speed);
    speed.mutable_pan_tilt()->set_y(d.tilt_speed);
  }
  if (t.head->node.zoom()) speed.mutable_zoom()->set_x(d.zoom_speed);
  if (asked == nullptr) return speed;
  if (asked->has_pantilt()) {
    if (auto f = Check2D(asked->pantilt(), kPanTiltSpeedSpace, 0, 1, "InvalidSpeed", "speed")) {
      // A speed in the velocity space is a common client mistake; the
      // speed space is the only one the node lists.
      return MakeUnexpected(*f);
    }
    if (t.head->node.pan_tilt()) {
      speed.mutable_pan_tilt()->set_x(asked->pantilt().x());
      speed.mutable_pan_tilt()->set_y(asked->pantilt().y());
    }
  }
  if (asked->has_zoom()) {
    if (auto f = Check1D(asked->zoom(), kZoomSpeedSpace, 0, 1, "InvalidSpeed", "speed")) {
      return MakeUnexpected(*f);
    }
    if (t.head->node.zoom()) speed.mutable_zoom()->set_x(asked->zoom().x());
  }
  return speed;
}

/// The completion of an adapter move call: the ONVIF empty response, or the
/// adapter's status as a fault.
template <typename Resp>
adapters::CameraAdapter::Done<v1::PtzMoveResponse> AnswerWith(Completion done) {
  return [done = std::move(done)](const grpc::Status& st, const v1::PtzMoveResponse&) {
    if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
    done(Ok(Resp{}));
  };
}

/// A command that supersedes a continuous move (another move, a stop): once
/// the camera took it, the move's pending stop is dropped, unless a newer
/// move was armed meanwhile. Until then the stop stays: if the command
/// failed, or overtook the move on its way, the stop still comes.
struct Supersedes {
  PtzMoveTimers* timers = nullptr;
  std::string key;
  std::uint64_t generation = 0;
};
Supersedes SupersedesMoves(const RequestContext& ctx, const PtzNodeEntry& head) {
  Supersedes s{ctx.device.ptz_moves, TimerKey(ctx, head), 0};
  s.generation = s.timers->Generation(s.key);
  return s;
}

template <typename Resp>
adapters::CameraAdapter::Done<v1::PtzMoveResponse> AnswerAndSettle(Completion done,
                                                                   Supersedes supersedes) {
  return [done = std::move(done), supersedes](const grpc::Status& st, const v1::PtzMoveResponse&) {
    if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
    supersedes.timers->CancelIfCurrent(supersedes.key, supersedes.generation);
    done(Ok(Resp{}));
  };
}

/// The stop sent when a continuous move's timeout runs out. A stop the
/// adapter fails is tried again (a dome left turning is the one outcome to
/// avoid), unless a newer move was armed meanwhile.
struct TimeoutStop {
  adapters::CameraAdapter* adapter = nullptr;
  v1::StopPtzRequest request;
  std::string device;
  PtzMoveTimers* timers = nullptr;
  std::string key;
  std::shared_ptr<std::atomic<std::uint64_t>> armed_at;
  int attempts_left = 3;

  static constexpr std::chrono::milliseconds kRetryAfter{250};

  void Arm(std::chrono::milliseconds after) {
    armed_at->store(timers->Arm(key, after, [self = *this](std::function<void()> finished) {
      self.Send(std::move(finished));
    }));
  }

  void Send(std::function<void()> finished) const {
    log::WriteAbout(log::Level::kDebug, "ptz", device,
                    std::string("continuous move timed out: stopping ") + request.node_id());
    adapter->StopPtz(request, [self = *this, finished = std::move(finished)](
                                  const grpc::Status& st, const v1::PtzMoveResponse&) mutable {
      if (!st.ok()) {
        const bool again =
            self.attempts_left > 1 && self.timers->Generation(self.key) == self.armed_at->load();
        log::WriteAbout(log::Level::kWarn, "ptz", self.device,
                        std::string("stop after the move's timeout failed: ") + st.error_message() +
                            (again ? ", trying again" : ""));
        if (again) {
          --self.attempts_left;
          self.Arm(kRetryAfter);
        }
      }
      finished();
    });
  }
};

void Log(const RequestContext& ctx, const std::string& what) {
  const std::string who =
      ctx.principal ? std::string(" (by '") + ctx.principal->username + "')" : "";
  log::WriteAbout(log::Level::kDebug, "ptz", ctx.device.config.id, what + who);
}

// ------------------------------------------------------ service and nodes

tptz::Capabilities ServiceCapabilities(const RequestContext& ctx) {
  tptz::Capabilities c;
  c.set_eflip(false);
  c.set_reverse(false);
  c.set_getcompatibleconfigurations(true);
  bool move_status = false;
  bool position = false;
  if (Offered(ctx)) {
    const media::MediaCatalog catalog =
        media::MediaCatalog::Build(ctx.device.adapter, media::CamerasOf(ctx));
    for (const auto& head : catalog.ptz_nodes()) {
      move_status = move_status || head.node.move_status();
      position = position || head.node.absolute_move();
    }
  }
  c.set_movestatus(move_status);
  c.set_statusposition(position);
  return c;
}

Expected<tptz::GetServiceCapabilitiesResponse, Fault> GetServiceCapabilities(
    const RequestContext& ctx, const tptz::GetServiceCapabilities&) {
  tptz::GetServiceCapabilitiesResponse r;
  *r.mutable_capabilities() = ServiceCapabilities(ctx);
  return r;
}

Expected<tptz::GetNodesResponse, Fault> GetNodes(const RequestContext& ctx, const tptz::GetNodes&) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  tptz::GetNodesResponse r;
  for (const auto& head : view->catalog.ptz_nodes()) *r.add_ptznode() = NodeOf(head);
  return r;
}

Expected<tptz::GetNodeResponse, Fault> GetNode(const RequestContext& ctx,
                                               const tptz::GetNode& req) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  const PtzNodeEntry* head = view->catalog.PtzNode(req.nodetoken());
  if (head == nullptr) {
    return MakeUnexpected(
        soap::InvalidArgVal(std::string("No PTZ node ") + Quoted(req.nodetoken()), "NoEntity"));
  }
  tptz::GetNodeResponse r;
  *r.mutable_ptznode() = NodeOf(*head);
  return r;
}

// --------------------------------------------------------- configurations

Expected<tptz::GetConfigurationsResponse, Fault> GetConfigurations(const RequestContext& ctx,
                                                                   const tptz::GetConfigurations&) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  tptz::GetConfigurationsResponse r;
  for (const auto& head : view->catalog.ptz_nodes()) {
    *r.add_ptzconfiguration() = ConfigurationOf(head, view->state);
  }
  return r;
}

Expected<tptz::GetConfigurationResponse, Fault> GetConfiguration(
    const RequestContext& ctx, const tptz::GetConfiguration& req) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  const PtzNodeEntry* head = view->catalog.PtzConfiguration(req.ptzconfigurationtoken());
  if (head == nullptr) return MakeUnexpected(media::NoConfig(req.ptzconfigurationtoken()));
  tptz::GetConfigurationResponse r;
  *r.mutable_ptzconfiguration() = ConfigurationOf(*head, view->state);
  return r;
}

Expected<tptz::GetCompatibleConfigurationsResponse, Fault> GetCompatibleConfigurations(
    const RequestContext& ctx, const tptz::GetCompatibleConfigurations& req) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  const StoredProfile* profile = view->Profile(req.profiletoken());
  if (profile == nullptr) return MakeUnexpected(media::NoProfile(req.profiletoken()));
  // A head fits a profile that shows its picture, or one without a source.
  const media::VideoSourceEntry* source =
      view->catalog.SourceConfiguration(profile->video_source());
  tptz::GetCompatibleConfigurationsResponse r;
  for (const auto& head : view->catalog.ptz_nodes()) {
    if (source == nullptr || head.source_token.empty() || head.source_token == source->token) {
      *r.add_ptzconfiguration() = ConfigurationOf(head, view->state);
    }
  }
  return r;
}

Expected<tptz::GetConfigurationOptionsResponse, Fault> GetConfigurationOptions(
    const RequestContext& ctx, const tptz::GetConfigurationOptions& req) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  const PtzNodeEntry* head = view->catalog.PtzConfiguration(req.configurationtoken());
  if (head == nullptr) return MakeUnexpected(media::NoConfig(req.configurationtoken()));
  tptz::GetConfigurationOptionsResponse r;
  *r.mutable_ptzconfigurationoptions() = ConfigurationOptionsOf(*head);
  return r;
}

/// A default space a client sets must be one the node supports.
std::optional<Fault> CheckDefaultSpace(bool has, const std::string& value,
                                       std::string_view supported, bool node_has_it) {
  if (!has || value.empty()) return std::nullopt;
  if (!node_has_it || value != supported) {
    return media::ConfigModify(std::string("The PTZ node does not support space ") + Quoted(value));
  }
  return std::nullopt;
}

Expected<tptz::SetConfigurationResponse, Fault> SetConfiguration(
    const RequestContext& ctx, const tptz::SetConfiguration& req) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  const tt::PTZConfiguration& c = req.ptzconfiguration();
  const PtzNodeEntry* head = view->catalog.PtzConfiguration(c.token());
  if (head == nullptr) return MakeUnexpected(media::NoConfig(c.token()));
  if (c.nodetoken() != head->token) {
    return MakeUnexpected(media::ConfigModify(std::string("Configuration ") + Quoted(c.token()) +
                                              std::string(" belongs to node ") +
                                              Quoted(head->token)));
  }
  if (c.name().size() > 64) {
    return MakeUnexpected(media::ConfigModify("A configuration name has at most 64 characters"));
  }
  const v1::PtzNode& n = head->node;
  for (auto f : {
           CheckDefaultSpace(c.has_defaultabsolutepanttiltpositionspace(),
                             c.defaultabsolutepanttiltpositionspace(), kPanTiltPositionSpace,
                             n.pan_tilt() && n.absolute_move()),
           CheckDefaultSpace(c.has_defaultabsolutezoompositionspace(),
                             c.defaultabsolutezoompositionspace(), kZoomPositionSpace,
                             n.zoom() && n.absolute_move()),
           CheckDefaultSpace(c.has_defaultrelativepantilttranslationspace(),
                             c.defaultrelativepantilttranslationspace(), kPanTiltTranslationSpace,
                             n.pan_tilt() && n.relative_move()),
           CheckDefaultSpace(c.has_defaultrelativezoomtranslationspace(),
                             c.defaultrelativezoomtranslationspace(), kZoomTranslationSpace,
                             n.zoom() && n.relative_move()),
           CheckDefaultSpace(c.has_defaultcontinuouspantiltvelocityspace(),
                             c.defaultcontinuouspantiltvelocityspace(), kPanTiltVelocitySpace,
                             n.pan_tilt()),
           CheckDefaultSpace(c.has_defaultcontinuouszoomvelocityspace(),
                             c.defaultcontinuouszoomvelocityspace(), kZoomVelocitySpace, n.zoom()),
       }) {
    if (f) return MakeUnexpected(*f);
  }
  std::optional<std::chrono::milliseconds> timeout;
  if (c.has_defaultptztimeout()) {
    timeout = ParseDuration(c.defaultptztimeout());
    if (!timeout || *timeout < kMinTimeout || *timeout > kMaxTimeout) {
      return MakeUnexpected(
          media::ConfigModify(std::string("DefaultPTZTimeout ") + Quoted(c.defaultptztimeout()) +
                              std::string(" is outside ") + FormatDuration(kMinTimeout) +
                              std::string(" to ") + FormatDuration(kMaxTimeout)));
    }
  }
  const PtzDefaults current = DefaultsOf(*head, view->state);
  PtzDefaults next = current;
  if (c.has_defaultptzspeed()) {
    const tt::PTZSpeed& s = c.defaultptzspeed();
    if (s.has_pantilt()) {
      if (auto f =
              Check2D(s.pantilt(), kPanTiltSpeedSpace, 0, 1, "ConfigModify", "default speed")) {
        return MakeUnexpected(*f);
      }
      next.pan_speed = s.pantilt().x();
      next.tilt_speed = s.pantilt().y();
    }
    if (s.has_zoom()) {
      if (auto f = Check1D(s.zoom(), kZoomSpeedSpace, 0, 1, "ConfigModify", "default speed")) {
        return MakeUnexpected(*f);
      }
      next.zoom_speed = s.zoom().x();
    }
  }
  // Limits narrower than the whole range are not kept: the head goes where
  // it can go. Asking for them is refused rather than ignored.
  auto whole = [](const tt::Space2DDescription& r) {
    return r.xrange().min() <= -1 && r.xrange().max() >= 1 && r.yrange().min() <= -1 &&
           r.yrange().max() >= 1;
  };
  if (c.has_pantiltlimits() && !whole(c.pantiltlimits().range())) {
    return MakeUnexpected(media::ConfigModify("Pan/tilt limits cannot be narrowed on this device"));
  }
  if (c.has_zoomlimits() &&
      (c.zoomlimits().range().xrange().min() > 0 || c.zoomlimits().range().xrange().max() < 1)) {
    return MakeUnexpected(media::ConfigModify("Zoom limits cannot be narrowed on this device"));
  }
  auto r = view->store->Update(view->catalog, [&](media::MediaState& s) -> std::optional<Fault> {
    auto& stored = (*s.mutable_configurations())[head->configuration_token];
    if (!c.name().empty()) stored.set_name(c.name());
    auto* p = stored.mutable_ptz();
    if (c.has_defaultptzspeed()) {
      p->set_has_default_speed(true);
      p->set_default_pan_speed(next.pan_speed);
      p->set_default_tilt_speed(next.tilt_speed);
      p->set_default_zoom_speed(next.zoom_speed);
    }
    if (timeout) p->set_default_timeout_ms(static_cast<std::uint32_t>(timeout->count()));
    return std::nullopt;
  });
  if (!r) return MakeUnexpected(r.error());
  return tptz::SetConfigurationResponse{};
}

// ------------------------------------------------------------------ moves

void ContinuousMove(const RequestContext& ctx, const tptz::ContinuousMove& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  const tt::PTZSpeed& velocity = req.velocity();
  auto axes = AxesOf(*t->head, velocity);
  if (!axes) return done(MakeUnexpected(axes.error()));
  v1::ContinuousMovePtzRequest call;
  call.set_camera_id(t->head->camera_id);
  call.set_node_id(t->head->node.node_id());
  if (axes->pan_tilt) {
    if (auto f = Check2D(velocity.pantilt(), kPanTiltVelocitySpace, -1, 1, "InvalidVelocity",
                         "velocity")) {
      return done(MakeUnexpected(*f));
    }
    call.mutable_velocity()->mutable_pan_tilt()->set_x(velocity.pantilt().x());
    call.mutable_velocity()->mutable_pan_tilt()->set_y(velocity.pantilt().y());
  }
  if (axes->zoom) {
    if (auto f =
            Check1D(velocity.zoom(), kZoomVelocitySpace, -1, 1, "InvalidVelocity", "velocity")) {
      return done(MakeUnexpected(*f));
    }
    call.mutable_velocity()->mutable_zoom()->set_x(velocity.zoom().x());
  }
  // No axis to move (PTZ §5.3.3: an axis left out keeps its movement).
  if (!call.has_velocity()) return done(Ok(tptz::ContinuousMoveResponse{}));
  std::chrono::milliseconds timeout = DefaultsOf(*t->head, t->view.state).timeout;
  if (req.has_timeout()) {
    auto asked = ParseDuration(req.timeout());
    if (!asked || *asked <= std::chrono::milliseconds(0) || *asked > kMaxTimeout) {
      return done(MakeUnexpected(soap::InvalidArgVal(
          std::string("Timeout ") + Quoted(req.timeout()) + std::string(" is outside ") +
              FormatDuration(kMinTimeout) + std::string(" to ") + FormatDuration(kMaxTimeout),
          "TimeoutNotSupported")));
    }
    timeout = std::max(*asked, kMinTimeout);
  }
  // The gateway keeps the timeout: armed now, so that the stop follows
  // the move even if the client never sends one. A move that fails keeps
  // its stop: the camera may have moved all the same.
  TimeoutStop stop{ctx.device.adapter,      {},
                   ctx.device.config.id,    ctx.device.ptz_moves,
                   TimerKey(ctx, *t->head), std::make_shared<std::atomic<std::uint64_t>>(0)};
  stop.request.set_camera_id(call.camera_id());
  stop.request.set_node_id(call.node_id());
  stop.request.set_pan_tilt(t->head->node.pan_tilt());
  stop.request.set_zoom(t->head->node.zoom());
  stop.Arm(timeout);
  Log(ctx, std::string("continuous move ") + call.velocity().ShortDebugString());
  ctx.device.adapter->ContinuousMovePtz(std::move(call),
                                        AnswerWith<tptz::ContinuousMoveResponse>(std::move(done)));
}

void RelativeMove(const RequestContext& ctx, const tptz::RelativeMove& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  const tt::PTZVector& move = req.translation();
  auto axes = AxesOf(*t->head, move);
  if (!axes) return done(MakeUnexpected(axes.error()));
  if (!t->head->node.relative_move()) {
    return done(MakeUnexpected(soap::InvalidArgVal(
        "The PTZ node cannot move relative to its position", "SpaceNotSupported")));
  }
  v1::RelativeMovePtzRequest call;
  call.set_camera_id(t->head->camera_id);
  call.set_node_id(t->head->node.node_id());
  if (axes->pan_tilt) {
    if (auto f = Check2D(move.pantilt(), kPanTiltTranslationSpace, -1, 1, "InvalidTranslation",
                         "translation")) {
      return done(MakeUnexpected(*f));
    }
    call.mutable_translation()->mutable_pan_tilt()->set_x(move.pantilt().x());
    call.mutable_translation()->mutable_pan_tilt()->set_y(move.pantilt().y());
  }
  if (axes->zoom) {
    if (auto f = Check1D(move.zoom(), kZoomTranslationSpace, -1, 1, "InvalidTranslation",
                         "translation")) {
      return done(MakeUnexpected(*f));
    }
    call.mutable_translation()->mutable_zoom()->set_x(move.zoom().x());
  }
  if (!call.has_translation()) return done(Ok(tptz::RelativeMoveResponse{}));
  auto speed = SpeedOf(*t, req.has_speed() ? &req.speed() : nullptr);
  if (!speed) return done(MakeUnexpected(speed.error()));
  *call.mutable_speed() = *speed;
  Log(ctx, std::string("relative move ") + call.translation().ShortDebugString());
  ctx.device.adapter->RelativeMovePtz(
      std::move(call),
      AnswerAndSettle<tptz::RelativeMoveResponse>(std::move(done), SupersedesMoves(ctx, *t->head)));
}

void AbsoluteMove(const RequestContext& ctx, const tptz::AbsoluteMove& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  const tt::PTZVector& to = req.position();
  auto axes = AxesOf(*t->head, to);
  if (!axes) return done(MakeUnexpected(axes.error()));
  if (!t->head->node.absolute_move()) {
    return done(MakeUnexpected(
        soap::InvalidArgVal("The PTZ node cannot move to a position", "SpaceNotSupported")));
  }
  v1::AbsoluteMovePtzRequest call;
  call.set_camera_id(t->head->camera_id);
  call.set_node_id(t->head->node.node_id());
  if (axes->pan_tilt) {
    if (auto f =
            Check2D(to.pantilt(), kPanTiltPositionSpace, -1, 1, "InvalidPosition", "position")) {
      return done(MakeUnexpected(*f));
    }
    call.mutable_position()->mutable_pan_tilt()->set_x(to.pantilt().x());
    call.mutable_position()->mutable_pan_tilt()->set_y(to.pantilt().y());
  }
  if (axes->zoom) {
    if (auto f = Check1D(to.zoom(), kZoomPositionSpace, 0, 1, "InvalidPosition", "position")) {
      return done(MakeUnexpected(*f));
    }
    call.mutable_position()->mutable_zoom()->set_x(to.zoom().x());
  }
  if (!call.has_position()) return done(Ok(tptz::AbsoluteMoveResponse{}));
  auto speed = SpeedOf(*t, req.has_speed() ? &req.speed() : nullptr);
  if (!speed) return done(MakeUnexpected(speed.error()));
  *call.mutable_speed() = *speed;
  Log(ctx, std::string("absolute move ") + call.position().ShortDebugString());
  ctx.device.adapter->AbsoluteMovePtz(
      std::move(call),
      AnswerAndSettle<tptz::AbsoluteMoveResponse>(std::move(done), SupersedesMoves(ctx, *t->head)));
}

void Stop(const RequestContext& ctx, const tptz::Stop& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  v1::StopPtzRequest call;
  call.set_camera_id(t->head->camera_id);
  call.set_node_id(t->head->node.node_id());
  // Each flag defaults to true (PTZ §5.3.5): <PanTilt>false</PanTilt>
  // alone stops the zoom only.
  call.set_pan_tilt(t->head->node.pan_tilt() && (!req.has_pantilt() || req.pantilt()));
  call.set_zoom(t->head->node.zoom() && (!req.has_zoom() || req.zoom()));
  if (!call.pan_tilt() && !call.zoom()) return done(Ok(tptz::StopResponse{}));
  // Only a stop of every axis the head has ends the move the timer watches.
  const bool all =
      call.pan_tilt() == t->head->node.pan_tilt() && call.zoom() == t->head->node.zoom();
  Log(ctx, "stop");
  if (!all) {
    ctx.device.adapter->StopPtz(std::move(call), AnswerWith<tptz::StopResponse>(std::move(done)));
    return;
  }
  ctx.device.adapter->StopPtz(
      std::move(call),
      AnswerAndSettle<tptz::StopResponse>(std::move(done), SupersedesMoves(ctx, *t->head)));
}

tt::MoveStatus MoveStatusOf(v1::PtzMoveStatus s) {
  switch (s) {
    case v1::PTZ_MOVE_STATUS_IDLE:
      return tt::MoveStatus_IDLE;
    case v1::PTZ_MOVE_STATUS_MOVING:
      return tt::MoveStatus_MOVING;
    default:
      return tt::MoveStatus_UNKNOWN;
  }
}

void GetStatus(const RequestContext& ctx, const tptz::GetStatus& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  v1::PtzNodeRef call;
  call.set_camera_id(t->head->camera_id);
  call.set_node_id(t->head->node.node_id());
  const bool pan_tilt = t->head->node.pan_tilt();
  const bool zoom = t->head->node.zoom();
  ctx.device.adapter->GetPtzStatus(
      std::move(call), [done = std::move(done), pan_tilt, zoom, clock = ctx.device.clock](
                           const grpc::Status& st, const v1::PtzStatus& status) {
        if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        tptz::GetStatusResponse r;
        tt::PTZStatus* s = r.mutable_ptzstatus();
        if (status.has_position()) {
          const v1::PtzVector& p = status.position();
          if (pan_tilt && p.has_pan_tilt()) {
            auto* v = s->mutable_position()->mutable_pantilt();
            v->set_x(std::clamp(p.pan_tilt().x(), -1.0f, 1.0f));
            v->set_y(std::clamp(p.pan_tilt().y(), -1.0f, 1.0f));
            v->set_space(std::string(kPanTiltPositionSpace));
          }
          if (zoom && p.has_zoom()) {
            auto* v = s->mutable_position()->mutable_zoom();
            v->set_x(std::clamp(p.zoom().x(), 0.0f, 1.0f));
            v->set_space(std::string(kZoomPositionSpace));
          }
        }
        if (pan_tilt) s->mutable_movestatus()->set_pantilt(MoveStatusOf(status.pan_tilt_status()));
        if (zoom) s->mutable_movestatus()->set_zoom(MoveStatusOf(status.zoom_status()));
        if (!status.error().empty()) {
          s->set_error(status.error());
        } else if ((pan_tilt && status.pan_tilt_status() == v1::PTZ_MOVE_STATUS_UNKNOWN) ||
                   (zoom && status.zoom_status() == v1::PTZ_MOVE_STATUS_UNKNOWN)) {
          // PTZ §5.3.6: an UNKNOWN move status comes with an Error.
          s->set_error("The head does not report whether it is still moving");
        }
        s->set_utctime(FormatDateTime(clock->Now()));
        done(Ok(std::move(r)));
      });
}

// ---------------------------------------------------------------- presets

const store::v1::StoredPtzPresets* PresetsOf(const media::MediaState& s, const PtzNodeEntry& head) {
  auto it = s.ptz_presets().find(head.token);
  return it == s.ptz_presets().end() ? nullptr : &it->second;
}

const store::v1::StoredPtzPreset* FindPreset(const media::MediaState& s, const PtzNodeEntry& head,
                                             std::string_view token) {
  if (const auto* presets = PresetsOf(s, head)) {
    for (const auto& p : presets->presets()) {
      if (p.token() == token) return &p;
    }
  }
  return nullptr;
}

Expected<tptz::GetPresetsResponse, Fault> GetPresets(const RequestContext& ctx,
                                                     const tptz::GetPresets& req) {
  auto view = PtzView(ctx);
  if (!view) return MakeUnexpected(view.error());
  const StoredProfile* profile = view->Profile(req.profiletoken());
  if (profile == nullptr) return MakeUnexpected(media::NoProfile(req.profiletoken()));
  const PtzNodeEntry* head = view->catalog.PtzConfiguration(profile->ptz());
  if (head == nullptr) return MakeUnexpected(NoPtzProfile(req.profiletoken()));
  tptz::GetPresetsResponse r;
  if (const auto* presets = PresetsOf(view->state, *head)) {
    for (const auto& p : presets->presets()) {
      tt::PTZPreset* preset = r.add_preset();
      preset->set_token(p.token());
      preset->set_name(p.name());
    }
  }
  return r;
}

/// tt:Name: at most 64 characters, printable.
bool ValidPresetName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return c >= 0x20 && c != 0x7F; });
}

// SetPreset: a new preset takes the first free slot of the head (reserved
// in the stored state before the camera is told, so two clients never get
// the same slot); an existing one stores the current position again.
void SetPreset(const RequestContext& ctx, const tptz::SetPreset& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  const PtzNodeEntry& head = *t->head;
  if (req.has_presetname() && !ValidPresetName(req.presetname())) {
    return done(MakeUnexpected(soap::InvalidArgVal("A preset name has 1 to 64 printable characters",
                                                   "InvalidPresetName")));
  }
  std::string token;
  std::uint32_t slot = 0;
  bool created = false;
  std::optional<std::string> old_name;  // a rename, undone if the camera fails
  auto r =
      t->view.store->Update(t->view.catalog, [&](media::MediaState& s) -> std::optional<Fault> {
        auto& presets = (*s.mutable_ptz_presets())[head.token];
        store::v1::StoredPtzPreset* existing = nullptr;
        for (auto& p : *presets.mutable_presets()) {
          if (req.has_presettoken() && p.token() == req.presettoken()) existing = &p;
        }
        if (req.has_presettoken() && !req.presettoken().empty() && existing == nullptr) {
          return NoPresetToken(req.presettoken());
        }
        if (req.has_presetname()) {
          for (const auto& p : presets.presets()) {
            if (p.name() == req.presetname() && &p != existing) {
              return soap::InvalidArgVal(
                  std::string("A preset named ") + Quoted(req.presetname()) + " exists",
                  "PresetExist");
            }
          }
        }
        if (existing != nullptr) {
          if (req.has_presetname() && existing->name() != req.presetname()) {
            old_name = existing->name();
            existing->set_name(req.presetname());
          }
          token = existing->token();
          slot = existing->slot();
          return std::nullopt;
        }
        for (std::uint32_t candidate : head.node.preset_slots()) {
          const bool used = std::any_of(presets.presets().begin(), presets.presets().end(),
                                        [&](const auto& p) { return p.slot() == candidate; });
          if (!used) {
            slot = candidate;
            break;
          }
        }
        if (slot == 0) {
          return soap::ActionFailed(std::string("The PTZ node holds at most ") +
                                        std::to_string(head.node.preset_slots_size()) + " presets",
                                    "TooManyPresets");
        }
        s.set_next_preset_number(s.next_preset_number() + 1);
        token = std::string("preset_") + std::to_string(s.next_preset_number());
        store::v1::StoredPtzPreset* p = presets.add_presets();
        p->set_token(token);
        p->set_name(req.has_presetname() ? req.presetname() : token);
        p->set_slot(slot);
        created = true;
        return std::nullopt;
      });
  if (!r) return done(MakeUnexpected(r.error()));
  v1::PtzPresetRequest call;
  call.set_camera_id(head.camera_id);
  call.set_node_id(head.node.node_id());
  call.set_slot(slot);
  Log(ctx, std::string("preset ") + token + std::string(" set in slot ") + std::to_string(slot));
  ctx.device.adapter->SetPtzPreset(
      std::move(call), [done = std::move(done), token, created, old_name, store = t->view.store,
                        catalog = t->view.catalog,
                        node = head.token](const grpc::Status& st, const v1::PtzMoveResponse&) {
        if (!st.ok()) {
          if (created || old_name) {
            // The camera did not store it: the slot is free again, or the
            // preset keeps its name.
            (void)store->Update(catalog, [&](media::MediaState& s) -> std::optional<Fault> {
              auto& presets = (*s.mutable_ptz_presets())[node];
              auto* list = presets.mutable_presets();
              if (created) {
                list->erase(std::remove_if(list->begin(), list->end(),
                                           [&](const auto& p) { return p.token() == token; }),
                            list->end());
              } else {
                for (auto& p : *list) {
                  if (p.token() == token) p.set_name(*old_name);
                }
              }
              return std::nullopt;
            });
          }
          return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        }
        tptz::SetPresetResponse resp;
        resp.set_presettoken(token);
        done(Ok(std::move(resp)));
      });
}

void RemovePreset(const RequestContext& ctx, const tptz::RemovePreset& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  const PtzNodeEntry& head = *t->head;
  std::uint32_t slot = 0;
  auto r =
      t->view.store->Update(t->view.catalog, [&](media::MediaState& s) -> std::optional<Fault> {
        auto& presets = (*s.mutable_ptz_presets())[head.token];
        auto* list = presets.mutable_presets();
        auto it = std::find_if(list->begin(), list->end(),
                               [&](const auto& p) { return p.token() == req.presettoken(); });
        if (it == list->end()) return NoPresetToken(req.presettoken());
        slot = it->slot();
        list->erase(it);
        return std::nullopt;
      });
  if (!r) return done(MakeUnexpected(r.error()));
  v1::PtzPresetRequest call;
  call.set_camera_id(head.camera_id);
  call.set_node_id(head.node.node_id());
  call.set_slot(slot);
  Log(ctx, std::string("preset ") + req.presettoken() + std::string(" removed from slot ") +
               std::to_string(slot));
  // Gone for clients either way: a camera that missed the clear keeps a
  // stale position in a slot the next SetPreset overwrites.
  ctx.device.adapter->RemovePtzPreset(std::move(call),
                                      AnswerWith<tptz::RemovePresetResponse>(std::move(done)));
}

void GotoPreset(const RequestContext& ctx, const tptz::GotoPreset& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  const store::v1::StoredPtzPreset* preset = FindPreset(t->view.state, *t->head, req.presettoken());
  if (preset == nullptr) return done(MakeUnexpected(NoPresetToken(req.presettoken())));
  auto speed = SpeedOf(*t, req.has_speed() ? &req.speed() : nullptr);
  if (!speed) return done(MakeUnexpected(speed.error()));
  v1::GotoPtzPresetRequest call;
  call.set_camera_id(t->head->camera_id);
  call.set_node_id(t->head->node.node_id());
  call.set_slot(preset->slot());
  *call.mutable_speed() = *speed;
  Log(ctx, std::string("go to preset ") + preset->token() + std::string(" (slot ") +
               std::to_string(preset->slot()) + ")");
  ctx.device.adapter->GotoPtzPreset(
      std::move(call),
      AnswerAndSettle<tptz::GotoPresetResponse>(std::move(done), SupersedesMoves(ctx, *t->head)));
}

void GotoHomePosition(const RequestContext& ctx, const tptz::GotoHomePosition& req,
                      Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  if (!t->head->node.home()) {
    return done(
        MakeUnexpected(soap::InvalidArgVal("The PTZ node has no home position", "NoHomePosition")));
  }
  auto speed = SpeedOf(*t, req.has_speed() ? &req.speed() : nullptr);
  if (!speed) return done(MakeUnexpected(speed.error()));
  v1::GotoPtzHomeRequest call;
  call.set_camera_id(t->head->camera_id);
  call.set_node_id(t->head->node.node_id());
  *call.mutable_speed() = *speed;
  Log(ctx, "go to home");
  ctx.device.adapter->GotoPtzHome(std::move(call),
                                  AnswerAndSettle<tptz::GotoHomePositionResponse>(
                                      std::move(done), SupersedesMoves(ctx, *t->head)));
}

void SetHomePosition(const RequestContext& ctx, const tptz::SetHomePosition& req, Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  if (!t->head->node.home()) {
    return done(
        MakeUnexpected(soap::InvalidArgVal("The PTZ node has no home position", "NoHomePosition")));
  }
  if (!t->head->node.settable_home()) {
    return done(MakeUnexpected(soap::ActionFailed(
        "The home position is fixed and cannot be overwritten", "CannotOverwriteHome")));
  }
  v1::PtzNodeRef call;
  call.set_camera_id(t->head->camera_id);
  call.set_node_id(t->head->node.node_id());
  Log(ctx, "home position set");
  ctx.device.adapter->SetPtzHome(std::move(call),
                                 AnswerWith<tptz::SetHomePositionResponse>(std::move(done)));
}

// The node's auxiliary commands are the camera's: the same adapter call as
// the Device service's SendAuxiliaryCommand.
void SendAuxiliaryCommand(const RequestContext& ctx, const tptz::SendAuxiliaryCommand& req,
                          Completion done) {
  auto t = TargetOf(ctx, req.profiletoken());
  if (!t) return done(MakeUnexpected(t.error()));
  const auto& commands = t->head->auxiliary_commands;
  if (std::find(commands.begin(), commands.end(), req.auxiliarydata()) == commands.end()) {
    return done(MakeUnexpected(soap::InvalidArgVal(
        std::string("The PTZ node has no auxiliary command ") + Quoted(req.auxiliarydata()),
        "AuxiliaryDataNotSupported")));
  }
  v1::AuxiliaryCommandRequest call;
  call.set_camera_id(t->head->camera_id);
  call.set_command(req.auxiliarydata());
  Log(ctx, std::string("auxiliary command ") + req.auxiliarydata());
  ctx.device.adapter->SendAuxiliaryCommand(
      std::move(call),
      [done = std::move(done)](const grpc::Status& st, const v1::AuxiliaryCommandResponse& r) {
        if (!st.ok()) return done(MakeUnexpected(adapters::FaultFromStatus(st)));
        tptz::SendAuxiliaryCommandResponse resp;
        resp.set_auxiliaryresponse(r.response().substr(0, 128));
        done(Ok(std::move(resp)));
      });
}

std::string PtzCapabilitiesFragment(const RequestContext& ctx) {
  return soap::EncodeFragment(ServiceCapabilities(ctx), "tptz", "Capabilities");
}

}  // namespace

void ServePtz(ServiceRegistry& registry) {
  ServiceDescription d;
  d.path = std::string(kPtzPath);
  d.available = Offered;
  d.capabilities = PtzCapabilitiesFragment;
  d.legacy_category = "PTZ";
  d.legacy_capabilities = [](const RequestContext& ctx, tt::Capabilities* caps) {
    caps->mutable_ptz()->set_xaddr(ctx.ServiceUrl(kPtzPath));
  };
  ServiceBinder b = registry.Serve("tptz", std::move(d));
  b.Bind("GetServiceCapabilities", GetServiceCapabilities)
      .Bind("GetNodes", GetNodes)
      .Bind("GetNode", GetNode)
      .Bind("GetConfigurations", GetConfigurations)
      .Bind("GetConfiguration", GetConfiguration)
      .Bind("GetCompatibleConfigurations", GetCompatibleConfigurations)
      .Bind("GetConfigurationOptions", GetConfigurationOptions)
      .Bind("SetConfiguration", SetConfiguration)
      .Bind("ContinuousMove", ContinuousMove)
      .Bind("RelativeMove", RelativeMove)
      .Bind("AbsoluteMove", AbsoluteMove)
      .Bind("Stop", Stop)
      .Bind("GetStatus", GetStatus)
      .Bind("GetPresets", GetPresets)
      .Bind("SetPreset", SetPreset)
      .Bind("RemovePreset", RemovePreset)
      .Bind("GotoPreset", GotoPreset)
      .Bind("GotoHomePosition", GotoHomePosition)
      .Bind("SetHomePosition", SetHomePosition)
      .Bind("SendAuxiliaryCommand", SendAuxiliaryCommand)
      .Unsupported("The PTZ heads behind the gateway run no preset tours",
                   {"GetPresetTours", "GetPresetTour", "GetPresetTourOptions", "CreatePresetTour",
                    "ModifyPresetTour", "OperatePresetTour", "RemovePresetTour"})
      .Unsupported("The PTZ heads behind the gateway know no geographic location", {"GeoMove"})
      .Unsupported("The gateway does no tracking", {"MoveAndStartTracking"});
}

}  // namespace onvifgw::services::ptz
