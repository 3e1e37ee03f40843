// Self-test of the Axis VAPIX camera fake (tests/fakes/axis_camera.py via
// lib/axis_camera.mjs), spoken to the way the Axis adapter will: plain HTTP
// with Basic or Digest, the CGIs and their text replies as in
// shared/protocols/axis-vapix.md, and the control channel to look inside.
//
// Waits are bounded: motion is awaited by polling the fake's state
// (AxisCamera.waitFor), a silent camera by an aborted request.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { AxisCamera } from './lib/axis_camera.mjs';

const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');

/** The Digest Authorization value for one request (RFC 2617, qop=auth). */
function digest({ challenge, method, uri, user, password, nc, cnonce = 'c0ffee' }) {
  const p = Object.fromEntries([...challenge.matchAll(/(\w+)="?([^",]*)"?/g)].map((m) => [m[1], m[2]]));
  const count = nc.toString(16).padStart(8, '0');
  const response = md5(`${md5(`${user}:${p.realm}:${password}`)}:${p.nonce}:${count}:${cnonce}:auth:` +
    md5(`${method}:${uri}`));
  return `Digest username="${user}", realm="${p.realm}", nonce="${p.nonce}", uri="${uri}", ` +
    `algorithm=MD5, qop=auth, nc=${count}, cnonce="${cnonce}", response="${response}"`;
}

describe('Axis camera fake', () => {
  let cam;
  // Keep-alive like the adapter's client: several requests per connection.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  /** One request; resolves with { status, headers, rawHeaders, body, text }. */
  function call(urlPath, { auth = cam.basicAuth(), method = 'GET', headers = {}, body,
                           signal, agent: via = agent } = {}) {
    return new Promise((resolve, reject) => {
      const req = http.request(`${cam.url}${urlPath}`, {
        method, agent: via, signal, headers: { ...(auth ? { Authorization: auth } : {}), ...headers },
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({ status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders,
                    body: all, text: all.toString() });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A text reply's lines (CRLF-separated, as Axis writes them). */
  const lines = (r) => r.text.split('\r\n').filter((l) => l !== '');

  before(async () => {
    cam = await AxisCamera.start({ rebootSeconds: 0.3 });
  });

  after(async () => {
    agent.destroy();
    await cam?.stop();
  });

  test('refuses a request without (or with wrong) credentials', async () => {
    const r = await call('/axis-cgi/param.cgi?action=list&group=Brand', { auth: null });
    assert.equal(r.status, 401);
    const challenges = r.rawHeaders.filter((_, i) => i % 2 === 1 && /^www-authenticate$/i.test(r.rawHeaders[i - 1]));
    assert.equal(challenges.length, 2);
    assert.match(challenges[0], /^Digest realm="AXIS_ACCC8E012345", nonce="[0-9a-f]+", algorithm=MD5, qop="auth"$/);
    assert.match(challenges[1], /^Basic realm="AXIS_ACCC8E012345"$/);
    const wrong = `Basic ${Buffer.from('root:nope').toString('base64')}`;
    assert.equal((await call('/axis-cgi/param.cgi?action=list', { auth: wrong })).status, 401);
  });

  test('Digest login, nonce reuse with a higher nc, replay refused', async () => {
    await cam.requests();  // start the log afresh
    const uri = '/axis-cgi/param.cgi?action=list&group=Brand.ProdNbr';
    const first = await call(uri, { auth: null });
    const challenge = first.rawHeaders.find((v) => v.startsWith('Digest '));
    const as = (nc) => digest({ challenge, method: 'GET', uri, user: cam.user, password: cam.password, nc });
    const ok = await call(uri, { auth: as(1) });
    assert.equal(ok.status, 200);
    assert.equal(ok.text, 'root.Brand.ProdNbr=P5635-E\r\n');
    assert.equal((await call(uri, { auth: as(2) })).status, 200);
    assert.equal((await call(uri, { auth: as(2) })).status, 401, 'nc 2 again is a replay');
    const log = await cam.requests();
    assert.deepEqual(log.map((e) => [e.auth, e.status]),
      [['none', 401], ['digest', 200], ['digest', 200], ['digest', 401]]);
    assert.equal(log[1].path, '/axis-cgi/param.cgi');
    assert.equal(log[1].query, 'action=list&group=Brand.ProdNbr');
  });

  test('param.cgi lists groups (root. prefix, wildcards, unknown) and updates', async () => {
    const r = await call('/axis-cgi/param.cgi?action=list&group=root.Brand.ProdNbr,Properties.PTZ,IOPort.*.Direction,Nope');
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.deepEqual(lines(r), [
      'root.Brand.ProdNbr=P5635-E',
      'root.Properties.PTZ.PTZ=yes',
      'root.IOPort.I0.Direction=input',
      'root.IOPort.I1.Direction=input',
      'root.IOPort.I2.Direction=output',
      "# Error: Error -1 getting param in group 'Nope'",
    ]);
    const refused = await call('/axis-cgi/param.cgi?action=update&ImageSource.I0.Sensor.Brightness=70&Brand.Brand=X');
    assert.deepEqual(lines(refused), ["# Error: Error setting 'Brand.Brand' to 'X'!"]);
    const posted = await call('/axis-cgi/param.cgi', {
      method: 'POST', body: 'action=update&root.ImageSource.I0.Sensor.Brightness=70',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.deepEqual(lines(posted), ['OK']);
    assert.equal((await cam.state()).image.brightness, 70);
  });

  test('PTZ: continuous move, position, stop', async () => {
    await cam.place({ pan: 0, tilt: 0 });
    const go = await call('/axis-cgi/com/ptz.cgi?continuouspantiltmove=50,0');
    assert.equal(go.status, 204);
    assert.equal(go.body.length, 0);
    await cam.waitFor((s) => s.ptz.pan_moving && s.ptz.pan > 5);
    const position = Object.fromEntries(lines(await call('/axis-cgi/com/ptz.cgi?query=position'))
      .map((l) => l.split('=')));
    assert.ok(Number(position.pan) > 5, JSON.stringify(position));
    assert.equal(position.tilt, '0');
    assert.equal(position.autofocus, 'on');
    assert.equal((await call('/axis-cgi/com/ptz.cgi?continuouspantiltmove=0,0')).status, 204);
    const stopped = await cam.waitFor((s) => !s.ptz.moving);
    assert.equal((await cam.state()).ptz.pan, stopped.ptz.pan, 'the head stays stopped');
    const bad = await call('/axis-cgi/com/ptz.cgi?pan=200');
    assert.equal(bad.status, 200);
    assert.equal(bad.text, 'Error: pan out of range\r\n');
  });

  test('PTZ: server presets keep their position', async () => {
    await cam.place({ pan: 10, tilt: -10, zoom: 1 });
    assert.equal((await call('/axis-cgi/com/ptz.cgi?setserverpresetname=Door')).status, 204);
    assert.deepEqual(lines(await call('/axis-cgi/com/ptz.cgi?query=presetposall')),
      ['Preset Positions for camera 1', 'presetposno1=Home', 'presetposno2=Door']);
    await call('/axis-cgi/com/ptz.cgi?pan=-30&tilt=-45');
    await cam.waitFor((s) => !s.ptz.moving && s.ptz.pan === -30 && s.ptz.tilt === -45);
    await call('/axis-cgi/com/ptz.cgi?gotoserverpresetname=Door');
    assert.equal((await cam.state()).ptz.moving, true, 'presets are reached over time');
    await cam.waitFor((s) => !s.ptz.moving && s.ptz.pan === 10 && s.ptz.tilt === -10);
    assert.match((await call('/axis-cgi/com/ptz.cgi?gotoserverpresetname=Nope')).text, /^Error/);
  });

  test('port.cgi: outputs set, pulsed and read back; inputs refused', async () => {
    assert.deepEqual(lines(await call('/axis-cgi/io/port.cgi?action=3:/')), ['OK']);
    assert.deepEqual(lines(await call('/axis-cgi/io/port.cgi?check=1,3')), ['port1=0', 'port3=1']);
    assert.deepEqual(lines(await call('/axis-cgi/io/port.cgi?checkactive=3')), ['port3=active']);
    assert.deepEqual(lines(await call('/axis-cgi/io/port.cgi?action=3%3A%5C')), ['OK']);
    assert.deepEqual(lines(await call('/axis-cgi/io/port.cgi?checkactive=3')), ['port3=inactive']);
    assert.match((await call('/axis-cgi/io/port.cgi?action=1:/')).text, /^Error: port 1 is an input/);
    await cam.input(1, true);
    assert.deepEqual(lines(await call('/axis-cgi/io/port.cgi?checkactive=1')), ['port1=active']);
    // A 300 ms pulse: active at once, inactive again by itself.
    await call('/axis-cgi/io/port.cgi?action=3:/300\\');
    assert.equal((await cam.state()).io[2].active, true);
    await cam.waitFor((s) => !s.io[2].active && !s.io[2].pulsing, { timeoutMs: 1500 });
  });

  test('snapshot is a JPEG', async () => {
    const r = await fetch(`${cam.url}/axis-cgi/jpg/image.cgi?resolution=640x360`,
      { headers: { Authorization: cam.basicAuth() } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/jpeg');
    const jpeg = Buffer.from(await r.arrayBuffer());
    assert.equal(jpeg.readUInt16BE(0), 0xFFD8);
    assert.equal(Number(r.headers.get('content-length')), jpeg.length);
    const bad = await call('/axis-cgi/jpg/image.cgi?resolution=123x45');
    assert.match(bad.text, /^Error: resolution not supported/);
  });

  test('MJPEG stream delivers parts with the boundary of its header', async () => {
    const parts = await new Promise((resolve, reject) => {
      const req = http.get(`${cam.url}/axis-cgi/mjpg/video.cgi`,
        { agent: false, headers: { Authorization: cam.basicAuth() } }, (res) => {
          const type = res.headers['content-type'];
          const m = /^multipart\/x-mixed-replace;boundary=(.+)$/.exec(type);
          if (!m) { reject(new Error(`content-type ${type}`)); req.destroy(); return; }
          let buf = Buffer.alloc(0);
          const found = [];
          res.on('data', (chunk) => {
            buf = Buffer.concat([buf, chunk]);
            for (;;) {
              const head = buf.indexOf('\r\n\r\n');
              if (head < 0) return;
              const header = buf.subarray(0, head).toString();
              assert.ok(header.startsWith(`--${m[1]}\r\nContent-Type: image/jpeg\r\n`), header);
              const length = Number(/Content-Length: (\d+)/.exec(header)[1]);
              if (buf.length < head + 4 + length + 2) return;
              found.push(buf.subarray(head + 4, head + 4 + length));
              buf = buf.subarray(head + 4 + length + 2);
              if (found.length === 2) { req.destroy(); resolve(found); return; }
            }
          });
        });
      req.on('error', (e) => { if (!req.destroyed) reject(e); });
    });
    for (const jpeg of parts) assert.equal(jpeg.readUInt16BE(0), 0xFFD8);
    // The fake notices the client left (at its next write) and carries on.
    await cam.waitFor((s) => s.streams === 0);
  });

  test('a silent camera leaves a request unanswered', async () => {
    await cam.silent(true);
    await cam.requests();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 500);
    await assert.rejects(fetch(`${cam.url}/axis-cgi/param.cgi?action=list&group=Brand`,
      { headers: { Authorization: cam.basicAuth() }, signal: controller.signal }),
    { name: 'AbortError' });
    clearTimeout(timer);
    await cam.silent(false);
    assert.deepEqual((await cam.requests()).map((e) => e.status), [null]);
    assert.equal((await call('/axis-cgi/param.cgi?action=list&group=Brand.Brand')).status, 200);
  });

  test('fail switch replaces the next replies of one path', async () => {
    await cam.fail({ path: '/axis-cgi/com/ptz.cgi', status: 500, body: 'boom', count: 1 });
    const failed = await call('/axis-cgi/com/ptz.cgi?query=speed');
    assert.equal(failed.status, 500);
    assert.equal(failed.text, 'boom');
    const next = await call('/axis-cgi/com/ptz.cgi?query=speed');
    assert.deepEqual([next.status, next.text], [200, 'speed=100\r\n']);
  });

  test('restart answers OK, then 503 while rebooting, then serves again', async () => {
    // Fresh connections: the reboot drops the camera's open ones.
    const fresh = { agent: false };
    assert.deepEqual(lines(await call('/axis-cgi/restart.cgi', fresh)), ['OK']);
    assert.equal((await call('/axis-cgi/param.cgi?action=list&group=Brand.Brand', fresh)).status, 503);
    const back = await cam.waitFor((s) => !s.rebooting, { timeoutMs: 2000 });
    assert.equal(back.counters.reboots, 1);
    assert.equal((await call('/axis-cgi/param.cgi?action=list&group=Brand.Brand', fresh)).status, 200);
    assert.match((await call('/axis-cgi/systemlog.cgi', fresh)).text, /Rebooting \(restart\.cgi\)/);
  });
});
