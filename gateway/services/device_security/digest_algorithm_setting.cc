#include "services/device_security/digest_algorithm_setting.h"

#include <string_view>

namespace onvifgw::services {

Expected<std::vector<security::DigestAlgorithm>, std::string> DigestAlgorithmSetting::Decode(
    const std::optional<std::string>& stored) {
  if (!stored) {
    return std::vector<security::DigestAlgorithm>{security::DigestAlgorithm::kMd5,
                                                  security::DigestAlgorithm::kSha256};
  }
  std::vector<security::DigestAlgorithm> algorithms;
  std::string_view rest = *stored;
  while (!rest.empty()) {
    const std::size_t sp = rest.find(' ');
    if (auto a = security::ParseDigestAlgorithm(rest.substr(0, sp))) algorithms.push_back(*a);
    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
  }
  if (algorithms.empty()) return MakeUnexpected(std::string("stored digest algorithms: empty"));
  return algorithms;
}

std::string DigestAlgorithmSetting::Encode(
    const std::vector<security::DigestAlgorithm>& algorithms) {
  std::string text;
  for (auto a : algorithms) {
    if (!text.empty()) text += ' ';
    text += security::DigestAlgorithmName(a);
  }
  return text;
}

}  // namespace onvifgw::services
