// Pelco-D domes on a pseudo-terminal, for tests of the Pelco-D PTZ adapter.
//
// Node cannot open a pty without native modules, so the domes are played by
// tests/fakes/pelco_d_dome.py (Python standard library only); this class
// spawns it, hands out the pty slave path the adapter should open as its
// serial port, and talks to the emulator's JSON-lines control channel.
//
//   const dome = await PelcoDome.start({ addresses: [1, 2] });
//   ... configure the adapter with dome.tty ...
//   await dome.waitFor(1, (s) => !s.moving && s.pan === 9000);
//   await dome.stop();
//
// Positions are in the protocol's units: pan/tilt hundredths of a degree
// 0..35999 (tilt 0 = horizon, 9000 = straight down, 27000.. above the
// horizon), zoom 0..65535. See the emulator's header for the motion model.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeProcess } from './fake_process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const emulatorPath = path.join(repoRoot, 'tests', 'fakes', 'pelco_d_dome.py');

// Debian's interpreter when present (the emulator needs nothing else).
const python = process.env.PELCO_DOME_PYTHON
  || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const START_TIMEOUT_MS = 5000;

export class PelcoDome extends FakeProcess {
  /**
   * Starts the emulator. Options: addresses (default [1]), replies (false:
   * domes that never answer), link (a symlink path to the slave),
   * tiltUpLimitDeg, zoomLimit, partNumber, logCap. Resolves once the pty
   * is open.
   */
  static async start({ addresses = [1], replies = true, link, tiltUpLimitDeg, zoomLimit,
                       partNumber, logCap } = {}) {
    const args = [emulatorPath];
    for (const a of addresses) args.push('--address', String(a));
    if (!replies) args.push('--no-replies');
    if (link !== undefined) args.push('--link', link);
    if (tiltUpLimitDeg !== undefined) args.push('--tilt-up-limit', String(tiltUpLimitDeg));
    if (zoomLimit !== undefined) args.push('--zoom-limit', String(zoomLimit));
    if (partNumber !== undefined) args.push('--part-number', partNumber);
    if (logCap !== undefined) args.push('--log-cap', String(logCap));
    const dome = new PelcoDome(args);
    const hello = await dome.hello;
    dome.tty = hello.tty;
    dome.link = hello.link ?? undefined;
    dome.addresses = hello.addresses;
    return dome;
  }

  constructor(args) {
    super('Pelco-D emulator', python, args, { startTimeoutMs: START_TIMEOUT_MS });
  }

  /** The dome's state: pan, tilt, zoom, pan_deg, tilt_deg, moving, presets... */
  state(address) {
    return this.request({ cmd: 'state', address });
  }

  /** A silent dome still obeys commands but answers nothing. */
  silent(address, on = true) {
    return this.request({ cmd: 'silent', address, on });
  }

  /** A dead dome ignores everything (its frames are still logged). */
  dead(address, on = true) {
    return this.request({ cmd: 'dead', address, on });
  }

  /** Frames received for `address` since the last call: [{ hex, t_ns }]. */
  async frames(address) {
    const { frames } = await this.request({ cmd: 'frames', address });
    // t_ns is CLOCK_MONOTONIC in nanoseconds, as process.hrtime.bigint().
    return frames.map((f) => ({ hex: f.hex, t_ns: BigInt(f.t_ns) }));
  }

  /** Places a dome (the placed axes stop); resolves with its new state. */
  set(address, { pan, tilt, zoom, alarms } = {}) {
    const req = { cmd: 'set', address };
    if (pan !== undefined) req.pan = pan;
    if (tilt !== undefined) req.tilt = tilt;
    if (zoom !== undefined) req.zoom = zoom;
    if (alarms !== undefined) req.alarms = alarms;
    return this.request(req);
  }

  /** Bus-wide counters: frames, bad_checksums, garbage_bytes, foreign... */
  bus() {
    return this.request({ cmd: 'bus' });
  }

  /** Discards replies that nobody has read from the slave side yet. */
  flush() {
    return this.request({ cmd: 'flush' });
  }

  /**
   * Polls the state until `predicate(state)` holds; resolves with that state.
   * Polling is fine here: the state lives in another process.
   */
  async waitFor(address, predicate, { timeoutMs = 3000, intervalMs = 25 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state(address);
      if (predicate(s)) return s;
      if (Date.now() >= deadline) {
        throw new Error(`dome ${address}: condition not met in ${timeoutMs} ms; last state ` +
          JSON.stringify(s));
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
