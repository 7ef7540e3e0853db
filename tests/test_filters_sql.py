"""Each filter's SQL condition (``FilterSpec.where``) keeps exactly the rows of its pandas mask.

Differential: the tables (the sample store's, and factory corpora) are copied into SQLite with
their row positions; for every filter alone and for random combinations, ``where_clause`` must
select the same positions as ``table_mask`` on events, amounts and articles. The SQL data layer of
issue 14 can then take the registry's conditions instead of rewriting the filters.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.query import filters as F
from core.query import frames
from tests.factories import make_tables

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MASKED = ("events", "amounts", "articles")


def _to_sql(tables: dict[str, pd.DataFrame]) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    for name, df in tables.items():
        out = df.copy()
        out.insert(0, "_pos", np.arange(len(out)))
        out.astype(object).where(out.notna(), None).to_sql(name, con, index=False)
    return con


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, pd.DataFrame], sqlite3.Connection]]:
    from core.io.ingest import open_store
    from core.query.tables import load_tables

    mp = pytest.MonkeyPatch()
    mp.setenv("RUSKOR_SEED_DIR", str(DATA_DIR / "articles"))
    try:
        sample = frames.ensure_tables(load_tables(open_store(tmp_path_factory.mktemp("sql") / "s.sqlite")))
    finally:
        mp.undo()
    out = {}
    for name, tables in {
        "sample": sample,
        "seed0": frames.ensure_tables(make_tables(seed=0)),
        "seed5": frames.ensure_tables(make_tables(seed=5, n_articles=8, n_events=60)),
    }.items():
        out[name] = (tables, _to_sql(tables))
    return out


def _check(tables: dict[str, pd.DataFrame], con: sqlite3.Connection, filters: F.Filters) -> None:
    for table in MASKED:
        mask = F.table_mask(table, tables, filters)
        where = F.where_clause(table, tables, filters)
        got = [r[0] for r in con.execute(f"SELECT _pos FROM {table} WHERE {where.sql} ORDER BY _pos", where.params)]
        assert got == list(np.flatnonzero(mask)), f"{table}: {where.sql} {where.params}"


def _alone(tables: dict[str, pd.DataFrame]) -> list[F.Filters]:
    opts = F.options(tables)
    lo_hi = frames.corpus_span(tables)
    states = [F.Filters(actors=("nobody",)), F.Filters(agencies=("Pravda Weekly",))]
    if lo_hi:
        lo, hi = lo_hi
        mid = lo + (hi - lo) / 2
        states += [F.Filters(start=mid), F.Filters(end=mid), F.Filters(start=lo, end=mid), F.Filters(start=mid, end=mid)]
    for spec in F.list_filters():
        states += [F.Filters(**{spec.field_name: (v,)}) for v in opts[spec.field_name]]
    return states


@pytest.mark.parametrize("corpus", ["sample", "seed0", "seed5"])
def test_every_filter_value_alone_selects_the_same_rows_in_sql(corpora, corpus: str) -> None:
    tables, con = corpora[corpus]
    states = _alone(tables)
    assert len(states) > 20
    for filters in states:
        _check(tables, con, filters)


def test_every_list_filter_has_sql_for_each_table_it_masks() -> None:
    for spec in F.list_filters():
        assert set(spec.masks) <= set(spec.sql), spec.name


@st.composite
def _states(draw: st.DrawFn, opts: dict[str, list]) -> F.Filters:
    kwargs: dict[str, object] = {
        "start": draw(st.one_of(st.none(), st.dates(date(1988, 1, 1), date(2006, 1, 1)))),
        "end": draw(st.one_of(st.none(), st.dates(date(1988, 1, 1), date(2006, 1, 1)))),
    }
    for name, pool in opts.items():
        kwargs[name] = tuple(draw(st.lists(st.sampled_from(pool or ["x"]), max_size=2, unique=True))) if pool else ()
    return F.Filters(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("corpus", ["sample", "seed0"])
@given(data=st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_combined_filters_select_the_same_rows_in_sql(corpora, corpus: str, data: st.DataObject) -> None:
    tables, con = corpora[corpus]
    _check(tables, con, data.draw(_states(F.options(tables))))


@pytest.mark.parametrize(
    ("cell", "wanted", "expected"),
    [
        ("AP; Reuters", "Reuters", True),
        (" AP ;Reuters ", "AP", True),
        ("APX; Reuters", "AP", False),
        ("", "AP", False),
        (None, "AP", False),
        ("Korea Herald", "Korea Herald", True),
        ("a_b", "a%b", False),
    ],
)
def test_sql_list_membership_reads_cells_like_split_list(cell: str | None, wanted: str, expected: bool) -> None:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (sources TEXT)")
    con.execute("INSERT INTO t VALUES (?)", (cell,))
    where = F._sql_list_has("sources", [wanted])
    assert bool(con.execute(f"SELECT COUNT(*) FROM t WHERE {where.sql}", where.params).fetchone()[0]) is expected
    assert (wanted in frames.split_list(cell)) is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1999-06-01", "1999-06-01"),
        ("1999", "1999-01-01"),
        ("1999-06", "1999-06-01"),
        ("2000-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (" 2001-03-04 ", "2001-03-04"),
        ("1500-01-01", "1500-01-01"),
        ("2001-02-29", None),
    ],
)
def test_sql_dates_read_cells_like_to_datetime(cell: str | None, expected: str | None) -> None:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (d TEXT)")
    con.execute("INSERT INTO t VALUES (?)", (cell,))
    got = con.execute(f"SELECT {F._sql_date('d')} FROM t").fetchone()[0]
    assert got == expected
    parsed = frames.to_datetime(pd.Series([cell], dtype=object)).iloc[0]
    assert (None if pd.isna(parsed) else parsed.date().isoformat()) == expected


def _party_corpus() -> dict[str, pd.DataFrame]:
    """Amounts whose parties are people, lower-case codes, a historical state and blanks."""
    actors = pd.DataFrame(
        [
            ("RUS", "Russia", "state", "RUS"),
            ("SUN", "Soviet Union", "state", "SUN"),
            ("PRK", "North Korea", "state", "PRK"),
            ("sergei-ivanov", "Sergei Ivanov", "person", "RUS"),
            ("pak-ui-chun", "Pak Ui Chun", "person", "prk"),
        ],
        columns=["actor_id", "name", "kind", "country"],
    )
    parties = ["sergei-ivanov", "SUN", "rus", " RUS ", "PRK", "", None, "Moscow", "pak-ui-chun", "ussr", "KOR"]
    amounts = pd.DataFrame(
        {
            "amount_id": [f"a{i}" for i in range(len(parties))],
            "from_actor": parties,
            "to_actor": list(reversed(parties)),
            "as_of_date": "2001-05-01",
        }
    )
    return frames.ensure_tables({"actors": actors, "amounts": amounts})


@pytest.mark.parametrize("actors", [("RUS",), ("sergei-ivanov",), ("PRK",), ("pak-ui-chun",), ("SUN",), ("KOR",), ("RUS", "PRK")])
def test_amount_party_sql_matches_the_mask_for_people_codes_and_historical_states(actors: tuple[str, ...]) -> None:
    tables = _party_corpus()
    con = _to_sql(tables)
    filters = F.Filters(actors=actors)
    mask = F.table_mask("amounts", tables, filters)
    assert 0 < mask.sum() < len(mask)
    where = F.where_clause("amounts", tables, filters)
    got = [r[0] for r in con.execute(f"SELECT _pos FROM amounts WHERE {where.sql} ORDER BY _pos", where.params)]
    assert got == list(np.flatnonzero(mask))
