#pragma once
// The one place that names the ONVIF services the gateway serves (STYLE:
// explicit registration, no static-init magic). Each service registers its
// path and binds its operations; Seal() then refuses an incomplete table.

#include <string>

#include "core/expected.h"
#include "services/service_registry.h"

namespace onvifgw::services {

/// Registers every served service into `registry` and seals it; the error
/// lists every operation that is unknown, bound twice, or neither bound nor
/// declared unsupported.
Status<std::string> ServeAll(ServiceRegistry& registry);

}  // namespace onvifgw::services
