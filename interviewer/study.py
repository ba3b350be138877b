"""Reading the notes: the passages that answer a study question. A comparison ("difference
between Faster R-CNN and R-FCN", "SGD vs Adam", "BN 和 LN 的区别") gets passages from both
sides; passages only vaguely related (under a relevance floor) are left out, so a question
the notes do not cover gets "nothing close" instead of noise.

    >>> sides("What is the difference between Faster R-CNN and R-FCN?")
    ('Faster R-CNN', 'R-FCN')
    >>> sides("SGD vs. Adam"), sides("BN和LN的区别是什么"), sides("what is dropout")
    (('SGD', 'Adam'), ('BN', 'LN'), None)
"""

from __future__ import annotations

import re
from itertools import chain, zip_longest

from .index import Hit, SearchIndex
from .text import detect_lang

# Hybrid search scores (cosine + word bonus) of questions the notes do not cover stayed under
# 0.38 on the probes in tests/test_study.py (weather, football, bread, 股票); covered ones
# started at 0.43 ("batch norm at inference").
RELEVANCE_FLOOR = 0.40
STUDY_KINDS = ("qa", "point")

_COMPARE = (
    re.compile(r"^(?:what(?:'s| is| are)\s+)?(?:the\s+)?differences?\s+between\s+(.+?)\s+and\s+(.+?)[?？.]*$", re.I),
    re.compile(r"^(?:compare\s+)?(.+?)\s+(?:vs\.?|versus|compared\s+(?:to|with))\s+(.+?)[?？.]*$", re.I),
    re.compile(r"^(?:compare\s+)(.+?)\s+(?:and|with)\s+(.+?)[?？.]*$", re.I),
    re.compile(r"^(.+?)\s*(?:和|与|跟|对比|比较)\s*(.+?)\s*(?:的|有什么|有何|之间的?)*\s*(?:区别|不同|差异|异同|对比)"),
)


def sides(query: str) -> tuple[str, str] | None:
    """The two things a comparison question names, or None."""
    q = " ".join(query.split())
    for pattern in _COMPARE:
        m = pattern.match(q)
        if m and m.group(1).strip() and m.group(2).strip():
            return m.group(1).strip(), m.group(2).strip()
    return None


def one_per_twin(hits: list[Hit], prefer: str) -> list[Hit]:
    """Hits with each passage once: of a passage and its twin in the other language, the one in
    `prefer` (the query's language) stands where the better of the two ranked."""
    out: list[Hit] = []
    where: dict[tuple[str, str], int] = {}
    for h in hits:
        key = (h.card.topic, h.card.pair) if h.card.pair else (h.card.id, "")
        if key not in where:
            where[key] = len(out)
            out.append(h)
        elif h.card.lang == prefer and out[where[key]].card.lang != prefer:
            out[where[key]] = h._replace(score=out[where[key]].score)  # the pair's better score, as ranked
    return out


def study_hits(index: SearchIndex, query: str, k: int = 3, *, lang: str | None = None,
               topic: str | None = None, area: str | None = None,
               floor: float = RELEVANCE_FLOOR) -> list[Hit]:
    """Up to `k` passages for `query`, best first; for a comparison, the two sides alternate.
    With no language asked for, a passage and its translation count once, in the query's language."""
    prefer = detect_lang(query)

    def search(text: str, n: int) -> list[Hit]:
        wide = n * 10 if area else n * 2 if lang is None else n  # twins fold into one
        hits = index.search(text, k=wide, kinds=STUDY_KINDS, lang=lang, topic=topic)
        hits = [h for h in hits if (not area or h.card.area == area) and h.score >= floor]
        return one_per_twin(hits, prefer)[:n]

    pair = sides(query)
    if pair is None:
        return search(query, k)
    # each side searched with the whole question too, so "R-FCN" alone still means detection
    per_side = [search(f"{side} ({query})", k) for side in pair]
    merged = [hit for hit in chain.from_iterable(zip_longest(*per_side)) if hit is not None]
    return one_per_twin(merged, prefer)[: max(k, 2)]  # a passage found by both sides shows once
