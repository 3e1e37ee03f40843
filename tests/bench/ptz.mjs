#!/usr/bin/env node
// The PTZ path's figure: time from a ContinuousMove request arriving at the
// gateway to its Pelco-D frame on the serial line, over 1,000 moves, with the
// HTTP round trip of the same requests and, beside them in the same run,
// nginx's round trip for a request and a response of the same sizes.
//
//   node tests/bench/ptz.mjs                 # 1000 moves at 19200 baud
//   MOVES=200 BAUD=9600 node tests/bench/ptz.mjs
//
// Set-up (everything on 127.0.0.1 and in a temp dir): the Pelco-D dome
// emulator (tests/fakes/pelco_d_dome.py, replies off, so that nothing waits
// for an answer) on a pseudo-terminal, and onvif-gateway with the Pelco-D
// adapter on that tty. One keep-alive TCP connection; one request at a time,
// each with a fresh WS-Security UsernameToken (made before the clock starts);
// velocities alternate (+0.5 / -0.5 pan) so that no two moves are alike.
//
// Clocks: t0 = process.hrtime.bigint() just before the request is written to
// the socket; the emulator stamps each frame with CLOCK_MONOTONIC when it has
// read the frame's last byte (the same clock). A real RS-485 line puts the
// last byte on the wire 7 bytes x 10 bits / baud after the write; a pty
// passes it at once. The script checks which it sees: when frames arrive
// sooner than that wire time after t0, the line has no wire time and nothing
// is subtracted; otherwise the wire time is. Either way the figure is the
// gateway's + the adapter's part (plus the emulator's read, an upper bound).
// The adapter waits until a frame is written before it answers, and leaves
// the line idle for one wire time plus one frame gap after it; requests are
// paced (PACE_MS after the previous frame) so that no request waits for the
// line, which is not the gateway's cost.
//
// Environment: BIN_DIR (default ../../build/bin), MOVES (1000), BAUD (19200),
// PACE_MS (12), NGINX (nginx on PATH, else /usr/sbin/nginx), OUT (JSON,
// default tests/bench/results/ptz.json), KEEP_WORK=1 (keep the temp dir).
// Exit status: 0 when it ran (the aim is informational), 1 when something
// broke, 2 when a tool or binary is missing.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Connection, childPid, findNginx, ms, rssKiB, sleep, startNginx, summary,
} from './lib/measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
process.env.ONVIFGW_BIN_DIR ??= process.env.BIN_DIR ?? path.join(here, '..', '..', 'build', 'bin');
const { ADMIN, Gateway, envelope, freeTcpPort, tempDir } = await import('../e2e/lib/harness.mjs');
const { PelcoDome } = await import('../e2e/lib/pelco_dome.mjs');

const MOVES = Number(process.env.MOVES ?? 1000);
const BAUD = Number(process.env.BAUD ?? 19200);
const PACE_MS = Number(process.env.PACE_MS ?? 12);
const OUT = process.env.OUT ?? path.join(here, 'results', 'ptz.json');
const FRAME_BYTES = 7;
const WIRE_NS = BigInt(Math.round(FRAME_BYTES * 10 / BAUD * 1e9));
const AIM_P50_MS = 1;
const log = (m) => process.stderr.write(`[ptz-bench] ${m}\n`);

const nginxBin = findNginx();
for (const bin of ['onvif-gateway', 'onvif-adapter-pelco-d']) {
  if (!fs.existsSync(path.join(process.env.ONVIFGW_BIN_DIR, bin))) {
    log(`no ${bin} in ${process.env.ONVIFGW_BIN_DIR}: build first`);
    process.exit(2);
  }
}
if (!nginxBin) { log('nginx is missing: apt-get install nginx-light'); process.exit(2); }
if (![2400, 4800, 9600, 19200].includes(BAUD)) { log(`BAUD ${BAUD}: 2400, 4800, 9600 or 19200`); process.exit(1); }

const TPTZ = 'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"';
const move = (x) => envelope(`<tptz:ContinuousMove ${TPTZ}><tptz:ProfileToken>prof_0_main</tptz:ProfileToken>` +
  `<tptz:Velocity><tt:PanTilt x="${x}" y="0"/></tptz:Velocity></tptz:ContinuousMove>`, '', ADMIN);

// The same service, token and connection without an adapter call: what the
// HTTP, authentication and dispatch cost alone.
const capabilities = () => envelope(`<tptz:GetServiceCapabilities ${TPTZ}/>`, '', ADMIN);

const dir = tempDir('onvifgw-ptz-bench-');
let dome;
let gw;
let nginx;
let conn;
try {
  // ---- the emulator and the gateway
  dome = await PelcoDome.start({ addresses: [1], replies: false });
  const [httpPort, rtspPort, nginxPort] = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
  if (new Set([httpPort, rtspPort, nginxPort]).size !== 3) throw new Error('ports collided; run again');
  const config = [
    `state_dir: ${path.join(dir, 'state')}`,
    'log_level: info',
    'discovery:',
    '  enabled: false',
    'adapters:',
    '  - id: pelco',
    `    exec: ${path.join(process.env.ONVIFGW_BIN_DIR, 'onvif-adapter-pelco-d')}`,
    '    config:',
    '      lines:',
    `        - {id: bus-1, device: ${dome.tty}, baud: ${BAUD}, replies: false}`,
    '      cameras:',
    '        - id: dome-1',
    '          line: bus-1',
    '          address: 1',
    '          video: {uri: "rtsp://127.0.0.1:9/dome-1", width: 1280, height: 720}',
    'devices:',
    '  - id: dome',
    '    name: Bench dome',
    '    address: 127.0.0.1',
    `    port: ${httpPort}`,
    `    rtsp_port: ${rtspPort}`,
    '    adapter: pelco',
    '    camera: dome-1',
    '    admin:',
    `      username: ${ADMIN.username}`,
    `      password: ${ADMIN.password}`,
  ];
  fs.writeFileSync(path.join(dir, 'gateway.yaml'), config.join('\n') + '\n');
  gw = new Gateway(path.join(dir, 'gateway.yaml'));
  await gw.waitFor(/\[adapter:pelco\] ready/, { timeoutMs: 20000 });
  const adapter = childPid(gw.proc.pid, 'onvif-adapter-pelco-d');
  const rssIdle = { gateway: rssKiB(gw.proc.pid), adapter: rssKiB(adapter) };

  conn = await Connection.open(httpPort);
  // Warm-up (and a check that the request is accepted), not measured.
  for (let i = 0; i < 20; i++) {
    const r = await conn.post('/onvif/ptz_service', move(i % 2 ? -0.5 : 0.5));
    if (r.status !== 200) throw new Error(`ContinuousMove: ${r.status} ${r.body.slice(0, 600)}`);
  }
  await sleep(PACE_MS);
  await dome.frames(1);

  // ---- the moves
  const requestBodies = [];
  const frameNs = [];
  const rttNs = [];
  const baseNs = [];
  let responseBody = '';
  for (let i = 0; i < MOVES; i++) {
    const x = i % 2 ? -0.5 : 0.5;
    const body = move(x);  // a fresh token, made before t0
    requestBodies.push(body.length);
    const r = await conn.post('/onvif/ptz_service', body);
    if (r.status !== 200) throw new Error(`move ${i}: ${r.status} ${r.body.slice(0, 600)}`);
    responseBody = r.body;
    rttNs.push(r.at - r.t0);
    // The adapter answers once the frame is written: it is in the emulator
    // now or in a moment.
    let frames = [];
    for (let tries = 0; frames.length === 0 && tries < 200; tries++) {
      frames = await dome.frames(1);
      if (frames.length === 0) await sleep(1);
    }
    if (frames.length !== 1) {
      throw new Error(`move ${i}: ${frames.length} frames on the line: ${JSON.stringify(frames.map((f) => f.hex))}`);
    }
    // FF addr cmd1 cmd2 data1 data2 sum: cmd2 bit 1 right, bit 2 left.
    const cmd2 = parseInt(frames[0].hex.slice(6, 8), 16);
    if ((cmd2 & 0x06) !== (x > 0 ? 0x02 : 0x04)) throw new Error(`move ${i} (x=${x}): frame ${frames[0].hex}`);
    frameNs.push(frames[0].t_ns - r.t0);
    // Interleaved (so that the machine's load hits both alike): the baseline.
    const b = await conn.post('/onvif/ptz_service', capabilities());
    if (b.status !== 200) throw new Error(`GetServiceCapabilities: ${b.status} ${b.body.slice(0, 600)}`);
    baseNs.push(b.at - b.t0);
    // The line is idle again one wire time plus one gap after the frame.
    const idleAt = frames[0].t_ns + BigInt(PACE_MS) * 1000000n;
    const wait = ms(idleAt - process.hrtime.bigint());
    if (wait > 0) await sleep(wait);
  }
  const rssAfter = { gateway: rssKiB(gw.proc.pid), adapter: rssKiB(adapter) };
  conn.close();

  // Wire time: subtracted only if the line shows it (a pty does not).
  const minFrame = frameNs.reduce((a, b) => (b < a ? b : a));
  const lineHasWireTime = minFrame >= WIRE_NS;
  const ownMs = frameNs.map((ns) => ms(lineHasWireTime ? ns - WIRE_NS : ns));

  // ---- reference: nginx, the same request size, a response of the same size
  const ndir = path.join(dir, 'nginx');
  fs.mkdirSync(path.join(ndir, 'html'), { recursive: true });
  fs.writeFileSync(path.join(ndir, 'html', 'ContinuousMove.xml'), responseBody);
  fs.chmodSync(path.join(ndir, 'html', 'ContinuousMove.xml'), 0o644);
  nginx = await startNginx(nginxBin, ndir, nginxPort,
    `root ${ndir}/html; location / { error_page 405 =200 $uri; }`);
  const nconn = await Connection.open(nginxPort);
  const nginxNs = [];
  for (let i = 0; i < MOVES + 20; i++) {
    const r = await nconn.post('/ContinuousMove.xml', move(i % 2 ? -0.5 : 0.5));
    if (r.status !== 200 || r.body.length !== responseBody.length) {
      throw new Error(`nginx: ${r.status}, ${r.body.length} bytes (gateway: ${responseBody.length})`);
    }
    if (i >= 20) nginxNs.push(r.at - r.t0);  // the first 20 warm up
  }
  nconn.close();

  const result = {
    moves: MOVES,
    baud: BAUD,
    pace_ms: PACE_MS,
    request_bytes: summary(requestBodies),
    response_bytes: responseBody.length,
    wire_time_ms: ms(WIRE_NS),
    line_has_wire_time: lineHasWireTime,
    request_to_frame_ms: summary(frameNs.map(ms)),
    gateway_adapter_ms: summary(ownMs),
    http_round_trip_ms: summary(rttNs.map(ms)),
    no_adapter_call_round_trip_ms: summary(baseNs.map(ms)),
    nginx_round_trip_ms: summary(nginxNs.map(ms)),
    rss_kib: { idle: rssIdle, after: rssAfter },
    aim: { gateway_adapter_p50_ms: AIM_P50_MS },
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2));

  const f = (x) => x.toFixed(3);
  console.log(`\nContinuousMove -> Pelco-D frame, ${MOVES} moves, one at a time, ${BAUD} baud ` +
    `(request ${result.request_bytes.p50} bytes, response ${result.response_bytes} bytes)`);
  console.log('| ms | p50 | p90 | p99 | max |');
  console.log('|----|-----|-----|-----|-----|');
  const row = (name, s) => console.log(`| ${name} | ${f(s.p50)} | ${f(s.p90)} | ${f(s.p99)} | ${f(s.max)} |`);
  row('request written -> frame\'s last byte read by the emulator', result.request_to_frame_ms);
  row(`gateway + adapter part (${lineHasWireTime ? `less the ${f(ms(WIRE_NS))} ms wire time` :
    `pty: no wire time to subtract (fastest ${f(ms(minFrame))} ms < ${f(ms(WIRE_NS))} ms)`})`, result.gateway_adapter_ms);
  row('HTTP round trip, gateway (ContinuousMoveResponse)', result.http_round_trip_ms);
  row('HTTP round trip, gateway, GetServiceCapabilities (same token, no adapter call)',
    result.no_adapter_call_round_trip_ms);
  row('HTTP round trip, nginx (same sizes, static file; reference)', result.nginx_round_trip_ms);
  const mib = (k) => (k / 1024).toFixed(1);
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`load average at the end: ${load} (on ${(await import('node:os')).availableParallelism()} CPUs)`);
  console.log(`RSS: gateway ${mib(rssIdle.gateway)} -> ${mib(rssAfter.gateway)} MiB, ` +
    `Pelco-D adapter ${mib(rssIdle.adapter)} -> ${mib(rssAfter.adapter)} MiB (idle -> after the moves)`);
  const met = result.gateway_adapter_ms.p50 < AIM_P50_MS;
  console.log(`aim: gateway + adapter p50 under ${AIM_P50_MS} ms: ${met ? 'met' : 'NOT met'} ` +
    `(${f(result.gateway_adapter_ms.p50)} ms); JSON: ${OUT}`);
} catch (e) {
  log(`error: ${e.stack ?? e}`);
  if (gw) log(`gateway log tail:\n${gw.lines.slice(-20).join('\n')}`);
  process.exitCode = 1;
} finally {
  conn?.close();
  await nginx?.stop();
  await gw?.stop();
  await dome?.stop();
  if (!process.env.KEEP_WORK) fs.rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}
