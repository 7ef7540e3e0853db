"""Small builders shared by the core tests (fixtures made in code, never read from disk)."""

from __future__ import annotations

from datetime import date

from core.extract.pipeline import process
from core.text.document import Document
from core.text.reading import RawText


def run(text: str, published: str | None = "2000-05-18", name: str = "test.txt") -> Document:
    """Run the whole pipeline on ``text`` with the article's date fixed (or inferred if None)."""
    raw = RawText(text=text, source_file=name, encoding="utf-8", format="txt")
    return process(raw, date.fromisoformat(published) if published else None)


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive in memory, for upload tests."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()
