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

import bisect
import re
from dataclasses import dataclass

_NAME = r"(?:(?i:event|option|case|step|item|stage|phase)\s+)?"
_ITEM = rf"(?:[Pp]\s*[(\[]\s*)?{_NAME}([A-Z])(?![\w'’])(?:\s*[)\]])?"
_SIGN = (r"<=?|>=?|≤|≥|->|=>|→|⇒|⟶|<-|←|(?i:\bless than\b|\bsmaller than\b|\blower than\b|\bgreater than\b|"
         r"\blarger than\b|\bhigher than\b)")
# a plain space joins a letter that is no word of its own: "B C A", not the "I" of "B, C, A I think"
_ALONE_NEXT = rf"(?=(?:[Pp]\s*[(\[]\s*)?{_NAME}[A-Z](?![\w'’])(?!\s+[a-z]))"
_SEP = rf"\s*(?:{_SIGN}|[,;、，；]|-|–|\s(?i:then)\s)\s*|\s+{_ALONE_NEXT}"
_RUN = re.compile(rf"(?<![\w\[])(?:{_ITEM})(?:(?:{_SEP})(?:{_ITEM})){{2,}}")
_ONE = re.compile(_ITEM)
_DOWN = re.compile(r"(?<![-=])>|≥|(?i:greater|larger|higher)")  # the larger item comes first
_UP = re.compile(r"<(?!-)|≤|(?i:less|smaller|lower)")
_BACK = re.compile(r"<-|←")  # an arrow that points at the item before it
_FORTH = re.compile(r"->|=>|→|⇒|⟶")
_JOINS = re.compile(_SIGN)

# which way an order runs, said next to it: "from most to least likely", "largest first",
# "in decreasing order", 从大到小; words elsewhere in the sentence ("the count is decreasing in
# deeper layers") do not say it
_TOP = r"(?:most|highest|largest|greatest|biggest|fastest|longest|best)"
_BOTTOM = r"(?:least|lowest|smallest|fewest|slowest|shortest|worst)"
_RUNS_TO = r"(?:\s+\w+)?\s*(?:\bto\b|→|-+>)\s*(?:the\s+)?"


def _way(high: str, low: str, words: str, zh_high: str, zh_low: str, zh: str) -> str:
    return (rf"\b(?:in\s+)?{words}\s+order\b|\border\s+of\s+{words}\b|\b{words}ly\b|"
            rf"\b{high}{_RUNS_TO}{low}\b|\b{high}(?:\s+\w+)?\s+first\b|"
            rf"[从由]最?[{zh_high}]的?到最?[{zh_low}]|{zh}")


_FRAMES = re.compile(rf"(?P<top>{_way(_TOP, _BOTTOM, '(?:decreasing|descending)', '大高多长快', '小低少短慢', '递减|降序|从最可能到最不可能')})|"
                     rf"(?P<bottom>{_way(_BOTTOM, _TOP, '(?:increasing|ascending)', '小低少短慢', '大高多长快', '递增|升序|从最不可能到最可能')})",
                     re.I)
_FRAME_BEFORE, _FRAME_AFTER = 120, 40  # characters: "From most to fewest.\nA, C, B" / "A, C, B (from most to least)"

# an order quoted to be turned down: "a common mistake is A, C, B", "B, C, A, not A, C, B"
_REJECTED_BEFORE = re.compile(r"(?:\b(?:not|never|mistake|mistaken|wrong|instead of|rather than|misconception|"
                              r"(?:some|many|people)\s+(?:\w+\s+)?(?:say|think|write|believe|assume)|common (?:error|mistake))\b"
                              r"|不是|并非|而非|错误|误区|误以为|以为)[^.!?。！？\n]{0,40}$", re.I)
_REJECTED_AFTER = re.compile(r"^[\s,，:：)]*(?:(?:which|that|this|it)\s+)?(?:is|are|was|would be)?\s*"
                             r"(?:wrong|incorrect|a mistake|a misconception|not right|false)\b|^[\s,，)]*(?:是错的|是错误的|不对|是误区)",
                             re.I)


@dataclass(frozen=True)
class Order:
    letters: str  # lowest first when comparisons say which way it runs, else as written ("BCA")
    start: int
    end: int
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
        back, forth = bool(_BACK.search(between)), bool(_FORTH.search(between))
        if (down and up) or (back and forth) or ((down or up) and (back or forth)):
            continue  # "A < B > C", the collider "A -> B <- C": no order
        if not _JOINS.search(between) and letters == "".join(sorted(letters)):
            continue  # an alphabetical list joined only by commas or spaces names things
        found.append(Order(letters[::-1] if down or back else letters, run.start(), end, down or up))
    return found


def joined(text: str) -> str:
    """`text` with each order written as the word of its letters ("B, C, A" → "BCA")."""
    out, at = [], 0
    for o in orders(text):
        out += [text[at:o.start], o.letters]
        at = o.end
    return "".join(out) + text[at:]


def from_top(text: str) -> bool | None:
    """Whether `text` says an order runs from the top down (True), from the bottom up (False),
    or does not say (None)."""
    ways = {m.lastgroup == "top" for m in _FRAMES.finditer(text)}
    return ways.pop() if len(ways) == 1 else None


class _Frames:
    """Where `text` says which way an order runs, found once and looked up for each order."""

    def __init__(self, text: str):
        found = list(_FRAMES.finditer(text))
        self.ends = [m.end() for m in found]
        self.found = found

    def at(self, o: Order) -> bool | None:
        """The way said nearest before `o` (within 120 characters), else right after it (40)."""
        i = bisect.bisect_right(self.ends, o.start)
        if i and o.start - self.ends[i - 1] <= _FRAME_BEFORE:
            return self.found[i - 1].lastgroup == "top"
        after = next((m for m in self.found[i:] if m.start() >= o.end), None)
        if after is not None and after.start() - o.end <= _FRAME_AFTER:
            return after.lastgroup == "top"
        return None


_WORD_OF_LETTERS = re.compile(r"(?<![\w-])[A-Z]{3,6}(?![\w-])")


def _stated(text: str, named: str) -> list[Order]:
    """The orders `text` gives of items the question names (`named`: its lone capital letters),
    a word of their letters ("BCA") included, leaving out those it quotes to turn down."""
    found = orders(text)
    covered = {i for o in found for i in range(o.start, o.end)}
    for m in _WORD_OF_LETTERS.finditer(text):
        if len(set(m.group(0))) == len(m.group(0)) and m.start() not in covered:
            found.append(Order(m.group(0), m.start(), m.end(), False))
    return [o for o in found if set(o.letters) <= set(named) and not _REJECTED_BEFORE.search(text[max(0, o.start - 60):o.start])
            and not _REJECTED_AFTER.match(text[o.end:o.end + 40])]


def _in_frame(o: Order, said_from_top: bool | None, asked_from_top: bool) -> str:
    """`o`'s letters in the order the question asks for (an order that does not say which way
    it runs is taken to run that way)."""
    if o.compared:
        return o.letters[::-1] if asked_from_top else o.letters
    if said_from_top is None or said_from_top == asked_from_top:
        return o.letters
    return o.letters[::-1]


# a question that asks for an order: "arrange / rank / sort the …", "in increasing order", "in what
# order", 排序; not "in order to", "first-order", "low-rank", "sequence-to-sequence"
_ASKS_ORDER = re.compile(r"\b(?:arrange|rank|sort|order)\s+(?:the|them|these|those|all|each|events?|items?)\b|"
                         r"\bin\s+(?:the\s+)?(?:\w+\s+)?order\b(?!\s+to\b)|\b(?:what|which|correct|right)\s+(?:order|sequence)\b|"
                         r"\border(?:ed)?\s+(?:from|by)\b|排序|排列|先后顺序|什么顺序|顺序是|(?:从|由).{1,8}到.{1,8}排", re.I)


def contradicted(answer: str, reference_sentences: list[str], question: str) -> tuple[str, str, str] | None:
    """(answer sentence, reference sentence, "ACB vs BCA") when `answer` puts the reference's
    lettered items in another order and never in the reference's.

    Only a question that asks for an order (arrange, rank, in increasing order, 排序 ...) and names
    the items by capital letters is read so; an order or a word of letters (a reference's "BCA") of
    other letters is something else ("LIFO", "Q, K, V"). Orders are read the way the question asks
    ("in increasing order"; as written if it does not say): an answer that says it runs the other
    way, next to it ("from most to least likely: A, C, B", 从多到少), is turned round first. The
    reference's order reversed is left alone when the question gives no direction: it may be the
    right order read from the other end. An order the answer quotes to turn it down ("a common
    mistake is A, C, B") is not one it gives.

    >>> refs = ["The correct sequence is BCA, where B is the least probable."]
    >>> q = "Arrange events A, B and C in increasing order of likelihood."
    >>> contradicted("A, C, B. B is a subset of C.", refs, q)
    ('A, C, B.', 'The correct sequence is BCA, where B is the least probable.', 'ACB vs BCA')
    >>> contradicted("From most to least likely: A, C, B.", refs, q)
    >>> contradicted("P(A) > P(C) > P(B)", refs, q)
    >>> contradicted("ACB, as A is the most specific.", refs, q)[2]
    'ACB vs BCA'
    """
    if not _ASKS_ORDER.search(question):
        return None
    named = "".join(sorted(set(re.findall(r"(?<![\w'’])([A-Z])(?![\w'’])", question))))
    asked_way = from_top(question)
    asked = asked_way or False
    wanted: dict[str, str] = {}  # letters in the question's frame -> the reference sentence
    for sent in reference_sentences:
        frames = _Frames(sent)
        for o in _stated(sent, named):
            wanted.setdefault(_in_frame(o, frames.at(o), asked), sent)
    if not wanted:
        return None
    frames = _Frames(answer)
    said = [(o, _in_frame(o, frames.at(o), asked)) for o in _stated(answer, named)]
    if any(letters in wanted for _, letters in said):
        return None  # the answer gives the reference's order somewhere
    for o, letters in said:
        right = next((w for w in wanted if sorted(w) == sorted(o.letters)), None)
        if right is None or (asked_way is None and letters[::-1] == right):
            continue  # the reverse of an order the question gives no direction for may be read from the top
        sentence = next(p.group(0).strip() for p in _pieces(answer) if p.start() <= o.start < p.end())
        return sentence, wanted[right], f"{letters} vs {right}"
    return None


def _pieces(text: str) -> list[re.Match]:
    """The sentences of `text` as matches (an order alone, "A, C, B.", is one): where a cue is."""
    return list(re.finditer(r"[^\n]+?(?:[.!?。！？](?=\s|$)|$)", text, re.M))
