#include "adapters/sdk/listen_address.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace onvifgw::adapter_sdk {
namespace {

constexpr std::string_view kUnixPrefix = "unix:";

std::string HostForTarget(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

std::string ListenAddress::ToGrpcTarget() const {
  if (kind == Kind::kUnix) {
    return std::string(kUnixPrefix) + unix_path;
  }
  return ToGrpcTargetWithPort(port);
}

std::string ListenAddress::ToGrpcTargetWithPort(int actual_port) const {
  return HostForTarget(host) + ":" + std::to_string(actual_port);
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress address;
  if (text.starts_with(kUnixPrefix)) {
    address.kind = ListenAddress::Kind::kUnix;
    address.unix_path = std::string(text.substr(kUnixPrefix.size()));
    if (address.unix_path.empty() || address.unix_path.front() != '/') {
      return Error{"unix socket path must be absolute: \"" + std::string(text) + "\""};
    }
    // sockaddr_un::sun_path holds at most 107 characters plus the terminating NUL.
    if (address.unix_path.size() >= sizeof(sockaddr_un{}.sun_path)) {
      return Error{"unix socket path is too long: \"" + address.unix_path + "\""};
    }
    return address;
  }

  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Error{"expected unix:/path or host:port, got \"" + std::string(text) + "\""};
  }
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return Error{"IPv6 addresses must be in brackets: \"" + std::string(text) + "\""};
  }
  if (host.empty()) {
    return Error{"missing host in \"" + std::string(text) + "\""};
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return Error{"invalid port in \"" + std::string(text) + "\""};
  }
  address.kind = ListenAddress::Kind::kTcp;
  address.host = std::string(host);
  address.port = static_cast<uint16_t>(value);
  return address;
}

Result<void> RemoveStaleUnixSocket(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) {
      return {};
    }
    return Error{"cannot inspect " + path + ": " + std::strerror(errno)};
  }
  if (!S_ISSOCK(info.st_mode)) {
    return Error{path + " exists and is not a socket"};
  }

  // A socket file: is someone still listening on it?
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return Error{std::string("socket(): ") + std::strerror(errno)};
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  int connect_errno = errno;
  ::close(fd);
  if (rc == 0) {
    return Error{"another process is already listening on " + path};
  }
  if (connect_errno != ECONNREFUSED && connect_errno != ENOENT) {
    return Error{"cannot probe " + path + ": " + std::strerror(connect_errno)};
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Error{"cannot remove stale socket " + path + ": " + std::strerror(errno)};
  }
  return {};
}

}  // namespace onvifgw::adapter_sdk
