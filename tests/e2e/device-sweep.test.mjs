// The Device service sweep: every one of the 103 operations of
// devicemgmt.wsdl driven over HTTP against the real gateway and simulated
// adapter, as a client would call it. Each operation either works (its reply
// validates against the official schemas and says what the call did) or
// answers ter:ActionNotSupported while the capabilities say the feature is
// absent. State-changing operations are round trips: the setting is read,
// changed, read back, kept across a kill -9 of the gateway, put back and read
// again. Every operation that takes arguments is also given a wrong one: the
// documented fault, and nothing changed.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN, Gateway, checkSoapAll, envelope, freeTcpPort, haveCheckSoap, httpGet, httpPost, parseMultipart,
  repoRoot, soap, soapMtom, tempDir, writeConfig,
} from './lib/harness.mjs';

const WSDL = path.join(repoRoot, 'proto/onvif/schema/ver10/device/wsdl/devicemgmt.wsdl');
const wsdl = fs.readFileSync(WSDL, 'utf8');
const OPERATIONS = [...new Set([...wsdl.matchAll(/<wsdl:operation name="(\w+)">/g)].map((m) => m[1]))].sort();
// An operation takes arguments when its request element has child elements
// (the request element comes before its response in the WSDL's schema).
const TAKES_ARGUMENTS = OPERATIONS.filter((op) => {
  const start = wsdl.indexOf(`<xs:element name="${op}">`);
  const end = wsdl.indexOf(`<xs:element name="${op}Response"`, start);
  return wsdl.slice(start + 10, end).includes('<xs:element');
});

const SWEEP_PASSWORD = 'Sweep-Op3rator!x';
const now = () => new Date();
const utc = (d) => '<tds:UTCDateTime><tt:Time>' +
  `<tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second>` +
  `</tt:Time><tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month>` +
  `<tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tds:UTCDateTime>`;
const dateTime = (type, tz, dst, when) => `<tds:SetSystemDateAndTime><tds:DateTimeType>${type}</tds:DateTimeType>` +
  `<tds:DaylightSavings>${dst}</tds:DaylightSavings><tds:TimeZone><tt:TZ>${tz}</tt:TZ></tds:TimeZone>` +
  `${when ? utc(when) : ''}</tds:SetSystemDateAndTime>`;
const all = (text, re) => [...text.matchAll(re)].map((m) => m[1]);
const scopesBody = (op, scopes, element = 'ScopeItem') =>
  `<tds:${op}>${scopes.map((s) => `<tds:${element}>${s}</tds:${element}>`).join('')}</tds:${op}>`;
const relaySettings = (token, mode, delay, idle) =>
  `<tds:SetRelayOutputSettings><tds:RelayOutputToken>${token}</tds:RelayOutputToken><tds:Properties>` +
  `<tt:Mode>${mode}</tt:Mode><tt:DelayTime>${delay}</tt:DelayTime><tt:IdleState>${idle}</tt:IdleState>` +
  '</tds:Properties></tds:SetRelayOutputSettings>';
const passwordRules = (min, upper, number, special, block) => '<tds:SetPasswordComplexityConfiguration>' +
  `<tds:MinLen>${min}</tds:MinLen><tds:Uppercase>${upper}</tds:Uppercase><tds:Number>${number}</tds:Number>` +
  `<tds:SpecialChars>${special}</tds:SpecialChars><tds:BlockUsernameOccurrence>${block}</tds:BlockUsernameOccurrence>` +
  '<tds:PolicyConfigurationLocked>false</tds:PolicyConfigurationLocked></tds:SetPasswordComplexityConfiguration>';
const filter = (op, type, prefixes) => `<tds:${op}><tds:IPAddressFilter><tt:Type>${type}</tt:Type>` +
  prefixes.map(([a, n]) => `<tt:IPv4Address><tt:Address>${a}</tt:Address><tt:PrefixLength>${n}</tt:PrefixLength></tt:IPv4Address>`).join('') +
  `</tds:IPAddressFilter></tds:${op}>`;
const geo = (token, lat, lon) => '<tds:SetGeoLocation><tds:Location Entity="Device" ' +
  `Token="${token}"><tt:GeoLocation lon="${lon}" lat="${lat}" elevation="12"/></tds:Location></tds:SetGeoLocation>`;
const xop = (id) => `<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:${id}"/>`;
// The simulated camera's firmware image format (adapters/simulated/README.md).
const firmwareImage = (model, version) => {
  const body = Buffer.from(`ONVIFGW-SIMULATED-FIRMWARE\nmodel: ${model}\nversion: ${version}\n\nsweep`);
  return Buffer.concat([body, crypto.createHash('sha256').update(body).digest()]);
};
// Certificate requests (devicemgmt.wsdl's certificate operations).
const certificateData = (id, der) => `<tt:CertificateID>${id}</tt:CertificateID><tt:Certificate><tt:Data>${der}</tt:Data></tt:Certificate>`;
const certificateIds = (op, ids) => `<tds:${op}>${ids.map((id) => `<tds:CertificateID>${id}</tds:CertificateID>`).join('')}</tds:${op}>`;
const certificateStatus = (id, on) => '<tds:SetCertificatesStatus><tds:CertificateStatus>' +
  `<tt:CertificateID>${id}</tt:CertificateID><tt:Status>${on}</tt:Status></tds:CertificateStatus></tds:SetCertificatesStatus>`;
const clientCertificates = (on) => `<tds:SetClientCertificateMode><tds:Enabled>${on}</tds:Enabled></tds:SetClientCertificateMode>`;
const httpsProtocol = (http, on, https) => '<tds:SetNetworkProtocols>' +
  `<tds:NetworkProtocols><tt:Name>HTTP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>${http}</tt:Port></tds:NetworkProtocols>` +
  `<tds:NetworkProtocols><tt:Name>HTTPS</tt:Name><tt:Enabled>${on}</tt:Enabled><tt:Port>${https}</tt:Port></tds:NetworkProtocols>` +
  '</tds:SetNetworkProtocols>';
const withoutHttps = (t) => t.replace(/<tds:NetworkProtocols><tt:Name>HTTPS<\/tt:Name>.*?<\/tds:NetworkProtocols>/, '');
// A key pair and a self-signed certificate made with the openssl command,
// and another key (PEM), for LoadCertificateWithPrivateKey.
function opensslKeyAndCertificate(dir, name) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', path.join(dir, `${name}.key`), '-subj', `/CN=${name}`, '-days', '30',
    '-outform', 'DER', '-out', path.join(dir, `${name}.der`)], { stdio: 'pipe' });
  return { key: fs.readFileSync(path.join(dir, `${name}.key`)), der: fs.readFileSync(path.join(dir, `${name}.der`)) };
}
const dot1x = (op, token, method, password) => `<tds:${op}><tds:Dot1XConfiguration>` +
  `<tt:Dot1XConfigurationToken>${token}</tt:Dot1XConfigurationToken><tt:Identity>camera-7</tt:Identity>` +
  `<tt:EAPMethod>${method}</tt:EAPMethod>` +
  (password ? `<tt:EAPMethodConfiguration><tt:Password>${password}</tt:Password></tt:EAPMethodConfiguration>` : '') +
  `</tds:Dot1XConfiguration></tds:${op}>`;
const dot1xToken = (op, token) => `<tds:${op}><tds:Dot1XConfigurationToken>${token}</tds:Dot1XConfigurationToken></tds:${op}>`;

// Operations the device answers with ter:ActionNotSupported, a request for
// each, and the capability that says the feature is absent.
const NOT_SUPPORTED = {
  UpgradeFirmware: '<tds:UpgradeFirmware><tds:Version>2.0</tds:Version></tds:UpgradeFirmware>',
  GetRemoteDiscoveryMode: '<tds:GetRemoteDiscoveryMode/>',
  SetRemoteDiscoveryMode: '<tds:SetRemoteDiscoveryMode><tds:RemoteDiscoveryMode>Discoverable</tds:RemoteDiscoveryMode></tds:SetRemoteDiscoveryMode>',
  GetDPAddresses: '<tds:GetDPAddresses/>',
  SetDPAddresses: '<tds:SetDPAddresses><tds:DPAddress><tt:Type>IPv4</tt:Type><tt:IPv4Address>192.0.2.99</tt:IPv4Address></tds:DPAddress></tds:SetDPAddresses>',
  GetDot11Capabilities: '<tds:GetDot11Capabilities/>',
  GetDot11Status: '<tds:GetDot11Status><tds:InterfaceToken>eth0</tds:InterfaceToken></tds:GetDot11Status>',
  ScanAvailableDot11Networks: '<tds:ScanAvailableDot11Networks><tds:InterfaceToken>eth0</tds:InterfaceToken></tds:ScanAvailableDot11Networks>',
};

// Each absent feature, as GetServiceCapabilities and GetCapabilities say it.
const ABSENT = [
  { ops: ['GetRemoteDiscoveryMode', 'SetRemoteDiscoveryMode', 'GetDPAddresses', 'SetDPAddresses'],
    caps: [/<tds:System [^>]*RemoteDiscovery="false"/], legacy: [/<tt:RemoteDiscovery>false</] },
  { ops: ['GetDot11Capabilities', 'GetDot11Status', 'ScanAvailableDot11Networks'], caps: [/Dot11Configuration="false"/], legacy: [] },
  // Cloud firmware upgrade has no capability of its own; HTTP upload is offered instead.
  { ops: ['UpgradeFirmware'], caps: [/HttpFirmwareUpgrade="true"/], legacy: [] },
];

describe('the Device service, all 103 operations', () => {
  let dir;
  let cfg;
  let gw;
  let port;
  let busy;
  const messages = []; // every request and reply, validated together
  const answered = new Set(); // operations that answered with their response
  const notSupported = new Set();
  const rejected = new Set(); // operations that faulted on a wrong argument
  const opOf = (body) => body.match(/^<tds:(\w+)/)[1];

  // A request deliberately wrong may break the schema too: only its reply is checked.
  const record = (op, request, reply, { requestValid = true } = {}) => {
    if (requestValid) messages.push({ name: `${op}-request`, xml: envelope(request, '', null) });
    messages.push({ name: `${op}-response`, xml: reply });
  };
  const ok = async (body, opts) => {
    const op = opOf(body);
    const r = await soap(port, body, opts);
    assert.equal(r.status, 200, `${op}: ${r.text}`);
    record(op, body, r.text);
    answered.add(op);
    return r.text;
  };
  const refused = async (body, subcode) => {
    const op = opOf(body);
    const r = await soap(port, body);
    assert.ok(r.status === 400 || r.status === 500, `${op} should fault with ${subcode}, got ${r.status}: ${r.text}`);
    assert.match(r.text, new RegExp(`<env:Value>${subcode}</env:Value>`), `${op}: ${r.text}`);
    record(op, body, r.text, { requestValid: false });
    rejected.add(op);
    return r.text;
  };
  const start = async () => {
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  };

  // State-changing operations as round trips. `read` gives the state (a
  // reply, normalised where it holds a clock); `change` calls the operations
  // under test; `shows` is what the state must then say, also after a kill -9;
  // `restore` puts back what `read` said before; `wrong` are calls with a
  // wrong argument and their fault subcode, each changing nothing.
  const withoutClock = (t) => t.replace(/<tt:(UTC|Local)DateTime>.*?<\/tt:\1DateTime>/g, '');
  const readBody = (body, normalise = (t) => t) => async () => normalise(await ok(body));
  const scenarios = [];
  const storageToken = { value: '' };
  const state = {};
  scenarios.push({
    name: 'host name', read: readBody('<tds:GetHostname/>'),
    change: [() => ok('<tds:SetHostname><tds:Name>sweep-host</tds:Name></tds:SetHostname>')],
    shows: [/<tt:Name>sweep-host</],
    restore: (was) => ok(`<tds:SetHostname><tds:Name>${was.match(/<tt:Name>([^<]+)</)[1]}</tds:Name></tds:SetHostname>`),
    wrong: [['<tds:SetHostname><tds:Name>-not_a-host-</tds:Name></tds:SetHostname>', 'ter:InvalidHostname']],
  }, {
    name: 'host name from DHCP', read: readBody('<tds:GetHostname/>'),
    change: [() => ok('<tds:SetHostnameFromDHCP><tds:FromDHCP>true</tds:FromDHCP></tds:SetHostnameFromDHCP>')],
    shows: [/<tt:FromDHCP>true<\/tt:FromDHCP><tt:Name>sweep-host</],
    restore: () => ok('<tds:SetHostnameFromDHCP><tds:FromDHCP>false</tds:FromDHCP></tds:SetHostnameFromDHCP>'),
    wrong: [['<tds:SetHostnameFromDHCP><tds:FromDHCP>sometimes</tds:FromDHCP></tds:SetHostnameFromDHCP>', 'ter:InvalidArgs']],
  }, {
    name: 'DNS', read: readBody('<tds:GetDNS/>'),
    change: [() => ok('<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP><tds:SearchDomain>sweep.example</tds:SearchDomain>' +
      '<tds:DNSManual><tt:Type>IPv4</tt:Type><tt:IPv4Address>192.0.2.53</tt:IPv4Address></tds:DNSManual></tds:SetDNS>')],
    shows: [/<tt:SearchDomain>sweep\.example<\/tt:SearchDomain>/, /<tt:IPv4Address>192\.0\.2\.53</],
    restore: (was) => ok('<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP>' +
      all(was, /<tt:SearchDomain>([^<]+)</g).map((d) => `<tds:SearchDomain>${d}</tds:SearchDomain>`).join('') +
      all(was, /<tt:DNSManual>(.*?)<\/tt:DNSManual>/g).map((m) => `<tds:DNSManual>${m}</tds:DNSManual>`).join('') +
      '</tds:SetDNS>'),
    wrong: [['<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP><tds:DNSManual><tt:Type>IPv4</tt:Type>' +
      '<tt:IPv4Address>192.0.2.300</tt:IPv4Address></tds:DNSManual></tds:SetDNS>', 'ter:InvalidIPv4Address']],
  }, {
    name: 'NTP', read: readBody('<tds:GetNTP/>'),
    change: [() => ok('<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type>' +
      '<tt:DNSname>pool.ntp.org</tt:DNSname></tds:NTPManual></tds:SetNTP>')],
    shows: [/<tt:NTPManual><tt:Type>DNS<\/tt:Type><tt:DNSname>pool\.ntp\.org</],
    restore: (was) => ok('<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP>' +
      all(was, /<tt:NTPManual>(.*?)<\/tt:NTPManual>/g).map((m) => `<tds:NTPManual>${m}</tds:NTPManual>`).join('') +
      '</tds:SetNTP>'),
    wrong: [['<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type>' +
      '<tt:DNSname>bad..name</tt:DNSname></tds:NTPManual></tds:SetNTP>', 'ter:InvalidDnsName']],
  }, {
    name: 'date and time', read: readBody('<tds:GetSystemDateAndTime/>', withoutClock),
    // The clock stays right: UsernameToken freshness is judged by it.
    change: [() => ok(dateTime('Manual', 'CET-1CEST,M3.5.0,M10.5.0/3', 'true', now()))],
    shows: [/<tt:DateTimeType>Manual<\/tt:DateTimeType><tt:DaylightSavings>true<\/tt:DaylightSavings><tt:TimeZone><tt:TZ>CET-1CEST,M3\.5\.0,M10\.5\.0\/3</],
    restore: (was) => ok(dateTime(was.match(/<tt:DateTimeType>(\w+)</)[1], was.match(/<tt:TZ>([^<]+)</)[1],
      was.match(/<tt:DaylightSavings>(\w+)</)[1], now())),
    wrong: [[dateTime('Manual', 'Europe/Paris', 'false', now()), 'ter:InvalidTimeZone'],
      // 30 February.
      [dateTime('Manual', 'UTC0', 'false', new Date(Date.UTC(2026, 1, 27, 12))).replace('<tt:Day>27<', '<tt:Day>30<'), 'ter:InvalidDateTime']],
  }, {
    name: 'dynamic DNS', read: readBody('<tds:GetDynamicDNS/>'),
    change: [() => ok('<tds:SetDynamicDNS><tds:Type>ClientUpdates</tds:Type><tds:Name>sweep.example.com</tds:Name>' +
      '<tds:TTL>PT1H</tds:TTL></tds:SetDynamicDNS>')],
    shows: [/<tt:Type>ClientUpdates<\/tt:Type><tt:Name>sweep\.example\.com<\/tt:Name><tt:TTL>PT3600S</],
    restore: () => ok('<tds:SetDynamicDNS><tds:Type>NoUpdate</tds:Type></tds:SetDynamicDNS>'),
    wrong: [['<tds:SetDynamicDNS><tds:Type>ClientUpdates</tds:Type><tds:Name>not a name</tds:Name></tds:SetDynamicDNS>', 'ter:InvalidArgVal']],
  }, {
    name: 'network interface', read: readBody('<tds:GetNetworkInterfaces/>'),
    change: [async () => assert.match(await ok('<tds:SetNetworkInterfaces><tds:InterfaceToken>eth0</tds:InterfaceToken>' +
      '<tds:NetworkInterface><tt:Enabled>true</tt:Enabled><tt:MTU>1400</tt:MTU></tds:NetworkInterface></tds:SetNetworkInterfaces>'),
    /<tds:RebootNeeded>false</)],
    shows: [/<tt:MTU>1400<\/tt:MTU>/],
    restore: (was) => ok('<tds:SetNetworkInterfaces><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:NetworkInterface>' +
      `<tt:Enabled>true</tt:Enabled><tt:MTU>${was.match(/<tt:MTU>(\d+)</)[1]}</tt:MTU></tds:NetworkInterface></tds:SetNetworkInterfaces>`),
    wrong: [['<tds:SetNetworkInterfaces><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:NetworkInterface>' +
      '<tt:MTU>20</tt:MTU></tds:NetworkInterface></tds:SetNetworkInterfaces>', 'ter:InvalidMtuValue'],
    ['<tds:SetNetworkInterfaces><tds:InterfaceToken>wlan9</tds:InterfaceToken><tds:NetworkInterface>' +
      '<tt:MTU>1400</tt:MTU></tds:NetworkInterface></tds:SetNetworkInterfaces>', 'ter:InvalidNetworkInterface']],
  }, {
    name: 'RTSP port', read: readBody('<tds:GetNetworkProtocols/>', withoutHttps),
    change: [async () => {
      state.rtsp = await freeTcpPort();
      const http = (await ok('<tds:GetNetworkProtocols/>')).match(/<tt:Name>HTTP<\/tt:Name><tt:Enabled>true<\/tt:Enabled><tt:Port>(\d+)</)[1];
      await ok(protocols(http, state.rtsp));
    }],
    shows: [() => new RegExp(`<tt:Name>RTSP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>${state.rtsp}<`)],
    restore: (was) => ok(protocols(...['HTTP', 'RTSP'].map((name) =>
      was.match(new RegExp(`<tt:Name>${name}</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>(\\d+)<`))[1]))),
    // A port another program listens on.
    wrong: [[() => protocols(busy.address().port, cfg.rtspPorts[0]), 'ter:PortAlreadyInUse']],
  }, {
    name: 'default gateway', read: readBody('<tds:GetNetworkDefaultGateway/>'),
    change: [() => ok('<tds:SetNetworkDefaultGateway><tds:IPv4Address>192.0.2.254</tds:IPv4Address></tds:SetNetworkDefaultGateway>')],
    shows: [/<tds:NetworkGateway><tt:IPv4Address>192\.0\.2\.254<\/tt:IPv4Address><\/tds:NetworkGateway>/],
    restore: (was) => ok('<tds:SetNetworkDefaultGateway>' +
      all(was, /<tt:IPv4Address>([^<]+)</g).map((a) => `<tds:IPv4Address>${a}</tds:IPv4Address>`).join('') +
      all(was, /<tt:IPv6Address>([^<]+)</g).map((a) => `<tds:IPv6Address>${a}</tds:IPv6Address>`).join('') +
      '</tds:SetNetworkDefaultGateway>'),
    wrong: [['<tds:SetNetworkDefaultGateway><tds:IPv4Address>192.0.2</tds:IPv4Address></tds:SetNetworkDefaultGateway>', 'ter:InvalidGatewayAddress']],
  }, {
    name: 'zero configuration', read: readBody('<tds:GetZeroConfiguration/>'),
    change: [() => ok('<tds:SetZeroConfiguration><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:Enabled>true</tds:Enabled></tds:SetZeroConfiguration>')],
    shows: [/<tt:InterfaceToken>eth0<\/tt:InterfaceToken><tt:Enabled>true</],
    restore: () => ok('<tds:SetZeroConfiguration><tds:InterfaceToken>eth0</tds:InterfaceToken><tds:Enabled>false</tds:Enabled></tds:SetZeroConfiguration>'),
    wrong: [['<tds:SetZeroConfiguration><tds:InterfaceToken>wlan9</tds:InterfaceToken><tds:Enabled>true</tds:Enabled></tds:SetZeroConfiguration>', 'ter:InvalidNetworkInterface']],
  }, {
    name: 'scopes', read: readBody('<tds:GetScopes/>'),
    change: [
      () => ok(scopesBody('SetScopes', ['onvif://www.onvif.org/location/sweep/a', 'onvif://www.onvif.org/location/sweep/b'], 'Scopes')),
      () => ok(scopesBody('AddScopes', ['onvif://www.onvif.org/location/sweep/c'])),
      async () => assert.match(await ok(scopesBody('RemoveScopes', ['onvif://www.onvif.org/location/sweep/a'])),
        /<tds:ScopeItem>onvif:\/\/www\.onvif\.org\/location\/sweep\/a<\/tds:ScopeItem>/),
    ],
    shows: [/<tt:ScopeDef>Configurable<\/tt:ScopeDef><tt:ScopeItem>onvif:\/\/www\.onvif\.org\/location\/sweep\/b</,
      /<tt:ScopeItem>onvif:\/\/www\.onvif\.org\/location\/sweep\/c</, /^((?!sweep\/a<).)*$/s],
    restore: () => ok(scopesBody('RemoveScopes', ['onvif://www.onvif.org/location/sweep/b', 'onvif://www.onvif.org/location/sweep/c'])),
    wrong: [[scopesBody('RemoveScopes', ['onvif://www.onvif.org/Profile/Streaming']), 'ter:FixedScope'],
      [scopesBody('RemoveScopes', ['onvif://www.onvif.org/location/nowhere']), 'ter:NoScope'],
      [scopesBody('AddScopes', Array.from({ length: 17 }, (_, i) => `onvif://www.onvif.org/location/many/${i}`)), 'ter:TooManyScopes'],
      [scopesBody('SetScopes', Array.from({ length: 17 }, (_, i) => `onvif://www.onvif.org/location/many/${i}`), 'Scopes'), 'ter:TooManyScopes']],
  }, {
    name: 'discovery mode', read: readBody('<tds:GetDiscoveryMode/>'),
    change: [() => ok('<tds:SetDiscoveryMode><tds:DiscoveryMode>NonDiscoverable</tds:DiscoveryMode></tds:SetDiscoveryMode>')],
    shows: [/<tds:DiscoveryMode>NonDiscoverable</],
    restore: () => ok('<tds:SetDiscoveryMode><tds:DiscoveryMode>Discoverable</tds:DiscoveryMode></tds:SetDiscoveryMode>'),
    wrong: [['<tds:SetDiscoveryMode><tds:DiscoveryMode>Hidden</tds:DiscoveryMode></tds:SetDiscoveryMode>', 'ter:InvalidArgVal']],
  }, {
    name: 'geo location', read: readBody('<tds:GetGeoLocation/>'),
    change: [() => ok(geo('sweep', '48.8584', '2.2945'))],
    shows: [/<tds:Location Entity="Device" Token="sweep"><tt:GeoLocation lon="2\.2945" lat="48\.8584" elevation="12"\/>/],
    restore: () => ok('<tds:DeleteGeoLocation><tds:Location Entity="Device" Token="sweep"/></tds:DeleteGeoLocation>'),
    wrong: [[geo('sweep', '91', '2'), 'ter:InvalidArgVal'],
      ['<tds:DeleteGeoLocation><tds:Location Entity="Device" Token="nowhere"/></tds:DeleteGeoLocation>', 'ter:NoConfig']],
  }, {
    name: 'storage configurations', read: readBody('<tds:GetStorageConfigurations/>'),
    change: [
      async () => {
        const r = await ok('<tds:CreateStorageConfiguration><tds:StorageConfiguration type="CIFS"><tds:LocalPath>/recordings</tds:LocalPath>' +
          '<tds:StorageUri>smb://nas.example.com/cameras</tds:StorageUri><tds:User><tds:UserName>recorder</tds:UserName>' +
          '<tds:Password>n0t-returned</tds:Password></tds:User></tds:StorageConfiguration></tds:CreateStorageConfiguration>');
        storageToken.value = r.match(/<tds:Token>([^<]+)</)[1];
      },
      () => ok(`<tds:SetStorageConfiguration><tds:StorageConfiguration token="${storageToken.value}"><tds:Data type="NFS">` +
        '<tds:StorageUri>nfs://nas.example.com/export/cameras</tds:StorageUri></tds:Data></tds:StorageConfiguration></tds:SetStorageConfiguration>'),
      async () => assert.match(await ok(`<tds:GetStorageConfiguration><tds:Token>${storageToken.value}</tds:Token></tds:GetStorageConfiguration>`),
        /<tds:Data type="NFS">/),
    ],
    shows: [() => new RegExp(`<tds:StorageConfigurations token="${storageToken.value}"><tds:Data type="NFS"><tds:StorageUri>nfs://nas\\.example\\.com/export/cameras<`),
      /^((?!n0t-returned).)*$/s],
    restore: () => ok(`<tds:DeleteStorageConfiguration><tds:Token>${storageToken.value}</tds:Token></tds:DeleteStorageConfiguration>`),
    wrong: [['<tds:GetStorageConfiguration><tds:Token>storage_999</tds:Token></tds:GetStorageConfiguration>', 'ter:NoConfig'],
      ['<tds:SetStorageConfiguration><tds:StorageConfiguration token="storage_999"><tds:Data type="NFS"><tds:StorageUri>nfs://x/y</tds:StorageUri>' +
        '</tds:Data></tds:StorageConfiguration></tds:SetStorageConfiguration>', 'ter:NoConfig'],
      ['<tds:DeleteStorageConfiguration><tds:Token>storage_999</tds:Token></tds:DeleteStorageConfiguration>', 'ter:NoConfig'],
      ['<tds:CreateStorageConfiguration><tds:StorageConfiguration type="Floppy"><tds:StorageUri>a:/</tds:StorageUri>' +
        '</tds:StorageConfiguration></tds:CreateStorageConfiguration>', 'ter:ConfigModify']],
  }, {
    name: 'users', read: readBody('<tds:GetUsers/>'),
    change: [
      () => ok('<tds:CreateUsers><tds:User><tt:Username>sweep-op</tt:Username>' +
        '<tt:Password>Cr3ated-Pass!x</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>'),
      () => ok('<tds:SetUser><tds:User><tt:Username>sweep-op</tt:Username>' +
        `<tt:Password>${SWEEP_PASSWORD}</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User></tds:SetUser>`),
      // The new password is the one that works.
      async () => assert.equal((await soap(port, '<tds:GetScopes/>', { auth: { username: 'sweep-op', password: SWEEP_PASSWORD } })).status, 200),
    ],
    shows: [/<tt:Username>sweep-op<\/tt:Username><tt:UserLevel>User</, /^((?!Sweep-Op3rator).)*$/s],
    restore: () => ok('<tds:DeleteUsers><tds:Username>sweep-op</tds:Username></tds:DeleteUsers>'),
    wrong: [['<tds:CreateUsers><tds:User><tt:Username>admin</tt:Username><tt:Password>An0ther-Pass!</tt:Password>' +
      '<tt:UserLevel>User</tt:UserLevel></tds:User></tds:CreateUsers>', 'ter:UsernameClash'],
    ['<tds:SetUser><tds:User><tt:Username>nobody</tt:Username><tt:Password>An0ther-Pass!</tt:Password>' +
      '<tt:UserLevel>User</tt:UserLevel></tds:User></tds:SetUser>', 'ter:UsernameMissing'],
    ['<tds:DeleteUsers><tds:Username>nobody</tds:Username></tds:DeleteUsers>', 'ter:UsernameMissing']],
  }, {
    name: 'user roles', read: readBody('<tds:GetUserRoles/>'),
    change: [() => ok('<tds:SetUserRole><tds:UserRole><tt:Name>SweepRole</tt:Name>' +
      '<tt:Functions>tds:GetRelayOutputs tds:SetRelayOutputState</tt:Functions></tds:UserRole></tds:SetUserRole>'),
    async () => assert.match(await ok('<tds:GetUserRoles><tds:UserRole>SweepRole</tds:UserRole></tds:GetUserRoles>'),
      /<tt:Name>SweepRole<\/tt:Name>/)],
    shows: [/<tt:Name>SweepRole<\/tt:Name><tt:Functions>tds:GetRelayOutputs tds:SetRelayOutputState</],
    restore: () => ok('<tds:DeleteUserRole><tds:UserRole>SweepRole</tds:UserRole></tds:DeleteUserRole>'),
    wrong: [['<tds:SetUserRole><tds:UserRole><tt:Name>Bad</tt:Name><tt:Functions>tds:MakeCoffee</tt:Functions>' +
      '</tds:UserRole></tds:SetUserRole>', 'ter:FunctionNotImplemented'],
    ['<tds:DeleteUserRole><tds:UserRole>NoSuchRole</tds:UserRole></tds:DeleteUserRole>', 'ter:InvalidArgVal'],
    ['<tds:GetUserRoles><tds:UserRole>NoSuchRole</tds:UserRole></tds:GetUserRoles>', 'ter:InvalidArgVal']],
  }, {
    name: 'access policy', read: readBody('<tds:GetAccessPolicy/>'),
    change: [async () => {
      const was = Buffer.from((await ok('<tds:GetAccessPolicy/>')).match(/<tt:Data>([^<]+)</)[1], 'base64').toString();
      state.policy = was.replace(/^User: (.*)$/m, 'User: $1 ACTUATE');
      assert.notEqual(state.policy, was);
      await ok(`<tds:SetAccessPolicy><tds:PolicyFile><tt:Data>${Buffer.from(state.policy).toString('base64')}</tt:Data></tds:PolicyFile></tds:SetAccessPolicy>`);
    }],
    shows: [() => new RegExp(`<tt:Data>${Buffer.from(state.policy).toString('base64').replace(/[+/]/g, '\\$&')}<`)],
    restore: (was) => ok(`<tds:SetAccessPolicy><tds:PolicyFile><tt:Data>${was.match(/<tt:Data>([^<]+)</)[1]}</tt:Data></tds:PolicyFile></tds:SetAccessPolicy>`),
    wrong: [[`<tds:SetAccessPolicy><tds:PolicyFile><tt:Data>${Buffer.from('not a policy').toString('base64')}</tt:Data></tds:PolicyFile></tds:SetAccessPolicy>`, 'ter:PolicyFormat']],
  }, {
    name: 'remote user', read: readBody('<tds:GetRemoteUser/>'),
    change: [() => ok('<tds:SetRemoteUser><tds:RemoteUser><tt:Username>nvr-relay</tt:Username><tt:Password>R3mote-Secret</tt:Password>' +
      '<tt:UseDerivedPassword>true</tt:UseDerivedPassword></tds:RemoteUser></tds:SetRemoteUser>')],
    shows: [/<tt:Username>nvr-relay<\/tt:Username><tt:UseDerivedPassword>true</, /^((?!R3mote-Secret).)*$/s],
    restore: () => ok('<tds:SetRemoteUser/>'),
    wrong: [['<tds:SetRemoteUser><tds:RemoteUser><tt:Username></tt:Username><tt:UseDerivedPassword>false</tt:UseDerivedPassword>' +
      '</tds:RemoteUser></tds:SetRemoteUser>', 'ter:UsernameTooShort']],
  }, {
    name: 'IP address filter', read: readBody('<tds:GetIPAddressFilter/>'),
    change: [() => ok(filter('SetIPAddressFilter', 'Allow', [['127.0.0.0', 8], ['198.51.100.7', 32]])),
      () => ok(filter('AddIPAddressFilter', 'Allow', [['203.0.113.0', 24]])),
      () => ok(filter('RemoveIPAddressFilter', 'Allow', [['198.51.100.7', 32]]))],
    shows: [/<tt:Type>Allow<\/tt:Type><tt:IPv4Address><tt:Address>127\.0\.0\.0<\/tt:Address><tt:PrefixLength>8<\/tt:PrefixLength><\/tt:IPv4Address><tt:IPv4Address><tt:Address>203\.0\.113\.0<\/tt:Address><tt:PrefixLength>24</],
    restore: () => ok(filter('SetIPAddressFilter', 'Allow', [])),
    wrong: [[filter('AddIPAddressFilter', 'Allow', [['203.0.113.300', 24]]), 'ter:InvalidIPv4Address'],
      [filter('SetIPAddressFilter', 'Allow', [['203.0.113.0', 33]]), 'ter:InvalidIPv4Address'],
      [filter('RemoveIPAddressFilter', 'Allow', [['192.0.2.0', 24]]), 'ter:NoIPv4Address']],
  }, {
    name: 'Digest algorithms', read: async () => (await challenges()).join(' '),
    change: [() => ok('<tds:SetHashingAlgorithm><tds:Algorithm>SHA-256</tds:Algorithm></tds:SetHashingAlgorithm>')],
    shows: [/^SHA-256$/],
    restore: (was) => ok(`<tds:SetHashingAlgorithm><tds:Algorithm>${was}</tds:Algorithm></tds:SetHashingAlgorithm>`),
    wrong: [['<tds:SetHashingAlgorithm><tds:Algorithm>SHA-1</tds:Algorithm></tds:SetHashingAlgorithm>', 'ter:InvalidArgVal']],
  }, {
    name: 'password complexity', read: readBody('<tds:GetPasswordComplexityConfiguration/>'),
    change: [() => ok(passwordRules(12, 1, 1, 1, true))],
    shows: [/<tds:MinLen>12<\/tds:MinLen><tds:Uppercase>1<\/tds:Uppercase><tds:Number>1<\/tds:Number><tds:SpecialChars>1<\/tds:SpecialChars><tds:BlockUsernameOccurrence>true</],
    restore: (was) => ok(passwordRules(...['MinLen', 'Uppercase', 'Number', 'SpecialChars', 'BlockUsernameOccurrence']
      .map((e) => was.match(new RegExp(`<tds:${e}>([^<]+)<`))[1]))),
    wrong: [[passwordRules(65, 0, 0, 0, false), 'ter:InvalidArgVal']],
  }, {
    name: 'password history', read: readBody('<tds:GetPasswordHistoryConfiguration/>'),
    change: [() => ok('<tds:SetPasswordHistoryConfiguration><tds:Enabled>true</tds:Enabled><tds:Length>5</tds:Length></tds:SetPasswordHistoryConfiguration>')],
    shows: [/<tds:Enabled>true<\/tds:Enabled><tds:Length>5</],
    restore: (was) => ok(`<tds:SetPasswordHistoryConfiguration><tds:Enabled>${was.match(/<tds:Enabled>(\w+)</)[1]}</tds:Enabled>` +
      `<tds:Length>${was.match(/<tds:Length>(\d+)</)[1]}</tds:Length></tds:SetPasswordHistoryConfiguration>`),
    wrong: [['<tds:SetPasswordHistoryConfiguration><tds:Enabled>true</tds:Enabled><tds:Length>11</tds:Length></tds:SetPasswordHistoryConfiguration>', 'ter:InvalidArgVal']],
  }, {
    name: 'authentication failure warning', read: readBody('<tds:GetAuthFailureWarningConfiguration/>'),
    change: [() => ok('<tds:SetAuthFailureWarningConfiguration><tds:Enabled>true</tds:Enabled><tds:MonitorPeriod>120</tds:MonitorPeriod>' +
      '<tds:MaxAuthFailures>3</tds:MaxAuthFailures></tds:SetAuthFailureWarningConfiguration>')],
    shows: [/<tds:Enabled>true<\/tds:Enabled><tds:MonitorPeriod>120<\/tds:MonitorPeriod><tds:MaxAuthFailures>3</],
    restore: (was) => ok('<tds:SetAuthFailureWarningConfiguration>' +
      ['Enabled', 'MonitorPeriod', 'MaxAuthFailures'].map((e) => `<tds:${e}>${was.match(new RegExp(`<tds:${e}>([^<]+)<`))[1]}</tds:${e}>`).join('') +
      '</tds:SetAuthFailureWarningConfiguration>'),
    wrong: [['<tds:SetAuthFailureWarningConfiguration><tds:Enabled>true</tds:Enabled><tds:MonitorPeriod>0</tds:MonitorPeriod>' +
      '<tds:MaxAuthFailures>3</tds:MaxAuthFailures></tds:SetAuthFailureWarningConfiguration>', 'ter:InvalidArgVal']],
  }, {
    name: 'IEEE 802.1X configurations', read: readBody('<tds:GetDot1XConfigurations/>'),
    change: [() => ok(dot1x('CreateDot1XConfiguration', 'sweep', 25, 'p3ap-Secret')),
      // Written back without the password (as read), another method.
      () => ok(dot1x('SetDot1XConfiguration', 'sweep', 21, '')),
      async () => assert.match(await ok(dot1xToken('GetDot1XConfiguration', 'sweep')), /<tt:EAPMethod>21</)],
    shows: [/<tt:Dot1XConfigurationToken>sweep<\/tt:Dot1XConfigurationToken><tt:Identity>camera-7<\/tt:Identity><tt:EAPMethod>21</,
      /^((?!p3ap-Secret|Password).)*$/s],
    restore: () => ok(dot1xToken('DeleteDot1XConfiguration', 'sweep')),
    // A token that is taken, for the wrong calls.
    arrange: () => ok(dot1x('CreateDot1XConfiguration', 'taken', 4, 'x')),
    tidy: () => ok(dot1xToken('DeleteDot1XConfiguration', 'taken')),
    wrong: [[dot1x('CreateDot1XConfiguration', 'taken', 25, 'x'), 'ter:ReferenceToken'],
      [dot1x('CreateDot1XConfiguration', 'tls', 13, 'x'), 'ter:InvalidArgVal'],
      [dot1xToken('GetDot1XConfiguration', 'nowhere'), 'ter:NoConfig'],
      [dot1x('SetDot1XConfiguration', 'nowhere', 25, 'x'), 'ter:NoConfig'],
      [dot1xToken('DeleteDot1XConfiguration', 'nowhere'), 'ter:NoConfig']],
  }, {
    // Key pairs, certificates and CA certificates, the enabled one served
    // over HTTPS (switched on with SetNetworkProtocols), client certificates.
    name: 'certificates and HTTPS',
    read: async () => [await ok('<tds:GetCertificates/>'), await ok('<tds:GetCertificatesStatus/>'),
      await ok('<tds:GetCACertificates/>'), await ok('<tds:GetClientCertificateMode/>'),
      (await ok('<tds:GetNetworkProtocols/>')).match(/<tt:Name>HTTPS<\/tt:Name>.*?<\/tds:NetworkProtocols>/)[0]].join('\n'),
    change: [async () => {
      const made = await ok('<tds:CreateCertificate><tds:CertificateID>sweep</tds:CertificateID>' +
        '<tds:Subject>CN=sweep-camera</tds:Subject></tds:CreateCertificate>');
      state.selfSigned = made.match(/<tt:Data>([^<]+)</)[1];
      assert.match(await ok(certificateIds('GetPkcs10Request', ['sweep'])), /<tds:Pkcs10Request xmime:contentType="application\/pkcs10"><tt:Data>MII/);
      // Its own certificate loaded back: linked to the key pair it was made with.
      await ok(`<tds:LoadCertificates><tds:NVTCertificate>${certificateData('sweep', state.selfSigned)}</tds:NVTCertificate></tds:LoadCertificates>`);
      await ok('<tds:LoadCertificateWithPrivateKey><tds:CertificateWithPrivateKey>' +
        `${certificateData('sweep-loaded', state.loaded.der.toString('base64'))}` +
        `<tt:PrivateKey><tt:Data>${state.loaded.key.toString('base64')}</tt:Data></tt:PrivateKey>` +
        '</tds:CertificateWithPrivateKey></tds:LoadCertificateWithPrivateKey>');
      assert.match(await ok(certificateIds('GetCertificateInformation', ['sweep-loaded'])),
        /<tt:SubjectDN>CN=sweep-loaded<\/tt:SubjectDN><tt:KeyLength>256</);
      await ok(`<tds:LoadCACertificates><tds:CACertificate>${certificateData('sweep-ca', state.loaded.der.toString('base64'))}</tds:CACertificate></tds:LoadCACertificates>`);
      await ok(certificateStatus('sweep', true));
      state.https = await freeTcpPort();
      await ok(httpsProtocol(port, true, state.https));
      await ok(clientCertificates(true));
    }],
    shows: [/<tt:CertificateID>sweep<\/tt:CertificateID><tt:Certificate xmime:contentType="application\/pkix-cert"><tt:Data>MII/,
      />sweep-loaded</, /<tt:CertificateID>sweep<\/tt:CertificateID><tt:Status>true</,
      /<tt:CertificateID>sweep-ca</, /<tds:Enabled>true<\/tds:Enabled>/,
      () => new RegExp(`<tt:Name>HTTPS</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>${state.https}<`)],
    restore: async (was) => {
      await ok(clientCertificates(false));
      await ok(httpsProtocol(port, false, was.match(/<tt:Name>HTTPS<\/tt:Name><tt:Enabled>false<\/tt:Enabled><tt:Port>(\d+)</)[1]));
      await ok(certificateStatus('sweep', false));
      await ok(certificateIds('DeleteCertificates', ['sweep', 'sweep-loaded', 'sweep-ca']));
    },
    arrange: () => ok('<tds:CreateCertificate><tds:CertificateID>taken</tds:CertificateID></tds:CreateCertificate>'),
    tidy: () => ok(certificateIds('DeleteCertificates', ['taken'])),
    wrong: [['<tds:CreateCertificate><tds:CertificateID>taken</tds:CertificateID></tds:CreateCertificate>', 'ter:CertificateID'],
      ['<tds:CreateCertificate><tds:CertificateID>sweep</tds:CertificateID><tds:Subject>XX=1</tds:Subject></tds:CreateCertificate>', 'ter:InvalidArgVal'],
      [certificateStatus('nowhere', true), 'ter:CertificateID'],
      [certificateIds('DeleteCertificates', ['taken', 'nowhere']), 'ter:CertificateID'],
      [certificateIds('GetPkcs10Request', ['nowhere']), 'ter:CertificateID'],
      [certificateIds('GetCertificateInformation', ['nowhere']), 'ter:CertificateID'],
      [`<tds:LoadCertificates><tds:NVTCertificate>${certificateData('junk', 'bm90IGEgY2VydGlmaWNhdGU=')}</tds:NVTCertificate></tds:LoadCertificates>`, 'ter:BadCertificate'],
      [() => `<tds:LoadCertificates><tds:NVTCertificate>${certificateData('stranger', state.loaded.der.toString('base64'))}</tds:NVTCertificate></tds:LoadCertificates>`, 'ter:NoMatchingPrivateKey'],
      [() => '<tds:LoadCertificateWithPrivateKey><tds:CertificateWithPrivateKey>' +
        `${certificateData('mismatch', state.loaded.der.toString('base64'))}` +
        `<tt:PrivateKey><tt:Data>${state.other.key.toString('base64')}</tt:Data></tt:PrivateKey>` +
        '</tds:CertificateWithPrivateKey></tds:LoadCertificateWithPrivateKey>', 'ter:PublicPrivateKeyMismatch'],
      [`<tds:LoadCACertificates><tds:CACertificate>${certificateData('junk', 'bm90IGEgY2VydGlmaWNhdGU=')}</tds:CACertificate></tds:LoadCACertificates>`, 'ter:BadCertificate'],
      [clientCertificates(true), 'ter:EnablingTlsFailed'],
      [() => httpsProtocol(port, true, cfg.rtspPorts[0] + 1), 'ter:EnablingTlsFailed']],
  }, {
    // Held by the camera, not the gateway: the simulated camera forgets them
    // when its adapter process starts again.
    name: 'relay output settings', read: readBody('<tds:GetRelayOutputs/>'), heldByCamera: true,
    change: [() => ok(relaySettings('relay-1', 'Monostable', 'PT2S', 'closed'))],
    shows: [/<tds:RelayOutputs token="relay-1"><tt:Properties><tt:Mode>Monostable<\/tt:Mode><tt:DelayTime>PT2S<\/tt:DelayTime><tt:IdleState>closed</],
    restore: (was) => ok(relaySettings('relay-1', ...['Mode', 'DelayTime', 'IdleState'].map((e) => was.match(new RegExp(`<tt:${e}>([^<]+)<`))[1]))),
    wrong: [[relaySettings('relay-9', 'Bistable', 'PT1S', 'open'), 'ter:RelayToken'],
      [relaySettings('relay-1', 'Monostable', 'PT2H', 'open'), 'ter:ModeError'],
      ['<tds:SetRelayOutputState><tds:RelayOutputToken>relay-9</tds:RelayOutputToken><tds:LogicalState>active</tds:LogicalState></tds:SetRelayOutputState>', 'ter:RelayToken']],
  });

  // Operations that change nothing kept (or whose effect is checked at once):
  // each call and what its reply must say; wrong arguments as above.
  const calls = [
    ['<tds:GetDeviceInformation/>', /<tds:Manufacturer>[^<]+<\/tds:Manufacturer><tds:Model>SIM-1000</],
    ['<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>', /<tt:Device><tt:XAddr>/],
    ['<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>', /<tds:Namespace>http:\/\/www\.onvif\.org\/ver10\/device\/wsdl</],
    ['<tds:GetServiceCapabilities/>', /<tds:Capabilities><tds:Network /],
    ['<tds:GetWsdlUrl/>', /<tds:WsdlUrl>http:\/\/www\.onvif\.org\/ver10\/device\/wsdl\/devicemgmt\.wsdl</],
    ['<tds:GetEndpointReference/>', /<tds:GUID>urn:uuid:[0-9a-f-]{36}</],
    ['<tds:GetPasswordComplexityOptions/>', /<tds:MinLenRange><tt:Min>1<\/tt:Min><tt:Max>64</],
    ['<tds:GetAuthFailureWarningOptions/>', /<tds:MonitorPeriodRange><tt:Min>1</],
    ['<tds:GetSystemLog><tds:LogType>System</tds:LogType></tds:GetSystemLog>', /<tt:String>[^<]*dev-1/],
    ['<tds:GetSystemLog><tds:LogType>Access</tds:LogType></tds:GetSystemLog>', /\[access\] device dev-1: 'admin' from 127\.0\.0\.1/],
    ['<tds:GetSystemSupportInformation/>', /<tt:String>/],
    ['<tds:GetSystemUris/>', /<tds:SystemBackupUri>http:\/\/127\.0\.0\.1:\d+\/onvif\/system\/backup</],
    ['<tds:SetRelayOutputState><tds:RelayOutputToken>relay-1</tds:RelayOutputToken><tds:LogicalState>active</tds:LogicalState></tds:SetRelayOutputState>', /<tds:SetRelayOutputStateResponse\/>/],
    ['<tds:SetRelayOutputState><tds:RelayOutputToken>relay-1</tds:RelayOutputToken><tds:LogicalState>inactive</tds:LogicalState></tds:SetRelayOutputState>', /<tds:SetRelayOutputStateResponse\/>/],
    ['<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>tt:IRLamp|On</tds:AuxiliaryCommand></tds:SendAuxiliaryCommand>', /<tds:AuxiliaryCommandResponse>IRLamp=On</],
    ['<tds:StartFirmwareUpgrade/>', /<tds:UploadUri>http:\/\/127\.0\.0\.1:\d+\/onvif\/system\/firmware\/[0-9A-F]{32}</],
    ['<tds:StartSystemRestore/>', /<tds:UploadUri>http:\/\/127\.0\.0\.1:\d+\/onvif\/system\/restore\/[0-9A-F]{32}</],
  ];
  const wrongCalls = [
    ['<tds:GetCapabilities><tds:Category>Everything</tds:Category></tds:GetCapabilities>', 'ter:InvalidArgVal'],
    ['<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>', 'ter:NoSuchService'],
    ['<tds:GetServices/>', 'ter:InvalidArgs'],
    ['<tds:GetSystemLog><tds:LogType>Kernel</tds:LogType></tds:GetSystemLog>', 'ter:InvalidArgVal'],
    ['<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>tt:Siren|On</tds:AuxiliaryCommand></tds:SendAuxiliaryCommand>', 'ter:AuxiliaryDataNotSupported'],
    ['<tds:SetSystemFactoryDefault><tds:FactoryDefault>Medium</tds:FactoryDefault></tds:SetSystemFactoryDefault>', 'ter:InvalidArgVal'],
  ];

  function protocols(http, rtsp) {
    return '<tds:SetNetworkProtocols>' +
      `<tds:NetworkProtocols><tt:Name>HTTP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>${http}</tt:Port></tds:NetworkProtocols>` +
      `<tds:NetworkProtocols><tt:Name>RTSP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>${rtsp}</tt:Port></tds:NetworkProtocols>` +
      '</tds:SetNetworkProtocols>';
  }
  // The Digest algorithms the device challenges with, in order.
  async function challenges() {
    const uri = (await ok('<tds:GetSystemUris/>')).match(/<tds:SupportInfoUri>([^<]+)</)[1];
    const r = await httpGet(uri);
    assert.equal(r.status, 401);
    return r.challenges.map((c) => c.match(/algorithm=([\w-]+)/)[1]);
  }
  const matches = (text, pattern) => assert.match(text, typeof pattern === 'function' ? pattern() : pattern);

  before(async () => {
    dir = tempDir();
    cfg = await writeConfig(dir, { devices: 1, relays: [1] });
    port = cfg.ports[0];
    state.loaded = opensslKeyAndCertificate(dir, 'sweep-loaded');
    state.other = opensslKeyAndCertificate(dir, 'sweep-other');
    busy = net.createServer();
    await new Promise((resolve) => busy.listen(0, '127.0.0.1', resolve));
    await start();
  });

  after(async () => {
    if (gw) await gw.stop();
    busy?.close();
  });

  test('the sweep knows the 103 operations of devicemgmt.wsdl', () => {
    assert.equal(OPERATIONS.length, 103);
    assert.ok(TAKES_ARGUMENTS.length > 50, String(TAKES_ARGUMENTS.length));
  });

  test('every operation that is not offered answers ter:ActionNotSupported', async () => {
    for (const [op, body] of Object.entries(NOT_SUPPORTED)) {
      assert.equal(opOf(body), op);
      const r = await soap(port, body);
      assert.equal(r.status, 500, `${op}: ${r.text}`);
      assert.match(r.text, /<env:Value>env:Receiver<\/env:Value><env:Subcode><env:Value>ter:ActionNotSupported</, op);
      // Core's own fault for a device without IEEE 802.11.
      if (op.includes('Dot11')) assert.match(r.text, /<env:Value>ter:InvalidDot11<\/env:Value>/, op);
      record(op, body, r.text);
      notSupported.add(op);
    }
  });

  test('the capabilities say which features are absent, and those that are offered work', async () => {
    const caps = await ok('<tds:GetServiceCapabilities/>');
    const legacy = await ok('<tds:GetCapabilities><tds:Category>Device</tds:Category></tds:GetCapabilities>');
    for (const feature of ABSENT) {
      for (const re of feature.caps) assert.match(caps, re, feature.ops[0]);
      for (const re of feature.legacy) assert.match(legacy, re, feature.ops[0]);
      for (const op of feature.ops) assert.ok(notSupported.has(op), `${op} is absent but did not say so`);
    }
    // Offered: each of these flags is true and its operations are among those the sweep runs.
    for (const flag of ['IPFilter', 'ZeroConfiguration', 'DynDNS', 'HostnameFromDHCP', 'AccessPolicyConfig',
      'RemoteUserHandling', 'UsernameToken', 'HttpDigest', 'DiscoveryBye', 'SystemBackup', 'SystemLogging',
      'HttpFirmwareUpgrade', 'HttpSystemBackup', 'HttpSystemLogging', 'HttpSupportInformation', 'StorageConfiguration']) {
      assert.match(caps, new RegExp(` ${flag}="true"`), flag);
    }
    assert.match(caps, /NTP="[1-9]"/);
    assert.match(caps, / Dot1X="true"/);
    assert.match(caps, /Dot1XConfigurations="[1-9]"/);
    assert.match(caps, /SupportedEAPMethods="4 13 21 25"/);
    assert.match(caps, /TLS1\.0="false" TLS1\.1="false" TLS1\.2="true" OnboardKeyGeneration="true"/);
    assert.match(legacy, /<tt:TLS1\.1>false<\/tt:TLS1\.1><tt:TLS1\.2>true<\/tt:TLS1\.2><tt:OnboardKeyGeneration>true</);
    assert.match(caps, /X\.509Token="false"/);
    assert.match(legacy, /<tt:Dot1X>true<\/tt:Dot1X>/);
    assert.match(caps, /GeoLocationEntries="[1-9]\d*"/);
    assert.match(caps, /AuxiliaryCommands="[^"]*tt:IRLamp\|On/);
    assert.match(caps, /SecurityPolicies="PasswordComplexity PasswordHistory AuthFailureWarning"/);
    assert.match(legacy, /<tt:IO><tt:InputConnectors>0<\/tt:InputConnectors><tt:RelayOutputs>1<\/tt:RelayOutputs>/);
  });

  test('every other operation answers with its schema-valid response', async () => {
    for (const [body, says] of calls) assert.match(await ok(body), says, opOf(body));
    for (const s of scenarios) {
      s.before = await s.read();
      for (const change of s.change) await change();
      const now = await s.read();
      for (const p of s.shows) matches(now, p);
    }
  });

  test('GetSystemBackup and RestoreSystem (MTOM), and the HTTP restore upload, give back the backed-up state and the camera\'s configuration', async () => {
    const hostname = async () => (await ok('<tds:GetHostname/>')).match(/<tt:Name>([^<]+)</)[1];
    const saved = await hostname();
    const got = await soapMtom(port, '<tds:GetSystemBackup/>');
    assert.equal(got.status, 200, got.body.toString());
    const [root, ...attachments] = parseMultipart(got.contentType, got.body);
    record('GetSystemBackup', '<tds:GetSystemBackup/>', root.data.toString());
    answered.add('GetSystemBackup');
    const href = decodeURIComponent(root.data.toString().match(/<xop:Include href="cid:([^"]+)"/)[1]);
    const file = attachments.find((p) => p.id === href).data;

    await ok('<tds:SetHostname><tds:Name>after-backup</tds:Name></tds:SetHostname>');
    // The camera's own configuration is in the backup too (the relay settings, here).
    const relays = async () => (await ok('<tds:GetRelayOutputs/>')).match(/<tt:Properties>.*<\/tt:Properties>/)[0];
    const relaysSaved = await relays();
    await ok(relaySettings('relay-1', 'Bistable', 'PT7S', 'open'));
    assert.notEqual(await relays(), relaysSaved);
    const restore = (data) => {
      const body = '<tds:RestoreSystem><tds:BackupFiles><tt:Name>sweep.onvifgw-backup</tt:Name>' +
        `<tt:Data>${xop('backup%40sweep')}</tt:Data></tds:BackupFiles></tds:RestoreSystem>`;
      return soapMtom(port, body, { parts: [{ id: 'backup@sweep', data }] }).then((r) => {
        record('RestoreSystem', body, r.body.toString(), { requestValid: r.status === 200 });
        return r;
      });
    };
    const damaged = Buffer.from(file);
    damaged[10] ^= 1;
    const bad = await restore(damaged);
    assert.equal(bad.status, 400);
    assert.match(bad.body.toString(), /<env:Value>ter:InvalidBackupFile</);
    rejected.add('RestoreSystem');
    assert.equal(await hostname(), 'after-backup');
    const good = await restore(file);
    assert.equal(good.status, 200, good.body.toString());
    answered.add('RestoreSystem');
    assert.equal(await hostname(), saved);
    assert.equal(await relays(), relaysSaved);
    await gw.waitFor(/restore: camera cam-1 configuration restored/);

    // The same file through StartSystemRestore's upload URI.
    await ok('<tds:SetHostname><tds:Name>after-backup</tds:Name></tds:SetHostname>');
    const upload = (await ok('<tds:StartSystemRestore/>')).match(/<tds:UploadUri>([^<]+)</)[1];
    const posted = await httpPost(upload, file, { auth: ADMIN, algorithm: 'SHA-256' });
    assert.equal(posted.status, 200, String(posted.body));
    assert.equal(await hostname(), saved);
  });

  test('UpgradeSystemFirmware (MTOM) and the StartFirmwareUpgrade upload: a foreign image is refused, a good one installed', async () => {
    const body = '<tds:UpgradeSystemFirmware><tds:Firmware>' + xop('fw') + '</tds:Firmware></tds:UpgradeSystemFirmware>';
    const send = async (image) => {
      const r = await soapMtom(port, body, { parts: [{ id: 'fw', data: image }] });
      record('UpgradeSystemFirmware', body, r.body.toString(), { requestValid: r.status === 200 });
      return r;
    };
    const foreign = await send(firmwareImage('OTHER-9', '1.0'));
    assert.equal(foreign.status, 400, foreign.body.toString());
    assert.match(foreign.body.toString(), /<env:Value>ter:InvalidFirmware</);
    rejected.add('UpgradeSystemFirmware');
    const refreshed = gw.lines.filter((l) => /facts changed, cache refreshed/.test(l)).length;
    const good = await send(firmwareImage('SIM-1000', '4.0.0-sweep'));
    assert.equal(good.status, 200, good.body.toString());
    answered.add('UpgradeSystemFirmware');
    await gw.waitFor(/facts changed, cache refreshed/, { nth: refreshed + 1, timeoutMs: 15000 });
    assert.match(await ok('<tds:GetDeviceInformation/>'), /<tds:FirmwareVersion>4\.0\.0-sweep</);

    const upload = (await ok('<tds:StartFirmwareUpgrade/>')).match(/<tds:UploadUri>([^<]+)</)[1];
    const refused = await httpPost(upload, firmwareImage('OTHER-9', '1.0'), { auth: ADMIN, algorithm: 'SHA-256' });
    assert.equal(refused.status, 415, String(refused.body));
  });

  test('every setting is kept across a kill -9 of the gateway, then put back as it was', async () => {
    await gw.stop('SIGKILL');
    await start();
    for (const s of scenarios.filter((x) => !x.heldByCamera)) {
      const now = await s.read();
      for (const p of s.shows) matches(now, p);
    }
    for (const s of [...scenarios].reverse()) {
      await s.restore(s.before);
      assert.equal(await s.read(), s.before, `${s.name} was not put back`);
    }
  });

  test('a wrong argument gets the documented fault and changes nothing', async () => {
    for (const s of scenarios) {
      if (s.arrange) await s.arrange();
      for (const [body, subcode] of s.wrong) {
        const was = await s.read();
        await refused(typeof body === 'function' ? body() : body, subcode);
        assert.equal(await s.read(), was, `${s.name} changed by a refused call`);
      }
      if (s.tidy) await s.tidy();
    }
    for (const [body, subcode] of wrongCalls) await refused(body, subcode);
  });

  test('SetSystemFactoryDefault puts the device back; SystemReboot restarts the camera and the virtual device', async () => {
    await ok(scopesBody('AddScopes', ['onvif://www.onvif.org/location/sweep/reset']));
    assert.match(await ok('<tds:SetSystemFactoryDefault><tds:FactoryDefault>Soft</tds:FactoryDefault></tds:SetSystemFactoryDefault>'),
      /<tds:SetSystemFactoryDefaultResponse\/>/);
    assert.doesNotMatch(await ok('<tds:GetScopes/>'), /sweep\/reset/);

    const restarts = gw.lines.filter((l) => /restarting \(SystemReboot\)/.test(l)).length;
    assert.match(await ok('<tds:SystemReboot/>'), /<tds:Message>Rebooting in \d+ seconds<\/tds:Message>/);
    await gw.waitFor(/restarting \(SystemReboot\)/, { nth: restarts + 1 });
  });

  test('every operation was driven, every reply validates, every argument-taking operation refused a wrong one', () => {
    const driven = new Set([...answered, ...notSupported]);
    assert.deepEqual(OPERATIONS.filter((op) => !driven.has(op)), [], 'operations the sweep did not drive');
    assert.deepEqual([...answered].filter((op) => notSupported.has(op)), [], 'both answered and not supported');
    const unrefused = TAKES_ARGUMENTS.filter((op) => !notSupported.has(op) && !rejected.has(op));
    assert.deepEqual(unrefused, [], 'operations with arguments never given a wrong one');
    console.log(`# sweep: ${answered.size} operations answered, ${notSupported.size} ActionNotSupported, ` +
      `${rejected.size} refused a wrong argument; ${messages.length} messages validated`);
    if (!haveCheckSoap) return;
    assert.equal(checkSoapAll(messages), '');
  });
});
