// An Axis network camera (VAPIX HTTP CGIs) on 127.0.0.1, for tests of the
// Axis adapter.
//
// The camera is played by tests/fakes/axis_camera.py (Python standard
// library and ffmpeg); this class spawns it, hands out its base URL, and
// talks to its JSON-lines control channel to look inside the camera and to
// make it misbehave (silence, injected failures, input changes, motion).
//
//   const cam = await AxisCamera.start({ auth: 'digest', inputs: 1 });
//   ... configure the adapter with cam.url, cam.user, cam.password ...
//   await cam.waitFor((s) => !s.ptz.moving && Math.abs(s.ptz.pan - 90) < 0.01);
//   await cam.stop();
//
// Units are VAPIX's: pan/tilt in degrees (pan -180..180 wrapping, tilt -90
// straight down .. 20 above the horizon), zoom and focus 1..9999. See the
// fake's header for the motion model, the reply formats and the control
// commands.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeProcess } from './fake_process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const fakePath = path.join(repoRoot, 'tests', 'fakes', 'axis_camera.py');

// Debian's interpreter when present (the fake needs nothing else).
const python = process.env.AXIS_CAMERA_PYTHON
  || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

// Rendering the pictures with ffmpeg comes first; CPUs may be busy.
const START_TIMEOUT_MS = 20000;

export class AxisCamera extends FakeProcess {
  /**
   * Starts the fake. Options (all optional, the fake's defaults in
   * brackets): port [0: any], user ['root'], password ['pass'],
   * auth ['both'|'digest'|'basic'], model ['P5635-E'], serial, firmware,
   * ptz [true], inputs [2], outputs [1], vapix [3], width/height/fps
   * [640x360 at 10], mjpegBoundary ['myboundary'], rebootSeconds [0.5].
   * Resolves once the camera listens.
   */
  static async start({ port, user = 'root', password = 'pass', auth, model, serial, firmware,
                       ptz, inputs, outputs, vapix, width, height, fps, mjpegBoundary,
                       rebootSeconds } = {}) {
    const args = [fakePath, '--user', user, '--password', password];
    const option = (name, value) => { if (value !== undefined) args.push(name, String(value)); };
    option('--port', port);
    option('--auth', auth);
    option('--model', model);
    option('--serial', serial);
    option('--firmware', firmware);
    if (ptz !== undefined) args.push(ptz ? '--ptz' : '--no-ptz');
    option('--inputs', inputs);
    option('--outputs', outputs);
    option('--vapix', vapix);
    option('--width', width);
    option('--height', height);
    option('--fps', fps);
    option('--mjpeg-boundary', mjpegBoundary);
    option('--reboot-seconds', rebootSeconds);
    const camera = new AxisCamera(args);
    const hello = await camera.hello;
    camera.port = hello.port;
    camera.url = hello.url;
    camera.user = user;
    camera.password = password;
    return camera;
  }

  constructor(args) {
    super('Axis camera fake', python, args, { startTimeoutMs: START_TIMEOUT_MS });
  }

  /** Everything: ptz, presets, io, image, time, params, counters... */
  state() {
    return this.request({ cmd: 'state' });
  }

  /**
   * HTTP requests since the last call: [{ method, path, query, auth
   * ('basic'|'digest'|'none'), status (null: never answered), t_ns, form? }].
   */
  async requests() {
    const { requests } = await this.request({ cmd: 'requests' });
    // t_ns is CLOCK_MONOTONIC in nanoseconds, as process.hrtime.bigint().
    return requests.map((r) => ({ ...r, t_ns: BigInt(r.t_ns) }));
  }

  /** Drives input port `port` (1-based) active or inactive. */
  input(port, active = true) {
    return this.request({ cmd: 'input', port, active });
  }

  /** Motion in the picture; `level` (0..100) overrides the reported level. */
  motion(on = true, level) {
    return this.request(level === undefined ? { cmd: 'motion', on } : { cmd: 'motion', on, level });
  }

  /** A silent camera reads requests but answers none; its streams pause. */
  silent(on = true) {
    return this.request({ cmd: 'silent', on });
  }

  /** No credentials needed while on. */
  anonymous(on = true) {
    return this.request({ cmd: 'anonymous', on });
  }

  /**
   * The next `count` authenticated requests to `path` get `status` and
   * `body` (count -1: until cleared with count 0).
   */
  fail({ path: urlPath, status = 500, body = '', count = 1 }) {
    return this.request({ cmd: 'fail', path: urlPath, status, body, count });
  }

  /** Changes the camera's account; .user/.password follow. */
  async credentials(user, password) {
    await this.request({ cmd: 'credentials', user, password });
    this.user = user;
    this.password = password;
  }

  /** Puts the head somewhere, stopped; resolves with the PTZ state. */
  place({ pan, tilt, zoom, focus } = {}) {
    const req = { cmd: 'place' };
    if (pan !== undefined) req.pan = pan;
    if (tilt !== undefined) req.tilt = tilt;
    if (zoom !== undefined) req.zoom = zoom;
    if (focus !== undefined) req.focus = focus;
    return this.request(req);
  }

  /** An Authorization header value for Basic with the current account. */
  basicAuth() {
    return `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`;
  }

  /**
   * Polls the state until `predicate(state)` holds; resolves with that state.
   * Polling is fine here: the state lives in another process.
   */
  async waitFor(predicate, { timeoutMs = 3000, intervalMs = 50 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state();
      if (predicate(s)) return s;
      if (Date.now() >= deadline) {
        const { params, ...rest } = s;  // the parameter dump would drown the rest
        throw new Error(`Axis camera: condition not met in ${timeoutMs} ms; last state ` +
          JSON.stringify(rest));
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

}
