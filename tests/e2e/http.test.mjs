// The HTTP layer as a hostile or quirky client meets it: keep-alive and
// pipelining, exact Content-Length, limits on header and body size, read
// timeout, connection limit, method/media-type/path errors; and a bad
// configuration refused before anything starts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Gateway, binDir, soap, tempDir, writeConfig } from './lib/harness.mjs';

const BODY = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
  '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';

function request({ method = 'POST', target = '/onvif/device_service', type = 'application/soap+xml',
                   body = BODY, extra = '' } = {}) {
  return `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    (type ? `Content-Type: ${type}\r\n` : '') + extra +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Parses complete HTTP responses out of a byte stream. */
function parseResponses(buf) {
  const out = [];
  let rest = buf;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.subarray(0, end).toString();
    const len = Number((head.match(/content-length: *(\d+)/i) || [])[1] ?? 0);
    if (rest.length < end + 4 + len) break;
    out.push({ status: Number(head.split(' ')[1]), head, body: rest.subarray(end + 4, end + 4 + len).toString() });
    rest = rest.subarray(end + 4 + len);
  }
  return { responses: out, rest };
}

/** Sends raw bytes; resolves when `want` responses arrived or the peer closed. */
function exchange(port, payload, { want = 1, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('timeout')); }, timeoutMs);
    const finish = (closed) => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...parseResponses(buf), closed });
    };
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (parseResponses(buf).responses.length >= want) finish(false);
    });
    sock.on('close', () => finish(true));
    sock.on('error', () => {});
    sock.write(payload);
  });
}

describe('HTTP behaviour', () => {
  let gw;
  let port;

  before(async () => {
    const dir = tempDir();
    const cfg = await writeConfig(dir, {
      devices: 1,
      http: { max_body_bytes: 4096, max_header_bytes: 2048, read_timeout_ms: 2000, max_connections: 4 },
    });
    port = cfg.ports[0];
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => { await gw?.stop(); });

  test('keep-alive and pipelined requests are answered in order with exact lengths', async () => {
    const two = request() + request({ body: BODY.replace('GetSystemDateAndTime', 'GetHostname') });
    const { responses, closed } = await exchange(port, two, { want: 2 });
    assert.equal(closed, false, 'the connection stays open');
    assert.equal(responses.length, 2);
    assert.match(responses[0].body, /GetSystemDateAndTimeResponse/);
    assert.match(responses[1].body, /GetHostnameResponse/);
    for (const r of responses) {
      assert.equal(r.status, 200);
      assert.match(r.head, /content-type: application\/soap\+xml; charset=utf-8/i);
      assert.doesNotMatch(r.head, /transfer-encoding/i);
      assert.ok(r.body.startsWith('<?xml'), 'nothing before the XML declaration');
    }
  });

  test('Connection: close is honoured', async () => {
    const { responses, closed } = await exchange(port, request({ extra: 'Connection: close\r\n' }), { want: 2 });
    assert.equal(responses.length, 1);
    assert.equal(closed, true);
  });

  test('wrong method, media type and path get HTTP errors', async () => {
    const cases = [
      [request({ method: 'GET', body: '' }), 405],
      [request({ type: 'text/plain' }), 415],
      [request({ target: '/nowhere' }), 404],
      [request({ type: 'text/xml; charset=utf-8' }), 200],
      [request({ type: 'application/soap+xml; charset=utf-8; action="x";' }), 200],
    ];
    for (const [payload, status] of cases) {
      const { responses } = await exchange(port, payload);
      assert.equal(responses[0]?.status, status, payload.split('\r\n')[0]);
    }
  });

  test('oversized body and header are refused', async () => {
    const big = await exchange(port, request({ body: 'x'.repeat(5000) }));
    assert.equal(big.responses[0].status, 413);
    const header = await exchange(port, request({ extra: `X-Junk: ${'y'.repeat(3000)}\r\n` }));
    assert.equal(header.responses[0].status, 431);
  });

  test('garbage is a 400, not a crash', async () => {
    const { responses } = await exchange(port, 'HELLO WORLD\r\n\r\n');
    assert.equal(responses[0]?.status, 400);
    const ok = await exchange(port, request());
    assert.equal(ok.responses[0].status, 200);
  });

  test('a silent connection is closed after the read timeout', async () => {
    const started = Date.now();
    const closed = await new Promise((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.on('close', () => resolve(Date.now() - started));
      sock.on('error', () => {});
    });
    assert.ok(closed >= 1900 && closed < 7000, `closed after ${closed} ms`);
  });

  test('connections beyond the limit are refused', async () => {
    const open = await Promise.all([1, 2, 3, 4].map(() => new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(s));
      s.on('error', () => {});
    })));
    // The fifth is queued behind the four in the accept queue, so the gateway
    // counts them first; the read timeout (2 s) keeps them open meanwhile even
    // on a loaded machine.
    const first = await exchange(port, request()).catch(() => null);
    assert.ok(first === null || first.closed || first.responses.length === 0,
      'a fifth connection is not served while four are open');
    for (const s of open) s.destroy();
    // Once they are gone, the device serves again: as soon as the gateway has
    // seen the four closes, which a loaded machine may take a while to do
    // (bounded by time, not by a number of attempts).
    let served = false;
    for (const deadline = Date.now() + 10000; !served && Date.now() < deadline;) {
      const r = await exchange(port, request()).catch(() => null);
      served = r?.responses[0]?.status === 200;
      if (!served) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(served, 'served again once the four connections are gone');
  });
});

test('a bad configuration is refused with file, line, column and reason', () => {
  const dir = tempDir();
  const file = path.join(dir, 'bad.yaml');
  fs.writeFileSync(file, [
    `state_dir: ${dir}/state`,
    'adapters:',
    '  - id: sim',
    '    exec: onvif-adapter-simulated',
    'devices:',
    '  - id: a',
    '    port: 18080',
    '    adapter: nowhere',
    '    camera: cam-1',
    '',
  ].join('\n'));
  const r = spawnSync(path.join(binDir, 'onvif-gateway'), ['--config', file], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`${file.replace(/[/.]/g, '\\$&')}:8:14: unknown adapter 'nowhere'`));
  assert.equal(fs.existsSync(path.join(dir, 'state')), false, 'nothing started');
});

test('on a dual-stack address an IPv4 client is seen as IPv4 (addresses, logs, limiter)', async () => {
  const cfg = await writeConfig(tempDir(), { devices: 1, address: '"::"' });
  const gw = new Gateway(cfg.file);
  try {
    await gw.waitFor(/\[adapter:sim\] ready/);
    const port = cfg.ports[0];
    const caps = await soap(port, '<tds:GetCapabilities/>', { auth: null });
    assert.equal(caps.status, 200, caps.text);
    assert.match(caps.text, /<tt:XAddr>http:\/\/127\.0\.0\.1:\d+\/onvif\/device_service<\/tt:XAddr>/);
    const logged = gw.waitFor(/authentication failed for 'nobody' from 127\.0\.0\.1 /);
    const r = await soap(port, '<tds:GetScopes/>', { auth: { username: 'nobody', password: 'wrong-password' } });
    assert.equal(r.status, 401);
    await logged;
  } finally {
    await gw.stop();
  }
});
