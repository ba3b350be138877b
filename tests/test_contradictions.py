"""Contradiction cues that need no model: named values, flipped directions, numbers."""

import pytest

from interviewer.contradictions import _echoes_reference, bindings, flipped, numbers


@pytest.mark.parametrize("text, expected", [
    ("β1 = 0.9, β2 = 0.999", {"beta1": ("0.9",), "beta2": ("0.999",)}),
    ("beta1 0.9 and Beta2: 0.999", {"beta1": ("0.9",), "beta2": ("0.999",)}),  # spelled out, any case
    ("ε=1e-8 or eps 1e-7", {"epsilon": ("1e-8", "1e-7")}),  # two values for one name, in order
    ("IoU 0.7 for positives", {"iou": ("0.7",)}),  # an acronym is a name
    ("P[Y=3] = 0.27", {}),  # a one-letter variable is not a setting
    ("a window size of 4 with 3 layers", {}),  # plain words are not names
    ("γ和β各 1 个", {}),  # no value right after the name
    ("", {}),
])
def test_bindings(text, expected):
    assert bindings(text) == expected


def test_flipped_and_numbers():
    assert flipped("更大的计算量", "计算量减少到 1/8") == ("更大", "减少")
    assert flipped("the same at training time", "the same at training time") is None
    assert numbers("2,000 proposals") == {"2000"}


@pytest.mark.parametrize("said, reference, found", [
    ("PPO 是离策略，因为有新旧策略的比值。", "PPO 是同策略方法，旧样本很快过时。", ("离策略", "同策略")),
    ("The Gini impurity is largest for a pure node.", "It is smallest (zero) for a pure node.", ("largest", "smallest")),
    ("The variance BN uses is unbiased.", "BN normalises with the biased variance.", ("unbiased", "biased")),
    ("It is a non-linear map.", "It is a linear map per pixel.", None),  # the opposite holds the word: never fires
])
def test_flipped_pairs(said, reference, found):
    assert flipped(said, reference) == found


@pytest.mark.parametrize("said, echoed", [
    ("原始 LSTM 只有输入门和输出门，没有遗忘门", True),  # the reference says so itself
    ("原始 LSTM 有遗忘门，没有输出门", False),
    ("It is not differentiable, so we use REINFORCE.", True),
    ("The sampling step is differentiable.", False),  # no negation: nothing to echo
])
def test_a_negation_the_reference_makes_itself_is_no_contradiction(said, echoed):
    reference = "1997 年的 LSTM 只有输入门和输出门，没有遗忘门。\nThe reward is not differentiable with respect to the controller."
    assert _echoes_reference(said, reference.lower()) is echoed
