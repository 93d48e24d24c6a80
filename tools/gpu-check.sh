#!/usr/bin/env bash
# GPU check for ONNX Runtime's CUDA and TensorRT providers (issue 13). On a machine with an NVIDIA GPU, in under
# 8 minutes: builds the GPU variant (-p:NasOrtGpu=true), profiles the Small space table at 512x1024 on the CUDA
# provider (and TensorRT where its libraries exist, within a time budget: the table resumes on a rerun, the
# engine cache keeps built engines), runs 'lut check' with 20 samples, times every network of 'nas arch list' at
# FP32 and FP16, and writes one results file (OUT/results.md, default gpu-check/results.md).
#   tools/gpu-check.sh [OUT]
# Environment: GPU_CHECK_DRY_RUN=1 prints the steps without running them; GPU_CHECK_TRT_BUDGET=seconds (default 150).
# Without an NVIDIA GPU it stops at once with exit code 2 and says why.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-gpu-check}"
RESULTS="$OUT/results.md"
CLI_DIR="$OUT/cli"
INPUT=512x1024
TRT_BUDGET="${GPU_CHECK_TRT_BUDGET:-150}"
DRY="${GPU_CHECK_DRY_RUN:-0}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NAS_NO_PROGRESS=1

fail() { printf 'gpu-check: %s\n' "$*" >&2; exit 2; }

command -v nvidia-smi >/dev/null 2>&1 || fail "no NVIDIA GPU here: nvidia-smi is not on PATH (run this on a machine with an NVIDIA GPU and its driver; CPU-only machines need nothing from it)"
GPU="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -n 1 || true)"
[ -n "$GPU" ] || fail "nvidia-smi found no usable GPU (driver not loaded or no device visible)"
command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK 10 is required but 'dotnet' is not on PATH"

run() {
  # run TITLE COMMAND...: runs a step, appends its output to the results file, keeps going on failure.
  local title="$1"; shift
  printf '\n## %s\n```\n$ %s\n' "$title" "$*" >>"$RESULTS"
  if [ "$DRY" = 1 ]; then
    printf '(dry run)\n```\n' >>"$RESULTS"; printf 'would run: %s\n' "$*"; return 0
  fi
  local start=$SECONDS rc=0
  "$@" >>"$RESULTS" 2>&1 || rc=$?
  printf '```\n(exit %d, %d s)\n' "$rc" "$((SECONDS - start))" >>"$RESULTS"
  printf 'gpu-check: %s: exit %d (%d s)\n' "$title" "$rc" "$((SECONDS - start))" >&2
  return 0
}

mkdir -p "$OUT"
{
  printf '# GPU check (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf -- '- GPU: %s\n- host: %s, %s logical cores\n- commit: %s\n' "$GPU" "$(uname -srm)" "$(nproc)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$RESULTS"

NAS=(dotnet "$CLI_DIR/nas.dll")
run "build (GPU variant)" dotnet build "$ROOT/src/Cli/Nas.Cli.csproj" -c Release -p:NasOrtGpu=true -o "$CLI_DIR" --nologo -v quiet -clp:ErrorsOnly
run "lut profile, CUDA, FP32" "${NAS[@]}" lut profile --space small --input "$INPUT" --provider cuda --threads 1 --warmup 5 --runs 20 -o "$OUT/small-$INPUT-cuda.csv"
run "lut check, CUDA, 20 samples" "${NAS[@]}" lut check --table "$OUT/small-$INPUT-cuda.csv" --samples 20 -o "$OUT/check-cuda"
run "whole networks, CUDA, FP32 vs FP16" "${NAS[@]}" bench precision --networks all --input "$INPUT" --precisions fp32,fp16 --provider cuda --threads 1 --runs 20 --json "$OUT/networks-cuda.json"
if ldconfig -p 2>/dev/null | grep -q 'libnvinfer\.so' || [ -n "$(find ${LD_LIBRARY_PATH//:/ } -maxdepth 1 -name 'libnvinfer.so*' 2>/dev/null | head -n 1)" ]; then
  run "lut profile, TensorRT, FP16 (budget ${TRT_BUDGET} s; resumes on rerun)" timeout "$TRT_BUDGET" "${NAS[@]}" lut profile --space small --input "$INPUT" --provider tensorrt --precision fp16 --trt-cache "$OUT/trt-cache" --threads 1 --warmup 3 --runs 10 -o "$OUT/small-$INPUT-trt-fp16.csv"
  run "whole networks, TensorRT" timeout "$TRT_BUDGET" "${NAS[@]}" bench precision --networks squeezenas-mac-small,squeezenas-lat-small --input "$INPUT" --precisions fp32,fp16 --provider tensorrt --trt-cache "$OUT/trt-cache" --threads 1 --runs 20
else
  printf '\n## TensorRT\nskipped: libnvinfer.so (TensorRT) is not on the library path\n' >>"$RESULTS"
fi
printf '\ngpu-check: results in %s\n' "$RESULTS" >&2
