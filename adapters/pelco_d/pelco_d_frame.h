#pragma once

// Pelco-D frames: encoding of commands, decoding of dome responses, and the mapping between ONVIF
// quantities and Pelco-D fields. Pure functions, no I/O. Byte layouts and worked examples follow
// the implementer notes (shared/protocols/pelco-d.md, after Pelco TF-0002 v2.1).
//
// Only header-only vocabulary of the adapter SDK is used (Result, ResponseMatcher), so this library
// links nothing but the standard library.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/sdk/result.h"
#include "adapters/sdk/serial_line.h"

namespace onvifgw::pelco_d {

inline constexpr uint8_t kSyncByte = 0xFF;
/// Commands and extended responses are 7 bytes; general responses 4.
inline constexpr size_t kFrameSize = 7;
inline constexpr size_t kGeneralResponseSize = 4;
/// Fastest regular speed for pan and tilt.
inline constexpr uint8_t kMaxSpeed = 0x3F;
/// Pan only: maximum mechanical speed (transitions into/out of turbo are not smooth).
inline constexpr uint8_t kTurboSpeed = 0x40;

/// A command frame as it goes on the wire: FF, address, command 1, command 2, data 1, data 2,
/// checksum.
using Frame = std::array<uint8_t, kFrameSize>;

/// The Pelco-D checksum: sum of address, command 1, command 2, data 1, data 2, modulo 256 (the sync
/// byte is not included).
uint8_t Checksum(uint8_t address, uint8_t command1, uint8_t command2, uint8_t data1, uint8_t data2);

/// The frame as bytes, for SerialLine::Send/Exchange.
std::string ToBytes(const Frame& frame);

/// "FF 01 00 02 20 00 23": for logs and test messages.
std::string ToHex(std::string_view bytes);
std::string ToHex(const Frame& frame);

// ---------------------------------------------------------------------------------------------
// Standard command (command 2 bit 0 = 0): motion and lens, all in one frame.

enum class Pan { kStop, kLeft, kRight };
enum class Tilt { kStop, kUp, kDown };
enum class Zoom { kStop, kTele, kWide };
enum class Focus { kStop, kNear, kFar };
enum class Iris { kStop, kOpen, kClose };
/// Camera power and scan mode share the sense bit: kOn sets it, kOff clears it.
enum class Switch { kUnchanged, kOn, kOff };

/// Everything a standard command can say. A default-constructed command is Stop (all bits 0).
/// A direction left at kStop clears that function's bits; the speed of a stopped axis is sent as
/// given but means nothing to the dome.
struct StandardCommand {
  Pan pan = Pan::kStop;
  /// 0..kMaxSpeed, or kTurboSpeed. 0 is very slow, not stop.
  uint8_t pan_speed = 0;
  Tilt tilt = Tilt::kStop;
  /// 0..kMaxSpeed (no turbo for tilt).
  uint8_t tilt_speed = 0;
  Zoom zoom = Zoom::kStop;
  Focus focus = Focus::kStop;
  Iris iris = Iris::kStop;
  /// kOn: camera on; kOff: camera off.
  Switch camera = Switch::kUnchanged;
  /// kOn: auto scan; kOff: manual scan.
  Switch auto_scan = Switch::kUnchanged;

  bool operator==(const StandardCommand&) const = default;
};

/// Encodes a standard command for `address` (1..255). Errors: address 0, a speed out of range, or
/// camera and scan switches that need different sense bits (e.g. camera on + manual scan).
adapter_sdk::Result<Frame> EncodeStandard(uint8_t address, const StandardCommand& command);

/// The all-zero Stop frame.
adapter_sdk::Result<Frame> EncodeStop(uint8_t address);

// ---------------------------------------------------------------------------------------------
// Extended commands (command 1 = 0, command 2 = odd opcode).

/// Extended command opcodes of TF-0002 v2.1 (command 2). Responses have their own enum below.
enum class ExtendedOpcode : uint8_t {
  kSetPreset = 0x03,
  kClearPreset = 0x05,
  kGoToPreset = 0x07,  // Also Flip (data 2 = 0x21) and Go to zero pan (data 2 = 0x22).
  kSetAuxiliary = 0x09,
  kClearAuxiliary = 0x0B,
  kRemoteReset = 0x0F,
  kSetZoneStart = 0x11,
  kSetZoneEnd = 0x13,
  kWriteCharacter = 0x15,
  kClearScreen = 0x17,
  kAlarmAcknowledge = 0x19,
  kZoneScanOn = 0x1B,
  kZoneScanOff = 0x1D,
  kSetPatternStart = 0x1F,
  kSetPatternStop = 0x21,
  kRunPattern = 0x23,
  kSetZoomSpeed = 0x25,
  kSetFocusSpeed = 0x27,
  kResetCameraToDefaults = 0x29,
  kAutoFocusMode = 0x2B,
  kAutoIrisMode = 0x2D,
  kAgcMode = 0x2F,
  kBacklightCompensation = 0x31,
  kAutoWhiteBalance = 0x33,
  kQueryPartNumber = 0x45,
  kSetZeroPosition = 0x49,
  kSetPanPosition = 0x4B,
  kSetTiltPosition = 0x4D,
  kSetZoomPosition = 0x4F,
  kQueryPanPosition = 0x51,
  kQueryTiltPosition = 0x53,
  kQueryZoomPosition = 0x55,
  kSetMagnification = 0x5F,
  kQueryMagnification = 0x61,
};

/// Opcodes of extended responses (dome → controller).
enum class ResponseOpcode : uint8_t {
  kPanPosition = 0x59,
  kTiltPosition = 0x5B,
  kZoomPosition = 0x5D,
  kMagnification = 0x63,
};

/// An extended command as decoded from a frame.
struct ExtendedCommand {
  ExtendedOpcode opcode = ExtendedOpcode::kRemoteReset;
  uint8_t data1 = 0;
  uint8_t data2 = 0;

  bool operator==(const ExtendedCommand&) const = default;
};

/// Encodes any extended command for `address` (1..255). The typed helpers below check their
/// parameters; this one only checks the address.
adapter_sdk::Result<Frame> EncodeExtended(uint8_t address, ExtendedOpcode opcode, uint8_t data1,
                                          uint8_t data2);

/// Preset numbers are 1..255 (which of them a dome accepts, and which are "magic" function presets,
/// is per-model configuration, not the codec's business).
adapter_sdk::Result<Frame> EncodeSetPreset(uint8_t address, uint8_t preset);
adapter_sdk::Result<Frame> EncodeClearPreset(uint8_t address, uint8_t preset);
adapter_sdk::Result<Frame> EncodeGoToPreset(uint8_t address, uint8_t preset);
/// Rotate 180° (go to preset 0x21).
adapter_sdk::Result<Frame> EncodeFlip(uint8_t address);
/// Go to zero pan (go to preset 0x22).
adapter_sdk::Result<Frame> EncodeGoToZeroPan(uint8_t address);
/// Auxiliary outputs are 1..8.
adapter_sdk::Result<Frame> EncodeSetAuxiliary(uint8_t address, uint8_t aux);
adapter_sdk::Result<Frame> EncodeClearAuxiliary(uint8_t address, uint8_t aux);
adapter_sdk::Result<Frame> EncodeRemoteReset(uint8_t address);
adapter_sdk::Result<Frame> EncodeResetCameraToDefaults(uint8_t address);
/// Speeds are 0 (slow) .. 3 (fast).
adapter_sdk::Result<Frame> EncodeSetZoomSpeed(uint8_t address, uint8_t speed);
adapter_sdk::Result<Frame> EncodeSetFocusSpeed(uint8_t address, uint8_t speed);

/// Auto-focus / auto-iris modes (data 2 of 0x2B / 0x2D).
enum class LensMode : uint8_t { kAuto = 0, kOn = 1, kOff = 2 };
adapter_sdk::Result<Frame> EncodeAutoFocusMode(uint8_t address, LensMode mode);
adapter_sdk::Result<Frame> EncodeAutoIrisMode(uint8_t address, LensMode mode);

/// The current pan becomes azimuth zero (for the on-screen display only; position queries stay
/// absolute).
adapter_sdk::Result<Frame> EncodeSetZeroPosition(uint8_t address);
/// Hundredths of a degree, 0..35999 (see PanHundredths).
adapter_sdk::Result<Frame> EncodeSetPanPosition(uint8_t address, uint16_t hundredths);
/// Hundredths of a degree, 0..35999, 0 = horizon, 9000 = straight down (see TiltHundredths).
adapter_sdk::Result<Frame> EncodeSetTiltPosition(uint8_t address, uint16_t hundredths);
/// Ratio of the zoom range, 0..65535 (see ZoomValue).
adapter_sdk::Result<Frame> EncodeSetZoomPosition(uint8_t address, uint16_t value);
/// Hundredths of X (500 = X5). Device-specific (some domes use 0x5F for focus position).
adapter_sdk::Result<Frame> EncodeSetMagnification(uint8_t address, uint16_t hundredths_of_x);
/// Part number query: the dome answers with an 18-byte frame (not decoded here).
adapter_sdk::Result<Frame> EncodeQueryPartNumber(uint8_t address);

/// The position queries and the response each one gets.
enum class Query { kPanPosition, kTiltPosition, kZoomPosition, kMagnification };
adapter_sdk::Result<Frame> EncodeQuery(uint8_t address, Query query);
ResponseOpcode ResponseOpcodeFor(Query query);

// ---------------------------------------------------------------------------------------------
// Decoding.

/// A command frame taken apart (e.g. by a simulated dome, or to log what was sent).
struct DecodedCommand {
  uint8_t address = 0;
  std::variant<StandardCommand, ExtendedCommand> command;

  bool operator==(const DecodedCommand&) const = default;
};

/// Decodes exactly one 7-byte command frame. nullopt: wrong length, no sync byte, bad checksum,
/// address 0, reserved bits set, or an unknown extended opcode.
std::optional<DecodedCommand> DecodeCommand(std::string_view bytes);

/// General response: sent after every command by domes that answer at all.
struct GeneralResponse {
  uint8_t address = 0;
  /// Bit n-1 set: alarm n (1..7) active. Bit 7 unused.
  uint8_t alarms = 0;

  bool operator==(const GeneralResponse&) const = default;
};

/// Extended response to a position query.
struct ExtendedResponse {
  uint8_t address = 0;
  ResponseOpcode opcode = ResponseOpcode::kPanPosition;
  /// Data 1 (MSB) and data 2 (LSB).
  uint16_t value = 0;

  bool operator==(const ExtendedResponse&) const = default;
};

/// Decodes exactly one 4-byte general response to `sent`: FF, sent address, alarms, checksum =
/// (checksum of `sent` + alarms) mod 256.
std::optional<GeneralResponse> DecodeGeneralResponse(std::string_view bytes, const Frame& sent);

/// Decodes exactly one 7-byte extended response: FF, address, 00, response opcode, MSB, LSB,
/// checksum as for commands.
std::optional<ExtendedResponse> DecodeExtendedResponse(std::string_view bytes);

/// Finds the first general response to `sent` in `received`. Framing is by length after a sync
/// byte; a candidate that fails (checksum, address) moves the search on by ONE byte only, because
/// 0xFF is also a legal data and checksum value. Returns NeedMore while a candidate could still
/// complete.
adapter_sdk::ResponseMatch FindGeneralResponse(std::string_view received, const Frame& sent);

/// Finds the first extended response with `opcode` from `address` in `received`, framed and
/// resynchronised as FindGeneralResponse does.
adapter_sdk::ResponseMatch FindExtendedResponse(std::string_view received, uint8_t address,
                                                ResponseOpcode opcode);

/// Matchers for SerialLine::Exchange built on the two functions above.
adapter_sdk::ResponseMatcher GeneralResponseMatcher(const Frame& sent);
adapter_sdk::ResponseMatcher ExtendedResponseMatcher(uint8_t address, ResponseOpcode opcode);

// ---------------------------------------------------------------------------------------------
// Mapping between ONVIF quantities and Pelco-D fields.

struct PanMotion {
  Pan direction = Pan::kStop;
  uint8_t speed = 0;
  bool operator==(const PanMotion&) const = default;
};
struct TiltMotion {
  Tilt direction = Tilt::kStop;
  uint8_t speed = 0;
  bool operator==(const TiltMotion&) const = default;
};

/// round(|magnitude| × 0x3F) for |magnitude| in [0, 1] (clamped; NaN counts as 0). With
/// `allow_turbo`, |magnitude| = 1 gives kTurboSpeed instead of kMaxSpeed.
uint8_t SpeedFromMagnitude(double magnitude, bool allow_turbo);

/// Normalised ONVIF velocity in [-1, 1] (positive = right) → direction and speed. 0 (or NaN) stops
/// the axis; any other value moves it, even where the speed rounds to 0 (0 is "very slow").
PanMotion PanFromVelocity(double velocity, bool allow_turbo);
/// Positive = up. Tilt has no turbo.
TiltMotion TiltFromVelocity(double velocity);
/// Positive = tele (zoom in). The standard command has no zoom speed (see EncodeSetZoomSpeed).
Zoom ZoomFromVelocity(double velocity);

/// Pan position: hundredths of a degree 0..35999 ↔ degrees [0, 360).
double PanDegrees(uint16_t hundredths);
/// Any angle, normalised into [0, 360) and rounded to the nearest hundredth.
uint16_t PanHundredths(double degrees);

/// Tilt position ↔ elevation in degrees, positive above the horizon (ONVIF's "up"), negative
/// below: 0 = horizon, 4500 = 45° down (-45), 9000 = straight down (-90), 33000 = 30° up (+30).
/// Values ≥ 18000 count as above the horizon.
double TiltElevationDegrees(uint16_t hundredths);
/// Any elevation, normalised modulo 360° and rounded to the nearest hundredth.
uint16_t TiltHundredths(double elevation_degrees);

/// Zoom position value 0..65535 ↔ ratio of the zoom range [0, 1] (clamped).
double ZoomRatio(uint16_t value);
uint16_t ZoomValue(double ratio);

}  // namespace onvifgw::pelco_d
