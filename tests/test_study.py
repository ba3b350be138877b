"""Study: passages for a question, both sides of a comparison, and nothing for what the
notes do not cover (the relevance floor)."""

import pytest

from interviewer.bank import Card
from interviewer.index import Hit
from interviewer.study import RELEVANCE_FLOOR, one_per_twin, sides, study_hits


@pytest.mark.parametrize("query, pair", [
    ("difference between Faster R-CNN and R-FCN", ("Faster R-CNN", "R-FCN")),
    ("What are the differences between BatchNorm and LayerNorm?", ("BatchNorm", "LayerNorm")),
    ("Adam versus SGD", ("Adam", "SGD")),
    ("compare ResNet with VGG", ("ResNet", "VGG")),
    ("Faster R-CNN 与 R-FCN 的区别", ("Faster R-CNN", "R-FCN")),
    ("BN和LN有什么不同", ("BN", "LN")),
    ("why does adam need bias correction", None),
    ("precision and recall", None),  # a pair, but not asked as a comparison
])
def test_comparisons_are_recognised(query, pair):
    assert sides(query) == pair


@pytest.mark.parametrize("query, topics", [
    ("difference between Faster R-CNN and R-FCN", {"Faster R-CNN", "R-FCN"}),
    ("SGD vs Adam", {"SGD", "Adam"}),
    ("批归一化和层归一化的区别", {"BatchNorm", "LayerNorm"}),
])
def test_a_comparison_brings_both_sides(corpus_index, query, topics):
    hits = study_hits(corpus_index, query, 4)
    assert topics <= {h.card.topic for h in hits}, [(h.card.topic, round(h.score, 2)) for h in hits]


@pytest.mark.parametrize("query", ["the weather in Paris tomorrow", "football world cup winner",
                                   "how to bake sourdough bread", "股票市场怎么投资"])
def test_what_the_notes_do_not_cover_finds_nothing(corpus_index, query):
    assert study_hits(corpus_index, query, 3) == []
    assert all(h.score < RELEVANCE_FLOOR for h in corpus_index.search(query, k=3, kinds=("qa", "point")))


@pytest.mark.parametrize("query, topic", [("batch norm at inference", "BatchNorm"),
                                          ("深度可分离卷积的计算量", "MobileNet"), ("dropout", "Dropout")])
def test_covered_questions_still_find_their_passages(corpus_index, query, topic):
    hits = study_hits(corpus_index, query, 3)
    assert hits and hits[0].card.topic == topic


@pytest.mark.parametrize("query", ["dropout at test time", "测试时的 dropout", "difference between BN and LN"])
def test_a_passage_and_its_translation_count_once(corpus_index, query):
    hits = study_hits(corpus_index, query, 5)
    keys = [(h.card.topic, h.card.pair) for h in hits if h.card.pair]
    assert len(keys) == len(set(keys)) and len(hits) >= 4, [(h.card.id, h.card.lang) for h in hits]


def card(cid, lang, pair="", topic="Dropout"):
    return Card(cid, topic, "area", "qa", f"q {cid}", f"a {cid}", (), lang, pair=pair)


def test_the_query_language_twin_takes_the_better_rank():
    zh, en, other, point = card("d-zh", "zh", "p1"), card("d-en", "en", "p1"), card("x-en", "en", "p2"), card("pt", "en")
    hits = [Hit(zh, 0.9, 0), Hit(other, 0.8, 1), Hit(en, 0.7, 2), Hit(point, 0.6, 3)]
    assert [(h.card.id, h.score) for h in one_per_twin(hits, "en")] == [("d-en", 0.9), ("x-en", 0.8), ("pt", 0.6)]
    assert [h.card.id for h in one_per_twin(hits, "zh")] == ["d-zh", "x-en", "pt"]


def test_the_same_pair_name_in_another_topic_is_another_passage():
    a, b = card("a", "en", "p1", topic="Dropout"), card("b", "zh", "p1", topic="BatchNorm")
    assert len(one_per_twin([Hit(a, 0.9, 0), Hit(b, 0.8, 1)], "en")) == 2


def test_one_passage_found_by_both_sides_of_a_comparison_shows_once():
    a = card("a", "en", "p1")
    assert len(one_per_twin([Hit(a, 0.9, 0), Hit(card("b", "en", "p2"), 0.8, 0), Hit(a, 0.7, 1)], "en")) == 2
