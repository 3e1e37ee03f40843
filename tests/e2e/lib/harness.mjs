// Test harness: starts the real onvif-gateway (which spawns the real simulated
// adapter), awaits its log lines, and talks raw SOAP and WS-Discovery to it.
// Loopback only; every wait is bounded and event-driven.

import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const binDir = process.env.ONVIFGW_BIN_DIR || path.join(repoRoot, 'build', 'bin');
export const checkSoapPath = path.resolve(repoRoot, '..', 'shared', 'onvif', 'check-soap');
export const haveCheckSoap = fs.existsSync(checkSoapPath);

export function tempDir(prefix = 'onvifgw-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A TCP port that was free a moment ago (bound to port 0, then released). */
export function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Writes a gateway config with `devices` virtual devices on free ports. */
export async function writeConfig(dir, { devices = 2, discoveryPort, multicast = false,
                                        address = '127.0.0.1', callDeadlineMs = 1500,
                                        http = {}, security = {}, events = {}, admin = ADMIN,
                                        relays = [], audio = [], mjpeg = [], snapshotOnly = [],
                                        encoderDevice = false, simRtspPort,
                                        systemRtspPort = false, streamLingerMs,
                                        mjpegCameras = [], encodeH264 = [], ptz = [], inputs = [],
                                        inputIntervalMs } = {}) {
  const ports = [];
  const rtspPorts = [];
  // A port just freed can come back from the next call: every port of the
  // config distinct (the gateway refuses a config that names one twice).
  const taken = new Set();
  const distinctPort = async () => {
    for (;;) {
      const p = await freeTcpPort();
      if (!taken.has(p)) { taken.add(p); return p; }
    }
  };
  for (let i = 0; i < devices; i++) {
    ports.push(await distinctPort());
    rtspPorts.push(await distinctPort());
  }
  // One more device presenting every camera as its video sources (an NVR).
  const encoderPort = encoderDevice ? await distinctPort() : undefined;
  const encoderRtspPort = encoderDevice ? await distinctPort() : undefined;
  const dport = discoveryPort ?? await freeUdpPort();
  const lines = [
    `state_dir: ${path.join(dir, 'state')}`,
    'log_level: info',
    'discovery:',
    '  enabled: true',
    `  address: 0.0.0.0`,
    `  port: ${dport}`,
    `  multicast: ${multicast}`,
  ];
  if (Object.keys(http).length) {
    lines.push('http:', ...Object.entries(http).map(([k, v]) => `  ${k}: ${v}`));
  }
  if (Object.keys(security).length) {
    lines.push('security:', ...Object.entries(security).map(([k, v]) => `  ${k}: ${v}`));
  }
  if (Object.keys(events).length) {
    lines.push('events:', ...Object.entries(events).map(([k, v]) => `  ${k}: ${v}`));
  }
  lines.push(
    'adapters:',
    '  - id: sim',
    `    exec: ${path.join(binDir, 'onvif-adapter-simulated')}`,
    `    call_deadline_ms: ${callDeadlineMs}`,
    '    config:',
    '      motion_interval_ms: 1000',
    ...(inputIntervalMs ? [`      input_interval_ms: ${inputIntervalMs}`] : []),
    // A fixed port keeps the camera's stream URIs across an adapter restart.
    ...(simRtspPort ? [`      rtsp_port: ${simRtspPort}`] : []),
    '      cameras:',
  );
  for (let i = 0; i < devices; i++) {
    lines.push(`        - id: cam-${i + 1}`, `          model: SIM-${i + 1}000`);
    if (relays[i] !== undefined) lines.push(`          relay_outputs: ${relays[i]}`);
    if (audio[i]) lines.push('          audio: true');
    // A PTZ head on the camera's first source.
    if (ptz[i]) lines.push('          ptz: true');
    // Digital inputs "input-1".."input-N" whose contacts toggle every input_interval_ms.
    lines.push(`          digital_inputs: ${inputs[i] ?? 0}`);
    // A legacy camera: its pictures as MJPEG over HTTP, 1280x720 (main) and
    // 640x360 (sub) at 10 fps.
    if (mjpeg[i]) {
      lines.push('          streaming: mjpeg_http', '          width: 1280', '          height: 720',
        '          framerate: 10');
    }
    // A camera whose MJPEG over HTTP another program serves ({ url, width,
    // height, fps }: tests/fakes/mjpeg_camera.mjs).
    if (mjpegCameras[i]) {
      const c = mjpegCameras[i];
      lines.push('          streaming: mjpeg_http', `          mjpeg_url: '${c.url}'`,
        `          width: ${c.width}`, `          height: ${c.height}`, `          framerate: ${c.fps}`);
    }
    // A camera that only takes pictures (640x360, asked for 5 a second).
    if (snapshotOnly[i]) lines.push('          streaming: snapshot', '          framerate: 5');
  }
  lines.push('devices:');
  for (let i = 0; i < devices; i++) {
    lines.push(
      `  - id: dev-${i + 1}`,
      `    name: E2E camera ${i + 1}`,
      `    location: country/test`,
      `    hardware: SIM-${i + 1}000`,
      `    address: ${address}`,
      `    port: ${ports[i]}`,
      // 0: the system chooses (and the gateway remembers it).
      `    rtsp_port: ${systemRtspPort ? 0 : rtspPorts[i]}`,
      '    adapter: sim',
      `    camera: cam-${i + 1}`,
    );
    if (streamLingerMs !== undefined) lines.push(`    stream_linger_ms: ${streamLingerMs}`);
    // Streams whose JPEG the relay encodes as H.264, e.g. ['main'].
    if (encodeH264[i]) lines.push(`    encode_h264: [${encodeH264[i].join(', ')}]`);
    if (admin) {
      lines.push('    admin:', `      username: ${admin.username}`, `      password: ${admin.password}`);
    }
  }
  if (encoderDevice) {
    const cams = Array.from({ length: devices }, (_, i) => `cam-${i + 1}`).join(', ');
    lines.push('  - id: nvr', '    name: E2E encoder', `    address: ${address}`,
      `    port: ${encoderPort}`, `    rtsp_port: ${encoderRtspPort}`, '    adapter: sim',
      `    camera: [${cams}]`);
    if (admin) {
      lines.push('    admin:', `      username: ${admin.username}`, `      password: ${admin.password}`);
    }
  }
  const file = path.join(dir, 'gateway.yaml');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { file, ports, rtspPorts, discoveryPort: dport, encoderPort, encoderRtspPort };
}

/** A running gateway whose log lines can be awaited. */
export class Gateway {
  constructor(configFile) {
    this.lines = [];
    this.waiters = [];
    this.proc = spawn(path.join(binDir, 'onvif-gateway'), ['--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
    let buf = '';
    const onData = (chunk) => {
      buf += chunk.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.lines.push(line);
        if (process.env.ONVIFGW_E2E_VERBOSE) console.error('  gw| ' + line);
        this.waiters = this.waiters.filter((w) => !w.check(line));
      }
    };
    this.proc.stdout.on('data', onData);
    this.proc.stderr.on('data', onData);
  }

  /** Resolves with the match of the `nth` (1-based) line matching `re`. */
  waitFor(re, { nth = 1, timeoutMs = 15000 } = {}) {
    return new Promise((resolve, reject) => {
      let seen = this.lines.filter((l) => re.test(l));
      if (seen.length >= nth) return resolve(seen[nth - 1].match(re));
      let count = seen.length;
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for ${re} (#${nth}); log:\n${this.lines.join('\n')}`));
      }, timeoutMs);
      this.waiters.push({
        check: (line) => {
          if (!re.test(line)) return false;
          if (++count < nth) return false;
          clearTimeout(timer);
          resolve(line.match(re));
          return true;
        },
      });
    });
  }

  async stop(signal = 'SIGTERM') {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    return this.exited;
  }
}

/** The administrator every test config gets (tests only). */
export const ADMIN = { username: 'admin', password: 'e2e-Admin-Passw0rd' };

/**
 * A WS-Security header with a UsernameToken PasswordDigest:
 * Base64(SHA-1(nonce ‖ created ‖ password)). `created` defaults to now.
 */
export function usernameToken({ username, password, created = new Date().toISOString(), nonce = crypto.randomBytes(16) }) {
  const digest = crypto.createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)])).digest('base64');
  return '<Security s:mustUnderstand="1" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
    `<UsernameToken><Username>${username}</Username>` +
    '<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">' +
    `${digest}</Password><Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</Nonce>` +
    `<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${created}</Created>` +
    '</UsernameToken></Security>';
}

/**
 * POSTs a SOAP 1.2 envelope with `body` inside (as `auth`, by default the
 * admin) to `path`, by default the device service. The prefixes tds, trt
 * (Media), tr2 (Media2) and tt are declared on the envelope.
 */
export async function soap(port, body, { header = '', host = '127.0.0.1', auth = ADMIN, headers = {},
                                         path = '/onvif/device_service' } = {}) {
  const xml = envelope(body, header, auth);
  const started = Date.now();
  const res = await fetch(`http://${host}:${port}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', ...headers },
    body: xml,
  });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started, headers: res.headers };
}

export function envelope(body, header = '', auth = ADMIN) {
  if (auth) header = usernameToken(auth) + header;
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" ' +
    'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tr2="http://www.onvif.org/ver20/media/wsdl">' +
    (header ? `<s:Header>${header}</s:Header>` : '') + `<s:Body>${body}</s:Body></s:Envelope>`;
}

/**
 * As soap(), with `parts` ([{ id, data: Buffer }]) sent as MTOM attachments
 * (multipart/related, XOP; `<xop:Include href="cid:ID"/>` names one) as
 * gSOAP packages them; without parts, a plain SOAP request. Resolves with
 * { status, contentType, body: Buffer }: an MTOM reply is for parseMultipart.
 */
export async function soapMtom(port, body, { parts = [], auth = ADMIN, path = '/onvif/device_service' } = {}) {
  const xml = envelope(body, '', auth);
  let payload = Buffer.from(xml);
  let contentType = 'application/soap+xml; charset=utf-8';
  if (parts.length > 0) {
    const boundary = `==e2e-${crypto.randomBytes(12).toString('hex')}==`;
    const chunks = [Buffer.from(`--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; ` +
      `type="application/soap+xml"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root.e2e>\r\n\r\n`),
    payload];
    for (const p of parts) {
      chunks.push(Buffer.from(`\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Transfer-Encoding: binary\r\nContent-ID: <${p.id}>\r\n\r\n`), p.data);
    }
    chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    payload = Buffer.concat(chunks);
    contentType = `multipart/related; type="application/xop+xml"; start="<root.e2e>"; ` +
      `start-info="application/soap+xml"; boundary="${boundary}"`;
  }
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST', headers: { 'Content-Type': contentType }, body: payload,
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

/**
 * The parts of a multipart/related body, in order: [{ headers (lower-case
 * names), id (Content-ID without <>), data: Buffer }].
 */
export function parseMultipart(contentType, body) {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString() === '--') break;
    const headersEnd = body.indexOf('\r\n\r\n', after);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd);
    if (headersEnd < 0 || next < 0) throw new Error('a part does not end');
    const headers = {};
    for (const line of body.subarray(after, headersEnd).toString().split('\r\n').filter(Boolean)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, id: (headers['content-id'] ?? '').replace(/^<|>$/g, ''), data: body.subarray(headersEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}

/** The WWW-Authenticate values of a node:http response, in order. */
export function challengesOf(res) {
  const out = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    if (res.rawHeaders[i].toLowerCase() === 'www-authenticate') out.push(res.rawHeaders[i + 1]);
  }
  return out;
}

/** The parameters of one Digest challenge. */
export function parseChallenge(value) {
  const params = {};
  for (const m of value.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) params[m[1]] = m[2] ?? m[3];
  return params;
}

/** An RFC 7616 Authorization value (qop=auth) answering `challenge`. */
export function digestAuthorization(challenge, { username, password }, { method = 'GET', uri, nc = 1 }) {
  const c = parseChallenge(challenge);
  const algo = c.algorithm === 'SHA-256' ? 'sha256' : 'md5';
  const h = (s) => crypto.createHash(algo).update(s).digest('hex');
  const cnonce = crypto.randomBytes(8).toString('hex');
  const ncs = nc.toString(16).padStart(8, '0');
  const response = h(`${h(`${username}:${c.realm}:${password}`)}:${c.nonce}:${ncs}:${cnonce}:auth:${h(`${method}:${uri}`)}`);
  return `Digest username="${username}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", ` +
    `algorithm=${c.algorithm ?? 'MD5'}, qop=auth, nc=${ncs}, cnonce="${cnonce}", response="${response}"` +
    (c.opaque ? `, opaque="${c.opaque}"` : '');
}

/** One GET on a fresh connection; resolves with status, headers and the body as a Buffer. */
function getOnce(url, headers, timeoutMs, { method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({
        status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders,
        challenges: challengesOf(res), body: Buffer.concat(chunks),
      }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * GET `url` as a plain HTTP client does (Node's fetch has no Digest): first
 * without credentials; with `auth`, a 401's Digest challenge for `algorithm`
 * (MD5 or SHA-256) is answered once. Resolves with the last response
 * ({ status, headers, rawHeaders, challenges, body: Buffer }).
 */
export async function httpGet(url, { auth, algorithm = 'MD5', timeoutMs = 5000 } = {}) {
  const first = await getOnce(url, {}, timeoutMs);
  if (!auth || first.status !== 401) return first;
  const challenge = first.challenges.find((c) => /^Digest /i.test(c) &&
    (parseChallenge(c).algorithm ?? 'MD5').toUpperCase() === algorithm.toUpperCase());
  if (!challenge) throw new Error(`no Digest ${algorithm} challenge in ${JSON.stringify(first.challenges)}`);
  const u = new URL(url);
  return getOnce(url, { Authorization: digestAuthorization(challenge, auth, { uri: u.pathname + u.search }) }, timeoutMs);
}

/**
 * POST `body` (a Buffer) to `url` with `contentType`, answering a Digest
 * challenge once as httpGet does.
 */
export async function httpPost(url, body, { auth, contentType = 'application/octetstream',
                                            algorithm = 'MD5', timeoutMs = 5000 } = {}) {
  const headers = { 'Content-Type': contentType, 'Content-Length': body.length };
  const first = await getOnce(url, headers, timeoutMs, { method: 'POST', body });
  if (!auth || first.status !== 401) return first;
  const challenge = first.challenges.find((c) => /^Digest /i.test(c) &&
    (parseChallenge(c).algorithm ?? 'MD5').toUpperCase() === algorithm.toUpperCase());
  if (!challenge) throw new Error(`no Digest ${algorithm} challenge in ${JSON.stringify(first.challenges)}`);
  const u = new URL(url);
  const authorization = digestAuthorization(challenge, auth, { method: 'POST', uri: u.pathname + u.search });
  return getOnce(url, { ...headers, Authorization: authorization }, timeoutMs, { method: 'POST', body });
}

/** '' when check-soap says valid, else its report. */
export function checkSoap(xml) {
  try {
    execFileSync('/usr/bin/python3', [checkSoapPath, '-q', '-'], { input: xml, stdio: ['pipe', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    return (e.stdout?.toString() || '') + (e.stderr?.toString() || '') || String(e);
  }
}

/**
 * Validates many SOAP messages with one run of check-soap: `messages` is
 * [{ name, xml }]. Returns '' when every one is valid, else check-soap's
 * report, each file named after its message.
 */
export function checkSoapAll(messages) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onvifgw-check-'));
  try {
    const files = messages.map((m, i) => {
      const file = path.join(dir, `${String(i).padStart(4, '0')}-${m.name.replace(/[^\w.-]/g, '_')}.xml`);
      fs.writeFileSync(file, m.xml);
      return file;
    });
    try {
      execFileSync('/usr/bin/python3', [checkSoapPath, '-q', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
      return '';
    } catch (e) {
      return (e.stdout?.toString() || '') + (e.stderr?.toString() || '') || String(e);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function probeMessage(messageId, types = '', scopes = '') {
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    `<s:Header><a:MessageID>${messageId}</a:MessageID>` +
    '<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
    '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>' +
    `<s:Body><d:Probe>${types ? `<d:Types>${types}</d:Types>` : ''}` +
    `${scopes ? `<d:Scopes>${scopes}</d:Scopes>` : ''}</d:Probe></s:Body></s:Envelope>`;
}

/**
 * Sends a Probe to host:port and collects ProbeMatches until `want` distinct
 * endpoint references arrived (or the timeout passes). Returns the messages.
 * `scopes`: the d:Scopes of the Probe (space-separated URIs), none if empty.
 */
export function probe({ host, port, want, types = '', scopes = '', timeoutMs = 5000, multicastInterface }) {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const messageId = `urn:uuid:${crypto.randomUUID()}`;
    const replies = [];
    const eprs = new Set();
    const timer = setTimeout(() => { sock.close(); resolve({ replies, eprs, messageId }); }, timeoutMs);
    sock.on('message', (msg) => {
      const text = msg.toString();
      if (!text.includes('ProbeMatches')) return;
      replies.push(text);
      const m = text.match(/<(?:\w+:)?Address>(urn:uuid:[^<]+)<\/(?:\w+:)?Address>/);
      if (m) eprs.add(m[1]);
      if (eprs.size >= want) { clearTimeout(timer); sock.close(); resolve({ replies, eprs, messageId }); }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.bind(0, () => {
      if (multicastInterface) {
        sock.setMulticastInterface(multicastInterface);
        sock.setMulticastLoopback(true);
      }
      sock.send(probeMessage(messageId, types, scopes), port, host);
    });
  });
}
