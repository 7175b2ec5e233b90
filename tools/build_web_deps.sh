#!/usr/bin/env bash
# tools/build_web_deps.sh: SDL2 and Dear ImGui for the browser app, from Debian's source trees.
#
#   .cache/src/SDL2-2.26.5  -> .cache/deps/sdl2   (static libSDL2.a, headers, CMake config)
#   .cache/src/imgui-1.86   -> .cache/deps/imgui  (the sources the app needs; wasm/app/CMakeLists.txt
#                                                 compiles them with wasm/app/imgui_config.h)
#
# Emscripten's ports (-sUSE_SDL=2) download from GitHub, which we never do. tools/setup.sh unpacks
# the Debian sources and then runs this script. Idempotent: a stamp holding a hash of this
# script, the compiler version and the source folders makes a second run return at once.
# SDL2 is built without threads and audio: the app needs a WebGL2 window, input and timers only.
# SANTA_LENS_JOBS sets the parallel jobs (default 2). The first run takes minutes (SDL2: ~230 files).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/.cache/src"
deps="$root/.cache/deps"
export EM_CACHE="${EM_CACHE:-$root/.cache/emcache}"

log() { printf '\033[1mbuild_web_deps:\033[0m %s\n' "$*" >&2; }

sdl_src="$src/SDL2-2.26.5"
imgui_src="$src/imgui-1.86"
for d in "$sdl_src" "$imgui_src"; do
  [ -f "$d/.santa-lens-ok" ] || { echo "build_web_deps: $d is missing: run tools/setup.sh" >&2; exit 1; }
done

stamp="$deps/.santa-lens-deps"
want=$( { sha256sum "$0" | cut -d' ' -f1; emcc --version | head -1; echo "$sdl_src $imgui_src"; } | sha256sum | cut -d' ' -f1)
[ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && exit 0
mkdir -p "$deps"

# --- SDL2 --------------------------------------------------------------------------------------
log "SDL2 2.26.5 (emcmake, static, no threads)"
rm -rf "$deps/sdl2" "$deps/build-sdl2"
emcmake cmake -S "$sdl_src" -B "$deps/build-sdl2" -G Ninja -Wno-dev \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$deps/sdl2" \
  -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_TESTS=OFF -DSDL2_DISABLE_SDL2MAIN=ON \
  -DSDL_THREADS=OFF -DSDL_PTHREADS=OFF -DSDL_AUDIO=OFF -DSDL_HAPTIC=OFF -DSDL_HIDAPI=OFF \
  >"$deps/build-sdl2.log" 2>&1 || { tail -30 "$deps/build-sdl2.log" >&2; exit 1; }
cmake --build "$deps/build-sdl2" -j "${SANTA_LENS_JOBS:-2}" >>"$deps/build-sdl2.log" 2>&1 &&
  cmake --install "$deps/build-sdl2" >>"$deps/build-sdl2.log" 2>&1 ||
  { tail -30 "$deps/build-sdl2.log" >&2; exit 1; }
rm -rf "$deps/build-sdl2"

# --- Dear ImGui ----------------------------------------------------------------------------------
# Copied, not built: every ImGui file must see the same IMGUI_USER_CONFIG (wasm/app/imgui_config.h),
# so the app's CMake compiles them and rebuilds them when the config changes.
log "Dear ImGui 1.86 sources"
rm -rf "$deps/imgui" && mkdir -p "$deps/imgui/backends"
cp "$imgui_src"/imgui*.cpp "$imgui_src"/imgui*.h "$imgui_src"/imstb_*.h "$imgui_src"/imconfig.h \
   "$imgui_src/LICENSE.txt" "$deps/imgui/"
cp "$imgui_src"/backends/imgui_impl_sdl.{cpp,h} "$imgui_src"/backends/imgui_impl_opengl3*.{cpp,h} \
   "$deps/imgui/backends/" 2>/dev/null || true
for f in imgui.cpp backends/imgui_impl_sdl.cpp backends/imgui_impl_opengl3.cpp; do
  [ -f "$deps/imgui/$f" ] || { echo "build_web_deps: $imgui_src/$f is missing" >&2; exit 1; }
done

echo "$want" > "$stamp"
log "done: $deps"
