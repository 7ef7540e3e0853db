"""benchmarks/delta.py runs end to end on a small corpus and prints the first page after each write
next to the issue's target (a measurement, not a timing test: no figure is checked against a bound)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import delta


def test_the_delta_benchmark_runs_and_prints_the_first_page(tmp_path: Path) -> None:
    out = delta.measure(24, 1, tmp_path)
    text = delta.report(out)
    for op in ("add", "redate", "remove"):
        t = out[op]
        # the first page is the tables, their indexes and the page's data, each way (medians of sums)
        assert t["now_c"] >= t["delta_c"] and t["before_c"] >= t["delta_c"] and t["page_c"] > 0
        assert f"| {op} |" in text
    assert f"≤ {delta.TARGET_MS}" in text and "first page" in text


def test_the_delta_benchmark_times_the_engine_built_and_brought_forward(tmp_path: Path, monkeypatch) -> None:
    """With the pages on the engine, both ways of making the new version's engine are timed (and
    checked to answer alike) and the first page now counts the one brought forward."""
    monkeypatch.setenv("RUSKOR_ENGINE", "engine")
    out = delta.measure(24, 1, tmp_path)
    assert out["engine"]
    for op in ("add", "redate", "remove"):
        t = out[op]
        assert t["engine_c"] > 0 and t["engine_carried_c"] > 0
        assert t["now_c"] >= t["engine_carried_c"] and t["before_c"] >= t["engine_c"]  # each round's sum holds it
    assert "Engine.after_write" in delta.report(out)
