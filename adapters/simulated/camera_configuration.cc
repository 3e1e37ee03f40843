#include "adapters/simulated/camera_configuration.h"

#include <charconv>
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

void AppendNumber(std::string& out, double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// "<pan>,<tilt>,<zoom>", each number as short as it reads back exactly.
void AppendPosition(std::string& out, const PtzPosition& p) {
  AppendNumber(out, p.pan);
  out += ',';
  AppendNumber(out, p.tilt);
  out += ',';
  AppendNumber(out, p.zoom);
}

std::string WritePtz(const PtzMemory& memory) {
  std::string out = "home=";
  AppendPosition(out, memory.home);
  for (const auto& [slot, position] : memory.presets) {
    out += ' ';
    out += std::to_string(slot);
    out += '=';
    AppendPosition(out, position);
  }
  return out;
}

template <typename T>
bool ParseNumber(std::string_view text, T& value) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

std::optional<PtzPosition> ParsePosition(std::string_view text) {
  const std::size_t first = text.find(',');
  const std::size_t second = first == text.npos ? text.npos : text.find(',', first + 1);
  PtzPosition p;
  if (second == text.npos || !ParseNumber(text.substr(0, first), p.pan) ||
      !ParseNumber(text.substr(first + 1, second - first - 1), p.tilt) ||
      !ParseNumber(text.substr(second + 1), p.zoom) || !IsValidPtzPosition(p)) {
    return std::nullopt;
  }
  return p;
}

// The "ptz" line's value: home first, then the presets by ascending slot.
std::optional<PtzMemory> ParsePtz(std::string_view text) {
  PtzMemory memory;
  bool first = true;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view item = text.substr(0, space);
    text = space == text.npos ? std::string_view() : text.substr(space + 1);
    const std::size_t equals = item.find('=');
    if (equals == item.npos) return std::nullopt;
    const std::string_view key = item.substr(0, equals);
    const auto position = ParsePosition(item.substr(equals + 1));
    if (!position) return std::nullopt;
    uint32_t slot = 0;
    if (first) {
      if (key != "home") return std::nullopt;
      memory.home = *position;
    } else if (!ParseNumber(key, slot) ||
               (!memory.presets.empty() && slot <= memory.presets.rbegin()->first)) {
      return std::nullopt;
    } else {
      memory.presets[slot] = *position;
    }
    first = false;
  }
  if (first) return std::nullopt;
  return memory;
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
  if (settings.ptz) file += std::string("ptz: ") + WritePtz(*settings.ptz) + "\n";
  if (settings.imaging) file += "imaging: " + Hex(settings.imaging->SerializeAsString()) + "\n";
  if (!settings.inputs.empty()) {
    v1::DigitalInputList inputs;
    for (const auto& input : settings.inputs) *inputs.add_inputs() = input;
    file += "inputs: " + Hex(inputs.SerializeAsString()) + "\n";
  }
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
  const auto ptz_text = HeaderLine(*body, pos, "ptz");         // optional: a camera with PTZ
  const auto imaging_hex = HeaderLine(*body, pos, "imaging");  // optional: an older file
  const auto inputs_hex = HeaderLine(*body, pos, "inputs");    // optional: a camera with inputs
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
  if (ptz_text) {
    settings.ptz = ParsePtz(*ptz_text);
    if (!settings.ptz) return adapter_sdk::Error{"the configuration is malformed"};
  }
  if (imaging_hex) {
    const auto bytes = Unhex(*imaging_hex);
    settings.imaging.emplace();
    if (!bytes || !settings.imaging->ParseFromString(*bytes)) {
      return adapter_sdk::Error{"the configuration is malformed"};
    }
  }
  if (inputs_hex) {
    const auto bytes = Unhex(*inputs_hex);
    v1::DigitalInputList inputs;
    if (!bytes || !inputs.ParseFromString(*bytes) || inputs.inputs().empty()) {
      return adapter_sdk::Error{"the configuration is malformed"};
    }
    settings.inputs.assign(inputs.inputs().begin(), inputs.inputs().end());
  }
  settings.posix_timezone = std::string(*timezone);
  settings.ir_lamp = std::string(*ir_lamp);
  settings.wiper = std::string(*wiper);
  settings.relays.assign(relays.relays().begin(), relays.relays().end());
  settings.streams.assign(sources.sources(0).streams().begin(), sources.sources(0).streams().end());
  return settings;
}

}  // namespace onvifgw::simulated
