// Self-test of the Pelco-D dome emulator (tests/fakes/pelco_d_dome.py)
// through its pty, the way the Pelco-D adapter will use it: the slave opened
// like a serial port, raw 7-byte frames written, replies read back. The
// expected bytes are the worked frames of shared/protocols/pelco-d.md.
//
// Waits are bounded. "Nothing was answered" is checked after a fence: the
// emulator's frame counter shows the frame was handled (a reply, if any, is
// written before that), then a short quiet period lets it cross the pty.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import tty from 'node:tty';
import { describe, test } from 'node:test';
import { PelcoDome } from './lib/pelco_dome.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes from a hex string with optional spaces: hex('FF 01 00 00 00 00 01'). */
const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** A Pelco-D frame; the checksum is the sum of address..data2 mod 256. */
function frame(address, cmd1, cmd2, data1, data2) {
  const body = [address, cmd1, cmd2, data1, data2];
  return Buffer.from([0xFF, ...body, body.reduce((a, b) => a + b, 0) & 0xFF]);
}

/** The emulator's speed formulas (see its header), per second. */
const panHundredthsPerS = (speed) => (speed >= 0x40 ? 200 : 0.5 + (speed * 100) / 63) * 100;
const tiltHundredthsPerS = (speed) => (0.5 + (Math.min(speed, 0x3F) * 100) / 63) * 100;
const zoomPerS = (zoomSpeed) => 65535 / (6 / (zoomSpeed + 1));

/** The pty slave opened like a serial port; received bytes are buffered. */
class SerialPort {
  constructor(ttyPath) {
    this.fd = fs.openSync(ttyPath, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    // A tty handle reads without tying up a thread-pool thread in a blocking
    // read(); the emulator has already put the line in raw mode.
    this.input = new tty.ReadStream(this.fd);
    this.received = Buffer.alloc(0);
    this.wake = null;
    this.input.on('data', (chunk) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake?.();
    });
  }

  write(bytes) {
    fs.writeSync(this.fd, bytes);
  }

  /** Exactly `n` bytes, or a rejection after `timeoutMs`. */
  async read(n, timeoutMs = 1000) {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`wanted ${n} bytes, got ${this.received.length}: ${this.received.toString('hex')}`);
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = null;
    }
    const out = this.received.subarray(0, n);
    this.received = this.received.subarray(n);
    return Buffer.from(out);
  }

  /** Whatever arrives within `ms` (normally nothing). */
  async quiet(ms = 100) {
    await sleep(ms);
    const out = this.received;
    this.received = Buffer.alloc(0);
    return out;
  }

  close() {
    this.input.destroy();
    try {
      fs.closeSync(this.fd);
    } catch {
      // libuv may have taken over this descriptor itself.
    }
  }
}

/** Runs `body(dome, port)` with a fresh emulator and its port open. */
async function withDome(options, body) {
  const dome = await PelcoDome.start(options);
  const port = new SerialPort(dome.tty);
  try {
    await body(dome, port);
  } finally {
    port.close();
    await dome.stop();
  }
}

/** Fence: resolves once dome `address` has handled `count` frames in all. */
const handled = (dome, address, count) => dome.waitFor(address, (s) => s.frames >= count,
  { timeoutMs: 1000, intervalMs: 10 });

describe('Pelco-D dome emulator', () => {
  test('pan right at speed 0x20, then stop: pan advanced by speed x time', async () => {
    await withDome({ addresses: [1] }, async (dome, port) => {
      // The notes' general-response example: alarms 1 and 3 active.
      await dome.set(1, { alarms: 0x05 });
      const before = process.hrtime.bigint();
      port.write(hex('FF 01 00 02 20 00 23'));
      assert.deepEqual(await port.read(4), hex('FF 01 05 28'));
      await dome.set(1, { alarms: 0 });
      await sleep(400);
      const moving = await dome.state(1);
      assert.equal(moving.moving, true);
      assert.equal(moving.pan_tilt_moving, true);
      assert.equal(moving.zoom_moving, false);
      port.write(hex('FF 01 00 00 00 00 01'));
      assert.deepEqual(await port.read(4), hex('FF 01 00 01'));
      const after = process.hrtime.bigint();

      const [move, stop] = await dome.frames(1);
      assert.equal(move.hex, 'ff010002200023');
      assert.equal(stop.hex, 'ff010000000001');
      // The emulator's clock is this process's CLOCK_MONOTONIC.
      assert.ok(before <= move.t_ns && stop.t_ns <= after, `${before} ${move.t_ns} ${stop.t_ns} ${after}`);
      const seconds = Number(stop.t_ns - move.t_ns) / 1e9;
      assert.ok(seconds > 0.35 && seconds < 1.5, `moved for ${seconds} s`);

      const s = await dome.state(1);
      assert.equal(s.moving, false);
      const expected = panHundredthsPerS(0x20) * seconds;  // ~51.3 deg/s
      assert.ok(Math.abs(s.pan - expected) <= 1, `pan ${s.pan}, expected ${expected}`);
      assert.equal(s.tilt, 0);
      // Stopped means stopped: still there a little later.
      await sleep(60);
      assert.equal((await dome.state(1)).pan, s.pan);
    });
  });

  test('zoom at the speed set by 0x25; tilt stops at its mechanical limit', async () => {
    await withDome({ addresses: [1] }, async (dome, port) => {
      port.write(frame(1, 0x00, 0x25, 0x00, 0x00));  // zoom speed 0: 6 s full range
      port.write(hex('FF 01 00 20 00 00 21'));       // zoom tele
      await sleep(300);
      port.write(hex('FF 01 00 00 00 00 01'));
      await port.read(12);
      const [, tele, stop] = await dome.frames(1);
      const expected = zoomPerS(0) * Number(stop.t_ns - tele.t_ns) / 1e9;
      let s = await dome.state(1);
      assert.ok(Math.abs(s.zoom - expected) <= 1, `zoom ${s.zoom}, expected ${expected}`);
      assert.equal(s.motion.zoom_speed, 0);

      // Tilt up at full speed: 10 degrees above the horizon (35000) is the
      // default limit, reached in about 0.1 s, where the motor stops.
      port.write(hex('FF 01 00 08 00 3F 48'));
      await port.read(4);
      s = await dome.waitFor(1, (st) => st.tilt === 35000 && !st.tilt_moving, { timeoutMs: 1000 });
      assert.equal(s.motion.tilt_direction, -1, 'still commanded up');
      assert.equal(s.tilt_deg, -10);
      port.write(hex('FF 01 00 10 00 3F 50'));  // tilt down, 0x3F
      await port.read(4);
      await sleep(150);
      port.write(hex('FF 01 00 00 00 00 01'));
      await port.read(4);
      const frames = await dome.frames(1);
      const down = frames.at(-2);
      const end = frames.at(-1);
      const downBy = tiltHundredthsPerS(0x3F) * Number(end.t_ns - down.t_ns) / 1e9;
      s = await dome.state(1);
      assert.ok(Math.abs(s.tilt - (downBy - 1000)) <= 1, `tilt ${s.tilt}, expected ${downBy - 1000}`);
    });
  });

  test('set preset, go to preset: moving, then arrived at the stored position', async () => {
    await withDome({ addresses: [1] }, async (dome, port) => {
      await dome.set(1, { pan: 9000, tilt: 1500, zoom: 20000 });
      port.write(frame(1, 0x00, 0x03, 0x00, 3));  // set preset 3
      assert.deepEqual(await port.read(4), hex('FF 01 00 07'));
      let s = await dome.state(1);
      assert.deepEqual(s.presets, { 3: { pan: 9000, tilt: 1500, zoom: 20000 } });

      await dome.set(1, { pan: 0, tilt: 0, zoom: 0 });
      port.write(frame(1, 0x00, 0x07, 0x00, 3));  // go to preset 3
      assert.deepEqual(await port.read(4), hex('FF 01 00 0B'));
      s = await dome.state(1);
      assert.equal(s.moving, true);
      assert.deepEqual(s.target, { pan: 9000, tilt: 1500, zoom: 20000 });
      assert.ok(s.pan < 9000, `pan ${s.pan}`);

      s = await dome.waitFor(1, (st) => !st.moving, { timeoutMs: 2000 });
      const arrivedBy = process.hrtime.bigint();
      assert.deepEqual([s.pan, s.tilt, s.zoom], [9000, 1500, 20000]);
      assert.equal(s.target, null);
      // 90 degrees of pan at 200 deg/s is the slowest axis: 0.45 s.
      const [, goTo] = await dome.frames(1);
      assert.equal(goTo.hex, 'ff01000700030b');
      assert.ok(arrivedBy - goTo.t_ns >= 450_000_000n, `arrived after ${arrivedBy - goTo.t_ns} ns`);

      // Cleared, the preset is gone, and calling it does nothing.
      port.write(hex('FF 01 00 05 00 03 09'));
      port.write(hex('FF 01 00 07 00 03 0B'));
      assert.deepEqual(await port.read(8), hex('FF 01 00 09 FF 01 00 0B'));
      s = await dome.state(1);
      assert.deepEqual(s.presets, {});
      assert.equal(s.moving, false);
    });
  });

  test('position queries answer with extended responses (notes section 5)', async () => {
    await withDome({ addresses: [1], tiltUpLimitDeg: 30 }, async (dome, port) => {
      await dome.set(1, { pan: 4500, tilt: 33000, zoom: 0x06F5 });
      port.write(hex('FF 01 00 51 00 00 52'));
      assert.deepEqual(await port.read(7), hex('FF 01 00 59 11 94 FF'));  // 45.00 deg
      port.write(hex('FF 01 00 53 00 00 54'));
      assert.deepEqual(await port.read(7), hex('FF 01 00 5B 80 E8 C4'));  // 30 deg up
      port.write(hex('FF 01 00 55 00 00 56'));
      assert.deepEqual(await port.read(7), hex('FF 01 00 5D 06 F5 59'));

      // Magnification at full tele on the default X30 lens: 3000 = 0x0BB8.
      await dome.set(1, { zoom: 65535 });
      port.write(frame(1, 0x00, 0x61, 0x00, 0x00));
      assert.deepEqual(await port.read(7), hex('FF 01 00 63 0B B8 27'));

      // Part number: FF, address, 15 ASCII bytes, then the command's
      // checksum + address + the 15 bytes.
      port.write(hex('FF 01 00 45 00 00 46'));
      const reply = await port.read(18);
      const text = Buffer.from('EMU-PELCOD-DOME');
      assert.deepEqual(reply.subarray(0, 17), Buffer.concat([hex('FF 01'), text]));
      assert.equal(reply[17], (0x46 + 0x01 + text.reduce((a, b) => a + b, 0)) & 0xFF);

      // A query gets its extended response only, no general response too.
      await handled(dome, 1, 5);
      assert.equal((await port.quiet()).toString('hex'), '');
    });
  });

  test('a bad checksum is ignored and counted', async () => {
    await withDome({ addresses: [1] }, async (dome, port) => {
      port.write(hex('FF 01 00 02 20 00 24'));  // pan right with checksum + 1
      await dome.waitFor(1, (s) => s.bad_checksums === 1, { timeoutMs: 1000, intervalMs: 10 });
      assert.equal((await port.quiet()).toString('hex'), '');
      const s = await dome.state(1);
      assert.equal(s.moving, false);
      assert.equal(s.frames, 0);
      assert.equal((await dome.bus()).bad_checksums, 1);
      // The next good frame is obeyed.
      port.write(hex('FF 01 00 00 00 00 01'));
      assert.deepEqual(await port.read(4), hex('FF 01 00 01'));
    });
  });

  test('garbage before frames and 0xFF inside frames', async () => {
    await withDome({ addresses: [1] }, async (dome, port) => {
      // Frames with 0xFF as checksum (pan 45.14 deg), as data2 (tilt 2.55
      // deg down) and as data1 (zoom 0xFF00): a parser that resynchronized
      // on every 0xFF would lose them.
      const setPan = hex('FF 01 00 4B 11 A2 FF');
      const setTilt = hex('FF 01 00 4D 00 FF 4D');
      const setZoom = hex('FF 01 00 4F FF 00 4F');
      await dome.set(1, { zoom: 65535 });  // close to 0xFF00: a short zoom move
      // Line noise holding a stray sync byte, then the first frame.
      port.write(Buffer.concat([hex('13 FF 37 00'), setPan]));
      // The second frame split across writes, a pause in the middle.
      port.write(setTilt.subarray(0, 3));
      await sleep(30);
      port.write(setTilt.subarray(3));
      // A truncated frame must not swallow the frame after it.
      port.write(Buffer.concat([hex('FF 01 00 02'), setZoom]));

      assert.deepEqual(await port.read(12), hex('FF 01 00 FF  FF 01 00 4D  FF 01 00 4F'));
      const frames = (await dome.frames(1)).map((f) => f.hex);
      assert.deepEqual(frames, [setPan, setTilt, setZoom].map((b) => b.toString('hex')));
      const s = await dome.waitFor(1, (st) => !st.moving, { timeoutMs: 2000 });
      assert.deepEqual([s.pan, s.tilt, s.zoom], [4514, 255, 0xFF00]);
      // The stray sync byte (address 0x37) and the truncated frame failed
      // the checksum; only the latter is laid at dome 1's door.
      assert.equal(s.bad_checksums, 1);
      const bus = await dome.bus();
      assert.equal(bus.bad_checksums, 2);
      assert.equal(bus.frames, 3);
      assert.equal(bus.garbage_bytes, 8);
    });
  });

  test('two domes on one bus move independently; other addresses are ignored', async () => {
    await withDome({ addresses: [1, 2] }, async (dome, port) => {
      port.write(Buffer.concat([
        hex('FF 01 00 02 3F 00 42'),   // dome 1: pan right 0x3F
        hex('FF 02 00 10 00 3F 51'),   // dome 2: tilt down 0x3F
        hex('FF 03 00 02 3F 00 44'),   // nobody's
      ]));
      assert.deepEqual(await port.read(8), hex('FF 01 00 42  FF 02 00 51'));
      await sleep(200);
      port.write(Buffer.concat([hex('FF 01 00 00 00 00 01'), hex('FF 02 00 00 00 00 02')]));
      assert.deepEqual(await port.read(8), hex('FF 01 00 01  FF 02 00 02'));
      assert.equal((await port.quiet()).toString('hex'), '', 'address 3 answered');

      const one = await dome.state(1);
      const two = await dome.state(2);
      assert.ok(one.pan > 1500 && one.tilt === 0, JSON.stringify(one));
      assert.ok(two.tilt > 1500 && two.tilt <= 9000 && two.pan === 0, JSON.stringify(two));
      assert.equal(one.moving || two.moving, false);
      assert.deepEqual((await dome.frames(2)).map((f) => f.hex),
        ['ff020010003f51', 'ff020000000002']);
      const bus = await dome.bus();
      assert.deepEqual(bus.foreign, { 3: 1 });
      assert.deepEqual(bus.addresses, [1, 2]);
    });
  });

  test('a silent dome moves but answers nothing; a dead one does neither', async () => {
    await withDome({ addresses: [1] }, async (dome, port) => {
      await dome.silent(1, true);
      port.write(hex('FF 01 00 02 20 00 23'));
      await handled(dome, 1, 1);
      assert.equal((await dome.state(1)).moving, true);
      port.write(hex('FF 01 00 51 00 00 52'));  // not even a query
      await handled(dome, 1, 2);
      assert.equal((await port.quiet()).toString('hex'), '');
      port.write(hex('FF 01 00 00 00 00 01'));
      await handled(dome, 1, 3);
      const stopped = await dome.state(1);
      assert.equal(stopped.moving, false);
      assert.ok(stopped.pan > 0);

      await dome.silent(1, false);
      port.write(hex('FF 01 00 00 00 00 01'));
      assert.deepEqual(await port.read(4), hex('FF 01 00 01'));

      await dome.dead(1, true);
      port.write(hex('FF 01 00 02 20 00 23'));
      await handled(dome, 1, 5);  // seen on the bus...
      assert.equal((await port.quiet()).toString('hex'), '');
      const s = await dome.state(1);
      assert.equal(s.moving, false);  // ...but not obeyed
      assert.equal(s.pan, stopped.pan);
    });
  });

  test('--no-replies: domes that never answer', async () => {
    await withDome({ addresses: [1], replies: false }, async (dome, port) => {
      port.write(hex('FF 01 00 4B 23 28 97'));  // set pan 90.00 deg
      port.write(hex('FF 01 00 51 00 00 52'));
      await handled(dome, 1, 2);
      assert.equal((await port.quiet()).toString('hex'), '');
      const s = await dome.waitFor(1, (st) => !st.moving, { timeoutMs: 1000 });
      assert.equal(s.pan, 9000);
    });
  });

  test('aux outputs, camera power, flip, zero pan, reset and unknown opcodes', async () => {
    await withDome({ addresses: [1] }, async (dome, port) => {
      port.write(hex('FF 01 00 09 00 01 0B'));  // aux 1 on
      port.write(hex('FF 01 00 09 00 03 0D'));  // aux 3 on
      port.write(hex('FF 01 00 0B 00 01 0D'));  // aux 1 off
      port.write(hex('FF 01 08 00 00 00 09'));  // camera off
      await port.read(16);
      let s = await dome.state(1);
      assert.equal(s.aux['1'], false);
      assert.equal(s.aux['3'], true);
      assert.equal(s.camera_on, false);
      port.write(hex('FF 01 88 00 00 00 89'));  // camera on
      await port.read(4);
      assert.equal((await dome.state(1)).camera_on, true);

      // Flip: half a turn from 10 deg, at 200 deg/s.
      await dome.set(1, { pan: 1000 });
      port.write(hex('FF 01 00 07 00 21 29'));
      await port.read(4);
      assert.equal((await dome.state(1)).moving, true);
      s = await dome.waitFor(1, (st) => !st.moving, { timeoutMs: 2000 });
      assert.equal(s.pan, 19000);

      // Zero pan goes to the azimuth zero set with 0x49; queries stay absolute.
      port.write(hex('FF 01 00 49 00 00 4A'));
      await port.read(4);
      await dome.set(1, { pan: 22000 });
      port.write(hex('FF 01 00 07 00 22 2A'));
      await port.read(4);
      s = await dome.waitFor(1, (st) => !st.moving, { timeoutMs: 2000 });
      assert.equal(s.zero_offset, 19000);
      assert.equal(s.pan, 19000);

      // A remote reset stops the motors and restores the zoom speed.
      port.write(hex('FF 01 00 25 00 01 27'));  // zoom speed 1
      port.write(hex('FF 01 00 04 20 00 25'));  // pan left
      port.write(hex('FF 01 00 0F 00 00 10'));  // remote reset
      assert.deepEqual(await port.read(12), hex('FF 01 00 27  FF 01 00 25  FF 01 00 10'));
      s = await dome.state(1);
      assert.equal(s.moving, false);
      assert.equal(s.resets, 1);
      assert.equal(s.motion.zoom_speed, 3);

      // Unknown opcodes (and the dummy 0x0D) are not answered.
      const before = s.frames;
      port.write(frame(1, 0x00, 0x65, 0x00, 0x00));
      port.write(frame(1, 0x00, 0x0D, 0x00, 0x00));
      await handled(dome, 1, before + 2);
      assert.equal((await port.quiet()).toString('hex'), '');
      assert.equal((await dome.state(1)).unknown_opcodes, 1);
    });
  });

  test('control channel errors are answered, not fatal', async () => {
    const dome = await PelcoDome.start({ addresses: [1] });
    try {
      await assert.rejects(dome.state(9), /no dome at address 9/);
      await assert.rejects(dome.set(1, { pan: 36000 }), /pan must be/);
      await assert.rejects(dome.request({ cmd: 'nope' }), /unknown cmd/);
      assert.equal((await dome.state(1)).address, 1);
    } finally {
      await dome.stop();
    }
  });
});
