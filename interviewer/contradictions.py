"""Contradiction cues: an answer that sounds right but says the opposite of the reference.

Similarity cannot see that "the running mean" and "the mean of the test batch" disagree, so
the grader looks, sentence by sentence, for four cues and caps the band when one fires:

- a **misconception** the notes list for the card, said more closely than any reference
  sentence;
- a **number** where the reference's aligned sentence has a different one;
- a flipped **direction** (more/less, before/after, train/test, 静态/动态 ...);
- a **negation** that the aligned reference sentence does not have, or the reverse;
- a **binding**: a named quantity given another value than the reference gives it
  ("β1 = 0.999" where the reference says β1 = 0.9), wherever it is said;
- a **swap**: of two things the question sets side by side (A3C and DQN, Gini impurity and
  entropy, 按范数裁剪和按值裁剪), a clause that names one and says what the reference says only of
  the other, and another clause the reverse.

Each of the first four cues needs the answer sentence to be aligned with a reference sentence
(cosine above a threshold), so a sentence about something else never counts as contradicting;
a binding needs the same name on both sides instead.

    >>> sorted(numbers("It keeps 2,000 proposals and 0.5 IoU, 20-60 bytes"))
    ['0.5', '20', '2000', '60']
    >>> flipped("the loss increases at test time", "the loss decreases during training")
    ('increase', 'decrease')
    >>> sides("Compare Gini impurity and entropy. Does it matter?"), sides("比较 A3C 和 DQN 的硬件需求")
    ([('gini', 'impurity'), ('entropy',)], [('a3c',), ('dqn',)])
    >>> sides("What is DHCP? How does it differ from RARP, and why?")
    []
    >>> bindings("defaults α=0.001, β1 = 0.9, beta2 0.999 and ε=1e-8; IoU 0.7, then IoU 0.3; size 4")
    {'alpha': ('0.001',), 'beta1': ('0.9',), 'beta2': ('0.999',), 'epsilon': ('1e-8',), 'iou': ('0.7', '0.3')}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from .lexical import STOPWORDS, units
from .references import ReferenceSet
from .text import _CJK, CJK_RANGE, ZH_NEGATION_WORDS

_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?:[.,]\d+)*")
_NEGATION_EN = re.compile(r"\b(?:not|no|never|cannot|can't|don't|doesn't|isn't|aren't|won't|without|neither|nor)\b|n't\b", re.I)
_NEGATION_ZH = re.compile("|".join(ZH_NEGATION_WORDS))
_NEGATED_WORD = re.compile(f"(?:{_NEGATION_EN.pattern})\\s+\\w+", re.I)

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


_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta", "λ": "lambda",
          "μ": "mu", "σ": "sigma", "τ": "tau", "θ": "theta", "ρ": "rho", "eps": "epsilon"}
# a symbol-like name (a Greek letter or a short identifier, an optional index), then = / : / a
# space, then a number: "β1 = 0.9", "beta2 0.999", "k=5". Long words are not names ("layers 3").
_BINDING = re.compile(r"(?<![\w.])([α-ωΑ-Ω]|[A-Za-z]{1,5})[_ ]?(\d?)\s*(?:=|:|\s)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)(?![\w.])")


def bindings(text: str) -> dict[str, tuple[str, ...]]:
    """Named quantities and the values they are given, in order."""
    out: dict[str, tuple[str, ...]] = {}
    for name, index, value in _BINDING.findall(text):
        key = _GREEK.get(name.lower(), _GREEK.get(name, name.lower())) + index
        # a Greek letter or an acronym ("IoU"); not a plain word ("size 3") and not a one-letter
        # variable (P[Y=3] names an event, not a setting: on SAF it fired on right answers only)
        symbol = key.rstrip("0123456789") in _GREEK.values() or (name != name.lower() and len(name) > 1)
        if symbol and value not in out.get(key, ()):
            out[key] = out.get(key, ()) + (value,)
    return out


@dataclass(frozen=True)
class Contradiction:
    kind: str  # misconception | number | direction | negation | binding | swap
    said: str  # the answer sentence
    reference: str  # the reference sentence or the misconception it matches
    detail: str = ""  # e.g. "20000 vs 256"; for a misconception, what the notes say instead


@dataclass(frozen=True)
class Thresholds:
    """Chosen on the tune data (benchmarks/quality.py); see benchmarks/RESULTS.md."""

    misconception: float = 0.85  # cosine to a listed misconception
    margin: float = 0.1  # ... and this much closer than to any reference sentence
    aligned: float = 0.7  # answer and reference sentence say the same thing but for the cue
    negation_aligned: float = 0.8  # negation needs a tighter alignment: "not" is cheap


def numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _has(text: str, word: str) -> bool:
    if _CJK.match(word):
        return word in text
    return re.search(r"\b" + re.escape(word), text, re.I) is not None


def flipped(said: str, reference: str) -> tuple[str, str] | None:
    """(what the answer says, what the reference says) when they take opposite sides."""
    for a, b in _OPPOSITES_EN + _OPPOSITES_ZH:
        for x, y in ((a, b), (b, a)):
            if _has(said, x) and not _has(said, y) and _has(reference, y) and not _has(reference, x):
                return x, y
    return None


@lru_cache(maxsize=8192)
def _bindings_of(reference_sentence: str) -> dict[str, tuple[str, ...]]:
    # a card's reference sentences are read again for every answer to it: parse each once
    return bindings(reference_sentence)


def _clash(said: dict[str, tuple[str, ...]], bound: list[tuple[str, dict]]) -> tuple[str, str] | None:
    """(the reference sentence, "name = said vs reference") for a value the reference never gives."""
    for name, values in said.items():
        given = {v for _, b in bound for v in b.get(name, ())}
        if given and not set(values) & given:
            sentence, b = next((s, b) for s, b in bound if name in b)
            return sentence, f"{name} = {values[0]} vs {b[name][0]}"
    return None


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
# what sets two things side by side in a question: "A3C with DQN", "Gini impurity and entropy",
# "A3C 和 DQN". Only these: names in general (DHCP, IPv4) fired on right SAF answers
_SIDE_BY_SIDE = re.compile(r"\s+(?:and|vs\.?|versus|with|or|than)\s+|\s*(?:和|与|跟|及|对比)\s*", re.I)
# clauses: a side is named and described within one; "while", "whereas", 而 join two sides
_CLAUSE = re.compile(r"[;；。！？]|(?<=[.!?])\s+|\b(?:while|whereas|but|unlike|so)\b|而|但|所以|因此|相比之下", re.I)


def sides(question: str) -> list[tuple[str, ...]]:
    """The things a question sets side by side, each as its name words in lower case: the word on
    each side of and / with / vs / 和 / 与 ..., with the name words written next to it (capitals
    or digits: "Gini impurity"). Both sides must be words, not question words or stopwords."""
    toks = [m for m in _LATIN_NAME.finditer(question) if not _SIDE_BY_SIDE.fullmatch(f" {m.group(0)} ")]
    start = len(question) - len(question.lstrip())

    def name_like(m: re.Match) -> bool:
        return m.start() > start and (m.group(0) != m.group(0).lower() or any(ch.isdigit() for ch in m.group(0)))

    def adjacent(a: re.Match, b: re.Match) -> bool:
        return not question[a.end():b.start()].strip()

    out: list[tuple[str, ...]] = []
    for i in range(len(toks) - 1):
        left, right = toks[i], toks[i + 1]
        if not _SIDE_BY_SIDE.fullmatch(question[left.end():right.start()]):
            continue
        if {left.group(0).lower(), right.group(0).lower()} & STOPWORDS:
            continue
        lo, hi = i, i + 1
        while lo > 0 and adjacent(toks[lo - 1], toks[lo]) and name_like(toks[lo - 1]):
            lo -= 1
        while hi + 1 < len(toks) and adjacent(toks[hi], toks[hi + 1]) and name_like(toks[hi + 1]):
            hi += 1
        out += [tuple(t.group(0).lower() for t in toks[lo:i + 1]), tuple(t.group(0).lower() for t in toks[i + 1:hi + 1])]
    out += _chinese_sides(question)
    # a word both sides share ("宏平均 F1" and "微平均 F1") names neither
    shared = {w for a in out for b in out if a != b for w in set(a) & set(b)}
    return list(dict.fromkeys(kept for side in out if (kept := tuple(w for w in side if w not in shared))))


# the run of name characters on each side of 和 / 与 / 跟 in a Chinese question; the left one after
# an opening verb (比较), the right one up to the first word that starts the question proper
_ZH_PAIR = re.compile(f"([{CJK_RANGE}A-Za-z0-9 -]+?)\\s*(?:和|与|跟)\\s*([{CJK_RANGE}A-Za-z0-9 -]+)")
_ZH_QUESTION = re.compile("比较|对比|区分|有什么|有何|作为|的区别|的不同|之间|相比|各自|分别|哪|为什么|如何|怎么|是什么|是否|中的|"
                          "的关系|两者|在|的")


def _chinese_sides(question: str) -> list[tuple[str, ...]]:
    """The sides of a Chinese question, found without word segmentation: what the question
    words around the pair leave of it. Sides that are not really names ("均值" and "方差" in a
    question about where LayerNorm computes them) are dropped later, when no reference clause
    describes each of them alone.

    >>> _chinese_sides("比较基尼不纯度和熵作为划分准则。"), _chinese_sides("在多分类问题上比较宏平均 F1 和微平均 F1？")
    ([('基尼不纯度',), ('熵',)], [('宏平均', 'f1'), ('微平均', 'f1')])
    """
    out: list[tuple[str, ...]] = []
    for m in _ZH_PAIR.finditer(question):
        if not (_CJK.search(m.group(1)) or _CJK.search(m.group(2))):
            continue  # Latin on both sides: sides() reads those
        left = _ZH_QUESTION.split(m.group(1))[-1].strip()
        right = _ZH_QUESTION.split(m.group(2))[0].strip()
        if left and right and left != right:
            out += [tuple(left.lower().split()), tuple(right.lower().split())]
    return out


def _names(side: tuple[str, ...], text: str) -> bool:
    """Whether `text` (lower case) names the side: a word starting with one of its words, or, for
    a name of three or more letters, its letters in another order ("UPD" for UDP, a common slip
    that put the UDP header's size under TCP in a SAF reference)."""
    if any(re.search(r"(?<![a-z0-9])" + re.escape(word), text) for word in side):
        return True
    return any(len(w) >= 3 and w != word and sorted(w) == sorted(word)
               for word in side for w in re.findall(r"[a-z0-9]+", text) if len(w) == len(word))


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(text.lower()) if c and c.strip()]


@lru_cache(maxsize=2048)
def _said_only_of(question: str, references: tuple[str, ...],
                  question_units: frozenset[str]) -> dict[tuple[str, ...], tuple[frozenset[str], str, str]]:
    """For each side the question names, the units the references say of it and of no other
    side (at least two), the reference sentence that says most of them, and its name as the
    question writes it."""
    named = sides(question)
    said: dict[tuple[str, ...], set[str]] = {side: set() for side in named}
    where: dict[tuple[str, ...], list[tuple[str, set[str]]]] = {side: [] for side in named}
    own = set().union(*(units(w) for side in named for w in side)) | question_units
    for sentence in references:
        for clause in _clauses(sentence):
            hit = [side for side in named if _names(side, clause)]
            if len(hit) == 1:
                said[hit[0]] |= set(units(clause)) - own
                where[hit[0]].append((sentence, set(units(clause))))
    out = {}
    for side in named:
        only = frozenset(said[side] - set().union(*(said[o] for o in named if o != side)))
        if len(only) >= 2:
            spelt = re.search(r"\s+".join(map(re.escape, side)), question, re.I)
            out[side] = (only, max(where[side], key=lambda w: len(w[1] & only))[0],
                         spelt.group(0) if spelt else " ".join(side))
    return out if len(out) >= 2 else {}


def _swap(said: Sequence[str], only: dict[tuple[str, ...], tuple[frozenset[str], str, str]]) -> Contradiction | None:
    """Two sides' descriptions exchanged: a clause that names one side and says at least two
    things the references say only of the other (more than twice as many as it says only of
    its own side), and another clause that names the other side and says at least one thing only
    of the first (likewise). One half alone fired on right SAF answers whose clauses named a side in passing
    ("... to take advantage of this" under "advantage and disadvantage")."""
    # what follows a negation is denied, not claimed: "UDP has no connection set-up" says nothing
    # of UDP that the reference says of TCP; "DQN runs threads on a CPU, without replay" still does
    clauses = [(sentence, set(units(_claimed(clause))), [side for side in only if _names(side, clause)])
               for sentence in said for clause in _clauses(sentence)]
    told = [(sentence, mine, named[0]) for sentence, mine, named in clauses if len(named) == 1]

    def says_of(mine: set[str], side: tuple[str, ...], other: tuple[str, ...], least: int) -> bool:
        wrong = mine & only[other][0]
        # a Chinese word of three or four characters is two or three bigram units: twice the count
        needed = least * 2 if any(_CJK.match(u) for u in wrong) else least
        return len(wrong) >= needed and len(wrong) > 2 * len(mine & only[side][0])

    for sentence, mine, side in told:
        for other in only:
            if other != side and says_of(mine, side, other, 2) and any(
                    s2 == other and says_of(m2, other, side, 1) for _, m2, s2 in told):
                return Contradiction("swap", sentence, only[other][1], f"{only[side][2]} / {only[other][2]}")
    return None


def _claimed(clause: str) -> str:
    found = [m.start() for m in (_NEGATION_EN.search(clause), _NEGATION_ZH.search(clause)) if m]
    return clause[:min(found)] if found else clause


def _negated(text: str) -> bool:
    return bool(_NEGATION_EN.search(text) or _NEGATION_ZH.search(text))


def _negations(text: str) -> list[str]:
    """Each negation in `text` with what it negates: the next three characters in Chinese
    ("没有遗忘门" -> "没有遗忘门"), the next word in English ("not differentiable").

    >>> _negations("原始 LSTM 只有输入门和输出门，没有遗忘门"), _negations("It is not differentiable.")
    (['没有遗忘门'], ['not differentiable'])
    """
    out = [m.group(0) + text[m.end():m.end() + 3] for m in _NEGATION_ZH.finditer(text)]
    out += [m.group(0) for m in _NEGATED_WORD.finditer(text)]
    return [n for n in out if len(n) > 2]


def _echoes_reference(said: str, references: str) -> bool:
    """The answer negates only what a reference itself negates: "没有遗忘门" where the reference
    says "…输出门，没有遗忘门" (a sentence split at the comma must not make that a contradiction)."""
    found = _negations(said)
    return bool(found) and all(n.lower() in references for n in found)


def find(answer_sentences: Sequence[str], answer_vectors: np.ndarray, refs: ReferenceSet,
         answer_lang: str, th: Thresholds = Thresholds()) -> list[Contradiction]:
    """The contradiction cues in an answer (at most one per answer sentence)."""
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
    only = _said_only_of(refs.card.question, tuple(s for s, r in ref_sents if r.lang == answer_lang),
                         refs.question_units)
    swap = _swap(answer_sentences, only) if only else None
    if swap:
        found.append(swap)
    for i, said in enumerate(answer_sentences):
        best_ref = float(sim[i].max())
        # the nearest reference sentence in the answer's language (the cues below are lexical)
        k = int(np.argmax(np.where(same_lang, sim[i], -np.inf))) if same_lang.any() else None
        if wrong_sim is not None:
            j = int(wrong_sim[i].argmax())
            if wrong_sim[i, j] >= th.misconception and wrong_sim[i, j] >= best_ref + th.margin:
                # with what the notes say instead (a misconception close to the answer's words
                # tells the reader nothing)
                right = refs.as_written(ref_sents[k][0]) if k is not None else ""
                found.append(Contradiction("misconception", said, refs.misconceptions[j], right))
                continue
        clash = _clash(bindings(said), bound)
        if clash:
            found.append(Contradiction("binding", said, *clash))
            continue
        if swap and said == swap.said:
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
        if flip:
            found.append(Contradiction("direction", said, ref_text, f"{flip[0]} vs {flip[1]}"))
            continue
        similar_length = 0.67 <= len(said) / max(1, len(ref_text)) <= 1.5  # else a clause differs, not the claim
        if (sim[i, k] >= th.negation_aligned and similar_length and _negated(said) != _negated(ref_text)
                and not _echoes_reference(said, all_text)):
            found.append(Contradiction("negation", said, ref_text))
    return found
