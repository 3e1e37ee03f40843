// A classic Foscam MJPEG camera (FI8918W, "Netwave IP Camera"), for tests of
// the Foscam adapter.
//
// The camera is played by tests/fakes/foscam_camera.py (Python standard
// library and ffmpeg only): its CGI API on 127.0.0.1, and a JSON-lines
// control channel on stdin/stdout that this class drives: the camera's
// physical state (where the head points, presets, IR, alarms...), the
// requests it received, and switches for motion, input, silence and
// injected failures.
//
//   const cam = await FoscamCamera.start({ password: 'secret', invertPan: true });
//   ... configure the adapter with cam.url, admin / secret ...
//   await cam.waitFor((s) => s.ptz.moving && s.ptz.direction === 'left');
//   await cam.stop();
//
// Positions are physical degrees: pan -170..170 (+ = right), tilt -90..30
// (+ = up). See the fake's header for the motion model, the single-threaded
// server emulation and every default.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeProcess } from './fake_process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const fakePath = path.join(repoRoot, 'tests', 'fakes', 'foscam_camera.py');

// Debian's interpreter when present (the fake needs nothing else).
const python = process.env.FOSCAM_CAMERA_PYTHON
  || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

// ffmpeg renders the pictures before the camera answers.
const START_TIMEOUT_MS = 15000;

export class FoscamCamera extends FakeProcess {
  /**
   * Starts the fake. Options (all optional; the fake's defaults otherwise):
   * port, user, password, operatorUser / visitorUser ('name:password'),
   * basicOnly, alias, id, sysVer, appVer, invertPan, irOnCode (94|95), zoom,
   * width, height, fps, maxStreams, threaded, alarmHoldS, rebootSeconds,
   * latencyS, logCap. Resolves once the camera listens.
   */
  static async start({ port, user, password, operatorUser, visitorUser, basicOnly, alias, id,
                       sysVer, appVer, invertPan, irOnCode, zoom, width, height, fps,
                       maxStreams, threaded, alarmHoldS, rebootSeconds, latencyS,
                       logCap } = {}) {
    const args = [fakePath];
    const value = (flag, v) => { if (v !== undefined) args.push(flag, String(v)); };
    const flag = (name, on) => { if (on) args.push(name); };
    value('--port', port);
    value('--user', user);
    value('--password', password);
    value('--operator-user', operatorUser);
    value('--visitor-user', visitorUser);
    flag('--basic-only', basicOnly);
    value('--alias', alias);
    value('--id', id);
    value('--sys-ver', sysVer);
    value('--app-ver', appVer);
    flag('--invert-pan', invertPan);
    value('--ir-on-code', irOnCode);
    flag('--zoom', zoom);
    value('--width', width);
    value('--height', height);
    value('--fps', fps);
    value('--max-streams', maxStreams);
    flag('--threaded', threaded);
    value('--alarm-hold', alarmHoldS);
    value('--reboot-seconds', rebootSeconds);
    value('--latency', latencyS);
    value('--log-cap', logCap);
    const camera = new FoscamCamera(args);
    const hello = await camera.hello;
    camera.port = hello.port;
    camera.url = hello.url;
    camera.user = user ?? 'admin';
    camera.password = password ?? '';
    return camera;
  }

  constructor(args) {
    super('Foscam camera fake', python, args, { startTimeoutMs: START_TIMEOUT_MS });
  }

  /** The camera: ptz, presets, ir, camera_params, misc, alarm, alarm_status, counters... */
  state() {
    return this.request({ cmd: 'state' });
  }

  /**
   * Requests received since the last call: [{ method, path, query (pwd
   * masked), auth: 'query'|'basic'|'none', user, status (null: not
   * answered), t_ns }].
   */
  async requests() {
    const { requests } = await this.request({ cmd: 'requests' });
    // t_ns is CLOCK_MONOTONIC in nanoseconds, as process.hrtime.bigint().
    return requests.map((r) => ({ ...r, t_ns: BigInt(r.t_ns) }));
  }

  /** The motion detector sees something (an alarm only while motion_armed=1). */
  motion(on = true) {
    return this.request({ cmd: 'motion', on });
  }

  /** The alarm input is active (an alarm only while input_armed=1). */
  input(on = true) {
    return this.request({ cmd: 'input', on });
  }

  /** The administrator's password changes on the camera; .password follows. */
  async changePassword(password) {
    await this.request({ cmd: 'password', password });
    this.password = password;
  }

  /** A silent camera reads requests but never answers; streams pause. */
  silent(on = true) {
    return this.request({ cmd: 'silent', on });
  }

  /**
   * The next `count` requests to `path` get this reply instead (count -1:
   * until cleared with count 0). Defaults: status 200, the camera's
   * "error: illegal params." body, count 1.
   */
  fail(path, { status, body, count } = {}) {
    const req = { cmd: 'fail', path };
    if (status !== undefined) req.status = status;
    if (body !== undefined) req.body = body;
    if (count !== undefined) req.count = count;
    return this.request(req);
  }

  /** `cgi` (e.g. 'get_status.cgi') with `params` and query credentials. */
  urlFor(cgi, params = {}, { user = this.user, password = this.password } = {}) {
    const query = new URLSearchParams({ ...params, user, pwd: password });
    return `${this.url}/${cgi}?${query}`;
  }

  /** The Basic Authorization header value for the administrator (or others). */
  basicAuth({ user = this.user, password = this.password } = {}) {
    return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
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
        throw new Error(`Foscam camera: condition not met in ${timeoutMs} ms; last state ` +
          JSON.stringify(s));
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

}
