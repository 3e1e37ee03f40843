#pragma once
// The one table that turns an adapter's gRPC status into an ONVIF SOAP fault
// (STYLE.md practice 7, ARCHITECTURE.md "gRPC status -> SOAP fault").

#include <grpcpp/support/status.h>

#include "soap/fault.h"

namespace onvifgw::adapters {

soap::Fault FaultFromStatus(const grpc::Status& status);

}  // namespace onvifgw::adapters
