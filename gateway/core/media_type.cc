#include "core/media_type.h"

#include <cctype>

namespace onvifgw {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A quoted string from its opening quote: the unescaped value and what
// follows the closing quote (an unterminated one runs to the end).
std::pair<std::string, std::string_view> QuotedString(std::string_view s) {
  std::string value;
  std::size_t i = 1;
  for (; i < s.size() && s[i] != '"'; ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    value.push_back(s[i]);
  }
  return {std::move(value), s.substr(i < s.size() ? i + 1 : s.size())};
}

}  // namespace

std::optional<std::string> MediaType::Parameter(std::string_view name) const {
  for (const auto& [n, v] : parameters) {
    if (n == name) return v;
  }
  return std::nullopt;
}

MediaType ParseMediaType(std::string_view value) {
  MediaType m;
  const std::size_t semi = value.find(';');
  m.type = Lower(Trim(value.substr(0, semi)));
  std::string_view rest = semi == std::string_view::npos ? "" : value.substr(semi + 1);
  while (!rest.empty()) {
    const std::size_t eq = rest.find_first_of("=;");
    if (eq == std::string_view::npos || rest[eq] == ';') {  // no value: skipped
      rest = eq == std::string_view::npos ? "" : rest.substr(eq + 1);
      continue;
    }
    std::string name = Lower(Trim(rest.substr(0, eq)));
    std::string_view after = Trim(rest.substr(eq + 1));
    std::string v;
    if (!after.empty() && after.front() == '"') {
      auto [unquoted, tail] = QuotedString(after);
      v = std::move(unquoted);
      const std::size_t next = tail.find(';');
      rest = next == std::string_view::npos ? "" : tail.substr(next + 1);
    } else {
      const std::size_t next = after.find(';');
      v = std::string(Trim(after.substr(0, next)));
      rest = next == std::string_view::npos ? "" : after.substr(next + 1);
    }
    if (!name.empty()) m.parameters.emplace_back(std::move(name), std::move(v));
  }
  return m;
}

}  // namespace onvifgw
