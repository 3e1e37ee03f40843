#include "adapters/simulated/firmware_image.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "adapters/simulated/signed_file.h"

namespace onvifgw::simulated {
namespace {

constexpr std::string_view kMagic = "ONVIFGW-SIMULATED-FIRMWARE\n";

}  // namespace

adapter_sdk::Result<std::string> ParseFirmwareImage(std::string_view image,
                                                    std::string_view model) {
  if (image.size() > kMaxFirmwareBytes) {
    return adapter_sdk::Error{"the image is larger than " +
                              std::to_string(kMaxFirmwareBytes >> 20) + " MiB"};
  }
  if (image.substr(0, kMagic.size()) != kMagic || image.size() < kMagic.size() + 32) {
    return adapter_sdk::Error{"not a firmware image of the simulated camera"};
  }
  const auto signed_body = SignedBody(image, kMagic);
  if (!signed_body) {
    return adapter_sdk::Error{"the image is damaged (its checksum does not match)"};
  }
  const std::string_view body = *signed_body;
  std::size_t pos = kMagic.size();
  const auto for_model = HeaderLine(body, pos, "model");
  const auto version = HeaderLine(body, pos, "version");
  if (!for_model || !version || body.substr(pos, 1) != "\n") {
    return adapter_sdk::Error{"the image's header is malformed"};
  }
  if (*for_model != model) {
    return adapter_sdk::Error{"the image is for model \"" + std::string(for_model->substr(0, 64)) +
                              "\", not \"" + std::string(model) + "\""};
  }
  if (version->empty() || version->size() > 32 ||
      !std::all_of(version->begin(), version->end(),
                   [](char c) { return std::isgraph(static_cast<unsigned char>(c)) != 0; })) {
    return adapter_sdk::Error{"the image's version is not 1 to 32 printable characters"};
  }
  return std::string(*version);
}

std::string MakeFirmwareImage(std::string_view model, std::string_view version,
                              std::string_view payload) {
  std::string image(kMagic);
  image += "model: " + std::string(model) + "\n";
  image += "version: " + std::string(version) + "\n\n";
  image += payload;
  return Signed(std::move(image));
}

}  // namespace onvifgw::simulated
