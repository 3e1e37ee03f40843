#include "soap/xsd_lexical.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/base64.h"

namespace onvifgw::soap::xsd {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }

// Consumes exactly n digits.
bool Digits(std::string_view& s, std::size_t n) {
  if (s.size() < n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!Digit(s[i])) return false;
  }
  s.remove_prefix(n);
  return true;
}

// Consumes one or more digits.
bool SomeDigits(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && Digit(s[n])) ++n;
  s.remove_prefix(n);
  return n > 0;
}

bool Char(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

// Z, +hh:mm or -hh:mm, or nothing.
bool TimeZoneSuffix(std::string_view s) {
  if (s.empty()) return true;
  if (s == "Z") return true;
  if (s.front() != '+' && s.front() != '-') return false;
  s.remove_prefix(1);
  return Digits(s, 2) && Char(s, ':') && Digits(s, 2) && s.empty();
}

bool DatePart(std::string_view& s) {
  Char(s, '-');
  std::size_t n = 0;
  while (n < s.size() && Digit(s[n])) ++n;
  if (n < 4) return false;
  s.remove_prefix(n);
  return Char(s, '-') && Digits(s, 2) && Char(s, '-') && Digits(s, 2);
}

bool TimePart(std::string_view& s) {
  if (!(Digits(s, 2) && Char(s, ':') && Digits(s, 2) && Char(s, ':') && Digits(s, 2))) {
    return false;
  }
  if (Char(s, '.')) return SomeDigits(s);
  return true;
}

bool NameStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool NameChar(unsigned char c) { return NameStart(c) || std::isdigit(c) || c == '-' || c == '.'; }

}  // namespace

bool IsDuration(std::string_view s) {
  Char(s, '-');
  if (!Char(s, 'P') || s.empty()) return false;
  bool any = false;
  bool in_time = false;
  bool fraction_seen = false;
  const std::string_view date_units = "YMD";
  const std::string_view time_units = "HMS";
  std::size_t unit_index = 0;
  while (!s.empty()) {
    if (s.front() == 'T') {
      if (in_time) return false;
      in_time = true;
      unit_index = 0;
      s.remove_prefix(1);
      if (s.empty()) return false;
      continue;
    }
    if (!SomeDigits(s)) return false;
    bool fraction = false;
    if (Char(s, '.')) {
      if (!in_time || !SomeDigits(s)) return false;
      fraction = true;
    }
    if (s.empty()) return false;
    const std::string_view units = in_time ? time_units : date_units;
    const auto pos = units.find(s.front(), unit_index);
    if (pos == std::string_view::npos) return false;
    if (fraction && s.front() != 'S') return false;
    if (fraction_seen) return false;
    fraction_seen = fraction;
    unit_index = pos + 1;
    s.remove_prefix(1);
    any = true;
  }
  return any;
}

bool IsDateTime(std::string_view s) {
  return DatePart(s) && Char(s, 'T') && TimePart(s) && TimeZoneSuffix(s);
}

bool IsDate(std::string_view s) { return DatePart(s) && TimeZoneSuffix(s); }

bool IsTime(std::string_view s) { return TimePart(s) && TimeZoneSuffix(s); }

bool IsNCName(std::string_view s) {
  if (s.empty() || !NameStart(static_cast<unsigned char>(s.front()))) return false;
  for (char c : s) {
    if (!NameChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsQName(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos) return IsNCName(s);
  return IsNCName(s.substr(0, colon)) && IsNCName(s.substr(colon + 1));
}

bool IsAnyUri(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u == 0x7f) return false;
  }
  return true;
}

bool IsDecimal(std::string_view s) {
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  std::size_t digits = 0;
  while (!s.empty() && Digit(s.front())) {
    s.remove_prefix(1);
    ++digits;
  }
  if (Char(s, '.')) {
    while (!s.empty() && Digit(s.front())) {
      s.remove_prefix(1);
      ++digits;
    }
  }
  return s.empty() && digits > 0;
}

std::optional<double> ParseDouble(std::string_view s) {
  if (s == "INF" || s == "+INF") return HUGE_VAL;
  if (s == "-INF") return -HUGE_VAL;
  if (s == "NaN") return std::nan("");
  // Mantissa [+-]?digits(.digits)? then an optional exponent: what strtod
  // accepts besides (hex, "inf", "nan") is refused first.
  std::string_view rest = s;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) rest.remove_prefix(1);
  const auto e = rest.find_first_of("eE");
  if (!IsDecimal(rest.substr(0, e))) return std::nullopt;
  if (e != std::string_view::npos) {
    std::string_view exp = rest.substr(e + 1);
    if (!exp.empty() && (exp.front() == '+' || exp.front() == '-')) exp.remove_prefix(1);
    if (exp.empty()) return std::nullopt;
    for (char c : exp) {
      if (!Digit(c)) return std::nullopt;
    }
  }
  const std::string copy(s);
  return std::strtod(copy.c_str(), nullptr);
}

std::optional<std::string> Base64BinaryDecode(std::string_view s) {
  std::string compact;
  compact.reserve(s.size());
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
  }
  return Base64Decode(compact);
}

std::size_t CharacterCount(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace onvifgw::soap::xsd
