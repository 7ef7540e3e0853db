"""core.views.figures.dyad: monthly net cooperation per direction for RUS–KOR and RUS–PRK."""

from __future__ import annotations

import pandas as pd
import pytest

from core.views.figures import dyad, style
from tests.factories import empty_tables, make_tables

T = make_tables(seed=4)


def _events(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    base = empty_tables()["events"]
    data = [
        {c: "" for c in base.columns}
        | {"event_id": f"e{i}", "source_actor": s, "target_actor": t, "start_date": d, "goldstein": g, "quad_class": 1}
        for i, (s, t, d, g) in enumerate(rows)
    ]
    return pd.DataFrame(data, columns=base.columns)


def test_dyad_series_sums_goldstein_per_month_and_direction() -> None:
    ev = _events(
        [
            ("RUS", "KOR", "1999-05-01", 4.0),
            ("igor-sergeev", "KOR", "1999-05-20", 3.0),
            ("KOR", "RUS", "1999-05-03", -2.0),
            ("RUS", "PRK", "1999-06-01", 1.0),
            ("SUN", "KOR", "1990-09-30", 5.0),
            ("RUS", "USA", "1999-05-01", 9.0),
            ("RUS", "KOR", "", 9.0),
        ]
    )
    s = dyad.dyad_series(ev, T["actors"])
    got = {(r.month.strftime("%Y-%m"), r.direction): r.goldstein_sum for r in s.itertuples()}
    assert got == {
        ("1999-05", "RUS→KOR"): 7.0,
        ("1999-05", "KOR→RUS"): -2.0,
        ("1999-06", "RUS→PRK"): 1.0,
        ("1990-09", "RUS→KOR"): 5.0,  # the USSR counts as Russia
    }


def test_dyad_series_counts_an_unlisted_id_as_a_state_only_when_it_is_a_state_code() -> None:
    """Ids the actor table does not list: "rus" is Russia, "prk" North Korea; "sco" (three letters,
    an organisation) and an unknown person are no state, so their events are in no dyad."""
    actors = T["actors"][~T["actors"]["actor_id"].isin(["rus", "prk", "sco"])]
    ev = _events(
        [
            ("rus", "prk", "2001-08-04", 2.0),
            ("sco", "KOR", "2001-08-05", 6.0),
            ("RUS", "sco", "2001-08-06", 6.0),
            ("someone-unknown", "KOR", "2001-08-07", 6.0),
        ]
    )
    s = dyad.dyad_series(ev, actors)
    got = {(r.month.strftime("%Y-%m"), r.direction): r.goldstein_sum for r in s.itertuples()}
    assert got == {("2001-08", "RUS→PRK"): 2.0}


def test_dyad_figure_shows_each_direction_apart() -> None:
    fig = dyad.dyad_figure(T["events"], T["actors"])
    bars = [t for t in fig.data if t.type == "bar"]
    names = {t.name.replace(" (no events)", "") for t in bars}
    assert names == {"Russia → South Korea", "South Korea → Russia", "Russia → North Korea", "North Korea → Russia"}
    assert {t.yaxis for t in bars} == {"y", "y2"}
    assert "Goldstein" in fig.layout.yaxis.title.text


@pytest.mark.parametrize(
    "events",
    [empty_tables()["events"], _events([("RUS", "USA", "1999-01-01", 3.0)]), _events([("RUS", "KOR", "", 3.0)])],
)
def test_dyad_empty_input_gives_annotated_figure(events: pd.DataFrame) -> None:
    fig = dyad.dyad_figure(events, T["actors"])
    assert style.is_empty_figure(fig)


# --------------------------------------------------------------------------- readable at size


@pytest.mark.parametrize(("years", "freq"), [(2, "M"), (10, "Q"), (30, "Y")])
def test_dyad_period_grows_with_the_span_and_keeps_every_goldstein_point(years: int, freq: str) -> None:
    from core.views.figures import dyad

    rows = []
    for i in range(years * 12):
        month = pd.Timestamp("1990-01-01") + pd.DateOffset(months=i)
        rows.append(
            {
                "event_id": f"e{i}",
                "source_actor": "RUS" if i % 2 else "KOR",
                "target_actor": "KOR" if i % 2 else "RUS",
                "start_date": month.date().isoformat(),
                "goldstein": 1.0 + (i % 5),
                "quad_class": 1,
                "actors": "RUS;KOR",
            }
        )
    ev = pd.DataFrame(rows)
    actors = pd.DataFrame(columns=["actor_id", "country"])
    fig = dyad.dyad_figure(ev, actors)
    assert fig.layout.meta["period"] == freq
    bars = [t for t in fig.data if t.type == "bar" and t.x is not None and len(t.x) and t.x[0] is not None]
    assert all(len(t.x) <= dyad.MAX_BARS for t in bars)
    assert sum(sum(t.y) for t in bars) == pytest.approx(float(ev["goldstein"].sum()))
    assert not [t for t in fig.data if t.type == "scatter" and t.mode == "markers"]  # no lollipop heads


@pytest.mark.parametrize(
    ("dyads", "note"),
    [
        ((("RUS", "KOR"), ("RUS", "PRK")), "USSR counted as Russia"),
        ((("KOR", "PRK"),), ""),  # no earlier state is counted as either Korea
    ],
)
def test_dyad_counting_note_reads_the_gazetteers_successors(monkeypatch: pytest.MonkeyPatch, dyads: tuple, note: str) -> None:
    monkeypatch.setattr(dyad, "DYADS", dyads)
    assert dyad.counting_note() == note


def test_dyad_counting_note_names_every_earlier_state_of_a_dyad(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.domain.gazetteer import successors

    monkeypatch.setattr(dyad, "DYADS", (("SRB", "RUS"),))
    note = dyad.counting_note()
    earlier = sorted(code for code, successor in successors().items() if successor in {"SRB", "RUS"})
    assert len(earlier) >= 2 and note.count("counted as") == len(earlier) and "counted as Serbia" in note
