"""What the Add articles page does, kept apart from the page so tests can drive it directly.

Uploads come in as (name, bytes) pairs. A zip is opened here, through core's one expander
``zip_members`` (the command line's too, so its limits on paths, member count, size and ratio
hold), into one item per article, each member unpacked only when it is previewed or added, its
size limit enforced as it is read; a damaged or encrypted member, or one whose path leaves the
archive or that is compressed like a bomb, is rejected on its own line while the others go in.
Each article then gets its own preview, its own date correction and its own result line.
Nothing here raises: every problem, from core or not, becomes a plain line for that file,
so one bad file never stops the others and the page never shows a traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from core.config import max_article_bytes, store_path
from core.errors import ArticleError
from core.io.ingest import (
    Preview,
    die_with_parent,
    ingest_bytes,
    ingest_text,
    open_store,
    preview_bytes,
    set_article_date,
    zip_members,
)
from core.storage.store import IngestResult, Store

_log = logging.getLogger(__name__)

#: Progress callback: (done, total, label of the file just handled).
Progress = Callable[[int, int, str], None]

#: Dates a user may set (the date widgets' bounds): wide enough for any article of the corpus.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)


@dataclass
class Item:
    """One article to be: an uploaded file, or one member of an uploaded zip."""

    key: str  # stable id for widget keys (the upload's id, plus the member's index in a zip)
    label: str  # what the user sees: "a.txt" or "batch.zip:a.txt"
    name: str = ""  # file name handed to core (its suffix decides how the bytes are read)
    data: bytes = b""
    error: str = ""  # why it cannot be read at all (a refused zip, an oversized file)
    loader: Callable[[], bytes] | None = field(default=None, repr=False, compare=False)  # a zip member's reader

    def payload(self) -> bytes:
        """The article's bytes (a zip member is unpacked now); ArticleError when it cannot be."""
        return self.loader() if self.loader is not None else self.data


@dataclass
class Outcome:
    """The result line of one article: added, duplicate (already present) or rejected."""

    label: str
    status: str
    message: str = ""
    article_id: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def line(self) -> str:
        """The result in plain words (not markdown: escape it before st.markdown)."""
        if self.status == "added":
            c = self.counts
            line = f"added: {_n(c.get('events', 0), 'event')}, {_n(c.get('actors', 0), 'actor')}, {_n(c.get('amounts', 0), 'amount')}."
            return line + (f" Note: {self.message}." if self.message else "")
        if self.status == "duplicate":
            return f"already present (same content as stored article {self.article_id}); nothing was changed."
        return f"rejected: {self.message or 'it could not be read.'}"


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"


# --------------------------------------------------------------------------- the store


def current_store() -> Store:
    """The store the dashboard reads ($RUSKOR_DB or data/corpus.sqlite), at the same resolved
    path as ui.loader, so a write here changes the version every page keys its caches on."""
    return open_store(Path(store_path()).resolve())


def reason_for(exc: BaseException, doing: str) -> str:
    """A user-facing sentence for an exception from core (E010 asks to try again)."""
    if isinstance(exc, ArticleError):
        return exc.message
    _log.exception("unexpected error while %s", doing)
    return f"an unexpected error ({type(exc).__name__}) stopped {doing}; nothing else was affected."


# --------------------------------------------------------------------------- uploads -> items


def expand(uploads: Sequence[tuple[str, bytes]], ids: Sequence[str] | None = None) -> list[Item]:
    """One item per article: plain files as they are, zips opened into their members.

    ``ids`` (one per upload, e.g. Streamlit's file ids) keep widget keys stable when the list
    of uploads changes; by default the position is used.
    """
    items: list[Item] = []
    for i, (name, data) in enumerate(uploads):
        uid = str(ids[i]) if ids is not None and i < len(ids) else str(i)
        name = Path(str(name).replace("\\", "/")).name or "unnamed"
        if not name.lower().endswith(".zip"):
            items.append(_item(uid, name, name, data))
            continue
        try:
            members = zip_members(data)
        except Exception as exc:  # ArticleError (refused) or anything zipfile raises
            items.append(Item(uid, name, error=reason_for(exc, f"opening {name}")))
            continue
        if not members:
            items.append(Item(uid, name, error="The zip archive holds no article files."))
        for j, m in enumerate(members):
            label = f"{name}:{m.name}"
            if m.error is not None:
                items.append(Item(f"{uid}-{j}", label, m.name, error=m.error.message))
            else:
                items.append(Item(f"{uid}-{j}", label, m.name, loader=m.read))
    return items


def _item(key: str, label: str, name: str, data: bytes) -> Item:
    """Checked against the size limit here too, before any reading (the upload limit of the
    web server is per upload and larger, since a zip may hold many articles)."""
    limit = max_article_bytes()
    if len(data) > limit:
        return Item(key, label, name, error=ArticleError("E002", size=len(data), limit=limit).message)
    return Item(key, label, name, data)


# --------------------------------------------------------------------------- extraction with a time budget


class OverBudget(Exception):
    """Extraction of one upload ran past the page's time budget, or the browser went away."""


def budget_seconds() -> float:
    """Seconds the page gives one article's extraction (data/bounds.yaml ``page_extract_seconds``)."""
    from core.text.datafiles import cached_yaml

    return float(cached_yaml("bounds.yaml")["page_extract_seconds"])


def session_alive() -> bool:
    """Is the browser session that asked for the work still connected? (True outside Streamlit.)"""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not Runtime.exists():
            return True
        return bool(Runtime.instance().is_active_session(ctx.session_id))
    except Exception:  # an API that moved must not stop the page
        return True


#: Run the jobs here, with no budget (tests that replace core functions with fakes set it).
IN_PROCESS = False
_pool = None  # one worker process per server, reused (spawning one costs a second of imports)
_pool_lock = threading.Lock()  # sessions run on threads of one server
_starter = None  # the one long-lived thread that hands jobs to the pool (see _submit)


def _worker_pool():
    """The extraction worker, which dies with the server (even a ``kill -9`` of it): no
    orphan keeps running a hostile upload after the server is gone."""
    global _pool
    with _pool_lock:
        if _pool is None:
            import os
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            _pool = ProcessPoolExecutor(
                max_workers=1, mp_context=get_context("spawn"), initializer=die_with_parent, initargs=(os.getpid(),)
            )
        return _pool


def _submit(pool, fn: Callable, *args):
    """``pool.submit`` run on one thread that lives as long as the server. The pool starts its
    worker on the submitting thread, and Linux's parent-death signal (armed by die_with_parent)
    fires when that *thread* ends; Streamlit runs every script run on a thread of its own, so a
    worker started there would be killed after each run."""
    global _starter
    with _pool_lock:
        if _starter is None:
            from concurrent.futures import ThreadPoolExecutor

            _starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extraction-starter")
        starter = _starter
    return starter.submit(pool.submit, fn, *args).result()


def _stop_pool(pool=None) -> None:
    """Kill the worker (its task cannot be cancelled otherwise); the next call starts a new one.
    With ``pool``: that pool's worker, which runs the caller's job, is killed even when another
    session has replaced it meanwhile (only then is the current pool left alone): a job past its
    budget must never keep running in a pool nobody holds any more."""
    global _pool
    with _pool_lock:
        if pool is None:
            pool, _pool = _pool, None
        elif pool is _pool:
            _pool = None
    if pool is None:
        return
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        try:
            proc.kill()
        except Exception:
            _log.debug("killing the extraction worker failed", exc_info=True)
    for proc in procs:  # reaped here, so the worker is gone when the page says it was stopped
        try:
            proc.join(5)
        except Exception:
            _log.debug("waiting for the extraction worker failed", exc_info=True)
    pool.shutdown(wait=False, cancel_futures=True)


def run_budgeted(fn: Callable, *args, budget: float | None = None, alive: Callable[[], bool] = session_alive, poll: float = 0.25):
    """``fn(*args)`` in the worker process, stopped (the process killed) when it runs past
    ``budget`` seconds or ``alive()`` turns False (the browser left): a hostile upload can then
    neither hold the server's CPU for minutes nor keep it busy after its user has gone."""
    import time
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    if IN_PROCESS:
        return fn(*args)
    budget = budget_seconds() if budget is None else budget
    deadline = time.monotonic() + budget
    pool = _worker_pool()
    future, retried = _submit(pool, fn, *args), False
    while True:
        try:
            return future.result(timeout=poll)
        except FutureTimeout:
            pass
        except BrokenProcessPool:
            _stop_pool(pool)
            if retried:
                raise OverBudget("the extraction process stopped unexpectedly") from None
            # another session's over-budget job took the shared worker down with this one: once more
            pool = _worker_pool()
            future, retried = _submit(pool, fn, *args), True
            continue
        if time.monotonic() > deadline:
            _stop_pool(pool)
            raise OverBudget(
                f"reading it took longer than {budget:g} s, the limit on this page. "
                "Add it from the command line (python -m core ingest FILE), which has no limit"
            ) from None
        if not alive():
            _stop_pool(pool)
            raise OverBudget("the browser session ended") from None


# the jobs look core's functions up in this module when they run, so a test can replace them
def _preview_job(store: Store | None, data: bytes, name: str, user_date: date | None) -> list[Preview]:
    return preview_bytes(store, data, name, user_date)


def _ingest_job(store: Store, data: bytes, name: str, user_date: date | None) -> list[IngestResult]:
    return ingest_bytes(store, data, name, user_date)


def _ingest_text_job(store: Store, text: str, title: str, user_date: date | None) -> IngestResult:
    return ingest_text(store, text, title, user_date)


# --------------------------------------------------------------------------- preview


def preview(store: Store | None, item: Item, user_date: date | None = None) -> Preview:
    """What adding the item would give (nothing is stored); a failure becomes a not-ok preview.
    Extraction runs in the worker process under the page's time budget."""
    if item.error:
        return Preview(item.label, False, item.error)
    try:
        found = run_budgeted(_preview_job, store, item.payload(), item.name, user_date)
    except OverBudget as exc:
        return Preview(item.label, False, f"Not read: {exc}.")
    except Exception as exc:
        return Preview(item.label, False, reason_for(exc, f"reading {item.label}"))
    if not found:
        return Preview(item.label, False, "nothing could be read from the file.")
    return replace(found[0], source_file=item.label)


def inferred_date(p: Preview) -> date | None:
    """The publication date core found (None when it found none)."""
    try:
        return date.fromisoformat(p.published_date[:10]) if p.published_date else None
    except ValueError:
        return None


def in_range(value: date | None) -> date | None:
    """A date a date widget can show (None outside MIN_DATE..MAX_DATE: the widget would refuse it)."""
    return value if value is not None and MIN_DATE <= value <= MAX_DATE else None


#: How core found a publication date (Preview.date_method), in words.
DATE_METHODS = {
    "user": "the date you set",
    "header": "the article's header (or the page's own date)",
    "date line": "the date line under the headline",
    "calendar+notes": "the publication calendar and the latest date its source notes cite",
    "calendar": "the publication calendar (volume and issue)",
    "dateline": "the dispatch's dateline",
    "dateline+file name": "the dispatch's dateline, with the year of the date in the file name",
    "file name": "the date in the file name",
    "text": "the latest full date written in the text (older articles)",
}


def how_dated(method: str) -> str:
    """Preview.date_method in words (the method name itself when it is new)."""
    return DATE_METHODS.get(method, method or "?")


def user_date_for(p: Preview, chosen: date | None) -> date | None:
    """The date to store as the user's: only a date that differs from what core inferred, so an
    untouched article keeps its own dating method (header, calendar…) rather than 'user'."""
    if chosen is None or chosen == inferred_date(p):
        return None
    return chosen


# --------------------------------------------------------------------------- adding


def add(
    store: Store, items: Iterable[Item], dates: Mapping[str, date | None] | None = None, progress: Progress | None = None
) -> list[Outcome]:
    """Add every item, each on its own (own transaction in core); one result per item.

    ``dates`` maps an item's key to the publication date the user set (stored with the article,
    its events dated from it).
    """
    items = list(items)
    dates = dates or {}
    out: list[Outcome] = []
    for i, item in enumerate(items):
        out.append(_add_one(store, item, dates.get(item.key)))
        if progress:
            try:
                progress(i + 1, len(items), item.label)
            except Exception:  # a progress bar must never cost an article
                _log.debug("progress callback failed", exc_info=True)
    return out


def add_uploads(store: Store, uploads: Sequence[tuple[str, bytes]], progress: Progress | None = None) -> list[Outcome]:
    """(name, bytes) pairs in, one result per article out (zips give one per member)."""
    return add(store, expand(uploads), progress=progress)


def _add_one(store: Store, item: Item, user_date: date | None) -> Outcome:
    if item.error:
        return Outcome(item.label, "rejected", item.error)
    try:
        results = run_budgeted(_ingest_job, store, item.payload(), item.name, user_date)
    except OverBudget as exc:
        return Outcome(item.label, "rejected", f"not added: {exc}.")
    except Exception as exc:
        return Outcome(item.label, "rejected", reason_for(exc, f"adding {item.label}"))
    if not results:
        return Outcome(item.label, "rejected", "nothing could be read from the file.")
    return _outcome(store, item.label, results[0])


def text_item(text: str, title: str = "") -> Item:
    """Pasted text as core.io.ingest.ingest_text reads it (a 'Title:' line first when titled), so
    its preview shows what adding it would give."""
    body = f"Title: {title}\n\n{text}" if title.strip() else text
    label = f"Pasted text “{title.strip()}”" if title.strip() else "Pasted text"
    return _item("pasted", label, "pasted.txt", body.encode("utf-8"))


def add_text(store: Store, text: str, title: str = "", user_date: date | None = None) -> Outcome:
    """Pasted text (with an optional title and date) as one article."""
    item = text_item(text, title)
    if not text.strip():
        return Outcome(item.label, "rejected", "The text is empty.")
    if item.error:
        return Outcome(item.label, "rejected", item.error)
    try:
        result = run_budgeted(_ingest_text_job, store, text, title, user_date)
    except OverBudget as exc:
        return Outcome(item.label, "rejected", f"not added: {exc}.")
    except Exception as exc:
        return Outcome(item.label, "rejected", reason_for(exc, "adding the pasted text"))
    return _outcome(store, item.label, result)


def _outcome(store: Store, label: str, r: IngestResult) -> Outcome:
    counts = dict(r.counts or {})
    if r.status == "added":
        counts["actors"] = _n_actors(store, r.article_id)
    return Outcome(label, r.status, r.message, r.article_id, counts)


def _n_actors(store: Store, article_id: str) -> int:
    """Distinct actors named in a stored article (core counts mentions, not actors)."""
    try:
        return store.n_actors_of(article_id)
    except Exception:
        _log.debug("counting actors of %s failed", article_id, exc_info=True)
        return 0


# --------------------------------------------------------------------------- stored articles


def change_date(store: Store, article_id: str, value: date | None) -> str:
    """Set (or with None, clear) an article's publication date and re-date its rows; returns
    '' on success, else the reason in plain words."""
    try:
        set_article_date(store, article_id, value)
    except StopIteration:
        return ArticleError("E011", article_id=article_id).message
    except Exception as exc:
        return reason_for(exc, "changing the date")
    return ""


def remove(store: Store, article_id: str) -> str:
    """Remove an article and every row taken from it; returns '' on success, else the reason."""
    try:
        if not store.delete_article(article_id):
            return ArticleError("E011", article_id=article_id).message
    except Exception as exc:
        return reason_for(exc, "removing the article")
    return ""
