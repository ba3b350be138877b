"""`interviewer check`: what in a notes file hurts grading, one case per rule."""

import pytest

from interviewer.audit import audit
from interviewer.cli import main
from interviewer.notes import parse_text

GOOD = """# Training

## Dropout

1. Randomly zeroes units while training.

#### Questions

- Why are activations scaled when units are dropped?

  Inverted dropout divides the kept activations by 1-p, so their expected value matches inference.

  *Keywords:* inverted dropout = 倒置 dropout; expected value = 期望
  *Level:* 1 · *Pair:* d-scale
  *Core:* Dividing by 1-p keeps the expected activation the same at training and test time.
  *Wrong:* The scaling is there to speed up training.

- 为什么丢弃单元时要对激活值做缩放？

  倒置 dropout 把保留下来的激活除以 1-p，使期望与推理时一致。

  *Keywords:* 倒置 dropout = inverted dropout; 期望 = expected value
  *Level:* 1 · *Pair:* d-scale
  *Core:* 除以 1-p 让训练和测试时激活的期望相同。
  *Wrong:* 缩放是为了加快训练速度。
"""


def problems(text: str) -> list[str]:
    return [p.message for p in audit(parse_text(text, "notes.md"))]


def test_a_clean_pair_has_no_problems():
    assert problems(GOOD) == []


@pytest.mark.parametrize("old, new, expected", [
    ("*Keywords:* inverted dropout = 倒置 dropout; expected", "*Keywords:* inverted dropout = 倒置 dropout = units; expected",
     'key term "inverted dropout" already occurs in the question: name what the answer adds instead'),
    ("expected value = 期望\n  *Level:* 1", "expected value = 期\n  *Level:* 1",
     'alias "期" of "expected value" is a single Chinese character: it matches far too much'),
    ("  *Core:* Dividing by 1-p keeps the expected activation the same at training and test time.\n", "",
     "no *Core:* line: add the one-sentence answer a terse but right candidate gives"),
    ("  *Wrong:* The scaling is there to speed up training.\n", "",
     "no *Wrong:* line: add a wrong claim candidates make about this question"),
    ("*Keywords:* 倒置 dropout = inverted dropout; 期望 = expected value", "*Keywords:* 倒置 dropout = inverted dropout",
     'pair "d-scale": 2 English key terms but 1 Chinese ones: give the twins corresponding terms'),
    ("期望 = expected value\n  *Level:* 1 · *Pair:* d-scale\n  *Core:* 除以", "数学期望\n  *Level:* 1 · *Pair:* d-scale\n  *Core:* 除以",
     'pair "d-scale": key term 2 is "expected value" in English but "数学期望" in Chinese with no spelling in common: '
     "add the other language's name as an alias"),
    ("expected value = 期望\n  *Level:* 1", "expected value = 期望; p = 0.5\n  *Level:* 1",
     '"p = 0.5" reads as two aliases, so any "0.5" in an answer counts: write the setting without spaces, p=0.5'),
])
def test_each_rule_names_the_fix(old, new, expected):
    assert old in GOOD
    assert expected in problems(GOOD.replace(old, new))


def test_an_echo_in_the_twin_question_counts_too():
    # the grader drops a term that either twin's question names, so the check does as well
    text = GOOD.replace("为什么丢弃单元时要对激活值做缩放？", "为什么倒置 dropout 要缩放？")
    assert any('"inverted dropout" already occurs' in m for m in problems(text))


def test_a_near_duplicate_question_in_another_topic():
    other = "\n## Regularisation\n\n1. Limits capacity.\n\n#### Questions\n\n- Why are activations scaled when units are dropped out?\n\n  Answer text.\n"
    assert any(m.startswith("question nearly repeats notes.md:") for m in problems(GOOD + other))


def test_cli_check_exit_codes(tmp_path, capsys):
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(GOOD, "utf-8")
    bad.write_text(GOOD.replace("  *Wrong:* 缩放是为了加快训练速度。\n", ""), "utf-8")
    assert main(["check", str(good)]) == 0
    assert "no problems in 2 question cards" in capsys.readouterr().err
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr()
    assert out.out.strip().endswith("no *Wrong:* line: add a wrong claim candidates make about this question")
    assert out.err.strip() == "1 problem in 2 question cards"
