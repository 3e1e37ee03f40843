// The Imaging and DeviceIO services end to end with the simulated camera
// (Profile T §7.16 imaging settings, §8.14 focus, §8.15 relays, §8.16
// digital inputs): the real gateway and adapter, raw SOAP and the npm
// `onvif` client. Every response is validated with check-soap at the end.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import onvif from 'onvif';
import {
  ADMIN, Gateway, checkSoapAll, haveCheckSoap, soap, tempDir, writeConfig,
} from './lib/harness.mjs';

const IMAGING = { path: '/onvif/imaging_service' };
const DEVICEIO = { path: '/onvif/deviceio_service' };
const EVENTS = { path: '/onvif/events_service' };
const DEVICE = { path: '/onvif/device_service' };
const TIMG = 'xmlns:timg="http://www.onvif.org/ver20/imaging/wsdl"';
const TMD = 'xmlns:tmd="http://www.onvif.org/ver10/deviceIO/wsdl"';
const TDS = 'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"';
const SOURCE = 'VideoSource_0';
const CONCRETE = 'http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet';

const img = (name, inner = '') => `<timg:${name} ${TIMG}>${inner}</timg:${name}>`;
const io = (name, inner = '') => `<tmd:${name} ${TMD}>${inner}</tmd:${name}>`;
const sourceArg = `<timg:VideoSourceToken>${SOURCE}</timg:VideoSourceToken>`;

describe('Imaging and DeviceIO with the simulated camera', () => {
  let gw;
  let port;
  let bare;  // a camera without inputs or relays
  const responses = [];

  async function call(body, at, on = port) {
    const r = await soap(on, body, at);
    responses.push({ name: body.match(/<(\w+:\w+)/)[1], xml: r.text });
    return r;
  }
  async function ok(body, at, on) {
    const r = await call(body, at, on);
    assert.equal(r.status, 200, `${body}\n${r.text}`);
    return r.text;
  }
  async function fault(body, at, on) {
    const r = await call(body, at, on);
    assert.notEqual(r.status, 200, `${body}\n${r.text}`);
    const codes = [...r.text.matchAll(/<env:Value>ter:(\w+)<\/env:Value>/g)].map((m) => m[1]);
    return codes.at(-1);
  }

  before(async () => {
    const cfg = await writeConfig(tempDir(), { devices: 2, relays: [2, 0], inputs: [2, 0],
      inputIntervalMs: 400 });
    [port, bare] = cfg.ports;
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    await gw?.stop();
    if (haveCheckSoap && responses.length) assert.equal(checkSoapAll(responses), '');
  });

  test('Profile T imaging: settings, options, a change within them, one outside', async () => {
    assert.match(await ok(img('GetServiceCapabilities'), IMAGING), /<timg:Capabilities [^>]*Presets="false"/);
    const options = await ok(img('GetOptions', sourceArg), IMAGING);
    assert.match(options, /<tt:Brightness><tt:Min>0<\/tt:Min><tt:Max>100<\/tt:Max><\/tt:Brightness>/);
    assert.match(options, /<tt:IrCutFilterModes>AUTO<\/tt:IrCutFilterModes>/);
    const before = await ok(img('GetImagingSettings', sourceArg), IMAGING);
    assert.match(before, /<tt:Brightness>50<\/tt:Brightness>/);
    assert.match(before, /<tt:IrCutFilter>AUTO<\/tt:IrCutFilter>/);

    await ok(img('SetImagingSettings', sourceArg + '<timg:ImagingSettings>' +
      '<tt:Brightness>70</tt:Brightness><tt:Contrast>40</tt:Contrast><tt:IrCutFilter>OFF</tt:IrCutFilter>' +
      '<tt:Exposure><tt:Mode>MANUAL</tt:Mode><tt:ExposureTime>2000</tt:ExposureTime><tt:Gain>6</tt:Gain></tt:Exposure>' +
      '</timg:ImagingSettings>'), IMAGING);
    const after = await ok(img('GetImagingSettings', sourceArg), IMAGING);
    assert.match(after, /<tt:Brightness>70<\/tt:Brightness>/);
    assert.match(after, /<tt:Contrast>40<\/tt:Contrast>/);
    assert.match(after, /<tt:IrCutFilter>OFF<\/tt:IrCutFilter>/);
    assert.match(after, /<tt:Exposure><tt:Mode>MANUAL<\/tt:Mode>[\s\S]*<tt:ExposureTime>2000<\/tt:ExposureTime>/);

    assert.equal(await fault(img('SetImagingSettings', sourceArg +
      '<timg:ImagingSettings><tt:Brightness>150</tt:Brightness><tt:Contrast>10</tt:Contrast></timg:ImagingSettings>'),
    IMAGING), 'SettingsInvalid');
    assert.match(await ok(img('GetImagingSettings', sourceArg), IMAGING), /<tt:Contrast>40<\/tt:Contrast>/);
    assert.equal(await fault(img('GetImagingSettings', '<timg:VideoSourceToken>nope</timg:VideoSourceToken>'),
      IMAGING), 'NoSource');
  });

  test('the npm onvif client reads and writes the imaging settings', async () => {
    const cam = new onvif.Cam({ hostname: '127.0.0.1', port, autoconnect: false, timeout: 5000, ...ADMIN });
    cam.on('rawResponse', (xml) => responses.push({ name: 'client', xml }));
    await promisify(cam.connect.bind(cam))();
    const settings = await promisify(cam.getImagingSettings.bind(cam))({ token: SOURCE });
    assert.equal(Number(settings.brightness), 70);
    await promisify(cam.setImagingSettings.bind(cam))({ token: SOURCE, brightness: 30 });
    const again = await promisify(cam.getImagingSettings.bind(cam))({ token: SOURCE });
    assert.equal(Number(again.brightness), 30);
  });

  test('focus: move options, an absolute move arrives, a continuous one stops', async () => {
    const moves = await ok(img('GetMoveOptions', sourceArg), IMAGING);
    assert.match(moves, /<tt:Absolute><tt:Position><tt:Min>0<\/tt:Min><tt:Max>1<\/tt:Max>/);
    await ok(img('Move', sourceArg + '<timg:Focus><tt:Absolute><tt:Position>0.8</tt:Position>' +
      '<tt:Speed>1</tt:Speed></tt:Absolute></timg:Focus>'), IMAGING);
    const deadline = Date.now() + 5000;
    let status;
    for (;;) {
      status = await ok(img('GetStatus', sourceArg), IMAGING);
      if (/<tt:MoveStatus>IDLE<\/tt:MoveStatus>/.test(status)) break;
      assert.ok(Date.now() < deadline, status);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(status, /<tt:Position>0\.8<\/tt:Position>/);
    await ok(img('Move', sourceArg + '<timg:Focus><tt:Continuous><tt:Speed>-1</tt:Speed></tt:Continuous></timg:Focus>'),
      IMAGING);
    assert.match(await ok(img('GetStatus', sourceArg), IMAGING), /<tt:MoveStatus>MOVING<\/tt:MoveStatus>/);
    await ok(img('Stop', sourceArg), IMAGING);
    assert.match(await ok(img('GetStatus', sourceArg), IMAGING), /<tt:MoveStatus>IDLE<\/tt:MoveStatus>/);
  });

  test('DeviceIO: capabilities, sources, relays and inputs', async () => {
    const caps = await ok(io('GetServiceCapabilities'), DEVICEIO);
    assert.match(caps, /VideoSources="1"/);
    assert.match(caps, /RelayOutputs="2"/);
    assert.match(caps, /DigitalInputs="2"/);
    assert.match(await ok(io('GetVideoSources'), DEVICEIO), new RegExp(`<tmd:Token>${SOURCE}</tmd:Token>`));
    const options = await ok(io('GetRelayOutputOptions'), DEVICEIO);
    assert.match(options, /<tmd:RelayOutputOptions token="relay-1">/);
    await ok(`<tds:SetRelayOutputState ${TDS}><tds:RelayOutputToken>relay-1</tds:RelayOutputToken>` +
      '<tds:LogicalState>active</tds:LogicalState></tds:SetRelayOutputState>', DEVICEIO);
    // The Device service sees the same relay.
    assert.match(await ok(`<tds:GetRelayOutputs ${TDS}/>`, DEVICE), /<tds:RelayOutputs token="relay-1">/);

    const inputs = await ok(io('GetDigitalInputs'), DEVICEIO);
    assert.match(inputs, /<tmd:DigitalInputs token="input-1" IdleState="closed"\/>/);
    assert.match(await ok(io('GetDigitalInputConfigurationOptions'), DEVICEIO),
      /<tmd:IdleState>closed<\/tmd:IdleState><tmd:IdleState>open<\/tmd:IdleState>/);
    await ok(io('SetDigitalInputConfigurations', '<tmd:DigitalInputs token="input-2" IdleState="open"/>'),
      DEVICEIO);
    assert.match(await ok(io('GetDigitalInputs'), DEVICEIO), /<tmd:DigitalInputs token="input-2" IdleState="open"\/>/);
    assert.equal(await fault(io('SetDigitalInputConfigurations', '<tmd:DigitalInputs token="input-1" IdleState="open"/>' +
      '<tmd:DigitalInputs token="nope" IdleState="open"/>'), DEVICEIO), 'NoConfig');
    assert.match(await ok(io('GetDigitalInputs'), DEVICEIO), /<tmd:DigitalInputs token="input-1" IdleState="closed"\/>/);

    // Nothing to output, no serial ports.
    assert.doesNotMatch(await ok(io('GetVideoOutputs'), DEVICEIO), /token=/);
    assert.equal(await fault(io('GetSerialPortConfiguration', '<tmd:SerialPortToken>s</tmd:SerialPortToken>'),
      DEVICEIO), 'InvalidSerialPort');

    // A camera without relays or inputs says so.
    const bareCaps = await ok(io('GetServiceCapabilities'), DEVICEIO, bare);
    assert.match(bareCaps, /RelayOutputs="0"/);
    assert.match(bareCaps, /DigitalInputs="0"/);
    assert.equal(await fault(io('GetDigitalInputs'), DEVICEIO, bare), 'ActionNotSupported');
  });

  test('a toggling input raises tns1:Device/Trigger/DigitalInput events', async () => {
    const sub = await ok('<tev:CreatePullPointSubscription xmlns:tev="http://www.onvif.org/ver10/events/wsdl" ' +
      'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"><tev:Filter>' +
      `<wsnt:TopicExpression Dialect="${CONCRETE}" xmlns:tns1="http://www.onvif.org/ver10/topics">` +
      'tns1:Device/Trigger/DigitalInput</wsnt:TopicExpression></tev:Filter></tev:CreatePullPointSubscription>', EVENTS);
    const address = sub.match(/<wsa:Address>([^<]+)<\/wsa:Address>/)[1];
    const path = new URL(address).pathname;
    const states = new Map();
    const deadline = Date.now() + 8000;
    // The initial state of each input, then at least one change of input-1.
    while (Date.now() < deadline && !(states.get('input-1')?.size >= 2)) {
      const pulled = await ok('<tev:PullMessages xmlns:tev="http://www.onvif.org/ver10/events/wsdl">' +
        '<tev:Timeout>PT2S</tev:Timeout><tev:MessageLimit>20</tev:MessageLimit></tev:PullMessages>', { path });
      for (const m of pulled.matchAll(/<tt:SimpleItem Name="InputToken" Value="([^"]+)"\/>[\s\S]*?<tt:SimpleItem Name="LogicalState" Value="(true|false)"\/>/g)) {
        if (!states.has(m[1])) states.set(m[1], new Set());
        states.get(m[1]).add(m[2]);
      }
    }
    assert.ok(states.get('input-1')?.size >= 2, JSON.stringify([...states].map(([k, v]) => [k, [...v]])));
    assert.ok(states.has('input-2'));
  });
});
