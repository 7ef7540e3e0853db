"""Evidence stored once: text cells kept as pointers into the article's stored text (schema version 3).

Why: every event, amount, mention and citation row held a copy of its sentence or its words, and the
``sentences`` table held the article text a second time; those copies were most of the store's bytes
(issue 14). From schema version 3 the store keeps such a cell NULL when it is exactly the stored text
between the row's offsets (:data:`core.domain.schema.POINTERS`: an event's ``evidence`` is the text between
``evidence_start`` and ``evidence_end``, an amount's ``evidence`` the text of its sentence), and fills it
back when it reads (:func:`fill`), so every reader sees the values it always saw. A value that is not
that slice (edited, or its offsets missing) is stored as it is: nothing is ever lost to the pointer.

Pure functions over rows and frames; the SQL that feeds them is in :mod:`core.storage.store`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from core.domain.schema import POINTERS

#: Off: every cell is stored as a copy (still in a version-3 store, so it reads the same); the tests
#: write both ways and compare what is read back.
STORE_ONCE = True


def sentence_spans(sentences: Iterable[Mapping[str, object]]) -> dict[object, tuple[object, object]]:
    """sentence_id → (start, end) of one article's sentence rows (what an amount's evidence points at)."""
    return {s.get("sentence_id"): (s.get("start_char"), s.get("end_char")) for s in sentences}


def _plan(table: str, cols: Sequence[str]) -> list[tuple[int, int, int | None]]:
    """(cell, start or sentence_id, end or None) positions of ``table``'s pointer columns in ``cols``."""
    idx = {c: i for i, c in enumerate(cols)}
    plan: list[tuple[int, int, int | None]] = []
    for col, where in POINTERS.get(table, {}).items():
        if col not in idx:
            continue
        if where == "sentence":
            if "sentence_id" in idx:
                plan.append((idx[col], idx["sentence_id"], None))
        elif where[0] in idx and where[1] in idx:
            plan.append((idx[col], idx[where[0]], idx[where[1]]))
    return plan


def compact(
    table: str,
    cols: Sequence[str],
    data: Iterable[Sequence[object]],
    text: str,
    spans: Mapping[object, tuple[object, object]] | None = None,
) -> list[tuple[object, ...]]:
    """The cells to store for rows of ``table`` (each a sequence in ``cols`` order) of an article whose
    stored text is ``text``: a pointer cell becomes None (NULL) when it is exactly the text between its
    offsets (``spans``: the article's :func:`sentence_spans`, for cells pointing at a sentence). A pointer
    cell that was None is stored as "" — read as "" before version 3 — since NULL now means "slice"."""
    plan = _plan(table, cols)
    if not plan:
        return [tuple(r) for r in data]
    spans = spans or {}
    n = len(text)
    out = []
    for r in data:
        cells = list(r)
        for i, ia, ib in plan:
            value = cells[i]
            if value is None:
                cells[i] = ""
                continue
            if not STORE_ONCE or type(value) is not str:
                continue
            if ib is None:
                a, b = spans.get(cells[ia], (None, None)) if type(cells[ia]) is int else (None, None)
            else:
                a, b = cells[ia], cells[ib]
            # exact ints only: a bool, a float or a text offset is no pointer (kept as a copy)
            if type(a) is int and type(b) is int and 0 <= a <= b <= n and b - a == len(value) and text[a:b] == value:
                cells[i] = None
        out.append(tuple(cells))
    return out


def _offsets(values: object) -> np.ndarray:
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64")


def _sentence_offsets(sentences: pd.DataFrame | None, aids: np.ndarray, sids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (start, end) of each (article, sentence) asked for, NaN where no such sentence is stored."""
    if sentences is None or sentences.empty:
        return np.full(len(aids), np.nan), np.full(len(aids), np.nan)
    keys = ["article_id", "sentence_id"]
    right = sentences[[*keys, "start_char", "end_char"]].drop_duplicates(keys)
    right = right.assign(sentence_id=_offsets(right["sentence_id"].to_numpy()))
    left = pd.DataFrame({"article_id": aids, "sentence_id": _offsets(sids)})
    merged = left.merge(right, how="left", on=keys, sort=False)  # a left merge keeps the left order
    return _offsets(merged["start_char"].to_numpy()), _offsets(merged["end_char"].to_numpy())


def fill(frames: dict[str, pd.DataFrame], texts_of: Callable[[list[str]], Iterable[tuple[str, str]]]) -> None:
    """Fill, in place, the NULL pointer cells of stored rows (``frames``: table → rows as read from a
    version-3 store) with the stored text between their offsets; ``texts_of(article_ids)`` yields
    (article_id, text) pairs, one article at a time, so no more than one text is held besides the rows.

    A cell whose offsets are missing or whose article text is gone reads "" (as a NULL always read).
    """
    jobs: list[tuple[str, str, np.ndarray]] = []
    aid_parts, start_parts, end_parts = [], [], []
    for table, pointers in POINTERS.items():
        df = frames.get(table)
        if df is None or df.empty or "article_id" not in df.columns:
            continue
        for col, where in pointers.items():
            if col not in df.columns:
                continue
            pos = np.flatnonzero(df[col].isna().to_numpy())
            if not len(pos):
                continue
            aids = df["article_id"].to_numpy(dtype=object)[pos]
            if where == "sentence":
                sids = df["sentence_id"].to_numpy()[pos] if "sentence_id" in df.columns else np.full(len(pos), np.nan)
                starts, ends = _sentence_offsets(frames.get("sentences"), aids, sids)
            elif where[0] in df.columns and where[1] in df.columns:
                starts, ends = _offsets(df[where[0]].to_numpy()[pos]), _offsets(df[where[1]].to_numpy()[pos])
            else:
                starts = ends = np.full(len(pos), np.nan)
            jobs.append((table, col, pos))
            aid_parts.append(aids)
            start_parts.append(starts)
            end_parts.append(ends)
    if not jobs:
        return
    aids = np.concatenate(aid_parts)
    starts, ends = np.concatenate(start_parts), np.concatenate(end_parts)
    valid = np.isfinite(starts) & np.isfinite(ends) & (starts >= 0) & (ends >= starts)
    starts = np.where(valid, starts, 0).astype("int64")
    ends = np.where(valid, ends, 0).astype("int64")  # an invalid pointer slices to ""
    codes, uniques = pd.factorize(pd.Series(aids, dtype=object).fillna(""))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    where_of = {u: k for k, u in enumerate(uniques)}
    s_sorted, e_sorted = starts[order].tolist(), ends[order].tolist()
    values: list[str] = [""] * len(order)
    for aid, text in texts_of(list(uniques)):
        k = where_of.get(aid)
        if k is None or not isinstance(text, str):
            continue
        lo, hi = int(bounds[k]), int(bounds[k + 1])
        values[lo:hi] = [text[a:b] for a, b in zip(s_sorted[lo:hi], e_sorted[lo:hi], strict=True)]
    filled = np.empty(len(order), dtype=object)
    filled[order] = np.array(values, dtype=object)
    at = 0
    for table, col, pos in jobs:
        df = frames[table]
        column = df[col].to_numpy(dtype=object, copy=True)
        column[pos] = filled[at : at + len(pos)]
        at += len(pos)
        # built from a list, as the reader builds a column: all text → the same string dtype as a stored copy
        df[col] = pd.Series(column.tolist(), index=df.index)
