"""The session report: per-question scores, topic mastery, strongest / weakest topics and
what to review next, as frozen data (for charts), Markdown and JSON.

Figures come from the recorded answers of the session (`State.session`); mastery and the
review list use the whole history the state carries.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .bank import Bank
from .phrases import text
from .session import WEAK_MASTERY, Schedule, State, question_key

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
                 skipped=self.skipped, hints=self.hints, late=self.late)]
        if not self.questions:
            out.append(t("report_none"))
        else:
            rows = [t("report_table")]
            for q in self.questions:
                notes = [t("note_followup")] if q.followup else []
                notes += [t("note_skipped")] if q.skipped else []
                notes += [t("note_hints", n=q.hints)] if q.hints else []
                notes += [t("note_late")] if q.late else []
                number = f"{q.number}+" if q.followup else str(q.number)
                rows.append(f"| {number} | {_cell(q.topic)} | {_cell(q.question, 70)} | {q.score} | "
                            f"{t('list_sep').join(notes)} |")
            out += [t("report_questions"), "\n".join(rows)]
        if self.topics:
            out += [t("report_topics"), "\n".join(t("topic_item", topic=m.topic, m=m.mastery, n=m.answers)
                                                  for m in self.topics)]
            if self.strongest:
                out.append(t("report_strong", topics=t("list_sep").join(self.strongest)))
            if self.weakest:
                out.append(t("report_weak", topics=t("list_sep").join(self.weakest)))
        if self.review:
            out += [t("report_review"), "\n".join(t("review_item", topic=r.topic, q=r.question, why=r.reason)
                                                  for r in self.review)]
        return "\n\n".join(out)


def _cell(value: str, n: int = 30) -> str:
    value = " ".join(value.split()).replace("|", "/")
    return value if len(value) <= n else value[: n - 1] + "…"


def build_report(state: State, bank: Bank) -> Report:
    lang = state.lang
    questions, number = [], 0
    for a in state.session:
        number += not a.followup
        card = bank.get(a.card)
        questions.append(QuestionScore(max(number, 1), a.card, a.topic, card.question if card else a.card,
                                       a.score, a.band, a.skipped, a.hints, a.followup, a.late,
                                       a.seconds, a.missed))
    areas = {t.name: t.area for t in bank.topics}
    topics = sorted((TopicMastery(name, areas.get(name, ""), round(m.score, 1), m.n)
                     for name, m in state.mastery.items()), key=lambda m: (-m.mastery, m.topic))
    strongest = tuple(m.topic for m in topics if m.mastery >= WEAK_MASTERY)[:TOP_TOPICS]
    weakest = tuple(m.topic for m in reversed(topics) if m.mastery < WEAK_MASTERY)[:TOP_TOPICS]
    session = state.session
    return Report(state.mode, lang, tuple(questions), tuple(topics), strongest, weakest,
                  _review(state, bank, weakest),
                  round(sum(a.score for a in session) / len(session), 1) if session else 0.0,
                  sum(not a.skipped for a in session), sum(a.skipped for a in session),
                  sum(a.hints for a in session), sum(a.late for a in session))


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
