"""What an answer denies: whether a sentence rejects a claim rather than makes it.

A misconception said under a negation, or set up as someone else's belief and turned down, is
not said (``contradictions`` asks this of every sentence near a listed misconception). English
reads the word a negation falls on; Chinese, the units that follow it in its clause.

    >>> rejects("Dropout is not applied at test time", "Dropout is applied at test time")
    True
    >>> rejects("测试时 dropout 也随机丢弃单元，不用额外缩放", "测试时 dropout 也随机丢弃单元，以此对预测做平均")
    False
"""

from __future__ import annotations

import re

from .lexical import STOPWORDS, inflection_of, units
from .text import _CJK, NEGATION_EN, NEGATION_ZH

# "this is wrong" in Chinese: in a sentence it rejects the claim beside it; opening the piece after
# a misconception it turns that one down ("认为 X，这是不对的": a long sentence is cut at its commas)
# 不对 is "wrong" only before punctuation, the end, 的 or 了: in "不对输出做缩放" 对 is a preposition
_WRONG_ZH = r"(?:不对(?=[，。！？；、,.!?;]|$|的|了)|不正确|不成立|错误|错的)"
_TURNED_DOWN_ZH = (r"(?:(?:这|这样|这种说法|这个说法|这种理解|这种看法|说法)(?:是|并|也)?"
                   r"(?:" + _WRONG_ZH + r"|站不住|一个误区|误解)"
                   r"|(?:其实|实际上|事实上)(?:并|是)?(?:" + _WRONG_ZH + r"|不然))")
# words that reject a claim outright, whatever the claim's own negations ("没有影响" denied by 不是说)
_REJECTING = re.compile(r"\b(?:contrary to|not the case|isn't the case|not true|misconception|myth|a mistake to|"
                        r"(?<!not )wrong to)\b|不是说|并不是|并非|恰恰相反|误区|误解|错误的说法|(?<!不是)两回事|不是一回事|"
                        + _TURNED_DOWN_ZH, re.I)


# a piece that turns down the one before it: "…，这是不对的", "Some say X. That is not true."
REJECTED_NEXT = re.compile(r"\s*(?:但|但是|其实|可)?" + _TURNED_DOWN_ZH
                            + r"|\s*(?:but\s+)?(?:that|this|it)(?:'s|’s|\s+is|\s+was)\s+(?:simply\s+)?(?:wrong|"
                              r"not true|not the case|false|incorrect|a myth|a misconception|a common misconception)\b",
                            re.I)


# words that set a claim up as someone else's, to be denied by a negation after a "but" in the same
# sentence ("you might think ..., but it does not"; not "as you would expect, it uses ... not ...")
_SETTING_UP = re.compile(r"\b(?:might|may|could|would) (?:think|assume|expect|believe)|\b(?:people|many|some) (?:say|think|"
                         r"believe|assume)|\b(?:often|commonly|widely) (?:said|thought|believed|claimed|assumed)|"
                         r"\btempting\b|\bat first (?:sight|glance)"
                         r"|(?<!没)(?:有人|很多人|不少人|人们)(?:常|往往|会)?(?:以为|认为|觉得)|误以为|容易以为", re.I)


# a piece that opens by setting a claim up as someone else's belief ("有人以为 …", "Many people think …")
_OTHERS_BELIEVE = re.compile(r"\s*(?:(?:很多|不少|有些|一些)?人们?|有人)(?:常|往往|会|总)?(?:以为|认为|觉得)|\s*常被误以为"
                             r"|\s*(?:many|some|most) (?:people|students|candidates) (?:say|think|believe|assume)", re.I)
# the piece after it turns and either denies or says what the claim really describes: "其实那是普通交叉熵的要求"
_TURNING = re.compile(r"\s*(?:其实|但是?|然而|实际上|事实上|(?:but|however|in fact|actually)\b)[，,]?\s*", re.I)
_REASSIGNED = re.compile(r"(?:那|这|它)(?:只)?是|(?:that|this|it) (?:is|was) (?:only |just )?(?:true )?(?:of|for)\b", re.I)


def turned_next(piece: str, following: str) -> bool:
    """Whether `piece` opens by setting a claim up as someone else's belief and the piece after it
    turns to deny it or to say what it really describes: "有人以为稀疏交叉熵要求 (batch, K) 的独热向量"
    then "其实那是普通交叉熵的要求" (a long Chinese sentence is compared piece by piece, so the set-up
    and the turn fall in different pieces).

    >>> turned_next("有人以为标签要是独热向量", "其实那是普通交叉熵的要求")
    True
    >>> turned_next("标签要是独热向量", "其实那是普通交叉熵的要求")
    False

    A belief the answer agrees with, or a turn to another point, is not turned down:

    >>> turned_next("有人认为各份单元共享权重", "但更重要的是单元能迁移")
    False
    """
    turn = _TURNING.match(following)
    if not _OTHERS_BELIEVE.match(piece) or not turn:
        return False
    rest = following[turn.end():]
    return negated(rest) or bool(_REASSIGNED.match(rest))


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

# what turns a set-up claim down: "you might think …, but …"
# (其实 / 事实上 turn only before a negation: "事实上确实如此" agrees; 但 is not the 但 of 不但)
_CONTRAST = re.compile(r"\b(?:but|however|yet)\b|(?<!不)但|然而|可是|(?:其实|实际上|事实上)(?=[^，。；,;]*?(?:不|没|并非|无))", re.I)


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
    if negated(claim):
        return not negated(said) or _negates_the_rest(said, claim)
    if not negated(said):
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
        if first in _PRO_FORMS or (first and any(inflection_of(first, c) for c in claimed)):
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
    return _falls_on(said, set().union(*(units(c) for c in _PART.split(claim) if c.strip() and not negated(c))))


def negated(text: str) -> bool:
    return bool(NEGATION_EN.search(text) or NEGATION_ZH.search(text))


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
    return any(not negated(part) and not _GRANTING.search(part) and len(wrong & set(units(part))) >= enough
               for part in _PART.split(said))
