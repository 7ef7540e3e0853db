"""Every state an archive of 1985–2026 names: ISO 3166 from pycountry plus ``data/states.csv``.

pycountry holds the ISO names (current states, and the historical ones of ISO 3166-3); the data
file adds what it lacks: short names ("Burma"), adjectives and demonyms ("Hungarian", "Greek
Cypriot"), capitals and seats used for the state ("Tokyo", "the Kremlin"), display names, and
which state continues a historical one (USSR → Russia). The actor dictionary
(:func:`core.domain.actors.dictionary`) takes every state from here, so a state needs no code: its
names are matched, its display name and colour on charts are derived from its code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.text.datafiles import cached_csv

#: Words that are never a state on their own, whatever a source calls a state ("Korea" is two).
_NEVER = {"Korea", "Congo"}


@dataclass(frozen=True)
class State:
    """One state: its ISO alpha-3 code, display name, every surface form, its continuator."""

    code: str
    name: str
    forms: tuple[str, ...]
    successor: str = ""
    historical: bool = False


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def iso_forms(name: str) -> list[str]:
    """The ways an ISO name is written in running text.

    "Korea, Republic of" → "Republic of Korea"; "Congo, The Democratic Republic of the" →
    "Democratic Republic of the Congo"; "Virgin Islands, British" → "British Virgin Islands";
    "Holy See (Vatican City State)" → "Holy See". A comma form that inverts to nothing sensible
    ("Taiwan, Province of China") gives nothing: its short names come from the data file.
    """
    name = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if "," not in name:
        return [re.sub(r"^[Tt]he\s+", "", name)] if name else []
    head, _, tail = (p.strip() for p in name.partition(","))
    if re.search(r"\bof(?: the)?$", tail):
        inverted = re.sub(r"^[Tt]he\s+", "", f"{tail} {head}")
        return [inverted]
    if re.fullmatch(r"[A-Z][\w.]*", tail):  # "Virgin Islands, British"
        return [f"{tail} {head}"]
    return []


def _plurals(adjective: str) -> list[str]:
    """Demonym plurals that follow the rule ("Hungarian" → "Hungarians"); others are data."""
    if adjective.endswith(("an", "i", "o", "ot", "ar")) and " " not in adjective.strip():
        return [adjective + "s"]
    if adjective.endswith(("an", "ot")):  # "Greek Cypriot" → "Greek Cypriots"
        return [adjective + "s"]
    return []


@lru_cache(maxsize=1)
def states() -> dict[str, State]:
    """Every state by ISO alpha-3 code, current and historical (see the module note)."""
    import pycountry

    rows = {r["code"]: r for r in cached_csv("states.csv")}
    out: dict[str, State] = {}
    for code, row in rows.items():
        country = pycountry.countries.get(alpha_3=code)
        historical = country is None
        iso_names: list[str] = []
        if country is not None:
            for attr in ("common_name", "name", "official_name"):
                value = getattr(country, attr, "")
                if value:
                    iso_names.extend(iso_forms(value))
        drop = set(_split(row.get("drop", "")))
        forms: list[str] = []
        adjectives = _split(row.get("adjectives", ""))
        for form in [
            *iso_names,
            *_split(row.get("short_names", "")),
            *adjectives,
            *(p for a in adjectives for p in _plurals(a)),
            *_split(row.get("metonyms", "")),
        ]:
            if form and form not in drop and form not in _NEVER and form not in forms:
                forms.append(form)
        name = row.get("name") or (getattr(country, "common_name", "") if country else "")
        if not name:
            name = iso_names[0] if iso_names else (forms[0] if forms else code)
        out[code] = State(code, name, tuple(forms), row.get("successor", ""), historical)
    return out


def display_name(code: str) -> str:
    """The name charts and tables show for a state code ("TWN" → "Taiwan"); the code if unknown."""
    from core.domain.actors import dictionary

    code = (code or "").strip().upper()
    actor = dictionary().get(code)
    if actor is not None and actor.kind == "state":
        return actor.name
    st = states().get(code)
    return st.name if st else code


@lru_cache(maxsize=1)
def successors() -> dict[str, str]:
    """Historical state → the current state it is counted as, followed to the end (YUG → SRB)."""
    table = {c: s.successor for c, s in states().items() if s.successor}
    out: dict[str, str] = {}
    for code in table:
        seen, cur = {code}, table[code]
        while cur in table and cur not in seen:
            seen.add(cur)
            cur = table[cur]
        out[code] = cur
    return out


def state_code(actor_id: str, counted: bool = True) -> str:
    """The state an actor id names when it is a state's code (``"rus"``, ``"SUN"``): counted as its
    successor (the USSR as Russia) unless ``counted`` is off; "" for anything else. The one rule for an
    id the actor table does not list: a three-letter id is a state only when the gazetteer knows that
    code (``"sco"``, the Shanghai Cooperation Organisation, is not one)."""
    code = (actor_id or "").strip().upper()
    if code not in states():
        return ""
    return counts_as(code) if counted else code


def counts_as(code: str) -> str:
    """The state a code is counted as on charts and in filters: the USSR as Russia, etc."""
    code = (code or "").strip().upper()
    return successors().get(code, code)
