"""Keyword coverage: which key terms (or their aliases) an answer mentions, with rapidfuzz.

Typos, plurals, hyphens, case, width and spacing do not matter. Chinese terms are matched
as character strings on the answer with spaces removed, so no word segmentation is needed
(and none can go wrong).

    >>> from interviewer.bank import Keyword
    >>> m = match_keywords([Keyword("batch normalization", ("BN", "批归一化")), Keyword("dropout")],
    ...                    "We apply batch-normalisaton before the ReLU.")
    >>> [k.name for k in m.covered], [k.name for k in m.missed]
    (['batch normalization'], ['dropout'])
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Collection, Iterable, NamedTuple, Sequence

from rapidfuzz import fuzz

from .bank import SETTING, Keyword
from .derived_terms import STOPWORDS
from .lexical import stem
from .numerals import has_number, number_tokens, numeral_count, spellings, whole_number
from .orderings import joined
from .spelling import written_spans
from .wordforms import inflected, same_family
from .text import _CJK, _WORD, NEGATION_EN, ZH_NEGATING, detect_lang, is_cjk, normalise, normalise_with_offsets, singular



class Match(NamedTuple):
    covered: tuple[Keyword, ...]
    missed: tuple[Keyword, ...]
    spans: tuple[tuple[int, int], ...]  # where matches were found in the normalised answer
    answer_norm: str

    @property
    def coverage(self) -> float:
        total = len(self.covered) + len(self.missed)
        return len(self.covered) / total if total else 0.0

    def leftover_words(self, extra_terms: Sequence[str] = ()) -> int:
        """Words of the answer that are not key terms (a bare keyword list leaves ~0)."""
        text = self.answer_norm
        for a, b in sorted(self.spans, reverse=True):
            text = text[:a] + " " + text[b:]
        for t in sorted((normalise(t) for t in extra_terms), key=len, reverse=True):
            if t:
                text = text.replace(t, " ")
        return len(_WORD.findall(text)) + len(_CJK.findall(text))

    def keyword_share(self) -> float:
        """Share of the answer's words that sit inside matched terms (keyword stuffing → ~1)."""
        words = [m.span() for m in _WORD.finditer(self.answer_norm)]
        words += [m.span() for m in _CJK.finditer(self.answer_norm)]
        if not words:
            return 0.0
        inside = sum(any(s <= a and b <= e for s, e in self.spans) for a, b in words)
        return inside / len(words)


def _fuzzy_threshold(term: str) -> float | None:
    if len(term) <= 4:
        return None  # short terms (BN, SGD, ReLU) must match as whole words
    return 92.0 if len(term) <= 7 else 88.0


@lru_cache(maxsize=65536)
def _norm_term(term: str) -> str:
    return normalise(term)  # the same few thousand key terms are normalised for every answer


def _after_negation(compact: str, i: int, term: str) -> bool:
    """The Chinese `term` found at `i` in `compact` follows a negation (and is not itself negated).

    >>> _after_negation("没有收敛", 2, "收敛"), _after_negation("可微", 0, "可微"), _after_negation("不可微", 1, "可微")
    (True, False, True)
    """
    return compact.endswith(ZH_NEGATING, 0, i) and not term.startswith(ZH_NEGATING)


# what a reference does to a thing it prevents: 打破共适应, 共适应被打破 ("co-adaptation is broken").
# An answer that negates it (无法共适应, "units cannot co-adapt") says the same. After the term only
# with 被 and the like: in 剪枝减少权重个数 the term is what does the reducing, and quantity verbs
# (减少, 去除) are left out, since "reduces X" still has some X
_UNDOING = ("打破", "破坏", "避免", "防止", "抑制", "消除", "阻止", "削弱", "缓解")
_UNDONE_BEFORE = re.compile("(?:" + "|".join(_UNDOING) + ")(?:了|掉)?$")
_UNDONE_AFTER = re.compile("^(?:就|也|都)?(?:(?:被|得到|受到)(?:" + "|".join(_UNDOING) + ")|消失)")


def _undone(compact: str, i: int, term: str) -> bool:
    """The Chinese `term` at `i` in `compact` is said to be prevented or broken.

    >>> _undone("共适应被打破", 0, "共适应"), _undone("打破了共适应", 3, "共适应"), _undone("共适应很强", 0, "共适应")
    (True, True, False)
    >>> _undone("剪枝抑制过拟合", 0, "剪枝"), _undone("减少剪枝", 2, "剪枝")  # it does the undoing; a quantity
    (False, False)
    """
    return bool(_UNDONE_BEFORE.search(compact, max(0, i - 4), i) or _UNDONE_AFTER.match(compact[i + len(term):]))


def negation_cancels(keywords: Iterable[Keyword], text: str) -> frozenset[Keyword]:
    """The key terms that `text` (the references) never says right after a negation: for these,
    an answer's negation cancels the term. A term the references negate names a topic
    (收敛 in 可能不收敛) and counts however it is said.

    >>> k1, k2 = Keyword("收敛"), Keyword("可微")
    >>> negation_cancels([k1, k2], "Adam 可能不收敛；混洗处处可微。") == {k2}
    True
    """
    compact = normalise(text).replace(" ", "")

    def negated(term: str) -> bool:
        t = _norm_term(term).replace(" ", "")
        return bool(t) and is_cjk(t) and any(_after_negation(compact, i, t) or _undone(compact, i, t)
                                             for i in _find_all(compact, t))

    return frozenset(k for k in keywords if not any(negated(t) for t in k.terms))


def _find_all(text: str, part: str) -> list[int]:
    out, i = [], text.find(part)
    while i >= 0:
        out.append(i)
        i = text.find(part, i + 1)
    return out


def find_term(term: str, answer_norm: str, answer_compact: str,
              negation_cancels: bool = False) -> tuple[int, int] | None:
    """Span of `term` in the normalised answer, or None. With `negation_cancels`, a Chinese
    term said right after a negation does not count (不可微 is not 可微); see `match_keywords`.
    A Chinese term's number counts in digits or in characters (10 毫秒, 十毫秒: `numerals`)."""
    spelt = spellings(term)  # before normalising: "top-5" keeps its digit
    # whether the term holds a number, decided once: 大于零点七, spelt from 大于 0.7, is one too
    numbered = len(spelt) > 1 or has_number(term)
    for n, spelling in enumerate(spelt):
        t = _norm_term(spelling)
        norm, compact = answer_norm, answer_compact
        for _ in range(_LOOKS if t else 0):
            # the term as written may be inflected or mistyped; the other spellings of its number are exact
            span = _find_spelling(t, norm, compact, negation_cancels, numbered, typos=n == 0)
            if span is None:
                break
            if not _says_more(t, answer_norm, *span):
                return span
            # look again past it: "m − 1" first, "m" later in the answer
            norm = norm[:span[0]] + _SEEN * (span[1] - span[0]) + norm[span[1]:]
            compact = norm.replace(" ", "")
    setting = SETTING.fullmatch(term.strip())
    return _setting_span(*setting.groups(), answer_norm) if setting else None


_LOOKS = 4  # places a term is looked for before it counts as not said
_SEEN = "\u00a4"  # stands for a rejected place: no word, no space, so nothing matches across it
_GREATER = ("不小于", "不低于", "不少于", ">", "≥", "≧", "⩾", "greater than", "larger than", "higher than", "more than",
            "above", "over", "at least", "exceed", "大于", "高于", "超过", "多于", "以上", "至少")
_LESS = ("不大于", "不高于", "不超过", "不多于", "<", "≤", "≦", "⩽", "less than", "smaller than", "lower than",
         "fewer than", "below", "under", "at most", "小于", "低于", "少于", "以下", "至多", "最多")
# what makes a term a comparison: a sign, or a comparing word of Chinese (English ones are plain
# words in most terms: "above" in "as above")
_COMPARES = re.compile(r"[<>≤≥≦≧⩾⩽]|不?(?:大于|小于|高于|低于|超过|多于|少于)|以上|以下|至少|至多")
# English words whole: "moreover" and "discover" do not say "over"
_DIRECTION = re.compile("|".join((r"\b" + re.escape(w) + r"\b") if w.isascii() and w[-1].isalpha() else re.escape(w)
                                 for w in sorted(_GREATER + _LESS, key=len, reverse=True)))
# what goes on from a variable: another term of an expression ("m − 1" normalises to "m 1"; en and
# em dashes and the Unicode hyphen stay as written)
_GOES_ON = re.compile(r"\s?[-+*^\u2010\u2011\u2013\u2014]?\s?\d")


def _directions(text: str) -> set[str]:
    """Which ways `text` compares: {">"}, {"<"}, both or none.

    >>> sorted(_directions("iou 不小于 0.5")), sorted(_directions("below 0.3 iou")), sorted(_directions("iou 是 0.5"))
    (['>'], ['<'], [])
    """
    return {">" if m.group(0) in _GREATER else "<" for m in _DIRECTION.finditer(text)}


def _says_more(term: str, answer_norm: str, start: int, end: int) -> bool:
    """Whether the place a term was found says something else around it: a term that ends in a
    variable read off a longer expression ("divide by m" in "divide by m − 1", normalised
    "m 1"; "除以 m" in "除以 mean"), or a comparison loosely matched with another or none
    ("IoU < 0.3" in "IoU > 0.3", "IoU ≥ 0.5" in "IoU 是 0.5").

    >>> _says_more("divide by m", "we divide by m 1 here", 3, 14), _says_more("divide by m", "divide by m, not m 1", 0, 11)
    (True, False)
    >>> _says_more("divide by m", "divide by m – 1", 0, 11), _says_more("divide by m", "divide by mean", 0, 11)
    (True, True)
    >>> _says_more("iou < 0.3", "iou > 0.3 is negative", 0, 9), _says_more("iou < 0.3", "iou < 0.3 is negative", 0, 9)
    (True, False)
    """
    after = answer_norm[end:]
    variable = re.search(r"(?:^|[^a-z0-9])[a-z]$", term) is not None
    # a letter goes on after a variable ("divide by mean"), or after a Chinese term's last word
    # (found in the text without spaces, so nothing else ends it: 除以 mean)
    if (variable or is_cjk(term)) and re.search(r"[a-z0-9]$", term) and re.match(r"[a-z0-9]", after):
        return True
    if variable and _GOES_ON.match(after):
        return True
    if _COMPARES.search(term):  # the direction where it was found: an exact match holds the sign
        return _directions(answer_norm[start:end]) != _directions(term)
    return False


def _setting_span(name: str, value: str, answer_norm: str) -> tuple[int, int] | None:
    """A setting said in words: "gamma is 2", "γ 取 2", "set G to C" for γ=2 and G=C; up to three
    words between, none of them a number (γ = 0.5 or 2 is not γ=2), a negation or a comparison
    ("γ is not 2", "γ 大于 2"), within one clause; "γ = 2.0" is γ=2.

    >>> _setting_span("γ", "2", "we set γ to 2 here"), _setting_span("γ", "2", "γ 0.5 or 2")
    ((7, 13), None)
    >>> _setting_span("γ", "2", "γ is not 2"), _setting_span("γ", "2", "γ 大于 2"), _setting_span("γ", "2", "γ = 2.0")
    (None, None, (0, 7))
    """
    between = r"(?:\s*=|\s+[a-z]+|\s*[\u4e00-\u9fff]{1,2}){0,3}?\s*"
    value_end = (r"0*" if "." in value else r"(?:\.0+)?") + r"(?![\w%]|\.\d)"  # 2.0 is 2, 0.250 is 0.25
    pattern = rf"(?<![\w.]){re.escape(normalise(name))}(?![a-z0-9])({between}){re.escape(normalise(value))}{value_end}"
    for m in re.finditer(pattern, answer_norm):
        if not _NOT_A_SETTING.search(m.group(1)):
            return m.span()
    return None


# words between a name and a value that say it is not that value
_NOT_A_SETTING = re.compile(r"\b(?:not|no|never|isn't|aren't|greater|larger|bigger|more|less|smaller|fewer|above|below|"
                            r"over|under|than|exceeds?|instead|rather)\b|不|没|非|大于|小于|高于|低于|超过|而非|而不是")


# what turns a word into its opposite: a prefix (unbiased / biased, invariance / variance,
# decoupled / coupled), a word of the opposite side, or a negating word the other text lacks
_OPPOSING_PREFIXES = ("un", "in", "im", "ir", "il", "non", "dis", "de", "anti")
_OPPOSITE_WORDS = {frozenset(pair) for pair in (
    ("long", "short"), ("most", "least"), ("more", "less"), ("more", "fewer"), ("high", "low"), ("higher", "lower"),
    ("large", "small"), ("larger", "smaller"), ("largest", "smallest"), ("increase", "decrease"),
    ("increases", "decreases"), ("increasing", "decreasing"), ("before", "after"), ("max", "min"),
    ("maximum", "minimum"), ("positive", "negative"), ("upper", "lower"), ("first", "last"), ("with", "without"))}
_NEGATING_WORDS = frozenset({"no", "not", "without", "never", "none", "nor", "cannot"})


def _negating(words: Sequence[str]) -> set[str]:
    """The negating words among `words`, contractions included ("isn't", "can’t")."""
    return {w for w in words if w in _NEGATING_WORDS or w.endswith(("n't", "n’t"))}


def _opposite(a: str, b: str) -> bool:
    if frozenset((a, b)) in _OPPOSITE_WORDS:
        return True
    short, long_ = sorted((a, b), key=len)
    return any(long_ == prefix + short for prefix in _OPPOSING_PREFIXES)


def says_otherwise(term: str, said: str, before: str = "") -> bool:
    """Whether `said`, the words of an answer that a loose match took for `term`, say its opposite:
    a typo is forgiven, a turned word is not. `before`: the words just before `said`, where the
    negation of a negated term may stand ("without any gradient updates").

    >>> says_otherwise("translation variance", "translation invariance"), says_otherwise("supervised", "unsupervised")
    (True, True)
    >>> says_otherwise("no retraining", "with retraining"), says_otherwise("long term dependencies", "short term dependencies")
    (True, True)
    >>> says_otherwise("batch normalization", "batch normalisaton"), says_otherwise("no retraining", "without retraining")
    (False, False)
    >>> says_otherwise("no gradient updates", "any gradient updates", before="prompt without")
    False
    """
    mine, theirs = _WORD.findall(term), _WORD.findall(said)
    if "".join(mine) == "".join(theirs):  # "non-linearity" is "nonlinearity" spaced
        return False
    negated = bool(_negating(mine))
    if negated != bool(_negating(theirs) or (negated and _negating(_WORD.findall(before)))):
        return True
    # only words one side lacks are compared: "high bias and low variance" does not oppose itself
    return any(_opposite(a, b) for a in set(mine) - set(theirs) for b in set(theirs) - set(mine))


def _same_words(term: str, said: str, cutoff: float = 75.0) -> bool:
    """Whether every word of `term` (but function words) is in `said`, inflected or with a typo: a
    loose match of the letters may run across other words ("concatenated to the token embedding"
    is not "added to the token embedding").

    >>> _same_words("batch normalization", "batch normalisaton"), _same_words("added to the embedding", "concatenated to the embedding")
    (True, False)
    >>> _same_words("hard copy", "periodic hard copies"), _same_words("share the convolution", "share one convolution")
    (True, True)
    """
    theirs = _WORD.findall(said)
    stems = {stem(w) for w in theirs}
    lacking = {w for w in _WORD.findall(term) if w not in STOPWORDS and stem(w) not in stems}
    if _negating(theirs):  # "without retraining", "isn't differentiable" say "no retraining", "not differentiable"
        lacking -= _negating(lacking)
    return all(any(fuzz.ratio(a, b) >= cutoff for b in theirs) for a in lacking)


def _word_span(answer_norm: str, start: int, end: int, more: int = 0) -> tuple[int, int]:
    """The span widened to the whole words it touches (one ending where it starts too), and `more`
    words on each side: a match inside "unsupervised" reads as that word; a loose alignment may
    have cut a word of the term off."""
    words = _words(answer_norm)
    inside = [i for i, (_, s, e) in enumerate(words) if e >= start and s < end]
    if not inside:
        return start, end
    return words[max(0, inside[0] - more)][1], words[min(len(words) - 1, inside[-1] + more)][2]


def _find_spelling(t: str, answer_norm: str, answer_compact: str, negation_cancels: bool,
                   numbered: bool, typos: bool = True) -> tuple[int, int] | None:
    if is_cjk(t):
        compact = t.replace(" ", "")

        def plain(i: int, length: int = len(compact)) -> bool:
            return (not (negation_cancels and _after_negation(answer_compact, i, compact))
                    and (not numbered or whole_number(answer_compact, i, i + length)))

        i = next((i for i in _find_all(answer_compact, compact) if plain(i)), -1)
        if i >= 0:
            return _compact_span(answer_norm, i, len(compact))
        if len(compact) >= 3:
            # the term's characters in order with short insertions: 滑动均值 ~ 滑动平均的均值, but
            # not an inserted negation: 通道数不相等 is the opposite of 通道数相等
            for m in re.finditer(".{0,2}?".join(map(re.escape, compact)), answer_compact):
                negated = negation_cancels and any(n in m.group(0) and n not in compact for n in ZH_NEGATING)
                # nor, in a term with a number, an inserted digit: 10 倍 is not 100 倍
                renumbered = 0 < numeral_count(compact) != numeral_count(m.group(0))
                if (m.end() - m.start() <= 2 * len(compact) and plain(m.start(), m.end() - m.start())
                        and not negated and not renumbered):
                    return _compact_span(answer_norm, m.start(), m.end() - m.start())
        return None
    stem = singular(t)
    # a number is whole: "2 gpus" is not in "2.2 gpus", "5 times" not in "2.5 times"
    edges = (r"(?<![a-z0-9])(?<!\d\.)", r"(?![a-z0-9])(?!\.\d)") if numbered else (r"(?<![a-z0-9])", r"(?![a-z0-9])")
    m = re.search(edges[0] + re.escape(stem) + r"(?:e?s)?" + edges[1], answer_norm)
    if m:
        return m.span()
    if len(t) > 4:
        compact = t.replace(" ", "")
        for i in _find_all(answer_compact, compact):
            span = _compact_span(answer_norm, i, len(compact))
            if says_otherwise(t, answer_norm[slice(*_word_span(answer_norm, *span))]):
                continue
            if not numbered or (whole_number(answer_compact, i, i + len(compact))
                                and _powers(t) == _powers(answer_norm[span[0]:span[1]])):
                return span
    if not typos:
        return None
    span = _word_family_span(t, answer_norm)
    if span is not None and (not numbered or _numbers_said(t, answer_norm, *span)):
        return span
    cutoff = _fuzzy_threshold(t)
    if cutoff is not None and len(answer_norm) >= len(t) - 2:
        al = fuzz.partial_ratio_alignment(t, answer_norm, score_cutoff=cutoff)
        # a typo is forgiven, another number is not: "30 million" is not "80 million", and 2^24 is
        # not 2^-24 (normalised "2^ 24")
        if al is not None:
            start, end = _word_span(answer_norm, al.dest_start, al.dest_end)
            before = [w for w, _, e in _words(answer_norm) if e <= start][-2:]  # where "without" may stand
            if (says_otherwise(t, answer_norm[start:end], " ".join(before))
                    or not _same_words(t, answer_norm[slice(*_word_span(answer_norm, start, end, more=1))])):
                return None
        if al is not None and (not numbered or (_numbers_said(t, answer_norm, al.dest_start, al.dest_end)
                                                and _powers(t) == _powers(answer_norm[al.dest_start:al.dest_end]))):
            return al.dest_start, al.dest_end
    return None


_TOKEN = re.compile(r"[a-z0-9]+(?:\.\d+)*|\S")  # a word of the normalised text, decimals whole


def _powers(text: str) -> list[str]:
    """The exponents a normalised text writes, signed ("2^ 24" is 2^-24: normalising made the
    minus a space).

    >>> _powers("2^ 24 and 10^6"), _powers("no power")
    (['-24', '6'], [])
    """
    return [("-" if m.group(1) else "") + m.group(2) for m in re.finditer(r"\^( ?)(\d+)", text)]


def _numbers_said(term: str, text: str, start: int, end: int) -> bool:
    """Whether the numbers of `term` are said, whole, where a loose match found it: the span widened
    to whole words and two more each side ("two 1024-d fully connected layers" says "two fully
    connected layers"), and a number cut in two is another (9 of 19, 5 of 2.5).

    >>> text = "it is 2.5 times faster, with 20 training tokens per parameter"
    >>> _numbers_said("5 times", text, 8, 15), _numbers_said("20 tokens per parameter", text, 39, 61)
    (False, True)
    """
    spans = [m.span() for m in _TOKEN.finditer(text)]
    inside = [i for i, (a, b) in enumerate(spans) if b > start and a < end]
    if not inside:
        return False
    lo, hi = max(0, inside[0] - 2), min(len(spans) - 1, inside[-1] + 2)
    return not Counter(number_tokens(term)) - Counter(number_tokens(text[spans[lo][0]:spans[hi][1]]))


def _word_family_span(term: str, answer_norm: str) -> tuple[int, int] | None:
    """Span of the term's words in order, each as a word of its family ("co-adapt" for "co-adaptation");
    a two-word term also with its words a little apart or the other way round, within one
    clause, as a clause says it: "reducing the dimension" for "dimension reduction", "samples
    are strongly correlated" for "correlated samples" (each word in an inflection of its own,
    `inflected`: "a normal batch" is not "batch normalization").

    >>> a = normalise("They reduce dimensionality first; then the 5x5 conv.")
    >>> a[slice(*_word_family_span("dimension reduction", a))]
    'reduce dimensionality'
    >>> _word_family_span("dimension reduction", normalise("the dimension grows; reduction comes later"))
    >>> _word_family_span("dimension reduction", normalise("the dimension grows, reduction comes later"))
    """
    want = _WORD.findall(term)
    # only terms made of plain words ("γ and β" is not the word "and"), one long enough to vary
    if not want or re.search(r"[^\s\-'’]", _WORD.sub("", term)) or max(map(len, want)) < 5:
        return None
    words = _words(answer_norm)
    for i in range(len(words) - len(want) + 1):
        if all(same_family(w, words[i + j][0]) for j, w in enumerate(want)):
            return words[i][1], words[i + len(want) - 1][2]
    if len(want) == 2 and min(map(len, want)) >= 5:
        # each answer word is compared with the two term words once (answers can be long)
        unique = {w for w, _, _ in words}
        first = {w for w in unique if inflected(want[0], w)}
        second = {w for w in unique if inflected(want[1], w)}
        if not (first and second):
            return None
        firsts = [w in first for w, _, _ in words]
        seconds = [w in second for w, _, _ in words]
        for i in range(len(words)):
            if not (firsts[i] or seconds[i]):
                continue
            for j in range(i + 1, min(len(words), i + 1 + _CLAUSE)):
                if _SENTENCE_END.search(answer_norm, words[i][2], words[j][1]):
                    break
                if (firsts[i] and seconds[j]) or (seconds[i] and firsts[j]):
                    return words[i][1], words[j][2]
    return None


# how far apart the two words of a term may stand (2 words between at most); chosen on the dev
# tune answers (graded 4-5: fewer terms listed as missed; graded 0-2: no more credited). Seven
# words apart did a little better there, but let questions give terms away ("fully connected
# layers to convolutions": "fully convolutional")
_CLAUSE = 3
# a clause ends at . ; ! ? , (not inside 3.5 or 1,000) and at a line end (see _lines)
_SENTENCE_END = re.compile(r"[.;!?,。；！？，、](?!\d)")


def _lines(answer: str) -> str:
    """The answer with each line end marked as a clause end (normalising turns it into a space);
    the same length, so offsets into it are offsets into the answer."""
    return answer.replace("\r", ";").replace("\n", ";")


@lru_cache(maxsize=256)
def _words(answer_norm: str) -> tuple[tuple[str, int, int], ...]:
    return tuple((m.group(), m.start(), m.end()) for m in _WORD.finditer(answer_norm))


def _compact_span(norm: str, start: int, length: int) -> tuple[int, int]:
    """Map a span in the space-free text back to the normalised text."""
    pos = [i for i, ch in enumerate(norm) if ch != " "]
    return pos[start], pos[min(start + length, len(pos)) - 1] + 1


def match_keywords(keywords: Sequence[Keyword], answer: str, negation_cancels: Collection[Keyword] = ()) -> Match:
    """Which key terms `answer` says. For the terms in `negation_cancels` (those a reference
    never says negated: a candidate who writes 不可微 has not said 可微), a Chinese term right
    after a negation does not count; a term the reference itself negates (收敛 in 可能不收敛)
    names a topic, and counts either way. An order of lettered items is read as the word of its
    letters: "B, C, A" says "BCA"."""
    norm = normalise(_lines(joined(answer)))
    compact = norm.replace(" ", "")
    cancels = set(negation_cancels)
    covered, missed, spans = [], [], []
    for kw in keywords:
        span = next((s for s in (find_term(t, norm, compact, kw in cancels) for t in kw.terms) if s), None)
        if span:
            covered.append(kw)
            spans.append(span)
        else:
            missed.append(kw)
    return Match(tuple(covered), tuple(missed), tuple(spans), norm)


def term_spans(terms: Sequence[Sequence[str]], answer: str, mended: str | None = None) -> list[tuple[int, int]]:
    """Where in `answer` (as written) each key term was found, merged and in order: the words
    that earned the covered terms, for highlighting. Each item of `terms` holds one key
    term's spellings; the first that is found marks it (as in :func:`match_keywords`). With
    `mended` (the answer with its typing slips mended, as it was graded), terms are found there
    and marked where they were typed.

    >>> a = "It normalises each Mini-Batch; gamma and beta rescale."
    >>> [a[s:e] for s, e in term_spans([["mini-batch"], ["γ", "gamma"], ["dropout"]], a)]
    ['Mini-Batch', 'gamma']
    >>> a = "An ensamble of thined networks"
    >>> [a[s:e] for s, e in term_spans([["ensemble"], ["thinned network"]], a, "An ensemble of thinned networks")]
    ['ensamble', 'thined networks']
    """
    if mended is not None and mended != answer:
        moved = written_spans(term_spans(terms, mended), answer, mended)
        if moved is not None:
            return moved
    answer = _lines(answer)
    norm, at = normalise_with_offsets(answer)
    if norm != normalise(answer):  # a composed character changed the text: mark nothing
        return []
    compact = norm.replace(" ", "")
    found = []
    for spellings in terms:
        span = next((s for s in (find_term(t, norm, compact) for t in spellings if t.strip()) if s), None)
        if span and span[1] > span[0]:
            found.append((at[span[0]], at[span[1] - 1] + 1))
    spans: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return spans


_CLAUSE_START = re.compile(r"[,.;:!?，。；：！？、]\s*")


def said_negated(spellings: Sequence[str], answer: str) -> bool:
    """Whether the first place `answer` says a term (any of `spellings`) follows a negation in
    its clause ("Dropout is not an ensemble", 不是集成).

    >>> said_negated(["ensemble"], "Dropout is not an ensemble."), said_negated(["ensemble"], "No. It is an ensemble.")
    (True, False)
    >>> said_negated(["集成"], "dropout 不是集成"), said_negated(["集成"], "不对，它是集成")
    (True, False)
    """
    norm = normalise(_lines(answer))
    compact = norm.replace(" ", "")
    span = next((s for s in (find_term(t, norm, compact) for t in spellings if t.strip()) if s), None)
    if span is None:
        return False
    clause = _CLAUSE_START.split(norm[:span[0]])[-1]
    return bool(NEGATION_EN.search(clause)) or any(n in clause for n in ZH_NEGATING)


def said_in_chinese(keyword: Keyword, answer: str) -> bool:
    """Whether `answer` names `keyword` by one of its Chinese names (not only by an English one).

    >>> k = Keyword("ensemble", ("集成",))
    >>> said_in_chinese(k, "dropout 相当于集成很多子网络"), said_in_chinese(k, "dropout 相当于 ensemble")
    (True, False)
    """
    chinese = tuple(t for t in keyword.terms if detect_lang(t) == "zh")
    return bool(chinese) and bool(match_keywords((Keyword(chinese[0], chinese[1:]),), answer).covered)


def keywords_from_spec(spec: str) -> tuple[Keyword, ...]:
    """'term = alias; other' → keywords (the notes' and the batch files' rubric syntax)."""
    return tuple(Keyword.parse(p) for p in re.split(r"[;；]", spec) if p.strip(" =＝"))
