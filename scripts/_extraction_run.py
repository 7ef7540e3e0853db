"""Extraction over a folder of articles, run with the working directory set to the checkout to measure
(this tree or an older one: its ``core`` is imported from there, layered or flat). The one runner the
comparison scripts share (``extraction_vs.sh``, ``extraction_instructions.sh``, ``extraction_ab.py``):

    python _extraction_run.py rate CORPUS       # articles per CPU second over the corpus, after a warm-up of five
    python _extraction_run.py count CORPUS N    # a warm-up of five, then N articles (run under callgrind)
    python _extraction_run.py serve CORPUS      # warm-up of twenty, then per stdin line "A B": CPU seconds of articles A..B
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())
try:  # the layered core (core/extract, core/text) ...
    from core.extract.pipeline import process, to_rows
    from core.text.reading import read_bytes
except ImportError:  # ... or an older checkout's flat one
    from core.pipeline import process, to_rows
    from core.reading import read_bytes


def _extract(raws: list) -> None:
    for r in raws:
        to_rows(process(r))


def main(mode: str, corpus: str, *rest: str) -> None:
    raws = [read_bytes(p.read_bytes(), p.name) for p in sorted(Path(corpus).glob("*.txt"))]
    if mode == "rate":
        _extract(raws[:5])
        c = time.process_time()
        _extract(raws)
        print(f"{len(raws) / (time.process_time() - c):.2f}")
    elif mode == "count":
        _extract(raws[:5])
        _extract(raws[: int(rest[0])])
    elif mode == "serve":
        _extract(raws[:20])
        print(len(raws), flush=True)
        for line in sys.stdin:
            a, b = map(int, line.split())
            c = time.process_time()
            _extract(raws[a:b])
            print(f"{time.process_time() - c:.6f}", flush=True)
    else:
        raise SystemExit(f"unknown mode {mode!r}: rate, count or serve")


if __name__ == "__main__":
    main(*sys.argv[1:])
