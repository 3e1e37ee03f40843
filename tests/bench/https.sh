#!/usr/bin/env bash
# HTTPS figures of the ONVIF gateway beside nginx, in the same run on the same
# machine and with the same certificate and key (RSA 2048, made here with the
# openssl command and loaded into the gateway with
# LoadCertificateWithPrivateKey):
#   * GetSystemDateAndTime over keep-alive connections, HTTP and HTTPS
#     (the HTTPS/HTTP ratio is the cost of TLS on a busy connection);
#   * the same with a new connection per request ("Connection: close"):
#     over HTTPS every request is a full TLS handshake, so its rate is the
#     handshake rate.
#
#   tests/bench/https.sh                 # 5 s per measurement, 16 connections
#   DURATION=3s CONNECTIONS=16 tests/bench/https.sh
#
# Needs wrk, nginx, openssl, curl, python3 and a built tree (BIN_DIR, default
# build/bin). Exit 0 when it ran, 1 when something broke (a server failed,
# wrk saw errors), 2 when a tool is missing.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN_DIR=${BIN_DIR:-$SCRIPT_DIR/../../build/bin}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-16}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
USER_NAME=admin PASSWORD=Bench-Passw0rd1

log() { printf '[bench-https] %s\n' "$*" >&2; }
die() { printf '[bench-https] error: %s\n' "$*" >&2; exit 1; }
for tool in wrk openssl curl python3; do
  command -v "$tool" >/dev/null || { log "missing: $tool"; exit 2; }
done
[[ -x $NGINX ]] || { log "missing: nginx (apt-get install -y nginx-light)"; exit 2; }
[[ -x $BIN_DIR/onvif-gateway ]] || { log "build the project first ($BIN_DIR/onvif-gateway)"; exit 2; }
[[ $DURATION =~ ^([0-9]+)s?$ ]] || die "DURATION must be N or Ns"
SECS=${BASH_REMATCH[1]}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/onvifgw-bench-https.XXXXXX")
GW_PID='' NGINX_PID=''
cleanup() {
  local rc=$?
  [[ -n $NGINX_PID ]] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [[ -n $GW_PID ]] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
  [[ ${KEEP_WORK:-0} == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

read -r HTTP_PORT HTTPS_PORT NGINX_HTTP NGINX_HTTPS < <(python3 -c '
import socket
s = [socket.socket() for _ in range(4)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')

# One certificate and key for both servers.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -subj /CN=bench-camera -days 2 2>/dev/null
CERT_B64=$(openssl x509 -in "$WORK/cert.pem" -outform DER | base64 -w0)
KEY_B64=$(openssl pkcs8 -topk8 -nocrypt -in "$WORK/key.pem" -outform DER | base64 -w0)

cat >"$WORK/gateway.yaml" <<YAML
state_dir: $WORK/state
log_level: info
discovery: {enabled: false}
security: {allow_basic: true}
adapters:
  - id: sim
    exec: $BIN_DIR/onvif-adapter-simulated
    config: {cameras: [{id: cam-1, model: SIM-1000}]}
devices:
  - {id: bench-1, name: Bench camera, address: 127.0.0.1, port: $HTTP_PORT, adapter: sim,
     camera: cam-1, admin: {username: $USER_NAME, password: $PASSWORD}}
YAML
"$BIN_DIR/onvif-gateway" --config "$WORK/gateway.yaml" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!

# soap BODY: POSTs a Device-service request (HTTP Basic, allowed for this run).
soap() {
  curl -sS --max-time 10 -o "$WORK/reply.xml" -w '%{http_code}' -u "$USER_NAME:$PASSWORD" \
    -H 'Content-Type: application/soap+xml; charset=utf-8' \
    --data-binary "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" xmlns:tt=\"http://www.onvif.org/ver10/schema\"><s:Body>$1</s:Body></s:Envelope>" \
    "http://127.0.0.1:$HTTP_PORT/onvif/device_service" 2>/dev/null || echo 000
}
deadline=$((SECONDS + 20))
until [[ $(soap '<tds:GetDeviceInformation/>') == 200 ]]; do
  kill -0 "$GW_PID" 2>/dev/null || die "the gateway exited: $(cat "$WORK/gateway.log")"
  ((SECONDS < deadline)) || die "the gateway does not answer"
  sleep 0.2
done
for body in \
  "<tds:LoadCertificateWithPrivateKey><tds:CertificateWithPrivateKey><tt:CertificateID>bench</tt:CertificateID><tt:Certificate><tt:Data>$CERT_B64</tt:Data></tt:Certificate><tt:PrivateKey><tt:Data>$KEY_B64</tt:Data></tt:PrivateKey></tds:CertificateWithPrivateKey></tds:LoadCertificateWithPrivateKey>" \
  '<tds:SetCertificatesStatus><tds:CertificateStatus><tt:CertificateID>bench</tt:CertificateID><tt:Status>true</tt:Status></tds:CertificateStatus></tds:SetCertificatesStatus>' \
  "<tds:SetNetworkProtocols><tds:NetworkProtocols><tt:Name>HTTP</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>$HTTP_PORT</tt:Port></tds:NetworkProtocols><tds:NetworkProtocols><tt:Name>HTTPS</tt:Name><tt:Enabled>true</tt:Enabled><tt:Port>$HTTPS_PORT</tt:Port></tds:NetworkProtocols></tds:SetNetworkProtocols>"; do
  code=$(soap "$body")
  [[ $code == 200 ]] || die "HTTPS set-up refused ($code): $(cat "$WORK/reply.xml")"
done
log "gateway: http :$HTTP_PORT, https :$HTTPS_PORT"

# nginx serving the gateway's own GetSystemDateAndTime bytes, over both.
mkdir -p "$WORK/nginx/html" "$WORK/nginx/tmp"
curl -sS -o "$WORK/nginx/html/GetSystemDateAndTime.xml" -H 'Content-Type: application/soap+xml' \
  --data-binary '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>' \
  "http://127.0.0.1:$HTTP_PORT/onvif/device_service"
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000000;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  default_type "application/soap+xml; charset=utf-8";
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_certificate $WORK/cert.pem;
  ssl_certificate_key $WORK/key.pem;
  server {
    listen 127.0.0.1:$NGINX_HTTP;
    listen 127.0.0.1:$NGINX_HTTPS ssl;
    root $WORK/nginx/html;
    location / { error_page 405 =200 \$uri; }
  }
}
CONF
chmod 711 "$WORK" "$WORK/nginx"
chmod -R a+rX "$WORK/nginx/html" "$WORK/cert.pem" "$WORK/key.pem"
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" \
  >"$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
deadline=$((SECONDS + 5))
until curl -ksS -o /dev/null -X POST "https://127.0.0.1:$NGINX_HTTPS/GetSystemDateAndTime.xml" 2>/dev/null; do
  kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(cat "$WORK/nginx/error.log")"
  ((SECONDS < deadline)) || die "nginx does not answer"
  sleep 0.1
done

# run NAME URL [close]: one wrk run; prints "NAME rps p50_us p99_us errors".
run() {
  local out line
  out=$(SOAP_OP=GetSystemDateAndTime HTTP_CONNECTION=${3:-} \
        timeout -k 5 $((SECS + 30)) wrk -t1 -c"$CONNECTIONS" -d"${SECS}s" \
        -s "$SCRIPT_DIR/soap_post.lua" "$2" 2>&1) || die "wrk failed on $1: $out"
  line=$(grep '^BENCH ' <<<"$out") || die "no summary from wrk on $1: $out"
  python3 - "$1" "$line" <<'PY'
import sys
name, line = sys.argv[1], sys.argv[2]
f = dict(kv.split("=", 1) for kv in line.split()[1:])
errors = sum(int(f[k]) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
print(name, f["rps"], f["p50_us"], f["p99_us"], errors)
PY
}

log "wrk: $CONNECTIONS connections, ${SECS}s per run, GetSystemDateAndTime"
RESULTS=$WORK/results.txt
{
  run gateway-http-keepalive "http://127.0.0.1:$HTTP_PORT/onvif/device_service"
  run nginx-http-keepalive "http://127.0.0.1:$NGINX_HTTP/GetSystemDateAndTime.xml"
  run gateway-https-keepalive "https://127.0.0.1:$HTTPS_PORT/onvif/device_service"
  run nginx-https-keepalive "https://127.0.0.1:$NGINX_HTTPS/GetSystemDateAndTime.xml"
  run gateway-https-handshake "https://127.0.0.1:$HTTPS_PORT/onvif/device_service" close
  run nginx-https-handshake "https://127.0.0.1:$NGINX_HTTPS/GetSystemDateAndTime.xml" close
} >"$RESULTS"
kill -0 "$GW_PID" 2>/dev/null || die "the gateway died during the run: $(tail -20 "$WORK/gateway.log")"

python3 - "$RESULTS" "$CONNECTIONS" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, rps, p50, p99, errors = line.split()
    rows[name] = (float(rps), float(p50) / 1000, float(p99) / 1000, int(errors))
print(f"\nHTTPS figures, GetSystemDateAndTime, {sys.argv[2]} connections (same certificate: RSA 2048)")
print(f"{'run':28} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
for name, (rps, p50, p99, errors) in rows.items():
    print(f"{name:28} {rps:10.0f} {p50:8.2f} {p99:8.2f} {errors:7d}")
g = rows
print(f"\ngateway HTTPS/HTTP keep-alive ratio: {g['gateway-https-keepalive'][0] / g['gateway-http-keepalive'][0]:.2f}"
      f"   (nginx: {g['nginx-https-keepalive'][0] / g['nginx-http-keepalive'][0]:.2f})")
print(f"gateway TLS handshakes per second (new connection per request): {g['gateway-https-handshake'][0]:.0f}"
      f"   (nginx: {g['nginx-https-handshake'][0]:.0f}, ratio {g['gateway-https-handshake'][0] / g['nginx-https-handshake'][0]:.2f})")
if any(r[3] for r in rows.values()):
    print("errors seen: the figures are not trustworthy", file=sys.stderr)
    sys.exit(1)
PY
