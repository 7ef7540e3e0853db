"""Cached access to the store for the pages: tables keyed on Store.version(), derived views keyed
on (corpus key, filters).

``load()`` is the single seam: tests monkeypatch ``ui.loader.read_store`` to hand in factory
tables. A store that cannot be opened becomes an empty corpus plus a notice, never a traceback.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from core.config import store_path, use_engine
from core.query import filters as F
from core.query import frames
from core.query.tables import apply_changes, load_tables

if TYPE_CHECKING:
    from core.query.engine import Engine

_log = logging.getLogger(__name__)


@dataclass
class Corpus:
    """The whole corpus as loaded: tables, a cache key that changes on every write, notices."""

    tables: dict[str, pd.DataFrame]
    key: str
    notices: list[str] = field(default_factory=list)
    path: str = ""

    @property
    def is_empty(self) -> bool:
        return all(self.tables[t].empty for t in ("articles", "events", "amounts"))


@st.cache_resource(show_spinner=False)
def _store(path: str):
    from core.io.ingest import open_store

    return open_store(path)


class _Held:
    """The newest tables built, with the store version and change log they were read at: what a
    write's changes are applied to (:func:`core.query.tables.apply_changes`). It holds the same
    frames as the cache of :func:`_tables`, so the server still keeps one version."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.path = ""
        self.version = -1
        self.log_id = ""
        self.tables: dict[str, pd.DataFrame] | None = None

    def clear(self) -> None:
        self.path, self.version, self.log_id, self.tables = "", -1, "", None


@st.cache_resource(show_spinner=False)
def _held() -> _Held:
    return _Held()


def _newer(held: _Held, path: str, version: int) -> dict[str, pd.DataFrame] | None:
    """The held tables brought to the store's current version through its change log, or None when
    they cannot be (none held, another store, the log cannot answer, an event not resolved yet)."""
    if held.tables is None or held.path != path or held.version > version:
        return None
    store = _store(path)
    changes = store.changes_since(held.version, held.log_id)
    if changes is None:
        return None
    previous = held.tables
    tables = apply_changes(previous, store, changes)
    if tables is None:
        return None
    tables = frames.ensure_tables(tables)
    try:  # the filter indexes of the tables held, brought forward too (F.warm then builds only what is missing)
        F.carry(previous, tables, changes.rewritten)
    except Exception:  # a shortcut as well: F.warm builds whatever was not carried
        _log.exception("carrying the filter indexes over failed; they are built again")
    _carry_engine(f"{path}@{held.version}", f"{path}@{version}", previous, tables, changes.rewritten)
    held.version, held.tables = changes.version, tables
    return held.tables


def _carry_engine(
    old_key: str, new_key: str, before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame], rewritten: frozenset[str]
) -> None:
    """The query engine held for the corpus ``old_key`` (made of the tables ``before``) brought forward
    to the tables ``after`` of ``new_key`` (:meth:`core.query.engine.Engine.after_write`: only the rows
    read again are converted, instead of every row of every table). Nothing when no engine of that
    version is held (the pages read pandas, or none was asked for yet); the engine is let go when the
    pages will not read it at the new size, or when it cannot be brought forward (logged: the next
    page builds one from scratch, :class:`_Engines`)."""
    from core.query.engine import Engine

    engines = _engines()
    with engines.lock:
        previous = engines.engine
        if previous is None or engines.key != old_key:
            return
        engines.key, engines.engine = "", None
        if not use_engine(len(after["events"])):
            return
        try:
            engines.engine, engines.key = Engine.after_write(previous, before, after, rewritten), new_key
        except Exception:
            _log.exception("bringing the query engine forward failed; it is built again")


@st.cache_resource(show_spinner="Loading the corpus…", max_entries=1)
def _tables(path: str, version: int) -> dict[str, pd.DataFrame]:
    """Tables of one store version (the version argument is the cache key).

    A resource, not cache_data: every session shares the one copy instead of unpickling 150 MB
    per script run, and the filter indexes built here (``F.warm``) live as long as the tables.
    The tables are read-only from here on. One version only: after a write the previous version's
    tables are let go (with the filtered views of them, :class:`_Filtered`), so the server's memory
    does not grow with every add, re-date or removal.

    After a write the previous version's tables are brought forward through the store's change log
    (only the articles the write touched are read again: :func:`core.query.tables.apply_changes`),
    and so are their filter indexes (:func:`core.query.filters.carry`: only the rows read again are
    indexed); the whole corpus is read and indexed when that cannot be done (the first load, a store
    without the log, a reader further behind than the log keeps).
    """
    held = _held()
    with held.lock:  # one build at a time: two sessions after one write apply its changes once
        if held.tables is not None and held.path == path and held.version == version:
            return held.tables
        try:
            tables = _newer(held, path, version)
        except Exception:  # the log is a shortcut: whatever goes wrong there, the whole corpus is read instead
            _log.exception("applying the store's changes failed; reading the whole corpus")
            tables = None
        if tables is None:
            store = _store(path)
            at = store.version()  # the tables read hold this version's rows or newer ones (applying changes again is harmless)
            base = store.changes_since(at)
            held.clear()  # the old version is let go before the new one is read
            tables = frames.ensure_tables(load_tables(store))
            held.path, held.version, held.log_id, held.tables = path, at, base.log_id if base else "", tables
    F.warm(tables)
    return tables


def read_store() -> tuple[dict[str, pd.DataFrame], str, list[str]]:
    """(tables, cache key, notices) from the store at $RUSKOR_DB (or data/corpus.sqlite)."""
    path = str(Path(store_path()).resolve())
    try:
        store = _store(path)
        version = store.version()
        return _tables(path, version), f"{path}@{version}", []
    except Exception as exc:
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        return frames.empty_tables(), f"unavailable:{path}", [f"The corpus store could not be read ({message}); showing an empty corpus."]


def store_read_only() -> bool:
    """Whether the dashboard's store cannot be written by this server (its file or folder is
    read-only): then it is only read, and the pages hide every way to change it. Core's probe,
    the one the command line's ``list`` and ``export`` rely on; cheap (two permission checks)."""
    from core.storage.store import opens_read_only

    try:
        return opens_read_only(Path(store_path()).resolve())
    except OSError:  # a path that cannot even be examined cannot be written either
        return True


def load() -> Corpus:
    """The corpus for this run (cheap after the first call: one version query)."""
    tables, key, notices = read_store()
    return Corpus(tables=frames.ensure_tables(tables), key=key, notices=list(notices), path=os.environ.get("RUSKOR_DB", ""))


def article_text(corpus: Corpus, article_id: str) -> str:
    """The stored raw text of an article; rebuilt from its sentences when the store has none."""
    from core.views.figures.reader import text_from_sentences

    if not corpus.key.startswith("unavailable:") and "@" in corpus.key:
        try:
            txt = _store(corpus.key.rsplit("@", 1)[0]).text_of(article_id)
            if txt:
                return txt
        except Exception as exc:
            _log.debug("text_of(%s) failed: %s", article_id, exc)
    return text_from_sentences(corpus.tables["sentences"], article_id)


class _Filtered:
    """The tables narrowed per filter set, for ONE corpus version (the newest asked for): the last
    :data:`KEEP` filter sets, least recently used dropped first. A new version empties it, so no
    filtered view holds an older version's tables alive (a cache keyed on version and filters kept
    up to 32 of them, each pinning its whole corpus)."""

    KEEP = 32

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key = ""
        self.entries: OrderedDict[F.Filters, dict[str, pd.DataFrame]] = OrderedDict()

    def get(self, corpus: Corpus, filters: F.Filters) -> dict[str, pd.DataFrame]:
        with self.lock:
            if corpus.key != self.key:
                self.key = corpus.key
                self.entries.clear()
            hit = self.entries.get(filters)
            if hit is not None:
                self.entries.move_to_end(filters)
                return hit
        out = F.apply(corpus.tables, filters)  # outside the lock: other sessions need not wait
        with self.lock:
            if corpus.key == self.key:
                self.entries[filters] = out
                while len(self.entries) > self.KEEP:
                    self.entries.popitem(last=False)
        return out


@st.cache_resource(show_spinner=False)
def _filtered() -> _Filtered:
    return _Filtered()


def filtered_for(corpus: Corpus, filters: F.Filters) -> dict[str, pd.DataFrame]:
    """The tables narrowed by the filters (kept per filter set for the current corpus version; read-only)."""
    return _filtered().get(corpus, filters)


class LazyFiltered(Mapping[str, pd.DataFrame]):
    """The filtered tables of :func:`filtered_for`, computed on first use: a page that reads its
    figures from the query engine (:func:`engine_for`) never filters the pandas tables, yet hands
    these to whatever still needs them (a CSV built when its button is clicked)."""

    def __init__(self, corpus: Corpus, filters: F.Filters) -> None:
        self._corpus, self._filters = corpus, filters
        self._tables: dict[str, pd.DataFrame] | None = None

    def _get(self) -> dict[str, pd.DataFrame]:
        if self._tables is None:
            # no filter: the corpus's own tables (what core.query.filters.apply hands back then)
            self._tables = dict(self._corpus.tables) if self._filters.is_empty() else filtered_for(self._corpus, self._filters)
        return self._tables

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


class Lazy(Mapping[str, pd.DataFrame]):
    """Tables each made by its own function on first read: what a page that reads the query engine
    hands to code that may still want a pandas table (a click's event list, an image's sources)."""

    def __init__(self, makers: Mapping[str, Callable[[], pd.DataFrame]]) -> None:
        self._makers = dict(makers)
        self._made: dict[str, pd.DataFrame] = {}

    def __getitem__(self, key: str) -> pd.DataFrame:
        if key not in self._made:
            self._made[key] = self._makers[key]()
        return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


class _Engines:
    """The query engine (:class:`core.query.engine.Engine`) of ONE corpus version, the newest asked
    for: a new version lets the previous engine go before the new one is built, so the server holds
    one engine, as it holds one version's tables. After a write the loader brings the engine held
    forward instead (:func:`_carry_engine`), when it holds the previous version's."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key = ""
        self.engine: Engine | None = None

    def get(self, corpus: Corpus) -> Engine:
        from core.query.engine import Engine

        with self.lock:  # sessions asking while it is built wait for the one build
            if self.engine is None or self.key != corpus.key:
                self.key, self.engine = "", None
                self.engine, self.key = Engine(corpus.tables), corpus.key
            return self.engine


@st.cache_resource(show_spinner=False)
def _engines() -> _Engines:
    return _Engines()


def engine_for(corpus: Corpus) -> Engine | None:
    """The query engine of the corpus's version when pages should read from it
    (:func:`core.config.use_engine`: a large corpus, or $RUSKOR_ENGINE), else None (the pandas path).

    An engine that cannot be built is logged and the page falls back to pandas: never an error box."""
    if corpus.key.startswith("unavailable:") or not use_engine(len(corpus.tables["events"])):
        return None
    try:
        return _engines().get(corpus)
    except Exception:
        _log.exception("the query engine could not be built; the pages filter pandas tables instead")
        return None
