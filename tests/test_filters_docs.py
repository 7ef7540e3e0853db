"""Every filter of the registry is documented, travels in the URL both ways and says what it does.

Table-driven over ``core.query.filters.REGISTRY`` (the shape of Datasette's tests/test_docs.py): a new
filter is checked here without a new test, and fails until README's filter table lists it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.query import filters as F
from core.query import frames
from core.views import images
from tests.factories import make_tables

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TABLES = make_tables(seed=0)
SPECS = {spec.name: spec for spec in F.REGISTRY}


def _filter_section() -> str:
    m = re.search(r"^### Filters\n(.*?)(?=^#{2,3} )", README, flags=re.S | re.M)
    assert m, "README has no '### Filters' section"
    return m.group(1)


def _example(spec: F.FilterSpec) -> F.Filters:
    """The filter set to one or two of its own values in the test corpus (a range inside the span)."""
    if isinstance(spec, F.ListFilter):
        values = spec.options(TABLES)
        assert values, f"{spec.name}: the test corpus offers no value; give tests/factories.py one"
        return F.Filters(**{spec.field_name: tuple(values[-2:])})
    lo, hi = frames.corpus_span(TABLES)
    return F.Filters(start=lo + timedelta(days=40), end=hi - timedelta(days=40))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_docs_every_filter_has_a_row_in_the_readme(name: str) -> None:
    spec = SPECS[name]
    section = _filter_section()
    assert spec.doc.strip(), f"{name} has no doc line"
    row = next((ln for ln in section.splitlines() if ln.startswith(f"| {spec.title} |")), None)
    assert row is not None, f"README's filter table has no row for {spec.title!r}"
    for param in spec.params:
        assert f"`{param}=`" in row, f"{param}= is not in {spec.title}'s row"


def test_registry_names_params_and_widget_keys_are_unique() -> None:
    params = [p for spec in F.REGISTRY for p in spec.params]
    keys = [spec.widget.key for spec in F.REGISTRY]
    assert len(set(params)) == len(params)
    assert len(set(keys)) == len(keys)
    assert len(SPECS) == len(F.REGISTRY)
    assert frozenset(params) == F.FILTER_PARAMS


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_filter_round_trips_from_state_to_url_and_back(name: str) -> None:
    spec = SPECS[name]
    filters = _example(spec)
    params = F.to_query_params(filters)
    assert set(params) == set(spec.params)
    back, notices = F.from_query_params(params, TABLES)
    assert (back, notices) == (filters, [])


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_filter_round_trips_from_url_to_state_and_back(name: str) -> None:
    spec = SPECS[name]
    params = spec.write_params(_example(spec))  # the link as a colleague would paste it
    filters, notices = F.from_query_params(params, TABLES)
    assert notices == []
    assert spec.active(filters)
    assert F.to_query_params(filters) == params


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_filter_says_what_it_does_in_captions_exports_and_file_names(name: str) -> None:
    spec = SPECS[name]
    filters = _example(spec)
    shown = F.apply(TABLES, filters)
    names = frames.actor_names(TABLES["actors"])
    part = spec.words(filters, names)
    assert part and part in images.filters_text(filters, shown)
    assert F.slug(filters, names) != "all"
    assert F.describe(filters, shown) != F.describe(F.Filters(), shown)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_filter_narrows_the_events(name: str) -> None:
    """Some single value of each filter keeps some events but not all (its events mask is wired)."""
    spec = SPECS[name]
    if isinstance(spec, F.ListFilter):
        states = [F.Filters(**{spec.field_name: (v,)}) for v in spec.options(TABLES)]
    else:
        states = [_example(spec)]
    sizes = {len(F.apply(TABLES, f)["events"]) for f in states}
    assert spec.mask("events", TABLES, states[0]) is not None
    assert any(0 < n < len(TABLES["events"]) for n in sizes), f"{name} never narrows the events: {sizes}"


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("dates", {"from": "1999-02-30"}),
        ("actors", {"actor": "nobody"}),
        ("quad_classes", {"quad": "7"}),
        ("event_types", {"type": "dance"}),
        ("topics", {"topic": "fishing"}),
        ("statuses", {"status": "rumoured"}),
        ("agencies", {"agency": "Pravda Weekly"}),
        ("origins", {"origin": "blog"}),
    ],
)
def test_every_filter_turns_a_bad_link_value_into_a_notice(name: str, bad: dict) -> None:
    filters, notices = F.from_query_params(bad, TABLES)
    assert not SPECS[name].active(filters)
    assert len(notices) == 1 and next(iter(bad.values())) in notices[0]


def test_every_filter_has_a_bad_value_case() -> None:
    cases = {n for n, _ in test_every_filter_turns_a_bad_link_value_into_a_notice.pytestmark[0].args[1]}
    assert cases == set(SPECS), "add a bad-link case for the new filter"


def test_example_dates_are_inside_the_span() -> None:
    f = _example(SPECS["dates"])
    lo, hi = frames.corpus_span(TABLES)
    assert lo < f.start < f.end < hi and isinstance(f.start, date)
