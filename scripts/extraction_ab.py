"""Extraction speed of this tree against another checkout's, timed in small interleaved chunks.

    .venv/bin/python scripts/extraction_ab.py /tmp/old-main [--n 400] [--passes 10] [--chunk 25]

Why beside ``scripts/extraction_vs.sh``: that script times each tree over the whole corpus in a fresh
process, three rounds, and on a shared machine one round can be slowed by a neighbour's burst (its
ratios have scattered from 0.95 to 1.2 at a load of 3 to 9). Here both trees run warm in two
long-lived worker processes, and every chunk of ``--chunk`` articles is extracted by one and then the
other, the first alternating from chunk to chunk, for ``--passes`` passes over the corpus: a burst of
load falls on both sides of a chunk, and the total counts thousands of chunk pairs. CPU seconds of
each worker (``time.process_time``); the corpus (``--n`` synthetic articles) is written once with the
OTHER tree's generator, so both read identical files. It prints the ratio per pass, the total ratio
(old seconds / new seconds: above 1, this tree is faster) and the median of the chunk ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("other", help="the other checkout (with its .venv)")
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--passes", type=int, default=10)
    ap.add_argument("--chunk", type=int, default=25)
    args = ap.parse_args()
    trees = [Path(args.other).resolve(), Path(__file__).resolve().parent.parent]
    work = Path(tempfile.mkdtemp(prefix="extraction-ab-"))
    corpus = work / "corpus"
    code = f"from benchmarks.synthetic import generate; generate({args.n}, seed=1, out_dir={str(corpus)!r})"
    subprocess.run([".venv/bin/python", "-c", code], cwd=trees[0], check=True)
    env = dict(os.environ, PYTHONHASHSEED="0")
    workers = [
        subprocess.Popen(
            [".venv/bin/python", str(Path(__file__).with_name("_extraction_run.py")), "serve", str(corpus)],
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for tree in trees
    ]
    n = min(int(w.stdout.readline()) for w in workers)  # type: ignore[union-attr]
    totals, chunk_ratios, k = [0.0, 0.0], [], 0
    for p in range(args.passes):
        per = [0.0, 0.0]
        for a in range(0, n, args.chunk):
            took = [0.0, 0.0]
            for j in (0, 1) if k % 2 == 0 else (1, 0):
                workers[j].stdin.write(f"{a} {a + args.chunk}\n")  # type: ignore[union-attr]
                workers[j].stdin.flush()  # type: ignore[union-attr]
                took[j] = float(workers[j].stdout.readline())  # type: ignore[union-attr]
            k += 1
            per = [per[0] + took[0], per[1] + took[1]]
            chunk_ratios.append(took[0] / took[1])
        totals = [totals[0] + per[0], totals[1] + per[1]]
        print(f"pass {p + 1}: other {per[0]:.3f} s, this tree {per[1]:.3f} s, ratio {per[0] / per[1]:.3f}", flush=True)
    for w in workers:
        w.stdin.close()  # type: ignore[union-attr]
        w.wait()
    print(
        f"{n} articles x {args.passes} passes, chunks of {args.chunk}: total ratio {totals[0] / totals[1]:.4f} "
        f"(above 1: this tree is faster), median chunk ratio {statistics.median(chunk_ratios):.4f}; "
        f"articles/s per core: other {n * args.passes / totals[0]:.1f}, this tree {n * args.passes / totals[1]:.1f}"
    )
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    sys.exit(main())
