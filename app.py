"""Russia–Korea relations dashboard — home page (Overview). Start with ``streamlit run app.py``.

Pages live in pages/ (Streamlit's pages folder); each one draws the shared filter sidebar via
ui.state.page_setup, so a filter set on one page holds on every other page and in the URL. This
page: the corpus at a glance, the latest and most cited events, and net cooperation between
Russia and each Korea.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.query import filters as F
from core.query import frames
from core.query.engine import Engine
from core.views import registry as views
from ui import export_buttons, loader, queries, resolved, state
from ui.tables import events_column_config, events_view

VIEW = views.get("overview")
corpus, filters, tables = state.page_setup(
    VIEW.key,
    intro="What happened between Russia (and the USSR) and the two Koreas, who said it, and how sure the sources are.",
    lazy=True,
)
full = corpus.tables
every = resolved.every_report("overview")
engine = loader.engine_for(corpus)  # a large corpus: the figures are queries, not filtered copies
ov = queries.overview(corpus, tables, filters, every, engine)

if corpus.is_empty:
    st.info(
        "The corpus is empty: no articles have been loaded into the store yet. Add article files to the "
        "store (see the README) and reload this page.",
        icon=":material/inbox:",
    )
elif full["articles"].empty:
    st.info("No articles have been loaded yet: what you see is the curated reference layer only.", icon=":material/inbox:")

c1, c2, c3, c4 = st.columns(4)
c1.metric("Articles", f"{ov.articles:,}", help=f"{len(full['articles']):,} in the whole corpus", border=True)
c2.metric(
    "Events",
    f"{ov.events:,}",
    border=True,
    help=(
        f"{len(full['events']):,} reports in the whole corpus"
        if every
        else f"happenings, each told by one or more of the {len(full['events']):,} reports in the corpus"
    ),
)
c3.metric("Actors involved", f"{ov.actors:,}", help="distinct actors named in the events shown", border=True)
if ov.first is None or ov.last is None:
    c4.metric("Years covered", "—", help="no dated events under the current filters", border=True)
else:
    lo, hi = ov.first, ov.last
    c4.metric(
        "Years covered",
        f"{lo.year}" if lo.year == hi.year else f"{lo.year}–{hi.year}",
        help=f"events dated {frames.format_date(lo)} – {frames.format_date(hi)}",
        border=True,
    )
state.caption(filters, tables, described=ov.described)

left, right = st.columns(2)
with left:
    st.subheader("Most recent events", anchor=False)
    if not ov.events:
        state.empty_state("No events match the current filters.")
    else:
        recent = events_view(ov.recent, full["actors"], state.link_params(filters))
        recent = recent.sort_values(["date", "event_id"], ascending=[False, True])
        st.dataframe(
            recent[["when", "event_type", "status", "actors", "evidence", "article"]],
            hide_index=True,
            column_config=events_column_config(),
            width="stretch",
        )
        st.caption("Latest by event date within the current filters.")
with right:
    st.subheader("Most cited events", anchor=False)
    if not ov.events:
        state.empty_state("No events match the current filters.")
    else:
        if every:
            cited = events_view(ov.cited, full["actors"], state.link_params(filters))
            cited = cited.sort_values(["n_sources", "date", "event_id"], ascending=[False, False, True])
            st.dataframe(
                cited[["n_sources", "when", "event_type", "status", "actors", "evidence", "article"]],
                hide_index=True,
                column_config=events_column_config(),
                width="stretch",
            )
            st.caption("Ranked by the number of news agencies cited for the event.")
        else:
            top = ov.cited
            cited = events_view(top, full["actors"], state.link_params(filters))
            cited = cited.join(top.set_index("event_id")[["n_articles", "n_publishers"]], on="event_id")
            cited = cited.sort_values(
                ["n_articles", "n_publishers", "n_sources", "date", "event_id"], ascending=[False, False, False, False, True]
            )
            st.dataframe(
                cited[["n_articles", "n_publishers", "n_sources", "when", "event_type", "status", "actors", "evidence", "article"]],
                hide_index=True,
                column_config={**events_column_config(), **resolved.COLUMN_CONFIG},
                width="stretch",
            )
            st.caption("Ranked by corroboration: the articles reporting the event, then distinct publishers, then agencies cited.")


def shown_tables() -> dict[str, pd.DataFrame]:
    """The filtered tables with the shown events (resolved, or every report) and the reports behind them."""
    ev = resolved.events_for(dict(tables), corpus, every)
    return {**resolved.with_events(dict(tables), ev), "reports": tables["events"]}  # sources: every report


@st.cache_data(show_spinner=False, max_entries=32)
def _view(key: str, flt: F.Filters, every: bool, _tables: dict[str, pd.DataFrame]) -> views.ViewResult:
    return VIEW.run(_tables, flt).for_cache()


@st.cache_data(show_spinner=False, max_entries=32)
def _engine_view(key: str, flt: F.Filters, every: bool, _engine: Engine) -> views.ViewResult:
    return VIEW.run({"actors": full["actors"]}, flt, {"engine": _engine, "every": every}).for_cache()


view = _view(corpus.key, filters, every, shown_tables()) if engine is None else _engine_view(corpus.key, filters, every, engine)
fig = view.figure
st.plotly_chart(fig, theme=None, width="stretch", config=state.chart_config(view.name, filters, corpus))
export_buttons.render(fig, view.name, filters, corpus, shown_tables, page=VIEW.key)
if view.empty:
    state.empty_state(view.empty_message)
else:
    st.caption(
        "Each bar sums the Goldstein scores (−10 conflict … +10 cooperation) of one period's events in one "
        "direction, e.g. Russia → South Korea, read from the countries of the source and target actors."
    )
