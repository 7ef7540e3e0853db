"""Reported Soviet-era debt figures beside arms deliveries (cumulative) and arms deals, in US$.

Sources disagree on the debt, so every figure is its own point with its source; a thin line only
joins the middle of the levels reported per date. A debt row is a level (total, outstanding,
principal), a write-off or a repayment (instalment, payment due, repaid) — the reference layer's
``note`` starts with that kind — and only levels make the "reported debt" series: a US$660 m
write-off plotted on the same line would read as the debt collapsing. Status is shown by shape (a
denied deal must not read like a delivery). SIPRI's TIV is a volume index, not money: rows marked
TIV are never put on the dollar axis.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.domain.bounds import is_flagged
from core.domain.gazetteer import successors
from core.query import money
from core.query.frames import format_date, is_missing, origin_of, text, to_datetime, when_column
from core.views.figures import style

CATEGORY_COLORS = {"debt": "#8c2d04", "arms_delivery": "#0072B2", "arms_deal": "#009E73"}
CATEGORY_LABELS = {"debt": "Debt figure", "arms_delivery": "Arms delivery", "arms_deal": "Arms deal"}
#: Delivery statuses that count toward the cumulative total (not planned, proposed or denied).
COUNTED = money.COUNTED
STOCK_LABEL = "Stated total over a period (not added)"
#: Kinds of debt figure, read from the start of the note (``data/reference/debt.csv`` writes the kind first).
DEBT_KINDS = ("level", "write_off", "repayment", "other")
DEBT_KIND_LABELS = {
    "level": "Debt: total or outstanding",
    "write_off": "Debt written off",
    "repayment": "Debt repaid or falling due",
    "other": "Other debt figure",
}
DEBT_KIND_COLORS = {"level": CATEGORY_COLORS["debt"], "write_off": "#CC79A7", "repayment": "#E69F00", "other": style.UNKNOWN_COLOR}
#: Triangles for flows (down: forgiven, up: paid); open when the flow did not (yet) happen.
_FLOW_SYMBOLS = {"write_off": "triangle-down", "repayment": "triangle-up"}
_HAPPENED = {"occurred", "delivered", "reported", ""}
_KIND_PATTERNS = [
    ("write_off", re.compile(r"^(write-?offs?|written[ -]off|forgiven|forgiveness)\b")),
    ("repayment", re.compile(r"^(repayments?|repaid|instal?ments?|payments?( due)?|barter|overdue|arrears)\b")),
    ("level", re.compile(r"^(totals?|outstanding|principal|remaining|debt covered|before write-?off|to be repaid)\b")),
]
TABLE_COLUMNS = [
    "date",
    "when",
    "category",
    "what",
    "value",
    "status",
    "value_usd",
    "evidence",
    "source",
    "article_id",
    "source_url",
    "note",
    "origin",
]


def is_tiv(amounts: pd.DataFrame) -> pd.Series:
    """Rows whose value is SIPRI TIV (a note mentioning TIV): never dollars."""
    if amounts is None or amounts.empty:
        return pd.Series(dtype=bool)
    return text(amounts["note"]).str.contains(r"\bTIV\b", case=False, regex=True)


def debt_kind(note: object) -> str:
    """'level', 'write_off', 'repayment' or 'other' from the start of a debt row's note.

    A blank note (a figure read from an article) counts as a level: articles quote the debt as it stands.
    """
    raw = "" if is_missing(note) else str(note)
    head = raw.split(";", 1)[0].strip().lower()
    head = re.sub(r"^restructuring \d{4}:\s*", "", head)  # "restructuring 2003: before write-off" is a level
    if not head:
        return "level"
    for kind, pattern in _KIND_PATTERNS:
        if pattern.match(head):
            return kind
    return "other"


def debt_kinds(amounts: pd.DataFrame) -> pd.Series:
    """:func:`debt_kind` per row (only meaningful for debt rows)."""
    if amounts is None or amounts.empty:
        return pd.Series(dtype=object)
    return text(amounts["note"]).map(debt_kind)


def dollar_rows(amounts: pd.DataFrame) -> pd.DataFrame:
    """Debt, delivery and deal rows with a positive dollar value and a date; TIV rows excluded."""
    if amounts is None or amounts.empty:
        return pd.DataFrame(columns=[*list(amounts.columns), "_date", "_value", "_cat", "_status"] if amounts is not None else [])
    df = amounts.copy()
    df["_cat"] = text(df["category"]).str.strip().str.lower()
    df["_status"] = text(df["status"]).str.strip().str.lower()
    df["_value"] = pd.to_numeric(df["value_usd"], errors="coerce")
    df["_date"] = to_datetime(df["as_of_date"])
    keep = df["_cat"].isin(list(CATEGORY_COLORS)) & ~is_tiv(df) & (df["_value"] > 0) & df["_date"].notna()
    if "note" in df.columns:  # values past data/bounds.yaml stay in the tables, off the chart
        keep &= ~df["note"].map(is_flagged).astype(bool)
    return df[keep & russia_south_korea(df)].sort_values(["_date", "_cat"], kind="stable")


def russia_south_korea(amounts: pd.DataFrame) -> pd.Series:
    """Rows between Russia (or the USSR) and South Korea, or with parties not given as states.

    The chart is about the Soviet-era debt to Seoul and the arms that paid it off; a figure
    between other states (North Korea's debt to Moscow, say) stays in the table, off the chart.
    """
    ok = pd.Series(True, index=amounts.index)
    for col in ("from_actor", "to_actor", "debtor", "creditor"):
        if col in amounts.columns:
            codes = text(amounts[col]).str.strip().str.upper().replace(successors())
            is_state_code = codes.str.fullmatch(r"[A-Z]{3}")
            ok &= ~is_state_code | codes.isin(["RUS", "KOR"])
    return ok


def _money(v: float) -> str:
    if v >= 1e9:
        return f"US${v / 1e9:,.2f}".rstrip("0").rstrip(".") + " bn"
    if v >= 1e6:
        return f"US${v / 1e6:,.1f}".rstrip("0").rstrip(".") + " m"
    return f"US${v:,.0f}"


def _when(df: pd.DataFrame) -> list[str]:
    """Each figure's date at its precision ('1996–1998', 'Nov 1998', '18 Sep 2003')."""
    return list(when_column(df, "as_of_date", "as_of_end", "date_precision")) if not df.empty else []


def _source_label(row: Mapping, titles: Mapping[str, str]) -> str:
    aid = str(row.get("article_id") or "").strip()
    if aid and aid.lower() != "nan":
        return titles.get(aid, aid)
    url = str(row.get("source_url") or "").strip()
    return url if url and url.lower() != "nan" else "reference"


def _column(df: pd.DataFrame, col: str) -> np.ndarray:
    """A text column as plain strings ('' when missing or absent), for row loops."""
    if col not in df.columns:
        return np.full(len(df), "", dtype=object)
    return text(df[col]).to_numpy(dtype=object)


def _source_labels(df: pd.DataFrame, titles: Mapping[str, str]) -> list[str]:
    return [
        _source_label({"article_id": a, "source_url": u}, titles)
        for a, u in zip(_column(df, "article_id"), _column(df, "source_url"), strict=False)
    ]


def _what(category: str, basis: str, kind: str) -> str:
    """A readable kind of figure for the table ('Arms delivery', 'Arms delivered, stated total over a period')."""
    if category == "debt":
        return DEBT_KIND_LABELS.get(kind, "Debt figure")
    if category == "arms_delivery" and basis == "stock":
        return "Arms delivered: stated total over a period (not added)"
    return CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize() or "Other")


def amounts_table(amounts: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """The figures behind the chart (TIV rows included but flagged), for the table under it."""
    if amounts is None or amounts.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    titles: dict[str, str] = {}
    if articles is not None and not articles.empty:
        titles = {a: (t or a) for a, t in zip(text(articles["article_id"]), text(articles["title"]), strict=False)}
    df = amounts.copy()
    tiv = is_tiv(df)
    out = pd.DataFrame(
        {
            "date": to_datetime(df["as_of_date"]),
            "when": when_column(df, "as_of_date", "as_of_end", "date_precision"),
            "category": text(df["category"]),
            "what": [
                _what(c, b, k)
                for c, b, k in zip(text(df["category"]).str.strip().str.lower(), money.basis(df), debt_kinds(df), strict=False)
            ],
            "value": [_money(v) if pd.notna(v) and v > 0 else "" for v in pd.to_numeric(df["value_usd"], errors="coerce").where(~tiv)],
            "status": text(df["status"]),
            "value_usd": pd.to_numeric(df["value_usd"], errors="coerce").where(~tiv),
            "evidence": text(df["evidence"]),
            "source": _source_labels(df, titles),
            "article_id": text(df["article_id"]),
            "source_url": text(df["source_url"]),
            "note": [(n + (" — TIV value, not US$" if t else "")).strip(" —") for n, t in zip(text(df["note"]), tiv, strict=False)],
            "origin": origin_of(df),
        }
    )
    return out.sort_values(["date", "category"], kind="stable", na_position="last").reset_index(drop=True)


#: Past this many debt levels the top panel shows one mark per year with the spread of the sources.
MAX_DEBT_POINTS = 40
YEARLY_LABEL = "Debt level: median of the year's figures (bar: lowest–highest)"


def _yearly_levels(fig: go.Figure, levels: pd.DataFrame) -> None:
    """One mark per year at the median reported level, with a bar from the lowest to the highest figure."""
    g = levels.groupby(levels["_date"].dt.year)["_value"]
    yearly = pd.DataFrame({"median": g.median(), "lo": g.min(), "hi": g.max(), "n": g.size()})
    xs = [pd.Timestamp(int(y), 7, 1) for y in yearly.index]
    color = DEBT_KIND_COLORS["level"]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=yearly["median"] / 1e9,
            mode="markers",
            name=YEARLY_LABEL,
            legendgroup="level",
            marker={"color": color, "size": 10, "symbol": "line-ew", "line": {"width": 3, "color": color}},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (yearly["hi"] - yearly["median"]) / 1e9,
                "arrayminus": (yearly["median"] - yearly["lo"]) / 1e9,
                "color": color,
                "thickness": 2,
                "width": 0,
            },
            customdata=[
                [str(y), _money(m), _money(lo), _money(hi), int(n)]
                for y, m, lo, hi, n in zip(yearly.index, yearly["median"], yearly["lo"], yearly["hi"], yearly["n"], strict=False)
            ],
            hovertemplate="<b>%{customdata[0]}</b>: median %{customdata[1]} of %{customdata[4]} figure(s)"
            "<br>lowest %{customdata[2]}, highest %{customdata[3]}<extra></extra>",
        ),
        row=1,
        col=1,
    )


#: Past this many stated totals over a period, they are listed in the table only (a pile of bars hides the line).
MAX_STOCKS = 12
#: Past this many deliveries and deals the bottom panel shows yearly sums as bars.
MAX_ARMS_POINTS = 60


def _yearly_arms(fig: go.Figure, sub: pd.DataFrame, cat: str, name: str) -> None:
    """Bars of one category's yearly sums (hover: the number of figures behind each)."""
    if sub.empty:
        return
    g = sub.groupby(sub["_date"].dt.year)["_value"]
    yearly = pd.DataFrame({"sum": g.sum(), "n": g.size()})
    fig.add_trace(
        go.Bar(
            x=[pd.Timestamp(int(y), 7, 1) for y in yearly.index],
            y=yearly["sum"] / 1e9,
            name=name,
            marker={"color": CATEGORY_COLORS[cat], "opacity": 0.55},
            offsetgroup=cat,
            legendgroup=cat,
            width=160 * 86_400_000,
            customdata=[[str(y), _money(v), int(n)] for y, v, n in zip(yearly.index, yearly["sum"], yearly["n"], strict=False)],
            hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]} in %{customdata[2]} figure(s)<extra></extra>",
        ),
        row=2,
        col=1,
    )


def _empty_panel(fig: go.Figure, row: int, message: str, when: pd.Timestamp) -> None:
    """Say so inside a panel with nothing to show (an invisible point keeps its axes drawn)."""
    fig.add_trace(go.Scatter(x=[when], y=[0], mode="markers", marker={"opacity": 0}, showlegend=False, hoverinfo="skip"), row=row, col=1)
    suffix = "" if row == 1 else str(row)
    fig.add_annotation(
        text=message,
        showarrow=False,
        xref=f"x{suffix} domain",
        yref=f"y{suffix} domain",
        x=0.5,
        y=0.5,
        font={"color": style.MUTED, "size": 13},
    )


def debt_arms_figure(amounts: pd.DataFrame, articles: pd.DataFrame | None = None, *, subtitle: str = "", source: str = "") -> go.Figure:
    """Top: each reported debt figure. Bottom: cumulative deliveries (step line) and deals (markers)."""
    title = "Russia's debt to South Korea and arms delivered against it (US$)"
    rows = dollar_rows(amounts)
    n_tiv = int(is_tiv(amounts).sum()) if amounts is not None and not amounts.empty else 0
    note = f"{n_tiv} SIPRI TIV row(s) not plotted (TIV is a volume index, not US$)" if n_tiv else ""
    if amounts is not None and not amounts.empty:
        in_scope = text(amounts["category"]).str.strip().str.lower().isin(list(CATEGORY_COLORS))
        n_other = int((in_scope & ~russia_south_korea(amounts)).sum())
        if n_other:
            note = style.join_notes(note, f"{n_other} figure(s) between other states listed in the table only")
    if rows.empty:
        return style.empty_figure(title, "No debt or arms figures match the current filters", style.join_notes(subtitle, note), source)
    titles: dict[str, str] = {}
    if articles is not None and not articles.empty:
        titles = {a: (t or a) for a, t in zip(text(articles["article_id"]), text(articles["title"]), strict=False)}

    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.14,
        subplot_titles=(
            "Reported debt: totals and outstanding (circles, dotted median), write-offs ▼ and repayments ▲",
            "Arms: cumulative deliveries and individual deals",
        ),
    )
    few = len(rows) <= 12

    def points(sub: pd.DataFrame, cat: str, row: int, name: str, kind: str = "") -> None:
        if sub.empty:
            return
        color = DEBT_KIND_COLORS[kind] if kind else CATEGORY_COLORS[cat]
        if kind in _FLOW_SYMBOLS:
            symbols = [_FLOW_SYMBOLS[kind] + ("" if s in _HAPPENED else "-open") for s in sub["_status"]]
        else:
            symbols = [style.status_symbol(s) for s in sub["_status"]]
        what = f"{DEBT_KIND_LABELS[kind]} · " if kind else ""
        dups = [f"same delivery as {d}, counted once · " if d else "" for d in _column(sub, "_same_as")]
        custom = np.array(
            [
                [
                    when,
                    _money(v),
                    style.esc(s or "—"),
                    style.wrap(label, 70, 2),
                    style.wrap(" · ".join(x for x in (ev, nt) if x.strip()), 70, 6),
                    what + dup,
                ]
                for when, v, s, label, ev, nt, dup in zip(
                    _when(sub),
                    sub["_value"],
                    sub["_status"],
                    _source_labels(sub, titles),
                    _column(sub, "evidence"),
                    _column(sub, "note"),
                    dups,
                    strict=False,
                )
            ],
            dtype=object,
        )
        group = kind or cat
        fig.add_trace(
            go.Scatter(
                x=sub["_date"],
                y=sub["_value"] / 1e9,
                mode="markers+text" if few else "markers",
                name=name,
                text=[_money(v) for v in sub["_value"]] if few else None,
                textposition="top center",
                textfont={"size": 11, "color": style.MUTED},
                marker={"color": color, "size": 14, "symbol": symbols, "line": {"width": 2, "color": color}},
                customdata=custom,
                legendgroup=group,
                showlegend=False,
                hovertemplate="%{customdata[5]}<b>%{customdata[1]}</b> · %{customdata[0]}<br>Status: %{customdata[2]}"
                "<br>Source: %{customdata[3]}<br><br>%{customdata[4]}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        legend_symbol = _FLOW_SYMBOLS.get(kind, "circle")
        fig.add_trace(style.legend_marker(name, legend_symbol, color, group=group))

    debt = rows[rows["_cat"] == "debt"]
    kinds = debt_kinds(debt)
    levels = debt[kinds == "level"]
    if not levels.empty:
        trend = levels.groupby("_date")["_value"].median()
        # a line through the middle of each date's levels (disagreeing sources stay points); not over yearly marks
        if len(trend) > 1 and len(levels) <= MAX_DEBT_POINTS:
            fig.add_trace(
                go.Scatter(
                    x=list(trend.index),
                    y=list(trend / 1e9),
                    mode="lines",
                    name="Debt level (median per date)",
                    line={"color": DEBT_KIND_COLORS["level"], "width": 1.5, "dash": "dot"},
                    opacity=0.6,
                    legendgroup="level",
                    hoverinfo="skip",
                ),
                row=1,
                col=1,
            )
    if len(levels) > MAX_DEBT_POINTS:  # many sources: one mark per year, the bar showing their spread
        _yearly_levels(fig, levels)
    else:
        points(levels, "debt", 1, DEBT_KIND_LABELS["level"], "level")
    points(debt[kinds == "write_off"], "debt", 1, DEBT_KIND_LABELS["write_off"], "write_off")
    points(debt[kinds == "repayment"], "debt", 1, DEBT_KIND_LABELS["repayment"], "repayment")
    points(debt[kinds == "other"], "debt", 1, DEBT_KIND_LABELS["other"], "other")
    if debt.empty:
        _empty_panel(fig, 1, "No debt figures under the current filters", rows["_date"].min())

    deliveries = money.delivery_flows(rows[rows["_cat"] == "arms_delivery"])
    stocks = deliveries[deliveries["_basis"] == "stock"]
    flows = deliveries[deliveries["_basis"] != "stock"]
    xs, ys = money.cumulative_line(flows)
    total = money.counted_total(flows)
    if xs:
        last = rows["_date"].max()
        if last > xs[-1]:  # carry the running total to the end of the chart
            xs.append(last)
            ys.append(ys[-1])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[y / 1e9 for y in ys],
                mode="lines+text",
                text=[""] * (len(xs) - 1) + [f"total {_money(total)}"],
                textposition="top left",
                textfont={"size": 11, "color": CATEGORY_COLORS["arms_delivery"]},
                line={"width": 3, "color": CATEGORY_COLORS["arms_delivery"]},
                name="Deliveries, cumulative",
                legendgroup="arms_delivery",
                opacity=0.55,
                meta={"cumulative_total_usd": total},
                customdata=[[format_date(d), _money(c)] for d, c in zip(xs, ys, strict=False)],
                hovertemplate="Cumulative deliveries to %{customdata[0]}: <b>%{customdata[1]}</b><extra></extra>",
            ),
            row=2,
            col=1,
        )
    drawn_stocks = stocks if len(stocks) <= MAX_STOCKS else stocks.iloc[0:0]
    if len(stocks) > MAX_STOCKS:
        note = style.join_notes(note, f"{len(stocks)} stated totals over a period not drawn (never added; listed in the table)")
    for _i, r in drawn_stocks.iterrows():  # a stated total over a period: a level across that period, never added
        x0 = r["_start"]
        x1 = r["_end"] if pd.notna(r["_end"]) else x0
        label = (
            f"Stated total {_money(float(r['_value']))} for {x0.year}–{x1.year}"
            if x1.year != x0.year
            else f"Stated total {_money(float(r['_value']))} ({x0.year})"
        )
        cue = money.stock_cue(r.get("evidence", ""), r.get("raw_text", ""))
        fig.add_trace(
            go.Scatter(
                x=[x0, x1],
                y=[r["_value"] / 1e9] * 2,
                mode="lines+markers",
                name=STOCK_LABEL,
                line={"color": CATEGORY_COLORS["arms_delivery"], "width": 10},
                opacity=0.3,
                marker={"symbol": ["line-ew-open", "line-ew-open"], "size": 12},
                legendgroup="stock",
                showlegend=False,
                hovertemplate=f"<b>{style.esc(label)}</b><br>a total over the period (cue: “{style.esc(cue)}”), "
                "not added to the single deliveries<br>" + style.wrap(str(r.get("evidence", "")), 70, 4) + "<extra></extra>",
            ),
            row=2,
            col=1,
        )
    if not drawn_stocks.empty:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=STOCK_LABEL,
                legendgroup="stock",
                line={"color": CATEGORY_COLORS["arms_delivery"], "width": 10},
                opacity=0.3,
            )
        )
    deals = rows[rows["_cat"] == "arms_deal"]
    if len(flows) + len(deals) > MAX_ARMS_POINTS:  # many figures: yearly sums as bars, not a mass of markers
        _yearly_arms(fig, flows[flows["_counted"].astype(bool)], "arms_delivery", "Arms delivered in the year (counted once)")
        _yearly_arms(fig, deals, "arms_deal", "Arms deals announced in the year (sum of values)")
    else:
        points(flows, "arms_delivery", 2, "Arms delivery (single)")
        points(deals, "arms_deal", 2, "Arms deal (value)")
    if flows.empty and stocks.empty and rows[rows["_cat"] == "arms_deal"].empty:
        _empty_panel(fig, 2, "No arms deliveries or deals under the current filters", rows["_date"].min())

    present = list(dict.fromkeys(rows["_status"]))
    for i, s in enumerate(st for st in style.STATUS_SYMBOLS if st in present):
        fig.add_trace(
            style.legend_marker(s, style.status_symbol(s), style.MUTED, group="status", title="Status (shape)" if i == 0 else None)
        )
    style.finish(fig, title, style.join_notes(subtitle, note), source, height=680)
    debt_max = float(debt["_value"].max() / 1e9) if not debt.empty else 1.0
    arms = rows[rows["_cat"] != "debt"]
    bar_max = max((float(max(t.y)) for t in fig.data if t.type == "bar" and t.y is not None and len(t.y)), default=0.0)
    arms_max = max(float(arms["_value"].max() / 1e9) if not arms.empty else 0.0, total / 1e9, bar_max) or 1.0
    fig.update_yaxes(title_text="US$ billion", tickprefix="$", ticksuffix=" bn", range=[0, debt_max * 1.25], row=1, col=1)
    fig.update_yaxes(title_text="US$ billion", tickprefix="$", ticksuffix=" bn", range=[0, arms_max * 1.25], row=2, col=1)
    fig.update_xaxes(title_text="Date of figure (as of)", row=2, col=1)
    lo, hi = rows["_date"].min(), rows["_date"].max()
    pad = max(pd.Timedelta(days=180), (hi - lo) * 0.06)
    fig.update_xaxes(type="date", range=[lo - pad, hi + pad])
    fig.update_layout(legend={"x": 1.01, "y": 1, "xanchor": "left"}, hovermode="closest")
    return fig
