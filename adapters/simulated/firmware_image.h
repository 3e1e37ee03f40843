#pragma once
// The simulated camera's firmware image, so that StartFirmwareUpgrade can be
// tried end to end without hardware. An image is
//
//   ONVIFGW-SIMULATED-FIRMWARE\n
//   model: <the camera's model>\n
//   version: <1 to 32 printable characters, no spaces>\n
//   \n
//   <any payload bytes>
//   <32 bytes: SHA-256 of everything before them>
//
// Anything else (another model's image, a cut or altered file, another
// format) is refused, as a real camera refuses a foreign image.

#include <cstddef>
#include <string>
#include <string_view>

#include "adapters/sdk/result.h"

namespace onvifgw::simulated {

/// Largest image the simulated camera accepts.
inline constexpr std::size_t kMaxFirmwareBytes = 64u << 20;

/// The version `image` installs on a camera of `model`, or why it is refused.
adapter_sdk::Result<std::string> ParseFirmwareImage(std::string_view image, std::string_view model);

/// An image of `version` for `model` carrying `payload` (tests, tools).
std::string MakeFirmwareImage(std::string_view model, std::string_view version,
                              std::string_view payload);

}  // namespace onvifgw::simulated
