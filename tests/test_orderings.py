"""Orders of lettered items: read however they are written, and a wrong one is a contradiction."""

from __future__ import annotations

import pytest

from interviewer.bank import Card, Keyword, card_id
from interviewer.keywords import match_keywords
from interviewer.lexical import units
from interviewer.orderings import contradicted, from_top, joined, orders
from interviewer.scoring import Grader

ASKED = "Arrange the three networks in increasing order of parameter count: A: VGG-16, B: ResNet-50, C: AlexNet."
REFERENCE = "The order is BCA: ResNet-50 has about 25.6M parameters, AlexNet about 61M, VGG-16 about 138M."


@pytest.mark.parametrize("text, letters", [
    ("B, C, A", ["BCA"]),
    ("B -> C -> A  B is the least probable", ["BCA"]),  # the run ends where a letter comes again
    ("Order: Event B -> Event C -> Event A", ["BCA"]),
    ("least probable -> B -> C -> A -> most probable", ["BCA"]),  # an arrow is not a comparison
    ("Order: B-C-A", ["BCA"]),
    ("B → C →  A", ["BCA"]),
    ("P(B) < P(C) < P(A)", ["BCA"]),
    ("A > C > B", ["BCA"]),  # comparisons say which way: lowest first
    ("B less than C less than A", ["BCA"]),
    ("A <- C <- B", ["BCA"]),
    ("B、C、A", ["BCA"]),
    ("A, C, B", ["ACB"]),
    ("Events A, B, C are defined above", []),  # an alphabetical list of names
    ("A -> B -> C", ["ABC"]),  # ... unless arrows or signs join it
    ("H, T, H", []),  # outcomes, not an order of things
    ("A < B > C", []),  # mixed signs order nothing
    ("A, B", []),  # two letters are too few
    ("the OSI layers L1, L2 and L3", []),
    ("C, C++ and Java", []),
    ("ReLU, GELU, SiLU", []),
    ("", []),
])
def test_orders(text, letters):
    assert [o.letters for o in orders(text)] == letters


def test_an_order_is_one_unit_and_says_the_key_term():
    assert units("B -> C -> A") == units("BCA") == ("bca",)
    assert joined("First B, C, A; then more") == "First BCA; then more"
    assert match_keywords((Keyword("BCA"),), "It goes B < C < A.").covered == (Keyword("BCA"),)
    assert match_keywords((Keyword("BCA"),), "It goes A < C < B.").covered == ()


@pytest.mark.parametrize("text, top", [
    ("from most to least likely", True),
    ("in decreasing order", True),
    ("从大到小排列", True),
    ("from most to fewest parameters", True),
    ("按参数从多到少", True),
    ("从少到多", False),
    ("from least probable to most probable", False),
    ("in increasing order of likelihood", False),
    ("arrange them", None),
])
def test_from_top(text, top):
    assert from_top(text) is top


@pytest.mark.parametrize("answer, detail", [
    ("A, C, B. VGG is the smallest.", "ACB vs BCA"),
    ("The order is C -> B -> A.", "CBA vs BCA"),
    ("ACB, since VGG has the fewest layers.", "ACB vs BCA"),
    ("P(C) < P(B) < P(A)", "CBA vs BCA"),
    # right, however written
    ("B, C, A", None),
    ("A > C > B", None),
    ("From most to fewest... no: from largest to smallest: A, C, B.", None),
    ("B is smallest. Some write A, C, B, but the order is B, C, A.", None),  # the right order said too
    ("ResNet-50 has the fewest parameters.", None),  # no order given
])
def test_a_wrong_order_contradicts(answer, detail):
    found = contradicted(answer, [REFERENCE], ASKED)
    assert (found[2] if found else None) == detail


def test_only_a_question_that_asks_for_an_order_is_read_for_one():
    reference = ["Q, K, V are three projections of the same sequence."]
    assert contradicted("V, K, Q come from the input.", reference, "What are Q, K and V in self-attention?") is None
    assert contradicted("V, K, Q come from the input.", reference, "In what order are Q, K, V computed?") == (
        "V, K, Q come from the input.", reference[0], "VKQ vs QKV")


def test_the_reverse_of_an_order_the_question_gives_no_direction_for_is_left_alone():
    reference = ["The sequence is BCA."]
    assert contradicted("From most to least: A, C, B.", reference, "Put the events in order.") is None
    assert contradicted("From least to most: A, C, B.", reference, "Put the events in order.") is None
    assert contradicted("A, C, B.", reference, "Put the events in order.")[2] == "ACB vs BCA"


@pytest.fixture(scope="module")
def ordering_card():
    return Card(card_id("custom", "qa", REFERENCE), "custom", "custom", "qa", ASKED, REFERENCE, (), "en")


def test_a_wrong_order_is_capped_and_said(fake_resources, ordering_card):
    grader: Grader = fake_resources.grader
    wrong = grader.grade(ordering_card, "A, C, B: VGG-16 about 138M parameters, AlexNet about 61M, ResNet-50 about 25.6M.")
    assert wrong.band <= 1 and [c.kind for c in wrong.contradictions] == ["order"]
    assert "the order differs from the reference's (ACB vs BCA)" in wrong.suggestion + " ".join(wrong.notices)
    right = grader.grade(ordering_card, "B, C, A: ResNet-50 about 25.6M parameters, AlexNet about 61M, VGG-16 about 138M.")
    assert right.contradictions == () and right.score > wrong.score


def test_an_order_alone_is_an_answer_not_symbols(fake_resources, ordering_card):
    r = fake_resources.grader.grade(ordering_card, "B -> C -> A")
    assert r.score > 0 and "symbols" not in " ".join(r.notices)
