"""The session report: per-question scores, topic mastery, strongest / weakest topics and
what to review next, as frozen data (for charts), Markdown and JSON. A mock interview's
report also carries the debrief: per question, the answer with the words that earned key
terms in bold, each missed term with the reference sentence it comes from, the reference
answer, the time taken and, for spoken answers, the delivery.

Figures come from the recorded answers of the session (`State.session`); mastery and the
review list use the whole history the state carries.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from typing import Callable

from .bank import Bank, Card, Keyword
from .keywords import term_spans
from .phrases import markdown_literal, text
from .session import MODE, Asked, Schedule, State
from .text import shorten
from .schedule import PASS_BAND, WEAK_MASTERY, question_key

REVIEW_ITEMS = 5
TOP_TOPICS = 3


@dataclass(frozen=True)
class QuestionScore:
    number: int  # follow-ups share the number of the question they probe
    card_id: str
    topic: str
    question: str
    score: int
    band: int
    skipped: bool
    hints: int
    followup: bool
    late: bool
    seconds: float | None
    missed: tuple[str, ...]
    answer: str = ""
    covered: tuple[str, ...] = ()
    highlights: tuple[tuple[int, int], ...] = ()  # spans of `answer` that earned covered terms
    missed_from: tuple[str, ...] = ()  # per missed term, the reference sentence it comes from
    reference: str = ""
    cut: bool = False
    pace: float | None = None  # spoken: words (or characters) a minute
    fillers: int = 0
    pauses: int = 0
    unit: str = "words"  # of `pace`: words | characters


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    area: str
    mastery: float  # 0..100, moving average of the topic's scores
    answers: int


@dataclass(frozen=True)
class ReviewItem:
    card_id: str
    topic: str
    question: str
    due_in: int  # turns until due; 0 = now
    reason: str


@dataclass(frozen=True)
class Report:
    mode: str
    lang: str
    questions: tuple[QuestionScore, ...]
    topics: tuple[TopicMastery, ...]  # highest mastery first
    strongest: tuple[str, ...]  # mastery >= WEAK_MASTERY, best first
    weakest: tuple[str, ...]  # mastery < WEAK_MASTERY, worst first
    review: tuple[ReviewItem, ...]
    average: float  # mean score of the session's questions, skips counted as 0
    answered: int  # graded answers (not skipped)
    skipped: int
    hints: int
    late: int
    total_topics: int = 0  # topics in the notes, for "13 of 145 topics practised"
    cut: int = 0  # questions a hard time limit closed (not counted as late: they were not answered late)

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(q.score for q in self.questions)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def to_markdown(self) -> str:
        t = lambda key, **kw: text(self.lang, key, **kw)  # noqa: E731
        out = [t("report_title"),
               t("report_summary", mode=t(f"mode_{self.mode}"), n=len(self.questions), avg=self.average,
                 skipped=self.skipped, hints=self.hints, late=self.late)
               + (t("report_cut", n=self.cut) if self.cut else "")]
        if not self.questions:
            out.append(t("report_none"))
        else:
            rows = [t("report_table")]
            for q in self.questions:
                notes = [t("note_followup")] if q.followup else []
                notes += [t("note_skipped")] if q.skipped else []
                notes += [t("note_hints", n=q.hints)] if q.hints else []
                notes += [t("note_late")] if q.late else []
                notes += [t("note_cut")] if q.cut else []
                notes += [t("note_spoken")] if q.pace is not None else []
                number = f"{q.number}+" if q.followup else str(q.number)
                rows.append(f"| {number} | {_cell(q.topic)} | {_cell(q.question, 70)} | {q.score} | "
                            f"{t('list_sep').join(notes)} |")
            out += [t("report_questions"), "\n".join(rows)]
            if not MODE[self.mode].coached:  # the debrief is the feedback a mock held back
                out += [t("debrief"), *(_debrief(q, self.lang) for q in self.questions)]
                weak = sum(q.band < PASS_BAND for q in self.questions if not q.followup)
                if weak:
                    out.append(t("debrief_retry", n=weak))
        if self.topics:
            out += [t("report_topics"), t("report_coverage", n=len(self.topics), total=self.total_topics),
                    "\n".join(t("topic_item", topic=m.topic, m=m.mastery, n=m.answers) for m in self.topics)]
            if self.strongest:
                out.append(t("report_strong", topics=t("list_sep").join(self.strongest)))
            if self.weakest:
                out.append(t("report_weak", topics=t("list_sep").join(self.weakest)))
        if self.review:
            out += [t("report_review"), "\n".join(t("review_item", topic=r.topic, q=r.question, why=r.reason)
                                                  for r in self.review)]
        return "\n\n".join(out)


def _debrief(q: QuestionScore, lang: str) -> str:
    t = lambda key, **kw: text(lang, key, **kw)  # noqa: E731
    taken = t("debrief_taken", s=q.seconds) if q.seconds is not None else ""
    notes = [t(k) for k, on in (("note_skipped", q.skipped), ("note_cut", q.cut), ("note_late", q.late)) if on]
    head = t("debrief_head", n=f"{q.number}+" if q.followup else q.number, topic=q.topic, score=q.score,
             band=q.band, taken=taken) + (f" · {t('list_sep').join(notes)}" if notes else "")
    out = [head, t("debrief_question", q=q.question)]
    if q.answer.strip():
        out.append(t("debrief_answer" if q.highlights else "debrief_plain",
                     answer=marked(q.answer, q.highlights).replace("\n", "\n> ")))
    else:
        out.append(t("debrief_none"))
    if q.covered:
        out.append(t("debrief_covered", terms=t("list_sep").join(q.covered)))
    if q.missed:
        out.append(t("debrief_missed") + "\n" + "\n".join(
            t("debrief_missed_item", term=term, sentence=sentence or "-")
            for term, sentence in zip(q.missed, q.missed_from or ("",) * len(q.missed))))
    if q.pace is not None:
        out.append(t("debrief_spoken", pace=q.pace, unit=t(f"unit_{q.unit}"), fillers=q.fillers, pauses=q.pauses))
    out.append(t("debrief_reference", answer=q.reference))
    return "\n\n".join(out)


def marked(answer: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The candidate's `answer` as literal Markdown, with `spans` in bold.

    >>> marked("BN uses *batch* stats", ((3, 7),))
    'BN **uses** \\\\*batch\\\\* stats'
    """
    out, at = [], 0
    for a, b in spans:
        if not (at <= a < b <= len(answer)):
            continue
        out += [markdown_literal(answer[at:a]), "**" + markdown_literal(answer[a:b]).strip() + "**"]
        at = b
    return "".join(out) + markdown_literal(answer[at:])


def _cell(value: str, n: int = 30) -> str:
    return shorten(value.replace("|", "/"), n)


@dataclass(frozen=True)
class CardTerms:
    """What the debrief needs of the grader about one card."""

    keywords: tuple[Keyword, ...]  # the key terms that count
    sentence_of: Callable[[Keyword], str]  # the reference sentence a term comes from
    # an answer as it was graded (its typing slips mended), so a term earned through a slip is marked
    mend: Callable[[str], str]


KeyTerms = Callable[[Card], CardTerms]


def build_report(state: State, bank: Bank, key_terms: KeyTerms | None = None) -> Report:
    """`key_terms(card)`: the grader's key terms of a card and where each comes from in the
    reference (for the debrief); without it, the card's authored terms and no sentences."""
    lang = state.lang
    questions, number = [], 0
    for a in state.session:
        number += not a.followup
        card = bank.get(a.card)
        questions.append(_question(a, max(number, 1), card, None if state.policy.coached else key_terms))
    areas = {t.name: t.area for t in bank.topics}
    topics = sorted((TopicMastery(name, areas.get(name, ""), round(m.score, 1), m.n)
                     for name, m in state.mastery.items()), key=lambda m: (-m.mastery, m.topic))
    strongest = tuple(m.topic for m in topics if m.mastery >= WEAK_MASTERY)[:TOP_TOPICS]
    weakest = tuple(m.topic for m in reversed(topics) if m.mastery < WEAK_MASTERY)[:TOP_TOPICS]
    session = state.session
    review = _review(state, bank, weakest)
    if lang == "zh":  # the names a 中文 reader sees (computed above by the notes' own names)
        name = lambda topic: bank.shown(topic, lang)  # noqa: E731
        questions = [replace(q, topic=name(q.topic)) for q in questions]
        topics = [replace(m, topic=name(m.topic), area=name(m.area)) for m in topics]
        strongest, weakest = tuple(map(name, strongest)), tuple(map(name, weakest))
        review = tuple(replace(r, topic=name(r.topic)) for r in review)
    return Report(state.mode, lang, tuple(questions), tuple(topics), strongest, weakest, review,
                  round(sum(a.score for a in session) / len(session), 1) if session else 0.0,
                  sum(not a.skipped for a in session), sum(a.skipped for a in session),
                  sum(a.hints for a in session), sum(a.late for a in session), len(bank.topics),
                  sum(a.cut for a in session))


def _question(a: Asked, number: int, card: Card | None, key_terms: KeyTerms | None) -> QuestionScore:
    """One row of the report; with `key_terms` (a mock interview's debrief), also the marks
    in the answer and the reference sentence of each missed term."""
    if key_terms is None or card is None:
        return QuestionScore(number, a.card, a.topic, card.question if card else a.card, a.score, a.band, a.skipped,
                             a.hints, a.followup, a.late, a.seconds, a.missed, a.answer, a.covered, (), (),
                             card.answer if card else "", a.cut, a.pace, a.fillers, a.pauses,
                             "characters" if card and card.lang == "zh" else "words")
    known = key_terms(card)
    by_name = {k.name: k for k in known.keywords}
    terms = [by_name[name].terms if name in by_name else (name,) for name in a.covered]
    missed_from = tuple(known.sentence_of(by_name[m]) if m in by_name else "" for m in a.missed)
    return QuestionScore(number, a.card, a.topic, card.question if card else a.card, a.score, a.band, a.skipped,
                         a.hints, a.followup, a.late, a.seconds, a.missed, a.answer, a.covered,
                         tuple(term_spans(terms, a.answer, known.mend(a.answer))) if terms else (), missed_from,
                         card.answer if card else "", a.cut, a.pace, a.fillers, a.pauses,
                         "characters" if card and card.lang == "zh" else "words")


def _review(state: State, bank: Bank, weakest: tuple[str, ...]) -> tuple[ReviewItem, ...]:
    """Failed cards first (soonest due first), then other scheduled cards that are due,
    then unseen cards of the weakest topics."""
    upcoming = state.turn + 1
    last = {a.card: a.score for a in state.asked}
    scheduled: list[tuple[int, int, str, Schedule]] = [
        (s.reps > 0, s.due, cid, s) for cid, s in state.schedule.items() if bank.get(cid) is not None]
    items: list[ReviewItem] = []
    for passed, due, cid, s in sorted(scheduled):
        if passed and due > upcoming:
            continue  # a mastered card that is not due: nothing to review yet
        card, wait = bank.get(cid), max(0, due - upcoming)
        if not passed:
            reason = text(state.lang, "why_failed" if wait == 0 else "why_failed_later",
                          score=last.get(cid, 0), n=wait)
        else:
            reason = text(state.lang, "why_due")
        items.append(ReviewItem(cid, card.topic, card.question, wait, reason))
    seen = {question_key(c) for c in (bank.get(a.card) for a in state.asked) if c}
    for topic in weakest:
        if len(items) >= REVIEW_ITEMS:
            break
        fresh = [c for c in bank.filter(topic=topic, lang=state.lang, kinds=["qa"])
                 if question_key(c) not in seen]
        if fresh:
            m = state.mastery[topic].score
            why = text(state.lang, "why_weak", m=m)
            items.append(ReviewItem(fresh[0].id, topic, fresh[0].question, 0, why))
    return tuple(items[:REVIEW_ITEMS])
