"""The curated reference layer (``data/reference/*.csv``) as rows of the product's tables.

Four hand-written files, each opening with ``#`` notes on where its rows came from:

* ``events.csv``: dated milestones 1990-2025 with actors, CAMEO code, status and sources;
* ``debt.csv``: the Soviet-era debt to South Korea as reported over time (US$), the 1991 pledge,
  the 2003 restructuring and North Korea's debt to Russia (category ``other``);
* ``arms_deliveries.csv``: the Bulgom ("Brown Bear") arms-for-debt deliveries by phase and item;
* ``sipri_transfers.csv``: SIPRI Arms Transfers Database rows (TIV, a volume index, not money).

:func:`reference_tables` turns the first three into ``events`` and ``amounts`` rows with exactly
the columns of :data:`core.domain.schema.TABLES` and ``origin == "reference"``, so they flow through the
same filters, relations and figures as the rows read from articles. :func:`sipri_tiv` keeps the
SIPRI rows apart: a TIV value never becomes ``value_usd``. Pure (no Streamlit); files are read
once per process.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pandas as pd

from core.domain import cameo
from core.domain.schema import TABLES, row
from core.text.datafiles import read_csv_rows

FILES = {
    "events": "reference/events.csv",
    "debt": "reference/debt.csv",
    "arms": "reference/arms_deliveries.csv",
    "sipri": "reference/sipri_transfers.csv",
}

RELIABILITY = ("high", "medium", "low", "doubtful")
#: How sure a reader can be of a reference row, on the 0-1 ``confidence`` scale of article events.
CONFIDENCE = {"high": 0.9, "medium": 0.7, "low": 0.4, "doubtful": 0.2}
DATE_PRECISIONS = ("day", "month", "year")
TOPICS = (
    "arms trade",
    "debt",
    "missile defence",
    "inter-Korean relations",
    "nuclear programme",
    "missile programme",
    "military cooperation",
    "economic ties",
    "diplomacy",
)
#: Topics of the amount rows, by the file they come from.
AMOUNT_TOPICS = {"debt": "debt", "arms": "arms trade;debt"}

SIPRI_COLUMNS = [
    "year",
    "recipient",
    "designation",
    "description",
    "numbers",
    "tiv",
    "recipient_id",
    "supplier",
    "sipri_id",
    "armament_category",
    "order_year",
    "year_estimate",
    "numbers_estimate",
    "tiv_unit",
    "phase",
    "reliability",
    "note",
    "source_url",
]


@cache
def _read(name: str) -> tuple[dict[str, str], ...]:
    return tuple(read_csv_rows(FILES[name]))


def reference_csv(name: str) -> pd.DataFrame:
    """One curated file as written (every cell a string): ``events``, ``debt``, ``arms`` or ``sipri``."""
    rows = _read(name)
    return pd.DataFrame(list(rows), columns=list(rows[0]) if rows else None, dtype=object)


def _millions(value: float) -> str:
    return f"{value / 1e6:,.2f}".rstrip("0").rstrip(".")


def _event_row(r: dict[str, str]) -> dict[str, object]:
    code = r["cameo_code"]
    rel = r["reliability"]
    return row(
        "events",
        {
            "event_id": f"ref-{r['ref_id']}",
            "article_id": "",
            "start_date": r["start_date"],
            "end_date": r["end_date"] or r["start_date"],
            "date_precision": r["date_precision"],
            "event_type": cameo.type_name(code),
            "cameo_root": code[:2],
            "quad_class": cameo.quad_class(code),
            "goldstein": cameo.goldstein(code),
            "status": r["status"],
            "actors": r["actors"],
            "location": r["location"],
            "evidence": r["description"],
            "sources": r["sources"],
            "cameo_code": code,
            "source_actor": r["source_actor"],
            "target_actor": r["target_actor"],
            "topics": r["topics"],
            "date_text": r["date_text"],
            "date_rule": f"reference: {r['date_precision']} precision",
            "type_rule": "reference: curated CAMEO code",
            "status_rule": f"reference: reliability {rel}" + (f"; {r['note']}" if r["note"] else ""),
            "confidence": CONFIDENCE[rel],
            "sentence_id": None,
            "evidence_start": None,
            "evidence_end": None,
            "also_sentences": "",
            "origin": "reference",
            "source_url": r["source_url"],
        },
    )


def _amount_row(r: dict[str, str], source: str, n: int) -> dict[str, object]:
    value = float(r["value_usd"])
    what = r.get("measure") or r.get("item") or ""
    return row(
        "amounts",
        {
            "amount_id": f"ref-a{n:03d}",
            "article_id": "",
            "value_usd": value,
            "category": r["category"],
            "status": r["status"],
            "as_of_date": r.get("as_of_date") or r.get("start_date", ""),
            "evidence": r["description"],
            "as_of_end": r.get("as_of_end") or r.get("end_date", ""),
            "date_precision": r["date_precision"],
            "raw_text": f"US${_millions(value)} million ({what})",
            "from_actor": r["from_actor"],
            "to_actor": r["to_actor"],
            "topics": AMOUNT_TOPICS[source],
            "rule": f"reference:{FILES[source].rsplit('/', 1)[-1]}:{r['ref_id']}",
            "sentence_id": None,
            "start_char": None,
            "end_char": None,
            "origin": "reference",
            "source_url": r["source_url"],
            "note": f"{r['note']}; reliability {r['reliability']}",
        },
    )


@lru_cache(maxsize=1)
def _tables() -> dict[str, pd.DataFrame]:
    events = pd.DataFrame([_event_row(r) for r in _read("events")], columns=TABLES["events"])
    amounts = []
    for source in ("debt", "arms"):
        for r in _read(source):
            if not r["category"]:  # an item without a dollar value (quantities, TIV): no amount row
                continue
            if not r["value_usd"]:
                raise ValueError(f"{FILES[source]} {r['ref_id']}: category {r['category']!r} without value_usd")
            amounts.append(_amount_row(r, source, len(amounts) + 1))
    return {"events": events, "amounts": pd.DataFrame(amounts, columns=TABLES["amounts"])}


def reference_tables() -> dict[str, pd.DataFrame]:
    """``events`` and ``amounts`` rows of the reference layer (fresh copies of the cached frames)."""
    return {name: df.copy() for name, df in _tables().items()}


@lru_cache(maxsize=1)
def _sipri() -> pd.DataFrame:
    rows = [
        {
            "year": int(r["delivery_year"]),
            "recipient": r["recipient"],
            "designation": r["designation"],
            "description": r["description"],
            "numbers": int(r["numbers_delivered"]),
            "tiv": float(r["tiv_delivered"]),
            "recipient_id": r["recipient_id"],
            "supplier": r["supplier"],
            "sipri_id": r["sipri_id"],
            "armament_category": r["armament_category"],
            "order_year": int(r["order_year"]),
            "year_estimate": r["delivery_year_estimate"] == "yes",
            "numbers_estimate": r["numbers_estimate"] == "yes",
            "tiv_unit": float(r["tiv_unit_deal"]),
            "phase": r["phase"],
            "reliability": r["reliability"],
            "note": r["note"],
            "source_url": r["source_url"],
        }
        for r in _read("sipri")
    ]
    return pd.DataFrame(rows, columns=SIPRI_COLUMNS)


def sipri_tiv() -> pd.DataFrame:
    """SIPRI deliveries by year in TIV (a volume index, never US$): kept out of the amounts table."""
    return _sipri().copy()
