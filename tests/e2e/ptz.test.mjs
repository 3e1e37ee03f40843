// The PTZ service end to end (PTZ Service Specification; Core §8 for the
// capabilities): the real gateway with
//  - the Pelco-D adapter driving two emulated domes on one pseudo-terminal
//    "RS-485" line (tests/fakes/pelco_d_dome.py through lib/pelco_dome.mjs),
//    checked on the emulator's side: what the domes did, not only what the
//    gateway answered;
//  - the simulated camera with a PTZ head, through which every operation of
//    the PTZ WSDL is called once, and the Media/Media2/Device views of PTZ.
// Every response is validated with check-soap. Waits are bounded and
// event-driven (the emulator's state is polled by PelcoDome.waitFor).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import onvif from 'onvif';
import {
  ADMIN, Gateway, binDir, checkSoapAll, freeTcpPort, haveCheckSoap, soap, tempDir, writeConfig,
} from './lib/harness.mjs';
import { PelcoDome } from './lib/pelco_dome.mjs';

const PTZ = { path: '/onvif/ptz_service' };
const MEDIA = { path: '/onvif/media_service' };
const MEDIA2 = { path: '/onvif/media2_service' };
const TPTZ = 'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"';
const PROFILE = 'prof_0_main';
const CONFIG = 'ptz_0';
const NODE = 'PTZNode_0';
const SPACES = 'http://www.onvif.org/ver10/tptz';
const CALL_DEADLINE_MS = 1500;

/** A tptz:`op` element with `inner` (the PTZ namespace declared on it). */
const op = (name, inner = '') => `<tptz:${name} ${TPTZ}>${inner}</tptz:${name}>`;
const profileArg = (token = PROFILE) => `<tptz:ProfileToken>${token}</tptz:ProfileToken>`;
const pantilt = (x, y, space) =>
  `<tt:PanTilt x="${x}" y="${y}"${space ? ` space="${space}"` : ''}/>`;

/** Every response a test received, validated in one check-soap run at the end of its suite. */
class Responses {
  constructor() { this.all = []; }
  add(name, xml) { this.all.push({ name, xml }); }
  check() {
    if (!haveCheckSoap || this.all.length === 0) return;
    const report = checkSoapAll(this.all);
    this.all = [];
    assert.equal(report, '', report);
  }
}

/** The onvif client, with *Async twins of the PTZ calls, recording its responses. */
const CLIENT_METHODS = ['connect', 'getNodes', 'getConfigurations', 'continuousMove', 'stop',
  'getStatus', 'setPreset', 'gotoPreset', 'getPresets', 'removePreset', 'gotoHomePosition',
  'setHomePosition', 'ptzSendAuxiliaryCommand', 'absoluteMove'];
function client(port, responses, auth = ADMIN) {
  const cam = new onvif.Cam({ hostname: '127.0.0.1', port, autoconnect: false, timeout: 5000, ...auth });
  cam.on('rawResponse', (xml) => responses.add(`client:${port}`, xml));
  for (const m of CLIENT_METHODS) cam[m + 'Async'] = promisify(cam[m].bind(cam));
  return cam;
}

// ----------------------------------------------------------------- Pelco-D

// The adapter's generic spaces for the domes below (adapters/pelco_d/README.md,
// pelco_d_space.cc): pan_range [0, 360] (full circle), tilt 10° up to 90° down.
const TILT_UP = 10;
const TILT_DOWN = 90;
const genericPan = (hundredths) => (hundredths / 100) / 360 * 2 - 1;
/** tilt in the protocol's hundredths: 0..9000 below the horizon, 27000.. above. */
const genericTilt = (hundredths) => {
  const deg = hundredths / 100;
  const elevation = deg > 180 ? 360 - deg : -deg;
  return (elevation + TILT_DOWN) / (TILT_UP + TILT_DOWN) * 2 - 1;
};
const genericZoom = (ratio) => ratio / 65535;

/** The gateway config: one Pelco-D line on the emulator's tty, two domes, two devices. */
async function writePelcoConfig(dir, tty) {
  const ports = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
  assert.equal(new Set(ports).size, 4, 'distinct ports');
  const camera = (id, address) => [
    `        - id: ${id}`,
    '          line: bus-1',
    `          address: ${address}`,
    '          position_feedback: true',
    '          home_preset: 32',
    '          auxiliary:',
    '            "tt:Wiper|On": {aux: 1, on: true}',
    '            "tt:Wiper|Off": {aux: 1, on: false}',
    // No one pulls it: the URI only gives the dome a video source and profiles.
    `          video: {uri: "rtsp://127.0.0.1:9/${id}", width: 1280, height: 720}`,
  ];
  const device = (i, id, cameraId) => [
    `  - id: ${id}`,
    `    name: E2E dome ${i + 1}`,
    '    address: 127.0.0.1',
    `    port: ${ports[2 * i]}`,
    `    rtsp_port: ${ports[2 * i + 1]}`,
    '    adapter: pelco',
    `    camera: ${cameraId}`,
    '    admin:',
    `      username: ${ADMIN.username}`,
    `      password: ${ADMIN.password}`,
  ];
  const lines = [
    `state_dir: ${path.join(dir, 'state')}`,
    'log_level: info',
    'discovery:',
    '  enabled: false',
    'adapters:',
    '  - id: pelco',
    `    exec: ${path.join(binDir, 'onvif-adapter-pelco-d')}`,
    `    call_deadline_ms: ${CALL_DEADLINE_MS}`,
    '    config:',
    '      lines:',
    '        - id: bus-1',
    `          device: ${tty}`,
    '          baud: 9600',
    '          response_timeout_ms: 300',
    '          replies: true',
    '      cameras:',
    ...camera('dome-1', 1),
    ...camera('dome-2', 2),
    'devices:',
    ...device(0, 'dev-1', 'dome-1'),
    ...device(1, 'dev-2', 'dome-2'),
  ];
  const file = path.join(dir, 'gateway.yaml');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { file, ports: [ports[0], ports[2]] };
}

describe('PTZ with Pelco-D domes on one line', () => {
  let dome;
  let gw;
  let port;
  let port2;
  let cam;
  const responses = new Responses();

  /** Raw SOAP to the PTZ service of device 1 (or `on`), recorded for check-soap. */
  async function ptz(body, { on = port, auth = ADMIN, name = 'ptz' } = {}) {
    const r = await soap(on, body, { ...PTZ, auth });
    responses.add(name, r.text);
    return r;
  }
  /** Polls the client's GetStatus until `predicate` holds (bounded). */
  async function statusUntil(predicate, timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const st = await cam.getStatusAsync({ profileToken: PROFILE });
      if (predicate(st)) return st;
      if (Date.now() > deadline) throw new Error(`GetStatus never matched: ${JSON.stringify(st)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  before(async () => {
    dome = await PelcoDome.start({ addresses: [1, 2] });
    const cfg = await writePelcoConfig(tempDir(), dome.tty);
    [port, port2] = cfg.ports;
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:pelco\] ready/);
    cam = client(port, responses);
    await cam.connectAsync();
  });

  after(async () => {
    await gw?.stop();
    await dome?.stop();
  });

  test('nodes and configurations through the onvif client', async () => {
    assert.equal(cam.uri.ptz?.path, '/onvif/ptz_service');
    const nodes = await cam.getNodesAsync();
    assert.deepEqual(Object.keys(nodes), [NODE]);
    const node = nodes[NODE];
    assert.equal(node.supportedPTZSpaces.absolutePanTiltPositionSpace.URI,
      `${SPACES}/PanTiltSpaces/PositionGenericSpace`);
    assert.equal(node.homeSupported, true);
    // Slots 1..32 less the home slot 32.
    assert.equal(Number(node.maximumNumberOfPresets), 31);
    assert.deepEqual(node.auxiliaryCommands, ['tt:Wiper|On', 'tt:Wiper|Off']);
    const configs = await cam.getConfigurationsAsync();
    assert.ok(configs['PTZ 0'] || Object.values(configs).some((c) => c.$?.token === CONFIG),
      JSON.stringify(configs));
    const profiles = cam.profiles.map((p) => [p.$.token, p.PTZConfiguration?.$?.token]);
    assert.ok(profiles.some(([t, c]) => t === PROFILE && c === CONFIG), JSON.stringify(profiles));
  });

  test('ContinuousMove then Stop: the dome pans, then stands still', async () => {
    await dome.set(1, { pan: 0, tilt: 0, zoom: 0 });
    await cam.continuousMoveAsync({ profileToken: PROFILE, x: 0.5, y: 0, zoom: 0 });
    const moving = await dome.waitFor(1, (s) => s.pan_moving);
    // Right (increasing pan) at about half the 0x3F speed byte.
    assert.equal(moving.motion.pan_direction, 1, JSON.stringify(moving.motion));
    assert.ok(moving.motion.pan_speed >= 0x18 && moving.motion.pan_speed <= 0x28, JSON.stringify(moving.motion));
    assert.equal(moving.tilt_moving, false);
    const status = await cam.getStatusAsync({ profileToken: PROFILE });
    assert.equal(status.moveStatus.panTilt, 'MOVING');
    await dome.waitFor(1, (s) => s.pan !== 0);
    await cam.stopAsync({ profileToken: PROFILE });
    const stopped = await dome.waitFor(1, (s) => !s.moving);
    assert.notEqual(stopped.pan, 0, 'the pan changed');
    const again = await dome.state(1);
    assert.equal(again.pan, stopped.pan, 'still after Stop');
    // With position feedback the adapter says IDLE once two samples >= 200 ms
    // apart agree (a dome may coast after a stop): bounded poll.
    const idle = await statusUntil((st) => st.moveStatus.panTilt === 'IDLE');
    assert.ok(Math.abs(idle.position.x - genericPan(stopped.pan)) < 1e-3, JSON.stringify(idle));
  });

  test('GetStatus reports the position the dome holds, in the generic spaces', async () => {
    for (const place of [{ pan: 9000, tilt: 4500, zoom: 32768 }, { pan: 27000, tilt: 35500, zoom: 0 },
      { pan: 100, tilt: 9000, zoom: 65535 }]) {
      const s = await dome.set(1, place);
      const r = await ptz(op('GetStatus', profileArg()), { name: 'GetStatus' });
      assert.equal(r.status, 200, r.text);
      const m = r.text.match(/<tt:PanTilt x="([^"]+)" y="([^"]+)"[^>]*PositionGenericSpace"\/><tt:Zoom x="([^"]+)"/);
      assert.ok(m, r.text);
      const at = JSON.stringify(place);
      assert.ok(Math.abs(Number(m[1]) - genericPan(s.pan)) < 1e-3, `pan ${m[1]} for ${at}`);
      assert.ok(Math.abs(Number(m[2]) - genericTilt(s.tilt)) < 1e-3, `tilt ${m[2]} for ${at}`);
      assert.ok(Math.abs(Number(m[3]) - genericZoom(s.zoom)) < 1e-3, `zoom ${m[3]} for ${at}`);
      assert.match(r.text, /<tt:MoveStatus><tt:PanTilt>IDLE<\/tt:PanTilt><tt:Zoom>IDLE<\/tt:Zoom>/);
    }
  });

  test('SetPreset, move away, GotoPreset: the dome arrives where it was stored', async () => {
    const stored = await dome.set(1, { pan: 12000, tilt: 3000, zoom: 20000 });
    const set = await cam.setPresetAsync({ profileToken: PROFILE, presetName: 'gate' });
    const token = set[0].setPresetResponse[0].presetToken[0];
    const presets = await cam.getPresetsAsync({ profileToken: PROFILE });
    assert.equal(presets.gate?.$.token, token);
    const slots = (await dome.state(1)).presets;
    assert.equal(Object.keys(slots).length, 1, JSON.stringify(slots));
    await dome.set(1, { pan: 30000, tilt: 500, zoom: 0 });
    await cam.gotoPresetAsync({ profileToken: PROFILE, preset: token });
    const moving = await cam.getStatusAsync({ profileToken: PROFILE });
    assert.ok(['MOVING', 'IDLE'].includes(moving.moveStatus.panTilt), JSON.stringify(moving));
    const arrived = await dome.waitFor(1, (s) => !s.moving && s.pan === stored.pan);
    assert.equal(arrived.tilt, stored.tilt);
    assert.equal(arrived.zoom, stored.zoom);
    const idle = await statusUntil((st) => st.moveStatus.panTilt === 'IDLE');
    assert.ok(Math.abs(idle.position.x - genericPan(stored.pan)) < 1e-3, JSON.stringify(idle));

    // RemovePreset: gone from GetPresets; going there is then ter:NoToken.
    await cam.removePresetAsync({ profileToken: PROFILE, presetToken: token });
    assert.deepEqual(await cam.getPresetsAsync({ profileToken: PROFILE }), {});
    const gone = await ptz(op('GotoPreset', profileArg() + `<tptz:PresetToken>${token}</tptz:PresetToken>`));
    assert.equal(gone.status, 400, gone.text);
    assert.match(gone.text, /ter:InvalidArgVal[\s\S]*ter:NoToken/);
  });

  test('SetHomePosition stores the place; GotoHomePosition brings the dome back', async () => {
    const home = await dome.set(1, { pan: 4500, tilt: 1000, zoom: 1000 });
    await cam.setHomePositionAsync({ profileToken: PROFILE });
    assert.ok((await dome.state(1)).presets['32'], 'home kept in slot 32');
    await dome.set(1, { pan: 20000, tilt: 6000, zoom: 40000 });
    await cam.gotoHomePositionAsync({ profileToken: PROFILE });
    const back = await dome.waitFor(1, (s) => !s.moving && s.pan === home.pan);
    assert.equal(back.tilt, home.tilt);
    assert.equal(back.zoom, home.zoom);
  });

  test('a ContinuousMove with Timeout PT0.5S stops by itself', async () => {
    await dome.set(1, { pan: 0, tilt: 0 });
    await dome.frames(1);  // clear
    const r = await ptz(op('ContinuousMove', profileArg() + `<tptz:Velocity>${pantilt(-0.3, 0)}</tptz:Velocity>` +
      '<tptz:Timeout>PT0.5S</tptz:Timeout>'), { name: 'ContinuousMove' });
    assert.equal(r.status, 200, r.text);
    await dome.waitFor(1, (s) => s.pan_moving);
    const stopped = await dome.waitFor(1, (s) => !s.moving, { timeoutMs: 3000 });
    assert.notEqual(stopped.pan, 0);
    // On the line: the move, then (no Stop request sent) the gateway's stop
    // half a second later, all axes cleared.
    const frames = await dome.frames(1);
    assert.equal(frames.length, 2, frames.map((f) => f.hex).join(" "));
    assert.equal(frames[1].hex, 'ff010000000001');
    const apartMs = Number(frames[1].t_ns - frames[0].t_ns) / 1e6;
    assert.ok(apartMs >= 480 && apartMs < 1000, `stop ${apartMs} ms after the move`);
  });

  test('two domes on one line: moving one leaves the other still', async () => {
    const other = await dome.set(2, { pan: 1000, tilt: 1000, zoom: 0 });
    await dome.frames(2);  // clear
    await cam.continuousMoveAsync({ profileToken: PROFILE, x: 0, y: -0.5, zoom: 0 });
    await dome.waitFor(1, (s) => s.tilt_moving);
    await cam.stopAsync({ profileToken: PROFILE });
    await dome.waitFor(1, (s) => !s.moving);
    const after2 = await dome.state(2);
    assert.equal(after2.moving, false);
    assert.equal(after2.pan, other.pan);
    assert.equal(after2.tilt, other.tilt);
    assert.deepEqual(await dome.frames(2), [], 'no frame addressed to dome 2');
    // ...and the second device moves the second dome.
    const r = await ptz(op('ContinuousMove', profileArg() + `<tptz:Velocity>${pantilt(0.5, 0)}</tptz:Velocity>`),
      { on: port2 });
    assert.equal(r.status, 200, r.text);
    await dome.waitFor(2, (s) => s.pan_moving);
    assert.equal((await dome.state(1)).moving, false);
    assert.equal((await ptz(op('Stop', profileArg()), { on: port2 })).status, 200);
    await dome.waitFor(2, (s) => !s.moving);
  });

  test('SendAuxiliaryCommand through the PTZ and the Device service switches the aux output', async () => {
    const viaPtz = await cam.ptzSendAuxiliaryCommandAsync({ profileToken: PROFILE, data: 'tt:Wiper|On' });
    assert.ok(viaPtz, 'answered');
    await dome.waitFor(1, (s) => s.aux['1'] === true);
    const off = await soap(port, '<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>tt:Wiper|Off' +
      '</tds:AuxiliaryCommand></tds:SendAuxiliaryCommand>');
    responses.add('tds:SendAuxiliaryCommand', off.text);
    assert.equal(off.status, 200, off.text);
    await dome.waitFor(1, (s) => s.aux['1'] === false);
    const on = await soap(port, '<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>tt:Wiper|On' +
      '</tds:AuxiliaryCommand></tds:SendAuxiliaryCommand>');
    assert.equal(on.status, 200, on.text);
    await dome.waitFor(1, (s) => s.aux['1'] === true);
    const unknown = await ptz(op('SendAuxiliaryCommand', profileArg() +
      '<tptz:AuxiliaryData>tt:IRLamp|On</tptz:AuxiliaryData>'));
    assert.match(unknown.text, /ter:AuxiliaryDataNotSupported/);
  });

  test('a User may not move; an Operator may', async () => {
    const created = await soap(port, '<tds:CreateUsers>' +
      '<tds:User><tt:Username>ptz-user</tt:Username><tt:Password>Us3r-Passw0rd!x</tt:Password>' +
      '<tt:UserLevel>User</tt:UserLevel></tds:User>' +
      '<tds:User><tt:Username>ptz-op</tt:Username><tt:Password>0perator-Passw0rd!</tt:Password>' +
      '<tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>');
    assert.equal(created.status, 200, created.text);
    const user = { username: 'ptz-user', password: 'Us3r-Passw0rd!x' };
    const operator = { username: 'ptz-op', password: '0perator-Passw0rd!' };
    const move = op('ContinuousMove', profileArg() + `<tptz:Velocity>${pantilt(0.2, 0)}</tptz:Velocity>`);
    await dome.frames(1);
    const refused = await ptz(move, { auth: user, name: 'refused' });
    // Authenticated, but ACTUATE is not for level User: 400, not a challenge.
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /ter:NotAuthorized/);
    assert.equal((await dome.state(1)).moving, false);
    assert.deepEqual(await dome.frames(1), [], 'nothing sent for the refused move');
    // A User may still read the status.
    assert.equal((await ptz(op('GetStatus', profileArg()), { auth: user })).status, 200);
    const allowed = await ptz(move, { auth: operator });
    assert.equal(allowed.status, 200, allowed.text);
    await dome.waitFor(1, (s) => s.pan_moving);
    assert.equal((await ptz(op('Stop', profileArg()), { auth: operator })).status, 200);
    await dome.waitFor(1, (s) => !s.moving);
  });

  test('faults: unknown profile, unknown preset, velocity out of range, unsupported space', async () => {
    const cases = [
      [op('ContinuousMove', profileArg('NoSuchProfile') + `<tptz:Velocity>${pantilt(0.1, 0)}</tptz:Velocity>`),
        /ter:InvalidArgVal[\s\S]*ter:NoProfile/],
      [op('GetStatus', profileArg('NoSuchProfile')), /ter:NoProfile/],
      [op('GotoPreset', profileArg() + '<tptz:PresetToken>NoSuchPreset</tptz:PresetToken>'), /ter:NoToken/],
      [op('RemovePreset', profileArg() + '<tptz:PresetToken>NoSuchPreset</tptz:PresetToken>'), /ter:NoToken/],
      [op('ContinuousMove', profileArg() + `<tptz:Velocity>${pantilt(1.5, 0)}</tptz:Velocity>`),
        /ter:InvalidArgVal[\s\S]*ter:InvalidVelocity/],
      [op('ContinuousMove', profileArg() +
        `<tptz:Velocity>${pantilt(0.1, 0, 'http://example.com/ptz/NoSuchSpace')}</tptz:Velocity>`),
        /ter:InvalidArgVal[\s\S]*ter:SpaceNotSupported/],
      [op('AbsoluteMove', profileArg() +
        `<tptz:Position>${pantilt(0, 0, `${SPACES}/PanTiltSpaces/SphericalPositionSpaceDegrees`)}</tptz:Position>`),
        /ter:SpaceNotSupported/],
    ];
    await dome.frames(1);
    for (const [body, fault] of cases) {
      const r = await ptz(body, { name: 'fault' });
      assert.equal(r.status, 400, r.text);
      assert.match(r.text, fault);
    }
    assert.deepEqual(await dome.frames(1), [], 'no refused request reached the line');
  });

  test('a dome that falls silent: GetStatus is a fault within the call deadline, not a hang', async () => {
    await dome.silent(1, true);
    try {
      const r = await ptz(op('GetStatus', profileArg()), { name: 'silent GetStatus' });
      // The adapter's query times out (DEADLINE_EXCEEDED): ter:Action "did not answer in time".
      assert.equal(r.status, 500, r.text);
      assert.match(r.text, /ter:Action<[\s\S]*did not answer in time/);
      assert.ok(r.ms < 3000, `answered after ${r.ms} ms`);
      assert.ok(r.ms < CALL_DEADLINE_MS + 500, `answered after ${r.ms} ms`);
    } finally {
      await dome.silent(1, false);
    }
    // While the adapter backs off (2 s after an unanswered query) a status
    // is refused at once, without holding the shared line.
    const quick = await ptz(op('GetStatus', profileArg()));
    assert.equal(quick.status, 500, quick.text);
    assert.ok(quick.ms < 500, `refused after ${quick.ms} ms`);
    // Back to answering: once the back-off is over, status is served again
    // (bounded by time: the back-off has no event to await).
    let again;
    for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
      again = await ptz(op('GetStatus', profileArg()));
      if (again.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(again.status, 200, again.text);
  });

  test('every response is schema-valid', () => responses.check());
});

// --------------------------------------------------------------- simulated

describe('PTZ with the simulated camera', () => {
  let gw;
  let port;
  let noPtz;
  const responses = new Responses();

  async function call(body, { on = port, at = PTZ, name } = {}) {
    const r = await soap(on, body, at);
    responses.add(name ?? body.match(/<(\w+:\w+)/)[1], r.text);
    return r;
  }
  async function ok(body, opts) {
    const r = await call(body, opts);
    assert.equal(r.status, 200, `${body}\n${r.text}`);
    return r.text;
  }
  const status = async () => {
    const text = await ok(op('GetStatus', profileArg()));
    const m = text.match(/<tt:PanTilt x="([^"]+)" y="([^"]+)"[^>]*\/><tt:Zoom x="([^"]+)"[\s\S]*<tt:MoveStatus><tt:PanTilt>(\w+)<\/tt:PanTilt><tt:Zoom>(\w+)</);
    assert.ok(m, text);
    return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]), panTilt: m[4], zoomStatus: m[5] };
  };
  /** Polls GetStatus until `predicate` holds (the simulated head moves over time). */
  async function statusUntil(predicate, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await status();
      if (predicate(s)) return s;
      if (Date.now() > deadline) throw new Error(`status never matched: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  before(async () => {
    const cfg = await writeConfig(tempDir(), { devices: 2, ptz: [true] });
    [port, noPtz] = cfg.ports;
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => { await gw?.stop(); });

  test('every PTZ operation once', async () => {
    const caps = await ok(op('GetServiceCapabilities'));
    assert.match(caps, /<tptz:Capabilities [^>]*MoveStatus="true"[^>]*StatusPosition="true"/);
    const nodes = await ok(op('GetNodes'));
    assert.match(nodes, new RegExp(`<tptz:PTZNode token="${NODE}"`));
    assert.match(nodes, /<tt:MaximumNumberOfPresets>64</);
    assert.match(await ok(op('GetNode', `<tptz:NodeToken>${NODE}</tptz:NodeToken>`)), /<tt:HomeSupported>true</);
    assert.match(await ok(op('GetConfigurations')), new RegExp(`<tptz:PTZConfiguration token="${CONFIG}"`));
    assert.match(await ok(op('GetConfiguration', `<tptz:PTZConfigurationToken>${CONFIG}</tptz:PTZConfigurationToken>`)),
      new RegExp(`<tt:NodeToken>${NODE}<`));
    assert.match(await ok(op('GetConfigurationOptions', `<tptz:ConfigurationToken>${CONFIG}</tptz:ConfigurationToken>`)),
      /<tptz:PTZConfigurationOptions>[\s\S]*<tt:PTZTimeout>/);
    await ok(op('SetConfiguration', `<tptz:PTZConfiguration token="${CONFIG}"><tt:Name>PTZ 0</tt:Name>` +
      `<tt:UseCount>1</tt:UseCount><tt:NodeToken>${NODE}</tt:NodeToken><tt:DefaultPTZTimeout>PT7S</tt:DefaultPTZTimeout>` +
      '</tptz:PTZConfiguration><tptz:ForcePersistence>true</tptz:ForcePersistence>'));
    assert.match(await ok(op('GetConfiguration', `<tptz:PTZConfigurationToken>${CONFIG}</tptz:PTZConfigurationToken>`)),
      /<tt:DefaultPTZTimeout>PT7S</);
    assert.match(await ok(op('GetCompatibleConfigurations', profileArg())),
      new RegExp(`<tptz:PTZConfiguration token="${CONFIG}"`));

    await ok(op('ContinuousMove', profileArg() + `<tptz:Velocity>${pantilt(0.5, 0)}</tptz:Velocity>`));
    assert.equal((await statusUntil((s) => s.x > 0.01)).panTilt, 'MOVING');
    await ok(op('Stop', profileArg() + '<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom>'));
    assert.equal((await status()).panTilt, 'IDLE');
    await ok(op('RelativeMove', profileArg() + `<tptz:Translation>${pantilt(0.1, 0.1)}</tptz:Translation>`));
    await statusUntil((s) => s.panTilt === 'IDLE');
    await ok(op('AbsoluteMove', profileArg() + `<tptz:Position>${pantilt(0, 0)}<tt:Zoom x="0"/></tptz:Position>`));
    await statusUntil((s) => s.panTilt === 'IDLE' && s.x === 0 && s.y === 0);

    assert.doesNotMatch(await ok(op('GetPresets', profileArg())), /<tptz:Preset /);
    const set = await ok(op('SetPreset', profileArg() + '<tptz:PresetName>centre</tptz:PresetName>'));
    const token = set.match(/<tptz:PresetToken>([^<]+)</)[1];
    assert.match(await ok(op('GetPresets', profileArg())),
      new RegExp(`<tptz:Preset token="${token}"><tt:Name>centre</tt:Name>`));
    await ok(op('GotoPreset', profileArg() + `<tptz:PresetToken>${token}</tptz:PresetToken>`));
    await ok(op('RemovePreset', profileArg() + `<tptz:PresetToken>${token}</tptz:PresetToken>`));
    assert.doesNotMatch(await ok(op('GetPresets', profileArg())), /<tptz:Preset /);
    await ok(op('SetHomePosition', profileArg()));
    await ok(op('GotoHomePosition', profileArg()));
    assert.match(await ok(op('SendAuxiliaryCommand', profileArg() + '<tptz:AuxiliaryData>tt:Wiper|On</tptz:AuxiliaryData>')),
      /<tptz:AuxiliaryResponse>[^<]*Wiper[^<]*On</);

    const unsupported = [
      op('GetPresetTours', profileArg()),
      op('GetPresetTour', profileArg() + '<tptz:PresetTourToken>t</tptz:PresetTourToken>'),
      op('GetPresetTourOptions', profileArg()),
      op('CreatePresetTour', profileArg()),
      op('ModifyPresetTour', profileArg() + '<tptz:PresetTour token="t"><tt:AutoStart>false</tt:AutoStart>' +
        '<tt:StartingCondition/></tptz:PresetTour>'),
      op('OperatePresetTour', profileArg() + '<tptz:PresetTourToken>t</tptz:PresetTourToken>' +
        '<tptz:Operation>Start</tptz:Operation>'),
      op('RemovePresetTour', profileArg() + '<tptz:PresetTourToken>t</tptz:PresetTourToken>'),
      op('GeoMove', profileArg() + '<tptz:Target lon="0" lat="0" elevation="0"/>'),
      op('MoveAndStartTracking', profileArg()),
    ];
    for (const body of unsupported) {
      const r = await call(body);
      assert.equal(r.status, 500, `${body}\n${r.text}`);
      assert.match(r.text, /ter:ActionNotSupported/, body);
    }
  });

  test('AbsoluteMove: MOVING on the way, then the target and IDLE', async () => {
    await ok(op('AbsoluteMove', profileArg() + `<tptz:Position>${pantilt(-0.5, 0.4)}<tt:Zoom x="0.25"/></tptz:Position>`));
    const first = await status();
    assert.equal(first.panTilt, 'MOVING', JSON.stringify(first));
    const done = await statusUntil((s) => s.panTilt === 'IDLE' && s.zoomStatus === 'IDLE');
    assert.ok(Math.abs(done.x + 0.5) < 1e-3 && Math.abs(done.y - 0.4) < 1e-3 && Math.abs(done.zoom - 0.25) < 1e-3,
      JSON.stringify(done));
  });

  test('GetCapabilities and GetServices list the PTZ service', async () => {
    const all = await ok('<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>', { at: {} });
    assert.match(all, new RegExp(`<tt:PTZ><tt:XAddr>http://127\\.0\\.0\\.1:${port}/onvif/ptz_service</tt:XAddr></tt:PTZ>`));
    const only = await ok('<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>', { at: {} });
    assert.match(only, /<tt:PTZ><tt:XAddr>[^<]*\/onvif\/ptz_service</);
    const services = await ok('<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>',
      { at: {} });
    const ptzService = services.match(/<tds:Service><tds:Namespace>http:\/\/www\.onvif\.org\/ver20\/ptz\/wsdl<\/tds:Namespace>[\s\S]*?<\/tds:Service>/);
    assert.ok(ptzService, services);
    assert.match(ptzService[0], new RegExp(`<tds:XAddr>http://127\\.0\\.0\\.1:${port}/onvif/ptz_service</tds:XAddr>`));
    assert.match(ptzService[0], /<tds:Capabilities><tptz:Capabilities [^>]*MoveStatus="true"/);
  });

  test('Media and Media2 profiles hold the PTZ configuration; Remove/Add round trip', async () => {
    const profiles = await ok('<trt:GetProfiles/>', { at: MEDIA });
    assert.match(profiles, new RegExp(`<trt:Profiles token="${PROFILE}"[\\s\\S]*?<tt:PTZConfiguration token="${CONFIG}">`));
    await ok(`<trt:RemovePTZConfiguration><trt:ProfileToken>${PROFILE}</trt:ProfileToken></trt:RemovePTZConfiguration>`,
      { at: MEDIA });
    const without = await ok(`<trt:GetProfile><trt:ProfileToken>${PROFILE}</trt:ProfileToken></trt:GetProfile>`, { at: MEDIA });
    assert.doesNotMatch(without, /PTZConfiguration/);
    // The profile no longer addresses a head.
    const noHead = await call(op('GetStatus', profileArg()));
    assert.equal(noHead.status, 400, noHead.text);
    assert.match(noHead.text, /ter:NoPTZProfile/);
    await ok(`<trt:AddPTZConfiguration><trt:ProfileToken>${PROFILE}</trt:ProfileToken>` +
      `<trt:ConfigurationToken>${CONFIG}</trt:ConfigurationToken></trt:AddPTZConfiguration>`, { at: MEDIA });
    const back = await ok(`<trt:GetProfile><trt:ProfileToken>${PROFILE}</trt:ProfileToken></trt:GetProfile>`, { at: MEDIA });
    assert.match(back, new RegExp(`<tt:PTZConfiguration token="${CONFIG}">`));
    await status();
    const m2 = await ok('<tr2:GetProfiles><tr2:Type>PTZ</tr2:Type></tr2:GetProfiles>', { at: MEDIA2 });
    assert.match(m2, new RegExp(`<tr2:Profiles token="${PROFILE}"[\\s\\S]*?<tr2:PTZ token="${CONFIG}">`));
  });

  test('a camera without PTZ: PTZ operations are ActionNotSupported, GetCapabilities PTZ NoSuchService', async () => {
    for (const body of [op('GetNodes'), op('GetConfigurations'), op('GetStatus', profileArg()),
      op('ContinuousMove', profileArg() + `<tptz:Velocity>${pantilt(0.1, 0)}</tptz:Velocity>`)]) {
      const r = await call(body, { on: noPtz });
      assert.equal(r.status, 500, `${body}\n${r.text}`);
      assert.match(r.text, /ter:ActionNotSupported/);
    }
    const caps = await call('<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>',
      { on: noPtz, at: {} });
    // device_service.cc GetCapabilities: a category no service registered is
    // env:Receiver / ter:ActionNotSupported / ter:NoSuchService (Core §8.1.2.4).
    assert.equal(caps.status, 500, caps.text);
    assert.match(caps.text, /ter:ActionNotSupported[\s\S]*ter:NoSuchService/);
    const all = await ok('<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>',
      { on: noPtz, at: {} });
    assert.doesNotMatch(all, /<tt:PTZ>/);
    const services = await ok('<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>',
      { on: noPtz, at: {} });
    assert.doesNotMatch(services, /ver20\/ptz\/wsdl/);
  });

  test('every response is schema-valid', () => responses.check());
});
