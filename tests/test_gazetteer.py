"""The country gazetteer: every ISO 3166 state by name and adjective, metonyms, historical states,
international organizations, and the names and colours charts derive from a code.
Sentences are written for these tests."""

import pycountry
import pytest

from core.domain.gazetteer import counts_as, display_name, iso_forms, states
from core.text.datafiles import cached_csv
from core.views.figures import style
from tests.helpers import run

_ROWS = {r["code"]: r for r in cached_csv("states.csv")}
# Places with no demonym of their own, or whose demonym names another state too ("Congolese",
# "Dominican", "Virgin Islander"): found by name only.
_NO_ADJECTIVE = {
    "ATA",
    "ATF",
    "BVT",
    "HMD",
    "IOT",
    "SGS",
    "UMI",
    "GGY",
    "JEY",
    "BES",
    "MAF",
    "SXM",
    "VIR",
    "DMA",
    "COD",
    "COG",
    "SJM",
    "CCK",
}


def _states_in(text: str, publication: str = "") -> dict[str, set[str]]:
    """surface text → actor ids found on it."""
    doc = run(f"Source: {publication}\n\n{text}" if publication else text, published="2010-06-01")
    out: dict[str, set[str]] = {}
    for m in doc.mentions:
        out.setdefault(m.text, set()).add(m.actor_id)
    return out


def _iso_name(country) -> str:
    """The first ISO name (common, short, official) the gazetteer keeps, else its display name."""
    dropped = set(_ROWS[country.alpha_3]["drop"].split("|"))
    for attr in ("common_name", "name", "official_name"):
        for form in iso_forms(getattr(country, attr, "") or ""):
            if form not in dropped:
                return form
    st = states()[country.alpha_3]
    return st.name if st.name in st.forms else ""


@pytest.mark.parametrize("country", list(pycountry.countries), ids=lambda c: c.alpha_3)
def test_gazetteer_every_iso_state_resolves_by_its_name(country):
    name = _iso_name(country)
    if not name:
        pytest.skip(f"{country.alpha_3}: its only name is ambiguous ({country.name}: New Jersey, Guernsey cattle)")
    found = _states_in(f"Officials from {name} arrived on Monday.")
    assert country.alpha_3 in found.get(name, set()), (name, found)


@pytest.mark.parametrize("country", [c for c in pycountry.countries if c.alpha_3 not in _NO_ADJECTIVE], ids=lambda c: c.alpha_3)
def test_gazetteer_every_iso_state_resolves_by_its_adjective(country):
    code = country.alpha_3
    adjectives = [a for a in _ROWS[code]["adjectives"].split("|") if a]
    from core.domain.actors import dictionary

    if not adjectives:  # the actor dictionary holds the main states' adjectives itself
        adjectives = [a for a in dictionary()[code].aliases if a[:1].isupper() and a.endswith(("n", "se", "sh"))][:1]
    assert adjectives, f"{code} has no adjective or demonym"
    adj = adjectives[0]
    found = _states_in(f"The {adj} delegation arrived on Monday.")
    assert code in found.get(adj, set()), (adj, found)


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("Tokyo protested at once.", "Tokyo", "JPN"),
        ("Washington and Seoul disagreed.", "Washington", "USA"),
        ("The statement from the Kremlin was short.", "the Kremlin", "RUS"),
        ("Pyongyang rejected the offer.", "Pyongyang", "PRK"),
        ("Hanoi and Vientiane signed a deal.", "Vientiane", "LAO"),
        ("Downing Street declined to comment.", "Downing Street", "GBR"),
        ("Ankara summoned the envoy.", "Ankara", "TUR"),
        ("Talks in Ulaanbaatar went on.", "Ulaanbaatar", "MNG"),
        ("Greek Cypriots voted on the plan.", "Greek Cypriots", "CYP"),
        ("the Greek-Cypriot side refused", "Greek-Cypriot", "CYP"),
        ("Hungarians went to the polls.", "Hungarians", "HUN"),
        ("Filipino workers were evacuated.", "Filipino", "PHL"),
    ],
)
def test_gazetteer_metonyms_and_demonyms(text, surface, code):
    assert code in _states_in(text).get(surface, set())


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("The Soviet Union sold arms to Seoul's neighbour.", "Soviet Union", "SUN"),
        ("The USSR recognised South Korea in 1990.", "USSR", "SUN"),
        ("Soviet diplomats left.", "Soviet", "SUN"),
        ("Yugoslavia broke apart.", "Yugoslavia", "YUG"),
        ("East Germany and North Korea signed a treaty.", "East Germany", "DDR"),
        ("West Germany paid.", "West Germany", "DEU"),
        ("Czechoslovakia split in 1993.", "Czechoslovakia", "CSK"),
        ("Zaire's ruler fled.", "Zaire", "ZAR"),
        ("Burma's junta met the envoy.", "Burma", "MMR"),
        ("Serbia and Montenegro voted.", "Serbia and Montenegro", "SCG"),
    ],
)
def test_gazetteer_historical_states(text, surface, code):
    assert code in _states_in(text).get(surface, set())


@pytest.mark.parametrize(
    ("text", "surface", "actor"),
    [
        ("The UN urged restraint.", "UN", "un"),
        ("The U.N. Security Council met.", "U.N. Security Council", "unsc"),
        ("The UNSC adopted a resolution.", "UNSC", "unsc"),
        ("The UN General Assembly voted.", "UN General Assembly", "unga"),
        ("The IAEA inspectors left.", "IAEA", "iaea"),
        ("NATO expanded east.", "NATO", "nato"),
        ("The EU imposed sanctions.", "EU", "eu"),
        ("The European Union imposed sanctions.", "European Union", "eu"),
        ("ASEAN ministers met.", "ASEAN", "asean"),
        ("The APEC summit opened.", "APEC", "apec"),
        ("The SCO summit opened.", "SCO", "sco"),
        ("The six-party talks resumed.", "six-party talks", "six-party-talks"),
        ("The Six-Party Talks resumed.", "Six-Party Talks", "six-party-talks"),
        ("The Red Cross delivered food.", "Red Cross", "icrc"),
        ("The ICRC delivered food.", "ICRC", "icrc"),
        ("The North Korean Red Cross replied.", "North Korean Red Cross", "prk-red-cross"),
    ],
)
def test_gazetteer_international_organizations(text, surface, actor):
    assert actor in _states_in(text).get(surface, set())


# A hand-written table of sentences: every state they name, and none they do not.
@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Hungarian and Greek-Cypriot diplomats met in Vienna.", {"HUN", "CYP"}),
        ("The talks between the two Koreas stalled, Beijing said.", {"KOR", "PRK", "CHN"}),
        ("An inter-Korean summit was held.", {"KOR", "PRK"}),
        ("The governor of New Jersey spoke of the Persian Gulf.", set()),
        ("Troops stayed in Congo.", set()),
        ("Kazakh and Uzbek leaders met the Vietnamese premier.", {"KAZ", "UZB", "VNM"}),
        ("Ivory Coast and Cape Verde signed with Laos.", {"CIV", "CPV", "LAO"}),
        ("The DRC and Republic of the Congo disagreed.", {"COD", "COG"}),
        ("Taiwanese and Syrian officials flew to Tehran.", {"TWN", "SYR", "IRN"}),
        ("The Korea Herald reported.", set()),
    ],
)
def test_gazetteer_sentence_table(text, codes):
    doc = run(text, published="2010-06-01")
    found = {m.actor_id for m in doc.mentions if m.actor_id.isupper() and len(m.actor_id) == 3}
    assert found == codes


@pytest.mark.parametrize(("publication", "code"), [("Korea.net", "KOR"), ("Yonhap", "KOR"), ("KCNA", "PRK")])
def test_gazetteer_bare_korea_is_the_publishers_own(publication, code):
    assert code in _states_in("Korea and Russia agreed to expand trade.", publication).get("Korea", set())


@pytest.mark.parametrize(("dateline", "code"), [("SEOUL, Oct. 10 (Yonhap) -- ", "KOR"), ("PYONGYANG, June 19 (KCNA) -- ", "PRK")])
def test_gazetteer_bare_korea_in_a_korean_agencys_dispatch(dateline, code):
    assert code in _states_in(dateline + "Korea and Russia agreed to expand trade.").get("Korea", set())


@pytest.mark.parametrize("publication", ["", "Xinhua", "President of Russia (en.kremlin.ru)"])
def test_gazetteer_bare_korea_elsewhere_is_nobodys(publication):
    assert "Korea" not in _states_in("Korea and Russia agreed to expand trade.", publication)


@pytest.mark.parametrize(
    ("code", "successor"),
    [
        ("SUN", "RUS"),
        ("sun", "RUS"),
        ("YUG", "SRB"),
        ("SCG", "SRB"),
        ("ZAR", "COD"),
        ("RUS", "RUS"),
        ("DDR", "DDR"),
        ("CSK", "CSK"),
        ("", ""),
    ],
)
def test_gazetteer_one_successor_map(code, successor):
    assert counts_as(code) == successor


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("TWN", "Taiwan"),
        ("SUN", "Soviet Union"),
        ("KOR", "South Korea"),
        ("PRK", "North Korea"),
        ("COD", "DR Congo"),
        ("VNM", "Vietnam"),
        ("HUN", "Hungary"),
        ("DDR", "East Germany"),
        ("QQQ", "QQQ"),
    ],
)
def test_gazetteer_display_names(code, name):
    assert display_name(code) == name
    assert style.country_name(code) == name
    assert style.COUNTRY_NAMES[code] == name


def test_gazetteer_every_state_has_a_stable_colour_and_the_ussr_is_not_russia():
    codes = list(states())
    colours = {c: style.country_color(c) for c in codes}
    assert colours == {c: style.country_color(c.lower()) for c in codes}  # the same for any spelling
    assert style.country_color("SUN") != style.country_color("RUS")
    assert style.UNKNOWN_COLOR not in colours.values()
    assert len(set(colours.values())) >= len(style.COUNTRY_PALETTE)  # spread over the palette
    assert style.country_color("") == style.UNKNOWN_COLOR


def test_gazetteer_iso_comma_names_read_as_running_text():
    assert iso_forms("Korea, Republic of") == ["Republic of Korea"]
    assert iso_forms("Congo, The Democratic Republic of the") == ["Democratic Republic of the Congo"]
    assert iso_forms("Virgin Islands, British") == ["British Virgin Islands"]
    assert iso_forms("Holy See (Vatican City State)") == ["Holy See"]
    assert iso_forms("Taiwan, Province of China") == []


@pytest.mark.parametrize(
    ("actor_id", "counted", "code"),
    [
        ("RUS", True, "RUS"),
        ("rus", True, "RUS"),
        ("SUN", True, "RUS"),  # the USSR counted as Russia
        ("SUN", False, "SUN"),
        ("YUG", True, "SRB"),
        ("sco", True, ""),  # the Shanghai Cooperation Organisation: three letters, no state
        ("icrc", True, ""),
        ("kim-jong-il", True, ""),
        ("", True, ""),
        ("XYZ", True, ""),
    ],
)
def test_state_code_is_a_state_only_when_the_gazetteer_knows_it(actor_id: str, counted: bool, code: str) -> None:
    from core.domain.gazetteer import state_code

    assert state_code(actor_id, counted=counted) == code
