#!/usr/bin/env bash
# Speed and output of this tree's extraction against another checkout's (e.g. an older commit):
#   git worktree add /tmp/old-main 8c137a2 && ln -s "$PWD/.venv" /tmp/old-main/.venv
#   scripts/extraction_vs.sh /tmp/old-main [N_ARTICLES]
# 1. N synthetic articles (default 400) are generated once, with the OTHER tree's generator, so both
#    read identical files; pure extraction (core.extract.pipeline.process + to_rows, CPU time) is timed in
#    old/new pairs, three rounds, and the ratio new/old printed (above 1: this tree is faster).
# 2. `python -m core export` of ../shared/seeds, the dev-real articles and the synthetic corpus from
#    both trees, compared byte for byte (a speed-up must leave every CSV as it was). Only the speed
#    part is meaningful against a commit whose extraction differs on purpose.
set -euo pipefail
NEW=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OLD=$(cd "$1" && pwd)
N=${2:-400}
WORK=$(mktemp -d /tmp/extraction-vs-XXXX)
(cd "$OLD" && .venv/bin/python -c "from benchmarks.synthetic import generate; generate($N, seed=1, out_dir='$WORK/corpus')")
for i in 1 2 3; do
  o=$(cd "$OLD" && .venv/bin/python "$NEW/scripts/_extraction_run.py" rate "$WORK/corpus")
  n=$(cd "$NEW" && .venv/bin/python "$NEW/scripts/_extraction_run.py" rate "$WORK/corpus")
  echo "round $i: old $o articles/s, new $n articles/s, ratio $(python3 -c "print(round($n / $o, 3))")"
done
uptime
for tree in OLD NEW; do
  dir=${!tree}
  (cd "$dir" && for src in "$NEW/../shared/seeds" "$NEW/../shared/eval/dev-real/articles" "$WORK/corpus"; do
     .venv/bin/python -m core export "$src" --out "$WORK/$tree/$(basename "$src")" >/dev/null 2>&1; done)
done
diff -r "$WORK/OLD" "$WORK/NEW" && echo "exports identical: $(find "$WORK/NEW" -name '*.csv' | wc -l) CSV files"
