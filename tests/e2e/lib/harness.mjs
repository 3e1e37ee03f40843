// Test harness: starts the real onvif-gateway (which spawns the real simulated
// adapter), awaits its log lines, and talks raw SOAP and WS-Discovery to it.
// Loopback only; every wait is bounded and event-driven.

import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
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
                                        http = {}, security = {}, admin = ADMIN,
                                        relays = [] } = {}) {
  const ports = [];
  for (let i = 0; i < devices; i++) ports.push(await freeTcpPort());
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
  lines.push(
    'adapters:',
    '  - id: sim',
    `    exec: ${path.join(binDir, 'onvif-adapter-simulated')}`,
    `    call_deadline_ms: ${callDeadlineMs}`,
    '    config:',
    '      motion_interval_ms: 1000',
    '      cameras:',
  );
  for (let i = 0; i < devices; i++) {
    lines.push(`        - id: cam-${i + 1}`, `          model: SIM-${i + 1}000`);
    if (relays[i] !== undefined) lines.push(`          relay_outputs: ${relays[i]}`);
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
      '    adapter: sim',
      `    camera: cam-${i + 1}`,
    );
    if (admin) {
      lines.push('    admin:', `      username: ${admin.username}`, `      password: ${admin.password}`);
    }
  }
  const file = path.join(dir, 'gateway.yaml');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { file, ports, discoveryPort: dport };
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

/** POSTs a SOAP 1.2 envelope with `body` inside (as `auth`, by default the admin). */
export async function soap(port, body, { header = '', host = '127.0.0.1', auth = ADMIN, headers = {} } = {}) {
  if (auth) header = usernameToken(auth) + header;
  const xml = '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">' +
    (header ? `<s:Header>${header}</s:Header>` : '') + `<s:Body>${body}</s:Body></s:Envelope>`;
  const started = Date.now();
  const res = await fetch(`http://${host}:${port}/onvif/device_service`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', ...headers },
    body: xml,
  });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started, headers: res.headers };
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

export function probeMessage(messageId, types = '') {
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    `<s:Header><a:MessageID>${messageId}</a:MessageID>` +
    '<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
    '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>' +
    `<s:Body><d:Probe>${types ? `<d:Types>${types}</d:Types>` : ''}</d:Probe></s:Body></s:Envelope>`;
}

/**
 * Sends a Probe to host:port and collects ProbeMatches until `want` distinct
 * endpoint references arrived (or the timeout passes). Returns the messages.
 */
export function probe({ host, port, want, types = '', timeoutMs = 5000, multicastInterface }) {
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
      sock.send(probeMessage(messageId, types), port, host);
    });
  });
}
