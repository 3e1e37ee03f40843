#include "services/imaging/imaging_translation.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace onvifgw::services::imaging {
namespace {

soap::Fault SettingsInvalid(const std::string& reason) {
  return soap::InvalidArgVal(reason, "SettingsInvalid");
}

tt::FloatRange RangeOf(const v1::FloatRange& range) {
  tt::FloatRange r;
  r.set_min(range.min());
  r.set_max(range.max());
  return r;
}

// A value within a range the options give; `has_range` false: the setting
// does not exist.
std::optional<soap::Fault> CheckValue(float value, bool has_range, const v1::FloatRange& range,
                                      const char* what) {
  if (!has_range) return SettingsInvalid(std::string("The sensor has no ") + what + " setting");
  if (!std::isfinite(value) || value < range.min() || value > range.max()) {
    return SettingsInvalid(std::string("The ") + what + " " + std::to_string(value) +
                           " is outside " + std::to_string(range.min()) + ".." +
                           std::to_string(range.max()));
  }
  return std::nullopt;
}

template <typename List, typename Mode>
bool Offers(const List& modes, Mode mode) {
  return std::find(modes.begin(), modes.end(), mode) != modes.end();
}

v1::AutoManualMode AutoManualOf(bool manual) {
  return manual ? v1::AUTO_MANUAL_MODE_MANUAL : v1::AUTO_MANUAL_MODE_AUTO;
}
bool IsManual(v1::AutoManualMode mode) { return mode == v1::AUTO_MANUAL_MODE_MANUAL; }

v1::IrCutFilterMode IrCutOf(tt::IrCutFilterMode mode) {
  switch (mode) {
    case tt::IrCutFilterMode_ON:
      return v1::IR_CUT_FILTER_MODE_ON;
    case tt::IrCutFilterMode_OFF:
      return v1::IR_CUT_FILTER_MODE_OFF;
    default:
      return v1::IR_CUT_FILTER_MODE_AUTO;
  }
}
std::optional<tt::IrCutFilterMode> IrCutToOnvif(v1::IrCutFilterMode mode) {
  switch (mode) {
    case v1::IR_CUT_FILTER_MODE_ON:
      return tt::IrCutFilterMode_ON;
    case v1::IR_CUT_FILTER_MODE_OFF:
      return tt::IrCutFilterMode_OFF;
    case v1::IR_CUT_FILTER_MODE_AUTO:
      return tt::IrCutFilterMode_AUTO;
    default:
      return std::nullopt;
  }
}

// The Exposure20 limits and window we cannot express: a client naming them
// asks for something the options never offered.
bool HasExposureExtras(const tt::Exposure20& e) {
  return e.has_priority() || e.has_window() || e.has_minexposuretime() || e.has_maxexposuretime() ||
         e.has_mingain() || e.has_maxgain() || e.has_miniris() || e.has_maxiris();
}

std::optional<soap::Fault> CheckLevel(const v1::LevelOptions& options, bool on, bool has_level,
                                      float level, const char* what, v1::LevelSettings* out) {
  const v1::OnOffMode mode = on ? v1::ON_OFF_MODE_ON : v1::ON_OFF_MODE_OFF;
  if (options.modes().empty()) return SettingsInvalid(std::string("The sensor has no ") + what);
  if (!Offers(options.modes(), mode)) {
    return SettingsInvalid(std::string("The ") + what + " cannot be switched " +
                           (on ? "on" : "off"));
  }
  out->set_mode(mode);
  if (has_level) {
    auto f = CheckValue(level, options.has_level(), options.level(),
                        (std::string(what) + " level").c_str());
    if (f) return f;
    out->set_level(level);
  }
  return std::nullopt;
}

}  // namespace

tt::ImagingSettings20 SettingsToOnvif(const v1::ImagingSettings& s) {
  tt::ImagingSettings20 out;
  if (s.has_backlight_compensation() &&
      s.backlight_compensation().mode() != v1::ON_OFF_MODE_UNSPECIFIED) {
    auto* b = out.mutable_backlightcompensation();
    b->set_mode(s.backlight_compensation().mode() == v1::ON_OFF_MODE_ON
                    ? tt::BacklightCompensationMode_ON
                    : tt::BacklightCompensationMode_OFF);
    if (s.backlight_compensation().has_level()) b->set_level(s.backlight_compensation().level());
  }
  if (s.has_brightness()) out.set_brightness(s.brightness());
  if (s.has_color_saturation()) out.set_colorsaturation(s.color_saturation());
  if (s.has_contrast()) out.set_contrast(s.contrast());
  if (s.has_exposure() && s.exposure().mode() != v1::AUTO_MANUAL_MODE_UNSPECIFIED) {
    auto* e = out.mutable_exposure();
    e->set_mode(IsManual(s.exposure().mode()) ? tt::ExposureMode_MANUAL : tt::ExposureMode_AUTO);
    if (s.exposure().has_exposure_time()) e->set_exposuretime(s.exposure().exposure_time());
    if (s.exposure().has_gain()) e->set_gain(s.exposure().gain());
    if (s.exposure().has_iris()) e->set_iris(s.exposure().iris());
  }
  if (s.has_focus() && s.focus().auto_focus_mode() != v1::AUTO_MANUAL_MODE_UNSPECIFIED) {
    auto* f = out.mutable_focus();
    f->set_autofocusmode(IsManual(s.focus().auto_focus_mode()) ? tt::AutoFocusMode_MANUAL
                                                               : tt::AutoFocusMode_AUTO);
    if (s.focus().has_default_speed()) f->set_defaultspeed(s.focus().default_speed());
    if (s.focus().has_near_limit()) f->set_nearlimit(s.focus().near_limit());
    if (s.focus().has_far_limit()) f->set_farlimit(s.focus().far_limit());
  }
  if (auto ir = IrCutToOnvif(s.ir_cut_filter())) out.set_ircutfilter(*ir);
  if (s.has_sharpness()) out.set_sharpness(s.sharpness());
  if (s.has_wide_dynamic_range() && s.wide_dynamic_range().mode() != v1::ON_OFF_MODE_UNSPECIFIED) {
    auto* w = out.mutable_widedynamicrange();
    w->set_mode(s.wide_dynamic_range().mode() == v1::ON_OFF_MODE_ON ? tt::WideDynamicMode_ON
                                                                    : tt::WideDynamicMode_OFF);
    if (s.wide_dynamic_range().has_level()) w->set_level(s.wide_dynamic_range().level());
  }
  if (s.has_white_balance() && s.white_balance().mode() != v1::AUTO_MANUAL_MODE_UNSPECIFIED) {
    auto* w = out.mutable_whitebalance();
    w->set_mode(IsManual(s.white_balance().mode()) ? tt::WhiteBalanceMode_MANUAL
                                                   : tt::WhiteBalanceMode_AUTO);
    if (s.white_balance().has_cr_gain()) w->set_crgain(s.white_balance().cr_gain());
    if (s.white_balance().has_cb_gain()) w->set_cbgain(s.white_balance().cb_gain());
  }
  return out;
}

Expected<v1::ImagingSettings, soap::Fault> SettingsFromOnvif(const tt::ImagingSettings20& in,
                                                             const v1::ImagingOptions& o) {
  v1::ImagingSettings out;
  auto fail = [](soap::Fault f) { return MakeUnexpected(std::move(f)); };
  if (in.has_brightness()) {
    if (auto f = CheckValue(in.brightness(), o.has_brightness(), o.brightness(), "brightness")) {
      return fail(*f);
    }
    out.set_brightness(in.brightness());
  }
  if (in.has_colorsaturation()) {
    if (auto f = CheckValue(in.colorsaturation(), o.has_color_saturation(), o.color_saturation(),
                            "colour saturation")) {
      return fail(*f);
    }
    out.set_color_saturation(in.colorsaturation());
  }
  if (in.has_contrast()) {
    if (auto f = CheckValue(in.contrast(), o.has_contrast(), o.contrast(), "contrast")) {
      return fail(*f);
    }
    out.set_contrast(in.contrast());
  }
  if (in.has_sharpness()) {
    if (auto f = CheckValue(in.sharpness(), o.has_sharpness(), o.sharpness(), "sharpness")) {
      return fail(*f);
    }
    out.set_sharpness(in.sharpness());
  }
  if (in.has_ircutfilter()) {
    const v1::IrCutFilterMode mode = IrCutOf(in.ircutfilter());
    if (!Offers(o.ir_cut_filter_modes(), mode)) {
      return fail(SettingsInvalid(o.ir_cut_filter_modes().empty()
                                      ? "The sensor has no IR cut filter control"
                                      : "The IR cut filter does not take that mode"));
    }
    out.set_ir_cut_filter(mode);
  }
  if (in.has_exposure()) {
    const auto& e = in.exposure();
    const v1::ExposureOptions& eo = o.exposure();
    const v1::AutoManualMode mode = AutoManualOf(e.mode() == tt::ExposureMode_MANUAL);
    if (eo.modes().empty()) return fail(SettingsInvalid("The sensor has no exposure control"));
    if (!Offers(eo.modes(), mode)) {
      return fail(SettingsInvalid("The exposure does not take that mode"));
    }
    if (HasExposureExtras(e)) {
      return fail(SettingsInvalid(
          "The sensor takes no exposure priority, window or exposure, gain and iris limits"));
    }
    auto* x = out.mutable_exposure();
    x->set_mode(mode);
    if (e.has_exposuretime()) {
      if (auto f = CheckValue(e.exposuretime(), eo.has_exposure_time(), eo.exposure_time(),
                              "exposure time")) {
        return fail(*f);
      }
      x->set_exposure_time(e.exposuretime());
    }
    if (e.has_gain()) {
      if (auto f = CheckValue(e.gain(), eo.has_gain(), eo.gain(), "gain")) return fail(*f);
      x->set_gain(e.gain());
    }
    if (e.has_iris()) {
      if (auto f = CheckValue(e.iris(), eo.has_iris(), eo.iris(), "iris")) return fail(*f);
      x->set_iris(e.iris());
    }
  }
  if (in.has_focus()) {
    const auto& f = in.focus();
    const v1::FocusOptions& fo = o.focus();
    const v1::AutoManualMode mode = AutoManualOf(f.autofocusmode() == tt::AutoFocusMode_MANUAL);
    if (!Offers(fo.auto_focus_modes(), mode)) {
      return fail(SettingsInvalid(fo.auto_focus_modes().empty()
                                      ? "The sensor has no focus control"
                                      : "The focus does not take that mode"));
    }
    if (f.has_extension()) return fail(SettingsInvalid("The focus takes no extension"));
    auto* x = out.mutable_focus();
    x->set_auto_focus_mode(mode);
    if (f.has_defaultspeed()) {
      if (auto e = CheckValue(f.defaultspeed(), fo.has_default_speed(), fo.default_speed(),
                              "focus default speed")) {
        return fail(*e);
      }
      x->set_default_speed(f.defaultspeed());
    }
    if (f.has_nearlimit()) {
      if (auto e =
              CheckValue(f.nearlimit(), fo.has_near_limit(), fo.near_limit(), "focus near limit")) {
        return fail(*e);
      }
      x->set_near_limit(f.nearlimit());
    }
    if (f.has_farlimit()) {
      if (auto e =
              CheckValue(f.farlimit(), fo.has_far_limit(), fo.far_limit(), "focus far limit")) {
        return fail(*e);
      }
      x->set_far_limit(f.farlimit());
    }
  }
  if (in.has_widedynamicrange()) {
    const auto& w = in.widedynamicrange();
    if (auto f =
            CheckLevel(o.wide_dynamic_range(), w.mode() == tt::WideDynamicMode_ON, w.has_level(),
                       w.level(), "wide dynamic range", out.mutable_wide_dynamic_range())) {
      return fail(*f);
    }
  }
  if (in.has_backlightcompensation()) {
    const auto& b = in.backlightcompensation();
    if (auto f = CheckLevel(o.backlight_compensation(),
                            b.mode() == tt::BacklightCompensationMode_ON, b.has_level(), b.level(),
                            "backlight compensation", out.mutable_backlight_compensation())) {
      return fail(*f);
    }
  }
  if (in.has_whitebalance()) {
    const auto& w = in.whitebalance();
    const v1::WhiteBalanceOptions& wo = o.white_balance();
    const v1::AutoManualMode mode = AutoManualOf(w.mode() == tt::WhiteBalanceMode_MANUAL);
    if (!Offers(wo.modes(), mode)) {
      return fail(SettingsInvalid(wo.modes().empty()
                                      ? "The sensor has no white balance control"
                                      : "The white balance does not take that mode"));
    }
    if (w.has_extension()) return fail(SettingsInvalid("The white balance takes no extension"));
    auto* x = out.mutable_white_balance();
    x->set_mode(mode);
    if (w.has_crgain()) {
      if (auto f =
              CheckValue(w.crgain(), wo.has_cr_gain(), wo.cr_gain(), "white balance Cr gain")) {
        return fail(*f);
      }
      x->set_cr_gain(w.crgain());
    }
    if (w.has_cbgain()) {
      if (auto f =
              CheckValue(w.cbgain(), wo.has_cb_gain(), wo.cb_gain(), "white balance Cb gain")) {
        return fail(*f);
      }
      x->set_cb_gain(w.cbgain());
    }
  }
  if (in.has_extension() && in.extension().ByteSizeLong() > 0) {
    return fail(SettingsInvalid(
        "The sensor takes no image stabilization, IR cut filter auto adjustment, tone "
        "compensation, defogging or noise reduction settings"));
  }
  return out;
}

tt::ImagingOptions20 OptionsToOnvif(const v1::ImagingOptions& o) {
  tt::ImagingOptions20 out;
  if (!o.backlight_compensation().modes().empty()) {
    auto* b = out.mutable_backlightcompensation();
    for (int m : o.backlight_compensation().modes()) {
      if (m == v1::ON_OFF_MODE_UNSPECIFIED) continue;
      b->add_mode(m == v1::ON_OFF_MODE_ON ? tt::BacklightCompensationMode_ON
                                          : tt::BacklightCompensationMode_OFF);
    }
    if (o.backlight_compensation().has_level()) {
      *b->mutable_level() = RangeOf(o.backlight_compensation().level());
    }
  }
  if (o.has_brightness()) *out.mutable_brightness() = RangeOf(o.brightness());
  if (o.has_color_saturation()) *out.mutable_colorsaturation() = RangeOf(o.color_saturation());
  if (o.has_contrast()) *out.mutable_contrast() = RangeOf(o.contrast());
  if (!o.exposure().modes().empty()) {
    auto* e = out.mutable_exposure();
    for (int m : o.exposure().modes()) {
      if (m == v1::AUTO_MANUAL_MODE_UNSPECIFIED) continue;
      e->add_mode(m == v1::AUTO_MANUAL_MODE_MANUAL ? tt::ExposureMode_MANUAL
                                                   : tt::ExposureMode_AUTO);
    }
    if (o.exposure().has_exposure_time()) {
      *e->mutable_exposuretime() = RangeOf(o.exposure().exposure_time());
    }
    if (o.exposure().has_gain()) *e->mutable_gain() = RangeOf(o.exposure().gain());
    if (o.exposure().has_iris()) *e->mutable_iris() = RangeOf(o.exposure().iris());
  }
  if (!o.focus().auto_focus_modes().empty()) {
    auto* f = out.mutable_focus();
    for (int m : o.focus().auto_focus_modes()) {
      if (m == v1::AUTO_MANUAL_MODE_UNSPECIFIED) continue;
      f->add_autofocusmodes(m == v1::AUTO_MANUAL_MODE_MANUAL ? tt::AutoFocusMode_MANUAL
                                                             : tt::AutoFocusMode_AUTO);
    }
    if (o.focus().has_default_speed())
      *f->mutable_defaultspeed() = RangeOf(o.focus().default_speed());
    if (o.focus().has_near_limit()) *f->mutable_nearlimit() = RangeOf(o.focus().near_limit());
    if (o.focus().has_far_limit()) *f->mutable_farlimit() = RangeOf(o.focus().far_limit());
  }
  for (int m : o.ir_cut_filter_modes()) {
    if (auto ir = IrCutToOnvif(static_cast<v1::IrCutFilterMode>(m))) out.add_ircutfiltermodes(*ir);
  }
  if (o.has_sharpness()) *out.mutable_sharpness() = RangeOf(o.sharpness());
  if (!o.wide_dynamic_range().modes().empty()) {
    auto* w = out.mutable_widedynamicrange();
    for (int m : o.wide_dynamic_range().modes()) {
      if (m == v1::ON_OFF_MODE_UNSPECIFIED) continue;
      w->add_mode(m == v1::ON_OFF_MODE_ON ? tt::WideDynamicMode_ON : tt::WideDynamicMode_OFF);
    }
    if (o.wide_dynamic_range().has_level()) {
      *w->mutable_level() = RangeOf(o.wide_dynamic_range().level());
    }
  }
  if (!o.white_balance().modes().empty()) {
    auto* w = out.mutable_whitebalance();
    for (int m : o.white_balance().modes()) {
      if (m == v1::AUTO_MANUAL_MODE_UNSPECIFIED) continue;
      w->add_mode(m == v1::AUTO_MANUAL_MODE_MANUAL ? tt::WhiteBalanceMode_MANUAL
                                                   : tt::WhiteBalanceMode_AUTO);
    }
    // ONVIF names the options' gains YrGain and YbGain; the settings' CrGain
    // and CbGain are the same two gains.
    if (o.white_balance().has_cr_gain())
      *w->mutable_yrgain() = RangeOf(o.white_balance().cr_gain());
    if (o.white_balance().has_cb_gain())
      *w->mutable_ybgain() = RangeOf(o.white_balance().cb_gain());
  }
  return out;
}

bool HasFocusMoves(const v1::ImagingOptions& o) {
  const auto& m = o.focus().move();
  return o.focus().has_move() &&
         (m.has_absolute_position() || m.has_relative_distance() || m.has_continuous_speed());
}

tt::MoveOptions20 MoveOptionsToOnvif(const v1::ImagingOptions& o) {
  tt::MoveOptions20 out;
  if (!HasFocusMoves(o)) return out;
  const auto& m = o.focus().move();
  if (m.has_absolute_position()) {
    auto* a = out.mutable_absolute();
    *a->mutable_position() = RangeOf(m.absolute_position());
    if (m.has_absolute_speed()) *a->mutable_speed() = RangeOf(m.absolute_speed());
  }
  if (m.has_relative_distance()) {
    auto* r = out.mutable_relative();
    *r->mutable_distance() = RangeOf(m.relative_distance());
    if (m.has_relative_speed()) *r->mutable_speed() = RangeOf(m.relative_speed());
  }
  if (m.has_continuous_speed()) {
    *out.mutable_continuous()->mutable_speed() = RangeOf(m.continuous_speed());
  }
  return out;
}

Expected<v1::MoveFocusRequest, soap::Fault> FocusMoveFromOnvif(const tt::FocusMove& move,
                                                               const v1::ImagingOptions& o) {
  const int kinds = (move.has_absolute() ? 1 : 0) + (move.has_relative() ? 1 : 0) +
                    (move.has_continuous() ? 1 : 0);
  if (kinds != 1) {
    return MakeUnexpected(
        SettingsInvalid("A focus move is exactly one of Absolute, Relative and Continuous"));
  }
  const auto& m = o.focus().move();
  v1::MoveFocusRequest out;
  if (move.has_absolute()) {
    if (auto f = CheckValue(move.absolute().position(), m.has_absolute_position(),
                            m.absolute_position(), "absolute focus position")) {
      return MakeUnexpected(*f);
    }
    out.mutable_absolute()->set_position(move.absolute().position());
    if (move.absolute().has_speed()) {
      if (auto f = CheckValue(move.absolute().speed(), m.has_absolute_speed(), m.absolute_speed(),
                              "absolute focus speed")) {
        return MakeUnexpected(*f);
      }
      out.mutable_absolute()->set_speed(move.absolute().speed());
    }
  } else if (move.has_relative()) {
    if (auto f = CheckValue(move.relative().distance(), m.has_relative_distance(),
                            m.relative_distance(), "relative focus distance")) {
      return MakeUnexpected(*f);
    }
    out.mutable_relative()->set_distance(move.relative().distance());
    if (move.relative().has_speed()) {
      if (auto f = CheckValue(move.relative().speed(), m.has_relative_speed(), m.relative_speed(),
                              "relative focus speed")) {
        return MakeUnexpected(*f);
      }
      out.mutable_relative()->set_speed(move.relative().speed());
    }
  } else {
    if (auto f = CheckValue(move.continuous().speed(), m.has_continuous_speed(),
                            m.continuous_speed(), "continuous focus speed")) {
      return MakeUnexpected(*f);
    }
    out.mutable_continuous()->set_speed(move.continuous().speed());
  }
  return out;
}

tt::ImagingStatus20 StatusToOnvif(const v1::FocusStatus& status) {
  tt::ImagingStatus20 out;
  auto* f = out.mutable_focusstatus20();
  // Position is required by the schema: a lens that does not know it says 0
  // with an UNKNOWN status and the reason.
  f->set_position(status.has_position() ? status.position() : 0.0f);
  switch (status.move_status()) {
    case v1::PTZ_MOVE_STATUS_IDLE:
      f->set_movestatus(tt::MoveStatus_IDLE);
      break;
    case v1::PTZ_MOVE_STATUS_MOVING:
      f->set_movestatus(tt::MoveStatus_MOVING);
      break;
    default:
      f->set_movestatus(tt::MoveStatus_UNKNOWN);
      break;
  }
  if (!status.error().empty()) {
    f->set_error(status.error());
  } else if (f->movestatus() == tt::MoveStatus_UNKNOWN || !status.has_position()) {
    f->set_error("The lens does not report its position");
  }
  return out;
}

}  // namespace onvifgw::services::imaging
