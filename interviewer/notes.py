"""Markdown study notes → a `Bank` of topics and cards.

The notes are parsed with markdown-it-py (CommonMark tokens), never with line regexes, so
that nesting, indentation and code follow the Markdown rules a viewer uses. The format is
described in ``docs/notes-format.md``: ``##`` topics, numbered summary points,
``#### Questions`` bullets with indented answers, ``#### Reference`` blocks, other ``####``
headings as concept entries, and italic-label metadata paragraphs
(``*Keywords:* BN = batch norm · *Level:* 2``).

    >>> bank = parse_text('''
    ... ## Dropout
    ...
    ... 1. Randomly drops units while training.
    ...
    ... #### Questions
    ...
    ... - Why does dropout reduce overfitting?
    ...
    ...   Units cannot co-adapt, so the net behaves like an ensemble.
    ...
    ...   *Keywords:* co-adaptation = co-adapt; ensemble
    ... ''')
    >>> [(c.kind, c.question) for c in bank.cards]
    [('point', 'What is key idea 1 of Dropout?'), ('qa', 'Why does dropout reduce overfitting?')]
    >>> [str(k) for k in bank.cards[1].keywords]
    ['co-adaptation = co-adapt', 'ensemble']
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import mdtokens as mdt
from .bank import Bank, Card, Keyword, SyllabusEntry, Topic, card_id
from .keywords import keywords_from_spec
from .text import _CJK, detect_lang
from .errors import NotesError

QUESTION_HEADINGS = {"questions", "question", "问题", "面试题"}
REFERENCE_HEADINGS = {"reference", "references", "参考", "参考文献"}
# `中文名` (Chinese name): what a 中文 page calls the topic or area; without it, its name as written
TOPIC_LABELS = {"paper": "paper", "year": "year", "area": "area", "aliases": "aliases", "中文名": "zh",
                "chinese name": "zh"}
AREA_LABELS = {"aliases": "aliases", "中文名": "zh", "chinese name": "zh"}
CARD_LABELS = {
    "keywords": "keywords", "关键词": "keywords", "level": "level", "难度": "level",
    "pair": "pair", "lang": "lang", "language": "lang",
    "core": "core", "核心": "core", "wrong": "wrong", "误区": "wrong",
}
# labels that may appear on several lines of one card (each line is one item)
REPEATABLE = {"wrong"}
_LABEL = re.compile(r"^\s*([^\s:：*_][^:：]{0,20}?)\s*[:：]\s*(.*)$", re.S)
_TASK = re.compile(r"^\[( |x|X)\]\s*")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_TAG = re.compile(r"<[^>]*>")

# ---------------------------------------------------------------- metadata


def _metadata(block: mdt.Block, source_lines: list[str], labels: dict[str, str], path: str) -> dict | None:
    """Fields of an italic-label metadata paragraph, or None when `block` is ordinary text."""
    if block.type != "paragraph":
        return None
    first_line = source_lines[block.line - 1].lstrip() if block.line - 1 < len(source_lines) else ""
    if not first_line.startswith(("*", "_")):
        return None
    text = mdt.inline_text(block.tokens[1])
    fields: dict[str, str] = {}
    for n, segment in enumerate(s for line in text.split("\n") for s in re.split(r"\s+·\s+", line)):
        if not segment.strip():
            continue
        m = _LABEL.match(segment)
        label = m.group(1).strip().lower() if m else ""
        if label not in labels and label not in TOPIC_LABELS and label not in CARD_LABELS:
            if n == 0:
                return None  # an ordinary paragraph that happens to start in italics
            raise NotesError(f"unknown metadata label {segment.split(':')[0].strip()!r}: use one of "
                             + ", ".join(sorted(set(labels))), path, block.line)
        if label not in labels:
            where = "a topic's first paragraph" if label in TOPIC_LABELS else "a card"
            raise NotesError(f"{label!r} belongs in {where}", path, block.line)
        key, value = labels[label], m.group(2).strip()
        fields[key] = fields[key] + "\n" + value if key in REPEATABLE and key in fields else value
    return fields or None


def _level(value: str, path: str, line: int) -> int:
    if value not in ("1", "2", "3"):
        raise NotesError(f"Level must be 1, 2 or 3, not {value!r}", path, line)
    return int(value)


def _keywords(value: str) -> tuple[Keyword, ...]:
    return keywords_from_spec(value)


# ---------------------------------------------------------------- the parser


@dataclass
class _Section:
    title: str
    part: str
    line: int
    blocks: list[mdt.Block] = field(default_factory=list)


@dataclass
class _Draft:
    """A card being assembled from a list item or a concept entry."""

    kind: str
    head: str
    line: int
    body: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


class _Parser:
    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = text.split("\n")
        self.topics: list[Topic] = []
        self.cards: list[Card] = []
        self.syllabus: list[SyllabusEntry] = []
        self.warnings: list[str] = []
        self.area_aliases: dict[str, tuple[str, ...]] = {}
        self.area_names: dict[str, str] = {}  # area -> its Chinese name

    def where(self, line: int) -> str:
        return f"{self.path}:{line}"

    # -- sections
    def run(self, tokens: list[mdt.Token]) -> None:
        part, section, after_h1 = "", None, False
        sections: list[_Section] = []
        for block in mdt.blocks(tokens, 0):
            if block.type == "heading" and block.tag in ("h1", "h2"):
                title = mdt.inline_text(block.tokens[1]).strip()
                if block.tag == "h1":
                    part, section = re.sub(r"^\s*\d+\s*\.\s*", "", title), None
                else:
                    section = _Section(title, part, block.line)
                    sections.append(section)
                after_h1 = block.tag == "h1"
                continue
            if after_h1:  # "# Object detection" may be followed by "*Aliases:* 目标检测; detection"
                meta = _metadata(block, self.lines, AREA_LABELS, self.path)
                if meta and part:
                    self.area_aliases[part] = tuple(
                        a.strip() for a in re.split(r"[;；]", meta.get("aliases", "")) if a.strip())
                    if meta.get("zh"):
                        self.area_names[part] = meta["zh"]
            after_h1 = False
            if section is not None:
                section.blocks.append(block)
        for s in sections:
            if self._is_syllabus(s):
                self._syllabus(s)
            elif s.blocks and all(mdt.is_nav_paragraph(b) for b in s.blocks):
                continue  # a table of contents
            else:
                self._topic(s)

    def raw(self, block: mdt.Block) -> str:
        start, end = block.tokens[0].map or (block.line - 1, block.line)
        return "\n".join(self.lines[start:end])

    def _is_syllabus(self, s: _Section) -> bool:
        for b in s.blocks:
            if b.type in ("html_block", "paragraph") and "<details" in self.raw(b):
                return True
            if b.type == "bullet_list":
                items = [blk for blk in mdt.blocks(b.tokens, 1)]
                heads = [mdt.plain(i.tokens) for i in items]
                if heads and all(_TASK.match(h.lstrip("- ")) for h in heads):
                    return True
        return False

    def _syllabus(self, s: _Section) -> None:
        year: int | None = None
        for b in s.blocks:
            if b.type == "heading":
                m = _YEAR.search(mdt.inline_text(b.tokens[1]))
                year = int(m.group()) if m else year
            elif b.type in ("html_block", "paragraph"):
                m = re.search(r"<summary>(.*?)</summary>", self.raw(b), re.S)
                if m:
                    self._syllabus_entry(s.title, _TAG.sub("", m.group(1)), year, b.line)
            elif b.type == "bullet_list":
                for item in mdt.blocks(b.tokens, 1):
                    raw = self.lines[item.line - 1].strip().removeprefix("-").removeprefix("*").strip()
                    self._syllabus_entry(s.title, raw, year, item.line)

    def _syllabus_entry(self, section: str, raw: str, year: int | None, line: int) -> None:
        raw = raw.strip().lstrip("- ").strip()
        m = _TASK.match(raw)
        done = bool(m and m.group(1).lower() == "x")
        raw = _TASK.sub("", raw)
        title_m = re.search(r"\*\*\"?(.*?)\"?\*\*", raw)
        title = title_m.group(1).strip().strip('"') if title_m else ""
        name = re.sub(r"\[?\*\*.*?\*\*\]?(\(.*?\))?", "", raw).strip() or title
        if name or title:
            self.syllabus.append(SyllabusEntry(section, name, title, year, done, self.where(line)))

    # -- topics
    def _topic(self, s: _Section) -> None:
        meta: dict = {}
        points: list[_Draft] = []
        questions: list[_Draft] = []
        concepts: list[_Draft] = []
        references: list[str] = []
        mode = "body"
        blocks = list(s.blocks)
        if blocks:
            found = _metadata(blocks[0], self.lines, TOPIC_LABELS, self.path)
            if found is not None:
                meta, blocks = found, blocks[1:]
        for b in blocks:
            if b.type == "heading":
                title = mdt.inline_text(b.tokens[1]).strip()
                key = title.rstrip(":：").strip().lower()
                if b.tag == "h3":
                    mode = "body"  # a sub-group heading (e.g. "### Optimizers"): entries follow
                elif b.tag == "h4":
                    if key in QUESTION_HEADINGS:
                        mode = "questions"
                    elif key in REFERENCE_HEADINGS:
                        mode = "refs"
                    else:
                        mode = "concept"
                        concepts.append(_Draft("concept", title, b.line))
                continue
            if b.type == "html_block" or mdt.is_nav_paragraph(b):
                continue
            if mode == "refs":
                text = mdt.plain(b.tokens)
                if text:
                    references.extend(t.strip() for t in text.split("\n\n") if t.strip())
            elif mode == "questions" and b.type in ("bullet_list", "ordered_list"):
                questions.extend(self._items(b))
            elif mode == "questions":
                self._attach(questions, b, "an answer that follows no question")
            elif mode == "concept":
                self._attach(concepts, b, "")
            elif b.type == "ordered_list":
                self._points(points, b)
            else:
                self._attach(points, b, "")
        topic = self._make_topic(s, meta, points, references)
        self.topics.append(topic)
        for n, d in enumerate(points, 1):
            self._card(topic, d, n)
        for d in questions:
            self._card(topic, d, 0)
        for d in concepts:
            self._card(topic, d, 0)

    def _items(self, lst: mdt.Block) -> list[_Draft]:
        drafts = []
        for item in mdt.blocks(lst.tokens, lst.tokens[0].level + 1):
            children = mdt.blocks(item.tokens, item.tokens[0].level + 1)
            if not children:
                continue
            draft = _Draft("qa", mdt.plain(children[0].tokens), item.line)
            for child in children[1:]:
                self._add(draft, child)
            drafts.append(draft)
        return drafts

    def _points(self, points: list[_Draft], lst: mdt.Block) -> None:
        for item in mdt.blocks(lst.tokens, 1):
            line = self.lines[item.line - 1]
            indent = len(line) - len(line.lstrip(" \t"))
            children = mdt.blocks(item.tokens, 2)
            if indent > 0 and points:
                # an indented item after a point is that point's sub-list (e.g. pruning levels)
                points[-1].body.append("- " + mdt.plain(item.tokens[1:-1]))
                continue
            draft = _Draft("point", mdt.plain(children[0].tokens) if children else "", item.line)
            for child in children[1:]:
                self._add(draft, child)
            points.append(draft)

    def _add(self, draft: _Draft, block: mdt.Block) -> None:
        meta = _metadata(block, self.lines, CARD_LABELS, self.path)
        if meta is not None:
            for key, value in meta.items():
                if key in REPEATABLE and key in draft.meta:
                    value = draft.meta[key] + "\n" + value
                draft.meta[key] = value
            if "level" in meta:
                _level(meta["level"], self.path, block.line)
            return
        if not mdt.is_nav_paragraph(block):
            text = mdt.plain(block.tokens)
            if text:
                draft.body.append(text)

    def _attach(self, drafts: list[_Draft], block: mdt.Block, orphan_warning: str) -> None:
        if drafts:
            self._add(drafts[-1], block)
        elif orphan_warning and mdt.plain(block.tokens):
            self.warnings.append(f"{self.where(block.line)}: {orphan_warning}; it was ignored")

    def _make_topic(self, s: _Section, meta: dict, points: list[_Draft], refs: list[str]) -> Topic:
        year = None
        if meta.get("year"):
            if not re.fullmatch(r"\d{4}", meta["year"]):
                raise NotesError(f"Year must be four digits, not {meta['year']!r}", self.path, s.line + 2)
            year = int(meta["year"])
        aliases = tuple(a.strip() for a in re.split(r"[;；]", meta.get("aliases", "")) if a.strip())
        paper = meta.get("paper", "")
        if not paper and refs:
            paper = re.sub(r"^\[\d+\]\s*", "", refs[0]).strip().strip('"“”[] ')
        summary = tuple("\n\n".join([d.head, *d.body]).strip() for d in points)
        return Topic(s.title, meta.get("area") or s.part or Path(self.path).stem, paper, year,
                     aliases, summary, tuple(refs), self.where(s.line), meta.get("zh", ""))

    def _card(self, topic: Topic, d: _Draft, number: int) -> None:
        body = "\n\n".join(d.body).strip()
        if d.kind == "qa":
            question, answer = d.head, body
        elif d.kind == "concept":
            question, answer = f"What is {d.head}?", body
        else:
            question, answer = self._point_question(topic.name, d.head, body, number), \
                "\n\n".join(p for p in (d.head, body) if p)
            if len(answer.split()) < 4 and len(_CJK.findall(answer)) < 8:
                return  # a bare title ("Overall architecture" over a figure): summary only
        if not question:
            return
        if not answer:
            if d.kind == "qa":
                self.warnings.append(f"{self.where(d.line)}: question without an answer "
                                     f"({question[:40]!r}); indent the answer under the bullet")
            return
        lang = d.meta.get("lang") or detect_lang(question + "\n" + answer)
        if lang not in ("en", "zh"):
            raise NotesError(f"Lang must be en or zh, not {lang!r}", self.path, d.line)
        level = int(d.meta["level"]) if "level" in d.meta else (2 if d.kind == "qa" else 1)
        key = question if d.kind != "point" else answer[:200]
        self.cards.append(Card(
            id=card_id(topic.name, d.kind, key), topic=topic.name, area=topic.area, kind=d.kind,
            question=question, answer=answer, keywords=_keywords(d.meta.get("keywords", "")),
            lang=lang, difficulty=level, source=topic.source or self.where(d.line),
            pair=d.meta.get("pair", ""), location=self.where(d.line),
            core=d.meta.get("core", ""),
            misconceptions=tuple(w.strip() for w in d.meta.get("wrong", "").split("\n") if w.strip()),
        ))

    @staticmethod
    def _point_question(topic: str, head: str, body: str, number: int) -> str:
        """A question for a summary point; a short title is named, a full sentence is not."""
        if head.rstrip().endswith(("?", "？")) and "\n" not in head:
            return f"{topic}: {head.strip()}"
        short = head and "\n" not in head and len(head.split()) <= 10 and len(head) <= 60 and body
        if detect_lang(head + body) == "zh":
            return f"请解释 {topic} 中的「{head.rstrip('。.')}」" if short else f"{topic} 的要点 {number} 是什么？"
        if short:
            return f"In {topic}, explain: {head.rstrip('.:?')}."
        return f"What is key idea {number} of {topic}?"


# ---------------------------------------------------------------- public API


def parse_text(text: str, path: str = "<notes>") -> Bank:
    """Parse notes given as a string. `path` only names the source in messages."""
    # markdown-it reads \r\n and a lone \r (old Mac) as line ends; the parser's line table
    # must split the same way, or line numbers drift and lookups run past the end
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parser = _Parser(text, path)
    parser.run(mdt.md.parse(mdt.keep_math(text)))
    cards, seen = [], set()
    for c in parser.cards:
        if c.id in seen:
            parser.warnings.append(f"{c.location}: duplicate question {c.question[:40]!r} in "
                                   f"topic {c.topic!r}; the later one was skipped")
            continue
        seen.add(c.id)
        cards.append(c)
    return Bank(tuple(parser.topics), tuple(cards), tuple(parser.syllabus),
                tuple(parser.warnings), (path,), tuple(parser.area_aliases.items()), tuple(parser.area_names.items()))


MAX_NOTES_MB = 20  # far above any real notes file (the whole shipped corpus is about 1 MB)
_FILE_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def read_notes_file(path: str | Path) -> str:
    """The text of one notes file: a regular file of at most MAX_NOTES_MB, read in a bounded way."""
    p = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; its type is checked on the open fd
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise NotesError("no such file: check the path, or run `interviewer parse corpus/`", str(p)) from None
    except OSError as e:
        raise NotesError(f"cannot be read ({e.strerror}): check the path and its permissions", str(p)) from None
    limit = MAX_NOTES_MB * 1024 * 1024
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise NotesError("is a directory: pass a .md file, or use load_notes for folders", str(p))
        if not stat.S_ISREG(mode):  # a FIFO waits forever, /dev/zero never ends
            kind = _FILE_KINDS.get(stat.S_IFMT(mode), "a special file")
            raise NotesError(f"not a regular file ({kind}): give a Markdown file", str(p))
        f = os.fdopen(fd, "rb")  # from here on, closing f closes fd
    except BaseException:
        os.close(fd)
        raise
    with f:
        data = f.read(limit + 1)  # bounded even if the file grows while it is read
    if len(data) > limit:
        raise NotesError(f"larger than {MAX_NOTES_MB} MB: split the notes into several files", str(p))
    if b"\x00" in data[:8192]:
        raise NotesError("looks like a binary file, not Markdown notes", str(p))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise NotesError(f"is not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}): "
                         "save it as UTF-8", str(p)) from None


def parse_file(path: str | Path) -> Bank:
    """Parse one notes file; a file with no topic at all is an error."""
    bank = parse_text(read_notes_file(path), str(path))
    if not bank.topics:
        raise NotesError("no topics found: a topic starts with a '## Heading' line "
                         "(see docs/notes-format.md)", str(path))
    return bank


def notes_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.glob("*.md") if q.is_file())
            if not found:
                raise NotesError("folder holds no .md notes files", str(p))
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise NotesError("no such file or folder: check the path", str(p))
    return out


def load_notes(paths: Iterable[str | Path]) -> Bank:
    """Parse files and folders of notes.

    A malformed file inside a folder is reported in `Bank.warnings` and skipped so the rest
    still loads; a malformed file named directly is an error.
    """
    paths = list(paths)
    direct = {Path(p) for p in paths if not Path(p).is_dir()}
    banks: list[Bank] = []
    skipped: list[str] = []
    for f in notes_files(paths):
        try:
            banks.append(parse_file(f))
        except NotesError as e:
            if f in direct:
                raise
            skipped.append(f"skipped {e}")
    bank = Bank.merge(banks)
    if not bank.cards and not bank.topics:
        raise NotesError("no topics found in " + ", ".join(map(str, paths)))
    return Bank(bank.topics, _dedupe(bank.cards, skipped), bank.syllabus,
                tuple(skipped) + bank.warnings, bank.files, bank.area_aliases, bank.area_names)


def _dedupe(cards: tuple[Card, ...], warnings: list[str]) -> tuple[Card, ...]:
    seen: set[str] = set()
    out = []
    for c in cards:
        if c.id in seen:
            warnings.append(f"{c.location}: card {c.id} repeats an earlier card; skipped")
            continue
        seen.add(c.id)
        out.append(c)
    return tuple(out)
