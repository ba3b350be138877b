"""Study: passages for a question, both sides of a comparison, and nothing for what the
notes do not cover (the relevance floor)."""

import pytest

from interviewer.study import RELEVANCE_FLOOR, sides, study_hits


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
