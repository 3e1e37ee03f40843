#include "adapters/vapix/vapix_params.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace onvifgw::vapix {
namespace {

using adapter_sdk::Error;
using adapter_sdk::Result;

constexpr std::string_view kRootPrefix = "root.";
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
// Sizes no camera exceeds; anything larger is a misread.
constexpr uint32_t kMaxImageSide = 16384;
// A POSIX offset is at most 24 hours (POSIX 1003.1, TZ).
constexpr int kMaxZoneHours = 24;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

std::string_view StripRoot(std::string_view name) {
  if (name.starts_with(kRootPrefix)) name.remove_prefix(kRootPrefix.size());
  return name;
}

template <typename T>
bool ParseInteger(std::string_view text, T* value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool ParseDouble(std::string_view text, double* value) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty() &&
         std::isfinite(*value);
}

// The first '...'-quoted text of `line`, without `root.`.
std::string FirstQuoted(std::string_view line) {
  const size_t open = line.find('\'');
  if (open == std::string_view::npos) return {};
  const size_t close = line.find('\'', open + 1);
  if (close == std::string_view::npos) return {};
  return std::string(StripRoot(line.substr(open + 1, close - open - 1)));
}

// The error lines of `body`, as the camera wrote them; empty when none.
std::string ErrorLines(std::string_view body) {
  std::string errors;
  for (std::string_view line : Lines(body)) {
    if (!IsErrorLine(line)) continue;
    if (!errors.empty()) errors += "\n";
    errors += Trim(line);
  }
  return errors;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[static_cast<size_t>(month - 1)];
}

// A small cursor over a line, for the fixed formats VAPIX writes.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool Done() const { return text_.empty(); }
  void SkipSpaces() {
    while (!text_.empty() && text_.front() == ' ') text_.remove_prefix(1);
  }
  bool Literal(char c) {
    if (text_.empty() || text_.front() != c) return false;
    text_.remove_prefix(1);
    return true;
  }
  // 1 to `max_digits` decimal digits.
  bool Number(int max_digits, int* value) {
    size_t n = 0;
    while (n < text_.size() && n < static_cast<size_t>(max_digits) &&
           std::isdigit(static_cast<unsigned char>(text_[n]))) {
      ++n;
    }
    if (n == 0 || !ParseInteger(text_.substr(0, n), value)) return false;
    text_.remove_prefix(n);
    return true;
  }
  std::string_view Take(size_t n) {
    std::string_view taken = text_.substr(0, n);
    text_.remove_prefix(taken.size());
    return taken;
  }
  std::string_view rest() const { return text_; }

 private:
  std::string_view text_;
};

}  // namespace

// ------------------------------------------------------------------------------ Text helpers

std::vector<std::string_view> Lines(std::string_view body) {
  std::vector<std::string_view> lines;
  while (!body.empty()) {
    const size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return lines;
}

bool IsErrorLine(std::string_view line) {
  line = Trim(line);
  if (line.starts_with('#')) {
    line.remove_prefix(1);
    line = Trim(line);
    return StartsWithIgnoreCase(line, "error");
  }
  return StartsWithIgnoreCase(line, "error") || StartsWithIgnoreCase(line, "request failed");
}

std::string CameraText(std::string_view body) {
  std::string text;
  for (std::string_view line : Lines(body)) {
    line = Trim(line);
    if (line.empty()) continue;
    if (!text.empty()) text += " / ";
    text += line;
  }
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) c = '?';
  }
  if (text.size() > kMaxCameraText) {
    text.resize(kMaxCameraText);
    text += "...";
  }
  return text;
}

bool ListContains(std::string_view list, std::string_view item) {
  while (true) {
    const size_t comma = list.find(',');
    if (EqualsIgnoreCase(Trim(list.substr(0, comma)), item)) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
}

std::string FormatNumber(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

// ------------------------------------------------------------------------------- CGI paths

std::string_view CgiPath(Cgi cgi, bool vapix3) {
  switch (cgi) {
    case Cgi::kParam:
      return vapix3 ? "/axis-cgi/param.cgi" : "/axis-cgi/operator/param.cgi";
    case Cgi::kDate:
      return vapix3 ? "/axis-cgi/date.cgi" : "/axis-cgi/admin/date.cgi";
    case Cgi::kRestart:
      return vapix3 ? "/axis-cgi/restart.cgi" : "/axis-cgi/admin/restart.cgi";
    case Cgi::kFactoryDefault:
      return vapix3 ? "/axis-cgi/factorydefault.cgi" : "/axis-cgi/admin/factorydefault.cgi";
    case Cgi::kHardFactoryDefault:
      return "/axis-cgi/hardfactorydefault.cgi";
    case Cgi::kSystemLog:
      return vapix3 ? "/axis-cgi/systemlog.cgi" : "/axis-cgi/admin/systemlog.cgi";
    case Cgi::kFirmwareUpgrade:
      return "/axis-cgi/firmwareupgrade.cgi";
    case Cgi::kSnapshot:
      return "/axis-cgi/jpg/image.cgi";
    case Cgi::kMjpeg:
      return "/axis-cgi/mjpg/video.cgi";
    case Cgi::kPtz:
      return "/axis-cgi/com/ptz.cgi";
    case Cgi::kPort:
      return "/axis-cgi/io/port.cgi";
    case Cgi::kMotionData:
      return "/axis-cgi/motion/motiondata.cgi";
  }
  return "/";
}

// ---------------------------------------------------------------------------- param.cgi list

const std::string* ParamList::Find(std::string_view name) const {
  auto it = values.find(StripRoot(name));
  return it == values.end() ? nullptr : &it->second;
}

std::string ParamList::Get(std::string_view name, std::string_view fallback) const {
  const std::string* value = Find(name);
  return value != nullptr ? *value : std::string(fallback);
}

bool ParamList::HasGroup(std::string_view group) const {
  group = StripRoot(group);
  const std::string prefix = std::string(group) + ".";
  auto it = values.lower_bound(prefix);
  return values.contains(group) || (it != values.end() && it->first.starts_with(prefix));
}

const ParamError* ParamList::ErrorFor(std::string_view group) const {
  group = StripRoot(group);
  for (const ParamError& error : errors) {
    const std::string_view subject = error.subject;
    if (subject.empty()) continue;
    if (subject == group || (subject.starts_with(group) && subject[group.size()] == '.') ||
        (group.starts_with(subject) && group[subject.size()] == '.')) {
      return &error;
    }
  }
  return nullptr;
}

ParamList ParseParamList(std::string_view body) {
  ParamList list;
  for (std::string_view line : Lines(body)) {
    if (Trim(line).empty()) continue;
    if (IsErrorLine(line)) {
      std::string_view text = Trim(line);
      if (text.starts_with('#')) {
        text.remove_prefix(1);
        text = Trim(text);
        // "# Error: ..." -> "...": the camera repeats "Error" in the text itself.
        if (StartsWithIgnoreCase(text, "error:")) text = Trim(text.substr(6));
      }
      list.errors.push_back({FirstQuoted(line), std::string(text)});
      continue;
    }
    const size_t equals = line.find('=');
    const std::string_view name = equals == std::string_view::npos
                                      ? std::string_view()
                                      : StripRoot(Trim(line.substr(0, equals)));
    if (name.empty() || name.find(' ') != std::string_view::npos) {
      list.other_lines.emplace_back(line);
      continue;
    }
    list.values[std::string(name)] = std::string(line.substr(equals + 1));
  }
  return list;
}

Result<ParamList> ParseParamListStrict(std::string_view body) {
  ParamList list = ParseParamList(body);
  if (!list.errors.empty()) {
    std::string message;
    for (const ParamError& error : list.errors) {
      if (!message.empty()) message += "; ";
      message += error.subject.empty() ? "the camera refused the request"
                                       : "the camera refused group '" + error.subject + "'";
      message += " (" + CameraText(error.text) + ")";
    }
    return Error{message};
  }
  if (list.values.empty()) {
    return Error{"not a parameter list: \"" + CameraText(body) + "\""};
  }
  return list;
}

// ------------------------------------------------------------------------- Commands and pairs

Result<void> CheckControlReply(unsigned status, std::string_view body) {
  if (status == 204) return {};
  if (std::string errors = ErrorLines(body); !errors.empty()) {
    return Error{CameraText(errors)};
  }
  const std::string_view text = Trim(body);
  if (text.empty() || EqualsIgnoreCase(text, "OK")) return {};
  return Error{"unexpected reply \"" + CameraText(body) + "\""};
}

Result<void> CheckNoErrorReply(std::string_view body) {
  if (std::string errors = ErrorLines(body); !errors.empty()) {
    return Error{CameraText(errors)};
  }
  return {};
}

Result<KeyValues> ParseKeyValues(std::string_view body) {
  if (std::string errors = ErrorLines(body); !errors.empty()) {
    return Error{CameraText(errors)};
  }
  KeyValues pairs;
  for (std::string_view line : Lines(body)) {
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = Trim(line.substr(0, equals));
    if (key.empty()) continue;
    pairs[std::string(key)] = std::string(Trim(line.substr(equals + 1)));
  }
  return pairs;
}

// ---------------------------------------------------------------------------------- I/O ports

Result<std::map<uint32_t, bool>> ParsePortActive(std::string_view body) {
  auto pairs = ParseKeyValues(body);
  if (!pairs) return pairs.error();
  std::map<uint32_t, bool> ports;
  for (const auto& [key, value] : *pairs) {
    uint32_t port = 0;
    if (!key.starts_with("port") || !ParseInteger(std::string_view(key).substr(4), &port)) {
      continue;
    }
    if (value == "active") {
      ports[port] = true;
    } else if (value == "inactive") {
      ports[port] = false;
    } else {
      return Error{"port " + std::to_string(port) + " is neither active nor inactive: \"" +
                   CameraText(value) + "\""};
    }
  }
  if (ports.empty()) return Error{"no port state in \"" + CameraText(body) + "\""};
  return ports;
}

std::vector<IoPort> IoPortsFromParams(const ParamList& params) {
  struct Fields {
    std::string direction, input_name, input_trig, output_name, output_active;
  };
  std::map<uint32_t, Fields> by_index;
  constexpr std::string_view kPrefix = "IOPort.I";
  for (auto it = params.values.lower_bound(kPrefix);
       it != params.values.end() && it->first.starts_with(kPrefix); ++it) {
    std::string_view rest = std::string_view(it->first).substr(kPrefix.size());
    const size_t dot = rest.find('.');
    uint32_t index = 0;
    if (dot == std::string_view::npos || !ParseInteger(rest.substr(0, dot), &index)) continue;
    const std::string_view field = rest.substr(dot + 1);
    Fields& fields = by_index[index];
    if (field == "Direction") fields.direction = it->second;
    if (field == "Input.Name") fields.input_name = it->second;
    if (field == "Input.Trig") fields.input_trig = it->second;
    if (field == "Output.Name") fields.output_name = it->second;
    if (field == "Output.Active") fields.output_active = it->second;
  }
  std::vector<IoPort> ports;
  for (const auto& [index, fields] : by_index) {
    if (fields.direction != "input" && fields.direction != "output") continue;
    IoPort port;
    port.number = index + 1;
    port.output = fields.direction == "output";
    port.name = port.output ? fields.output_name : fields.input_name;
    port.active_closed = (port.output ? fields.output_active : fields.input_trig) != "open";
    ports.push_back(std::move(port));
  }
  return ports;
}

// ----------------------------------------------------------------------------------- Video

std::vector<Resolution> ParseResolutions(std::string_view list) {
  std::vector<Resolution> resolutions;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = Trim(list.substr(0, comma));
    const size_t x = item.find_first_of("xX");
    Resolution size;
    if (x != std::string_view::npos && ParseInteger(item.substr(0, x), &size.width) &&
        ParseInteger(item.substr(x + 1), &size.height) && size.width > 0 && size.height > 0 &&
        size.width <= kMaxImageSide && size.height <= kMaxImageSide) {
      resolutions.push_back(size);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return resolutions;
}

std::optional<Resolution> LargestResolution(const std::vector<Resolution>& resolutions) {
  std::optional<Resolution> largest;
  for (const Resolution& size : resolutions) {
    if (!largest ||
        uint64_t{size.width} * size.height > uint64_t{largest->width} * largest->height) {
      largest = size;
    }
  }
  return largest;
}

// ------------------------------------------------------------------------------------ Clock

Result<CivilTime> ParseCameraDate(std::string_view body) {
  if (std::string errors = ErrorLines(body); !errors.empty()) {
    return Error{CameraText(errors)};
  }
  std::string_view line;
  for (std::string_view candidate : Lines(body)) {
    if (!Trim(candidate).empty()) {
      line = Trim(candidate);
      break;
    }
  }
  const Error bad{"not a date as date.cgi writes it (\"Jul 24, 2013 19:19:17\"): \"" +
                  CameraText(body) + "\""};
  Cursor cursor(line);
  CivilTime time;
  const std::string_view month = cursor.Take(3);
  auto found = std::find_if(kMonths.begin(), kMonths.end(),
                            [&](std::string_view name) { return EqualsIgnoreCase(name, month); });
  if (found == kMonths.end()) return bad;
  time.month = static_cast<int>(found - kMonths.begin()) + 1;
  cursor.SkipSpaces();
  if (!cursor.Number(2, &time.day) || !cursor.Literal(',')) return bad;
  cursor.SkipSpaces();
  if (!cursor.Number(4, &time.year)) return bad;
  cursor.SkipSpaces();
  if (!cursor.Number(2, &time.hour) || !cursor.Literal(':') || !cursor.Number(2, &time.minute) ||
      !cursor.Literal(':') || !cursor.Number(2, &time.second)) {
    return bad;
  }
  cursor.SkipSpaces();
  if (!cursor.Done() || time.year < 1970 || time.day < 1 ||
      time.day > DaysInMonth(time.year, time.month) || time.hour > 23 || time.minute > 59 ||
      time.second > 60) {
    return bad;
  }
  return time;
}

// Days from civil, after H. Hinnant's public-domain algorithm.
int64_t CivilToEpoch(const CivilTime& time) {
  const int64_t year = time.year - (time.month <= 2 ? 1 : 0);
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t month = time.month;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + time.day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  const int64_t days = era * 146097 + day_of_era - 719468;
  return days * 86400 + time.hour * 3600 + time.minute * 60 + time.second;
}

CivilTime EpochToCivil(int64_t seconds) {
  int64_t days = seconds / 86400;
  int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  CivilTime time;
  time.day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  time.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  time.year = static_cast<int>(year_of_era + era * 400 + (time.month <= 2 ? 1 : 0));
  time.hour = static_cast<int>(rest / 3600);
  time.minute = static_cast<int>(rest % 3600 / 60);
  time.second = static_cast<int>(rest % 60);
  return time;
}

Result<int32_t> PosixZoneOffset(std::string_view zone) {
  // Appended piece by piece: GCC 12's -Wrestrict misfires on "\"" + std::string at -O3.
  std::string message = "\"";
  message += CameraText(zone);
  message += "\" is not a POSIX time zone such as UTC0, CET-1 or <+0530>-5:30";
  const Error bad{std::move(message)};
  Cursor cursor(zone);
  // The name: three or more letters, or <...> with letters, digits, '+' and '-'.
  if (cursor.Literal('<')) {
    const size_t close = cursor.rest().find('>');
    if (close == std::string_view::npos || close < 3) return bad;
    for (char c : cursor.Take(close)) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-') return bad;
    }
    cursor.Literal('>');
  } else {
    size_t letters = 0;
    while (letters < cursor.rest().size() &&
           std::isalpha(static_cast<unsigned char>(cursor.rest()[letters]))) {
      ++letters;
    }
    if (letters < 3) return bad;
    cursor.Take(letters);
  }
  int sign = 1;
  if (cursor.Literal('-')) {
    sign = -1;
  } else {
    cursor.Literal('+');
  }
  int hours = 0, minutes = 0, seconds = 0;
  if (!cursor.Number(2, &hours)) return bad;
  if (cursor.Literal(':')) {
    if (!cursor.Number(2, &minutes) || minutes > 59) return bad;
    if (cursor.Literal(':') && (!cursor.Number(2, &seconds) || seconds > 59)) return bad;
  }
  if (hours > kMaxZoneHours) return bad;
  if (!cursor.Done()) {
    return Error{"time zone \"" + CameraText(zone) +
                 "\" has a daylight saving part, which this adapter does not support yet (only "
                 "fixed offsets such as UTC0 or CET-1)"};
  }
  // POSIX offsets count west of Greenwich.
  return static_cast<int32_t>(-sign * (hours * 3600 + minutes * 60 + seconds));
}

// -------------------------------------------------------------------------------------- PTZ

Result<PtzLimits> ParsePtzLimits(std::string_view body) {
  auto pairs = ParseKeyValues(body);
  if (!pairs) return pairs.error();
  auto range = [&](std::string_view min_key, std::string_view max_key) -> std::optional<Range> {
    auto low = pairs->find(min_key);
    auto high = pairs->find(max_key);
    Range r;
    if (low == pairs->end() || high == pairs->end() || !ParseDouble(low->second, &r.min) ||
        !ParseDouble(high->second, &r.max) || r.min >= r.max) {
      return std::nullopt;
    }
    return r;
  };
  PtzLimits limits;
  limits.pan = range("MinPan", "MaxPan");
  limits.tilt = range("MinTilt", "MaxTilt");
  limits.zoom = range("MinZoom", "MaxZoom");
  return limits;
}

Result<PtzPosition> ParsePtzPosition(std::string_view body) {
  auto pairs = ParseKeyValues(body);
  if (!pairs) return pairs.error();
  PtzPosition position;
  for (auto [key, field] :
       {std::pair<std::string_view, std::optional<double>*>{"pan", &position.pan},
        {"tilt", &position.tilt},
        {"zoom", &position.zoom}}) {
    auto it = pairs->find(key);
    if (it == pairs->end()) continue;
    double value = 0;
    if (!ParseDouble(it->second, &value)) {
      return Error{"the position's " + std::string(key) + " is not a number: \"" +
                   CameraText(it->second) + "\""};
    }
    *field = value;
  }
  return position;
}

std::optional<Range> ParseFocusLimits(std::string_view body) {
  auto pairs = ParseKeyValues(body);
  if (!pairs) return std::nullopt;
  auto low = pairs->find("MinFocus");
  auto high = pairs->find("MaxFocus");
  Range r;
  if (low == pairs->end() || high == pairs->end() || !ParseDouble(low->second, &r.min) ||
      !ParseDouble(high->second, &r.max) || r.min >= r.max) {
    return std::nullopt;
  }
  return r;
}

Result<FocusPosition> ParseFocusPosition(std::string_view body) {
  auto pairs = ParseKeyValues(body);
  if (!pairs) return pairs.error();
  FocusPosition position;
  if (auto it = pairs->find("focus"); it != pairs->end()) {
    double value = 0;
    if (!ParseDouble(it->second, &value)) {
      return Error{"the position's focus is not a number: \"" + CameraText(it->second) + "\""};
    }
    position.focus = value;
  }
  if (auto it = pairs->find("autofocus"); it != pairs->end()) {
    if (EqualsIgnoreCase(it->second, "on")) {
      position.autofocus = true;
    } else if (EqualsIgnoreCase(it->second, "off")) {
      position.autofocus = false;
    }
  }
  return position;
}

Result<std::vector<uint32_t>> ParsePresetNumbers(std::string_view body) {
  auto pairs = ParseKeyValues(body);
  if (!pairs) return pairs.error();
  constexpr std::string_view kKey = "presetposno";
  std::vector<uint32_t> numbers;
  for (const auto& [key, name] : *pairs) {
    uint32_t number = 0;
    if (key.starts_with(kKey) && ParseInteger(std::string_view(key).substr(kKey.size()), &number)) {
      numbers.push_back(number);
    }
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

// ----------------------------------------------------------------------------------- Motion

std::optional<MotionRecord> ParseMotionRecord(std::string_view line) {
  MotionRecord record;
  bool level = false;
  bool threshold = false;
  line = Trim(line);
  while (!line.empty()) {
    const size_t semicolon = line.find(';');
    const std::string_view field = Trim(line.substr(0, semicolon));
    line = semicolon == std::string_view::npos ? std::string_view() : line.substr(semicolon + 1);
    const size_t equals = field.find('=');
    if (equals == std::string_view::npos) {
      if (field.empty()) continue;
      return std::nullopt;
    }
    const std::string_view key = Trim(field.substr(0, equals));
    const std::string_view value = Trim(field.substr(equals + 1));
    if (key == "group" && !ParseInteger(value, &record.group)) return std::nullopt;
    if (key == "level") {
      if (!ParseInteger(value, &record.level)) return std::nullopt;
      level = true;
    }
    if (key == "threshold") {
      if (!ParseInteger(value, &record.threshold)) return std::nullopt;
      threshold = true;
    }
  }
  if (!level || !threshold) return std::nullopt;
  return record;
}

}  // namespace onvifgw::vapix
