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
