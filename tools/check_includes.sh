#!/usr/bin/env bash
# tools/check_includes.sh: the core's dependencies run one way, as core/CMakeLists.txt states
# them. Fails, naming the line, when a file includes a subsystem its own may not use, another
# subsystem's detail/, or anything of wasm/.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A allowed=(
  [base]="base"
  [image]="base image"
  [model]="base image model"
  [explain]="base image model explain"
  [audit]="base image model audit"
)
status=0
for sub in "${!allowed[@]}"; do
  while IFS=: read -r file line text; do
    target=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$text")
    case $target in
      wasm/*) ;;
      core/*)
        to=$(cut -d/ -f2 <<<"$target")
        if [[ " ${allowed[$sub]} " == *" $to "* ]] && { [ "$to" = "$sub" ] || [[ $target != */detail/* ]]; }; then
          continue
        fi ;;
      *) continue ;;
    esac
    echo "$file:$line: core/$sub may not include $target" >&2
    status=1
  done < <(grep -n '#include "' -r "core/$sub" --include='*.h' --include='*.cpp' || true)
done
exit $status
