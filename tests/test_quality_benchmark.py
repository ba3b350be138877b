"""The quality benchmark's interval for "grader minus the best baseline" (benchmarks/quality.py)."""

import numpy as np
import pytest

from benchmarks.quality import gap_interval

HUMAN = np.array([0, .2, .4, .6, .8, 1] * 5)
QUESTIONS = np.repeat(np.arange(10), 3)


@pytest.mark.parametrize("name, score, inside", [
    ("a perfect grader beside a baseline that is half noise", HUMAN, lambda lo, hi: 0 < lo <= hi),
    ("a grader that is the baseline", None, lambda lo, hi: lo == hi == 0),
    ("a grader worse than the baseline", HUMAN[::-1].copy(), lambda lo, hi: lo <= hi < 0),
])
def test_the_interval_says_which_side_of_the_baseline_the_grader_is(name, score, inside):
    noise = np.random.default_rng(1).normal(0, 0.3, len(HUMAN))
    base = HUMAN + noise
    lo, hi = gap_interval(base if score is None else score, [base], HUMAN, QUESTIONS, draws=300)
    assert inside(lo, hi), (name, lo, hi)


def test_the_interval_is_reproducible_and_wider_when_a_questions_answers_move_together():
    rng = np.random.default_rng(2)
    human = rng.random(60)
    questions = np.repeat(np.arange(6), 10)
    # the grader's error is shared by each question's answers, as a reference that is hard to match makes it
    score = human + np.repeat(rng.normal(0, .3, 6), 10) + rng.normal(0, .05, 60)
    base = human + rng.normal(0, .3, 60)
    by_question, again = (gap_interval(score, [base], human, questions, draws=400) for _ in range(2))
    by_row = gap_interval(score, [base], human, np.arange(60), draws=400)
    assert by_question == again
    assert by_question[1] - by_question[0] > by_row[1] - by_row[0]
