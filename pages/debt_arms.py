"""Debt vs arms deliveries: every reported debt figure, and arms delivered or dealt against it, in US$."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.query import filters as F
from core.views import registry as views
from core.views.figures import debt_arms
from ui import export_buttons, state
from ui.tables import article_url, md_escape, safe_url

VIEW = views.get("debt-arms")
corpus, filters, tables = state.page_setup(
    VIEW.key,
    intro="The Soviet-era debt Russia owed South Korea as each source reported it, beside the arms Russia delivered "
    "(running total) or offered in deals. Filled shapes happened; hollow or crossed ones were proposed, "
    "reported only, or denied.",
)
amounts = tables["amounts"]


@st.cache_data(show_spinner=False, max_entries=32)
def _view(key: str, flt: F.Filters, _tables: dict[str, pd.DataFrame]) -> views.ViewResult:
    return VIEW.run(_tables, flt)  # rows: the dollar figures, small enough to cache


view = _view(corpus.key, filters, tables)
fig = view.figure
st.plotly_chart(fig, theme=None, width="stretch", config=state.chart_config(view.name, filters, corpus))
export_buttons.render(fig, view.name, filters, corpus, tables, page=VIEW.key, rows=view.rows)
n_rows = len(amounts)
st.caption(
    f"Showing {n_rows} amount row(s) under the current filters ({md_escape(F.describe(filters, tables))}). "
    "Amounts follow the date, actor (debtor/creditor country), topic, agency and origin filters."
)
if view.empty:
    state.empty_state(view.empty_message)

st.subheader("The figures and their evidence", anchor=False)
table = debt_arms.amounts_table(amounts, corpus.tables["articles"])
if table.empty:
    state.empty_state("No amounts to list.")
else:
    params = state.link_params(filters)
    table["link"] = [article_url(a, params) if a else safe_url(u) for a, u in zip(table["article_id"], table["source_url"], strict=False)]
    st.dataframe(
        table[["when", "what", "status", "value", "evidence", "source", "note", "origin", "link"]],
        hide_index=True,
        width="stretch",
        column_config={
            "when": st.column_config.TextColumn(
                "As of", width="small", help="the date or period the figure refers to, as precise as the source"
            ),
            "what": st.column_config.TextColumn("Figure", width="medium"),
            "status": st.column_config.TextColumn("Status", width="small"),
            "value": st.column_config.TextColumn("Value (US$)", width="small", help="blank for SIPRI TIV rows: TIV is not money"),
            "evidence": st.column_config.TextColumn("Evidence", width="large"),
            "source": st.column_config.TextColumn("Source", width="medium"),
            "note": st.column_config.TextColumn("Note", width="small"),
            "origin": st.column_config.TextColumn("Origin", width="small"),
            "link": st.column_config.LinkColumn("Article / source", display_text="open", width="small"),
        },
    )
    st.caption(
        "Every row is one amount as found in an article or the reference layer; rows are not merged, so disagreeing sources stay visible."
    )
