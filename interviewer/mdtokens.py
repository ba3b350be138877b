r"""Markdown tokens (markdown-it-py, CommonMark) as the notes parser reads them: top-level
blocks with their source lines, and readable plain text of a token range.

    >>> toks = md.parse("Intro.\n\n- one\n- two\n")
    >>> [(b.type, b.line) for b in blocks(toks, 0)]
    [('paragraph', 1), ('bullet_list', 3)]
    >>> plain(toks)
    'Intro.\n\n- one\n- two'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .bank import GREEK

md = MarkdownIt("commonmark")

# display math, or inline math as pandoc reads it: no space inside either dollar, and no digit
# right after the closing one ("from $5 to $10" is money)
_MATH = re.compile(r"(?<!\\)\$\$.+?\$\$|(?<!\\)\$(?=\S)[^$\n]*?(?<=\S)(?<!\\)\$(?!\d)", re.S)
_CODE = re.compile(r"(`+).+?\1|^ {0,3}(```|~~~).*?^ {0,3}\2", re.S | re.M)
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


def keep_math(text: str) -> str:
    r"""`text` with the backslashes inside $...$ doubled before an ASCII punctuation mark, so that
    CommonMark's escapes leave LaTeX as written (``\,`` is a thin space, not a comma).

    >>> plain(md.parse(keep_math(r"update $\theta + \alpha\, G_t \{x\}$ now, \*not\* math")))
    'update $\\theta + \\alpha\\, G_t \\{x\\}$ now, *not* math'
    >>> plain(md.parse(keep_math(r"From $5 to \*maybe\* $10, and `$a\,b$` in code")))
    'From $5 to *maybe* $10, and $a\\,b$ in code'
    """
    out, at = [], 0
    for code in _CODE.finditer(text):  # code is shown as written: no escapes to keep there
        out += [_MATH.sub(_doubled, text[at:code.start()]), code.group(0)]
        at = code.end()
    return "".join(out) + _MATH.sub(_doubled, text[at:])


def _doubled(math: re.Match) -> str:
    return _ESCAPE.sub(r"\\\\", math.group(0))


@dataclass
class Block:
    """A top-level token range (a paragraph, a list, a heading, a code block...)."""

    tokens: list[Token]
    line: int  # 1-based line of the block's first source line

    @property
    def type(self) -> str:
        return self.tokens[0].type.removesuffix("_open")

    @property
    def tag(self) -> str:
        return self.tokens[0].tag


def blocks(tokens: list[Token], level: int, offset: int = 0) -> list[Block]:
    """Split a token list into the blocks that sit at `level`."""
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.level != level:
            i += 1
            continue
        j = i
        if tok.nesting == 1:
            depth = 0
            while j < len(tokens):
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
        if tok.nesting != -1:
            line = (tok.map[0] if tok.map else 0) + 1 + offset
            out.append(Block(tokens[i : j + 1], line))
        i = j + 1
    return out


def inline_text(tok: Token) -> str:
    parts: list[str] = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def is_nav_paragraph(block: Block) -> bool:
    """A paragraph made only of links to anchors ('back to top', a table of contents)."""
    if block.type != "paragraph":
        return False
    inline = block.tokens[1]
    inside_link, seen_link = False, False
    for child in inline.children or []:
        if child.type == "link_open":
            if not str(child.attrs.get("href", "")).startswith("#"):
                return False
            inside_link, seen_link = True, True
        elif child.type == "link_close":
            inside_link = False
        elif child.type == "text" and child.content.strip() and not inside_link:
            return False
    return seen_link


def plain(tokens: list[Token]) -> str:
    """Readable plain text of a token range: markup dropped, lists and code kept."""
    out: list[str] = []
    stack: list[list] = []  # per open list: [ordered?, next number]
    for tok in tokens:
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            stack.append([t == "ordered_list_open", int(tok.attrs.get("start", 1) or 1)])
        elif t in ("bullet_list_close", "ordered_list_close"):
            stack.pop()
            out.append("\n")
        elif t == "list_item_open" and stack:
            ordered, number = stack[-1]
            indent = "  " * (len(stack) - 1)
            out.append(f"{indent}{number}. " if ordered else f"{indent}- ")
            stack[-1][1] += 1
        elif t == "inline":
            out.append(inline_text(tok))
        elif t in ("paragraph_close", "heading_close"):
            out.append("\n" if stack else "\n\n")
        elif t in ("fence", "code_block"):
            out.append(tok.content.rstrip("\n") + "\n\n")
    text = "".join(out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# LaTeX that a table cell or a CSV file cannot render, as the characters it stands for; a command
# that only styles its argument is dropped, the argument kept
_TEX_SYMBOLS = {"cdot": "·", "times": "×", "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠",
                "sqrt": "√", "sum": "Σ", "prod": "Π", "infty": "∞", "to": "→", "rightarrow": "→", "mid": "|",
                "lVert": "‖", "rVert": "‖", "pi": "π", "phi": "φ", "Omega": "Ω", "top": "ᵀ", "log": "log ", "exp": "exp ",
                "max": "max ", "min": "min ", "tanh": "tanh ", "odot": "⊙", "circ": "∘", "partial": "∂",
                "nabla": "∇", "gets": "←", "leftarrow": "←", "left": "", "right": "", "mathrm": "", "mathcal": "",
                "mathbb": "", "operatorname": "", "text": "", "hat": "", "bar": "", "tilde": "", ",": " ", ";": " ",
                **{name: letter for letter, name in GREEK.items() if not letter.isascii()}}
_TEX_FRACTION = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|[,;])")


def plain_math(text: str) -> str:
    r"""Inline and display LaTeX as plain characters, for text shown where nothing renders it (the
    batch table, a graded file). A formula with a command it does not know is left as written.

    >>> plain_math(r"weighted by $h_i$, costs $28 \cdot 28 \approx 784$ and $\frac{1}{2}\lambda\lVert w\rVert^2$")
    'weighted by h_i, costs 28 · 28 ≈ 784 and 1/2λ‖w‖^2'
    >>> plain_math(r"it costs $5 and $6 more; $\int f$ stays; so does \$x$")
    'it costs $5 and $6 more; $\\int f$ stays; so does \\$x$'
    """
    def plain(m: re.Match) -> str:
        whole = m.group(0)
        body = whole.strip("$")
        body = _TEX_FRACTION.sub(r"\1/\2", body)
        body = _TEX_COMMAND.sub(lambda c: _TEX_SYMBOLS.get(c.group(1), c.group(0)), body)
        if "\\" in body:
            return whole
        body = body.replace("{", "").replace("}", "").replace("^ᵀ", "ᵀ")
        return re.sub(r" {2,}", " ", re.sub(r"\s*‖\s*", "‖", body)).strip()
    return _MATH.sub(plain, text)
