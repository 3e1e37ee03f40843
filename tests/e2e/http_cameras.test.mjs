// The HTTP camera adapters end to end: the real gateway, the VAPIX and Foscam
// adapters, and the camera fakes (tests/fakes/axis_camera.py,
// tests/fakes/foscam_camera.py) on loopback, driven through the npm `onvif`
// client the way a VMS drives a camera: device information, profiles, a
// snapshot, PTZ with presets, imaging set/get, a relay switched, an input
// raising an event; then a camera that stops answering (a fault within the
// deadline) and one that refuses the adapter's credentials (a fault, a clear
// line in the log, nothing crashed). Every SOAP response is validated with
// check-soap at the end.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import onvif from 'onvif';
import { AxisCamera } from './lib/axis_camera.mjs';
import { FoscamCamera } from './lib/foscam_camera.mjs';
import {
  ADMIN, Gateway, binDir, checkSoapAll, freeTcpPort, haveCheckSoap, httpGet, soap, tempDir,
} from './lib/harness.mjs';

// What one camera request may take in the adapter, and what the gateway
// gives one adapter call: a silent camera must cost no more than these.
const REQUEST_TIMEOUT_MS = 1000;
const CALL_DEADLINE_MS = 2500;

const TDS = 'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"';
const TPTZ = 'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"';
const EVENTS = { path: '/onvif/events_service' };
const PTZ = { path: '/onvif/ptz_service' };

const CLIENT_METHODS = ['connect', 'getDeviceInformation', 'getProfiles', 'getVideoSources',
  'getSnapshotUri', 'continuousMove', 'stop', 'setPreset', 'gotoPreset', 'getPresets',
  'getImagingSettings', 'setImagingSettings', 'createPullPointSubscription', 'pullMessages',
  'getStatus'];

/** The onvif client with *Async twins, recording every response in `responses`. */
function client(port, responses) {
  const cam = new onvif.Cam({ hostname: '127.0.0.1', port, autoconnect: false, timeout: 8000, ...ADMIN });
  cam.on('rawResponse', (xml) => responses.push({ name: `client:${port}`, xml }));
  for (const m of CLIENT_METHODS) cam[m + 'Async'] = promisify(cam[m].bind(cam));
  return cam;
}

/**
 * A gateway config with one adapter (`exec`) whose cameras are `cameras`
 * (YAML lines under `cameras:`), and one device per entry of `devices`
 * (camera ids). Resolves with { file, ports }.
 */
async function writeAdapterConfig(dir, { adapterId, exec, cameras, devices }) {
  const ports = [];
  while (ports.length < devices.length * 2) {
    const p = await freeTcpPort();
    if (!ports.includes(p)) ports.push(p);
  }
  const lines = [
    `state_dir: ${path.join(dir, 'state')}`,
    'log_level: info',
    'discovery:',
    '  enabled: false',
    'adapters:',
    `  - id: ${adapterId}`,
    `    exec: ${path.join(binDir, exec)}`,
    `    call_deadline_ms: ${CALL_DEADLINE_MS}`,
    '    config:',
    '      cameras:',
    ...cameras.map((line) => `        ${line}`),
    'devices:',
  ];
  devices.forEach((camera, i) => {
    lines.push(`  - id: dev-${camera}`, `    name: E2E ${camera}`, '    address: 127.0.0.1',
      `    port: ${ports[2 * i]}`, `    rtsp_port: ${ports[2 * i + 1]}`, `    adapter: ${adapterId}`,
      `    camera: ${camera}`, '    admin:', `      username: ${ADMIN.username}`,
      `      password: ${ADMIN.password}`);
  });
  const file = path.join(dir, 'gateway.yaml');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { file, ports: devices.map((_, i) => ports[2 * i]) };
}

/**
 * Seals `secret` with `onvif-gateway seal` for the config `file` (whose
 * state directory gets the key), and puts the sealed form in place of
 * `placeholder` in the file. Resolves with the sealed text.
 */
function sealInto(file, placeholder, secret) {
  const run = spawnSync(path.join(binDir, 'onvif-gateway'), ['seal', '--config', file],
    { input: secret + '\n', encoding: 'utf8', timeout: 10000 });
  assert.equal(run.status, 0, run.stderr);
  const sealed = run.stdout.trim();
  assert.match(sealed, /^sealed:[A-Za-z0-9+/=]+$/);
  assert.ok(!sealed.includes(secret));
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(placeholder, sealed));
  return sealed;
}

/** Every file under `dir` (recursively) whose bytes contain `needle`. */
function filesContaining(dir, needle) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesContaining(full, needle));
    else if (entry.isFile() && fs.readFileSync(full).includes(needle)) found.push(full);
  }
  return found;
}

/**
 * Starts the gateway on `file` and waits for adapter `adapterId`; resolves
 * with { gw, cam (a connected client of the device on `port`), profile and
 * source (the tokens of its first profile) }.
 */
async function startGateway(file, adapterId, port, responses) {
  const gw = new Gateway(file);
  try {
    await gw.waitFor(new RegExp(`\\[adapter:${adapterId}\\] ready`));
    const cam = client(port, responses);
    await cam.connectAsync();
    const [first] = await cam.getProfilesAsync();
    return { gw, cam, profile: first.$.token, source: first.videoSourceConfiguration.sourceToken };
  } catch (e) {
    await gw.stop();
    throw e;
  }
}

/** A SOAP call that must succeed; its response is recorded. */
async function ok(responses, port, body, at) {
  const r = await soap(port, body, at);
  responses.push({ name: body.match(/<(\w+:\w+)/)[1], xml: r.text });
  assert.equal(r.status, 200, `${body}\n${r.text}`);
  return r.text;
}

/** A SOAP call that must fail: resolves with { ms, text }. */
async function fails(responses, port, body, at) {
  const r = await soap(port, body, at);
  responses.push({ name: body.match(/<(\w+:\w+)/)[1], xml: r.text });
  assert.notEqual(r.status, 200, `${body}\n${r.text}`);
  assert.match(r.text, /<env:Fault>/);
  return r;
}

function assertJpeg(body, what) {
  assert.ok(body.length > 100, `${what}: ${body.length} bytes`);
  assert.deepEqual([...body.subarray(0, 2)], [0xff, 0xd8], `${what} starts with SOI`);
  assert.deepEqual([...body.subarray(-2)], [0xff, 0xd9], `${what} ends with EOI`);
}

/** Pulls until `want(messages)` is true (the client's pullMessages), or fails after `ms`. */
async function pullUntil(cam, want, ms = 8000) {
  const seen = [];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const pulled = await cam.pullMessagesAsync({ messageLimit: 20 });
    const messages = pulled?.notificationMessage;
    if (messages) seen.push(...(Array.isArray(messages) ? messages : [messages]));
    if (want(seen)) return seen;
  }
  assert.fail(`no such event in ${ms} ms; saw ${JSON.stringify(seen)}`);
}

/** The simple items of a notification message: { name: value }. */
function itemsOf(message) {
  const out = {};
  const data = message.message?.message;
  for (const part of [data?.source, data?.data]) {
    const items = part?.simpleItem;
    for (const item of (Array.isArray(items) ? items : items ? [items] : [])) {
      out[item.$.Name] = item.$.Value;
    }
  }
  return out;
}

const topicOf = (message) => String(message.topic?._ ?? message.topic ?? '');

/** The relay token of the device (its first relay output). */
async function firstRelay(responses, port) {
  const relays = await ok(responses, port, `<tds:GetRelayOutputs ${TDS}/>`);
  return relays.match(/<tds:RelayOutputs token="([^"]+)"/)[1];
}

function setRelay(responses, port, token, state) {
  return ok(responses, port, `<tds:SetRelayOutputState ${TDS}><tds:RelayOutputToken>${token}` +
    `</tds:RelayOutputToken><tds:LogicalState>${state}</tds:LogicalState></tds:SetRelayOutputState>`);
}

/** The snapshot of `profile` through the gateway's snapshot URI is a JPEG. */
async function assertSnapshot(cam, profile) {
  const { uri } = await cam.getSnapshotUriAsync({ profileToken: profile });
  const r = await httpGet(uri, { auth: ADMIN });
  assert.equal(r.status, 200);
  assertJpeg(r.body, 'snapshot');
}

/** Brightness set through the client lands in `cameraBrightness()` and reads back. */
async function assertBrightness(cam, source, value, cameraBrightness) {
  await cam.setImagingSettingsAsync({ token: source, brightness: value });
  assert.equal(await cameraBrightness(), value);
  const settings = await cam.getImagingSettingsAsync({ token: source });
  assert.equal(Number(settings.brightness), value);
}

/** `fake` in motion raises a MotionAlarm through the pull point. */
async function assertMotionEvent(cam, fake) {
  await fake.motion(true);
  await pullUntil(cam, (seen) => seen.some((m) => /MotionAlarm/.test(topicOf(m))
    && String(itemsOf(m).State) === 'true'));
  await fake.motion(false);
}

/** input-1 active raises a DigitalInput event (after `activate()`). */
async function assertInputEvent(cam, activate) {
  await activate();
  await pullUntil(cam, (seen) => seen.some((m) => /DigitalInput/.test(topicOf(m))
    && String(itemsOf(m).LogicalState) === 'true' && itemsOf(m).InputToken === 'input-1'));
}

/** PTZ GetStatus of the first profile, raw: it asks the camera every time. */
const ptzStatus = (profile) => `<tptz:GetStatus ${TPTZ}><tptz:ProfileToken>${profile}` +
  '</tptz:ProfileToken></tptz:GetStatus>';

/** A silent `fake` costs a fault within the call deadline; answering again, calls work. */
async function assertSilenceFaultsInTime(responses, port, profile, fake) {
  await fake.silent(true);
  try {
    const r = await fails(responses, port, ptzStatus(profile), PTZ);
    assert.ok(r.ms < CALL_DEADLINE_MS + 1000, `fault after ${r.ms} ms`);
  } finally {
    await fake.silent(false);
  }
  await ok(responses, port, ptzStatus(profile), PTZ);
}

// ---------------------------------------------------------------------- VAPIX

describe('an Axis camera behind the VAPIX adapter', () => {
  let axis;
  let gw;
  let port;
  let cam;
  let profile;
  let source;
  let stateDir;
  const responses = [];

  before(async () => {
    axis = await AxisCamera.start({ auth: 'digest', user: 'onvif', password: 'cam-Passw0rd', inputs: 2, outputs: 1 });
    const dir = tempDir();
    stateDir = path.join(dir, 'state');
    const cfg = await writeAdapterConfig(dir, {
      adapterId: 'axis',
      exec: 'onvif-adapter-vapix',
      cameras: ['- id: entrance', '  host: 127.0.0.1', `  port: ${axis.port}`, `  user: ${axis.user}`,
        '  password: SEALED-PASSWORD', '  basic_auth: false', `  request_timeout_ms: ${REQUEST_TIMEOUT_MS}`,
        '  rtsp: no', '  ptz: auto', '  presets: 8'],
      devices: ['entrance'],
    });
    [port] = cfg.ports;
    // The camera password is sealed in the config, as the user guide says to do.
    sealInto(cfg.file, 'SEALED-PASSWORD', axis.password);
    ({ gw, cam, profile, source } = await startGateway(cfg.file, 'axis', port, responses));
  });

  after(async () => {
    await gw?.stop();
    await axis?.stop();
    if (haveCheckSoap && responses.length) assert.equal(checkSoapAll(responses), '');
  });

  test('the sealed camera password reaches the adapter and no disk in clear', async () => {
    // The adapter logged in (ready, facts read), yet no file under the
    // state directory holds the password, and the log does not either.
    assert.deepEqual(filesContaining(stateDir, axis.password), []);
    assert.ok(!gw.lines.some((l) => l.includes(axis.password)));
    assert.ok(!gw.lines.some((l) => /is in clear text/.test(l)), 'no clear-text warning');
  });

  test('device information, profiles and a snapshot come from the camera', async () => {
    const info = await cam.getDeviceInformationAsync();
    const s = await axis.state();
    // The serial number is the virtual device's own (unique per device).
    assert.equal(info.manufacturer, 'AXIS');
    assert.equal(info.model, s.params['Brand.ProdNbr']);
    assert.equal(info.firmwareVersion, s.firmware);
    const profiles = await cam.getProfilesAsync();
    assert.ok(profiles.length >= 1);
    assert.ok(profiles[0].PTZConfiguration, 'the PTZ head is on the first profile');
    await assertSnapshot(cam, profile);
  });

  test('PTZ: a continuous move and a stop, a preset set and gone to', async () => {
    await cam.continuousMoveAsync({ profileToken: profile, x: 0.5, y: 0 });
    await axis.waitFor((s) => s.ptz.pan_moving);
    await cam.stopAsync({ profileToken: profile, panTilt: true, zoom: true });
    await axis.waitFor((s) => !s.ptz.moving);

    await axis.place({ pan: 40, tilt: -20 });
    const set = await cam.setPresetAsync({ profileToken: profile, presetName: 'door' });
    const token = set[0].setPresetResponse[0].presetToken[0];
    const presets = await cam.getPresetsAsync({ profileToken: profile });
    assert.equal(presets.door?.$.token, token, JSON.stringify(presets));
    await axis.place({ pan: -100, tilt: -60 });
    await cam.gotoPresetAsync({ profileToken: profile, preset: token });
    const s = await axis.waitFor((st) => !st.ptz.moving && Math.abs(st.ptz.pan - 40) < 0.5
      && Math.abs(st.ptz.tilt + 20) < 0.5, { timeoutMs: 5000 });
    assert.equal(s.ptz.target, null);
  });

  test('imaging settings are the camera\'s parameters', async () => {
    await assertBrightness(cam, source, 70, async () => (await axis.state()).image.brightness);
  });

  test('a relay switched, an input and motion raising events', async () => {
    const token = await firstRelay(responses, port);
    await setRelay(responses, port, token, 'active');
    let io = (await axis.state()).io.filter((p) => p.direction === 'output');
    assert.equal(io[0].active, true);
    await setRelay(responses, port, token, 'inactive');
    io = (await axis.state()).io.filter((p) => p.direction === 'output');
    assert.equal(io[0].active, false);

    await cam.createPullPointSubscriptionAsync();
    // The initial states first, then the change.
    await pullUntil(cam, (seen) => seen.some((m) => /DigitalInput/.test(topicOf(m))));
    await assertInputEvent(cam, () => axis.input(1, true));
    // Motion from the camera's motion data stream.
    await assertMotionEvent(cam, axis);
  });

  test('a camera that stops answering costs a fault within the deadline', async () => {
    await assertSilenceFaultsInTime(responses, port, profile, axis);
  });

  test('refused credentials: a fault, the reason in the log, nothing crashed', async () => {
    const { user, password } = axis;
    await axis.credentials(user, 'changed-on-the-camera');
    try {
      await fails(responses, port, ptzStatus(profile), PTZ);
      await gw.waitFor(/\[adapter:axis\].*camera entrance refused the credentials of user 'onvif'/);
      assert.ok(!gw.lines.some((l) => l.includes('changed-on-the-camera') || l.includes(password)),
        'no password in the log');
    } finally {
      await axis.credentials(user, password);
    }
    await ok(responses, port, ptzStatus(profile), PTZ);
    assert.equal(gw.proc.exitCode, null);
  });
});

// --------------------------------------------------------------------- Foscam

describe('a Foscam camera behind the Foscam adapter', () => {
  let foscam;
  let wrong;  // a second camera whose password the adapter has wrong
  let gw;
  let port;
  let wrongPort;
  let cam;
  let profile;
  let source;
  const responses = [];

  before(async () => {
    [foscam, wrong] = await Promise.all([
      FoscamCamera.start({ password: 'cam-Passw0rd', invertPan: true }),
      FoscamCamera.start({ password: 'the-real-one' }),
    ]);
    const camera = (id, c, password, extra = []) => [`- id: ${id}`, '  host: 127.0.0.1',
      `  port: ${c.port}`, `  user: ${c.user}`, `  password: ${password}`,
      `  request_timeout_ms: ${REQUEST_TIMEOUT_MS}`, '  attempts: 1', '  events_poll_ms: 200', ...extra];
    const cfg = await writeAdapterConfig(tempDir(), {
      adapterId: 'foscam',
      exec: 'onvif-adapter-foscam',
      cameras: [...camera('porch', foscam, foscam.password, ['  invert_pan: true', '  input: true', '  relay: true']),
        ...camera('shed', wrong, 'not-the-password')],
      devices: ['porch', 'shed'],
    });
    [port, wrongPort] = cfg.ports;
    ({ gw, cam, profile, source } = await startGateway(cfg.file, 'foscam', port, responses));
  });

  after(async () => {
    await gw?.stop();
    await Promise.all([foscam?.stop(), wrong?.stop()]);
    if (haveCheckSoap && responses.length) assert.equal(checkSoapAll(responses), '');
  });

  test('a camera refusing the adapter from the start keeps neither the adapter nor its other camera away', async () => {
    // Clear-text camera passwords work, with a warning naming them.
    await gw.waitFor(/\[adapter:foscam\] config\.cameras\[1\]\.password is in clear text/);
    // shed was never read: the adapter is ready all the same, and says why shed is missing.
    await gw.waitFor(/\[adapter:foscam\] camera shed is unavailable .*refused the credentials of user 'admin'/);
    assert.ok(gw.lines.some((l) => /\[adapter:foscam\] ready/.test(l)));
    // Its device answers without it: what needs the camera is a fault saying so.
    const shed = await fails(responses, wrongPort, `<tds:GetDeviceInformation ${TDS}/>`);
    assert.match(shed.text, /The camera has not been reached yet/);
    // Once the camera takes the configured password, a later refresh finds it.
    await wrong.changePassword('not-the-password');
    await gw.waitFor(/\[adapter:foscam\] camera shed is back/, { timeoutMs: 20000 });
    const back = client(wrongPort, responses);
    await back.connectAsync();
    const [shedProfile] = await back.getProfilesAsync();
    await ok(responses, wrongPort, ptzStatus(shedProfile.$.token), PTZ);
  });

  test('device information, profiles and a snapshot come from the camera', async () => {
    const info = await cam.getDeviceInformationAsync();
    const s = await foscam.state();
    assert.equal(info.manufacturer, 'Foscam');
    assert.equal(info.model, 'FI8918W');
    assert.equal(info.firmwareVersion, s.sys_ver);
    const profiles = await cam.getProfilesAsync();
    assert.ok(profiles.length >= 1);
    await assertSnapshot(cam, profile);
  });

  test('PTZ: a continuous move and a stop (pan mirrored), a preset set and gone to', async () => {
    await cam.continuousMoveAsync({ profileToken: profile, x: 0.8, y: 0 });
    // The FI8918W mirrors pan: the adapter sends "left" and the head turns right.
    await foscam.waitFor((s) => s.ptz.pan_direction === 1);
    await cam.stopAsync({ profileToken: profile, panTilt: true });
    await foscam.waitFor((s) => !s.ptz.moving);
    const stoppedAt = (await foscam.state()).ptz.pan;

    const set = await cam.setPresetAsync({ profileToken: profile, presetName: 'gate' });
    const token = set[0].setPresetResponse[0].presetToken[0];
    await cam.continuousMoveAsync({ profileToken: profile, x: -0.8, y: 0 });
    await foscam.waitFor((s) => s.ptz.pan < stoppedAt - 3);
    await cam.stopAsync({ profileToken: profile, panTilt: true });
    await cam.gotoPresetAsync({ profileToken: profile, preset: token });
    await foscam.waitFor((s) => !s.ptz.moving && Math.abs(s.ptz.pan - stoppedAt) < 0.5,
      { timeoutMs: 8000 });
  });

  test('imaging settings are the camera\'s parameters', async () => {
    // 0..255 on this camera.
    await assertBrightness(cam, source, 200, async () => (await foscam.state()).camera_params.brightness);
  });

  test('the relay switched; the input and motion raising events once the adapter armed them', async () => {
    const token = await firstRelay(responses, port);
    await setRelay(responses, port, token, 'active');
    assert.equal((await foscam.state()).switch_closed, true);
    await setRelay(responses, port, token, 'inactive');
    assert.equal((await foscam.state()).switch_closed, false);

    await cam.createPullPointSubscriptionAsync();
    await pullUntil(cam, (seen) => seen.some((m) => /DigitalInput/.test(topicOf(m))));
    const { alarm } = await foscam.waitFor((s) => s.alarm.motion_armed === 1 && s.alarm.input_armed === 1);
    assert.equal(alarm.motion_armed, 1);
    await gw.waitFor(/\[adapter:foscam\].*camera porch: armed motion detection and the alarm input/);
    await assertInputEvent(cam, () => foscam.input(true));
    await foscam.input(false);
    await assertMotionEvent(cam, foscam);
  });

  test('a camera that stops answering costs a fault within the deadline', async () => {
    await assertSilenceFaultsInTime(responses, port, profile, foscam);
  });

  test('refused credentials: a fault, the reason in the log, nothing crashed', async () => {
    const { password } = foscam;
    await foscam.changePassword('changed-on-the-camera');
    try {
      await fails(responses, port, ptzStatus(profile), PTZ);
      await gw.waitFor(/\[adapter:foscam\].*camera porch refused the credentials of user 'admin'/);
    } finally {
      await foscam.changePassword(password);
    }
    await ok(responses, port, ptzStatus(profile), PTZ);
    assert.ok(!gw.lines.some((l) => /changed-on-the-camera|not-the-password|cam-Passw0rd/.test(l)),
      'no password in the log');
    assert.equal(gw.proc.exitCode, null);
  });
});
