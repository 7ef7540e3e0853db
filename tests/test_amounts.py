import pytest

from tests.helpers import iso, run


@pytest.mark.parametrize(
    ("text", "value", "category", "status"),
    [
        ("Moscow owes Seoul a US$1.8 billion debt.", 1.8e9, "debt", "occurred"),
        ("Russia's $11 billion debt to North Korea was written off.", 11e9, "debt", "occurred"),
        ("The Soviet-era debt stood at US$1.47 billion in 1991.", 1.47e9, "debt", "occurred"),
        ("Moscow delivered tanks worth US$210 million to Seoul.", 210e6, "arms_delivery", "occurred"),
        ("Moscow has supplied arms valued at 450 million dollars to Seoul.", 450e6, "arms_delivery", "occurred"),
        ("Seoul will purchase three submarines at a price of US$1billion.", 1e9, "arms_deal", "planned"),
        ("Reportedly, Seoul will buy helicopters for US$300 million.", 300e6, "arms_deal", "reported"),
        ("Seoul denied that it would buy fighters for $2.5bn.", 2.5e9, "arms_deal", "denied"),
        ("The railway project will cost $2 billion.", 2e9, "other", "planned"),
        ("Trade reached US$3,500,000 last year.", 3.5e6, "other", "occurred"),
    ],
)
def test_amounts_value_category_and_status(text, value, category, status):
    doc = run(text)
    assert len(doc.amounts) == 1, [a.raw_text for a in doc.amounts]
    (a,) = doc.amounts
    assert a.value_usd == pytest.approx(value)
    assert (a.category, a.status) == (category, status), a.rule


def test_amounts_category_comes_from_context_not_the_number():
    doc = run("Seoul accepted US$500 million of weapons deliveries in partial repayment for Moscow's US$1.8 billion debt.")
    cats = {a.value_usd: a.category for a in doc.amounts}
    assert cats == {500e6: "arms_delivery", 1.8e9: "debt"}


def test_amounts_parties_and_date_range():
    doc = run("Moscow has dealt US$500 million in arms to South Korea during the past decade.")
    (a,) = doc.amounts
    assert (a.from_actor, a.to_actor) == ("RUS", "KOR")
    assert (iso(a.as_of_date), iso(a.as_of_end)) == ("1990-05-18", "2000-05-18")


def test_amounts_debt_to_creditor():
    doc = run("Russia's US$1.8 billion Soviet era debt to South Korea remains.")
    (a,) = doc.amounts
    assert (a.from_actor, a.to_actor) == ("RUS", "KOR")


def test_amounts_share_of_a_debt_is_kept_as_a_share():
    doc = run("Moscow wrote off 90 percent of the North Korean debt in 2012.")
    shares = [a for a in doc.amounts if a.value_usd is None]
    assert shares and shares[0].category == "debt" and "90 percent" in shares[0].note


def test_amounts_inside_source_notes_are_ignored():
    doc = run("Seoul agreed (Yonhap, May 3).")
    assert doc.amounts == []


@pytest.mark.parametrize(
    ("text", "category", "status"),
    [
        # a figure dated after the article (2000-05-18) is a target or a plan, never a fact
        ("The two sides agreed to raise bilateral trade to US$10 billion by 2005.", "other", "planned"),
        ("Moscow is to deliver helicopters worth US$200 million to Seoul in 2003.", "arms_delivery", "planned"),
        ("Trade between the two countries rose to US$3 billion in 1999.", "other", "occurred"),
        # a stated debt stays a fact whatever date it is given
        ("Moscow's debt to Seoul will stand at US$1.7 billion in 2001.", "debt", "occurred"),
    ],
)
def test_amounts_dated_after_the_article_are_not_facts(text, category, status):
    (a,) = run(text).amounts
    assert (a.category, a.status) == (category, status), a.rule
