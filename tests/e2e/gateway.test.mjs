// End to end: the real gateway with two virtual devices backed by a spawned
// simulated adapter, driven by the npm `onvif` client (as VMS integrations use
// it), by raw SOAP, and by WS-Discovery; then crash recovery.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import onvif from 'onvif';
import {
  ADMIN, Gateway, checkSoap, freeTcpPort, haveCheckSoap, httpGet, httpPost, parseMultipart, probe, soap, soapMtom,
  tempDir, writeConfig,
} from './lib/harness.mjs';

const OPERATIONS = [
  '<tds:GetSystemDateAndTime/>',
  '<tds:GetDeviceInformation/>',
  '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>',
  '<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>',
  '<tds:GetServiceCapabilities/>',
  '<tds:GetScopes/>',
  '<tds:GetHostname/>',
  '<tds:GetNetworkInterfaces/>',
  '<tds:GetEndpointReference/>',
  '<tds:GetWsdlUrl/>',
  '<tds:SystemReboot/>',
  '<tds:GetUsers/>',
  '<tds:GetUserRoles/>',
  '<tds:GetDPAddresses/>', // remote discovery was removed from Core: ActionNotSupported
];

function connectCam(port) {
  const cam = new onvif.Cam({
    hostname: '127.0.0.1', port, autoconnect: false, timeout: 5000, ...ADMIN,
  });
  for (const m of ['connect', 'getDeviceInformation', 'getSystemDateAndTime', 'getCapabilities',
    'getServices', 'getScopes']) {
    cam[m + 'Async'] = promisify(cam[m].bind(cam));
  }
  return cam;
}

/** The reply's text to a SOAP call that must succeed with a schema-valid response. */
async function soapOk(port, body, opts) {
  const r = await soap(port, body, opts);
  assert.equal(r.status, 200, `${body}: ${r.text}`);
  if (haveCheckSoap) assert.equal(checkSoap(r.text), '', r.text);
  return r.text;
}

function identityOf(port) {
  return Promise.all([
    soap(port, '<tds:GetEndpointReference/>'),
    soap(port, '<tds:GetDeviceInformation/>'),
    soap(port, '<tds:GetNetworkInterfaces/>'),
  ]).then(([epr, info, nic]) => ({
    uuid: epr.text.match(/<tds:GUID>([^<]+)</)[1],
    serial: info.text.match(/<tds:SerialNumber>([^<]+)</)[1],
    mac: nic.text.match(/<tt:HwAddress>([^<]+)</)[1],
  }));
}

describe('gateway with two simulated cameras', () => {
  let dir;
  let cfg;
  let gw;

  before(async () => {
    dir = tempDir();
    cfg = await writeConfig(dir, { devices: 2 });
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    if (gw) await gw.stop();
  });

  test('the onvif client connects to both devices and reads them', async () => {
    const serials = new Set();
    for (const [i, port] of cfg.ports.entries()) {
      const cam = connectCam(port);
      await cam.connectAsync();
      const info = await cam.getDeviceInformationAsync();
      assert.equal(info.manufacturer, 'Simulated Optics');
      assert.equal(info.model, `SIM-${i + 1}000`);
      assert.match(info.serialNumber, /^GW[0-9A-F]{10}$/);
      serials.add(info.serialNumber);

      const date = await cam.getSystemDateAndTimeAsync();
      assert.ok(Math.abs(date.getTime() - Date.now()) < 5000, `device clock ${date.toISOString()}`);

      const caps = await cam.getCapabilitiesAsync();
      assert.equal(caps.device.XAddr, `http://127.0.0.1:${port}/onvif/device_service`);

      const services = await cam.getServicesAsync(true);
      assert.ok(Array.isArray(services) && services.length >= 1);
      assert.equal(services[0].namespace, 'http://www.onvif.org/ver10/device/wsdl');
      assert.equal(services[0].XAddr, `http://127.0.0.1:${port}/onvif/device_service`);

      const scopes = await cam.getScopesAsync();
      const items = scopes.map((s) => s.scopeItem);
      assert.ok(items.includes(`onvif://www.onvif.org/name/E2E%20camera%20${i + 1}`), items.join(' '));
      assert.ok(items.includes('onvif://www.onvif.org/Profile/Streaming'));
      assert.ok(items.includes(`onvif://www.onvif.org/hardware/SIM-${i + 1}000`));
    }
    assert.equal(serials.size, 2, 'each device has its own serial');
  });

  test('every response validates against the official schemas', { skip: !haveCheckSoap && '../shared/onvif is absent' }, async () => {
    for (const port of cfg.ports) {
      for (const body of OPERATIONS) {
        const r = await soap(port, body);
        assert.equal(checkSoap(r.text), '', `${body} on ${port}:\n${r.text}`);
        if (body === '<tds:GetDPAddresses/>') {
          assert.equal(r.status, 500);
          assert.match(r.text, /ter:ActionNotSupported/);
        } else {
          assert.equal(r.status, 200, `${body}: ${r.text}`);
        }
      }
    }
  });

  test('a unicast WS-Discovery Probe finds both devices', async () => {
    for (const types of ['', 'dn:NetworkVideoTransmitter', 'tds:Device']) {
      const typesXml = types.startsWith('tds:')
        ? '<d:Types xmlns:tds="http://www.onvif.org/ver10/device/wsdl">tds:Device</d:Types>' : types;
      const { replies, eprs, messageId } = await probe({
        host: '127.0.0.1', port: cfg.discoveryPort, want: 2,
        types: typesXml.startsWith('<') ? '' : typesXml,
      });
      assert.equal(eprs.size, 2, `types '${types}': ${replies.length} replies`);
      for (const r of replies) {
        assert.match(r, new RegExp(`RelatesTo>${messageId}<`));
        if (haveCheckSoap) assert.equal(checkSoap(r), '', r);
      }
      const xaddrs = replies.map((r) => r.match(/XAddrs>([^<]+)</)[1]).sort();
      assert.deepEqual(xaddrs, cfg.ports.map((p) => `http://127.0.0.1:${p}/onvif/device_service`).sort());
    }
  });

  test('scopes set over SOAP are matched by Probe at once; a NonDiscoverable device answers none', async () => {
    const west = 'onvif://www.onvif.org/location/e2e-west';
    const [first, second] = cfg.ports;
    const ok = soapOk;
    await ok(first, `<tds:AddScopes><tds:ScopeItem>${west}</tds:ScopeItem></tds:AddScopes>`);
    assert.match(await ok(first, '<tds:GetScopes/>'),
      new RegExp(`<tt:ScopeDef>Configurable</tt:ScopeDef><tt:ScopeItem>${west}<`));
    let found = await probe({ host: '127.0.0.1', port: cfg.discoveryPort, want: 2, scopes: west, timeoutMs: 1500 });
    assert.equal(found.eprs.size, 1, found.replies.join('\n'));
    assert.match(found.replies[0], new RegExp(`XAddrs>http://127.0.0.1:${first}/`));
    assert.match(found.replies[0], /MetadataVersion>[2-9]/);

    await ok(first, '<tds:SetDiscoveryMode><tds:DiscoveryMode>NonDiscoverable</tds:DiscoveryMode></tds:SetDiscoveryMode>');
    assert.match(await ok(first, '<tds:GetDiscoveryMode/>'), />NonDiscoverable</);
    found = await probe({ host: '127.0.0.1', port: cfg.discoveryPort, want: 2, timeoutMs: 1500 });
    assert.equal(found.eprs.size, 1, found.replies.join('\n'));
    assert.match(found.replies[0], new RegExp(`XAddrs>http://127.0.0.1:${second}/`));

    // Back as it was: both answer again, without the scope.
    await ok(first, '<tds:SetDiscoveryMode><tds:DiscoveryMode>Discoverable</tds:DiscoveryMode></tds:SetDiscoveryMode>');
    await ok(first, `<tds:RemoveScopes><tds:ScopeItem>${west}</tds:ScopeItem></tds:RemoveScopes>`);
    found = await probe({ host: '127.0.0.1', port: cfg.discoveryPort, want: 2 });
    assert.equal(found.eprs.size, 2);
    found = await probe({ host: '127.0.0.1', port: cfg.discoveryPort, want: 1, scopes: west, timeoutMs: 1500 });
    assert.equal(found.eprs.size, 0);
  });

  test('system and access logs and support information: inline and from the GetSystemUris downloads', async () => {
    const [first, second] = cfg.ports;
    const ok = (body, opts) => soapOk(first, body, opts);
    const hostname = (await ok('<tds:GetHostname/>')).match(/<tt:Name>([^<]+)</)[1];
    await ok('<tds:SetHostname><tds:Name>logged-change</tds:Name></tds:SetHostname>');
    const denied = await soap(first, '<tds:GetUsers/>', { auth: { ...ADMIN, password: 'wrong-Passw0rd' } });
    assert.notEqual(denied.status, 200);

    const access = await ok('<tds:GetSystemLog><tds:LogType>Access</tds:LogType></tds:GetSystemLog>');
    assert.match(access, /'admin' from 127\.0\.0\.1: SetHostname done/);
    assert.match(access, /authentication failed for &apos;admin&apos;|authentication failed for 'admin'/);
    const system = await ok('<tds:GetSystemLog><tds:LogType>System</tds:LogType></tds:GetSystemLog>');
    assert.match(system, /created 2 default media profiles|serving http/);
    assert.doesNotMatch(system, /SetHostname done/);
    // Each device's log is its own.
    const other = await soap(second, '<tds:GetSystemLog><tds:LogType>Access</tds:LogType></tds:GetSystemLog>');
    assert.doesNotMatch(other.text, /SetHostname done/);
    const support = await ok('<tds:GetSystemSupportInformation/>');
    assert.match(support, /endpoint reference: urn:uuid:/);
    assert.doesNotMatch(support, new RegExp(ADMIN.password));

    const uris = await ok('<tds:GetSystemUris/>');
    const logUri = uris.match(/<tt:Type>Access<\/tt:Type><tt:Uri>([^<]+)</)[1];
    const supportUri = uris.match(/<tds:SupportInfoUri>([^<]+)</)[1];
    const bare = await httpGet(logUri);
    assert.equal(bare.status, 401);
    const got = await httpGet(logUri, { auth: ADMIN });
    assert.equal(got.status, 200);
    assert.match(got.headers['content-type'], /^text\/plain/);
    assert.match(got.body.toString(), /SetHostname done/);
    const info = await httpGet(supportUri, { auth: ADMIN, algorithm: 'SHA-256' });
    assert.equal(info.status, 200);
    assert.match(info.body.toString(), /^ONVIF gateway support information/);
    await ok(`<tds:SetHostname><tds:Name>${hostname}</tds:Name></tds:SetHostname>`);
  });

  test('StartFirmwareUpgrade: the image goes to the camera, which refuses a foreign one (415) and reboots into a good one', async () => {
    const [first] = cfg.ports;
    // The simulated camera's image format (adapters/simulated/README.md).
    const image = (model, version, payload = 'payload') => {
      const body = Buffer.from(`ONVIFGW-SIMULATED-FIRMWARE\nmodel: ${model}\nversion: ${version}\n\n${payload}`);
      return Buffer.concat([body, crypto.createHash('sha256').update(body).digest()]);
    };
    const start = async () => {
      const r = await soapOk(first, '<tds:StartFirmwareUpgrade/>');
      assert.match(r, /<tds:UploadDelay>PT0S<\/tds:UploadDelay><tds:ExpectedDownTime>PT120S</);
      return r.match(/<tds:UploadUri>([^<]+)</)[1];
    };
    assert.match(await soapOk(first, '<tds:GetServiceCapabilities/>'), /HttpFirmwareUpgrade="true"/);
    const firmwareOf = async () =>
      (await soapOk(first, '<tds:GetDeviceInformation/>')).match(/<tds:FirmwareVersion>([^<]+)</)[1];
    const before = await firmwareOf();

    let uri = await start();
    assert.match(uri, new RegExp(`^http://127.0.0.1:${first}/onvif/system/firmware/[0-9A-F]{32}$`));
    assert.equal((await httpPost(uri, image('SIM-1000', '9.9'))).status, 401);
    const wrongType = await httpPost(uri, image('SIM-1000', '9.9'), { auth: ADMIN, contentType: 'text/plain' });
    assert.equal(wrongType.status, 415);
    const garbage = await httpPost(uri, Buffer.from('not firmware'), { auth: ADMIN, contentType: 'application/octet-stream' });
    assert.equal(garbage.status, 415, String(garbage.body));
    assert.match(String(garbage.body), /not a firmware image/);
    // One upload per URI.
    assert.equal((await httpPost(uri, image('SIM-1000', '9.9'), { auth: ADMIN })).status, 404);
    uri = await start();
    const foreign = await httpPost(uri, image('OTHER-200', '9.9'), { auth: ADMIN });
    assert.equal(foreign.status, 415);
    assert.match(String(foreign.body), /model/);
    uri = await start();
    const damaged = image('SIM-1000', '9.9');
    damaged[damaged.length - 40] ^= 1;
    assert.equal((await httpPost(uri, damaged, { auth: ADMIN })).status, 415);
    assert.equal(await firmwareOf(), before);

    const refreshed = gw.lines.filter((l) => /facts changed, cache refreshed/.test(l)).length;
    uri = await start();
    const good = await httpPost(uri, image('SIM-1000', '2.0.0-e2e', 'x'.repeat(300 * 1024)), { auth: ADMIN, timeoutMs: 20000 });
    assert.equal(good.status, 200, String(good.body));
    assert.match(String(good.body), /Firmware 2\.0\.0-e2e installed/);
    // Back from its reboot, the camera says its facts changed; the gateway re-reads them.
    await gw.waitFor(/facts changed, cache refreshed/, { nth: refreshed + 1, timeoutMs: 15000 });
    assert.equal(await firmwareOf(), '2.0.0-e2e');
    const log = await soapOk(first, '<tds:GetSystemLog><tds:LogType>System</tds:LogType></tds:GetSystemLog>');
    assert.match(log, /--- the log of camera /);
    assert.match(log, /firmware refused: the image is for model/);
    assert.match(log, /firmware 2\.0\.0-e2e installed/);
    assert.match(await soapOk(first, '<tds:GetSystemLog><tds:LogType>Access</tds:LogType></tds:GetSystemLog>'),
      /firmware 2\.0\.0-e2e installed; the camera restarts/);
  });

  test('MTOM: GetSystemBackup hands out the backup as an attachment, RestoreSystem takes it back, UpgradeSystemFirmware installs an attached image', async () => {
    const [first] = cfg.ports;
    const ok = soapOk;
    const caps = await ok(first, '<tds:GetServiceCapabilities/>');
    assert.match(caps, / SystemBackup="true"/);
    const hostname = async () => (await ok(first, '<tds:GetHostname/>')).match(/<tt:Name>([^<]+)</)[1];
    const before = await hostname();
    await ok(first, '<tds:SetHostname><tds:Name>mtom-backed-up</tds:Name></tds:SetHostname>');

    // A plain request; the reply is an MTOM package, the envelope first.
    const got = await soapMtom(first, '<tds:GetSystemBackup/>');
    assert.equal(got.status, 200, got.body.toString());
    assert.match(got.contentType, /^multipart\/related;.*type="application\/xop\+xml"/);
    const [root, ...attachments] = parseMultipart(got.contentType, got.body);
    assert.match(root.headers['content-type'], /^application\/xop\+xml;.*type="application\/soap\+xml"/);
    const xml = root.data.toString();
    if (haveCheckSoap) assert.equal(checkSoap(xml), '', xml);
    const href = xml.match(/<tt:Name>[^<]+\.onvifgw-backup<\/tt:Name><tt:Data xmime:contentType="application\/octet-stream"><xop:Include href="cid:([^"]+)"/);
    assert.ok(href, xml);
    const file = attachments.find((p) => p.id === decodeURIComponent(href[1]));
    assert.ok(file, `no part ${href[1]}`);
    await ok(first, '<tds:SetHostname><tds:Name>mtom-changed</tds:Name></tds:SetHostname>');

    const restore = (data) => soapMtom(first,
      '<tds:RestoreSystem><tds:BackupFiles><tt:Name>front.onvifgw-backup</tt:Name><tt:Data>' +
      '<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:backup%40e2e"/>' +
      '</tt:Data></tds:BackupFiles></tds:RestoreSystem>', { parts: [{ id: 'backup@e2e', data }] });
    const modified = Buffer.from(file.data);
    modified[modified.length - 3] ^= 1;
    const refused = await restore(modified);
    assert.equal(refused.status, 400);
    assert.match(refused.body.toString(), /ter:InvalidBackupFile/);
    assert.equal(await hostname(), 'mtom-changed');
    const restored = await restore(file.data);
    assert.equal(restored.status, 200, restored.body.toString());
    if (haveCheckSoap) assert.equal(checkSoap(restored.body.toString()), '');
    assert.equal(await hostname(), 'mtom-backed-up');
    await ok(first, `<tds:SetHostname><tds:Name>${before}</tds:Name></tds:SetHostname>`);

    // A firmware image larger than any other SOAP request may be (http.max_body_bytes).
    const body = Buffer.from('ONVIFGW-SIMULATED-FIRMWARE\nmodel: SIM-1000\nversion: 3.0.0-mtom\n\n' + 'y'.repeat(400 * 1024));
    const image = Buffer.concat([body, crypto.createHash('sha256').update(body).digest()]);
    const refreshed = gw.lines.filter((l) => /facts changed, cache refreshed/.test(l)).length;
    const upgrade = await soapMtom(first,
      '<tds:UpgradeSystemFirmware><tds:Firmware xmlns:xmime="http://www.w3.org/2005/05/xmlmime" ' +
      'xmime:contentType="application/octet-stream"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" ' +
      'href="cid:fw"/></tds:Firmware></tds:UpgradeSystemFirmware>', { parts: [{ id: 'fw', data: image }] });
    assert.equal(upgrade.status, 200, upgrade.body.toString());
    if (haveCheckSoap) assert.equal(checkSoap(upgrade.body.toString()), '');
    assert.match(upgrade.body.toString(), /<tds:Message>Firmware 3\.0\.0-mtom installed; the camera restarts/);
    await gw.waitFor(/facts changed, cache refreshed/, { nth: refreshed + 1, timeoutMs: 15000 });
    assert.match(await ok(first, '<tds:GetDeviceInformation/>'), /<tds:FirmwareVersion>3\.0\.0-mtom</);
  });

  test('backup from SystemBackupUri, restore through StartSystemRestore; anything else is a 415 and changes nothing', async () => {
    const [first, second] = cfg.ports;
    const ok = soapOk;
    const hostname = async (port) => (await ok(port, '<tds:GetHostname/>')).match(/<tt:Name>([^<]+)</)[1];
    const before = await hostname(first);
    await ok(first, '<tds:SetHostname><tds:Name>backed-up</tds:Name></tds:SetHostname>');
    const backupUri = (await ok(first, '<tds:GetSystemUris/>')).match(/<tds:SystemBackupUri>([^<]+)</)[1];
    assert.equal((await httpGet(backupUri)).status, 401);
    const backup = await httpGet(backupUri, { auth: ADMIN });
    assert.equal(backup.status, 200);
    assert.equal(backup.headers['content-type'], 'application/octet-stream');
    await ok(first, '<tds:SetHostname><tds:Name>changed-since</tds:Name></tds:SetHostname>');

    const upload = async (port) => (await ok(port, '<tds:StartSystemRestore/>')).match(/<tds:UploadUri>([^<]+)</)[1];
    // The other device's backup, a modified one, the wrong content type: refused.
    const otherUri = await upload(second);
    const wrongDevice = await httpPost(otherUri, backup.body, { auth: ADMIN });
    assert.equal(wrongDevice.status, 415);
    assert.notEqual(await hostname(second), 'backed-up');
    const modified = Buffer.from(backup.body);
    modified[modified.length - 5] ^= 1;
    assert.equal((await httpPost(await upload(first), modified, { auth: ADMIN })).status, 415);
    assert.equal((await httpPost(await upload(first), backup.body, { auth: ADMIN, contentType: 'text/plain' })).status, 415);
    assert.equal(await hostname(first), 'changed-since');

    const uri = await upload(first);
    assert.equal((await httpPost(uri, backup.body)).status, 401);
    const restored = await httpPost(uri, backup.body, { auth: ADMIN });
    assert.equal(restored.status, 200, restored.body.toString());
    assert.equal(await hostname(first), 'backed-up');
    // One upload per URI.
    assert.equal((await httpPost(uri, backup.body, { auth: ADMIN })).status, 404);
    await ok(first, `<tds:SetHostname><tds:Name>${before}</tds:Name></tds:SetHostname>`);
  });

  test('the onvif client receives motion events through a pull point', async () => {
    const cam = connectCam(cfg.ports[0]);
    await cam.connectAsync();
    const errors = [];
    cam.on('eventsError', (e) => errors.push(String(e)));
    // Items come as one object, or an array when there are several.
    const items = (group) => [].concat(group?.simpleItem ?? []).map((i) => i.$);
    // The first message is the current state ("Initialized"), then a change,
    // on both motion topics.
    const seen = await new Promise((resolve, reject) => {
      const got = [];
      const timer = setTimeout(() => reject(new Error(`no motion change; errors: ${errors.slice(0, 3)}`)), 10000);
      cam.on('event', (message) => {
        const m = message.message.message;
        got.push({
          topic: message.topic._,
          op: m.$.PropertyOperation,
          data: items(m.data),
          source: items(m.source),
        });
        const changed = (t) => got.some((g) => g.op === 'Changed' && g.topic === t);
        if (changed('tns1:VideoSource/MotionAlarm') && changed('tns1:RuleEngine/CellMotionDetector/Motion')) {
          clearTimeout(timer);
          cam.removeAllListeners('event');
          resolve(got);
        }
      });
    });
    const alarms = seen.filter((e) => e.topic === 'tns1:VideoSource/MotionAlarm');
    assert.equal(alarms[0].op, 'Initialized');
    for (const e of alarms) {
      assert.deepEqual(e.source, [{ Name: 'Source', Value: 'VideoSource_0' }]);
      assert.equal(e.data[0].Name, 'State');
      assert.ok([true, false, 'true', 'false'].includes(e.data[0].Value));
    }
    const cells = seen.filter((e) => e.topic === 'tns1:RuleEngine/CellMotionDetector/Motion');
    assert.deepEqual(cells[0].source.map((i) => i.Name),
      ['VideoSourceConfigurationToken', 'VideoAnalyticsConfigurationToken', 'Rule']);
    assert.equal(cells[0].data[0].Name, 'IsMotion');
    assert.deepEqual(errors, []);
  });

  test('kill -9 of the adapter: cache keeps serving, reboot faults in time, then recovers', async () => {
    const port = cfg.ports[0];
    const started = await gw.waitFor(/\[adapter:sim\] started pid (\d+)/);
    const readyBefore = gw.lines.filter((l) => /\[adapter:sim\] ready/.test(l)).length;
    process.kill(Number(started[1]), 'SIGKILL');
    await gw.waitFor(/\[adapter:sim\] exited/);

    const date = await soap(port, '<tds:GetSystemDateAndTime/>');
    assert.equal(date.status, 200);
    const info = await soap(port, '<tds:GetDeviceInformation/>');
    assert.equal(info.status, 200, info.text);
    assert.match(info.text, /<tds:Manufacturer>Simulated Optics</);

    const reboot = await soap(port, '<tds:SystemReboot/>');
    assert.equal(reboot.status, 500, reboot.text);
    assert.match(reboot.text, /env:Receiver/);
    assert.ok(reboot.ms < 1500 + 1000, `fault after ${reboot.ms} ms (deadline 1500 ms)`);
    if (haveCheckSoap) assert.equal(checkSoap(reboot.text), '');

    await gw.waitFor(/\[adapter:sim\] ready/, { nth: readyBefore + 1 });
    // The virtual device restarts with the camera: its pull points end.
    const created = await soap(port, '<tev:CreatePullPointSubscription xmlns:tev="http://www.onvif.org/ver10/events/wsdl"/>',
      { path: '/onvif/events_service' });
    assert.equal(created.status, 200, created.text);
    const subscription = new URL(created.text.match(/<wsa:Address>([^<]+)</)[1]).pathname;
    const again = await soap(port, '<tds:SystemReboot/>');
    assert.equal(again.status, 200, again.text);
    assert.match(again.text, /Rebooting in \d+ seconds/);
    await gw.waitFor(/restarting \(SystemReboot\): 1 event subscription\(s\) ended/);
    const pull = await soap(port, '<tev:PullMessages xmlns:tev="http://www.onvif.org/ver10/events/wsdl">' +
      '<tev:Timeout>PT1S</tev:Timeout><tev:MessageLimit>1</tev:MessageLimit></tev:PullMessages>', { path: subscription });
    assert.equal(pull.status, 400, pull.text);
    assert.match(pull.text, /ResourceUnknown/);
    assert.match((await soap(port, '<tds:GetHostname/>')).text, /<tt:Name>/);  // serving again
  });

  test('kill -9 of the gateway: identities survive the restart', async () => {
    const before = await Promise.all(cfg.ports.map(identityOf));
    assert.notEqual(before[0].uuid, before[1].uuid);
    assert.notEqual(before[0].mac, before[1].mac);
    await gw.stop('SIGKILL');
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
    const afterRestart = await Promise.all(cfg.ports.map(identityOf));
    assert.deepEqual(afterRestart, before);
  });

  test('host name from DHCP, dynamic DNS, zero configuration and storage configurations are kept across kill -9', async () => {
    const [first] = cfg.ports;
    const ok = (body) => soapOk(first, body);
    await ok('<tds:SetHostnameFromDHCP><tds:FromDHCP>true</tds:FromDHCP></tds:SetHostnameFromDHCP>');
    await ok('<tds:SetDynamicDNS><tds:Type>ClientUpdates</tds:Type><tds:Name>cam-e2e.example.org</tds:Name>' +
      '<tds:TTL>PT5M</tds:TTL></tds:SetDynamicDNS>');
    await ok('<tds:SetZeroConfiguration><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:Enabled>true</tds:Enabled>' +
      '</tds:SetZeroConfiguration>');
    const created = await ok('<tds:CreateStorageConfiguration><tds:StorageConfiguration type="FTP">' +
      '<tds:StorageUri>ftp://nas.example.org/cams</tds:StorageUri><tds:User><tds:UserName>rec</tds:UserName>' +
      '<tds:Password>e2e-Storage-Secret</tds:Password></tds:User></tds:StorageConfiguration></tds:CreateStorageConfiguration>');
    const token = created.match(/<tds:Token>([^<]+)</)[1];
    const caps = await ok('<tds:GetServiceCapabilities/>');
    for (const cap of ['ZeroConfiguration="true"', 'DynDNS="true"', 'HostnameFromDHCP="true"', 'StorageConfiguration="true"']) {
      assert.ok(caps.includes(cap), cap);
    }

    await gw.stop('SIGKILL');
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
    assert.match(await ok('<tds:GetHostname/>'), /<tt:FromDHCP>true<\/tt:FromDHCP>/);
    assert.match(await ok('<tds:GetDynamicDNS/>'),
      /<tt:Type>ClientUpdates<\/tt:Type><tt:Name>cam-e2e.example.org<\/tt:Name><tt:TTL>PT300S<\/tt:TTL>/);
    assert.match(await ok('<tds:GetZeroConfiguration/>'), /<tt:Enabled>true<\/tt:Enabled>/);
    const stored = await ok(`<tds:GetStorageConfiguration><tds:Token>${token}</tds:Token></tds:GetStorageConfiguration>`);
    assert.match(stored, /<tds:StorageUri>ftp:\/\/nas.example.org\/cams<\/tds:StorageUri>/);
    assert.doesNotMatch(stored, /e2e-Storage-Secret|Password/);
    // Neither the database nor its journal holds the password in clear.
    const stateDir = path.join(dir, 'state');
    for (const f of fs.readdirSync(stateDir)) {
      const file = path.join(stateDir, f);
      if (fs.statSync(file).isFile()) assert.ok(!fs.readFileSync(file).includes('e2e-Storage-Secret'), f);
    }
    await ok(`<tds:DeleteStorageConfiguration><tds:Token>${token}</tds:Token></tds:DeleteStorageConfiguration>`);
    const gone = await soap(first, `<tds:GetStorageConfiguration><tds:Token>${token}</tds:Token></tds:GetStorageConfiguration>`);
    assert.equal(gone.status, 400, gone.text);
    assert.match(gone.text, /ter:NoConfig/);
  });

  test('SetNetworkProtocols moves a device to another port, announced to Probe, kept across kill -9', async () => {
    const [first, second] = cfg.ports;
    const moved = await freeTcpPort();
    const protocols = (port) => '<tds:SetNetworkProtocols><tds:NetworkProtocols><tt:Name>HTTP</tt:Name>' +
      `<tt:Enabled>true</tt:Enabled><tt:Port>${port}</tt:Port></tds:NetworkProtocols></tds:SetNetworkProtocols>`;
    const r = await soap(second, protocols(moved));
    assert.equal(r.status, 200, r.text);
    assert.equal(checkSoap(r.text), '', r.text);
    assert.match((await soap(moved, '<tds:GetNetworkProtocols/>')).text, new RegExp(`<tt:Port>${moved}</tt:Port>`));
    // No new connection is accepted there any more (open ones finish their requests).
    await assert.rejects(new Promise((resolve, reject) => {
      const sock = net.connect(second, '127.0.0.1', () => { sock.destroy(); resolve(); });
      sock.on('error', reject);
    }), /ECONNREFUSED/);
    const found = await probe({ host: '127.0.0.1', port: cfg.discoveryPort, want: 2 });
    const xaddrs = found.replies.map((x) => x.match(/XAddrs>([^<]+)</)[1]).sort();
    assert.deepEqual(xaddrs, [first, moved].map((p) => `http://127.0.0.1:${p}/onvif/device_service`).sort());
    // A port another device holds is refused.
    const busy = await soap(moved, protocols(first));
    assert.equal(busy.status, 400);
    assert.match(busy.text, /ter:PortAlreadyInUse/);

    await gw.stop('SIGKILL');
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
    assert.equal((await soap(moved, '<tds:GetHostname/>')).status, 200);
    assert.equal((await soap(moved, protocols(second))).status, 200);  // back where the config says
    assert.equal((await soap(second, '<tds:GetHostname/>')).status, 200);
  });

  test('SetSystemFactoryDefault: Soft keeps the port and the users, Hard puts the device back where its config says', async () => {
    const [, second] = cfg.ports;
    const moved = await freeTcpPort();
    const scope = 'onvif://www.onvif.org/location/e2e-reset';
    const OPERATOR = { username: 'reset-op', password: 'Reset-Op-Passw0rd' };
    const ok = soapOk;
    const reset = (kind) => `<tds:SetSystemFactoryDefault><tds:FactoryDefault>${kind}</tds:FactoryDefault></tds:SetSystemFactoryDefault>`;
    await ok(second, '<tds:CreateUsers><tds:User><tt:Username>reset-op</tt:Username><tt:Password>' +
      'Reset-Op-Passw0rd</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>');
    await ok(second, '<tds:SetHostname><tds:Name>reset-me</tds:Name></tds:SetHostname>');
    await ok(second, `<tds:AddScopes><tds:ScopeItem>${scope}</tds:ScopeItem></tds:AddScopes>`);
    await ok(second, '<tds:SetNetworkProtocols><tds:NetworkProtocols><tt:Name>HTTP</tt:Name>' +
      `<tt:Enabled>true</tt:Enabled><tt:Port>${moved}</tt:Port></tds:NetworkProtocols></tds:SetNetworkProtocols>`);

    // UNRECOVERABLE: an operator may not.
    const refused = await soap(moved, reset('Hard'), { auth: OPERATOR });
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /ter:NotAuthorized/);

    await ok(moved, reset('Soft'));
    assert.match(await ok(moved, '<tds:GetHostname/>', { auth: OPERATOR }), /<tt:Name>reset-me</);
    assert.doesNotMatch(await ok(moved, '<tds:GetScopes/>'), new RegExp(scope));

    // Hard: answered where the device was, then it is back on its configured port.
    await ok(moved, reset('Hard'));
    assert.doesNotMatch(await ok(second, '<tds:GetUsers/>'), /reset-op/);
    assert.doesNotMatch(await ok(second, '<tds:GetHostname/>'), /reset-me/);
    assert.match(await ok(second, '<tds:GetNetworkProtocols/>'), new RegExp(`<tt:Port>${second}</tt:Port>`));
    const found = await probe({ host: '127.0.0.1', port: cfg.discoveryPort, want: 2 });
    assert.ok(found.replies.some((x) => x.includes(`XAddrs>http://127.0.0.1:${second}/`)), found.replies.join('\n'));
  });
});
