"""Key terms derived from a reference that has none authored (a batch file's reference column).

A candidate is an English word or pair of words without stop words, or a Chinese 2-4 gram without
function characters; the terms kept are the reference's most specific ones (term frequency times
inverse document frequency over the bank's answers, a pair of words or a longer Chinese term
weighted a little higher; terms that two or more other answers also use are preferred when there
are enough of them), one per idea, none the question gives away, none from its examples.

    >>> from interviewer.bank import Card
    >>> bank = [Card("a", "t", "a", "qa", "q", "Dropout drops units at random."),
    ...         Card("b", "t", "a", "qa", "q", "Batch normalization keeps activations stable.")]
    >>> card = Card("c", "t", "a", "qa", "What does dropout do?", "Dropout drops units at random, so "
    ...             "units cannot co-adapt; each step trains a thinned network.")
    >>> [k.name for k in TermWeights(bank).derive(card, k=3)]  # a pair of words is read blindly
    ['co adapt', 'step trains', 'thinned network']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

from .bank import Card, Keyword
from .lexical import without_examples
from .text import _WORD, CJK_RANGE, is_cjk, normalise

__all__ = ["STOPWORDS", "TermWeights"]

# words a derived key term is not made of. Not lexical.STOPWORDS (function words, for recall):
# few, least, all, many ... begin real terms ("few shot", "least squares", "all reduce"), and
# use / instead / the "e" and "g" of "e.g." never do; nor do the words a teacher's reference says
# how it is graded with ("One of the following justifications should be given", "A correct
# calculation", "considered fully correct")
STOPWORDS = frozenset("""
a an and are as at be been being both but by can could did do does each for from had has have
how however i if in into is it its itself may might more most much must no not of on one only or
other our out over same so some such than that the their them then there these they this those
through to too under up use used uses using very was we were what when where which while who why
will with without would you your also than thus because therefore e g ie eg etc via per instead
correct correctly incorrect answer answers should given following sufficient valid considered fully
possible mention mentioned required accepted acceptable justification justifications
about around approximately roughly
""".split())


# Chinese function characters: an n-gram holding one is rarely a technical term
_ZH_FUNCTION = re.compile("[的了是在和与或及而因此这那其之也都就被把对从为以使可会要有个一不到时将让]")


def _candidates(text: str) -> list[str]:
    """Content terms of a text: English words/bigrams without stop words; Chinese 2-4 grams."""
    norm = normalise(text)
    # the "6m" of "25.6m" is no word
    found = [m for m in _WORD.finditer(norm) if not re.search(r"\d\.$", norm[max(0, m.start() - 2):m.start()])]
    words = [m.group(0) for m in found]
    terms = [w for w in words if w not in STOPWORDS and len(w) > 2 and not w.isdigit()]
    # a pair is two words in a row within a clause: "parameters, AlexNet" is none
    terms += [f"{a.group(0)} {b.group(0)}" for a, b in zip(found, found[1:])
              if re.fullmatch(r"[\s'’-]*", norm[a.end():b.start()]) and a.group(0) not in STOPWORDS and b.group(0) not in STOPWORDS
              and len(a.group(0)) > 1 and len(b.group(0)) > 2]
    for run in re.findall(f"[{CJK_RANGE}]+", norm):
        for n in (2, 3, 4):
            terms += [g for g in (run[i : i + n] for i in range(len(run) - n + 1))
                      if not _ZH_FUNCTION.search(g)]
    return terms


class TermWeights:
    """Document frequencies of candidate terms over the bank's answers (for derived keywords)."""

    def __init__(self, cards: Iterable[Card]):
        self.df: Counter[str] = Counter()
        self.n = 0
        for c in cards:
            self.n += 1
            self.df.update(set(_candidates(c.answer)))

    def idf(self, term: str) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0

    def derive(self, card: Card, k: int = 5) -> tuple[Keyword, ...]:
        """The answer's most specific terms that the question does not already give away, and
        not from its examples ("e.g. 300m to 30m" illustrates; an answer need not repeat it)."""
        given = set(_candidates(card.question))
        candidates = _candidates(without_examples(card.answer)) or _candidates(card.answer)
        counts = Counter(t for t in candidates if t not in given)
        # a term seen in other answers too is a real term, not a phrase fragment
        shared = Counter({t: n for t, n in counts.items() if self.df.get(t, 0) >= 2})
        counts = shared if len(shared) >= k else counts
        ranked = sorted(counts, key=lambda t: (-(1 + math.log(counts[t])) * self.idf(t) * _len_bonus(t), t))
        text = normalise(card.answer)
        chosen: list[str] = []
        for t in ranked:
            if any(t in c or c in t for c in chosen):
                continue  # one term per idea: no 'batch' next to 'batch size'
            if is_cjk(t[0]) and _fragment(t, text, chosen):
                continue
            chosen.append(t)
            if len(chosen) == k:
                break
        return tuple(Keyword(t) for t in chosen)


def _fragment(term: str, text: str, chosen: list[str]) -> bool:
    """Whether a Chinese n-gram is only ever part of something else in `text`: every occurrence
    overlaps a term already chosen (比高 of 占比高 beside 占比) or follows 不 (同类别 of 不同类别).

    >>> _fragment("比高", "金额占比高的物品", ["占比"]), _fragment("同类别", "针对不同类别制定策略", [])
    (True, True)
    >>> _fragment("占比", "金额占比高的物品", ["物品"])
    False
    """
    starts = [m.start() for m in re.finditer(re.escape(term), text)]
    if not starts:
        return False
    taken = [(m.start(), m.end()) for c in chosen for m in re.finditer(re.escape(c), text)]
    return all(text[max(0, p - 1):p] == "不" or any(a < p + len(term) and p < b for a, b in taken) for p in starts)


def _len_bonus(term: str) -> float:
    return 1.15 if " " in term or len(term) >= 3 and is_cjk(term) else 1.0
