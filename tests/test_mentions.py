import pytest

from core.domain.actors import surname_of
from tests.helpers import run


def _found(text: str, published: str = "2000-05-18") -> dict[str, str]:
    doc = run(text, published=published)
    return {m.text: m.actor_id for m in doc.mentions}, doc


@pytest.mark.parametrize(
    ("text", "surface", "actor"),
    [
        ("Moscow rejected the plan.", "Moscow", "RUS"),
        ("Seoul's position hardened.", "Seoul", "KOR"),
        ("Pyongyang protested.", "Pyongyang", "PRK"),
        ("Washington disagreed.", "Washington", "USA"),
        ("The Russian side agreed.", "Russian", "RUS"),
        ("South Korean officials agreed.", "South Korean", "KOR"),
        ("North Korean plans were shelved.", "North Korean", "PRK"),
        ("a proposed U.S.-Japanese plan", "U.S.", "USA"),
        ("a proposed U.S.-Japanese plan", "Japanese", "JPN"),
        ("any Russian-South Korean arms dealings", "South Korean", "KOR"),
        ("Beijing and Tokyo watched.", "Tokyo", "JPN"),
    ],
)
def test_mentions_states_through_names_adjectives_and_capitals(text, surface, actor):
    found, _ = _found(text)
    assert found.get(surface) == actor


def test_mentions_currency_is_not_a_country():
    found, _ = _found("The debt stood at US$1.8 billion.")
    assert "US" not in found


@pytest.mark.parametrize(
    ("text", "name", "actor_id", "country"),
    [
        ("South Korean Defense Minister Cho Dong-hyun paid a visit.", "Cho Dong-hyun", "cho-dong-hyun", "KOR"),
        ("the notorious Colonel General Viktor Pronin, said on Monday", "Viktor Pronin", "viktor-pronin", ""),
        ("Russian Deputy Foreign Minister Alexei Zhukov arrived.", "Alexei Zhukov", "alexei-zhukov", "RUS"),
        ("North Korean envoy Ri Kwang-chol left.", "Ri Kwang-chol", "ri-kwang-chol", "PRK"),
        ("A deal was signed by Pak Chol-ho and others.", "Pak Chol-ho", "pak-chol-ho", ""),
    ],
)
def test_mentions_people_outside_the_dictionary(text, name, actor_id, country):
    found, doc = _found(text)
    assert found.get(name) == actor_id
    person = doc.found_actors[actor_id]
    assert person.kind == "person"
    assert person.country == country


def test_mentions_later_surnames_link_back_to_the_full_name():
    _, doc = _found("Defense Minister Cho Dong-hyun met General Viktor Pronin. Cho praised Pronin. Later the Cho-Pronin talks ended.")
    ids = [m.actor_id for m in doc.mentions if m.rule == "surname"]
    assert ids.count("cho-dong-hyun") == 2 and ids.count("viktor-pronin") == 2


def test_mentions_surname_before_any_full_name_is_not_guessed():
    _, doc = _found("Pronin arrived. Later General Viktor Pronin spoke.")
    assert [m.text for m in doc.mentions if m.actor_id == "viktor-pronin"] == ["Viktor Pronin"]


def test_mentions_names_are_not_grabbed_from_institutions():
    _, doc = _found("The General Staff and the Foreign Ministry spokesman said nothing.")
    assert not doc.found_actors


def test_mentions_offsets_point_at_the_text():
    text = "Seoul and Moscow talked; Minister Han Sang-ho said so."
    doc = run(text)
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Cho Sung-tae", "Cho"),
        ("Kim Dae-jung", "Kim"),
        ("Igor Sergeev", "Sergeev"),
        ("Leonid Ivashov", "Ivashov"),
    ],
)
def test_mentions_surname_rules(name, surname):
    assert surname_of(name) == surname


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Later Yevgeny Kornilov told reporters the talks went well.", "Yevgeny Kornilov"),
        ("Madeleine Harwood visited Seoul.", "Madeleine Harwood"),
    ],
)
def test_mentions_people_by_given_name(text, name):
    found, doc = _found(text)
    assert name in found and doc.found_actors[found[name]].kind == "person"


def test_mentions_unnamed_office_stays_with_the_state():
    # the dictionary's office-holder is not named in the article, so no person is invented
    _, doc = _found("The Russian president said nothing.", published="2005-06-01")
    assert all(m.actor_id == "RUS" for m in doc.mentions)


# Titles before names (sentences written for these tests): the person, and the country the title gives.
@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Chairman of the National Defence Commission Ro Jae-sop received the envoy.", "Ro Jae-sop", "PRK"),
        ("Russian Deputy Prime Minister Yury Trutnov visited Pyongyang.", "Yury Trutnov", "RUS"),
        ("Minister of Foreign Affairs of the Russian Federation Andrei Rudenkov spoke.", "Andrei Rudenkov", "RUS"),
        ("Foreign Minister of Japan Hiroshi Tanabe met him.", "Hiroshi Tanabe", "JPN"),
        ("Hungarian Foreign Minister Peter Szabolcs met the delegation.", "Peter Szabolcs", "HUN"),
        ("Greek-Cypriot negotiator Andreas Mavros left the room.", "Andreas Mavros", "CYP"),
        ("Kazakh President Nursultan Abenov arrived.", "Nursultan Abenov", "KAZ"),
        ("South Korean Minister of Foreign Affairs and Trade, Kim Hyun Chol, signed it.", "Kim Hyun Chol", "KOR"),
        ("Chairman of the Supreme People's Assembly Presidium Ri Ok-chan spoke.", "Ri Ok-chan", "PRK"),
        ("Indonesian Ambassador Hamid Awalud met reporters.", "Hamid Awalud", "IDN"),
    ],
)
def test_mentions_titles_give_name_and_country(text, name, country):
    doc = run(text, published="2019-05-01")
    people = {m.text: m.actor_id for m in doc.mentions if m.actor_id in doc.found_actors}
    assert name in people, [m.text for m in doc.mentions]
    assert doc.found_actors[people[name]].country == country


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The accord was signed by Kim Hyun Chol and others.", "Kim Hyun Chol"),
        ("Talks with Lee Myung Sok went well.", "Lee Myung Sok"),
        ("Officials met Choe Ryong-Hae on Tuesday.", "Choe Ryong-Hae"),
        ("Seoul\nBy Yoon Sohee\n\nThe leaders met.", "Yoon Sohee"),
        ("By Maria Petrova, Staff Writer\n\nThe leaders met.", "Maria Petrova"),
        ("The late Vadim Kabanov was a diplomat.", "Vadim Kabanov"),
    ],
)
def test_mentions_korean_names_apart_bylines_and_given_names(text, name):
    found, _ = _found(text)
    assert name in found


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [
        ("Moon To Meet Putin In Vladivostok", "Moon To Meet"),
        ("Park Avenue was closed.", "Park Avenue"),
        ("Kim Set To Visit Russia", "Kim Set To"),
        ("By The Associated Press\n\nText.", "The Associated Press"),
    ],
)
def test_mentions_headline_words_are_no_korean_name(text, not_a_name):
    found, _ = _found(text)
    assert not_a_name not in found


def test_mentions_the_title_line_of_the_header_is_read():
    found, _ = _found("Title: President Vladimir Putin met Prime Minister Lee Nak-yeon\nDate: 2018-09-12\n\nThey talked.")
    assert "Vladimir Putin" in found and "Lee Nak-yeon" in found
    assert not any("Date" in k for k in found)


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [
        ("Chief Executive Officer John Smithers resigned.", "Executive Officer John Smithers"),
        ("President Obama Prize Committee met.", "Obama Prize"),
        ("Ambassador Bridge Authority reported.", "Bridge Authority"),
        ("Secretary General Assembly Hall was full.", "Assembly Hall"),
    ],
)
def test_mentions_titles_do_not_swallow_names_of_things(text, not_a_name):
    found, _ = _found(text)
    assert not any(not_a_name in k for k in found), found


@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("PYONGYANG, June 19 (KCNA) -- Officials met Russian guests.", {"RUS"}),
        ("VLADIVOSTOK, Russia, Sept. 6 (AP) -- Seoul and Tokyo disagreed.", {"KOR", "JPN"}),
    ],
)
def test_mentions_a_datelines_place_is_no_actor(text, states):
    _found_map, doc = _found(text)
    assert {m.actor_id for m in doc.mentions if m.actor_id.isupper() and len(m.actor_id) == 3} == states


def test_mentions_header_lines_are_not_counted_twice():
    doc = run(
        "Title: Putin meets Kim Jong-il in Vladivostok\nDate: 2002-08-23\n\n"
        "Russian President Vladimir Putin met North Korean leader Kim Jong-il in Vladivostok."
    )
    spans = [(m.start, m.end, m.actor_id) for m in doc.mentions]
    assert len(spans) == len(set(spans)), spans
    assert any(m.start < doc.body_start for m in doc.mentions)  # the headline is read, once
