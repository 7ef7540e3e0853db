"""Synthetic *Monitor*-style articles: a corpus of any size to time the extractor and the dashboard on.

Why synthetic: the two bundled articles are far too few to time anything, and the extractor's cost
depends on how many actors, triggers, dates, money figures and source notes a text holds. So every
sentence is composed from the project's own data — persons who held an office on the article's
date (``core.domain.actors.dictionary()``, with ``data/titles.csv`` titles), states by name, adjective and
capital, event phrases inflected from ``data/event_verbs.csv``, agencies from ``data/agencies.csv``
— in the shape of the Jamestown *Monitor* samples in ``data/articles/``: a ``Publication: Monitor
Volume: V Issue: N`` header, 4–7 paragraphs, ~600 words, source notes such as ``(Itar-Tass, May 17;
AP, AFP, May 18)``.

Every article carries a ``Source: SYNTHETIC benchmark corpus`` header line, and :func:`generate`
writes only into the folder it is given (a new temp dir by default), never into ``data/``.
"""

from __future__ import annotations

import random
import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from core.config import DATA_DIR
from core.domain.actors import Actor, dictionary, state_adjectives, surname_of, titles
from core.text.datafiles import cached_csv

SYNTHETIC_LABEL = "SYNTHETIC benchmark corpus, not real news"
FIRST_VOLUME_YEAR = 1994  # Monitor volume V appeared in 1994 + V (data/calendars.yaml: volume 1 = 1995)
VOLUMES = range(1, 10)  # the daily Monitor ran 1995-2003

# Name, adjective and capital of the states the Monitor wrote about; each form is checked against
# the actor dictionary's aliases when loaded, so the text only uses forms the extractor knows.
_STATE_FORMS: dict[str, tuple[str, str, str]] = {
    "RUS": ("Russia", "Russian", "Moscow"),
    "KOR": ("South Korea", "South Korean", "Seoul"),
    "PRK": ("North Korea", "North Korean", "Pyongyang"),
    "USA": ("the United States", "U.S.", "Washington"),
    "JPN": ("Japan", "Japanese", "Tokyo"),
    "CHN": ("China", "Chinese", "Beijing"),
}
# (first country, second country) of an article's story, and how often each pairing comes up.
_PAIRS = [
    (("RUS", "KOR"), 50),
    (("RUS", "PRK"), 25),
    (("KOR", "PRK"), 10),
    (("RUS", "USA"), 5),
    (("RUS", "JPN"), 4),
    (("RUS", "CHN"), 4),
    (("PRK", "USA"), 2),
]
_ROLE_TITLE = {
    "head_of_state": "President",
    "head_of_government": "Prime Minister",
    "leader": "leader",
    "foreign_minister": "Foreign Minister",
    "defense_minister": "Defense Minister",
    "military": "Colonel General",
    "ambassador": "Ambassador",
}
_TITLE_OVERRIDES = {
    ("PRK", "head_of_government"): "Premier",
    ("USA", "foreign_minister"): "Secretary of State",
    ("PRK", "head_of_state"): "",
}
# Officials the dictionary does not hold (the extractor meets them through their title).
_INVENTED_RU = (
    ["Alexei", "Grigory", "Nikolai", "Yuri", "Valery", "Anatoly", "Oleg", "Boris"],
    ["Morozov", "Sokolov", "Belov", "Orlov", "Lebedev", "Volkov", "Zaitsev", "Kuznetsov"],
)
_INVENTED_KO = ["Jin-ho", "Min-su", "Sang-woo", "Young-chul", "Hyun-jae", "Dong-hoon", "Chang-sik"]
_INVENTED_TITLES = {
    "RUS": ["Deputy Foreign Minister", "Deputy Defense Minister", "Ambassador", "Colonel General"],
    "KOR": ["Vice Foreign Minister", "Ambassador", "Deputy Defense Minister"],
    "PRK": ["Vice Foreign Minister", "Ambassador"],
}
# Share of event patterns by CAMEO root: talks, visits and statements dominate wire copy.
_ROOT_WEIGHT = {
    "04": 7.0,
    "01": 5.0,
    "03": 3.0,
    "05": 2.5,
    "06": 3.0,
    "02": 2.0,
    "11": 2.0,
    "12": 1.5,
    "13": 1.5,
    "07": 0.6,
    "08": 0.6,
    "15": 1.0,
    "16": 0.5,
}
_TOPICS = [
    "military-technical cooperation",
    "the Soviet-era debt",
    "the proposed theater missile defense system",
    "the North Korean nuclear program",
    "a gas pipeline across the peninsula",
    "linking the Trans-Siberian railway to the Korean railways",
    "inter-Korean reconciliation",
    "arms sales",
    "the Anti-Ballistic Missile Treaty",
    "fishing quotas in the Sea of Japan",
    "military training for officers",
    "the ballistic missile program",
    "economic cooperation",
]
_BASE_VPS = [
    "boost military-to-military ties",
    "expand bilateral trade",
    "ease tensions on the Korean Peninsula",
    "restructure the debt",
    "increase the number of officers trained in Russia",
    "step up economic cooperation",
    "resume the stalled negotiations",
]
_MASS = {"hardware", "weaponry", "equipment", "technology", "aid", "arms", "weapons"}
_PREPOSITIONS = {"to", "with", "on", "in", "at", "by", "of", "between"}
_FILLER = {  # words to put in a pattern's "..." by the word that follows it
    "visit": ["a quiet", "an official", "a two-day", "a brief"],
    "support": ["{bposs}"],
    "invitation": ["an"],
    "understanding": ["an"],
    "understandings": ["a trio of", "several"],
    "agreement": ["an"],
    "accord": ["an"],
    "deal": ["a"],
    "hot": ["a"],
    "hotline": ["a"],
    "commission": ["a joint"],
    "committee": ["a joint"],
    "working": ["a"],
    "diplomatic": ["full"],
    "relations": ["diplomatic"],
    "positions": ["{aposs}"],
    "position": ["{aposs}"],
    "concern": ["deep", "serious"],
    "concerns": ["{aposs}"],
    "sanctions": ["new"],
    "exercises": ["joint naval"],
    "drills": ["large-scale"],
    "maneuvers": ["joint"],
    "aid": ["humanitarian", "food"],
    "in": ["near to US${arms_m} million", "some US${arms_m} million"],
}
_SUFFIX = {  # what follows a pattern's words; {b}, {bcap}, {bposs}, {badj}, {topic}, {vp}, {clause}
    "@hold talks": " with {b}",
    "@hold [consultations|discussions|a meeting|meetings]": " with {b}",
    "@meet": " {b}",
    "@discuss": " {topic} with {b}",
    "@negotiate": " with {b} on {topic}",
    "@call on": " {b} to {vp}",
    "@urge": " {b} to {vp}",
    "@appeal to": " {b} to {vp}",
    "@ask": " {b} to {vp}",
    "@enlist ... support": " for {topic}",
    "@seek ... support": " for {topic}",
    "@win ... support": " for {topic}",
    "@invite": " {b} to visit {acap}",
    "@accept ... invitation": " to visit {bcap}",
    "@offer": " to {vp}",
    "@promise": " to {vp}",
    "@pledge": " to {vp}",
    "@propose": " a joint commission on {topic}",
    "@agree to": " {vp}",
    "@agree on": " {topic}",
    "@agree that": " {clause}",
    "@reach ... [understanding|understandings|agreement|accord|deal]": " with {b} on {topic}",
    "@set up ... [hot line|hotline|commission|committee|working group]": " with {b}",
    "@establish ... diplomatic relations": " with {b}",
    "@normalize ... relations": " with {b}",
    "@support": " {bposs} efforts",
    "@endorse": " {bposs} proposal",
    "@praise": " {bposs} restraint",
    "@welcome": " {bposs} proposal",
    "@assure ... support": " of {aposs} support",
    "@say": " {date} that {clause}",
    "@tell ... [reporters|journalists|the press|a news conference|parliament|the Duma]": " that {clause}",
    "@tell": " {b} that {clause}",
    "@announce": " that {clause}",
    "@declare": " that {clause}",
    "@stress": " that {clause}",
    "@insist": " that {clause}",
    "@make clear": " that {clause}",
    "@comment": " on {topic}",
    "@lay out ... positions": " on {topic}",
    "@lay out ... position": " on {topic}",
    "@express ... [concern|concerns]": " over {topic}",
    "@raise ... [concern|concerns]": " about {topic}",
    "@oppose": " {bposs} plans",
    "@criticize": " {bposs} position",
    "@criticise": " {bposs} stance",
    "@denounce": " {bposs} plans",
    "@condemn": " {bposs} missile tests",
    "@blame": " {b} for the delay",
    "@accuse": " {b} of stalling the talks",
    "@protest": " against {bposs} plans",
    "@dismiss": " {bposs} claims",
    "@reject": " {bposs} proposal",
    "@refuse": " to {vp}",
    "@rule out": " any change in {topic}",
    "@warn": " that {clause}",
    "@threaten": " to {vp}",
    "@cooperate": " with {b} on {topic}",
    "@provide ... aid": " to {b}",
    "@send ... aid": " to {b}",
    "@impose ... sanctions": " on {b}",
    "@hold ... [exercises|drills|maneuvers]": " near {bcap}",
    "@test-fire": " a ballistic missile",
    "@detonate": " a nuclear device",
    "@expel": " a {badj} diplomat",
    "@deal ... in arms": " to {b}",
    "@host": " {b}",
    "@visit": " {bcap}",
    "@train": " {badj} officers",
    "@receive": " a {badj} delegation",
    "@buy": " {needs} from {b}",
    "@purchase": " {needs} from {b}",
    "@acquire": " {needs} from {b}",
    "@break off ... relations": " with {b}",
    "@sever ... relations": " with {b}",
}
_COMMENTARY = [
    "Asian security matters are also on the agenda.",
    "The discussion may be academic, at least at this point.",
    "{xcap}, meanwhile, has long sought to play a greater role in managing tensions on the Korean Peninsula.",
    "It was unclear whether, from {xposs} perspective, all was accomplished during the visit which might have been.",
    "The two sides are said also to be discussing {topic}.",
    "Some in {xcap} apparently believe that closer ties could increase {yposs} influence in the region.",
    "The {xadj} side plainly hopes that the high-profile contacts will pave the way for progress on {topic}.",
    "Observers in {xcap} noted that {topic} remains the most sensitive issue between the two countries.",
    "There appeared to be some difference in emphasis regarding {topic} between the {xadj} and the {yadj} sides.",
    "One leading {xadj} daily, for example, focused on {topic}.",
    "The lead-up to the talks has provided even more than the usual number of contradictory reports.",
    "For all of this, the meeting appeared to receive little coverage in the {xadj} media.",
    "More to the point, perhaps, is the fact that {xcap} has also moved recently to improve ties with {ycap}.",
    "Analysts in {ycap} were divided over what the contacts might mean for {topic}.",
    "Pyongyang, meanwhile, has opposed efforts to internationalize the Korean conflict in this way, but that factor "
    "is likely to carry little weight in {xcap}.",
    "If some in {xcap} hoped that the talks would help to reverse this trend, they were apparently left disappointed.",
    "The paper appeared, in fact, to go so far as to bemoan the fact that an easing of tensions on the peninsula "
    "could ultimately diminish the need for new armaments in the region.",
    "The {xadj} side, for its part, appeared to use the contacts in large part not to address the problems of "
    "the Korean peninsula, but rather as a platform from which to restate its views on {topic}.",
    "Officials in {ycap} have apparently taken notice of the stated desire in {xcap} to restore its international "
    "influence, and believe that a more energetic policy there could have an impact on security developments in Asia.",
]
# Clauses that lengthen an event sentence to the Monitor's ~25 words without adding another act.
_TAILS = [
    ", with an eye to improving bilateral military cooperation",
    ", a step that observers in the region had long expected",
    " as part of a broader effort to put relations between the two countries on a firmer footing",
    " amid continuing uncertainty over the security situation in Northeast Asia",
    ", although officials on both sides were careful to play down expectations",
    " in what both sides described as a frank and businesslike atmosphere",
    ", the latest in a series of high-level contacts between the two capitals",
]
_MONEY = [
    "{kor_officials} are hoping to promote a series of possible arms deals which would see {kor} purchase Russian "
    "military hardware in partial repayment for {rusposs} {debt} debt to {korcap}.",
    "The newspaper observed that {ruscap} has dealt near to US${arms_m} million in arms to {kor} during the past decade.",
    "{korcap} had accepted these weapons deliveries in partial repayment for {rusposs} {debt} Soviet era debt to {kor}.",
    "According to some reports, {kor} will purchase three Russian diesel-powered submarines at a price of {deal}.",
    "{rus} still owes {kor} some {debt}, a legacy of loans extended to the Soviet Union in {loan_year}.",
    "Under the plan, {rus} would deliver US${arms_m} million worth of helicopters and tanks to {kor} against the debt.",
]


@dataclass(frozen=True)
class _Pattern:
    """One row of data/event_verbs.csv, split into tokens for rendering."""

    pattern: str
    tokens: tuple[str, ...]
    code: str
    kind: str
    needs: tuple[str, ...]
    weight: float


@dataclass
class _Person:
    actor_id: str
    name: str
    country: str
    title: str  # as written before the name ("Defense Minister")
    role: str
    mentioned: bool = False

    @property
    def surname(self) -> str:
        return surname_of(self.name)


@lru_cache(maxsize=1)
def _patterns() -> tuple[_Pattern, ...]:
    rows = list(cached_csv("event_verbs.csv"))
    per_root: dict[str, int] = {}
    for r in rows:
        per_root[r["code"][:2]] = per_root.get(r["code"][:2], 0) + 1
    out = []
    for r in rows:
        needs = tuple(w for w in r["needs"].split("|") if re.fullmatch(r"[A-Za-z][\w ]*", w)) if r["needs"] else ()
        root = r["code"][:2]
        out.append(
            _Pattern(
                r["pattern"],
                tuple(re.findall(r"\[[^\]]*\]|\S+", r["pattern"])),
                r["code"],
                r.get("kind") or "verb",
                needs,
                _ROOT_WEIGHT.get(root, 0.3) / per_root[root],
            )
        )
    return tuple(out)


# Real English where the lexicon's -ed rule is wrong (it matches "confered" and "repayed", not these).
_SPELLING = {"confer": ("conferred", "conferred"), "repay": ("repaid", "repaid")}


@lru_cache(maxsize=1)
def _irregular() -> dict[str, tuple[str, str]]:
    return {**{r["lemma"]: (r["past"], r["participle"]) for r in cached_csv("irregular_verbs.csv")}, **_SPELLING}


def _past(lemma: str, participle: bool = False) -> str:
    """Past tense (or participle) by the lexicon's own rules: irregular table, else -ed with its doubling rule."""
    if " " in lemma:
        head, rest = lemma.split(" ", 1)
        return f"{_past(head, participle)} {rest}"
    if lemma in _irregular():
        return _irregular()[lemma][1 if participle else 0]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied"
    vowels = "aeiou"
    if 3 <= len(lemma) <= 4 and lemma[-1] not in vowels + "wxy" and lemma[-2] in vowels and lemma[-3] not in vowels:
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"


@lru_cache(maxsize=1)
def _states() -> dict[str, tuple[str, str, str]]:
    """The state forms the dictionary knows (a form it lacks falls back to the state's name)."""
    known = state_adjectives()
    out = {}
    for code, (name, adj, cap) in _STATE_FORMS.items():
        bare = name.removeprefix("the ")
        if bare not in known:
            continue
        out[code] = (name, adj if adj in known else bare, cap if cap in known else bare)
    return out


@lru_cache(maxsize=1)
def _agency_aliases() -> tuple[str, ...]:
    return tuple(r["alias"] for r in cached_csv("agencies.csv") if "agencies" not in r["alias"].lower())


@lru_cache(maxsize=1)
def _persons_by_country() -> dict[str, list[Actor]]:
    out: dict[str, list[Actor]] = {}
    for a in dictionary().values():
        if a.kind == "person" and a.roles:
            out.setdefault(a.country, []).append(a)
    return out


@lru_cache(maxsize=1)
def _orgs_by_country() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in dictionary().values():
        if a.kind == "organization" and a.country in _STATE_FORMS and a.name.split()[0] in ("Russian", "South", "North"):
            out.setdefault(a.country, []).append(a.name)
    return out


@lru_cache(maxsize=1)
def _dictionary_surnames() -> frozenset[str]:
    return frozenset(a.surname for a in dictionary().values() if a.kind == "person")


def _office_holders(country: str, on: date) -> list[_Person]:
    """Persons holding a dated office on the day, with the title the Monitor would give them."""
    known_titles = titles()
    out = []
    for a in _persons_by_country().get(country, []):
        for r in a.roles:
            if r.start is None or not r.holds_on(on) or r.role not in _ROLE_TITLE:
                continue
            title = _TITLE_OVERRIDES.get((country, r.role), _ROLE_TITLE[r.role])
            if title and title in known_titles:
                out.append(_Person(a.actor_id, a.name, country, title, r.role))
                break
    return out


def _invented(country: str, rng: random.Random) -> _Person | None:
    """An official the dictionary does not know, from a small fixed pool (so the actor count stays bounded)."""
    if country not in _INVENTED_TITLES:
        return None
    if country == "RUS":
        first, last = _INVENTED_RU
        name = f"{rng.choice(first)} {rng.choice(last)}"
    else:
        surnames = [r["surname"] for r in cached_csv("korean_surnames.csv")][:12]
        name = f"{rng.choice(surnames)} {rng.choice(_INVENTED_KO)}"
    if surname_of(name) in _dictionary_surnames():
        return None
    return _Person("", name, country, rng.choice(_INVENTED_TITLES[country]), "official")


def _nth_weekday(year: int, n: int) -> date:
    """The n-th weekday of the year: the day issue n of a weekday serial appeared."""
    d, count = date(year, 1, 1), 0
    while True:
        if d.weekday() < 5:
            count += 1
            if count >= n:
                return d
        d += timedelta(days=1)


def _md(d: date) -> str:
    return f"{d:%B} {d.day}"


def _poss(name: str) -> str:
    return name + ("’" if name.endswith("s") else "’s")


class _Writer:
    """Composes one article: who is in the story, when it was published, sentence by sentence."""

    def __init__(self, i: int, rng: random.Random, story: Story | None = None) -> None:
        self.i, self.rng, self.story = i, rng, story
        if story is None:
            self.volume = rng.choice(VOLUMES)
            self.year = FIRST_VOLUME_YEAR + self.volume
            self.issue = rng.randint(8, 245)
            self.published = _nth_weekday(self.year, self.issue)
            pairs, weights = zip(*_PAIRS, strict=True)
            self.x, self.y = rng.choices(pairs, weights)[0]
        else:  # one report of a shared happening: dated and cast around it
            self.published, self.lead_sentence = story.report(rng)
            self.year, self.volume, self.issue = self.published.year, 0, 0
            self.x, self.y = story.x, story.y
        self.cast: list[_Person] = []
        for country in (self.x, self.y):
            holders = _office_holders(country, self.published)
            rng.shuffle(holders)
            self.cast += holders[: rng.randint(1, 3)]
            if rng.random() < 0.4:
                extra = _invented(country, rng)
                if extra and extra.name not in {p.name for p in self.cast}:
                    self.cast.append(extra)
        self.words = 0
        self.used: set[str] = set()

    # ---- actors ------------------------------------------------------------------------------------
    def state(self, code: str, form: str = "name") -> str:
        """A state as name, adjective, capital or possessive ("Moscow’s")."""
        name, adj, cap = _states()[code]
        if form == "poss":
            return _poss(self.rng.choice([name, cap]).removeprefix("the "))
        return {"name": name, "adj": adj, "cap": cap}[form]

    def person_ref(self, p: _Person) -> str:
        """Full title and name the first time, then the surname or the office ("the Russian defense minister")."""
        adj = _states()[p.country][1]
        if not p.mentioned:
            p.mentioned = True
            return f"{adj} {p.title} {p.name}"
        r = self.rng.random()
        if p.actor_id and p.role in ("head_of_state", "foreign_minister", "defense_minister") and r < 0.3:
            return f"the {adj} {p.title.lower()}"
        if p.country in ("KOR", "PRK"):  # "Kim" alone names half of Korea: the Monitor writes "President Kim"
            return p.name if r < 0.6 else f"{p.title} {p.surname}"
        return p.surname

    def actor(self, country: str | None = None, exclude: str = "", person: bool = False) -> tuple[str, str]:
        """(phrase, country) of a participant: mostly a cast member, else the state or one of its bodies."""
        people = [p for p in self.cast if p.name != exclude and (country is None or p.country == country)]
        r = self.rng.random()
        if person and not people:
            code = country or self.x
            return f"a {self.state(code, 'adj')} {self.rng.choice(['military', 'government', 'parliamentary'])} delegation", code
        if people and (r < 0.6 or person):
            p = self.rng.choice(people)
            return self.person_ref(p), p.country
        code = country or self.rng.choice([self.x, self.y])
        orgs = _orgs_by_country().get(code, [])
        if orgs and r < 0.7:
            return "the " + self.rng.choice(orgs), code
        return self.rng.choice([self.state(code, "name"), self.state(code, "cap"), f"{self.state(code, 'adj')} officials"]), code

    def other(self, country: str) -> str:
        return self.y if country == self.x else self.x

    # ---- time --------------------------------------------------------------------------------------
    def past_date(self) -> str:
        rng, pub = self.rng, self.published
        r = rng.random()
        if r < 0.45:
            return "on " + _md(pub - timedelta(days=rng.randint(1, 20)))
        if r < 0.6:
            return rng.choice(["last week", "earlier this month", "last month"])
        if r < 0.75 and pub.month > 2:
            return "in " + date(pub.year, rng.randint(1, pub.month - 1), 1).strftime("%B")
        if r < 0.85:
            d1 = pub - timedelta(days=rng.randint(5, 25))
            d2 = d1 + timedelta(days=rng.randint(1, 3))
            return f"from {_md(d1)}-{d2.day}" if d2.month == d1.month else f"from {_md(d1)}-{_md(d2)}"
        return ""

    def future_date(self) -> str:
        rng, pub = self.rng, self.published
        r = rng.random()
        if r < 0.3:
            return "on " + _md(pub + timedelta(days=rng.randint(2, 40)))
        if r < 0.6:
            return rng.choice(["later this week", "next month", "early next year", "later this month", "next week"])
        if r < 0.8:
            d1 = pub + timedelta(days=rng.randint(3, 30))
            d2 = d1 + timedelta(days=rng.randint(1, 3))
            return f"from {_md(d1)}-{d2.day}" if d2.month == d1.month else f"from {_md(d1)}-{_md(d2)}"
        return ""

    def source_note(self) -> str:
        """'(Itar-Tass, May 17; AP, AFP, May 18)': one to three groups of outlets and dates before publication."""
        rng, groups = self.rng, []
        for _ in range(rng.randint(1, 3)):
            outlets = rng.sample(_agency_aliases(), rng.randint(1, 2))
            d = self.published - timedelta(days=rng.randint(1, 12))
            day = _md(d)
            if rng.random() < 0.25 and d.day > 1:
                day = f"{d:%B} {d.day - 1}-{d.day}"
            groups.append(", ".join([*outlets, day]))
        return " (" + "; ".join(groups) + ")"

    # ---- event phrases -----------------------------------------------------------------------------
    def pick_pattern(self, kind: str | None = None) -> _Pattern:
        pats = [p for p in _patterns() if kind is None or p.kind == kind]
        return self.rng.choices(pats, [p.weight for p in pats])[0]

    def render(self, p: _Pattern, tense: str, slots: dict[str, str], depth: int = 0) -> str:
        """The pattern's words in the tense (past | participle | base), its "..." filled, and what follows it."""
        words: list[str] = []
        for tok in p.tokens:
            if tok.startswith("@"):
                words.append(tok[1:] if tense == "base" else _past(tok[1:], participle=tense == "participle"))
            elif tok.startswith("["):
                words.append(self.rng.choice(tok[1:-1].split("|")))
            else:
                words.append(tok)
        for j, w in enumerate(words):
            if w == "...":
                nxt = words[j + 1].split()[0] if j + 1 < len(words) else ""
                words[j] = self.rng.choice(_FILLER.get(nxt, [""]))
        phrase = " ".join(w for w in words if w)
        suffix = _SUFFIX.get(p.pattern)
        last = p.tokens[-1]
        if suffix is not None and "{needs}" in suffix:
            suffix = suffix.replace("{needs}", self.rng.choice(p.needs))
        if suffix is None:
            if p.needs:
                noun = self.rng.choice(p.needs)
                det = "" if noun in _MASS or noun.endswith("s") or noun == "that" else ("an " if noun[0] in "aeiou" else "a ")
                suffix = {"05": " " + det + noun + " with {b}", "06": " " + noun + " to {b}", "16": " " + noun + " with {b}"}.get(
                    p.code[:2], " " + det + noun
                )
                if noun == "that":
                    suffix = " that {clause}"
            elif last == "that":
                suffix = " {clause}"
            elif last in _PREPOSITIONS:
                suffix = " {bcap}" if p.code in ("042", "043") else " {b}"
            else:
                suffix = " {b}"
        text = phrase + suffix
        if "{clause}" in text:
            text = text.replace("{clause}", self.clause(depth + 1) if depth < 1 else "the talks had gone well")
        if "{vp}" in text:
            text = text.replace("{vp}", self.vp(depth + 1))
        return text.format(**slots)

    def slots(self, a_country: str, b: str, b_country: str) -> dict[str, str]:
        return {
            "b": b,
            "bcap": self.state(b_country, "cap"),
            "bposs": _poss(b) if not b.startswith("the ") else self.state(b_country, "poss"),
            "badj": self.state(b_country, "adj"),
            "acap": self.state(a_country, "cap"),
            "aposs": self.state(a_country, "poss"),
            "topic": self.rng.choice(_TOPICS),
            "date": self.past_date() or "on " + _md(self.published - timedelta(days=1)),
            "arms_m": str(self.rng.choice([150, 200, 250, 300, 450, 500])),
        }

    def vp(self, depth: int) -> str:
        """A base-form verb phrase ("visit Seoul", "sign an agreement with Pyongyang") for "agreed to …"."""
        if depth > 1 or self.rng.random() < 0.35:
            return self.rng.choice(_BASE_VPS)
        a_country = self.rng.choice([self.x, self.y])
        b_country = self.other(a_country)
        b, _ = self.actor(b_country)
        return self.render(self.pick_pattern("verb"), "base", self.slots(a_country, b, b_country), depth)

    def clause(self, depth: int) -> str:
        """A reported clause: "Sergeev would visit Seoul early next year"."""
        a, a_country = self.actor()
        b_country = self.other(a_country)
        b, _ = self.actor(b_country)
        p = self.pick_pattern("verb")
        if self.rng.random() < 0.5:
            return f"{a} would {self.render(p, 'base', self.slots(a_country, b, b_country), depth)} {self.future_date()}".rstrip()
        return f"{a} had {self.render(p, 'participle', self.slots(a_country, b, b_country), depth)}"

    # ---- sentences ---------------------------------------------------------------------------------
    def event_sentence(self, lead: bool = False) -> str:
        rng = self.rng
        if lead:
            wanted = rng.choice(["@visit", "@hold talks", "@travel to", "@meet with"])
            p = next(q for q in _patterns() if q.pattern == wanted)
        else:
            p = self.pick_pattern("verb" if rng.random() < 0.85 else None)
        a, a_country = self.actor(self.x if lead else None, person=p.code in ("042", "036"))
        b_country = self.other(a_country)
        b, _ = self.actor(b_country)
        s = self.slots(a_country, b, b_country)
        if p.kind == "noun":
            return self.noun_sentence(p, a, a_country, s)
        status = rng.choices(["occurred", "planned", "reported", "denied", "unconfirmed"], [45, 25, 15, 8, 7])[0]
        plural = a.endswith(("officials", "Staff")) or a.startswith("the two")
        if status in ("occurred", "reported"):
            phrase, when = self.render(p, "past", s), self.past_date()
        elif status == "planned":
            phrase, when = self.render(p, "base", s), self.future_date()
        else:
            phrase, when = self.render(p, "base" if status == "denied" else "past", s), ""
        nested = " that " in phrase or " to " in phrase
        if status == "occurred":
            body = f"{a} {phrase}"
        elif status == "planned":
            lead_in = rng.choice(["will", "is scheduled to", "plans to", "is expected to"])
            if plural:
                lead_in = {"is scheduled to": "are scheduled to", "plans to": "plan to", "is expected to": "are expected to"}.get(
                    lead_in, lead_in
                )
            body = f"{a} {lead_in} {phrase}"
        elif status == "reported":
            body = f"{a} reportedly {phrase}" if rng.random() < 0.5 else f"according to some reports, {a} {phrase}"
        elif status == "denied":
            c, _ = self.actor(a_country, exclude=a)
            body = f"{c} denied that {a} would {phrase}" if c != a else f"{a} did not {phrase}"
        else:
            body = f"it was unclear whether {a} {phrase}"
        tail = rng.choice(_TAILS) if not nested and rng.random() < 0.45 else ""
        if when and nested and status != "reported":
            return _sentence(f"{when[0].upper()}{when[1:]}, {body}")  # "On May 16, Sergeev said that …"
        return _sentence(f"{body} {when}{tail}")

    def noun_sentence(self, p: _Pattern, a: str, a_country: str, s: dict[str, str]) -> str:
        """An act named by a noun ("Cho’s visit to Moscow", "the sale of submarines to Seoul")."""
        rng = self.rng
        if p.pattern == "purchase by":
            obj = "{b} of " + rng.choice(p.needs)
        elif p.needs:
            obj = rng.choice(p.needs) + " to {b}"
        else:
            obj = "{bcap}" if p.code in ("042", "043") else "{b}"
        frame = rng.choice(
            [
                "{owner} {noun} {obj} {date} received little coverage in the {xadj} media.",
                "Officials in {acap} said that the {noun} {obj} {date} had gone well.",
                "During the {noun} {obj} {date}, the two sides also touched on {topic}.",
            ]
        )
        owner = _poss(a) if not a.startswith(("the ", "a ")) else self.state(a_country, "poss")
        return _sentence(
            frame.format(
                owner=owner,
                noun=p.pattern,
                obj=obj.format(**s),
                date=self.past_date(),
                xadj=self.state(self.x, "adj"),
                acap=s["acap"],
                topic=s["topic"],
            )
        )

    def money_sentence(self) -> str:
        rng = self.rng
        fresh = [m for m in _MONEY if m not in self.used] or _MONEY
        chosen = rng.choice(fresh)
        self.used.add(chosen)
        return _sentence(
            chosen.format(
                kor=self.state("KOR", "name"),
                korcap=self.state("KOR", "cap"),
                rus=self.state("RUS", "name"),
                ruscap=self.state("RUS", "cap"),
                rusposs=self.state("RUS", "poss"),
                kor_officials=f"{self.state('RUS', 'adj')} officials",
                debt=f"US${rng.choice(['1.3', '1.5', '1.7', '1.8', '1.9', '2'])} billion",
                arms_m=rng.choice([150, 200, 250, 300, 450, 500]),
                deal=rng.choice(["US$1 billion", "US$650 million", "US$800 million", "US$1.2 billion", "$400 million"]),
                loan_year=rng.choice([1990, 1991]),
            )
        )

    def commentary(self) -> str:
        x, y = (self.x, self.y) if self.rng.random() < 0.5 else (self.y, self.x)
        fresh = [c for c in _COMMENTARY if c not in self.used] or _COMMENTARY
        chosen = self.rng.choice(fresh)
        self.used.add(chosen)
        return chosen.format(
            xcap=self.state(x, "cap"),
            xposs=self.state(x, "poss"),
            xadj=self.state(x, "adj"),
            ycap=self.state(y, "cap"),
            yposs=self.state(y, "poss"),
            yadj=self.state(y, "adj"),
            topic=self.rng.choice(_TOPICS),
        )

    def quote(self) -> str:
        who = f"a {self.state(self.x, 'adj')} Foreign Ministry spokesman"
        inner = self.clause(1)
        when = _md(self.published - timedelta(days=self.rng.randint(1, 12)))
        return f"“{inner[0].upper()}{inner[1:]},” {who} said on {when}."

    def paragraph(self, quota: int, first: bool) -> str:
        rng, out, n = self.rng, [], 0
        while n < quota or len(out) < 2:
            if first and not out and self.story is not None:
                s = self.lead_sentence
            elif first and not out:
                s = self.event_sentence(lead=True)
            else:
                r = rng.random()
                money_p = 0.12 if {"RUS", "KOR"} == {self.x, self.y} else 0.04
                if r < money_p:
                    s = self.money_sentence()
                elif r < money_p + 0.3:
                    s = self.commentary()
                elif r < money_p + 0.35:
                    s = self.quote()
                else:
                    s = self.event_sentence()
            out.append(s)
            n += len(s.split())
        if rng.random() < 0.75:
            last = out[-1]
            out[-1] = last[:-1] + self.source_note() + last[-1] if last.endswith(".") else last + self.source_note() + "."
        self.words += n
        return " ".join(out)

    def article(self) -> str:
        n_par = self.rng.randint(4, 7)
        target = self.rng.randint(460, 560)  # paragraphs overshoot their quota by about a sentence
        quota = max(40, target // n_par)
        paragraphs = [self.paragraph(quota, first=(k == 0)) for k in range(n_par)]
        if self.story is not None:  # another publisher's report, dated by its header
            header = (
                f"Title: {self.story.title}\nDate: {self.published.isoformat()}\n"
                f"Source: {self.rng.choice(PUBLISHERS)} ({SYNTHETIC_LABEL}, article {self.i})"
            )
            return header + "\n\n" + "\n\n".join(paragraphs) + "\n"
        header = f"Publication: Monitor Volume: {self.volume} Issue: {self.issue}\nSource: {SYNTHETIC_LABEL} (article {self.i})"
        return header + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _sentence(body: str) -> str:
    body = re.sub(r"\s+", " ", body).strip().rstrip(",")
    return body[0].upper() + body[1:] + ("" if body.endswith((".", "?", "!")) else ".")


def article_text(i: int, rng: random.Random, story: Story | None = None) -> str:
    """The text of synthetic article ``i``, every choice drawn from ``rng`` (same state → same text);
    with a ``story``, the article is one report of that shared happening."""
    return _Writer(i, rng, story).article()


PUBLISHERS = ["Harbour Daily", "East Asia Weekly", "North Wire", "Pacific Ledger", "Steppe Courier"]


@dataclass
class Story:
    """One happening told by several articles: two leaders (or ministers) meet on a day; each report
    words it its own way, dates it at its own precision (the day, "last week", the month) and comes
    from its own publisher, some before it (as a plan), most after it."""

    day: date
    x: str
    y: str
    a: _Person
    b: _Person
    place: str
    title: str

    def report(self, rng: random.Random) -> tuple[date, str]:
        """(publication date, lead sentence) of one report."""
        a = f"{_states()[self.a.country][1]} {self.a.title} {self.a.name}".strip()
        b = f"{_states()[self.b.country][1]} {self.b.title} {self.b.name}".strip()
        r = rng.random()
        if r < 0.2:  # a plan, announced weeks before
            published = self.day - timedelta(days=rng.randint(8, 40))
            when = rng.choice([f"on {_md(self.day)}", f"in {self.day:%B}"])
            return published, _sentence(f"{a} will meet {b} in {self.place} {when}")
        if r < 0.45:  # the week after: "last week"
            published = self.day + timedelta(days=7 - self.day.weekday() + rng.randint(0, 4))
            return published, _sentence(f"Last week {a} held talks with {b} in {self.place}")
        published = self.day + timedelta(days=rng.randint(1, 3))
        verb = rng.choice(["held talks with", "met with", "met"])
        return published, _sentence(f"{a} {verb} {b} in {self.place} on {_md(self.day)}")


#: Happenings follow one another about a month apart (all dyads together) from STORY_FIRST on, and
#: wrap after STORY_LAST. Why: drawn at random inside the nine Monitor years, as before, twice the
#: articles made twice the summits per year (at 400 articles some 80 Russian–South Korean meetings of
#: presidents or foreign ministers in nine years), so the reports of different happenings crowded
#: each other's date windows and a bigger corpus was also a denser one. A real corpus grows by its
#: span (and by publishers: ``reports``), not by inventing summits; the office-holders of the actor
#: dictionary cover 1992-2024.
STORY_SPACING_DAYS = 30
STORY_FIRST, STORY_LAST = date(1992, 2, 3), date(2024, 6, 28)


def _story_day(h: int, rng: random.Random) -> date:
    """The day of happening ``h``: ``h`` spacings after the first, a few days of jitter, a weekday."""
    span = (STORY_LAST - STORY_FIRST).days
    day = STORY_FIRST + timedelta(days=(h * STORY_SPACING_DAYS) % span + rng.randint(0, STORY_SPACING_DAYS // 3))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def story_of(seed: int, h: int) -> Story | None:
    """Happening ``h`` under ``seed`` (None when no office-holders are known for the day drawn)."""
    rng = random.Random(f"ruskor-happening:{seed}:{h}")
    day = _story_day(h, rng)
    pairs, weights = zip(*_PAIRS[:3], strict=True)
    x, y = rng.choices(pairs, weights)[0]
    people = []
    for country in (x, y):
        holders = [p for p in _office_holders(country, day) if p.role in ("head_of_state", "foreign_minister")]
        if not holders:
            return None
        people.append(rng.choice(holders))
    place = _states()[rng.choice([x, y])][2]
    return Story(day, x, y, people[0], people[1], place, f"{people[0].name} and {people[1].name} in {place}")


def article_rng(seed: int, i: int) -> random.Random:
    """The generator of article ``i`` under ``seed``: each article has its own, so ``generate(50)`` is a
    prefix of ``generate(5000)`` and articles can be made in any order."""
    return random.Random(f"ruskor-benchmark:{seed}:{i}")


def generate(n: int, seed: int = 1, out_dir: str | Path | None = None, start: int = 0, reports: int = 1) -> list[Path]:
    """Write articles ``start`` … ``start + n - 1`` as .txt files into ``out_dir`` (a new temp dir if None).

    With ``reports`` > 1, every block of ``reports`` consecutive articles tells one shared happening
    (:class:`Story`) in its lead sentence, each in its own words, date precision and publisher.

    Refuses any folder inside the project's ``data/`` so the benchmark can never mix synthetic text
    into the real corpus or the seed articles.
    """
    folder = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="ruskor-synthetic-"))
    resolved = folder.resolve()
    if resolved == DATA_DIR.resolve() or DATA_DIR.resolve() in resolved.parents:
        raise ValueError(f"refusing to write synthetic articles into the project's data folder ({folder})")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = folder / f"synthetic-s{seed}-{i:06d}.txt"
        story = story_of(seed, i // reports) if reports > 1 else None
        path.write_text(article_text(i, article_rng(seed, i), story), encoding="utf-8")
        paths.append(path)
    return paths
