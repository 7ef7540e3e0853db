"""How real texts are written: headlines, lists of documents signed, quotations, "the two leaders",
passive agents and transcripts. Sentences written for these tests (article date 2000-05-18)."""

from __future__ import annotations

from tests.helpers import run

A = "2000-05-18"


def _events(text: str, root: str):
    doc = run(text, published=A)
    return doc, [e for e in doc.events if e.cameo_code[:2] == root]


def test_headline_is_read_as_the_first_sentence():
    text = "Title: Minister Ivan Petrov met with Minister Kim Chol-su\nDate: 2000-05-18\n\nThey discussed fisheries.\n"
    doc, meetings = _events(text, "04")
    assert any({"ivan-petrov", "kim-chol-su"} <= set(e.actors) for e in meetings), [e.actors for e in doc.events]
    assert any(m.actor_id == "ivan-petrov" for m in doc.mentions)


def test_headline_announcing_a_meeting_is_planned():
    text = "Title: Minister Ivan Petrov will meet with Minister Kim Chol-su on June 2\nDate: 2000-05-18\n\nThe date was set.\n"
    _doc, meetings = _events(text, "04")
    assert meetings and all(e.status == "planned" for e in meetings)


def test_each_document_of_a_list_is_an_agreement():
    text = (
        "Minister Ivan Petrov held talks with Minister Kim Chol-su in Seoul on May 12. The following documents "
        "were signed:\n\nAgreement between the Government of the Russian Federation and the Government of the "
        "Republic of Korea on fisheries.\n\nMemorandum between Moscow and Seoul on railway cooperation.\n\n"
        "The ministers then held a press conference."
    )
    doc, signed = _events(text, "05")
    assert len(signed) == 2, [(e.cameo_code, e.type_rule) for e in doc.events]
    assert all({"RUS", "KOR"} <= set(e.actors) and e.start_date.isoformat() == "2000-05-12" for e in signed)


def test_we_in_a_quotation_is_its_speaker():
    _doc, intents = _events("Minister Kim Chol-su said: “We are ready to cooperate with Moscow.”", "03")
    assert intents and intents[0].source_actor == "kim-chol-su"


def test_the_two_leaders_are_the_persons_of_the_meeting():
    text = "Minister Ivan Petrov met Minister Kim Chol-su on May 2. The two leaders discussed the railway."
    doc, talks = _events(text, "04")
    discussed = [e for e in talks if e.sentence == 1 or 1 in e.also_sentences]  # (merged with the meeting)
    assert discussed and set(discussed[0].actors) >= {"ivan-petrov", "kim-chol-su"}, [e.actors for e in doc.events]


def test_passive_agents_are_the_signers():
    _doc, signed = _events("The treaty was signed by Minister Ivan Petrov and Minister Kim Chol-su.", "05")
    assert signed and signed[0].source_actor == "ivan-petrov" and "kim-chol-su" in signed[0].actors


def test_transcript_speaker_says_i_and_addresses_you():
    text = "Minister Ivan Petrov: Colleagues, welcome.\n\nMinister Kim Chol-su: Thank you.\n\nI would like to invite you to visit Seoul."
    doc, invites = _events(text, "03")
    assert invites and invites[0].source_actor == "kim-chol-su" and invites[0].target_actor == "ivan-petrov", [
        (e.cameo_code, e.source_actor, e.target_actor, e.status) for e in doc.events
    ]
    assert invites[0].status == "occurred"
