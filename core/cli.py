"""Command line: ``python -m core ingest|adopt|rebuild|export|set-date|remove|list``.

Exit codes: 0 all went well; 1 some file or article was rejected or failed (each has its line);
2 the command itself was refused (bad arguments, no store, a store error); 3 an unexpected error
(its traceback in the log); 130 interrupted.

Stores: ``ingest`` creates the store it is given; every other command needs an existing store
when ``--db`` names one (a mistyped path is an error, not a new store), while the default store
($RUSKOR_DB or data/corpus.sqlite) is created and filled with the sample articles on first use,
as the dashboard does.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

from core import config
from core.errors import ArticleError, log_path, write_log

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def printable(text: object) -> str:
    """``text`` on one line: control and direction characters shown as escapes, so a file name
    holding a newline cannot forge a result line."""
    return _UNSAFE.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m[0], f"\\u{ord(m[0]):04x}"), str(text))


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


def result_line(r) -> str:
    """One result as one line: status, file, counts, reason and its code."""
    counts = ""
    if r.counts:
        counts = " (" + ", ".join(f"{v} {k}" for k, v in r.counts.items()) + ")"
    line = f"{r.status:9} {r.source_file}{counts}"
    if r.message:
        line += f": {r.message}"
    if getattr(r, "code", ""):
        line += f" ({r.code})"
    return printable(line)


def _print_results(results, file=None) -> int:
    failed = 0
    for r in results:
        print(result_line(r), file=file or sys.stdout)
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
    from core.io.ingest import ingest_paths, iter_files, open_store

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(printable(f"rejected  {p}: no such file or folder (E006)"), file=sys.stderr)
    if args.engine != "dask" and (args.scheduler or args.parquet):
        print("error: --scheduler and --parquet go with --engine dask", file=sys.stderr)
        return 2
    store = open_store(args.db, seed=False)
    files = list(iter_files([p for p in args.paths if Path(p).exists()]))
    if args.engine == "dask":
        from core.io.dask_ingest import ClusterError, Timings, ingest_dask

        workers = args.workers if args.workers is not None else max(1, os.cpu_count() or 1)
        timings = Timings()
        try:
            results = ingest_dask(
                store,
                files,
                workers=max(1, workers),
                scheduler=args.scheduler,
                parquet_dir=args.parquet,
                progress=_progress_bar(len(files)),
                timings=timings,
            )
        except ClusterError as exc:
            print(printable(f"error: {exc}"), file=sys.stderr)
            return 2
        if timings.fallbacks:  # e.g. workers that cannot import the project: say so, the files still went in
            print(
                f"warning: {timings.fallbacks} of {timings.tasks} Dask tasks failed on the cluster and ran in this "
                f"process instead (the reasons are in {log_path()})",
                file=sys.stderr,
            )
    else:
        results = ingest_paths(store, files, _progress_bar(len(files)), workers=_workers(args.workers, len(files)))
    failed = _print_results(results)
    return 1 if failed or missing else 0


def cmd_adopt(args: argparse.Namespace) -> int:
    """Parquet partitions kept by ``ingest --engine dask --parquet DIR`` into the store, in one
    transaction (after an adoption that failed, or into another store)."""
    from core.io.dask_ingest import ClusterError, adopt_partitions, partitions
    from core.io.ingest import open_store

    folder = Path(args.folder)
    if not folder.is_dir() or not partitions(folder):  # a mistyped folder is an error, not 0 articles
        print(printable(f"error: {folder} holds no Parquet partitions (part-NNNNN folders)"), file=sys.stderr)
        return 2
    parts = partitions(folder)
    try:
        results = adopt_partitions(open_store(args.db, seed=False), folder, _progress_bar(len(parts)))
    except ClusterError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 2
    return 1 if _print_results(results) else 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from core.io.ingest import rebuild

    store = _existing_store(args)
    count = store.article_count()
    report = rebuild(store, _progress_bar(count), workers=_workers(args.workers, count))
    for r in report.failed:
        print(result_line(r))
    skipped = f", {len(report.skipped)} left as a later change made them" if report.skipped else ""
    failed = f", {len(report.failed)} failed (their old rows kept)" if report.failed else ""
    print(printable(f"rebuilt the tables of {report.rebuilt} articles in {store.path}{skipped}{failed}"))
    return 1 if report.failed else 0


def _existing_store(args: argparse.Namespace, seed: bool = False):
    """The store a command other than ingest works on: one named by --db must exist already."""
    from core.io.ingest import open_store

    return open_store(args.db, seed=seed and args.db is None, create=args.db is None)


def cmd_export(args: argparse.Namespace) -> int:
    from core.io.csv_export import write_csvs
    from core.io.ingest import ingest_paths, iter_files
    from core.query.tables import load_tables
    from core.storage.store import Store

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
            failed = _print_results(results, file=sys.stderr)
            tables = load_tables(store, include_reference=False)  # those files alone
    else:
        failed = 0
        tables = load_tables(_existing_store(args, seed=True), include_reference=not args.articles_only)
    paths = write_csvs(tables, args.out, raw=args.raw_csv)
    counts = ", ".join(f"{len(tables[p.stem]) if p.stem != 'relations' else ''} {p.stem}".strip() for p in paths)
    print(printable(f"wrote {len(paths)} tables to {args.out} ({counts})"))
    return 1 if failed else 0


def cmd_set_date(args: argparse.Namespace) -> int:
    from core.io.ingest import set_article_date

    try:
        if args.date != "none" and not _ISO_DAY.fullmatch(args.date):  # not 20000101 nor 2000-W01-1
            raise ValueError(args.date)
        value = date.fromisoformat(args.date) if args.date != "none" else None
    except ValueError:
        raise ArticleError("E009", value=args.date) from None
    set_article_date(_existing_store(args), args.article_id, value)
    print(f"article {args.article_id}: publication date set to {args.date}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    store = _existing_store(args)
    if not store.delete_article(args.article_id):
        raise ArticleError("E011", article_id=args.article_id)
    print(f"removed article {args.article_id}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from core.query.tables import load_tables

    arts = load_tables(_existing_store(args, seed=True))["articles"]
    for r in arts.itertuples():
        print(printable(f"{r.article_id}  {r.published_date or '(no date)':10}  {r.date_method:18} {r.source_file}"))
    return 0


WORKERS_HELP = "processes extracting articles (default: every core, or 1 for fewer than 50 articles)"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core", description="Russia–Korea relations: articles in, tables out.")
    p.add_argument("--db", default=None, help=f"store file (default ${'RUSKOR_DB'} or {config.store_path()})")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("ingest", help="add article files or folders (.txt, .md, .html, .zip) to the store")
    s.add_argument("paths", nargs="+")
    s.add_argument(
        "--workers",
        type=int,
        default=None,
        help=WORKERS_HELP + "; with --engine dask, the local cluster's worker processes (default every core)",
    )
    s.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: this machine's processes (default); dask: extraction mapped over a Dask cluster, "
        "Parquet partitions adopted by the store in one transaction (core/io/dask_ingest.py)",
    )
    s.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --engine dask: a running Dask scheduler (tcp://host:8786); default a local cluster of --workers processes",
    )
    s.add_argument(
        "--parquet",
        default=None,
        metavar="DIR",
        help="with --engine dask: keep the Parquet partitions in DIR (default a temporary folder, removed)",
    )
    s.set_defaults(func=cmd_ingest)
    s = sub.add_parser("adopt", help="store the Parquet partitions kept by `ingest --engine dask --parquet DIR`")
    s.add_argument("folder", metavar="DIR")
    s.set_defaults(func=cmd_adopt)
    s = sub.add_parser("rebuild", help="recompute every derived table from the stored texts")
    s.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    s.set_defaults(func=cmd_rebuild)
    s = sub.add_parser("export", help="write the CSV tables; with INPUTs, of those files only (the store is untouched)")
    s.add_argument("inputs", nargs="*")
    s.add_argument("--out", required=True)
    s.add_argument("--articles-only", action="store_true", help="leave out the curated reference rows when exporting the whole corpus")
    s.add_argument(
        "--raw-csv",
        action="store_true",
        help="write text cells as extracted (by default a cell starting =, +, -, @, tab or CR gets a ' "
        "in front, so a spreadsheet does not run it as a formula)",
    )
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
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one plain line here, the traceback in the log
        log = write_log(f"python -m core {args.command}", exc)
        print(
            printable(f"error: an unexpected {type(exc).__name__} stopped the command; please report it — the details are in {log}"),
            file=sys.stderr,
        )
        return 3
