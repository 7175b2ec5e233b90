#!/usr/bin/env bash
# tools/build.sh [app|all]: builds what is stale, in build folders of the same CMake project.
#   app  what the page and the CLI need (serve.sh):
#          build/wasm        the core as WebAssembly, compiled once for both hosts: the CLI's
#                            module (tools/santa-lens), then the models, assets/santa_resnet50
#                            {,_int8,_w8}.onnx, when missing or stale (tools/ensure_model.sh), then
#                            the browser app and the static site in build/site
#   all  the default (test.sh): the app, and
#          build/wasm        the GoogleTest suite and the benchmarks, under node
#          build/native-asan the GoogleTest suite and the fuzz targets (fuzz/): clang, Debug,
#                            ASan + UBSan
#          build/native      the benchmarks (host compiler, Release), which `santa-lens bench`
#                            sets beside the WebAssembly ones
# Run tools/setup.sh first (serve.sh and test.sh do).
set -euo pipefail
scope=${1:-all}
case $scope in app | all) ;; *) echo "usage: tools/build.sh [app|all]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Debian's Emscripten on Debian's Python: a python3 found first on PATH may be another interpreter,
# or a version manager's shim that costs each of the build's emcc calls more than the compile.
export EM_CACHE="$root/.cache/emcache" NODE_PATH=/usr/share/nodejs EMSDK_PYTHON=/usr/bin/python3

configure() { # $1 build dir, rest: cmake args; re-runs only when the folder is new
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || "$@" -S . -B "$dir" -G Ninja >/dev/null
}
build() { # $1 build dir, rest: targets (none: all); says how long it took
  local dir=$1 t=$SECONDS; shift
  cmake --build "$dir" ${1:+--target "$@"}
  echo "build: $dir${1:+ ($*)} took $((SECONDS - t)) s" >&2
}
configure build/wasm emcmake cmake
build build/wasm santa_lens_node
# The model before the site: the service worker's manifest records the model's checksum.
tools/ensure_model.sh
if [ "$scope" = app ]; then
  build build/wasm santa_lens_site
  exit 0
fi
build build/wasm
configure build/native-asan env CC=clang CXX=clang++ cmake -DCMAKE_BUILD_TYPE=Debug \
  -DSANTA_LENS_SANITIZE=ON -DSANTA_LENS_BUILD_FUZZERS=ON
build build/native-asan
configure build/native cmake -DSANTA_LENS_BUILD_TESTS=OFF
build build/native
