// The media relay end to end: the real gateway and simulated adapter (whose
// cameras serve real encoded test streams over RTSP), played by Debian's
// ffmpeg/ffprobe at the URI GetStreamUri returns, with the ONVIF users'
// credentials, over RTP/UDP, RTP interleaved in RTSP/TCP and RTSP tunnelled
// in HTTP on the web service port, and by
// GStreamer's rtspsrc, whose Digest has no qop (RFC 2069, as live555's).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN, Gateway, checkSoap, freeTcpPort, haveCheckSoap, soap, tempDir, writeConfig,
} from './lib/harness.mjs';
import { playingRtspSession, stalledRtspClient } from './lib/stalled_rtsp_client.mjs';
import { startMjpegCamera } from '../fakes/mjpeg_camera.mjs';

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

/**
 * Asserts that ffmpeg ended well and decoded at least `least` frames (its
 * last "frame=" count); returns the count.
 */
function assertDecoded(r, least, what = 'frames decoded') {
  assert.equal(r.code, 0, r.stderr);
  const counts = [...r.stderr.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1]));
  const decoded = counts.length > 0 ? counts.at(-1) : 0;
  assert.ok(decoded >= least, `${what}: ${decoded}\n${r.stderr}`);
  return decoded;
}

/** `uri` with `user:password@` after the scheme. */
function withCredentials(uri, { username, password }) {
  return uri.replace('rtsp://', `rtsp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@`);
}

/**
 * The video stream ffprobe sees at `uri` over `transport` ('tcp', 'udp' or
 * 'http'), within `ms`. On a failure, the message carries the last lines of
 * `gw`'s log.
 */
async function probeVideo(uri, transport, gw, ms = 20000) {
  const r = await run('ffprobe', ['-v', 'error', '-rtsp_transport', transport, '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,width,height,r_frame_rate', '-of', 'json', uri], ms);
  const log = gw ? `\ngateway log:\n${gw.lines.slice(-40).join('\n')}` : '';
  assert.equal(r.code, 0, `ffprobe ${transport} (${r.signal ? `killed after ${ms / 1000} s` : `status ${r.code}`}): ${r.stderr}${log}`);
  const streams = JSON.parse(r.stdout).streams;
  assert.equal(streams.length, 1, r.stdout);
  return streams[0];
}

/**
 * Asserts `video` is 640x360 H.264 at 25 frames a second. ffprobe guesses
 * the rate from the first frames' arrival times (the stream declares none),
 * which a loaded machine spreads a little (151/6 was seen): within 2 %.
 */
function assertSubStream(video) {
  const { r_frame_rate: rate, ...rest } = video;
  assert.deepEqual(rest, { codec_name: 'h264', width: 640, height: 360 });
  const [num, den] = rate.split('/').map(Number);
  assert.ok(Math.abs(num / den - 25) <= 0.5, `frame rate ${rate}`);
}

async function streamUri(port, profile, protocol = 'RtspUnicast') {
  const r = await soap(port, `<tr2:GetStreamUri><tr2:Protocol>${protocol}</tr2:Protocol>` +
    `<tr2:ProfileToken>${profile}</tr2:ProfileToken></tr2:GetStreamUri>`, { path: '/onvif/media2_service' });
  assert.equal(r.status, 200, r.text);
  if (haveCheckSoap) assert.equal(checkSoap(r.text), '');
  return r.text.match(/<tr2:Uri>([^<]*)<\/tr2:Uri>/)[1];
}

describe('the media relay', () => {
  let cfg;
  let gw;

  before(async () => {
    // Each client makes its own camera connection here, which the tests
    // count (lingering is tested on its own below).
    cfg = await writeConfig(tempDir(), { devices: 1, streamLingerMs: 0 });
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
      assertSubStream(await probeVideo(uri, transport));
    });
  }

  test('RTSP tunnelled in HTTP plays on the web service port, authenticated by RTSP', async () => {
    const tunnel = await streamUri(cfg.ports[0], 'prof_0_sub', 'RtspOverHttp');
    assert.equal(tunnel, `rtsp://127.0.0.1:${cfg.ports[0]}/prof_0_sub`);
    assertSubStream(await probeVideo(withCredentials(tunnel, ADMIN), 'http'));
    const refused = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'http',
      withCredentials(tunnel, { username: 'admin', password: 'wrong-Passw0rd' })]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /401 Unauthorized/);
    // The port still answers SOAP beside the tunnels.
    const r = await soap(cfg.ports[0], '<tds:GetSystemDateAndTime/>');
    assert.equal(r.status, 200, r.text);
  });

  test('ffmpeg decodes two seconds of the main stream through the HTTP tunnel', async () => {
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_main', 'RtspOverHttp'), ADMIN);
    const r = await run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'http', '-i', uri,
      '-t', '2', '-f', 'null', '-']);
    assertDecoded(r, 40);
    assert.match(r.stderr, /Video: h264.*1280x720/);
  });

  test('ffmpeg decodes two seconds of the main stream', async () => {
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_main'), ADMIN);
    const r = await run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri,
      '-t', '2', '-f', 'null', '-']);
    assertDecoded(r, 40);
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

  test('sessions announce the default 60 s timeout, and GET_PARAMETER/SET_PARAMETER keep them alive', async () => {
    const rtsp = await playingRtspSession(await streamUri(cfg.ports[0], 'prof_0_sub'), ADMIN);
    try {
      // RFC 2326 §12.37: no timeout parameter means the default, 60 s.
      const session = rtsp.setup.match(/\r\nSession: ([^\r\n]*)/i)[1];
      assert.match(session, /^[^;]+(;timeout=60)?$/, session);
      for (const method of ['GET_PARAMETER', 'SET_PARAMETER']) {
        const r = await rtsp.request(method, rtsp.target, { Session: rtsp.session });
        assert.equal(r.status, 200, `${method}: ${r.head}`);
      }
      // A keep-alive naming no session of this client is refused.
      const r = await rtsp.request('GET_PARAMETER', rtsp.target, { Session: 'not-a-session' });
      assert.equal(r.status, 454, r.head);  // Session Not Found
    } finally {
      rtsp.socket.destroy();
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
    // -q hides the progress, not the errors. 60 s: the first GStreamer
    // program run on a fresh machine builds its plugin registry first.
    const play = (password) => run('gst-launch-1.0', ['-q', 'rtspsrc', `location=${uri}`, 'protocols=tcp',
      `user-id=${ADMIN.username}`, `user-pw=${password}`, '!', 'rtph264depay', '!', 'h264parse', '!',
      'fakesink', 'num-buffers=25'], 60000);
    const ok = await play(ADMIN.password);
    assert.equal(ok.code, 0, `the right password: ${JSON.stringify(ok)}\n${gw.lines.slice(-30).join('\n')}`);
    const refused = await play('wrong-Passw0rd');
    assert.notEqual(refused.code, 0, 'a wrong password');
    assert.match(refused.stdout + refused.stderr, /Unauthorized \(401\)/, JSON.stringify(refused));
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

  test('SetNetworkProtocols moves the RTSP port, and the stream URIs follow', async () => {
    const next = await freeTcpPort();
    const body = '<tds:SetNetworkProtocols><tds:NetworkProtocols><tt:Name>HTTP</tt:Name>' +
      `<tt:Enabled>true</tt:Enabled><tt:Port>${cfg.ports[0]}</tt:Port></tds:NetworkProtocols>` +
      '<tds:NetworkProtocols><tt:Name>RTSP</tt:Name><tt:Enabled>true</tt:Enabled>' +
      `<tt:Port>${next}</tt:Port></tds:NetworkProtocols></tds:SetNetworkProtocols>`;
    const r = await soap(cfg.ports[0], body);
    assert.equal(r.status, 200, r.text);
    if (haveCheckSoap) assert.equal(checkSoap(r.text), '');
    const uri = await streamUri(cfg.ports[0], 'prof_0_sub');
    assert.equal(uri, `rtsp://127.0.0.1:${next}/prof_0_sub`);
    assert.equal((await probeVideo(withCredentials(uri, ADMIN), 'tcp')).codec_name, 'h264');
    const old = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp',
      withCredentials(`rtsp://127.0.0.1:${cfg.rtspPorts[0]}/prof_0_sub`, ADMIN)]);
    assert.notEqual(old.code, 0, 'the old port no longer serves');
  });
});

describe('the media relay with a legacy MJPEG-over-HTTP camera and a snapshot-only one', () => {
  let cfg;
  let gw;

  before(async () => {
    cfg = await writeConfig(tempDir(), { devices: 3, mjpeg: [false, true], snapshotOnly: [false, false, true] });
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    await gw?.stop();
  });

  test('its pictures play over RTSP as RTP/JPEG, with no transcoding', async () => {
    const uri = withCredentials(await streamUri(cfg.ports[1], 'prof_0_sub'), ADMIN);
    assert.equal(new URL(uri).port, String(cfg.rtspPorts[1]));
    for (const transport of ['tcp', 'udp']) {
      const video = await probeVideo(uri, transport, gw);
      assert.equal(video.codec_name, 'mjpeg', JSON.stringify(video));
      assert.equal(video.width, 640);
      assert.equal(video.height, 360);
    }
    const pulls = () => gw.lines.filter((l) => /\[adapter:sim\].*mjpeg client connected/.test(l)).length;
    assert.ok(pulls() >= 1, 'the relay pulled the camera\'s MJPEG over HTTP');
    const r = await run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri,
      '-t', '3', '-f', 'null', '-']);
    // 10 frames a second from the camera: at least 2 seconds' worth decoded.
    assertDecoded(r, 20);
  });

  test('a client that stops reading is dropped, and the others play on', async () => {
    // MJPEG at 1280x720: every frame is whole (no key frame to wait for) and
    // tens of kB, so the stalled client's socket buffers fill within seconds.
    const uri = await streamUri(cfg.ports[1], 'prof_0_main');
    const stalled = await stalledRtspClient(uri, ADMIN);
    const relayPort = new URL(uri).port;
    const stalledConnectionOpen = () => execFileSync('ss', ['-tnH', 'state', 'established',
      `( sport = :${relayPort} and dport = :${stalled.socket.localPort} )`]).toString().trim() !== '';
    try {
      // Twenty seconds of stream time while the stalled client's buffers
      // fill up and the relay gives up on it (5 s without progress).
      const play = run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i',
        withCredentials(uri, ADMIN), '-t', '20', '-f', 'null', '-'], 60000);
      let dropped = false;
      for (let i = 0; i < 80 && !dropped; i++) {
        await new Promise((resolve) => { setTimeout(resolve, 500); });
        dropped = !stalledConnectionOpen();
      }
      assert.ok(dropped, 'the relay still holds the stalled client\'s connection after 40 s');
      // Told apart from a client that left, and counted.
      await gw.waitFor(/\[relay\] device dev-2: dropped the client at 127\.0\.0\.1: it took no data for 5000 ms \(1 dropped so far\)/);
      const r = await play;
      // 20 s at 10 frames a second; without the drop the stream would stop
      // for good once the stalled client's buffers are full.
      assertDecoded(r, 100, 'frames decoded beside a stalled client');
    } finally {
      stalled.socket.destroy();
    }
  });

  test('a camera that only takes pictures plays them as RTP/JPEG', async () => {
    const uri = withCredentials(await streamUri(cfg.ports[2], 'prof_0_main'), ADMIN);
    // Five pictures a second, each fetched from the adapter: ffprobe needs
    // about 5 s to analyse them; a loaded machine may need more.
    const video = await probeVideo(uri, 'tcp', gw, 40000);
    assert.equal(video.codec_name, 'mjpeg', JSON.stringify(video));
    assert.equal(video.width, 640);
    assert.equal(video.height, 360);
    const r = await run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri,
      '-t', '3', '-f', 'null', '-']);
    // Five pictures a second: at least two seconds' worth.
    assertDecoded(r, 10);
  });

  test('the same stream plays through the HTTP tunnel', async () => {
    const uri = withCredentials(await streamUri(cfg.ports[1], 'prof_0_main', 'RtspOverHttp'), ADMIN);
    const video = await probeVideo(uri, 'http', gw);
    assert.equal(video.codec_name, 'mjpeg', JSON.stringify(video));
  });
});

describe('the media relay with a fake legacy camera (MJPEG over HTTP, Basic authentication)', () => {
  let camera;
  let cfg;
  let gw;

  before(async () => {
    camera = await startMjpegCamera({ width: 800, height: 600, fps: 10,
      credentials: { username: 'root', password: 'cam pass' } });
    cfg = await writeConfig(tempDir(), { devices: 1,
      mjpegCameras: [{ url: camera.url, width: 800, height: 600, fps: 10 }] });
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    await gw?.stop();
    await camera?.close();
  });

  test('its stream plays as RTP/JPEG, several clients on one camera connection', async () => {
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_main'), ADMIN);
    for (const transport of ['tcp', 'udp', 'http']) {
      const tunnel = transport === 'http'
        ? withCredentials(await streamUri(cfg.ports[0], 'prof_0_main', 'RtspOverHttp'), ADMIN) : uri;
      const video = await probeVideo(tunnel, transport);
      assert.deepEqual([video.codec_name, video.width, video.height], ['mjpeg', 800, 600],
        `${transport}: ${JSON.stringify(video)}`);
    }
    const args = ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri, '-t', '3', '-f', 'null', '-'];
    const [a, b] = await Promise.all([run('ffmpeg', args), run('ffmpeg', args)]);
    // 10 pictures a second: at least two seconds' worth each.
    assertDecoded(a, 20);
    assertDecoded(b, 20);
    // One pull for all of that: the relay keeps the stream while clients
    // come and go (stream_linger_ms).
    assert.equal(camera.connections(), 1);
  });
});

describe('the media relay encoding a legacy camera\'s JPEG as H.264 (encode_h264)', () => {
  let cfg;
  let gw;

  before(async () => {
    cfg = await writeConfig(tempDir(), { devices: 1, mjpeg: [true], encodeH264: [['main']] });
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    await gw?.stop();
  });

  test('clients see an H.264 encoder and play H.264; its settings are kept, its size is the camera\'s', async () => {
    const media2 = { path: '/onvif/media2_service' };
    const configuration = async () => {
      const r = await soap(cfg.ports[0], '<tr2:GetVideoEncoderConfigurations><tr2:ConfigurationToken>' +
        'enc_0_main</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurations>', media2);
      assert.equal(r.status, 200, r.text);
      if (haveCheckSoap) assert.equal(checkSoap(r.text), '');
      return r.text;
    };
    let text = await configuration();
    assert.match(text, /<tt:Encoding>H264<\/tt:Encoding>/);
    assert.match(text, /GovLength="20" Profile="Baseline"/);
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_main'), ADMIN);
    let video = await probeVideo(uri, 'tcp');
    assert.deepEqual([video.codec_name, video.width, video.height], ['h264', 1280, 720]);
    // Smaller, and a key frame every second: the camera sends 640x360 JPEG.
    const set = await soap(cfg.ports[0], '<tr2:SetVideoEncoderConfiguration><tr2:Configuration ' +
      'token="enc_0_main" GovLength="10" Profile="Main"><tt:Name>main</tt:Name><tt:UseCount>1</tt:UseCount>' +
      '<tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height>' +
      '</tt:Resolution><tt:RateControl><tt:FrameRateLimit>10</tt:FrameRateLimit><tt:BitrateLimit>600' +
      '</tt:BitrateLimit></tt:RateControl><tt:Quality>70</tt:Quality></tr2:Configuration>' +
      '</tr2:SetVideoEncoderConfiguration>', media2);
    assert.equal(set.status, 200, set.text);
    text = await configuration();
    assert.match(text, /GovLength="10" Profile="Main"/);
    assert.match(text, /<tt:Width>640<\/tt:Width>/);
    assert.match(text, /<tt:BitrateLimit>600<\/tt:BitrateLimit>/);
    video = await probeVideo(uri, 'tcp');
    assert.deepEqual([video.codec_name, video.width, video.height], ['h264', 640, 360]);
    const r = await run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri,
      '-t', '3', '-f', 'null', '-']);
    assertDecoded(r, 20);
    assert.ok(gw.lines.some((l) => /serving \/prof_0_main from .*x264enc.*bitrate=600 key-int-max=10 ! video\/x-h264,profile=main/.test(l)),
      gw.lines.join('\n'));
  });
});

describe('the media relay after the last client leaves', () => {
  let cfg;
  let gw;
  const lingerMs = 4000;

  before(async () => {
    cfg = await writeConfig(tempDir(), { devices: 1, streamLingerMs: lingerMs });
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    await gw?.stop();
  });

  test('the camera stream lingers for the next client, then closes, and plays again after', async () => {
    const count = (re) => gw.lines.filter((l) => re.test(l)).length;
    const connected = /\[adapter:sim\].*rtsp client connected/;
    const releases = () => count(/\[relay\] device dev-1 \/prof_0_sub: no client for \d+ ms: closing the camera stream/);
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_sub'), ADMIN);
    assertSubStream(await probeVideo(uri, 'tcp'));
    // The next client, well within the linger, joins the running stream.
    assertSubStream(await probeVideo(uri, 'udp'));
    assert.equal(releases(), 0, gw.lines.join('\n'));
    // Nobody comes: the camera connection closes after the linger.
    await gw.waitFor(/no client for 4000 ms: closing the camera stream/, { timeoutMs: lingerMs + 10000 });
    await gw.waitFor(/\[adapter:sim\].*rtsp client disconnected/);
    // The camera's log is in order: both clients rode one connection.
    assert.equal(count(connected), 1, gw.lines.join('\n'));
    // A client right after that gets a new camera connection, not the
    // media being given up.
    const r = await run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri,
      '-t', '2', '-f', 'null', '-']);
    assertDecoded(r, 25);
    await gw.waitFor(connected, { nth: 2 });
    assert.equal(releases(), 1);
  });
});

describe('the media relay when the camera connection is lost', () => {
  let cfg;
  let gw;

  before(async () => {
    cfg = await writeConfig(tempDir(), { devices: 1, simRtspPort: await freeTcpPort() });
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    await gw?.stop();
  });

  test('killing the camera and bringing it back resumes the stream; the client never reconnects', async () => {
    const uri = withCredentials(await streamUri(cfg.ports[0], 'prof_0_sub'), ADMIN);
    const started = await gw.waitFor(/\[adapter:sim\] started pid (\d+)/);
    const readyBefore = gw.lines.filter((l) => /\[adapter:sim\] ready/.test(l)).length;
    // Ten seconds of stream time, read over one RTSP session (TCP).
    const play = run('ffmpeg', ['-nostdin', '-v', 'info', '-rtsp_transport', 'tcp', '-i', uri,
      '-t', '10', '-f', 'null', '-'], 60000);
    await gw.waitFor(/\[relay\] device dev-1: serving \/prof_0_sub/);
    await gw.waitFor(/\[adapter:sim\].*rtsp client connected/);
    await new Promise((resolve) => { setTimeout(resolve, 2000); });  // two seconds of frames first
    process.kill(Number(started[1]), 'SIGKILL');
    await gw.waitFor(/lost the camera|the camera ended the stream/);
    // The supervisor restarts the camera's adapter; the relay finds it again.
    await gw.waitFor(/\[adapter:sim\] ready/, { nth: readyBefore + 1, timeoutMs: 30000 });
    const r = await play;
    // Far more than the two seconds (50 frames) before the loss.
    const decoded = assertDecoded(r, 150);
    if (process.env.ONVIFGW_E2E_VERBOSE) console.error(`frames decoded across the loss: ${decoded}`);
    assert.ok(gw.lines.some((l) => /reconnecting to the camera/.test(l)), gw.lines.join('\n'));
  });
});

describe('the media relay on a port the system chose', () => {
  test('the port is kept across a restart, so stored stream URIs stay valid', async () => {
    const cfg = await writeConfig(tempDir(), { devices: 1, systemRtspPort: true });
    const rtspPort = async () => {
      const gw = new Gateway(cfg.file);
      try {
        await gw.waitFor(/\[adapter:sim\] ready/);
        const r = await soap(cfg.ports[0], '<tds:GetNetworkProtocols/>');
        assert.equal(r.status, 200, r.text);
        const port = Number(r.text.match(/<tt:Name>RTSP<\/tt:Name><tt:Enabled>true<\/tt:Enabled><tt:Port>(\d+)</)[1]);
        assert.equal(await streamUri(cfg.ports[0], 'prof_0_sub'), `rtsp://127.0.0.1:${port}/prof_0_sub`);
        return port;
      } finally {
        await gw.stop();
      }
    };
    const first = await rtspPort();
    assert.ok(first > 0);
    assert.equal(await rtspPort(), first);
  });
});
