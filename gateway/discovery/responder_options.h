#pragma once
// Configuration of the WS-Discovery responder.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "discovery/discoverable_device.h"

namespace onvifgw::discovery {

/// Receives the responder's log lines. `level` is "debug", "info", "warn" or
/// "error". Called on the responder's strand (or in Start()/Stop()); must not
/// block and must not call Start() or Stop().
using LogFunction = std::function<void(std::string_view level, std::string_view msg)>;

/// Returns the devices to announce and to match against, at the time of the
/// call. Called on the responder's strand for every request, Hello and Bye;
/// must not block. An exception it throws is logged and counts as no devices.
using DeviceSnapshotProvider = std::function<std::vector<DiscoverableDevice>()>;

struct ResponderOptions {
  /// Local IPv4 address of the discovery socket. Multicast Probes only reach a
  /// socket bound to "0.0.0.0"; a specific address also selects the interface
  /// for outgoing multicast.
  std::string bind_address = "0.0.0.0";
  /// UDP port; 0 picks an ephemeral port (tests), see Responder::port().
  uint16_t port = 3702;
  /// IPv4 multicast group for joining and for Hello/Bye.
  std::string multicast_group = "239.255.255.250";
  /// Join the group (a failure is logged and tolerated: unicast still works).
  bool join_multicast = true;
  /// Every reply waits a random delay in [0, max_reply_delay] (APP_MAX_DELAY);
  /// the replies of several devices to one request are spread over it.
  std::chrono::milliseconds max_reply_delay{500};
  /// AppSequence InstanceId, e.g. the boot time in Unix seconds; 0 = the Unix
  /// time at Start(). Must fit in 32 bits (xs:unsignedInt).
  uint64_t instance_id = 0;
  /// Replies waiting for their delay at once; further ones are dropped.
  std::size_t max_pending_replies = 1024;
  /// Optional log sink.
  LogFunction log;
};

}  // namespace onvifgw::discovery
