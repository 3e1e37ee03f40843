#include "services/xml_time.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace onvifgw::services {
namespace {

bool ReadInt(std::string_view& s, int digits, int* out) {
  if (s.size() < static_cast<std::size_t>(digits)) return false;
  int v = 0;
  for (int i = 0; i < digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  s.remove_prefix(digits);
  *out = v;
  return true;
}

bool Expect(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

std::string FormatDateTime(Clock::time_point t) {
  const std::time_t tt = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<Clock::time_point> ParseDateTime(std::string_view s) {
  std::tm tm{};
  int year, mon, day, hour, min, sec;
  if (!ReadInt(s, 4, &year) || !Expect(s, '-') || !ReadInt(s, 2, &mon) || !Expect(s, '-') ||
      !ReadInt(s, 2, &day) || !Expect(s, 'T') || !ReadInt(s, 2, &hour) || !Expect(s, ':') ||
      !ReadInt(s, 2, &min) || !Expect(s, ':') || !ReadInt(s, 2, &sec)) {
    return std::nullopt;
  }
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 24 || min > 59 || sec > 60) {
    return std::nullopt;
  }
  std::chrono::milliseconds frac{0};
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    int scale = 100;
    bool any = false;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) {
      frac += std::chrono::milliseconds((s.front() - '0') * scale);
      scale /= 10;
      s.remove_prefix(1);
      any = true;
    }
    if (!any) return std::nullopt;
  }
  int offset_min = 0;
  if (!s.empty() && s.front() == 'Z') {
    s.remove_prefix(1);
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    const int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh, om;
    if (!ReadInt(s, 2, &oh) || !Expect(s, ':') || !ReadInt(s, 2, &om)) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
  }
  if (!s.empty()) return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  const std::time_t t = timegm(&tm);
  return Clock::from_time_t(t) - std::chrono::minutes(offset_min) + frac;
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view s) {
  if (!Expect(s, 'P') || s.empty()) return std::nullopt;
  double total_ms = 0;
  bool in_time = false;
  bool any = false;
  while (!s.empty()) {
    if (s.front() == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      s.remove_prefix(1);
      continue;
    }
    std::size_t n = 0;
    while (n < s.size() && (std::isdigit(static_cast<unsigned char>(s[n])) || s[n] == '.')) ++n;
    if (n == 0 || n == s.size()) return std::nullopt;
    const double v = std::strtod(std::string(s.substr(0, n)).c_str(), nullptr);
    const char unit = s[n];
    s.remove_prefix(n + 1);
    any = true;
    if (!in_time && unit == 'D') {
      total_ms += v * 86400000.0;
    } else if (in_time && unit == 'H') {
      total_ms += v * 3600000.0;
    } else if (in_time && unit == 'M') {
      total_ms += v * 60000.0;
    } else if (in_time && unit == 'S') {
      total_ms += v * 1000.0;
    } else {
      return std::nullopt;  // years and months have no fixed length
    }
  }
  if (!any || total_ms > 1e12) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(total_ms));
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const long long ms = std::max<long long>(0, d.count());
  std::string out = "PT" + std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03lld", ms % 1000);
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "S";
}

std::optional<Clock::time_point> ParseAbsoluteOrRelative(std::string_view text,
                                                         Clock::time_point now) {
  if (!text.empty() && text.front() == 'P') {
    auto d = ParseDuration(text);
    if (!d) return std::nullopt;
    return now + *d;
  }
  return ParseDateTime(text);
}

}  // namespace onvifgw::services
