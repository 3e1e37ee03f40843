#pragma once
// The HTTP Digest algorithms the device challenges (SetHashingAlgorithm), in
// preference order, stored as their names separated by spaces.

#include <optional>
#include <string>
#include <vector>

#include "core/expected.h"
#include "security/http_digest.h"

namespace onvifgw::services {

class DigestAlgorithmSetting {
 public:
  static constexpr const char* kKey = "digest_algorithms";

  /// As stored; nullopt: MD5 then SHA-256 (the default). Unknown names are
  /// skipped; none left is an error.
  static Expected<std::vector<security::DigestAlgorithm>, std::string> Decode(
      const std::optional<std::string>& stored);
  static std::string Encode(const std::vector<security::DigestAlgorithm>& algorithms);
};

}  // namespace onvifgw::services
