"""Orders of lettered items: "B, C, A", "B -> C -> A", "P(A) > P(C) > P(B)", read as one word.

A reference that says "The correct sequence is BCA" asks for an order, and answers write it
with commas, arrows or comparison signs. Read letter by letter, none of those share a unit with
"BCA" (single letters are no content units), so a right order earned nothing and was named as
missed, and a wrong one ("A, C, B") looked as good as the right one. Here an order of three or
more distinct capital letters becomes the word of its letters, lowest first where comparison
signs say which way it runs:

    >>> [o.letters for o in orders("From least to most likely: B, C, A. Then P(A) > P(C) > P(B).")]
    ['BCA', 'BCA']
    >>> joined("Events B -> C -> A, since B is a special case of C")
    'Events BCA, since B is a special case of C'

An alphabetical run with only commas or spaces between its letters is more likely a list of
names than an order ("events A, B, C are ..."): it is kept as an order only when arrows or
signs join it.

    >>> orders("Events A, B, C are defined above")
    []
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# an item: a capital letter alone, or named as an event, option ... or in P(...)
_ITEM = r"(?:[Pp]\s*[(\[]\s*)?(?:(?i:event|option|case|step|item|stage|phase)\s+)?([A-Z])(?![\w'’])(?:\s*[)\]])?"
_SIGN = r"<=?|>=?|≤|≥|->|=>|→|⇒|⟶|<-|←|(?i:\bless than\b|\bsmaller than\b|\blower than\b|\bgreater than\b|\blarger than\b|\bhigher than\b)"
_SEP = rf"\s*(?:{_SIGN}|[,;、，；]|-|–|\s(?i:then)\s)\s*|\s+"
_RUN = re.compile(rf"(?<![\w(\[])(?:{_ITEM})(?:(?:{_SEP})(?:{_ITEM})){{2,}}")
_ONE = re.compile(_ITEM)
_DOWN = re.compile(r"(?<![-=])>|≥|<-|←|(?i:greater|larger|higher)")  # the larger item comes first
_UP = re.compile(r"<(?!-)|≤|(?i:less|smaller|lower)")
_JOINS = re.compile(rf"{_SIGN}")

# an order said from the top down: "from most to least likely", "in decreasing order", 从大到小
_TOP = r"\b(?:most|highest|largest|greatest|biggest|best)\b"
_BOTTOM = r"\b(?:least|lowest|smallest|fewest|worst)\b"
_FROM_TOP = re.compile(rf"\b(?:decreasing|descending)\b|{_TOP}[^.\n]{{0,40}}?\bto\b[^.\n]{{0,25}}?{_BOTTOM}|"
                       r"[从由](?:大到小|高到低|多到少|长到短)|降序", re.I)
_FROM_BOTTOM = re.compile(rf"\b(?:increasing|ascending)\b|{_BOTTOM}[^.\n]{{0,40}}?\bto\b[^.\n]{{0,25}}?{_TOP}|"
                          r"[从由](?:小到大|低到高|少到多|短到长)|升序", re.I)


@dataclass(frozen=True)
class Order:
    letters: str  # lowest first when comparisons say which way it runs, else as written ("BCA")
    start: int
    end: int
    signed: bool  # joined by arrows or comparisons, not only commas or spaces
    compared: bool  # joined by comparisons (<, greater than ...): which way it runs is said


def orders(text: str) -> list[Order]:
    """Every order of three or more distinct capital letters in `text`, in the order written."""
    found = []
    for run in _RUN.finditer(text):
        items = list(_ONE.finditer(run.group(0)))
        letters = "".join(m.group(1) for m in items)
        # a run ends where a letter comes again ("B -> C -> A  B is the least"): H, T, H is a
        # sequence of outcomes, not an order of things
        n = next((i for i in range(len(letters)) if letters[i] in letters[:i]), len(letters))
        if n < 3:
            continue
        letters, end = letters[:n], run.start() + items[n - 1].end()
        between = _ONE.sub(" ", text[run.start():end])
        down, up = bool(_DOWN.search(between)), bool(_UP.search(between))
        if down and up:
            continue  # "A < B > C" orders nothing
        signed = bool(_JOINS.search(between))
        if not signed and letters == "".join(sorted(letters)):
            continue
        found.append(Order(letters[::-1] if down else letters, run.start(), end, signed, down or up))
    return found


def joined(text: str) -> str:
    """`text` with each order written as the word of its letters ("B, C, A" → "BCA")."""
    out, at = [], 0
    for o in orders(text):
        out += [text[at:o.start], o.letters]
        at = o.end
    return "".join(out) + text[at:]


def from_top(text: str) -> bool | None:
    """Whether `text` says its order runs from the top down (True), from the bottom up (False),
    or does not say (None)."""
    top, bottom = _FROM_TOP.search(text), _FROM_BOTTOM.search(text)
    if bool(top) == bool(bottom):
        return None
    return bool(top)


_WORD_OF_LETTERS = re.compile(r"(?<![\w-])[A-Z]{3,6}(?![\w-])")


def _stated(text: str) -> list[Order]:
    """The orders `text` gives, a word of distinct letters ("BCA") included."""
    found = orders(text)
    for m in _WORD_OF_LETTERS.finditer(text):
        if len(set(m.group(0))) == len(m.group(0)) and not any(o.start <= m.start() < o.end for o in found):
            found.append(Order(m.group(0), m.start(), m.end(), False, False))
    return found


def _in_frame(o: Order, said_from_top: bool | None, asked_from_top: bool) -> str:
    """`o`'s letters in the order the question asks for (an order that does not say which way
    it runs is taken to run that way)."""
    if o.compared:
        return o.letters[::-1] if asked_from_top else o.letters
    if said_from_top is None or said_from_top == asked_from_top:
        return o.letters
    return o.letters[::-1]


# a question that asks for an order; elsewhere "Q, K, V" in one answer and "K, Q, V" in the
# reference name the same three things
_ASKS_ORDER = re.compile(r"\b(?:order|arrange|rank|sort|sequence)|顺序|排序|排列|次序|先后", re.I)
_PIECE = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def contradicted(answer: str, reference_sentences: list[str], question: str) -> tuple[str, str, str] | None:
    """(answer sentence, reference sentence, "ACB vs BCA") when `answer` puts the reference's
    lettered items in another order and never in the reference's. The answer is read in
    sentences of its own: an order alone ("A, C, B.") has too few words to be one of the
    grader's sentences.

    Only a question that asks for an order (arrange, rank, 排序 ...) is read so. The reference's
    order is an order as above or a word of its letters ("BCA"). Both are read
    the way the question asks ("in increasing order", else as written); an answer that says it
    runs the other way ("from most to least likely: A, C, B") is turned round first, and one
    that is the reference's order reversed with a direction the question does not give is left
    alone: it may be the right order read from the other end.

    >>> refs = ["The correct sequence is BCA, where B is the least probable."]
    >>> contradicted("A, C, B. B is a subset of C.", refs, "Arrange them in increasing order of likelihood.")
    ('A, C, B.', 'The correct sequence is BCA, where B is the least probable.', 'ACB vs BCA')
    >>> contradicted("From most to least likely: A, C, B.", refs, "Arrange them in increasing order.")
    >>> contradicted("P(A) > P(C) > P(B)", refs, "Arrange them in increasing order.")
    >>> contradicted("ACB, as A is the most specific.", refs, "Arrange them in increasing order.")[2]
    'ACB vs BCA'
    """
    if not _ASKS_ORDER.search(question):
        return None
    asked = from_top(question) or False
    wanted: dict[str, str] = {}  # letters in the question's frame -> the reference sentence
    for sent in reference_sentences:
        for o in _stated(sent):
            wanted.setdefault(_in_frame(o, from_top(sent), asked), sent)
    if not wanted:
        return None
    pieces = [p.strip() for p in _PIECE.split(answer) if p.strip()]
    said = [(s, o, _in_frame(o, from_top(s), asked)) for s in pieces for o in _stated(s)]
    if any(letters in wanted for _, _, letters in said):
        return None  # the answer gives the reference's order somewhere
    for sentence, o, letters in said:
        right = next((w for w in wanted if sorted(w) == sorted(o.letters)), None)
        if right is None:
            continue
        if from_top(sentence) is not None and not o.compared and o.letters[::-1] == right and from_top(question) is None:
            continue  # said from the other end of an order the question gives no direction for
        return sentence, wanted[right], f"{letters} vs {right}"
    return None
