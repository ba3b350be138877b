"""Formulas written in prose, normalised so that one formula in two notations reads alike.

A candidate types ``dL/dz = p - y`` where the notes write ``∂L/∂z_c = p_c − y_c``, or
``c_t = f*c_{t-1} + i*g`` for ``c_t = f⊙c_{t-1} + i⊙g``. Word overlap sees nothing in either
(single letters and symbols are not content words), so a right formula scored like a wrong one.
Here a formula is cut out of the text and rewritten in one spelling: LaTeX and Unicode as plain
characters, Greek names as letters, multiplication signs, brackets, spaces and subscripts
dropped, lower case. What an answer is asked for is the *result* the card's core line states:
the right-hand side of each equation there.

    >>> expressions("The gradient is ∂L/∂z_c = p_c − y_c: the Jacobian cancels.")
    ('dl/dz=p-y',)
    >>> results("then c_t = f⊙c_{t-1} + i⊙g and h_t = o⊙tanh(c_t).")
    ('fc+ig', 'otanhc')
    >>> states("c_t = f*c_{t-1} + i*g; h_t = o * tanh(c_t)", ('fc+ig', 'otanhc'))
    True
    >>> states("dL/dz = y - p", ('p-y',)), states("The gradient is p - y.", ('p-y',))
    (False, True)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .mdtokens import plain_math

# LaTeX commands plain_math leaves alone, as the characters a typed answer would use
_TEX_EXTRA = {r"\odot": "⊙", r"\partial": "∂", r"\nabla": "∇", r"\tanh": "tanh ", r"\ell": "l", r"\cdots": "",
              r"\ldots": "", r"\circ": "∘", r"\leftarrow": "←", r"\gets": "←", r"\|": "‖", r"\lvert": "|",
              r"\rvert": "|", r"\sigma": "σ"}
_GREEK_NAMES = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eps": "ε", "eta": "α",
                "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ",
                "phi": "φ", "psi": "ψ", "omega": "ω", "sigmoid": "σ", "nabla": "∇", "grad": "∇", "lam": "λ",
                # the step size goes by three names; one spelling, so "lr·m̂" meets "α m̂"
                "lr": "α", "η": "α"}
# one spelling per sign; every multiplication sign is one mark, dropped in the end (QK^T and
# Q·Kᵀ are one product) but kept while reading, so that "i⊙g" stays two letters, not a word
_TIMES = "⋆"
_SIGNS = [("−", "-"), ("–", "-"), ("×", _TIMES), ("·", _TIMES), ("⋅", _TIMES), ("⊙", _TIMES), ("∘", _TIMES),
          ("*", _TIMES), ("√", " sqrt "), ("∂", "d"), ("ᵀ", "^t"), ("²", "^2"), ("³", "^3"), ("‖", "|"),
          ("||", "|"), ("≤", "<="), ("≥", ">="), ("←", "="), ("<-", "="), (":=", "="), ("-=", "="), ("+=", "="),
          ("≈", "="), ("Σ", "sum"), ("∑", "sum"), ("^⊤", "^t"), ("⊤", "^t")]
_SUBSCRIPT_CHARS = "₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₜₖₙᵢⱼ"
# an estimate's hat, however it is typed: ŷ, \hat{y}, y_hat, yhat
_HAT = "ˆ"
_HAT_TEX = re.compile(r"\\hat\s*\{?\s*([A-Za-z])\s*\}?")
_HAT_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z])_?hat(?![A-Za-z])")
# a piece of a formula: an identifier (with its sub- and superscripts), a number, a sign, a bracket
_SUB = r"_(?:\{[^{}\s]*\}|[A-Za-z][-+]1(?![\d.])|[A-Za-z0-9α-ω']+)"  # c_t-1 is typed c_{t-1}
_NAME = rf"[A-Za-zα-ωΑ-Ωθλμσ∇]+\d*['ˆ]*(?:{_SUB})?(?:\^(?:\{{[^{{}}]*\}}|[A-Za-z0-9]+|\(-?[^()\s]*\)))?(?:{_SUB})?"
_TOKEN = re.compile(rf"(?P<name>{_NAME})|(?P<num>\d+(?:\.\d+)?)|(?P<op><=|>=|[=+\-/^<>|!⋆])|(?P<br>[()\[\]{{}}])"
                    r"|(?P<sep>[,;:])|(?P<space>\s+)|(?P<other>.)")
# words that belong in a formula; any other word of two or more letters is prose and ends one
_FUNCTIONS = frozenset("""softmax tanh log exp sqrt max min relu argmax argmin sum clip kl var mean std cov
e det tr diag dl dz dw dx dy sign abs norm attention concat layernorm batchnorm bn ln loss smooth lr
""".split()) | frozenset(_GREEK_NAMES) | frozenset(f"{g}{i}" for g in ("beta", "b") for i in (1, 2))
# "1024-d", "10-bit", "3-layer": a number and a word, not a subtraction
_COMPOUND = re.compile(r"\b\d+(?:\.\d+)?-([A-Za-z]{2,})\b|\b\d{2,}-([A-Za-z])\b(?= [A-Za-z]{2,})")
# "a" before a word or a number is the article, not a variable ("a 1024-d vector")
_ARTICLE = re.compile(r"(?<![\w|(])a (?=[A-Za-z0-9])")
_GREEK = frozenset("αβγδεηθλμπρστφψω")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzαβγδεηθλμπρστφψω")
# a result must be this share of the answer's side that holds it ("softmax(q·k/√d)" of
# "softmax(QKᵀ/√d)V" is, "p − y" of "(p − y)·p(1 − p)" is not)
_MOST = 0.6
# a side with no sign is still a formula when it applies one of these ("o tanh(c)")
_APPLIED = ("softmax", "tanh", "sqrt", "log", "exp", "σ", "max", "min", "relu")
_OPERATORS = frozenset("=+-/^<>" + _TIMES) | {"<=", ">="}


def _spelled(text: str) -> str:
    text = _HAT_TEX.sub(lambda m: m.group(1) + _HAT, text)
    text = _HAT_WORD.sub(lambda m: m.group(1) + _HAT, text)
    for tex, char in _TEX_EXTRA.items():
        text = text.replace(tex, char)
    text = _COMPOUND.sub(lambda m: m.group() if (m.group(1) or "").lower() in _FUNCTIONS
                         else m.group().replace("-", "‐"), plain_math(text))
    text = _ARTICLE.sub("§ ", text)
    for a, b in _SIGNS:
        text = text.replace(a, b)
    text = text.translate({ord(c): None for c in _SUBSCRIPT_CHARS})
    # accents are notation (Ā, ᾱ read as A, α; canonical decomposition leaves ² alone), except
    # the hat: ŷ − y is not y − ŷ
    return "".join(_HAT if c == "\u0302" else c for c in unicodedata.normalize("NFD", text)
                   if c == "\u0302" or unicodedata.category(c) != "Mn")


def _normal(tokens: list[tuple[str, str]]) -> str:
    """One spelling of a formula's tokens: subscripts, brackets and spaces out, Greek names in."""
    out = []
    for kind, tok in tokens:
        if kind == "name":
            base, _, sup = tok.partition("^")
            base = base.split("_")[0].replace("'", "").lower()  # primes are notation too (λ' for λ)
            name = re.fullmatch(r"(.*?)\d*", base).group(1)
            if name in _GREEK_NAMES or name in _GREEK or base in ("b1", "b2"):
                base = "β" if base in ("b1", "b2") else _GREEK_NAMES.get(name, name)  # β1, beta1, b1: one β
            else:
                base = _GREEK_NAMES.get(base, base)
            sup = sup.split("_")[0].strip("{}()").lower()
            # a transpose is notation (q·k, qkᵀ, QK^T are one product), not content
            out.append(base + ("^" + sup if sup and sup not in ("t", "top") else ""))
        elif kind == "num" or kind == "op" and tok != _TIMES:
            out.append(tok)
    return "".join(out)


def _is_formula_word(tok: str) -> bool:
    base = tok.split("_")[0].split("^")[0].rstrip("'ˆ")
    return (len(base.rstrip("0123456789")) == 1 or base.lower() in _FUNCTIONS or "_" in tok or "^" in tok
            or not base.isascii())


@lru_cache(maxsize=20_000)
def expressions(text: str) -> tuple[str, ...]:
    """The formulas a text writes, normalised: runs of symbols with at least one sign between two
    operands, one of them a letter (plain arithmetic is `figures`' business).

    >>> expressions("Attention(Q, K, V) = softmax(QK^T / sqrt(d_k)) V, a weighted average.")
    ('attentionq,k,v=softmaxqk/sqrtdv',)
    >>> expressions(r"so $y = \\gamma \\hat{x} + \\beta$ per channel; a mini-batch of 4 + 4 = 8")
    ('y=γxˆ+β',)
    """
    runs: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for m in _TOKEN.finditer(_spelled(text)):
        kind, tok = m.lastgroup, m.group()
        if kind == "name" and not _is_formula_word(tok):  # a word of prose, in brackets too
            runs.append([])
            continue
        if kind == "br":
            depth = max(0, depth + (1 if tok in "([{" else -1))
        if kind == "sep" and depth == 0 or kind == "other" and tok not in "|!":
            runs.append([])
            continue
        if kind == "sep":
            kind = "op"  # an argument list: keep its commas
        runs[-1].append((kind, tok))
    out = []
    for run in runs:
        while run and (run[-1][0] == "op" and run[-1][1] != ")" or run[-1][0] == "space"):
            run.pop()
        signs = [t for k, t in run if k == "op" and t in _OPERATORS]
        operands = [t for k, t in run if k in ("name", "num")]
        if signs and len(operands) >= 2 and any(k == "name" for k, _ in run):
            out.append(_normal(run))
    return tuple(dict.fromkeys(e for e in out if e))


def results(text: str) -> tuple[str, ...]:
    """What a text's formulas state: each equation's right-hand side (a formula with no '=' is
    its own result). Sides of fewer than three characters (``h``, ``2C``) say too little to ask for.

    >>> results("H(p, q) = H(p) + KL(p‖q); with fixed targets H(p) is a constant")
    ('hp+klp|q',)
    """
    out = []
    for e in expressions(text):
        side = e.rsplit("=", 1)[-1]
        letters = set(re.sub("|".join(sorted(_FUNCTIONS, key=len, reverse=True)), "", side)) & _LETTERS
        if len(letters) >= 2 and (any(op in side for op in "+-/^<>|") or any(f in side for f in _APPLIED)):
            out.append(side)
    return tuple(dict.fromkeys(out))


def states(answer: str, wanted: tuple[str, ...]) -> bool:
    """Whether the answer writes every one of the formulas' results `wanted` (see `results`), each
    as most of one side of its own formulas: a result inside a longer product is another formula.

    >>> states("dL/dz = (p - y) * p * (1 - p)", ('p-y',)), states("dL/dz = p_i - y_i", ('p-y',))
    (False, True)
    """
    if not wanted:
        return False
    sides = [side for e in expressions(answer) for side in e.split("=")]
    return all(any(w in side and len(w) >= _MOST * len(side) for side in sides) for w in wanted)
