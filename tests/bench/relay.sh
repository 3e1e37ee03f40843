#!/usr/bin/env bash
# The media relay's figures: CPU and memory of the gateway process (which
# runs the relay) while N clients play one 1080p H.264 stream through it
# (passthrough, no transcoding), and one MJPEG-over-HTTP camera re-served as
# RTP/JPEG and encoded as H.264 (encode_h264); time to the first frame; and the delay the relay adds, each
# beside the same measured directly at the camera's own RTSP server (the
# reference: nginx serves no RTSP).
#
#   tests/bench/relay.sh                    # defaults: 10 s per measurement
#   DURATION=5 CLIENTS="1 4" tests/bench/relay.sh
#
# Everything listens on 127.0.0.1 and lives in a temp dir. The camera is the
# simulated adapter (x264 at 1920x1080, 25 fps, 4096 kbit/s of noise, so that
# the stream really has that bitrate; MJPEG 1280x720, 10 fps), a separate
# process: its encoding is not counted in the relay's CPU.
# Clients are ffmpeg with -c copy (no decoding), over RTSP/TCP.
#
# Environment:
#   BIN_DIR    onvif-gateway and onvif-adapter-simulated (default ../../build/bin)
#   DURATION   seconds measured per client count (default 10)
#   CLIENTS    client counts (default "1 4 16")
#   RUNS       first-frame measurements per case (default 5; the median is shown)
#   OUT        JSON result (default tests/bench/results/relay.json)
#   KEEP_WORK=1 keep the temp dir
#
# Exit status: 0 when it ran, 1 when something broke, 2 when a tool or binary
# is missing.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN_DIR=${BIN_DIR:-$SCRIPT_DIR/../../build/bin}
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-1 4 16}
RUNS=${RUNS:-5}
OUT=${OUT:-$SCRIPT_DIR/results/relay.json}
USER_NAME=admin PASSWORD=Bench-Passw0rd1

log() { printf '[relay-bench] %s\n' "$*" >&2; }
die() { printf '[relay-bench] error: %s\n' "$*" >&2; exit 1; }

for tool in ffmpeg ffprobe python3 curl; do
  command -v "$tool" >/dev/null || { log "missing: $tool (apt-get install -y ${tool/ffprobe/ffmpeg})"; exit 2; }
done
BIN_DIR=$(cd "$BIN_DIR" 2>/dev/null && pwd) || { log "BIN_DIR does not exist; build first"; exit 2; }
for bin in onvif-gateway onvif-adapter-simulated; do
  [[ -x $BIN_DIR/$bin ]] || { log "$BIN_DIR/$bin is missing; build first"; exit 2; }
done
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "bad DURATION '$DURATION' (whole seconds)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/onvifgw-relay-bench.XXXXXX")
GW_PID=''
CLIENT_PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for p in "${CLIENT_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  if [[ -n $GW_PID ]]; then kill -TERM "$GW_PID" 2>/dev/null || true; wait "$GW_PID" 2>/dev/null || true; fi
  if [[ ${KEEP_WORK:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r HTTP1 RTSP1 HTTP2 RTSP2 HTTP3 RTSP3 CAM_RTSP CAM_MJPEG < <(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(8)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)

cat > "$WORK/gateway.yaml" <<YAML
state_dir: $WORK/state
log_level: info
discovery:
  enabled: false
adapters:
  - id: sim
    exec: $BIN_DIR/onvif-adapter-simulated
    config:
      rtsp_port: $CAM_RTSP
      mjpeg_port: $CAM_MJPEG
      cameras:
        - id: cam-1
          width: 1920
          height: 1080
          framerate: 25
          test_pattern: snow
        - id: cam-2
          width: 1280
          height: 720
          framerate: 10
          streaming: mjpeg_http
# stream_linger_ms: 0 — each case starts from no camera connection, and a
# cold first frame is really cold (a lingering stream is a warm one).
devices:
  - id: dev-1
    address: 127.0.0.1
    port: $HTTP1
    rtsp_port: $RTSP1
    stream_linger_ms: 0
    adapter: sim
    camera: cam-1
    admin: {username: $USER_NAME, password: $PASSWORD}
  - id: dev-2
    address: 127.0.0.1
    port: $HTTP2
    rtsp_port: $RTSP2
    stream_linger_ms: 0
    adapter: sim
    camera: cam-2
    admin: {username: $USER_NAME, password: $PASSWORD}
  - id: dev-3
    address: 127.0.0.1
    port: $HTTP3
    rtsp_port: $RTSP3
    stream_linger_ms: 0
    encode_h264: [main]
    adapter: sim
    camera: cam-2
    admin: {username: $USER_NAME, password: $PASSWORD}
YAML

"$BIN_DIR/onvif-gateway" --config "$WORK/gateway.yaml" > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
for ((i = 0; i < 200; i++)); do
  grep -q '\[adapter:sim\] ready' "$WORK/gateway.log" && break
  kill -0 "$GW_PID" 2>/dev/null || die "the gateway exited: $(tail -5 "$WORK/gateway.log")"
  sleep 0.1
done
grep -q '\[adapter:sim\] ready' "$WORK/gateway.log" || die "the adapter never became ready"

# The profiles' tokens are prof_<source>_<stream>: main is the 1080p H.264
# stream of dev-1, and of dev-2 the 720p MJPEG stream.
H264_RELAY="rtsp://$USER_NAME:$PASSWORD@127.0.0.1:$RTSP1/prof_0_main"
H264_DIRECT="rtsp://127.0.0.1:$CAM_RTSP/cam-1/main"
MJPEG_RELAY="rtsp://$USER_NAME:$PASSWORD@127.0.0.1:$RTSP2/prof_0_main"
MJPEG_H264="rtsp://$USER_NAME:$PASSWORD@127.0.0.1:$RTSP3/prof_0_main"

# CPU seconds (user + system) the gateway has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$GW_PID/stat"
}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$GW_PID/status"; }

start_clients() {  # start_clients N URI
  CLIENT_PIDS=()
  rm -f "$WORK"/client-*.log  # each case counts its own clients' bytes only
  local i
  for ((i = 0; i < $1; i++)); do
    ffmpeg -nostdin -v info -nostats -rtsp_transport tcp -i "$2" -c copy -f null - \
      > "$WORK/client-$i.log" 2>&1 &
    CLIENT_PIDS+=($!)
  done
}
stop_clients() {
  for p in "${CLIENT_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${CLIENT_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  CLIENT_PIDS=()
}

# One load case: N clients on URI, 3 s to settle, then DURATION s measured.
load_case() {  # load_case NAME N URI -> JSON line
  local name=$1 n=$2 uri=$3
  local rss_idle cpu0 cpu1 rss_peak=0 r alive t0 t1
  rss_idle=$(rss_kb)
  start_clients "$n" "$uri"
  t0=$(date +%s.%N)
  sleep 3
  cpu0=$(cpu_seconds)
  for ((s = 0; s < DURATION * 2; s++)); do
    sleep 0.5
    r=$(rss_kb); ((r > rss_peak)) && rss_peak=$r
  done
  cpu1=$(cpu_seconds)
  alive=0
  for p in "${CLIENT_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
  stop_clients
  t1=$(date +%s.%N)
  ((alive == n)) || die "$name: only $alive of $n clients were still playing ($(cat "$WORK"/client-*.log | head -3))"
  # What the clients received (ffmpeg's final "video:<n>kB"), as kbit/s per client.
  local kbytes
  kbytes=$(cat "$WORK"/client-*.log | sed -n 's/.*video:\([0-9]*\)kB.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
  python3 -c "import json,sys; print(json.dumps({'case': sys.argv[1], 'clients': int(sys.argv[2]),
    'cpu_percent': round(100 * (float(sys.argv[4]) - float(sys.argv[3])) / float(sys.argv[5]), 1),
    'rss_idle_mb': round(int(sys.argv[6]) / 1024, 1), 'rss_peak_mb': round(int(sys.argv[7]) / 1024, 1),
    'kbit_per_client': round(8 * int(sys.argv[8]) / int(sys.argv[2]) / (float(sys.argv[10]) - float(sys.argv[9])))}))" \
    "$name" "$n" "$cpu0" "$cpu1" "$DURATION" "$rss_idle" "$rss_peak" "$kbytes" "$t0" "$t1"
  sleep 1  # the shared media is torn down after the last client
}

# Seconds from starting a client until it has its first video frame
# (decoded), as a player would show it.
first_frame() {  # first_frame URI
  local t0 t1
  t0=$(date +%s.%N)
  timeout 20 ffmpeg -nostdin -v error -rtsp_transport tcp -i "$1" -frames:v 1 -f null - \
    > /dev/null 2>&1 || { echo "null"; return; }
  t1=$(date +%s.%N)
  python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 3))" "$t0" "$t1"
}

RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
for n in $CLIENTS; do
  log "1080p H.264 through the relay, $n client(s), ${DURATION} s"
  load_case h264_1080p_relay "$n" "$H264_RELAY" >> "$RESULTS"
done
for n in $CLIENTS; do
  log "MJPEG over HTTP -> RTP/JPEG (1280x720, 10 fps), $n client(s), ${DURATION} s"
  load_case mjpeg_720p_rtpjpeg "$n" "$MJPEG_RELAY" >> "$RESULTS"
done
for n in $CLIENTS; do
  log "MJPEG over HTTP -> H.264 (encode_h264, 1280x720, 10 fps), $n client(s), ${DURATION} s"
  load_case mjpeg_720p_h264 "$n" "$MJPEG_H264" >> "$RESULTS"
done

log "time to first frame: $RUNS runs each, cold (no client yet) and joining a playing stream"
for target in relay direct; do
  uri=$H264_RELAY; [[ $target == direct ]] && uri=$H264_DIRECT
  for ((r = 0; r < RUNS; r++)); do
    echo "{\"case\": \"first_frame_cold\", \"target\": \"$target\", \"seconds\": $(first_frame "$uri")}" >> "$RESULTS"
    sleep 1
  done
  start_clients 1 "$uri"; sleep 3
  for ((r = 0; r < RUNS; r++)); do
    echo "{\"case\": \"first_frame_warm\", \"target\": \"$target\", \"seconds\": $(first_frame "$uri")}" >> "$RESULTS"
  done
  stop_clients; sleep 1
done

log "delay added by the relay: the same frames received directly and relayed, ${DURATION} s"
# Both listeners share the camera's one encoder, so they receive the same
# frames; each packet is stamped with its arrival time (wall clock).
probe_arrivals() {  # probe_arrivals URI FILE
  timeout $((DURATION + 15)) ffprobe -v error -use_wallclock_as_timestamps 1 -rtsp_transport tcp \
    -read_intervals "%+$DURATION" -select_streams v:0 -show_entries packet=pts_time,size \
    -of csv=p=0 "$1" > "$2" 2>/dev/null || true
}
start_clients 1 "$H264_DIRECT"; sleep 2   # the camera's encoder keeps running throughout
probe_arrivals "$H264_DIRECT" "$WORK/direct.csv" &
direct_pid=$!
probe_arrivals "$H264_RELAY" "$WORK/relay.csv"
wait "$direct_pid" || true
stop_clients

python3 "$SCRIPT_DIR/relay_report.py" "$RESULTS" "$WORK/direct.csv" "$WORK/relay.csv" "$OUT"
