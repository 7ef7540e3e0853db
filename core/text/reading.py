"""Bytes of one file in, article text out: size limits, encodings, HTML, binary refusal.

Every failure is an :class:`~core.errors.ArticleError` with a code, never a crash, so a batch
can report each file and carry on.
"""

from __future__ import annotations

import os
import re
import stat
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
    """Read a file from disk: regular files only (a device such as /dev/zero or a named pipe is
    refused before it is opened), at most the size limit plus one byte read whatever the file
    claims, so nothing is read past the limit."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise ArticleError("E006", detail=exc.strerror or str(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ArticleError("E006", detail="it is not a regular file (a folder, device or pipe)")
    limit = max_article_bytes()
    if st.st_size > limit:
        raise ArticleError("E002", size=st.st_size, limit=limit)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since the check
                raise ArticleError("E006", detail="it is not a regular file (a folder, device or pipe)")
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ArticleError("E006", detail=exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise ArticleError("E002", size=len(data), limit=limit)
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
    bom_less = _utf16_without_bom(data)
    if b"\x00" in data[:8192] and not bom_less and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError("E003", detail="it contains NUL bytes")
    text, encoding, note = _decode(data, bom_less)
    if _control_share(text) > 0.02:
        raise ArticleError("E003", detail="too many control characters")
    fmt = SUFFIXES[suffix]
    warnings: list[str] = []
    if note:
        warnings.append(note)
    elif encoding not in ("utf-8", "ascii"):
        warnings.append(f"decoded as {encoding}")
    looks_html = bool(_HTML_START.match(data[:2048])) or len(_HTML_TAGS.findall(text[:20000])) >= 5
    title = date = ""
    if fmt == "html" or looks_html:
        if fmt != "html":
            warnings.append("the file holds HTML; its article text was extracted")
        if text.count("<") > _max_html_tags():
            warnings.append(
                f"the page has more than {_max_html_tags():,} tags: its text was read in a cheaper mode "
                "(every block's text, no boilerplate removal, no date from its metadata)"
            )
        text, title, date = _html_to_text(text)
        fmt = "html"
    text = _normalise(text)
    if not text.strip():
        raise ArticleError("E001")
    return RawText(text=text, source_file=source_file, encoding=encoding, format=fmt, title=title, date=date, warnings=warnings)


_STRAY = re.compile("[\udc80-\udcff]")


def _decode(data: bytes, utf16: str = "") -> tuple[str, str, str]:
    """(text, encoding, note) decoded by the bytes the file has.

    A byte-order mark decides first; then UTF-16 recognised by its NUL bytes; then UTF-8. Text
    that is mostly UTF-8 (at least as many valid multi-byte characters as stray bytes) stays
    UTF-8, its few stray bytes read as Windows-1252, with a note saying how many. Only text that
    is not mostly UTF-8 is detected: Latin text that Windows-1252 reads cleanly (accented letters
    a minority of its letters, as in French or German) is cp1252; anything else goes to
    charset-normalizer.
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :] if codec == "utf-8" else data
            return body.decode(codec, errors="replace"), codec, ""
    if utf16:
        try:
            return data.decode(utf16), utf16, f"decoded as {utf16} (a file without a byte-order mark)"
        except UnicodeDecodeError:
            raise ArticleError("E003", detail="it contains NUL bytes") from None
    try:
        return data.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")  # each stray byte -> U+DC80..U+DCFF
    stray = len(_STRAY.findall(escaped))
    multibyte = sum(1 for ch in escaped if ord(ch) > 0x7F) - stray
    if multibyte >= stray:
        text = _STRAY.sub(lambda m: bytes([ord(m[0]) - 0xDC00]).decode("cp1252", errors="replace"), escaped)
        return text, "utf-8", f"{stray} stray byte(s) that are not UTF-8 were read as Windows-1252"
    latin = _as_latin(data)
    if latin is not None:
        return latin, "cp1252", ""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ArticleError("E003", detail="no text encoding fits its bytes")
    return str(best), best.encoding.replace("_", "-"), ""


def _as_latin(data: bytes) -> str | None:
    """Windows-1252 text when the bytes read as a Latin-script language: every byte defined and
    accented letters at most 30 % of the letters (Cyrillic or Korean bytes read as cp1252 are
    nearly all accented letters and symbols)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    accented = sum(1 for ch in letters if ord(ch) > 0x7F)
    return text if accented <= 0.3 * len(letters) else None


def _utf16_without_bom(data: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes fall on one side of each pair, as they do in
    UTF-16 text of Latin script without a byte-order mark; else ''."""
    sample = data[:8192]
    if len(sample) < 8 or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ""
    even, odd = sample[0::2], sample[1::2]
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd >= 0.3 and nul_even <= 0.02:
        return "utf-16-le"
    if nul_even >= 0.3 and nul_odd <= 0.02:
        return "utf-16-be"
    return ""


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

    if html.count("<") > _max_html_tags():
        return _html_to_text_cheaply(html)

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True, deduplicate=False) or ""
    except Exception as exc:
        raise ArticleError("E006", detail=f"the HTML could not be parsed ({type(exc).__name__})") from None
    if len(text.split()) < 5:
        text = _deep_html_text(html)  # libxml2 stops at ~255 levels of nesting: read it flat
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


_DEEP = 200  # nesting past which the HTML is read with the flat parser below
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "nav", "footer", "svg"}
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}


def _deep_html_text(html: str) -> str:
    """The text of an HTML page nested deeper than libxml2 reads (its parser stops at ~255
    levels and the text below is lost), with Python's flat parser; '' for a page that is not
    deeply nested (trafilatura's verdict stands)."""
    from html.parser import HTMLParser

    class Flat(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.depth = self.max_depth = self.skipping = 0
            self.parts: list[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
            if tag in _SKIP_TAGS:
                self.skipping += 1
            if tag in _BLOCK_TAGS:
                self.parts.append("\n\n")

        def handle_startendtag(self, tag: str, attrs: list) -> None:
            if tag in _BLOCK_TAGS:
                self.parts.append("\n\n")

        def handle_endtag(self, tag: str) -> None:
            self.depth = max(0, self.depth - 1)
            if tag in _SKIP_TAGS and self.skipping:
                self.skipping -= 1

        def handle_data(self, data: str) -> None:
            if not self.skipping:
                self.parts.append(data)

    flat = Flat()
    flat.feed(html)
    flat.close()
    if flat.max_depth < _DEEP:
        return ""
    text = re.sub(r"[ \t]+", " ", "".join(flat.parts))
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()


def _max_html_tags() -> int:
    from core.text.datafiles import cached_yaml

    return int(cached_yaml("bounds.yaml")["max_html_tags"])


_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dd",
        "dt",
    }
)
_DROPPED = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "head")


def _html_to_text_cheaply(html: str) -> tuple[str, str, str]:
    """The text of a page with more tags than data/bounds.yaml's ``max_html_tags``: lxml's parse,
    scripts, styles and navigation dropped, one line per block element — no boilerplate scoring,
    no metadata search (trafilatura spent 17 s to over 100 s on 200,000 paragraphs)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ArticleError("E006", detail=f"the HTML could not be parsed ({type(exc).__name__})") from None
    title_el = root.find(".//title")
    title = (title_el.text_content() if title_el is not None else "").strip()
    etree.strip_elements(root, *_DROPPED, with_tail=False)
    parts: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _BLOCKS:
            parts.append("\n\n")
        if el.text:
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
    text = re.sub(r"[ \t]*\n\s*\n\s*", "\n\n", re.sub(r"[ \t]+", " ", "".join(parts))).strip()
    if len(text.split()) < 5:
        raise ArticleError("E004")
    return text, title, ""


def _normalise(text: str) -> str:
    """Unify line ends and drop a byte-order mark; offsets refer to the text after this."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text
