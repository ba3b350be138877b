"""What the user types, understood: commands (``/hint``, ``I don't know``, ``不会``, ``提示``,
``换个话题 ...``) and topic wishes ("ask me about object detection", "考我BN") matched to a
topic or an area of the bank, by name and alias first, then through the search index.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import NamedTuple

from rapidfuzz import fuzz

from .bank import Bank
from .index import SearchIndex
from .lexical import units
from .text import normalise, singular

MIN_WISH_SCORE = 0.22  # below this cosine the index did not understand the wish

_WORDS = MappingProxyType({  # plain-word commands, compared after normalising case and punctuation
    "hint": ("hint", "a hint", "give me a hint", "提示", "给个提示", "给点提示"),
    "skip": ("skip", "pass", "i don't know", "i dont know", "don't know", "idk", "no idea",
             "不会", "不知道", "我不会", "我不知道", "不清楚", "跳过"),
    "next": ("next", "next question", "下一题", "下一个", "换一题"),
    # not the bare word "answer": scripts type it as a stand-in for an answer
    "answer": ("show answer", "show the answer", "show me the answer", "show reference",
               "答案", "看答案", "显示答案", "参考答案"),
    "report": ("report", "show report", "报告", "成绩"),
    "retry": ("retry", "retry the weak ones", "try again", "重试", "再练一次", "重做错题"),
    "help": ("help", "?", "commands", "帮助", "命令"),
})
_LANG_WORDS = MappingProxyType({
    "zh": ("chinese", "in chinese", "switch to chinese", "中文", "用中文", "说中文", "切换到中文"),
    "en": ("english", "in english", "switch to english", "英文", "用英文", "英语", "切换到英文"),
})
_DECLINE = ("no", "nope", "no thanks", "not now", "不用", "不用了", "不要", "算了", "不")
_WISH_PREFIX = re.compile(
    r"^(?:/topic\b|(?:(?:please|can you|could you)\s+)?(?:ask|quiz|test|grill)\s+me\s+(?:some\s+)?"
    r"(?:questions?\s+)?(?:about|on)\b|(?:give me\s+)?(?:a\s+|another\s+)?(?:next\s+)?questions?\s+"
    r"(?:on|about)\b|let'?s\s+talk\s+about\b|(?:change|switch)\s+(?:the\s+)?topic(?:\s+to)?\b|"
    r"i\s+want\s+to\s+practi[cs]e\b|考考?我|问问?我|换个?话题(?:到|为)?|换个题目|我想练习?|来(?:一?道|几道))",
    re.I)
_WISH_SUFFIX = re.compile(r"(?:的题目?|的问题|方面的?|相关的?|吧|questions?|please)$", re.I)


class Command(NamedTuple):
    name: str  # hint skip next answer report retry help lang topic decline unknown
    arg: str = ""


def _norm_words(text: str) -> str:
    return re.sub(r"[\s.!?。！？,，~…]+$", "", text.replace("’", "'").casefold().strip())


def parse_command(text: str, followup_pending: bool = False) -> Command | None:
    """The command `text` stands for, or None when it is an answer (or a study question).

    >>> parse_command("/lang zh"), parse_command("我不会。"), parse_command("考我BN")
    (Command(name='lang', arg='zh'), Command(name='skip', arg=''), Command(name='topic', arg='BN'))
    >>> parse_command("no"), parse_command("no", followup_pending=True)
    (None, Command(name='decline', arg=''))
    """
    raw = text.strip()
    if raw.startswith("/"):
        name, _, arg = raw[1:].partition(" ")
        name = name.casefold()
        if name in ("topic", "lang"):
            return Command(name, _wish_text(raw) if name == "topic" else arg.strip().casefold())
        return Command(name) if name in _WORDS else Command("unknown", raw)
    words = _norm_words(raw)
    if followup_pending and words in _DECLINE:
        return Command("decline")
    for name, options in _WORDS.items():
        if words in options:
            return Command(name)
    for lang, options in _LANG_WORDS.items():
        if words in options:
            return Command("lang", lang)
    if _WISH_PREFIX.match(raw):
        return Command("topic", _wish_text(raw))
    return None


def _wish_text(raw: str) -> str:
    wish = raw.strip()
    for _ in range(2):  # "换个话题，考我Adam": two prefixes
        wish = _WISH_PREFIX.sub("", wish, count=1).strip(" \t,，:：;；.。!！?？")
    return _WISH_SUFFIX.sub("", wish).strip(" \t,，:：.。")


class Wish(NamedTuple):
    topic: str | None
    area: str | None
    score: float  # 1.0 for a name or alias, else the best cosine
    via: str  # name | area | search


def known_words(index: SearchIndex, wish: str, share: float = 0.6) -> bool:
    """Whether the notes use most of the wish's words at all. The sentence encoder finds
    *some* topic close to anything ("quantum computing" lands on Quantization at 0.45, above
    real wishes such as "generating images" at 0.30), so a wish whose words the notes never
    use is not one the bank covers.

    >>> from types import SimpleNamespace
    >>> idx = SimpleNamespace(vocabulary=frozenset(units("generating images with quantization")))
    >>> known_words(idx, "generating images"), known_words(idx, "quantum computing")
    (True, False)
    """
    wanted = set(units(wish))
    if not wanted or not index.vocabulary:
        return True
    return sum(u in index.vocabulary for u in wanted) >= share * len(wanted)


def nearest_topics(index: SearchIndex, wish: str, n: int = 3) -> list[str]:
    """The topics whose questions come closest to a wish the bank does not cover."""
    out: list[str] = []
    for h in index.search(normalise(_wish_text(wish)) or wish, k=12, kinds=["qa"]):
        if h.card.topic not in out:
            out.append(h.card.topic)
    return out[:n]


def match_wish(bank: Bank, index: SearchIndex, wish: str) -> Wish | None:
    """The topic (or area) a free-text wish points at: names and aliases, then the index.

    "考我BN" → BatchNorm (an alias); "object detection" → the area; "next question on
    Adam" → Adam. A wish the index cannot place confidently gives None.
    """
    w = normalise(_wish_text(wish))
    if not w:
        return None
    # an area's Chinese name (what a 中文 page's area chooser shows) before a topic's alias
    names = [(normalise(zh), None, area) for area, zh in bank.area_names]
    names += [(normalise(n), t.name, None) for t in bank.topics for n in (t.name, *t.aliases, t.name_zh) if n]
    names += [(normalise(a), None, a) for a in bank.areas]
    names += [(normalise(alias), None, area) for area, aliases in bank.area_aliases for alias in aliases]
    one = singular(w)  # "GANs", "anchors"
    for n, topic, area in names:
        if n in (w, one) or (len(w) > 4 and fuzz.ratio(n, w) >= 90):
            return Wish(topic, area, 1.0, "area" if area else "name")
    # a name inside a longer wish ("adam optimizer questions"): the longest one wins
    inside = [(len(n), topic, area) for n, topic, area in names if len(n) > 1
              and re.search(rf"(?<![a-z0-9]){re.escape(n)}(?:e?s)?(?![a-z0-9])", w)]
    if inside:
        _, topic, area = max(inside, key=lambda t: t[0])
        return Wish(topic, area, 1.0, "area" if area else "name")
    if not known_words(index, w):
        return None
    hits = index.search(w, k=12, kinds=["qa"])
    if not hits or hits[0].score < MIN_WISH_SCORE:
        return None
    topics: dict[str, float] = {}
    areas: dict[str, float] = {}
    for h in hits:  # cards vote with their similarity: one stray card does not win
        topics[h.card.topic] = topics.get(h.card.topic, 0.0) + h.score
        areas[h.card.area] = areas.get(h.card.area, 0.0) + h.score
    topic, area, total = max(topics, key=topics.get), max(areas, key=areas.get), sum(topics.values())
    if topics[topic] < 0.5 * total <= areas[area]:  # no topic stands out, but an area does
        return Wish(None, area, round(hits[0].score, 4), "search")
    return Wish(topic, None, round(hits[0].score, 4), "search")
