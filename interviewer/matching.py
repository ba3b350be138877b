"""Matching a free-text question to the bank's closest card (FAISS, rare words, topic names).

Used by ``interviewer score`` without a reference and by the batch grader, where a
teacher's question may be phrased differently from the bank's.
"""

from __future__ import annotations

from typing import Collection, Iterable, Mapping, NamedTuple, Sequence

import numpy as np

from .bank import Card, Topic
from .index import SearchIndex
from .lexical import units
from .text import detect_lang, named, normalise

# Cosines of the default model between a question and a paraphrase of it sit around 0.55-0.9
# (short Chinese paraphrases lowest), between unrelated questions around 0.2-0.4.
COS_LOW, COS_HIGH = 0.35, 0.70
# confidence = COSINE * cosine scaled to 0..1 + WORDS * rare-word overlap (+ NAMED when the
# question names the card's topic), capped at 1. Chosen on the tune rows of
# benchmarks/data/paraphrases.jsonl, the dev set's tune questions and SAF training's questions
# (which are not in the bank and must stay under the cut); see benchmarks/matching.py.
COSINE, WORDS, NAMED = 0.7, 0.3, 0.3


class QuestionMatch(NamedTuple):
    card: Card
    confidence: float  # 0..1
    cosine: float
    words: float  # the share of the question's rare words that the card's question has, 0..1


def scaled_cosine(cos: float) -> float:
    """A question cosine on 0..1: 0 at COS_LOW (unrelated questions), 1 from COS_HIGH."""
    return min(1.0, max(0.0, (cos - COS_LOW) / (COS_HIGH - COS_LOW)))


def _named_topics(topics: Sequence[Topic], q_norm: str) -> set[str]:
    """Topics whose name or an alias appears as whole words in the (normalised) question."""
    return named(q_norm, {t.name: (t.name, *t.aliases) for t in topics})


def word_overlap(weights: Mapping[str, float], card_question: Collection[str]) -> float:
    """The share of a question's rarity `weights` (see `rarity`) that the card's question has:
    "vanishing" decides, "what is the gradient" does not.

    >>> w = rarity(["vanish", "gradient"], {"gradient": 1.0, "vanish": 3.0, "mae": 3.0})
    >>> word_overlap(w, {"gradient", "mae"}), word_overlap(w, {"vanish", "gradient"}), word_overlap({}, {"mae"})
    (0.25, 1.0, 0.0)
    """
    total = sum(weights.values())
    return sum(w for u, w in weights.items() if u in card_question) / total if total else 0.0


def rarity(question: Iterable[str], idf: Mapping[str, float], rarest: float | None = None) -> dict[str, float]:
    """Each distinct content unit of a question with its rarity in the bank's questions; a unit
    the bank never asks about weighs as the rarest (`rarest`, else the largest in `idf`)."""
    top = rarest if rarest is not None else max(idf.values(), default=1.0)
    return {u: idf.get(u, top) for u in set(question)}


def match_question(index: SearchIndex, question: str, k: int = 8, vector: np.ndarray | None = None,
                   topics: Sequence[Topic] = ()) -> QuestionMatch | None:
    """The bank card whose question best matches `question`, with a confidence in 0..1.

    Only question cards (kind ``qa``) in the question's language are candidates, so the
    reference answer used for grading is the one written for that language. Candidates are
    the `k` nearest questions by meaning, the `k` that share most rare words, and every
    question of a topic the question names.
    """
    if not question.strip():
        return None
    lang = detect_lang(question)
    if vector is None:
        vector = index.embedder.embed([question])[0]
    hits = index.search_questions(vector, k=len(index.cards), lang=lang) or \
        index.search_questions(vector, k=len(index.cards))
    if not hits:
        return None
    names = _named_topics(topics, normalise(question))
    weights = rarity(units(question), index.question_idf, index.rarest_unit)  # once per question, not per card
    words = [word_overlap(weights, index.question_units.get(h.card.id, frozenset())) for h in hits]
    by_words = sorted(range(len(hits)), key=lambda i: -words[i])[:k]
    candidates = set(range(min(k, len(hits)))) | set(by_words) | {i for i, h in enumerate(hits) if h.card.topic in names}
    best: QuestionMatch | None = None
    for i in sorted(candidates):
        h = hits[i]
        meaning = scaled_cosine(h.score)
        confidence = min(1.0, COSINE * meaning + WORDS * words[i] + (NAMED if h.card.topic in names else 0.0))
        m = QuestionMatch(h.card, round(confidence, 4), round(h.score, 4), round(words[i], 4))
        if best is None or m.confidence > best.confidence:
            best = m
    return best
