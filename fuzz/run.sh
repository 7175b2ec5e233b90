#!/usr/bin/env bash
# fuzz/run.sh: runs one fuzz target for a fixed time on its seeds and its kept corpus; fails,
# with libFuzzer's report, on a crash, a sanitizer report, a leak, a timeout or running out of
# memory. ctest runs it briefly for every target (fuzz/CMakeLists.txt); fuzz/long_run.sh runs it
# for hours and records the figures.
#
#   fuzz/run.sh BINARY SECONDS SEED_DIR CORPUS_DIR [more libFuzzer flags]
#
# New inputs go to CORPUS_DIR; a failing input goes to CORPUS_DIR.crashes/ (crash-*, leak-*,
# timeout-*, oom-*): run `BINARY FILE` to replay it, then make it a unit test (fuzz/README.md).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: fuzz/run.sh BINARY SECONDS SEED_DIR CORPUS_DIR [flags]" >&2; exit 2; }
bin=$1 seconds=$2 seeds=$3 corpus=$4
shift 4
name=$(basename "$bin")
dict="$(dirname "$0")/${name#fuzz_}.dict"
mkdir -p "$corpus" "$corpus.crashes"
# ASan fills every new allocation (the first MB of it) with 0xbe instead of whatever the memory
# held: a read of memory never written then gives the same garbage in every run, so a decoder
# that trusts an undefined table fails at once and reproducibly (stb did, with a JPEG's).
export ASAN_OPTIONS=${ASAN_OPTIONS:-max_malloc_fill_size=1048576}
flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
       -artifact_prefix="$corpus.crashes/")
[ -f "$dict" ] && flags+=(-dict="$dict")
exec "$bin" "${flags[@]}" "$@" "$corpus" "$seeds"
