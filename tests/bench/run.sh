#!/usr/bin/env bash
# Throughput, latency and memory benchmark of the ONVIF gateway, with nginx as
# a reference HTTP server measured in the same run on the same machine.
#
#   tests/bench/run.sh                  # defaults: 5 s per measurement
#   DURATION=3s tests/bench/run.sh      # quicker
#
# What it does (everything on 127.0.0.1, everything in a temp dir):
#   1. starts onvif-gateway with two virtual devices backed by the simulated
#      adapter, and waits until the adapter is ready and the devices answer;
#   2. saves one GetSystemDateAndTime and one GetDeviceInformation response and
#      starts nginx serving files with exactly those bytes (POST answered 200);
#   3. runs wrk (keep-alive, 1/16/64 connections) against both servers for
#      both operations, sampling the gateway's memory during the heaviest runs;
#      GetDeviceInformation (access class READ_SYSTEM) carries a fresh
#      WS-Security UsernameToken in every request, to both servers alike;
#   4. authentication figure: gateway only, GetDeviceInformation with a fresh
#      UsernameToken per request against GetSystemDateAndTime without
#      authentication, alternately, at each connection count;
#   5. prints the tables and the memory figures, checks the aims, and writes
#      everything as JSON (default tests/bench/results/latest.json).
# Beside this script: soap_post.lua (the static wrk request and its summary
# line), soap_auth.lua (per-request UsernameToken PasswordDigest, non-200
# count), report.py (tables, checks, JSON) and README.md (how to read them).
#
# Environment:
#   BIN_DIR      onvif-gateway and onvif-adapter-simulated (default ../../build/bin)
#   DURATION     wrk duration per measurement: N, Ns or Nm (default 5s)
#   WARMUP       warm-up run per server before measuring (default 1s, 0 = none)
#   CONNECTIONS  connection counts (default "1 16 64")
#   THREADS      wrk threads, capped at the connection count (default 1)
#   REPEATS      measurements per cell; the median is reported (default 1)
#   OUT          JSON result file (default tests/bench/results/latest.json)
#   NGINX        nginx binary (default: nginx on PATH, else /usr/sbin/nginx)
#   KEEP_WORK=1  keep the temp dir (configs, logs, saved responses)
#
# Exit status: 0 when the benchmark ran (aims met or not; they are
# informational), 1 when something broke (a server failed, wrk saw errors,
# a request was not answered 200, the gateway does not enforce
# authentication), 2 when a required tool or binary is missing.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
BIN_DIR=${BIN_DIR:-$SCRIPT_DIR/../../build/bin}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-1s}
CONNECTIONS=${CONNECTIONS:-1 16 64}
THREADS=${THREADS:-1}
REPEATS=${REPEATS:-1}
OUT=${OUT:-$SCRIPT_DIR/results/latest.json}
READY_TIMEOUT=20                      # seconds, gateway + adapter start-up
OPERATIONS=(GetSystemDateAndTime GetDeviceInformation GetProfiles)
# Operations above PRE_AUTH need credentials: GetDeviceInformation is
# READ_SYSTEM, GetProfiles READ_MEDIA. 1 = every request carries a fresh
# UsernameToken (soap_auth.lua).
declare -A OP_AUTH=([GetSystemDateAndTime]=0 [GetDeviceInformation]=1 [GetProfiles]=1)
# Where each operation is posted, and its namespace (default: the device service).
declare -A OP_PATH=([GetProfiles]=/onvif/media_service)
declare -A OP_NS=([GetProfiles]=http://www.onvif.org/ver10/media/wsdl)
DEVICE_NS=http://www.onvif.org/ver10/device/wsdl
# Snapshots: GET /onvif/snapshot/<source> on the gateway (cached 1 s per
# source), the same JPEG as a static file on nginx. HTTP Basic is enabled for
# the run so that wrk can send one static credential (Digest needs a fresh
# response per request); Basic goes through the same user check and the
# READ_MEDIA policy.
SNAPSHOT_PATH=/onvif/snapshot/VideoSource_0
# Every device gets this administrator (config `admin:`); the benchmark's
# tokens authenticate as it. A throw-away credential for a loopback-only run.
BENCH_USER=admin BENCH_PASSWORD=Bench-Passw0rd1
# Authentication figure: this operation with a token against that one without.
AUTH_OP=GetDeviceInformation NOAUTH_OP=GetSystemDateAndTime

# Aims (informational): gateway/nginx ratio for this operation and connection
# count, and the gateway's peak resident memory with two devices.
AIM_RATIO=0.5 AIM_RATIO_OP=GetSystemDateAndTime AIM_RATIO_CONNS=16
AIM_RSS_MB=30
# Aim (informational): authenticated/unauthenticated rps at this count.
AIM_AUTH_RATIO=0.8 AIM_AUTH_CONNS=16

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------

NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x $NGINX ]] || missing+=(nginx)
if ((${#missing[@]})); then
  printf '[bench] missing: %s\n' "${missing[*]}" >&2
  printf '[bench] install them with:  apt-get install -y wrk nginx-light\n' >&2
  exit 2
fi
for tool in curl python3; do
  command -v "$tool" >/dev/null || {
    printf '[bench] missing: %s (apt-get install -y %s)\n' "$tool" "$tool" >&2; exit 2; }
done
BIN_DIR=$(cd "$BIN_DIR" 2>/dev/null && pwd) || {
  printf '[bench] BIN_DIR does not exist; build the project first (cmake --build build)\n' >&2
  exit 2; }
for bin in onvif-gateway onvif-adapter-simulated; do
  [[ -x $BIN_DIR/$bin ]] || {
    printf '[bench] %s/%s is missing; build the project first (cmake --build build)\n' \
      "$BIN_DIR" "$bin" >&2; exit 2; }
done

# DURATION/WARMUP -> seconds (to bound every wrk run with `timeout`).
seconds() {
  [[ $1 =~ ^([0-9]+)([sm]?)$ ]] || die "bad duration '$1' (use N, Ns or Nm)"
  local n=${BASH_REMATCH[1]}
  [[ ${BASH_REMATCH[2]} == m ]] && n=$((n * 60))
  echo "$n"
}
DURATION_S=$(seconds "$DURATION")
WARMUP_S=$(seconds "$WARMUP")
((DURATION_S > 0)) || die "DURATION must be at least 1s"
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "bad REPEATS '$REPEATS'"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "bad THREADS '$THREADS'"

# Other work on the machine skews every figure (the ratio less so, since both
# servers are measured alternately). Say so when the CPUs are already busy:
# share of non-idle CPU time over one second, from /proc/stat.
cpu_busy_percent() {
  local a b
  a=$(head -n1 /proc/stat); sleep 1; b=$(head -n1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    n = split(a, x); split(b, y); total = 0
    for (i = 2; i <= n; i++) total += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])            # idle + iowait
    printf "%d\n", (total > 0 ? 100 * (total - idle) / total : 0) }'
}
CPU_BUSY_BEFORE=$(cpu_busy_percent)
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
if ((CPU_BUSY_BEFORE > 20)); then
  log "warning: CPUs already ${CPU_BUSY_BEFORE}% busy before the benchmark; figures will be noisy"
fi

# ---------------------------------------------------------------------------
# Temp dir and cleanup: every process started here is stopped on exit.
# ---------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/onvifgw-bench.XXXXXX")
GW_PID='' ADAPTER_PID='' NGINX_PID='' SAMPLER_PID=''

stop_pid() {  # stop_pid PID SIGNAL: signal, wait up to 5 s, then SIGKILL
  local pid=$1 sig=$2 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$SAMPLER_PID" TERM
  stop_pid "$NGINX_PID" QUIT          # graceful nginx shutdown
  stop_pid "$GW_PID" TERM             # the gateway stops its adapter itself
  stop_pid "$ADAPTER_PID" TERM        # ...unless the gateway died first
  if [[ ${KEEP_WORK:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# N distinct TCP ports that were free a moment ago (all bound at once to :0).
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# A SOAP Header with a fresh WS-Security UsernameToken (PasswordDigest) for
# $BENCH_USER: random 16-byte nonce, Created = now. The gateway refuses a
# nonce/Created pair it has seen, so every call makes a new one. Same bytes as
# soap_auth.lua builds for wrk.
wsse_header() {
  python3 - "$BENCH_USER" "$BENCH_PASSWORD" <<'EOF'
import base64, datetime, hashlib, os, sys
user, password = sys.argv[1], sys.argv[2]
nonce = os.urandom(16)
created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
digest = base64.b64encode(
    hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()
w = "http://docs.oasis-open.org/wss/2004/01/"
print(f'<s:Header><Security s:mustUnderstand="1"'
      f' xmlns="{w}oasis-200401-wss-wssecurity-secext-1.0.xsd">'
      f'<UsernameToken><Username>{user}</Username>'
      f'<Password Type="{w}oasis-200401-wss-username-token-profile-1.0#PasswordDigest">'
      f'{digest}</Password>'
      f'<Nonce EncodingType="{w}oasis-200401-wss-soap-message-security-1.0#Base64Binary">'
      f'{base64.b64encode(nonce).decode()}</Nonce>'
      f'<Created xmlns="{w}oasis-200401-wss-wssecurity-utility-1.0.xsd">{created}</Created>'
      f'</UsernameToken></Security></s:Header>', end="")
EOF
}

# envelope OP [auth]: the request body; with "auth", a fresh token header.
envelope() {
  local header=''
  [[ ${2:-} == auth ]] && header=$(wsse_header)
  printf '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">%s<s:Body><%s xmlns="%s"/></s:Body></s:Envelope>' "$header" "$1" "${OP_NS[$1]:-$DEVICE_NS}"
}

# gw_url OP: the first device's address for OP.
gw_url() { echo "http://127.0.0.1:$DEV1_PORT${OP_PATH[$1]:-/onvif/device_service}"; }

# auth_of OP: "auth" if OP needs credentials, else "".
auth_of() { [[ ${OP_AUTH[$1]:-0} == 1 ]] && echo auth || true; }

# soap_post URL OP OUTFILE [auth]: POSTs the request (with "auth": carrying a
# fresh UsernameToken); prints "<status> <body bytes>".
soap_post() {
  curl -sS --max-time 5 -o "$3" -w '%{http_code} %{size_download}\n' -X POST \
    -H 'Content-Type: application/soap+xml; charset=utf-8' \
    --data-binary "$(envelope "$2" "${4:-}")" "$1" 2>/dev/null || echo "000 0"
}

status_field() {  # status_field PID FIELD -> value in kB (0 if gone)
  awk -v f="$2:" '$1 == f { print $2; found = 1 } END { if (!found) print 0 }' \
    "/proc/$1/status" 2>/dev/null || echo 0
}

# ---------------------------------------------------------------------------
# 1. The gateway: two virtual devices, simulated adapter, no discovery.
# ---------------------------------------------------------------------------

read -r DEV1_PORT DEV2_PORT NGINX_PORT < <(free_ports 3)

# log_level info: the "[adapter:sim] ready" line we wait for is logged at info.
# The gateway logs nothing per request at info, so it does not cost throughput.
cat >"$WORK/gateway.yaml" <<EOF
state_dir: $WORK/state
log_level: info
discovery: {enabled: false}
security: {allow_basic: true}
adapters:
  - id: sim
    exec: $BIN_DIR/onvif-adapter-simulated
    config:
      cameras:
        - {id: cam-1, model: SIM-1000}
        - {id: cam-2, model: SIM-2000}
devices:
  - {id: bench-1, name: Bench camera 1, location: country/bench, hardware: SIM-1000,
     address: 127.0.0.1, port: $DEV1_PORT, adapter: sim, camera: cam-1,
     admin: {username: $BENCH_USER, password: $BENCH_PASSWORD}}
  - {id: bench-2, name: Bench camera 2, location: country/bench, hardware: SIM-2000,
     address: 127.0.0.1, port: $DEV2_PORT, adapter: sim, camera: cam-2,
     admin: {username: $BENCH_USER, password: $BENCH_PASSWORD}}
EOF

GW_URL=http://127.0.0.1:$DEV1_PORT/onvif/device_service
log "starting onvif-gateway (devices on :$DEV1_PORT and :$DEV2_PORT)"
"$BIN_DIR/onvif-gateway" --config "$WORK/gateway.yaml" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!

gateway_died() {
  printf '[bench] error: onvif-gateway exited during %s; its log:\n' "$1" >&2
  sed 's/^/  | /' "$WORK/gateway.log" >&2
  exit 1
}

# Bounded wait: the adapter's "ready" line, then a 200 from both devices
# (GetDeviceInformation with a token: a wrong password would show here).
deadline=$((SECONDS + READY_TIMEOUT))
until grep -q '\[adapter:sim\] ready' "$WORK/gateway.log"; do
  kill -0 "$GW_PID" 2>/dev/null || gateway_died start-up
  ((SECONDS < deadline)) || die "adapter not ready after ${READY_TIMEOUT}s (log: $WORK/gateway.log)"
  sleep 0.1
done
for port in "$DEV1_PORT" "$DEV2_PORT"; do
  until [[ $(soap_post "http://127.0.0.1:$port/onvif/device_service" \
               GetDeviceInformation /dev/null auth) == 200\ * ]]; do
    kill -0 "$GW_PID" 2>/dev/null || gateway_died start-up
    ((SECONDS < deadline)) || die "GetDeviceInformation on :$port is not 200 after ${READY_TIMEOUT}s"
    sleep 0.1
  done
done
ADAPTER_PID=$(ps -o pid= --ppid "$GW_PID" | head -n1 | tr -d ' ')
log "gateway ready (pid $GW_PID, adapter pid ${ADAPTER_PID:-?})"

# The authentication figure only means something if the gateway checks the
# token: GetDeviceInformation without credentials must be refused with 401.
read -r code _ < <(soap_post "$GW_URL" "$AUTH_OP" /dev/null)
[[ $code == 401 ]] ||
  die "gateway answered $AUTH_OP without credentials with HTTP $code, not 401:" \
      "this onvif-gateway does not enforce authentication (rebuild it)"
log "gateway enforces authentication: $AUTH_OP without credentials -> 401, with a token -> 200"

GW_RSS_IDLE=$(status_field "$GW_PID" VmRSS)
GW_HWM_IDLE=$(status_field "$GW_PID" VmHWM)
AD_RSS_IDLE=$([[ -n $ADAPTER_PID ]] && status_field "$ADAPTER_PID" VmRSS || echo 0)

# ---------------------------------------------------------------------------
# 2. nginx serving the gateway's own response bytes.
# ---------------------------------------------------------------------------

# Save one real response per operation; nginx serves these files. The time of
# day in GetSystemDateAndTime makes its size vary by a few bytes over a run.
mkdir -p "$WORK/nginx/html" "$WORK/nginx/tmp"
declare -A RESP_BYTES
for op in "${OPERATIONS[@]}"; do
  read -r code bytes < <(soap_post "$(gw_url "$op")" "$op" "$WORK/nginx/html/$op.xml" "$(auth_of "$op")")
  [[ $code == 200 ]] || die "gateway answered $op with HTTP $code"
  RESP_BYTES[$op]=$bytes
done

BASIC_AUTH="Basic $(printf '%s:%s' "$BENCH_USER" "$BENCH_PASSWORD" | base64 -w0)"
SNAPSHOT_URL=http://127.0.0.1:$DEV1_PORT$SNAPSHOT_PATH
read -r code bytes < <(curl -sS --max-time 5 -o "$WORK/nginx/html/Snapshot.jpg" \
  -w '%{http_code} %{size_download}\n' -H "Authorization: $BASIC_AUTH" "$SNAPSHOT_URL" ||
  echo "000 0")
[[ $code == 200 ]] || die "gateway answered the snapshot GET with HTTP $code"
RESP_BYTES[Snapshot]=$bytes

# A POST to a static file is a 405 in nginx; `error_page 405 =200 $uri`
# re-serves the same file with status 200. All paths stay inside $WORK.
cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000000;
  keepalive_timeout 75s;
  sendfile on;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  types { image/jpeg jpg; }
  default_type "application/soap+xml; charset=utf-8";
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/nginx/html;
    location / { error_page 405 =200 \$uri; }
  }
}
EOF
# When run as root, nginx workers run as "nobody": let them reach the files.
chmod 711 "$WORK" "$WORK/nginx"
chmod -R a+rX "$WORK/nginx/html"

"$NGINX" -t -q -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" \
  || die "nginx rejected its configuration ($WORK/nginx/nginx.conf)"
log "starting nginx on :$NGINX_PORT"
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" \
  >"$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!

# Verify nginx: status 200, Content-Length and body size equal to the gateway's.
deadline=$((SECONDS + 5))
for op in "${OPERATIONS[@]}"; do
  url=http://127.0.0.1:$NGINX_PORT/$op.xml
  until [[ $(soap_post "$url" "$op" /dev/null "$(auth_of "$op")") == 200\ * ]]; do
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(cat "$WORK/nginx/error.log")"
    ((SECONDS < deadline)) || die "nginx does not answer 200 on $url"
    sleep 0.1
  done
  len=$(curl -sS -o /dev/null -D - -X POST -H 'Content-Type: application/soap+xml' \
          --data-binary "$(envelope "$op" "$(auth_of "$op")")" "$url" | tr -d '\r' |
        awk 'tolower($1) == "content-length:" { print $2 }')
  [[ $len == "${RESP_BYTES[$op]}" ]] ||
    die "nginx Content-Length for $op is '$len', the gateway's is ${RESP_BYTES[$op]}"
  log "nginx serves $op: 200, Content-Length $len (same as the gateway)"
done

# ---------------------------------------------------------------------------
# 3. Load: wrk against both servers, interleaved so both see the same machine.
# ---------------------------------------------------------------------------

RESULTS=$WORK/results.txt   # one "server connections BENCH ..." line per run
: >"$RESULTS"
RSS_SAMPLES=$WORK/rss_samples.txt
: >"$RSS_SAMPLES"

# run_wrk SERVER URL OP CONNS SECONDS MODE [record]: runs wrk; with "record",
# appends its BENCH line to $RESULTS. wrk's full output is kept in $WORK.
# MODE: static = soap_post.lua (one request, formatted once);
#       auth   = soap_auth.lua, a fresh UsernameToken in every request;
#       noauth = soap_auth.lua without token (same per-request hooks).
# A soap_auth.lua run with any response other than 200 stops the benchmark
# at once: a refused token means the figures are not the authenticated path,
# and the gateway's brute-force limiter would lock the next runs out.
run_wrk() {
  local server=$1 url=$2 op=$3 conns=$4 secs=$5 mode=$6 record=${7:-} threads line out
  local script=soap_auth.lua soap_auth=1 method=POST
  case $mode in
    static) script=soap_post.lua ;;
    get) script=soap_post.lua method=GET ;;
    auth) ;;
    noauth) soap_auth=0 ;;
    *) die "run_wrk: bad mode '$mode'" ;;
  esac
  threads=$((THREADS < conns ? THREADS : conns))
  out=$WORK/wrk-$server-$op-c$conns-$(date +%s%N).txt
  line=$(SOAP_OP=$op SOAP_NS=${OP_NS[$op]:-$DEVICE_NS} SOAP_AUTH=$soap_auth HTTP_METHOD=$method \
           HTTP_AUTHORIZATION=$BASIC_AUTH WSSE_USER=$BENCH_USER WSSE_PASSWORD=$BENCH_PASSWORD \
           timeout --foreground -k 5 $((secs + 30)) \
           wrk -t"$threads" -c"$conns" -d"${secs}s" -s "$SCRIPT_DIR/$script" "$url" \
           2>&1 | tee "$out" | grep '^BENCH ') ||
    die "wrk failed against $server ($op, $conns connections): $(cat "$out")"
  if [[ $line =~ \ non200=([0-9]+) ]] && ((BASH_REMATCH[1] > 0)); then
    printf '[bench] error: %s\n' "$(grep '^NON200 ' "$out" || echo "$line")" >&2
    printf '[bench] error: %s answered %s non-200 response(s) (%s, %s connections, %s);' \
      "$server" "${BASH_REMATCH[1]}" "$op" "$conns" "$mode" >&2
    printf ' last gateway WARN/ERROR lines:\n' >&2
    { grep -E ' (WARN|ERROR) ' "$WORK/gateway.log" || true; } | tail -n 5 | sed 's/^/  | /' >&2
    exit 1
  fi
  [[ -n $record ]] && echo "$server $conns $line" >>"$RESULTS"
  return 0
}

# Samples the gateway's VmRSS every 100 ms until killed.
rss_sampler() {
  while kill -0 "$GW_PID" 2>/dev/null; do
    status_field "$GW_PID" VmRSS >>"$RSS_SAMPLES"
    sleep 0.1
  done
}

if ((WARMUP_S > 0)); then
  log "warm-up: ${WARMUP_S}s per server"
  run_wrk gateway "$GW_URL" GetSystemDateAndTime 16 "$WARMUP_S" static
  run_wrk nginx "http://127.0.0.1:$NGINX_PORT/GetSystemDateAndTime.xml" \
    GetSystemDateAndTime 16 "$WARMUP_S" static
fi

read -ra CONNS <<<"$CONNECTIONS"
max_conns=0
for c in "${CONNS[@]}"; do
  [[ $c =~ ^[1-9][0-9]*$ ]] || die "bad connection count '$c'"
  ((c > max_conns)) && max_conns=$c
done
runs=$(((${#OPERATIONS[@]} + 2) * ${#CONNS[@]} * 2 * REPEATS))
log "measuring: $runs runs of ${DURATION_S}s (about $((runs * DURATION_S))s)"

# gateway_run SERVER OP CONNS MODE: one recorded gateway run, sampling its
# memory during the max-connection runs, then a check that it is alive.
gateway_run() {
  if (($3 == max_conns)); then rss_sampler & SAMPLER_PID=$!; fi
  local url; url=$(gw_url "$2"); [[ $4 == get ]] && url=$SNAPSHOT_URL
  run_wrk "$1" "$url" "$2" "$3" "$DURATION_S" "$4" record
  if [[ -n $SAMPLER_PID ]]; then stop_pid "$SAMPLER_PID" TERM; SAMPLER_PID=''; fi
  kill -0 "$GW_PID" 2>/dev/null || gateway_died "$2 at $3 connections ($4)"
}

# 3. Gateway against nginx. An operation that needs credentials is sent with a
# fresh token per request to both servers (same bytes and the same wrk work;
# nginx ignores the header), so the ratio still compares like with like.
for op in "${OPERATIONS[@]}"; do
  mode=static; [[ $(auth_of "$op") == auth ]] && mode=auth
  for c in "${CONNS[@]}"; do
    for ((rep = 1; rep <= REPEATS; rep++)); do
      round=''; ((REPEATS > 1)) && round=", round $rep/$REPEATS"
      log "$op, $c connection(s)$round$([[ $mode == auth ]] && echo ', UsernameToken per request')"
      gateway_run gateway "$op" "$c" "$mode"
      run_wrk nginx "http://127.0.0.1:$NGINX_PORT/$op.xml" "$op" "$c" "$DURATION_S" "$mode" record
    done
  done
done

# Snapshots: the gateway's cached picture against nginx serving the same JPEG.
for c in "${CONNS[@]}"; do
  for ((rep = 1; rep <= REPEATS; rep++)); do
    round=''; ((REPEATS > 1)) && round=", round $rep/$REPEATS"
    log "Snapshot (GET, HTTP Basic), $c connection(s)$round"
    gateway_run gateway Snapshot "$c" get
    run_wrk nginx "http://127.0.0.1:$NGINX_PORT/Snapshot.jpg" Snapshot "$c" "$DURATION_S" get record
  done
done

# 4. Authentication figure, gateway only: $AUTH_OP with a fresh UsernameToken
# per request against $NOAUTH_OP without, alternately. Both through
# soap_auth.lua (request built per request, every response inspected), so the
# load generator differs only by the token it computes.
for c in "${CONNS[@]}"; do
  for ((rep = 1; rep <= REPEATS; rep++)); do
    round=''; ((REPEATS > 1)) && round=", round $rep/$REPEATS"
    log "authentication: $NOAUTH_OP without / $AUTH_OP with token, $c connection(s)$round"
    gateway_run gateway_noauth "$NOAUTH_OP" "$c" noauth
    gateway_run gateway_auth "$AUTH_OP" "$c" auth
  done
done
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

GW_RSS_AFTER=$(status_field "$GW_PID" VmRSS)
GW_HWM_AFTER=$(status_field "$GW_PID" VmHWM)
GW_RSS_LOAD_MAX=$(sort -n "$RSS_SAMPLES" | tail -n1)
AD_RSS_AFTER=$([[ -n $ADAPTER_PID ]] && status_field "$ADAPTER_PID" VmRSS || echo 0)
# Anything the gateway logged at warn/error level during the run.
GW_WARNINGS=$(grep -cE ' (WARN|ERROR) ' "$WORK/gateway.log" || true)

# ---------------------------------------------------------------------------
# 5. Report: tables, memory, checks, JSON.
# ---------------------------------------------------------------------------


mkdir -p "$(dirname "$OUT")"
WRK_VERSION=$(wrk -v 2>&1 | head -n1 | awk '{print $2}') || true
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's|.*/||')
GIT_REV=$(git -C "$REPO_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
export RESULTS OUT DURATION_S WARMUP_S THREADS REPEATS CONNECTIONS \
  AIM_RATIO AIM_RATIO_OP AIM_RATIO_CONNS AIM_RSS_MB AIM_AUTH_RATIO AIM_AUTH_CONNS \
  AUTH_OP NOAUTH_OP \
  GW_RSS_IDLE GW_HWM_IDLE GW_RSS_AFTER GW_HWM_AFTER GW_RSS_LOAD_MAX AD_RSS_IDLE AD_RSS_AFTER \
  GW_WARNINGS CPU_BUSY_BEFORE LOAD_BEFORE LOAD_AFTER WRK_VERSION NGINX_VERSION GIT_REV
export RESP_SDT=${RESP_BYTES[GetSystemDateAndTime]} RESP_DI=${RESP_BYTES[GetDeviceInformation]}

# Prints the report and writes $OUT; exits 1 if a check failed.
python3 "$SCRIPT_DIR/report.py"
