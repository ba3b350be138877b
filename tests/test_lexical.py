"""Content units and recall: what an answer is asked for."""

from __future__ import annotations

import pytest

from interviewer.lexical import capped_recall, units, without_examples, words_said


@pytest.mark.parametrize("text, kept", [
    ("Diameter decreases by a factor of 10, e.g 300m to 30m.", "Diameter decreases by a factor of 10,."),
    ("Uses: configuration (e.g. DNS server, netmask) and addresses.", "Uses: configuration  and addresses."),
    ("Rates grow linearly, e.g. by 1 after 0.5 RTT; then it resets.", "Rates grow linearly,; then it resets."),
    ("Some activations, such as ReLU, do not saturate.", "Some activations,, do not saturate."),
    ("Use an activation, e.g., ReLU or tanh, after each layer.", "Use an activation,, after each layer."),
    ("It uses a sliding window, e.g. of 4 packets: the sender waits.", "It uses a sliding window,: the sender waits."),
    ("The rate drops. For example, a 90-epoch run divides it by 10 at epochs 30, 60 and 80. The rest stays.",
     "The rate drops.. The rest stays."),
    ("常用的激活函数，例如 ReLU。它不饱和。", "常用的激活函数，。它不饱和。"),
    ("低秩分解（例如 CP、Tucker）也可以。", "低秩分解也可以。"),
    ("低秩分解（如 CP、Tucker）也可以。", "低秩分解也可以。"),
    ("例如，把学习率除以 10。其余不变。", "。其余不变。"),
    # inside a clause, or set off by commas, the sentence goes on with its point: kept
    ("Models such as ConvNeXt apply LN over the channels.", "Models such as ConvNeXt apply LN over the channels."),
    ("Models with skip connections e.g. ResNet train deeper.", "Models with skip connections e.g. ResNet train deeper."),
    ("A3C, for example, keeps no replay at all.", "A3C, for example, keeps no replay at all."),
    ("两种方法的对比如下：BN 在 batch 维度归一化。", "两种方法的对比如下：BN 在 batch 维度归一化。"),  # 对比 is no 比如
    ("No example here, i.e. nothing is removed.", "No example here, i.e. nothing is removed."),
    # a parenthesis is looked for within 300 characters
    ("x (e.g. " + "a" * 400 + ") y", "x (e.g. " + "a" * 400 + ") y"),
    ("", ""),
])
def test_without_examples(text, kept):
    assert without_examples(text) == kept


def test_an_example_is_not_asked_for():
    reference = "Diameter decreases by a factor of 10, e.g 300m to 30m."
    question = units("What happens to the collision domain diameter if the speed grows by a factor of 10?")
    answer = units("It decreases by the same factor.")
    assert capped_recall(units(reference), answer, question) == pytest.approx(1 / 3)
    assert capped_recall(units(without_examples(reference)), answer, question) == 1.0


@pytest.mark.parametrize("text, wanted, n", [
    ("MAE 相当于拉普拉斯噪声假设下的最大似然", {"假设", "设下", "声假"}, 1),  # one word, three overlapping bigrams
    ("前向过程没有可学习参数，训练的只是去噪网络", {"去噪", "噪网", "网络", "参数"}, 2),
    ("参数……参数", {"参数"}, 1),  # a word said twice is one word
    ("dropout permanently removes a fixed set of neurons", {"perman", "fix", "neuron"}, 3),
    ("removes the units", {"the", "unit"}, 1),  # a stopword is no word of content
    ("", {"参数"}, 0),
])
def test_words_said_counts_a_run_of_chinese_bigrams_once(text, wanted, n):
    assert words_said(text, wanted) == n
