"""From stored rows to the tables every consumer reads (dashboard, export, benchmark)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.domain.actors import dictionary
from core.domain.schema import ARTICLE_TABLES, TABLES, TYPES, row
from core.query.relations import build_relations

if TYPE_CHECKING:
    from core.storage.store import Store


def load_tables(store: Store, include_reference: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of :mod:`core.domain.schema` from a store, relations aggregated from the events.

    The curated reference layer joins the article rows unless ``include_reference`` is off.
    """
    return assemble(store.load_raw(), include_reference)


def actor_rows(found: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dictionary's actors plus the people met only in the text."""
    rows = []
    for a in dictionary().values():
        roles = "; ".join(
            f"{r.title or r.role}{' to ' + r.to if r.to else ''} "
            f"({r.start.isoformat() if r.start else '?'} – {r.end.isoformat() if r.end else ''})"
            for r in a.roles
        )
        rows.append(
            row(
                "actors",
                {
                    "actor_id": a.actor_id,
                    "name": a.name,
                    "kind": a.kind,
                    "country": a.country,
                    "source": "dictionary",
                    "aliases": "; ".join(a.aliases),
                    "roles": roles,
                },
            )
        )
    known = {r["actor_id"] for r in rows}
    if found is not None and not found.empty:
        extra = found[~found["actor_id"].isin(known)].copy()
        # one row per person; keep the country if any article gave one
        extra = extra.sort_values("country", ascending=False).drop_duplicates("actor_id")
        for r in extra.itertuples():
            rows.append(
                row(
                    "actors",
                    {"actor_id": r.actor_id, "name": r.name, "kind": r.kind, "country": r.country or "", "source": "text"},
                )
            )
    return pd.DataFrame(rows, columns=TABLES["actors"])


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Exactly the schema's columns, in order (missing ones empty)."""
    cols = TABLES[table]
    for c in cols:
        if c not in df.columns:
            df[c] = pd.Series(dtype="object")
    return df[cols].reset_index(drop=True)


def assemble(raw: dict[str, pd.DataFrame], include_reference: bool = True) -> dict[str, pd.DataFrame]:
    """The tables of the product; ``include_reference=False`` keeps only what articles say."""
    tables: dict[str, pd.DataFrame] = {}
    for name in ARTICLE_TABLES:
        tables[name] = conform(raw.get(name, pd.DataFrame()).copy(), name)
    # the curated reference rows (data/reference/) join the article rows before anything is derived
    # from them, so relations and the network include them; rows already present are not added twice
    from core.domain.reference import reference_tables

    reference = reference_tables() if include_reference else {}
    for name, key in (("events", "event_id"), ("amounts", "amount_id")) if include_reference else ():
        base = tables[name]
        present = set(base[key].to_numpy(dtype=object))  # a set: Arrow-string isin took seconds at corpus size
        extra = reference[name][[k not in present for k in reference[name][key].to_numpy(dtype=object)]]
        if not extra.empty:
            tables[name] = pd.concat([base, extra], ignore_index=True) if len(base) else extra.reset_index(drop=True)
    # the nullable and float columns of core.domain.schema.TYPES as numbers (whole-number columns stay as
    # SQLite gives them back)
    for name in ARTICLE_TABLES:
        for col, kind in TYPES.get(name, {}).items():
            if kind == "Int64":
                tables[name][col] = pd.to_numeric(tables[name][col], errors="coerce").astype("Int64")
            elif kind == "float":
                tables[name][col] = pd.to_numeric(tables[name][col], errors="coerce")
    for t in ("events", "amounts", "citations", "articles", "mentions", "sentences"):
        df = tables[t]
        for c in df.columns:
            if df[c].dtype == object:
                df[c] = df[c].fillna("")
    tables["actors"] = actor_rows(raw.get("found_actors"))
    tables["relations"] = build_relations(tables["events"], tables["actors"])
    from core.storage.resolve import attach_resolution

    attach_resolution(tables, raw.get("resolution"))
    return tables
