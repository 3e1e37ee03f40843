#!/usr/bin/env bash
# Builds the libFuzzer targets (standalone project, clang) and runs each for a
# bounded time from the seed corpora. Exits non-zero if a target crashes,
# leaks, times out or fails to build.
#
#   tests/fuzz/run.sh [-j JOBS] [target...]
#   FUZZ_SECONDS=60 FUZZ_BUILD_DIR=/tmp/bf tests/fuzz/run.sh -j 2
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-20}
jobs=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    -j) jobs=$2; shift 2 ;;
    -j*) jobs=${1#-j}; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ws_security_fuzzer http_authorization_fuzzer access_policy_fuzzer codec_fuzzer camera_reply_fuzzer)
fi

echo "== configure + build ($build, -j$jobs)"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="${CXX:-clang++}" >/dev/null || exit 2
ninja -C "$build" -j "$jobs" "${targets[@]}" || exit 2

declare -A result stats
status=0
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t/$(date +%Y%m%d-%H%M%S)"  # a fresh folder per run
  log="$build/$t.log"
  mkdir -p "$work" "$artifacts"
  echo "== $t: ${seconds}s"
  # New inputs go to the first corpus directory ($work); the seeds are read only.
  "$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$here/corpus/$t" >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  crashes=$(find "$artifacts" -type f | wc -l)
  stats[$t]="runs=${runs:-?} cov=${cov:-?} corpus=$(find "$work" -type f | wc -l) artifacts=$crashes"
  if [ $rc -eq 0 ] && [ "$crashes" -eq 0 ]; then
    result[$t]=ok
  else
    result[$t]="FAILED (rc=$rc, see $log)"
    grep -E 'ERROR: |SUMMARY: ' "$log" | head -5
    status=1
  fi
done

echo
echo "== fuzz summary (${seconds}s each)"
for t in "${targets[@]}"; do
  printf '  %-28s %-8s %s\n' "$t" "${result[$t]}" "${stats[$t]}"
done
exit $status
