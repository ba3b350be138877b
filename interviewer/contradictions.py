"""Contradiction cues: an answer that sounds right but says the opposite of the reference.

Similarity cannot see that "the running mean" and "the mean of the test batch" disagree, so
the grader looks, sentence by sentence, for these cues and caps the band when one of the
capping ones fires (``weights.Weights.capping_cues``):

- a **misconception** the notes list for the card, said more closely than any reference
  sentence;
- a **figure**: a key term with a number (256 anchors) not said, and a number the notes never give
  in an answer sentence about that term's reference sentence;
- a **number** where the reference's aligned sentence has a different one;
- a flipped **direction** (more/less, before/after, train/test, 静态/动态 ...); also where the
  sentences are loosely aligned, when both sides follow the same word of the question ("the
  collision domain diameter will be increased" against "Diameter decreases");
- a **negation** that the aligned reference sentence does not have, or the reverse;
- a **binding**: a named quantity given another value than the reference gives it
  ("β1 = 0.999" where the reference says β1 = 0.9), wherever it is said;
- an **order**: lettered items put in another order than the reference's ("A, C, B" where it
  says BCA; ``orderings.py``);
- a **swap**: of two things the question sets side by side (A3C and DQN, Gini impurity and
  entropy, 按范数裁剪和按值裁剪), a clause that names one and says what the reference says only of
  the other, and another clause the reverse (``sides.py``).

A sentence that rejects a misconception rather than says it ("dropout is not applied at test
time") is read by ``denials.py``. Each of the first four cues needs the answer sentence to be
aligned with a reference sentence
(cosine above a threshold), so a sentence about something else never counts as contradicting;
a binding needs the same name on both sides instead.

    >>> sorted(numbers("It keeps 2,000 proposals and 0.5 IoU, 20-60 bytes, from (0,0) to (1,1), $6\\\\times10^{-8}$"))
    ['0', '0.5', '1', '10', '20', '2000', '6', '60', '8']
    >>> flipped("the loss increases at test time", "the loss decreases during training")
    ('increase', 'decrease')
    >>> bindings("defaults α=0.001, β1 = 0.9, beta2 0.999 and ε=1e-8; IoU 0.7, then IoU 0.3; size 4")
    {'alpha': ('0.001',), 'beta1': ('0.9',), 'beta2': ('0.999',), 'epsilon': ('1e-8',), 'iou': ('0.7', '0.3')}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from . import figures, orderings
from .bank import GREEK
from .keywords import match_keywords
from .lexical import STOPWORDS, inflection_of, stem, units, words_said
from .numerals import counted_otherwise
from .references import ReferenceSet
from .sides import attributed_otherwise, described_as_other, exchanged
from .denials import REJECTED_NEXT, negated, rejects, turned_next
from .text import _CJK, NEGATION_EN, NEGATION_ZH, detect_lang, english_clauses, singular

# a comma groups thousands only before three digits: (0,0) and (1,1) are pairs of numbers
_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?:,\d{3}(?!\d))*(?:\.\d+)?")
# a small square kernel names a layer ("1x1 convolution"), it is not a figure to get right
_KERNEL = re.compile(r"(?<![\d.])([1-5])\s*[x×]\s*\1(?![\d.])")
_NEGATED_WORD = re.compile(f"(?:{NEGATION_EN.pattern})\\s+\\w+", re.I)

# each pair: a word and its opposite (stems, matched at word starts in English). A pair whose
# opposite contains the word (linear / non-linear, 线性 / 非线性) can never fire: both are "said"
_OPPOSITES_EN = [
    ("increase", "decrease"), ("more", "less"), ("more", "fewer"), ("larger", "smaller"),
    ("higher", "lower"), ("before", "after"), ("training", "test"), ("training", "inference"),
    ("maximi", "minimi"), ("faster", "slower"), ("deeper", "shallower"), ("wider", "narrower"),
    ("add", "subtract"), ("multipl", "divid"), ("upper", "lower"), ("static", "dynamic"),
    ("positive", "negative"), ("overfit", "underfit"), ("first", "last"), ("encoder", "decoder"),
    # added 2026-12-06 (on the tune data they fire once, on a wrong claim: benchmarks/RESULTS.md)
    ("largest", "smallest"), ("maximum", "minimum"), ("highest", "lowest"), ("above", "below"),
    ("on-policy", "off-policy"), ("supervised", "unsupervised"), ("biased", "unbiased"),
    ("stochastic", "deterministic"), ("parallel", "serial"), ("parallel", "sequential"), ("sparse", "dense"),
    ("local", "global"), ("lossy", "lossless"), ("underestimat", "overestimat"), ("linear", "nonlinear"),
    ("independent", "dependent"), ("upsampl", "downsampl"),
]
_OPPOSITES_ZH = [
    ("增加", "减少"), ("增大", "减小"), ("更多", "更少"), ("变大", "变小"), ("升高", "降低"),
    ("之前", "之后"), ("训练", "测试"), ("训练", "推理"), ("最大化", "最小化"), ("静态", "动态"),
    ("大型", "小型"), ("更大", "更小"), ("更大", "减少"), ("更多", "减少"), ("更快", "更慢"), ("更高", "更低"), ("较多", "较少"), ("上升", "下降"), ("正样本", "负样本"), ("过拟合", "欠拟合"),
    ("最大", "最小"), ("有监督", "无监督"), ("同策略", "离策略"), ("有偏", "无偏"), ("串行", "并行"), ("稀疏", "稠密"),
    ("局部", "全局"), ("有损", "无损"), ("高估", "低估"), ("上采样", "下采样"), ("确定性", "随机性"),
]
# "the more …, the more …" in Chinese: opposite directions for a misconception ("阈值越高" is not
# "阈值越低"), but not for the direction cue, which would read "C 越大，正则化越弱" as a flip of the
# reference's equivalent "C 越小正则越强"
_DEGREES_ZH = [("越高", "越低"), ("越大", "越小"), ("越强", "越弱"), ("越多", "越少"), ("越快", "越慢")]


_ASKED = re.compile(r"[?？]\s*$")
_LEADING_LINK = re.compile(r"^(?:and|but|so|or|yet|while|whereas)\s+", re.I)
# the words said of something the sentence sets apart: "Unlike libraries that require missing values
# to be imputed, XGBoost learns a default direction" does not say XGBoost requires it
_UNLIKE = re.compile(r"\b(?:unlike|in contrast to|as opposed to|instead of|rather than|in place of)\b|不像|不同于|而不是|与其",
                     re.I)


# a symbol-like name (a Greek letter or a short identifier, an optional index), then = / : / a
# space, then a number: "β1 = 0.9", "beta2 0.999", "k=5". Long words are not names ("layers 3").
_BINDING = re.compile(r"(?<![\w.])([α-ωΑ-Ω]|[A-Za-z]{1,5})[_ ]?(\d?)\s*(?:=|:|\s)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)(?![\w.]|,\d{3}(?!\d))")


def bindings(text: str) -> dict[str, tuple[str, ...]]:
    """Named quantities and the values they are given, in order.

    >>> bindings("Adam with β1 = 0.9, beta2 0.999 and IoU 0.7"), bindings("About 12,800 were trained; LR 3")
    ({'beta1': ('0.9',), 'beta2': ('0.999',), 'iou': ('0.7',)}, {'lr': ('3',)})
    >>> bindings("IoU 0.5,0.7 and β1 = 0.9,0.999")
    {'iou': ('0.5',), 'beta1': ('0.9',)}"""
    out: dict[str, tuple[str, ...]] = {}
    for name, index, value in _BINDING.findall(text):
        key = GREEK.get(name.lower(), GREEK.get(name, name.lower())) + index
        # a Greek letter or an acronym ("IoU"); not a plain word ("size 3") and not a one-letter
        # variable (P[Y=3] names an event, not a setting: on SAF it fired on right answers only)
        # "IoU", "LR", not a capitalised word: "About 12,800 architectures" gives "About" no value
        symbol = key.rstrip("0123456789") in GREEK.values() or (len(name) > 1 and name[1:] != name[1:].lower())
        if symbol and value not in out.get(key, ()):
            out[key] = out.get(key, ()) + (value,)
    return out


@dataclass(frozen=True)
class Contradiction:
    kind: str  # misconception | figure | number | direction | negation | binding | swap | order
    said: str  # the answer sentence
    reference: str  # the reference sentence or the misconception it matches
    detail: str = ""  # e.g. "20000 vs 256"; for a misconception, what the notes say instead
    part: str = ""  # the clause of `said` that states it, when one clause does (quoted instead of the sentence)


@dataclass(frozen=True)
class Thresholds:
    """Chosen on the tune data (benchmarks/quality.py); see benchmarks/RESULTS.md."""

    misconception: float = 0.6  # cosine to a listed misconception
    margin: float = 0.1  # ... and this much closer than to any reference sentence
    misconception_words: int = 2  # ... and saying this many of its own words (all, if it has fewer)
    misconception_bare: float = 0.85  # the cosine a misconception with no words of its own needs
    # strong evidence of one kind lowers the bar for the other: a sentence that says three of a
    # misconception's own words (and a third of them) need only be nearer to it than to every
    # reference sentence; one this near it (and 0.2 nearer than to any reference) needs none of
    # them, if it has two or more (with fewer, its words are the notes' own in another order)
    misconception_many_words: int = 3
    # ... and a sentence that says half of them (two at least) may even sit this much nearer a
    # reference sentence: it says the notes' topic and the misconception's own words about it
    half_words_margin: float = 0.15
    misconception_close: float = 0.8
    # a sentence that says every one of a misconception's own words (three at least) needs only this
    # cosine, and to be nearer to it than to every reference sentence ("It's designed for regression
    # targets that can be negative, such as returns or price changes" sat at 0.58 to the misconception)
    all_words_own: int = 3
    all_words_cosine: float = 0.5
    close_margin: float = 0.2
    aligned: float = 0.7  # answer and reference sentence say the same thing but for the cue
    figure_aligned: float = 0.6  # an answer sentence speaks of a key figure's reference sentence
    negation_aligned: float = 0.8  # negation needs a tighter alignment: "not" is cheap
    # a direction flipped right after the same word of the question needs little alignment: "The collision
    # Domain Diameter will be increased to 10times" sat under 0.7 to "Diameter decreases by a factor of
    # 10" (SAF training, graded 0, scored 69), "the collision domain diameter will be increased." at 0.22.
    # At 0.2 it fires on 3 tune answers (English and Chinese), all graded <= 0.2, and on none of 4,156
    # right texts (the bank's answers and core lines, the dev and cue sets' answers; benchmarks/RESULTS.md)
    anchored_aligned: float = 0.2
    one_side_traits: int = 2  # one side described with this many of the other's traits (sides.described_as_other)
    clause_words: int = 10  # an English sentence this long is also read clause by clause for a misconception


def numbers(text: str) -> set[str]:
    # a LaTeX command is not a word before a number: $6\times10^{-8}$ says 10
    return {n.replace(",", "") for n in _NUMBER.findall(figures.LATEX_COMMAND.sub(" ", text))}


def _has(text: str, word: str) -> bool:
    if _CJK.match(word):
        return word in text
    return re.search(r"\b" + re.escape(word), text, re.I) is not None


def flipped(said: str, reference: str, pairs: Sequence[tuple[str, str]] = ()) -> tuple[str, str] | None:
    """(what the answer says, what the reference says) when they take opposite sides (of the
    opposites above, and of `pairs`)."""
    for a, b in (*_OPPOSITES_EN, *_OPPOSITES_ZH, *pairs):
        for x, y in ((a, b), (b, a)):
            if _has(said, x) and not _has(said, y) and _has(reference, y) and not _has(reference, x):
                return x, y
    return None


# the ends of a "the more …, the more …" link: 越高 … 越尖锐; "a higher temperature makes it sharper"
_DEGREE_ZH = re.compile(r"越\s*([^\s，,。；;、：:])")
_COMPARATIVES = ("higher lower larger smaller bigger more less fewer faster slower sharper softer smoother flatter "
                 "deeper shallower wider narrower longer shorter stronger weaker better worse").split()
_DEGREE_EN = re.compile(rf"\b({'|'.join(_COMPARATIVES)})\b", re.I)


# outcomes of a "the more …" link that are opposite only there (not for the direction cue: a
# "softer" answer is not a flip of every "sharper" in the notes)
_OPPOSITE_OUTCOMES_EN = [("sharper", "softer"), ("sharper", "smoother"), ("sharper", "flatter"), ("stronger", "weaker"),
                         ("better", "worse"), ("longer", "shorter")]


def _opposite_degrees() -> dict[str, frozenset[str]]:
    pairs = ([(x[1], y[1]) for x, y in _DEGREES_ZH] + _OPPOSITE_OUTCOMES_EN
             + [(x, y) for x, y in _OPPOSITES_EN if {x, y} <= set(_COMPARATIVES)])
    return {w: frozenset(b if a == w else a for a, b in pairs if w in (a, b)) for pair in pairs for w in pair}


_OPPOSITE_DEGREES = _opposite_degrees()  # "more": {"less", "fewer"}, 高: {低}


def _degrees(text: str) -> list[str]:
    return [m.group(1).lower() for m in (*_DEGREE_ZH.finditer(text), *_DEGREE_EN.finditer(text))]


def degree_turned(said: str, claim: str) -> bool:
    """Whether `said` ties the other end of `claim`'s first "the more …, the more …" link to its
    outcome, and never this end: "温度越低，softmax 越尖锐，温度越高分布越平滑" against "温度越高，softmax 越尖锐",
    or "a higher temperature makes it softer, and a lower one makes it sharper" against "a higher
    temperature makes it sharper", states both ends the right way round (a sentence that says
    both ends has no one direction to flip).

    >>> degree_turned("温度越低，softmax 越尖锐，温度越高则越平缓", "温度越高，softmax 越尖锐")
    True
    >>> degree_turned("温度越高，softmax 越尖锐", "温度越高，softmax 越尖锐，越接近 one-hot")
    False
    >>> degree_turned("A higher temperature makes it softer, and a lower one sharper", "A higher temperature makes it sharper")
    True

    So does tying this end to the opposite outcome ("a higher temperature makes it softer"):

    >>> degree_turned("A higher temperature makes the softmax softer", "A higher temperature makes the softmax sharper")
    True
    """
    wanted = _degrees(claim)
    if len(wanted) < 2 or wanted[0] not in _OPPOSITE_DEGREES:
        return False
    cause, outcome = wanted[0], wanted[1]
    found = _degrees(said)
    links = set(zip(found, found[1:]))
    turned = ({(other, outcome) for other in _OPPOSITE_DEGREES[cause]}
              | {(cause, other) for other in _OPPOSITE_DEGREES.get(outcome, ())})
    return bool(turned & links) and (cause, outcome) not in links


def _of_other_things(said: str, reference: str, flip: tuple[str, str]) -> bool:
    """Whether the two sides of an English `flip` qualify different words, each the word right after it.

    >>> _of_other_things("with a still larger gain at 0.25x", "Smaller networks gain the most", ("larger", "smaller"))
    True
    >>> _of_other_things("a larger C means more regularization", "a smaller C means more regularization", ("larger", "smaller"))
    False
    >>> _of_other_things("larger values of C give stronger regularization", "smaller C means stronger", ("larger", "smaller"))
    False
    """
    def qualified(text: str, side: str) -> str:
        m = re.search(r"\b" + re.escape(side) + r"\w*\s+([a-z]+)", text, re.I)
        return m.group(1).lower() if m else ""

    a, b = qualified(said, flip[0]), qualified(reference, flip[1])
    content = a and b and a not in STOPWORDS and b not in STOPWORDS
    # "larger values of C" still speaks of the reference's C
    elsewhere = content and re.search(r"\b" + re.escape(b) + r"\b", said, re.I)
    return bool(content) and not elsewhere and not (inflection_of(a, b) or inflection_of(singular(a), singular(b)))


_ANCHOR_UNITS = 4  # Chinese: how many units (bigrams, words) before a side may hold its subject
# a sentence that supposes, compares, reports or turns down a claim does not plainly state it ("A common
# mistake is to think the diameter increases", "Conversely, lowering the speed, the diameter increases"), or
# says when it holds ("When the loss plateaus the learning rate decreases" beside warm-up's increase)
_FRAMED = re.compile(r"\b(?:if|unless|otherwise|would|could|might|conversely|whereas|while|instead|than|rather|"
                     r"back|reverse|impossible|mistake|misconception|myth|wrong|false|incorrect|think|thinks|"
                     r"believe|believes|assume|assumes|suppose|when|whenever|during|first|initially|later|eventually)\b"
                     r"|如果|假如|假设|否则|反过来|反之|误区|误解|以为|错误|不对|比", re.I)


def _subject(text: str, side: str, asked: frozenset[str]) -> frozenset[str]:
    """What the first place `text` says `side` is said of, among the words of the question: in
    English the nearest content word before it in its clause, when the question has it (stopwords
    between are fine: "Diameter will be increased"; another word is not: "the learning rate … the
    loss increases" is said of the loss); in Chinese the question's units among the last few before it.

    >>> asked = frozenset({"collis", "domain", "diamet", "speed"})
    >>> sorted(_subject("The collision Domain Diameter will be increased", "increase", asked))
    ['diamet']
    >>> sorted(_subject("With a larger speed the loss increases", "increase", asked))
    []
    """
    if _CJK.match(side):
        at = text.find(side)
        if at < 0:
            return frozenset()
        return frozenset(units(re.split(r"[，。；：、,;:.!?()（）]", text[:at])[-1])[-_ANCHOR_UNITS:]) & asked
    m = re.search(r"\b" + re.escape(side), text, re.I)
    if m is None:
        return frozenset()
    clause = re.split(r"[,;:.!?()]", text[:m.start()])[-1]
    for word in reversed(re.findall(r"[A-Za-z][A-Za-z0-9-]*", clause)):
        if word.lower() not in STOPWORDS and len(word) > 2:
            return frozenset({stem(word.lower())}) & asked
    return frozenset()


def of_one_thing(said: str, reference: str, flip: tuple[str, str], question: str) -> bool:
    """Whether the two sides of a `flip` are said plainly of one thing the question asks about:
    each right after the same word of the question (`_subject`), and neither sentence negated nor
    framed (a condition, a comparison, a belief or a mistake named: `_FRAMED`).

    >>> q = 'What happens to the "collision domain diameter" if you increase the speed?'
    >>> of_one_thing("The collision Domain Diameter will be increased to 10 times", "Diameter decreases by a factor of 10",
    ...              ("increase", "decrease"), q)
    True
    >>> of_one_thing("The speed is increased tenfold", "Diameter decreases by a factor of 10", ("increase", "decrease"), q)
    False
    >>> of_one_thing("A common mistake is to think the diameter increases", "Diameter decreases by a factor of 10",
    ...              ("increase", "decrease"), q)
    False
    """
    if _FRAMED.search(said) or _FRAMED.search(reference) or negated(said) or negated(reference):
        return False
    asked = frozenset(stem(w.lower()) for w in re.findall(r"[A-Za-z][A-Za-z0-9-]*", question)) | frozenset(units(question))
    return bool(_subject(said, flip[0], asked) & _subject(reference, flip[1], asked))


def _turned_down(said: str, following: str) -> bool:
    """Whether the next sentence turns `said` down ("That is not true.", "但这是不对的")."""
    return bool(REJECTED_NEXT.match(following)) or turned_next(said, following)


@lru_cache(maxsize=8192)
def _bindings_of(reference_sentence: str) -> dict[str, tuple[str, ...]]:
    # a card's reference sentences are read again for every answer to it: parse each once
    return bindings(reference_sentence)


def _clash(said: dict[str, tuple[str, ...]], bound: list[tuple[str, dict]]) -> tuple[str, str] | None:
    """(the reference sentence, "name = said vs reference") for a value the reference never gives
    (by value: γ = 2.0 is γ = 2, β1 = .9 is β1 = 0.9).

    >>> _clash({"gamma": ("2.0",)}, [("γ = 2 works best", {"gamma": ("2",)})])
    >>> _clash({"beta1": ("0.999",)}, [("β1 = 0.9", {"beta1": ("0.9",)})])
    ('β1 = 0.9', 'beta1 = 0.999 vs 0.9')
    """
    for name, values in said.items():
        given = {float(v) for _, b in bound for v in b.get(name, ())}
        if given and not {float(v) for v in values} & given:
            sentence, b = next((s, b) for s, b in bound if name in b)
            return sentence, f"{name} = {values[0]} vs {b[name][0]}"
    return None


# where a sentence sets one case against another: "…, while …", "…; …", "…，而…"
_CONTRASTED = re.compile(r"[;；]|(?=\b(?:while|whereas|but)\b)|(?=而)", re.I)


def _negations(text: str) -> list[str]:
    """Each negation in `text` with what it negates: the next three characters in Chinese
    ("没有遗忘门" -> "没有遗忘门"), the next word in English ("not differentiable").

    >>> _negations("原始 LSTM 只有输入门和输出门，没有遗忘门"), _negations("It is not differentiable.")
    (['没有遗忘门'], ['not differentiable'])
    """
    out = [m.group(0) + text[m.end():m.end() + 3] for m in NEGATION_ZH.finditer(text)]
    out += [m.group(0) for m in _NEGATED_WORD.finditer(text)]
    return [n for n in out if len(n) > 2]


def _echoes_reference(said: str, references: str) -> bool:
    """The answer negates only what a reference itself negates: "没有遗忘门" where the reference
    says "…输出门，没有遗忘门" (a sentence split at the comma must not make that a contradiction)."""
    found = _negations(said)
    return bool(found) and all(n.lower() in references for n in found)


def _says_misconception(said: str, cosine: float, best_reference: float, j: int, refs: ReferenceSet,
                        th: Thresholds) -> bool:
    """Whether answer sentence `said` (at `cosine` to misconception `j`, and `best_reference` to the
    nearest reference sentence) states that misconception.

    The words that make a misconception wrong are its units that no reference and no question
    has. Cosine alone takes "下一步的状态和奖励只取决于当前状态和动作" for "给定当前状态和动作，下一个状态是确定的",
    and one shared word took "dropout randomly removes units" for "dropout permanently removes a
    fixed set of neurons", so the sentence needs two of them (all, if there are fewer), or
    three when it is not clearly nearer the misconception than the notes ("NMS 阈值越低，保留的重叠框越多"
    said as "阈值越低，留下的重叠框就越多"), or half of them when it is nearly as near a reference
    sentence ("A higher temperature makes the softmax over the similarities sharper, so the loss
    concentrates on the hardest negatives": its second clause is the notes'); or none, when it is
    very near the misconception and far from the notes, unless the misconception has fewer than two words of its own. Such a
    misconception is the notes' words in another order (two things swapped: "L2 sets weights to
    zero"); one with none keeps the bar of cosine alone. A sentence that says all of three or more
    own words needs a lower cosine (`Thresholds.all_words_cosine`), unless it sets them apart
    ("unlike libraries that require …").
    """
    claim = refs.misconceptions[j]
    wrong = refs.misconception_units[j] if refs.misconception_units else frozenset()
    # counted in words: two overlapping Chinese bigrams of one word are one word said
    shared, own = words_said(said, wrong), words_said(claim, wrong)
    if own >= 2 and cosine >= th.misconception_close and cosine >= best_reference + th.close_margin:
        near = True
    elif not wrong:
        near = cosine >= th.misconception_bare and cosine >= best_reference + th.margin
    elif (own >= th.all_words_own and shared >= own and cosine >= th.all_words_cosine and cosine >= best_reference
          and not _UNLIKE.search(said)):
        near = True
    elif cosine < th.misconception:
        near = False
    else:
        near = ((cosine >= best_reference + th.margin and shared >= min(th.misconception_words, own))
                or (cosine >= best_reference and shared >= th.misconception_many_words and 3 * shared >= own)
                or (cosine >= best_reference - th.half_words_margin and shared >= th.misconception_words
                    and 2 * shared >= own))
    # a misconception differs from the notes in how its words go together, which the embedding
    # barely sees: "five conv layers then three FC layers" sat at cosine 0.93 to "three conv layers
    # then five FC layers", "阈值越高，保留的重叠框越多" near "阈值越低，保留的重叠框越多". Rejecting it, counting
    # a thing otherwise, taking the other direction, or (for a misconception in the notes' own
    # words) giving a compared side what it gives the other, is not saying it. These read text, so
    # they run only for a sentence near enough to say it
    return near and not (rejects(said, claim, wrong, th.misconception_many_words)
                         or counted_otherwise(said, claim) or flipped(_nearest_part(said, claim), claim, _DEGREES_ZH)
                         or degree_turned(said, claim)
                         or (len(wrong) <= 1 and attributed_otherwise(said, claim, refs.card.question)))


def _in_clause(said: str, best_reference: float, ref_vecs: np.ndarray, refs: ReferenceSet, th: Thresholds,
               embed: Callable[[list[str]], np.ndarray]) -> tuple[int | None, str]:
    """The misconception (its index) that one clause of a long English sentence states, and that
    clause, when the sentence as a whole is too far from it: "All the stacked copies share a single
    set of weights, which keeps the model compact, and …" sat at cosine 0.46 to "All stacked copies
    of the searched cell share one set of weights", its first clause at 0.81.

    Only English misconceptions with words of their own, said in the clause, are looked for (a
    misconception in the notes' words in another order is said by right clauses too: "quadratic
    for small residuals and linear for large ones" sat at 0.94 to the reverse), and the nearest
    reference is the nearer of the clause's and the whole sentence's. A sentence that rejects the
    misconception as a whole ("People often assume a larger k …, but") does not state it, nor does
    a clause negated where the misconception is not. The clauses are embedded only when one of them
    shares such a word, so this costs nothing on most sentences.
    """
    parts = [] if _UNLIKE.search(said) else english_clauses(said, th.clause_words)  # "rather than requiring …"
    if not parts or not len(refs.misconceptions):
        return None, ""
    own = refs.misconception_units or tuple(frozenset() for _ in refs.misconceptions)
    wanted = [j for j, claim in enumerate(refs.misconceptions)
              if detect_lang(claim) == "en" and words_said(claim, own[j])]
    # at most eight: a sentence of 130 comma-joined clauses (a hostile answer) took a second to embed
    parts = [p for p in parts if any(words_said(p, own[j]) for j in wanted)][:8]
    if not parts:
        return None, ""
    vectors = embed(parts)
    for part, v in zip(parts, vectors):
        cosines = refs.misconception_vectors @ v
        j = int(np.argmax(cosines))
        if j not in wanted or not words_said(part, own[j]):
            continue
        best = max(best_reference, float((ref_vecs @ v).max()))
        claim = refs.misconceptions[j]
        # a clause negated where the misconception is not says something else: "…, but they are
        # not given to the network as inputs at test time" against "… are fed … at test time"
        if (negated(part) == negated(claim) and _says_misconception(part, float(cosines[j]), best, j, refs, th)
                and not rejects(said, claim, own[j], th.misconception_many_words)):
            return j, _LEADING_LINK.sub("", part)  # quoted: "all the copies share …", not "and all …"
    return None, ""


def _nearest_part(said: str, claim: str) -> str:
    """The part of `said`, of those it sets against each other, that shares the most units with
    `claim`: the one to read for its direction when a sentence takes both ("a lower temperature
    makes the softmax sharper, while a higher one makes it softer" against "a higher temperature
    makes the softmax sharper").

    >>> _nearest_part("A lower temperature makes it sharper, while a higher one makes it softer",
    ...               "A higher temperature makes the softmax sharper")
    'A lower temperature makes it sharper'
    """
    claimed = set(units(claim))
    parts = [p for p in _CONTRASTED.split(said) if p.strip()] or [said]
    return max(parts, key=lambda p: len(claimed & set(units(p)))).strip(" ,，")


def _key_figure(answer_sentences: Sequence[str], answer: str, answer_vectors: np.ndarray, refs: ReferenceSet,
                ref_sents: list, ref_vecs: np.ndarray, th: Thresholds) -> Contradiction | None:
    """A key figure given wrong: an authored key term with a number ("256 anchors", "0.39%") whose
    number the answer never gives, in any form (0.75 for 75%, 1e-3 for 0.001: `figures`), and an
    answer sentence that speaks of what the term's reference sentence speaks of (cosine >=
    `th.figure_aligned`) with a number the notes never give (nor the question, nor 1): "keeps 200
    proposals" where the notes say 2000 and 300.

    The notes' other numbers are left out (a number of another fact may be said rightly in the
    same sentence); so is any key term an answer states: this fires only where the figure is missing,
    and only for a sentence with one number the notes never give.
    """
    if refs.derived:
        return None
    given = [m for r in refs.references for m in figures.mentions(r.text)] + figures.mentions(refs.card.question)
    per_sentence = [[m for m in figures.mentions(s) if not figures.said(m, given) and 1.0 not in m.values]
                    for s in answer_sentences]
    if not any(per_sentence):
        return None
    in_answer = figures.mentions(answer)
    row = {sentence: n for n, (sentence, _) in enumerate(ref_sents)}
    for keyword in refs.keywords:
        term_figures = [m for t in keyword.terms for m in figures.mentions(_KERNEL.sub(" ", t))]
        if (not term_figures or match_keywords((keyword,), answer).covered
                or any(figures.said(m, in_answer) for m in term_figures)):
            continue
        where = refs.sentence_with(keyword)
        if where not in row:
            continue
        near = answer_vectors @ ref_vecs[row[where]]
        for i, foreign in enumerate(per_sentence):
            # one number the notes never give reads as a slip for the key figure; several are
            # details beyond the notes ("1,000,000 timesteps ... 10 epochs ... 64" beside a horizon of 2048)
            if len(foreign) == 1 and near[i] >= th.figure_aligned:
                return Contradiction("figure", answer_sentences[i], refs.as_written(where),
                                     f"{', '.join(m.text for m in foreign)} vs {keyword.name}")
    return None


def find(answer_sentences: Sequence[str], answer_vectors: np.ndarray, refs: ReferenceSet,
         answer_lang: str, th: Thresholds = Thresholds(), answer: str = "",
         embed: Callable[[list[str]], np.ndarray] | None = None, say: str = "") -> list[Contradiction]:
    """The contradiction cues in an answer (at most one per answer sentence); `answer` is the
    whole text, for the cues that read it in pieces of their own; `embed`, when given, embeds the
    clauses of a long English sentence that may state a misconception (`_in_clause`); `say` is the
    reader's language (default: the answer's)."""
    if not len(answer_vectors):
        return []
    say = say or answer_lang
    found: list[Contradiction] = []
    ref_sents = [(s, r) for r in refs.references for s in r.sentences]
    ref_vecs = np.concatenate([r.vectors for r in refs.references])
    sim = answer_vectors @ ref_vecs.T  # (answer sentences, reference sentences)
    all_numbers = set().union(*(numbers(r.text) for r in refs.references))
    all_text = "\n".join(r.text for r in refs.references).lower()
    wrong_sim = answer_vectors @ refs.misconception_vectors.T if len(refs.misconceptions) else None
    bound = [(s, _bindings_of(s)) for s, _ in ref_sents]
    cores: dict[str, str] = {}  # the first core line in each language
    for r in refs.references:
        if r.kind.endswith("core"):
            cores.setdefault(r.lang, r.text)
    same_lang = np.array([r.lang == answer_lang for _, r in ref_sents])
    only = refs.sides(answer_lang)
    swap = exchanged(answer_sentences, only) if only else None
    if swap is None and only and not refs.derived:
        swap = described_as_other(answer_sentences, only, th.one_side_traits)
    if swap:
        found.append(Contradiction("swap", swap.said, swap.reference, f"{swap.side} / {swap.other}"))
        if swap.mirror and swap.mirror != swap.said:  # both sentences are wrong: key terms said only there are missed
            found.append(Contradiction("swap", swap.mirror, swap.mirror_reference, f"{swap.other} / {swap.side}"))
    order = orderings.contradicted(answer, [s for s, _ in ref_sents], refs.card.question)
    if order:
        found.append(Contradiction("order", *order))
    whole_answer = "\n".join(answer_sentences)
    figure = _key_figure(answer_sentences, whole_answer, answer_vectors, refs, ref_sents, ref_vecs, th)
    if figure:
        found.append(figure)
    for i, said in enumerate(answer_sentences):
        if (swap and said in (swap.said, swap.mirror)) or (figure and said == figure.said) or (order and said == order[0]):
            continue  # one cue per sentence
        best_ref = float(sim[i].max())
        # the nearest reference sentence in the answer's language (the cues below are lexical)
        k = int(np.argmax(np.where(same_lang, sim[i], -np.inf))) if same_lang.any() else None
        following = answer_sentences[i + 1] if i + 1 < len(answer_sentences) else ""
        if wrong_sim is not None and not _ASKED.search(said):  # a question states nothing
            j, part = int(wrong_sim[i].argmax()), ""
            if not _says_misconception(said, float(wrong_sim[i, j]), best_ref, j, refs, th):
                j, part = (_in_clause(said, best_ref, ref_vecs, refs, th, embed) if answer_lang == "en" and embed
                           else (None, ""))
            if j is not None and not _turned_down(said, following):
                # with what the notes say instead (a misconception close to the answer's words
                # tells the reader nothing): the card's core line, the whole right answer in one
                # sentence, in the reader's language when the notes give it there (an English answer
                # in a 中文 session); the reference sentence nearest the answer may be about something else
                right = ((cores.get(say) or cores[answer_lang]) if answer_lang in cores
                         else refs.as_written(ref_sents[k][0]) if k is not None else "")
                found.append(Contradiction("misconception", said, refs.misconceptions[j], right, part))
                continue
        clash = _clash(bindings(said), bound)
        if clash:
            found.append(Contradiction("binding", said, *clash))
            continue
        if k is None:
            continue
        ref_text = ref_sents[k][0]
        aligned = sim[i, k] >= th.aligned
        if aligned:
            said_n, ref_n = numbers(said) - {"1"}, numbers(ref_text)
            if said_n and ref_n and not (said_n & ref_n) and not (said_n & all_numbers):
                found.append(Contradiction("number", said, ref_text,
                                           f"{', '.join(sorted(said_n))} vs {', '.join(sorted(ref_n))}"))
                continue
        flip = flipped(said, ref_text) if sim[i, k] >= th.anchored_aligned else None
        # an answer that says the reference's side elsewhere knows it: "child networks training
        # at once" beside "3.65% test error" in the next sentence is no train/test flip; a flip
        # under a negation the reference does not have turns back ("a larger C does not mean
        # stronger regularization" against "smaller C means stronger regularization"); and a side
        # said of another thing is no flip ("a larger gain" against "smaller networks gain").
        # Loosely aligned, only a plain flip of the thing asked about counts, where the question
        # sets no two things side by side (that is the swap cue's), and the next sentence does not
        # turn it down
        if flip and not _has(whole_answer, flip[1]) and (
                (aligned and negated(said) == negated(ref_text) and not _of_other_things(said, ref_text, flip))
                or (not aligned and not only and of_one_thing(said, ref_text, flip, refs.card.question)
                    and not _turned_down(said, following))):
            found.append(Contradiction("direction", said, ref_text, f"{flip[0]} vs {flip[1]}"))
            continue
        if not aligned:
            continue
        similar_length = 0.67 <= len(said) / max(1, len(ref_text)) <= 1.5  # else a clause differs, not the claim
        if (sim[i, k] >= th.negation_aligned and similar_length and negated(said) != negated(ref_text)
                and not _echoes_reference(said, all_text)):
            found.append(Contradiction("negation", said, ref_text))
    return found
