"""Command line: ``python -m core ingest|rebuild|export|set-date|remove|list``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from core import config
from core.errors import ArticleError


def _progress_bar(total_hint: int):
    """A tqdm bar on stderr for long runs; nothing for a handful of files."""
    if total_hint < 20 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(total=total_hint, unit="article", file=sys.stderr)

    def update(done: int, total: int, name: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(name[-30:])
        bar.refresh()

    return update


def _print_results(results) -> int:
    failed = 0
    for r in results:
        counts = ""
        if r.counts:
            counts = " (" + ", ".join(f"{v} {k}" for k, v in r.counts.items()) + ")"
        line = f"{r.status:9} {r.source_file}{counts}"
        if r.message:
            line += f": {r.message}"
        print(line)
        failed += r.status == "rejected"
    added = sum(r.status == "added" for r in results)
    dup = sum(r.status == "duplicate" for r in results)
    print(f"{added} added, {dup} already present, {failed} rejected", file=sys.stderr)
    return failed


def _workers(asked: int | None, n_articles: int) -> int:
    """Processes for extraction: all cores by default, one for a handful of files (starting a
    worker costs about a second of imports)."""
    if asked is not None:
        return max(1, asked)
    return 1 if n_articles < 50 else max(1, os.cpu_count() or 1)


def cmd_ingest(args: argparse.Namespace) -> int:
    from core.ingest import ingest_paths, iter_files
    from core.store import open_store

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"rejected  {p}: no such file or folder", file=sys.stderr)
    store = open_store(args.db, seed=False)
    files = list(iter_files([p for p in args.paths if Path(p).exists()]))
    results = ingest_paths(store, files, _progress_bar(len(files)), workers=_workers(args.workers, len(files)))
    failed = _print_results(results)
    return 1 if failed or missing else 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from core.ingest import rebuild
    from core.store import open_store

    store = open_store(args.db, seed=False)
    count = store.article_count()
    n = rebuild(store, _progress_bar(count), workers=_workers(args.workers, count))
    print(f"rebuilt the tables of {n} articles in {store.path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from core.export import write_csvs
    from core.ingest import ingest_paths, iter_files
    from core.store import Store, open_store

    if args.inputs:
        missing = [p for p in args.inputs if not Path(p).exists()]
        if missing:
            for p in missing:
                print(f"error: {p}: no such file or folder", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "export.sqlite")
            files = list(iter_files(args.inputs))
            results = ingest_paths(store, files, _progress_bar(len(files)))
            for r in results:
                if r.status == "rejected":
                    print(f"rejected  {r.source_file}: {r.message}", file=sys.stderr)
            tables = store.load_tables(include_reference=False)  # those files alone
    else:
        tables = open_store(args.db).load_tables(include_reference=not args.articles_only)
    paths = write_csvs(tables, args.out)
    counts = ", ".join(f"{len(tables[p.stem]) if p.stem != 'relations' else ''} {p.stem}".strip() for p in paths)
    print(f"wrote {len(paths)} tables to {args.out} ({counts})")
    return 0


def cmd_set_date(args: argparse.Namespace) -> int:
    from core.ingest import set_article_date
    from core.store import open_store

    try:
        value = date.fromisoformat(args.date) if args.date != "none" else None
    except ValueError:
        raise ArticleError("E009", value=args.date) from None
    set_article_date(open_store(args.db, seed=False), args.article_id, value)
    print(f"article {args.article_id}: publication date set to {args.date}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from core.store import open_store

    store = open_store(args.db, seed=False)
    if not store.delete_article(args.article_id):
        raise ArticleError("E011", article_id=args.article_id)
    print(f"removed article {args.article_id}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from core.store import open_store

    arts = open_store(args.db).load_tables()["articles"]
    for r in arts.itertuples():
        print(f"{r.article_id}  {r.published_date or '(no date)':10}  {r.date_method:18} {r.source_file}")
    return 0


WORKERS_HELP = "processes extracting articles (default: every core, or 1 for fewer than 50 articles)"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core", description="Russia–Korea relations: articles in, tables out.")
    p.add_argument("--db", default=None, help=f"store file (default ${'RUSKOR_DB'} or {config.store_path()})")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("ingest", help="add article files or folders (.txt, .md, .html, .zip) to the store")
    s.add_argument("paths", nargs="+")
    s.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    s.set_defaults(func=cmd_ingest)
    s = sub.add_parser("rebuild", help="recompute every derived table from the stored texts")
    s.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    s.set_defaults(func=cmd_rebuild)
    s = sub.add_parser("export", help="write the CSV tables; with INPUTs, of those files only (the store is untouched)")
    s.add_argument("inputs", nargs="*")
    s.add_argument("--out", required=True)
    s.add_argument("--articles-only", action="store_true",
                   help="leave out the curated reference rows when exporting the whole corpus")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("set-date", help="set an article's publication date (YYYY-MM-DD, or 'none') and re-date its rows")
    s.add_argument("article_id")
    s.add_argument("date")
    s.set_defaults(func=cmd_set_date)
    s = sub.add_parser("remove", help="remove an article and its rows from the store")
    s.add_argument("article_id")
    s.set_defaults(func=cmd_remove)
    s = sub.add_parser("list", help="list the articles in the store")
    s.set_defaults(func=cmd_list)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ArticleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
