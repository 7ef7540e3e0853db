"""What the registered views show is true: their marks add up to sums made by hand from the events,
and a filter changes them both ways (narrowed, then restored)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.query import filters as F
from core.views import registry as views
from tests.factories import make_tables

#: the test's own knowledge, not the product's table: these codes are counted as the state after them
SUCCESSORS = {"SUN": "RUS"}
NAMES = {"RUS": "Russia", "KOR": "South Korea", "PRK": "North Korea"}


def _country(actor: str, countries: dict[str, str]) -> str:
    code = countries.get(actor) or (actor if len(actor) == 3 and actor.isupper() else "")
    return SUCCESSORS.get(code, code)


def _hand_sums(tables: dict[str, pd.DataFrame], keep: pd.Series | None = None) -> dict[str, float]:
    """Σ Goldstein per direction between Russia and each Korea, of the dated events (those kept)."""
    countries = dict(zip(tables["actors"]["actor_id"], tables["actors"]["country"], strict=True))
    sums: dict[str, float] = {}
    events = tables["events"] if keep is None else tables["events"][keep]
    for src, tgt, g, start in zip(events["source_actor"], events["target_actor"], events["goldstein"], events["start_date"], strict=True):
        s, t = _country(str(src), countries), _country(str(tgt), countries)
        if not start or pd.isna(g) or {s, t} not in ({"RUS", "KOR"}, {"RUS", "PRK"}):
            continue
        name = f"{NAMES[s]} → {NAMES[t]}"
        sums[name] = sums.get(name, 0.0) + float(g)
    return sums


def _run(key: str, tables: dict[str, pd.DataFrame], filters: F.Filters) -> views.ViewResult:
    """The view as its page shows it: the tables narrowed by the filters, then its recipe."""
    return views.get(key).run(F.apply(tables, filters), filters)


def _shown(result: views.ViewResult) -> dict[str, float]:
    """Σ of each direction's bars (None: a period without events); a direction the view lists as
    "(no events)" must draw nothing and is left out."""
    out = {}
    for tr in result.figure.data:
        if tr.type != "bar":
            continue
        total = float(sum(v for v in tr.y if v is not None))
        if tr.name.endswith(" (no events)"):
            assert total == 0, tr.name
            continue
        out[tr.name] = total
    return out


@pytest.mark.parametrize("seed", [4, 11, 23])
def test_overview_bars_add_up_to_the_goldstein_of_each_direction(seed: int) -> None:
    tables = make_tables(seed=seed)
    shown = _shown(_run("overview", tables, F.Filters()))
    expected = _hand_sums(tables)
    assert shown.keys() == expected.keys()
    for name, total in expected.items():
        assert shown[name] == pytest.approx(total), name


def test_overview_bars_follow_a_date_filter_both_ways() -> None:
    tables = make_tables(seed=4)
    everything = _shown(_run("overview", tables, F.Filters()))
    narrowed = _shown(_run("overview", tables, F.Filters(start=date(2000, 1, 1), end=date(2000, 12, 31))))
    # the documented rule: an event counts when any day of its span lies in the range
    start = pd.to_datetime(tables["events"]["start_date"], errors="coerce")
    end = pd.to_datetime(
        tables["events"]["end_date"].where(tables["events"]["end_date"] != "", tables["events"]["start_date"]), errors="coerce"
    )
    in_2000 = (start <= "2000-12-31") & (end >= "2000-01-01")
    expected = _hand_sums(tables, in_2000)
    assert narrowed.keys() == expected.keys() and narrowed != everything
    for name, total in expected.items():
        assert narrowed[name] == pytest.approx(total), name
    assert _shown(_run("overview", tables, F.Filters())) == everything  # the filter removed, the first picture again


def test_events_view_lists_exactly_the_events_the_filter_keeps() -> None:
    tables = make_tables(seed=4)
    ev = tables["events"]
    every = _run("events", tables, F.Filters()).rows[0]
    chosen = tuple(sorted(set(ev["event_type"]))[:2])
    kept = _run("events", tables, F.Filters(event_types=chosen)).rows[0]
    by_hand = ev[ev["event_type"].isin(chosen)]
    assert set(kept["event_id"]) == set(by_hand["event_id"]) and 0 < len(kept) < len(every)
    assert set(every["event_id"]) == set(ev["event_id"])
    assert set(_run("events", tables, F.Filters()).rows[0]["event_id"]) == set(every["event_id"])  # and back
