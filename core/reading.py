"""Bytes of one file in, article text out: size limits, encodings, HTML, binary refusal.

Every failure is an :class:`~core.errors.ArticleError` with a code, never a crash, so a batch
can report each file and carry on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.config import max_article_bytes
from core.errors import ArticleError

SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", "": "txt", ".text": "txt"}
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
_PUB_LINE = re.compile(r"Publication:\s*[^\n<]{1,80}?\s+Volume:\s*\d+\s+Issue:\s*\d+")
_HTML_TAGS = re.compile(r"<(p|div|br|span|a|body|html|table|h[1-6])\b[^>]*>", re.I)


@dataclass
class RawText:
    """Decoded text of one input with what was learnt while decoding it."""

    text: str
    source_file: str
    encoding: str
    format: str
    title: str = ""
    date: str = ""
    warnings: list[str] = field(default_factory=list)


def read_path(path: str | Path) -> RawText:
    """Read a file from disk, checking its size before reading it whole."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ArticleError("E006", detail=exc.strerror or str(exc)) from None
    limit = max_article_bytes()
    if size > limit:
        raise ArticleError("E002", size=size, limit=limit)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ArticleError("E006", detail=exc.strerror or str(exc)) from None
    return read_bytes(data, p.name)


def read_bytes(data: bytes, source_file: str) -> RawText:
    """Decode one article; HTML is reduced to its article text."""
    limit = max_article_bytes()
    if len(data) > limit:
        raise ArticleError("E002", size=len(data), limit=limit)
    suffix = Path(source_file).suffix.lower()
    if suffix not in SUFFIXES:
        raise ArticleError("E005", suffix=suffix)
    if not data.strip():
        raise ArticleError("E001")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError("E003", detail="it contains NUL bytes")
    text, encoding = _decode(data)
    if _control_share(text) > 0.02:
        raise ArticleError("E003", detail="too many control characters")
    fmt = SUFFIXES[suffix]
    warnings: list[str] = []
    if encoding not in ("utf-8", "ascii"):
        warnings.append(f"decoded as {encoding}")
    looks_html = bool(_HTML_START.match(data[:2048])) or len(_HTML_TAGS.findall(text[:20000])) >= 5
    title = date = ""
    if fmt == "html" or looks_html:
        if fmt != "html":
            warnings.append("the file holds HTML; its article text was extracted")
        text, title, date = _html_to_text(text)
        fmt = "html"
    text = _normalise(text)
    if not text.strip():
        raise ArticleError("E001")
    return RawText(text=text, source_file=source_file, encoding=encoding, format=fmt, title=title, date=date, warnings=warnings)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ArticleError("E003", detail="no text encoding fits its bytes")
    return str(best), best.encoding.replace("_", "-")


# Unicode categories Cc (controls), Cs (surrogates) and Co (private use) as one character class,
# less \t \n \f \r: these ranges are fixed by Unicode's stability policy, and one regex pass counts
# them far faster than asking unicodedata.category about every character.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def _html_to_text(html: str) -> tuple[str, str, str]:
    import trafilatura

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True, deduplicate=False) or ""
    except Exception as exc:
        raise ArticleError("E006", detail=f"the HTML could not be parsed ({type(exc).__name__})") from None
    if len(text.split()) < 5:
        raise ArticleError("E004")
    title = date = ""
    try:
        meta = trafilatura.extract_metadata(html)
        from htmldate import find_date

        # only a date the page states in its metadata, never a guess from a copyright line
        date = find_date(html, extensive_search=False, original_date=True) or ""
    except Exception:
        meta = None
    if meta is not None:
        title = meta.title or ""
    # extractors drop a serial's "Publication: … Volume: … Issue: …" line as boilerplate: keep it
    header = _PUB_LINE.search(re.sub(r"<[^>]+>", " ", html))
    if header and "Volume:" not in text[:300]:
        text = re.sub(r"\s+", " ", header[0]).strip() + "\n\n" + text
    return text, title, date


def _normalise(text: str) -> str:
    """Unify line ends and drop a byte-order mark; offsets refer to the text after this."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text
