// Requests captured from real ONVIF clients (../shared/onvif/traces), posted
// to the gateway as they were sent: every one gets the answer its operation
// calls for, valid against the official schemas. Then the same requests with
// their UsernameToken re-signed for a real user (same prefixes, namespaces
// and Created style as captured): the gateway understands each client's token.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN, Gateway, checkSoap, haveCheckSoap, repoRoot, tempDir, writeConfig,
} from './lib/harness.mjs';

const tracesDir = path.resolve(repoRoot, '..', 'shared', 'onvif', 'traces');
const haveTraces = fs.existsSync(tracesDir);
// WS-Discovery probes are UDP payloads (the discovery tests use them).
const traces = haveTraces
  ? fs.readdirSync(tracesDir).filter((f) => f.endsWith('.xml') && !/Probe/.test(f)).sort()
  : [];

// What each operation gets on the device service address: served (200),
// served after authentication, or not offered by this version.
const SERVED = new Set(['GetSystemDateAndTime', 'GetCapabilities', 'GetServices']);
const NEEDS_AUTH = new Set(['GetNetworkInterfaces', 'GetDNS', 'Unsubscribe']);
// Media operations: served to an authenticated user, whichever service
// address the client posts them to. The traces name profiles and
// configurations of the captured camera, so some get the documented fault
// for an unknown token (or an existing one) instead of a result.
// The PTZ service is served too (the simulated camera has a head): the
// captured ContinuousMove names profile "000", which the device does not have.
const MEDIA = new Set(['GetProfiles', 'GetStreamUri', 'GetVideoSources', 'CreateProfile',
  'GetOSDOptions', 'ContinuousMove']);

const operationOf = (file) => file.replace(/\.xml$/, '').split('--')[1].replace(/-.*$/, '');

// Now, written the way the trace wrote its Created: fraction or not, Z or +00:00.
function createdLike(original) {
  const iso = new Date().toISOString();  // 2026-12-01T05:00:00.000Z
  let out = /\.\d+/.test(original) ? iso : iso.replace(/\.\d+Z$/, 'Z');
  if (/\+00:00$/.test(original)) out = out.replace(/Z$/, '+00:00');
  return out;
}

// The trace with its token's Username, Nonce, Created and digest replaced.
function resign(xml, { username, password }) {
  const nonce = crypto.randomBytes(16);
  const createdMatch = xml.match(/<(?:\w+:)?Created\b[^>]*>([^<]*)</);
  const created = createdLike(createdMatch[1].trim());
  const digest = crypto.createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)])).digest('base64');
  return xml
    .replace(/(<(?:\w+:)?Username\b[^>]*>)[^<]*/, `$1${username}`)
    .replace(/(<(?:\w+:)?Password\b[^>]*>)[^<]*/, `$1${digest}`)
    .replace(/(<(?:\w+:)?Nonce\b[^>]*>)[^<]*/, `$1${nonce.toString('base64')}`)
    .replace(/(<(?:\w+:)?Created\b[^>]*>)[^<]*/g, `$1${created}`);
}

describe('real client traces', { skip: !haveTraces && '../shared/onvif/traces is absent' }, () => {
  let gw;
  let port;

  before(async () => {
    // The captured tokens cannot verify: keep the brute-force limiter out of the way.
    const cfg = await writeConfig(tempDir(), {
      devices: 1, ptz: [true], security: { failures_before_delay: 1000, failures_before_lockout: 2000 },
    });
    port = cfg.ports[0];
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => { await gw?.stop(); });

  const post = async (body) => {
    const res = await fetch(`http://127.0.0.1:${port}/onvif/device_service`, {
      method: 'POST', headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' }, body,
    });
    return { status: res.status, text: await res.text() };
  };

  test('every captured request gets the answer its operation calls for', async () => {
    assert.ok(traces.length >= 14, `${traces.length} traces`);
    for (const file of traces) {
      const op = operationOf(file);
      const xml = fs.readFileSync(path.join(tracesDir, file), 'utf8');
      const r = await post(xml);
      if (haveCheckSoap) assert.equal(checkSoap(r.text), '', `${file}:\n${r.text}`);
      if (SERVED.has(op)) {
        assert.equal(r.status, 200, `${file}: ${r.text.slice(0, 400)}`);
      } else if (NEEDS_AUTH.has(op) || MEDIA.has(op)) {
        // The captured token is a placeholder (and years old): refused as such.
        assert.equal(r.status, 401, `${file}: ${r.text.slice(0, 400)}`);
        assert.match(r.text, /ter:NotAuthorized/, file);
      } else {
        assert.equal(r.status, 500, `${file}: ${r.text.slice(0, 400)}`);
        assert.match(r.text, /ter:ActionNotSupported/, file);
      }
    }
  });

  test('each client\'s UsernameToken, re-signed for a real user, authenticates', async () => {
    let signed = 0;
    for (const file of traces) {
      const xml = fs.readFileSync(path.join(tracesDir, file), 'utf8');
      if (!/UsernameToken/.test(xml)) continue;
      const op = operationOf(file);
      const signedXml = resign(xml, ADMIN);
      const r = await post(signedXml);
      if (haveCheckSoap) assert.equal(checkSoap(r.text), '', `${file}:\n${r.text}`);
      assert.doesNotMatch(r.text, /ter:NotAuthorized/, `${file}: ${r.text.slice(0, 400)}`);
      if (SERVED.has(op) || op === 'GetNetworkInterfaces' || op === 'GetDNS') {
        assert.equal(r.status, 200, `${file}: ${r.text.slice(0, 400)}`);
      } else if (MEDIA.has(op)) {
        if (r.status !== 200) {
          assert.match(r.text, /ter:(NoProfile|NoConfig|ProfileExists)</, `${file}: ${r.text.slice(0, 400)}`);
        }
      } else if (op === 'Unsubscribe') {
        // Authenticated, then refused: this is not a subscription's address.
        assert.match(r.text, /wsrf_r:ResourceUnknownFault/, file);
      } else {
        assert.match(r.text, /ter:ActionNotSupported/, file);
      }
      signed += 1;
      if (op === 'GetNetworkInterfaces') {
        // The same bytes again: a replay, refused.
        const again = await post(signedXml);
        assert.equal(again.status, 401, `${file} replayed: ${again.text.slice(0, 400)}`);
        assert.match(again.text, /ter:NotAuthorized/);
      }
    }
    assert.ok(signed >= 10, `${signed} traces carry a token`);
  });
});
