"""Contradiction cues: an answer that sounds right but says the opposite of the reference.

Similarity cannot see that "the running mean" and "the mean of the test batch" disagree, so
the grader looks, sentence by sentence, for these cues and caps the band when one of the
capping ones fires (``scoring.Weights.capping_cues``):

- a **misconception** the notes list for the card, said more closely than any reference
  sentence;
- a **figure**: a key term with a number (256 anchors) not said, and a number the notes never give
  in an answer sentence about that term's reference sentence;
- a **number** where the reference's aligned sentence has a different one;
- a flipped **direction** (more/less, before/after, train/test, 静态/动态 ...);
- a **negation** that the aligned reference sentence does not have, or the reverse;
- a **binding**: a named quantity given another value than the reference gives it
  ("β1 = 0.999" where the reference says β1 = 0.9), wherever it is said;
- an **order**: lettered items put in another order than the reference's ("A, C, B" where it
  says BCA; ``orderings.py``);
- a **swap**: of two things the question sets side by side (A3C and DQN, Gini impurity and
  entropy, 按范数裁剪和按值裁剪), a clause that names one and says what the reference says only of
  the other, and another clause the reverse (``sides.py``).

Each of the first four cues needs the answer sentence to be aligned with a reference sentence
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
from typing import Sequence

import numpy as np

from . import figures, orderings
from .bank import GREEK
from .keywords import match_keywords
from .lexical import STOPWORDS, units
from .numerals import counted_otherwise
from .references import ReferenceSet
from .sides import attributed_otherwise, described_as_other, exchanged
from .text import _CJK, NEGATION_EN, NEGATION_ZH, singular

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
    close_margin: float = 0.2
    aligned: float = 0.7  # answer and reference sentence say the same thing but for the cue
    figure_aligned: float = 0.6  # an answer sentence speaks of a key figure's reference sentence
    negation_aligned: float = 0.8  # negation needs a tighter alignment: "not" is cheap
    one_side_traits: int = 2  # one side described with this many of the other's traits (sides.described_as_other)


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
    return bool(content) and not elsewhere and not (_inflection_of(a, b) or _inflection_of(singular(a), singular(b)))


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


# "this is wrong" in Chinese: in a sentence it rejects the claim beside it; opening the piece after
# a misconception it turns that one down ("认为 X，这是不对的": a long sentence is cut at its commas)
_TURNED_DOWN_ZH = (r"(?:这|这样|这种说法|这个说法|这种理解|这种看法|说法)(?:是|并|也)?"
                   r"(?:不对|不正确|不成立|错误|错的|站不住|一个误区|误解)")
# words that reject a claim outright, whatever the claim's own negations ("没有影响" denied by 不是说)
_REJECTING = re.compile(r"\b(?:contrary to|not the case|isn't the case|not true|misconception|myth|a mistake to|"
                        r"(?<!not )wrong to)\b|不是说|并不是|并非|恰恰相反|误区|误解|错误的说法|(?<!不是)两回事|不是一回事|"
                        + _TURNED_DOWN_ZH, re.I)


# a piece that turns down the one before it: "…，这是不对的", "Some say X. That is not true."
_REJECTED_NEXT = re.compile(r"\s*(?:但|但是|其实|可)?" + _TURNED_DOWN_ZH
                            + r"|\s*(?:but\s+)?(?:that|this|it)(?:'s|’s|\s+is|\s+was)\s+(?:simply\s+)?(?:wrong|"
                              r"not true|not the case|false|incorrect|a myth|a misconception|a common misconception)\b",
                            re.I)


# words that set a claim up as someone else's, to be denied by a negation after a "but" in the same
# sentence ("you might think ..., but it does not"; not "as you would expect, it uses ... not ...")
_SETTING_UP = re.compile(r"\b(?:might|may|could|would) (?:think|assume|expect|believe)|\b(?:people|many|some) (?:say|think|"
                         r"believe|assume)|\b(?:often|commonly|widely) (?:said|thought|believed|claimed|assumed)|"
                         r"\btempting\b|\bat first (?:sight|glance)", re.I)


# words that stand for a noun or a clause said before: "not the ones farthest", "does not do that"
_PRO_FORMS = frozenset({"one", "ones", "that", "this", "those", "these", "them"})
# the same in Chinese, right after a negation: "CLIP 没有这样做", "并非如此"
_ZH_PRO_FORM = re.compile(r"(?:不|没有|没|并非|并不)(?:是)?(?:这样|这么|如此)")
# "not necessarily": it denies what follows in full (合页损失不一定为零)
_NOT_NECESSARILY = re.compile(r"不一定|未必|并不一定")
# where an English sentence's clauses part: punctuation, and the words that bring in a reason or a
# contrast (kept, to tell a concession: "although it looks like the best choice, it is not")
_PART = re.compile(r"[,;:，；：。]|(?=\b(?:since|because|so|while|whereas|although|though|even if)\b)", re.I)
# a clause that grants a claim or only supposes it does not make it
_GRANTING = re.compile(r"^\s*(?:while|whereas|although|though|even if)\b|\b(?:could|might|may|would)\b|"
                       r"\b(?:looks|seems) like\b", re.I)
# where a sentence sets one case against another: "…, while …", "…; …", "…，而…"
_CONTRASTED = re.compile(r"[;；]|(?=\b(?:while|whereas|but)\b)|(?=而)", re.I)
# what turns a set-up claim down: "you might think …, but …"
_CONTRAST = re.compile(r"\b(?:but|however|yet)\b", re.I)


def rejects(said: str, claim: str, own: frozenset[str] = frozenset(), enough: int = 3) -> bool:
    """Whether `said` denies `claim` rather than makes it: one of them is negated and the other
    not, and in English the negation is of a word of the claim ("does not use" against "uses";
    "doesn't help" does not deny "tanh has the same maximum derivative"). A Chinese negation is
    a denial when what it falls on shares two units with the claim (`_falls_on`).

    >>> rejects("The 11-point AP does not use raw precision", "The 11-point AP uses the raw precision")
    True
    >>> rejects("Tanh doesn't help here since its maximum derivative is also 0.25", "tanh has the same maximum derivative")
    False
    >>> rejects("不是说无论怎么初始化都会收敛到同一个结果，恰恰相反", "没有影响，无论怎么初始化都会收敛到同一个结果")
    True

    "No" before a noun denies the claim whatever the verb: "requires no FC layers" denies "still
    needs FC layers", and so "wastes no data" denies "uses the most training data" too (a verb
    test mended the second and broke the first: benchmarks/RESULTS.md, session 8), unless another
    clause, with no negation, says `enough` of the claim's `own` words (`_affirms`) and the
    sentence does not set that clause up as someone else's belief ("you might think ..., but").

    >>> rejects("NIN requires no fully connected layers", "NIN still needs fully connected layers")
    True
    >>> rejects("LOO is not the best choice", "LOO is the best choice, with the lowest variance")
    True
    >>> rejects("It looks like the inverse of a convolution, but it is not one", "It is the inverse of a convolution")
    True
    """
    if _REJECTING.search(said):
        return True
    if _negated(claim):
        return not _negated(said) or _negates_the_rest(said, claim)
    if not _negated(said):
        return False
    setting_up = _SETTING_UP.search(said)
    if setting_up and _CONTRAST.search(said, setting_up.end()):
        return True
    if _CJK.search(said):  # before _affirms: a four-character word is three units of "own words"
        # two units of the claim, or one of its own ("k-means 不给概率" against "会给出…概率"), or
        # one after "not necessarily" (不一定为零); a pro-form denies the clause before it
        # ("CLIP 没有这样做", like English "does not do that")
        claimed = set(units(claim))
        if _falls_on(said, claimed) or _falls_on(said, own, 1) or _ZH_PRO_FORM.search(said):
            return True
        return bool(_NOT_NECESSARILY.search(said)) and _falls_on(_NOT_NECESSARILY.sub("不", said), claimed, 1)
    if own and _affirms(said, own, enough):
        return False
    claimed = [w for w in re.findall(r"[a-z]+", claim.lower()) if w not in STOPWORDS]
    # the negated word is a word of the claim, inflected at most ("not use" / "uses"): the first
    # word after the negation that is not a stop word, within four words of three letters or more
    # ("is not the best choice", "does not make k-NN more flexible"; "does not need large batches"
    # negates "need"). A pro-form there ("it is not one", "does not do that") denies the clause
    # before it; nothing there ("whether or not", "not so surprising") denies nothing.
    for m in NEGATION_EN.finditer(said):
        if said[:m.start()].lower().endswith("or "):
            continue
        words = re.findall(r"[a-z]{3,}", _after(said, m).lower())[:4]
        first = next((w for w in words if w in _PRO_FORMS or w not in STOPWORDS), "")
        if first in _PRO_FORMS or (first and any(_inflection_of(first, c) for c in claimed)):
            return True
    return False


def _after(said: str, negation: re.Match) -> str:
    """What follows a negation in its clause (read within 80 characters: a sentence of many
    negations is not split whole for each)."""
    return _PART.split(said[negation.end():negation.end() + 80], maxsplit=1)[0]


def _falls_on(said: str, wanted: set[str] | frozenset[str], enough: int = 2) -> bool:
    """Whether a negation in `said` falls on `enough` of the `wanted` units: what follows it in
    its clause, at most eight characters of Chinese or four words ("不需要负样本因为……" runs on
    without a comma). One unit the notes also use is too little: "而不是滑动平均的方差" shares only
    方差 with "BN 训练时用的是分母为 m − 1 的无偏方差".

    >>> _falls_on("量化训练不是只存整数权重", set(units("量化训练只保存和更新整数权重")))
    True
    >>> _falls_on("测试时也随机丢弃单元，对预测做平均，不用额外缩放", set(units("测试时也随机丢弃单元，以此对预测做平均")))
    False
    """
    for m in (*NEGATION_EN.finditer(said), *NEGATION_ZH.finditer(said)):
        rest = _after(said, m)
        rest = rest[:8] if _CJK.search(rest) else " ".join(rest.split()[:4])
        if len(set(units(rest)) & wanted) >= enough:
            return True
    return False


def _negates_the_rest(said: str, claim: str) -> bool:
    """Whether a negation in `said` falls on what `claim` says without one: "欧氏距离并不会自动平等对待各个
    特征" denies "欧氏距离平等对待所有特征，所以不需要做特征标准化", though both are negated.

    >>> _negates_the_rest("欧氏距离并不会自动平等对待各个特征", "欧氏距离平等对待所有特征，所以不需要做特征标准化")
    True
    >>> _negates_the_rest("欧氏距离平等对待所有特征，所以不用标准化", "欧氏距离平等对待所有特征，所以不需要做特征标准化")
    False
    """
    return _falls_on(said, set().union(*(units(c) for c in _PART.split(claim) if c.strip() and not _negated(c))))


def _inflection_of(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and len(long_) - len(short) <= 3


def _negated(text: str) -> bool:
    return bool(NEGATION_EN.search(text) or NEGATION_ZH.search(text))


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
    zero"); one with none keeps the bar of cosine alone.
    """
    claim = refs.misconceptions[j]
    wrong = refs.misconception_units[j] if refs.misconception_units else frozenset()
    shared = len(wrong & set(units(said)))
    if len(wrong) >= 2 and cosine >= th.misconception_close and cosine >= best_reference + th.close_margin:
        near = True
    elif not wrong:
        near = cosine >= th.misconception_bare and cosine >= best_reference + th.margin
    elif cosine < th.misconception:
        near = False
    else:
        near = ((cosine >= best_reference + th.margin and shared >= min(th.misconception_words, len(wrong)))
                or (cosine >= best_reference and shared >= th.misconception_many_words and 3 * shared >= len(wrong))
                or (cosine >= best_reference - th.half_words_margin and shared >= th.misconception_words
                    and 2 * shared >= len(wrong)))
    # a misconception differs from the notes in how its words go together, which the embedding
    # barely sees: "five conv layers then three FC layers" sat at cosine 0.93 to "three conv layers
    # then five FC layers", "阈值越高，保留的重叠框越多" near "阈值越低，保留的重叠框越多". Rejecting it, counting
    # a thing otherwise, taking the other direction, or (for a misconception in the notes' own
    # words) giving a compared side what it gives the other, is not saying it. These read text, so
    # they run only for a sentence near enough to say it
    return near and not (rejects(said, claim, wrong, th.misconception_many_words)
                         or counted_otherwise(said, claim) or flipped(_nearest_part(said, claim), claim, _DEGREES_ZH)
                         or (len(wrong) <= 1 and attributed_otherwise(said, claim, refs.card.question)))


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


def _affirms(said: str, wrong: frozenset[str], enough: int) -> bool:
    """Whether a clause of `said` with no negation in it says `enough` of a misconception's own
    words (`wrong`): a negation elsewhere in the sentence then does not deny the misconception.

    >>> own = frozenset({"alway", "best", "choice", "lowest", "uses"})
    >>> _affirms("Leave-one-out is always the best choice, since it wastes no data", own, 3)
    True
    >>> _affirms("Leave-one-out is not always the best choice, since it is costly", own, 3)
    False
    >>> _affirms("Although leave-one-out uses all data and looks like the best choice, it is not", own, 3)
    False
    """
    return any(not _negated(part) and not _GRANTING.search(part) and len(wrong & set(units(part))) >= enough
               for part in _PART.split(said))


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
         answer_lang: str, th: Thresholds = Thresholds(), answer: str = "") -> list[Contradiction]:
    """The contradiction cues in an answer (at most one per answer sentence); `answer` is the
    whole text, for the cues that read it in pieces of their own."""
    if not len(answer_vectors):
        return []
    found: list[Contradiction] = []
    ref_sents = [(s, r) for r in refs.references for s in r.sentences]
    ref_vecs = np.concatenate([r.vectors for r in refs.references])
    sim = answer_vectors @ ref_vecs.T  # (answer sentences, reference sentences)
    all_numbers = set().union(*(numbers(r.text) for r in refs.references))
    all_text = "\n".join(r.text for r in refs.references).lower()
    wrong_sim = answer_vectors @ refs.misconception_vectors.T if len(refs.misconceptions) else None
    bound = [(s, _bindings_of(s)) for s, _ in ref_sents]
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
        if wrong_sim is not None:
            j = int(wrong_sim[i].argmax())
            if (_says_misconception(said, float(wrong_sim[i, j]), best_ref, j, refs, th)
                    and not _REJECTED_NEXT.match(answer_sentences[i + 1] if i + 1 < len(answer_sentences) else "")):
                # with what the notes say instead (a misconception close to the answer's words
                # tells the reader nothing): the card's core line, the whole right answer in one
                # sentence; the reference sentence nearest the answer may be about something else
                right = next((r.text for r in refs.references if r.kind.endswith("core") and r.lang == answer_lang),
                             refs.as_written(ref_sents[k][0]) if k is not None else "")
                found.append(Contradiction("misconception", said, refs.misconceptions[j], right))
                continue
        clash = _clash(bindings(said), bound)
        if clash:
            found.append(Contradiction("binding", said, *clash))
            continue
        if k is None or sim[i, k] < th.aligned:
            continue
        ref_text = ref_sents[k][0]
        said_n, ref_n = numbers(said) - {"1"}, numbers(ref_text)
        if said_n and ref_n and not (said_n & ref_n) and not (said_n & all_numbers):
            found.append(Contradiction("number", said, ref_text,
                                       f"{', '.join(sorted(said_n))} vs {', '.join(sorted(ref_n))}"))
            continue
        flip = flipped(said, ref_text)
        # an answer that says the reference's side elsewhere knows it: "child networks training
        # at once" beside "3.65% test error" in the next sentence is no train/test flip; a flip
        # under a negation the reference does not have turns back ("a larger C does not mean
        # stronger regularization" against "smaller C means stronger regularization"); and a side
        # said of another thing is no flip ("a larger gain" against "smaller networks gain")
        if (flip and not _has(whole_answer, flip[1]) and _negated(said) == _negated(ref_text)
                and not _of_other_things(said, ref_text, flip)):
            found.append(Contradiction("direction", said, ref_text, f"{flip[0]} vs {flip[1]}"))
            continue
        similar_length = 0.67 <= len(said) / max(1, len(ref_text)) <= 1.5  # else a clause differs, not the claim
        if (sim[i, k] >= th.negation_aligned and similar_length and _negated(said) != _negated(ref_text)
                and not _echoes_reference(said, all_text)):
            found.append(Contradiction("negation", said, ref_text))
    return found
