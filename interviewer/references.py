"""What an answer is compared with: a card's references, embedded once and kept in a bounded cache.

A card is graded against every reference it has: its own answer, its twin in the other
language, the one-line core answers of both, and the misconceptions the notes list (which
are references for what *not* to say). Each reference is prepared once: its sentences and
whole text embedded, its content units (``lexical.units``) counted, and its *residual*, what
it says beyond the question, embedded too. Nothing here is calibrated against the bank, so a
reference from any field (a teacher's own reference column) is treated the same way.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from . import formulas, spelling
from .bank import Bank, Card, Keyword
from .text import detect_lang
from .derived_terms import TermWeights
from .keywords import match_keywords, negation_cancels
from .lexical import residual, units, without_examples
from .sides import said_only_of
from .text import LIST_ITEM, normalise, sentences


@dataclass(frozen=True)
class Reference:
    """One reference text, ready to compare with."""

    kind: str  # answer | twin | core | twin-core
    text: str
    lang: str
    units: frozenset[str]
    sentences: tuple[str, ...]
    vectors: np.ndarray  # one row per sentence
    whole: np.ndarray
    residual: np.ndarray | None  # None when the reference says nothing beyond the question
    # the units an answer is asked for: those of the text without the examples it gives
    # (lexical.without_examples); None: all of `units` (also when the text is all example:
    # "For example ReLU and Leaky ReLU." to "Name two non-saturating activations")
    required: frozenset[str] | None = None

    @property
    def asked(self) -> frozenset[str]:
        return self.units if self.required is None else self.required


@dataclass(frozen=True)
class ReferenceSet:
    """Everything a card is graded against."""

    card: Card
    references: tuple[Reference, ...]
    question_units: frozenset[str]  # the question's units in both languages: they earn nothing
    keywords: tuple[Keyword, ...]  # the key terms that count, without those the question gives away
    derived: bool  # True when the card had no authored key terms
    misconceptions: tuple[str, ...]
    misconception_vectors: np.ndarray
    # key terms no reference says negated: an answer's 不可微 does not earn 可微 (keywords.match_keywords)
    negation_cancels: frozenset[Keyword] = frozenset()
    # per misconception, its units that no reference and no question has: what makes it wrong
    misconception_units: tuple[frozenset[str], ...] = ()
    # the words of the references, questions and key terms: what a typing slip is mended towards
    words: frozenset[str] = frozenset()

    @property
    def main(self) -> Reference:
        return self.references[0]

    def sides(self, lang: str) -> dict[tuple[str, ...], tuple[frozenset[str], str, str]]:
        """What the references in `lang` say of each side the question compares and of no other
        (`sides.said_only_of`), worked out once per card and language."""
        if lang not in self._sides:
            self._sides[lang] = said_only_of(self.card.question, tuple(
                s for r in self.references if r.lang == lang for s in r.sentences), self.question_units)
        return self._sides[lang]

    @cached_property
    def _sides(self) -> dict[str, dict]:
        return {}

    def formula_stated(self, answer: str) -> bool:
        """Whether the answer writes every formula result of one of the card's core lines."""
        return any(formulas.states(answer, wanted) for wanted in self._formula_results)

    @cached_property
    def _formula_results(self) -> tuple[tuple[str, ...], ...]:
        return tuple(dict.fromkeys(w for r in self.references if r.kind in ("core", "twin-core")
                                   for w in [formulas.results(r.text)] if w))

    def keywords_in(self, reference: Reference) -> tuple[Keyword, ...]:
        """The key terms `reference` says: for one alternative of a teacher's reference, the derived
        terms an answer that takes it is asked for (the calculation route does not ask for "subset")."""
        if reference.text not in self._said_in:
            self._said_in[reference.text] = tuple(k for k in self.keywords
                                                  if match_keywords((k,), reference.text).covered)
        return self._said_in[reference.text]

    @cached_property
    def _said_in(self) -> dict[str, tuple[Keyword, ...]]:
        return {}

    def sentence_with(self, keyword: Keyword) -> str:
        """The reference sentence a key term comes from (the first one naming it)."""
        found = self._sources[keyword] if keyword in self._sources else self._search(keyword)
        return found if found is not None else self.main.sentences[0] if self.main.sentences else ""

    def shown_sentence_with(self, keyword: Keyword) -> str:
        """`sentence_with` as the notes write it, for the reader: the grader's pieces are cut
        after "i.e." and "et al.", which would show a missed term's sentence cut in half."""
        if keyword not in self._shown:
            return self.as_written(self.sentence_with(keyword))
        return self._shown[keyword]

    def as_written(self, piece: str) -> str:
        """The whole sentence of a reference that the grader's `piece` comes from."""
        for ref in self.references:
            if piece in ref.sentences:
                whole = next((s for s in sentences(ref.text, min_len=2, as_written=True) if piece in s), piece)
                return LIST_ITEM.sub("", whole, count=1)  # a list's "●" or "2." is not the sentence's
        return piece

    @cached_property
    def _shown(self) -> dict[Keyword, str]:
        return {keyword: self.as_written(self.sentence_with(keyword)) for keyword in self.keywords}

    def _search(self, keyword: Keyword) -> str | None:
        return next((s for ref in self.references for s in ref.sentences if match_keywords((keyword,), s).covered),
                    None)

    @cached_property
    def _sources(self) -> dict[Keyword, str | None]:
        # asked for every missed term of every answer: searched once per card, not per answer
        return {keyword: self._search(keyword) for keyword in self.keywords}


def split(text: str) -> list[str]:
    """The sentences a reference or an answer is compared by (at most 60)."""
    return (sentences(text, min_len=2) or [text])[:60]


def echoes_question(keyword: Keyword, question_text: str) -> bool:
    """A key term the question already names earns nothing and is never a hint."""
    return bool(match_keywords((keyword,), question_text).covered)


class References:
    """Prepares and keeps ReferenceSets; safe to share between threads.

    Cards of the bank stay for the life of the process; ad-hoc cards (a batch file's
    reference column) live in an LRU of ``max_adhoc`` entries so that a server that grades
    many uploads does not grow without end.
    """

    def __init__(self, bank: Bank, embed: Callable[[list[str]], np.ndarray], max_adhoc: int = 2048):
        self.bank = bank
        self._embed = embed
        self._terms = TermWeights(bank.cards)
        self._bank_ids = {c.id for c in bank.cards}
        self._sets: dict[str, ReferenceSet] = {}
        self._adhoc: OrderedDict[str, ReferenceSet] = OrderedDict()
        self._bank_answers: tuple[np.ndarray, np.ndarray] | None = None
        self._position = {c.id: i for i, c in enumerate(bank.cards)}
        self._eligible: dict[str, np.ndarray] = {}
        self._paired: dict[str, dict[Keyword, Keyword]] = {}  # bank cards only: `shown_term` needs a twin
        self._max_adhoc = max_adhoc
        self._lock = threading.Lock()
        self._vocabulary: frozenset[str] | None = None

    def vocabulary(self) -> frozenset[str]:
        """The words of the bank's notes, gathered once: words, not slips."""
        if self._vocabulary is None:  # two threads may both build it: the same set either way
            self._vocabulary = spelling.vocabulary(t for c in self.bank.cards for t in (c.question, c.answer, c.core))
        return self._vocabulary

    def mend(self, card: Card, text: str) -> spelling.Mended:
        """`text` with its typing slips mended towards the words `card`'s references use (``spelling.mend``)."""
        return spelling.mend(text, self.get(card).words, self.vocabulary())

    def elsewhere(self, card: Card, whole: np.ndarray, lang: str) -> tuple[float, Card | None]:
        """How much closer an answer in `lang` (its whole-text vector) is to the answer of another
        of the bank's questions than to its own card's or twin's: (that margin, that card), or
        (0, None). The other questions are the authored ones (not the notes' key-idea points),
        in the answer's language (cosines across languages run on another scale), of other topics.

        An answer to a different question ("label smoothing …" for cross-entropy versus MSE)
        shares the field's words and sits near the reference anyway; its nearness to the card it
        does answer says what it is. Only for the bank's own cards: an ad-hoc reference is not
        one of the bank's questions.
        """
        if card.id not in self._bank_ids:
            return 0.0, None
        answers, topics, eligible = self._answers(lang)
        sims = answers @ whole
        family = [self._position[f.id] for f in self._family(card)]
        own = float(sims[family].max())
        others = np.where(eligible & (topics != card.topic), sims, -np.inf)
        others[family] = -np.inf
        best = int(np.argmax(others))
        gap = float(others[best]) - own
        return (gap, self.bank.cards[best]) if gap > 0 else (0.0, None)

    def neighbours(self) -> None:
        """Build what `elsewhere` compares with now rather than on the first answer."""
        if self.bank.cards:
            self._answers("en")

    def _answers(self, lang: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every bank card's answer, embedded once (through the vector cache), its topic, and
        whether it is an authored question in `lang`."""
        with self._lock:
            if self._bank_answers is None:
                cards = self.bank.cards
                self._bank_answers = (self._embed([c.answer or c.question for c in cards]),
                                      np.array([c.topic for c in cards], dtype=object))
            if lang not in self._eligible:
                self._eligible[lang] = np.array([c.kind == "qa" and c.lang == lang for c in self.bank.cards])
            return (*self._bank_answers, self._eligible[lang])

    def shown_term(self, card: Card, keyword: Keyword, lang: str) -> tuple[str, str]:
        """A key term of `card` and the reference sentence it comes from, as a reader of `lang`
        sees them: the twin's term and sentence when the card is in the other language (an
        English answer to a Chinese card is told "odds ratio", not "优势比")."""
        twin = self._twin(card)
        if twin is not None and twin.lang == lang != card.lang:
            theirs = self._twin_terms(card, twin).get(keyword)
            if theirs is not None:
                return theirs.name, self.get(twin).shown_sentence_with(theirs)
        return keyword.name, self.get(card).shown_sentence_with(keyword)

    def _twin_terms(self, card: Card, twin: Card) -> dict[Keyword, Keyword]:
        """Each key term of `card` and the twin's term sharing a spelling with it, paired once
        per card (asked for every covered and missed term of every answer across languages)."""
        with self._lock:
            found = self._paired.get(card.id)
        if found is None:
            theirs = [(k, {normalise(t) for t in k.terms}) for k in self.get(twin).keywords]
            found = {}
            for k in self.get(card).keywords:
                said = {normalise(t) for t in k.terms}
                match = next((t for t, spellings in theirs if said & spellings), None)
                if match is not None:
                    found[k] = match
            with self._lock:
                self._paired[card.id] = found
        return found

    def in_bank(self, card: Card) -> bool:
        return card.id in self._bank_ids

    def texts(self, card: Card) -> list[str]:
        """Every text `get(card)` embeds (for embedding many cards in one call)."""
        out: list[str] = []
        q_units = self._question_units(card)
        for _, text, _ in self._sources(card):
            out += split(text) + [text]
            r = residual(text, q_units)
            if r:
                out.append(r)
        return out + [m for c in self._family(card) for m in c.misconceptions]

    def get(self, card: Card) -> ReferenceSet:
        with self._lock:
            found = self._sets.get(card.id) or self._adhoc.get(card.id)
            if found is not None:
                if card.id in self._adhoc:
                    self._adhoc.move_to_end(card.id)
                return found
        built = self._build(card)
        with self._lock:
            if card.id in self._bank_ids:
                self._sets[card.id] = built
            else:
                self._adhoc[card.id] = built
                while len(self._adhoc) > self._max_adhoc:
                    self._adhoc.popitem(last=False)
        return built

    # ------------------------------------------------------------ building

    def _family(self, card: Card) -> list[Card]:
        twin = self._twin(card)
        return [card] + ([twin] if twin is not None else [])

    def _twin(self, card: Card) -> Card | None:
        other = "zh" if card.lang == "en" else "en"
        twin = self.bank.twin(card, other) if card.id in self._bank_ids else None
        return twin if twin is not None and twin.id != card.id else None

    def _sources(self, card: Card) -> list[tuple[str, str, str]]:
        twin = self._twin(card)
        out = [("answer", card.answer or card.question, card.lang)]
        if twin is not None:
            out.append(("twin", twin.answer, twin.lang))
        if card.core:
            out.append(("core", card.core, card.lang))
        if twin is not None and twin.core:
            out.append(("twin-core", twin.core, twin.lang))
        if card.id not in self._bank_ids:  # an ad-hoc reference: its language is what it is written in
            out[0] = ("answer", out[0][1], detect_lang(out[0][1]))
            out += [("alternative", text, out[0][2]) for text in alternatives(out[0][1])]
        return out

    def _question_units(self, card: Card) -> frozenset[str]:
        return frozenset(u for c in self._family(card) for u in units(c.question))

    def _build(self, card: Card) -> ReferenceSet:
        q_units = self._question_units(card)
        family = self._family(card)
        refs = []
        for kind, text, lang in self._sources(card):
            sents = split(text)
            r_text = residual(text, q_units)
            vecs = self._embed(sents + [text] + ([r_text] if r_text else []))
            refs.append(Reference(kind, text, lang, frozenset(units(text)) - q_units, tuple(sents),
                                  vecs[: len(sents)], vecs[len(sents)],
                                  vecs[len(sents) + 1] if r_text else None,
                                  frozenset(units(without_examples(text))) - q_units or None))
        keywords, derived = card.keywords, False
        if not keywords:
            keywords, derived = self._terms.derive(card), True
        questions = "\n".join(c.question for c in family)
        keywords = tuple(k for k in keywords if not echoes_question(k, questions))
        wrong = tuple(dict.fromkeys(m for c in family for m in c.misconceptions))
        wrong_vecs = self._embed(list(wrong)) if wrong else np.zeros((0, refs[0].whole.shape[0]), np.float32)
        cancels = negation_cancels(keywords, "\n".join(r.text for r in refs))
        said = q_units.union(*(r.units for r in refs))
        wrong_units = tuple(frozenset(units(m)) - said for m in wrong)
        words = spelling.vocabulary([questions, *(r.text for r in refs), *(t for k in keywords for t in k.terms)])
        return ReferenceSet(card, tuple(refs), q_units, keywords, derived, wrong, wrong_vecs, cancels, wrong_units,
                            words)


# a teacher's reference that accepts any one of several answers: "One of the following
# justifications should be given:" then a list
_ONE_OF = re.compile(r"(?<!each )(?<!every )\b(?:one|any|either) of the following\b[^:\n]{0,120}:"
                     r"|(?:[答写给说列]出)?(?:以下|下列)(?:任意?一|其中之?一)[^：:\n]{0,60}[：:]", re.I)


# each alternative is embedded as a reference of its own; a longer list is read as one reference
# (capped recall already asks only part of a long one)
MAX_ALTERNATIVES = 12


def alternatives(text: str) -> list[str]:
    """The answers a reference accepts when it lists alternatives: what comes before "one of
    the following …:" together with each item of the list after it (an item keeps the lines
    under it that are indented deeper or marked otherwise), and what follows the list. [] when
    it lists none, or more than `MAX_ALTERNATIVES` ("each one of the following" lists no choice).

    >>> alternatives("The order is BCA. One of the following should be given:\\n- B is a special case of C"
    ...              "\\n- a calculation:\\n  ○ P(B) = 0.014\\n- B is stricter than C")
    ['The order is BCA. B is a special case of C', 'The order is BCA. a calculation:\\n  ○ P(B) = 0.014', \
'The order is BCA. B is stricter than C']
    """
    found = _ONE_OF.search(text)
    if not found:
        return []
    before, items, marker, indent = text[:found.start()].strip(), [], None, 0
    lines = text[found.end():].splitlines()
    after = ""
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        bullet = LIST_ITEM.match(line)
        depth = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        kind = bullet.group(0).strip()[:1] if bullet else None
        if bullet and (marker is None or (depth <= indent and _same_marker(kind, marker))):
            if marker is None:  # the first item sets the list's marker and depth
                marker, indent = kind, depth
            items.append([line[bullet.end():].strip()])
        elif items and (depth > indent or bullet or len(items[-1]) > 1):
            items[-1].append(line.rstrip())  # a sub-item, or a line of an item with sub-items
        else:  # the list is over: what follows belongs to every alternative
            after = "\n".join(lines[n:]).strip()
            break
    if not 2 <= len(items) <= MAX_ALTERNATIVES:
        return []
    return [" ".join(p for p in (before, "\n".join(item), after) if p) for item in items]


def _same_marker(a: str, b: str) -> bool:
    return a == b or (a.isdigit() and b.isdigit()) or (a.isalpha() and b.isalpha())


def embed_all(refs: References, cards: Sequence[Card], embed: Callable[[list[str]], np.ndarray]) -> int:
    """Embed every reference text of `cards` in one call (fills the vector cache); how many."""
    texts = [t for c in cards for t in refs.texts(c)]
    if texts:
        embed(texts)
    return len(texts)
