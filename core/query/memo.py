"""Values derived from a table, computed once per table object.

Why: the dashboard's tables are assembled once per store version and from then on only read,
yet every filter change re-derived the same parsed dates, clean strings and ';'-list splits from
150,000 rows (over a second at corpus size). A derived value is keyed on the DataFrame's identity
and shape, held only while the DataFrame lives (a weak reference), and rebuilt if the frame's
shape or columns change. Callers must treat a table as read-only once they derive from it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")

_CACHE: dict[tuple[int, str], tuple[weakref.ref, tuple, Any]] = {}


def _forget(key: tuple[int, str], ref: weakref.ref, _cache: dict = _CACHE) -> None:
    # the cache is bound as a default: at interpreter exit module globals are already None
    hit = _cache.get(key)
    if hit is not None and hit[0] is ref:
        _cache.pop(key, None)


def _signature(df: pd.DataFrame) -> tuple:
    return (df.shape, tuple(df.columns))


def _held(df: pd.DataFrame, name: str) -> Any:
    """The value held for ``df`` and ``name``, or :data:`_MISSING`."""
    hit = _CACHE.get((id(df), name))
    if hit is not None and hit[0]() is df and hit[1] == _signature(df):
        return hit[2]
    return _MISSING


_MISSING = object()


def derived(df: pd.DataFrame, name: str, build: Callable[[pd.DataFrame], T]) -> T:
    """``build(df)``, computed at most once per live DataFrame object and ``name``."""
    value = _held(df, name)
    if value is _MISSING:
        signature = _signature(df)  # as the frame was when built from
        value = build(df)
        _hold(df, name, value, signature)
    return value


def token_positions(cells: list[list[str]]) -> dict[str, np.ndarray]:
    """token -> sorted row positions holding it: an inverted index for ';'-list columns."""
    index: dict[str, list[int]] = {}
    for pos, tokens in enumerate(cells):
        for tok in tokens:
            rows = index.setdefault(tok, [])
            if not rows or rows[-1] != pos:
                rows.append(pos)
    return {tok: np.asarray(rows, dtype=np.int64) for tok, rows in index.items()}


def group_positions(values: pd.Series) -> dict[str, np.ndarray]:
    """value -> sorted row positions holding it, for a single-valued column (vectorised)."""
    codes, uniques = pd.factorize(values)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {str(u): order[bounds[i] : bounds[i + 1]] for i, u in enumerate(uniques)}


def rows_with_any(index: dict[str, np.ndarray], wanted: set[str] | frozenset[str], n_rows: int) -> np.ndarray:
    """Boolean mask of the rows whose token list holds any of ``wanted``."""
    mask = np.zeros(n_rows, dtype=bool)
    for tok in wanted:
        rows = index.get(tok)
        if rows is not None:
            mask[rows] = True
    return mask


# --------------------------------------------------------------------------- carried over to a new table
# Why: after a write the loader makes the next version's tables from the previous ones
# (core.query.tables.apply_changes): most rows are the previous table's, in the same order, and one
# block of rows is new. Building every index again from 150,000 rows took most of the time to the
# first page after a write; these helpers make the new table's value from the old one's and from the
# value built on the new block alone (core.query.filters.carry says which values, and how).


def peek(df: pd.DataFrame, name: str) -> Any | None:
    """The value :func:`derived` holds for ``df`` and ``name``, or None (nothing is built)."""
    value = _held(df, name)
    return None if value is _MISSING else value


def names(df: pd.DataFrame) -> list[str]:
    """The names of the values :func:`derived` holds for ``df``."""
    signature = _signature(df)
    return [name for (i, name), (ref, sig, _v) in list(_CACHE.items()) if i == id(df) and ref() is df and sig == signature]


def put(df: pd.DataFrame, name: str, value: Any) -> None:
    """Hold ``value`` as what :func:`derived` would build for ``df`` and ``name`` (made another way)."""
    _hold(df, name, value, _signature(df))


def _hold(df: pd.DataFrame, name: str, value: Any, signature: tuple) -> None:
    key = (id(df), name)
    ref = weakref.ref(df, lambda r, k=key, forget=_forget: forget(k, r))
    _CACHE[key] = (ref, signature, value)


@dataclass(frozen=True)
class RowMap:
    """How a new table's rows come from an old one's: the old rows kept, in their order, with one
    block of new rows ``new[start:stop]`` put among them (the kept rows before ``start`` come first)."""

    old_to_new: np.ndarray  #: per old row, its position in the new table; -1 when dropped
    kept: np.ndarray  #: the old positions kept, in the new table's order
    start: int
    stop: int

    @property
    def n_new(self) -> int:
        return len(self.kept) + self.stop - self.start

    @staticmethod
    def of(drop: np.ndarray, fresh: np.ndarray) -> RowMap | None:
        """From the old rows dropped and the new rows that are fresh (boolean masks); None when the
        fresh rows are not one block."""
        at = np.flatnonzero(fresh)
        kept = np.flatnonzero(~drop)
        if len(at) and at[-1] - at[0] + 1 != len(at):
            return None
        start = int(at[0]) if len(at) else len(kept)
        stop = start + len(at)
        old_to_new = np.full(len(drop), -1, dtype=np.int64)
        new_pos = np.arange(len(kept), dtype=np.int64)
        new_pos[start:] += stop - start
        old_to_new[kept] = new_pos
        return RowMap(old_to_new, kept, start, stop)


def carry_rows(old: Any, m: RowMap, fresh: Any, index: pd.Index) -> Any:
    """A row-aligned value (a Series, an array, or a tuple of them) of the new table: the kept rows'
    values, the fresh block's in its place. ``fresh`` is the value built on the fresh rows alone
    (None when there are none); a Series gets the new table's ``index``."""
    if isinstance(old, tuple):
        return tuple(carry_rows(o, m, None if fresh is None else f, index) for o, f in zip(old, fresh or (None,) * len(old), strict=True))
    before, after = m.kept[: m.start], m.kept[m.start :]
    if isinstance(old, pd.Series):
        parts = [old.take(before), *([fresh] if fresh is not None and len(fresh) else []), old.take(after)]
        out = pd.concat([p for p in parts if len(p)]) if any(len(p) for p in parts) else old.iloc[:0]
        return out.set_axis(index)
    parts = [old[before], *([np.asarray(fresh)] if fresh is not None and len(fresh) else []), old[after]]
    return np.concatenate(parts)


def carry_positions(
    old: dict[str, np.ndarray], m: RowMap, fresh: dict[str, np.ndarray] | None, row_tokens: Callable[[int], list[str]]
) -> dict[str, np.ndarray]:
    """An inverted index (:func:`token_positions`, :func:`group_positions`) of the new table, in the
    order a build gives (a token where it first appears; tokens first met in one row in that row's
    order, which ``row_tokens(position)`` tells when neither index does)."""
    fresh = fresh or {}
    tokens = list(dict.fromkeys([*old, *fresh]))
    code = {t: i for i, t in enumerate(tokens)}
    old_list = list(old.values())
    old_lens = np.fromiter((len(v) for v in old_list), np.int64, len(old_list))
    old_codes = np.repeat(np.arange(len(old_list), dtype=np.int64), old_lens)  # old tokens are the first codes
    old_pos = m.old_to_new[np.concatenate(old_list)] if old_list else np.zeros(0, np.int64)
    live = old_pos >= 0
    fresh_list = list(fresh.values())
    fresh_lens = np.fromiter((len(v) for v in fresh_list), np.int64, len(fresh_list))
    fresh_codes = np.repeat(np.fromiter((code[t] for t in fresh), np.int64, len(fresh)), fresh_lens)
    fresh_pos = (np.concatenate(fresh_list) + m.start) if fresh_list else np.zeros(0, np.int64)
    codes = np.concatenate([old_codes[live], fresh_codes])
    pos = np.concatenate([old_pos[live], fresh_pos]).astype(np.int64, copy=False)
    order = np.lexsort((pos, codes))
    codes, pos = codes[order], pos[order]
    bounds = np.searchsorted(codes, np.arange(len(tokens) + 1))
    present = np.flatnonzero(bounds[1:] > bounds[:-1])
    first = pos[bounds[present]]
    # ties (several tokens first met in one row): by the old index's order when each was first met
    # in that row before too, by the fresh index's when the row is in the fresh block, else by the row
    rank = np.zeros(len(present), dtype=np.int64)
    by_first = np.argsort(first, kind="stable")
    sorted_first = first[by_first]
    tied = np.flatnonzero(sorted_first[1:] == sorted_first[:-1])
    if len(tied):
        fresh_rank = {t: i for i, t in enumerate(fresh)}
        for row in np.unique(sorted_first[tied]):
            group = by_first[np.searchsorted(sorted_first, row, "left") : np.searchsorted(sorted_first, row, "right")]
            met = [tokens[present[g]] for g in group]
            if all(t in old and m.old_to_new[old[t][0]] == row for t in met):
                rank[group] = present[group]  # old tokens' codes are their old order
            elif m.start <= row < m.stop:  # first met in the fresh block: the fresh index met them there first too
                rank[group] = [fresh_rank[t] for t in met]
            else:
                in_row = {t: i for i, t in enumerate(row_tokens(int(row)))}
                rank[group] = [in_row[t] for t in met]
    out: dict[str, np.ndarray] = {}
    for i in np.lexsort((rank, first)):
        c = present[i]
        out[tokens[c]] = pos[bounds[c] : bounds[c + 1]]
    return out
