"""Typing slips in an answer, mended towards the words its references use.

A candidate typing against the clock writes "ensamble" and "probabilty". Word overlap sees
neither (their stems are not the reference's), key-term matching lists "ensemble" as missed,
and the embedding drifts: a right answer with a few slips lost a band. A word is mended only
when it is no word at all: not in the English dictionary that ``pyspellchecker`` ships, not in
the bank's notes, not in the references. It then takes the reference word one slip away (one
edit for 5-7 letters, two from 8; a swap of two letters is one edit) that starts with the same
letter, if exactly one is nearest. A real word is never changed ("congestion" stays, though
"connection" is two edits away), nor a word the references do not use, nor another form of a
reference word ("normalises"); a British spelling ("centre" for "center") is read as the
reference's word but is not called a slip.

    >>> mend("The ensamble of thined networks", {"ensemble", "thinned", "networks"})
    Mended(text='The ensemble of thinned networks', slips=(('ensamble', 'ensemble'), ('thined', 'thinned')))
    >>> mend("Dropuot halves it", {"dropout"}).text  # a swap is one slip, the case is kept
    'Dropout halves it'
    >>> mend("the congestion window", {"connection", "window"}, {"congestion"}).slips
    ()
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Collection, Iterable, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LETTERS = 5
_WORD = re.compile(rf"(?<![A-Za-z0-9_'’])[A-Za-z]{{{MIN_LETTERS},}}(?![A-Za-z0-9_'’])")
_LETTERS = re.compile(r"[a-z]+")
_VOWEL = re.compile(r"[aeiouy]")


def slips_allowed(word: str) -> int:
    """Edits a word of this length may carry and still be read as the reference's word."""
    return 1 if len(word) < 8 else 2


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """The English words of ``pyspellchecker``'s dictionary (160,000; loaded once, on first use)."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def words(text: str) -> set[str]:
    """The lower-case letter runs of `text`: what counts as a word for mending."""
    return set(_LETTERS.findall(text.lower()))


def _group(words: frozenset[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for w in words:
        if len(w) >= MIN_LETTERS:
            out.setdefault(w[0], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


# one set of reference words per card; the dictionary and the notes' words in a cache of their
# own, so that a batch of many ad-hoc references never evicts them (grouping 160,000 words is slow)
_by_letter = lru_cache(maxsize=4096)(_group)
_lists_by_letter = lru_cache(maxsize=4)(_group)


def _near(word: str, grouped: dict[str, tuple[str, ...]], limit: int) -> list[tuple[int, str]]:
    """(distance, word) for each grouped word with `word`'s first letter at most `limit` slips away."""
    return [(int(d), w) for w, d, _ in process.extract(word, grouped.get(word[0], ()), scorer=OSA.distance,
                                                       score_cutoff=limit, limit=None)]


def _nearest(word: str, targets: frozenset[str], others: tuple[frozenset[str], ...]) -> str | None:
    """The one target nearest `word`, unless another word is nearer: "expliotation" is one slip
    from "exploitation" and two from the reference's "exploration", so it is not read as that (at
    the same distance the reference's word is the likelier: "thined" is "thinned", not "thine")."""
    near = _near(word, _by_letter(targets), slips_allowed(word))
    if not near:
        return None
    best = min(d for d, _ in near)
    found = [t for d, t in near if d == best]
    if len(found) > 1 or (best > 1 and any(w not in targets for words in others
                                           for _, w in _near(word, _lists_by_letter(words), best - 1))):
        return None
    return found[0]


class Mended(NamedTuple):
    text: str
    slips: tuple[tuple[str, str], ...]  # (as written, as read), each once, in order


def written_spans(spans: Iterable[tuple[int, int]], written: str, mended: str) -> list[tuple[int, int]] | None:
    """`spans` of `mended` (``mend``'s text of `written`) moved onto `written`, the text as
    typed, so that a key term found through a mended word is marked where it was typed. A span
    that starts or ends inside a mended word takes that word as typed; None when `mended` is not
    `written` with some words replaced.

    >>> w = "An ensamble of thined subnets"
    >>> m = mend(w, {"ensemble", "thinned", "subnets"}).text
    >>> [w[a:b] for a, b in written_spans([(3, 11), (15, 26), (23, 27)], w, m)]  # ensemble, thinned sub, subn
    ['ensamble', 'thined sub', 'subn']
    >>> written_spans([(0, 2)], "An ensamble", "An ensemble of nets") is None
    True
    """
    if written == mended:
        return list(spans)
    said, read = list(_WORD.finditer(written)), list(_WORD.finditer(mended))
    if len(said) != len(read):
        return None
    changed = [(m.start(), m.end(), w.start(), w.end()) for m, w in zip(read, said) if m.group() != w.group()]
    rebuilt, at = [], 0
    for ms, me, ws, we in changed:
        rebuilt += [written[at:ws], mended[ms:me]]
        at = we
    if "".join(rebuilt) + written[at:] != mended:
        return None
    starts = [c[0] for c in changed]

    def moved(x: int, end: bool) -> int:
        # the last mended word that starts before x (at or before, for a span's start)
        i = (bisect_left(starts, x) if end else bisect_right(starts, x)) - 1
        if i < 0:
            return x
        ms, me, ws, we = changed[i]
        if x < me or (end and x == me):
            return we if end else ws
        return x + we - me

    return [(moved(a, False), moved(b, True)) for a, b in spans]


def mend(text: str, targets: Collection[str], *known: frozenset[str]) -> Mended:
    """`text` with each non-word (not in the dictionary, `known` or `targets`) that is one slip
    from exactly one of `targets` (lower-case reference words), and no nearer to another word,
    replaced by it, in the writer's case."""
    english = dictionary()
    targets = frozenset(targets)
    others = (english, *known)
    slips: dict[tuple[str, str], None] = {}

    def fix(m: re.Match) -> str:
        said = m.group(0)
        word = said.lower()
        if (word in targets or any(word in k for k in others)
                or not _VOWEL.search(word)  # "hhhhtt" is a code, not a slip for "hhhttt"
                or not said[1:].islower() and not said.isupper()):  # "assignIP" is a name
            return said
        right = _nearest(word, targets, others)
        if (right is None or (word.endswith("nt") and not right.endswith("nt"))  # "shouldnt" is not "should"
                or another_form(word, right)):  # "normalises" for "normalise": counted alike already
            return said
        if not another_form(american(word), american(right)):  # "tokeniser" for "tokenizer" is a spelling
            slips[(said, right)] = None
        if said.isupper():
            return right.upper()
        return right[0].upper() + right[1:] if said[0].isupper() else right

    out = _WORD.sub(fix, text)
    return Mended(out, tuple(slips))


_ENDINGS = ("s", "es", "d", "ed", "ing", "er", "ers", "ly", "y")


def _bases(word: str) -> set[str]:
    out = {word}
    for end in _ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 4:
            out.add(word[: -len(end)])
    return out | {b + "e" for b in out}


def another_form(a: str, b: str) -> bool:
    """Whether two words are one word with regular endings ("normalises", "normalising" and
    "normalise"; "pretrains" and "pretrained"; not "softmaxx" and "softmax").

    >>> another_form("normalises", "normalise"), another_form("normalising", "normalise")
    (True, True)
    >>> another_form("pretrains", "pretrained"), another_form("bursty", "bursts")
    (True, True)
    >>> another_form("softmaxx", "softmax"), another_form("thined", "thinned")
    (False, False)
    """
    return bool(_bases(a) & _bases(b))


_AMERICAN = ((re.compile(r"is(e|ed|es|er|ers|ing|ation|ations)$"), r"iz\1"), (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
             (re.compile(r"our"), "or"), (re.compile(r"tre([sd]?)$"), r"ter\1"),
             (re.compile(r"ll(ing|ed|er|ers)$"), r"l\1"))


def american(word: str) -> str:
    """A British spelling written the American way (the dictionary and many notes are American).

    >>> [american(w) for w in ("normalise", "centre", "modelling", "behaviour", "analyse", "tokeniser")]
    ['normalize', 'center', 'modeling', 'behavior', 'analyze', 'tokenizer']
    """
    for pattern, replacement in _AMERICAN:
        word = pattern.sub(replacement, word)
    return word


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every word the given texts use (the bank's notes: their terms are words, not slips)."""
    out: set[str] = set()
    for t in texts:
        out |= words(t)
    return frozenset(out)


def listed(slips: tuple[tuple[str, str], ...], lang: str = "en", most: int = 3) -> str:
    """The slips as a reader of `lang` sees them, the first `most` of them.

    >>> listed((("ensamble", "ensemble"),))
    'ensamble → ensemble'
    >>> listed(tuple((w, w) for w in "abcde"), most=2), listed((("a", "b"), ("c", "d")), "zh")
    ('a → a, b → b (+3)', 'a → b；c → d')
    """
    shown = ("；" if lang == "zh" else ", ").join(f"{said} → {meant}" for said, meant in slips[:most])
    return shown + (f" (+{len(slips) - most})" if len(slips) > most else "")
