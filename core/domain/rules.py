"""Domain rules as data: the one place each word list or order is read, from its file in ``data/``.

Every module that needs one of these imports it from here, so a change is one edited row:

- statuses and their two orders (``data/statuses.csv``): certainty, and which cue decides;
- pronouns and the group nouns that point back to actors (``data/pronouns.csv``);
- nouns that point back to an act, with the CAMEO roots they can mean (``data/anaphor_nouns.csv``);
- capitalised words that are never part of a person's name (``data/name_stop_words.csv``);
- words that scale a money figure (``data/money_multipliers.csv``).

QuadClass names belong to the CAMEO table (:mod:`core.domain.cameo`); successor states and state names
to :mod:`core.domain.gazetteer`; state colours to :mod:`core.views.figures.style`.
"""

from __future__ import annotations

import re

from core.text.datafiles import read_csv_rows


def _rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a domain file, refusing one whose header lost a column (a clear error at import)."""
    rows = read_csv_rows(name)
    missing = [c for c in columns if rows and c not in rows[0]]
    if not rows or missing:
        raise ValueError(f"data/{name} must have rows with the columns {', '.join(columns)} (missing: {missing})")
    return rows


# --- statuses ---------------------------------------------------------------------------------------
_STATUS_ROWS = _rows("statuses.csv", ("status", "certainty", "precedence"))
#: Statuses, most certain first.
STATUSES: tuple[str, ...] = tuple(r["status"] for r in sorted(_STATUS_ROWS, key=lambda r: int(r["certainty"])))
#: status → rank of certainty (1 = most certain): the status merged reports keep is the lowest.
STATUS_CERTAINTY: dict[str, int] = {r["status"]: int(r["certainty"]) for r in _STATUS_ROWS}
#: status → which of several cues reaching one act decides (the highest).
STATUS_PRECEDENCE: dict[str, int] = {r["status"]: int(r["precedence"]) for r in _STATUS_ROWS}

# --- pronouns ---------------------------------------------------------------------------------------
_PRONOUN_ROWS = _rows("pronouns.csv", ("word", "kind", "starts_clause", "pattern"))
_PLAIN = re.compile(r"[a-z]+(?: [a-z]+)*")
for _r in _PRONOUN_ROWS:
    if _r["kind"] not in ("personal", "group", "phrase") or (_r["kind"] != "phrase" and not _PLAIN.fullmatch(_r["word"])):
        raise ValueError(f"data/pronouns.csv: {_r['word']!r} needs a kind of personal, group or phrase, in lower-case words")
#: Subject pronouns, lower case ("he", "i", "we").
PERSONAL_PRONOUNS: tuple[str, ...] = tuple(r["word"] for r in _PRONOUN_ROWS if r["kind"] == "personal")
#: Nouns for a party after "the"/"both" ("the two sides").
GROUP_NOUNS: tuple[str, ...] = tuple(r["word"] for r in _PRONOUN_ROWS if r["kind"] == "group")
#: Pronouns that open a clause with a new subject after a say-verb or "and".
CLAUSE_SUBJECT_PRONOUNS: tuple[str, ...] = tuple(r["word"] for r in _PRONOUN_ROWS if r["starts_clause"] == "yes")
#: One group, case-insensitive in use: any pronoun, phrase or "the/both (two) <group noun>", as whole words.
PRONOUN_PATTERN: str = (
    r"\b("
    + "|".join(
        [
            *PERSONAL_PRONOUNS,
            *(r["pattern"] for r in _PRONOUN_ROWS if r["kind"] == "phrase"),
            r"(?:the|both)\s+(?:two\s+)?(?:" + "|".join(GROUP_NOUNS) + ")",
        ]
    )
    + r")\b"
)

# --- anaphor nouns ----------------------------------------------------------------------------------
#: noun → the CAMEO roots of the acts it can refer back to, in the order they are tried.
ANAPHOR_NOUN_ROOTS: dict[str, tuple[str, ...]] = {
    r["noun"]: tuple(r["roots"].split(";")) for r in _rows("anaphor_nouns.csv", ("noun", "roots"))
}
#: "the <noun>", the noun as group 1, case-insensitive in use.
ANAPHOR_NOUN_PATTERN: str = r"\bthe\s+(" + "|".join(map(re.escape, ANAPHOR_NOUN_ROOTS)) + r")\b"

# --- names ------------------------------------------------------------------------------------------
#: Capitalised words that are never part of a person's name.
NAME_STOP_WORDS: frozenset[str] = frozenset(r["word"] for r in _rows("name_stop_words.csv", ("word", "kind")))

# --- money ------------------------------------------------------------------------------------------
_MULTIPLIER_ROWS = _rows("money_multipliers.csv", ("word", "factor", "spelled_out"))
#: word (lower case) → factor: "billion" → 1e9.
MONEY_MULTIPLIERS: dict[str, float] = {r["word"]: float(r["factor"]) for r in _MULTIPLIER_ROWS}
#: Alternation of every multiplier word, in file order, for a pattern after a figure ("$5 bn").
MULTIPLIER_WORDS: str = "|".join(re.escape(r["word"]) for r in _MULTIPLIER_ROWS)  # data words, never regex
#: Alternation of the spelled-out ones, in file order ("5 million dollars").
SPELLED_MULTIPLIER_WORDS: str = "|".join(re.escape(r["word"]) for r in _MULTIPLIER_ROWS if r["spelled_out"] == "yes")
