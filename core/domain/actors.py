"""The actor dictionary (``data/actors.yaml``) and who held which office when.

Matching text against it lives in :mod:`core.extract.mentions`; this module only knows the actors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from core.text.datafiles import cached_csv, cached_yaml


@dataclass(frozen=True)
class Role:
    role: str
    title: str
    start: date | None
    end: date | None
    to: str = ""

    def holds_on(self, d: date) -> bool:
        return (self.start is None or self.start <= d) and (self.end is None or d <= self.end)


@dataclass
class Actor:
    actor_id: str
    name: str
    kind: str
    country: str
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    name_is_form: bool = True  # False: the display name is never matched in text ("Jersey")

    @property
    def forms(self) -> list[str]:
        """Every surface form the matcher looks for: the name (unless it is ambiguous) and aliases."""
        return [self.name, *self.aliases] if self.name_is_form else list(self.aliases)

    @property
    def surname(self) -> str:
        if self.kind != "person":
            return ""
        if self.country in ("KOR", "PRK") and len(self.name.split()) >= 2:
            return self.name.split()[0]  # "Park Jin", "Suh Wook": the family name comes first
        return surname_of(self.name)


def surname_of(name: str) -> str:
    """Korean names put the family name first ("Cho Sung-tae"); others last ("Igor Sergeev")."""
    parts = name.split()
    if len(parts) >= 2 and re.fullmatch(r"[A-Z][a-z]+-[a-z]+", parts[-1]):
        return parts[0]
    return parts[-1] if parts else ""


def _date(value: object, end: bool = False) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    parts = [int(p) for p in re.findall(r"\d+", text)]
    if not parts:
        return None
    y = parts[0]
    m = parts[1] if len(parts) > 1 else (12 if end else 1)
    d = parts[2] if len(parts) > 2 else (28 if end else 1)
    return date(y, m, d)


@lru_cache(maxsize=1)
def dictionary() -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    for row in cached_yaml("actors.yaml") or []:
        roles = [
            Role(r.get("role", ""), r.get("title", ""), _date(r.get("start")), _date(r.get("end"), end=True), r.get("to", "") or "")
            for r in row.get("roles") or []
        ]
        actor = Actor(str(row["id"]), row["name"], row["kind"], row.get("country") or "", [str(a) for a in row.get("aliases") or []], roles)
        actors[actor.actor_id] = actor
    _add_states(actors)
    return actors


def _add_states(actors: dict[str, Actor]) -> None:
    """Every state of the gazetteer joins the dictionary; a state the YAML holds keeps its name
    and gains the gazetteer's forms (a form another actor already owns stays that actor's)."""
    from core.domain.gazetteer import states

    owned = {form for a in actors.values() for form in (a.name, *a.aliases)}
    for code, st in states().items():
        actor = actors.get(code)
        if actor is None:
            actor = actors[code] = Actor(code, st.name, "state", code, [], name_is_form=st.name in st.forms)
        elif actor.kind != "state":
            continue
        for form in st.forms:
            if form not in owned and form != actor.name:
                actor.aliases.append(form)
                owned.add(form)


@lru_cache(maxsize=1)
def state_adjectives() -> dict[str, str]:
    """Every surface form of a state (name, adjective, capital) → its code."""
    out: dict[str, str] = {}
    for a in dictionary().values():
        if a.kind == "state":
            for form in a.forms:
                out[form] = a.country or a.actor_id
    return out


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Title or rank (as written) → role."""
    return {row["title"]: row["role"] for row in cached_csv("titles.csv")}


@lru_cache(maxsize=1)
def _by_office() -> dict[tuple[str, str], tuple[tuple[Actor, Role], ...]]:
    index: dict[tuple[str, str], list[tuple[Actor, Role]]] = {}
    for a in dictionary().values():
        if a.kind == "person":
            for r in a.roles:
                if r.start is not None:
                    index.setdefault((a.country, r.role), []).append((a, r))
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _by_surname() -> dict[str, tuple[Actor, ...]]:
    index: dict[str, list[Actor]] = {}
    for a in dictionary().values():
        if a.kind == "person":
            index.setdefault(a.surname, []).append(a)
    return {k: tuple(v) for k, v in index.items()}


def office_holder(country: str, role: str, on: date | None) -> Actor | None:
    """The one person who held ``role`` for ``country`` on a date, if the dictionary knows."""
    if on is None:
        return None
    found = {a.actor_id: a for a, r in _by_office().get((country, role), ()) if r.holds_on(on)}
    return next(iter(found.values())) if len(found) == 1 else None


def holders_with_surname(surname: str, on: date | None) -> list[Actor]:
    """Dictionary persons of that surname who held any dated office on the date."""
    return list(_holders_with_surname(surname, on))


@lru_cache(maxsize=8192)
def _holders_with_surname(surname: str, on: date | None) -> tuple[Actor, ...]:
    """Memoised: an article asks for the same few surnames on its one date, a corpus for the same
    surnames on few dates ("Kim" alone has dozens of dictionary persons with many offices)."""
    return tuple(a for a in _by_surname().get(surname, ()) if on is None or any(r.holds_on(on) and r.start is not None for r in a.roles))


def describe(actor_id: str, found: dict | None = None) -> tuple[str, str, str]:
    """(name, kind, country) of a dictionary actor or of one found in an article's text."""
    a = dictionary().get(actor_id)
    if a is not None:
        return a.name, a.kind, a.country
    f = (found or {}).get(actor_id)
    return (f.name, f.kind, f.country) if f is not None else ("", "", "")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
