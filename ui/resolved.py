"""The "every report" switch shared by Overview, Timeline, Network and Events (issue 16).

By default these pages show resolved events — one point or row per happening, however many articles
report it (``core.storage.resolve``); the switch shows every report instead, as before. The choice lives in
the session and in the URL (``reports=all``), so a shared link opens the same view.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.query import memo
from core.storage import resolve as R
from ui import state
from ui.loader import Corpus

_KEY = "show_every_report"
#: Headings of the corroboration columns a page adds to an events table.
COLUMN_CONFIG = {
    "n_reports": st.column_config.NumberColumn("Reports", width="small", help="event rows merged into this event"),
    "n_articles": st.column_config.NumberColumn("Articles", width="small", help="articles reporting it"),
    "n_publishers": st.column_config.NumberColumn("Publishers", width="small", help="distinct publishers reporting it"),
}
PARAM = "reports"


def every_report(page: str) -> bool:
    """Draw the switch (top of the page's main area) and return True when every report is wanted.

    One widget per page (a widget's state is dropped when another page runs); the choice itself
    is kept in the session beside it and in the URL, so it holds from page to page."""
    key, mirror, written = f"{_KEY}_{page}", "_" + _KEY, "_" + _KEY + "_url"
    url = state.page_param(PARAM) == "all"
    if url != st.session_state.get(written, False) and (url or written in st.session_state):
        st.session_state[mirror] = st.session_state[key] = url  # a link changed by hand wins
    elif key not in st.session_state:
        st.session_state[key] = bool(st.session_state.get(mirror, False))
    on = st.toggle(
        "Every report",
        key=key,
        help="Off: one point per happening, its reports from several articles merged (see the event "
        "detail). On: every report as extracted, one per article sentence.",
    )
    st.session_state[mirror] = st.session_state[written] = bool(on)
    state.set_page_param(PARAM, "all" if on else None)
    return bool(on)


def events_for(tables: dict[str, pd.DataFrame], corpus: Corpus, every: bool) -> pd.DataFrame:
    """The filtered events as reports, or collapsed to one row per resolved event (memoised per table)."""
    ev = tables["events"]
    if every or ev.empty:
        return ev
    resolved = corpus.tables.get("resolved_events", pd.DataFrame())
    return memo.derived(ev, "resolved_collapse", lambda e: R.collapse(e, resolved))


def with_events(tables: dict[str, pd.DataFrame], events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables with ``events`` in place of the filtered events."""
    return {**tables, "events": events}


def render_reports(corpus: Corpus, resolved_id: str, link: dict) -> None:
    """The reports of one resolved event: article, publisher, date, sentence and status, with links;
    when reports disagree (contested) the sentences stand side by side."""
    from ui.tables import article_url, md_escape

    full = corpus.tables
    res = full.get("resolved_events", pd.DataFrame())
    row = res[res["resolved_id"] == resolved_id] if not res.empty else res
    reports = R.reports_of(resolved_id, full["events"], full["articles"])
    if row.empty or reports.empty:
        return
    r = row.iloc[0]
    st.markdown(
        f"**Reports**: {int(r['n_reports'])} in {int(r['n_articles'])} article(s) from "
        f"{int(r['n_publishers'])} publisher(s), {int(r['n_agencies'])} agency(ies) cited — "
        f"status **{md_escape(r['status'])}** ({md_escape(r['status_rule'])})"
    )
    if r["merge_rule"]:
        st.caption("Why these reports are one event: " + md_escape(r["merge_rule"]))
    if r["status"] == "contested":
        yes = reports[reports["status"].isin(["occurred", "reported"])]
        no = reports[reports["status"] == "denied"]
        left, right = st.columns(2)
        left.markdown("**Says it happened**")
        for e in yes.itertuples():
            left.markdown(f"> {md_escape(e.evidence)}\n\n— {md_escape(e.publisher)}, {md_escape(e.published_date)}")
        right.markdown("**Denies it**")
        for e in no.itertuples():
            right.markdown(f"> {md_escape(e.evidence)}\n\n— {md_escape(e.publisher)}, {md_escape(e.published_date)}")
    view = pd.DataFrame(
        {
            "published": reports["published_date"],
            "publisher": reports["publisher"],
            "title": reports["title"],
            "event date": reports["start_date"],
            "status": reports["status"],
            "sentence": reports["evidence"],
            "article": [article_url(a, link) if a else "" for a in reports["article_id"].fillna("").astype(str)],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "article": st.column_config.LinkColumn("Article", display_text="open", width="small"),
            "sentence": st.column_config.TextColumn("Sentence", width="large"),
        },
    )


def resolved_rows(corpus: Corpus, reports: pd.DataFrame) -> pd.DataFrame:
    """The resolved events behind the given reports (rows of ``resolved_events``)."""
    res = corpus.tables.get("resolved_events", pd.DataFrame())
    if res.empty or reports.empty or "resolved_id" not in reports.columns:
        return res.iloc[0:0] if not res.empty else res
    return res[res["resolved_id"].isin(set(reports["resolved_id"]))]


def most_corroborated(events: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` collapsed events told by the most articles, then publishers, then agencies, then latest."""
    if events.empty or "n_articles" not in events.columns:
        return events.iloc[0:0]
    key = events.assign(_start=pd.to_datetime(events["start_date"], errors="coerce"))
    return (
        key.sort_values(
            ["n_articles", "n_publishers", "n_agencies", "_start", "event_id"], ascending=[False, False, False, False, True], kind="stable"
        )
        .drop(columns="_start")
        .head(n)
    )
