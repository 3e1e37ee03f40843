#include "security/ip_filter.h"

#include <string>

namespace onvifgw::security {
namespace {

using boost::asio::ip::address;
using boost::asio::ip::address_v4;
using boost::asio::ip::address_v6;

address Normalize(const address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  }
  return a;
}

template <typename Bytes>
bool PrefixMatches(const Bytes& a, const Bytes& b, int bits) {
  std::size_t i = 0;
  for (; bits >= 8; bits -= 8, ++i) {
    if (a[i] != b[i]) return false;
  }
  if (bits == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFF << (8 - bits));
  return (a[i] & mask) == (b[i] & mask);
}

}  // namespace

bool IpPrefix::Contains(const boost::asio::ip::address& candidate) const {
  const boost::asio::ip::address a = Normalize(candidate);
  if (address.is_v4() != a.is_v4()) return false;
  if (a.is_v4()) {
    return PrefixMatches(address.to_v4().to_bytes(), a.to_v4().to_bytes(), prefix_length);
  }
  return PrefixMatches(address.to_v6().to_bytes(), a.to_v6().to_bytes(), prefix_length);
}

Expected<IpPrefix, std::string> ParseIpv4Prefix(std::string_view text, int prefix_length) {
  if (prefix_length < 0 || prefix_length > 32) {
    return MakeUnexpected("invalid IPv4 prefix length " + std::to_string(prefix_length));
  }
  address_v4::bytes_type bytes{};
  std::size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') break;
      ++pos;
    }
    const std::size_t start = pos;
    int value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) {
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    const std::size_t len = pos - start;
    if (len == 0 || value > 255 || (len > 1 && text[start] == '0')) {
      return MakeUnexpected(std::string("invalid IPv4 address"));
    }
    bytes[static_cast<std::size_t>(part)] = static_cast<unsigned char>(value);
    if (part == 3) {
      if (pos != text.size()) return MakeUnexpected(std::string("invalid IPv4 address"));
      return IpPrefix{address_v4(bytes), prefix_length};
    }
  }
  return MakeUnexpected(std::string("invalid IPv4 address"));
}

Expected<IpPrefix, std::string> ParseIpv6Prefix(std::string_view text, int prefix_length) {
  if (prefix_length < 0 || prefix_length > 128) {
    return MakeUnexpected("invalid IPv6 prefix length " + std::to_string(prefix_length));
  }
  if (text.empty() || text.size() > 45 || text.find_first_of("% \t/") != std::string_view::npos ||
      text.find(':') == std::string_view::npos) {
    return MakeUnexpected(std::string("invalid IPv6 address"));
  }
  boost::system::error_code ec;
  const address_v6 v6 = boost::asio::ip::make_address_v6(std::string(text), ec);
  if (ec || v6.scope_id() != 0) return MakeUnexpected(std::string("invalid IPv6 address"));
  if (v6.is_v4_mapped() && prefix_length >= 96) {
    return IpPrefix{boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6),
                    prefix_length - 96};
  }
  return IpPrefix{v6, prefix_length};
}

IpFilter::IpFilter(Type type, std::vector<IpPrefix> prefixes)
    : type_(type), prefixes_(std::move(prefixes)) {}

bool IpFilter::Permits(const address& a) const {
  if (prefixes_.empty()) return true;
  bool listed = false;
  for (const IpPrefix& p : prefixes_) {
    if (p.Contains(a)) {
      listed = true;
      break;
    }
  }
  return type_ == Type::kAllow ? listed : !listed;
}

}  // namespace onvifgw::security
