"""Status that does not overclaim: one table row per cue class, on sentences written for these tests.

Each row: an id, the text, the CAMEO root of the event asked about, the status it must have, and the
actors it must include. A plan must never come out as "occurred" (a must-not), so most rows are
forms of announcing, inviting, expecting, denying and cancelling. The article date is 2000-05-18.
"""

from __future__ import annotations

import pytest

from tests.helpers import run

A = "2000-05-18"

CASES = [
    ("expected-to", "Minister Oleg Volkov is expected to visit Seoul.", "04", "planned", ["oleg-volkov"]),
    ("due-to", "Minister Oleg Volkov is due to arrive in Seoul.", "04", "planned", ["oleg-volkov"]),
    ("will", "Minister Oleg Volkov will travel to Seoul.", "04", "planned", ["oleg-volkov"]),
    ("headline-to-visit", "Minister Oleg Volkov to visit Pyongyang", "04", "planned", ["oleg-volkov"]),
    ("plans", "Minister Oleg Volkov plans to meet Minister Kim Chol-su.", "04", "planned", ["oleg-volkov", "kim-chol-su"]),
    ("invited-to-visit", "Seoul invited Minister Oleg Volkov to pay a visit to the capital.", "04", "planned", ["oleg-volkov"]),
    ("invitation-itself", "Seoul invited Minister Oleg Volkov to pay a visit to the capital.", "03", "occurred", ["KOR"]),
    ("accepted-invitation", "Minister Oleg Volkov accepted an invitation to visit Tokyo.", "04", "planned", ["oleg-volkov"]),
    ("expected-weekday", "Minister Oleg Volkov is expected in Tokyo Wednesday.", "04", "planned", ["oleg-volkov"]),
    ("expected-on-weekday", "Minister Oleg Volkov arrives in Tokyo, expected Wednesday.", "04", "planned", ["oleg-volkov"]),
    ("dated-after-article", "Minister Oleg Volkov meets Minister Kim Chol-su on June 2.", "04", "planned", ["oleg-volkov", "kim-chol-su"]),
    (
        "no-indication",
        "Minister Oleg Volkov would meet Minister Kim Chol-su. There was no indication that the meeting had taken place.",
        "04",
        "unconfirmed",
        ["oleg-volkov"],
    ),
    ("denied", "Moscow denied that Minister Oleg Volkov met Minister Kim Chol-su.", "04", "denied", ["oleg-volkov"]),
    ("rejected-reports", "Seoul rejected reports that Minister Kim Chol-su met Minister Oleg Volkov.", "04", "denied", ["kim-chol-su"]),
    ("cancelled", "Minister Oleg Volkov cancelled his trip to Seoul.", "04", "denied", ["oleg-volkov"]),
    ("postponed", "Minister Oleg Volkov postponed his visit to Tokyo.", "04", "planned", ["oleg-volkov"]),
    ("yet-to", "Minister Oleg Volkov has yet to visit Tokyo.", "04", "planned", ["oleg-volkov"]),
    ("reportedly", "Minister Oleg Volkov reportedly met Minister Kim Chol-su.", "04", "reported", ["oleg-volkov"]),
    ("media-reporting", "Tokyo media are reporting that Minister Oleg Volkov arrived in Seoul.", "04", "reported", ["oleg-volkov"]),
    ("performative", "Minister Kim Chol-su said: “I would like to invite Minister Oleg Volkov.”", "03", "occurred", ["oleg-volkov"]),
    ("glad-to-meet", "Minister Kim Chol-su: I am glad to meet Minister Oleg Volkov.", "04", "occurred", ["oleg-volkov"]),
    ("continues-to", "Moscow continues to support Pyongyang.", "05", "occurred", ["RUS", "PRK"]),
    ("asserted", "Minister Oleg Volkov met Minister Kim Chol-su on May 2.", "04", "occurred", ["oleg-volkov"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_status_cue_class(case):
    _id, text, root, status, actors = case
    doc = run(text, published=A)
    found = [(e.cameo_code, e.status, e.actors, e.status_rule) for e in doc.events]
    assert any(
        e.cameo_code[:2] == root
        and e.status == status
        and all(a in e.actors or any(x == a for x in e.actors) for a in actors if not a.isupper())
        for e in doc.events
    ), found


# A cue inside a quotation does not reach the verb of the sentence that quotes it, and no plan
# in these sentences may come out as having happened.
@pytest.mark.parametrize(
    "text",
    [
        "Minister Kim Chol-su met Minister Oleg Volkov and said: “We will sign the treaty.”",
    ],
)
def test_cue_in_a_quotation_stays_in_it(text):
    doc = run(text, published=A)
    meet = [e for e in doc.events if e.cameo_code[:2] == "04"]
    sign = [e for e in doc.events if e.cameo_code[:2] == "05"]
    assert meet and all(e.status == "occurred" for e in meet), [(e.cameo_code, e.status_rule) for e in doc.events]
    assert sign and all(e.status == "planned" for e in sign)


@pytest.mark.parametrize(
    "text",
    [
        "Minister Oleg Volkov is expected to visit Seoul on May 25.",
        "Minister Oleg Volkov will hold talks with Minister Kim Chol-su next week.",
        "Seoul invited Minister Oleg Volkov to visit Seoul in June.",
        "Minister Oleg Volkov plans to travel to Tokyo, officials said.",
        "Minister Oleg Volkov to meet Minister Kim Chol-su",
    ],
)
def test_announced_visits_never_occurred(text):
    doc = run(text, published=A)
    assert not [e for e in doc.events if e.cameo_code[:2] == "04" and e.status == "occurred"], [
        (e.cameo_code, e.status, e.status_rule) for e in doc.events
    ]
