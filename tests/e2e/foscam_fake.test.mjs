// Self-test of the Foscam FI8918W camera fake (tests/fakes/foscam_camera.py)
// with plain HTTP requests, the way the Foscam adapter will talk to it, and
// its control channel for what the CGI API cannot show (where the head
// points, which requests arrived). The expected bodies and codes are those
// of shared/protocols/foscam-cgi.md.
//
// Run: cd tests/e2e && node --test foscam_fake.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FoscamCamera } from './lib/foscam_camera.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const OK = 'ok.\r\n';
const ILLEGAL = 'error: illegal params.\r\n';

/** GET `url`; resolves with { status, headers, body (Buffer), text }. */
async function get(url, { headers = {}, timeoutMs = 3000 } = {}) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, text: body.toString('latin1') };
}

/** `var name=value;` lines -> { name: value } (strings unquoted, numbers as numbers). */
function parseVars(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^var ([A-Za-z0-9_]+)=(.*);$/.exec(line.trim());
    if (!m) continue;
    const raw = m[2];
    vars[m[1]] = raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : Number(raw);
  }
  return vars;
}

/** Reads `count` multipart parts of an MJPEG response; aborts it afterwards. */
async function readParts(response, controller, count) {
  const boundary = /boundary=([^;\s]+)/.exec(response.headers.get('content-type'))[1];
  const reader = response.body.getReader();
  let buffer = Buffer.alloc(0);
  const parts = [];
  try {
    while (parts.length < count) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended after ${parts.length} parts`);
      buffer = Buffer.concat([buffer, value]);
      for (;;) {
        const start = buffer.indexOf(`--${boundary}\r\n`);
        const headEnd = buffer.indexOf('\r\n\r\n', start);
        if (start < 0 || headEnd < 0) break;
        const head = buffer.subarray(start, headEnd).toString('latin1');
        const length = Number(/Content-Length: (\d+)/i.exec(head)[1]);
        const end = headEnd + 4 + length;
        if (buffer.length < end + 2) break;
        assert.match(head, /Content-Type: image\/jpeg/);
        assert.equal(buffer.subarray(end, end + 2).toString(), '\r\n');
        parts.push(Buffer.from(buffer.subarray(headEnd + 4, end)));
        buffer = buffer.subarray(end + 2);
      }
    }
  } finally {
    controller.abort();
  }
  return { boundary, parts };
}

describe('Foscam camera fake', () => {
  let cam;
  before(async () => {
    cam = await FoscamCamera.start({ password: 'secret', operatorUser: 'op:oppw',
      visitorUser: 'guest:guestpw', alarmHoldS: 0.3, rebootSeconds: 0.3 });
  });
  after(async () => { await cam?.stop(); });

  const basic = (user, password) => ({
    Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  test('401 without or with wrong credentials; query and Basic credentials both work', async () => {
    let r = await get(`${cam.url}/get_status.cgi`);
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate'), /^Basic realm="[^"]+"$/);
    assert.equal(r.headers.get('server'), 'Netwave IP Camera');
    assert.equal(r.headers.get('connection'), 'close');
    r = await get(cam.urlFor('get_status.cgi', {}, { password: 'wrong' }));
    assert.equal(r.status, 401);
    r = await get(cam.urlFor('get_status.cgi'));
    assert.equal(r.status, 200);
    r = await get(`${cam.url}/get_status.cgi`, { headers: basic('admin', 'secret') });
    assert.equal(r.status, 200);
    // Privilege: a visitor may look but not steer; an operator may steer.
    r = await get(cam.urlFor('decoder_control.cgi', { command: 1 },
      { user: 'guest', password: 'guestpw' }));
    assert.equal(r.status, 401);
    r = await get(cam.urlFor('decoder_control.cgi', { command: 1 }, { user: 'op', password: 'oppw' }));
    assert.equal(r.text, OK);
    r = await get(cam.urlFor('check_user.cgi', {}, { user: 'op', password: 'oppw' }));
    assert.deepEqual(parseVars(r.text), { user: 'op', pwd: 'oppw', pri: 1 });
    assert.equal((await get(cam.urlFor('nothing.cgi'))).status, 404);

    const log = await cam.requests();
    assert.deepEqual(log.map((e) => [e.auth, e.status]),
      [['none', 401], ['query', 401], ['query', 200], ['basic', 200], ['query', 401],
        ['query', 200], ['query', 200], ['query', 404]]);
    assert.equal(log[2].query.pwd, '***', 'passwords are masked');
    assert.equal(log[0].path, '/get_status.cgi');
  });

  test('get_status: var lines with identity, clock and time zone (set_datetime)', async () => {
    let vars = parseVars((await get(cam.urlFor('get_status.cgi'))).text);
    assert.equal(vars.id, '000DC5D4DC51');
    assert.equal(vars.sys_ver, '11.37.2.49');
    assert.equal(vars.app_ver, '2.4.18.17');
    assert.equal(vars.alias, 'FI8918W');
    assert.ok(Math.abs(vars.now - Date.now() / 1000) < 5, `now ${vars.now}`);
    assert.equal(vars.tz, 0);
    assert.equal(vars.alarm_status, 0);
    for (const key of ['ddns_status', 'ddns_host', 'oray_type', 'upnp_status', 'p2p_status',
      'p2p_local_port', 'msn_status']) assert.ok(key in vars, key);

    const r = await get(cam.urlFor('set_datetime.cgi',
      { now: 1352782970, tz: 18000, ntp_enable: 0, ntp_svr: 'pool.ntp.org' }));
    assert.equal(r.text, OK);
    vars = parseVars((await get(cam.urlFor('get_status.cgi'))).text);
    assert.equal(vars.tz, 18000);
    assert.ok(Math.abs(vars.now - 1352782970) < 5, `now ${vars.now}`);
    assert.equal((await cam.state()).time.ntp_svr, 'pool.ntp.org');
    assert.equal((await get(cam.urlFor('set_datetime.cgi', { tz: 'x' }))).text, ILLEGAL);
  });

  test('decoder_control 0 moves up, 1 stops; presets 30/31 store and recall', async () => {
    assert.equal((await get(cam.urlFor('decoder_control.cgi', { command: 0 }))).text, OK);
    let s = await cam.waitFor((st) => st.ptz.moving);
    assert.equal(s.ptz.direction, 'up');
    await sleep(150);
    await get(cam.urlFor('decoder_control.cgi', { command: 1 }));
    s = await cam.state();
    assert.equal(s.ptz.moving, false);
    assert.ok(s.ptz.tilt > 2 && s.ptz.tilt <= 30, `tilt ${s.ptz.tilt}`);
    // Stopped means stopped.
    await sleep(100);
    assert.equal((await cam.state()).ptz.tilt, s.ptz.tilt);

    // Ten degrees left (SDK direction 4 on a head that is not mirrored).
    await get(cam.urlFor('decoder_control.cgi', { command: 4, degree: 10 }));
    s = await cam.waitFor((st) => !st.ptz.moving);
    assert.equal(s.ptz.pan, -10);
    await get(cam.urlFor('decoder_control.cgi', { command: 30 }));  // set preset 1
    s = await cam.state();
    assert.deepEqual(s.presets['1'], { pan: -10, tilt: s.ptz.tilt, zoom: null });

    await get(cam.urlFor('decoder_control.cgi', { command: 25 }));  // centre
    await cam.waitFor((st) => !st.ptz.moving && st.ptz.pan === 0 && st.ptz.tilt === 0);
    await get(cam.urlFor('decoder_control.cgi', { command: 31 }));  // go to preset 1
    s = await cam.state();
    assert.equal(s.ptz.moving, true);
    assert.deepEqual(s.ptz.target, { pan: -10, tilt: s.presets['1'].tilt });
    s = await cam.waitFor((st) => !st.ptz.moving, { timeoutMs: 2000 });
    assert.deepEqual([s.ptz.pan, s.ptz.tilt], [-10, s.presets['1'].tilt]);
    // An unknown code, and zoom on a camera without one: ok., nothing happens.
    assert.equal((await get(cam.urlFor('decoder_control.cgi', { command: 18 }))).text, OK);
    assert.equal((await get(cam.urlFor('decoder_control.cgi', { command: 77 }))).text, OK);
    assert.equal((await cam.state()).ptz.moving, false);
    assert.equal((await get(cam.urlFor('decoder_control.cgi', { command: 'up' }))).text, ILLEGAL);
  });

  test('snapshot is a JPEG; the stream gives parts with the header boundary; one stream only',
    async () => {
      const snap = await get(cam.urlFor('snapshot.cgi'));
      assert.equal(snap.headers.get('content-type'), 'image/jpeg');
      assert.deepEqual([...snap.body.subarray(0, 2)], [0xFF, 0xD8]);

      const controller = new AbortController();
      const response = await fetch(cam.urlFor('videostream.cgi', { resolution: 32, rate: 0 }),
        { signal: controller.signal });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type'), /^multipart\/x-mixed-replace;boundary=/);
      // While it runs: a second stream is refused, control requests still pass.
      assert.equal((await get(cam.urlFor('videostream.cgi'))).status, 503);
      assert.equal((await get(cam.urlFor('get_status.cgi'))).status, 200);
      const { boundary, parts } = await readParts(response, controller, 2);
      assert.equal(boundary, 'ipcamera');
      for (const part of parts) assert.deepEqual([...part.subarray(0, 2)], [0xFF, 0xD8]);
      // The client went away mid-stream: the camera serves the next one.
      await cam.waitFor((s) => s.active_streams === 0);
      const again = new AbortController();
      const next = await fetch(cam.urlFor('videostream.cgi', { resolution: 8, rate: 6 }),
        { signal: again.signal });
      assert.equal(next.status, 200);
      await readParts(next, again, 1);
      assert.equal((await get(cam.urlFor('videostream.cgi', { resolution: 7 }))).text, ILLEGAL);
    });

  test('set_users needs all eight slots', async () => {
    let r = await get(cam.urlFor('set_users.cgi', { user2: 'x', pwd2: 'y', pri2: 1 }));
    assert.equal(r.text, ILLEGAL);
    const vars = parseVars((await get(cam.urlFor('get_params.cgi'))).text);
    const all = {};
    for (let n = 1; n <= 8; n++) {
      all[`user${n}`] = vars[`user${n}_name`];
      all[`pwd${n}`] = vars[`user${n}_pwd`];
      all[`pri${n}`] = vars[`user${n}_pri`];
    }
    assert.deepEqual([all.user1, all.pwd1, all.pri1], ['admin', 'secret', 2]);
    Object.assign(all, { user4: 'viewer', pwd4: 'v1', pri4: 0 });
    r = await get(cam.urlFor('set_users.cgi', all));
    assert.equal(r.text, OK);
    r = await get(cam.urlFor('snapshot.cgi', {}, { user: 'viewer', password: 'v1' }));
    assert.equal(r.status, 200);
  });

  test('silent: requests are read but never answered', async () => {
    await cam.silent(true);
    try {
      await assert.rejects(get(cam.urlFor('get_status.cgi'), { timeoutMs: 500 }),
        (e) => e.name === 'TimeoutError' || e.name === 'AbortError');
    } finally {
      await cam.silent(false);
    }
    assert.equal((await get(cam.urlFor('get_status.cgi'))).status, 200);
    const log = await cam.requests();
    const statuses = log.filter((e) => e.path === '/get_status.cgi').map((e) => e.status);
    assert.deepEqual(statuses.slice(-2), [null, 200]);
  });

  test('fail switch: injected replies, then back to normal', async () => {
    await cam.fail('/decoder_control.cgi', { count: 2 });
    for (let i = 0; i < 2; i++) {
      assert.equal((await get(cam.urlFor('decoder_control.cgi', { command: 1 }))).text, ILLEGAL);
    }
    assert.equal((await get(cam.urlFor('decoder_control.cgi', { command: 1 }))).text, OK);
    await cam.fail('/get_status.cgi', { status: 500, body: 'busy', count: -1 });
    for (let i = 0; i < 2; i++) {
      const r = await get(cam.urlFor('get_status.cgi'));
      assert.deepEqual([r.status, r.text], [500, 'busy']);
    }
    await cam.fail('/get_status.cgi', { count: 0 });
    assert.equal((await get(cam.urlFor('get_status.cgi'))).status, 200);
  });

  test('motion: alarm_status 1 while armed and seen, back to 0 after the hold', async () => {
    const alarmStatus = async () => parseVars((await get(cam.urlFor('get_status.cgi'))).text)
      .alarm_status;
    await cam.motion(true);
    assert.equal(await alarmStatus(), 0, 'not armed: no alarm');
    assert.equal((await get(cam.urlFor('set_alarm.cgi',
      { motion_armed: 1, motion_sensitivity: 3, input_armed: 0, upload_interval: 0 }))).text, OK);
    assert.equal(await alarmStatus(), 1);
    await cam.motion(false);
    assert.equal(await alarmStatus(), 1, 'held for the alarm interval');
    await sleep(450);  // the hold is 0.3 s here
    assert.equal(await alarmStatus(), 0);
    assert.equal((await get(cam.urlFor('set_alarm.cgi', { motion_armed: 2 }))).text, ILLEGAL);
  });

  test('reboot: ok., then connections are reset for a while, and counted', async () => {
    assert.equal((await get(cam.urlFor('reboot.cgi'))).text, OK);
    await assert.rejects(get(cam.urlFor('get_status.cgi')));
    await sleep(400);
    assert.equal((await get(cam.urlFor('get_status.cgi'))).status, 200);
    const { counters } = await cam.state();
    assert.equal(counters.reboots, 1);
    assert.ok(counters.refused_connections >= 1);
  });
});

describe('Foscam camera fake, variants', () => {
  test('--basic-only refuses query credentials', async () => {
    const cam = await FoscamCamera.start({ password: 'pw', basicOnly: true });
    try {
      assert.equal((await get(cam.urlFor('get_status.cgi'))).status, 401);
      const r = await get(`${cam.url}/get_status.cgi`, { headers: { Authorization: cam.basicAuth() } });
      assert.equal(r.status, 200);
      assert.deepEqual((await cam.requests()).map((e) => e.auth), ['query', 'basic']);
    } finally {
      await cam.stop();
    }
  });

  test('--invert-pan mirrors 4/6 and the diagonals; IR follows --ir-on-code', async () => {
    const cam = await FoscamCamera.start({ invertPan: true, irOnCode: 94 });
    const send = async (command) => {
      assert.equal((await get(cam.urlFor('decoder_control.cgi', { command }))).text, OK);
      return cam.state();
    };
    try {
      assert.equal((await send(4)).ptz.pan_direction, 1, '4 pans right on an FI8918W');
      assert.equal((await send(6)).ptz.pan_direction, -1);
      assert.equal((await send(90)).ptz.direction, 'up-right');
      assert.equal((await send(1)).ptz.moving, false);
      assert.equal((await send(94)).ir, true);
      assert.equal((await send(95)).ir, false);
    } finally {
      await cam.stop();
    }
    const plain = await FoscamCamera.start({});  // admin, empty password; IR on is 95
    try {
      const r = await get(plain.urlFor('decoder_control.cgi', { command: 95 }));
      assert.equal(r.text, OK);
      assert.equal((await plain.state()).ir, true);
    } finally {
      await plain.stop();
    }
  });
});
