// A fake legacy network camera without RTSP: its video is MJPEG over HTTP,
// the way cameras of the 2000s (and many cheap ones since) serve it:
// HTTP/1.0, no chunking, one `multipart/x-mixed-replace` body that never
// ends, each part a JPEG with its own Content-Type and Content-Length, the
// boundary written without a space after the semicolon as Axis cameras do.
// Optionally behind Basic authentication, which is all such cameras know.
//
// The pictures are ffmpeg's testsrc2 (a moving pattern with a frame
// counter), rendered once at start and played in a loop at the frame rate.
//
// In tests: `const cam = await startMjpegCamera({...}); ... cam.url ...
// await cam.close()`. By hand: `node tests/fakes/mjpeg_camera.mjs [port]`.

import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** `seconds` of testsrc2 at width x height and fps as separate JPEG pictures. */
function renderPictures({ width, height, fps, seconds }) {
  return new Promise((resolve, reject) => {
    const ffmpeg = spawn('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i',
      `testsrc2=size=${width}x${height}:rate=${fps}`, '-frames:v', String(Math.round(fps * seconds)),
      '-c:v', 'mjpeg', '-q:v', '5', '-pix_fmt', 'yuvj420p', '-f', 'image2pipe', '-'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let stderr = '';
    ffmpeg.stdout.on('data', (c) => chunks.push(c));
    ffmpeg.stderr.on('data', (c) => { stderr += c; });
    ffmpeg.once('error', reject);
    ffmpeg.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg rendering the pictures: ${stderr}`));
      // Each picture runs from its start of image (FF D8) to the next one's.
      const all = Buffer.concat(chunks);
      const pictures = [];
      let start = 0;
      for (let i = 2; i + 1 < all.length; i++) {
        if (all[i - 2] === 0xFF && all[i - 1] === 0xD9 && all[i] === 0xFF && all[i + 1] === 0xD8) {
          pictures.push(all.subarray(start, i));
          start = i;
        }
      }
      pictures.push(all.subarray(start));
      resolve(pictures);
    });
  });
}

/**
 * Starts the camera on 127.0.0.1 (`port` 0: a free one). Returns
 * { url, port, connections(), close() }: `url` is where the stream is (with
 * the credentials in it when there are any), `connections()` how many
 * clients were sent the stream so far.
 */
export async function startMjpegCamera({ width = 640, height = 360, fps = 10, port = 0,
                                         path = '/axis-cgi/mjpg/video.cgi', credentials } = {}) {
  const pictures = await renderPictures({ width, height, fps, seconds: 2 });
  const boundary = 'myboundary';
  const expected = credentials
    ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    : undefined;
  let connections = 0;
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 8192) socket.destroy();
        return;
      }
      socket.off('data', onData);
      const [requestLine, ...headerLines] = head.slice(0, end).split('\r\n');
      const [method, target] = requestLine.split(' ');
      const authorization = headerLines.find((l) => /^authorization:/i.test(l))?.replace(/^[^:]*:\s*/, '');
      if (method !== 'GET' || target !== path) {
        socket.end('HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\nNot found\r\n');
        return;
      }
      if (expected !== undefined && authorization !== expected) {
        socket.end('HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm="Camera"\r\n' +
          'Content-Type: text/plain\r\n\r\nUnauthorized\r\n');
        return;
      }
      connections += 1;
      if (process.env.ONVIFGW_E2E_VERBOSE) console.error(`fake MJPEG camera: ${requestLine}`);
      socket.write(`HTTP/1.0 200 OK\r\nCache-Control: no-cache\r\nPragma: no-cache\r\n` +
        `Content-Type: multipart/x-mixed-replace;boundary=${boundary}\r\n\r\n`);
      let next = 0;
      const timer = setInterval(() => {
        // A client that does not keep up loses pictures, as on a camera.
        if (socket.writableLength > 4 * 1024 * 1024) return;
        const picture = pictures[next++ % pictures.length];
        socket.write(`--${boundary}\r\nContent-Type: image/jpeg\r\n` +
          `Content-Length: ${picture.length}\r\n\r\n`);
        socket.write(picture);
        socket.write('\r\n');
      }, 1000 / fps);
      socket.once('close', () => clearInterval(timer));
    };
    socket.on('data', onData);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = server.address().port;
  const userinfo = credentials
    ? `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@`
    : '';
  return {
    url: `http://${userinfo}127.0.0.1:${bound}${path}`,
    port: bound,
    connections: () => connections,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const camera = await startMjpegCamera({ port: Number(process.argv[2] ?? 0) });
  console.log(`MJPEG camera at ${camera.url}`);
}
