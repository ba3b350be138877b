"""Problems in a bank of notes that hurt grading: what `interviewer check` reports.

Each problem names the card's file:line and says how to fix it. The rules are the ones the
grader depends on: a key term the question already names earns nothing (so it is dead
weight in the rubric), twins must carry the same terms or one answer scores differently by
language, and the core answer and misconceptions feed the short-answer and contradiction
checks.

    >>> from interviewer.notes import parse_text
    >>> bank = parse_text('''# A
    ... ## Dropout
    ... 1. Drops units.
    ...
    ... #### Questions
    ...
    ... - Why does dropout scale activations?
    ...
    ...   Inverted dropout divides by 1-p so the expected value stays the same.
    ...
    ...   *Keywords:* dropout; expected value
    ...   *Level:* 1 · *Pair:* d-scale
    ... ''', "notes.md")
    >>> [p.message for p in audit(bank)][:2]
    ['key term "dropout" already occurs in the question: name what the answer adds instead', 'no *Core:* line: add the one-sentence answer a terse but right candidate gives']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz

from .bank import SETTING, Bank, Card, normalise_question
from .references import echoes_question
from .text import is_cjk


@dataclass(frozen=True)
class Problem:
    location: str  # file:line of the card or topic
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def audit(bank: Bank, near_duplicate: float = 92.0) -> list[Problem]:
    """Every problem of every question card, in file order."""
    qa = [c for c in bank.cards if c.kind == "qa"]
    pairs: dict[tuple[str, str], list[Card]] = defaultdict(list)
    for c in qa:
        if c.pair:
            pairs[(c.topic, c.pair)].append(c)
    problems: list[Problem] = []
    for c in qa:
        family = pairs.get((c.topic, c.pair), [c]) if c.pair else [c]
        problems += _card_problems(c, "\n".join(f.question for f in family))
    for (topic, slug), cards in pairs.items():
        problems += _pair_problems(slug, cards)
    problems += _duplicates(qa, near_duplicate)
    return sorted(problems, key=_order)


def _order(p: Problem) -> tuple[str, int]:
    path, _, line = p.location.rpartition(":")
    return (path, int(line)) if line.isdigit() else (p.location, 0)


def _card_problems(card: Card, questions: str) -> Iterable[Problem]:
    at = card.location
    if not card.keywords:
        yield Problem(at, "no *Keywords:* line: list 2-5 key terms the answer must contain")
    for k in card.keywords:
        if echoes_question(k, questions):
            yield Problem(at, f'key term "{k.name}" already occurs in the question: name what the answer adds instead')
        for t in k.terms:
            if len(t) == 1 and is_cjk(t):
                yield Problem(at, f'alias "{t}" of "{k.name}" is a single Chinese character: it matches far too much')
        for name, value in zip(k.terms, k.terms[1:]):
            if SETTING.fullmatch(f"{name}={value}"):
                yield Problem(at, f'"{name} = {value}" reads as two aliases, so any "{value}" in an answer counts: '
                                  f'write the setting without spaces, {name}={value}')
    if not card.core:
        yield Problem(at, "no *Core:* line: add the one-sentence answer a terse but right candidate gives")
    if not card.misconceptions:
        yield Problem(at, "no *Wrong:* line: add a wrong claim candidates make about this question")


def _pair_problems(slug: str, cards: list[Card]) -> Iterable[Problem]:
    langs = {c.lang for c in cards}
    if len(langs) < 2:
        yield Problem(cards[0].location, f'pair "{slug}" has no twin in the other language: add it or drop *Pair:*')
        return
    en = next(c for c in cards if c.lang == "en")
    zh = next(c for c in cards if c.lang == "zh")
    if len(en.keywords) != len(zh.keywords):
        yield Problem(zh.location, f'pair "{slug}": {len(en.keywords)} English key terms but {len(zh.keywords)} '
                                   "Chinese ones: give the twins corresponding terms")
        return
    for i, (a, b) in enumerate(zip(en.keywords, zh.keywords), 1):
        if not {t.casefold() for t in a.terms} & {t.casefold() for t in b.terms}:
            yield Problem(zh.location, f'pair "{slug}": key term {i} is "{a.name}" in English but "{b.name}" in '
                                       "Chinese with no spelling in common: add the other language's name as an alias")


def _duplicates(cards: list[Card], threshold: float) -> Iterable[Problem]:
    seen: dict[str, list[tuple[str, Card]]] = defaultdict(list)
    for c in cards:
        q = normalise_question(c.question)
        for other_q, other in seen[c.lang]:
            if other.topic != c.topic and fuzz.ratio(q, other_q) >= threshold:
                yield Problem(c.location, f'question nearly repeats {other.location} ("{other.question[:60]}"): '
                                          "ask something else or merge them")
                break
        seen[c.lang].append((q, c))
