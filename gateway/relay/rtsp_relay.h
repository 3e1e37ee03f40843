#pragma once
// The media relay: one RTSP server (GStreamer's gst-rtsp-server) per virtual
// device, on the device's RTSP port, serving each media profile at
// RelayPath(token). A profile's mount is made (or remade) on each DESCRIBE
// from the stream the profile plays now (RelaySourceOf); its media is shared,
// so every client of one profile rides one upstream pull, started with the
// first client and stopped with the last.
//
// All servers run on one GLib main loop on the relay's own thread; the
// gateway's io_context never waits on them.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/expected.h"
#include "relay/rtsp_admission.h"
#include "services/virtual_device.h"

typedef struct _GMainContext GMainContext;
typedef struct _GMainLoop GMainLoop;

namespace onvifgw::relay {

class DeviceRtspServer;

/// Whether an HTTP request opens one half of an RTSP-over-HTTP tunnel
/// (ONVIF Streaming §5.1.1.4, after Apple's "Tunneling QuickTime RTSP and RTP
/// over HTTP"): the GET that carries the server's replies and the media
/// (Accept: application/x-rtsp-tunnelled), or the POST that carries the
/// client's base64 requests (Content-Type: application/x-rtsp-tunnelled).
bool IsRtspTunnelRequest(std::string_view method, std::string_view accept,
                         std::string_view content_type);

class RtspRelay {
 public:
  RtspRelay();
  ~RtspRelay();
  RtspRelay(const RtspRelay&) = delete;
  RtspRelay& operator=(const RtspRelay&) = delete;

  /// Serves `device`'s profiles on address:port (port 0: a free one) to the
  /// clients `admit` lets in; returns where it serves (the port bound, and
  /// the means to move it), which lives as long as this. `device` outlives
  /// this.
  Expected<services::RtspEndpoint*, std::string> Serve(const services::VirtualDevice& device,
                                                       const std::string& address, uint16_t port,
                                                       RtspAdmitter admit);

  /// Serves a tunnel half that arrived on `device`'s web service port: `fd`
  /// is the connection (this takes it, closing it if `device` has no relay),
  /// `received` what was read from it already. Any thread.
  void TakeTunnel(const services::VirtualDevice& device, int fd, std::string received,
                  std::string remote_address, uint16_t remote_port);

  /// Connected clients per device id (the metrics). Any thread.
  std::map<std::string, std::size_t> ClientCounts();

 private:
  GMainContext* context_ = nullptr;
  GMainLoop* loop_ = nullptr;
  std::thread thread_;
  std::mutex mu_;  // guards servers_ (Serve at start-up, TakeTunnel on I/O threads)
  std::vector<std::unique_ptr<DeviceRtspServer>> servers_;
};

}  // namespace onvifgw::relay
