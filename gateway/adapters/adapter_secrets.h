#pragma once
// Camera credentials in adapter config sections, sealed at rest.
//
// An adapter's `config:` section may hold any string as a sealed value:
// "sealed:" followed by the Base64 of SecretBox::Seal(secret) under the
// gateway's key (<state_dir>/secret.key). `onvif-gateway seal` makes one.
// The gateway opens them just before it starts the adapter and hands the
// adapter its section through an in-memory file, so a camera password
// sealed in the config is never written anywhere in clear.

#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "security/secret_box.h"

namespace onvifgw::adapters {

inline constexpr std::string_view kSealedPrefix = "sealed:";

/// The sealed form of `secret` ("sealed:..."), for any adapter's section.
Expected<std::string, std::string> SealAdapterSecret(const security::SecretBox& box,
                                                     std::string_view secret);

/// `section_yaml` with every sealed value opened (the rest as it was). An error names the value
/// by its path in the section (e.g. "cameras[0].password") and says why it cannot be opened.
Expected<std::string, std::string> OpenAdapterSecrets(const security::SecretBox& box,
                                                      const std::string& section_yaml);

/// The paths of values in clear text under keys that name a secret (password, passwd, secret,
/// token, ending in _password / _key...), for a warning that they could be sealed.
std::vector<std::string> ClearTextSecretPaths(const std::string& section_yaml);

}  // namespace onvifgw::adapters
