"""A teacher's reference that accepts any one of several answers becomes one reference per answer."""

from __future__ import annotations

import pytest

from interviewer.references import alternatives

COIN = ("The correct sequence is BCA. One of the following justifications should be given:\n"
        "\t● B is a special case of C, and C of A\n"
        "\t● B is stricter than C\n"
        "\t● A calculation:\n"
        "\t\t○ P(B) = 0.014\n"
        "\t\t○ P(C) = 0.276")


@pytest.mark.parametrize("text, expected", [
    (COIN, ["The correct sequence is BCA. B is a special case of C, and C of A",
            "The correct sequence is BCA. B is stricter than C",
            "The correct sequence is BCA. A calculation:\n\t\t○ P(B) = 0.014\n\t\t○ P(C) = 0.276"]),
    # what follows the list belongs to every alternative
    ("Headers sit between header and payload.\nMain advantage: one of the following is fully correct:\n"
     "1. new options without changing the header.\n2. faster processing by routers.\nThey are optional.",
     ["Headers sit between header and payload.\nMain advantage: new options without changing the header. "
      "They are optional.",
      "Headers sit between header and payload.\nMain advantage: faster processing by routers. They are optional."]),
    ("配送的作用。答出以下任一点即可：\n- 降低成本\n- 提高服务水平", ["配送的作用。 降低成本", "配送的作用。 提高服务水平"]),
    ("One of the following is enough:\n- only one item", []),  # a list of one offers no choice
    ("Each one of the following must be given:\n- B is stricter\n- C is wider", []),  # all of them, no choice
    # a sub-list with the same marker, deeper, stays with its item; an indented line at the items'
    # depth without a marker ends the list; "1.1" and "2.5%" start no item
    ("Order BCA. One of the following:\n- B is a special case of C\n  - because B implies C\n- B is stricter\n"
     "1.1 is not an item\n2.5% is no item either",
     ["Order BCA. B is a special case of C\n  - because B implies C 1.1 is not an item\n2.5% is no item either",
      "Order BCA. B is stricter 1.1 is not an item\n2.5% is no item either"]),
    ("Order BCA. One of the following:\n\t● B is a special case of C\n\t\t○ B implies C\n\t● B is stricter\n"
     "\tRounding to 2 places is fine.",
     ["Order BCA. B is a special case of C\n\t\t○ B implies C Rounding to 2 places is fine.",
      "Order BCA. B is stricter Rounding to 2 places is fine."]),
    ("A. One of the following:\r\n- x is one\r\n- y is two", ["A. x is one", "A. y is two"]),
    ("Diameter decreases by a factor of 10.", []),
    ("One of the following:\n" + "- an item\n" * 13, []),  # more than MAX_ALTERNATIVES: one reference
    ("Name any of the following: TCP, UDP", []),  # no list under it
    ("", []),
])
def test_alternatives(text, expected):
    assert alternatives(text) == expected


def test_an_answer_giving_one_alternative_is_measured_against_that_one(fake_resources):
    from interviewer.bank import Card

    card = Card("adhoc-coin", "custom", "custom", "qa", "Order the events A, B, C by likelihood and justify it.", COIN)
    refs = fake_resources.grader.reference(card)
    assert [r.kind for r in refs.references] == ["answer", "alternative", "alternative", "alternative"]
    answer = "BCA: B is stricter than C, so it is less likely."
    result = fake_resources.grader.grade(card, answer)
    whole = Card("adhoc-coin-2", "custom", "custom", "qa", card.question, COIN.replace("One of the following", "All"))
    assert result.signals.recall_capped > fake_resources.grader.grade(whole, answer).signals.recall_capped


def test_an_answer_taking_one_alternative_is_not_asked_for_the_others_terms(fake_resources):
    from interviewer.bank import Card

    card = Card("adhoc-coin-3", "custom", "custom", "qa", "Order the events A, B, C by likelihood and justify it.", COIN)
    refs = fake_resources.grader.reference(card)
    calculation = refs.references[3].text
    result = fake_resources.grader.grade(card, "B, then C, then A: P(B) = 0.014 and P(C) = 0.276.")
    every = {k.name for k in refs.keywords}
    asked = {k.name for k in refs.keywords_in(refs.references[3])}
    assert every - asked  # the other alternatives have terms of their own ...
    assert {m.term for m in result.missed} <= asked  # ... which this answer is not asked for
    assert all(m.sentence in calculation or m.sentence in COIN.split("One")[0] for m in result.missed)


@pytest.mark.parametrize("word", ["correct", "following", "given", "should"])
def test_a_teachers_grading_words_are_never_key_terms(fake_resources, word):
    from interviewer.bank import Card

    card = Card("adhoc-coin-4", "custom", "custom", "qa", "Order the events and justify it.",
                "A correct answer is BCA. One of the following should be given:\n- B is a subset of C\n- a correct calculation")
    assert all(word not in k.name.split() for k in fake_resources.grader.reference(card).keywords)
