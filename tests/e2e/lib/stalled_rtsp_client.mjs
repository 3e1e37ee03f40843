// A minimal RTSP client over TCP (interleaved): DESCRIBE, SETUP, PLAY with
// Digest as RFC 2069 (no qop), which the relay accepts from RTSP clients,
// then further requests in the session; and the client that, once playing,
// never reads again (the slowest client there is).

import crypto from 'node:crypto';
import net from 'node:net';

const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');

/**
 * Plays `uri` (rtsp://host:port/path) as `username`/`password`. Resolves
 * once PLAY was answered 200 with { socket, session, setup (the SETUP
 * response's head), request(method, target, headers) }; the caller destroys
 * the socket. Interleaved media arriving between responses is skipped.
 */
export async function playingRtspSession(uri, { username, password }) {
  const url = new URL(uri);
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let buffer = '';
  let cseq = 0;
  let authorization = null;
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => { buffer += chunk; });

  const response = () => new Promise((resolve, reject) => {
    let check;
    const timer = setTimeout(() => {
      socket.off('data', check);
      reject(new Error(`no RTSP response; got: ${buffer.slice(0, 300)}`));
    }, 10000);
    check = () => {
      // Interleaved packets ($, channel, 16-bit length) before the response.
      while (buffer.length >= 4 && buffer[0] === '$') {
        const size = (buffer.charCodeAt(2) << 8) | buffer.charCodeAt(3);
        if (buffer.length < 4 + size) return;
        buffer = buffer.slice(4 + size);
      }
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.slice(0, end);
      const length = Number((head.match(/\r\ncontent-length:\s*(\d+)/i) || [0, 0])[1]);
      if (buffer.length < end + 4 + length) return;
      const body = buffer.slice(end + 4, end + 4 + length);
      buffer = buffer.slice(end + 4 + length);
      clearTimeout(timer);
      socket.off('data', check);
      resolve({ status: Number(head.split(' ')[1]), head, body });
    };
    socket.on('data', check);
    check();
  });
  const request = async (method, target, headers = {}) => {
    const lines = [`${method} ${target} RTSP/1.0`, `CSeq: ${++cseq}`];
    if (authorization) lines.push(`Authorization: ${authorization(method, target)}`);
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    socket.write(lines.join('\r\n') + '\r\n\r\n');
    return response();
  };

  const target = `rtsp://${url.host}${url.pathname}`;
  let r = await request('DESCRIBE', target, { Accept: 'application/sdp' });
  if (r.status === 401) {
    const challenge = r.head.match(/WWW-Authenticate:\s*Digest ([^\r\n]*)/i)[1];
    const param = (name) => (challenge.match(new RegExp(`${name}="([^"]*)"`)) || [])[1];
    const realm = param('realm');
    const nonce = param('nonce');
    const opaque = param('opaque');
    authorization = (method, uri) => {
      const digest = md5(`${md5(`${username}:${realm}:${password}`)}:${nonce}:${md5(`${method}:${uri}`)}`);
      return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
        `response="${digest}"${opaque ? `, opaque="${opaque}"` : ''}`;
    };
    r = await request('DESCRIBE', target, { Accept: 'application/sdp' });
  }
  if (r.status !== 200) throw new Error(`DESCRIBE: ${r.head}`);
  const base = (r.head.match(/Content-Base:\s*(\S+)/i) || [null, `${target}/`])[1];
  const control = r.body.match(/a=control:(\S+)/g).map((l) => l.slice('a=control:'.length))
    .find((c) => c !== '*');
  const setupTarget = control.startsWith('rtsp://') ? control : base.replace(/\/?$/, '/') + control;
  r = await request('SETUP', setupTarget, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
  if (r.status !== 200) throw new Error(`SETUP: ${r.head}`);
  const session = r.head.match(/Session:\s*([^;\r\n]+)/i)[1];
  const setup = r.head;
  r = await request('PLAY', target, { Session: session });
  if (r.status !== 200) throw new Error(`PLAY: ${r.head}`);
  return { socket, session, setup, target, request };
}

/** playingRtspSession, after which nothing is read from the socket. */
export async function stalledRtspClient(uri, credentials) {
  const { socket } = await playingRtspSession(uri, credentials);
  // From now on nothing is read: the kernel's buffers fill, then the relay's.
  socket.removeAllListeners('data');
  socket.pause();
  return { socket };
}
