#pragma once
// Fresh WS-Addressing message identifiers.

#include <string>

namespace onvifgw::discovery {

/// A new random (version 4) UUID as "urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
/// Thread-safe.
std::string NewMessageId();

}  // namespace onvifgw::discovery
