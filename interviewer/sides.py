"""Sides: the two things a comparison question sets side by side, and answers that exchange them.

"Compare A3C with DQN", "Gini impurity and entropy", "按范数裁剪和按值裁剪有什么区别": a fluent
answer that says of A3C what the notes say of DQN, and the reverse, is as close to the
reference as a right one by every similarity the grader measures. The sides are the words a
conjunction joins in the question; a side's traits are the content units of the reference
clauses that name it and no other side; an answer is caught when one of its clauses names a
side and gives it the other side's traits, and another clause does the reverse
(``contradictions`` turns that into a capping cue).

    >>> sides("Compare Gini impurity and entropy. Does it matter?"), sides("比较 A3C 和 DQN 的硬件需求")
    ([('gini', 'impurity'), ('entropy',)], [('a3c',), ('dqn',)])
    >>> sides("What is DHCP? How does it differ from RARP, and why?")
    []
    >>> sides("What is the difference between clipping by norm and clipping by value?")
    [('norm',), ('value',)]
    >>> q = "Compare A3C with DQN."
    >>> only = said_only_of(q, ("DQN keeps a large replay memory on a GPU.", "A3C runs many threads on a CPU."),
    ...                     frozenset(units(q)))
    >>> swap = exchanged(["A3C keeps a replay memory on a GPU.", "DQN runs threads on a CPU."], only)
    >>> swap.side, swap.other, swap.said, swap.mirror
    ('A3C', 'DQN', 'A3C keeps a replay memory on a GPU.', 'DQN runs threads on a CPU.')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .lexical import STOPWORDS, units
from .text import _CJK, CJK_RANGE, NEGATION_EN, ZH_NEGATING


@dataclass(frozen=True)
class Swap:
    """An answer sentence that gives `side` the traits the reference gives `other` (names as the
    question writes them), and the reference sentence that says them of `other`; then the answer
    sentence that does the reverse (the same sentence when one holds both clauses) and the
    reference sentence about `side`."""

    said: str
    reference: str
    side: str
    other: str
    mirror: str = ""
    mirror_reference: str = ""


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_QUESTION_CHARS = 500  # a question longer than this is not read for sides (a batch file's cell can be huge)
# what a question asks the candidate to do is never a side ("compare dropout and BN and explain why")
_ASKING = frozenset("compare contrast explain describe discuss name state give list define show derive "
                    "write outline summarise summarize why how what".split())
# what sets two things side by side in a question: "A3C with DQN", "Gini impurity and entropy",
# "A3C 和 DQN". Only these: names in general (DHCP, IPv4) fired on right SAF answers
_SIDE_BY_SIDE = re.compile(r"\s+(?:and|vs\.?|versus|with|or|than)\s+|\s*(?:和|与|跟|及|对比)\s*", re.I)
# clauses: a side is named and described within one; "while", "whereas", 而 join two sides
_CLAUSE = re.compile(r"[;；。！？]|(?<=[.!?])\s+|\b(?:while|whereas|but|unlike|so)\b|而|但|所以|因此|相比之下", re.I)


def sides(question: str) -> list[tuple[str, ...]]:
    """The things a question sets side by side, each as its name words in lower case: the word on
    each side of and / with / vs / 和 / 与 ..., with the name words written next to it (capitals
    or digits: "Gini impurity", but not a sentence's first word). Both sides must be words of two
    or more letters, not stopwords or what the question asks the candidate to do."""
    question = question[:_QUESTION_CHARS]
    toks = [m for m in _LATIN_NAME.finditer(question) if not _SIDE_BY_SIDE.fullmatch(f" {m.group(0)} ")]

    def name_like(m: re.Match) -> bool:
        # a capital at a sentence's start ("Compare", "Briefly") is not a name
        opens = not question[:m.start()].strip() or question[:m.start()].rstrip()[-1] in ".?!:;。？！："
        return not opens and (m.group(0) != m.group(0).lower() or any(ch.isdigit() for ch in m.group(0)))

    def adjacent(a: re.Match, b: re.Match) -> bool:
        return not question[a.end():b.start()].strip()

    out: list[tuple[str, ...]] = []
    for i in range(len(toks) - 1):
        left, right = toks[i], toks[i + 1]
        if not _SIDE_BY_SIDE.fullmatch(question[left.end():right.start()]):
            continue
        # "clipping by norm and clipping by value": the words after the repeated phrase are the sides
        parallel = toks[i - 2:i] if i >= 2 else []
        if (len(parallel) == 2 and i + 3 < len(toks) and parallel[0].group(0).lower() == right.group(0).lower()
                and parallel[0].group(0).lower() not in STOPWORDS
                and toks[i + 2].group(0).lower() == parallel[1].group(0).lower()
                and toks[i + 3].group(0).lower() not in STOPWORDS):
            out += [(left.group(0).lower(),), (toks[i + 3].group(0).lower(),)]
            continue
        if {left.group(0).lower(), right.group(0).lower()} & (STOPWORDS | _ASKING) or min(
                len(left.group(0)), len(right.group(0))) < 2:  # "R and Python": R would name "ready"
            continue
        lo, hi = i, i + 1
        while lo > 0 and adjacent(toks[lo - 1], toks[lo]) and name_like(toks[lo - 1]):
            lo -= 1
        while hi + 1 < len(toks) and adjacent(toks[hi], toks[hi + 1]) and name_like(toks[hi + 1]):
            hi += 1
        out += [tuple(t.group(0).lower() for t in toks[lo:i + 1]),
                tuple(t.group(0).lower() for t in toks[i + 1:hi + 1])]
    out += _chinese_sides(question)
    # a word both sides share ("宏平均 F1" and "微平均 F1") names neither
    shared = {w for a in out for b in out if a != b for w in set(a) & set(b)}
    return list(dict.fromkeys(kept for side in out
                              if (kept := tuple(w for w in side if w not in shared and w not in _ASKING and len(w) > 1))))


# the run of name characters on each side of 和 / 与 / 跟 in a Chinese question (和 inside a word,
# 饱和 saturate or 总和 sum, joins nothing); the left one is cut after the last question word
# (比较, 的, 中 ...), the right one before the first
_ZH_PAIR = re.compile(f"([{CJK_RANGE}A-Za-z0-9 -]+?)\\s*(?:(?<![饱总求加调])和(?!谐)|与|跟)\\s*([{CJK_RANGE}A-Za-z0-9 -]+)")
_ZH_QUESTION = re.compile("比较|对比|区分|有什么|有何|作为|的区别|的不同|之间|相比|各自|分别|哪|为什么|如何|怎么|是什么|是否|中的|"
                          "的关系|两者|在|的|中")


def _chinese_sides(question: str) -> list[tuple[str, ...]]:
    """The sides of a Chinese question, found without word segmentation: what the question
    words around the pair leave of it. Sides that are not really names ("均值" and "方差" in a
    question about where LayerNorm computes them) are dropped later, when no reference clause
    describes each of them alone.

    >>> _chinese_sides("比较基尼不纯度和熵作为划分准则。"), _chinese_sides("在多分类问题上比较宏平均 F1 和微平均 F1？")
    ([('基尼不纯度',), ('熵',)], [('宏平均', 'f1'), ('微平均', 'f1')])
    >>> _chinese_sides("GRU 中重置门和更新门分别负责什么？各自饱和时会发生什么？")
    [('重置门',), ('更新门',)]
    """
    out: list[tuple[str, ...]] = []
    if not re.search("[和与跟]", question):  # the pattern below is slow to fail on long text
        return out
    for m in _ZH_PAIR.finditer(question[:_QUESTION_CHARS]):
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
    # a Chinese side is cut from its question without word segmentation and may keep a verb
    # ("平均池化保留的信息…" gives 平均池化保留): its first four characters name it too
    if any(len(word) >= 5 and _CJK.match(word) and word[:4] in text for word in side):
        return True
    return any(len(w) >= 3 and w != word and sorted(w) == sorted(word)
               for word in side for w in re.findall(r"[a-z0-9]+", text) if len(w) == len(word))


def _read(said: Sequence[str], named: Sequence[tuple[str, ...]]) -> list[tuple[str, set[str], list[tuple[str, ...]]]]:
    """Each clause of `said`'s sentences as (its sentence, the units it claims, the sides it names)."""
    # what follows a negation is denied, not claimed: "UDP has no connection set-up" says nothing
    # of UDP that the reference says of TCP; "DQN runs threads on a CPU, without replay" still does
    return [(sentence, set(units(_claimed(clause))), [side for side in named if _names(side, clause)])
            for sentence in said for whole in _clauses(sentence) for clause in _at_and(whole, named, sentence)]


_AND = re.compile(r",\s*and\s+")
_PLAIN_WORD = re.compile(r"[^\s,;:]+")  # a word as written, punctuation inside kept ("cross-entropy")
_ARTICLES = frozenset({"the", "a", "an"})


def _at_and(clause: str, named: Sequence[tuple[str, ...]], sentence: str = "") -> list[str]:
    """`clause` cut at ", and" where what follows opens with a side, alone or in the words that
    stand before another side in the sentence: "clipping by value rescales the vector so its norm
    is at most c, and clipping by norm clamps each element" describes two sides in parallel. Only
    there: ", and if the packet used the best route" and ", and that makes cross-entropy the
    better loss" go on with what came before.

    >>> sides = [("norm",), ("value",)]
    >>> s = "clipping by value rescales it, and clipping by norm clamps each element"
    >>> _at_and(s, sides, s), _at_and("value rescales it, and then the norm is at most c", sides)
    (['clipping by value rescales it', 'clipping by norm clamps each element'], ['value rescales it, and then the norm is at most c'])
    >>> s = "clipping by norm clamps it, and clipping by value rescales it, and clipping by norm clamps it"
    >>> len(_at_and(s, sides, s)), _at_and("value rescales it, and normally that is enough", sides)
    (3, ['value rescales it, and normally that is enough'])
    """
    parts = _AND.split(clause)
    if len(parts) == 1:  # most clauses: the sentence need not be read
        return parts
    out = [parts[0]]
    sentence = sentence.lower()
    tokens = [(m.group(0), m.start()) for m in _PLAIN_WORD.finditer(sentence)]
    at_part = sentence.find(clause)  # where the part looked for next starts (-1: not in the sentence)
    for part in parts[1:]:
        head = part.split()[:4]
        at, side = next(((i, side) for i, w in enumerate(head) for side in named if _opens(side, w)), (None, None))
        lead = [w for w in head[:at or 0] if w not in _ARTICLES]
        # the words before: of the sentence up to this part ("clipping by value … , and clipping by norm")
        if at_part >= 0:
            at_part = sentence.find(part, at_part)
        words = [w for w, start in tokens if start < at_part] if at_part >= 0 else _PLAIN_WORD.findall(out[-1])
        parallel = at is not None and (not lead or any(
            words[i:i + len(lead)] == lead and any(_names(other, words[i + len(lead)]) for other in named if other != side)
            for i in range(len(words) - len(lead))))
        if parallel:
            out.append(part)
        else:
            out[-1] += ", and " + part
    return out


def _opens(side: tuple[str, ...], word: str) -> bool:
    """Whether `word` is a word of the side, or its plural: "norms" names norm, "normally" does not."""
    return any(word in (w, w + "s", w + "es") for w in side)


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(text.lower()) if c and c.strip()]


def said_only_of(question: str, references: tuple[str, ...],
                 question_units: frozenset[str]) -> dict[tuple[str, ...], tuple[frozenset[str], str, str]]:
    """For each side the question names, the units the references say of it and of no other
    side (at least two), the reference sentence that says most of them, and its name as the
    question writes it. (A card's are kept by its `references.ReferenceSet`.)"""
    named = sides(question)
    said: dict[tuple[str, ...], set[str]] = {side: set() for side in named}
    where: dict[tuple[str, ...], list[tuple[str, set[str]]]] = {side: [] for side in named}
    own = set().union(*(units(w) for side in named for w in side)) | question_units
    for sentence in references:
        for clause in _clauses(sentence):
            hit = [side for side in named if _names(side, clause)]
            if len(hit) == 1:
                found = set(units(clause))
                said[hit[0]] |= found - own
                where[hit[0]].append((sentence, found))
    out = {}
    for side in named:
        only = frozenset(said[side] - set().union(*(said[o] for o in named if o != side)))
        if len(only) >= 2:
            spelt = re.search(r"\s+".join(map(re.escape, side)), question, re.I)
            out[side] = (only, max(where[side], key=lambda w: len(w[1] & only))[0],
                         spelt.group(0) if spelt else " ".join(side))
    return out if len(out) >= 2 else {}


def exchanged(said: Sequence[str], only: dict[tuple[str, ...], tuple[frozenset[str], str, str]]) -> Swap | None:
    """Two sides' descriptions exchanged: a clause that names one side and says at least two
    things the references say only of the other (more than twice as many as it says only of its
    own side), and another clause that names the other side and says at least one thing only of
    the first (likewise); twice these counts where the units are Chinese bigrams. One half alone
    fired on right SAF answers whose clauses named a side in passing ("... to take advantage of
    this" under "advantage and disadvantage")."""
    told = [(sentence, mine, named[0]) for sentence, mine, named in _read(said, list(only)) if len(named) == 1]

    for sentence, mine, side in told:
        for other in only:
            if other == side or not _says_of(mine, side, other, 2, only):
                continue
            mirror = next((s2 for s2, m2, n2 in told if n2 == other and _says_of(m2, other, side, 1, only)), None)
            if mirror is not None:
                return Swap(sentence, only[other][1], only[side][2], only[other][2], mirror, only[side][1])
    return None


def _says_of(mine: set[str], side: tuple[str, ...], other: tuple[str, ...], least: int,
             only: dict[tuple[str, ...], tuple[frozenset[str], str, str]]) -> bool:
    """Whether a clause about `side` saying `mine` says at least `least` things only of `other`,
    more than twice as many as it says only of `side`."""
    wrong = mine & only[other][0]
    # a Chinese word of three or four characters is two or three bigram units: twice the count
    needed = least * 2 if any(_CJK.match(u) for u in wrong) else least
    return len(wrong) >= needed and len(wrong) > 2 * len(mine & only[side][0])


def _a_name(spelt: str) -> bool:
    """Whether a side, as the question spells it, is a name: a capital or a digit after its first
    letter (AdamW, A3C, SGD), or three Chinese characters or more (按范数裁剪). "Never named" means
    little for a side that is a common word ("fixed", "faster") or has synonyms ("sigmoid")."""
    return bool(re.search(r"[A-Z0-9]", spelt[1:])) or len(_CJK.findall(spelt)) >= 3


def described_as_other(said: Sequence[str], only: dict[tuple[str, ...], tuple[frozenset[str], str, str]],
                       least: int = 2) -> Swap | None:
    """One side described as the other, which the answer never names: a clause that names one
    side and says `least` things the references say only of the other (twice as many Chinese
    bigrams) and nothing only of its own ("AMSGrad decouples the weight decay …" in an answer that never
    names AdamW). Both sides must be names (`_a_name`). With the other side named anywhere, or one
    trait of its own, a clause is more likely a right answer in the other side's words; and on a
    teacher's short reference the traits are too few to tell (on SAF it fired on right answers):
    `contradictions` asks it of the bank's cards only.

    >>> q = "Compare A3C with DQN."
    >>> only = said_only_of(q, ("DQN keeps a large replay memory on a GPU.", "A3C runs many threads on a CPU."),
    ...                     frozenset(units(q)))
    >>> described_as_other(["A3C keeps a replay memory on a GPU."], only).other
    'DQN'
    >>> described_as_other(["A3C keeps a replay memory on a GPU, unlike DQN."], only) is None
    True
    """
    clauses = _read(said, list(only))
    named = {side for _, _, hit in clauses for side in hit}
    for sentence, mine, hit in clauses:
        if len(hit) != 1:
            continue
        side = hit[0]
        if not _a_name(only[side][2]):
            continue
        for other in only:
            # no trait of its own at all: "more than twice as many" capped a sentence of the bank's
            # own RNN answer ("… λ₁ < 1/γ … vanish exponentially") as "explode" given "vanish"'s traits
            if (other != side and other not in named and _a_name(only[other][2]) and not mine & only[side][0]
                    and _says_of(mine, side, other, least, only)):
                return Swap(sentence, only[other][1], only[side][2], only[other][2])
    return None


# words that deny or replace what follows, like a negation: "A3C avoids the replay memory", "DQN
# lacks threads", "in place of a GPU", "GANs give up an explicit likelihood", 缺少经验回放, 去掉回放池
_DENIAL = re.compile(r"\b(?:avoid|lack|instead of|in place of|rather than|replac|drop(?:s|ped|ping)?\b|remov|eliminat|no longer|"
                     r"free of|fewer|less|give(?:s|n)? up|gave up|giving up|sacrific|forgo|los(?:e|es|ing|t)\b|"
                     r"at the (?:cost|expense) of)|" + "|".join(ZH_NEGATING + ("避免", "去掉", "省去", "取代", "代替", "较少", "更少", "放弃", "牺牲", "失去")),
                     re.I)


def _claimed(clause: str) -> str:
    """The part of a clause before its first negation or denial: what it claims."""
    # _DENIAL holds every Chinese negation (text.ZH_NEGATING), so NEGATION_ZH adds nothing here
    found = [m.start() for m in (NEGATION_EN.search(clause), _DENIAL.search(clause)) if m]
    return clause[:min(found)] if found else clause


def attributed_otherwise(said: str, claim: str, question: str) -> bool:
    """Whether `said` gives one side what `claim` gives the other: a clause naming one side shares
    more of its words with the claim's clause about another side than with the claim's clause
    about the same side. A misconception in the notes' own words ("clipping by value preserves the
    direction, while clipping by norm can change it") is as near a right answer that names the
    sides the other way round as a wrong one that repeats it.

    >>> q = "What is the difference between clipping by norm and clipping by value?"
    >>> claim = "Clipping by value preserves the direction, while clipping by norm can change it."
    >>> attributed_otherwise("Only norm clipping preserves the direction, while value clipping can change it.", claim, q)
    True
    >>> attributed_otherwise("Value clipping keeps the direction, while norm clipping can change it.", claim, q)
    False
    """
    named = sides(question)
    if len(named) < 2:
        return False
    names = set().union(*(units(w) for side in named for w in side))

    def told(text: str) -> dict[tuple[str, ...], set[str]]:
        out: dict[tuple[str, ...], set[str]] = {}
        for _, claimed, hit in _read([text], named):
            if len(hit) == 1:
                out.setdefault(hit[0], set()).update(claimed - names)
        return out

    mine, theirs = told(said), told(claim)
    return any(len(words & theirs[other]) > len(words & theirs.get(side, set()))
               for side, words in mine.items() for other in theirs if other != side)
