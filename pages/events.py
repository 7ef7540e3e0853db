"""Events: the filtered events table, sortable, with a CSV of exactly what is shown."""

from __future__ import annotations

import streamlit as st

from core import filters as F
from core.export import to_csv_bytes
from ui import state
from ui.tables import events_column_config, events_view

#: Rows sent to the browser's table: past this, the grid is slow to scroll and the page slow to load.
MAX_ROWS = 20_000

corpus, filters, tables = state.page_setup(
    "events", "Events", ":material/table_rows:",
    "Every event under the current filters, one row each, with the sentence it was read from. "
    "Click a column heading to sort.",
)
COLUMNS = ["date", "end", "event_type", "quad_class", "status", "actors", "evidence", "sources", "origin", "article", "event_id"]
events, actors, link = tables["events"], corpus.tables["actors"], state.link_params(filters)
shown = events_view(events, actors, link, limit=MAX_ROWS)[COLUMNS]
state.caption(filters, tables)
if shown.empty:
    state.empty_state("No events match the current filters.")
else:
    if len(events) > MAX_ROWS:
        st.caption(f"Showing the first {MAX_ROWS:,} of {len(events):,} events (by date); the CSV holds all of them. "
                   "Narrow the filters to browse the rest here.")
    st.dataframe(shown, hide_index=True, width="stretch", height=min(720, 40 + 35 * len(shown)),
                 column_config=events_column_config())
    st.download_button(  # the CSV of every event is built when the button is clicked, not on every run
        "Download these events (CSV)", lambda: to_csv_bytes(events_view(events, actors, link)[COLUMNS]),
        file_name=f"events_{F.slug(filters, F.actor_names(corpus.tables['actors']))}.csv", mime="text/csv",
        icon=":material/download:",
    )
