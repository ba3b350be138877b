"""Formulas written in prose, normalised so that one formula in two notations reads alike.

A candidate types ``dL/dz = p - y`` where the notes write ``∂L/∂z_c = p_c − y_c``, or
``c_t = f*c_{t-1} + i*g`` for ``c_t = f⊙c_{t-1} + i⊙g``. Word overlap sees nothing in either
(single letters and signs are not content words), so a right formula scored like a wrong one.
Here a formula is cut out of the text and rewritten in one spelling: LaTeX and Unicode as plain
characters, Greek names as letters, multiplication signs, spaces, primes, transposes and index
subscripts (i, j, k, t, c, n) dropped, typed names read as the notes' symbols (h_prev is h_{t-1},
abar and alpha_bar are ᾱ), brackets kept where they group a sum. What an answer is
asked for is the *result* the card's core line states: the right-hand side of each equation.

    >>> expressions("The gradient is ∂L/∂z_c = p_c − y_c: the Jacobian cancels.")
    ('dl/dz=p-y',)
    >>> results("then c_t = f⊙c_{t-1} + i⊙g and h_t = o⊙tanh(c_t).")
    ('fc_{t-1}+ig', 'otanhc')
    >>> states("c_t = f*c_t-1 + i*g; h_t = o * tanh(c_t)", ('fc_{t-1}+ig', 'otanhc'))
    True
    >>> states("dL/dz = y - p", ('p-y',)), states("The gradient is p - y.", ('p-y',))
    (False, True)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .bank import GREEK
from .lexical import STOPWORDS
from .mdtokens import plain_math
from .text import RAISED, SUPERSCRIPTS

# one spelling per name: Greek letters by name, and the step size's three names as one (lr, η, α)
_NAMED = {**{name: letter for letter, name in GREEK.items() if not letter.isascii()}, "eps": "ε", "lam": "λ",
          "sigmoid": "σ", "nabla": "∇", "grad": "∇", "lr": "α", "eta": "α", "η": "α", "pi": "π", "phi": "φ",
          "psi": "ψ", "omega": "ω", "b1": "β1", "b2": "β2", "abar": "α¯", "alphabar": "α¯"}
_GREEK = "αβγδεζηθικλμνξπρστυφχψω∇"
# a multiplication sign is kept while reading, so that "i⊙g" stays two letters rather than a
# word, and dropped in the end: QK^T and Q·Kᵀ are one product
_TIMES = "⋆"
_HAT, _BAR = "ˆ", "¯"  # an estimate (ŷ) and a mean (ᾱ) are not the plain letter
_COMBINING_BAR = "\u0304"
_SIGNS = [("−", "-"), ("–", "-"), ("×", _TIMES), ("·", _TIMES), ("⋅", _TIMES), ("⊙", _TIMES), ("∘", _TIMES),
          ("*", _TIMES), ("√", " sqrt "), ("∂", "d"), ("ᵀ", "^T"), ("⊤", "^T"), ("‖", "|"), ("||", "|"),
          ("≤", "<="), ("≥", ">="), ("≠", "!="), ("←", "="), ("<-", "="), (":=", "="), ("≈", "="),
          ("Σ", " sum "), ("∑", " sum "), ("⁄", "/"), ("ⁿ", "^n")]
_POWER = str.maketrans(SUPERSCRIPTS, "0123456789-+")  # H⁻¹ is H^-1
_LOWERED = str.maketrans({**{chr(0x2080 + i): f"_{i}" for i in range(10)},
                          **dict(zip("ₐₑₒₓₜₖₙᵢⱼ", ["_a", "_e", "_o", "_x", "_t", "_k", "_n", "_i", "_j"]))})
# θ -= g is θ = θ - g; the lookbehind starts a match only where a term starts (linear time)
_UPDATE = re.compile(r"(?<![^\s=<>!+\-])([^\s=<>!+\-]+)\s*([-+])=")
_HAT_TEX = re.compile(r"\\(hat|bar)\s*\{?\s*([A-Za-z])\s*\}?")
_HAT_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z])_(hat|bar)(?![A-Za-z])|(?<![A-Za-z])([xy])(hat|bar)(?![A-Za-z])")
# "1024-d", "10-bit", "3-layer": a number and a word, not a subtraction; the stand-in hyphen
# is not a sign
_COMPOUND = re.compile(r"\b\d+(?:\.\d+)?-([A-Za-z]{2,})\b|\b\d{2,}-([A-Za-z])\b(?= [A-Za-z]{2,})")
# "a" before a word or a number is the article, not a variable ("a 1024-d vector"); the stand-in
# is a character that ends a formula
_ARTICLE = re.compile(r"(?<![\w|(])a (?=[A-Za-z0-9])")
# a piece of a formula: an identifier (with its sub- and superscripts), a number, a sign, a bracket
_SUB = r"_(?:\{[^{}\s]*\}|[A-Za-z][-+]1(?![\d.])|[A-Za-z0-9α-ω']+)"  # c_t-1 is typed for c_{t-1}
_NAME = (rf"[A-Za-zα-ωΑ-Ω∇]+\d*['{_HAT}{_BAR}]*(?:{_SUB})?(?:\^(?:\{{[^{{}}]*\}}|[A-Za-z0-9]+|\(-?[^()\s]*\)))?"
         rf"(?:{_SUB})?")
_TOKEN = re.compile(rf"(?P<name>{_NAME})|(?P<num>\d+(?:\.\d+)?)|(?P<op><=|>=|!=|[=+\-/^<>|{_TIMES}])"
                    r"|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<sep>[,;:])|(?P<space>\s+)|(?P<other>.)")
# words that belong in a formula; any other word of two or more letters is prose and ends one
_FUNCTIONS = frozenset("""softmax tanh log exp sqrt max min relu argmax argmin sum clip kl var mean std cov
e det tr diag dl dz dw dx dy sign abs norm attention concat layernorm batchnorm bn ln loss smooth
""".split()) | frozenset(_NAMED) | {f"{g}{i}" for g in ("beta", "b") for i in (1, 2)}
_FUNCTION_WORDS = re.compile("|".join(sorted(_FUNCTIONS - {"e"}, key=len, reverse=True)))
# a side with no sign is still a formula when it applies one of these ("o tanh(c)")
_APPLIED = ("softmax", "tanh", "sqrt", "log", "exp", "σ", "max", "min", "relu")
_INDEX = frozenset("ijktcnlm")  # subscripts that only say which element: p_c is p
_PREVIOUS = {"prev": "t-1", "tm1": "t-1"}  # h_prev is h_{t-1}
_SIGN_OPS = frozenset("=+-/^<>" + _TIMES) | {"<=", ">=", "!="}
_SIGN_CHARS = frozenset("()[]{}/^+-=<>|" + _TIMES)
_EQUALS = re.compile(r"(?<![!<>])=")
# a result must be this share of the answer's side that holds it ("softmax(q·k/√d)" of
# "softmax(QKᵀ/√d)V" is, "p − y" of "(p − y)·p(1 − p)" is not)
_MOST = 0.6
_WORDLIKE = re.compile(rf"[a-z0-9{_GREEK}{_HAT}{_BAR}_^]")


def _spelled(text: str) -> str:
    # the bar as a combining mark until the end: NFKD below splits a spacing "¯" into a space and a mark
    text = _HAT_TEX.sub(lambda m: m.group(2) + (_HAT if m.group(1) == "hat" else _COMBINING_BAR), text)
    text = _HAT_WORD.sub(lambda m: (m.group(1) or m.group(3)) + (_HAT if (m.group(2) or m.group(4)) == "hat"
                                                                 else _COMBINING_BAR), text)
    text = _COMPOUND.sub(lambda m: m.group() if (m.group(1) or "").lower() in _FUNCTIONS
                         else m.group().replace("-", "‐"), plain_math(text))
    text = _UPDATE.sub(lambda m: f"{m.group(1)} = {m.group(1)} {m.group(2)} ", _ARTICLE.sub("§ ", text))
    for a, b in _SIGNS:
        text = text.replace(a, b)
    text = RAISED.sub(lambda m: "^" + m.group().translate(_POWER), text)
    text = text.translate(_LOWERED)
    # compatibility forms (full-width ｐ－ｙ from a Chinese keyboard) as plain ones; accents are
    # notation except the hat and the bar
    marks = {"\u0302": _HAT, _COMBINING_BAR: _BAR, "\u0305": _BAR}
    return "".join(marks.get(c, c) for c in unicodedata.normalize("NFKD", text)
                   if c in marks or unicodedata.category(c) != "Mn")


def _name(tok: str) -> str:
    """One spelling of an identifier: Greek by letter, index subscripts and primes out, digits kept,
    a _prev subscript as t-1 and a _bar or _hat one as the mark (alpha_bar_t is ᾱ)."""
    head, _, sup = tok.partition("^")
    base, _, sub = head.partition("_")
    if "_" in sup:  # σ^2_pop: the subscript after the power
        sup, _, sub = sup.partition("_")
    marks = "".join(c for c in base if c in _HAT + _BAR)
    base = "".join(c for c in base if c not in _HAT + _BAR + "'").lower()
    letters, digits = re.fullmatch(r"(.*?)(\d*)", base).groups()
    base = _NAMED.get(base) or _NAMED.get(letters, letters) + digits
    sub = sub.strip("{}").replace("'", "").lower()
    mark, _, rest = sub.partition("_")
    if mark in ("hat", "bar"):  # alpha_bar_t is ᾱ_t
        marks, sub = marks + (_HAT if mark == "hat" else _BAR), rest
    sub = _PREVIOUS.get(sub, sub)
    if sub.isdigit():
        base += sub
    elif sub and sub not in _INDEX:
        base += "_{" + sub + "}" if re.fullmatch(r"[a-z][-+]1", sub) else "_" + sub
    sup = sup.strip("{}()")
    return base + marks + ("^" + sup.lower() if sup and sup not in ("T", "top") else "")


def _normal(tokens: list[tuple[str, str]]) -> str:
    """One spelling of a formula's tokens; brackets around a single term go (tanh(c) is tanh c)."""
    out = []
    for kind, tok in tokens:
        if kind == "name":
            out.append(_name(tok))
        elif kind == "num" or kind == "sep" or kind == "op" and tok != _TIMES:
            out.append(tok)
        elif kind in ("open", "close"):
            out.append("(" if kind == "open" else ")")
    text, before = "".join(out), None
    while text != before:
        before, text = text, re.sub(r"\(([^()+\-/=<>|,;:!]*)\)", r"\1", text)
    return text


def _is_formula_word(tok: str) -> bool:
    base = tok.split("_")[0].split("^")[0].strip("'" + _HAT + _BAR)
    return (len(base.rstrip("0123456789")) == 1 or base.lower() in _FUNCTIONS or "_" in tok or "^" in tok
            or not base.isascii())


def _is_product(tok: str, text: str, start: int, end: int) -> bool:
    """Two letters written against a sign or a bracket are a product, not a word: "mn/(m+n)"."""
    touching = (start > 0 and text[start - 1] in _SIGN_CHARS) or (end < len(text) and text[end] in _SIGN_CHARS)
    return len(tok) == 2 and tok.isalpha() and tok.isascii() and tok.lower() not in STOPWORDS and touching


@lru_cache(maxsize=4096)
def expressions(text: str) -> tuple[str, ...]:
    """The formulas a text writes, normalised: runs of symbols with at least one sign between two
    operands, one of them a letter (plain arithmetic is `figures`' business).

    >>> expressions("Attention(Q, K, V) = softmax(QK^T / sqrt(d_k)) V, a weighted average.")
    ('attention(q,k,v)=softmax(qk/sqrtd)v',)
    >>> expressions(r"so $y = \\gamma \\hat{x} + \\beta$ per channel; a mini-batch of 4 + 4 = 8")
    ('y=γxˆ+β',)
    """
    runs: list[list[tuple[str, str]]] = [[]]
    depth = 0
    spelled = _spelled(text)
    for m in _TOKEN.finditer(spelled):
        kind, tok = m.lastgroup, m.group()
        if kind == "name" and not (_is_formula_word(tok) or _is_product(tok, spelled, m.start(), m.end())) \
                or kind == "other" and tok != "|":  # prose
            runs.append([])
            depth = 0
            continue
        if kind == "sep" and depth == 0:
            runs.append([])
            continue
        depth = max(0, depth + (kind == "open") - (kind == "close"))
        runs[-1].append((kind, tok))
    out = []
    for run in runs:
        while run and run[-1][0] in ("op", "space", "open", "sep"):
            run.pop()
        signs = [t for k, t in run if k == "op" and t in _SIGN_OPS]
        operands = [t for k, t in run if k in ("name", "num")]
        if signs and len(operands) >= 2 and any(k == "name" for k, _ in run):
            out.append(_normal(run))
    return tuple(dict.fromkeys(e for e in out if e))


def results(text: str) -> tuple[str, ...]:
    """What a text's formulas state: each equation's right-hand side. A formula with no '=' is its
    own result when it names three letters or applies a function; a side that starts with a sign,
    or names fewer than two letters, is a fragment of one and asks for nothing.

    >>> results("H(p, q) = H(p) + KL(p‖q); with fixed targets H(p) is a constant")
    ('hp+kl(p|q)',)
    >>> results("x + F(x), so LayerNorm; −log p of the true class")
    ()
    """
    out = []
    for e in expressions(text):
        sides = _EQUALS.split(e)
        side = sides[-1]
        letters = set(_FUNCTION_WORDS.sub("", side)) & set("abcdefghijklmnopqrstuvwxyz" + _GREEK)
        applied = any(f in side for f in _APPLIED)
        if (side and side[0] not in "+/^|,)<>!" and len(letters) >= 2
                and (any(op in side for op in "+-/^<>|") or applied)
                and (len(sides) > 1 or len(letters) >= 3 or applied)):
            out.append(side)
    return tuple(dict.fromkeys(out))


def _holds(side: str, wanted: str) -> bool:
    """`wanted` written as a whole term of `side`: not part of a longer name, power or product."""
    if len(wanted) < _MOST * len(side):
        return False
    start = side.find(wanted)
    while start >= 0:
        end = start + len(wanted)
        before = start == 0 or not _WORDLIKE.match(side[start - 1])
        after = end == len(side) or wanted.endswith(")") or not (_WORDLIKE.match(side[end]) or side[end] == "(")
        if before and after:
            return True
        start = side.find(wanted, start + 1)
    return False


def states(answer: str, wanted: tuple[str, ...]) -> bool:
    """Whether the answer writes every one of the formulas' results `wanted` (see `results`), each
    as most of one side of its own formulas: a result inside a longer product is another formula.

    >>> states("dL/dz = (p - y) * p * (1 - p)", ('p-y',)), states("dL/dz = p_i - y_i", ('p-y',))
    (False, True)
    """
    if not wanted:
        return False
    sides = [side for e in expressions(answer) for side in _EQUALS.split(e)]
    return all(any(_holds(side, w) for side in sides) for w in wanted)
