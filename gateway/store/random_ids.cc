#include "store/random_ids.h"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace onvifgw::store {
namespace {

void Fill(unsigned char* p, int n) {
  // Failure of the CSPRNG is an invariant violation: abort rather than issue
  // predictable identities.
  if (RAND_bytes(p, n) != 1) std::abort();
}

}  // namespace

std::string RandomUuidUrn() {
  std::array<unsigned char, 16> b{};
  Fill(b.data(), 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char s[64];
  std::snprintf(s, sizeof s,
                "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                b[13], b[14], b[15]);
  return s;
}

std::string RandomMac() {
  std::array<unsigned char, 6> b{};
  Fill(b.data(), 6);
  b[0] = static_cast<unsigned char>((b[0] & 0xfc) | 0x02);
  char s[32];
  std::snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
  return s;
}

std::string RandomHex(int bytes) {
  std::vector<unsigned char> b(bytes);
  Fill(b.data(), bytes);
  std::string s;
  char h[3];
  for (unsigned char c : b) {
    std::snprintf(h, sizeof h, "%02X", c);
    s += h;
  }
  return s;
}

}  // namespace onvifgw::store
