#!/usr/bin/env bash
# fuzz/long_run.sh: the long fuzzing runs that docs/fuzzing.md records: each target in turn until
# it has run RUNS inputs or SECONDS have passed, on its seeds and the corpus kept so far; then
# one Markdown table row per target with what libFuzzer reported.
#
#   fuzz/long_run.sh [RUNS [SECONDS [TARGET...]]]   (defaults: 10000000, 14400, every target)
#
# Logs go to build/native-asan/fuzz/long/TARGET.log; failing inputs beside the corpus
# (build/native-asan/fuzz/corpus/TARGET.crashes/). Build first: tools/build.sh.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/build/native-asan/fuzz"
runs=${1:-10000000}
seconds=${2:-14400}
shift $(( $# < 2 ? $# : 2 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(photo tfjs_model head model_card options)
mkdir -p "$dir/long"

echo "| target | executions | seconds | exec/s | cov | ft | corpus | crashes | leaks | exit |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for t in "${targets[@]}"; do
  log="$dir/long/$t.log"
  start=$(date +%s)
  # -timeout=600: a long run shares the machine with other work for hours, and an input starved
  # of CPU there for a minute is not a hang (two such reports, re-run alone, took 0.6 s and 2 s:
  # docs/fuzzing.md); ten minutes still catches one.
  "$root/fuzz/run.sh" "$dir/fuzz_$t" "$seconds" "$dir/seeds/$t" "$dir/corpus/$t" -runs="$runs" -timeout=600 >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  stat() { grep -o "stat::$1: *[0-9]*" "$log" | grep -o '[0-9]*$' | tail -1; }
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*$')
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*$')
  corpus=$(grep -o 'corp: [0-9]*/[0-9A-Za-z]*' <<<"$last" | cut -d' ' -f2)
  crashes=$(find "$dir/corpus/$t.crashes" -type f ! -name 'leak-*' | wc -l)
  leaks=$(find "$dir/corpus/$t.crashes" -type f -name 'leak-*' | wc -l)
  echo "| $t | $(stat number_of_executed_units) | $took | $(stat average_exec_per_sec) | $cov | $ft | $corpus | $crashes | $leaks | $rc |"
done
