#include "adapters/simulated/camera_configuration.h"

#include <optional>

#include "adapters/simulated/signed_file.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = ::onvifgw::adapter::v1;

constexpr std::string_view kMagic = "ONVIFGW-SIMULATED-CONFIG\n";

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0f];
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]);
    const int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace

std::string WriteConfigurationFile(std::string_view model, const CameraSettings& settings) {
  v1::RelayOutputList relays;
  for (const auto& r : settings.relays) *relays.add_relays() = r;
  v1::VideoSourceList sources;
  v1::VideoSource* source = sources.add_sources();
  source->set_source_id("0");
  for (const auto& s : settings.streams) *source->add_streams() = s;
  std::string file(kMagic);
  file += "model: " + std::string(model) + "\n";
  file += "timezone: " + settings.posix_timezone + "\n";
  file += "ir_lamp: " + settings.ir_lamp + "\n";
  file += "wiper: " + settings.wiper + "\n";
  file += "relays: " + Hex(relays.SerializeAsString()) + "\n";
  file += "streams: " + Hex(sources.SerializeAsString()) + "\n";
  return Signed(std::move(file));
}

adapter_sdk::Result<CameraSettings> ParseConfigurationFile(std::string_view file,
                                                           std::string_view model) {
  if (file.size() > kMaxConfigurationBytes) {
    return adapter_sdk::Error{"the configuration is larger than the camera takes"};
  }
  if (file.substr(0, kMagic.size()) != kMagic) {
    return adapter_sdk::Error{"not a configuration of the simulated camera"};
  }
  const auto body = SignedBody(file, kMagic);
  if (!body)
    return adapter_sdk::Error{"the configuration is damaged (its checksum does not match)"};
  std::size_t pos = kMagic.size();
  const auto for_model = HeaderLine(*body, pos, "model");
  const auto timezone = HeaderLine(*body, pos, "timezone");
  const auto ir_lamp = HeaderLine(*body, pos, "ir_lamp");
  const auto wiper = HeaderLine(*body, pos, "wiper");
  const auto relays_hex = HeaderLine(*body, pos, "relays");
  const auto streams_hex = HeaderLine(*body, pos, "streams");
  if (!for_model || !timezone || !ir_lamp || !wiper || !relays_hex || !streams_hex ||
      pos != body->size()) {
    return adapter_sdk::Error{"the configuration is malformed"};
  }
  if (*for_model != model) {
    return adapter_sdk::Error{"the configuration is of model \"" +
                              std::string(for_model->substr(0, 64)) + "\", not \"" +
                              std::string(model) + "\""};
  }
  const auto relays_bytes = Unhex(*relays_hex);
  const auto streams_bytes = Unhex(*streams_hex);
  v1::RelayOutputList relays;
  v1::VideoSourceList sources;
  if (!relays_bytes || !streams_bytes || !relays.ParseFromString(*relays_bytes) ||
      !sources.ParseFromString(*streams_bytes) || sources.sources_size() != 1) {
    return adapter_sdk::Error{"the configuration is malformed"};
  }
  CameraSettings settings;
  settings.posix_timezone = std::string(*timezone);
  settings.ir_lamp = std::string(*ir_lamp);
  settings.wiper = std::string(*wiper);
  settings.relays.assign(relays.relays().begin(), relays.relays().end());
  settings.streams.assign(sources.sources(0).streams().begin(), sources.sources(0).streams().end());
  return settings;
}

}  // namespace onvifgw::simulated
