"""Events: the filtered events table, sortable, with a CSV of exactly what is shown."""

from __future__ import annotations

import streamlit as st

from core import filters as F
from core.export import to_csv_bytes
from ui import resolved, state
from ui.tables import events_column_config, events_view

#: Rows sent to the browser's table: past this, the grid is slow to scroll and the page slow to load.
MAX_ROWS = 20_000

corpus, filters, tables = state.page_setup(
    "events", "Events", ":material/table_rows:",
    "Every event under the current filters, one row each, with the sentence it was read from. "
    "Click a column heading to sort.",
)
COLUMNS = ["date", "end", "event_type", "quad_class", "status", "actors", "evidence", "sources", "origin", "article", "event_id"]
every = resolved.every_report("events")
reports, actors, link = tables["events"], corpus.tables["actors"], state.link_params(filters)
events = resolved.events_for(tables, corpus, every)
shown = events_view(events, actors, link, limit=MAX_ROWS)[COLUMNS]
if not every and not events.empty:  # how well each happening is corroborated
    counts = events.set_index("event_id")[["n_reports", "n_articles", "n_publishers"]]
    shown = shown.join(counts, on="event_id")
state.caption(filters, tables)
if shown.empty:
    state.empty_state("No events match the current filters.")
else:
    if len(events) > MAX_ROWS:
        st.caption(f"Showing the first {MAX_ROWS:,} of {len(events):,} events (by date); the CSV holds all of them. "
                   "Narrow the filters to browse the rest here.")
    st.dataframe(shown, hide_index=True, width="stretch", height=min(720, 40 + 35 * len(shown)),
                 column_config={**events_column_config(), **resolved.COLUMN_CONFIG})
    st.download_button(  # the CSV of every event is built when the button is clicked, not on every run
        "Download these events (CSV)", lambda: to_csv_bytes(events_view(events, actors, link)[COLUMNS]),
        file_name=f"events_{F.slug(filters, F.actor_names(corpus.tables['actors']))}.csv", mime="text/csv",
        icon=":material/download:",
    )
    slug = F.slug(filters, F.actor_names(corpus.tables["actors"]))
    c1, c2 = st.columns(2)
    c1.download_button(  # both tables of the export contract: the reports with their resolved event id …
        "Download the reports (CSV, with resolved_id)", lambda: reports.to_csv(index=False).encode("utf-8"),
        file_name=f"event_reports_{slug}.csv", mime="text/csv", icon=":material/download:")
    c2.download_button(  # … and the resolved events they belong to
        "Download the resolved events (CSV)",
        lambda: resolved.resolved_rows(corpus, reports).to_csv(index=False).encode("utf-8"),
        file_name=f"resolved_events_{slug}.csv", mime="text/csv", icon=":material/download:")
