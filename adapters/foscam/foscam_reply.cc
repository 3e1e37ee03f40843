#include "adapters/foscam/foscam_reply.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <utility>

namespace onvifgw::foscam {
namespace {

using adapter_sdk::Error;
using adapter_sdk::Result;

constexpr size_t kMaxCameraText = 120;
constexpr size_t kMaxSnippet = 40;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsSpace(char c) { return IsBlank(c) || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(char c) { return IsAlpha(c) || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string Printable(std::string_view text, size_t limit) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    out.push_back(byte >= 0x20 && byte < 0x7f ? text[i] : '?');
  }
  if (text.size() > limit) out += "...";
  return out;
}

// The reader of a `var` reply: a cursor over the body that knows its line.
class VarReader {
 public:
  explicit VarReader(std::string_view body) : body_(body) {}

  Result<Vars> Read() {
    Vars vars;
    while (true) {
      SkipSeparators();
      if (AtEnd()) break;
      std::string name;
      std::string value;
      if (auto read = Statement(&name, &value); !read) return read.error();
      vars[std::move(name)] = std::move(value);
    }
    if (vars.empty()) return Error{"the reply holds no `var name=value;` line"};
    return vars;
  }

 private:
  bool AtEnd() const { return at_ >= body_.size(); }
  char Peek() const { return body_[at_]; }

  void SkipSeparators() {
    while (!AtEnd() && (IsSpace(Peek()) || Peek() == ';')) {
      if (Peek() == '\n') ++line_;
      ++at_;
    }
  }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(Peek())) ++at_;
  }

  Error Fail(const std::string& why) const {
    std::string_view rest = body_.substr(std::min(at_, body_.size()));
    rest = rest.substr(0, rest.find_first_of("\r\n"));
    std::string message = "line " + std::to_string(line_) + ": " + why;
    if (!rest.empty()) message += " at \"" + Printable(rest, kMaxSnippet) + "\"";
    return Error{message};
  }

  Result<void> Statement(std::string* name, std::string* value) {
    if (body_.substr(at_, 3) == "var" && at_ + 3 < body_.size() && IsBlank(body_[at_ + 3])) {
      at_ += 3;
      SkipBlanks();
    }
    if (AtEnd() || !IsNameStart(Peek())) return Fail("expected `var name=value;`");
    const size_t start = at_;
    while (!AtEnd() && IsNameChar(Peek())) ++at_;
    *name = std::string(body_.substr(start, at_ - start));
    SkipBlanks();
    if (AtEnd() || Peek() != '=') return Fail("expected '=' after " + *name);
    ++at_;
    SkipBlanks();
    if (!AtEnd() && (Peek() == '\'' || Peek() == '"')) {
      if (auto quoted = Quoted(*name, value); !quoted) return quoted;
    } else {
      const size_t value_start = at_;
      while (!AtEnd() && Peek() != ';' && Peek() != '\r' && Peek() != '\n') ++at_;
      *value = std::string(Trim(body_.substr(value_start, at_ - value_start)));
    }
    SkipBlanks();
    // The statement ends with ';', a line end or the end of the reply.
    if (!AtEnd() && Peek() != ';' && Peek() != '\r' && Peek() != '\n') {
      return Fail("unexpected text after the value of " + *name);
    }
    return {};
  }

  Result<void> Quoted(const std::string& name, std::string* value) {
    const char quote = Peek();
    ++at_;
    value->clear();
    while (true) {
      if (AtEnd() || Peek() == '\r' || Peek() == '\n') {
        return Fail("unterminated string in " + name);
      }
      char c = Peek();
      ++at_;
      if (c == quote) return {};
      if (c == '\\' && !AtEnd() && Peek() != '\r' && Peek() != '\n') {
        c = Peek();
        ++at_;
      }
      value->push_back(c);
    }
  }

  std::string_view body_;
  size_t at_ = 0;
  int line_ = 1;
};

struct RateEntry {
  uint32_t code;
  double fps;
};
// The listed videostream.cgi rate codes, fastest first (0 is full speed).
constexpr std::array<RateEntry, 12> kRates = {{{1, 20},
                                               {3, 15},
                                               {6, 10},
                                               {11, 5},
                                               {12, 4},
                                               {13, 3},
                                               {14, 2},
                                               {15, 1},
                                               {17, 1.0 / 2},
                                               {19, 1.0 / 3},
                                               {21, 1.0 / 4},
                                               {23, 1.0 / 5}}};

// Reads 1 or 2 digits at `at` into `value`; false when there are none.
bool ReadNumber(std::string_view text, size_t* at, int* value) {
  size_t digits = 0;
  *value = 0;
  while (*at < text.size() && IsDigit(text[*at]) && digits < 2) {
    *value = *value * 10 + (text[*at] - '0');
    ++*at;
    ++digits;
  }
  return digits > 0;
}

std::string TwoDigits(int64_t value) {
  std::string out = value < 10 ? "0" : "";
  out += std::to_string(value);
  return out;
}

}  // namespace

Result<Vars> ParseVars(std::string_view body) { return VarReader(body).Read(); }

Result<int64_t> IntVar(const Vars& vars, std::string_view name) {
  auto it = vars.find(name);
  if (it == vars.end()) return Error{"the reply has no " + std::string(name)};
  const std::string& text = it->second;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Error{"the reply's " + std::string(name) + " is not an integer: \"" +
                 Printable(text, kMaxSnippet) + "\""};
  }
  return value;
}

CommandReply ClassifyCommandReply(std::string_view body) {
  const std::string_view text = Trim(body);
  if (text == "ok.") return CommandReply::kOk;
  if (IsCameraError(text)) return CommandReply::kError;
  return CommandReply::kOther;
}

bool IsCameraError(std::string_view body) { return Trim(body).starts_with("error:"); }

std::string CameraText(std::string_view body) { return Printable(Trim(body), kMaxCameraText); }

uint32_t MoveCode(PtzDirection direction, bool invert_pan) {
  switch (direction) {
    case PtzDirection::kUp:
      return 0;
    case PtzDirection::kDown:
      return 2;
    case PtzDirection::kLeft:
      return invert_pan ? 6 : 4;
    case PtzDirection::kRight:
      return invert_pan ? 4 : 6;
    case PtzDirection::kUpLeft:
      return invert_pan ? 91 : 90;
    case PtzDirection::kUpRight:
      return invert_pan ? 90 : 91;
    case PtzDirection::kDownLeft:
      return invert_pan ? 93 : 92;
    case PtzDirection::kDownRight:
      return invert_pan ? 92 : 93;
  }
  return kStopCode;
}

std::optional<PtzDirection> DirectionOf(double pan, double tilt) {
  const double x = std::abs(pan) < kVelocityDeadZone ? 0.0 : pan;
  const double y = std::abs(tilt) < kVelocityDeadZone ? 0.0 : tilt;
  if (x == 0.0 && y == 0.0) return std::nullopt;
  const double degrees = std::atan2(y, x) * 180.0 / std::numbers::pi;
  const long sector = (std::lround(degrees / 45.0) + 8) % 8;
  static constexpr std::array<PtzDirection, 8> kSectors = {
      PtzDirection::kRight, PtzDirection::kUpRight,  PtzDirection::kUp,   PtzDirection::kUpLeft,
      PtzDirection::kLeft,  PtzDirection::kDownLeft, PtzDirection::kDown, PtzDirection::kDownRight};
  return kSectors[static_cast<size_t>(sector)];
}

std::optional<uint32_t> SetPresetCode(uint32_t preset) {
  if (preset < 1 || preset > kMaxPresets) return std::nullopt;
  return 30 + 2 * (preset - 1);
}

std::optional<uint32_t> GotoPresetCode(uint32_t preset) {
  if (preset < 1 || preset > kMaxPresets) return std::nullopt;
  return 31 + 2 * (preset - 1);
}

uint32_t RateCode(double fps) {
  if (!(fps > 0) || fps > kRates.front().fps) return 0;
  for (const RateEntry& rate : kRates) {
    if (fps >= rate.fps - 1e-9) return rate.code;
  }
  return kRates.back().code;
}

std::optional<double> RateFps(uint32_t code) {
  for (const RateEntry& rate : kRates) {
    if (rate.code == code) return rate.fps;
  }
  return std::nullopt;
}

std::string PosixZoneFromTz(int64_t west_seconds) {
  const int64_t magnitude = west_seconds < 0 ? -west_seconds : west_seconds;
  std::string zone = west_seconds < 0 ? "UTC-" : "UTC";
  zone += std::to_string(magnitude / 3600);
  const int64_t minutes = magnitude % 3600 / 60;
  const int64_t seconds = magnitude % 60;
  if (minutes != 0 || seconds != 0) {
    zone += ':';
    zone += TwoDigits(minutes);
  }
  if (seconds != 0) {
    zone += ':';
    zone += TwoDigits(seconds);
  }
  return zone;
}

Result<int64_t> TzFromPosixZone(std::string_view zone) {
  std::string quoted = "\"";
  quoted += Printable(zone, 64);
  quoted += '"';
  size_t at = 0;
  if (!zone.empty() && zone.front() == '<') {
    const size_t close = zone.find('>');
    if (close == std::string_view::npos || close < 2) {
      return Error{"the time zone " + quoted + " is not a POSIX TZ string (unclosed <name>)"};
    }
    at = close + 1;
  } else {
    while (at < zone.size() && IsAlpha(zone[at])) ++at;
    if (at < 3) {
      return Error{"the time zone " + quoted +
                   " is not a POSIX TZ string (a name of at least 3 letters comes first, e.g. "
                   "\"UTC0\", \"CET-1\")"};
    }
  }
  int sign = 1;
  if (at < zone.size() && (zone[at] == '+' || zone[at] == '-')) {
    sign = zone[at] == '-' ? -1 : 1;
    ++at;
  }
  int hours = 0;
  int minutes = 0;
  int seconds = 0;
  if (!ReadNumber(zone, &at, &hours)) {
    return Error{"the time zone " + quoted + " has no UTC offset (e.g. \"UTC0\", \"EST5\")"};
  }
  if (at < zone.size() && zone[at] == ':') {
    ++at;
    if (!ReadNumber(zone, &at, &minutes) || minutes > 59) {
      return Error{"the time zone " + quoted + " has an invalid offset"};
    }
    if (at < zone.size() && zone[at] == ':') {
      ++at;
      if (!ReadNumber(zone, &at, &seconds) || seconds > 59) {
        return Error{"the time zone " + quoted + " has an invalid offset"};
      }
    }
  }
  if (at != zone.size()) {
    return Error{"the time zone " + quoted +
                 " has daylight saving rules the camera cannot express (it keeps one fixed offset "
                 "from UTC)"};
  }
  const int64_t west = sign * (int64_t{hours} * 3600 + minutes * 60 + seconds);
  if (west < kMinTz || west > kMaxTz) {
    return Error{"the time zone " + quoted +
                 " is beyond the offsets the camera takes (UTC-12 to UTC+14)"};
  }
  return west;
}

}  // namespace onvifgw::foscam
