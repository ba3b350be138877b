"""Numbers in Chinese characters, so a key term is found however its number is written.

The notes write 10 毫秒, 256 个锚框 and 两层; a candidate may write 十毫秒, 二百五十六个锚框 or 2 层,
and speech recognition often writes Chinese numbers in characters (and "nine anchors" for 9).
`spellings` gives a key term its other spellings; the term matcher (`keywords.find_term`) tries
each, and `whole_number` keeps it from finding 10 倍 inside 100 倍 or 两层 inside 第2层.

    >>> read("二百五十六"), read("两千零五"), read("十二"), read("一点五"), read("三千五")
    (256, 2005, 12, 1.5, 3500)
    >>> write("256"), write("10"), write("2000"), write("0.70"), write("100000")
    (('二百五十六', '两百五十六'), ('十',), ('二千', '两千'), ('零点七', '零点七零'), ('十万',))
    >>> spellings("10 毫秒")
    ('10 毫秒', '十毫秒')
    >>> spellings("两层")
    ('两层', '2层')

A number joined to a Latin letter or a sign is part of a name and keeps its digits (1x1 卷积,
L2 归一化, 2^n, top-5); a run of characters counts as a number only right before a measure word
(个, 层, 倍 ...), since 一, 十 and 万 are also parts of words (一致, 十分, 万能), and 次, 阶 and 元 are
left out of those: 二次, 一阶 and 一元 are "quadratic", "first-order" and "unary".
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .text import CJK_RANGE, is_cjk

_DIGITS = "零一二三四五六七八九"
_VALUE = {c: i for i, c in enumerate(_DIGITS)} | {"两": 2, "〇": 0}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "零〇一二两三四五六七八九十百千万亿点"
_NUMBER_CHARS = frozenset("0123456789" + _NUMERAL)
# words that count things: a run of numeral characters right before one of these is a number
MEASURES = ("个", "层", "倍", "种", "块", "步", "组", "张", "条", "维", "位", "轮", "折", "类", "路", "秒", "毫秒",
            "分钟", "小时", "天", "年", "像素", "通道", "比特", "字节", "项", "份", "头", "段", "帧", "行", "列", "句",
            "词", "遍", "批", "台", "节", "万", "亿")
_SIGNS = r"_.^×*/\\\-−,"
# digits (thousands commas allowed) that no letter, sign or other digit touches, nor a sign one
# space away ("3 x 3")
_ARABIC = re.compile(rf"(?<![A-Za-z0-9{_SIGNS}()])(?<![A-Za-z×*/^−\-] )(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?"
                     rf"(?![A-Za-z0-9{_SIGNS}%()])(?! ?[x×*/^%−])")
# a run of numeral characters before a measure word, not after 几 / 数 ("几十个" is "dozens") nor
# 上 / 下 ("下一句" is "the next sentence")
_CHINESE = re.compile(f"(?<![几数上下])[{_NUMERAL}]+(?=\\s*(?:{'|'.join(sorted(MEASURES, key=len, reverse=True))}))")


# English: the small numbers a speaker says as words ("two GPUs", "nine anchors"); "one" is a
# pronoun as often as a number, and larger numbers are written in digits either way
_EN_WORDS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
            "seventeen eighteen nineteen twenty".split()
_EN_VALUE = {w: str(i) for i, w in enumerate(_EN_WORDS, 2)}
_EN_WORD = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(_EN_WORDS) + r")(?![A-Za-z0-9])", re.I)
_EN_DIGITS = re.compile(rf"(?<![A-Za-z0-9{_SIGNS}()])(?<![x×*/^−\-] )(1\d|20|[2-9])(?![A-Za-z0-9{_SIGNS}%()])"
                        r"(?! ?[x×*/^%−])")
_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?|" + _EN_WORD.pattern, re.I)
_THOUSANDS = re.compile(r",\d{3}(?!\d)")


def _english(term: str) -> tuple[str, ...]:
    """An English term with its small numbers written the other way.

    >>> _english("two GPUs"), _english("9 anchors"), _english("two groups of 5"), _english("3x3 conv")
    (('two GPUs', '2 GPUs'), ('9 anchors', 'nine anchors'), ('two groups of 5', '2 groups of 5', 'two groups of five'), ('3x3 conv',))
    """
    out = [term, _EN_WORD.sub(lambda m: _EN_VALUE[m.group(1).lower()], term),
           _EN_DIGITS.sub(lambda m: _EN_WORDS[int(m.group(1)) - 2], term)]
    return tuple(dict.fromkeys(out))


def number_tokens(text: str) -> list[str]:
    """The numbers a piece of English text says, in digits or in words, as written.

    >>> number_tokens("weight ten, 0.5 and 30 million"), number_tokens("weights en")
    (['ten', '0.5', '30'], [])
    """
    return [m.group(0).lower() for m in _NUMBER_TOKEN.finditer(text)]


def numeral_count(text: str) -> int:
    """How many digits and numeral characters `text` has (点 alone is a dot: 逐点, 离群点).

    >>> numeral_count("10 倍"), numeral_count("二百五十六个"), numeral_count("逐点卷积")
    (2, 5, 0)
    """
    return sum(c in _NUMBER_CHARS and c != "点" for c in text)


def has_number(spelling: str) -> bool:
    """Whether a term spelling holds a number (digits, or numeral characters before a measure word).

    >>> has_number("256 个锚框"), has_number("两层"), has_number("离群点"), has_number("统一")
    (True, True, False, False)
    """
    return bool(re.search(r"\d", spelling)) or any(read(m.group()) is not None for m in _CHINESE.finditer(spelling))


def whole_number(text: str, start: int, end: int) -> bool:
    """Whether a number at either end of ``text[start:end]`` is whole there: a term for 10 倍 is not
    said by 100 倍, 二十倍 or 0.10 倍, one for 0.7 not by 0.75, one for 两层 not by 第2层 (the second
    layer).

    >>> [whole_number(t, 1, 3) for t in ("约十倍", "二十倍", "第2层")], whole_number("约0.3倍", 3, 5)
    ([True, False, False], False)
    >>> whole_number("是0.75", 1, 4), whole_number("是0.7。", 1, 4), whole_number("除10,000", 1, 3)
    (False, True, False)
    >>> whole_number("2,3层", 2, 4), whole_number("大于0.7,0.3以下", 2, 5)
    (True, True)
    """
    if start >= end:
        return True
    if text[start] in _NUMBER_CHARS and start > 0:
        before = text[start - 1]
        # (not a letter before a digit: the matcher's text has lost its spaces, "ImageNet 1%" included)
        # (a comma before is no sign: the matcher's text has Chinese list commas as "," too, "2，3 层")
        if before in _NUMBER_CHARS or before == "第" or before == "." and start > 1 and text[start - 2].isdigit():
            return False
    if text[end - 1] in _NUMBER_CHARS and end < len(text):
        after = text[end]
        if (after in _NUMBER_CHARS and after != "点" or after in ".点" and text[end + 1:end + 2] in _NUMBER_CHARS
                or _THOUSANDS.match(text, end)):
            return False
    return True


def read(text: str) -> int | float | None:
    """The value of a number written in Chinese characters, or None if it is not one.

    >>> read("十"), read("一百零一"), read("两万三千"), read("零点零五"), read("一万二"), read("二百二")
    (10, 101, 23000, 0.05, 12000, 220)
    >>> read("一千零十"), read("一万零十五")
    (1010, 10015)
    >>> [read(t) for t in ("七个", "十十", "一百零", "两十", "百", "二三")]
    [None, None, None, None, None, None]
    """
    if not text or any(c not in _NUMERAL for c in text):
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        head = read(whole) if whole else 0
        if head is None or not frac or any(c not in _VALUE for c in frac):
            return None
        return float(f"{head}.{''.join(str(_VALUE[c]) for c in frac)}")
    if text[0] in "百千万亿" or len(text) > 1 and text.endswith(("零", "〇")) or "两十" in text:
        return None
    yi, wan, section, digit, last = 0, 0, 0, None, 0  # whole 亿s, the 万s below them, the rest
    for c in text:
        if c in _VALUE:
            if digit is not None and not (digit == 0 and (yi or wan or section)):
                return None  # "二三" is a list of digits, not a number
            digit = _VALUE[c]
        elif c in _SMALL_UNITS:
            unit = _SMALL_UNITS[c]
            if last and unit >= last:
                return None  # "十十", "十百": places only fall within a section
            section += (digit or 1) * unit  # 一千零十: the 零 holds a place, 十 is ten
            digit, last = None, unit
        else:
            group = section + (digit or 0)
            if c == "万":
                if not group:
                    return None
                wan = group * 10_000
            else:
                if not (group or wan or yi):
                    return None
                yi = (yi + wan + group) * 100_000_000
                wan = 0
            section, digit, last = 0, None, 0
    if digit and len(text) > 1 and text[-2] in "百千万亿":
        # 三千五 is 3500 and 一万二 12000: a last digit right after a larger place takes the place below
        place = {"百": 10, "千": 100, "万": 1000, "亿": 10_000_000}[text[-2]]
        if text[-2] in "万亿":
            return (yi + wan if text[-2] == "万" else yi) + digit * place
        return yi + wan + section + digit * place
    return yi + wan + section + (digit or 0)


def _under_10000(n: int) -> str:
    out, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            out += ("零" if zero and out else "") + _DIGITS[d] + name
            zero = False
        else:
            zero = True
    return out


def _integer(n: int) -> str:
    if n == 0:
        return "零"
    parts, out = [(n // 100_000_000, "亿"), (n // 10_000 % 10_000, "万"), (n % 10_000, "")], ""
    for value, name in parts:
        if value:
            # a gap of a whole place reads 零 ("一万零五"), as does a section under a thousand
            if out and value < 1000:
                out += "零"
            out += _under_10000(value) + name
    if out.startswith("一十"):
        out = out[1:]  # 十二, not 一十二
    return out


def write(number: str, ordinal: bool = False) -> tuple[str, ...]:
    """The ways Chinese writes a number given in digits: a 2 at the head may also read 两 (not in
    an ordinal, 第二), a decimal also drops its trailing zeros; nothing from a trillion up.

    >>> write("2"), write("20"), write("1,005"), write("2.5"), write("12"), write("2", ordinal=True)
    (('二', '两'), ('二十',), ('一千零五',), ('二点五',), ('十二',), ('二',))
    >>> write("1000000000000")
    ()
    """
    whole, _, frac = number.replace(",", "").partition(".")
    if int(whole) >= 10 ** 12:
        return ()
    head = _integer(int(whole))
    if frac:
        spelt = [head + "点" + "".join(_DIGITS[int(d)] for d in f) for f in (frac.rstrip("0"), frac) if f]
        return tuple(dict.fromkeys(spelt)) or (head,)
    if head.startswith("二") and not head.startswith("二十") and not ordinal:
        return head, "两" + head[1:]
    return (head,)


def _plain(number: str) -> str:
    """Digits as a number is most often typed: no thousands commas, no trailing decimal zeros."""
    number = number.replace(",", "")
    return number.rstrip("0").rstrip(".") if "." in number else number


def _compact(text: str) -> str:
    return re.sub(r"\s+(?=[^A-Za-z0-9\s])|(?<=[^A-Za-z0-9\s])\s+", "", text)


@lru_cache(maxsize=16384)
def spellings(term: str) -> tuple[str, ...]:
    """`term` as written, then with its numbers written the other way (in English terms, only the
    small ones: two GPUs / 2 GPUs).

    >>> spellings("256 个锚框")
    ('256 个锚框', '二百五十六个锚框', '两百五十六个锚框')
    >>> spellings("1x1 卷积"), spellings("L2 归一化"), spellings("top-5 错误率"), spellings("3 x 3 卷积")
    (('1x1 卷积',), ('L2 归一化',), ('top-5 错误率',), ('3 x 3 卷积',))
    >>> spellings("一致性"), spellings("二次"), spellings("几十个"), spellings("batch size 256")
    (('一致性',), ('二次',), ('几十个',), ('batch size 256',))
    >>> spellings("two GPUs")
    ('two GPUs', '2 GPUs')
    >>> spellings("十个裁剪"), spellings("大于 0.7"), spellings("第 2 层")
    (('十个裁剪', '10个裁剪'), ('大于 0.7', '大于零点七'), ('第 2 层', '第二层'))
    >>> spellings("0.50 到 0.95")[1:], spellings("1,000 个类别")[1:]
    (('0.5 到 0.95', '零点五到零点九五', '零点五零到零点九五'), ('1000 个类别', '一千个类别'))
    """
    if len(term) > 80:  # key terms are short; a batch file's rubric cell may not be
        return (term,)
    if not is_cjk(term):
        # a bare number ("2", an alias of γ = 2) is loose enough in digits; "two" is any pair
        return (term,) if re.fullmatch(r"[\d\s.,]+", term) else _english(term)
    out = [term]
    numbers = list(_ARABIC.finditer(term))
    if numbers:
        plain, variants, last = "", [""], 0
        for m in numbers:
            ordinal = term[:m.start()].rstrip().endswith("第")
            plain += term[last:m.start()] + _plain(m.group())
            # each leading 2 may read 二 or 两: a few variants, not 2^n of them
            variants = [v + term[last:m.start()] + w for v in variants for w in write(m.group(), ordinal)][:8]
            last = m.end()
        out += [plain + term[last:]] + [_compact(v + term[last:]) for v in variants]
    chinese = [(m, value) for m in _CHINESE.finditer(term) if (value := read(m.group())) is not None]
    if chinese:
        text, last = "", 0
        for m, value in chinese:
            text += term[last:m.start()] + (format(Decimal(str(value)), "f") if isinstance(value, float) else str(value))
            last = m.end()
        out.append(text + term[last:])
    return tuple(dict.fromkeys(out))


# "five convolutional layers", "3 fully connected layers", "5 个卷积层": a small count and the word it counts
_COUNTED_EN = re.compile(r"(?<![\w.,])(\d{1,2}|" + "|".join(_EN_WORDS) + r")\s+([a-z]+)", re.I)
_COUNTED_ZH = re.compile(f"(?<![\\d.,{_NUMERAL}])(\\d{{1,2}}|[{_NUMERAL}]+)\\s*(?:{'|'.join(sorted(MEASURES, key=len, reverse=True))})?"
                         f"\\s*([{CJK_RANGE}]{{2}})")
# words after a number that count nothing: "1 the model", "3 million", "5 percent"
_NOT_COUNTED = frozenset("the a an and or of to in on at for by with is are was were be times percent "
                         "thousand million billion".split())


def counts(text: str) -> dict[str, frozenset[float]]:
    """What `text` counts: the word after each small number (1 to 99; its first four letters, or
    two Chinese characters after the measure word), with the numbers it is given. Not a figure
    ("61 million parameters", "in 2012"): `figures` reads those.

    >>> sorted(counts("five convolutional layers then 3 fully-connected layers").items())
    [('conv', frozenset({5.0})), ('full', frozenset({3.0}))]
    >>> counts("由 3 个卷积层和五个全连接层组成"), counts("61 million parameters, in 2012, k = 1 the model")
    ({'卷积': frozenset({3.0}), '全连': frozenset({5.0})}, {})
    """
    out: dict[str, set[float]] = {}
    for m in _COUNTED_EN.finditer(text):
        number, word = m.group(1).lower(), m.group(2).lower()
        if word in _NOT_COUNTED:
            continue
        out.setdefault(word[:4], set()).add(float(_EN_VALUE.get(number, number)))
    for m in _COUNTED_ZH.finditer(text):
        value = float(m.group(1)) if m.group(1).isdigit() else read(m.group(1))
        if value is not None and value < 100:
            out.setdefault(m.group(2), set()).add(float(value))
    return {word: frozenset(values) for word, values in out.items()}



def counted_otherwise(a: str, b: str) -> bool:
    """Whether `a` gives something `b` counts a different number: "five conv layers then three FC
    layers" against "three conv layers then five FC layers" (a count in both, and no value shared).

    >>> counted_otherwise("AlexNet has five conv layers", "AlexNet has three convolutional layers and 5 FC layers")
    True
    >>> counted_otherwise("five conv layers", "5 conv layers"), counted_otherwise("five conv layers", "three FC layers")
    (False, False)
    >>> counted_otherwise("roughly 61 million parameters", "60 million parameters")
    False
    """
    mine, theirs = counts(a), counts(b)
    return any(not (values & theirs[word]) for word, values in mine.items() if word in theirs)
