#!/usr/bin/env bash
# tools/setup.sh: installs everything santa-lens needs to build, serve and test, from Debian's
# mirror and the npm registry only. Idempotent: a second run checks stamps and returns in seconds.
#
#   apt packages         -> installed when missing (one `apt-get update` first)
#   emscripten cache     -> .cache/emcache (a writable copy of Debian's read-only cache)
#   SDL2 2.26.5, ImGui 1.86 and      -> .cache/src (Debian source packages), compiled for
#   libwebp 1.2.4 sources               WebAssembly by the CMake project (wasm/app/sdl2.cmake,
#                                       wasm/app/CMakeLists.txt, core/libwebp_wasm.cmake)
#   npm packages         -> node_modules from the committed package-lock.json
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache"
mkdir -p "$cache"

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

apt_packages=(
  cmake ninja-build g++ git python3 dpkg-dev      # native build
  emscripten                                      # WebAssembly build
  libstb-dev nlohmann-json3-dev                   # libraries the core uses
  libwebp-dev pkg-config                          # WebP photos (natively; WebAssembly: from source)
  clang libclang-rt-14-dev                        # sanitizer build and fuzzers (build/native-asan)
  clang-format                                    # the C++ layout check of test.sh (.clang-format)
  webp                                            # cwebp: the WebP photo of the CLI and browser tests
  googletest libgtest-dev                         # tests, native and under node
  fonts-inter                                     # the UI font
  chromium                                        # browser tests
  python3-onnx                                    # bench/float_variants.py (GPU speed runs) and its test
)

# --- apt ---------------------------------------------------------------------------------------
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
# Node 20+ and npm: the machine's own if it has them (Debian's npm conflicts with NodeSource's).
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "setup: need root to apt-get install ${missing[*]}" >&2; exit 1; }
  log "apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- emscripten cache --------------------------------------------------------------------------
# Debian's cache under /usr/share/emscripten is read-only (FROZEN_CACHE); emcc needs a writable one.
if [ ! -f "$cache/emcache/sysroot_install.stamp" ]; then
  log "copying the emscripten cache to .cache/emcache"
  rm -rf "$cache/emcache.tmp"
  cp -r /usr/share/emscripten/cache "$cache/emcache.tmp"
  mv "$cache/emcache.tmp" "$cache/emcache"
fi

# --- SDL2, Dear ImGui and libwebp sources (Debian source packages) ------------------------------
# Emscripten's ports (-sUSE_SDL=2) download from GitHub, which is unreachable: build from Debian's.
# apt-get source needs deb-src entries: the same mirrors, suites and keys as the machine's own deb
# entries (deb822 files and one-line sources.list), whatever mirror it is configured with.
src_list=/etc/apt/sources.list.d/santa-lens-src.sources
deb_src_entries() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ "$f" = "$src_list" ] || [ ! -f "$f" ] && continue
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /(^|\n)Types:([^\n]* )?deb( |\n|$)/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { $1 = ""; print "Types: deb-src\nURIs: " $2 "\nSuites: " $3 "\nComponents:" substr($0, index($0, $4) - 1) "\n" }' "$f"
  done
}
fetch_source() { # $1 source package, $2 version, $3 folder name under .cache/src
  local dir="$cache/src/$3"
  [ -f "$dir/.santa-lens-ok" ] && return 0
  if [ "$(cat "$src_list" 2>/dev/null)" != "$(deb_src_entries)" ]; then
    log "adding deb-src entries for the configured apt sources"
    deb_src_entries > "$src_list"
    apt-get update -q >/dev/null
  fi
  log "apt-get source $1=$2"
  rm -rf "$cache/src/tmp-$3" && mkdir -p "$cache/src/tmp-$3"
  (cd "$cache/src/tmp-$3" && apt-get source -q --download-only "$1=$2" >/dev/null 2>&1 &&
     dpkg-source --no-check -x ./*.dsc out >/dev/null)
  rm -rf "$dir" && mv "$cache/src/tmp-$3/out" "$dir" && rm -rf "$cache/src/tmp-$3"
  touch "$dir/.santa-lens-ok"
}
fetch_source libsdl2 2.26.5+dfsg-1 SDL2-2.26.5
fetch_source imgui 1.86+ds-1 imgui-1.86
fetch_source libwebp 1.2.4-0.2+deb12u1 libwebp-1.2.4

# --- npm ---------------------------------------------------------------------------------------
# --ignore-scripts: onnxruntime-node's post-install step downloads GPU binaries and fails offline;
# its CPU library ships in the package.
lock_sum=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$root/node_modules/.santa-lens-lock" 2>/dev/null)" != "$lock_sum" ]; then
  log "npm ci"
  (cd "$root" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$lock_sum" > "$root/node_modules/.santa-lens-lock"
fi
