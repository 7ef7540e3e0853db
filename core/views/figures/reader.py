"""The annotated article reader: article text in, safe HTML out.

Every piece of article text, every label and every attribute value goes through
``html.escape`` before it is joined into markup; the only markup is the fixed ``<mark>``/``<p>``
scaffolding written here. That is the whole security argument, so keep it that way.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from core.query.frames import actor_names, is_missing, text

KIND_STYLES = {
    "actor": ("#dbeafe", "#1e3a8a", "actor"),
    "date": ("#fef3c7", "#78350f", "date"),
    "amount": ("#dcfce7", "#14532d", "amount"),
    "citation": ("#f3e8ff", "#581c87", "source note"),
}


def _int(v: object) -> int | None:
    if is_missing(v):
        return None
    try:
        return int(float(v))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def text_from_sentences(sentences: pd.DataFrame, article_id: str) -> str:
    """Rebuild an article's text from its sentences at their offsets (paragraph breaks kept),
    so mention/amount offsets still point at the right characters."""
    if sentences is None or sentences.empty:
        return ""
    s = sentences[text(sentences["article_id"]) == str(article_id)].copy()
    if s.empty:
        return ""
    s["_start"] = s["start_char"].map(_int)
    s = s[s["_start"].notna()].sort_values("_start", kind="stable")
    out = ""
    last_par: object = None
    for start, txt, par in zip(s["_start"], text(s["text"]), s["paragraph_id"], strict=False):
        start = int(start)
        if start < len(out):  # overlapping sentence rows: skip what is already there
            txt = txt[len(out) - start :]
            start = len(out)
        gap = start - len(out)
        if gap > 0:
            filler = " " * gap
            if last_par is not None and par != last_par and out:
                filler = "\n" * min(gap, 2) + " " * max(0, gap - 2)
            out += filler
        out += txt
        last_par = par
    return out


def spans_for_article(tables: Mapping[str, pd.DataFrame], article_id: str, article_text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, label) for actors, dates, amounts and source notes, non-overlapping."""
    n = len(article_text)
    aid = str(article_id)
    names = actor_names(tables.get("actors", pd.DataFrame()))
    cands: list[tuple[int, int, str, str]] = []

    def add(start: object, end: object, kind: str, label: str, expect: str | None = None) -> None:
        s, e = _int(start), _int(end)
        if s is None or e is None or not (0 <= s < e <= n):
            return
        if expect and article_text[s:e].strip().lower() != expect.strip().lower():
            return
        cands.append((s, e, kind, label))

    me = tables.get("mentions")
    if me is not None and not me.empty:
        sub = me[text(me["article_id"]) == aid]
        for r in sub.to_dict("records"):
            actor = str(r.get("actor_id") or "")
            add(
                r.get("start_char"),
                r.get("end_char"),
                "actor",
                names.get(actor, actor),
                None if is_missing(r.get("text")) else str(r.get("text")),
            )
    am = tables.get("amounts")
    if am is not None and not am.empty:
        sub = am[text(am["article_id"]) == aid]
        for r in sub.to_dict("records"):
            label = f"{r.get('category') or 'amount'}, {r.get('status') or 'status unknown'}"
            add(r.get("start_char"), r.get("end_char"), "amount", label)
    ci = tables.get("citations")
    if ci is not None and not ci.empty:
        sub = ci[text(ci["article_id"]) == aid]
        for r in sub.to_dict("records"):
            add(r.get("start_char"), r.get("end_char"), "citation", f"{r.get('agency') or ''} {r.get('cited_date') or ''}".strip())
    ev = tables.get("events")
    if ev is not None and not ev.empty:
        sub = ev[text(ev["article_id"]) == aid]
        for r in sub.to_dict("records"):
            dt = "" if is_missing(r.get("date_text")) else str(r.get("date_text"))
            s0, e0 = _int(r.get("evidence_start")), _int(r.get("evidence_end"))
            if not dt or s0 is None or e0 is None:
                continue
            pos = article_text.find(dt, max(0, s0), min(n, e0 + len(dt)))
            if pos >= 0:
                label = f"date of {r.get('event_type') or 'event'}: {r.get('start_date') or '?'}"
                add(pos, pos + len(dt), "date", label)

    cands.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    chosen: list[tuple[int, int, str, str]] = []
    end = -1
    for c in cands:
        if c[0] >= end:
            chosen.append(c)
            end = c[1]
    return chosen


def _mark(fragment: str, kind: str, label: str) -> str:
    bg, fg, _ = KIND_STYLES[kind]
    return (
        f'<mark title="{html.escape(label, quote=True)}" data-kind="{kind}" '
        f'style="background:{bg};color:{fg};padding:0 2px;border-radius:3px">{html.escape(fragment)}</mark>'
    )


def annotate(article_text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """The article as paragraphs of escaped text with highlighted spans."""
    pieces: list[str] = []
    pos = 0
    for s, e, kind, label in sorted(spans):
        if s < pos:
            continue
        pieces.append(html.escape(article_text[pos:s]))
        pieces.append(_mark(article_text[s:e], kind, label))
        pos = e
    pieces.append(html.escape(article_text[pos:]))
    body = "".join(pieces)
    paragraphs = [p.strip() for p in body.split("\n\n")]
    inner = "".join(f"<p style='margin:0 0 0.9em 0'>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs if p)
    legend = " ".join(
        f'<span style="background:{bg};color:{fg};padding:1px 6px;border-radius:3px;margin-right:6px">{html.escape(lbl)}</span>'
        for bg, fg, lbl in KIND_STYLES.values()
    )
    return (
        "<div class='ruskor-reader' style='font-family:Georgia,serif;font-size:1.02rem;line-height:1.65;"
        "max-width:52rem'>"
        f"<div style='font-family:sans-serif;font-size:0.8rem;margin-bottom:0.8em'>Highlighted: {legend}</div>"
        f"{inner}</div>"
    )


def article_html(tables: Mapping[str, pd.DataFrame], article_id: str, article_text: str | None = None) -> str:
    """Annotated HTML of one article (text rebuilt from sentences when not given)."""
    if article_text is None:
        article_text = text_from_sentences(tables.get("sentences", pd.DataFrame()), article_id)
    if not article_text:
        return "<p><em>No text is stored for this article.</em></p>"
    return annotate(article_text, spans_for_article(tables, article_id, article_text))
