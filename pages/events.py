"""Events: the filtered events table a page at a time (every event reachable), with a GDELT-style CSV."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.io.csv_export import to_csv_bytes
from core.query import filters as F
from core.query import frames
from core.views import images
from core.views import registry as views
from ui import loader, queries, resolved, state
from ui.tables import events_column_config, events_view

#: Rows per page sent to the browser's table: past this, the grid is slow to scroll and the page slow to load.
PAGE_SIZE = 5_000

VIEW = views.get("events")
corpus, filters, tables = state.page_setup(
    VIEW.key,
    lazy=True,
    intro="Every event under the current filters, one row each: who acted on whom (source → target), the CAMEO code, "
    "Goldstein and QuadClass, when (as precise as the text), status and confidence, and the sentence it was read from.",
)
COLUMNS = [
    "when",
    "source",
    "target",
    "cameo_code",
    "cameo_name",
    "goldstein",
    "quad_class",
    "status",
    "confidence",
    "location",
    "sources",
    "evidence",
    "origin",
    "article",
    "event_id",
]
every = resolved.every_report("events")
actors, link = corpus.tables["actors"], state.link_params(filters)
engine = loader.engine_for(corpus)  # a large corpus: the engine counts and picks the page's rows


def all_events() -> pd.DataFrame:
    """Every filtered event (reports, or one row per resolved event): for the CSV, built on click."""
    return VIEW.run(resolved.with_events(tables, resolved.events_for(tables, corpus, every)), filters).rows[0]


if engine is None:
    events = all_events()
    total = len(events)
    state.caption(filters, tables)
else:
    total = engine.event_count(filters, every=every)
    state.caption(filters, tables, described=queries.describe(engine, filters, actors, every=True))
if not total:
    state.empty_state(VIEW.run({"events": corpus.tables["events"].iloc[:0]}, filters).empty_message)
    st.stop()

orders = {"new": "Newest first", "old": "Oldest first"}
c1, c2 = st.columns([2, 3])
order = c1.segmented_control("Order", list(orders), format_func=orders.get, key="events_order", default="new") or "new"
n_pages = max(1, math.ceil(total / PAGE_SIZE))
page = 1
if n_pages > 1:
    page = int(
        c2.number_input(
            f"Page (of {n_pages:,}, {PAGE_SIZE:,} events each)", min_value=1, max_value=n_pages, value=1, step=1, key="events_page"
        )
    )
first = (page - 1) * PAGE_SIZE
if engine is None:
    rows = events
    shown = events_view(events, actors, link, limit=PAGE_SIZE, offset=first, newest_first=order == "new")[COLUMNS]
else:  # the page's rows only, already in the page's order
    rows = queries.page_rows(corpus, engine.events_page(filters, first, PAGE_SIZE, order == "new", every=every), every)
    shown = events_view(rows, actors, link, newest_first=order == "new")[COLUMNS]
if not every:  # how well each happening is corroborated
    counts = rows.set_index("event_id")[["n_reports", "n_articles", "n_publishers"]]
    shown = shown.join(counts, on="event_id")
st.caption(
    f"Events {first + 1:,}–{first + len(shown):,} of {total:,}, {orders[order].lower()}; "
    "click a column heading to sort this page. The CSV holds every filtered event."
)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=min(720, 40 + 35 * len(shown)),
    column_config={**events_column_config(), **resolved.COLUMN_CONFIG},
)
slug = F.slug(filters, frames.actor_names(corpus.tables["actors"]))
st.download_button(  # the CSV of every event is built when the button is clicked, not on every run
    "Download these events (CSV, GDELT-style columns)",
    lambda: to_csv_bytes(images.events_csv_frame(all_events(), actors, state.base_url("events"), link, newest_first=order == "new")),
    file_name=f"events_{slug}.csv",
    mime="text/csv",
    icon=":material/download:",
)
c1, c2 = st.columns(2)
c1.download_button(  # both tables of the export contract: the reports with their resolved event id …
    "Download the reports (CSV, with resolved_id)",
    lambda: to_csv_bytes(tables["events"]),
    file_name=f"event_reports_{slug}.csv",
    mime="text/csv",
    icon=":material/download:",
)
c2.download_button(  # … and the resolved events they belong to
    "Download the resolved events (CSV)",
    lambda: to_csv_bytes(resolved.resolved_rows(corpus, tables["events"])),
    file_name=f"resolved_events_{slug}.csv",
    mime="text/csv",
    icon=":material/download:",
)
