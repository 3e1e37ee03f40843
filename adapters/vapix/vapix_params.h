#pragma once

// What Axis cameras answer to the VAPIX CGIs, read without any I/O: param.cgi lists, `key=value`
// replies (ptz.cgi queries, port.cgi checks), the replies to commands, date.cgi's clock, POSIX
// time zones, and the CGI paths of each VAPIX generation. Facts: shared/protocols/axis-vapix.md.
//
// VAPIX reports most errors with HTTP 200 and a text body (`# Error: ...` from param.cgi,
// `Error: ...` from the other CGIs, `Request failed: ...` from date.cgi), so every reply is read
// here before it is believed.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sdk/result.h"

namespace onvifgw::vapix {

// ------------------------------------------------------------------------------ Text helpers

/// The lines of a reply without their line ends (CRLF or LF); a last empty line is dropped.
std::vector<std::string_view> Lines(std::string_view body);

/// Whether `line` is one of VAPIX's error forms: `# Error`, `Error`, `Request failed`.
bool IsErrorLine(std::string_view line);

/// The camera's words for a message: the non-empty lines joined with " / ", non-printable
/// characters replaced, cut to kMaxCameraText characters ("..." marks a cut).
inline constexpr size_t kMaxCameraText = 200;
std::string CameraText(std::string_view body);

/// Whether the comma-separated `list` holds `item`, ignoring case ("jpeg,mjpeg,h264").
bool ListContains(std::string_view list, std::string_view item);

/// `value` with at most `decimals` decimals and no trailing zeros: 51.2891, -12.5, 0.
std::string FormatNumber(double value, int decimals);

// ------------------------------------------------------------------------------- CGI paths

enum class Cgi {
  kParam,
  kDate,
  kRestart,
  kFactoryDefault,
  kHardFactoryDefault,
  kSystemLog,
  kFirmwareUpgrade,
  kSnapshot,
  kMjpeg,
  kPtz,
  kPort,
  kMotionData,
};

/// The path of `cgi` on a camera: VAPIX 3 (Properties.API.HTTP.Version=3) names CGIs at
/// /axis-cgi/<name>.cgi; VAPIX 2 put the admin ones under /axis-cgi/admin/ and param.cgi under
/// /axis-cgi/operator/ (an operator account reads and updates the parameters the adapter uses).
/// The CGIs the notes give one path for keep it on both generations.
std::string_view CgiPath(Cgi cgi, bool vapix3);

// ---------------------------------------------------------------------------- param.cgi list

/// One `# Error:` line of a param.cgi reply.
struct ParamError {
  /// The first quoted name in the line: the group of a list error, the parameter of an update
  /// error; empty when the line quotes none.
  std::string subject;
  /// The line after "# Error:", trimmed.
  std::string text;
};

/// A param.cgi `action=list` reply: `root.Group.Param=value` lines (CRLF), with or without
/// `root.`, possibly mixed with `# Error:` lines for groups the camera refused.
struct ParamList {
  std::map<std::string, std::string, std::less<>> values;  ///< By name without `root.`.
  std::vector<ParamError> errors;
  std::vector<std::string> other_lines;  ///< Neither a parameter nor an error (kept for messages).

  /// The value, or nullptr.
  const std::string* Find(std::string_view name) const;
  /// The value, or `fallback`.
  std::string Get(std::string_view name, std::string_view fallback = {}) const;
  /// Whether any parameter of `group` ("Properties", "IOPort.I0") was listed.
  bool HasGroup(std::string_view group) const;
  /// The error naming `group` (or one of its parameters), or nullptr.
  const ParamError* ErrorFor(std::string_view group) const;
};

/// Reads a list reply; never fails (the caller decides which groups it needs).
ParamList ParseParamList(std::string_view body);

/// Reads a list reply and fails on any `# Error:` line, naming the refused group(s), or on a body
/// without any parameter.
adapter_sdk::Result<ParamList> ParseParamListStrict(std::string_view body);

// ------------------------------------------------------------------------- Commands and pairs

/// The reply to a command (param.cgi update, ptz.cgi move, port.cgi action, date.cgi set,
/// factorydefault.cgi): success for 204, an empty body or `OK`; the camera's text for an error
/// line anywhere in the body; "unexpected reply" with the text for anything else.
adapter_sdk::Result<void> CheckControlReply(unsigned status, std::string_view body);

/// A lenient check for CGIs whose success text varies (restart.cgi answers text or HTML): only an
/// error line fails.
adapter_sdk::Result<void> CheckNoErrorReply(std::string_view body);

/// `key=value` lines (ptz.cgi queries, port.cgi checks). Lines without '=' are skipped (the
/// "Preset Positions for camera 1" title); an error line anywhere fails with the camera's text.
/// Keys and values are trimmed; a repeated key keeps its last value.
using KeyValues = std::map<std::string, std::string, std::less<>>;
adapter_sdk::Result<KeyValues> ParseKeyValues(std::string_view body);

// ---------------------------------------------------------------------------------- I/O ports

/// port.cgi `checkactive=` reply (`port3=active` / `port3=inactive`): port number (1-based) ->
/// active. A value that is neither fails.
adapter_sdk::Result<std::map<uint32_t, bool>> ParsePortActive(std::string_view body);

/// One I/O port as the IOPort group describes it.
struct IoPort {
  uint32_t number = 0;  ///< 1-based, as port.cgi counts: IOPort.I<number - 1>.
  bool output = false;  ///< IOPort.I#.Direction=output.
  std::string name;     ///< IOPort.I#.Input.Name or .Output.Name.
  /// The port is active when its circuit is closed: Output.Active=closed for an output,
  /// Input.Trig=closed for an input (the default; idle is then open).
  bool active_closed = true;
  bool operator==(const IoPort&) const = default;
};

/// The ports of an IOPort listing, by number; ports without a Direction are left out.
std::vector<IoPort> IoPortsFromParams(const ParamList& params);

// ----------------------------------------------------------------------------------- Video

struct Resolution {
  uint32_t width = 0;
  uint32_t height = 0;
  bool operator==(const Resolution&) const = default;
};

/// The `WxH` entries of Properties.Image.Resolution ("1280x720,640x360,4CIF"); named sizes
/// (4CIF, CIF, QCIF) are skipped.
std::vector<Resolution> ParseResolutions(std::string_view list);

/// The largest by area (the first of equals); nullopt for an empty list.
std::optional<Resolution> LargestResolution(const std::vector<Resolution>& resolutions);

// ------------------------------------------------------------------------------------ Clock

/// A wall-clock date and time without a zone.
struct CivilTime {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool operator==(const CivilTime&) const = default;
};

/// date.cgi `action=get`: `Jul 24, 2013 19:19:17` (day with or without a leading zero), the
/// camera's local time. An error line fails with the camera's text.
adapter_sdk::Result<CivilTime> ParseCameraDate(std::string_view body);

/// Seconds since 1970-01-01T00:00:00 of `time` read as UTC, and back.
int64_t CivilToEpoch(const CivilTime& time);
CivilTime EpochToCivil(int64_t seconds);

/// The offset east of UTC, in seconds, of a POSIX TZ string made of a standard time only:
/// "UTC0", "GMT0", "CET-1", "EST5", "<+0530>-5:30" (POSIX counts west of Greenwich, so CET-1 is
/// UTC+1). Zones with a daylight saving part ("CET-1CEST,M3.5.0,M10.5.0/3") are refused: this
/// adapter cannot yet tell when the camera's summer time applies.
adapter_sdk::Result<int32_t> PosixZoneOffset(std::string_view zone);

// -------------------------------------------------------------------------------------- PTZ

struct Range {
  double min = 0;
  double max = 0;
  bool operator==(const Range&) const = default;
};

/// ptz.cgi `query=limits`: the axes whose both ends are numbers with min < max.
struct PtzLimits {
  std::optional<Range> pan;   ///< MinPan/MaxPan, degrees.
  std::optional<Range> tilt;  ///< MinTilt/MaxTilt, degrees.
  std::optional<Range> zoom;  ///< MinZoom/MaxZoom, device steps.
  bool operator==(const PtzLimits&) const = default;
};
adapter_sdk::Result<PtzLimits> ParsePtzLimits(std::string_view body);

/// ptz.cgi `query=position`: the fields the camera reports (absent ones stay unset).
struct PtzPosition {
  std::optional<double> pan;
  std::optional<double> tilt;
  std::optional<double> zoom;
};
adapter_sdk::Result<PtzPosition> ParsePtzPosition(std::string_view body);

/// ptz.cgi `query=limits`: MinFocus/MaxFocus when both are numbers with min < max (a lens whose
/// focus the camera moves); nullopt otherwise.
std::optional<Range> ParseFocusLimits(std::string_view body);

/// ptz.cgi `query=position`: the lens' `focus` steps and `autofocus=on|off`, where reported.
struct FocusPosition {
  std::optional<double> focus;
  std::optional<bool> autofocus;
};
adapter_sdk::Result<FocusPosition> ParseFocusPosition(std::string_view body);

/// ptz.cgi `query=presetposall` / `presetposcam`: the numbers of the stored server presets
/// (`presetposno1=Home`, ...), ascending.
adapter_sdk::Result<std::vector<uint32_t>> ParsePresetNumbers(std::string_view body);

// ----------------------------------------------------------------------------------- Motion

/// One record of motion/motiondata.cgi: `group=0;level=3;threshold=20;` (fields in any order,
/// the last ';' optional).
struct MotionRecord {
  uint32_t group = 0;
  uint32_t level = 0;
  uint32_t threshold = 0;
  /// What the adapter calls motion: the level above the threshold.
  bool Motion() const { return level > threshold; }
};
/// nullopt for a line that is not such a record (level or threshold missing or not a number).
std::optional<MotionRecord> ParseMotionRecord(std::string_view line);

}  // namespace onvifgw::vapix
