// Events end to end: Basic Notification push to HTTP consumers (a live one
// and one that never answers), MessageContent filters, and the camera's
// reachability as tns1:VideoSource/SignalLoss, against the real gateway
// and the simulated adapter (motion changes every second).

import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  Gateway, checkSoap, haveCheckSoap, soap, tempDir, writeConfig,
} from './lib/harness.mjs';

const NS = 'xmlns:tev="http://www.onvif.org/ver10/events/wsdl" ' +
  'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing" ' +
  'xmlns:tns1="http://www.onvif.org/ver10/topics"';
const CONCRETE = 'http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet';
const ITEM_FILTER = 'http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter';

// The body's elements with the namespaces they need declared on themselves.
function withNs(xml) {
  return xml.replace(/^<([\w:]+)/, `<$1 ${NS}`);
}

async function call(port, body, path = '/onvif/events_service') {
  return soap(port, withNs(body), { path });
}

function addressOf(text) {
  const m = text.match(/<wsa:Address>http:\/\/[^/<]+(\/onvif\/subscription\/[0-9A-F]+)<\/wsa:Address>/);
  assert.ok(m, text);
  return m[1];
}

/** An HTTP consumer that records each Notify and answers 200. */
function liveConsumer() {
  const notifies = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      notifies.push({ body, contentType: req.headers['content-type'], url: req.url });
      res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
      res.end();
      for (const w of waiters.splice(0)) w();
    });
  });
  return {
    notifies,
    server,
    /** Resolves once `pred(notifies)` holds. */
    until(pred, timeoutMs = 15000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`consumer: condition not met; got ${notifies.length}`)), timeoutMs);
        const check = () => {
          if (pred(notifies)) { clearTimeout(timer); resolve(); } else waiters.push(check);
        };
        check();
      });
    },
  };
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

describe('events', () => {
  let dir;
  let cfg;
  let gw;
  let port;
  before(async () => {
    dir = tempDir();
    cfg = await writeConfig(dir, {
      devices: 1,
      relays: [1],
      events: { notify_timeout_ms: 300, notify_attempts: 3, notify_retry_ms: 100 },
    });
    port = cfg.ports[0];
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });
  after(async () => { await gw?.stop(); });

  test('push: Notify reaches a live consumer while a dead one is retried and then dropped', async () => {
    const live = liveConsumer();
    const livePort = await listen(live.server);
    // Accepts connections and never answers.
    const sockets = [];
    const dead = net.createServer((s) => sockets.push(s));
    const deadPort = await listen(dead);
    try {
      const subscribe = (consumerPort, filter) => call(port,
        `<wsnt:Subscribe><wsnt:ConsumerReference><wsa:Address>http://127.0.0.1:${consumerPort}/notify` +
        `</wsa:Address><wsa:ReferenceParameters><x:Ref xmlns:x="urn:example:ref">r-${consumerPort}</x:Ref>` +
        `</wsa:ReferenceParameters></wsnt:ConsumerReference><wsnt:Filter>${filter}</wsnt:Filter>` +
        '<wsnt:InitialTerminationTime>PT60S</wsnt:InitialTerminationTime></wsnt:Subscribe>');
      const motion = `<wsnt:TopicExpression Dialect="${CONCRETE}">tns1:VideoSource/MotionAlarm</wsnt:TopicExpression>`;
      const deadSub = await subscribe(deadPort, motion);
      assert.equal(deadSub.status, 200, deadSub.text);
      const liveSub = await subscribe(livePort, motion);
      assert.equal(liveSub.status, 200, liveSub.text);
      if (haveCheckSoap) assert.equal(checkSoap(liveSub.text), '');
      const livePath = addressOf(liveSub.text);

      // The initial state, then changes, while the dead consumer fails.
      await live.until((n) => n.some((x) => /PropertyOperation="Changed"/.test(x.body)));
      const first = live.notifies[0];
      assert.match(first.contentType, /^application\/soap\+xml/);
      assert.match(first.body, /PropertyOperation="Initialized"/);
      assert.match(first.body, /<wsa:Action>http:\/\/docs.oasis-open.org\/wsn\/bw-2\/NotificationConsumer\/Notify<\/wsa:Action>/);
      assert.match(first.body, /wsa:IsReferenceParameter="true"[^>]*>r-\d+</);
      assert.ok(first.body.includes(livePath), 'the Notify names its subscription');
      for (const n of live.notifies) {
        assert.match(n.body, /tns1:VideoSource\/MotionAlarm/);
        assert.doesNotMatch(n.body, /CellMotionDetector/);  // filtered out
        if (haveCheckSoap) assert.equal(checkSoap(n.body), '', n.body);
      }
      // 3 attempts of 300 ms with 100 + 200 ms between: given up within seconds.
      await gw.waitFor(new RegExp(`gave up notifying http://127.0.0.1:${deadPort}/notify after 3 failed attempts`));
      const deadRenew = await call(port,
        '<wsnt:Renew><wsnt:TerminationTime>PT60S</wsnt:TerminationTime></wsnt:Renew>', addressOf(deadSub.text));
      assert.equal(deadRenew.status, 400, deadRenew.text);
      assert.match(deadRenew.text, /wsrf_r:ResourceUnknownFault/);
      // The live one carries on after the dead one was dropped.
      const before = live.notifies.length;
      await live.until((n) => n.length > before + 1);

      const renewed = await call(port,
        '<wsnt:Renew><wsnt:TerminationTime>PT120S</wsnt:TerminationTime></wsnt:Renew>', livePath);
      assert.equal(renewed.status, 200, renewed.text);
      const gone = await call(port, '<wsnt:Unsubscribe/>', livePath);
      assert.equal(gone.status, 200, gone.text);
      const again = await call(port, '<wsnt:Unsubscribe/>', livePath);
      assert.match(again.text, /wsrf_r:ResourceUnknownFault/);
      // Pausing is not offered, and capabilities say so.
      const pause = await call(port, '<wsnt:PauseSubscription/>', livePath);
      assert.match(pause.text, /ter:ActionNotSupported/);
      const caps = await call(port, '<tev:GetServiceCapabilities/>');
      assert.match(caps.text, /WSPausableSubscriptionManagerInterfaceSupport="false"/);
      assert.match(caps.text, /MaxNotificationProducers="64"/);
    } finally {
      for (const s of sockets) s.destroy();
      dead.close();
      live.server.close();
    }
  });

  test('pull point: a MessageContent filter selects by item; both motion topics come', async () => {
    const create = (filter) => call(port,
      `<tev:CreatePullPointSubscription><tev:Filter>${filter}</tev:Filter></tev:CreatePullPointSubscription>`);
    const none = await create(`<wsnt:MessageContent Dialect="${ITEM_FILTER}">` +
      'boolean(//tt:SimpleItem[@Name=&quot;Source&quot; and @Value=&quot;VideoSource_9&quot;])</wsnt:MessageContent>');
    assert.equal(none.status, 200, none.text);
    const cell = await create(`<wsnt:TopicExpression Dialect="${CONCRETE}">tns1:RuleEngine//.</wsnt:TopicExpression>` +
      `<wsnt:MessageContent Dialect="${ITEM_FILTER}">` +
      'boolean(//tt:SimpleItem[@Name=&quot;IsMotion&quot; and @Value=&quot;true&quot;])</wsnt:MessageContent>');
    assert.equal(cell.status, 200, cell.text);
    const pull = (path, timeout) => call(port,
      `<tev:PullMessages><tev:Timeout>${timeout}</tev:Timeout><tev:MessageLimit>50</tev:MessageLimit></tev:PullMessages>`, path);
    // Motion starts within two seconds (it changes every second).
    const got = await pull(addressOf(cell.text), 'PT5S');
    assert.equal(got.status, 200, got.text);
    assert.match(got.text, /tns1:RuleEngine\/CellMotionDetector\/Motion/);
    assert.match(got.text, /Name="IsMotion" Value="true"/);
    assert.doesNotMatch(got.text, /Value="false"/);
    assert.match(got.text, /Name="VideoSourceConfigurationToken" Value="vsc_0"/);
    if (haveCheckSoap) assert.equal(checkSoap(got.text), '');
    const nothing = await pull(addressOf(none.text), 'PT0S');
    assert.equal(nothing.status, 200);
    assert.doesNotMatch(nothing.text, /NotificationMessage/);
  });

  test('a relay set through the device service is a tns1:Device/Trigger/Relay change', async () => {
    const created = await call(port,
      `<tev:CreatePullPointSubscription><tev:Filter><wsnt:TopicExpression Dialect="${CONCRETE}">` +
      'tns1:Device/Trigger/Relay</wsnt:TopicExpression></tev:Filter></tev:CreatePullPointSubscription>');
    assert.equal(created.status, 200, created.text);
    const path = addressOf(created.text);
    const pull = () => call(port,
      '<tev:PullMessages><tev:Timeout>PT10S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>', path);
    // The state the relay was listed with, before anything changed it.
    const initial = await pull();
    assert.match(initial.text, /PropertyOperation="Initialized"[\s\S]*Name="RelayToken" Value="relay-1"[\s\S]*Name="LogicalState" Value="inactive"/, initial.text);
    const set = await soap(port, '<tds:SetRelayOutputState><tds:RelayOutputToken>relay-1</tds:RelayOutputToken>' +
      '<tds:LogicalState>active</tds:LogicalState></tds:SetRelayOutputState>');
    assert.equal(set.status, 200, set.text);
    const changed = await pull();
    assert.match(changed.text, /PropertyOperation="Changed"[\s\S]*Name="LogicalState" Value="active"/, changed.text);
    if (haveCheckSoap) assert.equal(checkSoap(changed.text), '');
  });

  test('the adapter lost and back: SignalLoss true, then false', async () => {
    const created = await call(port,
      `<tev:CreatePullPointSubscription><tev:Filter><wsnt:TopicExpression Dialect="${CONCRETE}">` +
      'tns1:VideoSource/SignalLoss</wsnt:TopicExpression></tev:Filter></tev:CreatePullPointSubscription>');
    assert.equal(created.status, 200, created.text);
    const path = addressOf(created.text);
    const pull = () => call(port,
      '<tev:PullMessages><tev:Timeout>PT20S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>', path);
    const initial = await pull();
    assert.match(initial.text, /PropertyOperation="Initialized"[\s\S]*Name="State" Value="false"/);
    const started = await gw.waitFor(/\[adapter:sim\] started pid (\d+)/);
    const readyBefore = gw.lines.filter((l) => /\[adapter:sim\] ready/.test(l)).length;
    process.kill(Number(started[1]), 'SIGKILL');
    const lost = await pull();
    assert.match(lost.text, /PropertyOperation="Changed"[\s\S]*Name="State" Value="true"/, lost.text);
    await gw.waitFor(/\[adapter:sim\] ready/, { nth: readyBefore + 1 });
    const back = await pull();
    assert.match(back.text, /Name="State" Value="false"/, back.text);
    if (haveCheckSoap) assert.equal(checkSoap(back.text), '');
  });
});
