#pragma once
// Helpers shared by the discovery tests: files of the shared ONVIF bundle,
// request builders, XML inspection and a UDP peer with bounded receives.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onvifgw::discovery::testing {

/// ../shared/onvif (from the build), and whether it is present.
std::string SharedOnvifDir();
bool SharedOnvifPresent();
std::optional<std::string> ReadFile(const std::string& path);

/// Result of running ../shared/onvif/check-soap on some messages.
struct CheckSoapResult {
  int exit_code = -1;  ///< 0 = all valid.
  std::string output;  ///< stdout + stderr ("NAME.xml: valid" per message).
};
/// Writes each (name, xml) to NAME.xml in a fresh temporary directory and runs
/// check-soap on all of them. Requires SharedOnvifPresent().
CheckSoapResult CheckSoap(const std::vector<std::pair<std::string, std::string>>& messages);

/// A SOAP 1.2 (or 1.1) Probe; `body_children` goes inside d:Probe verbatim.
std::string ProbeXml(std::string_view message_id, std::string_view body_children,
                     bool soap11 = false);
/// A SOAP 1.2 Resolve for `epr`.
std::string ResolveXml(std::string_view message_id, std::string_view epr);

/// Trimmed text of the first element {ns}local in `xml`, nullopt if absent or unparsable.
std::optional<std::string> ElementText(const std::string& xml, std::string_view ns,
                                       std::string_view local);
/// Local name of the first child of soap:Body.
std::string BodyOperation(const std::string& xml);
/// Value of attribute `attr` on the first element {ns}local.
std::optional<std::string> ElementAttribute(const std::string& xml, std::string_view ns,
                                            std::string_view local, const char* attr);

/// A plain IPv4 UDP socket; every receive is bounded by a timeout.
class UdpPeer {
 public:
  explicit UdpPeer(const std::string& bind_ip = "127.0.0.1", uint16_t port = 0, bool reuse = false);
  ~UdpPeer();
  UdpPeer(const UdpPeer&) = delete;
  UdpPeer& operator=(const UdpPeer&) = delete;

  bool ok() const { return fd_ >= 0; }
  uint16_t port() const { return port_; }
  bool JoinGroup(const std::string& group);
  bool EnableMulticastLoop();
  bool SendTo(std::string_view data, const std::string& ip, uint16_t port);
  /// One datagram, or nullopt when none arrives within `timeout`.
  std::optional<std::string> Receive(std::chrono::milliseconds timeout);
  /// Datagrams until `count` arrived or `timeout` passed.
  std::vector<std::string> ReceiveN(std::size_t count, std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace onvifgw::discovery::testing
