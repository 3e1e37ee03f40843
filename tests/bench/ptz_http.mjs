#!/usr/bin/env node
// The HTTP cameras' PTZ figure: time from an ONVIF ContinuousMove request
// written to the gateway's socket to the move's CGI request arriving at the
// camera, for the Axis VAPIX adapter (ptz.cgi continuouspantiltmove) and the
// Foscam adapter (decoder_control.cgi), each against its fake camera; beside
// it, in the same run, the same CGI request sent to the camera straight and
// through nginx as a reverse proxy (one HTTP hop: the least any gateway in
// front of the camera adds). Also the adapters' memory, idle and after.
//
//   node tests/bench/ptz_http.mjs            # 300 moves per camera
//   MOVES=100 node tests/bench/ptz_http.mjs
//
// Set-up (everything on 127.0.0.1 and in a temp dir): tests/fakes/axis_camera.py
// (Digest and Basic) and tests/fakes/foscam_camera.py, one gateway with both
// adapters and one device per camera. One keep-alive connection to the
// gateway, one request at a time, each with a fresh UsernameToken (made
// before the clock starts); velocities alternate (+0.5 / -0.5 pan).
//
// Clocks: t0 = process.hrtime.bigint() just before the request is written;
// the fakes stamp each request with CLOCK_MONOTONIC once they have read it
// whole (the same clock). The fakes are Python: their own time to read a
// request is in every row alike, the "straight to the camera" row shows it.
//
// Environment: BIN_DIR (default ../../build/bin), MOVES (300), PACE_MS (5),
// NGINX (nginx on PATH, else /usr/sbin/nginx), OUT (JSON, default
// tests/bench/results/ptz_http.json), KEEP_WORK=1 (keep the temp dir).
// Exit status: 0 when it ran, 1 when something broke, 2 when a tool or
// binary is missing.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Connection, childPid, findNginx, ms, rssKiB, sleep, startNginx, summary,
} from './lib/measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
process.env.ONVIFGW_BIN_DIR ??= process.env.BIN_DIR ?? path.join(here, '..', '..', 'build', 'bin');
const { ADMIN, Gateway, envelope, freeTcpPort, tempDir } = await import('../e2e/lib/harness.mjs');
const { AxisCamera } = await import('../e2e/lib/axis_camera.mjs');
const { FoscamCamera } = await import('../e2e/lib/foscam_camera.mjs');

const MOVES = Number(process.env.MOVES ?? 300);
const PACE_MS = Number(process.env.PACE_MS ?? 5);
const OUT = process.env.OUT ?? path.join(here, 'results', 'ptz_http.json');
const WARMUP = 20;
const log = (m) => process.stderr.write(`[ptz-http-bench] ${m}\n`);

const nginxBin = findNginx();
for (const bin of ['onvif-gateway', 'onvif-adapter-vapix', 'onvif-adapter-foscam']) {
  if (!fs.existsSync(path.join(process.env.ONVIFGW_BIN_DIR, bin))) {
    log(`no ${bin} in ${process.env.ONVIFGW_BIN_DIR}: build first`);
    process.exit(2);
  }
}
if (!nginxBin) { log('nginx is missing: apt-get install nginx-light'); process.exit(2); }

const TPTZ = 'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"';
const move = (profile, x) => envelope(`<tptz:ContinuousMove ${TPTZ}><tptz:ProfileToken>${profile}` +
  `</tptz:ProfileToken><tptz:Velocity><tt:PanTilt x="${x}" y="0"/></tptz:Velocity></tptz:ContinuousMove>`,
'', ADMIN);
const profilesRequest = () => envelope('<trt:GetProfiles/>', '', ADMIN);

// A logged request's query as text (one fake logs it raw, the other parsed).
const queryText = (r) => (typeof r.query === 'string' ? r.query : new URLSearchParams(r.query).toString());

// What each camera is, and how its PTZ request looks.
const CAMERAS = {
  axis: {
    label: 'Axis VAPIX (ptz.cgi, Digest, keep-alive)',
    program: 'onvif-adapter-vapix',
    cgi: '/axis-cgi/com/ptz.cgi',
    // The same request straight to the camera, Basic (one round trip).
    direct: (x) => `/axis-cgi/com/ptz.cgi?continuouspantiltmove=${x > 0 ? 50 : -50},0`,
    isMove: (r) => r.path === '/axis-cgi/com/ptz.cgi' && /(^|&)continuouspantiltmove=/.test(queryText(r)),
  },
  foscam: {
    label: 'Foscam CGI (decoder_control.cgi, Basic, a connection per request)',
    program: 'onvif-adapter-foscam',
    cgi: '/decoder_control.cgi',
    direct: (x) => `/decoder_control.cgi?command=${x > 0 ? 6 : 4}`,
    isMove: (r) => r.path === '/decoder_control.cgi' && /(^|&)command=[46](&|$)/.test(queryText(r)),
  },
};

/** The camera's requests until one is the move (polling the fake's log). */
async function moveArrival(camera, spec, what) {
  for (let tries = 0; tries < 400; tries++) {
    const hit = (await camera.requests()).find(spec.isMove);
    if (hit) return hit;
    await sleep(1);
  }
  throw new Error(`${what}: the move never reached the camera`);
}

/**
 * `count` requests of `send(i)` (which resolves with { status, t0, ... });
 * returns the arrival times at the camera after t0 (ns).
 */
async function measure(camera, spec, count, send, what) {
  const arrivals = [];
  const trips = [];
  for (let i = 0; i < count + WARMUP; i++) {
    const r = await send(i);
    if (r.status !== 200 && r.status !== 204) throw new Error(`${what} ${i}: HTTP ${r.status} ${r.body?.slice(0, 400)}`);
    const hit = await moveArrival(camera, spec, `${what} ${i}`);
    if (i >= WARMUP) {
      arrivals.push(ms(BigInt(hit.t_ns) - r.t0));
      trips.push(ms(r.at - r.t0));
    }
    await sleep(PACE_MS);
  }
  return { arrival: summary(arrivals), round_trip: summary(trips) };
}

const dir = tempDir('onvifgw-ptz-http-bench-');
const cleanups = [];
let gw;
try {
  const axis = await AxisCamera.start({ auth: 'both', user: 'bench', password: 'Bench-cam-1' });
  cleanups.push(() => axis.stop());
  const foscam = await FoscamCamera.start({ password: 'Bench-cam-2', threaded: true });
  cleanups.push(() => foscam.stop());
  const cameras = { axis, foscam };
  const ports = [];
  while (ports.length < 6) {
    const p = await freeTcpPort();
    if (!ports.includes(p)) ports.push(p);
  }
  const [axisPort, axisRtsp, foscamPort, foscamRtsp, nginxAxis, nginxFoscam] = ports;
  const device = (id, port, rtsp, adapter) => [`  - id: ${id}`, `    name: Bench ${id}`,
    '    address: 127.0.0.1', `    port: ${port}`, `    rtsp_port: ${rtsp}`, `    adapter: ${adapter}`,
    `    camera: ${id}`, '    admin:', `      username: ${ADMIN.username}`, `      password: ${ADMIN.password}`];
  const config = [
    `state_dir: ${path.join(dir, 'state')}`,
    'log_level: info',
    'discovery:',
    '  enabled: false',
    'adapters:',
    '  - id: axis',
    `    exec: ${path.join(process.env.ONVIFGW_BIN_DIR, 'onvif-adapter-vapix')}`,
    '    config:',
    '      cameras:',
    `        - {id: axis, host: 127.0.0.1, port: ${axis.port}, user: ${axis.user}, password: ${axis.password}, rtsp: no}`,
    '  - id: foscam',
    `    exec: ${path.join(process.env.ONVIFGW_BIN_DIR, 'onvif-adapter-foscam')}`,
    '    config:',
    '      cameras:',
    `        - {id: foscam, host: 127.0.0.1, port: ${foscam.port}, user: ${foscam.user}, password: ${foscam.password}}`,
    'devices:',
    ...device('axis', axisPort, axisRtsp, 'axis'),
    ...device('foscam', foscamPort, foscamRtsp, 'foscam'),
  ];
  fs.writeFileSync(path.join(dir, 'gateway.yaml'), config.join('\n') + '\n');
  gw = new Gateway(path.join(dir, 'gateway.yaml'));
  await gw.waitFor(/\[adapter:axis\] ready/, { timeoutMs: 30000 });
  await gw.waitFor(/\[adapter:foscam\] ready/, { timeoutMs: 30000 });

  const results = {};
  for (const [name, spec] of Object.entries(CAMERAS)) {
    const camera = cameras[name];
    const port = name === 'axis' ? axisPort : foscamPort;
    const adapterPid = childPid(gw.proc.pid, spec.program);
    const rssIdle = rssKiB(adapterPid);

    // ---- through the gateway
    const conn = await Connection.open(port);
    const profiles = await conn.post('/onvif/media_service', profilesRequest());
    const profile = /<trt:Profiles[^>]*token="([^"]+)"/.exec(profiles.body)?.[1];
    if (!profile) throw new Error(`${name}: no profile: ${profiles.body.slice(0, 400)}`);
    await camera.requests();
    const gateway = await measure(camera, spec, MOVES,
      (i) => conn.post('/onvif/ptz_service', move(profile, i % 2 ? -0.5 : 0.5)), `${name} via gateway`);
    conn.close();
    const rssAfter = rssKiB(adapterPid);

    // ---- straight to the camera (Basic, sent at once), then through nginx
    const auth = { Authorization: camera.basicAuth() };
    const direct = async (p, i) => {
      // A connection per request where the camera closes after each reply.
      const c = await Connection.open(p);
      try {
        return await c.send('GET', spec.direct(i % 2 ? -0.5 : 0.5), { headers: auth });
      } finally { c.close(); }
    };
    let keepAlive = name === 'axis' ? await Connection.open(camera.port) : null;
    const straight = await measure(camera, spec, MOVES, (i) => (keepAlive
      ? keepAlive.send('GET', spec.direct(i % 2 ? -0.5 : 0.5), { headers: auth }) : direct(camera.port, i)),
    `${name} straight`);
    keepAlive?.close();

    const nginxPort = name === 'axis' ? nginxAxis : nginxFoscam;
    const nginx = await startNginx(nginxBin, path.join(dir, `nginx-${name}`), nginxPort,
      'location / { proxy_pass http://camera; proxy_http_version 1.1; proxy_set_header Connection ""; }',
      { http: `upstream camera { server 127.0.0.1:${camera.port}; keepalive 4; }` });
    cleanups.push(() => nginx.stop());
    keepAlive = await Connection.open(nginxPort);
    const proxied = await measure(camera, spec, MOVES,
      (i) => keepAlive.send('GET', spec.direct(i % 2 ? -0.5 : 0.5), { headers: auth }), `${name} via nginx`);
    keepAlive.close();
    await nginx.stop();
    results[name] = { label: spec.label, gateway, straight, nginx: proxied,
      adapter_rss_kib: { idle: rssIdle, after: rssAfter } };
  }

  const result = { moves: MOVES, pace_ms: PACE_MS, cameras: results };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2));

  const f = (x) => x.toFixed(3);
  const mib = (k) => (k / 1024).toFixed(1);
  for (const r of Object.values(results)) {
    console.log(`\n${r.label}: ContinuousMove -> the camera's PTZ request, ${MOVES} moves, one at a time`);
    console.log('| ms | p50 | p90 | p99 | max |');
    console.log('|----|-----|-----|-----|-----|');
    const row = (what, s) => console.log(`| ${what} | ${f(s.p50)} | ${f(s.p90)} | ${f(s.p99)} | ${f(s.max)} |`);
    row('ONVIF request written -> the camera has read its request (gateway + adapter)', r.gateway.arrival);
    row('ONVIF HTTP round trip (ContinuousMoveResponse)', r.gateway.round_trip);
    row('the CGI request straight to the camera -> read by it (reference)', r.straight.arrival);
    row('the CGI request through nginx proxy_pass -> read by the camera (reference)', r.nginx.arrival);
    console.log(`adapter RSS: ${mib(r.adapter_rss_kib.idle)} -> ${mib(r.adapter_rss_kib.after)} MiB (idle -> after the moves)`);
  }
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\nload average at the end: ${load} (on ${(await import('node:os')).availableParallelism()} CPUs); JSON: ${OUT}`);
} catch (e) {
  log(`error: ${e.stack ?? e}`);
  if (gw) log(`gateway log tail:\n${gw.lines.slice(-20).join('\n')}`);
  process.exitCode = 1;
} finally {
  await gw?.stop();
  for (const c of cleanups.reverse()) await c().catch(() => {});
  if (!process.env.KEEP_WORK) fs.rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}
