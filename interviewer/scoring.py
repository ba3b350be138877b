"""Grading a free-text answer against a card: semantic similarity + keyword coverage.

One `Grader` serves every front end (chat, batch, CLI). For each answer it computes

- ``recall``: each reference sentence against its best-matching answer sentence (how much of
  the reference the answer covers), averaged;
- ``focus``: each answer sentence against the reference and the question (does the answer
  stay on the question), averaged;
- per-question calibration: both are mapped to 0..1 between the level an *off-topic* answer
  reaches (the same statistic computed for other topics' reference answers) and the level a
  *complete* answer reaches (the card's twin in the other language, a full paraphrase);
- ``coverage``: authored key terms (or, without them, terms derived from the reference and
  weighted against the whole bank) found with rapidfuzz;
- ``score`` = 100 × (w_sem × semantic + w_cov × coverage), a band 0–5 and a verdict.

An answer in the other language is graded against the card's twin in that language, so
language is never penalised. Bad input (empty, emoji, binary, huge, HTML, a copy of the
question, a bare keyword list) always yields a valid low score with a reason.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz

from .bank import Bank, Card, Keyword, detect_lang
from .embedding import Embedder
from .index import SearchIndex, VectorCache
from .keywords import Match, TermWeights, match_keywords
from .text import clean_answer, has_words, looks_binary, normalise, sentences, word_count

VERDICTS = ("off-topic", "wrong", "weak", "partial", "good", "excellent")


@dataclass(frozen=True)
class Weights:
    """How the signals combine.

    The defaults were chosen by ``python benchmarks/quality.py`` (grid search on the tune
    split of the hand-graded dev set; figures in benchmarks/RESULTS.md): sentence-level
    recall over the best three quarters of the reference's sentences carries the score
    (an interview answer need not restate every elaboration), keyword coverage adds a
    little, and neither whole-text similarity nor the focus term improved the correlation,
    so their weights are 0 (they stay available, and focus still drives the feedback).
    """

    semantic: float = 0.9
    coverage: float = 0.1
    whole: float = 0.0  # share of whole-text similarity (vs. sentence-level recall) in semantic
    focus: float = 0.0  # share of the semantic signal that rewards staying on the question
    recall_top: float = 0.75  # recall averages the best share of reference sentences (1 = all)
    off_topic_percentile: float = 90.0  # off-topic sentence level that maps to 0
    ceiling_gap: float = 0.25  # used when a card has no twin to measure a complete answer by
    band_edges: tuple[float, ...] = (10, 34, 42, 51, 70)  # score → band 0..5, fitted on the tune split
    max_answer_chars: int = 5000

    @property
    def stuffing_cap(self) -> float:
        """A bare keyword list stays at most in band 3 ("partial")."""
        return self.band_edges[3] - 1


@dataclass(frozen=True)
class MissedTerm:
    term: str
    sentence: str  # the reference sentence the term comes from


@dataclass(frozen=True)
class Evidence:
    topic: str
    source: str
    text: str
    card_id: str


@dataclass(frozen=True)
class Result:
    """A graded answer."""

    card_id: str
    question: str
    score: int  # 0..100
    band: int  # 0..5
    verdict: str
    semantic: float  # 0..1
    coverage: float  # 0..1
    recall: float  # raw cosine statistics, for benchmarks and debugging
    focus: float
    covered: tuple[str, ...] = ()
    missed: tuple[MissedTerm, ...] = ()
    keywords_derived: bool = False  # True when the card had no authored keywords
    graded_against: str = ""  # card id of the reference actually used (a twin for cross-lingual)
    answer_lang: str = "en"
    evidence: Evidence | None = None
    suggestion: str = ""
    notices: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


@dataclass
class _Reference:
    """A card's reference sentences, embedded and calibrated.

    For each reference sentence j: ``low[j]`` is how close an off-topic sentence typically
    gets to it (a high percentile over other topics' sentences) and ``high[j]`` how close a
    full paraphrase gets (the best sentence of the card's twin in the other language).
    """

    card: Card
    sentences: list[str]
    vectors: np.ndarray
    question_vector: np.ndarray
    keywords: tuple[Keyword, ...]
    derived: bool
    low: np.ndarray = None  # type: ignore[assignment]
    high: np.ndarray = None  # type: ignore[assignment]
    focus_low: float = 0.0
    focus_high: float = 1.0
    whole: np.ndarray = None  # type: ignore[assignment]  # the whole reference answer
    whole_low: float = 0.0
    whole_high: float = 1.0
    _normalised: list[str] | None = None

    def sentence_with(self, keyword: Keyword) -> str:
        """The reference sentence a key term comes from (the first one naming it)."""
        if self._normalised is None:
            self._normalised = [normalise(s) for s in self.sentences]
        for s, norm in zip(self.sentences, self._normalised):
            compact = norm.replace(" ", "")
            for t in keyword.terms:
                t = normalise(t)
                if t in norm or t.replace(" ", "") in compact:
                    return s
        return self.sentences[0] if self.sentences else ""


@dataclass
class Grader:
    """Grades answers against bank cards with one embedder; safe to share between users."""

    bank: Bank
    embedder: Embedder
    index: SearchIndex | None = None
    cache: VectorCache | None = None  # reference-sentence vectors survive restarts here
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self):
        if self.cache is None:
            self.cache = VectorCache(None, self.embedder.dim)
        self._terms = TermWeights(self.bank.cards)
        self._refs: dict[str, _Reference] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ references

    def _embed_refs(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors, _ = self.cache.embed(self.embedder, texts)
        return vectors

    def prepare(self, cards: Sequence[Card] | None = None, calibrate: bool = True) -> int:
        """Embed the reference sentences of `cards` (default: all) in one go; returns how many.

        With ``calibrate=False`` only the embeddings are made (and cached on disk); each card
        is then calibrated on its first grading, in a few milliseconds, which keeps start-up
        short.
        """
        cards = list(self.bank.cards if cards is None else cards)
        todo = [c for c in cards if c.id not in self._refs]
        texts = [t for c in todo for t in (self._split(c) + [c.question, c.answer])]
        self._embed_refs(texts)
        with self._lock:
            self.cache.save()
        if calibrate:
            for c in todo:
                self.reference(c)
        return len(texts)

    @staticmethod
    def _split(card: Card) -> list[str]:
        return sentences(card.answer, min_len=2) or [card.answer or card.question]

    def reference(self, card: Card) -> _Reference:
        ref = self._refs.get(card.id)
        if ref is not None:
            return ref
        sents = self._split(card)
        vecs = self._embed_refs(sents + [card.question, card.answer])
        keywords, derived = card.keywords, False
        if not keywords:
            keywords, derived = self._terms.derive(card), True
        ref = _Reference(card, sents, vecs[:-2], vecs[-2], keywords, derived, whole=vecs[-1])
        self._calibrate(ref)
        self._refs[card.id] = ref
        return ref

    def _impostors(self, card: Card, n: int = 40) -> list[Card]:
        """Other topics' answers in the same language, picked deterministically per card."""
        pool = [c for c in self.bank.cards if c.topic != card.topic and c.lang == card.lang
                and c.kind == "qa"] or [c for c in self.bank.cards if c.topic != card.topic]
        key = lambda c: hashlib.sha1(f"{card.id}|{c.id}".encode()).hexdigest()  # noqa: E731
        return sorted(pool, key=key)[:n]

    def _calibrate(self, ref: _Reference) -> None:
        w = self.weights
        impostors = self._impostors(ref.card)
        null = self._embed_refs([t for c in impostors for t in self._split(c)])
        if len(null):
            sim = null @ ref.vectors.T  # (off-topic sentences, reference sentences)
            ref.low = np.percentile(sim, w.off_topic_percentile, axis=0)
            on_topic = np.maximum(sim.max(axis=1), null @ ref.question_vector)
            ref.focus_low = float(np.percentile(on_topic, w.off_topic_percentile))
            wholes = self._embed_refs([c.answer for c in impostors])
            ref.whole_low = float(np.percentile(wholes @ ref.whole, w.off_topic_percentile))
        else:
            ref.low = np.zeros(len(ref.vectors), np.float32)
        twin = next((self.bank.twin(ref.card, lang) for lang in ("en", "zh") if lang != ref.card.lang), None)
        if twin is not None:
            paraphrase = self._embed_refs(self._split(twin) + [twin.answer])
            ref.high = np.maximum((paraphrase[:-1] @ ref.vectors.T).max(axis=0), ref.low + 0.1)
            ref.whole_high = max(float(paraphrase[-1] @ ref.whole), ref.whole_low + 0.1)
        else:
            ref.high = ref.low + w.ceiling_gap
            ref.whole_high = ref.whole_low + w.ceiling_gap
        ref.focus_high = max(float(np.mean(ref.high)), ref.focus_low + 0.1)

    @staticmethod
    def _raw(answer_vectors: np.ndarray, ref: _Reference) -> tuple[np.ndarray, np.ndarray]:
        """Best answer-sentence match per reference sentence, and per answer sentence its
        best match among the reference sentences and the question."""
        if len(answer_vectors) == 0:
            return np.zeros(len(ref.vectors)), np.zeros(0)
        sim = answer_vectors @ ref.vectors.T  # (answer sentences, reference sentences)
        return sim.max(axis=0), np.maximum(sim.max(axis=1), answer_vectors @ ref.question_vector)

    # ------------------------------------------------------------ grading

    def grade(self, card: Card, answer: str) -> Result:
        return self.grade_many([(card, answer)])[0]

    def grade_many(self, items: Sequence[tuple[Card, str]], evidence: bool = True) -> list[Result]:
        """Grade many answers with one embedding call for all their sentences.

        ``evidence=False`` skips looking up a passage of the notes (batch output has no
        column for it).
        """
        prepared = [self._prepare_answer(card, answer) for card, answer in items]
        texts: list[str] = []
        for p in prepared:
            if p["early"] is None:
                texts.extend(p["sentences"])
                # the whole text is a second embedding only when it adds information
                p["whole_own"] = self.weights.whole > 0 and p["sentences"] != [p["text"]]
                if p["whole_own"]:
                    texts.append(p["text"])
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, self.embedder.dim), np.float32)
        out, start = [], 0
        for p in prepared:
            if p["early"] is not None:
                out.append(p["early"])
                continue
            n = len(p["sentences"])
            sent = vectors[start : start + n]
            if p["whole_own"]:
                whole = vectors[start + n]
                start += n + 1
            else:
                whole = sent.mean(axis=0)
                whole = whole / max(float(np.linalg.norm(whole)), 1e-9)
                start += n
            out.append(self._finish(p, sent, whole, evidence))
        return out

    def _prepare_answer(self, card: Card, answer: str) -> dict:
        w = self.weights
        raw = answer if isinstance(answer, str) else ""
        cleaned = clean_answer(raw, w.max_answer_chars)
        text = cleaned.text
        lang = detect_lang(text) if text else card.lang
        ref_card = card
        if lang != card.lang:
            ref_card = self.bank.twin(card, lang) or card
        p = {"card": card, "ref_card": ref_card, "text": text, "lang": lang,
             "notices": list(cleaned.notices), "sentences": [], "early": None}
        reason = None
        if not raw.strip():
            reason = "The answer is empty: write a few sentences in your own words."
        elif looks_binary(raw):
            reason = "The answer looks like binary data, not text: paste the answer as plain text."
        elif not has_words(text):
            reason = "The answer has no words (only symbols or emoji): explain the idea in sentences."
        elif self._copies_question(text, card, ref_card):
            reason = "The answer only repeats the question: say what the answer is, not what was asked."
        if reason:
            p["early"] = self._empty_result(card, ref_card, lang, reason, p["notices"])
        else:
            p["sentences"] = (sentences(text) or [text])[:60]
        return p

    @staticmethod
    def _copies_question(text: str, card: Card, ref_card: Card) -> bool:
        a = normalise(text)
        for q in {card.question, ref_card.question}:
            qn = normalise(q)
            if a and (fuzz.ratio(a, qn) >= 85 or (a in qn and len(a) < len(qn) + 5)):
                return True
        return False

    def _empty_result(self, card: Card, ref_card: Card, lang: str, reason: str,
                      notices: list[str]) -> Result:
        ref = self.reference(ref_card)
        missed = tuple(MissedTerm(k.name, ref.sentence_with(k)) for k in ref.keywords)
        return Result(card.id, card.question, 0, 0, VERDICTS[0], 0.0, 0.0, 0.0, 0.0, (), missed,
                      ref.derived, ref_card.id, lang, None, reason, tuple(notices + [reason]))

    def _finish(self, p: dict, answer_vectors: np.ndarray, whole_vector: np.ndarray,
                with_evidence: bool = True) -> Result:
        w = self.weights
        card, ref_card, text = p["card"], p["ref_card"], p["text"]
        ref = self.reference(ref_card)
        best, on_topic = self._raw(answer_vectors, ref)
        recall, focus = float(best.mean()), float(on_topic.mean()) if len(on_topic) else 0.0
        per_sentence = np.clip((best - ref.low) / (ref.high - ref.low), 0, 1)
        keep = max(1, int(np.ceil(w.recall_top * len(per_sentence))))
        recall_c = float(np.sort(per_sentence)[::-1][:keep].mean())
        focus_c = float(np.clip((on_topic - ref.focus_low) / (ref.focus_high - ref.focus_low), 0, 1).mean()) \
            if len(on_topic) else 0.0
        whole = float(whole_vector @ ref.whole)
        whole_c = float(np.clip((whole - ref.whole_low) / (ref.whole_high - ref.whole_low), 0, 1))
        semantic = ((1 - w.whole) * recall_c + w.whole * whole_c) * (1 - w.focus + w.focus * focus_c)
        match: Match = match_keywords(ref.keywords, text)
        coverage = match.coverage
        if ref.keywords:
            combined = w.semantic * semantic + w.coverage * coverage
        else:
            combined = semantic
        score = 100.0 * combined
        notices = list(p["notices"])
        n_words = word_count(text)
        if score > w.stuffing_cap and len(match.covered) >= 2 and match.leftover_words(
                [t for c in {card, ref_card} for k in (*c.keywords, *ref.keywords) for t in k.terms]) < 8:
            score = w.stuffing_cap
            notices.append("The answer lists key terms without explaining them; the score is capped.")
        if ref_card.id != card.id:
            notices.append(f"Graded against the {'Chinese' if ref_card.lang == 'zh' else 'English'} "
                           "version of the reference answer.")
        score_i = int(round(min(100.0, max(0.0, score))))
        band = sum(score_i >= edge for edge in w.band_edges)
        missed = tuple(MissedTerm(k.name, ref.sentence_with(k)) for k in match.missed)
        evidence = self._evidence(ref, answer_vectors) if with_evidence else None
        suggestion = _suggest(band, semantic, coverage, focus_c, missed, n_words)
        return Result(card.id, card.question, score_i, band, VERDICTS[band], round(semantic, 4),
                      round(coverage, 4), round(recall, 4), round(focus, 4),
                      tuple(k.name for k in match.covered), missed, ref.derived, ref_card.id,
                      p["lang"], evidence, suggestion, tuple(notices))

    def _evidence(self, ref: _Reference, answer_vectors: np.ndarray) -> Evidence | None:
        """The passage of the notes (same topic, another card) nearest to answer + reference."""
        card = ref.card
        if self.index is None:
            return None
        query = ref.vectors.mean(axis=0) + (answer_vectors.mean(axis=0) if len(answer_vectors) else 0)
        query = query / max(float(np.linalg.norm(query)), 1e-9)
        exclude = {card.id} | {c.id for c in self.bank.cards if card.pair and c.pair == card.pair
                               and c.topic == card.topic}
        hits = self.index.search_topic(query, card.topic, k=1, exclude=exclude)
        if not hits:
            return None
        found = hits[0].card
        text = found.answer if len(found.answer) <= 400 else found.answer[:399] + "…"
        return Evidence(found.topic, found.source or found.location, text, found.id)


def _suggest(band: int, semantic: float, coverage: float, focus: float,
             missed: tuple[MissedTerm, ...], n_words: int) -> str:
    if band <= 1 and semantic < 0.15:
        return "This does not answer the question yet: start from the core idea in one or two sentences."
    if missed and (coverage < 0.8 or band < 4):
        m = missed[0]
        return f"Bring in '{m.term}': {m.sentence}"
    if coverage >= 0.6 and semantic < 0.35:
        return "You name the right terms; now explain how they work together and why."
    if focus < 0.3 and n_words > 120:
        return "Cut what does not answer the question; interviewers value a focused answer."
    if n_words < 12:
        return "Correct direction; add one sentence on the mechanism or a number to show depth."
    return "Strong answer. To go further, add a concrete number or a trade-off from the paper."


def render_markdown(result: Result) -> str:
    """Feedback for a candidate, as Markdown (the chat, the CLI's text output)."""
    lines = [f"**Score: {result.score}/100**, band {result.band}/5 ({result.verdict}) · "
             f"semantic {result.semantic:.2f} · coverage {result.coverage:.2f}"]
    for notice in result.notices:
        if notice != result.suggestion:
            lines.append(f"> {notice}")
    if result.covered:
        lines.append("**Covered:** " + ", ".join(f"`{t}`" for t in result.covered))
    if result.missed:
        derived = " (terms taken from the reference answer)" if result.keywords_derived else ""
        lines.append(f"**Missed{derived}:**")
        lines.extend(f"- `{m.term}`: {m.sentence}" for m in result.missed)
    if result.evidence:
        e = result.evidence
        lines.append(f"**From the notes** ({e.topic}; {e.source}): {e.text}")
    if result.suggestion:
        lines.append(f"**Next step:** {result.suggestion}")
    return "\n\n".join(lines)
