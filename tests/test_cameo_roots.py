"""Every CAMEO root, five or more sentences each, written for these tests (not taken from any article).

Each case: an id, the text, the CAMEO root one extracted event must have, its status and the actors
it must include (ids; a state code also matches a person of that country). The cases hold asserted,
negated ("did not", "will not") and intended ("will", "plans to") forms, so a lexicon row that stops
matching, or a cue that stops reaching it, fails here. The article date is 2000-05-18.
"""

from __future__ import annotations

import pytest

from core.domain.actors import dictionary
from core.domain.lexicon import triggers
from tests.helpers import run

A = "2000-05-18"

CASES = [
    # 01 make a public statement
    ("01-underline", "Moscow underlined its position on the railway project.", "01", "occurred", ["RUS"]),
    ("01-reiterate", "Seoul reiterated that the border would stay open.", "01", "occurred", ["KOR"]),
    ("01-send-message", "Tokyo sent a message of greetings to Beijing.", "01", "occurred", ["JPN", "CHN"]),
    ("01-condolences", "Moscow expressed its condolences to Seoul over the ferry disaster.", "01", "occurred", ["RUS", "KOR"]),
    ("01-will-speak", "Minister Ivan Petrov will hold a press conference in Seoul.", "01", "planned", ["ivan-petrov"]),
    ("01-decline-comment", "Pyongyang declined to comment on the border incident.", "01", "occurred", ["PRK"]),
    ("01-not-announce", "Beijing did not announce the decision.", "01", "denied", ["CHN"]),
    # 02 appeal
    ("02-call-for", "Seoul called for calm on the peninsula.", "02", "occurred", ["KOR"]),
    ("02-request", "Pyongyang requested fuel from Moscow.", "02", "occurred", ["PRK", "RUS"]),
    ("02-seek-aid", "Pyongyang is seeking food aid from Beijing.", "02", "occurred", ["PRK", "CHN"]),
    ("02-urge-planned", "Tokyo will urge Pyongyang to return to the talks.", "02", "planned", ["JPN", "PRK"]),
    ("02-not-ask", "Seoul did not ask Washington for support.", "02", "denied", ["KOR", "USA"]),
    # 03 express intent to cooperate
    ("03-pledged-to", "Moscow pledged to help Pyongyang rebuild its power plants.", "03", "occurred", ["RUS", "PRK"]),
    ("03-vowed-to", "Seoul vowed to deepen its ties with Moscow.", "03", "occurred", ["KOR", "RUS"]),
    ("03-is-ready-to", "Moscow is ready to mediate between Seoul and Pyongyang.", "03", "occurred", ["RUS"]),
    ("03-readiness", "Minister Ivan Petrov reaffirmed his readiness to work with Tokyo.", "03", "occurred", ["ivan-petrov"]),
    ("03-intend", "Moscow and Seoul intend to hold joint investment forums.", "03", "occurred", ["RUS", "KOR"]),
    ("03-will-not-promise", "Beijing will not promise Pyongyang new loans.", "03", "denied", ["CHN", "PRK"]),
    # 04 consult
    (
        "04-telephone",
        "Minister Ivan Petrov had a telephone conversation with Minister Kim Chol-su.",
        "04",
        "occurred",
        ["ivan-petrov", "kim-chol-su"],
    ),
    (
        "04-talk-by-phone",
        "Minister Ivan Petrov talked by telephone with Minister Kim Chol-su on May 3.",
        "04",
        "occurred",
        ["ivan-petrov", "kim-chol-su"],
    ),
    ("04-exchange-views", "Moscow and Tokyo exchanged views on the fisheries dispute.", "04", "occurred", ["RUS", "JPN"]),
    ("04-expected-wednesday", "Minister Oleg Volkov is expected in Seoul on Wednesday.", "04", "planned", ["oleg-volkov"]),
    ("04-invited-to-visit", "Seoul invited Minister Oleg Volkov to visit the capital.", "04", "planned", ["oleg-volkov"]),
    ("04-headline-to-visit", "Minister Oleg Volkov to visit Seoul.", "04", "planned", ["oleg-volkov", "KOR"]),
    ("04-cancelled", "Minister Oleg Volkov cancelled his visit to Seoul.", "04", "denied", ["oleg-volkov", "KOR"]),
    ("04-came-to-place", "Minister Oleg Volkov came to Vladivostok on May 2.", "04", "occurred", ["oleg-volkov"]),
    # 05 diplomatic cooperation
    ("05-congratulate", "Moscow congratulated Seoul on the successful election.", "05", "occurred", ["RUS", "KOR"]),
    ("05-praise", "Tokyo praised Beijing for its restraint.", "05", "occurred", ["JPN", "CHN"]),
    (
        "05-signed-by",
        "The agreement was signed by Minister Ivan Petrov and Minister Kim Chol-su.",
        "05",
        "occurred",
        ["ivan-petrov", "kim-chol-su"],
    ),
    ("05-will-sign", "Moscow and Pyongyang will sign a new treaty in July.", "05", "planned", ["RUS", "PRK"]),
    ("05-never-recognize", "Seoul would never recognize the new government in Pyongyang.", "05", "denied", ["KOR"]),
    ("05-apologize", "Tokyo apologized to Seoul for the remarks.", "05", "occurred", ["JPN", "KOR"]),
    # 06 material cooperation
    ("06-cooperate", "Moscow and Seoul cooperate in shipbuilding.", "06", "occurred", ["RUS", "KOR"]),
    ("06-extradite", "Beijing extradited the suspect to Seoul.", "06", "occurred", ["CHN", "KOR"]),
    ("06-share-intelligence", "Tokyo shared intelligence with Seoul on the missile launch.", "06", "occurred", ["JPN", "KOR"]),
    ("06-invest-planned", "Seoul plans to invest in Moscow's gas fields.", "06", "planned", ["KOR", "RUS"]),
    ("06-not-supply", "Moscow did not supply weapons to Pyongyang.", "06", "denied", ["RUS", "PRK"]),
    # 07 provide aid
    ("07-donate", "Seoul donated rice to Pyongyang.", "07", "occurred", ["KOR", "PRK"]),
    ("07-humanitarian", "Beijing sent humanitarian supplies to Pyongyang after the floods.", "07", "occurred", ["CHN", "PRK"]),
    ("07-grant-loan", "Tokyo granted a loan to Seoul.", "07", "occurred", ["JPN", "KOR"]),
    ("07-will-provide", "Moscow will provide food to Pyongyang next month.", "07", "planned", ["RUS", "PRK"]),
    ("07-never-give", "Washington would never give aid to Pyongyang.", "07", "denied", ["USA", "PRK"]),
    # 08 yield
    ("08-release", "Pyongyang released the detained fishermen to Seoul.", "08", "occurred", ["PRK"]),
    ("08-withdraw", "Moscow withdrew its troops from the border.", "08", "occurred", ["RUS"]),
    ("08-lift-sanctions", "Washington lifted sanctions on Pyongyang.", "08", "occurred", ["USA", "PRK"]),
    ("08-ease-planned", "Tokyo plans to ease restrictions on Moscow.", "08", "planned", ["JPN", "RUS"]),
    ("08-not-allow", "Pyongyang did not allow inspectors into the plant.", "08", "denied", ["PRK"]),
    # 09 investigate
    ("09-investigate", "Seoul investigated the sinking of the ferry.", "09", "occurred", ["KOR"]),
    ("09-probe", "Tokyo probed the collision near the islands.", "09", "occurred", ["JPN"]),
    ("09-inquiry", "Moscow launched an inquiry into the crash.", "09", "occurred", ["RUS"]),
    ("09-will-investigate", "Beijing will investigate the border shooting.", "09", "planned", ["CHN"]),
    ("09-not-investigate", "Pyongyang did not investigate the incident.", "09", "denied", ["PRK"]),
    # 10 demand
    ("10-demand", "Seoul demanded an explanation from Pyongyang.", "10", "occurred", ["KOR", "PRK"]),
    ("10-demand-release", "Tokyo demanded the release of its citizens from Pyongyang.", "10", "occurred", ["JPN", "PRK"]),
    ("10-insist-on", "Moscow insisted on a full account from Tokyo.", "10", "occurred", ["RUS", "JPN"]),
    ("10-will-demand", "Washington will demand compensation from Beijing.", "10", "planned", ["USA", "CHN"]),
    ("10-not-demand", "Seoul did not demand an apology from Tokyo.", "10", "denied", ["KOR", "JPN"]),
    # 11 disapprove
    ("11-criticize", "Moscow criticized Tokyo for the military buildup.", "11", "occurred", ["RUS", "JPN"]),
    ("11-condemn", "Seoul condemned the missile launch by Pyongyang.", "11", "occurred", ["KOR", "PRK"]),
    ("11-accuse", "Pyongyang accused Washington of espionage.", "11", "occurred", ["PRK", "USA"]),
    ("11-complain", "Beijing complained to Seoul about the fishing boats.", "11", "occurred", ["CHN", "KOR"]),
    ("11-concerned", "Moscow is concerned about the tension on the peninsula.", "11", "occurred", ["RUS"]),
    ("11-not-criticize", "Tokyo did not criticize Seoul.", "11", "denied", ["JPN", "KOR"]),
    # 12 reject
    ("12-reject", "Pyongyang rejected the proposal from Seoul.", "12", "occurred", ["PRK", "KOR"]),
    ("12-turn-down", "Moscow turned down the offer from Tokyo.", "12", "occurred", ["RUS", "JPN"]),
    ("12-refuse", "Beijing refused the request from Washington.", "12", "occurred", ["CHN", "USA"]),
    ("12-veto", "Moscow vetoed the resolution on Pyongyang.", "12", "occurred", ["RUS"]),
    ("12-will-reject", "Seoul will reject the demands from Pyongyang.", "12", "planned", ["KOR", "PRK"]),
    # 13 threaten
    ("13-warn", "Washington warned Pyongyang against a nuclear test.", "13", "occurred", ["USA", "PRK"]),
    ("13-threaten", "Pyongyang threatened Seoul with retaliation.", "13", "occurred", ["PRK", "KOR"]),
    ("13-ultimatum", "Moscow issued an ultimatum to Tokyo.", "13", "occurred", ["RUS", "JPN"]),
    ("13-threaten-sanctions", "Washington threatened sanctions against Beijing.", "13", "occurred", ["USA", "CHN"]),
    ("13-not-threaten", "Seoul did not threaten Pyongyang.", "13", "denied", ["KOR", "PRK"]),
    # 14 protest
    ("14-demonstrate", "Students in Seoul demonstrated against the visit of Minister Oleg Volkov.", "14", "occurred", ["KOR"]),
    ("14-rally", "Veterans in Tokyo rallied outside the Russian embassy.", "14", "occurred", ["JPN"]),
    ("14-hold-protests", "Moscow residents held protests against the treaty with Tokyo.", "14", "occurred", ["RUS"]),
    ("14-hunger-strike", "Minister Park Sung-ho went on hunger strike in Seoul.", "14", "occurred", ["park-sung-ho"]),
    ("14-will-boycott", "Seoul will boycott the games in Pyongyang.", "14", "planned", ["KOR", "PRK"]),
    # 15 exhibit force posture
    ("15-deploy", "Moscow deployed missiles near the border with Beijing.", "15", "occurred", ["RUS"]),
    ("15-mobilize", "Pyongyang mobilized its reserves on May 4.", "15", "occurred", ["PRK"]),
    ("15-exercises", "Seoul and Washington conducted joint exercises in the Yellow Sea.", "15", "occurred", ["KOR", "USA"]),
    ("15-test-fire", "Pyongyang test-fired a ballistic missile over Tokyo.", "15", "occurred", ["PRK"]),
    ("15-launch-planned", "Pyongyang plans to launch a satellite in June.", "15", "planned", ["PRK"]),
    ("15-not-launch", "Pyongyang did not launch the missile.", "15", "denied", ["PRK"]),
    # 16 reduce relations
    ("16-expel", "Moscow expelled two diplomats from Seoul.", "16", "occurred", ["RUS"]),
    ("16-recall", "Tokyo recalled its ambassador from Seoul.", "16", "occurred", ["JPN"]),
    ("16-cut-ties", "Seoul cut ties with Pyongyang.", "16", "occurred", ["KOR", "PRK"]),
    ("16-suspend", "Moscow suspended talks with Tokyo.", "16", "occurred", ["RUS", "JPN"]),
    ("16-postpone", "Beijing postponed the summit with Seoul.", "16", "occurred", ["CHN", "KOR"]),
    ("16-will-cancel", "Washington will cancel the meeting with Pyongyang.", "16", "planned", ["USA", "PRK"]),
    # 17 coerce
    ("17-arrest", "Moscow arrested a diplomat from Seoul.", "17", "occurred", ["RUS"]),
    ("17-detain", "Pyongyang detained a fishing crew from Tokyo.", "17", "occurred", ["PRK"]),
    ("17-seize", "Tokyo seized a cargo ship from Pyongyang.", "17", "occurred", ["JPN"]),
    ("17-ban", "Beijing banned imports from Seoul.", "17", "occurred", ["CHN"]),
    ("17-charge", "Seoul charged the captain with smuggling.", "17", "occurred", ["KOR"]),
    ("17-will-deport", "Tokyo will deport the smugglers to Pyongyang.", "17", "planned", ["JPN"]),
    # 18 assault
    ("18-abduct", "Pyongyang abducted citizens of Tokyo.", "18", "occurred", ["PRK", "JPN"]),
    ("18-kidnap", "Gunmen in Moscow kidnapped Minister Park Sung-ho.", "18", "occurred", ["park-sung-ho"]),
    ("18-assassinate", "Agents of Pyongyang assassinated Minister Park Sung-ho.", "18", "occurred", ["park-sung-ho"]),
    ("18-torture", "Beijing tortured the detained activists.", "18", "occurred", ["CHN"]),
    ("18-not-assault", "Moscow did not assault the protesters.", "18", "denied", ["RUS"]),
    # 19 fight
    ("19-attack", "Pyongyang attacked Seoul on May 2.", "19", "occurred", ["PRK", "KOR"]),
    ("19-shell", "Pyongyang shelled an island held by Seoul.", "19", "occurred", ["PRK"]),
    ("19-clash", "Moscow clashed with Tokyo over the islands.", "19", "occurred", ["RUS", "JPN"]),
    ("19-occupy", "Moscow occupied the islands claimed by Tokyo.", "19", "occurred", ["RUS"]),
    ("19-invade-threat", "Pyongyang will never invade Seoul.", "19", "denied", ["PRK", "KOR"]),
    # 20 unconventional mass violence
    ("20-massacre", "Troops of Pyongyang massacred villagers near Seoul.", "20", "occurred", ["PRK"]),
    ("20-chemical", "Pyongyang used chemical weapons against Seoul.", "20", "occurred", ["PRK", "KOR"]),
    ("20-ethnic-cleansing", "Moscow accused Tokyo of ethnic cleansing on the islands.", "20", "occurred", ["RUS", "JPN"]),
    ("20-genocide", "Beijing committed genocide against the villagers.", "20", "occurred", ["CHN"]),
    ("20-expel-population", "Pyongyang expelled the civilians from the border zone near Seoul.", "20", "occurred", ["PRK"]),
]


def _has(case_actors: list[str], actors: list[str], doc) -> bool:
    countries = set()
    for a in actors:
        d = dictionary().get(a)
        countries.add(d.country if d else (doc.found_actors[a].country if a in doc.found_actors else ""))
    return all(w in actors or (len(w) == 3 and w.isupper() and w in countries) for w in case_actors)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_cameo_root_case(case):
    _id, text, root, status, actors = case
    doc = run(text, published=A)
    found = [(e.cameo_code, e.status, e.actors, e.type_rule, e.status_rule) for e in doc.events]
    assert any(e.cameo_code[:2] == root and e.status == status and _has(actors, e.actors, doc) for e in doc.events), (
        f"{text!r}: no {root}/{status} event with {actors} in {found}"
    )


def test_every_root_has_five_cases_and_lexicon_rows():
    roots = [f"{i:02d}" for i in range(1, 21)]
    for root in roots:
        assert sum(c[2] == root for c in CASES) >= 5, root
        assert any(t.code.startswith(root) for t in triggers()), root


# Words that look like triggers but are not acts: each row says which root must not appear.
@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("Minister Oleg Volkov came to power in 1998.", "04"),  # "come to" needs a place, not "power"
        ("Seoul will seize the opportunity to talk.", "17"),  # "seize" needs something seized
        ("The statement was released by Tokyo on May 2.", "08"),  # a statement released frees nobody
        ("Pyongyang released Kim Jong-il's statement on May 2.", "08"),  # nor does a person's statement
        ("UN Secretary-General Ban Ki-moon visited Seoul on May 2.", "17"),  # a name, not "ban"
        ("Minister Ivan Petrov recalled that the ambassador had left Seoul.", "16"),  # remembering
        ("Minister Ivan Petrov came under fire on Monday.", "19"),  # criticism, no shots
        ("The minister took charge of relations with Seoul.", "17"),  # no charges pressed
        ("Moscow attacked the plan of Tokyo in a statement.", "19"),  # words, not force
    ],
)
def test_general_constraints_keep_acts_out(text, root):
    doc = run(text, published=A)
    assert not any(e.cameo_code[:2] == root for e in doc.events), [(e.cameo_code, e.type_rule) for e in doc.events]
