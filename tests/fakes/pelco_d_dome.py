#!/usr/bin/env python3
"""A Pelco-D dome (or several on one RS-485 bus) behind a pseudo-terminal.

End-to-end tests of the Pelco-D PTZ adapter need something on the other end
of a "serial port". This program opens a pty pair, puts it in raw mode and
prints the slave's path; the adapter opens that path as if it were an RS-485
port, and this program plays the domes on the master side: it frames the
7-byte Pelco-D commands, moves the domes over time at the commanded speeds,
keeps presets and aux outputs, and answers the way Pelco equipment does
(see /work/shared/protocols/pelco-d.md, the notes this follows).

Usage:
    python3 tests/fakes/pelco_d_dome.py --address 1 [--address 2 ...]
            [--no-replies] [--link PATH] [--tilt-up-limit DEG]
            [--zoom-limit X] [--part-number TEXT] [--log-cap N]

First stdout line: {"tty": "/dev/pts/N", "link": PATH|null, "addresses": [...]}.
After that stdin/stdout are a control channel of JSON lines, one response
line per request line, in order:
    {"cmd":"state","address":1}         -> the dome's state (see Dome.state)
    {"cmd":"silent","address":1,"on":true}  obeys commands, answers nothing
    {"cmd":"dead","address":1,"on":true}    ignores everything
    {"cmd":"frames","address":1}        -> {"frames":[{"hex","t_ns"}...],
                                            "dropped":N} since the last call
    {"cmd":"set","address":1,"pan":..,"tilt":..,"zoom":..,"alarms":..,
                                "camera_on":..}  place a dome (-> its state)
    {"cmd":"bus"}                       -> bus-wide counters
    {"cmd":"flush"}                     discard replies nobody read yet (the
                                        emulator holds the slave open, so they
                                        outlive the adapter closing the port)
    {"cmd":"quit"}
Errors: {"error": "..."}. Diagnostics go to stderr only. The program ends
when stdin closes.

Units are the protocol's: pan and tilt in hundredths of a degree 0..35999
(tilt 0 = horizon, 9000 = straight down, 27000..35999 above the horizon),
zoom as the ratio 0..65535 (wide..tele).

Motion model (positions are computed from CLOCK_MONOTONIC whenever they are
needed; nothing ticks):
    pan  °/s = 0.5 + s * 100/63 for speed byte s = 0x00..0x3F
               (0x00 -> 0.5 °/s, 0x20 -> 51.3 °/s, 0x3F -> 100.5 °/s),
               s >= 0x40 (turbo) -> 200 °/s
    tilt °/s = 0.5 + min(s, 0x3F) * 100/63 (no turbo for tilt)
    zoom     : the full range 0..65535 in 6 s / (zoom speed + 1),
               zoom speed 0..3 from extended 0x25 (power-on default 3: 1.5 s)
    go to preset / flip / zero pan / set pan|tilt|zoom position: each axis
               moves at its fastest rate (pan 200 °/s the short way round,
               tilt 100.5 °/s, zoom 1.5 s for the full range) and stops on
               the target, so "moving" then "arrived" can be observed.
    Tilt stops at the mechanical limits: --tilt-up-limit degrees above the
    horizon (default 10) to 90° down. Zoom stops at 0 and 65535.
    Every standard frame states all axes: a cleared direction bit stops that
    axis (and ends a go-to in progress on it); opposite bits cancel out.
    magnification (hundredths of X) = 100 + zoom/65535 * (zoom_limit*100 - 100),
    i.e. X1 at wide and X30 (--zoom-limit) at tele, used by 0x5F/0x61/0x63.
    (The notes' "mag = value/65535 * limit" would put X0 at wide.)

Framing: sync 0xFF, then 6 bytes; a checksum mismatch drops only that 0xFF
and searches again (0xFF is a legal data and checksum value). Bad checksums
are counted on the bus and, when the address byte names one, on that dome.
Frames for addresses not emulated are counted per address ("bus").

Replies (none at all with --no-replies, or from a silent or dead dome):
    position/magnification queries 0x51/0x53/0x55/0x61: only their extended
        response FF addr 00 59|5B|5D|63 MSB LSB checksum (no general response)
    0x45 part number: the 18-byte query response, checksum = command's
        checksum + address + the 15 ASCII bytes; a lone dome answers it for
        any address (with its own address)
    0x0D dummy and unknown opcodes: nothing (unknown ones are counted)
    everything else: the general response FF addr alarms checksum, where
        checksum = the command's checksum + alarms (alarms set by "set")
A silent dome obeys but never answers; a dead dome ignores everything (its
frames are still logged, as a bus monitor would see them).
"""

import argparse
import collections
import json
import os
import select
import sys
import termios
import time
import tty

SYNC = 0xFF
FRAME_LEN = 7

PAN_FULL_TURN = 36000        # hundredths of a degree
TILT_STRAIGHT_DOWN = 9000
ZOOM_MAX = 65535
ZOOM_FULL_RANGE_S = 6.0      # at zoom speed 0; divided by (speed + 1)
DEFAULT_ZOOM_SPEED = 3
TURBO = 0x40
MAX_SPEED_BYTE = 0x3F
AUX_OUTPUTS = range(1, 9)
FLIP_PRESET = 0x21
ZERO_PAN_PRESET = 0x22

# Extended opcodes that this emulator acts on or at least acknowledges.
OP_SET_PRESET = 0x03
OP_CLEAR_PRESET = 0x05
OP_GO_TO_PRESET = 0x07
OP_SET_AUX = 0x09
OP_CLEAR_AUX = 0x0B
OP_DUMMY = 0x0D
OP_REMOTE_RESET = 0x0F
OP_ZOOM_SPEED = 0x25
OP_FOCUS_SPEED = 0x27
OP_QUERY_PART_NUMBER = 0x45
OP_SET_ZERO = 0x49
OP_SET_PAN = 0x4B
OP_SET_TILT = 0x4D
OP_SET_ZOOM = 0x4F
OP_QUERY_PAN = 0x51
OP_QUERY_TILT = 0x53
OP_QUERY_ZOOM = 0x55
OP_SET_MAGNIFICATION = 0x5F
OP_QUERY_MAGNIFICATION = 0x61
# Query opcode -> the opcode of its extended response.
RESPONSE_OPCODE = {OP_QUERY_PAN: 0x59, OP_QUERY_TILT: 0x5B,
                   OP_QUERY_ZOOM: 0x5D, OP_QUERY_MAGNIFICATION: 0x63}
# Opcodes of the TF-0002 table that only need the general response here
# (zones, screen text, patterns, camera settings...): accepted, no effect.
ACKNOWLEDGED_OPCODES = {0x11, 0x13, 0x15, 0x17, 0x19, 0x1B, 0x1D, 0x1F, 0x21,
                        0x23, 0x29, 0x2B, 0x2D, 0x2F, 0x31, 0x33, 0x35, 0x37,
                        0x39, 0x3B, 0x3D, 0x3F, 0x41, 0x43}

OUT_BUFFER_CAP = 64 * 1024   # replies waiting for the slave side to read
CONTROL_LINE_CAP = 1024 * 1024


def log(message):
    print(f"pelco_d_dome: {message}", file=sys.stderr, flush=True)


def checksum(body):
    """Pelco-D checksum: sum of address..data2 (the sync byte excluded)."""
    return sum(body) & 0xFF


def pan_rate(speed_byte):
    """Pan speed byte -> hundredths of a degree per second."""
    if speed_byte >= TURBO:
        return 200.0 * 100
    return (0.5 + speed_byte * 100.0 / 63) * 100


def tilt_rate(speed_byte):
    """Tilt speed byte -> hundredths of a degree per second (no turbo)."""
    return (0.5 + min(speed_byte, MAX_SPEED_BYTE) * 100.0 / 63) * 100


def zoom_rate(zoom_speed):
    """Zoom speed 0..3 -> ratio units per second."""
    return ZOOM_MAX / (ZOOM_FULL_RANGE_S / (zoom_speed + 1))


FASTEST_PAN = pan_rate(TURBO)
FASTEST_TILT = tilt_rate(MAX_SPEED_BYTE)
FASTEST_ZOOM = zoom_rate(3)


class Axis:
    """One motor: a position that moves continuously or towards a target.

    `wrap` makes it a full-circle axis (pan); otherwise the position is held
    between `low` and `high` and a continuous move stops at them.
    """

    def __init__(self, low, high, wrap=False):
        self.low = low
        self.high = high
        self.wrap = wrap
        self.value = 0.0
        self.velocity = 0.0      # units/s, signed; continuous move
        self.target = None       # set while going to a position
        self.target_rate = 0.0   # units/s, positive
        self.target_direction = 1

    def place(self, value):
        self.value = self._limit(float(value))
        self.stop()

    def stop(self):
        self.velocity = 0.0
        self.target = None

    def move(self, velocity):
        self.target = None
        self.velocity = float(velocity)

    def go_to(self, target, rate, direction=None):
        """Heads for `target`; on a wrapping axis the short way unless told."""
        target = self._limit(float(target))
        self.velocity = 0.0
        if self.wrap:
            ahead = (target - self.value) % self.high
            if direction is None:
                direction = 1 if ahead <= self.high / 2 else -1
            self.target_direction = direction
        else:
            self.target_direction = 1 if target >= self.value else -1
        self.target = target
        self.target_rate = rate
        if self._distance_to_target() == 0:
            self.target = None

    def _limit(self, value):
        if self.wrap:
            return value % self.high
        return min(max(value, self.low), self.high)

    def _distance_to_target(self):
        if self.wrap:
            return (self.target_direction * (self.target - self.value)) % self.high
        return abs(self.target - self.value)

    def advance(self, seconds):
        if self.target is not None:
            remaining = self._distance_to_target()
            step = self.target_rate * seconds
            if step >= remaining:
                self.value = self.target
                self.target = None
            else:
                self.value = self._limit(self.value + self.target_direction * step)
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


def tilt_to_protocol(down):
    """Signed hundredths below the horizon -> 0..35999 protocol value."""
    return int(round(down)) % PAN_FULL_TURN


def tilt_from_protocol(value):
    """0..35999 protocol value -> signed hundredths below the horizon."""
    return value if value < PAN_FULL_TURN // 2 else value - PAN_FULL_TURN


class Dome:
    def __init__(self, address, tilt_up_limit, zoom_limit, part_number, log_cap):
        self.address = address
        self.zoom_limit = zoom_limit
        self.part_number = part_number
        self.pan = Axis(0, PAN_FULL_TURN, wrap=True)
        # Tilt kept as signed hundredths below the horizon (negative = up),
        # which makes the mechanical limits a plain interval.
        self.tilt = Axis(-tilt_up_limit, TILT_STRAIGHT_DOWN)
        self.zoom = Axis(0, ZOOM_MAX)
        self.clock_ns = time.monotonic_ns()
        self.zoom_speed = DEFAULT_ZOOM_SPEED
        self.focus_speed = 0
        self.pan_command = (0, 0)   # (direction -1/0/1, speed byte)
        self.tilt_command = (0, 0)  # (direction, speed byte); +1 = down
        self.zoom_direction = 0     # +1 tele, -1 wide
        self.focus = "stop"
        self.iris = "stop"
        self.camera_on = True
        self.auto_scan = False
        self.presets = {}
        self.aux = {n: False for n in AUX_OUTPUTS}
        self.alarms = 0
        self.zero_offset = 0
        self.silent = False
        self.dead = False
        self.frames = 0
        self.bad_checksums = 0
        self.unknown_opcodes = 0
        self.replies = 0
        self.resets = 0
        self.last_frame = None
        self.frame_log = collections.deque(maxlen=log_cap)
        self.frame_log_dropped = 0

    # -- time ------------------------------------------------------------

    def settle(self, now_ns):
        """Brings the axes to where they are at `now_ns`."""
        if now_ns > self.clock_ns:
            seconds = (now_ns - self.clock_ns) / 1e9
            for axis in (self.pan, self.tilt, self.zoom):
                axis.advance(seconds)
            self.clock_ns = now_ns

    # -- positions in protocol units ----------------------------------------

    def pan_value(self):
        return int(round(self.pan.value)) % PAN_FULL_TURN

    def tilt_value(self):
        return tilt_to_protocol(self.tilt.value)

    def zoom_value(self):
        return int(round(self.zoom.value))

    def magnification(self):
        """Hundredths of X: X1 at wide, X<zoom_limit> at tele, linear."""
        return int(round(100 + self.zoom.value / ZOOM_MAX * (self.zoom_limit * 100 - 100)))

    # -- the bus ---------------------------------------------------------

    def record(self, frame, now_ns):
        self.frames += 1
        self.last_frame = frame.hex()
        if len(self.frame_log) == self.frame_log.maxlen:
            self.frame_log_dropped += 1
        self.frame_log.append((frame.hex(), now_ns))

    def execute(self, frame, now_ns):
        """Obeys one valid frame; returns the reply bytes or None."""
        self.settle(now_ns)
        _, _, cmd1, cmd2, data1, data2, sent_checksum = frame
        if cmd2 & 0x01:
            return self.extended(cmd1, cmd2, data1, data2, sent_checksum)
        self.standard(cmd1, cmd2, data1, data2)
        return self.general_response(sent_checksum)

    def general_response(self, sent_checksum):
        return bytes([SYNC, self.address, self.alarms & 0x7F,
                      (sent_checksum + (self.alarms & 0x7F)) & 0xFF])

    def extended_response(self, opcode, value):
        body = [self.address, 0x00, opcode, (value >> 8) & 0xFF, value & 0xFF]
        return bytes([SYNC] + body + [checksum(body)])

    def standard(self, cmd1, cmd2, data1, data2):
        # Every standard frame states all the axes: a cleared direction bit
        # stops that axis (Stop is simply all bits clear), and opposite bits
        # together cancel out. It also ends a go-to in progress.
        def direction(positive, negative):
            return (1 if positive else 0) - (1 if negative else 0)

        pan_dir = direction(cmd2 & 0x02, cmd2 & 0x04)      # right, left
        tilt_dir = direction(cmd2 & 0x10, cmd2 & 0x08)     # down, up
        zoom_dir = direction(cmd2 & 0x20, cmd2 & 0x40)     # tele, wide
        self.pan_command = (pan_dir, data1)
        self.tilt_command = (tilt_dir, data2)
        self.zoom_direction = zoom_dir
        self.pan.move(pan_dir * pan_rate(data1))
        self.tilt.move(tilt_dir * tilt_rate(data2))
        self.zoom.move(zoom_dir * zoom_rate(self.zoom_speed))
        self.focus = {1: "far", -1: "near", 0: "stop"}[direction(cmd2 & 0x80, cmd1 & 0x01)]
        self.iris = {1: "open", -1: "close", 0: "stop"}[direction(cmd1 & 0x02, cmd1 & 0x04)]
        # The sense bit says whether bits 3/4 switch their feature on or off.
        sense = bool(cmd1 & 0x80)
        if cmd1 & 0x08:
            self.camera_on = sense
        if cmd1 & 0x10:
            self.auto_scan = sense

    def go_to(self, pan=None, tilt=None, zoom=None, pan_direction=None):
        if pan is not None:
            self.pan.go_to(pan, FASTEST_PAN, pan_direction)
            self.pan_command = (0, 0)
        if tilt is not None:
            self.tilt.go_to(tilt, FASTEST_TILT)
            self.tilt_command = (0, 0)
        if zoom is not None:
            self.zoom.go_to(zoom, FASTEST_ZOOM)
            self.zoom_direction = 0

    def extended(self, cmd1, opcode, data1, data2, sent_checksum):
        value = (data1 << 8) | data2
        general = self.general_response(sent_checksum)
        if opcode == OP_SET_PRESET:
            if data2 >= 1:
                self.presets[data2] = {"pan": self.pan_value(), "tilt": self.tilt_value(),
                                       "zoom": self.zoom_value()}
            return general
        if opcode == OP_CLEAR_PRESET:
            self.presets.pop(data2, None)
            return general
        if opcode == OP_GO_TO_PRESET:
            if data2 == FLIP_PRESET:
                self.go_to(pan=(self.pan.value + PAN_FULL_TURN / 2) % PAN_FULL_TURN,
                           pan_direction=1)
            elif data2 == ZERO_PAN_PRESET:
                # "Zero pan" is the azimuth zero set with 0x49 (0 until set).
                self.go_to(pan=self.zero_offset)
            elif data2 in self.presets:
                p = self.presets[data2]
                self.go_to(pan=p["pan"], tilt=tilt_from_protocol(p["tilt"]), zoom=p["zoom"])
            return general
        if opcode in (OP_SET_AUX, OP_CLEAR_AUX):
            if data2 in self.aux:
                self.aux[data2] = opcode == OP_SET_AUX
            return general
        if opcode == OP_DUMMY:
            return None
        if opcode == OP_REMOTE_RESET:
            # A reboot: the motors stop, volatile settings go back to their
            # defaults; presets and aux outputs live in non-volatile memory.
            self.resets += 1
            self.standard(0, 0, 0, 0)
            self.zoom_speed = DEFAULT_ZOOM_SPEED
            self.focus_speed = 0
            return general
        if opcode == OP_ZOOM_SPEED:
            self.zoom_speed = min(data2, 3)
            if self.zoom.target is None and self.zoom_direction:
                self.zoom.move(self.zoom_direction * zoom_rate(self.zoom_speed))
            return general
        if opcode == OP_FOCUS_SPEED:
            self.focus_speed = min(data2, 3)
            return general
        if opcode == OP_QUERY_PART_NUMBER:
            text = list(self.part_number)
            total = sent_checksum + self.address + sum(text)
            return bytes([SYNC, self.address] + text + [total & 0xFF])
        if opcode == OP_SET_ZERO:
            self.zero_offset = self.pan_value()
            return general
        if opcode == OP_SET_PAN:
            if value < PAN_FULL_TURN:
                self.go_to(pan=value)
            return general
        if opcode == OP_SET_TILT:
            if value < PAN_FULL_TURN:
                self.go_to(tilt=tilt_from_protocol(value))
            return general
        if opcode == OP_SET_ZOOM:
            self.go_to(zoom=value)
            return general
        if opcode == OP_SET_MAGNIFICATION:
            span = self.zoom_limit * 100 - 100
            ratio = (min(max(value, 100), self.zoom_limit * 100) - 100) / span if span else 0
            self.go_to(zoom=round(ratio * ZOOM_MAX))
            return general
        if opcode in RESPONSE_OPCODE:
            # Queries answer with their extended response only (no general
            # response as well): the notes' reply column for them.
            reported = {OP_QUERY_PAN: self.pan_value, OP_QUERY_TILT: self.tilt_value,
                        OP_QUERY_ZOOM: self.zoom_value,
                        OP_QUERY_MAGNIFICATION: self.magnification}[opcode]()
            return self.extended_response(RESPONSE_OPCODE[opcode], reported)
        if opcode in ACKNOWLEDGED_OPCODES:
            return general
        self.unknown_opcodes += 1
        return None

    # -- control channel --------------------------------------------------

    def place(self, now_ns, pan=None, tilt=None, zoom=None):
        self.settle(now_ns)
        if pan is not None:
            self.pan.place(pan)
            self.pan_command = (0, 0)
        if tilt is not None:
            self.tilt.place(tilt_from_protocol(tilt))
            self.tilt_command = (0, 0)
        if zoom is not None:
            self.zoom.place(zoom)
            self.zoom_direction = 0

    def take_frames(self):
        entries = [{"hex": h, "t_ns": t} for h, t in self.frame_log]
        dropped = self.frame_log_dropped
        self.frame_log.clear()
        self.frame_log_dropped = 0
        return {"frames": entries, "dropped": dropped}

    def state(self, now_ns):
        self.settle(now_ns)
        pan_moving = self.pan.moving()
        tilt_moving = self.tilt.moving()
        zoom_moving = self.zoom.moving()
        targets = {
            "pan": None if self.pan.target is None
            else int(round(self.pan.target)) % PAN_FULL_TURN,
            "tilt": None if self.tilt.target is None else tilt_to_protocol(self.tilt.target),
            "zoom": None if self.zoom.target is None else int(round(self.zoom.target)),
        }
        return {
            "address": self.address,
            "pan": self.pan_value(),
            "tilt": self.tilt_value(),
            "zoom": self.zoom_value(),
            "pan_deg": round(self.pan.value / 100, 3) % 360,
            # Degrees below the horizon, negative above it.
            "tilt_deg": round(self.tilt.value / 100, 3),
            "magnification": self.magnification(),
            "moving": pan_moving or tilt_moving or zoom_moving,
            "pan_tilt_moving": pan_moving or tilt_moving,
            "pan_moving": pan_moving,
            "tilt_moving": tilt_moving,
            "zoom_moving": zoom_moving,
            "target": targets if any(v is not None for v in targets.values()) else None,
            "motion": {"pan_direction": self.pan_command[0], "pan_speed": self.pan_command[1],
                       "tilt_direction": self.tilt_command[0],
                       "tilt_speed": self.tilt_command[1],
                       "zoom_direction": self.zoom_direction, "zoom_speed": self.zoom_speed,
                       "focus": self.focus, "focus_speed": self.focus_speed,
                       "iris": self.iris},
            "presets": {str(n): dict(p) for n, p in sorted(self.presets.items())},
            "aux": {str(n): on for n, on in self.aux.items()},
            "camera_on": self.camera_on,
            "auto_scan": self.auto_scan,
            "alarms": self.alarms,
            "zero_offset": self.zero_offset,
            "silent": self.silent,
            "dead": self.dead,
            "frames": self.frames,
            "bad_checksums": self.bad_checksums,
            "unknown_opcodes": self.unknown_opcodes,
            "replies": self.replies,
            "resets": self.resets,
            "last_frame": self.last_frame,
        }


class Bus:
    """The byte stream from the adapter, cut into frames, and the replies."""

    def __init__(self, master_fd, domes, replies):
        self.master_fd = master_fd
        self.domes = domes
        self.replies_enabled = replies
        self.pending = bytearray()
        self.out = bytearray()
        self.bad_checksums = 0
        self.garbage_bytes = 0
        self.frames = 0
        self.foreign = collections.Counter()
        self.replies_dropped = 0

    def feed(self, data, now_ns):
        self.pending += data
        buf = self.pending
        start = 0
        while True:
            sync = buf.find(SYNC, start)
            if sync < 0:
                self.garbage_bytes += len(buf) - start
                start = len(buf)
                break
            self.garbage_bytes += sync - start
            start = sync
            if len(buf) - start < FRAME_LEN:
                break  # wait for the rest of the frame
            frame = bytes(buf[start:start + FRAME_LEN])
            if checksum(frame[1:6]) == frame[6]:
                self.frames += 1
                self.on_frame(frame, now_ns)
                start += FRAME_LEN
            else:
                # 0xFF is a legal data and checksum value, so this sync byte
                # may have been one of those: drop just it and look again.
                self.bad_checksums += 1
                dome = self.domes.get(frame[1])
                if dome is not None:
                    dome.bad_checksums += 1
                self.garbage_bytes += 1
                start += 1
        del buf[:start]

    def on_frame(self, frame, now_ns):
        address, opcode = frame[1], frame[3]
        dome = self.domes.get(address)
        if dome is None and opcode == OP_QUERY_PART_NUMBER and len(self.domes) == 1:
            # The part-number query is point-to-point: a lone device answers
            # it whatever the address (with its own address in the reply).
            dome = next(iter(self.domes.values()))
        if dome is None:
            self.foreign[address] += 1
            return
        dome.record(frame, now_ns)
        if dome.dead:
            return
        reply = dome.execute(frame, now_ns)
        if reply is not None and self.replies_enabled and not dome.silent:
            dome.replies += 1
            self.send(reply)

    def send(self, data):
        if len(self.out) + len(data) > OUT_BUFFER_CAP:
            # Nobody is reading the slave side: as on a bus, the words are lost.
            self.replies_dropped += 1
            return
        self.out += data
        self.flush_out()

    def flush_out(self):
        while self.out:
            try:
                written = os.write(self.master_fd, self.out)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                log(f"writing to the pty: {e}")
                self.out.clear()
                return
            del self.out[:written]

    def counters(self):
        return {"frames": self.frames, "bad_checksums": self.bad_checksums,
                "garbage_bytes": self.garbage_bytes,
                "foreign": {str(a): n for a, n in sorted(self.foreign.items())},
                "replies_dropped": self.replies_dropped,
                "replies_pending": len(self.out),
                "replies_enabled": self.replies_enabled,
                "addresses": sorted(self.domes)}


class Control:
    """JSON-lines requests on stdin, one response line each on stdout."""

    def __init__(self, bus, slave_fd):
        self.bus = bus
        self.slave_fd = slave_fd
        self.buffer = bytearray()
        self.quit = False

    def feed(self, data):
        self.buffer += data
        while True:
            newline = self.buffer.find(b"\n")
            if newline < 0:
                if len(self.buffer) > CONTROL_LINE_CAP:
                    self.buffer.clear()
                    self.respond({"error": "control line too long"})
                return
            line = bytes(self.buffer[:newline])
            del self.buffer[:newline + 1]
            if line.strip():
                self.respond(self.handle(line))
            if self.quit:
                return

    @staticmethod
    def respond(obj):
        sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
        sys.stdout.flush()

    def dome(self, request):
        address = request.get("address")
        if not isinstance(address, int) or isinstance(address, bool):
            raise ValueError("address must be an integer")
        dome = self.bus.domes.get(address)
        if dome is None:
            raise ValueError(f"no dome at address {address}")
        return dome

    def handle(self, line):
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("a request is a JSON object")
            return self.dispatch(request)
        except (ValueError, TypeError) as e:
            return {"error": str(e)}

    def dispatch(self, request):
        now = time.monotonic_ns()
        cmd = request.get("cmd")
        if cmd == "state":
            return self.dome(request).state(now)
        if cmd in ("silent", "dead"):
            dome = self.dome(request)
            on = request.get("on", True)
            if not isinstance(on, bool):
                raise ValueError("on must be true or false")
            if cmd == "dead" and on:
                dome.settle(now)  # a dead dome's motors stop where they are
                dome.standard(0, 0, 0, 0)
            setattr(dome, cmd, on)
            return {"ok": True}
        if cmd == "frames":
            return self.dome(request).take_frames()
        if cmd == "set":
            dome = self.dome(request)
            limits = {"pan": PAN_FULL_TURN - 1, "tilt": PAN_FULL_TURN - 1, "zoom": ZOOM_MAX,
                      "alarms": 0x7F}
            values = {}
            for key, high in limits.items():
                if key in request:
                    v = request[key]
                    if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= high:
                        raise ValueError(f"{key} must be an integer 0..{high}")
                    values[key] = v
            dome.place(now, values.get("pan"), values.get("tilt"), values.get("zoom"))
            if "alarms" in values:
                dome.alarms = values["alarms"]
            if "camera_on" in request:
                dome.camera_on = bool(request["camera_on"])
            return dome.state(now)
        if cmd == "bus":
            return self.bus.counters()
        if cmd == "flush":
            # Replies written while nobody had the port open would otherwise
            # greet the next reader.
            termios.tcflush(self.slave_fd, termios.TCIFLUSH)
            self.bus.out.clear()
            return {"ok": True}
        if cmd == "quit":
            self.quit = True
            return {"ok": True}
        raise ValueError(f"unknown cmd {cmd!r}")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Pelco-D dome emulator on a pty")
    parser.add_argument("--address", type=int, action="append", required=True,
                        help="a dome's address 1..255 (repeat for several on the bus)")
    parser.add_argument("--no-replies", action="store_true",
                        help="domes that never answer (many RS-485 domes)")
    parser.add_argument("--link", help="also make this symlink to the pty slave")
    parser.add_argument("--tilt-up-limit", type=float, default=10.0,
                        help="degrees above the horizon the domes can tilt (default 10)")
    parser.add_argument("--zoom-limit", type=int, default=30,
                        help="optical zoom at full tele, X (default 30)")
    parser.add_argument("--part-number", default="EMU-PELCOD-DOME",
                        help="answer to the 0x45 query (15 ASCII characters)")
    parser.add_argument("--log-cap", type=int, default=10000,
                        help="frames kept per dome between 'frames' requests")
    args = parser.parse_args(argv)
    for a in args.address:
        if not 1 <= a <= 255:
            parser.error(f"address {a} is not 1..255")
    if not 0 <= args.tilt_up_limit <= 90:
        parser.error("--tilt-up-limit must be 0..90")
    if args.zoom_limit < 1:
        parser.error("--zoom-limit must be at least 1")
    if args.log_cap < 1:
        parser.error("--log-cap must be at least 1")
    return args


def main(argv):
    args = parse_args(argv)
    part = args.part_number.encode("ascii", "replace")[:15].ljust(15, b" ")
    domes = {a: Dome(a, int(round(args.tilt_up_limit * 100)), args.zoom_limit, part,
                     args.log_cap)
             for a in args.address}

    master_fd, slave_fd = os.openpty()
    # Raw on the slave side (where the line discipline lives): no echo, no
    # CR/LF mangling, no signals from 0x03 and friends, 8 data bits. The
    # emulator keeps its slave descriptor open so the master never sees EIO
    # between the adapter's opens.
    tty.setraw(slave_fd)
    os.set_blocking(master_fd, False)
    tty_path = os.ttyname(slave_fd)
    if args.link:
        if os.path.islink(args.link):
            os.unlink(args.link)
        os.symlink(tty_path, args.link)

    bus = Bus(master_fd, domes, not args.no_replies)
    control = Control(bus, slave_fd)
    Control.respond({"tty": tty_path, "link": args.link, "addresses": sorted(domes)})
    log(f"domes {sorted(domes)} on {tty_path}")

    stdin_fd = sys.stdin.fileno()
    try:
        while not control.quit:
            writers = [master_fd] if bus.out else []
            readable, writable, _ = select.select([master_fd, stdin_fd], writers, [])
            if writable:
                bus.flush_out()
            if master_fd in readable:
                try:
                    data = os.read(master_fd, 4096)
                except (BlockingIOError, InterruptedError):
                    data = None
                except OSError as e:
                    # Not expected while we hold the slave open; do not spin.
                    log(f"reading the pty: {e}")
                    time.sleep(0.01)
                    data = None
                if data:
                    # One timestamp for the whole chunk: when its last byte
                    # (and so every frame completed in it) had arrived.
                    bus.feed(data, time.monotonic_ns())
            if stdin_fd in readable:
                data = os.read(stdin_fd, 65536)
                if not data:
                    break
                control.feed(data)
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        if args.link and os.path.islink(args.link):
            try:
                os.unlink(args.link)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
