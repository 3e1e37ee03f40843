#pragma once
// Random identifiers from OpenSSL's CSPRNG.

#include <string>

namespace onvifgw::store {

/// "urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (RFC 4122 version 4).
std::string RandomUuidUrn();
/// Locally administered unicast MAC: first octet 0x02 | random.
std::string RandomMac();
/// `bytes` random bytes as upper-case hex.
std::string RandomHex(int bytes);

}  // namespace onvifgw::store
