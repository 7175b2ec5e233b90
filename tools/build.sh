#!/usr/bin/env bash
# tools/build.sh: builds what is stale, in four build folders of the same CMake project:
#   build/native       core + GoogleTest suite (host compiler)
#   build/native-asan  the same suite and the fuzz targets (fuzz/): clang, Debug, ASan + UBSan
#   build/wasm-node    core as WebAssembly for node (tools/santa-lens) + the same tests under node
#   (then the models, assets/santa_resnet50{,_int8,_w8}.onnx, when missing or stale: tools/ensure_model.sh)
#   build/wasm-web     core + app as WebAssembly for the browser, and the static site in build/site
# Run tools/setup.sh first (serve.sh and test.sh do).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export EM_CACHE="$root/.cache/emcache" NODE_PATH=/usr/share/nodejs

configure() { # $1 build dir, rest: cmake args; re-runs only when the folder is new
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || "$@" -S . -B "$dir" -G Ninja >/dev/null
}
build() { # $1 build dir; says how long it took
  local t=$SECONDS
  cmake --build "$1"
  echo "build: $1 took $((SECONDS - t)) s" >&2
}
configure build/native cmake
build build/native
configure build/native-asan env CC=clang CXX=clang++ cmake -DCMAKE_BUILD_TYPE=Debug \
  -DSANTA_LENS_SANITIZE=ON -DSANTA_LENS_BUILD_FUZZERS=ON
build build/native-asan
configure build/wasm-node emcmake cmake -DSANTA_LENS_WASM_HOST=node
build build/wasm-node
# The model before the site: the service worker's manifest records the model's checksum.
tools/ensure_model.sh
configure build/wasm-web emcmake cmake -DSANTA_LENS_WASM_HOST=web -DSANTA_LENS_BUILD_TESTS=OFF
build build/wasm-web
