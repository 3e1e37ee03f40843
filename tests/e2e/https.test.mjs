// HTTPS and certificates end to end, with real TLS clients (the openssl
// command and Node's TLS stack): a key pair made on board through SOAP, its
// PKCS#10 request signed by a test CA made with `openssl` and loaded back,
// enabled and served; HTTPS switched on with SetNetworkProtocols; SOAP over
// HTTPS; TLS 1.0 and 1.1 refused; a certificate switched while a keep-alive
// connection stays open; client certificate mode refusing a client without a
// certificate and accepting one the loaded CA signed; everything kept across
// a kill -9; HTTPS switched off again.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN, Gateway, checkSoapAll, envelope, freeTcpPort, haveCheckSoap, probe, soap, tempDir, writeConfig,
} from './lib/harness.mjs';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

function openssl(args, input) {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

// One TLS handshake (and nothing else) with `openssl s_client`.
function sClient(port, args = []) {
  const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost',
    ...args], { input: '', timeout: 10000 });
  return { status: r.status, out: (r.stdout?.toString() ?? '') + (r.stderr?.toString() ?? '') };
}

const b64 = (buf) => Buffer.from(buf).toString('base64');
const dataOf = (xml) => Buffer.from(xml.match(/<tt:Data>([^<]+)<\/tt:Data>/)[1], 'base64');
const protocols = (httpPort, httpsOn, httpsPort) => '<tds:SetNetworkProtocols>' +
  `<tds:NetworkProtocols><tt:Name>HTTP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>${httpPort}</tt:Port></tds:NetworkProtocols>` +
  `<tds:NetworkProtocols><tt:Name>HTTPS</tt:Name><tt:Enabled>${httpsOn}</tt:Enabled><tt:Port>${httpsPort}</tt:Port></tds:NetworkProtocols>` +
  '</tds:SetNetworkProtocols>';

// A SOAP request over HTTPS (Node's TLS client), trusting `ca`.
function soapTls(port, body, { ca, cert, key, agent = false } = {}) {
  const xml = envelope(body, '', ADMIN);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port, path: '/onvif/device_service', method: 'POST', agent, ca, cert, key,
      // The certificate names the camera, not 127.0.0.1: the chain is what is checked here.
      checkServerIdentity: () => undefined,
      headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) },
      timeout: 10000,
    }, (res) => {
      // Read now: a keep-alive socket goes back to its agent at the end.
      const peer = res.socket.getPeerCertificate();
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text, peer, reused: req.reusedSocket }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(xml);
  });
}

describe('HTTPS and certificates', { skip: !haveOpenssl && 'the openssl command is not installed' }, () => {
  let dir;
  let cfg;
  let gw;
  let port;
  let httpsPort;
  let caPem;
  const messages = [];
  const ok = async (body) => {
    const r = await soap(port, body);
    assert.equal(r.status, 200, `${body}\n${r.text}`);
    messages.push({ name: `${body.match(/^<tds:(\w+)/)[1]}-${messages.length}`, xml: r.text });
    return r.text;
  };
  const fault = async (body, subcode) => {
    const r = await soap(port, body);
    assert.ok(r.status >= 400, `${body} should fault: ${r.text}`);
    assert.match(r.text, new RegExp(`<env:Value>ter:${subcode}</env:Value>`), r.text);
    messages.push({ name: `fault-${messages.length}`, xml: r.text });
  };
  const start = async () => {
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  };
  const file = (name) => path.join(dir, name);

  before(async () => {
    dir = tempDir();
    cfg = await writeConfig(dir, { devices: 1 });
    port = cfg.ports[0];
    httpsPort = await freeTcpPort();
    // The test CA, as an administrator would make one.
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('ca.key')]);
    openssl(['req', '-x509', '-new', '-key', file('ca.key'), '-subj', '/CN=E2E Test CA', '-days', '30',
      '-out', file('ca.pem')]);
    caPem = fs.readFileSync(file('ca.pem'));
    await start();
  });

  after(async () => {
    await gw?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a key pair made on board, its PKCS#10 request signed by a CA and loaded back', async () => {
    const made = await ok('<tds:CreateCertificate><tds:CertificateID>web</tds:CertificateID>' +
      '<tds:Subject>CN=e2e-camera</tds:Subject></tds:CreateCertificate>');
    const selfSigned = openssl(['x509', '-inform', 'DER', '-noout', '-subject', '-issuer'], dataOf(made)).toString();
    assert.match(selfSigned, /subject=CN = e2e-camera\nissuer=CN = e2e-camera/);

    const csr = dataOf(await ok('<tds:GetPkcs10Request><tds:CertificateID>web</tds:CertificateID>' +
      '<tds:Subject>CN=e2e-camera,O=E2E</tds:Subject></tds:GetPkcs10Request>'));
    fs.writeFileSync(file('web.csr'), csr);
    assert.match(openssl(['req', '-inform', 'DER', '-in', file('web.csr'), '-noout', '-verify', '-subject']).toString(),
      /subject=O = E2E, CN = e2e-camera/);
    openssl(['x509', '-req', '-inform', 'DER', '-in', file('web.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
      '-CAcreateserial', '-days', '30', '-outform', 'DER', '-out', file('web.der')]);
    const signed = fs.readFileSync(file('web.der'));

    // A certificate for no key pair of the device is refused; the signed one
    // replaces the self-signed one under the same ID.
    await fault('<tds:LoadCertificates><tds:NVTCertificate><tt:CertificateID>stranger</tt:CertificateID>' +
      `<tt:Certificate><tt:Data>${b64(caPem)}</tt:Data></tt:Certificate></tds:NVTCertificate></tds:LoadCertificates>`,
    'NoMatchingPrivateKey');
    await ok('<tds:LoadCertificates><tds:NVTCertificate><tt:CertificateID>web</tt:CertificateID>' +
      `<tt:Certificate><tt:Data>${b64(signed)}</tt:Data></tt:Certificate></tds:NVTCertificate></tds:LoadCertificates>`);
    const info = await ok('<tds:GetCertificateInformation><tds:CertificateID>web</tds:CertificateID></tds:GetCertificateInformation>');
    assert.match(info, /<tt:IssuerDN>CN=E2E Test CA<\/tt:IssuerDN><tt:SubjectDN>CN=e2e-camera,O=E2E<\/tt:SubjectDN>/);
    assert.match(info, /<tt:KeyLength>2048<\/tt:KeyLength>/);
  });

  test('HTTPS switched on serves the enabled certificate, TLS 1.2 and 1.3 only', async () => {
    // Not before a certificate is enabled.
    await fault(protocols(port, true, httpsPort), 'EnablingTlsFailed');
    await ok('<tds:SetCertificatesStatus><tds:CertificateStatus><tt:CertificateID>web</tt:CertificateID>' +
      '<tt:Status>true</tt:Status></tds:CertificateStatus></tds:SetCertificatesStatus>');
    await ok(protocols(port, true, httpsPort));
    assert.match(await ok('<tds:GetNetworkProtocols/>'),
      new RegExp(`<tt:Name>HTTPS</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>${httpsPort}</tt:Port>`));
    // WS-Discovery: one XAddr per protocol.
    const found = await probe({ host: '127.0.0.1', port: cfg.discoveryPort, want: 1 });
    assert.equal(found.replies.length, 1);
    assert.match(found.replies[0], new RegExp(`<(?:\\w+:)?XAddrs>http://127\\.0\\.0\\.1:${port}/onvif/device_service ` +
      `https://127\\.0\\.0\\.1:${httpsPort}/onvif/device_service</(?:\\w+:)?XAddrs>`));
    const caps = await ok('<tds:GetServiceCapabilities/>');
    assert.match(caps, /TLS1\.0="false" TLS1\.1="false" TLS1\.2="true" OnboardKeyGeneration="true"/);

    for (const version of ['-tls1_2', '-tls1_3']) {
      const r = sClient(httpsPort, [version, '-CAfile', file('ca.pem')]);
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, /subject=O = E2E, CN = e2e-camera/, r.out);
      assert.match(r.out, /issuer=CN = E2E Test CA/, r.out);
      assert.match(r.out, /Verify return code: 0 \(ok\)/, r.out);
      assert.match(r.out, version === '-tls1_2' ? /Protocol *: TLSv1\.2/ : /New, TLSv1\.3/, r.out);
    }
    // The client offers the old versions (its own floor lowered): refused.
    for (const version of ['-tls1', '-tls1_1']) {
      const r = sClient(httpsPort, [version, '-cipher', 'DEFAULT:@SECLEVEL=0']);
      assert.notEqual(r.status, 0, r.out);
      assert.doesNotMatch(r.out, /Cipher is (ECDHE|AES)/, r.out);
    }
  });

  test('SOAP over HTTPS: the addresses say https', async () => {
    const services = await soapTls(httpsPort, '<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>',
      { ca: caPem });
    assert.equal(services.status, 200, services.text);
    assert.match(services.text, new RegExp(`<tds:XAddr>https://127\\.0\\.0\\.1:${httpsPort}/onvif/device_service</tds:XAddr>`));
    messages.push({ name: 'GetServices-https', xml: services.text });
    const info = await soapTls(httpsPort, '<tds:GetDeviceInformation/>', { ca: caPem });
    assert.equal(info.status, 200, info.text);
    messages.push({ name: 'GetDeviceInformation-https', xml: info.text });
  });

  test('another certificate enabled: new connections get it, an open one stays open', async () => {
    await ok('<tds:CreateCertificate><tds:CertificateID>second</tds:CertificateID>' +
      '<tds:Subject>CN=second-camera</tds:Subject></tds:CreateCertificate>');
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await soapTls(httpsPort, '<tds:GetDeviceInformation/>', { ca: caPem, agent });
      assert.equal(first.status, 200);
      assert.match(first.peer.subject.CN, /e2e-camera/);
      // Deleting the served certificate, or disabling every one, while HTTPS is on: refused.
      await fault('<tds:DeleteCertificates><tds:CertificateID>web</tds:CertificateID></tds:DeleteCertificates>', 'InvalidArgVal');
      await fault('<tds:SetCertificatesStatus><tds:CertificateStatus><tt:CertificateID>web</tt:CertificateID>' +
        '<tt:Status>false</tt:Status></tds:CertificateStatus></tds:SetCertificatesStatus>', 'InvalidArgVal');
      await ok('<tds:SetCertificatesStatus><tds:CertificateStatus><tt:CertificateID>web</tt:CertificateID>' +
        '<tt:Status>false</tt:Status></tds:CertificateStatus><tds:CertificateStatus><tt:CertificateID>second</tt:CertificateID>' +
        '<tt:Status>true</tt:Status></tds:CertificateStatus></tds:SetCertificatesStatus>');
      const again = await soapTls(httpsPort, '<tds:GetDeviceInformation/>', { ca: caPem, agent });
      assert.equal(again.status, 200);
      assert.ok(again.reused, 'the keep-alive connection was dropped');
      assert.match(again.peer.subject.CN, /e2e-camera/, 'an open connection keeps its certificate');
    } finally {
      agent.destroy();
    }
    const r = sClient(httpsPort, ['-tls1_3']);
    assert.match(r.out, /subject=CN = second-camera/, r.out);
    // Back to the CA-signed one for the rest.
    await ok('<tds:SetCertificatesStatus><tds:CertificateStatus><tt:CertificateID>second</tt:CertificateID>' +
      '<tt:Status>false</tt:Status></tds:CertificateStatus><tds:CertificateStatus><tt:CertificateID>web</tt:CertificateID>' +
      '<tt:Status>true</tt:Status></tds:CertificateStatus></tds:SetCertificatesStatus>');
    await ok('<tds:DeleteCertificates><tds:CertificateID>second</tds:CertificateID></tds:DeleteCertificates>');
    assert.doesNotMatch(await ok('<tds:GetCertificates/>'), />second</);
  });

  test('client certificate mode: refused without a certificate, accepted with one the loaded CA signed', async () => {
    await fault('<tds:SetClientCertificateMode><tds:Enabled>true</tds:Enabled></tds:SetClientCertificateMode>',
      'EnablingTlsFailed');
    await fault('<tds:LoadCACertificates><tds:CACertificate><tt:CertificateID>bad</tt:CertificateID>' +
      `<tt:Certificate><tt:Data>${b64(caPem.subarray(0, 200))}</tt:Data></tt:Certificate></tds:CACertificate></tds:LoadCACertificates>`,
    'BadCertificate');
    await ok('<tds:LoadCACertificates><tds:CACertificate><tt:CertificateID>clients</tt:CertificateID>' +
      `<tt:Certificate><tt:Data>${b64(caPem)}</tt:Data></tt:Certificate></tds:CACertificate></tds:LoadCACertificates>`);
    assert.match(await ok('<tds:GetCACertificates/>'), /<tt:CertificateID>clients<\/tt:CertificateID>/);
    await ok('<tds:SetClientCertificateMode><tds:Enabled>true</tds:Enabled></tds:SetClientCertificateMode>');
    assert.match(await ok('<tds:GetClientCertificateMode/>'), /<tds:Enabled>true<\/tds:Enabled>/);

    // A client certificate from the CA, and one from a CA the device does not know.
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('vms.key')]);
    openssl(['req', '-new', '-key', file('vms.key'), '-subj', '/CN=e2e-vms', '-out', file('vms.csr')]);
    openssl(['x509', '-req', '-in', file('vms.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
      '-CAcreateserial', '-days', '30', '-out', file('vms.pem')]);
    openssl(['req', '-x509', '-new', '-key', file('vms.key'), '-subj', '/CN=self-made', '-days', '30', '-out', file('self.pem')]);
    const key = fs.readFileSync(file('vms.key'));

    await assert.rejects(soapTls(httpsPort, '<tds:GetDeviceInformation/>', { ca: caPem }), 'no client certificate');
    await assert.rejects(soapTls(httpsPort, '<tds:GetDeviceInformation/>',
      { ca: caPem, cert: fs.readFileSync(file('self.pem')), key }), 'a certificate no loaded CA signed');
    const accepted = await soapTls(httpsPort, '<tds:GetDeviceInformation/>',
      { ca: caPem, cert: fs.readFileSync(file('vms.pem')), key });
    assert.equal(accepted.status, 200, accepted.text);
    const refused = sClient(httpsPort, ['-tls1_2']);
    assert.notEqual(refused.status, 0, refused.out);
    // A TLS 1.2 client reconnecting resumes its session (client certificate
    // mode needs a session id context for that).
    const resumed = sClient(httpsPort, ['-tls1_2', '-reconnect', '-cert', file('vms.pem'), '-key', file('vms.key')]);
    assert.equal(resumed.status, 0, resumed.out);
    assert.match(resumed.out, /^Reused, TLSv1\.2/m, resumed.out);
    // The last CA cannot go while clients need it.
    await fault('<tds:DeleteCertificates><tds:CertificateID>clients</tds:CertificateID></tds:DeleteCertificates>', 'InvalidArgVal');
  });

  test('kept across a kill -9; HTTPS switched off stops serving it', async () => {
    await gw.stop('SIGKILL');
    await start();
    await gw.waitFor(/serving https:\/\//);
    const accepted = await soapTls(httpsPort, '<tds:GetDeviceInformation/>',
      { ca: caPem, cert: fs.readFileSync(file('vms.pem')), key: fs.readFileSync(file('vms.key')) });
    assert.equal(accepted.status, 200, accepted.text);
    assert.match(accepted.peer.subject.CN, /e2e-camera/);
    await ok('<tds:SetClientCertificateMode><tds:Enabled>false</tds:Enabled></tds:SetClientCertificateMode>');
    assert.equal(sClient(httpsPort, ['-tls1_2']).status, 0);

    await ok(protocols(port, false, httpsPort));
    assert.match(await ok('<tds:GetNetworkProtocols/>'), /<tt:Name>HTTPS<\/tt:Name><tt:Enabled>false<\/tt:Enabled>/);
    const found = await probe({ host: '127.0.0.1', port: cfg.discoveryPort, want: 1 });
    assert.match(found.replies[0], /<(?:\w+:)?XAddrs>http:\/\/[^ <]+<\/(?:\w+:)?XAddrs>/, 'no https XAddr while HTTPS is off');
    const off = sClient(httpsPort, ['-tls1_2']);
    assert.notEqual(off.status, 0, off.out);
    // With HTTPS off, its certificate may go; its key pair goes with it.
    await ok('<tds:SetCertificatesStatus><tds:CertificateStatus><tt:CertificateID>web</tt:CertificateID>' +
      '<tt:Status>false</tt:Status></tds:CertificateStatus></tds:SetCertificatesStatus>');
    await ok('<tds:DeleteCertificates><tds:CertificateID>web</tds:CertificateID><tds:CertificateID>clients</tds:CertificateID></tds:DeleteCertificates>');
    assert.doesNotMatch(await ok('<tds:GetCertificates/>'), /<tt:CertificateID>/);
  });

  test('every reply validates against the ONVIF schemas', { skip: !haveCheckSoap && '../shared/onvif is absent' }, () => {
    assert.ok(messages.length > 20, String(messages.length));
    assert.equal(checkSoapAll(messages), '');
  });
});
