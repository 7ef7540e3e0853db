"""core.domain.reference: the curated files are well formed and sourced, and every row reaches the tables,
the relations and the network; SIPRI TIV never turns into dollars."""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
import pytest

from core.config import DATA_DIR
from core.domain import reference
from core.domain.actors import dictionary
from core.domain.cameo import cameo_table, goldstein, quad_class, type_name
from core.domain.rules import STATUSES
from core.domain.schema import AMOUNT_CATEGORIES, EVENT_EXTRA, TABLES
from core.query.tables import assemble
from core.views.figures import debt_arms

URL = re.compile(r"https?://[^\s;]+")
STATE_CODE = re.compile(r"[A-Z]{3}")


# --------------------------------------------------------------------------- checks shared by the schemas


def _iso(optional: bool = False) -> pa.Check:
    def check(s: pd.Series) -> pd.Series:
        ok = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna()
        return ok | (s == "") if optional else ok

    return pa.Check(check, error="ISO date YYYY-MM-DD" + (" or empty" if optional else ""))


def _urls(s: pd.Series) -> pd.Series:
    return s.map(lambda v: bool(v) and all(URL.fullmatch(u) for u in v.split(";")))


def _known_actor(a: str) -> bool:
    return a in dictionary() or bool(STATE_CODE.fullmatch(a))


def _actors(optional: bool = False) -> pa.Check:
    def check(s: pd.Series) -> pd.Series:
        return s.map(lambda v: (optional and v == "") or (bool(v) and all(_known_actor(a) for a in v.split(";"))))

    return pa.Check(check, error="actor ids of data/actors.yaml or state codes")


def _in(values) -> pa.Check:
    return pa.Check.isin(list(values))


def _topics(s: pd.Series) -> pd.Series:
    return s.map(lambda v: bool(v) and all(t in reference.TOPICS for t in v.split(";")))


def _precise(date_col: str) -> pa.Check:
    """A month- or year-precise date is the first day of its month or year."""

    def check(df: pd.DataFrame) -> pd.Series:
        d, p = df[date_col], df["date_precision"]
        return (p == "day") | ((p == "month") & d.str.endswith("-01")) | ((p == "year") & d.str.endswith("-01-01"))

    return pa.Check(check, error="month/year dates start their period")


def _span(start: str, end: str) -> pa.Check:
    return pa.Check(lambda df: (df[end] == "") | (df[end] >= df[start]), error="end not before start")


SOURCED = {
    "ref_id": pa.Column(str, unique=True),
    "description": pa.Column(str, pa.Check.str_length(min_value=10)),
    "source_url": pa.Column(str, pa.Check(_urls, error="one or more http(s) URLs, ;-joined")),
    "reliability": pa.Column(str, _in(reference.RELIABILITY)),
    "note": pa.Column(str),
}
FLAGGED = pa.Check(lambda df: (df["reliability"] == "high") | (df["note"] != ""), error="a row below 'high' says why")

SCHEMAS = {
    "events": pa.DataFrameSchema(
        {
            **SOURCED,
            "start_date": pa.Column(str, _iso()),
            "end_date": pa.Column(str, _iso(optional=True)),
            "date_precision": pa.Column(str, _in(reference.DATE_PRECISIONS)),
            "date_text": pa.Column(str, pa.Check.str_length(min_value=4)),
            "actors": pa.Column(str, _actors()),
            "source_actor": pa.Column(str, _actors(optional=True)),
            "target_actor": pa.Column(str, _actors(optional=True)),
            "cameo_code": pa.Column(str, pa.Check(lambda s: s.isin(list(cameo_table())), error="code of data/cameo.csv")),
            "status": pa.Column(str, _in(STATUSES)),
            "topics": pa.Column(str, pa.Check(_topics, error="topics of the project's list")),
            "sources": pa.Column(str, pa.Check.str_length(min_value=2)),
            "location": pa.Column(str),
        },
        checks=[
            _precise("start_date"),
            _span("start_date", "end_date"),
            FLAGGED,
            pa.Check(
                lambda df: pd.Series(
                    [
                        all(x in a.split(";") for x in (s, t) if x)
                        for a, s, t in zip(df["actors"], df["source_actor"], df["target_actor"], strict=True)
                    ],
                    index=df.index,
                ),
                error="source and target are among the actors",
            ),
        ],
        strict=True,
    ),
    "debt": pa.DataFrameSchema(
        {
            **SOURCED,
            "as_of_date": pa.Column(str, _iso()),
            "as_of_end": pa.Column(str, _iso(optional=True)),
            "date_precision": pa.Column(str, _in(reference.DATE_PRECISIONS)),
            "date_text": pa.Column(str),
            "measure": pa.Column(str, pa.Check.str_length(min_value=3)),
            "value_usd": pa.Column(float, pa.Check.gt(0), coerce=True),
            "category": pa.Column(str, _in(("debt", "other"))),
            "from_actor": pa.Column(str, _actors()),
            "to_actor": pa.Column(str, _actors()),
            "status": pa.Column(str, _in(STATUSES)),
            "sources": pa.Column(str),
        },
        checks=[_precise("as_of_date"), _span("as_of_date", "as_of_end"), FLAGGED],
        strict=True,
    ),
    "arms": pa.DataFrameSchema(
        {
            **SOURCED,
            "phase": pa.Column(str),
            "item": pa.Column(str),
            "quantity": pa.Column(float, pa.Check.gt(0), coerce=True, nullable=True),
            "quantity_qualifier": pa.Column(str, _in(("exact", "about", "more than", ""))),
            "start_date": pa.Column(str, _iso()),
            "end_date": pa.Column(str, _iso(optional=True)),
            "date_precision": pa.Column(str, _in(reference.DATE_PRECISIONS)),
            "date_text": pa.Column(str),
            "value_usd": pa.Column(float, pa.Check.gt(0), coerce=True, nullable=True),
            "tiv": pa.Column(float, pa.Check.gt(0), coerce=True, nullable=True),
            "category": pa.Column(str, _in(("arms_delivery", "arms_deal", "other", ""))),
            "from_actor": pa.Column(str, _actors()),
            "to_actor": pa.Column(str, _actors()),
            "status": pa.Column(str, _in(STATUSES)),
            "sources": pa.Column(str),
        },
        checks=[
            _precise("start_date"),
            _span("start_date", "end_date"),
            FLAGGED,
            pa.Check(lambda df: (df["category"] == "") == df["value_usd"].isna(), error="a category exactly when a US$ value"),
            pa.Check(lambda df: df["tiv"].isna() | df["value_usd"].isna(), error="TIV and US$ never on one row"),
        ],
        strict=True,
    ),
    "sipri": pa.DataFrameSchema(
        {
            "ref_id": pa.Column(str, unique=True),
            "recipient_id": pa.Column(str, _actors()),
            "designation": pa.Column(str),
            "order_year": pa.Column(int, pa.Check.in_range(1980, 2030), coerce=True),
            "delivery_year": pa.Column(int, pa.Check.in_range(2000, 2030), coerce=True),
            "numbers_delivered": pa.Column(int, pa.Check.gt(0), coerce=True),
            "tiv_unit_deal": pa.Column(float, pa.Check.gt(0), coerce=True),
            "tiv_delivered": pa.Column(float, pa.Check.gt(0), coerce=True),
            "source_url": SOURCED["source_url"],
            "reliability": SOURCED["reliability"],
            "note": pa.Column(str, pa.Check.str_length(min_value=5)),
        },
        checks=pa.Check(lambda df: df["delivery_year"] >= df["order_year"], error="delivered after ordered"),
    ),
}
NUMERIC = {"arms": ("quantity", "value_usd", "tiv")}


def _frame(name: str) -> pd.DataFrame:
    df = reference.reference_csv(name)
    for col in NUMERIC.get(name, ()):
        df[col] = df[col].replace("", None)
    return df


@pytest.fixture(scope="module")
def assembled() -> dict[str, pd.DataFrame]:
    return assemble({})


# --------------------------------------------------------------------------- the files


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_reference_file_matches_its_schema(name: str) -> None:
    SCHEMAS[name].validate(_frame(name), lazy=True)


@pytest.mark.parametrize("name", sorted(reference.FILES))
def test_reference_file_opens_with_source_notes_and_loses_no_row(name: str) -> None:
    text = (DATA_DIR / reference.FILES[name]).read_text(encoding="utf-8")
    comments = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any("source" in ln.lower() for ln in comments) and any("reliab" in ln.lower() for ln in comments)
    data_lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert len(data_lines) == len(reference.reference_csv(name)) + 1  # header + one line per row, none eaten as a comment


@pytest.mark.parametrize(("name", "rows"), [("events", 55), ("debt", 38), ("arms", 24), ("sipri", 42)])
def test_reference_file_row_counts(name: str, rows: int) -> None:
    assert len(reference.reference_csv(name)) == rows


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("events", ["e011", "e012", "e013", "e014"]),  # how the 1961 treaty ended
        ("events", ["e051", "e052"]),  # when Kim Jong-un ratified the 2024 treaty
        ("debt", ["d05", "d06", "d07"]),  # the principal lent in 1990/91
        ("arms", ["b19", "b21"]),  # T-80U delivered: SIPRI vs Korean press
    ],
)
def test_reference_conflicting_reports_stay_separate_rows(name: str, ids: list[str]) -> None:
    df = reference.reference_csv(name).set_index("ref_id").loc[ids]
    assert df["source_url"].nunique() == len(ids)
    assert (df["note"] != "").all()


def test_reference_low_and_doubtful_rows_are_flagged_unconfirmed() -> None:
    debt = reference.reference_csv("debt")
    weak = debt[debt["reliability"].isin(["low", "doubtful"])]
    assert len(weak) >= 5 and set(weak["status"]) == {"unconfirmed"}


# --------------------------------------------------------------------------- the tables


@pytest.mark.parametrize(("table", "prefix"), [("events", "ref-e"), ("amounts", "ref-a")])
def test_reference_tables_have_the_schema_columns_and_ids(table: str, prefix: str) -> None:
    df = reference.reference_tables()[table]
    assert list(df.columns) == TABLES[table]
    key = df.columns[0]
    assert df[key].str.fullmatch(prefix + r"\d{3}").all() and df[key].is_unique
    assert (df["origin"] == "reference").all() and (df["article_id"] == "").all()
    assert _urls(df["source_url"]).all() and (df["evidence"].str.len() > 10).all()


def test_reference_events_carry_cameo_values() -> None:
    ev = reference.reference_tables()["events"]
    for e in ev.itertuples():
        assert e.cameo_root == e.cameo_code[:2]
        assert (e.quad_class, e.goldstein, e.event_type) == (quad_class(e.cameo_code), goldstein(e.cameo_code), type_name(e.cameo_code))
    assert (ev["sources"] != "").all() and (ev["end_date"] >= ev["start_date"]).all()


def test_reference_amounts_are_dollars_with_valid_categories() -> None:
    am = reference.reference_tables()["amounts"]
    assert pd.api.types.is_float_dtype(am["value_usd"]) and (am["value_usd"] > 0).all()
    assert set(am["category"]) <= set(AMOUNT_CATEGORIES) and set(am["status"]) <= set(STATUSES)
    assert am.loc[am["category"] == "debt", "value_usd"].max() < 3e9  # millions became dollars, not billions twice
    # one arms_delivery row per phase, so the cumulative line adds up phases, never a running total
    assert am.loc[am["category"] == "arms_delivery", "value_usd"].sum() == pytest.approx(476e6)
    assert not am["note"].str.contains("cumulative").loc[am["category"] == "arms_delivery"].any()


def test_reference_tables_are_cached_copies() -> None:
    first = reference.reference_tables()
    first["events"].loc[0, "evidence"] = "changed"
    assert reference.reference_tables()["events"].loc[0, "evidence"] != "changed"
    assert reference._tables() is reference._tables()


# --------------------------------------------------------------------------- assembled tables and relations


@pytest.mark.parametrize(
    ("table", "name", "count"),
    [
        ("events", "events", lambda: len(reference.reference_csv("events"))),
        ("amounts", "debt+arms", lambda: sum((reference.reference_csv(n)["category"] != "").sum() for n in ("debt", "arms"))),
    ],
)
def test_reference_every_row_reaches_the_assembled_tables(assembled, table: str, name: str, count) -> None:
    df = assembled[table]
    assert len(df) == count() == len(reference.reference_tables()[table])
    assert (df["origin"] == "reference").all()
    assert list(df.columns) == TABLES[table] + (EVENT_EXTRA if table == "events" else [])


def test_reference_assemble_keeps_article_rows_and_adds_reference_once() -> None:
    article = {
        "event_id": "a1-e1",
        "article_id": "a1",
        "start_date": "1999-05-28",
        "end_date": "1999-05-28",
        "status": "occurred",
        "actors": "RUS;KOR",
        "source_actor": "RUS",
        "target_actor": "KOR",
        "cameo_code": "042",
        "quad_class": 1,
        "goldstein": 1.9,
        "evidence": "x",
        "origin": "article",
    }
    t = assemble({"events": pd.DataFrame([article])})
    n_ref = len(reference.reference_tables()["events"])
    assert len(t["events"]) == 1 + n_ref
    first = t["events"].iloc[0]
    assert {k: first[k] for k in article} == article
    again = assemble({"events": t["events"], "amounts": t["amounts"]})  # reference rows already present
    assert len(again["events"]) == len(t["events"]) and len(again["amounts"]) == len(t["amounts"])


def test_reference_relations_include_reference_events(assembled) -> None:
    rel = assembled["relations"]
    ids = {i for v in rel["event_ids"] for i in v.split(";")}
    ev = assembled["events"]
    directed = ev[(ev["source_actor"] != "") & (ev["target_actor"] != "")]
    assert set(directed["event_id"]) <= ids
    state = rel[rel["level"] == "state"]
    pairs = set(zip(state["source_actor"], state["target_actor"], strict=True))
    assert {("RUS", "KOR"), ("KOR", "RUS"), ("RUS", "PRK"), ("PRK", "RUS"), ("SUN", "KOR")} <= pairs


def test_reference_tiv_never_appears_as_value_usd(assembled) -> None:
    am = assembled["amounts"]
    tiv = reference.sipri_tiv()
    arms = reference.reference_csv("arms")
    arms_tiv = pd.to_numeric(arms["tiv"].replace("", None)).dropna()
    tiv_values = set(tiv["tiv"]) | set(tiv["tiv_unit"]) | set(arms_tiv)
    values = set(am["value_usd"])
    assert not values & (tiv_values | {v * 1e6 for v in tiv_values})
    assert not debt_arms.is_tiv(am).any()  # no amount note mentions TIV
    assert "value_usd" not in tiv.columns
    assert arms.loc[arms["tiv"] != "", "category"].eq("").all()  # TIV items never become amount rows
    plotted = debt_arms.dollar_rows(am)
    assert set(plotted["category"]) == {"debt", "arms_delivery", "arms_deal"}


def test_reference_sipri_tiv_is_its_own_table() -> None:
    tiv = reference.sipri_tiv()
    assert list(tiv.columns[:6]) == ["year", "recipient", "designation", "description", "numbers", "tiv"]
    assert len(tiv) == 42 and set(tiv["recipient"]) == {"North Korea", "South Korea"}
    assert pd.api.types.is_integer_dtype(tiv["year"]) and pd.api.types.is_float_dtype(tiv["tiv"])
    ka32 = tiv[(tiv["designation"] == "Ka-32") & (tiv["phase"] == "Bulgom-2")]
    assert ka32["tiv"].sum() == pytest.approx(50.75)  # agrees with arms_deliveries.csv b15
