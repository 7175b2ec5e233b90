#!/bin/sh
# bench/gpu_run.sh PAYLOAD OUTDIR [webgpu_node.mjs options...]: run from the repo root on a
# machine with a GPU, no browser and no network, with the folder bench/gpu_payload.mjs
# packed. Unpacks it, makes the float variants of its model (the app's on WebGPU:
# float_variants.py; needs python3 with onnx and numpy, or $PYTHON), and times ONNX Runtime
# Web's WebGPU EP on the three with webgpu_node.mjs: OUTDIR/webgpu.json, and the log beside it.
set -eu
payload=$1
out=$2
shift 2
work=$(mktemp -d)
mkdir -p "$out"

unpack() {  # FILE.xz DEST
  xz -dc "$1" >"$2" 2>/dev/null ||
    python3 -c 'import lzma, sys; sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())' "$1" >"$2"
}
unpack "$payload/node.xz" "$work/node"
chmod +x "$work/node"
cp -r "$payload/webgpu" "$work/webgpu"
unpack "$work/webgpu/dist/linux-x64/dawn.node.xz" "$work/webgpu/dist/linux-x64/dawn.node"
mkdir "$work/ort"
for f in "$payload"/ort/*; do
  case $f in
    *.xz) unpack "$f" "$work/ort/$(basename "$f" .xz)" ;;
    *) cp "$f" "$work/ort/" ;;
  esac
done
unpack "$payload/model.onnx.xz" "$work/app.onnx"
unpack "$payload/input.f32.xz" "$work/input.f32"

# Dawn loads libvulkan.so.1; bring Debian's (with glvnd, which NVIDIA's driver links against)
# where the machine has none, and point the loader at NVIDIA's manifest where it sits outside
# the usual folders.
if ! ldconfig -p | grep -q 'libvulkan.so.1 '; then
  for d in "$payload"/debs/*.deb; do dpkg -x "$d" "$work/gl"; done
  export LD_LIBRARY_PATH="$work/gl/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
if ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
  icd=$(find /usr/local/nvidia /usr/lib/x86_64-linux-gnu/nvidia -name 'nvidia_icd*.json' 2>/dev/null | head -1)
  [ -n "$icd" ] && export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$work}"

{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || true
  echo "Vulkan driver: ${VK_DRIVER_FILES:-the system's}"
  "${PYTHON:-python3}" bench/float_variants.py "$work/app.onnx" "$work"
  "$work/node" bench/webgpu_node.mjs --webgpu "$work/webgpu" --ort "$work/ort" --inputs "$work/input.f32" --json "$@" \
    app="$work/app.onnx" fp32="$work/fp32.onnx" fp16="$work/fp16.onnx" >"$out/webgpu.json"
} 2>&1 | tee "$out/webgpu.log"
rm -rf "$work"
