#!/usr/bin/env bash
# The deployment-precision measurements of issue 13 for docs/benchmarks.md, in one script (run it on a quiet machine:
# the timings are only meaningful when nothing else runs). Writes OUT/ (default deploy-bench/) with every table.
#   tools/deploy-bench.sh [OUT]
# Environment: SIZE (default 512x1024), TRAIN_SIZE (256x512), IMAGES (synthetic scenes, 240), EPOCHS (6),
# THREADS (2), NETWORKS (squeezenas-mac-small,squeezenas-lat-small; add two zoo networks once they exist).
#  1. FP32 vs INT8 whole-network latency, ratio within one run      (nas bench precision)
#  2. FP32 vs INT8 mIoU on the synthetic validation split after short training (nas train, export --int8, eval --onnx)
#  3. FP32 and INT8 tables of the Small space, their fidelity       (nas lut profile --precision, nas lut check)
#  4. how INT8 latency of the candidate ops differs from FP32, and whether the ranking changes (nas lut compare)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-deploy-bench}"
SIZE="${SIZE:-512x1024}" TRAIN_SIZE="${TRAIN_SIZE:-256x512}" IMAGES="${IMAGES:-240}" EPOCHS="${EPOCHS:-6}" THREADS="${THREADS:-2}"
NETWORKS="${NETWORKS:-squeezenas-mac-small,squeezenas-lat-small}"
export NAS_NO_PROGRESS=1
NAS="$ROOT/nas"
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*" | tee -a "$OUT/log.txt" >&2; }

step "1. latency FP32 vs INT8 at $SIZE ($THREADS threads)"
"$NAS" bench precision --networks "$NETWORKS" --input "$SIZE" --precisions fp32,int8 --threads "$THREADS" --runs 20 --json "$OUT/latency.json" | tee "$OUT/latency.txt"

step "2. mIoU FP32 vs INT8 after short training ($IMAGES scenes at $TRAIN_SIZE, $EPOCHS epochs)"
[ -f "$OUT/synth/rs19-config.json" ] || "$NAS" data synth --out "$OUT/synth" --count "$IMAGES" --size "$TRAIN_SIZE" --seed 0
H="${TRAIN_SIZE%x*}" W="${TRAIN_SIZE#*x}"
for net in ${NETWORKS//,/ }; do
  run="$OUT/train-$net"
  [ -f "$run/checkpoints/best.ckpt" ] || "$NAS" train --arch "$net" --dataset synthetic --root "$OUT/synth" --crop "$TRAIN_SIZE" --epochs "$EPOCHS" --batch 4 --threads "$THREADS" --out "$run" --force
  "$NAS" export onnx --checkpoint "$run/checkpoints/best.ckpt" --input "1x3x${H}x${W}" -o "$OUT/$net-fp32.onnx"
  "$NAS" export onnx --checkpoint "$run/checkpoints/best.ckpt" --input "1x3x${H}x${W}" -o "$OUT/$net-int8.onnx" --int8 \
    --calibration-dataset synthetic --calibration-root "$OUT/synth" --calibration-split train --calibration-images 32 --verify | tee "$OUT/$net-int8-verify.txt"
  for p in fp32 int8; do
    "$NAS" eval --onnx "$OUT/$net-$p.onnx" --dataset synthetic --root "$OUT/synth" --split val --threads "$THREADS" --json "$OUT/$net-$p-eval.json" | tail -n 1 | tee "$OUT/$net-$p-eval.txt"
  done
done

step "3. Small-space tables at $SIZE: FP32 and INT8, and their fidelity (20 networks each)"
for p in fp32 int8; do
  "$NAS" lut profile --space small --input "$SIZE" --threads "$THREADS" --precision "$p" -o "$OUT/small-$SIZE-$p.csv"
  "$NAS" lut check --table "$OUT/small-$SIZE-$p.csv" --samples 20 -o "$OUT/check-$p" | tee "$OUT/check-$p.txt"
done

step "4. candidate ops: INT8 vs FP32"
"$NAS" lut compare "$OUT/small-$SIZE-fp32.csv" "$OUT/small-$SIZE-int8.csv" --json "$OUT/compare.json" | tee "$OUT/compare.txt"
printf '\ndeploy-bench: results in %s\n' "$OUT" >&2
