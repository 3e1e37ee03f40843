#pragma once
// What the people running the gateway look at, on its own listener
// (`metrics:` in the config): GET /metrics, every metric in the Prometheus
// text format (core/metrics.h), and GET /healthz, whether the gateway and
// each adapter are up. No authentication and no ONVIF: bind it to a
// management address, never to the cameras' network.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "http/http_types.h"

namespace onvifgw::services {

/// Each adapter's id and whether it is serving now.
using AdapterHealth = std::function<std::vector<std::pair<std::string, bool>>()>;

/// /healthz answers 200 {"status":"ok",...} when every adapter is up, 503 {"status":"degraded",
/// ...} otherwise (the process answering at all is the liveness); /metrics 200; other paths 404,
/// other methods 405.
http::Handler MakeOperatorHttpHandler(AdapterHealth adapters);

}  // namespace onvifgw::services
