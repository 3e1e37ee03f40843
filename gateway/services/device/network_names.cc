#include "services/device/network_names.h"

#include <arpa/inet.h>

#include <cctype>
#include <string>

namespace onvifgw::services::device {
namespace {

bool Parses(int family, std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  const std::string s(text);  // inet_pton needs a terminated string
  unsigned char buf[16];
  return inet_pton(family, s.c_str(), buf) == 1;
}

}  // namespace

bool IsHostName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  bool only_digits_and_dots = true;
  std::size_t label = 0;
  char previous = '.';
  for (char c : name) {
    const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (c == '.') {
      if (label == 0 || previous == '-') return false;
      label = 0;
    } else if (alnum || c == '-') {
      if (c == '-' && label == 0) return false;
      if (++label > 63) return false;
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) only_digits_and_dots = false;
    } else {
      return false;
    }
    previous = c;
  }
  return previous != '-' && !only_digits_and_dots;
}

bool IsIpv4Address(std::string_view text) { return Parses(AF_INET, text); }

bool IsIpv6Address(std::string_view text) { return Parses(AF_INET6, text); }

}  // namespace onvifgw::services::device
