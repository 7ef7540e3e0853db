"""core.query.filters: URL params in and out, applying filters to the tables, the one-line description."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.schema import TABLES
from core.query import filters as F
from core.query import frames
from core.query.filters import Filters
from tests.factories import empty_tables, make_tables

TABLES_0 = make_tables(seed=0)


# --------------------------------------------------------------------------- from/to query params


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, Filters()),
        ({"from": "1999-05-01", "to": "2000-06-01"}, Filters(start=date(1999, 5, 1), end=date(2000, 6, 1))),
        ({"actor": "igor-sergeev"}, Filters(actors=("igor-sergeev",))),
        ({"actor": ["igor-sergeev", "KOR"]}, Filters(actors=("igor-sergeev", "KOR"))),
        ({"quad": "1,2"}, Filters(quad_classes=(1, 2))),
        ({"quad": ["4", "1"]}, Filters(quad_classes=(4, 1))),
        ({"status": "planned,denied"}, Filters(statuses=("planned", "denied"))),
        ({"origin": "reference"}, Filters(origins=("reference",))),
        ({"type": "consult", "topic": "arms", "agency": "AP"}, Filters(event_types=("consult",), topics=("arms",), agencies=("AP",))),
        ({"actor": ["KOR", "KOR"]}, Filters(actors=("KOR",))),
        ({"article": "x", "lane": "type"}, Filters()),  # page params are not filters
    ],
)
def test_from_query_params_parses_valid_params(params: dict, expected: Filters) -> None:
    filters, notices = F.from_query_params(params)
    assert filters == expected
    assert notices == []


@pytest.mark.parametrize(
    ("params", "kept", "needle"),
    [
        ({"from": "1999-13-45"}, Filters(), "from=1999-13-45"),
        ({"to": "yesterday"}, Filters(), "to=yesterday"),
        ({"from": "2001-01-01", "to": "1999-01-01"}, Filters(), "after"),
        ({"quad": "1,9"}, Filters(quad_classes=(1,)), "'9'"),
        ({"quad": "cooperation"}, Filters(), "quad"),
        ({"status": ["occurred", "rumoured"]}, Filters(statuses=("occurred",)), "rumoured"),
        ({"origin": "blog"}, Filters(), "blog"),
    ],
)
def test_from_query_params_drops_bad_values_with_notice(params: dict, kept: Filters, needle: str) -> None:
    filters, notices = F.from_query_params(params)
    assert filters == kept
    assert len(notices) == 1
    assert needle in notices[0]


@pytest.mark.parametrize(
    ("params", "field", "kept"),
    [
        ({"actor": ["igor-sergeev", "nobody"]}, "actors", ("igor-sergeev",)),
        ({"agency": ["AP", "Pravda Weekly"]}, "agencies", ("AP",)),
        ({"topic": ["arms", "fishing"]}, "topics", ("arms",)),
        ({"type": ["consult", "dance"]}, "event_types", ("consult",)),
    ],
)
def test_from_query_params_drops_stale_values_against_corpus(params: dict, field: str, kept: tuple) -> None:
    filters, notices = F.from_query_params(params, TABLES_0)
    assert getattr(filters, field) == kept
    assert notices and "not in the corpus" in notices[0]


@pytest.mark.parametrize(
    ("params", "start", "end", "n_notices"),
    [
        ({"from": "1980-01-01"}, None, None, 0),  # before the corpus: "from the start"
        ({"to": "2030-01-01"}, None, None, 0),
        ({"from": "2040-01-01"}, None, None, 1),  # entirely outside: ignored with a notice
        ({"from": "1999-06-01", "to": "2000-06-01"}, date(1999, 6, 1), date(2000, 6, 1), 0),
    ],
)
def test_from_query_params_clamps_dates_to_corpus_span(params: dict, start, end, n_notices: int) -> None:
    filters, notices = F.from_query_params(params, TABLES_0)
    assert (filters.start, filters.end) == (start, end)
    assert len(notices) == n_notices


@given(
    st.dictionaries(
        st.sampled_from([*F.FILTER_PARAMS, "x", "article"]),
        st.one_of(st.text(max_size=30), st.lists(st.text(max_size=12), max_size=4), st.none()),
        max_size=6,
    )
)
@settings(max_examples=150, deadline=None)
def test_from_query_params_never_raises(params: dict) -> None:
    filters, notices = F.from_query_params(params, TABLES_0)
    assert isinstance(filters, Filters)
    assert all(isinstance(n, str) for n in notices)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(start=date(1999, 2, 1)),
        Filters(start=date(1999, 2, 1), end=date(2000, 12, 31), actors=("igor-sergeev", "KOR")),
        Filters(quad_classes=(1, 3), statuses=("planned",), origins=("article", "reference")),
        Filters(event_types=("consult",), topics=("arms", "debt"), agencies=("AP", "Korea Herald")),
    ],
)
def test_to_query_params_round_trips(filters: Filters) -> None:
    params = F.to_query_params(filters)
    assert all(isinstance(v, (str, list)) for v in params.values())
    back, notices = F.from_query_params(params, TABLES_0)
    assert back == filters
    assert notices == []


def test_to_query_params_uses_str_for_single_and_list_for_many() -> None:
    params = F.to_query_params(Filters(actors=("KOR",), quad_classes=(1, 2)))
    assert params == {"actor": "KOR", "quad": ["1", "2"]}


# --------------------------------------------------------------------------- apply


def _ids(df: pd.DataFrame) -> set[str]:
    return set(df["event_id"])


def test_apply_without_filters_keeps_everything() -> None:
    out = F.apply(TABLES_0, Filters())
    for name in TABLES:
        assert len(out[name]) == len(TABLES_0[name]), name


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (
            Filters(actors=("igor-sergeev",)),
            lambda e: all(
                "igor-sergeev" in a.split(";") or "igor-sergeev" in (s, t)
                for a, s, t in zip(e["actors"], e["source_actor"], e["target_actor"], strict=True)
            ),
        ),
        (Filters(quad_classes=(4,)), lambda e: set(e["quad_class"].astype(int)) == {4}),
        (Filters(statuses=("denied", "planned")), lambda e: set(e["status"]) <= {"denied", "planned"}),
        (Filters(origins=("reference",)), lambda e: set(e["origin"]) == {"reference"}),
        (Filters(topics=("arms",)), lambda e: all("arms" in t.split(";") for t in e["topics"])),
        (Filters(event_types=("consult",)), lambda e: set(e["event_type"]) == {"consult"}),
        (
            Filters(start=date(2000, 1, 1), end=date(2000, 12, 31)),
            lambda e: all(
                (end or start) >= "2000-01-01" and start <= "2000-12-31" for start, end in zip(e["start_date"], e["end_date"], strict=True)
            ),
        ),
    ],
)
def test_apply_narrows_events(filters: Filters, check) -> None:
    out = F.apply(TABLES_0, filters)
    assert 0 < len(out["events"]) < len(TABLES_0["events"])
    assert check(out["events"])


def test_apply_date_range_drops_undated_events() -> None:
    undated = set(TABLES_0["events"].loc[TABLES_0["events"]["start_date"] == "", "event_id"])
    assert undated
    out = F.apply(TABLES_0, Filters(start=date(1999, 1, 1)))
    assert not undated & _ids(out["events"])


def test_apply_agency_uses_event_sources_or_article_notes() -> None:
    out = F.apply(TABLES_0, Filters(agencies=("AP",)))
    assert 0 < len(out["events"]) < len(TABLES_0["events"])


def test_apply_actor_keeps_amounts_of_the_actors_country() -> None:
    out = F.apply(TABLES_0, Filters(actors=("igor-sergeev",)))  # a Russian minister -> Russia's debt
    assert len(out["amounts"]) == len(TABLES_0["amounts"])
    out = F.apply(TABLES_0, Filters(actors=("USA",)))
    assert out["amounts"].empty


def test_apply_keeps_articles_behind_kept_events_and_their_rows() -> None:
    out = F.apply(TABLES_0, Filters(quad_classes=(4,)))
    behind = set(out["events"]["article_id"]) - {""}
    assert set(out["articles"]["article_id"]) == behind
    assert set(out["sentences"]["article_id"]) <= behind


def test_apply_impossible_combination_gives_empty_tables_not_errors() -> None:
    out = F.apply(TABLES_0, Filters(origins=("reference",), quad_classes=(4,)))
    assert out["events"].empty
    assert set(out) >= set(TABLES)


@pytest.mark.parametrize("filters", [Filters(), Filters(actors=("KOR",), start=date(1999, 1, 1))])
def test_apply_on_empty_corpus_returns_empty_tables(filters: Filters) -> None:
    out = F.apply(empty_tables(), filters)
    assert all(out[name].empty for name in TABLES)


def test_apply_tolerates_missing_columns_and_nan() -> None:
    t = {k: v.copy() for k, v in TABLES_0.items()}
    t["events"] = t["events"].drop(columns=["topics"])
    t["events"].loc[t["events"].index[:3], "actors"] = None
    out = F.apply(t, Filters(actors=("KOR",), topics=("arms",)))
    assert "topics" in out["events"].columns


# --------------------------------------------------------------------------- describe / slug / helpers


def test_describe_says_count_span_and_actor_names() -> None:
    filters = Filters(start=date(1999, 1, 3), end=date(2000, 6, 14), actors=("igor-sergeev",))
    text = F.describe(filters, F.apply(TABLES_0, filters))
    n = len(F.apply(TABLES_0, filters)["events"])
    assert text.startswith(f"{n} events, 3 Jan 1999 – 14 Jun 2000, actors: Igor Sergeev")


@pytest.mark.parametrize(
    ("filters", "needle"),
    [
        (Filters(quad_classes=(2,)), "QuadClass: Material cooperation"),
        (Filters(statuses=("denied",)), "status: denied"),
        (Filters(origins=("reference",)), "origin: reference"),
        (Filters(agencies=("AP",)), "agencies: AP"),
    ],
)
def test_describe_lists_active_filters(filters: Filters, needle: str) -> None:
    assert needle in F.describe(filters, F.apply(TABLES_0, filters))


def test_describe_empty_corpus() -> None:
    assert F.describe(Filters(), empty_tables()) == "0 events"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), "all"),
        (Filters(actors=("igor-sergeev",)), "igor-sergeev"),
        (Filters(start=date(1999, 1, 1), quad_classes=(1, 2)), "1999-01-01_end_q12"),
        (Filters(agencies=("Korea Herald/../x",)), "korea-herald-..-x"),
    ],
)
def test_slug_is_file_name_safe(filters: Filters, expected: str) -> None:
    assert F.slug(filters) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, []), (float("nan"), []), ("", []), ("a; b;;c ", ["a", "b", "c"]), ("KOR", ["KOR"])],
)
def test_split_list_handles_missing_and_blanks(value: object, expected: list[str]) -> None:
    assert frames.split_list(value) == expected


def test_to_datetime_accepts_partial_dates() -> None:
    out = frames.to_datetime(pd.Series(["1999", "1999-05", "1999-05-16", "", None, "junk"]))
    assert list(out.dt.strftime("%Y-%m-%d").fillna("NaT")) == ["1999-01-01", "1999-05-01", "1999-05-16", "NaT", "NaT", "NaT"]


def test_corpus_span_covers_events_amounts_and_articles() -> None:
    assert frames.corpus_span(empty_tables()) is None
    lo, hi = frames.corpus_span(TABLES_0)
    assert lo == date(1990, 6, 4)  # the earliest reference event
    assert hi == date(2003, 9, 1)  # the latest reference amount


# --------------------------------------------------------------------------- indexed filtering = the plain reading


def _plain_apply(tables: dict[str, pd.DataFrame], f: Filters) -> dict[str, set[str]]:
    """The filters read row by row, as the docstrings state them: what the indexed code must match."""

    def in_range(start: str, end: str) -> bool:
        s, e = frames.parse_date(start), frames.parse_date(end)
        if s is None:
            return False
        e = e if e and e >= s else s
        return (f.start is None or e >= f.start) and (f.end is None or s <= f.end)

    agencies_of: dict[str, set[str]] = {}
    for r in tables["citations"].itertuples():
        if str(r.agency).strip():
            agencies_of.setdefault(r.article_id, set()).add(str(r.agency).strip())
    events = set()
    for r in tables["events"].itertuples():
        who = set(frames.split_list(r.actors)) | {x for x in (r.source_actor, r.target_actor) if x}
        own = set(frames.split_list(r.sources))
        ok = (f.start is None and f.end is None) or in_range(r.start_date, r.end_date)
        ok &= not f.actors or bool(who & set(f.actors))
        ok &= not f.quad_classes or int(r.quad_class) in f.quad_classes
        ok &= not f.event_types or r.event_type in f.event_types
        ok &= not f.topics or bool(set(frames.split_list(r.topics)) & set(f.topics))
        ok &= not f.statuses or r.status in f.statuses
        ok &= not f.origins or (r.origin or "article") in f.origins
        ok &= not f.agencies or bool((own or agencies_of.get(r.article_id, set())) & set(f.agencies))
        if ok:
            events.add(r.event_id)
    kept_rel = {
        r.source_actor + ">" + r.target_actor + ":" + r.level
        for r in tables["relations"].itertuples()
        if set(frames.split_list(r.event_ids)) & events
    }
    return {"events": events, "relations": kept_rel}


@settings(max_examples=60, deadline=None)
@given(
    start=st.one_of(st.none(), st.dates(date(1998, 1, 1), date(2002, 12, 31))),
    days=st.one_of(st.none(), st.integers(0, 900)),
    actors=st.lists(st.sampled_from(["RUS", "KOR", "PRK", "igor-sergeev", "kim-dae-jung", "nobody"]), max_size=2, unique=True),
    quads=st.lists(st.integers(1, 4), max_size=2, unique=True),
    statuses=st.lists(st.sampled_from(["occurred", "planned", "denied"]), max_size=2, unique=True),
    agencies=st.lists(st.sampled_from(["AP", "ITAR-TASS", "Reuters"]), max_size=1),
)
def test_filters_indexed_apply_matches_plain_reading(start, days, actors, quads, statuses, agencies) -> None:
    end = start + pd.Timedelta(days=days).to_pytimedelta() if start and days is not None else None
    f = Filters(start=start, end=end, actors=tuple(actors), quad_classes=tuple(quads), statuses=tuple(statuses), agencies=tuple(agencies))
    tables = TABLES_BIG
    got = F.apply(tables, f)
    want = _plain_apply(tables, f)
    assert set(got["events"]["event_id"]) == want["events"]
    rel = got["relations"]
    assert {f"{s}>{t}:{lv}" for s, t, lv in zip(rel["source_actor"], rel["target_actor"], rel["level"], strict=True)} == want["relations"]
    kept_articles = set(got["articles"]["article_id"])
    for name in ("mentions", "sentences", "citations"):
        assert set(got[name]["article_id"]) <= kept_articles
        assert len(got[name]) == int(tables[name]["article_id"].isin(kept_articles).sum())


TABLES_BIG = make_tables(seed=3, n_articles=12, n_events=300)
