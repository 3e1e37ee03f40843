#pragma once
// The simulated legacy camera's video: its rendered pictures as MJPEG over
// HTTP (multipart/x-mixed-replace, one JPEG part per frame), the way cameras
// without RTSP stream. GET /<camera>/<stream> streams until the client goes
// away; each frame is asked for as the stream is set now (size, frame rate,
// quality), so a re-encoded stream changes from the next frame on.

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "adapters/sdk/result.h"

namespace onvifgw::simulated {

/// One picture of a stream, and how long until the next one.
struct MjpegFrame {
  std::string jpeg;
  double framerate = 1;
};

class MjpegHttpServer {
 public:
  /// The next frame of `stream_id` of `camera_id`; nullopt ends the stream
  /// (no such stream, or the camera went down).
  using FrameSource = std::function<std::optional<MjpegFrame>(const std::string& camera_id,
                                                              const std::string& stream_id)>;

  /// Clients streaming at once; more are answered 503.
  static constexpr int kMaxClients = 16;

  MjpegHttpServer() = default;
  ~MjpegHttpServer();
  MjpegHttpServer(const MjpegHttpServer&) = delete;
  MjpegHttpServer& operator=(const MjpegHttpServer&) = delete;

  /// Listens on address:port (0: a free port); returns the port.
  adapter_sdk::Result<uint16_t> Start(const std::string& address, uint16_t port,
                                      FrameSource frames);

 private:
  struct Client {
    int fd;
    std::thread thread;
    std::atomic<bool> done{false};
  };
  void AcceptLoop();
  void Serve(Client& client);
  void ReapFinished();

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // a pipe: closing the write end ends AcceptLoop
  FrameSource frames_;
  std::thread acceptor_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::list<Client> clients_;
};

}  // namespace onvifgw::simulated
