"""What the Overview and Events pages show, read from the query engine (issue 14: queries, not copies).

Why a module: the pages stay thin (read filters, call here, render) and the two paths give the same
rows. The engine answers with counts and the row positions of the events to show; the rows
themselves come from the loaded events table, and a resolved event's row is made from its leading
report by :func:`core.storage.resolve.collapse`, the function the pandas path uses, so a row looks
exactly as it does there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core.query import engine as E
from core.query import filters as F
from core.query import frames
from core.query.engine import Engine, Page
from ui.loader import Corpus


def page_rows(corpus: Corpus, page: Page, every: bool) -> pd.DataFrame:
    """:func:`core.query.engine.page_rows` of the corpus's tables."""
    return E.page_rows(corpus.tables, page, every)


def describe(engine: Engine, filters: F.Filters, actors: pd.DataFrame, *, every: bool) -> str:
    """:func:`core.query.engine.describe`: the caption line of the shown events, from the engine."""
    return E.describe(engine, filters, actors, every=every)


@dataclass
class Overview:
    """The Overview's figures: counts, the span of the shown events, the caption line, and the rows
    of its two small tables (latest events; most cited, or most corroborated when resolved)."""

    articles: int
    events: int
    actors: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    described: str
    recent: pd.DataFrame
    cited: pd.DataFrame


def overview(corpus: Corpus, tables: Mapping[str, pd.DataFrame], filters: F.Filters, every: bool, engine: Engine | None) -> Overview:
    """The Overview's figures from the engine when there is one, else from the filtered ``tables``
    (the two give the same: tests/test_pages_engine.py)."""
    from ui import resolved
    from ui.tables import top_events

    if engine is not None:
        ov = engine.overview(filters, every=every)
        cited = engine.top_page(filters, "cited" if every else "corroborated", 8, every=every)
        return Overview(
            ov["articles"],
            ov["events"],
            ov["actors"],
            ov["first"],
            ov["last"],
            describe(engine, filters, corpus.tables["actors"], every=every),
            page_rows(corpus, engine.top_page(filters, "recent", 8, every=every), every),
            page_rows(corpus, cited, every),
        )
    ev = resolved.events_for(dict(tables), corpus, every)
    dates = pd.concat(frames.event_dates(ev)).dropna() if not ev.empty else pd.Series(dtype="datetime64[ns]")
    return Overview(
        len(tables["articles"]),
        len(ev),
        len(frames.list_index(ev, "actors")) if not ev.empty else 0,
        dates.min() if len(dates) else None,
        dates.max() if len(dates) else None,
        F.describe(filters, resolved.with_events(dict(tables), ev)),
        top_events(ev, "recent", 8) if not ev.empty else ev,
        ev if ev.empty else top_events(ev, "cited", 8) if every else resolved.most_corroborated(ev, 8),
    )


def shown_tables(corpus: Corpus, tables: Mapping[str, pd.DataFrame], every: bool, engine: Engine | None) -> Mapping[str, pd.DataFrame]:
    """The tables a chart page hands its view: the filtered ones with the shown events (resolved, or
    every report) and the reports behind them under ``reports``. With an engine, each table is made
    only when read (the view reads the actors, and the events only for what the engine does not
    answer: co-mentions, a click's list, an image's sources)."""
    from ui import resolved
    from ui.loader import Lazy

    def events() -> pd.DataFrame:
        return resolved.events_for(dict(tables), corpus, every)

    if engine is None:
        return {**resolved.with_events(dict(tables), events()), "reports": tables["events"]}
    makers = {name: (lambda name=name: tables[name]) for name in corpus.tables}
    makers.update({"actors": lambda: corpus.tables["actors"], "events": events, "reports": lambda: tables["events"]})
    return Lazy(makers)
