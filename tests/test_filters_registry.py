"""The FilterSpec registry against the code it replaced (tests/legacy/filters_v1.py, frozen).

Same filter state in, same bytes out: URL params both ways, notices, captions (``describe``), the
export line (``filters_text``), file-name slugs, options and every filtered table. Filter states are
drawn from each corpus's own options plus values that are not there, so stale and bad values count.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.query import filters as F
from core.query import frames
from core.views import images
from tests.factories import empty_tables, make_tables
from tests.legacy import filters_v1 as OLD

CORPORA = {"seed0": make_tables(seed=0), "seed3": make_tables(seed=3, n_articles=9, n_events=70), "empty": empty_tables()}
NAMES = {k: frames.actor_names(t["actors"]) for k, t in CORPORA.items()}
_POOL = {name: sorted(set(vals for t in CORPORA.values() for vals in F.options(t)[name]), key=str) for name in F.options(CORPORA["seed0"])}
_EXTRA = {
    "actors": ["nobody", "Igor Sergeev"],
    "quad_classes": [],
    "event_types": ["dance"],
    "topics": ["fishing"],
    "statuses": [],
    "agencies": ["Pravda Weekly"],
    "origins": [],
}


def _old(f: F.Filters) -> OLD.Filters:
    return OLD.Filters(**asdict(f))


def _as_new(f: OLD.Filters) -> F.Filters:
    return F.Filters(**asdict(f))


_dates = st.one_of(st.none(), st.dates(min_value=date(1985, 1, 1), max_value=date(2008, 12, 31)))


@st.composite
def filter_states(draw: st.DrawFn) -> F.Filters:
    kwargs: dict[str, object] = {"start": draw(_dates), "end": draw(_dates)}
    for name, pool in _POOL.items():
        kwargs[name] = tuple(draw(st.lists(st.sampled_from(pool + _EXTRA[name]), max_size=3, unique=True)))
    return F.Filters(**kwargs)  # type: ignore[arg-type]


def _same_tables(new: dict[str, pd.DataFrame], old: dict[str, pd.DataFrame]) -> None:
    assert set(new) == set(old)
    for name in old:
        assert list(new[name].index) == list(old[name].index), name


def _one_filter_states() -> list[F.Filters]:
    """Every filter alone, with each of its values and a pair: a difference cannot hide behind another filter."""
    out = [
        F.Filters(),
        F.Filters(start=date(1999, 6, 1)),
        F.Filters(end=date(2000, 3, 1)),
        F.Filters(start=date(1999, 6, 1), end=date(2000, 3, 1)),
        F.Filters(start=date(1970, 1, 1), end=date(2040, 1, 1)),
    ]
    for name, pool in _POOL.items():
        vals = pool + _EXTRA[name]
        out += [F.Filters(**{name: (v,)}) for v in vals]
        out.append(F.Filters(**{name: tuple(vals[-2:])}))
    return out


@pytest.mark.parametrize("corpus", sorted(CORPORA))
@pytest.mark.parametrize("filters", _one_filter_states(), ids=repr)
def test_each_filter_alone_matches_the_code_it_replaced(corpus: str, filters: F.Filters) -> None:
    _check_same(corpus, filters)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
@given(filters=filter_states())
@settings(max_examples=60, deadline=None)
def test_registry_outputs_match_the_code_it_replaced(corpus: str, filters: F.Filters) -> None:
    _check_same(corpus, filters)


def _check_same(corpus: str, filters: F.Filters) -> None:
    tables, names = CORPORA[corpus], NAMES[corpus]
    old = _old(filters)
    assert F.to_query_params(filters) == OLD.to_query_params(old)
    assert F.slug(filters, names) == OLD.slug(old, names)
    assert F.slug(filters) == OLD.slug(old)
    params = F.to_query_params(filters)
    for given_tables in (None, tables):
        new_f, new_notes = F.from_query_params(params, given_tables)
        old_f, old_notes = OLD.from_query_params(params, given_tables)
        assert (asdict(new_f), new_notes) == (asdict(old_f), old_notes)
    new_out, old_out = F.apply(tables, filters), OLD.apply(tables, old)
    _same_tables(new_out, old_out)
    assert F.describe(filters, new_out) == OLD.describe(old, old_out)
    assert images.filters_text(filters, new_out) == OLD.filters_text(old, old_out)
    assert F.clamp_dates(filters, frames.corpus_span(tables)) == (
        _as_new(OLD.clamp_dates(old, OLD.corpus_span(tables))[0]),
        OLD.clamp_dates(old, OLD.corpus_span(tables))[1],
    )


_raw_value = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.lists(st.text(max_size=10), max_size=4),
    st.sampled_from(["1999-05-01", "2000-02-30", "1,2", "4, 9", "occurred,denied", "KOR", "AP"]),
)


@pytest.mark.parametrize("corpus", ["seed0", None])
@given(params=st.dictionaries(st.sampled_from([*sorted(F.FILTER_PARAMS), "x", "article"]), _raw_value, max_size=6))
@settings(max_examples=150, deadline=None)
def test_registry_reads_hand_written_links_as_before(corpus: str | None, params: dict) -> None:
    tables = CORPORA[corpus] if corpus else None
    new_f, new_notes = F.from_query_params(params, tables)
    old_f, old_notes = OLD.from_query_params(params, tables)
    assert (asdict(new_f), new_notes) == (asdict(old_f), old_notes)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_registry_options_and_span_match_before(corpus: str) -> None:
    tables = CORPORA[corpus]
    assert F.options(tables) == OLD.options(tables)
    assert frames.corpus_span(tables) == OLD.corpus_span(tables)
    assert F.FILTER_PARAMS == OLD.FILTER_PARAMS
