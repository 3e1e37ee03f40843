#include "security/password_derivation.h"

#include <openssl/crypto.h>

#include "core/base64.h"
#include "security/crypto_util.h"

namespace onvifgw::security {

std::string DerivePassword(std::string_view username, std::string_view password,
                           std::string_view endpoint_reference) {
  std::string key;
  key.reserve(username.size() + password.size());
  key.append(username).append(password);
  std::string message(endpoint_reference);
  message += "ONVIF password";
  std::string derived = Base64Encode(HmacSha1(key, message));
  OPENSSL_cleanse(key.data(), key.size());
  return derived;
}

}  // namespace onvifgw::security
