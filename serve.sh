#!/usr/bin/env bash
# serve.sh: installs what is missing, builds the app and the CLI (not the tests), makes the model
# if it is missing or stale, serves the app at http://127.0.0.1:${1:-8080}/ (tools/serve.mjs;
# Ctrl+C stops it).
set -euo pipefail
cd "$(dirname "$0")"
tools/setup.sh
tools/build.sh app
exec node tools/serve.mjs "${1:-8080}"
