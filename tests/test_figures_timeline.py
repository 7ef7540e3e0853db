"""core.views.figures.timeline: lanes, status symbols, QuadClass colours, spans, hover, empty input."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from core.views.figures import style, timeline
from tests.factories import empty_tables, make_tables

T = make_tables(seed=1)


def _point_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if t.mode == "markers" and t.customdata is not None]


@pytest.mark.parametrize("lane", ["actor", "type"])
def test_timeline_figure_has_point_traces_with_event_ids(lane: str) -> None:
    fig = timeline.timeline_figure(T["events"], T["actors"], lane=lane)
    traces = _point_traces(fig)
    assert traces
    ids = {c[0] for t in traces for c in t.customdata}
    dated = set(T["events"].loc[T["events"]["start_date"] != "", "event_id"])
    assert ids == dated
    assert fig.layout.yaxis.title.text == ("Actor" if lane == "actor" else "Event type")


def test_timeline_marker_symbols_differ_by_status() -> None:
    fig = timeline.timeline_figure(T["events"], T["actors"], lane="type")
    symbol_of: dict[str, set[str]] = {}
    status_of = dict(zip(T["events"]["event_id"], T["events"]["status"], strict=True))
    for t in _point_traces(fig):
        for cd, sym in zip(t.customdata, t.marker.symbol, strict=True):
            symbol_of.setdefault(status_of[cd[0]], set()).add(sym)
    assert all(len(s) == 1 for s in symbol_of.values())
    symbols = [next(iter(s)) for s in symbol_of.values()]
    assert len(set(symbols)) == len(symbols) == 5
    assert symbol_of["occurred"] == {"circle"}
    assert symbol_of["denied"] != symbol_of["occurred"]


@pytest.mark.parametrize("quad", [1, 2, 3, 4])
def test_timeline_colours_follow_quad_class(quad: int) -> None:
    events = T["events"][T["events"]["quad_class"].astype(int) == quad]
    fig = timeline.timeline_figure(events, T["actors"])
    colours = {t.marker.color for t in _point_traces(fig)}
    assert colours == {style.QUAD_COLORS[quad]}


def test_timeline_draws_date_ranges_as_spans() -> None:
    fig = timeline.timeline_figure(T["events"], T["actors"], lane="type")
    spans = [t for t in fig.data if t.mode == "lines"]
    ranged = T["events"][(T["events"]["end_date"] != "") & (T["events"]["end_date"] > T["events"]["start_date"])]
    assert sum(len([x for x in t.x if x is not None]) // 2 for t in spans) == len(ranged)


def test_timeline_hover_shows_escaped_wrapped_evidence() -> None:
    events = T["events"].copy()
    events.loc[events.index[0], "evidence"] = "A <b>bold</b> claim " + "word " * 40
    fig = timeline.timeline_figure(events.iloc[:1], T["actors"])
    hover = _point_traces(fig)[0].hovertext[0]
    evidence = hover.split("<br><br>", 1)[1]
    assert "&lt;b&gt;" in evidence and "<b>" not in evidence
    assert "<br>" in evidence
    assert "Status: " in hover


def test_timeline_legend_explains_colours_and_shapes() -> None:
    fig = timeline.timeline_figure(T["events"], T["actors"])
    names = {t.name for t in fig.data if t.showlegend}
    assert {"Verbal cooperation", "Material conflict", "occurred", "planned", "denied"} <= names


@pytest.mark.parametrize("events", [empty_tables()["events"], T["events"][T["events"]["start_date"] == ""]])
def test_timeline_empty_input_gives_annotated_figure(events) -> None:
    fig = timeline.timeline_figure(events, T["actors"])
    assert style.is_empty_figure(fig)
    assert any("No" in a.text and "events match" in a.text for a in fig.layout.annotations)


def test_timeline_caps_lanes() -> None:
    fig = timeline.timeline_figure(T["events"], T["actors"], max_lanes=3)
    lanes = {y for t in _point_traces(fig) for y in t.y}
    assert len(lanes) == 3
    assert "smaller lanes not shown" in fig.layout.title.subtitle.text


def test_timeline_title_subtitle_and_source_line() -> None:
    fig = timeline.timeline_figure(T["events"], T["actors"], subtitle="42 events", source="Source: 3 articles")
    assert fig.layout.title.text.startswith("Timeline")
    assert fig.layout.title.subtitle.text.startswith("42 events")
    assert any(a.text == "Source: 3 articles" for a in fig.layout.annotations)


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (None, []),
        ({"points": []}, []),
        ({"points": [{"customdata": ["ev001", "x"]}, {"customdata": ["ev001"]}]}, ["ev001"]),
    ],
)
def test_selected_event_ids_reads_customdata(selection, expected) -> None:
    assert timeline.selected_event_ids(selection) == expected


def test_selected_event_ids_falls_back_to_trace_index() -> None:
    fig = timeline.timeline_figure(T["events"], T["actors"])
    idx = next(i for i, t in enumerate(fig.data) if t.mode == "markers" and t.customdata is not None)
    got = timeline.selected_event_ids({"points": [{"curve_number": idx, "point_index": 0}]}, fig)
    assert got == [fig.data[idx].customdata[0][0]]


@pytest.mark.parametrize("lane", ["actor", "type"])
def test_timeline_many_points_become_monthly_counts(lane: str) -> None:
    events = T["events"]
    fig = timeline.timeline_figure(events, T["actors"], lane=lane, max_points=5)
    bubbles = [t for t in fig.data if t.mode == "markers" and t.customdata is not None]
    assert bubbles and all(cd[0] == "" for t in bubbles for cd in t.customdata)
    dated = events[events["start_date"] != ""]
    per_type = dated.assign(month=dated["start_date"].str[:7]).groupby(["event_type", "month"])["event_id"].nunique()
    if lane == "type":  # every (lane, month) total is the number of events that month in that lane
        drawn: dict[tuple[str, str], int] = {}
        for t in bubbles:
            for (_, ln, month), n in zip(t.customdata, t.marker.size, strict=True):
                drawn[(ln, month)] = drawn.get((ln, month), 0) + int(n)
        assert drawn == {k: int(v) for k, v in per_type.items()}
    assert "counts per month" in fig.layout.title.subtitle.text
    assert timeline.selected_event_ids({"points": [{"customdata": list(bubbles[0].customdata[0])}]}) == []


def test_timeline_few_points_stay_single_events() -> None:
    fig = timeline.timeline_figure(T["events"], T["actors"], max_points=10_000)
    assert all(cd[0] for t in _point_traces(fig) for cd in t.customdata)


# --------------------------------------------------------------------------- truth: lanes, precision, window

import pandas as pd  # noqa: E402

from core.query.frames import format_when  # noqa: E402

_ACTORS = pd.DataFrame(
    [
        {"actor_id": a, "name": n, "kind": "state", "country": a, "source": "", "aliases": "", "roles": ""}
        for a, n in (("RUS", "Russia"), ("PRK", "North Korea"), ("UKR", "Ukraine"), ("CHN", "China"))
    ]
)


def _ev(*rows: dict) -> pd.DataFrame:
    base = {
        "event_id": "",
        "article_id": "a",
        "start_date": "",
        "end_date": "",
        "date_precision": "day",
        "event_type": "praise",
        "quad_class": 1,
        "goldstein": 3.0,
        "status": "occurred",
        "actors": "",
        "evidence": "x",
        "source_actor": "",
        "target_actor": "",
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def test_timeline_lanes_are_participants_not_every_actor_named() -> None:
    ev = _ev({"event_id": "e1", "start_date": "2024-06-19", "actors": "PRK;RUS;UKR", "source_actor": "PRK", "target_actor": "RUS"})
    fig = timeline.timeline_figure(ev, _ACTORS)
    lanes = {y for t in _point_traces(fig) for y in t.y}
    assert lanes == {"North Korea", "Russia"}


@pytest.mark.parametrize(
    ("start", "end", "precision", "shown"),
    [
        ("2001-01-01", "2001-05-01", "month", "Jan–May 2001"),
        ("2024-06-01", "", "month", "Jun 2024"),
        ("1990-01-01", "1999-12-31", "decade", "1990s"),
        ("1996-01-01", "1998-12-31", "year", "1996–1998"),
        ("1999-09-02", "1999-09-04", "day", "2–4 Sep 1999"),
        ("1999-08-30", "", "day", "30 Aug 1999"),
        ("", "", "day", "?"),
    ],
)
def test_format_when_never_states_more_precision_than_the_text(start: str, end: str, precision: str, shown: str) -> None:
    assert format_when(start, end, precision) == shown


def test_timeline_month_precision_is_a_dotted_period_with_a_legend_entry_and_a_truthful_hover() -> None:
    ev = _ev({"event_id": "e1", "start_date": "2024-06-01", "date_precision": "month", "actors": "RUS", "source_actor": "RUS"})
    fig = timeline.timeline_figure(ev, _ACTORS)
    point = _point_traces(fig)[0]
    assert "Jun 2024" in point.hovertext[0] and "1 Jun" not in point.hovertext[0]
    assert pd.Timestamp(point.x[0]) > pd.Timestamp("2024-06-10")  # the middle of the month, not its first day
    names = {t.name for t in fig.data}
    assert timeline.SPAN_LABELS["imprecise"] in names


def test_timeline_axis_is_the_filter_window_and_spans_are_clipped() -> None:
    ev = _ev(
        {
            "event_id": "d",
            "start_date": "1990-01-01",
            "end_date": "2000-12-31",
            "date_precision": "year",
            "actors": "RUS",
            "source_actor": "RUS",
        },
        {"event_id": "p", "start_date": "2000-03-05", "actors": "PRK", "source_actor": "PRK"},
    )
    window = (pd.Timestamp("1999-01-01").date(), pd.Timestamp("2001-12-31").date())
    fig = timeline.timeline_figure(ev, _ACTORS, window=window)
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert lo >= pd.Timestamp("1999-01-01") and hi <= pd.Timestamp("2002-01-01")
    xs = [pd.Timestamp(x) for t in fig.data if t.mode == "lines" and t.x and t.x[0] is not None for x in t.x if x is not None]
    assert xs and min(xs) >= pd.Timestamp("1999-01-01")


def test_timeline_counts_view_coarsens_to_stay_under_the_bubble_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    t = make_tables(seed=3, n_events=400)
    monkeypatch.setattr(timeline, "MAX_BUBBLES", 40)
    fig = timeline.timeline_figure(t["events"], t["actors"], max_points=10)
    bubbles = sum(len(tr.x) for tr in fig.data if tr.mode == "markers" and tr.customdata is not None)
    assert fig.layout.meta["bubble_period"] in ("quarter", "year")
    assert bubbles <= 40 or fig.layout.meta["bubble_period"] == "year"
    assert "Bubble area" in {tr.legendgrouptitle.text for tr in fig.data if tr.legendgrouptitle}
