#!/usr/bin/env bash
# tools/ensure_model.sh: runs `santa-lens model build` when assets/santa_resnet50.onnx is missing
# or older than what it is made from (the head, the card's inputs, the core).
set -euo pipefail
cd "$(dirname "$0")/.."
model=assets/santa_resnet50.onnx
if [ ! -f "$model" ] || [ assets/santa_head.bin -nt "$model" ] || [ build/wasm-node/wasm/santa_lens_node.wasm -nt "$model" ]; then
  ./tools/santa-lens model build
fi
