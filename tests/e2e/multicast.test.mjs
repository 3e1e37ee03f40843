// WS-Discovery over real multicast, inside a network namespace this test
// creates (so nothing leaves the machine and port 3702 is free).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function canUnshare() {
  const r = spawnSync('unshare', ['--net', 'true']);
  return r.status === 0;
}

test('a multicast Probe finds both devices', {
  skip: !canUnshare() && 'cannot create a network namespace (needs root): multicast test skipped',
  timeout: 60000,
}, () => {
  const script = [
    'set -e',
    'ip link set lo up',
    'ip link set lo multicast on',
    'ip route add 224.0.0.0/4 dev lo',
    `exec ${process.execPath} ${path.join(here, 'lib', 'multicast_probe.mjs')}`,
  ].join('\n');
  const r = spawnSync('unshare', ['--net', 'sh', '-c', script], {
    encoding: 'utf8', timeout: 50000, env: process.env,
  });
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.equal(out.error, undefined, out.error);
  assert.equal(out.eprs.length, 2, JSON.stringify(out));
  assert.ok(out.relatesTo);
  assert.deepEqual(out.invalid, []);
});
