// The media relay end to end: the real gateway and simulated adapter (whose
// cameras serve real encoded test streams over RTSP), played by Debian's
// ffmpeg/ffprobe at the URI GetStreamUri returns, with the ONVIF users'
// credentials, over RTP/UDP and RTP interleaved in RTSP/TCP, and by
// GStreamer's rtspsrc, whose Digest has no qop (RFC 2069, as live555's).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN, Gateway, checkSoap, haveCheckSoap, soap, tempDir, writeConfig,
} from './lib/harness.mjs';

/** Runs a program to its end or kills it after `ms`: { code, stdout, stderr }. */
function run(program, args, ms = 20000) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `uri` with `user:password@` after the scheme. */
function withCredentials(uri, { username, password }) {
  return uri.replace('rtsp://', `rtsp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@`);
}

/** The video stream ffprobe sees at `uri` over `transport` ('tcp' or 'udp'). */
async function probeVideo(uri, transport) {
  const r = await run('ffprobe', ['-v', 'error', '-rtsp_transport', transport, '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,width,height,r_frame_rate', '-of', 'json', uri]);
  assert.equal(r.code, 0, `ffprobe ${transport}: ${r.stderr}`);
  const streams = JSON.parse(r.stdout).streams;
  assert.equal(streams.length, 1, r.stdout);
  return streams[0];
}

async function streamUri(port, profile) {
  const r = await soap(port, '<tr2:GetStreamUri><tr2:Protocol>RtspUnicast</tr2:Protocol>' +
    `<tr2:ProfileToken>${profile}</tr2:ProfileToken></tr2:GetStreamUri>`, { path: '/onvif/media2_service' });
  assert.equal(r.status, 200, r.text);
  if (haveCheckSoap) assert.equal(checkSoap(r.text), '');
  return r.text.match(/<tr2:Uri>([^<]*)<\/tr2:Uri>/)[1];
}

describe('the media relay', () => {
  let cfg;
  let gw;

  before(async () => {
    cfg = await writeConfig(tempDir(), { devices: 1 });
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    await gw?.stop();
  });

  test('GetStreamUri names the relay, and GetNetworkProtocols its port', async () => {
    assert.equal(await streamUri(cfg.ports[0], 'prof_0_sub'), `rtsp://127.0.0.1:${cfg.rtspPorts[0]}/prof_0_sub`);
    const r = await soap(cfg.ports[0], '<tds:GetNetworkProtocols/>');
    assert.match(r.text, new RegExp(`<tt:Name>RTSP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>${cfg.rtspPorts[0]}</tt:Port>`));
  });

  for (const transport of ['tcp', 'udp']) {
    test(`ffprobe plays the sub stream over ${transport} as the encoder configuration says`, async () => {
      const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_sub'), ADMIN);
      const video = await probeVideo(uri, transport);
      assert.deepEqual(video, { codec_name: 'h264', width: 640, height: 360, r_frame_rate: '25/1' });
    });
  }

  test('ffmpeg decodes two seconds of the main stream', async () => {
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_main'), ADMIN);
    const r = await run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri,
      '-t', '2', '-f', 'null', '-']);
    assert.equal(r.code, 0, r.stderr);
    const frames = [...r.stderr.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1]));
    assert.ok(frames.length > 0 && frames.at(-1) >= 40, `frames decoded: ${frames.at(-1)}\n${r.stderr}`);
    assert.match(r.stderr, /Video: h264.*1280x720/);
  });

  test('wrong credentials and no credentials are refused', async () => {
    const uri = await streamUri(cfg.ports[0], 'prof_0_sub');
    for (const candidate of [uri, withCredentials(uri, { username: 'admin', password: 'wrong-Passw0rd' })]) {
      const r = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', candidate]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /401 Unauthorized/);
    }
  });

  test('an unknown profile is not found', async () => {
    const uri = withCredentials(`rtsp://127.0.0.1:${cfg.rtspPorts[0]}/no_such_profile`, ADMIN);
    const r = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', uri]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /404 Not Found/);
  });

  test('GStreamer\'s rtspsrc (Digest without qop) plays too', async () => {
    const uri = await streamUri(cfg.ports[0], 'prof_0_sub');
    const play = (password) => run('gst-launch-1.0', ['-q', 'rtspsrc', `location=${uri}`, 'protocols=tcp',
      `user-id=${ADMIN.username}`, `user-pw=${password}`, '!', 'rtph264depay', '!', 'h264parse', '!',
      'fakesink', 'num-buffers=25']);
    const ok = await play(ADMIN.password);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const refused = await play('wrong-Passw0rd');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout + refused.stderr, /Unauthorized \(401\)/);
  });

  test('a user plays until deleted, and is refused at the next request', async () => {
    const user = { username: 'viewer1', password: 'Viewer-Passw0rd1' };
    const created = await soap(cfg.ports[0], '<tds:CreateUsers><tds:User><tt:Username>viewer1</tt:Username>' +
      `<tt:Password>${user.password}</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User></tds:CreateUsers>`);
    assert.equal(created.status, 200, created.text);
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_sub'), user);
    assert.equal((await probeVideo(uri, 'tcp')).codec_name, 'h264');
    const deleted = await soap(cfg.ports[0], '<tds:DeleteUsers><tds:Username>viewer1</tds:Username></tds:DeleteUsers>');
    assert.equal(deleted.status, 200, deleted.text);
    const r = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', uri]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /401 Unauthorized/);
  });

  test('two clients of one profile share one pull from the camera', async () => {
    const upstream = () => gw.lines.filter((l) => /\[adapter:sim\].*rtsp client connected/.test(l)).length;
    const before = upstream();
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_main'), ADMIN);
    const args = ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri, '-t', '3', '-f', 'null', '-'];
    const [a, b] = await Promise.all([run('ffmpeg', args), run('ffmpeg', args)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(upstream() - before, 1, gw.lines.join('\n'));
  });
});
