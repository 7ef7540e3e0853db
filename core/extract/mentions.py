"""Pipeline step: find actors in the text.

Recognisers, each a precompiled pattern run once over the article:
1. dictionary names and aliases (states through names, adjectives and capitals: "Seoul",
   "U.S.-Japanese" gives USA and JPN);
2. a title or rank followed by a name ("Colonel General Leonid Ivashov"), for people the
   dictionary does not hold, with the country the text gives them;
3. Korean personal names ("Cho Sung-tae");
4. offices named without a name ("the South Korean president"), resolved through the
   dictionary's dated roles on the article's date;
then later mentions by surname ("Cho", "Sergeev") are linked back to the full name.
Overlaps are settled longest first, so "Kim Dae-jung" never also yields "Kim".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from core.domain.actors import (
    describe,
    dictionary,
    holders_with_surname,
    office_holder,
    slug,
    state_adjectives,
    surname_of,
    titles,
)
from core.domain.lexicon import CUE_TOPIC_STARTS, cue_topic_regexes
from core.domain.rules import NAME_STOP_WORDS
from core.text.datafiles import cached_csv
from core.text.document import Document, FoundActor, Mention
from core.text.patterns import Alternatives, LiteralStarts, at_word_boundary, caseless_view, keyed_automaton, many_word_regexes, trie_regex

_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)?|[A-Z]\.)"
_STOP_NAME_WORDS = NAME_STOP_WORDS


# Words of a body's name that can stand between a title and a name ("… Presidium Ri Ok-sun").
_ORG_WORDS = {
    "Presidium",
    "Politburo",
    "Commission",
    "Committee",
    "Council",
    "Administration",
    "Government",
    "Parliament",
    "Senate",
    "Congress",
    "Forum",
    "Organization",
    "Organisation",
    "Institute",
    "University",
    "Embassy",
    "Mission",
    "Delegation",
    "Command",
    "Headquarters",
    "Group",
    "Bank",
    "Corporation",
    "Company",
    "Fund",
    "Ministry",
    "Department",
    "Agency",
    "Bureau",
    "Office",
    "Officer",
    "League",
    "Island",
    "Islands",
    "Street",
    "Avenue",
    "Square",
    "Palace",
    "Hall",
    "Center",
    "Centre",
    "Prize",
    "Award",
    "Airport",
    "Station",
    "Hotel",
    "Club",
    "Museum",
    "Cup",
    "Games",
    "Declaration",
    "Statement",
    "Agreement",
    "Accord",
    "Plan",
    "Initiative",
    "Program",
    "Programme",
    "Project",
    "Region",
    "Province",
    "City",
    "County",
    "District",
    "Ocean",
    "Sea",
    "River",
    "Bay",
    "Strait",
    "Zone",
    "Base",
    "Port",
    "Fleet",
    "Division",
    "Brigade",
    "Regiment",
    "Times",
    "Post",
    "News",
    "Daily",
    "Herald",
    "Journal",
    "Press",
    "Television",
    "Radio",
    "Summit",
    "Conference",
    "Authority",
    "Bridge",
    "Tower",
    "Building",
    "Road",
    "Highway",
    "Railway",
    "Canal",
    "Dam",
    "Plant",
}


# A leading look-behind or \b stops the regex engine from jumping to the letters a name can start
# with: every position is tried. The same test made right after the first letter (a look-behind
# two characters long, see core.text.patterns.trie_regex) finds the same matches at that speed. A
# leading optional part ("(Russian) President …") makes a pattern two branches (core.text.patterns.
# Alternatives), each with its own first letters; there \b is checked in code (``accept``).


def _guarded(words, before_first: str, fallback: str) -> str:
    """Trie of ``words`` with "no ``before_first`` right before the match" checked after the first
    letter; ``fallback + trie`` when some word starts with a character that test would misjudge."""
    words = [w for w in words if w]
    if all(w[0].isalnum() or w[0] == "_" for w in words):
        return trie_regex(words, rf"(?<!{before_first}.)")
    return fallback + trie_regex(words)


# (Measured, xspeed4: the alias regex tried only where a form starts, from an Aho–Corasick pass
# (core.text.patterns.LiteralStarts), found the same matches in 0.030 s per 400 synthetic articles
# against 0.024 s for the trie regex alone: its first-letter jumps are already fast, and the pass
# reports ~70 starts an article that each cost a Python step and a match. The alias, given-name and
# Korean-name scans are ~2.5% of extraction together: not kept.)
# (Measured, xspeed5: 14 of the 2,611 forms do not begin with an ASCII capital ("the Kremlin",
# "six-party talks", "Åland Islands"), and they make the engine try the trie at every "t" and "s":
# the capital forms' regex alone scans 400 synthetic articles in 0.0147 s against 0.0235 s. But
# telling that a text holds none of the 14 (one substring search each) cost more than that: 0.0265 s
# in all; a regex of the 14 alone costs 0.0099 s. Not kept.)
@lru_cache(maxsize=1)
def _alias_table() -> tuple[re.Pattern[str], dict[str, str]]:
    forms: dict[str, str] = {}
    for a in dictionary().values():
        for form in a.forms:
            form = form.strip()
            if len(form) >= 2:
                forms.setdefault(form, a.actor_id)
                forms.setdefault(form.replace("'", "’"), a.actor_id)  # typographic apostrophes
                if a.kind == "person":
                    for variant in korean_variants(form):
                        forms.setdefault(variant, a.actor_id)
    # "US$" is money and "Soviet-era" a period, not actors
    pattern = _guarded(forms, r"[\w.]", r"(?<![\w.])") + r"(?![\w$]|\.\w|[- ]era\b)"
    return re.compile(pattern), forms


_KOREAN_GIVEN = re.compile(r"^(?P<family>\S+) (?P<a>[A-Z][a-z]+)-(?P<b>[a-z]+)$")


def korean_variants(name: str) -> list[str]:
    """Other ways wire copy writes a Korean name: "Kim Jong-il" → "Kim Jong-Il", "Kim Jong Il"."""
    m = _KOREAN_GIVEN.match(name)
    if not m:
        return []
    b = m["b"].capitalize()
    return [f"{m['family']} {m['a']}-{b}", f"{m['family']} {m['a']} {b}"]


def _word_edge(text: str):
    """\b at a match start."""
    return lambda pos: at_word_boundary(text, pos)


@lru_cache(maxsize=1)
def _of_forms() -> dict[str, str]:
    """Names of states and organizations as they follow a title ("Chairman of the National Defence
    Commission", "Foreign Minister of Japan") → the country the office is of."""
    out: dict[str, str] = {}
    for a in dictionary().values():
        if a.kind in ("state", "organization") and a.country:
            for form in a.forms:
                if len(form) >= 2:
                    out.setdefault(form, a.country)
    return out


@lru_cache(maxsize=1)
def _title_pattern() -> re.Pattern[str]:
    """A title followed by a space. What follows ("of" a state or body, then the name) is read in
    code (:func:`_titles`), and the state adjective before it looked up backwards
    (:func:`_office_adjective`): inside the pattern, tries of every state's and body's forms made it
    slow to build."""
    return re.compile(rf"(?P<title>{trie_regex(titles())})(?=[\s,])")


@lru_cache(maxsize=1)
def _title_scanner() -> LiteralStarts:
    """:func:`_title_pattern`, tried only where a title starts (core.text.patterns.LiteralStarts)."""
    return LiteralStarts(_title_pattern(), titles())


_OF = re.compile(r"\s+of\s+")
_THE = re.compile(r"the\s+")
_NAME_AFTER_TITLE = re.compile(rf"(?:,[ \t]+|\s+)(?P<name>{_NAME_TOKEN}(?:[ \t\u00a0]+{_NAME_TOKEN}){{0,3}})")


class _TitleMatch:
    """A title, the state or body it is "of" ("" if none), and the words that may be a name."""

    __slots__ = ("_end", "_start", "name", "name_start", "of", "title")

    def __init__(self, start: int, title: str, of: str, name: re.Match[str]) -> None:
        self._start, self.title, self.of = start, title, of
        self.name, self.name_start, self._end = name["name"], name.start("name"), name.end("name")

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _titles(text: str, pos: int, starts: list[int] | None = None) -> list[_TitleMatch]:
    """What ``title (of (the)? <state or body>)? (,)? <name words>`` finds, left to right, with the
    longest known state or body after "of" (and a shorter one when no name follows the longest)."""
    alias_re, _forms = _alias_table()
    of_forms = _of_forms()
    out: list[_TitleMatch] = []
    for m in _title_scanner().finditer(text, pos, starts=starts):
        if m.start() < pos:
            continue
        found = None
        o = _OF.match(text, m.end())
        if o is not None:
            for at in [t.end(), o.end()] if (t := _THE.match(text, o.end())) else [o.end()]:
                of = _longest_of(text, at, alias_re, of_forms)
                for form in of:
                    name = _NAME_AFTER_TITLE.match(text, at + len(form))
                    if name is not None:
                        found = (form, name)
                        break
                if found:
                    break
        if found is None:
            name = _NAME_AFTER_TITLE.match(text, m.end())
            found = ("", name) if name is not None else None
        if found is not None:
            out.append(_TitleMatch(m.start(), m["title"], found[0], found[1]))
            pos = found[1].end("name")
    return out


def _longest_of(text: str, at: int, alias_re: re.Pattern[str], of_forms: dict[str, str]) -> list[str]:
    """State and body forms that start at ``at``, longest first."""
    m = alias_re.match(text, at)
    if m is None:
        return []
    first = m[0]
    return [first[:k] for k in range(len(first), 0, -1) if first[:k] in of_forms and (k == len(first) or not first[k].isalnum())]


@lru_cache(maxsize=1)
def _office_adjectives() -> tuple[frozenset[str], int, frozenset[str]]:
    """State forms that can stand before a title (capitalised: "the Kremlin" names no office), the
    longest one's length, and the words they end with (a cheap first test)."""
    forms = frozenset(f for f in state_adjectives() if f[:1].isupper())
    last_words = frozenset(_LAST_WORD.search(f)[0] for f in forms if _LAST_WORD.search(f))
    return forms, max((len(f) for f in forms), default=0), last_words


_LAST_WORD = re.compile(r"\w[^\s]*$")


_WORD_START = re.compile(r"(?<![\w])\w")


def _office_adjective(text: str, title_start: int, title: str) -> tuple[int, str, str]:
    """(start, adjective, title) for an office: the longest state form right before the title with
    only spaces between ("South Korean President"), or one the title itself begins with ("Russian
    President" is a title of data/titles.csv too); (title_start, "", title) when there is none."""
    forms, longest, last_words = _office_adjectives()
    j = title_start
    while j > 0 and text[j - 1].isspace():
        j -= 1
    best = (title_start, "", title)
    w = j
    while w > 0 and not text[w - 1].isspace():
        w -= 1
    if (
        j < title_start
        and j > 0
        and any(text[p:j] in last_words for p in range(w, j) if p == w or not (text[p - 1].isalnum() or text[p - 1] == "_"))
    ):
        lo = max(0, j - longest)
        for w in _WORD_START.finditer(text, lo, j):  # left to right: the first hit is the longest
            k = w.start()
            if text[k:j] in forms:
                best = (k, text[k:j], title)
                break
    if not best[1]:
        for i in range(len(title) - 1, 0, -1):
            if title[i] == " " and title[:i] in forms and title[i + 1 :].lower() in _roles_by_title():
                return title_start, title[:i], title[i + 1 :]
    return best


def _title_country(adj: str, m: _TitleMatch) -> str:
    """The country an office belongs to: "Russian Deputy Prime Minister …", "Minister of Foreign
    Affairs of the Russian Federation …", "Chairman of the National Defence Commission …"."""
    country = state_adjectives().get(adj, "")
    if not country and m.of:
        country = _of_forms().get(m.of, "")
    return country


@lru_cache(maxsize=1)
def _role_phrase_pattern() -> Alternatives:
    """Offices named without a name ("the South Korean president"); matched with accept=_word_edge
    (the pattern's leading \b), the state adjective before it found by :func:`_office_adjective`."""
    alts = trie_regex(_role_offices())
    # IGNORECASE on a lower-case pattern: run on the lower-cased text (see core.text.patterns.Alternatives),
    # where the engine can jump to the titles' first letters; "no name after it" is checked in code
    return Alternatives(rf"{alts}\b", flags=re.IGNORECASE, limit=2)  # no named group: that needs a capital P


@lru_cache(maxsize=1)
def _role_offices() -> frozenset[str]:
    """The offices (lower-case) that :func:`_role_phrase_pattern` finds without a name."""
    return frozenset(t.lower() for t, r in titles().items() if r in _ROLE_PHRASE_ROLES)


_ROLE_PHRASE_ROLES = ("head_of_state", "head_of_government", "leader", "foreign_minister", "defense_minister")


@lru_cache(maxsize=1)
def _role_phrase_scanner() -> LiteralStarts | None:
    """The role phrases on lower-cased text, tried only where an office starts (LiteralStarts); None
    when the pattern is not the one case-free regex that makes that exact (then Alternatives scans)."""
    branches = _role_phrase_pattern().folded
    if len(branches) != 1 or not branches[0][2] or branches[0][1]:
        return None
    return LiteralStarts(branches[0][0], _role_offices())


def _role_phrases(text: str, start: int, view: str, folded: bool, starts: list[int] | None = None) -> list[re.Match[str]]:
    """The role phrases of ``text`` from ``start``: what ``_role_phrase_pattern().finditer`` gives with a
    word edge at the start (on the lower-cased ``view`` when ``folded``); ``starts``: where an office
    starts in ``view`` (see :func:`_shared_starts`), else found here."""
    scanner = _role_phrase_scanner() if folded else None
    if scanner is None:
        return list(_role_phrase_pattern().finditer(text, start, accept=_word_edge(text), lower=view if folded else None))
    return scanner.finditer(view, start, accept=_word_edge(text), starts=starts)


@lru_cache(maxsize=1)
def _lower_automaton():
    """One Aho–Corasick automaton over the lower-cased text for three scans: every title lower-cased
    (marked whether it is a role phrase's office) and the strings the status cues' and topics' matches
    start with (core.domain.lexicon.whole_text_matches). Value: (length less one, 0 / 1 title / 2
    office, the cue and topic patterns it starts). None without pyahocorasick, or when a title holds a
    letter that str.lower() does not map one for one whatever stands around it (the final-sigma rule
    of Σ, or a letter whose lower case is longer): see _shared_starts."""
    if _role_phrase_scanner() is None or any("Σ" in t or len(t.lower()) != len(t) for t in titles()):
        return None
    roles = _role_offices()
    items: dict[str, tuple[int, int, tuple[int, ...]]] = {}
    for t in {t.lower() for t in titles() if t}:
        items[t] = (len(t) - 1, 2 if t in roles else 1, ())
    for f, (back, owners) in many_word_regexes(cue_topic_regexes()).owners.items():
        kind = items[f][1] if f in items else 0
        items[f] = (back, kind, owners)
    return keyed_automaton(items.items())


def _shared_starts(doc: Document, view: str, pos: int) -> tuple[list[int], list[int]] | None:
    """(where a title may start, where a role phrase's office starts) in the lower-cased text ``view``
    from ``pos``, from one automaton pass that also leaves, for the events step, where each status
    cue's and topic's matches may start (core.domain.lexicon.CUE_TOPIC_STARTS): three scans, one pass.

    Every place a title starts in the text (case as written) is a place its lower-cased form starts in
    ``view``, since ``view`` is the text lower-cased and the titles' letters lower-case one for one:
    a superset of the title scan's own starts, where its regex decides as before. The offices and the
    cue and topic strings are those scans' own strings on the same text, so their starts are exactly
    theirs (the cues' counted from the text's start, as that scan counts them)."""
    automaton = _lower_automaton()
    if automaton is None:
        return None
    titles_at: set[int] = set()
    roles_at: set[int] = set()
    cue_hits = []
    text_start = doc.text_start
    for end, (back, kind, owners) in automaton.iter(view, pos):
        q = end - back
        if kind:
            titles_at.add(q)
            if kind == 2:
                roles_at.add(q)
        if owners and q >= text_start:
            cue_hits.append((end, (back, owners)))
    if pos <= text_start and view is doc.lower:
        CUE_TOPIC_STARTS.of(doc, lambda: (text_start, many_word_regexes(cue_topic_regexes()).collect(cue_hits)))
    return sorted(titles_at), sorted(roles_at)


_NAME_AFTER = re.compile(r",?\s+[A-Z]")


_THE_BEFORE = re.compile(r"(?:^|(?<=[^\w]))[Tt]he\s+$")


@lru_cache(maxsize=1)
def _given_name() -> re.Pattern[str]:
    names = _guarded((r["given_name"] for r in cached_csv("given_names.csv")), r"\w", r"\b")
    return re.compile(rf"(?P<name>(?:{names})\s+(?:[A-Z]\.\s+)?(?P<surname>[A-Z][a-z]+(?:-[A-Z][a-z]+)?))\b")


# One romanised Korean syllable, capitalised (Revised or McCune-Reischauer): initial, vowel, final.
_SYLLABLE = (
    r"(?:[BCDGHJKMNPRSTWY][bcdghjkmnprstwy]{0,2}[aeiouy]{1,3}|[AEIOUY][aeiouy]{0,2})"
    r"(?:ng|[nmlkpt])?"
)
# English words of title-case headlines that are also one syllable ("Moon To Meet Putin").
_NOT_GIVEN = {
    "To",
    "On",
    "At",
    "Of",
    "By",
    "Up",
    "Do",
    "Go",
    "No",
    "So",
    "Be",
    "We",
    "He",
    "Me",
    "My",
    "Us",
    "Oh",
    "Meet",
    "Met",
    "Set",
    "Get",
    "Let",
    "Put",
    "Cut",
    "Hit",
    "Top",
    "Tie",
    "Ties",
    "Talk",
    "Talks",
    "Ban",
    "Bid",
    "Deny",
    "Hail",
    "Back",
    "Pick",
    "Sign",
    "Seek",
    "Take",
    "Make",
    "Hold",
    "Join",
    "Mull",
    "Push",
    "Tip",
    "Sink",
    "Tank",
    "Key",
}


@lru_cache(maxsize=1)
def _korean_name() -> re.Pattern[str]:
    """A Korean family name and a given name: "Cho Sung-tae", "Kim Jong-Il", or written apart as
    two syllables, "Kim Hyun Chon" (each a romanised syllable, so "Park Avenue" is no name)."""
    surnames = _guarded((r["surname"] for r in cached_csv("korean_surnames.csv")), r"\w", r"\b")
    given = (
        r"[A-Z][a-z]+-(?:[a-z]+|[A-Z][a-z]+)"
        rf"|(?P<g1>{_SYLLABLE})[ \t]+(?P<g2>{_SYLLABLE})"
    )
    return re.compile(rf"(?P<name>(?:{surnames})[ \t]+(?:{given}))\b(?![-’'])")


def _korean_given_ok(m: re.Match[str]) -> bool:
    """A spaced given name is no headline's English words (hyphenated ones always pass)."""
    g1, g2 = m["g1"], m["g2"]
    return g1 is None or (g1 not in _NOT_GIVEN and (g2 not in _NOT_GIVEN or g2 == "In"))


_BYLINE = re.compile(
    rf"(?m)^[ \t]*(?:By|BY|Written by|Author:|By:)[ \t]+(?P<name>{_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{1,3}})"
    r"[ \t]*(?:,[^\n]{0,80})?$"
)


def _bylines(doc: Document, cands: list) -> None:
    """ "By Yoon Sojung" on a line of its own: the author, a person whatever the name looks like."""
    if "By" not in doc.text and "BY" not in doc.text and "Author" not in doc.text:
        return
    for m in _BYLINE.finditer(doc.text):
        tokens = m["name"].split()
        if any(t in _STOP_NAME_WORDS or t in state_adjectives() for t in tokens):
            continue
        actor_id = _person_id(doc, m["name"], "", "byline")
        cands.append((m.start("name"), m.end("name"), actor_id, "byline", 1))


@lru_cache(maxsize=1)
def _state_groups() -> dict[str, tuple[str, ...]]:
    """Forms that name several states at once ("the two Koreas") → their codes."""
    table: dict[str, tuple[str, ...]] = {}
    for row in cached_csv("state_groups.csv"):
        codes = tuple(c.strip() for c in row["codes"].split("|") if c.strip())
        for form in row["forms"].split("|"):
            if form.strip():
                table[form.strip()] = codes
    return table


def _is_edge(text: str, i: int) -> bool:
    return i < 0 or i >= len(text) or not (text[i].isalnum() or text[i] in "_-")


def _group_hits(doc: Document, cands: list) -> dict[tuple[int, int], tuple[str, ...]]:
    """ "the two Koreas", "inter-Korean": a candidate for the first state; the others are added
    on the same words once overlaps are settled (see :func:`_expand_groups`). A few forms, so each
    is looked for with ``str.find`` (faster than a regex that could start at every "t")."""
    text = doc.text
    hits: dict[tuple[int, int], tuple[str, ...]] = {}
    for form, codes in _state_groups().items():
        i = text.find(form)
        while i >= 0:
            end = i + len(form)
            if _is_edge(text, i - 1) and _is_edge(text, end):
                hits[(i, end)] = codes
                cands.append((i, end, codes[0], "group", 1))
            i = text.find(form, i + 1)
    return hits


def _expand_groups(chosen: list, groups: dict[tuple[int, int], tuple[str, ...]]) -> list:
    if not groups:
        return chosen
    out = []
    for s, e, a, r in chosen:
        out.append((s, e, a, r))
        if r == "group":
            out.extend((s, e, code, "group") for code in groups.get((s, e), ())[1:])
    return out


# "Korea" alone is South Korea in a South Korean publication, North Korea in a North Korean one,
# and nobody's elsewhere; never before a capitalised word ("Korea Herald") or a dot ("Korea.net").
_BARE_KOREA = re.compile(r"Korea(?<![\w.-]Korea)(?<!North Korea)(?<!South Korea)(?![\w-])(?!\.\w)(?!\s+[A-Z])")


@lru_cache(maxsize=1)
def _outlet_countries() -> dict[str, str]:
    from core.extract.citations import normalise_agency

    return {normalise_agency(r["agency"]).lower(): r.get("country", "") for r in cached_csv("agencies.csv")}


def publisher_country(publication: str) -> str:
    """ISO code of the country an outlet publishes from ("Korea.net" → KOR), "" if not known."""
    from core.extract.citations import normalise_agency

    if not publication:
        return ""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", publication).strip()
    return _outlet_countries().get(normalise_agency(name).lower(), "")


def _home_korea(doc: Document, cands: list) -> None:
    home = publisher_country(doc.meta.publication)
    if not home and doc.dateline is not None:  # a Yonhap or KCNA dispatch: "SEOUL, Oct. 10 (Yonhap)"
        home = publisher_country(doc.dateline.agencies[0])
    if home not in ("KOR", "PRK") or "Korea" not in doc.text:
        return
    for m in _BARE_KOREA.finditer(doc.text):
        cands.append((m.start(), m.end(), home, f"home-country:{home}", 3))


@lru_cache(maxsize=256)
def _named_in(surname: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(surname)}\b")


def _is_named(text: str, surname: str) -> bool:
    """``_named_in(surname).search(text)`` without compiling a regex per surname (each new one cost
    more than the search): an occurrence with a word edge (``\b``) at both of its ends."""
    if not surname:
        return _named_in(surname).search(text) is not None
    n = len(surname)
    i = text.find(surname)
    while i >= 0:
        if at_word_boundary(text, i) and at_word_boundary(text, i + n):
            return True
        i = text.find(surname, i + 1)
    return False


def find_mentions(doc: Document) -> Document:
    text, start = doc.text, 0  # the header too: a title or byline names people and states
    alias_re, forms = _alias_table()
    # start, end, actor_id, rule, priority (a comprehension: most candidates are aliases, tens per article)
    cands: list[tuple[int, int, str, str, int]] = [(m.start(), m.end(), forms[m[0]], "alias", 2) for m in alias_re.finditer(text, start)]
    # offices the article itself names: "South Korean President Kim Dae-jung" → (KOR, head_of_state)
    article_roles: dict[tuple[str, str], str] = {}
    view, folded = caseless_view(doc)
    shared = _shared_starts(doc, view, start) if folded else None  # one pass: titles, offices, status cues
    for m in _titles(text, start, shared[0] if shared else None):
        _s, adj, title = _office_adjective(text, m.start(), m.title)
        owner = _title_candidate(doc, m, cands, adj, title)
        country, role = _title_country(adj, m), _role_of(title)
        if owner and country and role:
            article_roles.setdefault((country, role), owner)
    for m in _given_name().finditer(text, start):
        if m["surname"] not in _STOP_NAME_WORDS and m["surname"] not in state_adjectives():
            actor_id = _person_id(doc, m["name"], "", "given-name")
            cands.append((m.start(), m.end(), actor_id, "given-name", 1))
    for m in _korean_name().finditer(text, start):
        if not _korean_given_ok(m):
            continue
        actor_id = _person_id(doc, m["name"], "", "korean-name")
        cands.append((m.start(), m.end(), actor_id, "korean-name", 1))
    for m in _role_phrases(text, start, view, folded, shared[1] if shared else None):
        if _NAME_AFTER.match(text, m.end()) or _OFFICE_GOES_ON.match(text, m.end()):
            continue  # a name follows (the title recogniser's), or a longer office: "… and Trade, Kim …"
        span_start, adj, title = _office_adjective(text, m.start(), text[m.start() : m.end()])
        if not adj:
            continue
        the = _THE_BEFORE.search(text, max(0, span_start - 8), span_start)
        span_start = the.start() if the else span_start
        country = state_adjectives().get(adj, "")
        role = _role_of(title)
        holder = office_holder(country, role, doc.meta.published) if role else None
        if holder is not None and not _is_named(text, holder.surname):
            holder = None  # an office never named in the article stays the state's
        if holder is not None:
            cands.append((span_start, m.end(), holder.actor_id, f"role:{role}@{country}", 1))
        elif (country, role) in article_roles:
            cands.append((span_start, m.end(), article_roles[(country, role)], f"role-in-article:{role}@{country}", 1))
    _bylines(doc, cands)
    _home_korea(doc, cands)
    groups = _group_hits(doc, cands)
    chosen, cover = _settle_overlaps(cands, len(text))
    chosen = _expand_groups(chosen, groups)
    chosen = _add_surnames(doc, chosen, cover)
    chosen = _not_in_datelines(doc, chosen)
    doc.mentions = [Mention(s, e, a, text[s:e], r) for s, e, a, r in chosen]
    return doc


@lru_cache(maxsize=1)
def _roles_by_title() -> dict[str, str]:
    return {t.lower(): r for t, r in titles().items()}


_OFFICE_GOES_ON = re.compile(r"\s+(?:and|of|for)\s+(?:the\s+)?[A-Z]")


def _role_of(title: str) -> str:
    return _roles_by_title().get(title.lower(), "")


_NON_SPACE_RUN = re.compile(r"\S+")
_POSSESSIVE_END = re.compile(r"['’]s$")


def _title_candidate(doc: Document, m: _TitleMatch, cands: list, adj: str, title: str) -> str:
    """Add the person a title introduces; return its id ("" when the words are no name)."""
    spans = [t.span() for t in _NON_SPACE_RUN.finditer(m.name)]
    tokens = [m.name[a:b] for a, b in spans]
    while tokens and (tokens[-1] in _STOP_NAME_WORDS or (tokens[-1].endswith(".") and len(tokens) > 1 and len(tokens[-1]) > 2)):
        tokens.pop()
    # "Chairman of the Supreme People's Assembly Presidium Ri Ok-sun": the body's own words go first
    first = 0
    while first < len(tokens) - 1 and tokens[first] in _ORG_WORDS:
        first += 1
    cut = first
    for i, tok in enumerate(tokens[first:], first):
        if tok in _STOP_NAME_WORDS or tok in _ORG_WORDS or tok in state_adjectives():
            break
        cut = i + 1
    tokens = tokens[first:cut]
    if not tokens:
        return ""
    name = " ".join(tokens)
    name_start = m.name_start + spans[first][0]
    name_end = m.name_start + spans[cut - 1][1]
    # possessive: "Putin’s" stays "Putin"
    name = _POSSESSIVE_END.sub("", name)
    country = _title_country(adj, m)
    role = _role_of(title)
    published = doc.meta.published
    if len(tokens) == 1:
        # "President Kim": the office-holder of that surname, or someone met earlier.
        holders = [a for a in holders_with_surname(name, published) if not country or a.country == country]
        if role and country:
            h = office_holder(country, role, published)
            if h is not None and h.surname == name:
                holders = [h]
        if len(holders) == 1:
            cands.append((name_start, name_end, holders[0].actor_id, f"title+surname:{title}", 1))
            return holders[0].actor_id
        return ""
    actor_id = _person_id(doc, name, country, f"title:{title}")
    cands.append((name_start, name_end, actor_id, f"title:{title}", 1))
    return actor_id


def _person_id(doc: Document, name: str, country: str, rule: str) -> str:
    """Dictionary id when the dictionary knows the name; otherwise a new person of the text."""
    _pattern, forms = _alias_table()
    if name in forms and dictionary()[forms[name]].kind == "person":
        return forms[name]
    actor_id = slug(name)
    if actor_id in dictionary():
        return actor_id
    found = doc.found_actors.get(actor_id)
    if found is None:
        doc.found_actors[actor_id] = FoundActor(actor_id, name, "person", country, rule)
    elif country and not found.country:
        found.country = country
    return actor_id


class _Coverage:
    """Which characters are already claimed by a mention: O(length) checks, not O(mentions)."""

    def __init__(self, size: int) -> None:
        self.used = bytearray(size + 1)

    def free(self, start: int, end: int) -> bool:
        return self.used.find(1, start, end) < 0  # only 0s and 1s are stored

    def take(self, start: int, end: int) -> None:
        self.used[start:end] = b"\x01" * (end - start)


def _settle_overlaps(cands: list[tuple[int, int, str, str, int]], size: int) -> tuple[list[tuple[int, int, str, str]], _Coverage]:
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[4], c[0]))
    cover = _Coverage(size)
    out = []
    for s, e, a, r, _p in cands:
        if cover.free(s, e):
            cover.take(s, e)
            out.append((s, e, a, r))
    out.sort()
    return out, cover


def _not_in_datelines(doc: Document, chosen: list) -> list:
    """A dateline's place ("PYONGYANG, June 19 (KCNA)", "VLADIVOSTOK, Russia, Sept. 6 (AP)") is where
    the story was filed, not a state that acts in it: no state mention there (the outlet stays)."""
    spans = [(c.start, c.end) for c in doc.citations if c.kind == "dateline"]
    if not spans:
        return chosen
    found = doc.found_actors
    return [c for c in chosen if not (any(a <= c[0] < b for a, b in spans) and describe(c[2], found)[1] == "state")]


def _add_surnames(doc: Document, chosen: list[tuple[int, int, str, str]], cover: _Coverage) -> list[tuple[int, int, str, str]]:
    """Link bare surnames to the person last mentioned in full with that surname."""
    people: dict[str, list[tuple[int, str]]] = {}
    for s, _e, a, _r in chosen:
        name, kind, _country = describe(a, doc.found_actors)
        if name and kind == "person" and len(name.split()) > 1:
            known = dictionary().get(a)
            people.setdefault(known.surname if known else surname_of(name), []).append((s, a))
    if not people:
        return chosen
    extra = []
    for start, end, surname in _surname_hits(doc.text, 0, people):
        if not cover.free(start, end):
            continue
        known = people[surname]  # sorted by position (``chosen`` is sorted)
        i = bisect_left(known, (start,))  # the entries before ``start``, found without a scan per hit
        if i:
            j = i - 1
            while j > 0 and known[j - 1][0] == known[i - 1][0]:
                j -= 1  # several actors at the last position: the greatest, as max() over all gave
            extra.append((start, end, max(known[j:i])[1], "surname"))
    return sorted(chosen + extra)


def _surname_hits(text: str, pos: int, surnames) -> list[tuple[int, int, str]]:
    """What ``(?<!\\w)<trie of surnames>(?![\\w]|-[a-z])`` finds from ``pos``, without compiling a regex
    per article: at each place the longest surname that ends on a word edge, left to right."""
    at: dict[int, list[str]] = {}
    for name in surnames:
        if not name:
            continue
        i = text.find(name, pos)
        while i >= 0:
            at.setdefault(i, []).append(name)
            i = text.find(name, i + 1)
    out: list[tuple[int, int, str]] = []
    scan, n = pos, len(text)
    for q in sorted(at):
        if q < scan or (q > 0 and (text[q - 1].isalnum() or text[q - 1] == "_")):
            continue
        for name in sorted(at[q], key=len, reverse=True):
            e = q + len(name)
            if e < n and (text[e].isalnum() or text[e] == "_" or (text[e] == "-" and e + 1 < n and "a" <= text[e + 1] <= "z")):
                continue
            out.append((q, e, name))
            scan = e
            break
    return out
