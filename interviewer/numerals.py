"""Numbers in Chinese characters, so a key term is found however its number is written.

The notes write 10 毫秒, 256 个锚框 and 两层; a candidate may write 十毫秒, 二百五十六个锚框 or 2 层,
and speech recognition often writes Chinese numbers in characters. `spellings` gives a Chinese
key term its other spellings; the term matcher (`keywords.find_term`) tries each.

    >>> read("二百五十六"), read("两千零五"), read("十二"), read("一点五"), read("三万")
    (256, 2005, 12, 1.5, 30000)
    >>> write("256"), write("10"), write("2000"), write("0.7"), write("100000")
    (('二百五十六', '两百五十六'), ('十',), ('二千', '两千'), ('零点七',), ('十万',))
    >>> spellings("10 毫秒")
    ('10 毫秒', '十毫秒')
    >>> spellings("两层")
    ('两层', '2层')

A number joined to a Latin letter or a sign is part of a name and keeps its digits (1x1 卷积,
L2 归一化, 2^n); a run of characters counts as a number only before a measure word (个, 层, 倍 ...),
since 一 and 万 are also parts of words (一致, 万能).
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = "零一二三四五六七八九"
_VALUE = {c: i for i, c in enumerate(_DIGITS)} | {"两": 2, "〇": 0}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# words that count things: a run of numeral characters right before one of these is a number
MEASURES = ("个", "层", "倍", "种", "块", "步", "次", "组", "张", "条", "维", "位", "阶", "轮", "折", "类", "路",
            "秒", "毫秒", "分钟", "小时", "天", "年", "像素", "通道", "比特", "字节", "元", "点", "成", "项", "份",
            "头", "对", "段", "帧", "行", "列", "句", "词", "遍", "批", "台", "张", "节", "级")
_NUMERAL = "零〇一二两三四五六七八九十百千万亿点"
# a run of digits (a decimal point allowed) that no letter, sign or other digit touches
_ARABIC = re.compile(r"(?<![A-Za-z0-9_.^×*/\\-])\d+(?:\.\d+)?(?![A-Za-z0-9_^×*/\\%])")
_CHINESE = re.compile(f"[{_NUMERAL}]+(?=\\s*(?:{'|'.join(sorted(set(MEASURES), key=len, reverse=True))}))")


_NUMBER_CHARS = frozenset("0123456789" + _NUMERAL)


def numeral_count(text: str) -> int:
    """How many digits and numeral characters `text` has.

    >>> numeral_count("10 倍"), numeral_count("二百五十六个")
    (2, 5)
    """
    return sum(c in _NUMBER_CHARS for c in text)


def whole_number(text: str, start: int, end: int) -> bool:
    """Whether a number at either end of ``text[start:end]`` is whole there: a term for 10 倍 is not
    said by 100 倍 or 二十倍, nor one for 0.7 by 0.75.

    >>> whole_number("约十倍", 1, 3), whole_number("二十倍", 1, 3), whole_number("是0.75", 1, 4), whole_number("是0.7。", 1, 4)
    (True, False, False, True)
    """
    if start < end and text[start] in _NUMBER_CHARS and start > 0 and text[start - 1] in _NUMBER_CHARS:
        return False
    if start < end and text[end - 1] in _NUMBER_CHARS and end < len(text):
        after = text[end]
        if after in _NUMBER_CHARS and after != "点" or after in ".点" and text[end + 1:end + 2] in _NUMBER_CHARS:
            return False
    return True


def read(text: str) -> int | float | None:
    """The value of a number written in Chinese characters, or None if it is not one.

    >>> read("十"), read("一百零一"), read("两万三千"), read("零点零五"), read("七个")
    (10, 101, 23000, 0.05, None)
    """
    if not text or any(c not in _NUMERAL for c in text):
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        head = read(whole) if whole else 0
        if head is None or not frac or any(c not in _VALUE for c in frac):
            return None
        return float(f"{head}.{''.join(str(_VALUE[c]) for c in frac)}")
    yi, wan, section, digit = 0, 0, 0, None  # whole 亿s so far, the 万s below them, the rest
    for c in text:
        if c in _VALUE:
            if digit is not None and not (yi or wan or section):
                return None  # "二三" is a list of digits, not a number
            digit = _VALUE[c]
        elif c in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
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
            section, digit = 0, None
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


def write(number: str) -> tuple[str, ...]:
    """The ways Chinese writes a number given in digits (a 2 at the head may also read 两).

    >>> write("2"), write("20"), write("1005"), write("2.5"), write("12")
    (('二', '两'), ('二十',), ('一千零五',), ('二点五',), ('十二',))
    """
    whole, _, frac = number.partition(".")
    head = _integer(int(whole))
    if frac:
        return (head + "点" + "".join(_DIGITS[int(d)] for d in frac),)
    if head.startswith("二") and not head.startswith("二十"):
        return head, "两" + head[1:]
    return (head,)


def _compact(text: str) -> str:
    return re.sub(r"\s+(?=[^A-Za-z0-9\s])|(?<=[^A-Za-z0-9\s])\s+", "", text)


@lru_cache(maxsize=16384)
def spellings(term: str) -> tuple[str, ...]:
    """`term` as written, then with its numbers written the other way (Chinese terms only).

    >>> spellings("256 个锚框")
    ('256 个锚框', '二百五十六个锚框', '两百五十六个锚框')
    >>> spellings("1x1 卷积"), spellings("L2 归一化"), spellings("一致性"), spellings("batch size 256")
    (('1x1 卷积',), ('L2 归一化',), ('一致性',), ('batch size 256',))
    >>> spellings("十个裁剪"), spellings("大于 0.7")
    (('十个裁剪', '10个裁剪'), ('大于 0.7', '大于零点七'))
    """
    if not re.search("[\u3400-\u9fff]", term):
        return (term,)
    out = [term]
    numbers = list(_ARABIC.finditer(term))
    if numbers:
        variants = [""]
        last = 0
        for m in numbers:
            variants = [v + term[last:m.start()] + w for v in variants for w in write(m.group())]
            last = m.end()
        out += [_compact(v + term[last:]) for v in variants]
    chinese = [m for m in _CHINESE.finditer(term) if read(m.group()) is not None]
    if chinese:
        text, last = "", 0
        for m in chinese:
            value = read(m.group())
            text += term[last:m.start()] + (f"{value:g}" if isinstance(value, float) else str(value))
            last = m.end()
        out.append(text + term[last:])
    return tuple(dict.fromkeys(out))
