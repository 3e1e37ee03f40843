#include "adapters/simulated/signed_file.h"

#include <openssl/sha.h>

namespace onvifgw::simulated {

std::string Sha256(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string Signed(std::string body) {
  body += Sha256(body);
  return body;
}

std::optional<std::string_view> SignedBody(std::string_view file, std::string_view magic) {
  if (file.substr(0, magic.size()) != magic || file.size() < magic.size() + 32) {
    return std::nullopt;
  }
  const std::string_view body = file.substr(0, file.size() - 32);
  if (Sha256(body) != file.substr(file.size() - 32)) return std::nullopt;
  return body;
}

std::optional<std::string_view> HeaderLine(std::string_view text, std::size_t& pos,
                                           std::string_view name) {
  const std::string prefix = std::string(name) + ": ";
  if (text.substr(pos, prefix.size()) != prefix) return std::nullopt;
  const std::size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view value = text.substr(pos + prefix.size(), end - pos - prefix.size());
  pos = end + 1;
  return value;
}

}  // namespace onvifgw::simulated
