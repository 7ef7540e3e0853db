"""Event resolution: reports in several articles that tell one happening become one resolved event.

Why: each article's events stand alone, so ten articles on one summit drew ten summits, and an
analyst could not tell a happening told once from one told by ten publishers. Here a *report* is an
article event row; a *resolved event* groups the reports of one happening and says how well it is
corroborated (articles, publishers, agencies) and whether its reports disagree.

The rules are data (``data/merge_rules.yaml``). Two reports *link* when their acts may be one (same
CAMEO root, a listed pair of roots, or an anchor noun such as "during the talks"), they share a dyad
of states (a person counts as the state it acts for) and their date windows overlap. Nothing links on
actors alone. Reports are then grouped level by level, by the width of their date window:

* fine reports (a few days wide) group by single linkage;
* a medium (about a month) or coarse (about a year) report joins the one group it fits; when it fits
  two or more it stays alone (ambiguous), when it fits none it may group with reports of its level.

Every decision depends only on the reports linked to a report, so resolving one connected part of the
link graph gives the same groups as resolving the whole corpus: the store resolves a new article
against the reports its events can link to (candidates found by date window), never the corpus.

Reports of one article link only on evidence: one sentence yields both (one telling parsed twice),
one places itself in a named happening ("during the talks"), both carry dates of their own that
agree, or both name the same persons on each side. The extractor already merges an act told twice in
an article, so its other acts are other acts unless such evidence, or other articles' reports, join
them (the arrival, the talks and the dinner of one visit meet through the reports that tell the visit).

Pure functions; no Streamlit, no store.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from urllib.parse import urlparse

import pandas as pd

from core.domain.rules import STATUS_CERTAINTY
from core.domain.schema import TABLES
from core.text.datafiles import read_yaml

LEVELS = ("fine", "medium", "coarse")
#: Width of the time buckets of the blocking keys: narrow enough that a busy month of one dyad does not
#: put every report in one block, wide enough that a vague report needs few keys.
BUCKET_DAYS = 8
_DAY = timedelta(days=1)
_STATUS_RANK = STATUS_CERTAINTY
_POSITIVE = {"occurred", "reported"}

RESOLVED_COLUMNS = TABLES["resolved_events"]


@dataclass(frozen=True)
class Rules:
    """The merge rules of ``data/merge_rules.yaml``."""

    root_pairs: frozenset[frozenset[str]]
    anchor: re.Pattern | None
    anchor_root: str
    anchor_nouns: tuple[str, ...]
    past_days: int
    planned_days: int
    widths: tuple[int, int, int]  # fine, medium, coarse: the widest window (days) of each level
    tolerance: tuple[int, int, int]
    recent: re.Pattern | None = None  # "recently met": a past act told without a date lies further back
    recent_days: int = 0

    def root_class(self, root: str) -> str:
        """Roots that may merge share a class (the smallest root of the pairs joining them); memoised
        per rules (every report asks for each of its roots, several times)."""
        classes = self.__dict__.get("_classes")
        if classes is None:
            classes = {}
            object.__setattr__(self, "_classes", classes)  # a cache, not a field: frozen, hash and == unchanged
        c = classes.get(root)
        if c is None:
            members = {root}
            for p in self.root_pairs:
                if p & members:
                    members |= p
            c = classes[root] = min(members)
        return c

    @property
    def max_span(self) -> int:
        """The widest window a linkable report can have, tolerance included (for candidate lookup)."""
        return self.widths[2] + 2 * max(self.tolerance)


def rules_from(data: Mapping) -> Rules:
    """Rules from the parsed YAML (a test may pass its own)."""
    pairs = frozenset(frozenset(str(r).zfill(2) for r in p) for p in data.get("roots", []) or [])
    anchors = data.get("anchors") or {}
    pattern = anchors.get("pattern")
    lv, tol, und = data.get("levels", {}), data.get("tolerance_days", {}), data.get("undated", {})
    return Rules(
        root_pairs=pairs,
        anchor=re.compile(pattern, re.IGNORECASE) if pattern else None,
        anchor_root=str(anchors.get("root", "04")).zfill(2),
        anchor_nouns=tuple(str(n).lower() for n in anchors.get("nouns", []) or []),
        past_days=int(und.get("past_days", 3)),
        planned_days=int(und.get("planned_days", 45)),
        widths=(int(lv.get("fine", 4)), int(lv.get("medium", 62)), int(lv.get("coarse", 400))),
        tolerance=(int(tol.get("fine", 1)), int(tol.get("medium", 0)), int(tol.get("coarse", 0))),
        recent=re.compile(und["recent_pattern"], re.IGNORECASE) if und.get("recent_pattern") else None,
        recent_days=int(und.get("recent_days", 0)),
    )


@cache
def load_rules() -> Rules:
    return rules_from(read_yaml("merge_rules.yaml"))


@dataclass(frozen=True, init=False)
class Report:
    """What resolution needs to know of one event row."""

    event_id: str
    article_id: str
    lo: date | None  # the window, tolerance included; None: the report cannot link
    hi: date | None
    level: int  # 0 fine, 1 medium, 2 coarse, 3 never links
    roots: frozenset[str]  # its CAMEO root, plus the anchor's root when its sentence names the happening
    states: frozenset[str]
    why_alone: str = ""
    sentence: str = ""  # article#sentence: two acts read from one sentence may be one telling
    dated: bool = False  # its date comes from its own words, not from the article's date
    persons: frozenset[str] = frozenset()  # "RUS:vladimir-putin": the persons it names, by state
    anchored: bool = False  # its sentence places it in a named happening ("during the talks")

    # derived once from the fields above (not compared, not hashed): link_reason asks for them on
    # every pair it tests, which is most of the time resolution takes
    partial_headline: bool = field(init=False, repr=False, compare=False)
    linkable: bool = field(init=False, repr=False, compare=False)
    datable: bool = field(init=False, repr=False, compare=False)
    persons_by_state: Mapping[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        event_id: str,
        article_id: str,
        lo: date | None,
        hi: date | None,
        level: int,
        roots: frozenset[str],
        states: frozenset[str],
        why_alone: str = "",
        sentence: str = "",
        dated: bool = False,
        persons: frozenset[str] = frozenset(),
        anchored: bool = False,
    ) -> None:
        """The fields and the flags derived from them, written in one go (the dataclass's own
        ``__init__`` sets each attribute through ``object.__setattr__``: a fifth of making a report)."""
        datable = lo is not None and level < 3
        # a title (the article's first sentence) naming one side only, "Meeting with President Moon":
        # the publisher's own side is implied (derived from stored fields, so the store keeps it)
        headline = datable and len(states) == 1 and bool(roots) and sentence.endswith("#0")
        if persons:
            persons_by_state = _BY_STATE.get(persons)
            if persons_by_state is None:  # memoised: a corpus names few sets of persons
                by_state: dict[str, set[str]] = {}
                for p in persons:
                    by_state.setdefault(p.split(":", 1)[0], set()).add(p)
                persons_by_state = {k: frozenset(v) for k, v in by_state.items()}
                if len(_BY_STATE) >= 50_000:
                    _BY_STATE.clear()
                _BY_STATE[persons] = persons_by_state
        else:
            persons_by_state = _NO_PERSONS
        self.__dict__.update(
            event_id=event_id,
            article_id=article_id,
            lo=lo,
            hi=hi,
            level=level,
            roots=roots,
            states=states,
            why_alone=why_alone,
            sentence=sentence,
            dated=dated,
            persons=persons,
            anchored=anchored,
            datable=datable,
            linkable=datable and len(states) >= 2,
            partial_headline=headline,
            persons_by_state=persons_by_state,
        )


_NO_PERSONS: Mapping[str, frozenset[str]] = {}
#: persons → their persons by state, shared by the reports naming them (nobody changes these)
_BY_STATE: dict[frozenset[str], Mapping[str, frozenset[str]]] = {}


def _iso(value: object) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "")[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _iso_memo(value: object) -> date | None:
    """:func:`_iso` memoised by text (a corpus has far fewer distinct dates than events)."""
    if type(value) is not str:
        return _iso(value)
    d = _ISO.get(value, _ISO)
    if d is _ISO:
        if len(_ISO) >= 100_000:
            _ISO.clear()
        d = _ISO[value] = _iso(value)
    return d


_ISO: dict = {}


def states_of(actor_ids: Iterable[str], country_of: Mapping[str, str]) -> frozenset[str]:
    """The states an event's actors stand for: a state is itself, a person or body its country."""
    out = set()
    for a in actor_ids:
        a = a.strip()
        if not a:
            continue
        c = country_of.get(a, "")
        if c:
            out.add(c)
        elif len(a) == 3 and a.isupper():
            out.add(a)
    return frozenset(out)


def _split(value: object) -> list[str]:
    return [v for v in str(value or "").split(";") if v.strip()] if not _missing(value) else []


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def report_of(
    row: Mapping,
    country_of: Mapping[str, str],
    published: date | None,
    rules: Rules,
    persons: Collection[str] = (),
    memo: dict | None = None,
) -> Report:
    """One event row (a dict of the events table) as a report, with its window and level; ``persons``
    are the actor ids that are persons (two reports naming different persons of one state differ);
    ``memo``: a dict kept for this ``country_of`` and ``persons`` (their actor sets' states)."""
    return reports_of_events((row,), country_of, published, rules, persons, memo)[0]


def reports_of_events(
    rows: Iterable[Mapping],
    country_of: Mapping[str, str],
    published: date | None,
    rules: Rules,
    persons: Collection[str] = (),
    memo: dict | None = None,
) -> list[Report]:
    """:func:`report_of` for each of the rows (one article's: one publication date), in one loop.

    Why one loop: a batch makes a report for every event it resolves, and looking up the rules'
    memos, fields and helpers once per row was a fifth of making one. The window, level and reason
    of a report depend only on its dates, date rule, status, the publication date and a few flags:
    memoised per rules (:func:`_window`); the act's roots per ``cameo_root`` cell."""
    windows = rules.__dict__.get("_windows")
    if windows is None or len(windows) > 100_000:
        windows = {}
        object.__setattr__(rules, "_windows", windows)  # a cache, not a field
    recent, anchor_root = rules.recent, rules.anchor_root
    if len(_ROOTS) > 10_000:
        _ROOTS.clear()
    # the memos of _anchored and _iso_memo, read here first: a call per row cost more than the lookup
    # (a memo they replace when full is only read here, its entries still true)
    anchors = rules.__dict__.get("_anchored") or {}
    isos = _ISO
    out = []
    for row in rows:
        get = row.get
        eid, aid = str(row["event_id"]), str(get("article_id") or "")
        actors, source, target = get("actors"), get("source_actor"), get("target_actor")
        hit = None
        if memo is not None and type(actors) is str and type(source) is str and type(target) is str:
            hit = memo.get((actors, source, target))
        states, named = hit if hit is not None else _actor_states(actors, source, target, country_of, persons, memo)
        raw = get("cameo_root")
        base = _ROOTS.get(raw) if type(raw) is str else None
        if base is None:
            root = "" if _missing(raw) else str(raw or "").zfill(2)
            base = frozenset({root}) if root.strip("0") else frozenset()
            if type(raw) is str:
                _ROOTS[raw] = base
        evidence = str(get("evidence") or "")
        anchored = anchors.get(evidence)
        if anchored is None:
            anchored = _anchored(evidence, rules)
        roots = base | {anchor_root} if anchored else base
        sd, ed = get("start_date"), get("end_date")
        start = isos.get(sd, isos) if type(sd) is str else isos
        if start is isos:
            start = _iso_memo(sd)
        sid = get("sentence_id")
        if type(sid) is int:
            sentence = f"{aid}#{sid}" if aid else ""
        else:
            sentence = f"{aid}#{int(sid)}" if aid and not _missing(sid) and str(sid) != "" else ""
        if start is None:
            out.append(Report(eid, aid, None, None, 3, roots, states, "alone: no date", sentence, False, named, anchored))
            continue
        date_rule = str(get("date_rule") or "")
        dated = date_rule.startswith(_OWN_DATE)  # its own clause or sentence gives the date
        # a paragraph's or source note's date is a date, if not the act's own
        pub = published if date_rule.startswith("date:article") else None
        mode = 0  # 0: its own window; 1 planned, 2 "recently", 3 past: a window from the publication date
        if pub is not None:
            if get("status") in ("planned", "unconfirmed"):
                mode = 1
            elif recent is not None and recent.search(evidence):
                mode = 2
            else:
                mode = 3
        headline = len(states) == 1 and bool(roots) and sentence.endswith("#0")
        key = (sd, ed, pub, mode, dated or bool(named), headline) if type(sd) is str and (ed is None or type(ed) is str) else None
        hit = windows.get(key) if key is not None else None
        if hit is None:
            hit = _window(start, _iso_memo(ed) or start, pub, mode, dated or bool(named), headline, rules)
            if key is not None:
                windows[key] = hit
        lo, hi, level, width, headline = hit
        why = ""
        if level == 3:
            why = f"alone: date window of {width} days is too vague to merge"
        elif len(states) < 2 and not headline:
            why = "alone: no dyad of states to match"
        elif not roots:
            why = "alone: no CAMEO root"
        out.append(Report(eid, aid, lo, hi, level, roots, states, why, sentence, dated, named, anchored))
    return out


#: ``cameo_root`` cell → the act's roots (before the anchor's root is added)
_ROOTS: dict[str, frozenset[str]] = {}


def _window(
    start: date, end: date, published: date | None, mode: int, dated_or_named: bool, headline: bool, rules: Rules
) -> tuple[date | None, date | None, int, int, bool]:
    """(lo, hi, level, width in days, headline) of a report's date window (:func:`report_of`):
    ``mode`` 0 keeps its own window, 1 planned, 2 "recently", 3 past read from ``published``."""
    if mode == 1:
        start, end = published, published + timedelta(days=rules.planned_days)
    elif mode == 2:
        start, end = published - timedelta(days=rules.recent_days), published  # "I recently met"
    elif mode == 3:
        start, end = published - timedelta(days=rules.past_days), published
    width = (end - start).days + 1
    fine, medium, coarse = rules.widths
    level = 0 if width <= fine else 1 if width <= medium else 2 if width <= coarse else 3
    if level == 0 and not dated_or_named:
        level = 1  # a borrowed date and no person named: it may join a happening, never bridge two
    # A title that names one side only (the publisher's own side is implied: "Meeting with President
    # Moon") names the act its article tells: it may join that happening, never bridge two.
    headline = headline and level < 3
    if headline:
        level = 2
    tol = _TOLERANCE.get(rules.tolerance[level]) if level < 3 else _ZERO
    if tol is None:
        tol = timedelta(days=rules.tolerance[level])
    return start - tol, end + tol, level, width, headline


_ZERO = timedelta(0)
_TOLERANCE = {d: timedelta(days=d) for d in range(8)}


def _actor_states(
    actors: object, source: object, target: object, country_of: Mapping[str, str], persons: Collection[str], memo: dict | None
) -> tuple[frozenset[str], frozenset[str]]:
    """(states, named persons by state) of an event's actors: :func:`states_of` and the persons it
    names; ``memo`` (when given) must belong to this ``country_of`` and ``persons`` (a corpus repeats
    a few actor sets: 2,900 sets for 10,900 synthetic events)."""
    key = (actors, source, target) if memo is not None and type(actors) is str and type(source) is str and type(target) is str else None
    if key is not None:
        hit = memo.get(key)
        if hit is not None:
            return hit
    ids = [*_split(actors), str(source or ""), str(target or "")]
    if key is not None and type(memo) is ActorMemo and memo.own.isdisjoint(ids) and memo.own.isdisjoint([a.strip() for a in ids]):
        # a set naming none of the article's own actors reads as the shared map alone reads it
        shared = memo.shared
        hit = shared.get(key)
        if hit is None:
            hit = (states_of(ids, country_of), frozenset(f"{country_of[a]}:{a}" for a in ids if a in persons and country_of.get(a)))
            if len(shared) > 50_000:
                shared.clear()
            shared[key] = hit
        memo[key] = hit
        return hit
    hit = (states_of(ids, country_of), frozenset(f"{country_of[a]}:{a}" for a in ids if a in persons and country_of.get(a)))
    if key is not None:
        if len(memo) > 50_000:
            memo.clear()
        memo[key] = hit
    return hit


class ActorMemo(dict):
    """The memo of :func:`_actor_states` for one article that found actors of its own (``own``: their
    ids, with a country or as persons), over ``shared``, the memo of the map and persons without them.

    Why: an article's own actors change the states of the sets that name them only; the others read
    as they do in every other article. A third of the synthetic articles find an actor of their own,
    and with a memo of their own each of their sets was made again: writing 400 synthetic articles a
    second time made 3,313 sets, 616 with this memo."""

    __slots__ = ("own", "shared")

    def __init__(self, own: Collection[str], shared: dict) -> None:
        super().__init__()
        self.own, self.shared = frozenset(own), shared


def _anchored(evidence: str, rules: Rules) -> bool:
    """Whether a sentence places its act in a named happening ("during the talks"); memoised per
    rules, as the acts of one sentence share its text."""
    if rules.anchor is None or not evidence:
        return False
    memo = rules.__dict__.get("_anchored")
    if memo is None or len(memo) > 50_000:
        memo = {}
        object.__setattr__(rules, "_anchored", memo)  # a cache, not a field
    hit = memo.get(evidence)
    if hit is None:
        hit = memo[evidence] = _may_anchor(evidence, rules) and bool(rules.anchor.search(evidence))
    return hit


def _may_anchor(text: str, rules: Rules) -> bool:
    """A cheap gate before the anchor pattern: one of its nouns is in the text at all."""
    low = text.lower()
    return not rules.anchor_nouns or any(n in low for n in rules.anchor_nouns)


def link_reason(a: Report, b: Report, rules: Rules) -> str | None:
    """Why ``a`` and ``b`` may tell one happening, or None. All three tests must hold (act, dyad,
    dates); two acts of one root read from the same sentence need no dyad (one telling, parsed twice)."""
    if not (a.datable and b.datable) or a.lo > b.hi or b.lo > a.hi:
        return None
    if a.sentence and a.sentence == b.sentence and a.roots & b.roots:
        return f"root {min(a.roots & b.roots)}, the same sentence"
    if a.partial_headline != b.partial_headline and a.article_id == b.article_id:
        h, o = (a, b) if a.partial_headline else (b, a)
        act = h.roots & o.roots
        if o.linkable and act and h.states <= o.states and h.persons <= o.persons:
            return f"root {min(act)}, its headline names the act the article tells"
        return None
    if not (a.linkable and b.linkable):
        return None
    if a.article_id == b.article_id and not _same_article_fit(a, b, rules.anchor_root):
        return None  # the extractor merged an act told twice; an article's other acts are other acts
    shared = a.states & b.states
    if len(shared) < 2:
        return None
    if a.persons and b.persons:
        for state in shared:  # Putin's talks are not Lavrov's: different persons of one state differ
            pa, pb = a.persons_by_state.get(state), b.persons_by_state.get(state)
            if pa and pb and not pa & pb:
                return None
    # the reason depends on the acts and the dyad alone (a corpus has few): memoised per rules
    memo = rules.__dict__.get("_reasons")
    if memo is None or len(memo) > 100_000:
        memo = {}
        object.__setattr__(rules, "_reasons", memo)  # a cache, not a field
    key = (a.roots, b.roots, shared)
    why = memo.get(key, memo)
    if why is memo:
        why = memo[key] = _act_reason(a.roots, b.roots, shared, rules)
    return why


def _act_reason(a_roots: frozenset[str], b_roots: frozenset[str], shared: frozenset[str], rules: Rules) -> str | None:
    """The end of :func:`link_reason` for two reports that share a dyad: why their acts may be one
    (a common root, an anchor noun, a listed pair of roots), or None."""
    act = a_roots & b_roots
    if act:
        why_act = f"root {min(act)}"
        if (
            not ({r for r in a_roots if r != rules.anchor_root} & {r for r in b_roots if r != rules.anchor_root})
            and len(a_roots | b_roots) > 1
        ):
            why_act += " (anchor noun)"
    else:
        pair = next((p for p in rules.root_pairs if len(p) == 2 and p & a_roots and p & b_roots and (p - a_roots) & b_roots), None)
        if pair is None:
            return None
        why_act = "roots " + "+".join(sorted(pair))
    return f"{why_act}, dyad {'+'.join(sorted(shared))}, dates overlap"


_OWN_DATE = ("date:clause", "date:sentence")


def _same_article_fit(a: Report, b: Report, anchor_root: str) -> bool:
    """Two acts of one article tell one happening only on evidence: a sentence that places one in the
    named happening the other tells (the anchor's act), dates of their own that agree, or the same
    persons on both sides."""
    if (a.anchored or b.anchored) and anchor_root in a.roots & b.roots:
        return True
    if a.dated and b.dated:
        return True
    return bool(a.persons) and a.persons == b.persons and {p.split(":")[0] for p in a.persons} >= a.states & b.states


def block_keys(r: Report, rules: Rules) -> list[str]:
    """Blocking keys: every state pair of the report with every class of its acts and every 8-day
    bucket its window touches (plus its sentence), so only reports sharing a dyad, an act and a time
    bucket are ever compared (near-linear, never all pairs). The store indexes these keys.

    Kept on the report itself (with the rules they were made with): resolving one batch asks for a
    report's keys several times, and a memo keyed by the report would hash all its fields each time."""
    cached = r.__dict__.get("_keys")
    if cached is not None and cached[0] is rules:
        return cached[1]
    keys = _block_keys(r, rules)
    r.__dict__["_keys"] = (rules, keys)  # not a field: equality and hash stay the fields'
    return keys


def _block_keys(r: Report, rules: Rules) -> list[str]:
    if not r.datable:
        return []
    sentence = [f"s/{r.sentence}"] if r.sentence else []
    if not r.linkable and not r.partial_headline:
        return sentence
    aid = r.article_id
    if not aid:
        own = []
    elif len(r.roots) == 1:  # most reports: one act
        own = [f"h/{aid}/{rules.root_class(next(iter(r.roots)))}"]
    else:
        own = [f"h/{aid}/{rules.root_class(x)}" for x in sorted(r.roots)]
    if not r.linkable:
        return sentence + own
    return dyad_keys(r, rules) + sentence + own  # own: meets its article's headline


def dyad_keys(r: Report, rules: Rules) -> list[str]:
    """The dyad-act-bucket keys of a linkable report (the first part of :func:`block_keys`).

    Memoised per rules by (states, roots, first and last bucket): reports of one dyad and act in the
    same days share them, and writing them out was a third of the time spent on keys. Callers must not
    change the list (it is shared). Kept on the report too (with the rules): a batch asks for a new
    report's keys three times (its key codes, the part's index, its blocks), and the memo's key (two
    ordinals and a tuple) cost more than the keys' reading."""
    cached = r.__dict__.get("_dyad")
    if cached is not None and cached[0] is rules:
        return cached[1]
    b0, b1 = r.lo.toordinal() // BUCKET_DAYS, r.hi.toordinal() // BUCKET_DAYS
    memo = rules.__dict__.get("_dyad_keys")
    if memo is None or len(memo) > 100_000:
        memo = {}
        object.__setattr__(rules, "_dyad_keys", memo)  # a cache, not a field
    key = (r.states, r.roots, b0, b1)
    keys = memo.get(key)
    if keys is None:
        states = sorted(r.states)
        pairs = [f"{s}+{t}" for i, s in enumerate(states) for t in states[i + 1 :]]
        acts = sorted({rules.root_class(x) for x in r.roots})
        keys = memo[key] = [f"{p}/{c}/{b}" for p in pairs for c in acts for b in range(b0, b1 + 1)]
    r.__dict__["_dyad"] = (rules, keys)  # not a field: equality and hash stay the fields'
    return keys


def has_block_keys(r: Report, rules: Rules) -> bool:
    """``bool(block_keys(r, rules))``, without making the keys (a batch sorts its new reports by it:
    making every report's key list there was a twentieth of what resolving a batch cost)."""
    if not r.datable:
        return False
    if r.sentence:
        return True
    if r.linkable:  # dyad keys (one act at least, a window of one bucket at least), else its own keys
        return bool(r.roots) and (bool(r.article_id) or bool(dyad_keys(r, rules)))
    return r.partial_headline and bool(r.article_id)  # its own keys (a partial headline has a root)


def links(reports: list[Report], rules: Rules) -> dict[str, dict[str, str]]:
    """Every linked pair (both directions), found through the blocking keys.

    An article's own key (``h/``) is there only so that its headline meets the acts it tells: in its
    block only the pairs with a partial headline are compared. Any other pair that links shares a
    sentence key or a dyad-act-bucket key as well (see :func:`block_keys`), so it is met there.

    The keys are not made as :func:`block_keys` writes them: the dyad keys are the memoised lists of
    :func:`dyad_keys` (shared, nothing made per report), the sentence blocks are keyed by the
    sentence itself and the article's own keys are made only in an article with a partial headline
    (the only place their blocks are compared). The blocks are the same (tests compare both paths:
    :func:`links_by_block_keys`)."""
    blocks: dict[str, list[int]] = {}
    by_sentence: dict[str, list[int]] = {}
    heads = {r.article_id for r in reports if r.partial_headline}
    get, sget = blocks.get, by_sentence.get
    for i, r in enumerate(reports):
        if not r.datable:
            continue
        if r.linkable:
            kept = r.__dict__.get("_dyad")  # dyad_keys' own cache, read here (a batch's reports have it)
            for k in kept[1] if kept is not None and kept[0] is rules else dyad_keys(r, rules):
                members = get(k)
                if members is None:
                    blocks[k] = [i]
                else:
                    members.append(i)
        sentence = r.sentence
        if sentence:
            members = sget(sentence)
            if members is None:
                by_sentence[sentence] = [i]
            else:
                members.append(i)
        if heads and r.article_id in heads and (r.linkable or r.partial_headline):
            for k in block_keys(r, rules):  # its own keys: the last ones (the others are made above)
                if k.startswith("h/"):
                    members = get(k)
                    if members is None:
                        blocks[k] = [i]
                    else:
                        members.append(i)
    return _pairs(reports, rules, [(k.startswith("h/"), m) for k, m in blocks.items()] + [(False, m) for m in by_sentence.values()])


def links_by_block_keys(reports: list[Report], rules: Rules) -> dict[str, dict[str, str]]:
    """:func:`links` with each report's blocks read from :func:`block_keys` as written (the plain
    path the tests compare :func:`links` with)."""
    blocks: dict[str, list[int]] = {}
    heads = {r.article_id for r in reports if r.partial_headline}
    for i, r in enumerate(reports):
        keys = block_keys(r, rules)
        if r.linkable and r.article_id and r.article_id not in heads:
            keys = keys[: len(keys) - len(r.roots)]  # its own keys, compared only beside a headline
        for k in keys:
            blocks.setdefault(k, []).append(i)
    return _pairs(reports, rules, [(k.startswith("h/"), m) for k, m in blocks.items()])


def _pairs(reports: list[Report], rules: Rules, blocks: list[tuple[bool, list[int]]]) -> dict[str, dict[str, str]]:
    """The links among the members of each block ((an article's own block?, its members); each pair tested once; a report's index below its
    partner's, so a pair is tested in one order whatever block meets it first)."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    seen: set[int] = set()
    n = len(reports)
    # every report in a block is datable (a report without a date has no key): its window's ends, read
    # once, let a pair whose windows do not meet (a third of the pairs a batch compares) be passed over
    # before the pair bookkeeping and the call (link_reason would return None for it)
    los, his = [r.lo for r in reports], [r.hi for r in reports]
    headline: list[bool] | None = None
    for own, members in blocks:
        if len(members) < 2:
            continue
        if own:
            if headline is None:
                headline = [r.partial_headline for r in reports]
            if not any(headline[m] for m in members):
                continue  # no headline in the article's block: none of its pairs is compared
        for x, i in enumerate(members):
            if own and not headline[i]:
                later = [m for m in members[x + 1 :] if headline[m]]
            else:
                later = members[x + 1 :]
            a, lo, hi = reports[i], los[i], his[i]
            for j in later:
                if lo > his[j] or los[j] > hi:
                    continue  # the dates do not meet: no link (link_reason's first test)
                pair = i * n + j
                if pair in seen:
                    continue
                seen.add(pair)
                b = reports[j]
                why = link_reason(a, b, rules)
                if why:
                    out[a.event_id][b.event_id] = why
                    out[b.event_id][a.event_id] = why
    return out


@dataclass
class Resolution:
    """Which resolved event each report belongs to, and why."""

    resolved_id: dict[str, str] = field(default_factory=dict)
    merge_rule: dict[str, str] = field(default_factory=dict)


def resolve(reports: list[Report], rules: Rules, linked: dict[str, dict[str, str]] | None = None) -> Resolution:
    """Group reports into resolved events (see the module note for the levels)."""
    linked = links(reports, rules) if linked is None else linked
    # A report no link touches (most reports) is alone whatever the levels decide: it is set aside
    # here and given the rule the loops below would give it (tests/test_speedups_resolution_writer.py)
    touched = set(linked)
    for partners in linked.values():
        touched.update(partners)
    lone: dict[str, Report] = {}
    if len(touched) < len(reports):
        linked_reports = []
        for r in reports:
            if r.event_id in touched:
                linked_reports.append(r)
            else:
                lone[r.event_id] = r
        reports = linked_reports
    by_id = {r.event_id: r for r in reports}
    parent: dict[str, str] = {r.event_id: r.event_id for r in reports}
    rule: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    placed: set[str] = set()  # reports already in a group of a finer level
    for level in range(3):
        here = sorted(r.event_id for r in reports if r.datable and r.level == level)
        pool = []
        for eid in here:
            partners = linked.get(eid, {})
            if level == 0:
                pool.append(eid)
                continue
            groups = sorted({find(p) for p in partners if p in placed})
            if len(groups) > 1:
                # several happenings fit: the one whose date the texts state (not only a publication
                # date) wins when it is the only such one
                dated = sorted({find(p) for p in partners if p in placed and by_id[p].dated})
                if len(dated) == 1:
                    groups = dated
            if len(groups) == 1:
                rule[eid] = f"joined the one happening its {LEVELS[level]} date fits: " + next(
                    partners[p] for p in sorted(partners) if p in placed and find(p) == groups[0]
                )
                union(eid, groups[0])
            elif len(groups) > 1:
                rule[eid] = f"alone: its {LEVELS[level]} date fits {len(groups)} happenings"
            else:
                pool.append(eid)
        pool_set = set(pool)
        for eid in pool:
            partners = linked.get(eid)
            if not partners:
                continue  # most reports: linked to none
            for p in sorted(partners):
                if p in pool_set:
                    union(eid, p)
                    rule.setdefault(eid, partners[p])
        placed.update(eid for eid in here if not rule.get(eid, "").startswith("alone"))
    members: dict[str, list[str]] = defaultdict(list)
    for eid in parent:
        members[find(eid)].append(eid)
    out = Resolution()
    for eid, r in lone.items():
        out.resolved_id[eid] = "R" + eid
        out.merge_rule[eid] = r.why_alone or "alone: no other report fits"
    for group in members.values():
        if len(group) == 1:  # a linked report left alone
            eid = group[0]
            out.resolved_id[eid] = "R" + eid
            out.merge_rule[eid] = by_id[eid].why_alone or (
                rule[eid] if rule.get(eid, "").startswith("alone") else "alone: no other report fits"
            )
            continue
        rid = "R" + min(group)
        for eid in group:
            out.resolved_id[eid] = rid
            out.merge_rule[eid] = rule.get(eid, "")
        for eid in group:
            if not out.merge_rule[eid]:
                # a report that others linked to (the first of its pairs): name one of its links
                partner = next((p for p in sorted(linked.get(eid, {})) if p in group), None)
                out.merge_rule[eid] = linked[eid][partner] if partner else "linked"
    return out


# ---- from tables -----------------------------------------------------------------------------


def country_map(actors: pd.DataFrame | None, found: pd.DataFrame | None = None) -> dict[str, str]:
    """actor_id → the state it stands for (states map to themselves)."""
    out: dict[str, str] = {}
    for df in (found, actors):
        if df is None or df.empty:
            continue
        for aid, kind, country in zip(df["actor_id"], df["kind"], df["country"], strict=True):
            c = "" if _missing(country) else str(country)
            if kind == "state":
                c = c or str(aid)
            if c:
                out[str(aid)] = c
    return out


def reports_from_rows(
    rows: Iterable[Mapping],
    country_of: Mapping[str, str],
    published: Mapping[str, date | None],
    rules: Rules | None = None,
    persons: Collection[str] = (),
) -> list[Report]:
    rules = rules or load_rules()
    memo: dict = {}  # one country map and person set for every row
    return [report_of(r, country_of, published.get(str(r.get("article_id") or "")), rules, persons, memo) for r in rows]


def person_ids(actors: pd.DataFrame | None) -> frozenset[str]:
    """The actor ids that are persons."""
    if actors is None or actors.empty:
        return frozenset()
    return frozenset(actors.loc[actors["kind"] == "person", "actor_id"].astype(str))


def published_map(articles: pd.DataFrame) -> dict[str, date | None]:
    if articles is None or articles.empty:
        return {}
    return {str(a): _iso(d) for a, d in zip(articles["article_id"], articles["published_date"], strict=True)}


def resolve_events(events: pd.DataFrame, actors: pd.DataFrame, articles: pd.DataFrame, rules: Rules | None = None) -> Resolution:
    """Resolve a whole events table at once (the batch path; the store resolves incrementally)."""
    rules = rules or load_rules()
    reports = reports_from_rows(events.to_dict("records"), country_map(actors), published_map(articles), rules, person_ids(actors))
    return resolve(reports, rules)


def publisher_of(publication: object, source_file: object, source_url: object = "") -> str:
    """The article's publication; else the domain of its address; else its file name."""
    pub = "" if _missing(publication) else str(publication).strip()
    if pub:
        return pub
    url = "" if _missing(source_url) else str(source_url).split(";")[0].strip()
    if url:
        host = urlparse(url).netloc
        if host:
            return host.removeprefix("www.")
    return "" if _missing(source_file) else str(source_file)


def resolved_status(reports: list[Mapping], start: date | None) -> tuple[str, str]:
    """A resolved event's status from its reports, and why.

    contested: some report says it happened (occurred/reported) and another denies it; occurred:
    a report dated on or after the start says it occurred; planned: every report predates it and none
    says it happened; else the most certain status any report gives (one report keeps its own)."""
    statuses = {str(r.get("status") or "") for r in reports}
    if "denied" in statuses and statuses & _POSITIVE:
        return "contested", "status:contested (" + " vs ".join(sorted(statuses & (_POSITIVE | {"denied"}))) + ")"
    pub = [_iso(r.get("published_date")) for r in reports]
    if start is not None:
        after = [d for r, d in zip(reports, pub, strict=True) if d is not None and d >= start and r.get("status") == "occurred"]
        if after:
            return "occurred", f"status:occurred (a report of {max(after).isoformat()} says so)"
        if not statuses & _POSITIVE and all(d is not None and d < start for d in pub):
            return "planned", "status:planned (every report predates it)"
    best = min(statuses, key=lambda s: _STATUS_RANK.get(s, 9)) if statuses else ""
    return best, f"status:{best} (most certain of the reports)"


def best_window(reports: list[Mapping]) -> tuple[str, str, str, str]:
    """The most precise date the reports support: the narrowest window lying inside every window it
    meets (a "last week" and an exact date give the exact date); ties go to the date most reports give."""
    cands = []
    for r in reports:
        s, e = _iso(r.get("start_date")), _iso(r.get("end_date")) or _iso(r.get("start_date"))
        if s is None:
            continue
        own_date = not str(r.get("date_rule") or "").startswith("date:article")
        cands.append(((0 if own_date else 1, (e - s).days), s, e, r))
    if not cands:
        return "", "", "", ""
    count = Counter((s, e) for _, s, e, _ in cands)
    cands.sort(key=lambda c: (c[0], -count[(c[1], c[2])], c[1]))
    _, s, e, r = cands[0]
    return s.isoformat(), e.isoformat(), str(r.get("date_precision") or ""), str(r.get("date_rule") or "")


def report_groups(events: pd.DataFrame) -> dict[object, list[dict]]:
    """resolved_id → its reports as records, grouped as ``groupby("resolved_id", sort=False)`` groups
    them (groups in order of first appearance, rows in order, no group for a missing id), from ONE
    conversion to records: converting each group's slice on its own cost ~5 ms a group, seconds per
    corpus load (issue 14)."""
    groups: dict[object, list[dict]] = {}
    for r in events.to_dict("records"):
        key = r["resolved_id"]
        if key is None or (isinstance(key, float) and key != key):
            continue
        groups.setdefault(key, []).append(r)
    return groups


def summarize(
    events: pd.DataFrame, articles: pd.DataFrame, resolved_ids: pd.Series | None = None, merge_rules: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per resolved event (the ``resolved_events`` table) from the events with ``resolved_id``."""
    if events.empty:
        return pd.DataFrame(columns=RESOLVED_COLUMNS)
    ev = events.copy()
    if resolved_ids is not None:
        ev["resolved_id"] = resolved_ids.to_numpy()
    art = articles.set_index("article_id") if not articles.empty else pd.DataFrame(columns=["publication", "source_file", "published_date"])
    pub_of = {a: publisher_of(p, f) for a, p, f in zip(art.index, art.get("publication", []), art.get("source_file", []), strict=False)}
    date_of = dict(zip(art.index, art.get("published_date", []), strict=False))
    merge_rules = merge_rules or {}
    sizes = ev["resolved_id"].map(ev["resolved_id"].value_counts())
    single = ev[sizes.to_numpy() == 1]
    rows = []
    for rid, recs in report_groups(ev[sizes.to_numpy() > 1]).items():
        for r in recs:
            aid = str(r.get("article_id") or "")
            r["published_date"] = date_of.get(aid, "")
            r["publisher"] = pub_of.get(aid) or publisher_of("", "", r.get("source_url")) or "curated reference"
        s, e, prec, date_rule = best_window(recs)
        status, status_rule = resolved_status(recs, _iso(s))
        roots = Counter(str(r.get("cameo_root") or "") for r in recs)
        root = min(roots, key=lambda k: (-roots[k], k))
        lead = next(r for r in recs if str(r.get("cameo_root") or "") == root)
        actor_count = Counter(a for r in recs for a in _split(r.get("actors")))
        agencies = sorted({a for r in recs for a in _split(r.get("sources"))})
        publishers = sorted({r["publisher"] for r in recs})
        arts = sorted({str(r.get("article_id") or "") for r in recs} - {""})
        rules_here = sorted({merge_rules.get(str(r["event_id"]), "") for r in recs} - {""})
        rules_here = [x for x in rules_here if not x.startswith("alone")] or rules_here
        rows.append(
            {
                "resolved_id": rid,
                "start_date": s,
                "end_date": e,
                "date_precision": prec,
                "cameo_root": root,
                "event_type": lead.get("event_type", ""),
                "status": status,
                "actors": ";".join(a for a, _ in sorted(actor_count.items(), key=lambda kv: (-kv[1], kv[0]))),
                "n_reports": len(recs),
                "n_articles": len(arts) or len(recs),
                "n_publishers": len(publishers),
                "n_agencies": len(agencies),
                "merge_rule": " | ".join(rules_here),
                "status_rule": status_rule,
                "source_actor": lead.get("source_actor", ""),
                "target_actor": lead.get("target_actor", ""),
                "quad_class": lead.get("quad_class"),
                "goldstein": lead.get("goldstein"),
                "event_ids": ";".join(sorted(str(r["event_id"]) for r in recs)),
                "article_ids": ";".join(arts),
                "publishers": ";".join(publishers),
                "agencies": ";".join(agencies),
                "evidence": lead.get("evidence", ""),
                "date_rule": date_rule,
                "origin": "reference" if all(r.get("origin") == "reference" for r in recs) else "article",
            }
        )
    multi = pd.DataFrame(rows, columns=RESOLVED_COLUMNS)
    # one report alone (most rows): the same fields, column by column
    aid = single["article_id"].fillna("").astype(str)
    url_pub = single["source_url"].map(lambda u: publisher_of("", "", u)) if "source_url" in single else ""
    publisher = aid.map(pub_of).fillna("")
    publisher = publisher.where(publisher != "", url_pub).replace("", "curated reference")
    sources = single["sources"].fillna("").astype(str)
    one = pd.DataFrame(
        {
            "resolved_id": single["resolved_id"],
            "start_date": single["start_date"],
            "end_date": single["end_date"].where(single["end_date"].fillna("") != "", single["start_date"]),
            "date_precision": single["date_precision"],
            "cameo_root": single["cameo_root"],
            "event_type": single["event_type"],
            "status": single["status"],
            "actors": single["actors"],
            "n_reports": 1,
            "n_articles": 1,
            "n_publishers": 1,
            "n_agencies": sources.map(lambda x: len({a for a in x.split(";") if a.strip()})),
            "merge_rule": single["event_id"].map(lambda e: merge_rules.get(str(e), "")),
            "status_rule": "status:" + single["status"].fillna("").astype(str) + " (its one report)",
            "source_actor": single["source_actor"],
            "target_actor": single["target_actor"],
            "quad_class": single["quad_class"],
            "goldstein": single["goldstein"],
            "event_ids": single["event_id"],
            "article_ids": aid,
            "publishers": publisher,
            "agencies": sources,
            "evidence": single["evidence"],
            "date_rule": single["date_rule"],
            "origin": single["origin"],
        },
        columns=RESOLVED_COLUMNS,
    )
    out = pd.concat([x for x in (multi, one) if not x.empty], ignore_index=True) if len(multi) or len(one) else multi
    return out.sort_values(["start_date", "resolved_id"], kind="stable").reset_index(drop=True)


def attach_resolution(tables: dict[str, pd.DataFrame], stored: pd.DataFrame | None = None) -> None:
    """Give ``tables["events"]`` its ``resolved_id`` and add ``tables["resolved_events"]``.

    Stored groupings (the store resolves incrementally) are used as they are; events without one
    (the curated reference rows, or tables built without a store) are resolved among themselves."""
    ev = tables["events"]
    rid = pd.Series([""] * len(ev), index=ev.index, dtype=object)
    rules_of: dict[str, str] = {}
    if stored is not None and not stored.empty and len(ev):
        known = dict(zip(stored["event_id"], stored["resolved_id"], strict=True))
        rules_of = dict(zip(stored["event_id"], stored["merge_rule"], strict=True))
        rid = ev["event_id"].map(known).fillna("").astype(object)
    missing = (rid == "").to_numpy()
    if missing.any():
        res = resolve_events(ev[missing], tables.get("actors"), tables.get("articles"))
        rid[missing] = ev.loc[missing, "event_id"].map(res.resolved_id).to_numpy()
        rules_of.update(res.merge_rule)
    ev["resolved_id"] = rid.to_numpy()
    tables["resolved_events"] = summarize(ev, tables.get("articles", pd.DataFrame()), merge_rules=rules_of)


def collapse(events: pd.DataFrame, resolved: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved event, in the events table's columns, so every figure and table that
    reads events can show happenings instead of reports.

    Why rows of the events schema: the pages, filters and figures already read it; the row of a
    resolved event is its leading report among ``events`` (the filtered reports) with the resolved
    date, status, actors and agencies, plus ``n_reports``, ``n_articles``, ``n_publishers`` and
    ``n_agencies``. A resolved event some of whose reports are filtered out keeps the rest."""
    if events.empty or "resolved_id" not in events.columns:
        out = events.copy()
        for c in ("n_reports", "n_articles", "n_publishers", "n_agencies"):
            out[c] = pd.Series(dtype="Int64")
        return out
    res = resolved.set_index("resolved_id") if not resolved.empty else pd.DataFrame()
    ev = events
    # the leading report: the one whose date the resolved event took (its own date, narrowest window)
    start = pd.to_datetime(ev["start_date"], errors="coerce")
    end = pd.to_datetime(ev["end_date"].where(ev["end_date"].fillna("") != "", ev["start_date"]), errors="coerce")
    ranked = ev.assign(
        _borrowed=ev["date_rule"].fillna("").astype(str).str.startswith("date:article"),
        _width=(end - start).dt.days.fillna(99999),
    ).sort_values(["resolved_id", "_borrowed", "_width", "event_id"], kind="stable")
    out = ranked.drop_duplicates("resolved_id").drop(columns=["_borrowed", "_width"]).copy()
    r = res.reindex(out["resolved_id"])
    for col in ("start_date", "end_date", "date_precision", "status", "actors"):
        out[col] = r[col].fillna("").to_numpy()
    out["sources"] = r["agencies"].fillna("").to_numpy()
    out["status_rule"] = r["status_rule"].fillna("").to_numpy()
    for col in ("n_reports", "n_articles", "n_publishers", "n_agencies"):
        out[col] = pd.to_numeric(r[col], errors="coerce").fillna(1).astype(int).to_numpy()
    return out.sort_values(["start_date", "event_id"], kind="stable").reset_index(drop=True)


def reports_of(resolved_id: str, events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The reports of one resolved event with their article, publisher and publication date."""
    rows = events[events["resolved_id"] == resolved_id].copy()
    if rows.empty:
        return rows
    art = articles.set_index("article_id") if not articles.empty else pd.DataFrame()
    aid = rows["article_id"].fillna("").astype(str)
    rows["publisher"] = [
        publisher_of(art.at[a, "publication"], art.at[a, "source_file"]) if a in art.index else publisher_of("", "", u)
        for a, u in zip(aid, rows.get("source_url", pd.Series([""] * len(rows), index=rows.index)), strict=True)
    ]
    rows["published_date"] = [str(art.at[a, "published_date"]) if a in art.index else "" for a in aid]
    rows["title"] = [str(art.at[a, "title"]) if a in art.index else "" for a in aid]
    return rows.sort_values(["published_date", "event_id"], kind="stable")
