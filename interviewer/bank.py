"""The question bank's data types: `Keyword`, `Card`, `Topic`, `SyllabusEntry`, `Bank`.

Pure data and lookups, no I/O. Cards get stable ids derived from their topic and question,
so adding or removing an unrelated card never changes another card's id.

    >>> card_id("BatchNorm", "qa", "Why use BN?")
    'batchnorm-c824116b'
    >>> Keyword.parse("batch normalization = BN = 批归一化").aliases
    ('BN', '批归一化')
    >>> Keyword.parse("γ=2 = gamma=2").terms, Keyword.parse("G = 1").terms
    (('γ=2', 'gamma=2'), ('G', '1'))
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Iterable


KINDS = ("qa", "point", "concept")
LANGS = ("en", "zh")

# "G=1", "γ=2", "k0=4": a name and its value written with no space around "=" are one key term
# (a setting), not the aliases "G" and "1" (with which any 1 in an answer would count)
# a Greek letter and the name it is written as in Latin letters (one table: settings here, bindings
# in contradictions)
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta", "λ": "lambda",
         "μ": "mu", "σ": "sigma", "τ": "tau", "θ": "theta", "ρ": "rho", "eps": "epsilon"}
_GREEK_NAMES = "|".join(sorted({*GREEK.values(), *(k for k in GREEK if k.isascii())}, key=len, reverse=True))
# the value is a number or a capital letter (G=C); "d=e" stays two aliases
SETTING = re.compile(rf"(?<![\w.])((?:[α-ωΑ-Ω]|(?i:{_GREEK_NAMES})|[A-Za-z]{{1,2}})\d?)[=＝](-?\d+(?:\.\d+)?%?|[A-Z](?!\w))")


def slugify(text: str) -> str:
    """Lower-case ASCII slug; non-ASCII names fall back to a short hash.

    >>> slugify("Faster R-CNN"), slugify("Newton's Method")
    ('faster-r-cnn', 'newton-s-method')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "t" + hashlib.sha1(text.encode()).hexdigest()[:6]


def normalise_question(text: str) -> str:
    """Whitespace, case and trailing punctuation do not change a question's identity."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", " ", text).strip(" ?？.。!！")


def card_id(topic: str, kind: str, key_text: str) -> str:
    digest = hashlib.sha1(f"{kind}\x1f{normalise_question(key_text)}".encode()).hexdigest()
    return f"{slugify(topic)}-{digest[:8]}"


@dataclass(frozen=True)
class Keyword:
    """A key term and the other spellings that count as the same term."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @classmethod
    def parse(cls, spec: str) -> "Keyword":
        """`=` separates aliases, except inside a setting written without spaces (`SETTING`)."""
        kept = SETTING.sub(lambda m: f"{m.group(1)}\x00{m.group(2)}", spec)
        parts = [p.strip().replace("\x00", "=") for p in re.split("[=＝]", kept) if p.strip()]
        return cls(parts[0], tuple(parts[1:]))

    def __str__(self) -> str:
        return " = ".join(self.terms)


@dataclass(frozen=True)
class Card:
    """One askable item: a question with its reference answer."""

    id: str
    topic: str
    area: str
    kind: str  # qa | point | concept
    question: str
    answer: str
    keywords: tuple[Keyword, ...] = ()
    lang: str = "en"
    difficulty: int = 2
    source: str = ""  # paper title and year, or notes file and line
    pair: str = ""  # shared by the English and Chinese versions of one question
    location: str = ""  # file:line where the card was read
    core: str = ""  # the shortest complete answer: one line that a good candidate would say
    misconceptions: tuple[str, ...] = ()  # wrong claims that sound right; an answer making one is capped

    @property
    def text(self) -> str:
        """What the search index embeds for this card."""
        return f"{self.topic}. {self.question}\n{self.answer}"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["keywords"] = [str(k) for k in self.keywords]
        return data


@dataclass(frozen=True)
class Topic:
    """One `##` section of the notes: a paper or a concept."""

    name: str
    area: str
    paper: str = ""
    year: int | None = None
    aliases: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()  # the numbered points, as plain text
    references: tuple[str, ...] = ()
    location: str = ""
    name_zh: str = ""  # what a 中文 page calls it (the notes' `中文名`); "": its name as written

    @property
    def source(self) -> str:
        if self.paper and self.year:
            return f"{self.paper} ({self.year})"
        return self.paper


@dataclass(frozen=True)
class SyllabusEntry:
    """A reading-list line (`- [ ] ResNet "Deep residual learning ..."`)."""

    section: str
    name: str
    title: str
    year: int | None
    done: bool
    location: str = ""


@dataclass(frozen=True)
class Bank:
    """Topics and cards read from one or more notes files, plus what the parser noticed."""

    topics: tuple[Topic, ...] = ()
    cards: tuple[Card, ...] = ()
    syllabus: tuple[SyllabusEntry, ...] = ()
    warnings: tuple[str, ...] = ()
    files: tuple[str, ...] = field(default=(), compare=False)
    area_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (area, other names), e.g. 目标检测
    area_names: tuple[tuple[str, str], ...] = ()  # (area, its Chinese name)

    @cached_property
    def _by_id(self) -> dict[str, Card]:
        return {c.id: c for c in self.cards}

    def card(self, card_id_: str) -> Card:
        return self._by_id[card_id_]

    def get(self, card_id_: str) -> Card | None:
        return self._by_id.get(card_id_)

    @cached_property
    def _by_topic(self) -> dict[str, tuple[Card, ...]]:
        groups: dict[str, list[Card]] = {}
        for c in self.cards:
            groups.setdefault(c.topic, []).append(c)
        return {t: tuple(cs) for t, cs in groups.items()}

    @cached_property
    def _names_zh(self) -> dict[str, str]:
        return {**dict(self.area_names), **{t.name: t.name_zh for t in self.topics if t.name_zh}}

    def shown(self, name: str, lang: str) -> str:
        """A topic's or an area's name as a reader of `lang` sees it: on a 中文 page the notes'
        Chinese name where they give one (批归一化 for BatchNorm), else the name as written
        (ResNet stays ResNet).

        >>> b = Bank((Topic("BatchNorm", "Training", name_zh="批归一化"), Topic("ResNet", "CNNs")))
        >>> b.shown("BatchNorm", "zh"), b.shown("BatchNorm", "en"), b.shown("ResNet", "zh")
        ('批归一化', 'BatchNorm', 'ResNet')
        """
        return self._names_zh.get(name, name) if lang == "zh" else name

    def cards_of(self, topic: str) -> tuple[Card, ...]:
        """The cards of one topic, in bank order: one pass over all cards, not one per topic."""
        return self._by_topic.get(topic, ())

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.area for t in self.topics))

    def topic(self, name: str) -> Topic | None:
        wanted = name.casefold()
        for t in self.topics:
            if t.name.casefold() == wanted or wanted in (a.casefold() for a in t.aliases):
                return t
        return None

    def filter(
        self,
        *,
        area: str | None = None,
        topic: str | None = None,
        lang: str | None = None,
        kinds: Iterable[str] | None = None,
        difficulty: int | None = None,
    ) -> tuple[Card, ...]:
        kinds_ = set(kinds) if kinds is not None else None
        topic_ = self.topic(topic).name if topic and self.topic(topic) else topic
        return tuple(
            c
            for c in self.cards
            if (area is None or c.area.casefold() == area.casefold())
            and (topic_ is None or c.topic == topic_)
            and (lang is None or c.lang == lang)
            and (kinds_ is None or c.kind in kinds_)
            and (difficulty is None or c.difficulty == difficulty)
        )

    def twin(self, card: Card, lang: str) -> Card | None:
        """The same question in another language (cards linked by `pair`)."""
        if card.lang == lang:
            return card
        if not card.pair:
            return None
        return self._twins.get((card.topic, card.pair, lang))

    @cached_property
    def _twins(self) -> dict[tuple[str, str, str], Card]:
        # asked for every graded answer (which reference, which passage to quote): a lookup, not a scan
        out: dict[tuple[str, str, str], Card] = {}
        for c in self.cards:
            if c.pair:
                out.setdefault((c.topic, c.pair, c.lang), c)  # the first, as the scan found it
        return out

    @cached_property
    def content_hash(self) -> str:
        """Changes whenever any card's searchable content changes."""
        h = hashlib.sha256()
        for c in self.cards:
            h.update(json.dumps([c.id, c.text, c.lang], ensure_ascii=False).encode())
        return h.hexdigest()[:16]

    def counts(self) -> dict[str, int]:
        out = {"topics": len(self.topics), "cards": len(self.cards)}
        for kind in KINDS:
            out[kind] = sum(c.kind == kind for c in self.cards)
        for lang in LANGS:
            out[f"lang_{lang}"] = sum(c.lang == lang for c in self.cards)
        return out

    @staticmethod
    def merge(banks: Iterable["Bank"]) -> "Bank":
        banks = list(banks)
        return Bank(
            topics=tuple(t for b in banks for t in b.topics),
            cards=tuple(c for b in banks for c in b.cards),
            syllabus=tuple(s for b in banks for s in b.syllabus),
            warnings=tuple(w for b in banks for w in b.warnings),
            files=tuple(f for b in banks for f in b.files),
            area_aliases=tuple(a for b in banks for a in b.area_aliases),
            area_names=tuple(a for b in banks for a in b.area_names),
        )
