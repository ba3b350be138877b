"""Batch grading: the core that turns rows of written answers into graded rows.

:func:`grade_rows` is one function over a batch of input rows (the local runner in
``batchrun.py`` and the Ray engine in ``rayengine.py`` both call it): it finds each row's card
(a reference column, or question matching against the bank), grades the batch with one
embedding call, and says why a person should review a row. Rows with a teacher's score can
serve as exemplars (:func:`collect_exemplars`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from .bank import Card, card_id
from .config import MIN_MATCH_CONFIDENCE
from .mdtokens import plain_math
from .batchio import InputRow, read_rows
from .exemplars import Exemplar, ExemplarSet
from .feedback import joined
from .keywords import keywords_from_spec
from .matching import match_question
from .problems import TEXTS, Problem
from .resources import Resources
from .text import detect_lang, is_blank, word_count

# the doubts a contradiction cue gives (it capped the band, found an already low answer wrong, or
# only may have fired): each becomes its own review reason
_CUE_DOUBTS = frozenset({"doubt-capped", "doubt-found", "doubt-possible"})

COLUMNS = ("id", "student", "question", "answer", "card_id", "card_question", "match_confidence",
           "score", "band", "verdict", "semantic", "coverage", "covered", "missed", "feedback",
           "needs_review", "review_reasons", "status")
FIELDS = ("question", "answer", "id", "reference", "keywords", "student", "teacher_score")


@dataclass(frozen=True)
class Options:
    """How a batch run reads and judges the file."""

    columns: dict[str, str] = field(default_factory=dict)  # our field -> the file's column
    min_confidence: float = MIN_MATCH_CONFIDENCE  # below: flagged for review, graded only with force
    force: bool = False
    reference: str | None = None  # one reference answer for every row (--reference-file)
    chunk_size: int = 256
    short_words: int = 4
    borderline: float = 3.0  # points from a band edge that count as borderline
    exemplars_file: str | None = None  # graded answers (question, answer, teacher_score) that grade like answers
    max_rows: int | None = None  # refuse a file with more answer rows than this (the web app's budget)
    # how the front end lets a user do what a message asks (the web page has no flags)
    force_hint: str = TEXTS["en"]["hint-force"]
    column_hint: str = TEXTS["en"]["hint-column"]
    lang: str = "en"  # the language of the review reasons written (the web page's, on the page)
    # the language each row's feedback is written in: the page's on the web page (a 中文 reader
    # grading English answers reads Chinese advice); None, on the command line: each answer's own
    feedback_lang: str | None = None

    def column(self, name: str) -> str:
        return self.columns.get(name, name).strip().lower()


@dataclass
class RunState:
    """What one run remembers across chunks: question matches and teacher exemplars."""

    matches: dict = field(default_factory=dict)
    exemplars: ExemplarSet | None = None


@dataclass(frozen=True)
class GradedRow:
    """One input row after grading: what was read, the grade (None when not graded), and the
    reasons a person should look at it. `to_record` is the one formatter for the journal, the
    output file, the Ray engine and the web table."""

    number: int
    id: str
    student: str
    question: str
    answer: str
    graded: bool = False
    card_id: str = ""
    card_question: str = ""
    match_confidence: float | None = None
    score: int | None = None
    band: int | None = None
    verdict: str = ""
    semantic: float | None = None
    coverage: float | None = None
    covered: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    feedback: str = ""
    reasons: tuple[Problem, ...] = ()
    truncated: bool = False  # the answer was longer than the grader reads

    @property
    def needs_review(self) -> bool:
        return bool(self.reasons) or not self.graded

    def to_record(self, lang: str = "en") -> dict:
        """The row as written; review reasons (and a not-graded row's feedback) in `lang`."""
        reasons = [r.text(lang) for r in self.reasons]
        rec = {"id": self.id, "student": self.student, "question": self.question, "answer": self.answer,
               "status": "graded" if self.graded else "not graded",
               "feedback": self.feedback if self.graded else (reasons[-1] if reasons else ""),
               "needs_review": "yes" if self.needs_review else "no", "review_reasons": joined(reasons, lang)}
        if self.card_id:
            rec.update(card_id=self.card_id, card_question=self.card_question,
                       match_confidence="" if self.match_confidence is None else f"{self.match_confidence:.2f}")
        if self.graded:
            rec.update(score=self.score, band=self.band, verdict=self.verdict, semantic=f"{self.semantic:.3f}",
                       coverage="" if self.coverage is None else f"{self.coverage:.3f}",
                       covered="; ".join(self.covered), missed="; ".join(self.missed))
        return rec


def grade_rows(rows: Sequence[InputRow], res: Resources, opts: Options,
               state: RunState | None = None) -> list[GradedRow]:
    """Grade one batch of input rows; one `GradedRow` per input row, in order."""
    state = RunState() if state is None else state
    out: list[GradedRow] = []
    todo: list[tuple[int, Card]] = []
    for row in rows:
        f = row.fields
        get = lambda name: (f.get(opts.column(name)) or "").strip()  # noqa: E731
        read = GradedRow(row.number, get("id") or str(row.number), get("student"), get("question"),
                         f.get(opts.column("answer"), ""))
        reasons: list[Problem] = []
        if row.duplicate_of:  # judged once, by the reading pass (batchio.mark_duplicates)
            reasons.append(Problem("duplicate-id", {"first": row.duplicate_of}))
        if row.clashes_with:
            reasons.append(Problem("id-clash", {"id": read.id, "row": row.clashes_with}))
        card, conf, why = None, None, row.error or (Problem("empty-answer") if is_blank(read.answer) else None)
        if not why:
            card, conf, why = _card_for(read.question, get("reference") or opts.reference, get("keywords"),
                                        res, state.matches)
        if card is not None:
            read = replace(read, card_id=card.id, card_question=card.question, match_confidence=conf)
            if conf is not None and conf < opts.min_confidence:
                reasons.append(Problem("low-confidence", {"confidence": conf}))
                if not opts.force:
                    why = Problem("not-matched", {"hint": opts.force_hint})
        if why:  # not graded: the reason is the feedback (see to_record), and the last reason to review it
            out.append(replace(read, reasons=(*reasons, why)))
            continue
        out.append(replace(read, reasons=tuple(reasons)))
        todo.append((len(out) - 1, card))
    results = res.grader.grade_many([(c, out[i].answer) for i, c in todo], evidence=False,
                                    exemplars=state.exemplars, lang=opts.feedback_lang) if todo else []
    edges = res.grader.weights.band_edges
    for (i, card), r in zip(todo, results):
        row = out[i]
        reasons = list(row.reasons)
        truncated = len(row.answer) > res.grader.weights.max_answer_chars
        if word_count(row.answer) < opts.short_words:
            reasons.append(Problem("short"))
        if truncated:
            reasons.append(Problem("cut"))
        q_lang = detect_lang(row.question) if row.question else card.lang
        if r.answer_lang != q_lang and r.graded_against == card.id:
            reasons.append(Problem("languages", {"answer": r.answer_lang, "question": q_lang}))
        borderline = not r.capped and any(abs(r.score - e) <= opts.borderline for e in edges)
        if borderline:
            reasons.append(Problem("borderline"))
        # the doubts no other reason says: "borderline" says the band edge, the cue's own reason below
        # says a contradiction (the review queue listed both twice)
        said = _CUE_DOUBTS | ({"doubt-edge"} if borderline else set())
        doubts = tuple(d for d in r.doubts if d.key not in said)
        if r.unsure and doubts:
            reasons.append(Problem("unsure", {"doubts": doubts}))
        # the cue the grader acted on (it capped the band) or only reported, as it said so
        cue = next((d for d in r.doubts if d.key in _CUE_DOUBTS), None)
        if cue is not None:
            reasons.append(Problem("possible-contradiction" if cue.key == "doubt-possible" else "contradiction",
                                   {"kind": dict(cue.values)["kind"]}))
        out[i] = replace(row, graded=True, score=r.score, band=r.band, verdict=r.verdict, semantic=r.semantic,
                         coverage=r.coverage, covered=r.covered, missed=tuple(m.term for m in r.missed),
                         feedback=plain_math(r.suggestion), reasons=tuple(reasons), truncated=truncated)
    return out


def _card_for(question: str, reference: str | None, keywords: str, res: Resources, matches: dict):
    """(card, match confidence or None when a reference was given, reason when no card)."""
    extra = keywords_from_spec(keywords) if keywords else ()
    if reference:
        q = question or "(no question)"
        cid = card_id("custom", "qa", hashlib.sha1(f"{q}\x1f{reference}\x1f{keywords}".encode()).hexdigest())
        card = Card(cid, "custom", "custom", "qa", q, reference, extra, detect_lang(q + reference),
                    source="reference column")
        return card, None, None
    if not question:
        return None, None, Problem("no-question")
    m = _match_cached(res, question, matches)
    if m is None:
        return None, None, Problem("no-card")
    card = m.card if not extra else replace(m.card, keywords=m.card.keywords + extra,
                                            id=m.card.id + "-kw" + hashlib.sha1(keywords.encode()).hexdigest()[:6])
    return card, m.confidence, None


def _match_cached(res: Resources, question: str, cache: dict):
    if question not in cache:
        if len(cache) > 50_000:  # a file of all-different questions must not grow memory
            cache.clear()
        cache[question] = match_question(res.index, question, topics=res.bank.topics)
    return cache[question]


def teacher_grade(value: str) -> float | None:
    """A teacher's score as 0..1: a band 0-5 ("4", "3.5") or a fraction ("7/10"); None if neither.

    >>> teacher_grade("4"), teacher_grade("7/10"), teacher_grade("12"), teacher_grade("")
    (0.8, 0.7, None, None)
    """
    value = (value or "").strip()
    try:
        if "/" in value:
            top, bottom = (float(x) for x in value.split("/", 1))
            grade = top / bottom if bottom > 0 else -1.0
        else:
            grade = float(value) / 5
    except ValueError:
        return None
    return round(grade, 6) if 0.0 <= grade <= 1.0 else None


def collect_exemplars(input_path: Path, res: Resources, opts: Options) -> ExemplarSet | None:
    """Rows with a teacher score (in the input and in ``opts.exemplars_file``), embedded once."""
    items: list[Exemplar] = []
    state = RunState()
    for path in filter(None, [input_path, Path(opts.exemplars_file) if opts.exemplars_file else None]):
        for row in read_rows(path, checked=path is input_path):  # the input passed check_paths
            f = row.fields
            get = lambda name: (f.get(opts.column(name)) or "").strip()  # noqa: E731
            grade = teacher_grade(get("teacher_score"))
            if row.error or grade is None or not get("answer"):
                continue
            card, _, _ = _card_for(get("question"), get("reference") or opts.reference, get("keywords"),
                                   res, state.matches)
            if card is not None:
                items.append(Exemplar(card.id, get("answer"), grade))
    return res.grader.exemplars(items) if items else None

