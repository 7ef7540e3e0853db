"""The packed-store benchmark compares like with like and reports what it measured."""

from __future__ import annotations

from pathlib import Path

from benchmarks import packing as bench
from core.storage import packing


def test_the_packing_benchmark_measures_both_stores_and_restores_the_switch(tmp_path: Path) -> None:
    out = bench.measure(6, seed=3, work=tmp_path, rounds=2)
    assert packing.PACK is True  # switched back on after the unpacked rounds
    sizes = out["bytes_per_article"]
    assert 0 < sizes["True"] < sizes["False"]
    assert set(out["write_articles_per_cpu_s"]) == {"True", "False"}
    text = bench.report(out)
    assert f"{sizes['True']:,.0f} B" in text and "6 synthetic articles" in text
