#include "services/ptz/ptz_configuration.h"

#include "services/xml_time.h"

namespace onvifgw::services::ptz {

namespace {

tt::Space2DDescription Space2D(std::string_view uri, float min, float max) {
  tt::Space2DDescription d;
  d.set_uri(std::string(uri));
  d.mutable_xrange()->set_min(min);
  d.mutable_xrange()->set_max(max);
  d.mutable_yrange()->set_min(min);
  d.mutable_yrange()->set_max(max);
  return d;
}

tt::Space1DDescription Space1D(std::string_view uri, float min, float max) {
  tt::Space1DDescription d;
  d.set_uri(std::string(uri));
  d.mutable_xrange()->set_min(min);
  d.mutable_xrange()->set_max(max);
  return d;
}

const media::StoredConfiguration* StoredOf(const PtzNodeEntry& node, const MediaState& state) {
  auto it = state.configurations().find(node.configuration_token);
  return it == state.configurations().end() ? nullptr : &it->second;
}

}  // namespace

tt::PTZSpaces SpacesOf(const v1::PtzNode& node) {
  tt::PTZSpaces spaces;
  if (node.pan_tilt()) {
    if (node.absolute_move()) {
      *spaces.add_absolutepantiltpositionspace() = Space2D(kPanTiltPositionSpace, -1, 1);
    }
    if (node.relative_move()) {
      *spaces.add_relativepantilttranslationspace() = Space2D(kPanTiltTranslationSpace, -1, 1);
    }
    *spaces.add_continuouspantiltvelocityspace() = Space2D(kPanTiltVelocitySpace, -1, 1);
    *spaces.add_pantiltspeedspace() = Space1D(kPanTiltSpeedSpace, 0, 1);
  }
  if (node.zoom()) {
    if (node.absolute_move())
      *spaces.add_absolutezoompositionspace() = Space1D(kZoomPositionSpace, 0, 1);
    if (node.relative_move()) {
      *spaces.add_relativezoomtranslationspace() = Space1D(kZoomTranslationSpace, -1, 1);
    }
    *spaces.add_continuouszoomvelocityspace() = Space1D(kZoomVelocitySpace, -1, 1);
    *spaces.add_zoomspeedspace() = Space1D(kZoomSpeedSpace, 0, 1);
  }
  return spaces;
}

PtzDefaults DefaultsOf(const PtzNodeEntry& node, const MediaState& state) {
  PtzDefaults d;
  if (const media::StoredConfiguration* stored = StoredOf(node, state)) {
    if (stored->ptz().has_default_speed()) {
      d.pan_speed = stored->ptz().default_pan_speed();
      d.tilt_speed = stored->ptz().default_tilt_speed();
      d.zoom_speed = stored->ptz().default_zoom_speed();
    }
    if (stored->ptz().default_timeout_ms() > 0) {
      d.timeout = std::chrono::milliseconds(stored->ptz().default_timeout_ms());
    }
  }
  return d;
}

tt::PTZNode NodeOf(const PtzNodeEntry& node) {
  tt::PTZNode n;
  n.set_token(node.token);
  n.set_name(node.node.node_id().substr(0, 64));
  *n.mutable_supportedptzspaces() = SpacesOf(node.node);
  n.set_maximumnumberofpresets(node.node.preset_slots_size());
  n.set_homesupported(node.node.home());
  for (const std::string& command : node.auxiliary_commands) n.add_auxiliarycommands(command);
  // No preset tours: the extension says so, as strict clients read it.
  n.mutable_extension()->mutable_supportedpresettour()->set_maximumnumberofpresettours(0);
  if (node.node.home()) n.set_fixedhomeposition(!node.node.settable_home());
  n.set_geomove(false);
  return n;
}

tt::PTZConfiguration ConfigurationOf(const PtzNodeEntry& node, const MediaState& state) {
  tt::PTZConfiguration c;
  const media::StoredConfiguration* stored = StoredOf(node, state);
  c.set_name(stored != nullptr && !stored->name().empty()
                 ? stored->name()
                 : (std::string("PTZ ") + node.part).substr(0, 64));
  c.set_usecount(media::UseCount(state, node.configuration_token));
  c.set_token(node.configuration_token);
  c.set_nodetoken(node.token);
  const v1::PtzNode& n = node.node;
  if (n.pan_tilt() && n.absolute_move()) {
    c.set_defaultabsolutepanttiltpositionspace(std::string(kPanTiltPositionSpace));
  }
  if (n.zoom() && n.absolute_move()) {
    c.set_defaultabsolutezoompositionspace(std::string(kZoomPositionSpace));
  }
  if (n.pan_tilt() && n.relative_move()) {
    c.set_defaultrelativepantilttranslationspace(std::string(kPanTiltTranslationSpace));
  }
  if (n.zoom() && n.relative_move()) {
    c.set_defaultrelativezoomtranslationspace(std::string(kZoomTranslationSpace));
  }
  if (n.pan_tilt()) c.set_defaultcontinuouspantiltvelocityspace(std::string(kPanTiltVelocitySpace));
  if (n.zoom()) c.set_defaultcontinuouszoomvelocityspace(std::string(kZoomVelocitySpace));
  const PtzDefaults defaults = DefaultsOf(node, state);
  if (n.pan_tilt()) {
    auto* pt = c.mutable_defaultptzspeed()->mutable_pantilt();
    pt->set_x(defaults.pan_speed);
    pt->set_y(defaults.tilt_speed);
    pt->set_space(std::string(kPanTiltSpeedSpace));
  }
  if (n.zoom()) {
    auto* z = c.mutable_defaultptzspeed()->mutable_zoom();
    z->set_x(defaults.zoom_speed);
    z->set_space(std::string(kZoomSpeedSpace));
  }
  c.set_defaultptztimeout(FormatDuration(defaults.timeout));
  // No PanTiltLimits/ZoomLimits: present, they would say the limits can be
  // configured (PTZ §5.4), and the head goes wherever it can go.
  return c;
}

tt::PTZConfigurationOptions ConfigurationOptionsOf(const PtzNodeEntry& node) {
  tt::PTZConfigurationOptions o;
  *o.mutable_spaces() = SpacesOf(node.node);
  o.mutable_ptztimeout()->set_min(FormatDuration(kMinTimeout));
  o.mutable_ptztimeout()->set_max(FormatDuration(kMaxTimeout));
  return o;
}

}  // namespace onvifgw::services::ptz
