"""Bringing files into the store: one result per file, one transaction per article.

One bad file never stops a batch: each gets a result line (added, duplicate, rejected with a code
and the reason). Any exception while reading or extracting one article — a bug included — is that
article's rejection (``E012``, traceback in the log), and an exception while writing one article
leaves every earlier article intact and that one absent.

Zips go through one expander (:func:`open_zip`) for the command line and the page alike: members
are read one at a time with their size limits enforced as the bytes come, and a damaged, encrypted
or unsupported member is rejected on its own line while the others go in.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import IO, TypeVar

from core import config
from core.config import max_article_bytes
from core.errors import ArticleError, extraction_failed, write_log
from core.extract.pipeline import process, to_rows
from core.storage import resolve_store as resolution
from core.storage.store import IngestResult, Store
from core.text.reading import SUFFIXES, RawText, read_bytes, read_path

ZIP_MAX_MEMBERS = 5000
ZIP_MAX_TOTAL = 200_000_000
ZIP_MAX_RATIO = 100

Progress = Callable[[int, int, str], None]
_WINDOW = 256  # articles extracted ahead of the writer in a parallel ingest or rebuild
T = TypeVar("T")
R = TypeVar("R")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and article files inside folders named (sorted, so runs are repeatable).

    Inside a folder, hidden entries (``.git``, ``.DS_Store``) and their contents are skipped, and
    so are files whose extension is not an article's (a file named on the command line is always
    tried, and gets its own result line).
    """
    for p in map(Path, paths):
        if p.is_dir():
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__MACOSX"]
                for n in names:
                    suffix = Path(n).suffix.lower()
                    if not n.startswith(".") and suffix and (suffix in SUFFIXES or suffix == ".zip"):
                        found.append(Path(root) / n)
            yield from sorted(found)
        else:
            yield p


def ingest_paths(store: Store, paths: Iterable[str | Path], progress: Progress | None = None, workers: int = 1) -> list[IngestResult]:
    """Every article file under ``paths``; with ``workers`` > 1 the extraction runs in that many
    processes while this one writes, in file order, one transaction per article. Their events are
    resolved in batches (:func:`core.storage.resolve_store.deferred`), not one article at a time."""
    files = list(iter_files(paths))
    results: list[IngestResult] = []
    plain = [f for f in files if f.suffix.lower() != ".zip"]
    with (
        store.connect() as con,
        _in_order(_extract_path, plain, workers) as extracted,
        resolution.deferred(con, store.transaction) as batch,
    ):
        for i, f in enumerate(files):
            if f.suffix.lower() == ".zip":
                results.extend(ingest_zip(store, f, f.name, con=con))
            else:
                results.append(_store_extracted(store, f.name, next(extracted), con=con))
            batch.flush_if_full()  # the events of the last articles resolved together (core.storage.resolve_store)
            if progress:
                progress(i + 1, len(files), f.name)
    return results


def write_extracted(store: Store, items: Iterable[tuple[str, Extracted | ArticleError]], con: sqlite3.Connection) -> list[IngestResult]:
    """The bulk writer of :func:`ingest_paths` for articles extracted already, (label, extraction):
    one transaction per article, their events resolved in batches (the benchmark times this)."""
    results = []
    with resolution.deferred(con, store.transaction) as batch:
        for label, ex in items:
            results.append(_store_extracted(store, label, ex, con=con))
            batch.flush_if_full()
    return results


@dataclass
class Extracted:
    """One article read and extracted, ready to store (what a worker process sends back)."""

    rows: dict[str, list[dict]]
    record: dict[str, str]
    counts: dict[str, int]
    note: str


def extract_raw(raw: RawText, user_date: date | None = None) -> Extracted:
    """The pure half of an ingest: extraction, no store."""
    doc = process(raw, user_date)
    rows = to_rows(doc)
    counts = {t: len(rows[t]) for t in ("events", "mentions", "amounts", "citations")}
    counts["actors"] = len({m["actor_id"] for m in rows["mentions"]})
    record = {
        "article_id": doc.article_id,
        "content_hash": doc.content_hash,
        "source_file": raw.source_file,
        "text": doc.text,
        "encoding": doc.encoding,
        "format": doc.format,
        "title": raw.title,
        "header_date": raw.date,
        "user_date": user_date.isoformat() if user_date else "",
        "warnings": "; ".join(raw.warnings),
    }
    return Extracted(rows, record, counts, "; ".join(doc.warnings))


def extract_guarded(read: Callable[[], RawText], label: str, user_date: date | None = None) -> Extracted | ArticleError:
    """Read and extract one article; every failure becomes an ArticleError for it alone (an
    unexpected one ``E012``, its traceback logged)."""
    try:
        return extract_raw(read(), user_date)
    except ArticleError as exc:
        return exc
    except Exception as exc:  # a bug in reading or extraction: this article only
        return extraction_failed(label, exc)


def _extract_path(path: Path) -> Extracted | ArticleError:
    return extract_guarded(lambda: read_path(path), str(path))


def die_with_parent(parent: int) -> None:
    """Worker start-up: end when the parent ends, even by ``kill -9`` (no orphans left running).

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); elsewhere, and
    as a second guard, a thread checks the parent every second. The kernel's signal comes when the
    *thread* that started the process ends, so start workers from a thread that lives as long as
    the process (the main thread, or a dedicated one: see ``ui.ingest_view``).
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        import time

        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


@contextmanager
def _in_order(fn: Callable[[T], R], items: list[T], workers: int) -> Iterator[Iterator[R]]:
    """``fn`` over ``items``, results in order: here, or in ``workers`` spawned processes, a
    window at a time so finished results never pile up in memory ahead of the writer. Workers die
    with this process; if a worker dies on its own, the rest is done here."""
    if workers <= 1 or len(items) <= 1:
        yield map(fn, items)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    def run(pool: ProcessPoolExecutor) -> Iterator[R]:
        start = 0
        while start < len(items):
            window = items[start : start + _WINDOW]
            try:
                done = list(pool.map(fn, window, chunksize=8))
            except BrokenProcessPool as exc:  # a worker was killed (out of memory…)
                write_log("a worker process died; the rest runs in the main process", exc)
                yield from map(fn, items[start:])
                return
            yield from done
            start += _WINDOW

    with ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        yield run(pool)


def _rejected(label: str, exc: ArticleError) -> IngestResult:
    return IngestResult(label, "rejected", message=exc.message, code=exc.code)


def _store_extracted(store: Store, label: str, ex: Extracted | ArticleError, con: sqlite3.Connection | None = None) -> IngestResult:
    if isinstance(ex, ArticleError):
        return _rejected(label, ex)
    try:
        existing = store.add_article(ex.rows, ex.record, con)
    except ArticleError as exc:  # e.g. the store stayed locked (E010) or the disk is full: this article only
        return _rejected(label, exc)
    if existing:
        return IngestResult(label, "duplicate", existing, "already in the store (same content)")
    return IngestResult(label, "added", ex.record["article_id"], ex.note, ex.counts)


def adopt_extracted(store: Store, entries: Iterable[tuple[str, Extracted | IngestResult]]) -> list[IngestResult]:
    """Articles extracted elsewhere (by a Dask cluster, read back from its Parquet partitions), stored
    in ONE transaction: all of them or none, so a failed adoption leaves the store as it was.

    Each article goes through the store's own writer (:meth:`Store.add_articles`: the duplicate
    check, the rows, event resolution), in the order given, so the store ends up as an ingest of the
    same files in that order leaves it. ``entries`` may be a generator (partitions read while they
    are written); an entry that is already a result (a rejection made while extracting) is kept as
    it is. When the write fails (store locked, disk full, read-only) every article that was to be
    written is rejected with that reason and code.
    """
    results: list[IngestResult | None] = []
    pending: list[tuple[int, str, str, str, dict[str, int]]] = []  # what a result needs, not the rows

    def to_write() -> Iterator[tuple[dict[str, list[dict]], dict]]:
        for label, ex in entries:
            if isinstance(ex, IngestResult):
                results.append(ex)
                continue
            pending.append((len(results), label, ex.record["article_id"], ex.note, ex.counts))
            results.append(None)
            yield ex.rows, ex.record

    batch = to_write()
    try:
        existing = store.add_articles(batch)
    except ArticleError as exc:
        for _ in batch:  # the rest still gets its result line
            pass
        existing = [exc] * len(pending)
    for (i, label, article_id, note, counts), found in zip(pending, existing, strict=True):
        if isinstance(found, ArticleError):
            results[i] = _rejected(label, found)
        elif found:
            results[i] = IngestResult(label, "duplicate", found, "already in the store (same content)")
        else:
            results[i] = IngestResult(label, "added", article_id, note, counts)
    return [r for r in results if r is not None]


def ingest_bytes(store: Store, data: bytes, name: str, user_date: date | None = None) -> list[IngestResult]:
    """One uploaded file (a .zip gives one result per member)."""
    if name.lower().endswith(".zip"):
        return ingest_zip(store, data, name, user_date)
    return [_guarded(store, name, lambda: read_bytes(data, name), user_date)]


def ingest_text(store: Store, text: str, title: str = "", user_date: date | None = None) -> IngestResult:
    """Pasted text, with an optional title line."""
    body = f"Title: {title}\n\n{text}" if title.strip() else text
    return _guarded(store, "pasted.txt", lambda: read_bytes(body.encode("utf-8"), "pasted.txt"), user_date)


# --------------------------------------------------------------------------- zips


@dataclass
class ZipMember:
    """One article file of a zip, not yet read: :meth:`read` streams it under the size limits."""

    name: str  # the file name inside the archive (no folders)
    error: ArticleError | None = None  # refused before reading (encrypted, too large, a zip in a zip)
    _archive: _Archive | None = field(default=None, repr=False)
    _info: zipfile.ZipInfo | None = field(default=None, repr=False)

    def read(self) -> bytes:
        """The member's bytes; ArticleError (E002, E008, E017, E020) when it is refused or damaged."""
        if self.error is not None:
            raise self.error
        assert self._archive is not None and self._info is not None
        return self._archive.read(self._info)


class _Archive:
    """An open zip with a budget of unpacked bytes shared by all its members."""

    def __init__(self, source: bytes | Path) -> None:
        self._fh: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else Path(source).open("rb")  # noqa: SIM115 - closed by close()
        try:
            self.zf = zipfile.ZipFile(self._fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            self._fh.close()
            raise ArticleError("E008", detail="it is not a valid zip file") from None
        self.unpacked = 0

    def read(self, info: zipfile.ZipInfo) -> bytes:
        limit = max_article_bytes()
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zf.open(info) as fh:
                while chunk := fh.read(65536):
                    size += len(chunk)
                    self.unpacked += len(chunk)
                    if size > limit:  # the header may lie about the size: counted as read
                        raise ArticleError("E002", size=size, limit=limit)
                    if self.unpacked > ZIP_MAX_TOTAL:
                        raise ArticleError("E008", detail=f"it unpacks to more than {ZIP_MAX_TOTAL:,} bytes")
                    chunks.append(chunk)
        except ArticleError:
            raise
        except NotImplementedError:
            raise ArticleError("E017", detail=f"its compression method ({info.compress_type}) is not supported") from None
        except RuntimeError as exc:  # zipfile: "... is encrypted, password required"
            raise ArticleError("E017", detail="it is encrypted" if "encrypt" in str(exc) else str(exc)) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise ArticleError("E017", detail=f"its data is damaged ({exc})") from None
        return b"".join(chunks)

    def close(self) -> None:
        self.zf.close()
        self._fh.close()


@contextmanager
def open_zip(source: bytes | Path) -> Iterator[list[ZipMember]]:
    """The article files of a zip (bytes, or a path read as needed), nothing unpacked yet.

    The whole archive is refused (E008) when it is not a zip, has too many members or declares too
    many bytes; each member is refused on its own when its path leaves the archive or it is
    compressed suspiciously well (E020), when it is encrypted, a zip itself or damaged when read
    (E017), or too large (E002).
    """
    archive = _Archive(source)
    try:
        yield _members(archive)
    finally:
        archive.close()


def _members(archive: _Archive) -> list[ZipMember]:
    limit = max_article_bytes()
    infos = [i for i in archive.zf.infolist() if not i.is_dir()]
    if len(infos) > ZIP_MAX_MEMBERS:
        raise ArticleError("E008", detail=f"it has {len(infos)} files (at most {ZIP_MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > ZIP_MAX_TOTAL:
        raise ArticleError("E008", detail=f"it unpacks to {total:,} bytes (at most {ZIP_MAX_TOTAL:,})")
    out = []
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        unsafe = _unsafe(info, path)
        if unsafe is not None:  # this member only: the others go in
            out.append(ZipMember(path.name or "unnamed", unsafe, archive, info))
            continue
        if any(part.startswith(".") for part in path.parts) or "__MACOSX" in path.parts:
            continue
        error = None
        if info.flag_bits & 0x1:
            error = ArticleError("E017", detail="it is encrypted")
        elif info.file_size > limit:
            error = ArticleError("E002", size=info.file_size, limit=limit)
        elif path.suffix.lower() == ".zip":
            error = ArticleError("E017", detail="a zip inside a zip is not opened; add it on its own")
        out.append(ZipMember(path.name, error, archive, info))
    return out


def _unsafe(info: zipfile.ZipInfo, path: PurePosixPath) -> ArticleError | None:
    """Why a member is refused before it is read (E020), or None: a path that leaves the folder it
    would be unpacked into (absolute, ``..``, a drive letter), or a compression ratio no article
    has (a bomb). Nothing is ever unpacked to disk, but such a member is hostile, so it is shown."""
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return ArticleError("E020", name=info.filename, detail="its path points outside the archive")
    if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO and info.file_size > 1_000_000:
        ratio = info.file_size // info.compress_size
        return ArticleError(
            "E020", name=info.filename, detail=f"it is compressed suspiciously well ({ratio:,} to 1; at most {ZIP_MAX_RATIO} to 1)"
        )
    return None


def zip_members(data: bytes) -> list[ZipMember]:
    """The members of an uploaded zip held in memory, each unpacked only when read (the page
    reads one at a time, so a zip of many large members never sits unpacked in memory)."""
    return _members(_Archive(data))


def safe_zip_members(data: bytes) -> list[tuple[str, bytes | ArticleError]]:
    """Every member read at once (for small uploads and tests; ingest streams via open_zip)."""
    out: list[tuple[str, bytes | ArticleError]] = []
    with open_zip(data) as members:
        for m in members:
            try:
                out.append((m.name, m.read()))
            except ArticleError as exc:
                out.append((m.name, exc))
    return out


def ingest_zip(
    store: Store, source: bytes | Path, name: str, user_date: date | None = None, con: sqlite3.Connection | None = None
) -> list[IngestResult]:
    """One result per member, each read, extracted and stored before the next is unpacked."""
    try:
        with open_zip(source) as members:
            return [_guarded(store, f"{name}:{m.name}", lambda m=m: read_bytes(m.read(), m.name), user_date, con) for m in members]
    except ArticleError as exc:
        return [_rejected(name, exc)]
    except OSError as exc:
        return [_rejected(name, ArticleError("E006", detail=exc.strerror or str(exc)))]


def _guarded(
    store: Store, label: str, read: Callable[[], RawText], user_date: date | None = None, con: sqlite3.Connection | None = None
) -> IngestResult:
    return _store_extracted(store, label, extract_guarded(read, label, user_date), con=con)


def ingest_raw(store: Store, raw: RawText, user_date: date | None = None, label: str | None = None) -> IngestResult:
    return _guarded(store, label or raw.source_file, lambda: raw, user_date)


# --------------------------------------------------------------------------- stored articles


def _rows_of_stored(stored: dict, user_date: date | None) -> dict[str, list[dict]]:
    """Extract one stored text again; the stored id stays the key even if normalisation changed."""
    raw = RawText(
        text=stored["text"],
        source_file=stored["source_file"],
        encoding=stored["encoding"] or "utf-8",
        format=stored["format"] or "txt",
        title=stored["title"] or "",
        date=stored["header_date"] or "",
        warnings=[w for w in (stored["warnings"] or "").split("; ") if w],
    )
    rows = to_rows(process(raw, user_date))
    for table_rows in rows.values():
        for r in table_rows:
            if "article_id" in r:
                r["article_id"] = stored["article_id"]
    return rows


def _rebuild_rows(stored: dict) -> tuple[str, dict[str, list[dict]] | ArticleError]:
    try:
        user = date.fromisoformat(stored["user_date"]) if stored["user_date"] else None
        return stored["article_id"], _rows_of_stored(stored, user)
    except ArticleError as exc:
        return stored["article_id"], exc
    except Exception as exc:  # this article keeps its rows; the others are rebuilt
        return stored["article_id"], extraction_failed(stored["source_file"] or stored["article_id"], exc)


@dataclass
class RebuildReport:
    """What a rebuild did: articles rebuilt, skipped (removed or re-dated meanwhile), failed."""

    rebuilt: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[IngestResult] = field(default_factory=list)

    def __int__(self) -> int:
        return self.rebuilt + len(self.skipped) + len(self.failed)

    def __eq__(self, other: object) -> bool:  # ``rebuild(store) == n`` reads as before
        if isinstance(other, int):
            return int(self) == other
        return NotImplemented


def rebuild(store: Store, progress: Progress | None = None, workers: int = 1) -> RebuildReport:
    """Re-run extraction over every stored text; each article replaced in its own transaction
    (extraction in ``workers`` processes when more than one).

    Writers running meanwhile win: an article removed, or given another date, after the rebuild
    read it is left as that writer left it (``skipped``); one whose extraction fails keeps its
    old rows and is reported (``failed``); articles added meanwhile were extracted by the
    current code already.
    """
    texts = store.stored_texts()
    report = RebuildReport()
    with store.connect() as con, _in_order(_rebuild_rows, texts, workers) as done:
        for i, (t, (article_id, rows)) in enumerate(zip(texts, done, strict=True)):
            label = t["source_file"] or article_id
            if isinstance(rows, ArticleError):
                report.failed.append(IngestResult(label, "rejected", article_id, rows.message, code=rows.code))
            else:
                try:
                    written = store.replace_if_unchanged(con, article_id, t["user_date"] or "", rows)
                except ArticleError as exc:
                    report.failed.append(IngestResult(label, "rejected", article_id, exc.message, code=exc.code))
                else:
                    if written:
                        report.rebuilt += 1
                    else:
                        report.skipped.append(article_id)
            if progress:
                progress(i + 1, len(texts), t["source_file"])
    return report


def set_article_date(store: Store, article_id: str, value: date | None) -> None:
    """Store a user's publication date and re-date the article's rows, in one transaction (which
    fails with E011 when the article was removed meanwhile)."""
    stored = store.stored_text(article_id)  # one row, not every text of the corpus
    if stored is None:
        raise ArticleError("E011", article_id=article_id)
    try:
        rows = _rows_of_stored(stored, value)
    except ArticleError:
        raise
    except Exception as exc:
        raise extraction_failed(stored["source_file"] or article_id, exc) from None
    store.set_user_date(article_id, value, rows)


@dataclass
class Preview:
    """What an upload would add, shown before it is stored (nothing is written)."""

    source_file: str
    ok: bool
    message: str = ""
    article_id: str = ""
    publication: str = ""
    volume: int | None = None
    issue: int | None = None
    title: str = ""
    published_date: str = ""
    date_method: str = ""
    date_note: str = ""
    warnings: list[str] | None = None
    actors: list[str] | None = None
    events: list[dict] | None = None
    n_amounts: int = 0
    duplicate_of: str = ""


def preview_bytes(store: Store | None, data: bytes, name: str, user_date: date | None = None) -> list[Preview]:
    """Read and extract without storing (a .zip gives one preview per member)."""
    if name.lower().endswith(".zip"):
        out = []
        try:
            with open_zip(data) as members:
                for m in members:
                    try:
                        payload = m.read()
                    except ArticleError as exc:
                        out.append(Preview(f"{name}:{m.name}", False, exc.message))
                        continue
                    out.append(_preview_one(store, payload, f"{name}:{m.name}", user_date, m.name))
        except ArticleError as exc:
            return [Preview(name, False, exc.message)]
        return out
    return [_preview_one(store, data, name, user_date, name)]


def _preview_one(store: Store | None, data: bytes, label: str, user_date: date | None, file_name: str) -> Preview:
    from core.domain.actors import describe

    try:
        doc = process(read_bytes(data, file_name), user_date)
    except ArticleError as exc:
        return Preview(label, False, exc.message)
    except Exception as exc:  # a bug: this file only, its traceback logged
        return Preview(label, False, extraction_failed(label, exc).message)
    names = []
    for m in doc.mentions:
        name = describe(m.actor_id, doc.found_actors)[0] or m.actor_id
        if name not in names:
            names.append(name)
    rows = to_rows(doc)
    events = [
        {"date": e["start_date"], "type": e["event_type"], "status": e["status"], "actors": e["actors"], "evidence": e["evidence"]}
        for e in rows["events"]
    ]
    meta = doc.meta
    return Preview(
        label,
        True,
        "; ".join(doc.warnings),
        doc.article_id,
        meta.publication,
        meta.volume,
        meta.issue,
        meta.title,
        meta.published.isoformat() if meta.published else "",
        meta.date_method,
        meta.date_note,
        list(doc.warnings),
        names,
        events,
        len(rows["amounts"]),
        (store.has_hash(doc.content_hash) or "") if store is not None else "",
    )


_open_lock = threading.Lock()


def open_store(path: str | Path | None = None, seed: bool = True, create: bool = True) -> Store:
    """The store at ``path`` (default: $RUSKOR_DB or data/corpus.sqlite).

    An empty store at the default location is filled from the bundled articles on first use,
    so the dashboard needs no separate set-up step; a read-only store is never seeded. With
    ``create`` off, a missing file is ``E016`` instead of a new, empty store. (It lives here, not in
    :mod:`core.storage.store`, because seeding is an ingest: the store imports no ingest.)
    """
    path = Path(path or config.store_path())
    if not create and not path.exists():
        raise ArticleError("E016", path=path)
    store = Store(path)
    if seed and not store.read_only:
        with _open_lock:
            if not store.is_seeded():
                seed_dir = config.seed_dir()
                if store.article_count() == 0 and seed_dir.is_dir():
                    ingest_paths(store, [seed_dir])
                store.mark_seeded()
    return store
