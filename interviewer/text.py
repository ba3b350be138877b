"""Text utilities shared by the index and the grader: cleaning, sentences, term matching.

    >>> sentences("BN normalises activations. It adds γ and β! 它还能正则化。")
    ['BN normalises activations.', 'It adds γ and β!', '它还能正则化。']
    >>> clean_answer("<b>ReLU</b> &amp; dropout").text
    'ReLU & dropout'
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from typing import NamedTuple

# The one home of "is this Chinese": CJK unified ideographs (with extension A) and the
# compatibility ideographs. Tokenisers elsewhere build their character classes from it.
CJK_RANGE = "\u3400-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{CJK_RANGE}]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", re.S)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][a-z]+)?")
_SENT_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=\S)|(?<=[。！？；])|\n+")
# as written: semicolons join clauses of one sentence, and a name's "!" ("Hogwild! style") or a
# "?" before a lowercase word does not end one
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[^\sa-z])|(?<=[。！？])|\n+")
_TAG = re.compile(r"<\s*(script|style)[^>]*>.*?<\s*/\s*\1\s*>|<[^>]{0,500}>", re.S | re.I)
# control characters (Cc) but tab/newline, format characters (Cf) and lone surrogates (Cs)
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
                        "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
                        "\ufff9-\ufffb\ud800-\udfff]")
_DEBRIS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
# full-width Latin letters and digits and the ideographic space become ASCII (ＢＮ → BN); Chinese
# punctuation and superscripts stay as written (NFKC would turn "，" into "," and "64²" into "642")
_WIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_WIDTH[0x3000] = 0x20
# a list item's marker: "- ", "● ", "2. ", "b) ", "iii) " (a space after it: "2.5%" and "E.g." are no items)
LIST_ITEM = re.compile(r"^\s*(?:[-*+•●▪◦○–]|\d{1,2}[.)]|[a-z][.)]|[ivx]{1,4}[.)])\s+", re.I)
# Chinese negation, in one place: the words that negate a claim (the negated-claim cue), and
# with them what turns a key term right after it into its opposite: the one-character prefixes
# (非线性 is not 线性) and "lacks" (a reference's 缺乏多样性 makes 多样性 a term that is said
# negated, so an answer's 没有多样性 still earns it)
ZH_NEGATION_WORDS = ("不", "没有", "没法", "没办法", "无需", "无法", "并非", "未")
ZH_NEGATING = ZH_NEGATION_WORDS + ("没", "无", "非", "缺乏", "缺少")
# "n't" with either apostrophe: "aren’t" is as common as "aren't" in pasted text
NEGATION_EN = re.compile(r"\b(?:not|no|never|cannot|can't|don't|doesn't|isn't|aren't|won't|without|neither|nor)\b|n['’]t\b",
                         re.I)
# 不 inside a word that negates nothing: 差不多 (about), 不断, 不同, 不仅, 不过, 不管, 不论, 不少, 不久;
# 不同时 ("not at once") and 不过拟合 ("does not overfit") still negate
_BU = "(?:(?<!差)不|(?<=差)不(?!多))(?!断|同(?!时)|仅|过(?!拟合)|管|论|少|久)"
NEGATION_ZH = re.compile("|".join(_BU if w == "不" else w for w in ZH_NEGATION_WORDS))
# a full stop after these rarely ends a sentence ("etc." often does, so it is not here)
_ABBREVIATION = re.compile(r"\b(?:i\.e|e\.g|et al|vs|cf|resp|approx)\.$", re.I)


class Cleaned(NamedTuple):
    text: str
    cut_from: int = 0  # the answer's length when it was cut to the limit (0: not cut)
    had_tags: bool = False  # markup was removed


# what people write in a cell in place of an answer: a blank by another name. Not "none", "0" or
# 无, each a right answer to some question ("How many parameters does max pooling have?")
_PLACEHOLDERS = frozenset({"n/a", "na", "n a", "no answer", "no answer given", "no response", "no submission",
                           "not answered", "empty", "empty answer", "empty response", "empty submission",
                           "未作答", "未答", "无作答", "没有作答", "空白"})
_PLACEHOLDER_MARKS = re.compile(r"[\s.。!！:：()（）\[\]<>*_\-]+")


def is_blank(text: str) -> bool:
    """Whether an answer says nothing: only white space, or a placeholder for a blank.

    >>> is_blank("  "), is_blank("N/A"), is_blank("No response."), is_blank("[Empty submission]")
    (True, True, True, True)
    >>> is_blank("None"), is_blank("无"), is_blank("No, it does not.")
    (False, False, False)
    """
    bare = _PLACEHOLDER_MARKS.sub(" ", text.lower()).strip()
    return not bare or bare in _PLACEHOLDERS


def has_words(text: str) -> bool:
    return bool(_CJK.search(text) or re.search(r"[A-Za-z]{2,}|\d", text))


def looks_binary(text: str) -> bool:
    """Control characters or decoding debris make up a noticeable share of the text."""
    if not text:
        return False
    head = text[:20000]
    return len(_DEBRIS.findall(head)) / len(head) > 0.05


def clean_answer(text: str, max_chars: int = 5000) -> Cleaned:
    """Drop markup and control characters, and cut very long answers, saying what was done
    (the grader words the notices, in the reader's language)."""
    cut_from = len(text) if len(text) > max_chars else 0
    text = text[:max_chars]
    stripped = _TAG.sub(" ", text)
    had_tags = stripped != text
    text = html.unescape(stripped)
    text = _INVISIBLE.sub("", text)
    text = re.sub(r"[ \t]+", " ", text.translate(_WIDTH))
    return Cleaned(text.strip(), cut_from, had_tags)


def sentences(text: str, min_len: int = 2, cut_chinese: bool = True, as_written: bool = False) -> list[str]:
    """Sentence-like pieces: split at sentence ends (English and Chinese) and line breaks.

    Long Chinese sentences are also cut at commas (unless `cut_chinese` is False, for text
    that is shown again as written): one comma-joined Chinese sentence often carries several
    points that an English writer would put in separate sentences.

    The grader compares by pieces cut at semicolons, commas of long Chinese sentences and after
    "i.e." or "et al." too (its weights were chosen that way: benchmarks/RESULTS.md);
    `as_written` keeps each sentence whole, for showing a sentence to a reader:

    >>> sentences("Scale the branch, i.e. multiply it by 0.1. It trains.")
    ['Scale the branch, i.e.', 'multiply it by 0.1.', 'It trains.']
    >>> sentences("Scale the branch, i.e. multiply it by 0.1. It trains.", as_written=True)
    ['Scale the branch, i.e. multiply it by 0.1.', 'It trains.']
    >>> sentences("目标 y = r + γ max Q(s', a'; θ⁻)，每隔 C 步同步；在线网络每步都训练。", as_written=True)
    ["目标 y = r + γ max Q(s', a'; θ⁻)，每隔 C 步同步；在线网络每步都训练。"]
    >>> sentences("Updates are lock-free in Hogwild! style, so some are stale. Fine.", as_written=True)
    ['Updates are lock-free in Hogwild! style, so some are stale.', 'Fine.']
    """
    out = []
    pieces = _join_abbreviations(_SENT_END.split(text)) if as_written else _SENT_SPLIT.split(text)
    for piece in pieces:
        piece = LIST_ITEM.sub("", piece).strip()
        if len(piece) >= min_len and has_words(piece):
            out.extend(_cut_long_chinese(piece) if cut_chinese and not as_written else [piece])
    return out


def _join_abbreviations(pieces: list[str]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if out and _ABBREVIATION.search(out[-1].rstrip()):
            out[-1] = f"{out[-1].rstrip()} {piece.lstrip()}"
        else:
            out.append(piece)
    return out


# not the comma of a number's thousands: 73,856 is one number
_CLAUSE_COMMA = re.compile(r"(，|,(?!\d{3}(?!\d)))")


_HIDDEN_COMMA = {",": "\x00", "，": "\x01"}


def _hide_bracketed_commas(text: str) -> str:
    """A comma inside brackets, nested or not, is part of what they hold: "(batch, K) 的独热向量" is
    one clause. Such commas become control characters (`_HIDDEN_COMMA`) until the cut is made. A
    bracket left open hides nothing: it would keep every comma after it."""
    out, depth = [], 0
    for ch in text:
        depth += ch in "(（[【"
        depth -= depth > 0 and ch in ")）]】"
        out.append(_HIDDEN_COMMA.get(ch, ch) if depth else ch)
    return "".join(out) if depth == 0 else text


def _cut_long_chinese(sentence: str, limit: int = 40) -> list[str]:
    # full-width or ASCII comma: an answer typed (or NFKC-normalised) with "," splits like "，"
    if len(_CJK.findall(sentence)) <= limit or not re.search("[，,]", sentence):
        return [sentence]
    hidden = _hide_bracketed_commas(sentence)
    shown = str.maketrans({v: k for k, v in _HIDDEN_COMMA.items()})
    parts: list[str] = []
    parts_comma: list[str] = []  # the comma that followed each part, to rejoin tiny clauses as written
    for clause, comma in zip(*[iter(_CLAUSE_COMMA.split(hidden) + [""])] * 2):
        clause = clause.translate(shown)
        if parts and (len(parts[-1]) < 12 or len(clause) < 8):
            parts[-1] += parts_comma[-1] + clause  # keep tiny clauses with a neighbour
            parts_comma[-1] = comma
        else:
            parts.append(clause)
            parts_comma.append(comma)
    return [p for p in parts if has_words(p)]


# where one claim of a long English sentence ends: a comma before a space (not a number's
# thousands), a semicolon or colon, and before "while" / "whereas"
_ENGLISH_CLAUSE = re.compile(r"\s*[;:]\s+|,\s+|\s+(?=(?:while|whereas)\b)", re.I)


def english_clauses(sentence: str, min_words: int = 10) -> list[str]:
    """The clauses (three words or more) of an English sentence of `min_words` or more; [] when
    it is shorter or has one such clause. A claim said inside a long sentence is compared by its
    own clause: the rest of the sentence dilutes its embedding.

    >>> english_clauses("All the stacked copies share a single set of weights, which keeps the model compact.")
    ['All the stacked copies share a single set of weights', 'which keeps the model compact.']
    >>> english_clauses("It keeps 2,000 proposals per image.")
    []
    """
    if len(sentence.split()) < min_words or _CJK.search(sentence):
        return []
    parts = [p.strip(" ,") for p in _ENGLISH_CLAUSE.split(sentence) if p and len(p.split()) >= 3]
    return parts if len(parts) > 1 else []


def normalise(text: str) -> str:
    """Case, width, hyphens and spacing do not matter for term matching (nor around "=":
    the key term G=1 is said as "G = 1"; nor LaTeX braces: 2^{-24} is 2^-24 and 2⁻²⁴).

    >>> normalise("Mini-Batch  Normalisation"), normalise("G=1"), normalise("2^{-24}"), normalise("2⁻²⁴")
    ('mini batch normalisation', 'g = 1', '2^ 24', '2^ 24')
    >>> normalise("2^24"), normalise("T/2"), normalise("T^2")  # other facts stay apart
    ('2^24', 't 2', 't^2')
    """
    text = RAISED.sub(lambda m: "^" + m.group(0), text)  # a raised number is a power: 2⁻²⁴ is 2^-24
    text = _SPACING.sub(" ", unicodedata.normalize("NFKC", text).lower()).replace("=", " = ")
    return re.sub(r"\s+", " ", text).strip()


SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"  # a raised number: a power (2⁻²⁴), for term matching and `figures`
RAISED = re.compile(f"[{SUPERSCRIPTS}]+")
_SPACING = re.compile("[-_/·•{}\u2212]+")  # the minus sign too: NFKC makes ⁻ one


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """`normalise(text)` and, for each of its characters, where it came from in `text`, so
    a term found in the normalised answer can be marked in the answer as the candidate wrote it.

    >>> norm, at = normalise_with_offsets("Mini-Batch  Norm")
    >>> norm, "Mini-Batch  Norm"[at[5]:at[9] + 1]
    ('mini batch norm', 'Batch')
    """
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        piece = _SPACING.sub(" ", unicodedata.normalize("NFKC", ch).lower()).replace("=", " = ")
        if ch in SUPERSCRIPTS and (i == 0 or text[i - 1] not in SUPERSCRIPTS):
            piece = "^" + piece  # a raised number is a power: 2⁻²⁴ is 2^-24
        for c in piece:
            if c.isspace():
                if not chars or chars[-1] == " ":
                    continue
                c = " "
            chars.append(c)
            offsets.append(i)
    if chars and chars[-1] == " ":
        chars.pop(), offsets.pop()
    return "".join(chars), offsets


def shorten(text: str, limit: int) -> str:
    """`text` on one line in at most `limit` characters, cut at a word boundary, with "…".

    >>> shorten("Classical momentum computes the gradient at the current parameters", 40)
    'Classical momentum computes the…'
    >>> shorten("训练时随机把隐藏单元置零", 6), shorten("short", 40)
    ('训练时随机…', 'short')
    >>> shorten("the update is $\\theta + \\alpha G_t$ per step", 24)  # not inside a formula
    'the update is…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1].isalnum() and cut[-1].isalnum() and not _CJK.match(cut[-1]):
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
    opened = _open_formula(cut)
    if opened is not None:  # an open formula would swallow the rest of the page when rendered
        cut = cut[:opened]
    return cut.rstrip(" ,;:，；、") + "…"


_DOLLARS = re.compile(r"(?<!\\)\$\$?")


def _open_formula(text: str) -> int | None:
    """Where the formula still open at the end of `text` starts ($...$ or $$...$$; \\$ is a dollar).

    >>> _open_formula("a $x$ and $$y"), _open_formula("cost \\$5, $z$"), _open_formula("$$a$$ b $c")
    (10, None, 8)
    """
    start, closing = None, ""
    for m in _DOLLARS.finditer(text):
        if start is None:
            start, closing = m.start(), m.group(0)
        elif m.group(0) == closing:
            start = None
    return start


def word_count(text: str) -> int:
    """Latin words plus Chinese characters (one character ≈ one word for length checks)."""
    return len(_WORD.findall(text)) + len(_CJK.findall(text))


def singular(word: str) -> str:
    """A lower-case English word without a final plural "s" (the one home of plural
    stripping). Crude on purpose, as both sides of a comparison go through it: "ss" and
    words of three letters stay, "bias" loses its s like "anchors".

    >>> [singular(w) for w in ("anchors", "gans", "loss", "bias", "gas")]
    ['anchor', 'gan', 'loss', 'bia', 'gas']
    """
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def detect_lang(text: str) -> str:
    """'zh' when Chinese characters outnumber Latin words, else 'en' (formulas and code aside).

    >>> detect_lang("1x1卷积的作用"), detect_lang("Why use 1x1 convolutions?")
    ('zh', 'en')
    """
    text = _MATH.sub(" ", text)
    return "zh" if len(_CJK.findall(text)) >= max(1, len(_LATIN_WORD.findall(text))) else "en"


_NON_WORD = re.compile(f"[^0-9a-z{CJK_RANGE}]+")


def _words_key(text: str) -> str:
    # words singular, so that "vanishing gradient" names a topic listed as "vanishing
    # gradients", and the reverse
    return " ".join(singular(w) for w in _NON_WORD.sub(" ", normalise(text)).split())


@functools.lru_cache(maxsize=65536)
def _name_key(name: str) -> str:
    return _words_key(name)  # the same few thousand names on every search


def named(text: str, names: dict[str, tuple[str, ...]]) -> set[str]:
    """The keys whose name or alias appears as whole words in `text` (the one home of "which
    topics does this text name"); a plural "s" on either side does not matter.

    >>> sorted(named("Why does batch norm help?", {"BatchNorm": ("BatchNorm", "batch norm"), "Adam": ("Adam",)}))
    ['BatchNorm']
    >>> named("What is the vanishing gradient problem?", {"Gradients": ("vanishing gradients",)})
    {'Gradients'}
    >>> named("When do BNs hurt?", {"BatchNorm": ("BN",)})
    {'BatchNorm'}
    """
    padded = f" {_words_key(text)} "
    found = set()
    for key, aliases in names.items():
        for name in aliases:
            n = _name_key(name)
            # "BNs": singular() leaves words of three letters alone, so a plural short alias is
            # looked for as it is
            if n and (f" {n} " in padded or f" {n}s " in padded or (not n.isascii() and n in padded)):
                found.add(key)
                break
    return found
