#!/usr/bin/env python3
"""A classic Foscam MJPEG camera (FI8918W, "Netwave IP Camera") on 127.0.0.1.

End-to-end tests of the Foscam adapter need a camera that speaks the
first-generation Foscam CGI API the way the real firmware does. This program
plays one such camera per process: the CGIs of
/work/shared/protocols/foscam-cgi.md (the notes this follows), their
`var name=value;` replies, `ok.` and `error: illegal params.` bodies (HTTP
200 both), credentials as `user`/`pwd` query parameters or Basic auth, three
privilege levels, the pan/tilt head with its FI8918W quirks (mirrored pan,
IR on 94/95, `command=1` stopping everything), presets, the alarm status a
poller turns into events, and an endless MJPEG stream of ffmpeg's testsrc2.

Usage:
    /usr/bin/python3 tests/fakes/foscam_camera.py [--port N] [--user admin]
        [--password PW] [--operator-user NAME:PW] [--visitor-user NAME:PW]
        [--basic-only] [--alias FI8918W] [--id 000DC5D4DC51]
        [--sys-ver 11.37.2.49] [--app-ver 2.4.18.17] [--invert-pan]
        [--ir-on-code 95|94] [--zoom] [--width 640] [--height 480] [--fps 10]
        [--max-streams 1] [--threaded] [--alarm-hold 1.0]
        [--reboot-seconds 0.5] [--latency 0] [--log-cap 10000]

First stdout line: {"port": N, "url": "http://127.0.0.1:N"}.
After that stdin/stdout are a control channel of JSON lines, one response
line per request line, in order:
    {"cmd":"state"}                -> the whole camera (see Camera.state):
                                      ptz {pan, tilt, zoom, moving, direction,
                                      pan_direction, tilt_direction, target,
                                      patrol, last_command}, presets, ir,
                                      camera_params, misc, alarm, alarm_status,
                                      motion, input, time, counters, users ...
    {"cmd":"requests"}             -> {"requests":[{"method","path","query",
                                      "auth":"query|basic|none","user",
                                      "status","t_ns"}...], "dropped":N}
                                      since the last call (pwd values masked;
                                      auth: the credentials that let it in,
                                      else the first ones it carried; user:
                                      their name; status null when nothing
                                      was answered; t_ns CLOCK_MONOTONIC)
    {"cmd":"motion","on":true}     the motion detector sees something (an
                                      alarm only while motion_armed=1)
    {"cmd":"input","on":true}      the alarm input is active (an alarm only
                                      while input_armed=1)
    {"cmd":"silent","on":true}     accept connections and read requests but
                                      never answer; streams stop sending
    {"cmd":"fail","path":"/decoder_control.cgi","status":200,
     "body":"error: illegal params.\\r\\n","count":N}
                                   the next N requests to that path get this
                                      reply instead (before authentication, and
                                      nothing is executed); count -1: until
                                      cleared with count 0. Defaults: status
                                      200, that body, count 1.
    {"cmd":"password","password":"..."}   the administrator's (slot 1) new
                                      password, as set_users.cgi would
    {"cmd":"quit"}
Every command but state/requests answers {"ok":true}. Errors: {"error":"..."}.
Diagnostics go to stderr only (a line per HTTP request when
FOSCAM_FAKE_VERBOSE is set). The program ends when stdin closes.

HTTP behaviour:
    Replies carry `Server: Netwave IP Camera`, `Cache-Control: no-cache` and
    `Connection: close`; the connection is closed after every reply (the
    firmware knows no keep-alive). The status line says HTTP/1.1, as in
    recorded traffic of real cameras, but the semantics are HTTP/1.0's.
    Line endings follow the notes where they speak (`ok.` and the error body
    end in CRLF) and recorded traffic elsewhere (`var ...;` lines end in LF
    only: a recorded get_status.cgi Content-Length proves it); an adapter
    must accept both. `Date:` is the camera's own clock (set_datetime.cgi).

    Concurrency. The real camera serves HTTP from one thread: a control
    request waits for the previous one, and on busy cameras a running
    videostream.cgi starves everything else. Taken literally that would
    make any test with a stream open hang, so by default this fake emulates
    what the camera does in practice: control requests are handled strictly
    one at a time (a global lock, held from the start of handling to the
    close of the connection; the request itself is read before the lock is
    taken), while streams run on their own threads, at most --max-streams
    (default 1) at once: a further videostream.cgi gets 503 and is closed.
    --threaded drops the control lock (requests are handled concurrently);
    --max-streams still applies. --latency S adds S seconds of "processing"
    to every control request (inside the lock), to make serialisation
    observable.

    Authentication: `user`/`pwd` query parameters (ignored with
    --basic-only, as on firmware 11.37+) or Basic auth; either one that names
    a user with its password lets the request in (a query login is tried
    first). Missing or wrong credentials, or a level below the CGI's, get
    401 with `WWW-Authenticate: Basic realm="ipcamera_<id>"` (the realm
    scanners fingerprint these cameras by). Levels: visitor 0 (video,
    snapshot, status, camera params, check_user), operator 1 (PTZ,
    camera_control, get_misc), admin 2 (everything else).

CGIs (all GET but upgrade_firmware.cgi, which wants a multipart POST; any
method is taken the same way elsewhere; unknown parameters, `next_url`
included, are ignored; anything else is 404):
    videostream.cgi?resolution=8|32&rate=R  MJPEG, boundary `ipcamera`, each
        part `--ipcamera` CRLF, Content-Type, Content-Length, CRLF, JPEG, CRLF.
        Rate codes per the notes (0 full = --fps, 1 = 20 fps, 3 = 15, 6 = 10,
        11 = 5 ... 23 = 1/5 fps, codes between interpolated, never above
        --fps); codes above 23 or other resolutions: error: illegal params.
    snapshot.cgi[?resolution=8|32]  one JPEG.
        Resolution 32 is --width x --height (default 640x480), 8 is half of
        each (320x240); both are rendered once at start (2 s of testsrc2 at
        --fps each, played in a loop; the picture shown follows the clock).
    get_status.cgi, get_camera_params.cgi, camera_control.cgi?param&value,
    decoder_control.cgi?command[&onestep=1][&degree=d], get_misc.cgi,
    set_misc.cgi, get_params.cgi, set_datetime.cgi, check_user.cgi,
    set_alarm.cgi, set_alias.cgi, set_users.cgi (all eight slots or
    error: illegal params.), reboot.cgi, restore_factory.cgi, get_log.cgi,
    upgrade_firmware.cgi.
    Out-of-range values: error: illegal params. (nothing is changed).
    Defaults (factory): resolution 32, brightness 128, contrast 4, mode 0
    (50 Hz), flip 0, fps 0; motion/input alarms disarmed; led_mode 0,
    ptz_center_onstart 0 and ptz_disable_preset 0 (so that a reboot does not
    move the head and presets work), other misc fields as recorded on a real
    camera; tz 0, NTP off.

PTZ (decoder_control.cgi). No position can be read over CGI, but the fake
keeps the physical position for the control channel, computed from
CLOCK_MONOTONIC whenever needed (nothing ticks):
    pan -170..+170 degrees (+ = right as seen from behind the camera), tilt
    -90..+30 degrees (+ = up; 0 = straight ahead), the head starts at 0/0.
    Continuous moves run at 30 deg/s until a stop or the mechanical limit;
    center (25) and go-to-preset at 60 deg/s; onestep=1 moves 5 degrees and
    degree=d moves d degrees (up/down/left/right only) at 30 deg/s.
    A move command replaces the current motion (up stops a pan). 1/3/5/7 all
    stop every pan/tilt motion (what clients rely on with command=1) and end a
    patrol. Directions are SDK ones: 4 left, 6 right, 90 up-left, 91
    up-right, 92 down-left, 93 down-right; --invert-pan mirrors pan
    physically (4 then moves right, 90 up-right ...), the state reports the
    physical direction. Presets 1..16: set = 30+2(n-1), go = 31+2(n-1); an
    unset preset does nothing. 94/95 switch the IR LEDs (--ir-on-code is the
    one that switches them on). 22/23 close/open the external relay
    ("switch 1", state switch_closed). 20/26/28 start the cruise/vertical/
    horizontal patrol and 21/27/29 end it (recorded, the head does not
    move). Zoom 16 wide / 18 tele, 17/19 stop, 25 %/s over 0..100 %, only
    with --zoom. Every other code answers ok. and does nothing, as the
    camera does for codes its hardware ignores.

Alarms: alarm_status is 1 while the motion detector sees something and
motion_armed=1, 2 while the input is active and input_armed=1 (motion wins
when both), and stays set --alarm-hold seconds (default 1.0) after the cause
ends, as the camera's alarm interval. Schedules are not evaluated.

reboot.cgi answers ok., then for --reboot-seconds (default 0.5) every
connection is reset at once (counted as refused_connections); streams and
requests in progress are cut, motion stops (and the head re-centres when
ptz_center_onstart=1). restore_factory.cgi answers ok., restores every
setting (users: admin with an empty password only; presets cleared) and
reboots; both are counted, as are upgrade_firmware.cgi calls.
"""

import argparse
import base64
import collections
import contextlib
import email.utils
import http
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

SERVER_NAME = "Netwave IP Camera"
BOUNDARY = "ipcamera"
OK_BODY = b"ok.\r\n"
ILLEGAL_BODY = b"error: illegal params.\r\n"

VISITOR, OPERATOR, ADMIN = 0, 1, 2
USER_SLOTS = 8
PRESET_COUNT = 16

PAN_LIMIT = 170.0            # degrees either side of the centre
TILT_DOWN_LIMIT = -90.0
TILT_UP_LIMIT = 30.0
MOVE_RATE = 30.0             # deg/s, continuous moves and steps
GOTO_RATE = 60.0             # deg/s, centre and presets
ONESTEP_DEGREES = 5.0
ZOOM_RATE = 25.0             # %/s

# Frame-rate codes of videostream.cgi -> fps (None: the sensor's full rate).
# Codes between these give intermediate rates (interpolated here).
RATE_POINTS = [(0, None), (1, 20.0), (3, 15.0), (6, 10.0), (11, 5.0), (12, 4.0),
               (13, 3.0), (14, 2.0), (15, 1.0), (17, 1 / 2), (19, 1 / 3), (21, 1 / 4),
               (23, 1 / 5)]
MAX_RATE_CODE = 23

READ_TIMEOUT_S = 10.0        # to receive a whole request head
SEND_TIMEOUT_S = 5.0         # a stream client that stops reading is dropped
HEAD_CAP = 8192
BODY_KEEP_CAP = 1024 * 1024  # bytes of a POST body kept; the rest is read and dropped
BODY_CAP = 64 * 1024 * 1024
SILENT_HOLD_CAP_S = 600.0
CONNECTION_CAP = 64          # simultaneous connections; more are reset
CONTROL_LINE_CAP = 1024 * 1024

VERBOSE = bool(os.environ.get("FOSCAM_FAKE_VERBOSE"))


def log(message):
    print(f"foscam_camera: {message}", file=sys.stderr, flush=True)


# -- the sensor ----------------------------------------------------------------

def render_pictures(width, height, fps, seconds, workdir):
    """`seconds` of ffmpeg's testsrc2 as a list of JPEG pictures."""
    pattern = os.path.join(workdir, f"{width}x{height}_%04d.jpg")
    count = max(1, round(fps * seconds))
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    f"testsrc2=size={width}x{height}:rate={fps}", "-frames:v", str(count),
                    "-q:v", "5", "-pix_fmt", "yuvj420p", pattern],
                   check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
    pictures = []
    for n in range(1, count + 1):
        with open(pattern % n, "rb") as f:
            pictures.append(f.read())
    return pictures


class Sensor:
    """The rendered pictures of both resolutions, played by the clock."""

    def __init__(self, width, height, fps):
        self.fps = fps
        self.start_ns = time.monotonic_ns()
        with tempfile.TemporaryDirectory(prefix="foscam_camera_") as workdir:
            self.pictures = {
                32: render_pictures(width, height, fps, 2, workdir),
                8: render_pictures(max(2, width // 2 // 2 * 2), max(2, height // 2 // 2 * 2),
                                   fps, 2, workdir),
            }

    def picture(self, resolution):
        pictures = self.pictures[resolution]
        elapsed = (time.monotonic_ns() - self.start_ns) / 1e9
        return pictures[int(elapsed * self.fps) % len(pictures)]


def rate_fps(code, full_fps):
    """videostream.cgi rate code -> frames per second (None if illegal)."""
    if not 0 <= code <= MAX_RATE_CODE:
        return None
    for (c0, f0), (c1, f1) in zip(RATE_POINTS, RATE_POINTS[1:]):
        if c0 <= code <= c1:
            f0 = full_fps if f0 is None else f0
            fps = f0 + (f1 - f0) * (code - c0) / (c1 - c0)
            return min(fps, full_fps)
    return None


# -- the pan/tilt head -------------------------------------------------------------

class Axis:
    """One motor between two mechanical limits: moving on, or towards a target."""

    def __init__(self, low, high):
        self.low = low
        self.high = high
        self.value = 0.0
        self.velocity = 0.0      # units/s, signed; continuous move
        self.target = None
        self.rate = 0.0          # units/s towards the target

    def stop(self):
        self.velocity = 0.0
        self.target = None

    def move(self, velocity):
        self.target = None
        self.velocity = float(velocity)

    def go_to(self, target, rate):
        self.velocity = 0.0
        self.target = min(max(float(target), self.low), self.high)
        self.rate = rate
        if self.target == self.value:
            self.target = None

    def advance(self, seconds):
        if self.target is not None:
            step = self.rate * seconds
            if step >= abs(self.target - self.value):
                self.value = self.target
                self.target = None
            else:
                self.value += step if self.target > self.value else -step
        elif self.velocity:
            self.value = min(max(self.value + self.velocity * seconds, self.low), self.high)

    def direction(self):
        """-1/0/+1: where the motor is turning now (0 when held at a limit)."""
        if self.target is not None:
            return 1 if self.target > self.value else -1
        if self.velocity > 0 and self.value < self.high:
            return 1
        if self.velocity < 0 and self.value > self.low:
            return -1
        return 0


# decoder_control.cgi moves in SDK directions: command -> (pan, tilt), pan
# +1 = right, tilt +1 = up. --invert-pan negates pan on the way to the motors.
MOVES = {0: (0, 1), 2: (0, -1), 4: (-1, 0), 6: (1, 0),
         90: (-1, 1), 91: (1, 1), 92: (-1, -1), 93: (1, -1)}
STEPPABLE = (0, 2, 4, 6)
STOPS = (1, 3, 5, 7)
PATROLS = {20: "cruise", 26: "vertical", 28: "horizontal"}
PATROL_STOPS = (21, 27, 29)
CENTER = 25
SET_PRESET_FIRST, GO_PRESET_FIRST = 30, 31
IR_CODES = (94, 95)
SWITCH_CLOSE, SWITCH_OPEN = 22, 23  # "switch 1": the external relay of models with one
ZOOM_WIDE, ZOOM_WIDE_STOP, ZOOM_TELE, ZOOM_TELE_STOP = 16, 17, 18, 19


# -- settings ---------------------------------------------------------------------

# Parameter specs: name -> ("int", low, high) or ("str", max length).
CAMERA_CONTROL = {0: ("resolution", (8, 32)), 1: ("brightness", range(0, 256)),
                  2: ("contrast", range(0, 7)), 3: ("mode", range(0, 3)),
                  5: ("flip", range(0, 4))}

MISC_SPEC = {
    "led_mode": ("int", 0, 2), "ptz_center_onstart": ("int", 0, 1),
    "ptz_auto_patrol_interval": ("int", 0, 65535), "ptz_auto_patrol_type": ("int", 0, 3),
    "ptz_patrol_h_rounds": ("int", 0, 255), "ptz_patrol_v_rounds": ("int", 0, 255),
    "ptz_patrol_rate": ("int", 0, 100), "ptz_patrol_up_rate": ("int", 0, 100),
    "ptz_patrol_down_rate": ("int", 0, 100), "ptz_patrol_left_rate": ("int", 0, 100),
    "ptz_patrol_right_rate": ("int", 0, 100), "ptz_disable_preset": ("int", 0, 1),
    "ptz_preset_onstart": ("int", 0, 1),
}
MISC_DEFAULTS = {
    "led_mode": 0, "ptz_center_onstart": 0, "ptz_auto_patrol_interval": 0,
    "ptz_auto_patrol_type": 0, "ptz_patrol_h_rounds": 2, "ptz_patrol_v_rounds": 2,
    "ptz_patrol_rate": 10, "ptz_patrol_up_rate": 6, "ptz_patrol_down_rate": 6,
    "ptz_patrol_left_rate": 6, "ptz_patrol_right_rate": 6, "ptz_disable_preset": 0,
    "ptz_preset_onstart": 0,
}

DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
SCHEDULE_KEYS = [f"schedule_{d}_{n}" for d in DAYS for n in range(3)]
ALARM_SPEC = {
    "motion_armed": ("int", 0, 1),
    # The notes leave the sensitivity scale open ("small integer"); any of
    # the values seen in clients is accepted.
    "motion_sensitivity": ("int", 0, 10), "motion_compensation": ("int", 0, 1),
    "input_armed": ("int", 0, 1), "ioin_level": ("int", 0, 1), "iolinkage": ("int", 0, 1),
    "preset": ("int", 0, PRESET_COUNT), "ioout_level": ("int", 0, 1), "mail": ("int", 0, 1),
    "upload_interval": ("int", 0, 65535), "http": ("int", 0, 1), "msn": ("int", 0, 1),
    "http_url": ("str", 128), "schedule_enable": ("int", 0, 1),
    **{k: ("int", 0, 2**32 - 1) for k in SCHEDULE_KEYS},
}
ALARM_DEFAULTS = {
    "motion_armed": 0, "motion_sensitivity": 5, "motion_compensation": 0, "input_armed": 0,
    "ioin_level": 1, "iolinkage": 0, "preset": 0, "ioout_level": 1, "mail": 0,
    "upload_interval": 0, "http": 0, "msn": 0, "http_url": "", "schedule_enable": 0,
    **{k: 0 for k in SCHEDULE_KEYS},
}

DATETIME_SPEC = {
    "now": ("int", 0, 2**32 - 1),
    # Seconds west of UTC: UTC-12 is 43200, UTC+14 is -50400.
    "tz": ("int", -50400, 43200),
    "ntp_enable": ("int", 0, 1), "ntp_svr": ("str", 64),
    "daylight_saving_time": ("int", 0, 1),
}

CAMERA_PARAM_DEFAULTS = {"resolution": 32, "brightness": 128, "contrast": 4, "mode": 0,
                         "flip": 0, "fps": 0}


def parse_value(spec, text):
    """A query value checked against its spec; None when it does not fit."""
    if spec[0] == "str":
        return text if len(text) <= spec[1] else None
    try:
        value = int(text, 10)
    except ValueError:
        return None
    return value if spec[1] <= value <= spec[2] else None


def parse_params(spec, query, required=()):
    """The query's values for the names in `spec`, all checked; None if any is bad."""
    if any(name not in query for name in required):
        return None
    values = {}
    for name, text in query.items():
        if name in spec:
            value = parse_value(spec[name], text)
            if value is None:
                return None
            values[name] = value
    return values


def var_lines(pairs):
    """`var name=value;` lines: strings single-quoted, numbers bare, LF-ended."""
    out = []
    for name, value in pairs:
        if isinstance(value, str):
            value = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
        out.append(f"var {name}={value};\n")
    return "".join(out).encode("utf-8")


class Camera:
    """The device: settings, head, alarms, counters. All access under self.lock."""

    def __init__(self, args, sensor):
        self.args = args
        self.sensor = sensor
        self.lock = threading.RLock()
        self.port = 0
        self.clock_ns = time.monotonic_ns()
        self.boot = 0                 # bumped by a reboot: cuts what was running
        self.rebooting_until_ns = 0
        self.motion_on = False
        self.input_on = False
        # CLOCK_MONOTONIC of the last moment each cause was active, for the hold.
        self.motion_seen_ns = None
        self.input_seen_ns = None
        self.silent = False
        self.active_streams = 0
        self.counters = collections.Counter(reboots=0, factory_resets=0, upgrades=0,
                                            refused_connections=0, requests=0,
                                            unauthorized=0, streams_started=0,
                                            streams_refused=0)
        self.last_upgrade_bytes = None
        self.access_log = collections.deque(maxlen=100)
        self.factory_settings()
        self.users = self.initial_users()

    # -- settings --------------------------------------------------------

    def initial_users(self):
        users = [{"name": "", "pwd": "", "pri": VISITOR} for _ in range(USER_SLOTS)]
        users[0] = {"name": self.args.user, "pwd": self.args.password, "pri": ADMIN}
        slot = 1
        for account, pri in ((self.args.operator_user, OPERATOR),
                             (self.args.visitor_user, VISITOR)):
            if account is not None:
                name, _, pwd = account.partition(":")
                users[slot] = {"name": name, "pwd": pwd, "pri": pri}
                slot += 1
        return users

    def factory_settings(self):
        """Everything restore_factory.cgi puts back (users apart)."""
        self.alias = self.args.alias
        self.camera_params = dict(CAMERA_PARAM_DEFAULTS)
        self.misc = dict(MISC_DEFAULTS)
        self.alarm = dict(ALARM_DEFAULTS)
        self.clock_offset_s = 0.0     # camera time minus host time
        self.datetime = {"tz": 0, "ntp_enable": 0, "ntp_svr": "time.nist.gov",
                         "daylight_saving_time": 0}
        self.presets = {}
        self.ir = False
        self.switch_closed = False  # The external relay ("switch 1": 22 closes, 23 opens).
        self.pan = Axis(-PAN_LIMIT, PAN_LIMIT)
        self.tilt = Axis(TILT_DOWN_LIMIT, TILT_UP_LIMIT)
        self.zoom = Axis(0.0, 100.0) if self.args.zoom else None
        self.patrol = None
        self.last_command = None

    def now(self):
        """The camera's clock, Unix seconds."""
        return int(time.time() + self.clock_offset_s)

    def find_user(self, name, pwd):
        for user in self.users:
            if user["name"] and user["name"] == name and user["pwd"] == pwd:
                return user
        return None

    # -- reboot ----------------------------------------------------------

    def rebooting(self):
        return time.monotonic_ns() < self.rebooting_until_ns

    def reboot(self):
        with self.lock:
            self.settle()
            self.counters["reboots"] += 1
            self.boot += 1
            self.rebooting_until_ns = time.monotonic_ns() + int(self.args.reboot_seconds * 1e9)
            self.pan.stop()
            self.tilt.stop()
            if self.zoom:
                self.zoom.stop()
            self.patrol = None
            if self.misc["ptz_center_onstart"]:
                self.pan.go_to(0, GOTO_RATE)
                self.tilt.go_to(0, GOTO_RATE)

    def restore_factory(self):
        with self.lock:
            self.counters["factory_resets"] += 1
            self.factory_settings()
            self.users = [{"name": "", "pwd": "", "pri": VISITOR} for _ in range(USER_SLOTS)]
            self.users[0] = {"name": "admin", "pwd": "", "pri": ADMIN}
            self.reboot()

    # -- the head --------------------------------------------------------

    def settle(self):
        now_ns = time.monotonic_ns()
        if now_ns > self.clock_ns:
            seconds = (now_ns - self.clock_ns) / 1e9
            for axis in (self.pan, self.tilt, self.zoom):
                if axis:
                    axis.advance(seconds)
            self.clock_ns = now_ns

    def decoder_control(self, command, onestep, degree):
        with self.lock:
            self.settle()
            self.last_command = command
            if command in MOVES:
                pan_dir, tilt_dir = MOVES[command]
                if self.args.invert_pan:
                    pan_dir = -pan_dir
                self.patrol = None
                distance = degree if degree else (ONESTEP_DEGREES if onestep else None)
                if command in STEPPABLE and distance is not None:
                    for axis, direction in ((self.pan, pan_dir), (self.tilt, tilt_dir)):
                        if direction:
                            axis.go_to(axis.value + direction * distance, MOVE_RATE)
                        else:
                            axis.stop()
                else:
                    self.pan.move(pan_dir * MOVE_RATE)
                    self.tilt.move(tilt_dir * MOVE_RATE)
            elif command in STOPS:
                self.pan.stop()
                self.tilt.stop()
                self.patrol = None
            elif command == CENTER:
                self.patrol = None
                self.pan.go_to(0, GOTO_RATE)
                self.tilt.go_to(0, GOTO_RATE)
            elif SET_PRESET_FIRST <= command < SET_PRESET_FIRST + 2 * PRESET_COUNT:
                n = (command - SET_PRESET_FIRST) // 2 + 1
                if self.misc["ptz_disable_preset"]:
                    pass
                elif command % 2 == 0:
                    self.presets[n] = {"pan": self.pan.value, "tilt": self.tilt.value,
                                       "zoom": self.zoom.value if self.zoom else None}
                elif n in self.presets:
                    preset = self.presets[n]
                    self.patrol = None
                    self.pan.go_to(preset["pan"], GOTO_RATE)
                    self.tilt.go_to(preset["tilt"], GOTO_RATE)
                    if self.zoom:
                        self.zoom.go_to(preset["zoom"], ZOOM_RATE)
            elif command in IR_CODES:
                self.ir = command == self.args.ir_on_code
            elif command in (SWITCH_CLOSE, SWITCH_OPEN):
                self.switch_closed = command == SWITCH_CLOSE
            elif command in PATROLS:
                self.patrol = PATROLS[command]
            elif command in PATROL_STOPS:
                self.patrol = None
            elif self.zoom and command in (ZOOM_WIDE, ZOOM_TELE):
                self.zoom.move(ZOOM_RATE if command == ZOOM_TELE else -ZOOM_RATE)
            elif self.zoom and command in (ZOOM_WIDE_STOP, ZOOM_TELE_STOP):
                self.zoom.stop()
            # Anything else: the hardware ignores it, the CGI still says ok.

    def ptz_state(self):
        pan_dir = self.pan.direction()
        tilt_dir = self.tilt.direction()
        words = [{1: "up", -1: "down"}.get(tilt_dir), {1: "right", -1: "left"}.get(pan_dir)]
        words = [w for w in words if w]
        zoom_dir = self.zoom.direction() if self.zoom else 0
        target = None
        if self.pan.target is not None or self.tilt.target is not None:
            target = {"pan": None if self.pan.target is None else round(self.pan.target, 3),
                      "tilt": None if self.tilt.target is None else round(self.tilt.target, 3)}
        return {
            "pan": round(self.pan.value, 3),
            "tilt": round(self.tilt.value, 3),
            "zoom": round(self.zoom.value, 3) if self.zoom else None,
            "moving": bool(pan_dir or tilt_dir or zoom_dir),
            "pan_tilt_moving": bool(pan_dir or tilt_dir),
            "pan_direction": pan_dir,
            "tilt_direction": tilt_dir,
            "zoom_direction": zoom_dir,
            "direction": "-".join(words) or None,
            "target": target,
            "patrol": self.patrol,
            "last_command": self.last_command,
        }

    # -- alarms ----------------------------------------------------------

    def note_alarm_causes(self):
        """Remembers that a cause is active now (called before any change)."""
        now_ns = time.monotonic_ns()
        if self.motion_on and self.alarm["motion_armed"]:
            self.motion_seen_ns = now_ns
        if self.input_on and self.alarm["input_armed"]:
            self.input_seen_ns = now_ns

    def alarm_status(self):
        self.note_alarm_causes()
        now_ns = time.monotonic_ns()
        hold_ns = int(self.args.alarm_hold * 1e9)

        def held(seen_ns):
            return seen_ns is not None and now_ns - seen_ns <= hold_ns

        if held(self.motion_seen_ns):
            return 1
        if held(self.input_seen_ns):
            return 2
        return 0

    def set_alarm_cause(self, which, on):
        with self.lock:
            self.note_alarm_causes()
            setattr(self, which, on)
            self.note_alarm_causes()

    def set_alarm_config(self, values):
        with self.lock:
            self.note_alarm_causes()
            self.alarm.update(values)
            self.note_alarm_causes()

    # -- the control channel's view ---------------------------------------

    def state(self):
        with self.lock:
            self.settle()
            return {
                "id": self.args.id, "alias": self.alias, "sys_ver": self.args.sys_ver,
                "app_ver": self.args.app_ver,
                "ptz": self.ptz_state(),
                "presets": {str(n): {k: None if v is None else round(v, 3)
                                     for k, v in p.items()}
                            for n, p in sorted(self.presets.items())},
                "ir": self.ir,
                "switch_closed": self.switch_closed,
                "camera_params": dict(self.camera_params),
                "misc": dict(self.misc),
                "alarm": dict(self.alarm),
                "alarm_status": self.alarm_status(),
                "motion": self.motion_on,
                "input": self.input_on,
                "time": {"now": self.now(), **self.datetime},
                "counters": dict(self.counters),
                "last_upgrade_bytes": self.last_upgrade_bytes,
                "rebooting": self.rebooting(),
                "silent": self.silent,
                "active_streams": self.active_streams,
                "users": [dict(u) for u in self.users],
            }

    # -- CGI bodies --------------------------------------------------------

    def status_vars(self):
        with self.lock:
            return var_lines([
                ("id", self.args.id), ("sys_ver", self.args.sys_ver),
                ("app_ver", self.args.app_ver), ("alias", self.alias), ("now", self.now()),
                ("tz", self.datetime["tz"]), ("alarm_status", self.alarm_status()),
                ("ddns_status", 0), ("ddns_host", ""), ("oray_type", 0), ("upnp_status", 0),
                ("p2p_status", 0), ("p2p_local_port", 25197), ("msn_status", 0)])

    def params_vars(self):
        with self.lock:
            pairs = [("id", self.args.id), ("sys_ver", self.args.sys_ver),
                     ("app_ver", self.args.app_ver), ("alias", self.alias), ("now", self.now()),
                     ("tz", self.datetime["tz"]),
                     ("daylight_saving_time", self.datetime["daylight_saving_time"]),
                     ("ntp_enable", self.datetime["ntp_enable"]),
                     ("ntp_svr", self.datetime["ntp_svr"])]
            for n, user in enumerate(self.users, 1):
                pairs += [(f"user{n}_name", user["name"]), (f"user{n}_pwd", user["pwd"]),
                          (f"user{n}_pri", user["pri"])]
            for n in range(2, 10):
                pairs += [(f"dev{n}_alias", ""), (f"dev{n}_host", ""), (f"dev{n}_port", 0),
                          (f"dev{n}_user", ""), (f"dev{n}_pwd", "")]
            pairs += [("ip", "127.0.0.1"), ("mask", "255.0.0.0"), ("gateway", "0.0.0.0"),
                      ("dns", "0.0.0.0"), ("port", self.port),
                      ("wifi_enable", 0), ("wifi_ssid", ""), ("wifi_encrypt", 0),
                      ("wifi_defkey", 0)]
            pairs += [(f"wifi_key{n}", "") for n in range(1, 5)]
            pairs += [("wifi_authtype", 0), ("wifi_keyformat", 0)]
            pairs += [(f"wifi_key{n}_bits", 0) for n in range(1, 5)]
            pairs += [("wifi_channel", 6), ("wifi_mode", 0), ("wifi_wpa_psk", ""),
                      ("pppoe_enable", 0), ("pppoe_user", ""), ("pppoe_pwd", ""),
                      ("upnp_enable", 0), ("ddns_service", 0), ("ddns_user", ""),
                      ("ddns_pwd", ""), ("ddns_host", ""), ("ddns_proxy_svr", ""),
                      ("ddns_proxy_port", 0), ("mail_svr", ""), ("mail_port", 0),
                      ("mail_tls", 0), ("mail_user", ""), ("mail_pwd", ""), ("mail_sender", "")]
            pairs += [(f"mail_receiver{n}", "") for n in range(1, 5)]
            pairs += [("mail_inet_ip", 0), ("ftp_svr", ""), ("ftp_port", 21), ("ftp_user", ""),
                      ("ftp_pwd", ""), ("ftp_dir", ""), ("ftp_mode", 0),
                      ("ftp_upload_interval", 0), ("ftp_filename", ""),
                      ("ftp_numberoffiles", 0), ("ftp_schedule_enable", 0)]
            pairs += [(f"ftp_{k}", 0) for k in SCHEDULE_KEYS]
            pairs += [(f"alarm_{k}", v) for k, v in self.alarm.items()]
            pairs += [("decoder_baud", 12), ("msn_user", ""), ("msn_pwd", "")]
            pairs += [(f"msn_friend{n}", "") for n in range(1, 11)]
            return var_lines(pairs)

    def log_access(self, user, peer):
        with self.lock:
            stamp = time.strftime("%a, %Y-%m-%d %H:%M:%S", time.gmtime(self.now()))
            self.access_log.append(f"{stamp}  {user}  {peer}  access")


# -- HTTP ----------------------------------------------------------------------------

class Request:
    def __init__(self, method, target, headers, body, body_length, peer):
        self.method = method
        split = urllib.parse.urlsplit(target)
        self.path = urllib.parse.unquote(split.path)
        # The last of repeated parameters wins, as in the camera's parser.
        self.query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        self.headers = headers
        self.body = body
        self.body_length = body_length
        self.peer = peer
        self.t_ns = time.monotonic_ns()
        self.auth = "none"
        self.user = None


class Reply:
    def __init__(self, status, body=b"", content_type="text/plain", headers=(), after=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers)
        self.after = after    # runs as the reply goes out (reboots)


def read_request(sock, peer):
    """One request from the socket, or None (closed, malformed, too big)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > HEAD_CAP and b"\r\n\r\n" not in data[:HEAD_CAP]:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[1].startswith("/"):
        return None
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        return None
    if not 0 <= length <= BODY_CAP:
        return None
    # The body is read in full (a firmware image may be megabytes) so that
    # closing the socket afterwards does not reset the connection under the
    # client's feet; only the first part is kept.
    body = bytearray(rest[:BODY_KEEP_CAP])
    received = len(rest)
    while received < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        received += len(chunk)
        if len(body) < BODY_KEEP_CAP:
            body += chunk[:BODY_KEEP_CAP - len(body)]
    return Request(parts[0].upper(), parts[1], headers, bytes(body), length, peer)


def reset_close(sock):
    """Closes with a RST, as a camera that is not there (yet) would look."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    with contextlib.suppress(OSError):
        sock.close()


class RequestLog:
    """What the camera was asked, for the control channel's "requests"."""

    def __init__(self, cap):
        self.lock = threading.Lock()
        self.entries = collections.deque(maxlen=cap)
        self.dropped = 0

    def add(self, request, status):
        query = {k: ("***" if k == "pwd" or (k.startswith("pwd") and k[3:].isdigit()) else v)
                 for k, v in request.query.items()}
        entry = {"method": request.method, "path": request.path, "query": query,
                 "auth": request.auth, "user": request.user, "status": status,
                 "t_ns": request.t_ns}
        with self.lock:
            if len(self.entries) == self.entries.maxlen:
                self.dropped += 1
            self.entries.append(entry)
        if VERBOSE:
            shown = urllib.parse.urlencode(query, safe="*")
            log(f"{request.peer} {request.method} {request.path}"
                f"{'?' + shown if shown else ''} auth={request.auth} -> {status}")

    def take(self):
        with self.lock:
            out = {"requests": list(self.entries), "dropped": self.dropped}
            self.entries.clear()
            self.dropped = 0
            return out


class Cgi:
    """Requests -> replies. Authentication, privilege, parameters, bodies."""

    def __init__(self, camera, args):
        self.camera = camera
        self.args = args
        self.fail_rules = {}      # path -> {"status", "body", "remaining"}
        self.fail_lock = threading.Lock()
        self.routes = {
            "/snapshot.cgi": (VISITOR, self.snapshot),
            "/get_status.cgi": (VISITOR, self.get_status),
            "/get_camera_params.cgi": (VISITOR, self.get_camera_params),
            "/check_user.cgi": (VISITOR, self.check_user),
            "/camera_control.cgi": (OPERATOR, self.camera_control),
            "/decoder_control.cgi": (OPERATOR, self.decoder_control),
            "/get_misc.cgi": (OPERATOR, self.get_misc),
            "/set_misc.cgi": (ADMIN, self.set_misc),
            "/get_params.cgi": (ADMIN, self.get_params),
            "/set_datetime.cgi": (ADMIN, self.set_datetime),
            "/set_alarm.cgi": (ADMIN, self.set_alarm),
            "/set_alias.cgi": (ADMIN, self.set_alias),
            "/set_users.cgi": (ADMIN, self.set_users),
            "/reboot.cgi": (ADMIN, self.reboot),
            "/restore_factory.cgi": (ADMIN, self.restore_factory),
            "/get_log.cgi": (ADMIN, self.get_log),
            "/upgrade_firmware.cgi": (ADMIN, self.upgrade_firmware),
        }

    # -- failure injection -------------------------------------------------

    def set_fail(self, path, status, body, count):
        with self.fail_lock:
            if count == 0:
                self.fail_rules.pop(path, None)
            else:
                self.fail_rules[path] = {"status": status, "body": body, "remaining": count}

    def injected(self, path):
        with self.fail_lock:
            rule = self.fail_rules.get(path)
            if rule is None:
                return None
            if rule["remaining"] > 0:
                rule["remaining"] -= 1
                if rule["remaining"] == 0:
                    del self.fail_rules[path]
            return Reply(rule["status"], rule["body"])

    # -- authentication ------------------------------------------------------

    def offered(self, request):
        """The credentials the request carries: [(how, name, pwd)], query first.

        Also labels the request for the log with the first of them, so that
        "auth" says what the client sent even when it is refused or ignored.
        """
        offered = []
        if "user" in request.query:
            offered.append(("query", request.query["user"], request.query.get("pwd", "")))
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                decoded = None
            if decoded is not None:
                name, _, pwd = decoded.partition(":")
                offered.append(("basic", name, pwd))
        if offered:
            request.auth, request.user = offered[0][0], offered[0][1]
        return offered

    def authenticate(self, request):
        """The user the request logs in as (a copy), or None."""
        camera = self.camera
        with camera.lock:
            for how, name, pwd in self.offered(request):
                if how == "query" and self.args.basic_only:
                    continue    # firmware 11.37+: query credentials do not count
                user = camera.find_user(name, pwd)
                if user is not None:
                    request.auth, request.user = how, user["name"]
                    return dict(user)
        return None

    def unauthorized(self):
        with self.camera.lock:
            self.camera.counters["unauthorized"] += 1
        realm = f"ipcamera_{self.args.id}"
        return Reply(401, b"401 Unauthorized\r\n",
                     headers=[f'WWW-Authenticate: Basic realm="{realm}"'])

    def admit(self, request, level):
        """None if the request may go on, else the 401 to send."""
        user = self.authenticate(request)
        if user is None or user["pri"] < level:
            return self.unauthorized()
        self.camera.log_access(user["name"], request.peer)
        return None

    # -- dispatch ---------------------------------------------------------------

    def handle(self, request):
        with self.camera.lock:
            self.camera.counters["requests"] += 1
        self.offered(request)
        reply = self.injected(request.path)
        if reply is not None:
            return reply
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"404 Not Found\r\n")
        level, handler = route
        refused = self.admit(request, level)
        if refused is not None:
            return refused
        return handler(request)

    @staticmethod
    def ok():
        return Reply(200, OK_BODY)

    @staticmethod
    def illegal():
        return Reply(200, ILLEGAL_BODY)

    # -- video ------------------------------------------------------------------

    def resolution(self, request):
        """The resolution asked for (default: the camera's), or None if illegal."""
        text = request.query.get("resolution")
        if text is None:
            with self.camera.lock:
                return self.camera.camera_params["resolution"]
        value = parse_value(("int", 0, 255), text)
        return value if value in (8, 32) else None

    def stream_params(self, request):
        """(resolution, fps) for videostream.cgi, or None if illegal."""
        resolution = self.resolution(request)
        code = parse_value(("int", 0, MAX_RATE_CODE), request.query.get("rate", "0"))
        if resolution is None or code is None:
            return None
        return resolution, rate_fps(code, self.args.fps)

    def snapshot(self, request):
        resolution = self.resolution(request)
        if resolution is None:
            return self.illegal()
        return Reply(200, self.camera.sensor.picture(resolution), "image/jpeg")

    # -- reads --------------------------------------------------------------------

    def get_status(self, request):
        return Reply(200, self.camera.status_vars())

    def get_camera_params(self, request):
        with self.camera.lock:
            return Reply(200, var_lines(self.camera.camera_params.items()))

    def get_misc(self, request):
        with self.camera.lock:
            return Reply(200, var_lines(self.camera.misc.items()))

    def get_params(self, request):
        return Reply(200, self.camera.params_vars())

    def check_user(self, request):
        user = self.authenticate(request)
        return Reply(200, var_lines([("user", user["name"]), ("pwd", user["pwd"]),
                                     ("pri", user["pri"])]))

    def get_log(self, request):
        with self.camera.lock:
            lines = list(self.camera.access_log)
        return Reply(200, "".join(line + "\r\n" for line in lines).encode("utf-8"))

    # -- writes -------------------------------------------------------------------

    def camera_control(self, request):
        param = parse_value(("int", 0, 255), request.query.get("param", ""))
        text = request.query.get("value")
        if param not in CAMERA_CONTROL or text is None:
            return self.illegal()
        name, allowed = CAMERA_CONTROL[param]
        value = parse_value(("int", -(2**31), 2**31), text)
        if value is None or value not in allowed:
            return self.illegal()
        with self.camera.lock:
            self.camera.camera_params[name] = value
        return self.ok()

    def decoder_control(self, request):
        command = parse_value(("int", 0, 255), request.query.get("command", ""))
        onestep = parse_value(("int", 0, 1), request.query.get("onestep", "0"))
        degree = parse_value(("int", 0, 360), request.query.get("degree", "0"))
        if command is None or onestep is None or degree is None:
            return self.illegal()
        self.camera.decoder_control(command, onestep, degree)
        return self.ok()

    def set_misc(self, request):
        values = parse_params(MISC_SPEC, request.query)
        if values is None:
            return self.illegal()
        with self.camera.lock:
            self.camera.misc.update(values)
        return self.ok()

    def set_datetime(self, request):
        values = parse_params(DATETIME_SPEC, request.query)
        if values is None:
            return self.illegal()
        with self.camera.lock:
            if "now" in values:
                self.camera.clock_offset_s = values.pop("now") - time.time()
            self.camera.datetime.update(values)
        return self.ok()

    def set_alarm(self, request):
        values = parse_params(ALARM_SPEC, request.query)
        if values is None:
            return self.illegal()
        self.camera.set_alarm_config(values)
        return self.ok()

    def set_alias(self, request):
        values = parse_params({"alias": ("str", 20)}, request.query, required=("alias",))
        if values is None:
            return self.illegal()
        with self.camera.lock:
            self.camera.alias = values["alias"]
        return self.ok()

    def set_users(self, request):
        # All eight slots in one request, or nothing: partial requests were
        # observed to fail on real cameras.
        spec = {}
        for n in range(1, USER_SLOTS + 1):
            spec[f"user{n}"] = ("str", 20)
            spec[f"pwd{n}"] = ("str", 20)
            spec[f"pri{n}"] = ("int", VISITOR, ADMIN)
        values = parse_params(spec, request.query, required=tuple(spec))
        if values is None:
            return self.illegal()
        with self.camera.lock:
            self.camera.users = [{"name": values[f"user{n}"], "pwd": values[f"pwd{n}"],
                                  "pri": values[f"pri{n}"]} for n in range(1, USER_SLOTS + 1)]
        return self.ok()

    def reboot(self, request):
        return Reply(200, OK_BODY, after=self.camera.reboot)

    def restore_factory(self, request):
        return Reply(200, OK_BODY, after=self.camera.restore_factory)

    def upgrade_firmware(self, request):
        content_type = request.headers.get("content-type", "").lower()
        if request.method != "POST" or not content_type.startswith("multipart/form-data") \
                or request.body_length == 0:
            return self.illegal()
        with self.camera.lock:
            self.camera.counters["upgrades"] += 1
            self.camera.last_upgrade_bytes = request.body_length
        return self.ok()


class HttpServer:
    """The camera's web server: accepts, reads, hands over, writes, closes."""

    def __init__(self, camera, cgi, request_log, args):
        self.camera = camera
        self.cgi = cgi
        self.request_log = request_log
        self.args = args
        # The firmware's one HTTP thread, for everything but streams.
        self.serial = contextlib.nullcontext() if args.threaded else threading.Lock()
        self.connections = threading.BoundedSemaphore(CONNECTION_CAP)
        self.closing = threading.Event()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", args.port))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]

    def serve_forever(self):
        while not self.closing.is_set():
            try:
                sock, peer = self.listener.accept()
            except OSError:
                if self.closing.is_set():
                    return
                time.sleep(0.01)
                continue
            with self.camera.lock:
                refuse = self.camera.rebooting()
                if refuse:
                    self.camera.counters["refused_connections"] += 1
            if refuse or not self.connections.acquire(blocking=False):
                reset_close(sock)
                continue
            threading.Thread(target=self.connection, args=(sock, f"{peer[0]}:{peer[1]}"),
                             daemon=True).start()

    def close(self):
        self.closing.set()
        with contextlib.suppress(OSError):
            self.listener.close()

    def connection(self, sock, peer):
        try:
            sock.settimeout(READ_TIMEOUT_S)
            request = read_request(sock, peer)
            if request is None:
                return
            with self.camera.lock:
                silent = self.camera.silent
            if silent:
                self.cgi.offered(request)
                self.request_log.add(request, None)
                self.hold_silent(sock)
            elif request.path == "/videostream.cgi":
                self.stream(sock, request)
            else:
                with self.serial:
                    if self.args.latency:
                        time.sleep(self.args.latency)
                    self.answer(sock, request, self.cgi.handle(request))
        except (OSError, ValueError):
            pass  # the client went away or spoke nonsense: nothing to report
        except Exception:  # a bug in the fake: say so, keep serving
            log("internal error:\n" + traceback.format_exc())
        finally:
            with contextlib.suppress(OSError):
                sock.close()
            self.connections.release()

    def hold_silent(self, sock):
        """Never answers: waits for the client to give up (or a long cap)."""
        sock.settimeout(0.2)
        deadline = time.monotonic() + SILENT_HOLD_CAP_S
        while time.monotonic() < deadline and not self.closing.is_set():
            try:
                if not sock.recv(4096):
                    return
            except socket.timeout:
                continue

    def head(self, status, content_type, length=None, headers=()):
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = "Status"
        lines = [f"HTTP/1.1 {status} {phrase}",
                 f"Server: {SERVER_NAME}",
                 f"Date: {email.utils.formatdate(self.camera.now(), usegmt=True)}",
                 f"Content-Type: {content_type}"]
        if length is not None:
            lines.append(f"Content-Length: {length}")
        lines += ["Cache-Control: no-cache", "Connection: close", *headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def answer(self, sock, request, reply):
        with self.camera.lock:
            gone = self.camera.rebooting()
        if gone:
            # The camera went down while this request waited its turn.
            self.request_log.add(request, None)
            reset_close(sock)
            return
        self.request_log.add(request, reply.status)
        if reply.after:
            # Before the reply leaves: a client that reads "ok." and connects
            # again at once must already find the camera rebooting.
            reply.after()
        sock.settimeout(SEND_TIMEOUT_S)
        sock.sendall(self.head(reply.status, reply.content_type, len(reply.body),
                               reply.headers) + reply.body)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)

    def stream(self, sock, request):
        cgi = self.cgi
        with self.camera.lock:
            self.camera.counters["requests"] += 1
        cgi.offered(request)
        reply = cgi.injected(request.path) or cgi.admit(request, VISITOR)
        params = None
        if reply is None:
            params = cgi.stream_params(request)
            if params is None:
                reply = cgi.illegal()
        if reply is None:
            with self.camera.lock:
                if self.camera.active_streams >= self.args.max_streams:
                    self.camera.counters["streams_refused"] += 1
                    reply = Reply(503, b"503 Service Unavailable\r\n")
                else:
                    self.camera.active_streams += 1
                    self.camera.counters["streams_started"] += 1
                    boot = self.camera.boot
        if reply is not None:
            self.answer(sock, request, reply)
            return
        try:
            self.request_log.add(request, 200)
            self.send_stream(sock, params, boot)
        finally:
            with self.camera.lock:
                self.camera.active_streams -= 1

    def send_stream(self, sock, params, boot):
        resolution, fps = params
        sock.settimeout(SEND_TIMEOUT_S)
        sock.sendall(self.head(200, f"multipart/x-mixed-replace;boundary={BOUNDARY}",
                               headers=["Accept-Ranges: bytes"]))
        interval = 1.0 / fps
        next_frame = time.monotonic()
        while True:
            with self.camera.lock:
                silent = self.camera.silent
            if not silent:
                picture = self.camera.sensor.picture(resolution)
                sock.sendall(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                             f"Content-Length: {len(picture)}\r\n\r\n".encode("ascii")
                             + picture + b"\r\n")
            # A client that does not keep up loses pictures instead of
            # getting a burst when it reads again.
            next_frame = max(next_frame + interval, time.monotonic())
            # Waits in short slices so that a reboot or the end takes effect soon.
            while True:
                if self.closing.is_set():
                    return
                with self.camera.lock:
                    if self.camera.boot != boot:
                        return    # rebooted: the connection dies with it
                remaining = next_frame - time.monotonic()
                if remaining <= 0:
                    break
                time.sleep(min(remaining, 0.1))


# -- control channel ---------------------------------------------------------------

class Control:
    """JSON-lines requests on stdin, one response line each on stdout."""

    def __init__(self, camera, cgi, request_log):
        self.camera = camera
        self.cgi = cgi
        self.request_log = request_log
        self.quit = False

    @staticmethod
    def respond(obj):
        sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
        sys.stdout.flush()

    def handle(self, line):
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("a request is a JSON object")
            return self.dispatch(request)
        except (ValueError, TypeError) as e:
            return {"error": str(e)}

    @staticmethod
    def flag(request):
        on = request.get("on", True)
        if not isinstance(on, bool):
            raise ValueError("on must be true or false")
        return on

    def dispatch(self, request):
        cmd = request.get("cmd")
        if cmd == "state":
            return self.camera.state()
        if cmd == "requests":
            return self.request_log.take()
        if cmd == "motion":
            self.camera.set_alarm_cause("motion_on", self.flag(request))
            return {"ok": True}
        if cmd == "input":
            self.camera.set_alarm_cause("input_on", self.flag(request))
            return {"ok": True}
        if cmd == "silent":
            on = self.flag(request)
            with self.camera.lock:
                self.camera.silent = on
            return {"ok": True}
        if cmd == "fail":
            path = request.get("path")
            status = request.get("status", 200)
            body = request.get("body", ILLEGAL_BODY.decode("ascii"))
            count = request.get("count", 1)
            if not isinstance(path, str) or not path.startswith("/"):
                raise ValueError("path must start with /")
            if not isinstance(status, int) or isinstance(status, bool) \
                    or not 100 <= status <= 599:
                raise ValueError("status must be an integer 100..599")
            if not isinstance(body, str):
                raise ValueError("body must be a string")
            if not isinstance(count, int) or isinstance(count, bool) or count < -1:
                raise ValueError("count must be -1 (always), 0 (clear) or a positive integer")
            self.cgi.set_fail(path, status, body.encode("utf-8"), count)
            return {"ok": True}
        if cmd == "password":
            password = request.get("password")
            if not isinstance(password, str):
                raise ValueError("password must be a string")
            with self.camera.lock:
                self.camera.users[0]["pwd"] = password
            return {"ok": True}
        if cmd == "quit":
            self.quit = True
            return {"ok": True}
        raise ValueError(f"unknown cmd {cmd!r}")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Foscam FI8918W (Netwave) CGI camera fake")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any)")
    parser.add_argument("--user", default="admin", help="the administrator (slot 1)")
    parser.add_argument("--password", default="", help="its password (default empty)")
    parser.add_argument("--operator-user", metavar="NAME:PASSWORD",
                        help="an operator account (privilege 1)")
    parser.add_argument("--visitor-user", metavar="NAME:PASSWORD",
                        help="a visitor account (privilege 0)")
    parser.add_argument("--basic-only", action="store_true",
                        help="ignore user/pwd query credentials (firmware 11.37+)")
    parser.add_argument("--alias", default="FI8918W")
    parser.add_argument("--id", default="000DC5D4DC51", help="the MAC, no separators")
    parser.add_argument("--sys-ver", default="11.37.2.49")
    parser.add_argument("--app-ver", default="2.4.18.17")
    parser.add_argument("--invert-pan", action="store_true",
                        help="FI8918W: command 4 pans right, 6 left (and diagonals mirrored)")
    parser.add_argument("--ir-on-code", type=int, choices=IR_CODES, default=95,
                        help="the decoder code that switches the IR LEDs on (default 95)")
    parser.add_argument("--zoom", action="store_true", help="a motorised zoom (16..19)")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--fps", type=float, default=10.0)
    parser.add_argument("--max-streams", type=int, default=1,
                        help="simultaneous videostream.cgi (more get 503)")
    parser.add_argument("--threaded", action="store_true",
                        help="handle control requests concurrently")
    parser.add_argument("--alarm-hold", type=float, default=1.0,
                        help="seconds alarm_status stays set after its cause ends")
    parser.add_argument("--reboot-seconds", type=float, default=0.5,
                        help="how long a reboot refuses connections")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds each control request takes to handle")
    parser.add_argument("--log-cap", type=int, default=10000,
                        help="requests kept between 'requests' calls")
    args = parser.parse_args(argv)
    for name in ("operator_user", "visitor_user"):
        value = getattr(args, name)
        if value is not None and (":" not in value or not value.split(":", 1)[0]):
            parser.error(f"--{name.replace('_', '-')} must be NAME:PASSWORD")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be 0..65535")
    if args.width < 16 or args.height < 16 or args.fps <= 0:
        parser.error("--width/--height must be at least 16 and --fps positive")
    if args.max_streams < 0:
        parser.error("--max-streams must be at least 0")
    if args.alarm_hold < 0 or args.reboot_seconds < 0 or args.latency < 0:
        parser.error("--alarm-hold, --reboot-seconds and --latency must not be negative")
    if args.log_cap < 1:
        parser.error("--log-cap must be at least 1")
    return args


def main(argv):
    args = parse_args(argv)
    try:
        sensor = Sensor(args.width, args.height, args.fps)
    except (OSError, subprocess.CalledProcessError) as e:
        detail = getattr(e, "stderr", b"") or b""
        log(f"rendering the pictures with ffmpeg failed: {e} {detail.decode(errors='replace')}")
        return 1
    camera = Camera(args, sensor)
    request_log = RequestLog(args.log_cap)
    cgi = Cgi(camera, args)
    server = HttpServer(camera, cgi, request_log, args)
    camera.port = server.port
    control = Control(camera, cgi, request_log)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Control.respond({"port": server.port, "url": f"http://127.0.0.1:{server.port}"})
    log(f"{args.alias} on http://127.0.0.1:{server.port}"
        f" ({'threaded' if args.threaded else 'serialised'}, max {args.max_streams} streams)")

    try:
        while not control.quit:
            line = sys.stdin.buffer.readline(CONTROL_LINE_CAP)
            if not line:
                break
            if len(line) >= CONTROL_LINE_CAP and not line.endswith(b"\n"):
                # Drop the rest of an over-long line, answer it once.
                while line and not line.endswith(b"\n"):
                    line = sys.stdin.buffer.readline(CONTROL_LINE_CAP)
                Control.respond({"error": "control line too long"})
                continue
            if line.strip():
                Control.respond(control.handle(line))
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
