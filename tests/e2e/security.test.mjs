// Security end to end: UsernameToken and HTTP Digest against the real
// gateway, replay and freshness, access classes per user level, the stored
// access policy, all-or-nothing user management, persistence across a
// restart, the IP address filter and brute-force throttling.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import onvif from 'onvif';
import {
  ADMIN, Gateway, checkSoap, haveCheckSoap, soap, tempDir, usernameToken, writeConfig,
} from './lib/harness.mjs';

const OPERATOR = { username: 'operator1', password: 'Operator-Passw0rd' };
const USER = { username: 'viewer1', password: 'Viewer-Passw0rd' };

function envelope(body, header = '') {
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" ' +
    'xmlns:tev="http://www.onvif.org/ver10/events/wsdl">' +
    (header ? `<s:Header>${header}</s:Header>` : '') + `<s:Body>${body}</s:Body></s:Envelope>`;
}

/** Raw POST with full control: source address, headers, exact body. */
function post(port, xml, { localAddress = '127.0.0.1', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: '/onvif/device_service', method: 'POST', localAddress,
      agent: false,
      headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', ...headers },
    }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders, body }));
    });
    req.on('error', reject);
    req.end(xml);
  });
}

function challengesOf(res) {
  const out = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    if (res.rawHeaders[i].toLowerCase() === 'www-authenticate') out.push(res.rawHeaders[i + 1]);
  }
  return out;
}

function parseChallenge(value) {
  const params = {};
  for (const m of value.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) params[m[1]] = m[2] ?? m[3];
  return params;
}

function digestHeader(challenge, { username, password }, { method = 'POST', uri = '/onvif/device_service', nc = 1 } = {}) {
  const c = parseChallenge(challenge);
  const algo = c.algorithm === 'SHA-256' ? 'sha256' : 'md5';
  const h = (s) => crypto.createHash(algo).update(s).digest('hex');
  const cnonce = crypto.randomBytes(8).toString('hex');
  const ncs = nc.toString(16).padStart(8, '0');
  const response = h(`${h(`${username}:${c.realm}:${password}`)}:${c.nonce}:${ncs}:${cnonce}:auth:${h(`${method}:${uri}`)}`);
  return `Digest username="${username}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", ` +
    `algorithm=${c.algorithm}, qop=auth, nc=${ncs}, cnonce="${cnonce}", response="${response}"` +
    (c.opaque ? `, opaque="${c.opaque}"` : '');
}

const as = (who) => ({ auth: who });

describe('security', () => {
  let dir;
  let cfg;
  let gw;
  let port;

  before(async () => {
    dir = tempDir();
    cfg = await writeConfig(dir, {
      devices: 2,
      security: { failures_before_delay: 2, failures_before_lockout: 5, lockout_s: 60 },
    });
    port = cfg.ports[0];
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => { await gw?.stop(); });

  test('no credentials: 401 with Digest challenges (MD5 first) and ter:NotAuthorized', async () => {
    const r = await post(port, envelope('<tds:GetDeviceInformation/>'));
    assert.equal(r.status, 401);
    const challenges = challengesOf(r);
    assert.ok(challenges.length >= 2, challenges.join(' | '));
    assert.match(challenges[0], /^Digest .*algorithm=MD5/);
    assert.match(challenges[1], /^Digest .*algorithm=SHA-256/);
    assert.ok(challenges.every((c) => /qop="auth"/.test(c)));
    assert.match(r.body, /ter:NotAuthorized/);
    if (haveCheckSoap) assert.equal(checkSoap(r.body), '');
  });

  test('an empty POST (curl --digest\'s first step) gets the challenge', async () => {
    const r = await post(port, '');
    assert.equal(r.status, 401);
    assert.match(challengesOf(r)[0], /^Digest .*algorithm=MD5/);
  });

  test('PRE_AUTH operations work without, with and with wrong credentials', async () => {
    for (const auth of [null, ADMIN, { username: 'admin', password: 'wrong' }, { username: 'nobody', password: 'x' }]) {
      for (const body of ['<tds:GetSystemDateAndTime/>', '<tds:GetCapabilities/>', '<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>', '<tds:GetEndpointReference/>', '<tds:GetHostname/>']) {
        const r = await soap(port, body, { auth });
        assert.equal(r.status, 200, `${body} as ${auth?.username}: ${r.text}`);
      }
    }
  });

  test('the onvif client authenticates; a wrong password is refused', async () => {
    const good = new onvif.Cam({ hostname: '127.0.0.1', port, autoconnect: false, ...ADMIN });
    await promisify(good.connect.bind(good))();
    const info = await promisify(good.getDeviceInformation.bind(good))();
    assert.equal(info.manufacturer, 'Simulated Optics');
    const bad = new onvif.Cam({ hostname: '127.0.0.1', port, autoconnect: false, username: 'admin', password: 'wrong' });
    await assert.rejects(promisify(bad.getDeviceInformation.bind(bad))());
  });

  test('HTTP Digest with MD5 and SHA-256; a replayed nonce count is refused', async () => {
    for (const algorithm of ['MD5', 'SHA-256']) {
      // A fresh challenge per algorithm: the offered challenges share one
      // nonce, and a nonce's count may only go up.
      const first = await post(port, envelope('<tds:GetDeviceInformation/>'));
      const challenge = challengesOf(first).find((c) => c.includes(`algorithm=${algorithm},`) || c.endsWith(`algorithm=${algorithm}`));
      assert.ok(challenge, `no ${algorithm} challenge`);
      const auth = digestHeader(challenge, ADMIN);
      const ok = await post(port, envelope('<tds:GetDeviceInformation/>'), { headers: { Authorization: auth } });
      assert.equal(ok.status, 200, `${challenge}: ${ok.body}`);
      const replay = await post(port, envelope('<tds:GetDeviceInformation/>'), { headers: { Authorization: auth } });
      assert.equal(replay.status, 401, 'same nc again');
      const next = await post(port, envelope('<tds:GetDeviceInformation/>'), { headers: { Authorization: digestHeader(challenge, ADMIN, { nc: 2 }) } });
      assert.equal(next.status, 200);
      const wrong = await post(port, envelope('<tds:GetDeviceInformation/>'), { headers: { Authorization: digestHeader(challenge, { username: 'admin', password: 'nope' }, { nc: 3 }) } });
      assert.equal(wrong.status, 401);
    }
  });

  test('a captured UsernameToken request replayed is refused; an old Created is refused', async () => {
    const xml = envelope('<tds:GetDeviceInformation/>', usernameToken(ADMIN));
    assert.equal((await post(port, xml)).status, 200);
    const again = await post(port, xml);
    assert.equal(again.status, 401);
    assert.match(again.body, /ter:NotAuthorized/);
    const old = new Date(Date.now() - 10 * 60 * 1000).toISOString();
    const stale = await post(port, envelope('<tds:GetDeviceInformation/>', usernameToken({ ...ADMIN, created: old })));
    assert.equal(stale.status, 401);
    const future = new Date(Date.now() + 10 * 60 * 1000).toISOString();
    assert.equal((await post(port, envelope('<tds:GetDeviceInformation/>', usernameToken({ ...ADMIN, created: future })))).status, 401);
  });

  test('a hand-set device clock is the one UsernameToken Created is checked against', async () => {
    const other = cfg.ports[1];
    const setTo = (when, created) => {
      const d = new Date(when);
      const body = '<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType>' +
        '<tds:DaylightSavings>false</tds:DaylightSavings><tds:UTCDateTime><tt:Time>' +
        `<tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute>` +
        `<tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year>` +
        `<tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>` +
        '</tds:UTCDateTime></tds:SetSystemDateAndTime>';
      return post(other, envelope(body, usernameToken({ ...ADMIN, created: new Date(created).toISOString() })));
    };
    const ahead = 2 * 3600 * 1000;
    const set = await setTo(Date.now() + ahead, Date.now());
    assert.equal(set.status, 200, set.body);
    // GetSystemDateAndTime (PRE_AUTH) reports the device's clock.
    const got = await post(other, envelope('<tds:GetSystemDateAndTime/>'));
    const utc = got.body.match(/<tt:UTCDateTime>.*?<tt:Hour>(\d+)<\/tt:Hour><tt:Minute>(\d+)<.*?<tt:Year>(\d+)<\/tt:Year><tt:Month>(\d+)<\/tt:Month><tt:Day>(\d+)</);
    const reported = Date.UTC(+utc[3], +utc[4] - 1, +utc[5], +utc[1], +utc[2]);
    assert.ok(Math.abs(reported - (Date.now() + ahead)) < 120 * 1000, got.body);
    // A client aligned to it is accepted; one on the host's time is not.
    const aligned = usernameToken({ ...ADMIN, created: new Date(Date.now() + ahead).toISOString() });
    assert.equal((await post(other, envelope('<tds:GetDeviceInformation/>', aligned))).status, 200);
    assert.equal((await post(other, envelope('<tds:GetDeviceInformation/>', usernameToken(ADMIN)))).status, 401);
    // The first device's clock is its own.
    assert.equal((await post(port, envelope('<tds:GetDeviceInformation/>', usernameToken(ADMIN)))).status, 200);
    // Back to the host's time, with a token on the device's.
    assert.equal((await setTo(Date.now(), Date.now() + ahead)).status, 200);
    assert.equal((await soap(other, '<tds:GetDeviceInformation/>')).status, 200);
  });

  test('CreateUsers with one bad entry creates none', async () => {
    const before = await soap(port, '<tds:GetUsers/>');
    for (const bad of [
      '<tds:User><tt:Username>x1</tt:Username><tt:Password>Good-Passw0rd</tt:Password><tt:UserLevel>Anonymous</tt:UserLevel></tds:User>',
      '<tds:User><tt:Username>admin</tt:Username><tt:Password>Good-Passw0rd</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User>',
      '<tds:User><tt:Username>x2</tt:Username><tt:UserLevel>User</tt:UserLevel></tds:User>',
      `<tds:User><tt:Username>x3</tt:Username><tt:Password>${'p'.repeat(65)}</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User>`,
    ]) {
      const good = '<tds:User><tt:Username>fine1</tt:Username><tt:Password>Good-Passw0rd</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User>';
      const r = await soap(port, `<tds:CreateUsers>${good}${bad}</tds:CreateUsers>`);
      assert.equal(r.status, 400, r.text);
      assert.match(r.text, /ter:OperationProhibited|ter:InvalidArgVal/);
      if (haveCheckSoap) assert.equal(checkSoap(r.text), '');
      const after = await soap(port, '<tds:GetUsers/>');
      assert.equal(after.text.replace(/urn:uuid:[^<]+/g, ''), before.text.replace(/urn:uuid:[^<]+/g, ''));
    }
    const dup = '<tds:User><tt:Username>twin</tt:Username><tt:Password>Good-Passw0rd</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User>';
    const r = await soap(port, `<tds:CreateUsers>${dup}${dup}</tds:CreateUsers>`);
    assert.match(r.text, /ter:UsernameClash/);
  });

  test('users are created, listed without passwords, and a 28-byte derived password works', async () => {
    const derived = crypto.createHmac('sha1', 'derived1' + 'Secret-Passw0rd')
      .update('urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6ONVIF password').digest('base64');
    assert.equal(Buffer.byteLength(derived), 28);
    const body = [OPERATOR, USER].map((u, i) =>
      `<tds:User><tt:Username>${u.username}</tt:Username><tt:Password>${u.password}</tt:Password><tt:UserLevel>${i ? 'User' : 'Operator'}</tt:UserLevel></tds:User>`).join('') +
      `<tds:User><tt:Username>derived1</tt:Username><tt:Password>${derived}</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User>`;
    const r = await soap(port, `<tds:CreateUsers>${body}</tds:CreateUsers>`);
    assert.equal(r.status, 200, r.text);
    const users = await soap(port, '<tds:GetUsers/>');
    assert.match(users.text, /operator1/);
    assert.doesNotMatch(users.text, /Password/);
    if (haveCheckSoap) assert.equal(checkSoap(users.text), '');
    assert.equal((await soap(port, '<tds:GetScopes/>', as({ username: 'derived1', password: derived }))).status, 200);
  });

  test('a peer using the derived password (GetEndpointReference) is accepted, by token and by digest', async () => {
    const epr = (await soap(port, '<tds:GetEndpointReference/>', { auth: null })).text.match(/<tds:GUID>([^<]+)</)[1];
    assert.match(epr, /^urn:uuid:/);
    const derive = (user, password, nep) => crypto.createHmac('sha1', user + password)
      .update(nep + 'ONVIF password').digest('base64');
    const pe = { username: OPERATOR.username, password: derive(OPERATOR.username, OPERATOR.password, epr) };
    assert.equal((await soap(port, '<tds:GetScopes/>', as(pe))).status, 200);
    const first = await post(port, envelope('<tds:GetScopes/>'));
    const ok = await post(port, envelope('<tds:GetScopes/>'), { headers: { Authorization: digestHeader(challengesOf(first)[0], pe) } });
    assert.equal(ok.status, 200, ok.body);
    // Derived with another device's endpoint reference: refused.
    const other = { username: OPERATOR.username, password: derive(OPERATOR.username, OPERATOR.password, 'urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6') };
    assert.equal((await soap(port, '<tds:GetScopes/>', as(other))).status, 401);
  });

  test('each access class is enforced per user level as the default policy says', async () => {
    const levels = { Administrator: ADMIN, Operator: OPERATOR, User: USER, Anonymous: null };
    const cases = [
      ['PRE_AUTH', '<tds:GetSystemDateAndTime/>', ['Administrator', 'Operator', 'User', 'Anonymous']],
      ['READ_SYSTEM', '<tds:GetScopes/>', ['Administrator', 'Operator', 'User']],
      ['READ_SYSTEM_SECRET', '<tds:GetUsers/>', ['Administrator']],
      ['WRITE_SYSTEM', '<tds:SetAuthFailureWarningConfiguration><tds:Enabled>false</tds:Enabled><tds:MonitorPeriod>60</tds:MonitorPeriod><tds:MaxAuthFailures>5</tds:MaxAuthFailures></tds:SetAuthFailureWarningConfiguration>', ['Administrator']],
      ['READ_MEDIA', '<tev:GetEventProperties/>', ['Administrator', 'Operator', 'User']],
      ['READ_MEDIA', '<tds:GetRelayOutputs/>', ['Administrator', 'Operator', 'User']],
      ['ACTUATE', '<tds:SetRelayOutputState><tds:RelayOutputToken>relay-1</tds:RelayOutputToken><tds:LogicalState>inactive</tds:LogicalState></tds:SetRelayOutputState>', ['Administrator', 'Operator']],
      // Last: it reboots the simulated camera for two seconds.
      ['UNRECOVERABLE', '<tds:SystemReboot/>', ['Administrator']],
      // READ_SYSTEM_SENSITIVE: no operation of the services served here has
      // it (Core defines none; only Access Control/Credential/Schedule do);
      // the policy table for it is covered by the unit tests.
    ];
    for (const [cls, body, allowed] of cases) {
      for (const [level, who] of Object.entries(levels)) {
        const r = await post(port, envelope(body, who ? usernameToken(who) : ''));
        const expect = allowed.includes(level);
        assert.equal(r.status === 200, expect, `${cls} as ${level}: ${r.status} ${r.body.slice(0, 300)}`);
        if (!expect) assert.match(r.body, /ter:NotAuthorized/);
      }
    }
  });

  test('user roles: an Extended user may call what its roles grant, and no more', async () => {
    const EXT = { username: 'ext1', password: 'Ext-Role-Passw0rd' };
    const ok = async (body) => {
      const r = await soap(port, body);
      assert.equal(r.status, 200, `${body}: ${r.text}`);
      if (haveCheckSoap) assert.equal(checkSoap(r.text), '', r.text);
      return r.text;
    };
    const faultOf = async (body) => (await soap(port, body)).text.match(/ter:(\w+)<\/env:Value><\/env:Subcode><\/env:Subcode>|ter:(\w+)<\/env:Value><\/env:Subcode><\/env:Code>/)?.slice(1).find(Boolean);
    const role = (name, functions) => `<tds:SetUserRole><tds:UserRole><tt:Name>${name}</tt:Name>` +
      `<tt:Functions>${functions}</tt:Functions></tds:UserRole></tds:SetUserRole>`;
    const as = async (body) => (await post(port, envelope(body, usernameToken(EXT)))).status;

    assert.match(await ok('<tds:GetServiceCapabilities/>'), /MaxUserRoles="16"/);
    await ok(role('NetReader', 'tds:GetNTP tds:GetDNS'));
    assert.equal(await faultOf(role('onvif:Viewer', 'tds:GetNTP')), 'OnvifPrefix');
    assert.equal(await faultOf(role('Bad', 'tds:GetNTP tds:Nope')), 'FunctionNotImplemented');
    assert.equal(await faultOf(role('Bad', 'tds:GetDot11Status')), 'FunctionNotImplemented');
    assert.equal(await faultOf('<tds:CreateUsers><tds:User><tt:Username>ext1</tt:Username><tt:Password>' +
      `${EXT.password}</tt:Password><tt:UserLevel>Extended</tt:UserLevel><tt:Extension><tt:Roles>Absent` +
      '</tt:Roles></tt:Extension></tds:User></tds:CreateUsers>'), 'InvalidUserRole');
    await ok('<tds:CreateUsers><tds:User><tt:Username>ext1</tt:Username><tt:Password>' +
      `${EXT.password}</tt:Password><tt:UserLevel>Extended</tt:UserLevel><tt:Extension><tt:Roles>NetReader` +
      '</tt:Roles></tt:Extension></tds:User></tds:CreateUsers>');
    assert.match(await ok('<tds:GetUsers/>'),
      /<tt:Username>ext1<\/tt:Username><tt:UserLevel>Extended<\/tt:UserLevel><tt:Extension><tt:Roles>NetReader<\/tt:Roles>/);
    const roles = await ok('<tds:GetUserRoles/>');
    assert.match(roles, /<tt:Name>onvif:Administrator<\/tt:Name>.*<tt:Name>NetReader<\/tt:Name><tt:Functions>tds:GetNTP tds:GetDNS</);

    // Its functions only: not other READ_SYSTEM operations, not the level's.
    assert.equal(await as('<tds:GetNTP/>'), 200);
    assert.equal(await as('<tds:GetDNS/>'), 200);
    assert.equal(await as('<tds:GetScopes/>'), 400);
    assert.equal(await as('<tds:GetUsers/>'), 400);
    // A predefined role is its level: what the policy lets a User do.
    await ok('<tds:SetUser><tds:User><tt:Username>ext1</tt:Username><tt:Password>' +
      `${EXT.password}</tt:Password><tt:UserLevel>Extended</tt:UserLevel><tt:Extension><tt:Roles>NetReader onvif:User` +
      '</tt:Roles></tt:Extension></tds:User></tds:SetUser>');
    assert.equal(await as('<tds:GetScopes/>'), 200);
    assert.equal(await as('<tds:SetHostname><tds:Name>nope</tds:Name></tds:SetHostname>'), 400);

    // Deleting a role takes it from its users at once.
    await ok('<tds:DeleteUserRole><tds:UserRole>NetReader</tds:UserRole></tds:DeleteUserRole>');
    assert.doesNotMatch(await ok('<tds:GetUsers/>'), /NetReader/);
    assert.equal(await faultOf('<tds:DeleteUserRole><tds:UserRole>NetReader</tds:UserRole></tds:DeleteUserRole>'), 'InvalidUserRole');
    assert.equal(await faultOf('<tds:DeleteUserRole><tds:UserRole>onvif:User</tds:UserRole></tds:DeleteUserRole>'), 'OnvifPrefix');
    assert.equal(await as('<tds:GetScopes/>'), 200);  // still a User by onvif:User
    await ok('<tds:DeleteUsers><tds:Username>ext1</tds:Username></tds:DeleteUsers>');
  });

  test('the authentication failure warning is a tns1:Device/SecurityPolicy/AuthFailed event', async () => {
    const at = async (path, body) => {
      const xml = envelope(body, usernameToken(ADMIN)).replace('<s:Envelope ',
        '<s:Envelope xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tns1="http://www.onvif.org/ver10/topics" ');
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST', headers: { 'Content-Type': 'application/soap+xml' }, body: xml,
      });
      return { status: res.status, text: await res.text() };
    };
    const warn = (enabled) => soap(port, `<tds:SetAuthFailureWarningConfiguration><tds:Enabled>${enabled}</tds:Enabled><tds:MonitorPeriod>60</tds:MonitorPeriod><tds:MaxAuthFailures>1</tds:MaxAuthFailures></tds:SetAuthFailureWarningConfiguration>`);
    assert.equal((await warn(true)).status, 200);
    const props = await at('/onvif/events_service', '<tev:GetEventProperties/>');
    assert.match(props.text, /<tns1:Device[^>]*><SecurityPolicy><AuthFailed wstop:topic="true">/);
    if (haveCheckSoap) assert.equal(checkSoap(props.text), '');
    const sub = await at('/onvif/events_service', '<tev:CreatePullPointSubscription><tev:Filter>' +
      '<wsnt:TopicExpression Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">' +
      'tns1:Device/SecurityPolicy/AuthFailed</wsnt:TopicExpression></tev:Filter></tev:CreatePullPointSubscription>');
    assert.equal(sub.status, 200, sub.text);
    const subPath = new URL(sub.text.match(/<wsa:Address>([^<]+)</)[1]).pathname;
    // Two failures from an address of their own (the brute-force limiter
    // counts per address): more than MaxAuthFailures = 1.
    for (let i = 0; i < 2; i++) {
      const r = await post(port, envelope('<tds:GetScopes/>', usernameToken({ ...USER, password: 'wrong' })), { localAddress: '127.0.0.4' });
      assert.equal(r.status, 401);
    }
    const pulled = await at(subPath, '<tev:PullMessages><tev:Timeout>PT5S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>');
    assert.equal(pulled.status, 200, pulled.text);
    if (haveCheckSoap) assert.equal(checkSoap(pulled.text), '');
    assert.match(pulled.text, /tns1:Device\/SecurityPolicy\/AuthFailed/);
    assert.match(pulled.text, /<tt:SimpleItem Name="NetworkInterface" Value="eth0"\/>/);
    assert.match(pulled.text, /<tt:SimpleItem Name="SourceIPv4" Value="127.0.0.4"\/>/);
    assert.doesNotMatch(pulled.text, /PropertyOperation/, 'not a property event');
    assert.equal((pulled.text.match(/AuthFailed/g) || []).length, 1, 'once per period');
    assert.equal((await warn(false)).status, 200);
  });

  test('the stored access policy is what is enforced', async () => {
    const current = await soap(port, '<tds:GetAccessPolicy/>');
    assert.equal(current.status, 200);
    const text = Buffer.from(current.text.match(/<tt:Data>([^<]*)</)[1], 'base64').toString();
    assert.match(text, /Administrator/);
    // Give the User level READ_SYSTEM_SECRET, and check GetUsers follows.
    const changed = text.split('\n').map((l) => (l.startsWith('User:') ? `${l} READ_SYSTEM_SECRET` : l)).join('\n');
    const set = await soap(port, `<tds:SetAccessPolicy><tds:PolicyFile><tt:Data>${Buffer.from(changed).toString('base64')}</tt:Data></tds:PolicyFile></tds:SetAccessPolicy>`);
    assert.equal(set.status, 200, set.text);
    assert.equal((await soap(port, '<tds:GetUsers/>', as(USER))).status, 200);
    // The Anonymous line is enforced too: READ_SYSTEM for everyone.
    const open = text.split('\n').map((l) => (l.startsWith('Anonymous:') ? `${l} READ_SYSTEM` : l)).join('\n');
    assert.equal((await soap(port, `<tds:SetAccessPolicy><tds:PolicyFile><tt:Data>${Buffer.from(open).toString('base64')}</tt:Data></tds:PolicyFile></tds:SetAccessPolicy>`)).status, 200);
    assert.equal((await soap(port, '<tds:GetScopes/>', { auth: null })).status, 200);
    assert.equal((await soap(port, '<tds:GetUsers/>', { auth: null })).status, 401);
    const bad = await soap(port, `<tds:SetAccessPolicy><tds:PolicyFile><tt:Data>${Buffer.from('garbage').toString('base64')}</tt:Data></tds:PolicyFile></tds:SetAccessPolicy>`);
    assert.match(bad.text, /ter:PolicyFormat/);
    const restore = await soap(port, `<tds:SetAccessPolicy><tds:PolicyFile><tt:Data>${Buffer.from(text).toString('base64')}</tt:Data></tds:PolicyFile></tds:SetAccessPolicy>`);
    assert.equal(restore.status, 200);
    assert.equal((await soap(port, '<tds:GetUsers/>', as(USER))).status, 400, 'authenticated, not permitted');
  });

  test('the last Administrator and the fixed user are protected', async () => {
    const del = await soap(port, '<tds:DeleteUsers><tds:Username>admin</tds:Username></tds:DeleteUsers>');
    assert.match(del.text, /ter:FixedUser/);
    const missing = await soap(port, '<tds:DeleteUsers><tds:Username>ghost</tds:Username></tds:DeleteUsers>');
    assert.match(missing.text, /ter:UsernameMissing/);
  });

  test('every security response validates against the official schemas', { skip: !haveCheckSoap && '../shared/onvif is absent' }, async () => {
    for (const body of [
      '<tds:GetUsers/>', '<tds:GetAccessPolicy/>', '<tds:GetRemoteUser/>', '<tds:GetIPAddressFilter/>',
      '<tds:GetPasswordComplexityOptions/>', '<tds:GetPasswordComplexityConfiguration/>',
      '<tds:GetPasswordHistoryConfiguration/>', '<tds:GetAuthFailureWarningOptions/>',
      '<tds:GetAuthFailureWarningConfiguration/>', '<tds:GetServiceCapabilities/>',
      '<tds:SetRemoteUser><tds:RemoteUser><tt:Username>remote1</tt:Username><tt:Password>Remote-Passw0rd</tt:Password><tt:UseDerivedPassword>true</tt:UseDerivedPassword></tds:RemoteUser></tds:SetRemoteUser>',
      '<tds:SetPasswordHistoryConfiguration><tds:Enabled>false</tds:Enabled><tds:Length>3</tds:Length></tds:SetPasswordHistoryConfiguration>',
      '<tds:GetUserRoles/>',
    ]) {
      const r = await soap(port, body);
      assert.equal(checkSoap(r.text), '', `${body}:\n${r.text}`);
      assert.equal(r.status, 200, `${body}: ${r.text}`);
    }
    const remote = await soap(port, '<tds:GetRemoteUser/>');
    assert.match(remote.text, /remote1/);
    assert.doesNotMatch(remote.text, /Remote-Passw0rd/);
    const caps = await soap(port, '<tds:GetServiceCapabilities/>');
    assert.match(caps.text, /UsernameToken="true"/);
    assert.match(caps.text, /HttpDigest="true"/);
    assert.match(caps.text, /MaxUsers="32"/);
  });

  test('HTTP Basic is refused unless enabled', async () => {
    const basic = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
    const r = await post(port, envelope('<tds:GetScopes/>'), { headers: { Authorization: basic } });
    assert.equal(r.status, 401);
    assert.ok(challengesOf(r).every((c) => c.startsWith('Digest')), 'no Basic challenge offered');
  });

  test('secrets at rest: a 0600 key file, no plaintext password in the database or the log', () => {
    const state = path.join(dir, 'state');
    const mode = fs.statSync(path.join(state, 'secret.key')).mode & 0o777;
    assert.equal(mode, 0o600);
    const db = Buffer.concat(fs.readdirSync(state).filter((f) => f.startsWith('state.db'))
      .map((f) => fs.readFileSync(path.join(state, f))));
    for (const secret of [ADMIN.password, OPERATOR.password, USER.password, 'Remote-Passw0rd']) {
      assert.equal(db.includes(Buffer.from(secret)), false, 'plaintext password in the database');
      assert.equal(gw.lines.some((l) => l.includes(secret)), false, 'password in the log');
    }
  });

  test('SetHashingAlgorithm chooses the Digest challenges; a bad list changes nothing', async () => {
    const setTo = (list) => soap(port, `<tds:SetHashingAlgorithm><tds:Algorithm>${list}</tds:Algorithm></tds:SetHashingAlgorithm>`);
    const challenges = async () => challengesOf(await post(port, envelope('<tds:GetScopes/>')));
    const only = await setTo('SHA-256');
    assert.equal(only.status, 200, only.text);
    if (haveCheckSoap) assert.equal(checkSoap(only.text), '');
    let ch = await challenges();
    assert.equal(ch.length, 1, ch.join('\n'));
    assert.match(ch[0], /algorithm=SHA-256/);
    const ok = await post(port, envelope('<tds:GetScopes/>'), { headers: { Authorization: digestHeader(ch[0], ADMIN) } });
    assert.equal(ok.status, 200, ok.body);
    for (const bad of ['SHA-1', '', 'MD5 md5', 'MD5-sess']) {
      const r = await setTo(bad);
      assert.equal(r.status, 400, `${bad}: ${r.text}`);
      assert.match(r.text, /ter:InvalidArgVal/);
    }
    ch = await challenges();
    assert.equal(ch.length, 1);
    // Core's own example separates with a comma.
    assert.equal((await setTo('SHA-256,MD5')).status, 200);
    ch = await challenges();
    assert.deepEqual(ch.map((c) => parseChallenge(c).algorithm), ['SHA-256', 'MD5']);
  });

  test('users and the Digest algorithms survive a restart', async () => {
    await gw.stop('SIGKILL');
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
    assert.equal((await soap(port, '<tds:GetScopes/>', as(OPERATOR))).status, 200);
    assert.equal((await soap(port, '<tds:GetScopes/>', as({ ...OPERATOR, password: 'wrong' }))).status, 401);
    const ch = challengesOf(await post(port, envelope('<tds:GetScopes/>')));
    assert.deepEqual(ch.map((c) => parseChallenge(c).algorithm), ['SHA-256', 'MD5']);
    assert.equal((await soap(port, '<tds:SetHashingAlgorithm><tds:Algorithm>MD5 SHA-256</tds:Algorithm></tds:SetHashingAlgorithm>')).status, 200);
  });

  test('the IP address filter shuts a denied address out of that device only', async () => {
    const deny = '<tds:SetIPAddressFilter><tds:IPAddressFilter><tt:Type>Deny</tt:Type>' +
      '<tt:IPv4Address><tt:Address>127.0.0.2</tt:Address><tt:PrefixLength>32</tt:PrefixLength></tt:IPv4Address>' +
      '</tds:IPAddressFilter></tds:SetIPAddressFilter>';
    assert.equal((await soap(port, deny)).status, 200);
    const get = await soap(port, '<tds:GetIPAddressFilter/>');
    assert.match(get.text, /127\.0\.0\.2/);
    if (haveCheckSoap) assert.equal(checkSoap(get.text), '');
    await assert.rejects(post(port, envelope('<tds:GetSystemDateAndTime/>'), { localAddress: '127.0.0.2' }));
    assert.equal((await post(port, envelope('<tds:GetSystemDateAndTime/>'))).status, 200, 'others still served');
    assert.equal((await post(cfg.ports[1], envelope('<tds:GetSystemDateAndTime/>'), { localAddress: '127.0.0.2' })).status, 200, 'the other device has its own filter');
    const clear = '<tds:SetIPAddressFilter><tds:IPAddressFilter><tt:Type>Allow</tt:Type></tds:IPAddressFilter></tds:SetIPAddressFilter>';
    assert.equal((await soap(port, clear)).status, 200);
    assert.equal((await post(port, envelope('<tds:GetSystemDateAndTime/>'), { localAddress: '127.0.0.2' })).status, 200);
  });

  test('repeated failures from one address are slowed and then refused', async () => {
    // The test config lowers the thresholds: delays after 2 failures,
    // lockout after 5 (see writeConfig's security section below).
    const from = { localAddress: '127.0.0.3' };
    const delays = [];
    for (let i = 0; i < 5; i++) {
      const t = Date.now();
      const r = await post(port, envelope('<tds:GetScopes/>', usernameToken({ username: 'admin', password: 'guess' })), from);
      delays.push(Date.now() - t);
      assert.equal(r.status, 401);
    }
    assert.ok(delays[4] >= 200 && delays[4] > delays[0], `failures were not slowed down: ${delays}`);
    const right = await post(port, envelope('<tds:GetScopes/>', usernameToken(ADMIN)), from);
    assert.equal(right.status, 401, 'locked out even with the right password');
    // Other addresses are unaffected.
    assert.equal((await soap(port, '<tds:GetScopes/>')).status, 200);
});
});

test('first run without a configured administrator generates one and logs it once', async () => {
  const dir = tempDir();
  const cfg = await writeConfig(dir, { devices: 1, admin: null });
  let gw = new Gateway(cfg.file);
  try {
    const m = await gw.waitFor(/created user 'admin' with password '([^']+)'/);
    await gw.waitFor(/\[adapter:sim\] ready/);
    const password = m[1];
    assert.ok(password.length >= 12);
    assert.equal((await soap(cfg.ports[0], '<tds:GetScopes/>', { auth: { username: 'admin', password } })).status, 200);
    await gw.stop();
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
    assert.equal(gw.lines.some((l) => l.includes(password)), false, 'printed only once');
    assert.equal((await soap(cfg.ports[0], '<tds:GetScopes/>', { auth: { username: 'admin', password } })).status, 200);
  } finally {
    await gw.stop();
  }
});
