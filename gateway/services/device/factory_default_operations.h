#pragma once
// SetSystemFactoryDefault (Core §8.3.8). A virtual device's factory state is
// the gateway's config: a reset removes what clients changed since.
//
//   Hard: everything — users (but the configured administrator; without one
//         an administrator is generated and logged, as on a first start),
//         security settings, scopes and discovery mode, date and time, geo
//         location, media profiles, and the network settings, so the device
//         listens where its config says again.
//   Soft: the same, but the network settings and the user accounts stay, so
//         the device stays reachable at the same address and port by the
//         same users (the spec asks only the former).
//
// The cameras are reset first, through their adapters, where the adapter
// claims factory_default (stream encodings, relays, clock); a camera that
// fails stops the reset before the gateway's state changes. The gateway's
// state is then reset in one transaction and reloaded; the device announces
// its new scopes (and, moved, its new address) with a Hello.

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindFactoryDefaultOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
