"""ui.tables: the events view (sorted, limited before formatting) and the Overview's top events."""

from __future__ import annotations

import pytest

from tests.factories import make_tables
from ui.tables import article_url, events_view, top_events

T = make_tables(seed=2, n_articles=8, n_events=120)
PARAMS = {"from": "1999-01-01", "actor": ["igor-sergeev", "a&b"]}


def test_ui_tables_events_view_sorts_by_date_undated_last() -> None:
    view = events_view(T["events"], T["actors"], PARAMS)
    assert len(view) == len(T["events"])
    dated = view[view["date"] != ""]
    assert list(dated["date"]) == sorted(dated["date"])
    assert (view["date"] == "").sum() == 0 or view["date"].iloc[-1] == ""
    keys = list(zip(dated["date"], dated["event_id"], strict=True))
    assert keys == sorted(keys)


@pytest.mark.parametrize("limit", [1, 7, 50, 10_000])
def test_ui_tables_events_view_limit_is_the_head_of_the_full_view(limit: int) -> None:
    full = events_view(T["events"], T["actors"], PARAMS)
    head = events_view(T["events"], T["actors"], PARAMS, limit=limit)
    assert head.equals(full.head(limit).reset_index(drop=True))


def test_ui_tables_events_view_links_keep_the_filters() -> None:
    view = events_view(T["events"], T["actors"], PARAMS)
    ids = dict(zip(view["event_id"], view["article"], strict=True))
    for eid, aid in zip(T["events"]["event_id"], T["events"]["article_id"], strict=True):
        if aid:
            assert ids[eid] == article_url(aid, PARAMS)


@pytest.mark.parametrize("n", [1, 8, 500])
def test_ui_tables_top_events_match_sorting_the_whole_view(n: int) -> None:
    view = events_view(T["events"], T["actors"])
    recent = view[view["date"] != ""].sort_values(["date", "event_id"], ascending=[False, True]).head(n)
    got = events_view(top_events(T["events"], "recent", n), T["actors"]).sort_values(["date", "event_id"], ascending=[False, True])
    assert list(got["event_id"]) == list(recent["event_id"])
    cited = view.sort_values(["n_sources", "date", "event_id"], ascending=[False, False, True]).head(n)
    got = events_view(top_events(T["events"], "cited", n), T["actors"])
    got = got.sort_values(["n_sources", "date", "event_id"], ascending=[False, False, True])
    assert list(got["event_id"]) == list(cited["event_id"])


def test_ui_tables_events_view_newest_first_and_every_page_reachable() -> None:
    full = events_view(T["events"], T["actors"], newest_first=True)
    dated = [d for d in full["date"] if d]
    assert dated == sorted(dated, reverse=True)
    pages = [events_view(T["events"], T["actors"], newest_first=True, offset=o, limit=25) for o in range(0, len(full), 25)]
    ids = [i for p in pages for i in p["event_id"]]
    assert ids == list(full["event_id"]) and len(set(ids)) == len(T["events"])


def test_ui_tables_events_view_dates_at_their_precision() -> None:
    import pandas as pd

    ev = T["events"].head(3).copy()
    ev["start_date"], ev["end_date"], ev["date_precision"] = (
        ["2024-06-01", "2001-01-01", "1990-01-01"],
        ["", "2001-05-01", "1999-12-31"],
        ["month", "month", "decade"],
    )
    view = events_view(ev, T["actors"])
    assert set(view["when"]) == {"Jun 2024", "Jan–May 2001", "1990s"}
    assert isinstance(view, pd.DataFrame)


def test_exports_events_csv_has_gdelt_columns_and_full_urls() -> None:
    from core.views import images

    csv = images.events_csv_frame(T["events"], T["actors"], "http://dash.example:8501", PARAMS)
    assert list(csv.columns) == images.EVENTS_CSV_COLUMNS and len(csv) == len(T["events"])
    for col in ("Actor1Code", "Actor2Code", "EventCode", "GoldsteinScale", "QuadClass"):
        assert col in csv.columns
    with_article = csv[csv["ArticleId"] != ""]
    assert all(u.startswith("http://dash.example:8501/articles?") for u in with_article["SOURCEURL"])
    ev = T["events"].set_index("event_id")
    assert list(csv["Actor1Code"]) == [str(ev.at[i, "source_actor"]) for i in csv["EventId"]]
