"""Bringing files into the store: one result per file, one transaction per article.

One bad file never stops a batch: each gets a result line (added, duplicate, rejected with the
reason), and an exception while writing one article leaves every earlier article intact and
that one absent.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TypeVar

from core.config import max_article_bytes
from core.errors import ArticleError
from core.pipeline import process, to_rows
from core.reading import SUFFIXES, RawText, read_bytes, read_path
from core.store import IngestResult, Store

ZIP_MAX_MEMBERS = 5000
ZIP_MAX_TOTAL = 200_000_000
ZIP_MAX_RATIO = 100

Progress = Callable[[int, int, str], None]
_WINDOW = 256  # articles extracted ahead of the writer in a parallel ingest or rebuild
T = TypeVar("T")
R = TypeVar("R")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and article files inside folders named (sorted, so runs are repeatable)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and (f.suffix.lower() in SUFFIXES or f.suffix.lower() == ".zip") and not f.name.startswith("."):
                    yield f
        else:
            yield p


def ingest_paths(store: Store, paths: Iterable[str | Path], progress: Progress | None = None, workers: int = 1) -> list[IngestResult]:
    """Every article file under ``paths``; with ``workers`` > 1 the extraction runs in that many
    processes while this one writes, in file order, one transaction per article."""
    files = list(iter_files(paths))
    results: list[IngestResult] = []
    plain = [f for f in files if f.suffix.lower() != ".zip"]
    with store.connect() as con, _in_order(_extract_path, plain, workers) as extracted:
        for i, f in enumerate(files):
            if f.suffix.lower() == ".zip":
                try:
                    data = f.read_bytes()
                except OSError as exc:
                    results.append(IngestResult(f.name, "rejected", message=str(exc)))
                    continue
                results.extend(ingest_zip(store, data, f.name))
            else:
                results.append(_store_extracted(store, f.name, next(extracted), con=con))
            if progress:
                progress(i + 1, len(files), f.name)
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


def _extract_path(path: Path) -> Extracted | ArticleError:
    try:
        return extract_raw(read_path(path))
    except ArticleError as exc:
        return exc


@contextmanager
def _in_order(fn: Callable[[T], R], items: list[T], workers: int) -> Iterator[Iterator[R]]:
    """``fn`` over ``items``, results in order: here, or in ``workers`` spawned processes, a
    window at a time so finished results never pile up in memory ahead of the writer."""
    if workers <= 1:
        yield map(fn, items)
        return
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        yield (r for start in range(0, len(items), _WINDOW) for r in pool.map(fn, items[start : start + _WINDOW], chunksize=8))


def _store_extracted(store: Store, label: str, ex: Extracted | ArticleError, con: sqlite3.Connection | None = None) -> IngestResult:
    if isinstance(ex, ArticleError):
        return IngestResult(label, "rejected", message=ex.message)
    try:
        existing = store.has_hash(ex.record["content_hash"], con)
        if existing:
            return IngestResult(label, "duplicate", existing, "already in the store (same content)")
        store.write_article(ex.rows, ex.record, con)
    except ArticleError as exc:  # e.g. the store stayed locked (E010): this article only
        return IngestResult(label, "rejected", message=exc.message)
    return IngestResult(label, "added", ex.record["article_id"], ex.note, ex.counts)


def ingest_bytes(store: Store, data: bytes, name: str, user_date: date | None = None) -> list[IngestResult]:
    """One uploaded file (a .zip gives one result per member)."""
    if name.lower().endswith(".zip"):
        return ingest_zip(store, data, name, user_date)
    return [_guarded(store, name, lambda: read_bytes(data, name), user_date)]


def ingest_text(store: Store, text: str, title: str = "", user_date: date | None = None) -> IngestResult:
    """Pasted text, with an optional title line."""
    body = f"Title: {title}\n\n{text}" if title.strip() else text
    return _guarded(store, "pasted.txt", lambda: read_bytes(body.encode("utf-8"), "pasted.txt"), user_date)


def ingest_zip(store: Store, data: bytes, name: str, user_date: date | None = None) -> list[IngestResult]:
    try:
        members = safe_zip_members(data)
    except ArticleError as exc:
        return [IngestResult(name, "rejected", message=exc.message)]
    results = []
    for member_name, payload in members:
        label = f"{name}:{member_name}"
        if isinstance(payload, ArticleError):
            results.append(IngestResult(label, "rejected", message=payload.message))
            continue
        results.append(_guarded(store, label, lambda p=payload, m=member_name: read_bytes(p, m), user_date))
    return results


def safe_zip_members(data: bytes) -> list[tuple[str, bytes | ArticleError]]:
    """Article files of a zip, refusing traversal paths, bombs and oversized members."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArticleError("E008", detail="it is not a valid zip file") from None
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > ZIP_MAX_MEMBERS:
        raise ArticleError("E008", detail=f"it has {len(infos)} files (at most {ZIP_MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > ZIP_MAX_TOTAL:
        raise ArticleError("E008", detail=f"it unpacks to {total:,} bytes (at most {ZIP_MAX_TOTAL:,})")
    out = []
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
            raise ArticleError("E008", detail=f"member {info.filename!r} points outside the archive")
        if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO and info.file_size > 1_000_000:
            raise ArticleError("E008", detail=f"member {info.filename!r} is compressed suspiciously well")
        if path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        if info.file_size > max_article_bytes():
            out.append((path.name, ArticleError("E002", size=info.file_size, limit=max_article_bytes())))
            continue
        with zf.open(info) as fh:
            payload = fh.read(max_article_bytes() + 1)
        out.append((path.name, payload))
    return out


def _guarded(store: Store, label: str, read: Callable[[], RawText], user_date: date | None = None) -> IngestResult:
    try:
        raw = read()
        return ingest_raw(store, raw, user_date, label)
    except ArticleError as exc:
        return IngestResult(label, "rejected", message=exc.message)


def ingest_raw(store: Store, raw: RawText, user_date: date | None = None, label: str | None = None) -> IngestResult:
    return _store_extracted(store, label or raw.source_file, extract_raw(raw, user_date))


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


def _rebuild_rows(stored: dict) -> tuple[str, dict[str, list[dict]]]:
    user = date.fromisoformat(stored["user_date"]) if stored["user_date"] else None
    return stored["article_id"], _rows_of_stored(stored, user)


def rebuild(store: Store, progress: Progress | None = None, workers: int = 1) -> int:
    """Re-run extraction over every stored text; each article replaced in its own transaction
    (extraction in ``workers`` processes when more than one)."""
    texts = store.stored_texts()
    with store.connect() as con, _in_order(_rebuild_rows, texts, workers) as done:
        for i, (t, (article_id, rows)) in enumerate(zip(texts, done, strict=True)):
            with store.transaction(con) as tx:
                store.replace_derived(tx, article_id, rows)
            if progress:
                progress(i + 1, len(texts), t["source_file"])
    return len(texts)


def set_article_date(store: Store, article_id: str, value: date | None) -> None:
    """Store a user's publication date and re-date the article's rows, in one transaction."""
    stored = next((t for t in store.stored_texts() if t["article_id"] == article_id), None)
    if stored is None:
        raise ArticleError("E011", article_id=article_id)
    rows = _rows_of_stored(stored, value)
    with store.transaction() as con:
        con.execute("UPDATE texts SET user_date=? WHERE article_id=?", (value.isoformat() if value else "", article_id))
        store.replace_derived(con, article_id, rows)


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
        try:
            members = safe_zip_members(data)
        except ArticleError as exc:
            return [Preview(name, False, exc.message)]
        return [
            Preview(f"{name}:{m}", False, p.message) if isinstance(p, ArticleError) else _preview_one(store, p, f"{name}:{m}", user_date, m)
            for m, p in members
        ]
    return [_preview_one(store, data, name, user_date, name)]


def _preview_one(store: Store | None, data: bytes, label: str, user_date: date | None, file_name: str) -> Preview:
    from core.actors import describe

    try:
        raw = read_bytes(data, file_name)
    except ArticleError as exc:
        return Preview(label, False, exc.message)
    doc = process(raw, user_date)
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
