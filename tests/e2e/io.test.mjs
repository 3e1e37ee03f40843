// Relay outputs end to end (Core §8.6, Profile S §S.16): capabilities,
// GetRelayOutputs, SetRelayOutputSettings and SetRelayOutputState through the
// gateway to the simulated adapter, with the operation-specific faults, and a
// camera without relays answering ActionNotSupported.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Gateway, checkSoap, haveCheckSoap, soap, tempDir, writeConfig,
} from './lib/harness.mjs';

const settings = (token, mode, delay, idle) =>
  `<tds:SetRelayOutputSettings><tds:RelayOutputToken>${token}</tds:RelayOutputToken><tds:Properties>` +
  `<tt:Mode>${mode}</tt:Mode><tt:DelayTime>${delay}</tt:DelayTime><tt:IdleState>${idle}</tt:IdleState>` +
  '</tds:Properties></tds:SetRelayOutputSettings>';
const state = (token, logical) =>
  `<tds:SetRelayOutputState><tds:RelayOutputToken>${token}</tds:RelayOutputToken>` +
  `<tds:LogicalState>${logical}</tds:LogicalState></tds:SetRelayOutputState>`;

function valid(r) {
  if (haveCheckSoap) assert.equal(checkSoap(r.text), '', r.text);
}

describe('relay outputs', () => {
  let gw;
  let withRelays;
  let without;

  before(async () => {
    const cfg = await writeConfig(tempDir(), { devices: 2, relays: [2, 0] });
    [withRelays, without] = cfg.ports;
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => { await gw?.stop(); });

  test('GetCapabilities counts the relays', async () => {
    const caps = await soap(withRelays, '<tds:GetCapabilities><tds:Category>Device</tds:Category></tds:GetCapabilities>');
    assert.match(caps.text, /<tt:RelayOutputs>2<\/tt:RelayOutputs>/);
    valid(caps);
    const none = await soap(without, '<tds:GetCapabilities><tds:Category>Device</tds:Category></tds:GetCapabilities>');
    assert.match(none.text, /<tt:RelayOutputs>0<\/tt:RelayOutputs>/);
  });

  test('GetRelayOutputs lists each relay with its settings', async () => {
    const r = await soap(withRelays, '<tds:GetRelayOutputs/>');
    assert.equal(r.status, 200, r.text);
    valid(r);
    const tokens = [...r.text.matchAll(/RelayOutputs token="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(tokens, ['relay-1', 'relay-2']);
    assert.match(r.text, /<tt:Mode>Bistable<\/tt:Mode><tt:DelayTime>PT1S<\/tt:DelayTime><tt:IdleState>open<\/tt:IdleState>/);
  });

  test('settings are applied and read back', async () => {
    const set = await soap(withRelays, settings('relay-2', 'Monostable', 'PT0.25S', 'closed'));
    assert.equal(set.status, 200, set.text);
    valid(set);
    const r = await soap(withRelays, '<tds:GetRelayOutputs/>');
    assert.match(r.text, /token="relay-2"><tt:Properties><tt:Mode>Monostable<\/tt:Mode><tt:DelayTime>PT0.25S<\/tt:DelayTime><tt:IdleState>closed<\/tt:IdleState>/);
  });

  test('SetRelayOutputState reaches the camera', async () => {
    const seen = gw.waitFor(/camera cam-1: relay relay-1 activated/);
    const r = await soap(withRelays, state('relay-1', 'active'));
    assert.equal(r.status, 200, r.text);
    valid(r);
    await seen;
    const off = gw.waitFor(/camera cam-1: relay relay-1 deactivated/);
    assert.equal((await soap(withRelays, state('relay-1', 'inactive'))).status, 200);
    await off;
  });

  test('bad tokens, modes and states get their faults and change nothing', async () => {
    const unknown = await soap(withRelays, state('relay-9', 'active'));
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /ter:InvalidArgVal[\s\S]*ter:RelayToken/);
    valid(unknown);
    const unknownSettings = await soap(withRelays, settings('nope', 'Bistable', 'PT1S', 'open'));
    assert.match(unknownSettings.text, /ter:RelayToken/);
    const mode = await soap(withRelays, settings('relay-1', 'Monostable', 'PT0S', 'open'));
    assert.match(mode.text, /ter:InvalidArgVal[\s\S]*ter:ModeError/);
    valid(mode);
    const tooLong = await soap(withRelays, settings('relay-1', 'Monostable', 'PT2H', 'open'));
    assert.match(tooLong.text, /ter:ModeError/);
    const logical = await soap(withRelays, state('relay-1', 'half'));
    assert.equal(logical.status, 400);
    assert.match(logical.text, /ter:InvalidArgVal/);
    const r = await soap(withRelays, '<tds:GetRelayOutputs/>');
    assert.match(r.text, /token="relay-1"><tt:Properties><tt:Mode>Bistable</);
  });

  test('a camera without relays answers ActionNotSupported', async () => {
    for (const body of ['<tds:GetRelayOutputs/>', state('relay-1', 'active'),
      settings('relay-1', 'Bistable', 'PT1S', 'open')]) {
      const r = await soap(without, body);
      assert.equal(r.status, 500, r.text);
      assert.match(r.text, /ter:ActionNotSupported/);
      valid(r);
    }
  });

  test('SendAuxiliaryCommand: the camera\'s commands are listed and run; others are refused', async () => {
    const caps = await soap(without, '<tds:GetServiceCapabilities/>');
    assert.match(caps.text, /AuxiliaryCommands="tt:IRLamp\|On tt:IRLamp\|Off tt:IRLamp\|Auto tt:Wiper\|On tt:Wiper\|Off"/);
    valid(caps);
    const aux = (command) => '<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>' + command +
      '</tds:AuxiliaryCommand></tds:SendAuxiliaryCommand>';
    const on = await soap(without, aux('tt:IRLamp|On'));
    assert.equal(on.status, 200, on.text);
    assert.match(on.text, /<tds:AuxiliaryCommandResponse>IRLamp=On</);
    valid(on);
    const unknown = await soap(without, aux('tt:Washer|On'));
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /ter:AuxiliaryDataNotSupported/);
    valid(unknown);
  });
});
