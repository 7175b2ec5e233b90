#!/usr/bin/env bash
# tools/build_webp.sh: libwebp for the WebAssembly builds (the CLI's core and the browser app),
# from Debian's source tree. Natively the core links Debian's libwebp-dev instead.
#
#   .cache/src/libwebp-1.2.4 -> .cache/deps/libwebp   (static libwebp.a + libwebpdemux.a, headers)
#
# tools/setup.sh unpacks the source package and then runs this script. Idempotent: a stamp holding
# a hash of this script, the compiler version and the source folder's name (not its absolute
# path, so that checkouts sharing one .cache agree) makes a second run return at once.
# Without threads (the core's WebAssembly builds have none) and without libwebp's SSE/NEON code
# (x86 intrinsics do not compile to WebAssembly); only the libraries, none of the tools.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=libwebp-1.2.4
src="$root/.cache/src/$name"
deps="$root/.cache/deps"
export EM_CACHE="${EM_CACHE:-$root/.cache/emcache}"

log() { printf '\033[1mbuild_webp:\033[0m %s\n' "$*" >&2; }

[ -f "$src/.santa-lens-ok" ] || { echo "build_webp: $src is missing: run tools/setup.sh" >&2; exit 1; }
stamp="$deps/.santa-lens-webp"
want=$( { sha256sum "$0" | cut -d' ' -f1; emcc --version | head -1; echo "$name"; } | sha256sum | cut -d' ' -f1)
[ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && exit 0
mkdir -p "$deps"

log "libwebp 1.2.4 (emcmake, static, no threads)"
build="$deps/build-libwebp"
rm -rf "$deps/libwebp" "$build"
off=()
for tool in ANIM_UTILS CWEBP DWEBP GIF2WEBP IMG2WEBP VWEBP WEBPINFO WEBPMUX EXTRAS WEBP_JS; do off+=("-DWEBP_BUILD_$tool=OFF"); done
emcmake cmake -S "$src" -B "$build" -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$deps/libwebp" -DBUILD_SHARED_LIBS=OFF -DWEBP_USE_THREAD=OFF \
  -DWEBP_ENABLE_SIMD=OFF -DWEBP_BUILD_LIBWEBPMUX=OFF "${off[@]}" \
  >"$deps/build-libwebp.log" 2>&1 || { tail -30 "$deps/build-libwebp.log" >&2; exit 1; }
cmake --build "$build" -j "${SANTA_LENS_JOBS:-2}" >>"$deps/build-libwebp.log" 2>&1 &&
  cmake --install "$build" >>"$deps/build-libwebp.log" 2>&1 ||
  { tail -30 "$deps/build-libwebp.log" >&2; exit 1; }
rm -rf "$build"
for f in lib/libwebp.a lib/libwebpdemux.a include/webp/decode.h include/webp/demux.h; do
  [ -f "$deps/libwebp/$f" ] || { echo "build_webp: $deps/libwebp/$f was not installed" >&2; exit 1; }
done
echo "$want" > "$stamp"
log "done: $deps/libwebp"
