"""What a candidate reads after an answer, in English or Chinese: the next step and the report.

    >>> band_of(69), band_of(70), verdict(5, "zh")
    (3, 4, '优秀')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .text import CJK_RANGE, is_cjk, shorten

if TYPE_CHECKING:  # pragma: no cover
    from .contradictions import Contradiction
    from .scoring import Result

BAND_EDGES = (10, 30, 50, 70, 90)  # score 0..100 → band 0..5: band b is about a human grade of b/5
VERDICTS = {
    "en": ("misses the point", "wrong", "weak", "partial", "good", "excellent"),
    "zh": ("未答到要点", "错误", "薄弱", "部分正确", "良好", "优秀"),
}


def band_of(score: float, edges: tuple[float, ...] = BAND_EDGES) -> int:
    """The one band rule: how many band edges the score reaches."""
    return sum(score >= e for e in edges)


def verdict(band: int, lang: str = "en") -> str:
    return VERDICTS.get(lang, VERDICTS["en"])[band]


@dataclass(frozen=True)
class MissedTerm:
    term: str
    sentence: str  # the reference sentence the term comes from


@dataclass(frozen=True)
class Evidence:
    topic: str
    source: str
    text: str
    card_id: str


_TEXT = {
    "en": {
        "empty": "This does not answer the question yet: start from the core idea in one or two sentences.",
        "bring": "Bring in '{term}': {sentence}",
        "explain": "You name the right terms; now explain how they work together and why.",
        "short": "Correct direction; add one sentence on the mechanism or a number to show depth.",
        "deepen": "Partly there: the reference says more than this. Compare the two and add the reasoning you left out.",
        "weak": "Not there yet: compare your answer with the reference and say its main point in your own words.",
        "strong": "Strong answer. To go further, add a concrete number or a trade-off from the paper.",
        "strong-figures": "Strong answer. To go further, add a trade-off or a limitation from the paper.",
        "fix": "Fix this first: {reason}",
        "score": "**Score: {score}/100**, band {band}/5 ({verdict}) · semantic {semantic:.2f} · "
                 "words {lexical} · key terms {coverage} · confidence {confidence:.2f}",
        "unsure": "Not sure about this score: {reasons}.",
        "doubted": "Less sure because {reasons}.",
        "covered": "**Covered:**", "missed": "**Missed{derived}:**",
        "derived": " (terms taken from the reference answer)",
        "doubt-disagree": "the wording and the meaning of the answer point different ways",
        "doubt-cross": "graded across languages, on meaning alone",
        "doubt-edge": "the score is close to the edge between two bands",
        "doubt-middle": "partial and wrong answers often score alike in this range",
        "doubt-terse": "the answer is shorter than the reference answer, so there is less to grade it on",
        "doubt-match": "the question matched the bank only loosely ({confidence:.2f})",
        "doubt-capped": "a contradiction cue capped the score",
        "doubt-found": "a contradiction cue ({kind}) fired",
        "stuffing": "The answer lists key terms without explaining them; the score is capped.",
        "thin": "On topic, but it says less than half of what the reference answer says: partial at most.",
        "formula": "The formula is the one the notes give, so this is partial at least; say in words what it "
                   "means and why it holds.",
        "terms-other-language": "Key terms were not checked: the reference answer is in another language than "
                                "yours, so this answer is graded on its meaning alone.",
        "doubt-possible": "a possible contradiction ({kind}) was not counted",
        "elsewhere": "This reads more like an answer to another question: “{question}”",
        "notes": "**From the notes** ({topic}; {source}): {text}", "next": "**Next step:**",
        "early-empty": "The answer is empty: write a few sentences in your own words.",
        "early-binary": "The answer looks like binary data, not text: paste the answer as plain text.",
        "early-symbols": "The answer has no words (only symbols or emoji): explain the idea in sentences.",
        "early-echo": "The answer only repeats the question: say what the answer is, not what was asked.",
        "cut": "The answer was {length:,} characters; only the first {kept:,} were graded.",
        "tags": "HTML tags were removed before grading.",
        "slips": "Typing slips read as meant: {slips}.",
        "against-en": "Graded against the English version of the reference answer.",
        "against-zh": "Graded against the Chinese version of the reference answer.",
        "possible": "Possible contradiction: {reason}",
    },
    "zh": {
        "empty": "这还没有回答问题：先用一两句话说出核心思想。",
        "bring": "补充「{term}」：{sentence}",
        "explain": "关键术语都说到了；接下来解释它们如何配合、为什么这样做。",
        "short": "方向正确；再补一句机制或一个具体数字，体现深度。",
        "deepen": "部分正确：参考答案说得更多。对照一下，把漏掉的理由补上。",
        "weak": "还不到位：把回答和参考答案对照一下，用自己的话说出它的要点。",
        "strong": "回答很好。想更进一步，可以补充论文中的具体数字或权衡。",
        "strong-figures": "回答很好。想更进一步，可以补充论文中的权衡或局限。",
        "fix": "先纠正这一点：{reason}",
        "score": "**得分：{score}/100**，等级 {band}/5（{verdict}）· 语义 {semantic:.2f} · "
                 "用词 {lexical} · 关键词 {coverage} · 置信度 {confidence:.2f}",
        "unsure": "这个分数不太确定：{reasons}。",
        "doubted": "置信度较低，因为{reasons}。",
        "covered": "**已覆盖：**", "missed": "**遗漏{derived}：**",
        "derived": "（从参考答案中提取的术语）",
        "doubt-disagree": "用词和语义给出的判断不一致",
        "doubt-cross": "跨语言评分，只依据语义",
        "doubt-edge": "分数接近两个等级的分界",
        "doubt-middle": "在这个分数段，部分正确和错误的回答常常得分相近",
        "doubt-terse": "回答比参考答案短，可供评分的内容较少",
        "doubt-match": "问题与题库的匹配不够确定（{confidence:.2f}）",
        "doubt-capped": "矛盾检测限制了分数",
        "doubt-found": "检测到矛盾（{kind}）",
        "stuffing": "回答只罗列了关键词，没有解释它们；分数已封顶。",
        "thin": "切题，但说到的内容不到参考答案的一半：最多算部分正确。",
        "formula": "公式与笔记给出的一致，至少算部分正确；再用文字说明它的含义和成立的原因。",
        "terms-other-language": "未检查关键词：参考答案与你的回答不是同一种语言，只按语义评分。",
        "doubt-possible": "发现可能的矛盾（{kind}），未计入分数",
        "elsewhere": "这更像是在回答另一个问题：“{question}”",
        "notes": "**笔记原文**（{topic}；{source}）：{text}", "next": "**下一步：**",
        "early-empty": "回答是空的：用自己的话写几句。",
        "early-binary": "回答看起来是二进制数据，不是文字：请以纯文本粘贴回答。",
        "early-symbols": "回答里没有文字（只有符号或表情）：用句子解释这个概念。",
        "early-echo": "回答只是重复了问题：说出答案是什么，而不是问了什么。",
        "cut": "回答共 {length:,} 个字符，只评了前 {kept:,} 个。",
        "tags": "评分前已去掉 HTML 标签。",
        "slips": "拼写笔误已按原意理解：{slips}。",
        "against-en": "已按英文版参考答案评分。",
        "against-zh": "已按中文版参考答案评分。",
        "possible": "可能有矛盾：{reason}",
    },
}


_CUES = {"zh": {"misconception": "常见误区", "number": "数字不符", "direction": "方向相反", "negation": "否定相反",
                "binding": "取值不符", "swap": "张冠李戴", "figure": "关键数字不符", "order": "顺序不符"},
         "en": {"swap": "swapped sides"}}


def cue_name(kind: str, lang: str = "en") -> str:
    """A contradiction cue's name in the reader's language.

    >>> cue_name("negation", "zh"), cue_name("negation")
    ('否定相反', 'negation')
    """
    return _CUES.get(lang, {}).get(kind, kind)


def contradiction_text(c: "Contradiction", lang: str) -> str:
    """Why a contradiction cue fired, quoting the answer, in the reader's language."""
    said = shorten(c.part or c.said, 120)
    mine, _, theirs = c.detail.partition(" / ")  # a swap's two sides
    if lang == "zh":
        # Chinese sets Latin names (A3C) off with spaces, not names in characters (按值裁剪)
        mine_zh, theirs_zh = (n if n and is_cjk(n[0]) and is_cjk(n[-1]) else f" {n} " for n in (mine, theirs))
        what = {"misconception": (f"这是一个常见误区，笔记中的说法是「{c.detail}」" if c.detail
                                  else f"这是一个常见误区：{c.reference}"),
                "number": f"数字与参考答案不符（{c.detail}）：参考答案是「{c.reference}」",
                "figure": f"关键数字与笔记不符（{c.detail}）：笔记中是「{c.reference}」",
                "binding": f"取值与参考答案不符（{c.detail}）：参考答案是「{c.reference}」",
                "direction": f"方向说反了（{c.detail}）：参考答案是「{c.reference}」",
                "order": f"顺序与参考答案不同（{c.detail}）：参考答案是「{c.reference}」",
                "negation": f"与参考答案的肯定/否定相反：参考答案是「{c.reference}」",
                "swap": f"把{theirs_zh}的特点说成了{mine_zh}的：参考答案是「{c.reference}」"}[c.kind]
        return f"「{said}」——{what}"
    what = {"misconception": (f"this is a common misconception; the notes say: \"{c.detail}\"" if c.detail
                              else f"this is a common misconception ({c.reference})"),
            "number": f"the number differs from the reference ({c.detail}): \"{c.reference}\"",
            "figure": f"a key figure differs from the notes ({c.detail}): \"{c.reference}\"",
            "binding": f"the value differs from the reference's ({c.detail}): \"{c.reference}\"",
            "direction": f"the direction is reversed ({c.detail}): \"{c.reference}\"",
            "order": f"the order differs from the reference's ({c.detail}): \"{c.reference}\"",
            "negation": f"it negates what the reference says: \"{c.reference}\"",
            "swap": f"it says of {mine} what the notes say of {theirs}: \"{c.reference}\""}[c.kind]
    return f"\"{said}\": {what}"


@dataclass(frozen=True)
class Doubt:
    """Why a score is less sure: a key of the texts above and its values, worded when shown,
    because who reads it may read another language than the answer's (a batch file's reviewer
    on the 中文 page grading English answers).

    >>> d = Doubt("doubt-found", (("kind", "number"),))
    >>> d.text("en"), d.text("zh")
    ('a contradiction cue (number) fired', '检测到矛盾（数字不符）')
    """

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = "en") -> str:
        values = dict(self.values)
        if "kind" in values:
            values["kind"] = cue_name(str(values["kind"]), lang)
        return text(self.key, lang, **values)


def joined(clauses, lang: str = "en") -> str:
    """Clauses in one line, separated as `lang` writes them (empty ones left out): a row's
    review reasons, a result's doubts.

    >>> joined(["short answer", "", "borderline score"]), joined(["回答很短", "分数接近档位边界"], "zh")
    ('short answer; borderline score', '回答很短；分数接近档位边界')
    """
    return ("；" if lang == "zh" else "; ").join(c for c in clauses if c)


def listed(items, lang: str = "en") -> str:
    """Short items (key terms) in one line, separated as `lang` writes a list.

    >>> listed(["`BN`", "`dropout`"]), listed(["`逐通道`", "`4C`"], "zh")
    ('`BN`, `dropout`', '`逐通道`、`4C`')
    """
    return ("、" if lang == "zh" else ", ").join(i for i in items if i)


def doubts_text(doubts: "tuple[Doubt, ...]", lang: str = "en") -> str:
    """Several doubts as one clause, in `lang`."""
    return joined([d.text(lang) for d in doubts], lang)


def text(key: str, lang: str = "en", **fields) -> str:
    table = _TEXT.get(lang, _TEXT["en"])
    return table[key].format(**fields) if fields else table[key]


_NAMED = re.compile(rf"[A-Za-z{CJK_RANGE}]{{2,}}")


def suggest(band: int, semantic: float, coverage: float, missed: tuple[MissedTerm, ...],
            n_words: int, contradiction: str = "", lang: str = "en", elsewhere: bool = False,
            has_figures: bool = False, named: int = 0) -> str:
    """One next step, the most useful first (`elsewhere`: the answer reads like one to another
    question, so the asked question is still to be answered, whatever terms it shares;
    `has_figures`: the answer gives numbers already, so a strong one is not asked for one;
    `named`: how many key terms it says, so a bare "B -> C -> A" that gives the right order is
    not told it has not answered yet).

    >>> suggest(2, 0.5, 0.2, (MissedTerm("0.01", "It is clipped to 0.01."), MissedTerm("RMSProp", "Use RMSProp.")), 20)
    "Bring in 'RMSProp': Use RMSProp."
    >>> suggest(5, 0.9, 1.0, (), 60, has_figures=True)
    'Strong answer. To go further, add a trade-off or a limitation from the paper.'
    >>> suggest(3, 0.6, 1.0, (), 60)
    'Partly there: the reference says more than this. Compare the two and add the reasoning you left out.'
    """
    if contradiction:
        return text("fix", lang, reason=contradiction)
    if elsewhere or (band <= 1 and semantic < 0.2 and not named):
        return text("empty", lang)
    if missed and (coverage < 0.8 or band < 4):
        # a bare number ("0.01", "0.6%") says little as the thing to bring in: a named idea first
        first = next((m for m in missed if _NAMED.search(m.term)), missed[0])
        return text("bring", lang, term=first.term, sentence=first.sentence)
    if coverage >= 0.6 and semantic < 0.35:
        return text("explain", lang)
    if n_words < 12 and band < 5:
        return text("short", lang)
    if band <= 3:  # nothing named is missing, but the score says it is not good yet: no praise
        return text("deepen" if band == 3 else "weak", lang)
    return text("strong-figures" if has_figures else "strong", lang)


def doubt_line(result: "Result", lang: str | None = None) -> str:
    """Why the confidence is below 1, said more strongly when the result counts as unsure."""
    lang = lang or result.feedback_lang or result.answer_lang
    reasons = doubts_text(result.doubts, lang)
    if result.unsure:
        return text("unsure", lang, reasons=reasons)
    return text("doubted", lang, reasons=reasons) if reasons else ""


def render_markdown(result: "Result", lang: str | None = None) -> str:
    """Feedback for a candidate, as Markdown (the chat, the CLI's text output), in the language
    the result was worded in."""
    lang = lang or result.feedback_lang or result.answer_lang
    lexical = "-" if result.lexical is None else f"{result.lexical:.2f}"
    coverage = "-" if result.coverage is None else f"{result.coverage:.2f}"
    lines = [text("score", lang, score=result.score, band=result.band, verdict=verdict(result.band, lang),
                  semantic=result.semantic, lexical=lexical, coverage=coverage,
                  confidence=result.confidence)]
    if result.doubts:
        lines.append("> " + doubt_line(result, lang))
    for notice in result.notices:
        if notice != result.suggestion:
            lines.append(f"> {notice}")
    if result.covered:
        lines.append(text("covered", lang) + " " + listed([f"`{t}`" for t in result.covered], lang))
    if result.missed:
        lines.append(text("missed", lang, derived=text("derived", lang) if result.keywords_derived else ""))
        by_sentence: dict[str, list[str]] = {}  # terms from one sentence share its quote
        for m in result.missed:
            by_sentence.setdefault(m.sentence, []).append(f"`{m.term}`")
        lines.extend(f"- {listed(terms, lang)}: {sentence}" for sentence, terms in by_sentence.items())
    if result.evidence:
        e = result.evidence
        lines.append(text("notes", lang, topic=e.topic, source=e.source, text=e.text))
    if result.suggestion:
        lines.append(text("next", lang) + " " + result.suggestion)
    return "\n\n".join(lines)
