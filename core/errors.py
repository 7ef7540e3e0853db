"""The product's own error type, with codes, so a user sees one clear sentence per problem.

Anything else that goes wrong while one article is read or extracted (a bug) becomes ``E012`` for
that article alone, via :func:`extraction_failed`: the user sees one plain line, the traceback
goes to the log file (``$RUSKOR_LOG``), and the batch goes on.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

MESSAGES: dict[str, str] = {
    "E001": "The file is empty.",
    "E002": "The file is too large ({size:,} bytes; the limit is {limit:,} bytes).",
    "E003": "The file is not text: it looks like binary data ({detail}).",
    "E004": "No article text was found in the HTML page.",
    "E005": "The file type {suffix!r} is not supported; use .txt, .md or .html.",
    "E006": "The file could not be read: {detail}.",
    "E007": "The article has no text after its header.",
    "E008": "The zip archive was refused: {detail}.",
    "E009": "The date {value!r} is not a date in the form YYYY-MM-DD.",
    "E010": "The store is busy with another write; try again in a moment.",
    "E011": "No article with id {article_id!r} is in the store.",
    "E012": "Extraction failed on this article ({detail}); please report it — the details are in {log}.",
    "E013": "The store {path} cannot be opened: {detail}.",
    "E014": "The store {path} is read-only, so it cannot be changed ({detail}).",
    "E015": "The disk is full: nothing of this change was stored ({detail}).",
    "E016": "There is no store at {path}; `python -m core --db {path} ingest FILES` creates one.",
    "E017": "This zip member could not be unpacked: {detail}.",
    "E020": "The zip member {name!r} was refused: {detail}.",
    "E021": "The folder {path} already holds {n} Parquet partition(s) from an earlier run, and nothing was written: "
    "store them with `python -m core adopt {path}`, move them away, or give an empty folder.",
    # Programming errors, raised when core.extract.pipeline is imported (never by an article):
    "E018": "Pipeline step {step!r} requires {attribute!r}, which no earlier step assigns.",
    "E019": "Pipeline step {step!r} declares {attribute!r}, which is no attribute of the document or the run context.",
}


class ArticleError(ValueError):
    """A problem with one input that the user can act on; carries a stable code."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.details = details
        template = MESSAGES.get(code, "{detail}")
        try:
            text = template.format(**details)
        except (KeyError, IndexError, ValueError):
            text = template
        self.message = text
        super().__init__(f"[{code}] {text}")


class ContractError(RuntimeError):
    """A pipeline whose steps do not fit together (``E018``, ``E019``): a bug in the code, found
    when :mod:`core.extract.pipeline` is imported rather than as a wrong row later."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.details = details
        self.message = MESSAGES[code].format(**details)
        super().__init__(f"[{code}] {self.message}")


def log_path() -> Path:
    """Where tracebacks of unexpected failures go: $RUSKOR_LOG, else data/errors.log."""
    from core.config import DATA_DIR

    return Path(os.environ.get("RUSKOR_LOG") or DATA_DIR / "errors.log")


def write_log(what: str, exc: BaseException) -> Path:
    """Append the traceback of ``exc`` (while doing ``what``) to the log; the temp folder when
    the log's folder cannot be written. Returns the file written."""
    text = "".join(traceback.format_exception(exc))
    entry = f"--- {datetime.now(UTC).isoformat(timespec='seconds')} pid {os.getpid()}: {what}\n{text}\n"
    for path in (log_path(), Path(tempfile.gettempdir()) / "ruskor-errors.log"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(entry)
            return path
        except OSError:
            continue
    return log_path()


def extraction_failed(label: str, exc: BaseException) -> ArticleError:
    """``E012`` for an unexpected exception on one article, its traceback logged (not shown)."""
    log = write_log(f"extracting {label!r}", exc)
    return ArticleError("E012", detail=type(exc).__name__, log=log)
