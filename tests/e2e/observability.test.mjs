// The operator's endpoint (`metrics:`): Prometheus metrics that move with
// what the gateway does (requests by operation and result, their latency,
// refused credentials, adapter calls, restarts and availability, open
// subscriptions) and a health check that follows the adapters.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN, Gateway, freeTcpPort, soap, tempDir, writeConfig,
} from './lib/harness.mjs';

const TDS = 'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"';

/** The value of the series `name{labels}` in a scrape (labels exactly as rendered), or null. */
function valueOf(text, series) {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('metrics and health', () => {
  let gw;
  let port;
  let metricsPort;
  const get = (path, init) => fetch(`http://127.0.0.1:${metricsPort}${path}`, init);
  const scrape = async () => {
    const r = await get('/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    return r.text();
  };

  before(async () => {
    const cfg = await writeConfig(tempDir(), { devices: 1, relays: [1] });
    metricsPort = await freeTcpPort();
    fs.appendFileSync(cfg.file, `metrics:\n  address: 127.0.0.1\n  port: ${metricsPort}\n`);
    [port] = cfg.ports;
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    await gw?.stop();
  });

  test('requests, their results and latency, refused credentials, adapter calls', async () => {
    const before = await scrape();
    const okSeries = 'onvif_requests_total{device="dev-1",operation="GetDeviceInformation",result="ok"}';
    const okBefore = valueOf(before, okSeries) ?? 0;
    for (let i = 0; i < 3; i++) {
      assert.equal((await soap(port, `<tds:GetDeviceInformation ${TDS}/>`)).status, 200);
    }
    // A wrong password, an operation nobody knows, a relay switched through the adapter.
    const refused = await soap(port, `<tds:GetDeviceInformation ${TDS}/>`,
      { auth: { ...ADMIN, password: 'not-the-password' } });
    assert.notEqual(refused.status, 200);
    const unknown = await soap(port, `<tds:NoSuchThing ${TDS}/>`);
    assert.notEqual(unknown.status, 200);
    assert.equal((await soap(port, `<tds:SetRelayOutputState ${TDS}><tds:RelayOutputToken>relay-1` +
      '</tds:RelayOutputToken><tds:LogicalState>active</tds:LogicalState></tds:SetRelayOutputState>')).status, 200);

    const text = await scrape();
    assert.equal(valueOf(text, okSeries), okBefore + 3, text);
    assert.ok(valueOf(text, 'onvif_auth_failures_total{device="dev-1"}') >= 1, text);
    assert.ok(valueOf(text, 'onvif_requests_total{device="dev-1",operation="(unknown)",result="ter:ActionNotSupported"}') >= 1, text);
    assert.ok(valueOf(text, 'onvif_request_duration_seconds_count{operation="GetDeviceInformation"}') >= 3);
    assert.ok(valueOf(text, 'onvif_request_duration_seconds_bucket{operation="GetDeviceInformation",le="+Inf"}') >= 3);
    assert.equal(valueOf(text, 'onvif_adapter_calls_total{adapter="sim",rpc="SetRelayOutputState",code="OK"}'), 1, text);
    assert.ok(valueOf(text, 'onvif_adapter_call_duration_seconds_count{adapter="sim",rpc="SetRelayOutputState"}') >= 1);
    assert.equal(valueOf(text, 'onvif_adapter_up{adapter="sim"}'), 1);
    // The client's made-up operation name is no label.
    assert.doesNotMatch(text, /NoSuchThing/);
  });

  test('open subscriptions are counted', async () => {
    const sub = await soap(port, '<tev:CreatePullPointSubscription xmlns:tev="http://www.onvif.org/ver10/events/wsdl"/>',
      { path: '/onvif/events_service' });
    assert.equal(sub.status, 200, sub.text);
    assert.equal(valueOf(await scrape(), 'onvif_event_subscriptions{device="dev-1"}'), 1);
  });

  test('health follows the adapter: down when it dies, up again after its restart', async () => {
    let r = await get('/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok', adapters: { sim: 'up' } });

    const [, pid] = await gw.waitFor(/\[adapter:sim\] started pid (\d+)/);
    process.kill(Number(pid), 'SIGKILL');
    await gw.waitFor(/\[adapter:sim\] exited/);
    r = await get('/healthz');
    assert.equal(r.status, 503);
    assert.deepEqual(await r.json(), { status: 'degraded', adapters: { sim: 'down' } });
    assert.equal(valueOf(await scrape(), 'onvif_adapter_up{adapter="sim"}'), 0);

    await gw.waitFor(/\[adapter:sim\] ready/, { nth: 2 });
    r = await get('/healthz');
    assert.equal(r.status, 200);
    const text = await scrape();
    assert.equal(valueOf(text, 'onvif_adapter_restarts_total{adapter="sim"}'), 1);
    assert.equal(valueOf(text, 'onvif_adapter_up{adapter="sim"}'), 1);
  });

  test('only GET on its two paths', async () => {
    assert.equal((await get('/')).status, 404);
    assert.equal((await get('/onvif/device_service')).status, 404);
    assert.equal((await get('/metrics', { method: 'POST', body: 'x' })).status, 405);
  });
});
