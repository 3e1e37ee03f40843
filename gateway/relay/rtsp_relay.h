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
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/expected.h"
#include "relay/rtsp_admission.h"
#include "services/virtual_device.h"

typedef struct _GMainContext GMainContext;
typedef struct _GMainLoop GMainLoop;

namespace onvifgw::relay {

class DeviceRtspServer;

class RtspRelay {
 public:
  RtspRelay();
  ~RtspRelay();
  RtspRelay(const RtspRelay&) = delete;
  RtspRelay& operator=(const RtspRelay&) = delete;

  /// Serves `device`'s profiles on address:port (port 0: a free one) to the
  /// clients `admit` lets in; returns the port bound. `device` outlives this.
  Expected<uint16_t, std::string> Serve(const services::VirtualDevice& device,
                                        const std::string& address, uint16_t port,
                                        RtspAdmitter admit);

 private:
  GMainContext* context_ = nullptr;
  GMainLoop* loop_ = nullptr;
  std::thread thread_;
  std::vector<std::unique_ptr<DeviceRtspServer>> servers_;
};

}  // namespace onvifgw::relay
