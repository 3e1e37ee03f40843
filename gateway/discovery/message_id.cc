#include "discovery/message_id.h"

#include <cstdint>
#include <random>

namespace onvifgw::discovery {

std::string NewMessageId() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device rd;
    std::seed_seq seed{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seed);
  }();
  uint64_t hi = rng();
  uint64_t lo = rng();
  hi = (hi & ~uint64_t{0xF000}) | uint64_t{0x4000};            // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "urn:uuid:";
  auto put = [&](uint64_t v, int from_nibble, int count) {
    for (int i = 0; i < count; ++i) out += kHex[(v >> (4 * (from_nibble - i))) & 0xF];
  };
  put(hi, 15, 8);
  out += '-';
  put(hi, 7, 4);
  out += '-';
  put(hi, 3, 4);
  out += '-';
  put(lo, 15, 4);
  out += '-';
  put(lo, 11, 12);
  return out;
}

}  // namespace onvifgw::discovery
