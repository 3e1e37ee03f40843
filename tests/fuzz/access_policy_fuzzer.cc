// Arbitrary SetAccessPolicy blobs: Parse must never crash, and whatever it
// accepts must survive Serialize -> Parse unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "security/access_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using onvifgw::security::AccessPolicy;
  auto policy = AccessPolicy::Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!policy) return 0;
  auto again = AccessPolicy::Parse(policy->Serialize());
  if (!again || !(*again == *policy)) std::abort();
  return 0;
}
