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

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const fakePath = path.join(repoRoot, 'tests', 'fakes', 'foscam_camera.py');

// Debian's interpreter when present (the fake needs nothing else).
const python = process.env.FOSCAM_CAMERA_PYTHON
  || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const REQUEST_TIMEOUT_MS = 5000;
// ffmpeg renders the pictures before the camera answers.
const START_TIMEOUT_MS = 15000;

export class FoscamCamera {
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
    const hello = await camera.#started;
    camera.port = hello.port;
    camera.url = hello.url;
    camera.user = user ?? 'admin';
    camera.password = password ?? '';
    return camera;
  }

  #proc;
  #pending = [];     // requests awaiting their response line, in order
  #stderr = '';
  #exit;
  #started;

  constructor(args) {
    this.#proc = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#exit = new Promise((resolve) => {
      this.#proc.once('exit', (code, signal) => resolve({ code, signal }));
      this.#proc.once('error', (error) => resolve({ error }));  // never started
    });
    this.#proc.stderr.on('data', (chunk) => {
      const text = chunk.toString();
      if (process.env.ONVIFGW_E2E_VERBOSE) process.stderr.write(text);
      // Only the tail: enough to explain a failure, bounded for long runs.
      this.#stderr = (this.#stderr + text).slice(-8192);
    });
    // A write after the fake died must fail the request, not the test run.
    this.#proc.stdin.on('error', () => {});
    this.#proc.once('error', (e) => {
      const why = new Error(`Foscam camera fake (${python} ${fakePath}): ${e.message}`);
      for (const waiter of this.#pending.splice(0)) waiter.reject(why);
    });

    // The first stdout line announces the port; every later line answers the
    // oldest outstanding request.
    this.#started = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`Foscam camera fake did not start in ${START_TIMEOUT_MS} ms\n${this.#stderr}`));
        this.#proc.kill('SIGKILL');
      }, START_TIMEOUT_MS);
      this.#pending.push({
        resolve: (hello) => { clearTimeout(timer); resolve(hello); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
    this.#started.catch(() => {});
    readline.createInterface({ input: this.#proc.stdout }).on('line', (line) => {
      const waiter = this.#pending.shift();
      if (!waiter) return;
      let reply;
      try {
        reply = JSON.parse(line);
      } catch {
        waiter.reject(new Error(`Foscam camera fake wrote a non-JSON line: ${line}`));
        return;
      }
      if (reply && typeof reply === 'object' && 'error' in reply) {
        waiter.reject(new Error(`Foscam camera fake: ${reply.error}`));
      } else {
        waiter.resolve(reply);
      }
    });
    this.#proc.once('exit', (code, signal) => {
      const why = new Error(`Foscam camera fake exited (${signal ?? code})\n${this.#stderr}`);
      for (const waiter of this.#pending.splice(0)) waiter.reject(why);
    });
  }

  /** Sends one control request; resolves with its response object. */
  request(obj, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      if (this.#proc.exitCode !== null || this.#proc.signalCode !== null) {
        reject(new Error(`Foscam camera fake is not running\n${this.#stderr}`));
        return;
      }
      // The slot stays in the queue even after a timeout, so that the late
      // line is consumed by it and later requests stay matched.
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new Error(`Foscam camera fake did not answer ${JSON.stringify(obj)} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.push({
        resolve: (v) => { clearTimeout(timer); if (!settled) resolve(v); },
        reject: (e) => { clearTimeout(timer); if (!settled) reject(e); },
      });
      this.#proc.stdin.write(JSON.stringify(obj) + '\n');
    });
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

  /** Ends the fake (politely, then by force); resolves when it is gone. */
  async stop() {
    if (this.#proc.pid !== undefined && this.#proc.exitCode === null
        && this.#proc.signalCode === null) {
      this.#proc.stdin.end(JSON.stringify({ cmd: 'quit' }) + '\n');
      const timer = setTimeout(() => this.#proc.kill('SIGKILL'), 2000);
      await this.#exit;
      clearTimeout(timer);
    }
    return this.#exit;
  }
}
