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
    ("A -> B <- C", []),  # nor does a collider
    ("(B, C, A)", ["BCA"]),
    ("B, C, A I think", ["BCA"]),  # "I" is a word here
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
    assert contradicted("K, V, Q come from the input.", reference, "In what order are Q, K, V computed?") == (
        "K, V, Q come from the input.", reference[0], "KVQ vs QKV")
    # "order" in other senses asks for none
    for question in ("In a sequence-to-sequence Transformer, what are Q, K and V?", "Why use first-order methods on Q, K, V?",
                     "In order to scale, how are Q, K, V split?", "What is a low-rank Q, K, V factorisation?"):
        assert contradicted("K, V, Q come from the input.", reference, question) is None, question


def test_the_reverse_of_an_order_the_question_gives_no_direction_for_is_left_alone():
    reference = ["The sequence is BCA."]
    question = "Put the events A, B and C in order."
    for answer in ("From most to least: A, C, B.", "From least to most: A, C, B.", "A, C, B.", "A > C > B"):
        assert contradicted(answer, reference, question) is None, answer
    assert contradicted("C, A, B.", reference, question)[2] == "CAB vs BCA"
    # a reference that lists the order from the top, with signs in the answer
    rank = "Rank the networks A: VGG-16, B: ResNet-50, C: AlexNet by parameter count."
    assert contradicted("A > C > B: VGG-16 about 138M.", ["From the largest: A, C, B."], rank) is None


@pytest.mark.parametrize("answer", [
    "Largest first: A, C, B.",
    "From most to fewest parameters.\nA, C, B: VGG-16 has 138M.",
    "In decreasing order. A, C, B.",
    "A, C, B (from the largest to the smallest).",
    "从最大到最小：A、C、B。",
    "按参数量递减：A、C、B。",
])
def test_an_order_said_from_the_top_next_to_it_is_turned_round(answer):
    assert contradicted(answer, [REFERENCE], ASKED) is None


@pytest.mark.parametrize("answer, question", [
    # a word about something else in the sentence, or in the question, says no direction
    ("B, C, A, since the parameter count per layer is decreasing in the deeper ResNet.", ASKED),
    ("P(B) < P(C) < P(A): ResNet-50 is the smallest.", "Arrange A: VGG-16, B: ResNet-50 and C: AlexNet in order of "
     "size, and say which is the most likely to overfit and which the least."),
])
def test_direction_words_away_from_the_order_are_not_its_direction(answer, question):
    assert contradicted(answer, [REFERENCE], question) is None


@pytest.mark.parametrize("answer", [
    "B first, then C, then A: ResNet-50 is smallest. A common mistake is A, C, B, reading by depth.",
    "B, C and A. Some say A, C, B, which is wrong.",
    "The order is (B, C, A). Not A, C, B.",
    "B, C, A I think, not A, C, B.",
])
def test_an_order_quoted_to_be_turned_down_is_not_given(answer):
    assert contradicted(answer, [REFERENCE], ASKED) is None


def test_a_reference_that_quotes_a_wrong_order_does_not_accept_it():
    assert contradicted("A, C, B.", ["The order is BCA; a common mistake is ACB."], ASKED)[2] == "ACB vs BCA"


@pytest.mark.parametrize("answer, reference, question", [
    ("A stack is FILO: the first element pushed is the last popped.", "A stack is LIFO: last in, first out.",
     "In what order does a stack return its elements?"),
    ("The ISO model has seven layers.", "The OSI model has seven layers.", "List the OSI layers in order."),
])
def test_words_of_letters_the_question_does_not_name_are_no_order(answer, reference, question):
    assert contradicted(answer, [reference], question) is None


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


def test_a_bare_right_order_is_asked_for_more_not_told_it_has_not_answered(fake_resources, ordering_card):
    from interviewer.feedback import text

    r = fake_resources.grader.grade(ordering_card, "B -> C -> A")
    assert "bca" in r.covered and r.suggestion != text("empty", "en")
    assert r.suggestion.startswith("Bring in '")
    wrong = fake_resources.grader.grade(ordering_card, "Q -> R -> S")  # names nothing of the reference
    assert wrong.covered == () and wrong.suggestion == text("empty", "en")
