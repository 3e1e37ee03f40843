#!/usr/bin/env node
// The event service's figures: how long a camera event takes to reach
// 1,000 subscribers, through PullMessages (long polls waiting) and through
// Basic Notification push (Notify POSTed to a consumer), and what 1,000
// subscriptions cost in memory. Beside them, the reference: nginx answering
// 1,000 concurrent POSTs from the same client, measured in the same run (the
// floor of this client and this machine for a 1,000-way fan-in).
//
//   node tests/bench/events.mjs                 # 1000 subscriptions, 10 rounds
//   SUBSCRIPTIONS=200 ROUNDS=5 node tests/bench/events.mjs
//
// The event is a relay change: SetRelayOutputState on the simulated camera,
// which the gateway publishes on tns1:Device/Trigger/Relay once the adapter
// has answered. Latency is measured from sending that request (so it
// includes the adapter's round trip) to each subscriber's answer or Notify.
// Everything listens on 127.0.0.1 and lives in a temp dir.
//
// Environment: BIN_DIR (default ../../build/bin), SUBSCRIPTIONS (1000),
// ROUNDS (10), NGINX (nginx on PATH, else /usr/sbin/nginx), OUT (JSON,
// default tests/bench/results/events.json).
// Exit status: 0 when it ran, 1 when something broke, 2 when a tool is missing.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
process.env.ONVIFGW_BIN_DIR ??= process.env.BIN_DIR ?? path.join(here, '..', '..', 'build', 'bin');
const { ADMIN, Gateway, freeTcpPort, tempDir, usernameToken, writeConfig } =
  await import('../e2e/lib/harness.mjs');

const N = Number(process.env.SUBSCRIPTIONS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const OUT = process.env.OUT ?? path.join(here, 'results', 'events.json');
const log = (m) => process.stderr.write(`[events-bench] ${m}\n`);

function findNginx() {
  if (process.env.NGINX) return process.env.NGINX;
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (fs.existsSync(p)) return p;
  return null;
}
const nginxBin = findNginx();
if (!fs.existsSync(path.join(process.env.ONVIFGW_BIN_DIR, 'onvif-gateway'))) {
  log(`no onvif-gateway in ${process.env.ONVIFGW_BIN_DIR}: build first`);
  process.exit(2);
}
if (!nginxBin) { log('nginx is missing: apt-get install nginx-light'); process.exit(2); }

const agent = new http.Agent({ keepAlive: true, maxSockets: N + 64 });
const NS = 'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" ' +
  'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing" ' +
  'xmlns:tt="http://www.onvif.org/ver10/schema"';

function post(port, urlPath, body, { auth = true } = {}) {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ${NS}>` +
    (auth ? `<s:Header>${usernameToken(ADMIN)}</s:Header>` : '') + `<s:Body>${body}</s:Body></s:Envelope>`;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: urlPath, method: 'POST', agent,
      headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text, at: performance.now() }));
    });
    req.on('error', reject);
    req.end(xml);
  });
}

function rssKiB(pid) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(m[1]);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] };
}
const settle = (ms) => new Promise((r) => setTimeout(r, ms));
const addressOf = (text) => text.match(/<wsa:Address>http:\/\/[^/<]+(\/onvif\/subscription\/[0-9A-F]+)</)[1];

const dir = tempDir('onvifgw-events-bench-');
let gw;
let nginx;
let consumer;
try {
  const cfg = await writeConfig(dir, {
    devices: 1, relays: [1],
    http: { max_connections: N * 2 + 64 },
    events: { max_subscriptions: N * 2 + 8 },
  });
  const port = cfg.ports[0];
  gw = new Gateway(cfg.file);
  await gw.waitFor(/\[adapter:sim\] ready/);
  const relays = await post(port, '/onvif/device_service', '<tds:GetRelayOutputs/>');
  const token = relays.text.match(/RelayOutputs token="([^"]+)"/)[1];
  const topic = '<wsnt:TopicExpression Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet" ' +
    'xmlns:tns1="http://www.onvif.org/ver10/topics">tns1:Device/Trigger/Relay</wsnt:TopicExpression>';
  let state = false;
  const toggle = () => {
    state = !state;
    return post(port, '/onvif/device_service',
      `<tds:SetRelayOutputState><tds:RelayOutputToken>${token}</tds:RelayOutputToken>` +
      `<tds:LogicalState>${state ? 'active' : 'inactive'}</tds:LogicalState></tds:SetRelayOutputState>`);
  };

  // ---- pull points
  const rssBefore = rssKiB(gw.proc.pid);
  const created = [];
  for (let i = 0; i < N; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, N - i) }, () => post(port,
      '/onvif/events_service', `<tev:CreatePullPointSubscription><tev:Filter>${topic}</tev:Filter>` +
      '<tev:InitialTerminationTime>PT1H</tev:InitialTerminationTime></tev:CreatePullPointSubscription>')));
    for (const r of batch) {
      if (r.status !== 200) throw new Error(`CreatePullPointSubscription: ${r.status} ${r.text}`);
      created.push(addressOf(r.text));
    }
  }
  const rssPull = rssKiB(gw.proc.pid);
  log(`${N} pull points: RSS ${rssBefore} -> ${rssPull} KiB`);
  const pull = (p, timeout) => post(port, p,
    `<tev:PullMessages><tev:Timeout>${timeout}</tev:Timeout><tev:MessageLimit>100</tev:MessageLimit></tev:PullMessages>`);
  await Promise.all(created.map((p) => pull(p, 'PT0S')));  // the Initialized state
  const pullLatency = [];
  const pullSpread = [];
  for (let round = 0; round < ROUNDS; round++) {
    const answers = created.map((p) => pull(p, 'PT30S'));
    await settle(500);  // every long poll sent and waiting
    const t0 = performance.now();
    const set = await toggle();
    if (set.status !== 200) throw new Error(`SetRelayOutputState: ${set.text}`);
    const got = await Promise.all(answers);
    const at = got.map((r) => {
      if (!/Trigger\/Relay/.test(r.text)) throw new Error(`a pull without the change: ${r.text.slice(0, 400)}`);
      return r.at - t0;
    });
    pullLatency.push(...at);
    pullSpread.push(Math.max(...at) - Math.min(...at));
  }
  await Promise.all(created.map((p) => post(port, p, '<wsnt:Unsubscribe/>')));

  // ---- push
  const arrivals = [];
  let waiting = null;
  consumer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(performance.now());
      res.writeHead(200);
      res.end();
      if (waiting && arrivals.length >= waiting.count) waiting.resolve();
    });
  });
  consumer.keepAliveTimeout = 1;
  // A deep backlog: 1,000 connections arrive at once (the default 511 would
  // make some wait for a SYN retransmit, a second, which is not the gateway's).
  const consumerPort = await new Promise((r) => consumer.listen({ port: 0, host: '127.0.0.1', backlog: 4096 },
    () => r(consumer.address().port)));
  const rssBeforePush = rssKiB(gw.proc.pid);
  for (let i = 0; i < N; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, N - i) }, () => post(port,
      '/onvif/events_service', '<wsnt:Subscribe><wsnt:ConsumerReference><wsa:Address>' +
      `http://127.0.0.1:${consumerPort}/notify</wsa:Address></wsnt:ConsumerReference><wsnt:Filter>${topic}` +
      '</wsnt:Filter><wsnt:InitialTerminationTime>PT1H</wsnt:InitialTerminationTime></wsnt:Subscribe>')));
    for (const r of batch) if (r.status !== 200) throw new Error(`Subscribe: ${r.status} ${r.text}`);
  }
  const rssPush = rssKiB(gw.proc.pid);
  log(`${N} push subscriptions: RSS ${rssBeforePush} -> ${rssPush} KiB`);
  const waitArrivals = (count) => new Promise((resolve, reject) => {
    if (arrivals.length >= count) return resolve();
    const timer = setTimeout(() => reject(new Error(`only ${arrivals.length} of ${count} Notify`)), 30000);
    waiting = { count, resolve: () => { clearTimeout(timer); waiting = null; resolve(); } };
  });
  await waitArrivals(N);  // the Initialized state, one Notify each
  const pushLatency = [];
  const pushSpread = [];
  for (let round = 0; round < ROUNDS; round++) {
    await settle(200);
    arrivals.length = 0;
    const t0 = performance.now();
    await toggle();
    await waitArrivals(N);
    const at = arrivals.slice(0, N).map((a) => a - t0);
    pushLatency.push(...at);
    pushSpread.push(Math.max(...at) - Math.min(...at));
  }

  // ---- reference: nginx answering N concurrent POSTs from this client
  const nginxPort = await freeTcpPort();
  const ndir = path.join(dir, 'nginx');
  fs.mkdirSync(ndir, { recursive: true });
  fs.writeFileSync(path.join(ndir, 'nginx.conf'), `worker_processes 1; pid ${ndir}/nginx.pid; error_log ${ndir}/error.log;
events { worker_connections ${N * 2 + 64}; }
http { access_log off; client_body_temp_path ${ndir}; proxy_temp_path ${ndir}; fastcgi_temp_path ${ndir};
  uwsgi_temp_path ${ndir}; scgi_temp_path ${ndir};
  server { listen 127.0.0.1:${nginxPort}; location / { return 200 "ok"; } } }
`);
  nginx = spawn(nginxBin, ['-c', path.join(ndir, 'nginx.conf'), '-p', ndir, '-g', 'daemon off;'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { await post(nginxPort, '/', 'x', { auth: false }); break; } catch { await settle(50); }
  }
  const nginxLatency = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    const got = await Promise.all(Array.from({ length: N }, () => post(nginxPort, '/', 'x', { auth: false })));
    nginxLatency.push(...got.map((r) => r.at - t0));
  }

  const result = {
    subscriptions: N,
    rounds: ROUNDS,
    pull: { latency_ms: summary(pullLatency), fanout_spread_ms: summary(pullSpread),
      rss_kib_per_subscription: (rssPull - rssBefore) / N },
    // Measured after the pull points were unsubscribed: their freed memory
    // is reused, so this is a lower bound.
    push: { latency_ms: summary(pushLatency), fanout_spread_ms: summary(pushSpread),
      rss_kib_per_subscription: (rssPush - rssBeforePush) / N },
    nginx_reference: { latency_ms: summary(nginxLatency) },
    gateway_rss_kib: rssKiB(gw.proc.pid),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2));
  const f = (x) => x.toFixed(1);
  console.log(`\nEvent fan-out to ${N} subscribers, ${ROUNDS} rounds (ms from SetRelayOutputState sent)`);
  console.log('| Path | p50 | p99 | max | spread first→last (p50) | RSS per subscription |');
  console.log('|------|-----|-----|-----|-------------------------|----------------------|');
  for (const [name, r] of [['PullMessages (long polls waiting)', result.pull], ['Notify push', result.push]]) {
    console.log(`| ${name} | ${f(r.latency_ms.p50)} | ${f(r.latency_ms.p99)} | ${f(r.latency_ms.max)} | ` +
      `${f(r.fanout_spread_ms.p50)} | ${f(r.rss_kib_per_subscription)} KiB |`);
  }
  const n = result.nginx_reference.latency_ms;
  console.log(`| nginx: ${N} concurrent POSTs answered (reference) | ${f(n.p50)} | ${f(n.p99)} | ${f(n.max)} | | |`);
  console.log('(push RSS: growth after the pull points were unsubscribed, whose memory it reuses)');
  console.log(`gateway RSS at the end: ${(result.gateway_rss_kib / 1024).toFixed(1)} MiB; JSON: ${OUT}`);
} catch (e) {
  log(`error: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  agent.destroy();
  consumer?.close();
  nginx?.kill();
  await gw?.stop();
  if (!process.env.KEEP_WORK) fs.rmSync(dir, { recursive: true, force: true });
}
