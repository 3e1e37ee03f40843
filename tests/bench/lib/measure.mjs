// What the benchmarks written in JavaScript share: a hand-driven keep-alive
// HTTP/1.1 connection that stamps the moment a request goes to the socket,
// percentile summaries, process memory, and nginx as the reference server.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const sleep = (t) => new Promise((r) => setTimeout(r, t));
/** Nanoseconds (bigint or number) as milliseconds. */
export const ms = (ns) => Number(ns) / 1e6;

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** { n, p50, p90, p99, max } of `values`. */
export function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1] };
}

/** VmRSS of a process, KiB. */
export function rssKiB(pid) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(m[1]);
}

/** The pid of the child of `parentPid` whose command line contains `program`. */
export function childPid(parentPid, program) {
  for (const task of fs.readdirSync(`/proc/${parentPid}/task`)) {
    let children = '';
    try { children = fs.readFileSync(`/proc/${parentPid}/task/${task}/children`, 'utf8'); } catch { continue; }
    for (const pid of children.trim().split(/\s+/).filter(Boolean)) {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(program)) return Number(pid);
    }
  }
  throw new Error(`${program} was not found among the children of ${parentPid}`);
}

export function findNginx() {
  if (process.env.NGINX) return process.env.NGINX;
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (fs.existsSync(p)) return p;
  return null;
}

/**
 * One keep-alive HTTP/1.1 connection driven by hand, so that t0 is taken
 * right before the bytes go to the socket. Responses need a Content-Length
 * (or are a 204).
 */
export class Connection {
  static open(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new Connection(socket, port)));
      socket.once('error', reject);
    });
  }

  constructor(socket, port) {
    this.socket = socket;
    this.port = port;
    this.buf = Buffer.alloc(0);
    this.waiter = null;
    socket.setNoDelay(true);
    socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.#pump(); });
    socket.on('error', (e) => this.waiter?.reject(e));
    socket.on('close', () => this.waiter?.reject(new Error(`connection to :${port} closed`)));
  }

  #pump() {
    if (!this.waiter) return;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString();
    const status = Number(head.split(' ')[1]);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length && status !== 204) { this.waiter.reject(new Error(`no Content-Length: ${head}`)); return; }
    const total = end + 4 + (length ? Number(length[1]) : 0);
    if (this.buf.length < total) return;
    const at = process.hrtime.bigint();
    const body = this.buf.subarray(end + 4, total).toString();
    this.buf = this.buf.subarray(total);
    const w = this.waiter;
    this.waiter = null;
    w.resolve({ status, body, at });
  }

  /** Sends one request; resolves with { status, body, t0, at } (hrtime ns). */
  send(method, urlPath, { body = '', headers = {} } = {}) {
    const bytes = Buffer.from(body);
    const lines = [`${method} ${urlPath} HTTP/1.1`, `Host: 127.0.0.1:${this.port}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    if (method === 'POST') lines.push(`Content-Length: ${bytes.length}`);
    const request = Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), bytes]);
    return new Promise((resolve, reject) => {
      let t0;
      this.waiter = { resolve: (r) => resolve({ ...r, t0 }), reject };
      t0 = process.hrtime.bigint();
      this.socket.write(request);
    });
  }

  /** POSTs a SOAP `body` to `urlPath`. */
  post(urlPath, body) {
    return this.send('POST', urlPath, { body, headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' } });
  }

  close() { this.socket.destroy(); }
}

/**
 * Starts nginx (one worker) in `dir` with `server` (the text inside the
 * http block's server {...}, listening on 127.0.0.1:`port`) and `http`
 * (more directives of the http block, e.g. an upstream); resolves with
 * { stop() } once it accepts connections. When run as root its worker runs
 * as "nobody": `dir` and its parents are made traversable.
 */
export async function startNginx(nginxBin, dir, port, server, { http = '' } = {}) {
  fs.mkdirSync(path.join(dir, 'html'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `daemon off; worker_processes 1;
pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 64; }
http { access_log off; keepalive_requests 1000000000; keepalive_timeout 75s;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  default_type "application/soap+xml; charset=utf-8";
  ${http}
  server { listen 127.0.0.1:${port}; ${server} } }
`);
  fs.chmodSync(path.dirname(dir), 0o711);
  fs.chmodSync(dir, 0o711);
  fs.chmodSync(path.join(dir, 'html'), 0o755);
  const proc = spawn(nginxBin, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')],
    { stdio: 'ignore' });
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGQUIT');
    await Promise.race([gone, sleep(3000)]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  for (let i = 0; i < 100; i++) {
    try {
      (await Connection.open(port)).close();
      return { stop };
    } catch { await sleep(50); }
  }
  await stop();
  throw new Error(`nginx does not listen on :${port}`);
}
