#pragma once
// ONVIF password derivation for remote users (Core v2.4.1 §5.12.2.1, FACTS
// §2.5): PE_UA = base64(HMAC-SHA1(key = UA ‖ P_UA, msg = NEP ‖ "ONVIF password")).
// The result (always 28 characters) is then used as the password.
// Pure function; thread-safe.

#include <string>
#include <string_view>

namespace onvifgw::security {

/// Length of every derived password: base64 of a 20-byte HMAC-SHA1.
inline constexpr std::size_t kDerivedPasswordLength = 28;

std::string DerivePassword(std::string_view username, std::string_view password,
                           std::string_view endpoint_reference);

}  // namespace onvifgw::security
