#include "adapters/simulated/simulated_imaging.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;
using std::chrono::steady_clock;

v1::FloatRange Range(float min, float max) {
  v1::FloatRange range;
  range.set_min(min);
  range.set_max(max);
  return range;
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// Every check of one change: the first failure wins and is kept, so that the
// caller can test once after checking everything.
class Checker {
 public:
  void Value(bool present, float value, const v1::FloatRange& range, const char* name) {
    if (!present || !ok()) return;
    // NaN fails both comparisons' negations: refused as out of range.
    if (!(value >= range.min() && value <= range.max())) {
      error_ = std::string(name) + " must be within [" + Number(range.min()) + ", " +
               Number(range.max()) + "], not " + Number(value);
    }
  }
  template <typename Mode, typename Modes>
  void OneOf(Mode mode, const Modes& modes, const char* name,
             const std::string& (*mode_name)(Mode)) {
    if (mode == Mode{} || !ok()) return;  // UNSPECIFIED: not to change
    if (std::find(modes.begin(), modes.end(), mode) != modes.end()) return;
    error_ = std::string(name) + " must be one of the options' modes, not " +
             (mode_name(mode).empty() ? std::to_string(static_cast<int>(mode)) : mode_name(mode));
  }
  void Absent(bool present, const char* name) {
    if (present && ok()) error_ = std::string(name) + " is not a setting of this sensor";
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

const std::string& IrName(v1::IrCutFilterMode mode) { return v1::IrCutFilterMode_Name(mode); }
const std::string& AutoManualName(v1::AutoManualMode mode) { return v1::AutoManualMode_Name(mode); }
const std::string& OnOffName(v1::OnOffMode mode) { return v1::OnOffMode_Name(mode); }

void CheckLevel(Checker& check, const v1::LevelSettings& change, const v1::LevelOptions& options,
                const char* mode_name, const char* level_name) {
  check.OneOf(change.mode(), options.modes(), mode_name, &OnOffName);
  check.Value(change.has_level(), change.level(), options.level(), level_name);
}

}  // namespace

const v1::ImagingOptions& SimulatedImagingOptions() {
  static const v1::ImagingOptions kOptions = [] {
    v1::ImagingOptions o;
    *o.mutable_brightness() = Range(0, 100);
    *o.mutable_color_saturation() = Range(0, 100);
    *o.mutable_contrast() = Range(0, 100);
    *o.mutable_sharpness() = Range(0, 100);
    o.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_ON);
    o.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_OFF);
    o.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_AUTO);
    v1::ExposureOptions* exposure = o.mutable_exposure();
    exposure->add_modes(v1::AUTO_MANUAL_MODE_AUTO);
    exposure->add_modes(v1::AUTO_MANUAL_MODE_MANUAL);
    *exposure->mutable_exposure_time() = Range(10, 40000);
    *exposure->mutable_gain() = Range(0, 36);
    v1::FocusOptions* focus = o.mutable_focus();
    focus->add_auto_focus_modes(v1::AUTO_MANUAL_MODE_AUTO);
    focus->add_auto_focus_modes(v1::AUTO_MANUAL_MODE_MANUAL);
    *focus->mutable_default_speed() = Range(0, 1);
    v1::FocusMoveOptions* move = focus->mutable_move();
    *move->mutable_absolute_position() = Range(0, 1);
    *move->mutable_absolute_speed() = Range(0, 1);
    *move->mutable_relative_distance() = Range(-1, 1);
    *move->mutable_relative_speed() = Range(0, 1);
    *move->mutable_continuous_speed() = Range(-1, 1);
    for (v1::LevelOptions* level :
         {o.mutable_wide_dynamic_range(), o.mutable_backlight_compensation()}) {
      level->add_modes(v1::ON_OFF_MODE_ON);
      level->add_modes(v1::ON_OFF_MODE_OFF);
      *level->mutable_level() = Range(0, 100);
    }
    v1::WhiteBalanceOptions* white_balance = o.mutable_white_balance();
    white_balance->add_modes(v1::AUTO_MANUAL_MODE_AUTO);
    white_balance->add_modes(v1::AUTO_MANUAL_MODE_MANUAL);
    *white_balance->mutable_cr_gain() = Range(0, 255);
    *white_balance->mutable_cb_gain() = Range(0, 255);
    return o;
  }();
  return kOptions;
}

v1::ImagingSettings DefaultImagingSettings() {
  v1::ImagingSettings s;
  s.set_brightness(50);
  s.set_color_saturation(50);
  s.set_contrast(50);
  s.set_sharpness(50);
  s.set_ir_cut_filter(v1::IR_CUT_FILTER_MODE_AUTO);
  s.mutable_exposure()->set_mode(v1::AUTO_MANUAL_MODE_AUTO);
  s.mutable_exposure()->set_exposure_time(10000);
  s.mutable_exposure()->set_gain(0);
  s.mutable_focus()->set_auto_focus_mode(v1::AUTO_MANUAL_MODE_AUTO);
  s.mutable_focus()->set_default_speed(0.5F);
  for (v1::LevelSettings* level :
       {s.mutable_wide_dynamic_range(), s.mutable_backlight_compensation()}) {
    level->set_mode(v1::ON_OFF_MODE_OFF);
    level->set_level(50);
  }
  s.mutable_white_balance()->set_mode(v1::AUTO_MANUAL_MODE_AUTO);
  s.mutable_white_balance()->set_cr_gain(128);
  s.mutable_white_balance()->set_cb_gain(128);
  return s;
}

adapter_sdk::Result<v1::ImagingSettings> MergeImagingSettings(const v1::ImagingSettings& current,
                                                              const v1::ImagingSettings& change) {
  const v1::ImagingOptions& o = SimulatedImagingOptions();
  Checker check;
  check.Value(change.has_brightness(), change.brightness(), o.brightness(), "brightness");
  check.Value(change.has_color_saturation(), change.color_saturation(), o.color_saturation(),
              "color_saturation");
  check.Value(change.has_contrast(), change.contrast(), o.contrast(), "contrast");
  check.Value(change.has_sharpness(), change.sharpness(), o.sharpness(), "sharpness");
  check.OneOf(change.ir_cut_filter(), o.ir_cut_filter_modes(), "ir_cut_filter", &IrName);
  const v1::ExposureSettings& exposure = change.exposure();
  check.OneOf(exposure.mode(), o.exposure().modes(), "exposure.mode", &AutoManualName);
  check.Value(exposure.has_exposure_time(), exposure.exposure_time(), o.exposure().exposure_time(),
              "exposure.exposure_time");
  check.Value(exposure.has_gain(), exposure.gain(), o.exposure().gain(), "exposure.gain");
  check.Absent(exposure.has_iris(), "exposure.iris");
  const v1::FocusSettings& focus = change.focus();
  check.OneOf(focus.auto_focus_mode(), o.focus().auto_focus_modes(), "focus.auto_focus_mode",
              &AutoManualName);
  check.Value(focus.has_default_speed(), focus.default_speed(), o.focus().default_speed(),
              "focus.default_speed");
  check.Absent(focus.has_near_limit(), "focus.near_limit");
  check.Absent(focus.has_far_limit(), "focus.far_limit");
  CheckLevel(check, change.wide_dynamic_range(), o.wide_dynamic_range(), "wide_dynamic_range.mode",
             "wide_dynamic_range.level");
  CheckLevel(check, change.backlight_compensation(), o.backlight_compensation(),
             "backlight_compensation.mode", "backlight_compensation.level");
  const v1::WhiteBalanceSettings& white_balance = change.white_balance();
  check.OneOf(white_balance.mode(), o.white_balance().modes(), "white_balance.mode",
              &AutoManualName);
  check.Value(white_balance.has_cr_gain(), white_balance.cr_gain(), o.white_balance().cr_gain(),
              "white_balance.cr_gain");
  check.Value(white_balance.has_cb_gain(), white_balance.cb_gain(), o.white_balance().cb_gain(),
              "white_balance.cb_gain");
  if (!check.ok()) return adapter_sdk::Error{check.error()};

  // Every field is checked: an UNSPECIFIED mode and an absent value keep what is there.
  v1::ImagingSettings merged = current;
  if (change.has_brightness()) merged.set_brightness(change.brightness());
  if (change.has_color_saturation()) merged.set_color_saturation(change.color_saturation());
  if (change.has_contrast()) merged.set_contrast(change.contrast());
  if (change.has_sharpness()) merged.set_sharpness(change.sharpness());
  if (change.ir_cut_filter() != v1::IR_CUT_FILTER_MODE_UNSPECIFIED) {
    merged.set_ir_cut_filter(change.ir_cut_filter());
  }
  v1::ExposureSettings* e = merged.mutable_exposure();
  if (exposure.mode() != v1::AUTO_MANUAL_MODE_UNSPECIFIED) e->set_mode(exposure.mode());
  if (exposure.has_exposure_time()) e->set_exposure_time(exposure.exposure_time());
  if (exposure.has_gain()) e->set_gain(exposure.gain());
  v1::FocusSettings* f = merged.mutable_focus();
  if (focus.auto_focus_mode() != v1::AUTO_MANUAL_MODE_UNSPECIFIED) {
    f->set_auto_focus_mode(focus.auto_focus_mode());
  }
  if (focus.has_default_speed()) f->set_default_speed(focus.default_speed());
  auto level = [](const v1::LevelSettings& from, v1::LevelSettings* to) {
    if (from.mode() != v1::ON_OFF_MODE_UNSPECIFIED) to->set_mode(from.mode());
    if (from.has_level()) to->set_level(from.level());
  };
  level(change.wide_dynamic_range(), merged.mutable_wide_dynamic_range());
  level(change.backlight_compensation(), merged.mutable_backlight_compensation());
  v1::WhiteBalanceSettings* w = merged.mutable_white_balance();
  if (white_balance.mode() != v1::AUTO_MANUAL_MODE_UNSPECIFIED) w->set_mode(white_balance.mode());
  if (white_balance.has_cr_gain()) w->set_cr_gain(white_balance.cr_gain());
  if (white_balance.has_cb_gain()) w->set_cb_gain(white_balance.cb_gain());
  return merged;
}

SimulatedFocusLens::SimulatedFocusLens(const Clock& clock) : clock_(clock) {
  motion_.since = clock_.SteadyNow();
}

double SimulatedFocusLens::PositionAt(const Motion& m, steady_clock::time_point now) {
  if (m.rate == 0) return m.start;
  const double dt = std::max(0.0, std::chrono::duration<double>(now - m.since).count());
  const double p = m.start + m.rate * dt;
  return m.rate > 0 ? std::min(p, m.end) : std::max(p, m.end);
}

SimulatedFocusLens::Status SimulatedFocusLens::Now() const {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  const double position = PositionAt(motion_, now);
  // Moving until it is at the end of its move, so an arrival reads idle at once.
  return {position, motion_.rate != 0 && position != motion_.end};
}

void SimulatedFocusLens::GoLocked(double target, double speed, steady_clock::time_point now) {
  const double from = PositionAt(motion_, now);
  const double to = std::clamp(target, 0.0, 1.0);
  motion_ = {
      from, now,
      to == from ? 0 : (to > from ? 1 : -1) * std::clamp(speed, kMinSpeed, 1.0) * kRatePerSpeed,
      to};
}

void SimulatedFocusLens::MoveTo(double target, double speed) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  GoLocked(target, speed, now);
}

void SimulatedFocusLens::MoveBy(double distance, double speed) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  GoLocked(PositionAt(motion_, now) + distance, speed, now);
}

void SimulatedFocusLens::Continuous(double velocity) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  if (velocity == 0) {
    GoLocked(PositionAt(motion_, now), 1, now);
    return;
  }
  // Unlike a target move, a slow continuous move keeps its speed: it need not arrive.
  const double from = PositionAt(motion_, now);
  const double to = velocity > 0 ? 1.0 : 0.0;
  motion_ = {from, now, to == from ? 0 : std::clamp(velocity, -1.0, 1.0) * kRatePerSpeed, to};
}

void SimulatedFocusLens::Stop() {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  GoLocked(PositionAt(motion_, now), 1, now);
}

}  // namespace onvifgw::simulated
