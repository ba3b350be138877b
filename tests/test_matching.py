"""Matching a teacher's question to the bank's card: rare words and named topics decide, and a
question that no card answers stays under the cut (its rows go to review, not to a wrong grade)."""

import pytest

from interviewer.config import MIN_MATCH_CONFIDENCE
from interviewer.matching import match_question, rarity, word_overlap


def test_a_card_asked_in_its_own_words_is_matched_with_confidence(fake_resources):
    index, topics = fake_resources.index, fake_resources.bank.topics
    card = next(c for c in fake_resources.bank.cards if c.kind == "qa")
    m = match_question(index, card.question, topics=topics)
    assert m.card.id == card.id and m.confidence >= MIN_MATCH_CONFIDENCE and m.words == 1.0


def test_nothing_to_match_gives_no_match(fake_resources):
    assert match_question(fake_resources.index, "  ", topics=fake_resources.bank.topics) is None


@pytest.mark.parametrize("question, overlap", [
    (["vanish", "gradient"], 0.25),  # only the common word: a quarter of the weight
    (["vanish"], 0.0),
    ([], 0.0),
    (["gradient", "franc"], 0.25),  # a word no bank question has weighs as the rarest (3.0)
    (["gradient", "gradient", "mae"], 1.0),  # repeats count once
])
def test_word_overlap_weighs_rare_words(question, overlap):
    weights = rarity(question, {"gradient": 1.0, "vanish": 3.0, "mae": 3.0})
    assert word_overlap(weights, {"gradient", "mae"}) == pytest.approx(overlap)


@pytest.mark.parametrize("question, topic", [
    ("What is the vanishing gradient problem?", "Gradient Explosion and Vanishing"),  # went to MAE at 0.67
    ("What does MAE reconstruct?", "Masked autoencoders (MAE)"),
    ("什么是梯度消失？", "Gradient Explosion and Vanishing"),
])
def test_questions_in_a_teachers_words_find_their_topic(resources, question, topic):
    m = match_question(resources.index, question, topics=resources.bank.topics)
    assert m.card.topic == topic and m.confidence >= MIN_MATCH_CONFIDENCE


@pytest.mark.parametrize("question", [
    "配送作业流程是什么？",  # LE question 61 (tests/fixtures/README.md): logistics, not in the bank
    "What is the capital of France?",
])
def test_questions_no_card_answers_stay_under_the_cut(resources, question):
    assert match_question(resources.index, question, topics=resources.bank.topics).confidence < MIN_MATCH_CONFIDENCE
