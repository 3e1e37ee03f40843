#pragma once
// The WS-Discovery Target Service of the gateway: one UDP socket that answers
// Probe and Resolve for every virtual device and announces them with Hello/Bye.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "core/expected.h"
#include "discovery/responder_options.h"

namespace onvifgw::discovery {

/// Answers WS-Discovery 2005/04 Probe and Resolve (SOAP 1.2; SOAP 1.1 tolerated)
/// with one ProbeMatches/ResolveMatches per matching device, sent unicast to
/// the requester after a random delay; sends Hello on Start() and Bye on Stop().
///
/// All socket work runs on a strand of the given io_context, which may be run
/// by any number of threads. Malformed datagrams are dropped (logged at debug,
/// rate-limited); a multicast request is never answered with a fault.
/// The io_context must outlive the Responder.
class Responder {
 public:
  Responder(boost::asio::io_context& io, ResponderOptions options, DeviceSnapshotProvider devices);
  /// Calls Stop().
  ~Responder();
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  /// Opens and binds the socket (SO_REUSEADDR), joins the multicast group if
  /// asked, then (asynchronously, on the strand) sends one multicast Hello per
  /// device and starts receiving. Fails if the socket cannot be bound, an
  /// option is invalid, or it was already started.
  Status<std::string> Start();

  /// Sends one multicast Bye per device, cancels pending replies and closes the
  /// socket. Returns when that is done. Callable from any thread, including a
  /// thread running the io_context; idempotent. If no other thread runs the
  /// io_context, the work is done on the calling thread after a short wait.
  void Stop();

  /// Sends a multicast Hello for the device with this endpoint reference as
  /// the snapshot now describes it: after its scopes changed (with a higher
  /// MetadataVersion) or when it became discoverable. Asynchronous; nothing
  /// is sent before Start(), after Stop(), or for a device not in the snapshot.
  void Announce(const std::string& endpoint_reference);

  /// Sends a multicast Bye for the device with this endpoint reference (it
  /// became non-discoverable). Asynchronous; nothing before Start() or after
  /// Stop().
  void Depart(const std::string& endpoint_reference);

  /// The bound UDP port (after a successful Start()), else 0.
  uint16_t port() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace onvifgw::discovery
