"""Benchmark of the packed store (schema 5, :mod:`core.storage.packing`): bytes saved, write time paid.

``python -m benchmarks --packing [--n N]`` extracts N synthetic articles once, then writes them into
fresh stores with packing on and off, alternating, three rounds (CPU seconds of
:func:`core.io.ingest.write_extracted`, the bulk ingest's writer, best of three), reads each store back
(``Store.load_raw``), and measures each store's bytes per article after ``VACUUM`` (SQLite's
``dbstat``). It checks the two stores read back the same frames, so the figure compares like with like.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def _bytes_per_article(path: Path) -> float:
    from core.storage.store import Store

    store = Store(path)
    store.vacuum()
    return sum(store.page_bytes().values()) / max(store.article_count(), 1)


def measure(n: int, seed: int, work: Path, rounds: int = 3) -> dict[str, Any]:
    import pandas as pd

    from benchmarks.synthetic import generate
    from core.domain.schema import DERIVED_TABLES
    from core.io.ingest import extract_raw, write_extracted
    from core.storage import packing
    from core.storage.store import Store
    from core.text.reading import read_bytes

    paths = generate(n, seed=seed, out_dir=work / "packing-corpus")
    extracted = [(p.name, extract_raw(read_bytes(p.read_bytes(), p.name))) for p in paths]
    write: dict[bool, list[float]] = {True: [], False: []}
    read: dict[bool, list[float]] = {True: [], False: []}
    raw: dict[bool, dict[str, pd.DataFrame]] = {}
    size: dict[bool, float] = {}
    try:
        for r in range(rounds):
            for pack in (True, False) if r % 2 else (False, True):
                packing.PACK = pack
                db = work / f"packing-{pack}-{r}.sqlite"
                for f in db.parent.glob(db.name + "*"):
                    f.unlink()
                store = Store(db)
                with store.connect() as con:
                    c0 = time.process_time()
                    results = write_extracted(store, extracted, con)
                    write[pack].append(time.process_time() - c0)
                assert all(x.status == "added" for x in results), "the benchmark corpus must go in whole"
                c0 = time.process_time()
                raw[pack] = store.load_raw()
                read[pack].append(time.process_time() - c0)
                if r == 0:
                    size[pack] = _bytes_per_article(db)
    finally:
        packing.PACK = True
    for table in DERIVED_TABLES:
        pd.testing.assert_frame_equal(raw[True][table], raw[False][table])
    return {
        "articles": n,
        "write_articles_per_cpu_s": {str(k): n / min(v) for k, v in write.items()},
        "write_ratio_packed_over_plain": min(write[True]) / min(write[False]),
        "read_ratio_packed_over_plain": min(read[True]) / min(read[False]),
        "bytes_per_article": {str(k): v for k, v in size.items()},
    }


def report(out: dict[str, Any]) -> str:
    w, b = out["write_articles_per_cpu_s"], out["bytes_per_article"]
    return "\n".join(
        [
            f"packed store, {out['articles']:,} synthetic articles (best of 3, alternating; same frames read back: checked)",
            f"  store per article after VACUUM: unpacked {b['False']:,.0f} B, packed {b['True']:,.0f} B ({b['True'] / b['False']:.2f}x)",
            f"  writes: unpacked {w['False']:,.0f}, packed {w['True']:,.0f} articles per CPU second "
            f"(time ratio packed/unpacked {out['write_ratio_packed_over_plain']:.2f})",
            f"  load_raw time ratio packed/unpacked {out['read_ratio_packed_over_plain']:.2f}",
        ]
    )
