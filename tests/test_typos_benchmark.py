"""The typing slips the typos benchmark puts into answers."""

from __future__ import annotations

import random
import re

import pytest

from benchmarks.typos import slip

TEXT = "Dropout randomly zeroes hidden units, so every training step samples a thinned network."


@pytest.mark.parametrize("seed", range(5))
def test_a_slip_keeps_the_first_letter_and_changes_one_edit(seed):
    out = slip(TEXT, 1.0, random.Random(seed))
    said, meant = out.split(), TEXT.split()
    assert len(said) == len(meant)
    for a, b in zip(said, meant):
        if len(re.sub(r"\W", "", b)) >= 5:
            assert a != b and a[0] == b[0] and abs(len(a) - len(b)) <= 1
        else:
            assert a == b  # short words are left alone


def test_the_rate_and_the_seed_decide_the_slips():
    assert slip(TEXT, 0.0, random.Random(0)) == TEXT
    assert slip(TEXT, 0.5, random.Random(3)) == slip(TEXT, 0.5, random.Random(3))
