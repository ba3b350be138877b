"""Keyword matching: typos, plurals, hyphens, case, spacing, Chinese without segmentation."""

import pytest

from interviewer.bank import Card, Keyword
from interviewer.keywords import TermWeights, keywords_from_spec, match_keywords


@pytest.mark.parametrize("keyword, answer, found", [
    (Keyword("batch normalization"), "we add Batch-Normalization layers", True),
    (Keyword("batch normalization"), "batch normalizaton helps", True),  # typo
    (Keyword("mini-batch"), "minibatch statistics", True),  # spacing
    (Keyword("anchor"), "nine anchors per position", True),  # plural
    (Keyword("anchors"), "one anchor box", True),
    (Keyword("co-adaptation"), "units cannot co-adapt", True),  # a word of the same family
    (Keyword("regulariser"), "a strong regularization effect", True),
    (Keyword("dimension reduction"), "1x1 convs reduce dimensionality first", True),  # a verb phrase
    (Keyword("dimension reduction"), "reducing the dimension before the 5x5", True),
    (Keyword("dimension reduction"), "the dimension grows; a reduction comes later", False),
    (Keyword("correlated samples"), "consecutive samples are strongly correlated", True),
    (Keyword("fully convolutional"), "convert fully connected layers to convolutions", False),
    (Keyword("correlated samples"), "the samples come from a replay buffer, chosen at random, and that is why "
                                    "updates are less correlated", False),  # too far apart
    (Keyword("computation"), "cheaper to compute", True),  # -e dropped before the ending
    (Keyword("storage"), "we store the mean", False),
    (Keyword("action evaluation"), "the target network evaluates the action", True),  # one base, two endings
    (Keyword("computation"), "a computer", False),  # an agent noun is not its process
    (Keyword("running mean"), "the stored running means", True),
    (Keyword("mean"), "the meaning of the layer", False),  # short words must be equal
    (Keyword("k-means++"), "the k-means result", False),  # "++" is part of the term
    (Keyword("LayerNorm"), "one encoder layer", False),
    (Keyword("positive anchors"), "the position of anchors", False),  # six common letters are not enough
    (Keyword("BN"), "BN layers", True),
    (Keyword("BN"), "a BNN model", False),  # short terms match whole words only
    (Keyword("ReLU"), "PReLU activations", False),
    (Keyword("内部协变量偏移"), "它能缓解内部协变量偏移的问题", True),
    (Keyword("内部协变量偏移"), "内部 协变量 偏移", True),  # spaces inside Chinese
    (Keyword("批归一化", ("BN",)), "we use BN", True),  # alias
    (Keyword("批归一化"), "批量的归一", False),
    (Keyword("滑动均值"), "保存滑动平均的均值和方差", True),  # characters in order, short gaps
    (Keyword("滑动均值"), "滑动窗口里的所有样本取均值", False),  # gaps too long
    (Keyword("dropout"), "", False),
])
def test_find(keyword, answer, found):
    assert bool(match_keywords([keyword], answer).covered) is found


def test_coverage_and_keyword_share():
    kws = [Keyword("squeeze layer"), Keyword("expand layer"), Keyword("Fire module")]
    list_only = match_keywords(kws, "squeeze layer, expand layer, Fire module")
    prose = match_keywords(kws, "A Fire module first narrows channels with a squeeze layer, then an "
                                "expand layer mixes 1x1 and 3x3 filters and concatenates them.")
    assert list_only.coverage == prose.coverage == 1.0
    assert list_only.keyword_share() > 0.9 > 0.5 > prose.keyword_share()


def test_spec_syntax():
    assert [k.terms for k in keywords_from_spec("a = b; c ；d=e")] == [("a", "b"), ("c",), ("d", "e")]


def test_derived_keywords_skip_terms_the_question_gives_away():
    cards = [Card(str(i), f"t{i}", "a", "qa", q, a) for i, (q, a) in enumerate([
        ("Why use residual connections?", "Identity shortcuts ease gradient flow and avoid degradation."),
        ("What is dropout?", "Randomly zeroing units prevents co-adaptation; gradient flow is unchanged."),
        ("What is BN?", "Normalising with batch statistics reduces internal covariate shift."),
    ])]
    derived = [k.name for k in TermWeights(cards).derive(cards[0])]
    assert derived and "residual" not in " ".join(derived)
    assert "identity shortcuts" in derived or "shortcuts" in derived
