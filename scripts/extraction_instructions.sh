#!/usr/bin/env bash
# Extraction cost of this tree against another checkout's, in instructions (valgrind's callgrind), not
# seconds: the count repeats to about 0.01 % from run to run whatever else the machine is doing, so it can
# settle a difference of a few per cent that the timed ratios of scripts/extraction_vs.sh (CPU seconds,
# alternating) cannot tell from the noise of a shared machine. It is a proxy: the same instructions can take
# different times (cache misses, branch prediction); report it beside the timed ratio, not instead of it.
#   scripts/extraction_instructions.sh /tmp/old-main [N_ARTICLES]     (needs Debian's valgrind)
# N synthetic articles (default 100) are made once with the OTHER tree's generator. Each tree runs the same
# script twice under callgrind with PYTHONHASHSEED=0: once extracting the N articles after a warm-up of five,
# once the warm-up alone; the difference, divided by N, is the instructions per article (start-up, imports
# and the lexicons' first build cancel out). About 3 minutes at N=100 (callgrind runs ~50x slower).
set -euo pipefail
NEW=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OLD=$(cd "$1" && pwd)
N=${2:-100}
command -v valgrind >/dev/null || { echo "error: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/extraction-instr-XXXX)
(cd "$OLD" && .venv/bin/python -c "from benchmarks.synthetic import generate; generate($N, seed=1, out_dir='$WORK/corpus')")
count() {  # tree, articles -> instructions of the whole run
  (cd "$1" && PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
     .venv/bin/python "$NEW/scripts/_extraction_run.py" count "$WORK/corpus" "$2" 2>&1 | sed -n 's/.*I *refs: *//p' | tr -d ,)
}
declare -A per
for tree in OLD NEW; do
  dir=${!tree}
  full=$(count "$dir" "$N")
  base=$(count "$dir" 0)
  per[$tree]=$(( (full - base) / N ))
  echo "$tree ($dir): $(( full - base )) instructions for $N articles, ${per[$tree]} per article"
done
python3 -c "print(f\"instructions per article, new / old: {${per[NEW]} / ${per[OLD]}:.4f} (below 1: this tree does less work)\")"
