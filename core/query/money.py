"""Stocks and flows of money figures: what may be added up, and what is a total already.

A figure that states a total over a period ("has dealt US$500 million in arms during the past
decade", "so far", "in all") is a *stock*: it already contains the single deliveries of that
period, so adding it to them counts the same arms twice. A *flow* is one delivery (or one phase
of deliveries). The cue words are data (``stock`` rows of ``data/amount_cues.csv``); the
reference layer follows its own convention (``data/reference/arms_deliveries.csv``: every
``arms_delivery`` row is an addable phase; running totals are category ``other``).

The same delivery is often reported twice, by an article and by the reference layer: two flows
with overlapping periods, compatible parties and values within :data:`SAME_VALUE_TOLERANCE` are
one delivery, counted once (the curated row is kept). Pure functions, no Streamlit.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from core.domain.gazetteer import counts_as
from core.query.frames import text, to_datetime
from core.text.datafiles import cached_csv

#: Two reports of one delivery differ by at most this share of the larger value.
SAME_VALUE_TOLERANCE = 0.10
#: Characters either side of a figure searched for a stock cue (cut at ";" and at " but ").
CUE_WINDOW = 100
_CUT = re.compile(r";|\bbut\b|\bwhile\b|\bwhereas\b", re.I)
#: Statuses whose deliveries count (not planned, proposed or denied).
COUNTED = {"occurred", "delivered", "reported", ""}


@cache
def _stock_cues() -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(r"(?<![\w-])(?:" + r["word"] + r")(?![\w-])", re.I) for r in cached_csv("amount_cues.csv") if r["category"] == "stock"
    )


def stock_cue(evidence: str, raw_text: str) -> str:
    """The stock cue next to the figure ``raw_text`` in its sentence, or '' when there is none.

    Only the figure's own stretch of the sentence counts: up to :data:`CUE_WINDOW` characters
    either side, stopping at a semicolon or a contrasting conjunction ("…, but …").
    """
    evidence, raw_text = str(evidence or ""), str(raw_text or "").strip()
    if not evidence or not raw_text:
        return ""
    at = evidence.find(raw_text)
    if at < 0:
        return ""
    lo, hi = max(0, at - CUE_WINDOW), min(len(evidence), at + len(raw_text) + CUE_WINDOW)
    before, after = evidence[lo:at], evidence[at + len(raw_text) : hi]
    cuts = list(_CUT.finditer(before))
    if cuts:
        before = before[cuts[-1].end() :]
    cut = _CUT.search(after)
    if cut:
        after = after[: cut.start()]
    for rx in _stock_cues():
        m = rx.search(after) or rx.search(before)
        if m:
            return m[0].lower()
    return ""


def basis(amounts: pd.DataFrame) -> pd.Series:
    """'stock' or 'flow' per amount row (reference rows are flows by the reference file's convention)."""
    if amounts is None or amounts.empty:
        return pd.Series(dtype=object)
    origin = text(amounts["origin"]) if "origin" in amounts.columns else pd.Series("", index=amounts.index)
    ev = text(amounts["evidence"]) if "evidence" in amounts.columns else pd.Series("", index=amounts.index)
    raw = text(amounts["raw_text"]) if "raw_text" in amounts.columns else pd.Series("", index=amounts.index)
    out = ["flow" if o == "reference" else ("stock" if stock_cue(e, r) else "flow") for o, e, r in zip(origin, ev, raw, strict=False)]
    return pd.Series(out, index=amounts.index, dtype=object)


def periods(amounts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(start, end) timestamps of each row: its stated period, else the whole day/month/year of its precision."""
    start = to_datetime(amounts["as_of_date"])
    end = to_datetime(amounts["as_of_end"]) if "as_of_end" in amounts.columns else pd.Series(pd.NaT, index=amounts.index)
    prec = text(amounts["date_precision"]).str.lower() if "date_precision" in amounts.columns else pd.Series("", index=amounts.index)
    implied = start.copy()
    year = prec.isin(["year"])
    month = prec.isin(["month"])
    decade = prec.isin(["decade"])
    implied[year] = start[year] + pd.offsets.YearEnd(0)
    implied[month] = start[month] + pd.offsets.MonthEnd(0)
    implied[decade] = start[decade].map(lambda d: pd.Timestamp(d.year // 10 * 10 + 9, 12, 31) if pd.notna(d) else d)
    end = end.where(end.notna() & (end >= start), implied)
    # an end on the first of a month at month precision means that whole month
    first = end.notna() & (end.dt.day == 1) & month & (end > start)
    end[first] = end[first] + pd.offsets.MonthEnd(0)
    return start, end


def _party(v: str) -> str:
    return counts_as(str(v or ""))


def _compatible(a: str, b: str) -> bool:
    return not a or not b or a == b


def delivery_flows(rows: pd.DataFrame) -> pd.DataFrame:
    """The arms deliveries that add up: flows with a counted status, each delivery once.

    Returns the rows (same index) with ``_start``, ``_end``, ``_basis``, ``_counted`` and
    ``_same_as`` (the amount_id of the row a duplicate was merged into, else '').
    """
    df = rows.copy()
    if df.empty:
        for c in ("_start", "_end", "_basis", "_counted", "_same_as"):
            df[c] = pd.Series(dtype=object)
        return df
    df["_start"], df["_end"] = periods(df)
    df["_basis"] = basis(df)
    status = text(df["status"]).str.strip().str.lower()
    value = pd.to_numeric(df["value_usd"], errors="coerce")
    df["_counted"] = (df["_basis"] == "flow") & status.isin(COUNTED) & (value > 0) & df["_start"].notna()
    df["_same_as"] = ""
    origin = text(df["origin"]) if "origin" in df.columns else pd.Series("", index=df.index)
    ids = text(df["amount_id"]) if "amount_id" in df.columns else pd.Series(df.index.astype(str), index=df.index)
    src = text(df["from_actor"]).map(_party) if "from_actor" in df.columns else pd.Series("", index=df.index)
    tgt = text(df["to_actor"]).map(_party) if "to_actor" in df.columns else pd.Series("", index=df.index)
    # curated rows first, then by date: a duplicate folds into the first row kept before it that matches
    counted = df.index[df["_counted"]]
    if len(counted):
        merged = (_first_matches if FAST_MERGE else _first_matches_plain)(
            [o != "reference" for o in origin[counted]],
            df.loc[counted, "_start"].to_numpy(dtype="datetime64[ns]").astype(np.int64).tolist(),
            df.loc[counted, "_end"].to_numpy(dtype="datetime64[ns]").astype(np.int64).tolist(),
            value[counted].astype(float).tolist(),
            ids[counted].tolist(),
            src[counted].tolist(),
            tgt[counted].tolist(),
        )
        for j, k in merged.items():
            df.at[counted[j], "_counted"] = False
            df.at[counted[j], "_same_as"] = ids[counted[k]]
    return df


#: Fast path (default) of :func:`delivery_flows`: kept rows are looked up by value band instead of
#: scanned one by one (pairs grew with the square of the deliveries: 100 counted rows at 2,000
#: synthetic articles, some 5,000 at 100,000). False scans every kept row, the plain path the tests
#: compare with.
FAST_MERGE = True
_NAT = np.iinfo(np.int64).min  # NaT as int64 nanoseconds: never within a period (as NaT compares False)
#: Width of a value band, in log units: two values within :data:`SAME_VALUE_TOLERANCE` of each
#: other are at most one band apart (their logs differ by at most -log(1 - tolerance), half a band).
_BAND = -2 * np.log1p(-SAME_VALUE_TOLERANCE)


def _order(late: list[bool], start: list[int], ids: list[str]) -> list[int]:
    return sorted(range(len(ids)), key=lambda j: (late[j], start[j], ids[j]))


def _same(i: int, k: int, start: list[int], end: list[int], value: list[float], src: list[str], tgt: list[str]) -> bool:
    """Whether row i reports the delivery of row k: periods overlap, values within the tolerance,
    parties compatible (NaT ends never overlap, as pandas compares NaT False)."""
    if end[k] == _NAT or end[i] == _NAT or not (start[i] <= end[k] and start[k] <= end[i]):
        return False
    vi, vk = value[i], value[k]
    return abs(vi - vk) <= SAME_VALUE_TOLERANCE * max(vi, vk) and _compatible(src[i], src[k]) and _compatible(tgt[i], tgt[k])


def _first_matches_plain(late, start, end, value, ids, src, tgt) -> dict[int, int]:
    """{row: row kept before it that it duplicates}: each row in order against every kept row."""
    out: dict[int, int] = {}
    kept: list[int] = []
    for i in _order(late, start, ids):
        for k in kept:
            if _same(i, k, start, end, value, src, tgt):
                out[i] = k
                break
        else:
            kept.append(i)
    return out


def _first_matches(late, start, end, value, ids, src, tgt) -> dict[int, int]:
    """What :func:`_first_matches_plain` returns, looking only at kept rows in the value bands next to
    a row's (the first match in keeping order is the least keeping position among the bands' firsts)."""
    out: dict[int, int] = {}
    bands: dict[int, list[tuple[int, int]]] = {}  # band -> [(keeping position, row)] in keeping order
    n_kept = 0
    for i in _order(late, start, ids):
        v = value[i]
        band = int(np.floor(np.log(v) / _BAND)) if v > 0 else 0
        best: tuple[int, int] | None = None
        for b in (band - 1, band, band + 1):
            for pos, k in bands.get(b, ()):
                if best is not None and pos > best[0]:
                    break
                if _same(i, k, start, end, value, src, tgt):
                    best = (pos, k)
                    break
        if best is not None:
            out[i] = best[1]
        else:
            bands.setdefault(band, []).append((n_kept, i))
            n_kept += 1
    return out


def cumulative_line(flows: pd.DataFrame) -> tuple[list[pd.Timestamp], list[float]]:
    """Points of the running total of the counted flows (US$): a delivery over a period rises
    evenly across it, a dated one steps up on its day; every counted delivery is added once."""
    sub = flows[flows["_counted"].astype(bool)] if not flows.empty else flows
    if sub.empty:
        return [], []
    s = pd.to_datetime(sub["_start"]).to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(float)
    e_raw = pd.to_datetime(sub["_end"])
    e = e_raw.where(e_raw.notna(), pd.to_datetime(sub["_start"])).to_numpy(dtype="datetime64[ns]").astype(np.int64)
    e = np.maximum(e.astype(float), s)
    v = pd.to_numeric(sub["value_usd"], errors="coerce").fillna(0).to_numpy(dtype=float)
    times = np.unique(np.concatenate([s, e]))
    point = e == s
    width = np.where(point, 1.0, e - s)

    def total(t: float, inclusive: bool) -> float:
        at_point = (t > s) | (inclusive & (t == s))
        frac = np.where(point, at_point.astype(float), np.clip((t - s) / width, 0.0, 1.0))
        return float((frac * v).sum())

    xs: list[pd.Timestamp] = []
    ys: list[float] = []
    for t in times:
        before, after = total(t, False), total(t, True)
        stamp = pd.Timestamp(int(t))
        if not xs or before != after:
            xs.append(stamp)
            ys.append(before)
        xs.append(stamp)
        ys.append(after)
    return xs, [float(np.round(y, 2)) for y in ys]


def counted_total(flows: pd.DataFrame) -> float:
    """The sum the cumulative line ends on: each counted delivery once."""
    if flows.empty:
        return 0.0
    return float(pd.to_numeric(flows.loc[flows["_counted"].astype(bool), "value_usd"], errors="coerce").sum())
