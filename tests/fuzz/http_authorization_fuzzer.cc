// Arbitrary Authorization header values: parsing, then Digest verification
// with a fixed authenticator. The first input byte chooses whether the nonce
// is replaced by a genuine one and whether the response is made correct, so
// the nonce, stale and nc-replay paths are reached too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "security/http_digest.h"

namespace {

using namespace onvifgw::security;
using Clock = std::chrono::system_clock;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static DigestAuthenticator auth(
      "fuzz-realm", {DigestAlgorithm::kMd5, DigestAlgorithm::kSha256, DigestAlgorithm::kMd5Sess},
      std::chrono::seconds(300), /*max_tracked_nonces=*/256);
  static const Clock::time_point t0(std::chrono::seconds(1'700'000'000));
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto header = ParseAuthorizationHeader(value);
  if (!header) return 0;
  if (header->scheme == AuthScheme::kBasic) {
    (void)header->basic.username.size();
    return 0;
  }
  if (header->scheme != AuthScheme::kDigest) return 0;
  DigestParams d = header->digest;
  (void)DigestUriMatches(d.uri, "/onvif/device_service");
  const Clock::time_point issued = t0 + std::chrono::seconds(mode >> 4);
  if (mode & 1) d.nonce = auth.IssueNonce(issued);
  if (mode & 2) d.realm = auth.realm();
  if (mode & 4) {
    const auto alg = d.algorithm.empty() ? std::optional(DigestAlgorithm::kMd5)
                                         : ParseDigestAlgorithm(d.algorithm);
    if (alg) {
      d.response = ComputeDigestResponse(*alg, d.username, d.realm, "pw", "POST", d.uri, d.nonce,
                                         d.nc, d.cnonce, d.qop);
    }
  }
  const Clock::time_point now = (mode & 8) ? issued + std::chrono::seconds(400) : issued;
  (void)auth.Verify(d, "POST", "pw", now);
  (void)auth.Verify(d, "POST", "pw", now);  // the same again: replay path
  return 0;
}
