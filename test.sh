#!/usr/bin/env bash
# test.sh: every test of santa-lens, from a fresh clone: installs what is missing, builds, makes
# the default model when it is missing or stale, then runs
#   0. the layout check of C++ and JS         (clang-format and prettier: fails on any difference),
#      and the core's one-way dependencies    (tools/check_includes.sh)
#   1. the GoogleTest suite natively under ASan + UBSan (clang, Debug, asserts on), and each fuzz
#      target for 15 s                        (ctest, build/native-asan)
#   2. the same suite as WebAssembly in node  (ctest, build/wasm: the core the app and CLI run)
#   3. the Node tests: converter vs a reference forward pass, CLI, model accuracy (node --test)
#   4. the browser tests in headless Chromium (node --test tests/e2e)
set -euo pipefail
cd "$(dirname "$0")"
started=$SECONDS
tools/setup.sh
tools/build.sh
echo "== setup and builds took $((SECONDS - started)) s"

status=0
run() {
  echo "== $*"
  local t=$SECONDS
  "$@" || status=1
  echo "== took $((SECONDS - t)) s: $*"
}
run bash -c "git ls-files -z '*.cpp' '*.h' | xargs -0 clang-format --dry-run --Werror"
run bash -c "git ls-files -z '*.mjs' '*.js' | xargs -0 node_modules/.bin/prettier --check --log-level warn"
run tools/check_includes.sh
run ctest --test-dir build/native-asan --output-on-failure -j 2
run ctest --test-dir build/wasm --output-on-failure -j 2
# A test file that hangs fails after 10 minutes instead of stalling the run. The Node test files
# run two at a time (much of their time is one core's); the browser tests one at a time, as some
# time the page.
run node --test --test-reporter=spec --test-timeout=600000 --test-concurrency=2 tests/node/
run node --test --test-reporter=spec --test-timeout=600000 tests/e2e/
echo "== test.sh took $((SECONDS - started)) s"
exit $status
