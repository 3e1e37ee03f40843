#include "services/device/posix_time_zone.h"

#include <cctype>

#include "services/device/civil_time.h"

namespace onvifgw::services::device {
namespace {

// A cursor over the TZ string; every Read* consumes only on success.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool Done() const { return i_ == s_.size(); }
  std::size_t position() const { return i_; }
  char Peek() const { return Done() ? '\0' : s_[i_]; }
  bool Take(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }

  // std/dst: three or more letters, or <...> of three or more letters,
  // digits, '+' and '-'.
  bool ReadName() {
    if (Take('<')) {
      std::size_t n = 0;
      while (!Done() &&
             (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '+' || Peek() == '-')) {
        ++i_;
        ++n;
      }
      return n >= 3 && Take('>');
    }
    std::size_t n = 0;
    while (!Done() && std::isalpha(static_cast<unsigned char>(Peek()))) {
      ++i_;
      ++n;
    }
    return n >= 3;
  }

  // Up to `max_digits` decimal digits (at least one).
  std::optional<int> ReadNumber(int max_digits) {
    int value = 0, n = 0;
    while (n < max_digits && std::isdigit(static_cast<unsigned char>(Peek()))) {
      value = value * 10 + (Peek() - '0');
      ++i_;
      ++n;
    }
    if (n == 0) return std::nullopt;
    return value;
  }

  // [+|-]hh[:mm[:ss]] in seconds, hours at most `max_hours`.
  std::optional<int64_t> ReadTime(int max_hours) {
    int64_t sign = 1;
    if (Take('-')) {
      sign = -1;
    } else {
      Take('+');
    }
    auto h = ReadNumber(3);
    if (!h || *h > max_hours) return std::nullopt;
    int64_t seconds = int64_t{*h} * 3600;
    if (Take(':')) {
      auto m = ReadNumber(2);
      if (!m || *m > 59) return std::nullopt;
      seconds += int64_t{*m} * 60;
      if (Take(':')) {
        auto sec = ReadNumber(2);
        if (!sec || *sec > 59) return std::nullopt;
        seconds += *sec;
      }
    }
    return sign * seconds;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<PosixTimeZone> PosixTimeZone::Parse(std::string_view text) {
  Reader r(text);
  PosixTimeZone z;
  if (!r.ReadName()) return std::nullopt;
  auto std_offset = r.ReadTime(24);
  if (!std_offset) return std::nullopt;
  z.std_offset_ = *std_offset;
  z.standard_part_ = std::string(text.substr(0, r.position()));
  if (r.Done()) return z;
  if (!r.ReadName()) return std::nullopt;
  z.has_dst_ = true;
  z.dst_offset_ = z.std_offset_ - 3600;  // one hour ahead unless given
  if (r.Peek() != ',' && !r.Done()) {
    auto dst_offset = r.ReadTime(24);
    if (!dst_offset) return std::nullopt;
    z.dst_offset_ = *dst_offset;
  }
  if (r.Done()) {
    // No rule: the US rules POSIX leaves to the implementation (glibc's
    // default, "M3.2.0,M11.1.0").
    z.start_ = Rule{Rule::Kind::kMonthWeekDay, 0, 3, 2, 0, 2 * 3600};
    z.end_ = Rule{Rule::Kind::kMonthWeekDay, 0, 11, 1, 0, 2 * 3600};
    return z;
  }
  auto read_rule = [&r](Rule& rule) -> bool {
    if (!r.Take(',')) return false;
    if (r.Take('J')) {
      auto n = r.ReadNumber(3);
      if (!n || *n < 1 || *n > 365) return false;
      rule.kind = Rule::Kind::kJulian1;
      rule.day = *n;
    } else if (r.Take('M')) {
      auto m = r.ReadNumber(2);
      if (!m || *m < 1 || *m > 12 || !r.Take('.')) return false;
      auto w = r.ReadNumber(1);
      if (!w || *w < 1 || *w > 5 || !r.Take('.')) return false;
      auto d = r.ReadNumber(1);
      if (!d || *d > 6) return false;
      rule.kind = Rule::Kind::kMonthWeekDay;
      rule.month = *m;
      rule.week = *w;
      rule.weekday = *d;
    } else {
      auto n = r.ReadNumber(3);
      if (!n || *n > 365) return false;
      rule.kind = Rule::Kind::kJulian0;
      rule.day = *n;
    }
    rule.time = 2 * 3600;
    if (r.Take('/')) {
      auto t = r.ReadTime(167);
      if (!t) return false;
      rule.time = *t;
    }
    return true;
  };
  if (!read_rule(z.start_) || !read_rule(z.end_) || !r.Done()) return std::nullopt;
  return z;
}

int64_t PosixTimeZone::LocalTransition(const Rule& rule, int64_t year) {
  int64_t day = 0;  // days since the epoch
  switch (rule.kind) {
    case Rule::Kind::kJulian1:
      // Day 1..365, February 29 never counted.
      day = DaysFromCivil(year, 1, 1) + rule.day - 1 + (IsLeapYear(year) && rule.day >= 60 ? 1 : 0);
      break;
    case Rule::Kind::kJulian0:
      day = DaysFromCivil(year, 1, 1) + rule.day;
      break;
    case Rule::Kind::kMonthWeekDay: {
      const int64_t first = DaysFromCivil(year, rule.month, 1);
      const int64_t first_weekday = ((first % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
      int64_t mday = 1 + ((rule.weekday - first_weekday) % 7 + 7) % 7 + 7 * (rule.week - 1);
      while (mday > DaysInMonth(year, rule.month)) mday -= 7;  // week 5: the last
      day = first + mday - 1;
      break;
    }
  }
  return day * 86400 + rule.time;
}

int64_t PosixTimeZone::LocalOffsetAt(int64_t utc, bool daylight_savings) const {
  if (!has_dst_ || !daylight_savings) return -std_offset_;
  const int64_t year = CivilFromDays(FloorDiv(utc - std_offset_, 86400)).year;
  // Transitions in UTC: the start is given in standard time, the end in
  // daylight time.
  const int64_t start = LocalTransition(start_, year) + std_offset_;
  const int64_t end = LocalTransition(end_, year) + dst_offset_;
  const bool dst = start < end ? (utc >= start && utc < end) : (utc >= start || utc < end);
  return -(dst ? dst_offset_ : std_offset_);
}

}  // namespace onvifgw::services::device
