"""Matching a free-text question to the bank's closest card (FAISS + rapidfuzz).

Used by ``interviewer score`` without a reference and by the batch grader, where a
teacher's question may be phrased differently from the bank's.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
from rapidfuzz import fuzz

from .bank import Card, Topic
from .text import detect_lang
from .index import SearchIndex
from .text import named, normalise

# Cosines of the default model between a question and a paraphrase of it sit around 0.55-0.9
# (short Chinese paraphrases lowest), between unrelated questions around 0.2-0.4.
COS_LOW, COS_HIGH = 0.35, 0.70


class QuestionMatch(NamedTuple):
    card: Card
    confidence: float  # 0..1
    cosine: float
    fuzzy: float  # rapidfuzz token-set ratio of the two question texts, 0..1


def _named_topics(topics: Sequence[Topic], q_norm: str) -> set[str]:
    """Topics whose name or an alias appears as whole words in the (normalised) question."""
    return named(q_norm, {t.name: (t.name, *t.aliases) for t in topics})


def match_question(index: SearchIndex, question: str, k: int = 8, vector: np.ndarray | None = None,
                   topics: Sequence[Topic] = ()) -> QuestionMatch | None:
    """The bank card whose question best matches `question`, with a confidence in 0..1.

    Only question cards (kind ``qa``) in the question's language are candidates, so the
    reference answer used for grading is the one written for that language.
    """
    if not question.strip():
        return None
    lang = detect_lang(question)
    if vector is None:
        vector = index.embedder.embed([question])[0]
    hits = index.search_questions(vector, k=k, lang=lang) or index.search_questions(vector, k=k)
    if not hits:
        return None
    q = normalise(question)
    named = _named_topics(topics, q)
    if named:  # also weigh the questions of topics the user named, found or not by the search
        seen = {h.card.id for h in hits}
        wanted = [h for h in index.search_questions(vector, k=len(index.cards), lang=lang)
                  if h.card.topic in named and h.card.id not in seen]
        hits = hits + wanted
    best: QuestionMatch | None = None
    for h in hits:
        fuzzy = fuzz.token_set_ratio(q, normalise(h.card.question)) / 100.0
        cos_conf = min(1.0, max(0.0, (h.score - COS_LOW) / (COS_HIGH - COS_LOW)))
        confidence = max(cos_conf, fuzzy if fuzzy >= 0.9 else 0.0, 0.5 * cos_conf + 0.5 * fuzzy)
        if h.card.topic in named:
            confidence = min(1.0, confidence + 0.15)  # the question names this card's topic
        m = QuestionMatch(h.card, round(confidence, 4), round(h.score, 4), round(fuzzy, 4))
        if best is None or m.confidence > best.confidence:
            best = m
    return best
