"""The numbers a text gives, by value, so that a figure is recognised however it is written.

The key-figure cue (`contradictions`) asks two things of an answer: does it give the key term's
number at all, and does it give a number the notes never give. Both are questions of value:
0.75 is 75%, 1e-3 is 0.001, 2 × 10^-4 is 0.0002, 16,382 is 16382, .5 is 0.5, "three quarters"
is 0.75 and 四分之三 too. Each mention of a number keeps every value it may mean (75% is 75 and
0.75; "4.2 billion" is 4.2 and 4.2e9), and two mentions agree when any of their values do.

    >>> [(m.text, sorted(m.values)) for m in mentions("mask 75% of them; τ = 1e-3, lr 2 × 10^-4, β1 .5")]
    [('75%', [0.75, 75.0]), ('1e-3', [0.001]), ('2 × 10^-4', [0.0002]), ('.5', [0.5])]
    >>> [sorted(m.values) for m in mentions("16,382 negatives, three quarters, 2⁻²⁴, 四分之三, 4.2 billion")]
    [[16382.0], [0.75], [5.960464477539063e-08], [0.75], [4.2, 4200000000.0]]
    >>> agree(mentions("about 0.75 of the patches")[0], mentions("75%")[0])
    True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .numerals import read
from .text import RAISED, SUPERSCRIPTS

_PLAIN_SCRIPT = str.maketrans(SUPERSCRIPTS, "0123456789-+")
_TIMES = re.compile(r"\\(?:times|cdot)")
LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")  # a LaTeX command is not a word: \times10 says 10
_NUM = r"\d+(?:\.\d+)?"
# "2 × 10^-4", "6×10^{-8}", "2^-24", "10^4": a mantissa is optional
_POWER = re.compile(rf"(?<![\w.])(?:({_NUM})\s*[×x·*]\s*)?(\d+)\s*\^\s*\{{?\s*([-+−]?\d+)\s*\}}?")
_SCIENTIFIC = re.compile(rf"(?<![\w.])({_NUM})[eE]([-+−]?\d+)(?!\w|\.\d)")
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "b": 1e9, "万": 1e4, "亿": 1e8}
_PLAIN = re.compile(r"(?<![\w.])(\.\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                    r"(%|\s*(?:thousand|million|billion)\b|[kKmMbB](?![a-zA-Z])|\s*[万亿])?")
_WORDS = {"half": 0.5, "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75, "three-quarters": 0.75,
          "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3, "一半": 0.5}
_WORD = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")(?![A-Za-z])", re.I)
_ZH_FRACTION = re.compile("([零〇一二两三四五六七八九十百千万]+)分之([零〇一二两三四五六七八九十百千]+)")


@dataclass(frozen=True)
class Mention:
    text: str  # as written
    values: frozenset[float]


def mentions(text: str) -> list[Mention]:
    """Every number `text` gives, in order, with the values it may mean."""
    return list(_mentions(text))


@lru_cache(maxsize=16384)  # the references of a card are read again for every answer to it
def _mentions(text: str) -> tuple[Mention, ...]:
    text = RAISED.sub(lambda m: "^" + m.group(0).translate(_PLAIN_SCRIPT), text)
    text = LATEX_COMMAND.sub(" ", _TIMES.sub("×", text))
    found: list[tuple[int, Mention]] = []
    taken = [False] * len(text)

    def add(m: re.Match, values: set[float]) -> None:
        if not any(taken[m.start():m.end()]) and values:
            found.append((m.start(), Mention(m.group(0).strip(), frozenset(values))))
        taken[m.start():m.end()] = [True] * (m.end() - m.start())

    for m in _POWER.finditer(text):
        base, exponent = int(m.group(2)), int(m.group(3).replace("−", "-"))
        if base > 1 and abs(exponent) <= 300:
            add(m, {float(m.group(1) or 1) * float(base) ** exponent})
    for m in _SCIENTIFIC.finditer(text):
        add(m, {float(m.group(1)) * 10.0 ** int(m.group(2).replace("−", "-"))})
    for m in _ZH_FRACTION.finditer(text):
        whole, part = read(m.group(1)), read(m.group(2))
        add(m, {part / whole} if whole and part is not None else set())
    for m in _WORD.finditer(text):
        add(m, {_WORDS[m.group(1).lower()]})
    for m in _PLAIN.finditer(text):
        value = float(m.group(1).replace(",", ""))
        unit = (m.group(2) or "").strip().lower()
        add(m, {value, value / 100} if unit == "%" else {value, value * _SCALE[unit]} if unit else {value})
    return tuple(m for _, m in sorted(found, key=lambda f: f[0]))


def agree(a: Mention, b: Mention) -> bool:
    """Whether two mentions can be the same number."""
    return any(math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-12) for x in a.values for y in b.values)


def said(mention: Mention, among: list[Mention]) -> bool:
    return any(agree(mention, other) for other in among)
