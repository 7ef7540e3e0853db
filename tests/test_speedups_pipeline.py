"""The pipeline pauses the cyclic garbage collector while it extracts (core.extract.pipeline.gc_paused).

Differential: the rows of generated articles are the same with the pause as without it (the plain
way, the collector left on). State: the collector is back on afterwards, also after an exception,
when pauses nest, and when several threads extract at once; a collector switched off by the
caller stays off.
"""

from __future__ import annotations

import gc
import threading

import pytest

from benchmarks.synthetic import generate
from core.extract import pipeline
from core.extract.pipeline import gc_paused, process, to_rows
from core.text.reading import read_path


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list:
    return [read_path(p) for p in generate(12, seed=7, out_dir=tmp_path_factory.mktemp("syn"))]


def _plain_rows(raw) -> dict:
    """process + to_rows without the pause (the inner functions the public ones wrap)."""
    return pipeline._to_rows(pipeline._process(raw, None))


def test_rows_with_the_pause_are_the_plain_rows(generated: list) -> None:
    assert gc.isenabled()
    for raw in generated:
        plain = _plain_rows(raw)
        assert gc.isenabled()
        fast = to_rows(process(raw))
        assert fast == plain
        assert fast["events"]  # the generated articles do hold events


def test_the_collector_is_paused_inside_and_back_after() -> None:
    seen: list[bool] = []
    with gc_paused():
        seen.append(gc.isenabled())
        with gc_paused():
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())  # still inside the outer pause
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_exception() -> None:
    with pytest.raises(ZeroDivisionError), gc_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_threads_extracting_at_once_leave_the_collector_on(generated: list) -> None:
    errors: list[BaseException] = []

    def work(raw) -> None:
        try:
            to_rows(process(raw))
        except BaseException as exc:  # reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(raw,)) for raw in generated[:6]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert gc.isenabled()


def test_rows_kept_as_built_are_what_schema_row_makes(generated: list) -> None:
    """to_rows keeps its dict literals instead of copying each through schema.row: every row still has
    exactly its table's columns, in order, with the same values row() gives."""
    from core.domain.schema import columns, row

    for raw in generated:
        for table, found in to_rows(process(raw)).items():
            for values in found:
                assert list(values) == columns(table) and values == row(table, values), table


def test_rows_of_a_literal_missing_a_column_go_through_schema_row() -> None:
    from core.domain.schema import columns

    cols = columns("found_actors")
    short = {c: "x" for c in cols[:-1]}  # one column left out: row() gives it its default
    fixed = pipeline._checked({"found_actors": [short, dict(short)]})["found_actors"]
    assert [list(r) for r in fixed] == [cols, cols] and fixed[0][cols[-1]] == ""
    with pytest.raises(KeyError):
        pipeline._checked({"found_actors": [{**short, "no such column": 1}]})
