"""Hostile inputs for the extractor (issue 17): texts built to find work that grows faster than the text.

``python -m benchmarks --hostile`` times each case of :data:`CATALOGUE` and extraction time per KB
from 1 KB to 2 MB of ordinary article text; the figures are printed, never asserted (see
:mod:`benchmarks.run`). The unit tests use the same builders to check the guard's behaviour.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from core.config import DATA_DIR

#: The article head every case shares, so each is read as a dated Monitor piece.
_HEAD = "Monitor, Volume 5, Issue 160\nAugust 26, 1999\n\nRUSSIA AND KOREA\n\n"


def _sentence_of_debts(n: int = 3000) -> str:
    return _HEAD + "Moscow owes Seoul " + "US$1.8 billion debt, " * n + "and more.\n"


def _dollar_figures(n: int = 1000) -> str:
    return _HEAD + "The figures were " + ", ".join(f"${i + 1} million" for i in range(n)) + ".\n"


def _ds(n: int = 10_000) -> str:
    return _HEAD + "Ds " * n + "\n"


def _dates(n: int = 3000) -> str:
    return _HEAD + "Putin met Kim " + "on May 16, " * n + "in Moscow.\n"


def sample_text() -> str:
    """The bundled sample articles' bodies, one after the other: ordinary text to repeat."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((DATA_DIR / "articles").glob("*.txt"))]
    return "\n\n".join(parts)


def article_of(size: int) -> str:
    """Ordinary article text of at most ``size`` UTF-8 bytes (the samples, repeated and cut at a paragraph)."""
    base = sample_text()
    ratio = len(base.encode("utf-8")) / len(base)
    chars = int(size / ratio)
    text = (base + "\n\n") * (chars // (len(base) + 2) + 1)
    cut = text.rfind("\n\n", 0, chars)
    text = text[: cut if cut > chars // 2 else chars]
    while len(text.encode("utf-8")) > size:
        text = text[: int(len(text) * 0.99)]
    return text


def _tellings(n: int = 2500) -> str:
    return _HEAD + "President Boris Yeltsin met President Kim Dae-jung in Seoul on May 16, 1999. " * n


def _short_lines(n: int = 200_000) -> str:
    return _HEAD + "abc\n" * n


def _html_paragraphs(n: int = 200_000) -> str:
    return "<html><body>" + "<p>abc\n" * n + "</body></html>"


#: name → (file name, builder): each builder returns the text of one upload.
CATALOGUE: dict[str, tuple[str, Callable[[], str]]] = {
    "63 KB sentence of 3,000 'US$1.8 billion debt,'": ("debts.txt", _sentence_of_debts),
    "1,000 dollar figures": ("dollars.txt", _dollar_figures),
    "10^4 'Ds '": ("ds.txt", _ds),
    "3,000 'on May 16,'": ("dates.txt", _dates),
    "2 MB article": ("big.txt", lambda: article_of(2_000_000 - 100)),
    "1.6 MB HTML of 200,000 <p>": ("paras.html", _html_paragraphs),
    "2,500 tellings of one meeting": ("tellings.txt", _tellings),
    "200,000 one-word lines": ("lines.txt", _short_lines),
}

#: Sizes of the time-per-KB line (characters).
SIZES = (1_000, 10_000, 100_000, 500_000, 1_000_000, 2_000_000 - 100)


def _extract(text: str, name: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of this process, outcome): CPU time is what the text costs
    even when other work shares the machine (wall time then grows with the load)."""
    from core.io.ingest import extract_raw
    from core.text.reading import read_bytes

    t0, c0 = time.perf_counter(), time.process_time()
    try:
        ex = extract_raw(read_bytes(text.encode("utf-8"), name))
        outcome = ", ".join(f"{v} {k}" for k, v in ex.counts.items() if k in ("events", "amounts")) or "done"
        if "cheaper mode" in ex.note:
            outcome += "; cheaper mode (warning on the article)"
    except Exception as exc:  # the benchmark reports whatever happens
        outcome = f"{type(exc).__name__}: {str(exc)[:80]}"
    return time.perf_counter() - t0, time.process_time() - c0, outcome


def run_hostile(print_fn: Callable[[str], None] = print) -> dict[str, float]:
    """Time every catalogue case and the per-KB line; return the figures (seconds, ms per KB)."""
    _extract(sample_text(), "warm.txt")  # imports and data files once, outside the timings
    results: dict[str, float] = {}
    print_fn("Hostile catalogue (extraction of one upload beyond start-up: wall seconds, CPU seconds):")
    for label, (name, build) in CATALOGUE.items():
        text = build()
        seconds, cpu, outcome = _extract(text, name)
        results[f"hostile:{label}"], results[f"hostile_cpu:{label}"] = seconds, cpu
        print_fn(f"  {label:48} {len(text.encode()) / 1024:8.0f} KB {seconds:8.2f} s {cpu:8.2f} s cpu   {outcome}")
    print_fn("Time per KB of ordinary article text (wall, CPU):")
    for size in SIZES:
        text = article_of(size)
        seconds, cpu, _ = _extract(text, "size.txt")
        kb = len(text.encode()) / 1024
        results[f"per_kb_ms:{size}"], results[f"per_kb_cpu_ms:{size}"] = seconds * 1000 / kb, cpu * 1000 / kb
        print_fn(f"  {kb:8.0f} KB  {seconds:7.2f} s {seconds * 1000 / kb:6.2f} ms/KB   {cpu:7.2f} s {cpu * 1000 / kb:6.2f} ms/KB cpu")
    return results


if __name__ == "__main__":  # pragma: no cover
    run_hostile()
