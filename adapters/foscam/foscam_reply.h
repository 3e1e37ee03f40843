#pragma once
// The classic Foscam (FI8918W era, "Netwave IP Camera") CGI vocabulary as pure functions: reading
// `var name=value;` replies, telling `ok.` from `error: illegal params.`, the decoder_control
// codes, the videostream rate codes and the time zone arithmetic. No I/O, so all of it is tested
// without a camera (/work/shared/protocols/foscam-cgi.md is the reference).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/sdk/result.h"

namespace onvifgw::foscam {

// ------------------------------------------------------------------------------------ Replies

/// The variables of a `var name=value;` reply by name, values unquoted (a later duplicate wins).
using Vars = std::map<std::string, std::string, std::less<>>;

/// Reads a reply made of `var name=value;` statements: one or several per line, LF or CRLF line
/// ends, the final line end optional. Values are single- or double-quoted strings (backslash
/// escapes) or bare words; the `var ` keyword and a final `;` before a line end may be missing.
/// An error (naming the line) for anything else, and for a reply without a single variable.
adapter_sdk::Result<Vars> ParseVars(std::string_view body);

/// An integer variable; an error naming it when it is absent or not a decimal integer.
adapter_sdk::Result<int64_t> IntVar(const Vars& vars, std::string_view name);

/// What a command CGI answered.
enum class CommandReply {
  kOk,     ///< `ok.` (with any line end)
  kError,  ///< `error: ...`, e.g. `error: illegal params.`
  kOther,  ///< anything else
};
CommandReply ClassifyCommandReply(std::string_view body);

/// Whether `body` is the camera's refusal (`error: ...`) rather than data.
bool IsCameraError(std::string_view body);

/// The camera's text for a message: trimmed, control and non-ASCII bytes as '?', at most 120
/// characters (then "...").
std::string CameraText(std::string_view body);

// ------------------------------------------------------------------------------------------ PTZ

/// The moves of a pan/tilt head, as the SDK names them (before any mirroring).
enum class PtzDirection { kUp, kDown, kLeft, kRight, kUpLeft, kUpRight, kDownLeft, kDownRight };

/// decoder_control codes that need no arithmetic.
inline constexpr uint32_t kStopCode = 1;  ///< "stop up": stops every pan/tilt move (FI8918W).
inline constexpr uint32_t kCenterCode = 25;
inline constexpr uint32_t kZoomWideCode = 16;
inline constexpr uint32_t kZoomWideStopCode = 17;
inline constexpr uint32_t kZoomTeleCode = 18;
inline constexpr uint32_t kZoomTeleStopCode = 19;
inline constexpr uint32_t kMaxPresets = 16;
/// "switch 1": the external relay of the models that have one.
inline constexpr uint32_t kSwitchCloseCode = 22;
inline constexpr uint32_t kSwitchOpenCode = 23;

/// The command for a move; `invert_pan` mirrors left and right (4<->6, 90<->91, 92<->93).
uint32_t MoveCode(PtzDirection direction, bool invert_pan);

/// Velocities below this (in magnitude) count as 0.
inline constexpr double kVelocityDeadZone = 0.1;

/// The dominant direction or diagonal of a generic velocity (pan positive right, tilt positive
/// up): the nearest of the eight 45° sectors. Nullopt when both components are within the dead
/// zone (a stop).
std::optional<PtzDirection> DirectionOf(double pan, double tilt);

/// Set / go to preset n (1..16): 30 + 2(n-1) / 31 + 2(n-1); nullopt outside 1..16.
std::optional<uint32_t> SetPresetCode(uint32_t preset);
std::optional<uint32_t> GotoPresetCode(uint32_t preset);

// --------------------------------------------------------------------------------------- Video

/// videostream.cgi `rate`: the listed code whose rate is the highest not above `fps` (0 = full
/// speed for more than 20 fps or a non-positive value; 23 = 1/5 fps for anything slower).
uint32_t RateCode(double fps);
/// The frame rate of a listed rate code; nullopt for 0 (full speed, the camera's own) and for
/// the codes between the listed ones.
std::optional<double> RateFps(uint32_t code);

// --------------------------------------------------------------------------------------- Time

/// The `tz` values a camera takes: seconds WEST of UTC, UTC-12 (43200) to UTC+14 (-50400).
inline constexpr int64_t kMinTz = -50400;
inline constexpr int64_t kMaxTz = 43200;

/// The POSIX TZ string of a camera's `tz` (seconds west of UTC): 18000 -> "UTC5", -3600 ->
/// "UTC-1", -19800 -> "UTC-5:30", 0 -> "UTC0".
std::string PosixZoneFromTz(int64_t west_seconds);

/// The camera's `tz` for a POSIX TZ string without daylight saving rules: a name (3 or more
/// letters, or <quoted>) and an offset [+|-]hh[:mm[:ss]] hours WEST of UTC ("UTC0", "CET-1",
/// "EST5", "<+0530>-5:30"). An error for zones with rules the camera cannot express (a daylight
/// saving part) and for offsets beyond kMinTz..kMaxTz.
adapter_sdk::Result<int64_t> TzFromPosixZone(std::string_view zone);

}  // namespace onvifgw::foscam
