#include "adapters/pelco_d/pelco_d_frame.h"

#include <algorithm>
#include <cmath>

namespace onvifgw::pelco_d {
namespace {

using adapter_sdk::Error;
using adapter_sdk::ResponseMatch;
using adapter_sdk::Result;

// Command 1 bits.
constexpr uint8_t kSense = 0x80;
constexpr uint8_t kReservedCommand1Bits = 0x60;
constexpr uint8_t kAutoScan = 0x10;
constexpr uint8_t kCameraOnOff = 0x08;
constexpr uint8_t kIrisClose = 0x04;
constexpr uint8_t kIrisOpen = 0x02;
constexpr uint8_t kFocusNear = 0x01;
// Command 2 bits.
constexpr uint8_t kFocusFar = 0x80;
constexpr uint8_t kZoomWide = 0x40;
constexpr uint8_t kZoomTele = 0x20;
constexpr uint8_t kTiltDown = 0x10;
constexpr uint8_t kTiltUp = 0x08;
constexpr uint8_t kPanLeft = 0x04;
constexpr uint8_t kPanRight = 0x02;
constexpr uint8_t kExtendedBit = 0x01;

constexpr uint8_t kFlipPreset = 0x21;
constexpr uint8_t kZeroPanPreset = 0x22;
constexpr uint16_t kMaxAngleHundredths = 35999;

uint8_t Byte(std::string_view bytes, size_t index) { return static_cast<uint8_t>(bytes[index]); }

Error AddressError() { return Error{"Pelco-D address must be 1..255, not 0"}; }

Frame MakeFrame(uint8_t address, uint8_t command1, uint8_t command2, uint8_t data1, uint8_t data2) {
  return Frame{kSyncByte,
               address,
               command1,
               command2,
               data1,
               data2,
               Checksum(address, command1, command2, data1, data2)};
}

Result<Frame> RangeError(std::string_view what, unsigned value, unsigned min, unsigned max) {
  return Error{std::string("Pelco-D ") + std::string(what) + " must be " + std::to_string(min) +
               ".." + std::to_string(max) + ", not " + std::to_string(value)};
}

Result<Frame> EncodeWithParameter(uint8_t address, ExtendedOpcode opcode, std::string_view what,
                                  unsigned value, unsigned min, unsigned max) {
  if (value < min || value > max) {
    return RangeError(what, value, min, max);
  }
  return EncodeExtended(address, opcode, 0, static_cast<uint8_t>(value));
}

Result<Frame> EncodeWord(uint8_t address, ExtendedOpcode opcode, uint16_t value) {
  return EncodeExtended(address, opcode, static_cast<uint8_t>(value >> 8),
                        static_cast<uint8_t>(value & 0xFF));
}

bool IsExtendedOpcode(uint8_t value) {
  switch (static_cast<ExtendedOpcode>(value)) {
    case ExtendedOpcode::kSetPreset:
    case ExtendedOpcode::kClearPreset:
    case ExtendedOpcode::kGoToPreset:
    case ExtendedOpcode::kSetAuxiliary:
    case ExtendedOpcode::kClearAuxiliary:
    case ExtendedOpcode::kRemoteReset:
    case ExtendedOpcode::kSetZoneStart:
    case ExtendedOpcode::kSetZoneEnd:
    case ExtendedOpcode::kWriteCharacter:
    case ExtendedOpcode::kClearScreen:
    case ExtendedOpcode::kAlarmAcknowledge:
    case ExtendedOpcode::kZoneScanOn:
    case ExtendedOpcode::kZoneScanOff:
    case ExtendedOpcode::kSetPatternStart:
    case ExtendedOpcode::kSetPatternStop:
    case ExtendedOpcode::kRunPattern:
    case ExtendedOpcode::kSetZoomSpeed:
    case ExtendedOpcode::kSetFocusSpeed:
    case ExtendedOpcode::kResetCameraToDefaults:
    case ExtendedOpcode::kAutoFocusMode:
    case ExtendedOpcode::kAutoIrisMode:
    case ExtendedOpcode::kAgcMode:
    case ExtendedOpcode::kBacklightCompensation:
    case ExtendedOpcode::kAutoWhiteBalance:
    case ExtendedOpcode::kQueryPartNumber:
    case ExtendedOpcode::kSetZeroPosition:
    case ExtendedOpcode::kSetPanPosition:
    case ExtendedOpcode::kSetTiltPosition:
    case ExtendedOpcode::kSetZoomPosition:
    case ExtendedOpcode::kQueryPanPosition:
    case ExtendedOpcode::kQueryTiltPosition:
    case ExtendedOpcode::kQueryZoomPosition:
    case ExtendedOpcode::kSetMagnification:
    case ExtendedOpcode::kQueryMagnification:
      return true;
  }
  return false;
}

bool IsResponseOpcode(uint8_t value) {
  switch (static_cast<ResponseOpcode>(value)) {
    case ResponseOpcode::kPanPosition:
    case ResponseOpcode::kTiltPosition:
    case ResponseOpcode::kZoomPosition:
    case ResponseOpcode::kMagnification:
      return true;
  }
  return false;
}

// Scans `received` for a frame of `size` bytes that starts with the sync byte and satisfies
// `accept`. A failed candidate moves the start by one byte: a 0xFF inside a rejected candidate may
// still begin the real frame, and a 0xFF inside an accepted one is data.
template <typename Accept>
ResponseMatch FindFrame(std::string_view received, size_t size, const Accept& accept) {
  for (size_t start = 0; start < received.size(); ++start) {
    if (Byte(received, start) != kSyncByte) {
      continue;
    }
    if (received.size() - start < size) {
      return ResponseMatch::NeedMore();
    }
    if (accept(received.substr(start, size))) {
      return ResponseMatch::Found(start, size);
    }
  }
  return ResponseMatch::NeedMore();
}

// Turns a validated velocity into its magnitude; 0 for NaN.
double Magnitude(double velocity) {
  if (std::isnan(velocity)) {
    return 0.0;
  }
  return std::min(std::fabs(velocity), 1.0);
}

// x modulo 36000 into [0, 36000), for angles already scaled to hundredths and rounded.
uint16_t WrapHundredths(double hundredths) {
  if (!std::isfinite(hundredths)) {
    return 0;
  }
  double wrapped = std::fmod(std::round(hundredths), 36000.0);
  if (wrapped < 0) {
    wrapped += 36000.0;
  }
  // fmod of a rounded value is integral; -0.0 and 36000 rounding edge both land on 0.
  const auto value = static_cast<uint32_t>(wrapped);
  return static_cast<uint16_t>(value >= 36000 ? 0 : value);
}

}  // namespace

uint8_t Checksum(uint8_t address, uint8_t command1, uint8_t command2, uint8_t data1,
                 uint8_t data2) {
  return static_cast<uint8_t>((address + command1 + command2 + data1 + data2) & 0xFF);
}

std::string ToBytes(const Frame& frame) { return std::string(frame.begin(), frame.end()); }

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string text;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) {
      text.push_back(' ');
    }
    const uint8_t byte = Byte(bytes, i);
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 0x0F]);
  }
  return text;
}

std::string ToHex(const Frame& frame) { return ToHex(ToBytes(frame)); }

Result<Frame> EncodeStandard(uint8_t address, const StandardCommand& command) {
  if (address == 0) {
    return AddressError();
  }
  if (command.pan_speed > kTurboSpeed) {
    return RangeError("pan speed", command.pan_speed, 0, kTurboSpeed);
  }
  if (command.tilt_speed > kMaxSpeed) {
    return RangeError("tilt speed", command.tilt_speed, 0, kMaxSpeed);
  }
  // Camera and scan switches are qualified by the one sense bit: they must agree on it.
  if (command.camera != Switch::kUnchanged && command.auto_scan != Switch::kUnchanged &&
      command.camera != command.auto_scan) {
    return Error{
        "Pelco-D camera on/off and auto/manual scan share the sense bit: camera on goes only "
        "with auto scan, camera off only with manual scan"};
  }
  uint8_t command1 = 0;
  uint8_t command2 = 0;
  if (command.camera == Switch::kOn || command.auto_scan == Switch::kOn) {
    command1 |= kSense;
  }
  if (command.camera != Switch::kUnchanged) {
    command1 |= kCameraOnOff;
  }
  if (command.auto_scan != Switch::kUnchanged) {
    command1 |= kAutoScan;
  }
  if (command.iris == Iris::kClose) {
    command1 |= kIrisClose;
  } else if (command.iris == Iris::kOpen) {
    command1 |= kIrisOpen;
  }
  if (command.focus == Focus::kNear) {
    command1 |= kFocusNear;
  } else if (command.focus == Focus::kFar) {
    command2 |= kFocusFar;
  }
  if (command.zoom == Zoom::kWide) {
    command2 |= kZoomWide;
  } else if (command.zoom == Zoom::kTele) {
    command2 |= kZoomTele;
  }
  if (command.tilt == Tilt::kDown) {
    command2 |= kTiltDown;
  } else if (command.tilt == Tilt::kUp) {
    command2 |= kTiltUp;
  }
  if (command.pan == Pan::kLeft) {
    command2 |= kPanLeft;
  } else if (command.pan == Pan::kRight) {
    command2 |= kPanRight;
  }
  return MakeFrame(address, command1, command2, command.pan_speed, command.tilt_speed);
}

Result<Frame> EncodeStop(uint8_t address) { return EncodeStandard(address, StandardCommand{}); }

Result<Frame> EncodeExtended(uint8_t address, ExtendedOpcode opcode, uint8_t data1, uint8_t data2) {
  if (address == 0) {
    return AddressError();
  }
  return MakeFrame(address, 0, static_cast<uint8_t>(opcode), data1, data2);
}

Result<Frame> EncodeSetPreset(uint8_t address, uint8_t preset) {
  return EncodeWithParameter(address, ExtendedOpcode::kSetPreset, "preset", preset, 1, 255);
}
Result<Frame> EncodeClearPreset(uint8_t address, uint8_t preset) {
  return EncodeWithParameter(address, ExtendedOpcode::kClearPreset, "preset", preset, 1, 255);
}
Result<Frame> EncodeGoToPreset(uint8_t address, uint8_t preset) {
  return EncodeWithParameter(address, ExtendedOpcode::kGoToPreset, "preset", preset, 1, 255);
}
Result<Frame> EncodeFlip(uint8_t address) {
  return EncodeExtended(address, ExtendedOpcode::kGoToPreset, 0, kFlipPreset);
}
Result<Frame> EncodeGoToZeroPan(uint8_t address) {
  return EncodeExtended(address, ExtendedOpcode::kGoToPreset, 0, kZeroPanPreset);
}
Result<Frame> EncodeSetAuxiliary(uint8_t address, uint8_t aux) {
  return EncodeWithParameter(address, ExtendedOpcode::kSetAuxiliary, "auxiliary", aux, 1, 8);
}
Result<Frame> EncodeClearAuxiliary(uint8_t address, uint8_t aux) {
  return EncodeWithParameter(address, ExtendedOpcode::kClearAuxiliary, "auxiliary", aux, 1, 8);
}
Result<Frame> EncodeRemoteReset(uint8_t address) {
  return EncodeExtended(address, ExtendedOpcode::kRemoteReset, 0, 0);
}
Result<Frame> EncodeResetCameraToDefaults(uint8_t address) {
  return EncodeExtended(address, ExtendedOpcode::kResetCameraToDefaults, 0, 0);
}
Result<Frame> EncodeSetZoomSpeed(uint8_t address, uint8_t speed) {
  return EncodeWithParameter(address, ExtendedOpcode::kSetZoomSpeed, "zoom speed", speed, 0, 3);
}
Result<Frame> EncodeSetFocusSpeed(uint8_t address, uint8_t speed) {
  return EncodeWithParameter(address, ExtendedOpcode::kSetFocusSpeed, "focus speed", speed, 0, 3);
}
Result<Frame> EncodeAutoFocusMode(uint8_t address, LensMode mode) {
  return EncodeExtended(address, ExtendedOpcode::kAutoFocusMode, 0, static_cast<uint8_t>(mode));
}
Result<Frame> EncodeAutoIrisMode(uint8_t address, LensMode mode) {
  return EncodeExtended(address, ExtendedOpcode::kAutoIrisMode, 0, static_cast<uint8_t>(mode));
}
Result<Frame> EncodeSetZeroPosition(uint8_t address) {
  return EncodeExtended(address, ExtendedOpcode::kSetZeroPosition, 0, 0);
}
Result<Frame> EncodeSetPanPosition(uint8_t address, uint16_t hundredths) {
  if (hundredths > kMaxAngleHundredths) {
    return RangeError("pan position", hundredths, 0, kMaxAngleHundredths);
  }
  return EncodeWord(address, ExtendedOpcode::kSetPanPosition, hundredths);
}
Result<Frame> EncodeSetTiltPosition(uint8_t address, uint16_t hundredths) {
  if (hundredths > kMaxAngleHundredths) {
    return RangeError("tilt position", hundredths, 0, kMaxAngleHundredths);
  }
  return EncodeWord(address, ExtendedOpcode::kSetTiltPosition, hundredths);
}
Result<Frame> EncodeSetZoomPosition(uint8_t address, uint16_t value) {
  return EncodeWord(address, ExtendedOpcode::kSetZoomPosition, value);
}
Result<Frame> EncodeSetMagnification(uint8_t address, uint16_t hundredths_of_x) {
  return EncodeWord(address, ExtendedOpcode::kSetMagnification, hundredths_of_x);
}
Result<Frame> EncodeQueryPartNumber(uint8_t address) {
  return EncodeExtended(address, ExtendedOpcode::kQueryPartNumber, 0, 0);
}

Result<Frame> EncodeQuery(uint8_t address, Query query) {
  switch (query) {
    case Query::kPanPosition:
      return EncodeExtended(address, ExtendedOpcode::kQueryPanPosition, 0, 0);
    case Query::kTiltPosition:
      return EncodeExtended(address, ExtendedOpcode::kQueryTiltPosition, 0, 0);
    case Query::kZoomPosition:
      return EncodeExtended(address, ExtendedOpcode::kQueryZoomPosition, 0, 0);
    case Query::kMagnification:
      return EncodeExtended(address, ExtendedOpcode::kQueryMagnification, 0, 0);
  }
  return Error{"unknown Pelco-D query"};
}

ResponseOpcode ResponseOpcodeFor(Query query) {
  switch (query) {
    case Query::kPanPosition:
      return ResponseOpcode::kPanPosition;
    case Query::kTiltPosition:
      return ResponseOpcode::kTiltPosition;
    case Query::kZoomPosition:
      return ResponseOpcode::kZoomPosition;
    case Query::kMagnification:
      return ResponseOpcode::kMagnification;
  }
  return ResponseOpcode::kPanPosition;
}

std::optional<DecodedCommand> DecodeCommand(std::string_view bytes) {
  if (bytes.size() != kFrameSize || Byte(bytes, 0) != kSyncByte) {
    return std::nullopt;
  }
  const uint8_t address = Byte(bytes, 1);
  const uint8_t command1 = Byte(bytes, 2);
  const uint8_t command2 = Byte(bytes, 3);
  const uint8_t data1 = Byte(bytes, 4);
  const uint8_t data2 = Byte(bytes, 5);
  if (address == 0 || Byte(bytes, 6) != Checksum(address, command1, command2, data1, data2)) {
    return std::nullopt;
  }
  if ((command2 & kExtendedBit) != 0) {
    if (command1 != 0 || !IsExtendedOpcode(command2)) {
      return std::nullopt;
    }
    return DecodedCommand{address,
                          ExtendedCommand{static_cast<ExtendedOpcode>(command2), data1, data2}};
  }
  // Contradictory bit pairs and out-of-range speeds would not come out of EncodeStandard.
  auto both = [](uint8_t byte, uint8_t a, uint8_t b) { return (byte & a) != 0 && (byte & b) != 0; };
  if ((command1 & kReservedCommand1Bits) != 0 || both(command1, kIrisOpen, kIrisClose) ||
      both(command2, kPanLeft, kPanRight) || both(command2, kTiltUp, kTiltDown) ||
      both(command2, kZoomTele, kZoomWide) ||
      ((command1 & kFocusNear) != 0 && (command2 & kFocusFar) != 0) || data1 > kTurboSpeed ||
      data2 > kMaxSpeed) {
    return std::nullopt;
  }
  StandardCommand command;
  const Switch sensed = (command1 & kSense) != 0 ? Switch::kOn : Switch::kOff;
  if ((command1 & kCameraOnOff) != 0) {
    command.camera = sensed;
  }
  if ((command1 & kAutoScan) != 0) {
    command.auto_scan = sensed;
  }
  if ((command1 & kIrisOpen) != 0) {
    command.iris = Iris::kOpen;
  } else if ((command1 & kIrisClose) != 0) {
    command.iris = Iris::kClose;
  }
  if ((command1 & kFocusNear) != 0) {
    command.focus = Focus::kNear;
  } else if ((command2 & kFocusFar) != 0) {
    command.focus = Focus::kFar;
  }
  if ((command2 & kZoomTele) != 0) {
    command.zoom = Zoom::kTele;
  } else if ((command2 & kZoomWide) != 0) {
    command.zoom = Zoom::kWide;
  }
  if ((command2 & kTiltUp) != 0) {
    command.tilt = Tilt::kUp;
  } else if ((command2 & kTiltDown) != 0) {
    command.tilt = Tilt::kDown;
  }
  if ((command2 & kPanLeft) != 0) {
    command.pan = Pan::kLeft;
  } else if ((command2 & kPanRight) != 0) {
    command.pan = Pan::kRight;
  }
  command.pan_speed = data1;
  command.tilt_speed = data2;
  return DecodedCommand{address, command};
}

std::optional<GeneralResponse> DecodeGeneralResponse(std::string_view bytes, const Frame& sent) {
  if (bytes.size() != kGeneralResponseSize || Byte(bytes, 0) != kSyncByte ||
      Byte(bytes, 1) != sent[1]) {
    return std::nullopt;
  }
  const uint8_t alarms = Byte(bytes, 2);
  if (Byte(bytes, 3) != static_cast<uint8_t>((sent[6] + alarms) & 0xFF)) {
    return std::nullopt;
  }
  return GeneralResponse{Byte(bytes, 1), alarms};
}

std::optional<ExtendedResponse> DecodeExtendedResponse(std::string_view bytes) {
  if (bytes.size() != kFrameSize || Byte(bytes, 0) != kSyncByte) {
    return std::nullopt;
  }
  const uint8_t address = Byte(bytes, 1);
  const uint8_t reserved = Byte(bytes, 2);
  const uint8_t opcode = Byte(bytes, 3);
  const uint8_t msb = Byte(bytes, 4);
  const uint8_t lsb = Byte(bytes, 5);
  if (reserved != 0 || !IsResponseOpcode(opcode) ||
      Byte(bytes, 6) != Checksum(address, reserved, opcode, msb, lsb)) {
    return std::nullopt;
  }
  return ExtendedResponse{address, static_cast<ResponseOpcode>(opcode),
                          static_cast<uint16_t>((msb << 8) | lsb)};
}

ResponseMatch FindGeneralResponse(std::string_view received, const Frame& sent) {
  return FindFrame(received, kGeneralResponseSize, [&sent](std::string_view candidate) {
    return DecodeGeneralResponse(candidate, sent).has_value();
  });
}

ResponseMatch FindExtendedResponse(std::string_view received, uint8_t address,
                                   ResponseOpcode opcode) {
  return FindFrame(received, kFrameSize, [address, opcode](std::string_view candidate) {
    const auto response = DecodeExtendedResponse(candidate);
    return response && response->address == address && response->opcode == opcode;
  });
}

adapter_sdk::ResponseMatcher GeneralResponseMatcher(const Frame& sent) {
  return [sent](std::string_view received) { return FindGeneralResponse(received, sent); };
}

adapter_sdk::ResponseMatcher ExtendedResponseMatcher(uint8_t address, ResponseOpcode opcode) {
  return [address, opcode](std::string_view received) {
    return FindExtendedResponse(received, address, opcode);
  };
}

uint8_t SpeedFromMagnitude(double magnitude, bool allow_turbo) {
  const double clamped = Magnitude(magnitude);
  if (allow_turbo && clamped >= 1.0) {
    return kTurboSpeed;
  }
  return static_cast<uint8_t>(std::lround(clamped * kMaxSpeed));
}

PanMotion PanFromVelocity(double velocity, bool allow_turbo) {
  if (Magnitude(velocity) == 0.0) {
    return {};
  }
  return {velocity > 0 ? Pan::kRight : Pan::kLeft, SpeedFromMagnitude(velocity, allow_turbo)};
}

TiltMotion TiltFromVelocity(double velocity) {
  if (Magnitude(velocity) == 0.0) {
    return {};
  }
  return {velocity > 0 ? Tilt::kUp : Tilt::kDown, SpeedFromMagnitude(velocity, false)};
}

Zoom ZoomFromVelocity(double velocity) {
  if (Magnitude(velocity) == 0.0) {
    return Zoom::kStop;
  }
  return velocity > 0 ? Zoom::kTele : Zoom::kWide;
}

double PanDegrees(uint16_t hundredths) { return hundredths / 100.0; }

uint16_t PanHundredths(double degrees) { return WrapHundredths(degrees * 100.0); }

double TiltElevationDegrees(uint16_t hundredths) {
  if (hundredths >= 18000) {
    return (36000 - hundredths) / 100.0;
  }
  return -hundredths / 100.0;
}

// Pelco counts tilt downwards from the horizon, so the wire value is minus the elevation.
uint16_t TiltHundredths(double elevation_degrees) {
  return WrapHundredths(-elevation_degrees * 100.0);
}

double ZoomRatio(uint16_t value) { return value / 65535.0; }

uint16_t ZoomValue(double ratio) {
  if (std::isnan(ratio) || ratio <= 0.0) {
    return 0;
  }
  if (ratio >= 1.0) {
    return 65535;
  }
  return static_cast<uint16_t>(std::lround(ratio * 65535.0));
}

}  // namespace onvifgw::pelco_d
