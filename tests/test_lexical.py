"""Content units and recall: what an answer is asked for."""

from __future__ import annotations

import pytest

from interviewer.lexical import capped_recall, units, without_examples


@pytest.mark.parametrize("text, kept", [
    ("Diameter decreases by a factor of 10, e.g 300m to 30m.", "Diameter decreases by a factor of 10, ."),
    ("Uses: configuration (e.g. DNS server, netmask) and addresses.", "Uses: configuration  and addresses."),
    ("Rates grow linearly, e.g. by 1 after 0.5 RTT; then it resets.", "Rates grow linearly, ; then it resets."),
    ("Some activations, such as ReLU, do not saturate.", "Some activations, , do not saturate."),
    ("A3C, for example, keeps no replay at all.", "A3C, for example, keeps no replay at all."),
    ("常用的激活函数例如 ReLU。它不饱和。", "常用的激活函数。它不饱和。"),
    ("低秩分解（例如 CP、Tucker）也可以。", "低秩分解也可以。"),
    ("引入非线性，例如 ReLU 和 sigmoid；否则等价于线性变换。", "引入非线性，；否则等价于线性变换。"),
    ("Use regularisation e.g.\nWeight decay shrinks weights.", "Use regularisation \nWeight decay shrinks weights."),
    ("No example here, i.e. nothing is removed.", "No example here, i.e. nothing is removed."),
    # a parenthesis is looked for within 300 characters; past that the example ends with its clause
    ("x (e.g. " + "a" * 400 + ") y", "x () y"),
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
