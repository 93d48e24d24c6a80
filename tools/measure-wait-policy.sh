#!/usr/bin/env bash
# Measures how libtorch's OpenMP wait policy affects `nas predict`, `nas eval` and a short `nas train` when the cores
# are shared: CPU time (user + sys) and wall time of each command, spinning (libgomp's default, reproduced with
# GOMP_SPINCOUNT=300000) against passive waiting (what nas uses for these commands), each alone and next to
# competing busy loops started by this script (one per core). See docs/benchmarks.md ("Shared cores").
#
#   tools/measure-wait-policy.sh [WORK_DIR] [REPEATS]     (defaults: a temp folder, 2)
#
# Prints one table row per (command, policy, load) with the median over REPEATS; CPU-time ratios stay meaningful
# on a busy machine, wall times only on quiet cores. NAS_DLL overrides the CLI (default src/Cli/bin/Release/...),
# NAS_MEASURE_COMMANDS the commands measured (default: predict eval train).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/nas-wait-policy.XXXXXX)}"
REPEATS="${2:-2}"
DLL="${NAS_DLL:-$REPO/src/Cli/bin/Release/net10.0/nas.dll}"
CORES="$(nproc)"
[ -f "$DLL" ] || { echo "build first: ./nas build (no $DLL)" >&2; exit 2; }
mkdir -p "$WORK"
nas() { dotnet "$DLL" "$@"; }

LOAD_PIDS=()
stop_load() { local p; for p in "${LOAD_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; LOAD_PIDS=(); }
start_load() { local i; for ((i = 0; i < CORES; i++)); do (while :; do :; done) & LOAD_PIDS+=($!); done; }
trap stop_load EXIT

# Data (64 synthetic scenes 128x256: 24 in the val split) and a checkpoint from one short epoch.
if [ ! -f "$WORK/run/checkpoints/last.ckpt" ]; then
  nas data synth --out "$WORK/data" --count 240 --size 128x256 --seed 3 >/dev/null
  nas train --dataset synthetic --root "$WORK/data" --epochs 1 --limit 16 --batch 4 --crop 128x256 --out "$WORK/run" >/dev/null
fi
ls "$WORK/data/jpgs/rs19_val" | head -24 | sed "s|^|$WORK/data/jpgs/rs19_val/|" >"$WORK/images.txt"
rm -rf "$WORK/images"; mkdir -p "$WORK/images"
xargs -a "$WORK/images.txt" cp -t "$WORK/images"

measure() { # measure NAME POLICY LOAD -- command...: prints "cpu wall" (seconds) of the median run by CPU time
  local name=$1 policy=$2 load=$3 i
  shift 4
  local results=()
  for ((i = 0; i < REPEATS; i++)); do
    rm -rf "$WORK/out"
    [ "$load" = loaded ] && start_load
    local env=(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT)
    [ "$policy" = spin ] && env+=(GOMP_SPINCOUNT=300000)
    local rc=0
    /usr/bin/time -o "$WORK/time.txt" -f '%U %S %e' "${env[@]}" dotnet "$DLL" "$@" >/dev/null 2>"$WORK/cmd.err" || rc=$?
    stop_load
    if [ "$rc" -ne 0 ]; then echo "$name ($policy, $load) failed (exit $rc):" >&2; tail -5 "$WORK/cmd.err" >&2; exit 1; fi
    results+=("$(awk '{ printf "%.1f %.1f", $1 + $2, $3 }' "$WORK/time.txt")")
  done
  printf '%s\n' "${results[@]}" | sort -n | awk -v n="$name" -v p="$policy" -v l="$load" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
    '{ c[NR] = $1; w[NR] = $2 } END { m = int((NR + 1) / 2); printf "| %-8s | %-7s | %-6s | %6.1f | %6.1f | %5s |\n", n, p, l, c[m], w[m], la }'
}

echo "| command  | waiting | load   | CPU s  | wall s | load avg |"
echo "|---|---|---|---:|---:|---:|"
for command in ${NAS_MEASURE_COMMANDS:-predict eval train}; do
  for load in quiet loaded; do
    for policy in spin passive; do
      case "$command" in
        predict) measure predict "$policy" "$load" -- predict --checkpoint "$WORK/run/checkpoints/last.ckpt" --image "$WORK/images" -o "$WORK/out" ;;
        eval) measure eval "$policy" "$load" -- eval --checkpoint "$WORK/run/checkpoints/last.ckpt" --dataset synthetic --root "$WORK/data" --split val --json "$WORK/out/eval.json" ;;
        train) measure train "$policy" "$load" -- train --dataset synthetic --root "$WORK/data" --epochs 1 --limit 16 --batch 4 --crop 128x256 --out "$WORK/out" ;;
        *) echo "unknown command $command (predict, eval, train)" >&2; exit 2 ;;
      esac
    done
  done
done
