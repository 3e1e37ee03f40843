// Runs inside a fresh network namespace (see multicast.test.mjs): starts the
// gateway with multicast discovery on the standard port 3702, sends a
// multicast Probe from the namespace's loopback and prints what came back.

import { Gateway, checkSoap, haveCheckSoap, probe, tempDir, writeConfig } from './harness.mjs';

const dir = tempDir();
const cfg = await writeConfig(dir, { devices: 2, discoveryPort: 3702, multicast: true });
const gw = new Gateway(cfg.file);
let result;
try {
  await gw.waitFor(/WS-Discovery on udp\/3702/);
  const { replies, eprs, messageId } = await probe({
    host: '239.255.255.250', port: 3702, want: 2, multicastInterface: '127.0.0.1',
  });
  result = {
    eprs: [...eprs],
    relatesTo: replies.every((r) => r.includes(`RelatesTo>${messageId}<`)),
    invalid: haveCheckSoap ? replies.map(checkSoap).filter((e) => e !== '') : [],
    hello: gw.lines.some((l) => /multicast/i.test(l)),
    ports: cfg.ports,
  };
} catch (e) {
  result = { error: String(e) };
} finally {
  await gw.stop();
}
console.log(JSON.stringify(result));
