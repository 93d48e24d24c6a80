#!/usr/bin/env bash
# Before/after timing of the hot paths in one run: supernet steps (`nas bench search`, soft and single-path) and
# training steps (`nas bench data`, its "training" row) of two clones, interleaved round by round so that both builds
# meet the same machine state. Both run with the same OpenMP wait policy.
#   tools/bench-redesign.sh BEFORE_CLONE [ROUNDS] [OUT_DIR]
# Prints each round's numbers and the median ratio after/before (below 1: the current clone is faster).
set -euo pipefail
before=$(cd "${1:?usage: tools/bench-redesign.sh BEFORE_CLONE [ROUNDS] [OUT_DIR]}" && pwd)
rounds=${2:-3}
out=${3:-bench-redesign}
after=$(cd "$(dirname "$0")/.." && pwd)
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
  for side in before after; do
    dir=$before; [ "$side" = after ] && dir=$after
    (cd "$dir" && ./nas bench search --input 128x256 --batch 2 --steps 8 --threads 2) > "$out/search-$side-$r.txt" 2>&1
    (cd "$dir" && ./nas bench data --input 256x512 --workers 2 --batches 6 --batch 2 --threads 2) > "$out/data-$side-$r.txt" 2>&1
  done
done
python3 - "$out" "$rounds" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def cells(path, label):
    for line in open(path, encoding='utf-8'):
        parts = [p.strip() for p in re.split(r'[│|]', line) if p.strip()]
        if parts and (parts[0] == label or (label in ('training', 'soft') and parts[0].startswith(label))):
            return parts
    raise SystemExit(f'{path}: no row {label!r}')
for kind, label, col, what in [('search', 'single-path', 1, 's/step'), ('search', 'soft', 1, 's/step'), ('data', 'training', 1, 'images/s')]:
    vals = {s: [float(cells(f'{out}/{kind}-{s}-{r}.txt', label)[col].replace(',', '')) for r in range(1, rounds + 1)] for s in ('before', 'after')}
    ratios = [a / b for a, b in zip(vals['after'], vals['before'])]
    if what == 'images/s':
        ratios = [1 / x for x in ratios]  # time ratio: after/before
    print(f"{kind} {label}: before {vals['before']} after {vals['after']} ({what}); time ratio after/before per round {[round(x, 3) for x in ratios]}, median {statistics.median(ratios):.3f}")
PY
