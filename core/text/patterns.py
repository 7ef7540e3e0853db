"""Regular expressions built from word lists, as prefix tries, and a faster way to scan with them.

A plain alternation of a thousand aliases makes the regex engine try every alternative at
every position; a trie shares prefixes ("South Korea|South Korean|South Koreans" becomes
"South\\ Korea(?:n(?:s)?)?"), which is what keeps actor matching fast on large corpora.

The engine jumps ahead quickly only to a pattern's literal first letters; an alternation whose
branches start differently ("(?:is|was) said to") is tried at every position. :class:`Alternatives`
scans with one regex per branch instead and merges their hits in the order the single regex
would find them, which gives the same matches several times faster on a whole article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise

try:  # Aho–Corasick automata (pyahocorasick): every occurrence of many strings in one pass, in C
    import ahocorasick as _ahocorasick
except ImportError:  # pragma: no cover - not installed: the regex trie finds the same, slower
    _ahocorasick = None

try:  # the standard library's own regex parser: used only through parse_regex below
    from re import _constants as _sre_c
    from re import _parser as _sre_p
except ImportError:  # pragma: no cover - another Python: scan without gates
    _sre_c = _sre_p = None


def parse_regex(source: str, flags: int = 0):
    """The parse tree CPython's ``re`` builds for ``source``, or None when it cannot be had.

    Why one function: the tree comes from ``re._parser``, a private module that another Python
    version may move or change. Everything here that reads a pattern's structure (its literal
    prefix, the literals every match holds, its shortest width) goes through this function, and each
    of those treats None as "unknown" and falls back to a plain scan: the matches stay the same,
    only the speed-ups are lost. ``tests/test_speedups_patterns.py`` checks both ways.
    """
    if _sre_p is None:
        return None
    try:
        return _sre_p.parse(source, flags)
    except Exception:  # an unusual pattern, or a parser that changed: no structure, a plain scan
        return None


def trie_regex(words: Iterable[str], after_first: str = "") -> str:
    """One non-capturing group matching exactly the given strings, longest first at each branch.

    ``after_first`` goes right after each string's first character: a look-behind there, such as
    ``(?<![\\w.].)`` for "no letter or dot before the match", keeps the first characters literal,
    so the regex engine can still jump from one possible first character to the next.
    """
    trie: dict = {}
    for word in set(words):
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True
    return _render(trie, after_first) or "(?!)"


def _render(node: dict, after_first: str = "") -> str:
    end = "" in node
    branches = [re.escape(ch) + after_first + _render(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return f"(?:{body})?"
    return body


def lowered(text: str) -> str:
    """``text.lower()`` with the same length, so offsets found in it hold for ``text``."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# The only characters that IGNORECASE matches to an ASCII letter other than their lower() (ſ ~ s,
# ı and İ ~ i, the Kelvin sign ~ k; İ is also the one character whose lower() is two long).
# Without them, a lower-case ASCII pattern on ``text.lower()`` finds what it finds with IGNORECASE
# on ``text``, at the same offsets, and faster (no case folding in the engine).
_ODD_CASE = ("ſ", "ı", "İ", "\u212a")


def plain_case(text: str) -> bool:
    """Is ``text`` free of the characters that make case-insensitive matching differ from lower()?"""
    return not any(c in text for c in _ODD_CASE)


class Caseless:
    """``re.compile(source, re.IGNORECASE)`` for a lower-case ``source``, run without IGNORECASE on
    ``text.lower()`` whenever :func:`plain_case` says that finds the same (about twice as fast)."""

    def __init__(self, source: str) -> None:
        if source != source.lower():
            raise ValueError(f"not a lower-case pattern: {source!r}")
        self.pattern = source
        self.regex = re.compile(source, re.IGNORECASE)
        self.folded = re.compile(source)

    def on(self, folded: bool) -> re.Pattern[str]:
        """The regex for text already lower-cased (True, when plain_case held) or as written."""
        return self.folded if folded else self.regex

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        if plain_case(text):
            return self.folded.search(text.lower(), pos, end)
        return self.regex.search(text, pos, end)


def caseless_view(doc) -> tuple[str, bool]:
    """(text, folded) for a document: its lower-cased text and True when :func:`plain_case` holds for
    it (lower-case patterns without IGNORECASE may then run on slices of it), else its text and False.
    Kept on the document (``Document.caseless``), computed once."""
    return doc.caseless


def at_word_boundary(text: str, pos: int) -> bool:
    """What ``\\b`` says at ``pos`` (Unicode words, as ``re`` sees them)."""
    before = pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")
    after = pos < len(text) and (text[pos].isalnum() or text[pos] == "_")
    return before != after


def starts_word(text: str, pos: int) -> bool:
    """No letter, digit, underscore or hyphen right before ``pos``."""
    if pos == 0:
        return True
    prev = text[pos - 1]
    return not (prev.isalnum() or prev in "_-")


# ---------------------------------------------------------------------------------------------
# Splitting a pattern into its alternatives

_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?#")  # and comments, which may hold any character
_GROUP_OPEN = re.compile(r"\(\?:|\(\?P<\w+>")


def _top_level(source: str) -> tuple[list[int], list[tuple[int, int]]] | None:
    """Offsets of the top-level "|" of ``source`` and the span of each top-level group."""
    bars: list[int] = []
    groups: list[tuple[int, int]] = []
    opens: list[int] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1
            if j < n and source[j] == "^":
                j += 1
            if j < n and source[j] == "]":
                j += 1
            while j < n and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            opens.append(i)
        elif c == ")":
            if not opens:
                return None
            start = opens.pop()
            if not opens:
                groups.append((start, i + 1))
        elif c == "|" and not opens:
            bars.append(i)
        i += 1
    return (bars, groups) if not opens else None


def _expand(source: str, depth: int, max_depth: int) -> list[str] | None:
    """``source`` as alternatives tried in the same order: "a|b" → a, b; "(?:a|b)c" → ac, bc;
    "(?:a)?b" → ab, b (a greedy optional is tried first). Groups nest at most ``max_depth`` deep."""
    found = _top_level(source)
    if found is None:
        return None
    bars, groups = found
    if bars:
        return _expand_each([source[a + 1 : b] for a, b in pairwise([-1, *bars, len(source)])], depth, max_depth)
    head = _GROUP_OPEN.match(source)
    if head is None or depth >= max_depth or not groups or groups[0][0] != 0:
        return [source]
    close = groups[0][1]
    inner, rest = source[head.end() : close - 1], source[close:]
    wrap = head[0] + "{})"
    if rest.startswith("?") and not rest.startswith(("??", "?+")):
        rest = rest[1:]
        if not rest:
            return None
        with_group = _expand(wrap.format(inner) + rest, depth + 1, max_depth)
        without = _expand(rest, depth + 1, max_depth)
        if with_group is None or without is None:
            return None
        return with_group + without
    if rest[:1] in ("*", "+", "{", "?"):
        return [source]
    inner_parts = _expand(inner, depth + 1, max_depth)
    if inner_parts is None or len(inner_parts) == 1:
        return None if inner_parts is None else [source]
    return _expand_each([wrap.format(piece) + rest for piece in inner_parts], depth + 1, max_depth)


def _expand_each(sources: list[str], depth: int, max_depth: int) -> list[str] | None:
    """The expansions of several sources in order, or None when any cannot be expanded."""
    out: list[str] = []
    for source in sources:
        part = _expand(source, depth, max_depth)
        if part is None:
            return None
        out.extend(part)
    return out


def split_alternatives(source: str, limit: int = 40) -> list[str]:
    """The alternatives of ``source`` in the order the regex engine tries them, or ``[source]``.

    Only plain shapes are split (top-level "|", a leading non-capturing or named group holding
    "|", a leading greedy optional group), nested as deep as ``limit`` pieces allow; anything
    with back-references or global flags stays whole.
    """
    if _GLOBAL_FLAGS.search(source) or _BACKREF.search(source):
        return [source]
    for max_depth in (8, 4, 2, 1):
        parts = _expand(source, 0, max_depth)
        if parts is None:
            return [source]
        if len(parts) <= limit:
            return parts if all(parts) else [source]
    return [source]


# ---------------------------------------------------------------------------------------------
# Literals a match must contain

_MAX_STRINGS = 64  # a run of literals spelt out as more strings than this is cut
_MAX_GATE = 32  # a gate of more strings than this costs more than it saves


def _product(left: set[str], right: set[str]) -> set[str] | None:
    if len(left) * len(right) > _MAX_STRINGS:
        return None
    return {a + b for a in left for b in right}


def _strings(items, flags: int) -> set[str] | None:
    """Every string ``items`` can match, when that is a short list of literals; else None."""
    c = _sre_c
    out: set[str] | None = {""}
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the text on either side stays contiguous
        if flags & re.IGNORECASE:
            return None
        if op is c.LITERAL:
            part = {chr(av)}
        elif op is c.IN and all(o is c.LITERAL for o, _v in av):
            part = {chr(v) for _o, v in av}
        elif op is c.SUBPATTERN:
            part = _strings(av[3], (flags | av[1]) & ~av[2])
        elif op is c.BRANCH:
            part = set()
            for alt in av[1]:
                sub = _strings(alt, flags)
                if sub is None:
                    return None
                part |= sub
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[1] <= 2:
            body = _strings(av[2], flags)
            if body is None:
                return None
            part, power = set(), {""}
            for k in range(av[1] + 1):
                if k >= av[0]:
                    part |= power
                power = _product(power, body) if k < av[1] else power
                if power is None:
                    return None
        else:
            return None
        if part is None:
            return None
        out = _product(out, part)
        if out is None:
            return None
    return out


def _needs(items, flags: int) -> list[frozenset[str]]:
    """Sets of strings such that every match of ``items`` contains a string of each set."""
    c = _sre_c
    out: list[frozenset[str]] = []
    run: set[str] = {""}

    def flush() -> None:
        nonlocal run
        if "" not in run:
            out.append(frozenset(run))
        run = {""}

    for op, av in items:
        part = _strings([(op, av)], flags)
        if part is not None:
            joined = _product(run, part)
            if joined is None or len(joined) > _MAX_GATE:
                flush()
                joined = part
            run = joined
            continue
        flush()
        if op is c.SUBPATTERN:
            out.extend(_needs(av[3], (flags | av[1]) & ~av[2]))
        elif op is c.ATOMIC_GROUP:
            out.extend(_needs(av, flags))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                out.extend(_needs(av[2], flags))
        elif op is c.BRANCH:
            each = [_best(_needs(alt, flags)) for alt in av[1]]
            if each and all(each):
                out.append(frozenset().union(*each))
        elif op in (c.GROUPREF, c.GROUPREF_EXISTS):
            raise ValueError("back-reference")
    flush()
    return out


def _rank(option: frozenset[str]) -> tuple[int, int]:
    """Longer strings are rarer in prose, and fewer of them are cheaper to look for."""
    return min(len(x) for x in option), -len(option)


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    return max(options, key=_rank, default=None)


def required_literals(source: str, flags: int = 0, most: int = 2) -> tuple[tuple[str, ...], ...]:
    """Sets of strings such that every match of ``source`` holds one string of each set.

    Up to ``most`` sets, the likeliest to rule a text out first; () when none is known. Asking
    ``str.find`` for them is far cheaper than a regex scan that finds nothing.
    """
    parsed = parse_regex(source, flags)
    if parsed is None:
        return ()
    try:
        options = set(_needs(parsed.data, parsed.state.flags))
    except Exception:  # an unusual pattern is simply scanned without a gate
        return ()
    options = {o for o in options if len(o) <= _MAX_GATE}
    ranked = sorted(options, key=lambda o: (_rank(o), sorted(o)), reverse=True)[:most]
    return tuple(tuple(sorted(o, key=lambda x: (-len(x), x))) for o in ranked)


def _literal_start(source: str, flags: int) -> bool:
    """Does the engine get three or more literal first letters to jump to?"""
    return len(literal_prefix(source, flags)) >= 3


def literal_prefix(source: str, flags: int = 0) -> str:
    """The literal text every match of ``source`` starts with ("" when unknown)."""
    parsed = parse_regex(source, flags)
    if parsed is None:
        return ""
    try:
        return _prefix(parsed.data, parsed.state.flags)[0]
    except Exception:  # a parse tree of another shape: no prefix known
        return ""


def _prefix(items, flags: int) -> tuple[str, bool]:
    """(literal prefix of items, whether it is all of them)."""
    out = []
    for op, av in items:
        if op is _sre_c.LITERAL and not flags & re.IGNORECASE:
            out.append(chr(av))
        elif op is _sre_c.SUBPATTERN:
            inner, whole = _prefix(av[3], (flags | av[1]) & ~av[2])
            out.append(inner)
            if not whole:
                return "".join(out), False
        else:
            return "".join(out), False
    return "".join(out), True


def _min_width(source: str, flags: int) -> int:
    parsed = parse_regex(source, flags)
    if parsed is None:
        return 0
    try:
        return parsed.getwidth()[0]
    except Exception:  # a parse tree of another shape: the width is unknown
        return 0


_known_slots: list[tuple[str, int, int, dict[str, bool]]] = []  # the last few stretches of text asked about


def _known(target: str, pos: int, end: int) -> dict[str, bool]:
    """Which strings occur in target[pos:end], as far as asked: many patterns share their words."""
    for t, p, e, known in _known_slots:
        if t is target and p == pos and e == end:
            return known
    known = _WholeAnswers() if pos == 0 and end == len(target) >= _WHOLE_MIN else {}
    _known_slots.insert(0, (target, pos, end, known))
    del _known_slots[4:]
    return known


# Whole texts (an article's text or its lower-cased form) are asked about the same hundred-odd gate
# strings and their key words, article after article (the date patterns' gates and branches, see
# core.text.timeparse): most are absent, and each absent one cost a str.find over the whole text.
# The strings asked of whole texts are learnt as they are asked (_occurs); a whole text's answers
# for all of them then come from one Aho–Corasick pass, filled in at its first question. The
# answers are the same either way (a string occurs or it does not): only their cost changes
# (tests/test_speedups_gates.py, tests/test_speedups_round4.py).
#
# Texts are asked in roles, told apart by the first string asked of them (xspeed4): the dates
# step asks ~100 strings of the lower-cased text, and 6 of the text as written, whose pass over all
# the strings learnt (~33 µs an article) cost more than its 6 finds. Each role learns its own
# strings, and a text is scanned only when its role has learnt at least _PASS_MIN of them.
_WHOLE_MIN = 1000  # shorter texts: the finds cost less than a pass
_WHOLE_MAX = 4096  # strings learnt at most per role (the patterns' gates are a fixed few hundred; a bound all the same)
_PASS_MIN = 16  # a role that asks fewer strings than this is answered by finds (a pass costs ~15-20 of them)
_ROLES_MAX = 64  # roles learnt at most; a text of a role beyond them is answered by finds


class _Role:
    """The strings asked of whole texts whose first question was one string, and their automaton."""

    __slots__ = ("absent", "automaton", "learnt", "strings")

    def __init__(self) -> None:
        self.learnt: set[str] = set()  # strings asked of a whole text of this role
        self.strings: frozenset[str] = frozenset()  # those in the automaton
        self.automaton = None
        self.absent: dict[str, bool] = {}  # each of ``strings`` → False

    def answers(self, target: str) -> dict[str, bool]:
        """Every learnt string's answer for ``target`` from one automaton pass ({} below _PASS_MIN)."""
        if len(self.learnt) < _PASS_MIN or _ahocorasick is None:
            return {}
        if len(self.learnt) != len(self.strings):
            self.strings = frozenset(self.learnt)
            self.automaton = string_automaton(self.strings)
            self.absent = dict.fromkeys(self.strings, False)
        known = self.absent.copy()
        for _end, s in self.automaton.iter(target):
            known[s] = True
        return known


_whole_roles: dict[str, _Role] = {}  # first string asked of a whole text → its role


class _WholeAnswers(dict):
    """``known`` for a whole text (see _occurs): answers, and the role its first question gave it."""

    __slots__ = ("role",)

    def __init__(self) -> None:
        super().__init__()
        self.role: _Role | None = None


# (Measured, xspeed3: "the" is over half of this pass's hits; answering strings seen more than 32
# times in a text with str.find instead gave +0.5% ± 0.3% on the synthetic benchmark and nothing on
# dev-real: not kept.)
def _whole_text_known(target: str, first: str) -> dict[str, bool]:
    """``known`` for a whole text whose first question is ``first``: every string its role learnt,
    answered from one automaton pass (when the role asks enough of them)."""
    role = _whole_roles.get(first)
    if role is None:
        if len(_whole_roles) >= _ROLES_MAX:
            return {}
        role = _whole_roles[first] = _Role()
    return role.answers(target)


def _passes(target: str, pos: int, end: int, known: dict[str, bool], gates: tuple[tuple[str, ...], ...]) -> bool:
    """Does target[pos:end] hold a string of every gate (see required_literals)?"""
    for gate in gates:
        for g in gate:
            found = known.get(g)
            if found is None:
                found = known[g] = _occurs(target, pos, end, known, g)
            if found:
                break
        else:
            return False  # no string of this gate occurs: no match is possible
    return True


def occurs_any(target: str, strings: Iterable[str]) -> bool:
    """Does one of ``strings`` occur in ``target``? Answers are kept with those of the branch gates on
    the same text (see _known), so a word that several patterns ask about is searched for once."""
    known = _known(target, 0, len(target))
    end = len(target)
    for g in strings:
        found = known.get(g)
        if found is None:
            found = known[g] = _occurs(target, 0, end, known, g)
        if found:
            return True
    return False


def _occurs(target: str, pos: int, end: int, known: dict[str, bool], g: str) -> bool:
    """Does ``g`` occur in target[pos:end]? Its longest word is asked first (and kept in ``known``):
    most gate strings are absent, and many share a word (" days later", " weeks later" … "later"),
    so one search of the word rules out all of them instead of one full search each."""
    key = _KEY_WORDS.get(g)
    if key is None:
        key = _KEY_WORDS[g] = _key_word(g)
    if type(known) is _WholeAnswers:  # a whole text (see _known)
        if known.role is None:  # its first question: its role, and the answers of that role's pass
            found = _whole_text_known(target, g)
            known.update(found)
            known.role = _whole_roles.get(g)
            if g in found:
                return found[g]
        role = known.role
        if role is not None and len(role.learnt) < _WHOLE_MAX:  # learnt: the next whole text's pass answers it
            role.learnt.add(g)
            if key:
                role.learnt.add(key)
    if key:
        present = known.get(key)
        if present is None:
            present = known[key] = target.find(key, pos, end) >= 0
        if not present:
            return False  # a part of g is absent: so is g
    return target.find(g, pos, end) >= 0


def _key_word(g: str) -> str:
    """The longest run of letters in ``g`` when it is shorter than ``g`` and at least 4 long, else ""."""
    words = _LETTERS.findall(g)
    best = max(words, key=len, default="")
    return best if 4 <= len(best) < len(g) else ""


_KEY_WORDS: dict[str, str] = {}
_LETTERS = re.compile(r"[^\W\d_]+")


class Alternatives:
    """``re.compile(source, flags).finditer`` with the same matches, found branch by branch.

    Each branch (see :func:`split_alternatives`) is its own regex, skipped outright when a literal
    it needs is absent; the leftmost hit wins and, at one position, the earlier branch, exactly as
    in the single regex. Match objects come from the branch regexes: groups of other branches are
    missing from them rather than None.

    With IGNORECASE, a lower-case branch also gets a twin without it, used on the lower-cased text
    when the caller passes one (``lower``, for a text that passes :func:`plain_case`): the engine
    can then jump to the branch's first letters. Those matches come from the lower-cased text.
    """

    def __init__(self, source: str, flags: int = 0, suffix: str = "", limit: int = 40) -> None:
        self.regex = re.compile(f"(?:{source}){suffix}", flags)
        pieces = [f"(?:{p}){suffix}" for p in (split_alternatives(source, limit) if not flags & re.VERBOSE else [source])]
        self.nonempty = all(_min_width(p, flags) >= 1 for p in pieces)
        if len(pieces) > 1 and not self.nonempty:
            pieces = [f"(?:{source}){suffix}"]  # an empty match would need the engine's own rules
        # str.find rules a branch out faster than the regex engine scans for it, even for a branch
        # that starts with literal letters
        self.branches = [(re.compile(p, flags), required_literals(p, flags, 1 if _literal_start(p, flags) else 2)) for p in pieces]
        plain = flags & ~re.IGNORECASE
        self.folded = [
            (re.compile(p, plain), required_literals(p, plain, 1 if _literal_start(p, plain) else 2), True)
            if flags & re.IGNORECASE and p == p.lower() and "(?-i:" not in p
            else (rx, gates, False)
            for p, (rx, gates) in zip(pieces, self.branches, strict=True)
        ]

    def finditer(
        self, target: str, pos: int = 0, endpos: int | None = None, accept: Callable[[int], bool] | None = None, lower: str | None = None
    ) -> Iterator[re.Match[str]]:
        """The matches in target[pos:endpos]; ``accept(start)`` is a condition on the text before a
        match start (a look-behind or a leading \\b checked in code): where it fails the scan goes
        on from the next character, as the regex engine does when its look-behind fails."""
        end = len(target) if endpos is None else endpos
        known = _known(target, pos, end)
        if lower is None:
            live = [(rx, target) for rx, gates in self.branches if not gates or _passes(target, pos, end, known, gates)]
        else:
            known_lower = _known(lower, pos, end)
            live = [
                (rx, lower) if on_lower else (rx, target)
                for rx, gates, on_lower in self.folded
                if not gates or _passes(lower if on_lower else target, pos, end, known_lower if on_lower else known, gates)
            ]
        if len(live) <= 1 and accept is None:
            if live:
                yield from live[0][0].finditer(live[0][1], pos, end)
            return
        if accept is not None and not self.nonempty:
            raise ValueError("accept= needs a pattern that cannot match the empty string")
        nxt = [rx.search(t, pos, end) for rx, t in live]
        while True:
            best = None
            best_start = end + 1
            for m in nxt:
                if m is not None and m.start() < best_start:
                    best, best_start = m, m.start()
            if best is None:
                return
            if accept is None or accept(best_start):
                yield best
                pos = best.end()
            else:
                pos = best_start + 1
            for i, m in enumerate(nxt):
                if m is not None and m.start() < pos:
                    rx, t = live[i]
                    nxt[i] = rx.search(t, pos, end)


class _Prefixes:
    """Every offset where one of some strings starts in a text, from one regex scan.

    The scan is a trie of the strings (the longest one starting at an offset is found); offsets
    inside a found string where another could start (worked out from the string itself) are
    tried one by one, since the scan does not look there.
    """

    def __init__(self, strings: set[str]) -> None:
        self.regex = re.compile(trie_regex(strings))
        starts = {t[:k] for t in strings for k in range(1, len(t) + 1)}  # every beginning of every string
        self.within = {s: [s[:k] for k in range(1, len(s) + 1) if s[:k] in strings] for s in strings}
        # offset i of s can start another string t when s[i:] begins t or t begins s[i:]
        self.inner = {
            s: [i for i in range(1, len(s)) if s[i:] in starts or any(s[i : i + k] in strings for k in range(1, len(s) - i + 1))]
            for s in strings
        }
        self.automaton = string_automaton(strings)

    def find(self, target: str, pos: int) -> dict[str, list[int]]:
        """Every offset from ``pos`` where each string starts (overlaps included), in increasing order."""
        if self.automaton is None:
            return self.find_by_regex(target, pos)
        at: dict[str, list[int]] = {}
        for end, s in self.automaton.iter(target, pos):  # in order of their ends: sorted per string
            at.setdefault(s, []).append(end - len(s) + 1)
        return at

    def find_by_regex(self, target: str, pos: int) -> dict[str, list[int]]:
        """:meth:`find` with the regex trie and no automaton (the reference the tests compare with)."""
        at: dict[str, list[int]] = {}
        match = self.regex.match
        for m in self.regex.finditer(target, pos):
            q = m.start()
            for t in self.within[m[0]]:
                at.setdefault(t, []).append(q)
            for i in self.inner[m[0]]:
                m2 = match(target, q + i)
                if m2 is not None:
                    for t in self.within[m2[0]]:
                        at.setdefault(t, []).append(q + i)
        return at


def string_automaton(strings: Iterable[str]):
    """An Aho–Corasick automaton of ``strings`` (each found as itself), or None without pyahocorasick.

    Why: one pass over the text reports every occurrence of every string, overlaps included, at a
    few nanoseconds a character; the regex trie it replaces tried a match at nearly every letter
    of the text (its first characters are most of the alphabet), three times slower on an article.
    """
    return keyed_automaton((s, s) for s in strings)


def keyed_automaton(items: Iterable[tuple[str, object]]):
    """An Aho–Corasick automaton reporting each string with its value (the last given for a string),
    or None without pyahocorasick or without a string (see :func:`string_automaton`)."""
    if _ahocorasick is None:
        return None
    automaton = _ahocorasick.Automaton()
    for s, value in items:
        if s:
            automaton.add_word(s, value)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


class LiteralStarts:
    """The matches of ``regex`` when every one of them starts with one of ``strings`` (a trie of titles,
    say): what ``regex.finditer`` gives, with the regex tried only where one of the strings starts.

    Why: a trie's first letters are most of the alphabet, so the engine tries it at nearly every
    position; an Aho–Corasick pass (:func:`string_automaton`) lists the few places where one of the strings
    starts, and the regex decides there (its look-behinds and what follows the string still apply,
    since it is matched in the whole text). Without pyahocorasick, ``regex`` scans as usual.
    """

    def __init__(self, regex: re.Pattern[str], strings: Iterable[str]) -> None:
        self.regex = regex
        self.automaton = keyed_automaton((w, len(w) - 1) for w in set(strings) if w)

    def starts(self, target: str, pos: int = 0) -> list[int]:
        """Every offset from ``pos`` where one of the strings starts, in order (None: no automaton)."""
        return sorted({end - back for end, back in self.automaton.iter(target, pos)})

    def finditer(
        self, target: str, pos: int = 0, accept: Callable[[int], bool] | None = None, starts: list[int] | None = None
    ) -> list[re.Match[str]]:
        """``regex.finditer(target, pos)``; with ``accept``, what :meth:`Alternatives.finditer` gives with
        it: a match whose start ``accept`` refuses is skipped and the scan goes on from the next character.
        ``starts``: offsets found by the caller, in order, that hold every place a match can start (a
        superset does no harm: the regex decides there); else this automaton's pass finds them."""
        if starts is None:
            if self.automaton is None:
                return _search_loop(self.regex, target, pos, accept)
            starts = self.starts(target, pos)
        out = []
        match = self.regex.match
        for q in starts:
            if q < pos:
                continue
            m = match(target, q)
            if m is None:
                continue
            if accept is None or accept(q):
                out.append(m)
                pos = m.end()
            else:
                pos = q + 1
        return out

    def finditer_by_regex(self, target: str, pos: int = 0, accept: Callable[[int], bool] | None = None) -> list[re.Match[str]]:
        """:meth:`finditer` without the automaton (the reference the tests compare with)."""
        return _search_loop(self.regex, target, pos, accept)


def _search_loop(regex: re.Pattern[str], target: str, pos: int, accept: Callable[[int], bool] | None) -> list[re.Match[str]]:
    if accept is None:
        return list(regex.finditer(target, pos))
    out = []
    while (m := regex.search(target, pos)) is not None:
        if accept(m.start()):
            out.append(m)
            pos = m.end()
        else:
            pos = m.start() + 1
    return out


class _ManyWordRegexes:
    """Several WordRegex scans of one whole text at once (see scan_many)."""

    def __init__(self, regexes: tuple[WordRegex, ...]) -> None:
        self.starts: list[list[str] | None] = []  # per pattern: the strings its matches start with
        for wr in regexes:
            firsts = None
            if _min_width(wr.regex.pattern, 0) >= 1:
                firsts = [literal_prefix(f"(?:{p})(?![\\w-])") for p in split_alternatives(wr.source)]
                if wr.case_sensitive:
                    # (its matches start, in the lower-cased text, with these lower-cased, when that text
                    # is the text lower-cased letter for letter and case-insensitive matching agrees with
                    # lower(): see scan, which checks plain_case; xspeed4)
                    firsts = [f.lower() if len(f.lower()) == len(f) else "" for f in firsts]
                if not all(len(f) >= 3 for f in firsts):
                    firsts = None  # a short or unknown start would be found everywhere: scan as usual
            self.starts.append(firsts)
        self.prefixes = _Prefixes({f for fs in self.starts if fs for f in fs})
        # string → (its length less one, the patterns whose matches may start with it): one pass of an
        # automaton gives each pattern its possible starts directly (see scan)
        owners: dict[str, list[int]] = {}
        for i, fs in enumerate(self.starts):
            for f in dict.fromkeys(fs or ()):
                owners.setdefault(f, []).append(i)
        self.owners = {f: (len(f) - 1, tuple(ix)) for f, ix in owners.items()}
        self.automaton = keyed_automaton(self.owners.items())

    def scan(
        self, regexes: tuple[WordRegex, ...], text: str, lower: str, pos: int, starts: list[list[int]] | None = None
    ) -> list[list[re.Match[str]]]:
        """The matches of each pattern from ``pos``. ``starts``: what :meth:`collect` gives for ``lower``
        and ``pos`` from hits of this automaton's strings found by the caller's own pass (one pass shared
        with other strings); else this automaton's pass finds them."""
        if starts is None:
            if self.automaton is None:
                return self.scan_by_regex(regexes, text, lower, pos)
            starts = self.collect(self.automaton.iter(lower, pos))
        out = []
        plain: bool | None = None  # plain_case(text), asked only for a pattern that needs case
        for wr, firsts, offsets in zip(regexes, self.starts, starts, strict=True):
            if firsts is not None and wr.case_sensitive:
                if plain is None:
                    plain = len(lower) == len(text) and plain_case(text)
                if not plain:
                    firsts = None  # the lower-cased starts may miss a match: scan as usual
            if firsts is None:
                out.append(list(wr.finditer(text, lower, pos)))
            elif not offsets:
                out.append([])
            else:  # (a pattern that needs case is matched on the text itself, at the same offsets)
                out.append(_word_start_matches(wr.regex, text if wr.case_sensitive else lower, offsets))
        return out

    def collect(self, hits: Iterable[tuple[int, tuple[int, tuple[int, ...]]]]) -> list[list[int]]:
        """Per pattern, the sorted offsets where its strings start, from automaton hits (end, (length
        less one, patterns)) given in the order of their ends, as an Aho–Corasick pass reports them."""
        starts: list[list[int]] = [[] for _ in self.starts]
        for end, (back, owners) in hits:
            q = end - back
            for i in owners:
                starts[i].append(q)
        for i, firsts in enumerate(self.starts):
            if firsts is not None and len(firsts) > 1 and starts[i]:
                starts[i] = sorted(set(starts[i]))  # (reported in order of their ends, several strings per pattern)
        return starts

    def scan_by_regex(self, regexes: tuple[WordRegex, ...], text: str, lower: str, pos: int) -> list[list[re.Match[str]]]:
        """:meth:`scan` with the regex trie of :class:`_Prefixes` (no automaton): the reference."""
        at = self.prefixes.find_by_regex(lower, pos)
        plain = len(lower) == len(text) and plain_case(text)
        out = []
        for wr, firsts in zip(regexes, self.starts, strict=True):
            if firsts is None or (wr.case_sensitive and not plain):
                out.append(list(wr.finditer(text, lower, pos)))
                continue
            offsets = sorted({q for f in firsts for q in at.get(f, ())})
            target = text if wr.case_sensitive else lower
            out.append(
                [
                    m
                    for m in matches_at(wr.regex, target, offsets)
                    if (q := m.start()) == 0 or not (target[q - 1].isalnum() or target[q - 1] in "_-")
                ]
            )  # starts_word
        return out


def _word_start_matches(regex: re.Pattern[str], lower: str, offsets: list[int]) -> list[re.Match[str]]:
    """``matches_at(regex, lower, offsets)`` less the matches that do not start a word (starts_word),
    in one loop."""
    out = []
    scan = 0
    match = regex.match
    for q in offsets:
        if q >= scan:
            m = match(lower, q)
            if m is not None:
                scan = m.end()
                if q == 0 or not (lower[q - 1].isalnum() or lower[q - 1] in "_-"):
                    out.append(m)
    return out


def matches_at(regex: re.Pattern[str], target: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``regex.finditer(target)`` for a regex that cannot match the empty string, when every match
    starts at one of the sorted offsets ``starts``: the regex is tried there only."""
    scan = 0
    match = regex.match
    for q in starts:
        if q >= scan:
            m = match(target, q)
            if m is not None:
                yield m
                scan = m.end()


_many: dict[tuple, _ManyWordRegexes] = {}


def scan_many(
    regexes: tuple[WordRegex, ...], text: str, lower: str, pos: int = 0, starts: list[list[int]] | None = None
) -> list[list[re.Match[str]]]:
    """``[list(r.finditer(text, lower, pos)) for r in regexes]``, found together: where each
    pattern's matches can start (its branches' literal beginnings) comes from one scan of the text
    for all of them, and each pattern is then tried only there. ``starts``: see
    :meth:`_ManyWordRegexes.scan` (a pass shared with other strings, made by the caller)."""
    return many_word_regexes(regexes).scan(regexes, text, lower, pos, starts)


def many_word_regexes(regexes: tuple[WordRegex, ...]) -> _ManyWordRegexes:
    """The scanner :func:`scan_many` uses for ``regexes`` (built once; its ``owners`` let a caller fold
    its strings into an automaton of its own and pass the starts found, see core.extract.mentions)."""
    many = _many.get(regexes)
    if many is None:
        if len(_many) > 32:
            _many.clear()
        many = _many[regexes] = _ManyWordRegexes(regexes)
    return many


class WordRegex:
    """A lower-case pattern that must start and end on word edges, matched on lower-cased text.

    Checking the left edge in code instead of with a look-behind, and matching lower-cased text
    instead of using IGNORECASE, lets the regex engine jump to its literal prefix: about thirty
    times faster on an article (measured in this project's benchmark notes).
    A pattern that needs case (it contains "(?-i:") runs on the original text, case-insensitively.
    Long stretches (a whole article) are scanned branch by branch (:class:`Alternatives`).
    """

    _SHORT = 600  # below this many characters one regex beats several

    def __init__(self, source: str) -> None:
        self.source = source
        self.case_sensitive = "(?-i:" in source
        flags = re.I if self.case_sensitive else 0
        self.regex = re.compile(f"(?:{source})(?![\\w-])", flags)
        self._alternatives: Alternatives | None = None
        self._flags = flags

    def _branches(self) -> Alternatives:
        if self._alternatives is None:
            self._alternatives = Alternatives(self.source, self._flags, r"(?![\w-])")
        return self._alternatives

    def finditer(self, text: str, lower: str, pos: int = 0, endpos: int | None = None):
        target = text if self.case_sensitive else lower
        end = len(target) if endpos is None else endpos
        if end - pos < self._SHORT:
            found = self.regex.finditer(target, pos, end)
        elif self.case_sensitive and len(lower) == len(text) and plain_case(text):
            found = self._branches().finditer(target, pos, end, lower=lower)  # case-free branches on lower
        else:
            found = self._branches().finditer(target, pos, end)
        for m in found:
            if starts_word(target, m.start()):
                yield m

    def search(self, text: str, lower: str, pos: int = 0, endpos: int | None = None):
        return next(self.finditer(text, lower, pos, endpos), None)
