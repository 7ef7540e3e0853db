"""Per-document derived views are declared objects (``DocView``), not ad-hoc tuple keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.extract import pipeline  # (imports every step, so every view is declared)
from core.extract.pipeline import process, to_rows
from core.text.document import DocView
from core.text.reading import read_path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_views_are_declared_once_with_distinct_names() -> None:
    names = [v.name for v in DocView.declared]
    assert len(names) >= 15
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*")) or [None])
def test_an_extraction_fills_the_cache_with_declared_views_only(path: Path | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if path is None:
        pytest.skip("shared/seeds is not beside the checkout")
    kept: list[dict] = []  # the cache as the last step leaves it (process then drops it: pipeline.drop_scratch)
    drop = pipeline.drop_scratch
    monkeypatch.setattr(pipeline, "drop_scratch", lambda doc: (kept.append(dict(doc.cache)), drop(doc)))
    doc = process(read_path(path))
    to_rows(doc)
    assert not doc.cache and not doc.sentence_clauses, "process drops its scratch memos"
    (cache,) = kept
    assert cache, "the steps memoise something on a real article"
    assert all(isinstance(k, DocView) and k in DocView.declared for k in cache), [k for k in cache if not isinstance(k, DocView)]


def test_a_view_is_computed_once_and_can_be_dropped() -> None:
    calls = []
    view: DocView[list[int]] = DocView("test only: a list")
    try:

        class _D:
            def __init__(self) -> None:
                self.cache: dict = {}

            def memo(self, v, make):
                if v not in self.cache:
                    self.cache[v] = make()
                return self.cache[v]

        d = _D()
        make = lambda: calls.append(1) or [1, 2]  # noqa: E731
        assert view.of(d, make) == [1, 2] and view.of(d, make) == [1, 2] and len(calls) == 1
        view.drop(d)
        assert view.get(d) is None
        view.of(d, make)
        assert len(calls) == 2
    finally:
        DocView.declared.remove(view)
