#!/usr/bin/env bash
# tools/ensure_model.sh: runs `santa-lens model build` when a model variant is missing
# (assets/santa_resnet50{,_int8,_w8}.onnx) or older than what it is made
# from: the head, and the core that converts and quantizes it.
set -euo pipefail
cd "$(dirname "$0")/.."
for model in assets/santa_resnet50.onnx assets/santa_resnet50_int8.onnx assets/santa_resnet50_w8.onnx; do
  if [ ! -f "$model" ] || [ assets/santa_head.bin -nt "$model" ] || [ build/wasm/wasm/bindings/santa_lens_node.wasm -nt "$model" ]; then
    exec ./tools/santa-lens model build
  fi
done
