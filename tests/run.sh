#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages, the pinned npm test client),
# checks that the generated ONVIF declarations are current, builds every
# target (RelWithDebInfo, and Release) and runs every test: libFuzzer targets for a bounded
# time, unit tests, end-to-end tests with the npm `onvif` client, schema
# checks with ../shared/onvif/check-soap.
#
#   tests/run.sh            (as root on a fresh Debian 12 machine)
#   BUILD_DIR=... JOBS=... tests/run.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}
cd "$root"

# Packages: only the missing ones are installed (dpkg says which).
want=$(cat deploy/debian/build-depends deploy/debian/test-depends)
missing=$(for p in $want; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"; done)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing="$missing nodejs npm"
fi
if [ -n "$(echo $missing)" ]; then
  echo "== installing: $(echo $missing)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi

echo "== npm test client (tests/e2e, pinned by package-lock.json)"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

echo "== generated ONVIF declarations are up to date (proto/onvif/generate.py --check)"
/usr/bin/python3 proto/onvif/generate.py --check
if [ -d ../shared/onvif/doc ]; then
  echo "== access classes match the ONVIF spec documents (proto/onvif/extract_access_classes.py --check)"
  /usr/bin/python3 proto/onvif/extract_access_classes.py --check
fi

echo "== build ($build, $jobs jobs)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs"

# Users build Release: every target must build there too, with our warnings
# (-O3 finds warnings -O2 does not). RELEASE_BUILD=0 skips it.
if [ "${RELEASE_BUILD:-1}" != 0 ]; then
  echo "== release build (${build}-release, every target)"
  cmake -S . -B "${build}-release" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "${build}-release" -j "$jobs"
fi

echo "== fuzzers (libFuzzer, ${FUZZ_SECONDS:-20} s each)"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} FUZZ_BUILD_DIR="$root/build-fuzz" CXX=clang++-14 \
  bash tests/fuzz/run.sh -j "$jobs"

echo "== tests"
ctest --test-dir "$build" --output-on-failure --timeout 600
