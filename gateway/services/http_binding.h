#pragma once
// The SOAP-over-HTTP binding of one virtual device: which paths exist, which
// methods and content types are accepted (Core §5.8.1; INTEROP §1.2), and how
// a fault becomes an HTTP status.

#include "http/http_types.h"
#include "services/soap_endpoint.h"
#include "services/virtual_device.h"

namespace onvifgw::services {

/// The handler for a device's listener. `device` and `endpoint` must outlive it.
http::Handler MakeDeviceHttpHandler(const VirtualDevice& device, const SoapEndpoint& endpoint);

/// host:port for XAddrs (advertised_address, else the connection's local end).
std::string AuthorityFor(const VirtualDevice& device, const http::Request& request);

}  // namespace onvifgw::services
