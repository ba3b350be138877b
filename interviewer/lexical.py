"""Lexical evidence: the content units of a text, and how many of a reference's an answer has.

A *content unit* is what carries meaning without segmentation or a dictionary: an English
word that is not a function word, cut to a short stem (so "normalises", "normalization" and
"normalized" meet), a number, or a Chinese character bigram. Units that the question
already contains earn nothing: repeating the question is not knowing the answer.

    >>> units("Batch normalization normalises each mini-batch.")
    ('batch', 'normal', 'normal', 'mini', 'batch')
    >>> units("批归一化")
    ('批归', '归一', '一化')
    >>> reference = units("At test time it uses the running averages of mean and variance")
    >>> round(recall(reference, units("BN uses running averages at test time"),
    ...              units("What does BN do at test time?")), 2)
    0.6
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Collection, Iterable, Sequence

from .orderings import joined
from .text import _CJK, CJK_RANGE

_TOKEN = re.compile(rf"[a-z]+|\d+(?:\.\d+)?|[{CJK_RANGE}]+")

STOPWORDS = frozenset("""
a an and are as at be been being both but by can could did do does doing done each for from had
has have having he her his how however i if in into is it its itself may might more most much
must my no nor not of on one only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up upon us very
was we were what when where which while who whom why will with within without would you your
also thus because therefore eg ie etc via per just like get gets got make makes made way ways
let lets all any every many few less least again further once here s t
""".split())
# Chinese function characters: a bigram made only of these says nothing about the content
_ZH_FUNCTION = frozenset("的了是在和与或及而因此这那其之也都就被把对从为以使可会要有个一不到时将让所等中上下")
STEM_LEN = 6
RECALL_CAP = 16  # chosen on tune data (benchmarks/RESULTS.md)
# the same content takes more units in Chinese (the bank's Chinese answers have 2.4x the units
# of their English twins), so a Chinese reference asks for more; 24 was best on the Chinese tune
# rows (20-24 alike; 38, the full 2.4x, lower: benchmarks/RESULTS.md)
RECALL_CAPS = {"en": RECALL_CAP, "zh": 24}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude, language-free stem: plural and common endings off, then at most 6 letters.

    >>> [stem(w) for w in ("windows", "transmission", "transmitted", "layers", "bias")]
    ['window', 'transm', 'transm', 'layer', 'bias']
    """
    if len(word) > 4:
        for end in ("ies", "es", "s", "ing", "ed", "ly"):
            if word.endswith(end) and not word.endswith(("ss", "us", "is")) and len(word) - len(end) >= 3:
                word = word[: -len(end)] + ("y" if end == "ies" else "")
                break
    return word[:STEM_LEN]


def inflection_of(a: str, b: str) -> bool:
    """Whether two words are one word inflected at most ("use" / "uses", "normalise" / "normalised").

    >>> inflection_of("use", "uses"), inflection_of("use", "useless")
    (True, False)
    """
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and len(long_) - len(short) <= 3


def units(text: str) -> tuple[str, ...]:
    """The content units of `text`, in order (with repeats); an order of lettered items is
    one unit ("B -> C -> A" has the unit of "BCA", ``orderings``)."""
    out: list[str] = []
    for tok in _TOKEN.findall(joined(text).lower()):
        if _CJK.match(tok):
            if len(tok) == 1:
                if tok not in _ZH_FUNCTION:
                    out.append(tok)
                continue
            out.extend(tok[i:i + 2] for i in range(len(tok) - 1)
                       if not (tok[i] in _ZH_FUNCTION and tok[i + 1] in _ZH_FUNCTION))
        elif tok[0].isdigit():
            out.append(tok)
        elif tok not in STOPWORDS and len(tok) > 1:
            out.append(stem(tok))
    return tuple(out)


def words_said(text: str, wanted: Collection[str]) -> int:
    """How many distinct words of `wanted` (content units) `text` says. An English unit is a word;
    Chinese units are character bigrams, and the bigrams of one word overlap ("假设下" gives 假设 and
    设下), so a run of them in the text counts once: two shared units would otherwise be one word.

    >>> words_said("MAE 相当于拉普拉斯噪声假设下的最大似然", {"假设", "设下", "高斯"})
    1
    >>> words_said("Dropout removes a fixed set of neurons", {"fix", "neuron", "perman"})
    2
    """
    said: set[str] = set()
    for tok in _TOKEN.findall(joined(text).lower()):
        if not _CJK.match(tok) or len(tok) == 1:  # one unit at most, as `units` reads it
            said.update(u for u in units(tok) if u in wanted)
            continue
        start = None
        for i in range(len(tok)):  # runs of wanted bigrams: tok[start:i+1] is one word
            hit = i < len(tok) - 1 and tok[i:i + 2] in wanted
            if hit and start is None:
                start = i
            elif not hit and start is not None:
                said.add(tok[start:i + 1])
                start = None
    return len(said)


# an example the reference gives is one way to say it, not content every answer must have:
# "Diameter decreases by a factor of 10, e.g 300m to 30m" asks for the decrease, not the metres
_MARKER = r"(?:\be\.\s?g\b\.?|\bfor (?:example|instance)\b|\bsuch as\b|例如|(?<!对)比如|譬如|举例来说)"
# an example in parentheses, 如 included (looked for within 300 characters: an unclosed "(e.g."
# repeated through a long cell would make the search quadratic)
_IN_PARENTHESES = re.compile(rf"[(（]\s*(?:{_MARKER}|如)[^)）]{{0,300}}[)）]", re.I)
# one that opens a clause (", e.g. 300m to 30m", "；例如 ReLU") runs to the clause's end; one that
# opens a sentence ("For example, a 90-epoch run …") to the sentence's end. One inside a clause
# ("models such as ConvNeXt apply LN", "skip connections e.g. ResNet train deeper") or set off by
# commas ("A3C, for example, keeps no replay"; "e.g.," still gives one) is left: the sentence goes
# on with its point
_OPENING = re.compile(rf"(?:(?P<sentence>^|(?<=[.!?。！？\n])|(?<=[.!?。！？]\s))|(?<=[,;:，；：])|(?<=[,;:，；：]\s))"
                      rf"\s*{_MARKER}(?P<comma>\s*[,，])?", re.I)
_CLAUSE_END = re.compile(r"[,;:\n，；：。！？!?)）]|\.(?!\S)")
_SENTENCE_END = re.compile(r"[\n。！？!?]|\.(?!\S)")


def without_examples(text: str) -> str:
    """`text` without the examples it gives: in parentheses, or opening a clause or a sentence
    with "e.g.", "for example", "such as", 例如 or 比如.

    >>> without_examples("Diameter decreases by a factor of 10, e.g 300m to 30m.")
    'Diameter decreases by a factor of 10,.'
    >>> without_examples("Each node then has the state (e.g. with Prim or Kruskal) stored locally.")
    'Each node then has the state  stored locally.'
    >>> without_examples("Models such as ConvNeXt apply LN over the channels.")
    'Models such as ConvNeXt apply LN over the channels.'
    """
    text = _IN_PARENTHESES.sub("", text)
    out, i = [], 0
    for m in _OPENING.finditer(text):
        if m.start() < i:
            continue
        opens_sentence = m.group("sentence") is not None
        if m.group("comma") and not opens_sentence and not m.group(0).lower().lstrip(" ,;:，；：").startswith("e"):
            continue  # ", for example, …": a manner of speaking ("e.g.," is not one)
        end = (_SENTENCE_END if opens_sentence else _CLAUSE_END).search(text, m.end())
        out.append(text[i:m.start()])
        i = end.start() if end else len(text)
    return "".join(out) + text[i:]


def recall(reference: Sequence[str], answer: Iterable[str], question: Iterable[str] = ()) -> float | None:
    """Share of the reference's distinct units, not in the question, that the answer has.

    None when the reference says nothing beyond the question.
    """
    wanted = set(reference) - set(question)
    if not wanted:
        return None
    return len(wanted & set(answer)) / len(wanted)


def capped_recall(reference: Sequence[str], answer: Iterable[str], question: Iterable[str] = (),
                  cap: int = RECALL_CAP) -> float | None:
    """Like `recall`, but a long reference asks for at most `cap` of its units.

    A teacher's reference often lists more than any good short answer says; an answer that
    has 16 of a 50-unit reference's units is as complete as one with 16 of 16.

    >>> capped_recall(tuple("abcdefghij"), "abcd", cap=4)
    1.0
    >>> capped_recall(tuple("abcdefghij"), "ab", cap=4)
    0.5
    """
    wanted = set(reference) - set(question)
    if not wanted:
        return None
    return min(1.0, len(wanted & set(answer)) / min(len(wanted), cap))


def length_ratio(answer: Iterable[str], reference: Iterable[str], question: Iterable[str] = (),
                 cap: float = 1.5) -> float:
    """How long the answer is next to the reference, in content units on a log scale, at most `cap`.

    >>> round(length_ratio("abc", "abcdefg"), 2)
    0.63
    >>> length_ratio("", "abc")
    0.0
    """
    n_answer = len(set(answer))
    n_reference = len(set(reference) - set(question))
    return min(cap, math.log1p(n_answer) / math.log1p(n_reference + 1))


def precision(reference: Iterable[str], answer: Sequence[str], question: Iterable[str] = ()) -> float | None:
    """Share of the answer's distinct units that the reference or the question also has."""
    said = set(answer)
    if not said:
        return None
    return len(said & (set(reference) | set(question))) / len(said)


_PIECE = re.compile(rf"[A-Za-z]+|\d+(?:\.\d+)?|[{CJK_RANGE}]+|[^\sA-Za-z\d{CJK_RANGE}]+")


def residual(text: str, question: Iterable[str]) -> str:
    """`text` without what it shares with the question: the part that is new information.

    An answer that frames itself with the question ("配送的种类按经营形式分类，分为…") looks close
    to any reference that does the same; comparing what is left tells right from wrong.

    >>> residual("配送的种类按经营形式分类，分为供求配送。", units("配送的种类按经营形式分类，分为哪些类型？"))
    '供求'
    >>> residual("Dropout zeroes random units during training", units("What does dropout do?"))
    'zeroes random units during training'
    """
    q = set(question)
    kept: list[str] = []
    for piece in _PIECE.findall(text):
        if _CJK.match(piece):
            drop = [False] * len(piece)
            for i in range(len(piece) - 1):
                if piece[i:i + 2] in q:
                    drop[i] = drop[i + 1] = True
            run = "".join(ch for ch, d in zip(piece, drop) if not d and ch not in _ZH_FUNCTION)
            if run:
                kept.append(run)
        elif piece[0].isalnum():
            low = piece.lower()
            if low not in STOPWORDS and (low.isdigit() or stem(low) not in q):
                kept.append(piece)
    return " ".join(kept)
