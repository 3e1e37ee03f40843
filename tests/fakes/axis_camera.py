#!/usr/bin/env python3
"""An Axis network camera speaking the VAPIX v2/v3 HTTP CGIs, on 127.0.0.1.

End-to-end tests of the Axis adapter need a camera on the other end of its
HTTP client. This program is one: an HTTP/1.1 server (keep-alive, Basic and
Digest authentication) answering the CGIs an adapter uses - parameters,
snapshots, MJPEG, PTZ, I/O ports, motion data, date, restart, factory
defaults, system log, firmware upgrade - with the paths, parameter names,
reply texts and error conventions of /work/shared/protocols/axis-vapix.md,
the notes this follows. One camera per process.

Usage:
    python3 tests/fakes/axis_camera.py [--port N] [--user root] [--password pass]
            [--auth digest|basic|both] [--model P5635-E] [--serial ACCC8E012345]
            [--firmware 5.51.7] [--ptz | --no-ptz] [--inputs 2] [--outputs 1]
            [--vapix 2|3] [--width 640] [--height 360] [--fps 10]
            [--mjpeg-boundary myboundary] [--reboot-seconds 0.5]

First stdout line: {"port": N, "url": "http://127.0.0.1:N"}.
After that stdin/stdout are a control channel of JSON lines, one response
line per request line, in order:
    {"cmd":"state"}                      -> everything: {"ptz": {pan, tilt,
                                            zoom, focus, autofocus, speed, moving,
                                            pan_moving, ..., target}|null,
                                            "presets": {"1": {name, pan, tilt,
                                            zoom}}, "io": [{port, direction, name,
                                            level, active, pulsing}], "image",
                                            "time", "params", "motion", "silent",
                                            "anonymous", "rebooting", "streams",
                                            "connections", "fail", "counters":
                                            {reboots, factory_defaults,
                                            hard_factory_defaults, upgrades,
                                            requests}} (see Camera.state)
    {"cmd":"requests"}                   -> {"requests":[{"method","path",
                                             "query","auth","status","t_ns"
                                             [,"form"]}...], "dropped":N} since
                                             the last call (status null: never
                                             answered; t_ns CLOCK_MONOTONIC)
    {"cmd":"input","port":1,"active":true}    drive an input port
    {"cmd":"motion","on":true[,"level":N]}    motion in the picture (level
                                              0..100 overrides the reported one)
    {"cmd":"silent","on":true}           accept and read requests, answer none
    {"cmd":"fail","path":P,"status":500,"body":"...","count":N}
                                         the next N authenticated requests to
                                         path P get that reply (count -1: until
                                         cleared with count 0; default 1)
    {"cmd":"credentials","user":U,"password":W}
    {"cmd":"anonymous","on":true}        no authentication needed
    {"cmd":"place","pan":..,"tilt":..,"zoom":..,"focus":..}
                                         put the head there, stopped (-> state)
    {"cmd":"quit"}
Every request that is not a query answers {"ok":true}. Errors: {"error":"..."}.
Diagnostics go to stderr only (one line per HTTP request when the
environment has AXIS_FAKE_VERBOSE set). The program ends when stdin closes.

HTTP behaviour:
  * Every request needs credentials (unless "anonymous" is on): a 401 carries
    `WWW-Authenticate: Digest realm="AXIS_<serial>", nonce=.., algorithm=MD5,
    qop="auth"` and/or `Basic realm=..` per --auth (Digest first). Nonces stay
    valid until a reboot (up to 1024 of them), so a client can reuse one with
    increasing nc; an nc already used with that nonce is a replay and refused.
    A correct response with a nonce this boot never issued gets stale=TRUE.
  * Replies are text/plain with CRLF line ends and a Content-Length ("OK" is
    "OK\\r\\n"), except the control commands of ptz.cgi: 204 with no body.
    CGI errors are HTTP 200 bodies: param.cgi "# Error: ...", others
    "Error: ..." or (date.cgi) "Request failed: ...". Unknown paths: 404.
  * Parameters come from the query, and for POST also from a form body
    (application/x-www-form-urlencoded).
  * param.cgi answers on /axis-cgi/admin|operator|view/param.cgi and, with
    --vapix 3 only, on /axis-cgi/param.cgi. list: `group=` takes names with
    or without `root.`, whole parameters, and `*` for one name component
    (IOPort.*.Direction). update is all or nothing: when any pair is refused
    (unknown, read-only, bad value) nothing changes and each refused pair gets
    its "# Error: Error setting 'A.B' to 'v'!" line. Read-only: Brand.*,
    Properties.*, Input.*, Output.*, the *.NbrOf* counts, IOPort.*.Direction,
    IOPort.*.Configurable and Network.eth0.MACAddress.
  * restart.cgi, factorydefault.cgi, systemlog.cgi and date.cgi also answer
    under /axis-cgi/admin/.
  * Streams (mjpg/video.cgi, motion/motiondata.cgi) have no Content-Length
    and end with the connection (Connection: close). A silent camera's
    streams pause and resume when it speaks again.
  * Silent: requests are read but never answered; when silence ends the
    connections holding such requests are dropped without a reply.
  * Reboot (restart.cgi, factory defaults, firmware upgrade): the reply is
    sent, then every open connection is dropped, and for --reboot-seconds
    every request gets 503 (Connection: close). The head stops, outputs go
    inactive and port pulses are forgotten, issued nonces are forgotten.
    "reboots" counts every reboot, whatever caused it.
  * factorydefault.cgi and hardfactorydefault.cgi both put every writable
    parameter except Network.* back to its default, clear the presets
    (back to Home only), release the outputs and reboot; neither touches the
    credentials or the clock. They are counted apart.
  * firmwareupgrade.cgi (POST multipart/form-data, one file part;
    type=normal or factorydefault): "OK", the firmware version becomes the
    text after "version=" in the file when there is one, counted, reboot.

PTZ model (only with --ptz; ptz.cgi is 404 otherwise). camera=1 only.
    Limits (query=limits): pan -180..180 (wraps; reported -180..<180), tilt
    -90 (straight down) .. 20 (above the horizon), zoom 1..9999, focus
    1..9999, field angle 62.3 deg (wide) .. 2.2 deg (tele). Home: preset 1
    "Home" at pan 0, tilt 0, zoom 1, which move=home goes to (the origin if
    removed). Positions are computed from CLOCK_MONOTONIC when needed:
        continuouspantiltmove x,y: 90 deg/s * x/100 (pan, + right), likewise y
            for tilt (+ up); continuouszoommove/continuousfocusmove z: the full
            1..9999 range in 3 s at 100. 0 stops that axis.
        pan/tilt/rpan/rtilt, presets, home and move=<direction> go at
            180 deg/s * speed/100 (speed 1..100, default 100) the short way
            round; zoom/focus/rzoom/rfocus at the full range in 3 s. So
            "moving" then "arrived" can be observed.
        move=up|down|left|right|upleft|...: a step of a quarter of the field
            angle at the current zoom. move=stop stops every axis.
        focus, rfocus and continuousfocusmove switch autofocus off.
        ircutfilter=on|off|auto sets ImageSource.I0.DayNight.IrCutFilter
            (yes|no|auto).
    Values out of range or unknown parameters: HTTP 200 "Error: ..." and
    nothing happens. Commands: 204 No Content. Server presets (numbered from
    1, by name or number) keep the position they were stored at.

I/O ports: port N (1-based) is IOPort.I<N-1>; inputs come first, then
outputs. A port's raw level (check=) is 1 for a closed circuit; it is active
when the circuit is in its active state (Input.Trig / Output.Active,
closed by default), so an idle port reads 0. An output keeps its state when
its Output.Active changes (the relay follows); an input keeps its level
(the outside world's) and so may change state. port.cgi action=N:/ (active),
N:\\ (inactive), or sequences like N:/300\\500/300\\ (hold times in ms, played
out on the clock); "OK", or "Error: ..." for an input or unknown port.

Motion data: group=0 only; a record every 200 ms, threshold 20, level 3
without motion and 75 with it (or the level the control channel set).

Clock: date.cgi shows the local time `Jul 04, 2013 19:19:17` (zero-padded
day) of a clock kept as an offset from the host's, in the zone of
Time.POSIXTimeZone. Zones are the standard part of a POSIX TZ string (UTC0,
CET-1, EST5, <+0530>-5:30); a DST part is accepted and ignored.
"""

import argparse
import base64
import collections
import datetime
import hashlib
import http.server
import ipaddress
import json
import math
import os
import re
import secrets
import select
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

PAN_MIN, PAN_MAX = -180.0, 180.0
TILT_MIN, TILT_MAX = -90.0, 20.0
ZOOM_MIN, ZOOM_MAX = 1, 9999
FOCUS_MIN, FOCUS_MAX = 1, 9999
FOCUS_DEFAULT = 5000
FIELD_ANGLE_MIN, FIELD_ANGLE_MAX = 22, 623   # tenths of a degree: tele, wide
CONTINUOUS_PT_RATE = 90.0                     # deg/s at speed 100
ABSOLUTE_PT_RATE = 180.0                      # deg/s at speed 100
LENS_FULL_RANGE_S = 3.0
LENS_RATE = (ZOOM_MAX - ZOOM_MIN) / LENS_FULL_RANGE_S

MOTION_PERIOD_S = 0.2
MOTION_THRESHOLD = 20
MOTION_LEVEL_IDLE = 3
MOTION_LEVEL_ACTIVE = 75

REQUEST_LOG_CAP = 10000
NONCE_CAP = 1024
BODY_CAP = 64 * 1024 * 1024
IDLE_TIMEOUT_S = 60          # keep-alive idle time, and how long a write may block
CONTROL_LINE_CAP = 1024 * 1024
PICTURE_SECONDS = 2

VERBOSE = bool(os.environ.get("AXIS_FAKE_VERBOSE"))


def log(message):
    print(f"axis_camera: {message}", file=sys.stderr, flush=True)


def text(*lines):
    """A text/plain body: each line ended by CRLF, as Axis writes them."""
    return "".join(f"{line}\r\n" for line in lines).encode("utf-8")


def number_text(value):
    """4 decimals at most, no trailing zeros: 51.2891, 0, -12.5."""
    s = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# -- time zones -------------------------------------------------------------

TZ_NAME = r"(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)"
TZ_RE = re.compile(rf"^{TZ_NAME}([+-]?)(\d{{1,2}})(?::(\d{{2}})(?::(\d{{2}}))?)?(.*)$")
TZ_DST_RE = re.compile(rf"^(?:{TZ_NAME}.*)?$")


def tz_offset_s(posix_tz):
    """Seconds east of UTC of a POSIX TZ string's standard time, or None.

    POSIX counts west of Greenwich, so CET-1 is UTC+1. The DST part (if
    any) must look like one but its rules are not applied.
    """
    m = TZ_RE.match(posix_tz)
    if not m:
        return None
    sign, hours, minutes, seconds, rest = m.groups()
    if int(hours) > 24 or int(minutes or 0) > 59 or int(seconds or 0) > 59:
        return None
    if not TZ_DST_RE.match(rest):
        return None
    west = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    return west if sign == "-" else -west


# -- pictures -----------------------------------------------------------------

def render_pictures(width, height, fps):
    """PICTURE_SECONDS of ffmpeg's testsrc2 as separate JPEG pictures."""
    count = max(1, round(fps * PICTURE_SECONDS))
    command = ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
               f"testsrc2=size={width}x{height}:rate={fps}", "-frames:v", str(count),
               "-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p", "-f", "image2pipe", "-"]
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SystemExit(f"axis_camera: running ffmpeg: {e}")
    if done.returncode != 0 or not done.stdout:
        raise SystemExit("axis_camera: ffmpeg rendering the pictures failed: "
                         + done.stderr.decode("utf-8", "replace"))
    # Each picture runs from its start of image (FF D8) to the next one's.
    data = done.stdout
    pictures = []
    start = 0
    while True:
        cut = data.find(b"\xff\xd9\xff\xd8", start + 2)
        if cut < 0:
            break
        pictures.append(data[start:cut + 2])
        start = cut + 2
    pictures.append(data[start:])
    return pictures


# -- PTZ ----------------------------------------------------------------------

class Motor:
    """One axis: a position that moves continuously or towards a target.

    A wrapping axis (pan) keeps its position unbounded while moving and
    reports it folded into [low, high); the others are held in [low, high].
    """

    def __init__(self, low, high, initial=0.0, wrap=False):
        self.low = low
        self.high = high
        self.wrap = wrap
        self.value = float(initial)
        self.velocity = 0.0     # units/s, signed: continuous move
        self.target = None      # while going to a position
        self.rate = 0.0         # units/s towards the target

    def position(self):
        if self.wrap:
            span = self.high - self.low
            return (self.value - self.low) % span + self.low
        return self.value

    def _limit(self, value):
        return value if self.wrap else min(max(value, self.low), self.high)

    def place(self, value):
        self.stop()
        self.value = self._limit(float(value))

    def stop(self):
        self.velocity = 0.0
        self.target = None
        self.value = self.position()

    def move(self, velocity):
        self.target = None
        self.velocity = float(velocity)

    def go_to(self, target, rate):
        """Heads for an absolute position, the short way round on pan."""
        if self.wrap:
            span = self.high - self.low
            delta = (target - self.position() - self.low) % span + self.low
            self.go_by(delta, rate)
        else:
            self._head_for(self._limit(float(target)), rate)

    def go_by(self, delta, rate):
        self.value = self.position()
        self._head_for(self._limit(self.value + delta), rate)

    def _head_for(self, target, rate):
        self.velocity = 0.0
        self.target = target if target != self.value else None
        self.rate = rate

    def advance(self, seconds):
        if self.target is not None:
            remaining = self.target - self.value
            step = self.rate * seconds
            if step >= abs(remaining):
                self.value = self.target
                self.target = None
                self.value = self.position()
            else:
                self.value += math.copysign(step, remaining)
        elif self.velocity:
            self.value = self._limit(self.value + self.velocity * seconds)

    def moving(self):
        if self.target is not None:
            return True
        if self.wrap:
            return self.velocity != 0
        # Held against a limit the motor is not turning any more.
        return (self.velocity > 0 and self.value < self.high) or \
               (self.velocity < 0 and self.value > self.low)


PTZ_INFO = (
    "Available commands",
    ":",
    "{camera=[n]}",
    "move={ home | up | down | left | right | upleft | upright | downleft | downright | stop }",
    "pan=[abspos]",
    "tilt=[abspos]",
    "zoom=[n]",
    "focus=[n]",
    "rpan=[offset]",
    "rtilt=[offset]",
    "rzoom=[offset]",
    "rfocus=[offset]",
    "autofocus={ on | off }",
    "ircutfilter={ on | off | auto }",
    "continuouspantiltmove=[x-speed],[y-speed]",
    "continuouszoommove=[speed]",
    "continuousfocusmove=[speed]",
    "setserverpresetname=[name]",
    "setserverpresetno=[n]",
    "removeserverpresetname=[name]",
    "removeserverpresetno=[n]",
    "gotoserverpresetname=[name]",
    "gotoserverpresetno=[n]",
    "speed=[n]",
    "query={ speed | position | limits | presetposcam | presetposall }",
)

# Within one request: the speed before the moves it governs, moves before
# presets, so that e.g. speed=20&pan=10 moves at 20.
PTZ_ORDER = ("speed", "autofocus", "ircutfilter", "continuouspantiltmove",
             "continuouszoommove", "continuousfocusmove", "move", "pan", "tilt",
             "zoom", "focus", "rpan", "rtilt", "rzoom", "rfocus",
             "gotoserverpresetname", "gotoserverpresetno", "setserverpresetname",
             "setserverpresetno", "removeserverpresetname", "removeserverpresetno")

STEP_DIRECTIONS = {"up": (0, 1), "down": (0, -1), "left": (-1, 0), "right": (1, 0),
                   "upleft": (-1, 1), "upright": (1, 1), "downleft": (-1, -1),
                   "downright": (1, -1)}


class CgiError(Exception):
    """A refused CGI request (ptz.cgi, port.cgi); the message is the body."""


def parse_number(params, key, low, high, integer=False):
    raw = params[key].strip()
    try:
        value = float(raw)
    except ValueError:
        raise CgiError(f"Error: {key} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise CgiError(f"Error: {key} out of range")
    if integer:
        if value != int(value):
            raise CgiError(f"Error: {key} is not an integer")
        return int(value)
    return value


class Head:
    """The pan/tilt/zoom head and its lens, with the server presets."""

    def __init__(self):
        self.pan = Motor(PAN_MIN, PAN_MAX, wrap=True)
        self.tilt = Motor(TILT_MIN, TILT_MAX)
        self.zoom = Motor(ZOOM_MIN, ZOOM_MAX, initial=ZOOM_MIN)
        self.focus = Motor(FOCUS_MIN, FOCUS_MAX, initial=FOCUS_DEFAULT)
        self.clock_ns = time.monotonic_ns()
        self.reset()

    def reset(self):
        """Factory settings: speed, autofocus and only the Home preset."""
        self.speed = 100
        self.autofocus = True
        self.presets = {1: {"name": "Home", "pan": 0.0, "tilt": 0.0, "zoom": ZOOM_MIN}}

    def motors(self):
        return (self.pan, self.tilt, self.zoom, self.focus)

    def settle(self, now_ns):
        """Brings the motors to where they are at `now_ns`."""
        if now_ns > self.clock_ns:
            seconds = (now_ns - self.clock_ns) / 1e9
            for motor in self.motors():
                motor.advance(seconds)
            self.clock_ns = now_ns

    def stop(self):
        for motor in self.motors():
            motor.stop()

    def pt_rate(self):
        return ABSOLUTE_PT_RATE * self.speed / 100

    def field_angle(self):
        """Horizontal field angle in degrees at the current zoom (linear)."""
        share = (self.zoom.value - ZOOM_MIN) / (ZOOM_MAX - ZOOM_MIN)
        return (FIELD_ANGLE_MAX - share * (FIELD_ANGLE_MAX - FIELD_ANGLE_MIN)) / 10

    def go_to_position(self, p):
        rate = self.pt_rate()
        self.pan.go_to(p["pan"], rate)
        self.tilt.go_to(p["tilt"], rate)
        self.zoom.go_to(p["zoom"], LENS_RATE)

    def position(self):
        return {"pan": round(self.pan.position(), 4), "tilt": round(self.tilt.position(), 4),
                "zoom": int(round(self.zoom.position()))}

    # -- ptz.cgi ----------------------------------------------------------

    def find_preset(self, params, key):
        """The preset number a goto/remove request names; CgiError if none."""
        raw = params[key]
        if key.endswith("name"):
            for number, preset in self.presets.items():
                if preset["name"] == raw:
                    return number
            raise CgiError(f"Error: no preset named '{raw}'")
        number = parse_number(params, key, 1, 10000, integer=True)
        if number not in self.presets:
            raise CgiError(f"Error: no preset number {number}")
        return number

    def command(self, params):
        """Validates a control request, then obeys it; CgiError if refused.

        `params` holds only control keys (camera/query/info are handled by the
        caller). Nothing changes unless the whole request is acceptable.
        """
        unknown = [k for k in params if k not in PTZ_ORDER]
        if unknown:
            raise CgiError(f"Error: unsupported parameter '{unknown[0]}'")
        actions = []
        for key in sorted(params, key=PTZ_ORDER.index):
            actions.append(self._action(key, params))
        for action in actions:
            action()

    def _action(self, key, params):
        """A closure that applies one validated parameter."""
        raw = params[key]
        if key == "speed":
            speed = parse_number(params, key, 1, 100, integer=True)
            return lambda: setattr(self, "speed", speed)
        if key == "autofocus":
            if raw not in ("on", "off"):
                raise CgiError("Error: autofocus must be on or off")
            return lambda: setattr(self, "autofocus", raw == "on")
        if key == "ircutfilter":
            if raw not in ("on", "off", "auto"):
                raise CgiError("Error: ircutfilter must be on, off or auto")
            return lambda: None   # the camera updates the parameter
        if key == "continuouspantiltmove":
            parts = raw.split(",")
            if len(parts) != 2:
                raise CgiError("Error: continuouspantiltmove needs x,y")
            x, y = (parse_number({key: p}, key, -100, 100) for p in parts)

            def move():
                self.pan.move(CONTINUOUS_PT_RATE * x / 100)
                self.tilt.move(CONTINUOUS_PT_RATE * y / 100)
            return move
        if key in ("continuouszoommove", "continuousfocusmove"):
            speed = parse_number(params, key, -100, 100)
            motor = self.zoom if key == "continuouszoommove" else self.focus

            def lens():
                motor.move(LENS_RATE * speed / 100)
                if motor is self.focus:
                    self.autofocus = False
            return lens
        if key == "move":
            if raw == "stop":
                return self.stop
            if raw == "home":
                def home():
                    home_preset = next((p for p in self.presets.values()
                                        if p["name"] == "Home"), None)
                    self.go_to_position(home_preset or {"pan": 0, "tilt": 0, "zoom": ZOOM_MIN})
                return home
            if raw not in STEP_DIRECTIONS:
                raise CgiError(f"Error: unknown move '{raw}'")
            dx, dy = STEP_DIRECTIONS[raw]

            def step():
                size = self.field_angle() / 4
                if dx:
                    self.pan.go_by(dx * size, self.pt_rate())
                if dy:
                    self.tilt.go_by(dy * size, self.pt_rate())
            return step
        if key in ("pan", "tilt"):
            low, high = (PAN_MIN, PAN_MAX) if key == "pan" else (TILT_MIN, TILT_MAX)
            value = parse_number(params, key, low, high)
            motor = getattr(self, key)
            return lambda: motor.go_to(value, self.pt_rate())
        if key in ("zoom", "focus"):
            value = parse_number(params, key, ZOOM_MIN, ZOOM_MAX)
            motor = getattr(self, key)

            def absolute():
                motor.go_to(value, LENS_RATE)
                if motor is self.focus:
                    self.autofocus = False
            return absolute
        if key in ("rpan", "rtilt"):
            delta = parse_number(params, key, -360, 360)
            motor = self.pan if key == "rpan" else self.tilt
            return lambda: motor.go_by(delta, self.pt_rate())
        if key in ("rzoom", "rfocus"):
            delta = parse_number(params, key, -9999, 9999)
            motor = self.zoom if key == "rzoom" else self.focus

            def relative():
                motor.go_by(delta, LENS_RATE)
                if motor is self.focus:
                    self.autofocus = False
            return relative
        if key.startswith("goto"):
            number = self.find_preset(params, key)
            return lambda: self.go_to_position(self.presets[number])
        if key.startswith("remove"):
            number = self.find_preset(params, key)
            return lambda: self.presets.pop(number, None)
        if key == "setserverpresetname":
            if not raw.strip():
                raise CgiError("Error: empty preset name")
            number = next((n for n, p in self.presets.items() if p["name"] == raw), None)
            if number is None:
                number = next(n for n in range(1, len(self.presets) + 2) if n not in self.presets)
            return lambda: self._store(number, raw)
        if key == "setserverpresetno":
            number = parse_number(params, key, 1, 10000, integer=True)
            name = self.presets.get(number, {}).get("name", f"Preset {number}")
            return lambda: self._store(number, name)
        raise CgiError(f"Error: unsupported parameter '{key}'")

    def _store(self, number, name):
        self.presets[number] = {"name": name, **self.position()}

    def query(self, what):
        if what == "position":
            return text(f"pan={number_text(self.pan.position())}",
                        f"tilt={number_text(self.tilt.position())}",
                        f"zoom={int(round(self.zoom.position()))}",
                        f"focus={int(round(self.focus.position()))}",
                        f"autofocus={'on' if self.autofocus else 'off'}")
        if what == "limits":
            return text(f"MinPan={PAN_MIN:g}", f"MaxPan={PAN_MAX:g}",
                        f"MinTilt={TILT_MIN:g}", f"MaxTilt={TILT_MAX:g}",
                        f"MinZoom={ZOOM_MIN}", f"MaxZoom={ZOOM_MAX}",
                        f"MinFocus={FOCUS_MIN}", f"MaxFocus={FOCUS_MAX}",
                        f"MinFieldAngle={FIELD_ANGLE_MIN}", f"MaxFieldAngle={FIELD_ANGLE_MAX}")
        if what in ("presetposall", "presetposcam"):
            return text("Preset Positions for camera 1",
                        *(f"presetposno{n}={p['name']}" for n, p in sorted(self.presets.items())))
        if what == "speed":
            return text(f"speed={self.speed}")
        raise CgiError(f"Error: unsupported query '{what}'")

    def state(self):
        moving = {name: motor.moving() for name, motor in
                  (("pan", self.pan), ("tilt", self.tilt), ("zoom", self.zoom),
                   ("focus", self.focus))}
        targets = {name: None if motor.target is None else round(
                       Motor(motor.low, motor.high, motor.target, motor.wrap).position(), 4)
                   for name, motor in (("pan", self.pan), ("tilt", self.tilt),
                                       ("zoom", self.zoom), ("focus", self.focus))}
        return {
            "pan": round(self.pan.position(), 4),
            "tilt": round(self.tilt.position(), 4),
            "zoom": round(self.zoom.position(), 2),
            "focus": round(self.focus.position(), 2),
            "autofocus": self.autofocus,
            "speed": self.speed,
            "moving": any(moving.values()),
            "pan_tilt_moving": moving["pan"] or moving["tilt"],
            "pan_moving": moving["pan"],
            "tilt_moving": moving["tilt"],
            "zoom_moving": moving["zoom"],
            "focus_moving": moving["focus"],
            "velocity": {"pan": self.pan.velocity, "tilt": self.tilt.velocity,
                         "zoom": self.zoom.velocity, "focus": self.focus.velocity},
            "target": targets if any(v is not None for v in targets.values()) else None,
            "field_angle": round(self.field_angle(), 3),
        }


# -- parameters ---------------------------------------------------------------

def one_of(*values):
    return lambda v: v if v in values else None


def int_range(low, high):
    def check(v):
        return v if re.fullmatch(r"-?\d+", v) and low <= int(v) <= high else None
    return check


def ipv4(v):
    try:
        return str(ipaddress.IPv4Address(v))
    except ValueError:
        return None


def non_empty(v):
    return v if v.strip() else None


def any_text(v):
    return v


READ_ONLY = None


class Params:
    """The parameter tree: ordered `Group.Sub.Name` -> value, with checks."""

    def __init__(self, entries):
        # entries: (name, default, check or READ_ONLY)
        self.defaults = {name: value for name, value, _ in entries}
        self.checks = {name: check for name, _, check in entries}
        self.values = dict(self.defaults)

    def __getitem__(self, name):
        return self.values[name]

    def set(self, name, value):
        self.values[name] = value

    @staticmethod
    def strip_root(name):
        return name[5:] if name.startswith("root.") else name

    def matching(self, group):
        """Names under `group` (components, `*` matching any one)."""
        pattern = self.strip_root(group).split(".")
        if pattern == ["root"]:
            return list(self.values)
        found = []
        for name in self.values:
            parts = name.split(".")
            if len(parts) >= len(pattern) and all(
                    p == "*" or p == parts[i] for i, p in enumerate(pattern)):
                found.append(name)
        return found

    def check(self, name, value):
        """The value to store, or None when refused (unknown, read-only, bad)."""
        name = self.strip_root(name)
        if name not in self.checks or self.checks[name] is READ_ONLY:
            return None
        return self.checks[name](value)


# -- the camera -----------------------------------------------------------------

class Reply:
    def __init__(self, status=200, body=b"", content_type="text/plain", headers=(),
                 close=False, after=None, stream=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers)
        self.close = close
        self.after = after        # after(connection), once the reply is written
        self.stream = stream      # a function(handler) writing the whole reply


SILENT = Reply(status=None)


class Request:
    def __init__(self, method, target, headers, body):
        self.method = method
        self.target = target
        split = urllib.parse.urlsplit(target)
        self.path = split.path
        self.query = split.query
        self.headers = headers
        self.body = body
        self.pairs = urllib.parse.parse_qsl(split.query, keep_blank_values=True,
                                            errors="replace")
        self.form = None
        content_type = (headers.get("Content-Type") or "").lower()
        if method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
            self.form = body.decode("utf-8", "replace")
            self.pairs += urllib.parse.parse_qsl(self.form, keep_blank_values=True,
                                                 errors="replace")
        self.params = dict(self.pairs)   # the last of repeated names wins


def parse_auth_params(header):
    """key=value / key="value" pairs of a Digest Authorization header."""
    out = {}
    for m in re.finditer(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))', header):
        out[m.group(1).lower()] = m.group(2) if m.group(2) is not None else m.group(3)
    return out


def md5_hex(s):
    return hashlib.md5(s.encode("utf-8")).hexdigest()


class Camera:
    def __init__(self, args, pictures):
        self.args = args
        self.pictures = pictures
        self.started = time.monotonic()
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.user = args.user
        self.password = args.password
        self.realm = f"AXIS_{args.serial}"
        self.nonces = collections.OrderedDict()   # nonce -> set of used nc
        self.anonymous = False
        self.silent = False
        self.silence_changed = threading.Condition(self.lock)
        self.motion = False
        self.motion_level = None
        self.fails = {}                  # path -> {"status","body","count"}
        self.request_log = collections.deque(maxlen=REQUEST_LOG_CAP)
        self.request_log_dropped = 0
        self.counters = {"reboots": 0, "factory_defaults": 0, "hard_factory_defaults": 0,
                         "upgrades": 0, "requests": 0}
        self.booting_until_ns = 0
        self.boot_generation = 0
        self.connections = set()
        self.streams_open = 0
        self.clock_offset_s = 0.0
        self.head = Head() if args.ptz else None
        self.params = Params(self.parameter_entries())
        # Physical port levels: 1 = closed circuit. Pulse sequences are
        # (due monotonic ns, active?) pairs played out on demand.
        self.levels = {}
        self.schedules = {}
        self.release_ports(inputs_too=True)
        self.system_log = []
        self.log_event("INFO", "kernel: Booting Linux on physical CPU 0x0")
        self.log_event("INFO", f"systemd[1]: Started AXIS {args.model} services.")
        self.log_event("INFO", f"httpd: VAPIX {args.vapix} ready, firmware {args.firmware}")
        self.routes = self.route_table()

    # -- configuration --------------------------------------------------------

    def resolutions(self):
        return self.params["Properties.Image.Resolution"].split(",")

    def parameter_entries(self):
        a = self.args
        own = f"{a.width}x{a.height}"
        resolutions = ["1280x720", "640x360", "320x180"]
        if own not in resolutions:
            resolutions.insert(0, own)
        kind = "PTZ Dome Network Camera" if a.ptz else "Network Camera"
        serial = a.serial.upper()
        if re.fullmatch(r"[0-9A-F]{12}", serial):
            mac = ":".join(serial[i:i + 2] for i in range(0, 12, 2))
        else:
            mac = "AC:CC:8E:01:23:45"
        res_check = lambda v: v if v in self.resolutions() else None   # noqa: E731
        entries = [
            ("Brand.Brand", "AXIS", READ_ONLY),
            ("Brand.ProdFullName", f"AXIS {a.model} {kind}", READ_ONLY),
            ("Brand.ProdNbr", a.model, READ_ONLY),
            ("Brand.ProdShortName", f"AXIS {a.model}", READ_ONLY),
            ("Brand.ProdType", kind, READ_ONLY),
            ("Properties.API.HTTP.Version", str(a.vapix), READ_ONLY),
            ("Properties.Firmware.Version", a.firmware, READ_ONLY),
            ("Properties.Image.Format", "jpeg,mjpeg,h264", READ_ONLY),
            ("Properties.Image.Resolution", ",".join(resolutions), READ_ONLY),
            ("Properties.PTZ.PTZ", "yes" if a.ptz else "no", READ_ONLY),
            ("Properties.System.HardwareID", "71D", READ_ONLY),
            ("Properties.System.SerialNumber", a.serial, READ_ONLY),
            ("Image.NbrOfConfigs", "1", READ_ONLY),
            ("Image.I0.Appearance.Compression", "30", int_range(0, 100)),
            ("Image.I0.Appearance.Resolution", own, res_check),
            ("Image.I0.Appearance.Rotation", "0", one_of("0", "90", "180", "270")),
            ("Image.I0.Stream.FPS", str(a.fps), int_range(0, 30)),
            ("ImageSource.NbrOfSources", "1", READ_ONLY),
            ("ImageSource.I0.DayNight.IrCutFilter", "auto", one_of("yes", "no", "auto")),
            ("ImageSource.I0.Sensor.Brightness", "50", int_range(0, 100)),
            ("ImageSource.I0.Sensor.ColorLevel", "50", int_range(0, 100)),
            ("ImageSource.I0.Sensor.Contrast", "50", int_range(0, 100)),
            ("ImageSource.I0.Sensor.Exposure", "auto",
             one_of("auto", "flickerfree50", "flickerfree60", "hold")),
            ("ImageSource.I0.Sensor.Sharpness", "50", int_range(0, 100)),
            ("Input.NbrOfInputs", str(a.inputs), READ_ONLY),
            ("Output.NbrOfOutputs", str(a.outputs), READ_ONLY),
        ]
        for i in range(a.inputs + a.outputs):
            prefix = f"IOPort.I{i}"
            entries += [(f"{prefix}.Configurable", "no", READ_ONLY)]
            if i < a.inputs:
                entries += [(f"{prefix}.Direction", "input", READ_ONLY),
                            (f"{prefix}.Input.Name", f"Input {i + 1}", any_text),
                            (f"{prefix}.Input.Trig", "closed", one_of("closed", "open"))]
            else:
                n = i - a.inputs + 1
                entries += [(f"{prefix}.Direction", "output", READ_ONLY),
                            (f"{prefix}.Output.Active", "closed", one_of("closed", "open")),
                            (f"{prefix}.Output.Name", f"Output {n}", any_text)]
        entries += [
            ("Network.BootProto", "none", one_of("none", "dhcp")),
            ("Network.HostName", f"axis-{a.serial.lower()}", non_empty),
            ("Network.eth0.IPAddress", "127.0.0.1", ipv4),
            ("Network.eth0.MACAddress", mac, READ_ONLY),
            ("Time.NTP.Server", "", any_text),
            ("Time.ObtainFromDHCP", "no", one_of("yes", "no")),
            ("Time.POSIXTimeZone", "UTC0", lambda v: v if tz_offset_s(v) is not None else None),
            ("Time.SyncSource", "NONE", one_of("NTP", "NONE")),
        ]
        return entries

    def route_table(self):
        routes = {
            "/axis-cgi/admin/param.cgi": self.param_cgi,
            "/axis-cgi/operator/param.cgi": self.param_cgi,
            "/axis-cgi/view/param.cgi": self.param_cgi,
            "/axis-cgi/jpg/image.cgi": self.snapshot,
            "/jpg/image.jpg": self.snapshot,
            "/axis-cgi/mjpg/video.cgi": self.mjpeg,
            "/mjpg/video.mjpg": self.mjpeg,
            "/axis-cgi/io/port.cgi": self.port_cgi,
            "/axis-cgi/motion/motiondata.cgi": self.motion_data,
            "/axis-cgi/date.cgi": self.date_cgi,
            "/axis-cgi/admin/date.cgi": self.date_cgi,
            "/axis-cgi/restart.cgi": self.restart_cgi,
            "/axis-cgi/admin/restart.cgi": self.restart_cgi,
            "/axis-cgi/factorydefault.cgi": self.factory_default_cgi,
            "/axis-cgi/admin/factorydefault.cgi": self.factory_default_cgi,
            "/axis-cgi/hardfactorydefault.cgi": self.hard_factory_default_cgi,
            "/axis-cgi/systemlog.cgi": self.system_log_cgi,
            "/axis-cgi/admin/systemlog.cgi": self.system_log_cgi,
            "/axis-cgi/firmwareupgrade.cgi": self.firmware_upgrade_cgi,
        }
        if self.args.vapix >= 3:
            routes["/axis-cgi/param.cgi"] = self.param_cgi
        if self.head is not None:
            routes["/axis-cgi/com/ptz.cgi"] = self.ptz_cgi
        return routes

    # -- the request path -----------------------------------------------------

    def handle(self, request):
        """Decides the reply to one request (under the lock; no I/O)."""
        now = time.monotonic_ns()
        with self.lock:
            self.counters["requests"] += 1
            scheme = self.auth_scheme(request)
            if self.silent:
                self.record(request, scheme, None, now)
                return SILENT
            reply = self.decide(request, now)
            self.record(request, scheme, reply.status, now)
            return reply

    def decide(self, request, now):
        if now < self.booting_until_ns:
            return Reply(503, text("Service Unavailable: the camera is restarting"),
                         headers=[("Retry-After", "1")], close=True)
        if not self.anonymous:
            challenge = self.authenticate(request)
            if challenge is not None:
                return challenge
        fail = self.fails.get(request.path)
        if fail is not None:
            if fail["count"] > 0:
                fail["count"] -= 1
                if fail["count"] == 0:
                    del self.fails[request.path]
            return Reply(fail["status"], fail["body"].encode("utf-8"))
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, text("404 Not Found"))
        try:
            return route(request, now)
        except Exception:  # a bug in the fake: say so, keep serving
            log(f"{request.method} {request.target}: {traceback.format_exc()}")
            return Reply(500, text("Internal error in the fake camera"), close=True)

    def record(self, request, scheme, status, now):
        if len(self.request_log) == self.request_log.maxlen:
            self.request_log_dropped += 1
        entry = {"method": request.method, "path": request.path, "query": request.query,
                 "auth": scheme, "status": status, "t_ns": now}
        if request.form is not None:
            entry["form"] = request.form[:4096]
        self.request_log.append(entry)
        if VERBOSE:
            log(f"{request.method} {request.target} auth={scheme} -> {status}")

    # -- authentication -------------------------------------------------------

    @staticmethod
    def auth_scheme(request):
        header = request.headers.get("Authorization") or ""
        scheme = header.split(" ", 1)[0].lower()
        return scheme if scheme in ("basic", "digest") else "none"

    def authenticate(self, request):
        """None when the credentials are good, else the 401 reply."""
        header = request.headers.get("Authorization") or ""
        scheme, _, rest = header.partition(" ")
        scheme = scheme.lower()
        stale = False
        if scheme == "basic" and self.args.auth in ("basic", "both"):
            try:
                user, _, password = base64.b64decode(rest.strip(), validate=True) \
                    .decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                user, password = None, None
            if user == self.user and password == self.password:
                return None
        elif scheme == "digest" and self.args.auth in ("digest", "both"):
            verdict = self.check_digest(request, parse_auth_params(rest))
            if verdict == "ok":
                return None
            stale = verdict == "stale"
        return self.challenge(stale)

    def check_digest(self, request, p):
        """"ok", "stale" (right answer, unknown nonce) or "bad"."""
        needed = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")
        if any(k not in p for k in needed):
            return "bad"
        if p.get("algorithm", "MD5").upper() != "MD5" or p["qop"] != "auth":
            return "bad"
        if p["username"] != self.user or p["realm"] != self.realm:
            return "bad"
        # The uri must name this request (some clients leave the query out).
        if p["uri"] not in (request.target, request.path):
            return "bad"
        if not re.fullmatch(r"[0-9a-fA-F]{8}", p["nc"]):
            return "bad"
        ha1 = md5_hex(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5_hex(f"{request.method}:{p['uri']}")
        expected = md5_hex(f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:{p['qop']}:{ha2}")
        if p["response"].lower() != expected:
            return "bad"
        used = self.nonces.get(p["nonce"])
        if used is None:
            return "stale"
        nc = int(p["nc"], 16)
        if nc in used:
            return "bad"   # a replay
        used.add(nc)
        self.nonces.move_to_end(p["nonce"])
        return "ok"

    def challenge(self, stale=False):
        headers = []
        if self.args.auth in ("digest", "both"):
            nonce = secrets.token_hex(16)
            self.nonces[nonce] = set()
            while len(self.nonces) > NONCE_CAP:
                self.nonces.popitem(last=False)
            headers.append(("WWW-Authenticate",
                            f'Digest realm="{self.realm}", nonce="{nonce}", algorithm=MD5, '
                            f'qop="auth"' + (", stale=TRUE" if stale else "")))
        if self.args.auth in ("basic", "both"):
            headers.append(("WWW-Authenticate", f'Basic realm="{self.realm}"'))
        body = ("<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD>\r\n"
                "<BODY><H1>401 Unauthorized</H1>\r\n"
                "Your client does not have permission to get URL from this server.\r\n"
                "</BODY></HTML>\r\n").encode()
        return Reply(401, body, content_type="text/html", headers=headers)

    # -- param.cgi ------------------------------------------------------------

    def param_cgi(self, request, now):
        action = request.params.get("action", "")
        if action == "list":
            return Reply(200, text(*self.param_list(request.params.get("group"))))
        if action == "update":
            return Reply(200, text(*self.param_update(
                [(k, v) for k, v in request.pairs if k != "action"], now)))
        return Reply(200, text(f"# Error: Unknown action '{action}'"))

    def param_list(self, groups):
        if groups is None:
            names = [(None, list(self.params.values))]
        else:
            names = [(g, self.params.matching(g)) for g in groups.split(",") if g]
        lines = []
        for group, found in names:
            if not found:
                lines.append(f"# Error: Error -1 getting param in group '{group}'")
            lines += [f"root.{n}={self.params[n]}" for n in found]
        return lines

    def param_update(self, pairs, now):
        if not pairs:
            return ["# Error: No parameters to update"]
        accepted = []
        errors = []
        for name, value in pairs:
            checked = self.params.check(name, value)
            if checked is None:
                errors.append(f"# Error: Error setting '{name}' to '{value}'!")
            else:
                accepted.append((Params.strip_root(name), checked))
        if errors:
            return errors
        # An output keeps its state when its active polarity changes (the
        # relay follows); an input's level is the outside world's and stays.
        self.settle_ports(now)
        outputs = range(self.args.inputs + 1, self.port_count() + 1)
        was_active = {port: self.is_active(port) for port in outputs}
        for name, value in accepted:
            self.params.set(name, value)
        for port, active in was_active.items():
            self.make_active(port, active)
        return ["OK"]

    # -- video ----------------------------------------------------------------

    def image_error(self, params):
        """The error body for image/stream parameters we refuse, or None."""
        resolution = params.get("resolution")
        if resolution is not None and resolution not in self.resolutions():
            return text("Error: resolution not supported")
        if params.get("camera", "1") != "1":
            return text("Error: camera not available")
        compression = params.get("compression")
        if compression is not None and int_range(0, 100)(compression) is None:
            return text("Error: compression out of range")
        return None

    def current_picture(self):
        index = int((time.monotonic() - self.started) * self.args.fps)
        return self.pictures[index % len(self.pictures)]

    def snapshot(self, request, now):
        error = self.image_error(request.params)
        if error is not None:
            return Reply(200, error)
        return Reply(200, self.current_picture(), content_type="image/jpeg")

    def mjpeg(self, request, now):
        params = request.params
        error = self.image_error(params)
        limits = {"fps": (0, 30), "duration": (0, 86400), "nbrofframes": (0, 10 ** 9)}
        for key, (low, high) in limits.items():
            if error is None and key in params and int_range(low, high)(params[key]) is None:
                error = text(f"Error: {key} out of range")
        if error is not None:
            return Reply(200, error)
        fps = int(params.get("fps", "0")) or int(self.params["Image.I0.Stream.FPS"]) \
            or self.args.fps
        duration = int(params.get("duration", "0"))
        frames = int(params.get("nbrofframes", "0"))

        def stream(handler):
            boundary = self.args.mjpeg_boundary
            handler.start_stream(f"multipart/x-mixed-replace;boundary={boundary}")
            period = 1.0 / fps
            index = int((time.monotonic() - self.started) * self.args.fps)
            sent = 0
            for _ in self.stream_ticks(period, duration):
                if frames and sent >= frames:
                    return
                picture = self.pictures[index % len(self.pictures)]
                index += 1
                handler.wfile.write(f"--{boundary}\r\nContent-Type: image/jpeg\r\n"
                                    f"Content-Length: {len(picture)}\r\n\r\n".encode()
                                    + picture + b"\r\n")
                handler.wfile.flush()
                sent += 1
        return Reply(200, stream=stream)

    def stream_ticks(self, period, duration_s=0):
        """Yields when the next piece of a stream is due; ends it on reboot,
        quit or duration. A silent camera yields nothing until it speaks."""
        generation = self.boot_generation
        start = time.monotonic()
        due = start
        while True:
            now = time.monotonic()
            if duration_s and now - start >= duration_s:
                return
            if self.stopping.is_set() or generation != self.boot_generation:
                return
            if now < due:
                time.sleep(min(due - now, 0.1))
                continue
            if not self.silent:
                yield now
            # A client that fell behind (or a pause) does not earn a burst.
            due = max(due + period, now - period)

    # -- ptz.cgi --------------------------------------------------------------

    def ptz_cgi(self, request, now):
        params = dict(request.params)
        camera = params.pop("camera", "1")
        if camera != "1":
            return Reply(200, text("Error: camera not available"))
        head = self.head
        head.settle(now)
        try:
            if "info" in params:
                return Reply(200, text(*PTZ_INFO))
            if "query" in params:
                return Reply(200, head.query(params["query"]))
            if not params:
                raise CgiError("Error: no command")
            head.command(params)
        except CgiError as e:
            return Reply(200, text(str(e)))
        ircut = params.get("ircutfilter")
        if ircut is not None:
            self.params.set("ImageSource.I0.DayNight.IrCutFilter",
                            {"on": "yes", "off": "no", "auto": "auto"}[ircut])
        return Reply(204)

    # -- I/O ports ------------------------------------------------------------

    def port_count(self):
        return self.args.inputs + self.args.outputs

    def is_input(self, port):
        return port <= self.args.inputs

    def active_level(self, port):
        """The raw level (1 = closed circuit) at which `port` is active."""
        i = port - 1
        name = f"IOPort.I{i}.Input.Trig" if self.is_input(port) else f"IOPort.I{i}.Output.Active"
        return 1 if self.params[name] == "closed" else 0

    def is_active(self, port):
        return self.levels[port] == self.active_level(port)

    def make_active(self, port, active):
        level = self.active_level(port)
        self.levels[port] = level if active else 1 - level

    def release_ports(self, inputs_too=False):
        """Outputs inactive and their pulses forgotten (power-up state)."""
        for port in range(1, self.port_count() + 1):
            if inputs_too or not self.is_input(port):
                self.make_active(port, False)
                self.schedules[port] = []

    def settle_ports(self, now):
        for port, schedule in self.schedules.items():
            while schedule and schedule[0][0] <= now:
                self.make_active(port, schedule.pop(0)[1])

    def port_numbers(self, raw):
        ports = []
        for part in raw.split(","):
            if not part.strip().isdigit():
                raise CgiError(f"Error: bad port '{part}'")
            port = int(part)
            if not 1 <= port <= self.port_count():
                raise CgiError(f"Error: port {port} does not exist")
            ports.append(port)
        return ports

    def port_cgi(self, request, now):
        params = request.params
        self.settle_ports(now)
        try:
            if "check" in params:
                return Reply(200, text(*(f"port{p}={self.levels[p]}"
                                         for p in self.port_numbers(params["check"]))))
            if "checkactive" in params:
                return Reply(200, text(*(
                    f"port{p}={'active' if self.is_active(p) else 'inactive'}"
                    for p in self.port_numbers(params["checkactive"]))))
            if "checkdirection" in params:
                return Reply(200, text(*(
                    f"port{p}={'input' if self.is_input(p) else 'output'}"
                    for p in self.port_numbers(params["checkdirection"]))))
            if "action" in params:
                self.port_action(params["action"], now)
                return Reply(200, text("OK"))
        except CgiError as e:
            return Reply(200, text(str(e)))
        return Reply(200, text("Error: no command"))

    def port_action(self, action, now):
        m = re.fullmatch(r"(\d+):((?:[/\\]\d*)+)", action)
        if not m:
            raise CgiError(f"Error: bad action '{action}'")
        (port,) = self.port_numbers(m.group(1))
        if self.is_input(port):
            raise CgiError(f"Error: port {port} is an input")
        schedule = []
        due = now
        for state, hold in re.findall(r"([/\\])(\d*)", m.group(2)):
            schedule.append((due, state == "/"))
            due += int(hold or 0) * 1_000_000
        # A new action replaces whatever was still to come on that port.
        self.schedules[port] = schedule
        self.settle_ports(now)

    # -- motion -----------------------------------------------------------------

    def motion_data(self, request, now):
        if request.params.get("group", "0") != "0":
            return Reply(200, text("Error: no such motion window group"))

        def stream(handler):
            handler.start_stream("text/plain")
            for _ in self.stream_ticks(MOTION_PERIOD_S):
                with self.lock:
                    if not self.motion:
                        level = MOTION_LEVEL_IDLE
                    elif self.motion_level is not None:
                        level = self.motion_level
                    else:
                        level = MOTION_LEVEL_ACTIVE
                handler.wfile.write(
                    f"group=0;level={level};threshold={MOTION_THRESHOLD};\r\n".encode())
                handler.wfile.flush()
        return Reply(200, stream=stream)

    # -- date.cgi ---------------------------------------------------------------

    def local_now(self):
        """The camera's local wall time (naive datetime)."""
        offset = tz_offset_s(self.params["Time.POSIXTimeZone"]) or 0
        seconds = time.time() + self.clock_offset_s + offset
        return datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)

    def date_cgi(self, request, now):
        params = request.params
        action = params.get("action", "")
        local = self.local_now()
        day = f"{MONTHS[local.month - 1]} {local.day:02d}, {local.year:04d}"
        clock = f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}"
        if action == "get":
            return Reply(200, text(f"{day} {clock}"))
        if action == "getdate":
            return Reply(200, text(day))
        if action == "gettime":
            return Reply(200, text(clock))
        if action != "set":
            return Reply(200, text(f"Request failed: unknown action '{action}'"))
        fields = {}
        for key in ("year", "month", "day", "hour", "minute", "second"):
            raw = params.get(key)
            if raw is None or not raw.isdigit():
                return Reply(200, text(f"Request failed: missing or bad '{key}'"))
            fields[key] = int(raw)
        zone = params.get("timezone")
        if zone is not None and tz_offset_s(zone) is None:
            return Reply(200, text(f"Request failed: bad timezone '{zone}'"))
        try:
            wanted = datetime.datetime(**fields)
        except ValueError as e:
            return Reply(200, text(f"Request failed: {e}"))
        if zone is not None:
            self.params.set("Time.POSIXTimeZone", zone)
        offset = tz_offset_s(self.params["Time.POSIXTimeZone"]) or 0
        wanted_utc_s = (wanted - datetime.datetime(1970, 1, 1)).total_seconds() - offset
        self.clock_offset_s = wanted_utc_s - time.time()
        return Reply(200, text("OK"))

    # -- system -----------------------------------------------------------------

    def log_event(self, level, message):
        stamp = self.local_now().isoformat(timespec="milliseconds")
        offset = tz_offset_s(self.params["Time.POSIXTimeZone"]) or 0
        sign = "+" if offset >= 0 else "-"
        zone = f"{sign}{abs(offset) // 3600:02d}:{abs(offset) % 3600 // 60:02d}"
        self.system_log.append(f"{stamp}{zone} {self.params['Network.HostName']} "
                               f"[ {level:<7} ] {message}")

    def reboot(self, reason):
        """Starts a reboot (lock held) while deciding the reply that causes
        it, so that whatever the client sends after that reply meets the
        rebooting camera; the reply itself still goes out, and then
        drop_connections runs."""
        now = time.monotonic_ns()
        self.counters["reboots"] += 1
        self.log_event("NOTICE", f"systemd[1]: Rebooting ({reason}).")
        self.booting_until_ns = now + int(self.args.reboot_seconds * 1e9)
        self.boot_generation += 1
        if self.head is not None:
            self.head.settle(now)
            self.head.stop()
        self.settle_ports(now)
        self.release_ports()
        self.nonces.clear()

    def drop_connections(self, own_connection):
        """A reply's `after` hook: every other connection goes, as with a
        camera whose TCP stack went away, streams and unanswered requests
        included."""
        for connection in list(self.connections):
            if connection is own_connection:
                continue   # closes itself now that its reply is out
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def factory_reset(self):
        for name, default in self.params.defaults.items():
            if not name.startswith(("Network.", "Properties.", "Brand.")):
                self.params.set(name, default)
        if self.head is not None:
            self.head.reset()

    def restart_cgi(self, request, now):
        self.reboot("restart.cgi")
        return Reply(200, text("OK"), close=True, after=self.drop_connections)

    def factory_default_cgi(self, request, now):
        self.counters["factory_defaults"] += 1
        self.factory_reset()
        self.reboot("factorydefault.cgi")
        return Reply(200, text("OK"), close=True, after=self.drop_connections)

    def hard_factory_default_cgi(self, request, now):
        self.counters["hard_factory_defaults"] += 1
        self.factory_reset()
        self.reboot("hardfactorydefault.cgi")
        return Reply(200, text("OK"), close=True, after=self.drop_connections)

    def system_log_cgi(self, request, now):
        return Reply(200, text(*self.system_log))

    def firmware_upgrade_cgi(self, request, now):
        if request.method != "POST":
            return Reply(200, text("Error: firmware must be POSTed as multipart/form-data"))
        kind = request.params.get("type", "normal")
        if kind not in ("normal", "factorydefault"):
            return Reply(200, text(f"Error: unknown upgrade type '{kind}'"))
        image = self.multipart_file(request)
        if image is None:
            return Reply(200, text("Error: no firmware file in the request"))
        m = re.search(rb"version=([0-9A-Za-z._-]+)", image)
        self.counters["upgrades"] += 1
        if m:
            self.params.set("Properties.Firmware.Version", m.group(1).decode())
        self.log_event("INFO", f"firmwareupgrade: {len(image)} bytes flashed, firmware "
                               f"{self.params['Properties.Firmware.Version']}")
        if kind == "factorydefault":
            self.counters["factory_defaults"] += 1
            self.factory_reset()
        self.reboot("firmwareupgrade.cgi")
        return Reply(200, text("OK"), close=True, after=self.drop_connections)

    @staticmethod
    def multipart_file(request):
        """The content of the first part of a multipart/form-data body."""
        content_type = request.headers.get("Content-Type") or ""
        m = re.search(r'boundary="?([^";]+)"?', content_type)
        if not content_type.lower().startswith("multipart/form-data") or not m:
            return None
        delimiter = b"--" + m.group(1).encode("latin-1")
        for part in request.body.split(delimiter)[1:]:
            if part.startswith(b"--"):
                break
            head, sep, content = part.partition(b"\r\n\r\n")
            if not sep:
                continue
            return content[:-2] if content.endswith(b"\r\n") else content
        return None

    # -- control channel ----------------------------------------------------------

    def state(self):
        now = time.monotonic_ns()
        self.settle_ports(now)
        ports = []
        for port in range(1, self.port_count() + 1):
            i = port - 1
            is_input = self.is_input(port)
            ports.append({
                "port": port,
                "direction": "input" if is_input else "output",
                "name": self.params[f"IOPort.I{i}.{'Input' if is_input else 'Output'}.Name"],
                "level": self.levels[port],
                "active": self.is_active(port),
                "pulsing": bool(self.schedules[port]),
            })
        ptz = None
        if self.head is not None:
            self.head.settle(now)
            ptz = self.head.state()
        p = self.params
        return {
            "port": self.args.port,
            "model": self.args.model,
            "serial": self.args.serial,
            "firmware": p["Properties.Firmware.Version"],
            "vapix": self.args.vapix,
            "ptz": ptz,
            "presets": None if self.head is None else {
                str(n): dict(v) for n, v in sorted(self.head.presets.items())},
            "io": ports,
            "image": {
                "brightness": int(p["ImageSource.I0.Sensor.Brightness"]),
                "contrast": int(p["ImageSource.I0.Sensor.Contrast"]),
                "color_level": int(p["ImageSource.I0.Sensor.ColorLevel"]),
                "sharpness": int(p["ImageSource.I0.Sensor.Sharpness"]),
                "exposure": p["ImageSource.I0.Sensor.Exposure"],
                "ir_cut_filter": p["ImageSource.I0.DayNight.IrCutFilter"],
                "resolution": p["Image.I0.Appearance.Resolution"],
                "fps": int(p["Image.I0.Stream.FPS"]),
            },
            "time": {
                "offset_s": round(self.clock_offset_s, 3),
                "posix_tz": p["Time.POSIXTimeZone"],
                "sync_source": p["Time.SyncSource"],
                "ntp_server": p["Time.NTP.Server"],
                "local": self.local_now().isoformat(timespec="seconds"),
            },
            "params": dict(p.values),
            "motion": self.motion,
            "silent": self.silent,
            "anonymous": self.anonymous,
            "rebooting": now < self.booting_until_ns,
            "user": self.user,
            "connections": len(self.connections),
            "streams": self.streams_open,
            "fail": {path: dict(f) for path, f in self.fails.items()},
            "counters": dict(self.counters),
        }

    def take_requests(self):
        entries = list(self.request_log)
        dropped = self.request_log_dropped
        self.request_log.clear()
        self.request_log_dropped = 0
        return {"requests": entries, "dropped": dropped}

    def control(self, request):
        """One control-channel request -> its response object."""
        cmd = request.get("cmd")
        with self.lock:
            if cmd == "state":
                return self.state()
            if cmd == "requests":
                return self.take_requests()
            if cmd == "input":
                port = request.get("port")
                if not isinstance(port, int) or isinstance(port, bool) \
                        or not 1 <= port <= self.args.inputs:
                    raise ValueError(f"port must be an input port 1..{self.args.inputs}")
                self.make_active(port, flag(request, "active"))
                return {"ok": True}
            if cmd == "motion":
                self.motion = flag(request, "on")
                level = request.get("level")
                if level is not None and (not isinstance(level, int) or isinstance(level, bool)
                                          or not 0 <= level <= 100):
                    raise ValueError("level must be an integer 0..100")
                self.motion_level = level
                return {"ok": True}
            if cmd == "silent":
                self.silent = flag(request, "on")
                self.silence_changed.notify_all()
                return {"ok": True}
            if cmd == "anonymous":
                self.anonymous = flag(request, "on")
                return {"ok": True}
            if cmd == "fail":
                return self.control_fail(request)
            if cmd == "credentials":
                user, password = request.get("user"), request.get("password")
                if not isinstance(user, str) or not user or ":" in user \
                        or not isinstance(password, str):
                    raise ValueError("user (non-empty, no ':') and password must be strings")
                self.user, self.password = user, password
                return {"ok": True}
            if cmd == "place":
                return self.control_place(request)
            raise ValueError(f"unknown cmd {cmd!r}")

    def control_fail(self, request):
        path = request.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError("path must be a string starting with /")
        count = request.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < -1:
            raise ValueError("count must be an integer >= -1")
        status = request.get("status", 500)
        if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
            raise ValueError("status must be an HTTP status 200..599")
        body = request.get("body", "")
        if not isinstance(body, str):
            raise ValueError("body must be a string")
        if count == 0:
            self.fails.pop(path, None)
        else:
            self.fails[path] = {"status": status, "body": body, "count": count}
        return {"ok": True}

    def control_place(self, request):
        if self.head is None:
            raise ValueError("this camera has no PTZ (--no-ptz)")
        limits = {"pan": (PAN_MIN, PAN_MAX), "tilt": (TILT_MIN, TILT_MAX),
                  "zoom": (ZOOM_MIN, ZOOM_MAX), "focus": (FOCUS_MIN, FOCUS_MAX)}
        values = {}
        for key, (low, high) in limits.items():
            if key in request:
                v = request[key]
                if not isinstance(v, (int, float)) or isinstance(v, bool) \
                        or not low <= v <= high:
                    raise ValueError(f"{key} must be a number {low:g}..{high:g}")
                values[key] = v
        self.head.settle(time.monotonic_ns())
        for key, v in values.items():
            getattr(self.head, key).place(v)
        return self.head.state()


def flag(request, key):
    value = request.get(key, True)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


# -- HTTP -----------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "axis_camera.py"
    timeout = IDLE_TIMEOUT_S
    camera = None   # set by main

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        with self.camera.lock:
            self.camera.connections.add(self.connection)

    def finish(self):
        with self.camera.lock:
            self.camera.connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format, *args):
        # The camera logs one line per request itself (AXIS_FAKE_VERBOSE);
        # timeouts and malformed requests only when verbose too.
        if VERBOSE:
            log(f"{self.address_string()}: {format % args}")

    def log_request(self, code="-", size="-"):
        pass

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def read_body(self):
        """The request body, or None after answering 411/413 ourselves."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                size = int(self.rfile.readline(64).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > BODY_CAP:
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(8)
        else:
            length = self.headers.get("Content-Length")
            if length is None:
                return b""
            if not length.isdigit():
                self.send_plain(400, text("Bad Content-Length"), close=True)
                return None
            if int(length) <= BODY_CAP:
                return self.rfile.read(int(length))
        self.send_plain(413, text("Request body too large"), close=True)
        return None

    def serve(self):
        try:
            body = self.read_body() if self.command == "POST" else b""
        except ValueError:
            self.send_plain(400, text("Bad chunked body"), close=True)
            return
        if body is None:
            return
        camera = self.camera
        request = Request(self.command, self.path, self.headers, body)
        reply = camera.handle(request)
        if reply is SILENT:
            self.hang()
            return
        if reply.stream is not None:
            with camera.lock:
                camera.streams_open += 1
            try:
                reply.stream(self)
            except (OSError, ValueError):
                pass   # the client went away (ValueError: write to a closed file)
            finally:
                with camera.lock:
                    camera.streams_open -= 1
                self.close_connection = True
            return
        self.send_plain(reply.status, reply.body, reply.content_type, reply.headers, reply.close)
        if reply.after is not None:
            with camera.lock:
                reply.after(self.connection)

    def send_plain(self, status, body, content_type="text/plain", headers=(), close=False):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if body and status != 204:
            self.wfile.write(body)
        self.wfile.flush()

    def start_stream(self, content_type):
        """Headers of a body that ends when the connection does."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Pragma", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True

    def hang(self):
        """A silent camera: keep the request unanswered while silence lasts,
        then drop the connection; leave early if the client gives up."""
        camera = self.camera
        self.close_connection = True
        while not camera.stopping.is_set():
            with camera.lock:
                if not camera.silent:
                    return
                camera.silence_changed.wait(0.1)
            try:
                readable, _, _ = select.select([self.connection], [], [], 0)
                if readable and not self.connection.recv(65536):
                    return   # the client closed its side
            except OSError:
                return


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        # Clients come and go, mid-stream too: a socket error is no news.
        if isinstance(sys.exc_info()[1], OSError) and not VERBOSE:
            return
        log(f"{client_address}: {traceback.format_exc()}")


# -- main -------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description="Axis VAPIX camera fake on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: any free one)")
    parser.add_argument("--user", default="root")
    parser.add_argument("--password", default="pass")
    parser.add_argument("--auth", choices=("digest", "basic", "both"), default="both",
                        help="schemes offered in the 401 challenge (default both)")
    parser.add_argument("--model", default="P5635-E", help="Brand.ProdNbr")
    parser.add_argument("--serial", default="ACCC8E012345")
    parser.add_argument("--firmware", default="5.51.7")
    parser.add_argument("--ptz", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--inputs", type=int, default=2)
    parser.add_argument("--outputs", type=int, default=1)
    parser.add_argument("--vapix", type=int, choices=(2, 3), default=3,
                        help="Properties.API.HTTP.Version; 2 serves param.cgi only on the "
                             "v2 paths")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=10)
    parser.add_argument("--mjpeg-boundary", default="myboundary")
    parser.add_argument("--reboot-seconds", type=float, default=0.5,
                        help="how long a reboot answers 503 (default 0.5)")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be 0..65535")
    if args.inputs < 0 or args.outputs < 0 or args.inputs + args.outputs > 64:
        parser.error("--inputs/--outputs must be >= 0, at most 64 ports in all")
    if not (16 <= args.width <= 4096 and 16 <= args.height <= 4096) \
            or args.width % 2 or args.height % 2:
        parser.error("--width/--height must be even numbers 16..4096")
    if not 1 <= args.fps <= 30:
        parser.error("--fps must be 1..30")
    if not re.fullmatch(r"[0-9A-Za-z'()+_,./:=?-]{1,70}", args.mjpeg_boundary):
        parser.error("--mjpeg-boundary must be 1..70 boundary characters without spaces")
    if args.reboot_seconds < 0:
        parser.error("--reboot-seconds must be >= 0")
    if not args.user or ":" in args.user:
        parser.error("--user must be non-empty without ':'")
    return args


def respond(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def main(argv):
    args = parse_args(argv)
    pictures = render_pictures(args.width, args.height, args.fps)
    camera = Camera(args, pictures)
    Handler.camera = camera
    server = Server(("127.0.0.1", args.port), Handler)
    args.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    respond({"port": args.port, "url": f"http://127.0.0.1:{args.port}"})
    log(f"AXIS {args.model} (VAPIX {args.vapix}, {'PTZ' if args.ptz else 'fixed'}, "
        f"{len(pictures)} pictures) on http://127.0.0.1:{args.port}")
    try:
        for line in sys.stdin.buffer:
            if len(line) > CONTROL_LINE_CAP:
                respond({"error": "control line too long"})
                continue
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise ValueError("a request is a JSON object")
                if request.get("cmd") == "quit":
                    respond({"ok": True})
                    break
                respond(camera.control(request))
            except (ValueError, TypeError) as e:
                respond({"error": str(e)})
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        camera.stopping.set()
        with camera.lock:
            camera.silence_changed.notify_all()
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
