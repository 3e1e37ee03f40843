// A fake device played by a child program that speaks a JSON-lines control
// channel on stdin/stdout: its first stdout line announces it ("hello"),
// every later line answers the oldest outstanding request, and a line
// {"error": ...} is a refusal. The fakes' wrappers (axis_camera.mjs,
// foscam_camera.mjs, pelco_dome.mjs) extend it with their own commands.

import { spawn } from 'node:child_process';
import readline from 'node:readline';

export const REQUEST_TIMEOUT_MS = 5000;

export class FakeProcess {
  #label;
  #proc;
  #pending = [];     // requests awaiting their response line, in order
  #stderr = '';
  #exit;

  /**
   * Spawns `command args`; `label` names the fake in errors. The `hello`
   * promise resolves with the first line, or rejects after `startTimeoutMs`
   * (the child is killed then).
   */
  constructor(label, command, args, { startTimeoutMs }) {
    this.#label = label;
    this.#proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
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
      const why = new Error(`${label} (${command} ${args[0] ?? ''}): ${e.message}`);
      for (const waiter of this.#pending.splice(0)) waiter.reject(why);
    });

    this.hello = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${label} did not start in ${startTimeoutMs} ms\n${this.#stderr}`));
        this.#proc.kill('SIGKILL');
      }, startTimeoutMs);
      this.#pending.push({
        resolve: (hello) => { clearTimeout(timer); resolve(hello); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
    this.hello.catch(() => {});
    readline.createInterface({ input: this.#proc.stdout }).on('line', (line) => {
      const waiter = this.#pending.shift();
      if (!waiter) return;
      let reply;
      try {
        reply = JSON.parse(line);
      } catch {
        waiter.reject(new Error(`${label} wrote a non-JSON line: ${line}`));
        return;
      }
      if (reply && typeof reply === 'object' && 'error' in reply) {
        waiter.reject(new Error(`${label}: ${reply.error}`));
      } else {
        waiter.resolve(reply);
      }
    });
    this.#proc.once('exit', (code, signal) => {
      const why = new Error(`${label} exited (${signal ?? code})\n${this.#stderr}`);
      for (const waiter of this.#pending.splice(0)) waiter.reject(why);
    });
  }

  /** Sends one control request; resolves with its response object. */
  request(obj, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      if (this.#proc.exitCode !== null || this.#proc.signalCode !== null) {
        reject(new Error(`${this.#label} is not running\n${this.#stderr}`));
        return;
      }
      // The slot stays in the queue even after a timeout, so that the late
      // line is consumed by it and later requests stay matched.
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new Error(`${this.#label} did not answer ${JSON.stringify(obj)} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.push({
        resolve: (v) => { clearTimeout(timer); if (!settled) resolve(v); },
        reject: (e) => { clearTimeout(timer); if (!settled) reject(e); },
      });
      this.#proc.stdin.write(JSON.stringify(obj) + '\n');
    });
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
