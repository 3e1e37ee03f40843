// Media (ver10) and Media2 (ver20) end to end: the real gateway with two
// virtual devices backed by the simulated adapter, driven by the npm `onvif`
// client through both media services (profiles, sources, stream and snapshot
// URIs, a profile created, configured and deleted, a fixed one that cannot
// be), by raw SOAP, by a plain HTTP Digest client fetching the snapshot, and
// by a second client, the npm `node-onvif`.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import nodeOnvif from 'node-onvif';
import onvif from 'onvif';
import {
  ADMIN, Gateway, checkSoap, haveCheckSoap, httpGet, soap, tempDir, writeConfig,
} from './lib/harness.mjs';

const { OnvifDevice } = nodeOnvif;

// What the simulated camera gives each device.
const VIDEO_SOURCE = 'VideoSource_0';
const FIXED = {
  prof_0_main: { encoder: 'enc_0_main', width: 1280, height: 720, stream: 'main' },
  prof_0_sub: { encoder: 'enc_0_sub', width: 640, height: 360, stream: 'sub' },
};

const METHODS = ['connect', 'getProfiles', 'getVideoSources', 'getStreamUri', 'getSnapshotUri',
  'createProfile', 'deleteProfile', 'addVideoSourceConfiguration', 'addVideoEncoderConfiguration'];

/**
 * An onvif client, not yet connected, whose methods have *Async twins and
 * which keeps every SOAP response it received (`responses`: { xml, status }).
 */
function connectCam(port) {
  const cam = new onvif.Cam({
    hostname: '127.0.0.1', port, autoconnect: false, timeout: 5000, ...ADMIN,
  });
  cam.responses = [];
  cam.on('rawResponse', (xml, status) => cam.responses.push({ xml, status }));
  for (const m of METHODS) cam[m + 'Async'] = promisify(cam[m].bind(cam));
  return cam;
}

/** Every SOAP response in `responses` validates against the official schemas. */
function assertSchemaValid(responses) {
  if (!haveCheckSoap) return;
  for (const xml of new Set(responses.map((r) => r.xml))) assert.equal(checkSoap(xml), '', xml);
}

/** Resolves or rejects as `promise` does, or rejects after `ms` (for clients without a timeout). */
function within(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function assertJpeg(body, what) {
  assert.ok(body.length > 100, `${what}: ${body.length} bytes`);
  assert.deepEqual([...body.subarray(0, 2)], [0xff, 0xd8], `${what} starts with SOI`);
  assert.deepEqual([...body.subarray(-2)], [0xff, 0xd9], `${what} ends with EOI`);
}

// Both media services through the same client: it prefers Media2 when
// GetServices lists it; clearing media2Support makes it use Media (ver10).
const SERVICES = [['Media2', true], ['Media', false]];

describe('media with two simulated cameras', () => {
  let cfg;
  let gw;

  before(async () => {
    // cam-1 has a microphone, cam-2 none.
    cfg = await writeConfig(tempDir(), { devices: 2, encoderDevice: true, audio: [true] });
    gw = new Gateway(cfg.file);
    await gw.waitFor(/\[adapter:sim\] ready/);
  });

  after(async () => {
    if (gw) await gw.stop();
  });

  test('the onvif client reads profiles, video sources, stream and snapshot URIs', async () => {
    for (const [i, port] of cfg.ports.entries()) {
      const cam = connectCam(port);
      await cam.connectAsync();
      assert.equal(cam.media2Support, true, 'GetServices lists Media2');
      assert.equal(cam.uri.media.path, '/onvif/media_service');
      assert.equal(cam.uri.media2.path, '/onvif/media2_service');
      assert.equal(cam.activeSource?.profileToken, 'prof_0_main', 'the client chose a default profile');

      for (const [service, media2] of SERVICES) {
        cam.media2Support = media2;
        const profiles = await cam.getProfilesAsync();
        assert.deepEqual(profiles.map((p) => p.$.token).sort(), Object.keys(FIXED).sort(), service);
        for (const p of profiles) {
          const want = FIXED[p.$.token];
          const at = `${service} ${p.$.token}`;
          assert.equal(p.$.fixed, true, at);
          assert.equal(p.videoSourceConfiguration.$.token, 'vsc_0', at);
          assert.equal(p.videoSourceConfiguration.sourceToken, VIDEO_SOURCE, at);
          assert.equal(p.videoEncoderConfiguration.$.token, want.encoder, at);
          assert.equal(p.videoEncoderConfiguration.encoding, 'H264', at);
          assert.deepEqual(p.videoEncoderConfiguration.resolution, { width: want.width, height: want.height }, at);
          assert.equal(p.metadataConfiguration.$.token, 'meta', at);

          const stream = await cam.getStreamUriAsync({ protocol: 'RTSP', profileToken: p.$.token });
          assert.equal(stream.uri, `rtsp://127.0.0.1:${cfg.rtspPorts[i]}/${p.$.token}`, at);
          const snapshot = await cam.getSnapshotUriAsync({ profileToken: p.$.token });
          assert.equal(snapshot.uri, `http://127.0.0.1:${port}/onvif/snapshot/${VIDEO_SOURCE}`, at);
        }
      }

      const sources = await cam.getVideoSourcesAsync();
      assert.equal(sources.length, 1);
      assert.equal(sources[0].$.token, VIDEO_SOURCE);
      assert.deepEqual(sources[0].resolution, { width: 1280, height: 720 });
      assert.equal(sources[0].framerate, 25);

      assert.ok(cam.responses.some((r) => /<tr2:GetProfilesResponse>/.test(r.xml)), 'Media2 was asked');
      assert.ok(cam.responses.some((r) => /<trt:GetProfilesResponse>/.test(r.xml)), 'Media was asked');
      assert.ok(cam.responses.every((r) => r.status === 200));
      assertSchemaValid(cam.responses);
    }
  });

  test('the snapshot URI serves a JPEG with HTTP Digest; without credentials it is a 401', async () => {
    const port = cfg.ports[0];
    const cam = connectCam(port);
    await cam.connectAsync();
    const { uri } = await cam.getSnapshotUriAsync({ profileToken: 'prof_0_main' });
    assertSchemaValid(cam.responses);

    const bare = await httpGet(uri);
    assert.equal(bare.status, 401);
    assert.ok(bare.challenges.length >= 1 && bare.challenges.every((c) => c.startsWith('Digest ')),
      JSON.stringify(bare.challenges));

    for (const algorithm of ['MD5', 'SHA-256']) {
      const r = await httpGet(uri, { auth: ADMIN, algorithm });
      assert.equal(r.status, 200, `${algorithm}: ${r.body.toString().slice(0, 200)}`);
      assert.equal(r.headers['content-type'], 'image/jpeg', algorithm);
      assert.equal(Number(r.headers['content-length']), r.body.length, algorithm);
      assertJpeg(r.body, `snapshot (${algorithm})`);
    }

    const wrong = await httpGet(uri, { auth: { ...ADMIN, password: 'not-the-password' } });
    assert.equal(wrong.status, 401);
    const unknown = await httpGet(`http://127.0.0.1:${port}/onvif/snapshot/NoSuchSource`, { auth: ADMIN });
    assert.equal(unknown.status, 404);
  });

  test('a profile is created, configured, listed and deleted; a fixed profile is not deleted', async () => {
    const port = cfg.ports[0];
    const cam = connectCam(port);
    await cam.connectAsync();

    const created = await cam.createProfileAsync({ name: 'e2e profile' });
    const token = created.$.token;
    assert.ok(token && !(token in FIXED), `new token ${token}`);
    assert.equal(created.$.fixed, false);
    assert.equal(created.name, 'e2e profile');

    await cam.addVideoSourceConfigurationAsync({ profileToken: token, configurationToken: 'vsc_0' });
    await cam.addVideoEncoderConfigurationAsync({ profileToken: token, configurationToken: 'enc_0_sub' });
    for (const [service, media2] of SERVICES) {
      cam.media2Support = media2;
      const profiles = await cam.getProfilesAsync();
      assert.deepEqual(profiles.map((p) => p.$.token).sort(), [...Object.keys(FIXED), token].sort(), service);
      const mine = profiles.find((p) => p.$.token === token);
      assert.equal(mine.name, 'e2e profile', service);
      assert.equal(mine.$.fixed, false, service);
      assert.equal(mine.videoSourceConfiguration.$.token, 'vsc_0', service);
      assert.equal(mine.videoEncoderConfiguration.$.token, 'enc_0_sub', service);
      assert.deepEqual(mine.videoEncoderConfiguration.resolution, { width: 640, height: 360 }, service);
      const stream = await cam.getStreamUriAsync({ protocol: 'RTSP', profileToken: token });
      assert.equal(stream.uri, `rtsp://127.0.0.1:${cfg.rtspPorts[0]}/${token}`, service);
    }
    cam.media2Support = true;

    await cam.deleteProfileAsync(token);
    const left = await cam.getProfilesAsync();
    assert.deepEqual(left.map((p) => p.$.token).sort(), Object.keys(FIXED).sort());

    const seen = cam.responses.length;
    await assert.rejects(cam.deleteProfileAsync('prof_0_main'), /ONVIF SOAP Fault/);
    const fault = cam.responses.slice(seen);
    assert.equal(fault.length, 1);
    assert.equal(fault[0].status, 500, fault[0].xml);
    assert.match(fault[0].xml, /<env:Value>env:Receiver<\/env:Value>/);
    assert.match(fault[0].xml, /ter:DeletionOfFixedProfile/);
    assertSchemaValid(cam.responses);

    // The same through raw SOAP, on both services: faults that change nothing.
    const media2 = await soap(port, '<tr2:DeleteProfile><tr2:Token>prof_0_sub</tr2:Token></tr2:DeleteProfile>',
      { path: '/onvif/media2_service' });
    assert.equal(media2.status, 500, media2.text);
    assert.match(media2.text, /ter:DeletionOfFixedProfile/);
    const gone = await soap(port, `<trt:GetProfile><trt:ProfileToken>${token}</trt:ProfileToken></trt:GetProfile>`,
      { path: '/onvif/media_service' });
    assert.equal(gone.status, 400, gone.text);
    assert.match(gone.text, /ter:NoProfile/);
    const still = await soap(port, '<trt:GetProfiles/>', { path: '/onvif/media_service' });
    assert.equal(still.status, 200, still.text);
    assert.deepEqual([...still.text.matchAll(/<trt:Profiles token="([^"]+)"/g)].map((m) => m[1]).sort(),
      Object.keys(FIXED).sort());
    for (const r of [media2, gone, still]) {
      if (haveCheckSoap) assert.equal(checkSoap(r.text), '', r.text);
    }
  });

  test('node-onvif initialises, lists the profiles and fetches a snapshot', async () => {
    const port = cfg.ports[1];
    const device = new OnvifDevice({
      xaddr: `http://127.0.0.1:${port}/onvif/device_service`, user: ADMIN.username, pass: ADMIN.password,
    });
    // node-onvif bounds each SOAP request (3 s) but not a snapshot fetch.
    const info = await within(device.init(), 20000, 'init()');
    assert.equal(info.Manufacturer, 'Simulated Optics');
    assert.equal(info.Model, 'SIM-2000');

    const profiles = device.getProfileList();
    assert.ok(profiles.length > 0);
    assert.deepEqual(profiles.map((p) => p.token).sort(), Object.keys(FIXED).sort());
    for (const p of profiles) {
      const want = FIXED[p.token];
      assert.equal(p.video.source.token, 'vsc_0');
      assert.deepEqual(p.video.encoder.resolution, { width: want.width, height: want.height });
      assert.equal(p.stream.rtsp, `rtsp://127.0.0.1:${cfg.rtspPorts[1]}/${p.token}`);
      assert.equal(p.snapshot, `http://127.0.0.1:${port}/onvif/snapshot/${VIDEO_SOURCE}`);
    }
    assert.equal(device.getCurrentProfile().token, profiles[0].token);

    // fetchSnapshot() sends Basic credentials first (its request options carry
    // `auth`), then answers the 401. Node joins the two WWW-Authenticate
    // challenges (MD5, SHA-256) into one string and node-onvif's parser keeps
    // the last value of each parameter, so it answers the SHA-256 challenge as
    // a whole (realm, nonce, qop, algorithm); it does not echo `opaque`.
    const snap = await within(device.fetchSnapshot(), 10000, 'fetchSnapshot()');
    assert.equal(snap.headers['content-type'], 'image/jpeg');
    assertJpeg(snap.body, 'node-onvif snapshot');
  });

  test('a camera with a microphone shows it through the real adapter; one without has no audio', async () => {
    const MEDIA = { path: '/onvif/media_service' };
    let r = await soap(cfg.ports[0], '<trt:GetAudioSources/>', MEDIA);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /<trt:AudioSources token="AudioSource_mic"><tt:Channels>1<\/tt:Channels>/);
    if (haveCheckSoap) assert.equal(checkSoap(r.text), '', r.text);
    r = await soap(cfg.ports[0], '<trt:GetProfile><trt:ProfileToken>prof_0_main</trt:ProfileToken></trt:GetProfile>', MEDIA);
    assert.match(r.text, /<tt:AudioEncoderConfiguration token="aec_mic_g711">[\s\S]*<tt:Encoding>G711<\/tt:Encoding>/);
    if (haveCheckSoap) assert.equal(checkSoap(r.text), '', r.text);
    r = await soap(cfg.ports[1], '<trt:GetAudioSources/>', MEDIA);
    assert.equal(r.status, 500);
    assert.match(r.text, /ter:AudioNotSupported/);
  });

  test('an encoder device presents both cameras as its video sources', async () => {
    const cam = connectCam(cfg.encoderPort);
    await cam.connectAsync();
    const sources = await cam.getVideoSourcesAsync();
    const list = Array.isArray(sources) ? sources : [sources];
    assert.deepEqual(list.map((s) => s.$.token), ['VideoSource_cam-1_0', 'VideoSource_cam-2_0']);
    const profiles = await cam.getProfilesAsync();
    assert.deepEqual(profiles.map((p) => p.$.token),
      ['prof_cam-1_0_main', 'prof_cam-1_0_sub', 'prof_cam-2_0_main', 'prof_cam-2_0_sub']);
    // Each channel is a profile of the encoder's relay.
    const { uri: stream } = await cam.getStreamUriAsync({ protocol: 'RTSP', profileToken: 'prof_cam-2_0_main' });
    assert.equal(stream, `rtsp://127.0.0.1:${cfg.encoderRtspPort}/prof_cam-2_0_main`);
    const { uri } = await cam.getSnapshotUriAsync({ profileToken: 'prof_cam-2_0_sub' });
    assert.equal(uri, `http://127.0.0.1:${cfg.encoderPort}/onvif/snapshot/VideoSource_cam-2_0`);
    assertSchemaValid(cam.responses);
    const r = await httpGet(uri, { auth: ADMIN });
    assert.equal(r.status, 200);
    assertJpeg(r.body, 'encoder channel snapshot');
  });
});
