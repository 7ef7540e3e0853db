"""From stored rows to the tables every consumer reads (dashboard, export, benchmark)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.domain.actors import dictionary
from core.domain.schema import ARTICLE_TABLES, TABLES, TYPES, row
from core.query.relations import _aggregate, build_relations, event_edges

if TYPE_CHECKING:
    from core.storage.changelog import Changes
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


def _typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``df`` (one article table as read) with its types as the product reads them, in place: the
    nullable and float columns of :data:`core.domain.schema.TYPES` as numbers (whole-number columns stay
    as SQLite gives them back), empty text cells as "". Shared by :func:`assemble` and :func:`apply_changes`."""
    for col, kind in TYPES.get(name, {}).items():
        if kind == "Int64":
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
        elif kind == "float":
            df[col] = pd.to_numeric(df[col], errors="coerce")
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].fillna("")
    return df


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
    for name in ARTICLE_TABLES:
        _typed(tables[name], name)
    tables["actors"] = actor_rows(raw.get("found_actors"))
    tables["relations"] = build_relations(tables["events"], tables["actors"])
    from core.storage.resolve import attach_resolution

    attach_resolution(tables, raw.get("resolution"))
    return tables


#: Tables whose rows are an article's own (kept in a store's ``article_id`` order; read back per article).
_KEYS = {"events": "event_id", "amounts": "amount_id"}


#: Articles rewritten past which :func:`apply_changes` leaves it to a full load (the rows of the changed
#: articles are read with one ``IN`` list per table, and past a few hundred a full read costs no more).
MAX_REWRITTEN = 500


def apply_changes(tables: dict[str, pd.DataFrame], store: Store, changes: Changes) -> dict[str, pd.DataFrame] | None:
    """The tables of version ``changes.version`` made from ``tables`` (those of ``changes.since``, as
    :func:`load_tables` gave them, reference rows included) by re-reading only the articles the writes
    touched: what :func:`load_tables` would give at that version, row for row (the tests compare).

    Why: a full load re-reads and re-assembles the whole corpus (8 s at 5,000 articles) after every
    add, re-date or removal of one article. Here the changed articles' rows are dropped from every
    article table and read again (in the store's row order: a write appends an article's rows, so they
    follow the rows of the articles it did not touch, as a full read gives them); the events of the
    articles whose resolved events changed get their stored groups again; the resolved events those
    groups were and are become new rows of ``resolved_events``; actors and relations, cheap
    aggregates, are made again from the new tables. ``tables`` is not changed (other sessions may read
    it): the tables returned are new frames, or the same frames when nothing of theirs changed.

    None when this cannot be done exactly, or not cheaply, and the caller loads everything: the store
    moved past ``changes.version`` meanwhile, more than :data:`MAX_REWRITTEN` articles were rewritten,
    an event has no stored group (a bulk ingest's batch not resolved yet: those are resolved in memory
    with the reference rows), or an article's row shares its id with a curated reference row (then
    the reference row is left out of a full load).
    """
    from core.domain.reference import reference_tables
    from core.storage import resolve as R
    from core.storage import resolve_store
    from core.storage.store import read_rows

    if changes.empty:
        return dict(tables)
    if len(changes.rewritten) > MAX_REWRITTEN:
        return None  # a rebuild or a large ingest: reading everything is as cheap, and one query per table
    reference = reference_tables()
    with store.snapshot() as con:
        if store.version(con) != changes.version:
            return None
        changed = sorted(changes.rewritten)
        raw = read_rows(con, list(ARTICLE_TABLES), changed, in_order=True) if changed else {}
        found = read_rows(con, ["found_actors"])["found_actors"] if changed else None
        stored = resolve_store.load(con, changes.rewritten | changes.regrouped)
        out = dict(tables)
        tail: dict[str, int] = {}
        dropped_events = tables["events"].iloc[:0]
        for name in ARTICLE_TABLES:
            old = tables[name]
            if name == "events":
                old = old.drop(columns=["resolved_id"])
            n_ref = _reference_tail(old, reference.get(name), _KEYS.get(name))
            if n_ref is None:
                return None
            tail[name] = n_ref
            if not changed:
                out[name] = old
                continue
            body, ref = old.iloc[: len(old) - n_ref], old.iloc[len(old) - n_ref :]
            drop = body["article_id"].isin(changed).to_numpy()
            new = _typed(conform(raw[name].copy(), name), name)
            if name in _KEYS and n_ref and new[_KEYS[name]].isin(ref[_KEYS[name]]).any():
                return None
            if not drop.any() and new.empty:
                out[name] = old
                continue
            if name == "events":
                dropped_events = body[drop]
            out[name] = _compacted(_spliced([*_runs_kept(body, drop), new, ref], old))
        if changed:
            actors = actor_rows(found)
            out["actors"] = tables["actors"] if actors.equals(tables["actors"]) else actors
        # ---- resolution: the events' groups, and the resolved events touched ----
        ev_old, ev = tables["events"], out["events"]
        group = dict(zip(stored["event_id"], stored["resolved_id"], strict=True))
        rules_of = dict(zip(stored["event_id"], stored["merge_rule"], strict=True))
        n_ref = tail["events"]
        touching = changes.rewritten | changes.regrouped
        old_rid = ev_old["resolved_id"].to_numpy(dtype=object)
        old_body = len(ev_old) - n_ref
        old_aid = ev_old["article_id"].iloc[:old_body]
        aid = ev["article_id"].to_numpy(dtype=object)
        eid = ev["event_id"].to_numpy(dtype=object)
        body = len(ev) - n_ref
        # the kept rows come first, in their order, with their groups; then the rows read again
        kept_rid = old_rid[:old_body][~_members(old_aid, changes.rewritten)]
        rid_arr = np.empty(body, dtype=object)
        rid_arr[: len(kept_rid)] = kept_rid
        touched_new = _members(ev["article_id"].iloc[:body], touching).nonzero()[0]
        for i in touched_new:
            rid_arr[i] = group.get(eid[i])
        if any(rid_arr[i] is None for i in touched_new):
            return None  # an event without a stored group (resolved in memory by a full load)
        touched = set(old_rid[:old_body][_members(old_aid, touching)]) | set(rid_arr[touched_new])
        ref_rid = old_rid[len(old_rid) - n_ref :]
        ref_rules: dict[str, str] = {}
        if n_ref and out["actors"] is not tables["actors"]:
            # the reference rows are resolved among themselves, with the actors' countries: again
            res = R.resolve_events(ev.iloc[len(ev) - n_ref :], out["actors"], out["articles"])
            new_ref = ev["event_id"].iloc[len(ev) - n_ref :].map(res.resolved_id).to_numpy()
            touched |= set(ref_rid) | set(new_ref)
            ref_rid, ref_rules = new_ref, res.merge_rule
        ev["resolved_id"] = np.concatenate([rid_arr, np.asarray(ref_rid, dtype=object)])  # ev: a new frame (dropped column)
        out["events"] = ev
        members = ev["resolved_id"].isin(touched).to_numpy()
        others = sorted(set(aid[members]) - changes.rewritten - changes.regrouped - {""})
        if others:  # members of a touched group whose own group did not change: their stored merge rules
            more = resolve_store.load(con, others)
            rules_of.update(zip(more["event_id"], more["merge_rule"], strict=True))
    rules_of.update(ref_rules)
    summary = R.summarize(ev[members], out["articles"], merge_rules={e: rules_of.get(e, "") for e in eid[members]})
    old_res = tables["resolved_events"]
    kept = _spliced(_runs_kept(old_res, old_res["resolved_id"].isin(list(touched)).to_numpy()), old_res)
    out["resolved_events"] = _compacted(_merged(kept, summary, ["start_date", "resolved_id"]))
    if out["actors"] is not tables["actors"]:
        out["relations"] = build_relations(out["events"], out["actors"])  # countries changed: every state pair may have
    elif changed:
        new_rows = out["events"].iloc[len(out["events"]) - n_ref - len(raw["events"]) : len(out["events"]) - n_ref]
        out["relations"] = _relations_after(tables["relations"], out["events"], pd.concat([dropped_events, new_rows]), out["actors"])
    return out


def _runs_kept(df: pd.DataFrame, drop: np.ndarray) -> list[pd.DataFrame]:
    """``df`` without the rows marked, as slices between the runs dropped. Why: a boolean take copies
    every column of the table (50 ms for the events of 2,000 articles), while an article's rows are
    one run (written together) and slices copy nothing; many runs fall back to the take."""
    if not drop.any():
        return [df]
    bounds = np.flatnonzero(np.diff(np.concatenate([[0], drop.astype(np.int8), [0]])))
    starts, ends = bounds[::2], bounds[1::2]
    if len(starts) > 64:
        return [df[~drop]]
    pieces, prev = [], 0
    for a, b in zip(starts, ends, strict=True):
        if a > prev:
            pieces.append(df.iloc[prev:a])
        prev = b
    if prev < len(df):
        pieces.append(df.iloc[prev:])
    return pieces


def _spliced(pieces: list[pd.DataFrame], like: pd.DataFrame) -> pd.DataFrame:
    """The pieces one after the other, indexed 0..n-1 (empty pieces left out: they would change dtypes)."""
    pieces = [p for p in pieces if len(p)]
    if len(pieces) == 1:
        return pieces[0].reset_index(drop=True)
    return pd.concat(pieces, ignore_index=True) if pieces else like.iloc[:0].reset_index(drop=True)


#: A text column whose Arrow array has more chunks than this is made one chunk again (:func:`_compacted`).
MAX_CHUNKS = 32


def _compacted(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with each text column of many Arrow chunks made one chunk. Why: every splice of
    :func:`apply_changes` adds chunks to the columns it joins (no copy), and a server that takes
    thousands of writes would otherwise make every later vectorised operation walk thousands of chunks."""
    fixed = {}
    for col in df.columns:
        arr = df[col].array
        if isinstance(arr, pd.arrays.ArrowStringArray):
            chunks = arr.__arrow_array__()
            if getattr(chunks, "num_chunks", 1) > MAX_CHUNKS:
                fixed[col] = pd.Series(pd.arrays.ArrowStringArray(chunks.combine_chunks(), dtype=arr.dtype), index=df.index)
    if not fixed:
        return df
    out = df.copy(deep=False)
    for col, values in fixed.items():
        out[col] = values
    return out


def _merged(kept: pd.DataFrame, new: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``kept`` (sorted by ``keys``, all distinct) with the rows of ``new`` put in their sorted places:
    what ``pd.concat([kept, new]).sort_values(keys, kind="stable")`` gives, without sorting the whole
    table (a bisection per new row, then one take); that sort is the fallback when a key is missing
    (NaN sorts last)."""
    if new.empty:
        return kept.reset_index(drop=True)
    if kept.empty:
        return new.sort_values(keys, kind="stable").reset_index(drop=True)
    new = new.sort_values(keys, kind="stable")
    first = [kept[k].to_numpy(dtype=object) for k in keys]
    try:
        if any(pd.isna(v) for k in keys for v in new[k]) or kept[keys].isna().to_numpy().any():
            raise TypeError("a missing key")
        at = [_position(first, tuple(row)) for row in new[keys].itertuples(index=False)]
    except TypeError:
        return pd.concat([kept, new], ignore_index=True).sort_values(keys, kind="stable").reset_index(drop=True)
    # one take in the merged order (slices per new row cost more once there are hundreds of them)
    order = np.insert(np.arange(len(kept)), np.asarray(at, dtype=np.int64), np.arange(len(kept), len(kept) + len(new)))
    return pd.concat([kept, new], ignore_index=True).take(order).reset_index(drop=True)


def _position(columns: list[np.ndarray], key: tuple) -> int:
    """How many rows of the sorted key columns come before ``key`` (a lexicographic bisection)."""
    lo, hi = 0, len(columns[0])
    for col, value in zip(columns, key, strict=True):
        lo, hi = lo + int(np.searchsorted(col[lo:hi], value, "left")), lo + int(np.searchsorted(col[lo:hi], value, "right"))
        if lo == hi:
            return lo
    return lo


#: The events' columns :func:`core.query.relations.event_edges` reads.
_EDGE_COLUMNS = ["event_id", "source_actor", "target_actor", "start_date", "goldstein", "quad_class"]


def _relations_after(old: pd.DataFrame, events: pd.DataFrame, changed: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The relations of ``events`` made from the old relations (the same actors' countries): only the
    pairs the ``changed`` event rows (those gone and those new) state are aggregated again, from the
    events stating them; as :func:`core.query.relations.build_relations` makes them (the tests compare).
    Why: aggregating every pair again was the largest part of bringing the tables forward."""
    if old.empty:
        return build_relations(events, actors)
    edges = event_edges(changed)
    if edges.empty:
        return old
    country = dict(zip(actors["actor_id"], actors["country"].fillna(""), strict=False)) if not actors.empty else {}
    src = events["source_actor"].str.strip()
    tgt = events["target_actor"].str.strip()
    levels = []
    for level in ("actor", "state"):
        rows = old[(old["level"] == level).to_numpy()]
        if level == "actor":
            pairs = set(zip(edges["source"], edges["target"], strict=True))
            s_ids, t_ids = {p[0] for p in pairs}, {p[1] for p in pairs}
        else:
            mapped = ((country.get(a, ""), country.get(b, "")) for a, b in zip(edges["source"], edges["target"], strict=True))
            pairs = {(a, b) for a, b in mapped if a and b and a != b}
            s_ids = {x for x, c in country.items() if c in {p[0] for p in pairs}}
            t_ids = {x for x, c in country.items() if c in {p[1] for p in pairs}}
        if not pairs:
            levels.append(rows)
            continue
        # the candidates' edges, only the columns an edge reads taken (a take of every column cost most of this)
        found = event_edges(events[_EDGE_COLUMNS][(src.isin(list(s_ids)) & tgt.isin(list(t_ids))).to_numpy()])
        if level == "state":
            found = found.assign(source=found["source"].map(country).fillna(""), target=found["target"].map(country).fillna(""))
        found = found[[(a, b) in pairs for a, b in zip(found["source"], found["target"], strict=True)]]
        fresh = _aggregate(found, level) if len(found) else rows.iloc[:0]
        drop = np.fromiter(((a, b) in pairs for a, b in zip(rows["source_actor"], rows["target_actor"], strict=True)), bool, len(rows))
        levels.append(_merged(_spliced(_runs_kept(rows, drop), rows), fresh, ["source_actor", "target_actor"]))
    return _spliced(levels, old)


def _members(article_ids: pd.Series, wanted: frozenset[str] | set[str]) -> np.ndarray:
    """Boolean mask of the cells in ``wanted``."""
    return article_ids.isin(list(wanted)).to_numpy() if wanted else np.zeros(len(article_ids), dtype=bool)


def _reference_tail(df: pd.DataFrame, reference: pd.DataFrame | None, key: str | None) -> int | None:
    """How many rows at the end of ``df`` are curated reference rows (appended after the article rows
    by :func:`assemble`); None when an article row holds a reference row's id (:func:`apply_changes`
    then cannot tell them apart and the caller loads everything)."""
    if key is None or reference is None or reference.empty or df.empty:
        return 0
    ref_ids = set(reference[key].to_numpy(dtype=object))
    ids = df[key].to_numpy(dtype=object)
    n = 0
    while n < len(ids) and ids[len(ids) - 1 - n] in ref_ids:
        n += 1
    if _members(df[key].iloc[: len(ids) - n], ref_ids).any():
        return None
    return n
