"""The interview engine: commands, the three modes, follow-up probes and the asking loop.

`Interviewer` holds only read-only resources (bank, index, grader) and can serve every user
of a process; all per-user data travels in the `State` passed to and returned by
:meth:`Interviewer.respond`, which never mutates its input:

    state, reply = engine.start(mode="practice", topic="BatchNorm", seed=1)
    state, reply = engine.respond(state, "BN normalises activations over the mini-batch ...")
    print(reply.markdown)  # feedback, then the next question or a follow-up probe

Commands and topic wishes are recognised in `interviewer/commands.py`. The report is built in
`interviewer/report.py`, the words the interviewer says (English and Chinese) live in
`interviewer/phrases.py`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from .bank import LANGS, Bank, Card, Keyword
from .text import detect_lang, shorten
from .commands import Wish, match_wish, nearest_topics, parse_command
from .errors import InputError
from .feedback import band_of, listed, verdict
from .index import SearchIndex
from .keywords import match_keywords, term_spans
from .phrases import code_literal, markdown_literal, text
from .report import CardTerms, Report, build_report, marked
from .scoring import Grader, Result, render_markdown
from .study import study_hits
from .session import MODE, MODES, Asked, Current, Filters, Spoken, State
from .schedule import LAPSE_TURNS, PASS_BAND, pick, question_key, record

HINT_COST = 10  # points taken off the next graded answer per revealed keyword
MOCK_QUESTIONS = 5

@dataclass(frozen=True)
class Question:
    card_id: str
    text: str  # what is asked (a follow-up carries its probe: "You didn't mention X; it comes up ...")
    prompt: str  # the same as Markdown with a header line
    topic: str
    area: str
    lang: str
    difficulty: int
    number: int  # 1-based; a follow-up shares its question's number
    total: int | None
    followup: bool = False
    seconds: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class Reply:
    """What the engine says back: Markdown messages, then (usually) the next question."""

    messages: tuple[str, ...] = ()
    question: Question | None = None
    result: Result | None = None  # when an answer was graded (not in a mock interview)
    report: Report | None = None  # when a report was produced
    finished: bool = False
    event: str = ""  # how the input was taken: answer hint skip decline reference topic ...

    @property
    def markdown(self) -> str:
        return "\n\n".join([*self.messages, *([self.question.prompt] if self.question else [])])


class Interviewer:
    """Asks, grades, follows up, adapts. Shared by all users; state travels separately."""

    def __init__(self, bank: Bank, index: SearchIndex, grader: Grader):
        self.bank, self.index, self.grader = bank, index, grader

    @classmethod
    def from_resources(cls, resources) -> "Interviewer":
        return cls(resources.bank, resources.index, resources.grader)

    # ------------------------------------------------------------ starting

    def start_again(self, state: State, *, questions: int | None = None, queue: tuple[str, ...] = (),
                    seed: int | None = None, now: float | None = None) -> tuple[State, Reply]:
        """`start` with the session's own mode, language, filters and time limit (a restored
        session that has no question open, a retry of the weak ones)."""
        f = state.filters
        return self.start(mode=state.mode, lang=state.lang, area=f.area, topic=f.topic, difficulty=f.difficulty,
                          questions=questions, seconds=state.seconds, hard=state.hard, seed=seed,
                          resume=state, queue=queue, now=now)

    def start(self, *, mode: str = "practice", lang: str = "en", area: str | None = None,
              topic: str | None = None, difficulty: int | None = None, questions: int | None = None,
              seconds: float | None = None, hard: bool = False, seed: int | None = None,
              resume: State | None = None, now: float | None = None,
              queue: tuple[str, ...] = ()) -> tuple[State, Reply]:
        """A new session (carrying the history, schedule and mastery of `resume`, if given).
        With `hard`, a mock question closes when its `seconds` are up; `queue` holds card
        ids to ask first, in order."""
        now = time.time() if now is None else float(now)
        if mode not in MODES:
            raise InputError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
        if lang not in LANGS:
            raise InputError(f"unknown language {lang!r}: choose en or zh")
        if questions is not None and questions < 1:
            raise InputError(f"the number of questions must be at least 1, not {questions}")
        if seconds is not None and not seconds >= 1:
            raise InputError(f"the time limit must be at least 1 second, not {seconds:g}")
        if difficulty is not None and difficulty not in (1, 2, 3):
            raise InputError(f"difficulty must be 1, 2 or 3, not {difficulty}")
        filters = Filters(self._area(area), None, difficulty)
        if topic:
            found = self.bank.topic(topic)
            wish = Wish(found.name, None, 1.0, "name") if found else match_wish(self.bank, self.index, topic)
            if wish is None:
                raise InputError(f"no topic matches {topic!r}: name one like BatchNorm or Adam "
                                 "(interviewer parse corpus/ lists them)")
            filters = replace(filters, topic=wish.topic, area=wish.area or filters.area)
        base, policy = resume or State(), MODE[mode]
        state = replace(base, mode=mode, lang=lang, filters=filters, seconds=seconds,
                        hard=bool(hard and seconds and policy.timed), queue=tuple(queue),
                        limit=questions or (MOCK_QUESTIONS if policy.timed else None),
                        seed=int(seed if seed is not None else time.time_ns() % 2**31),
                        started=len(base.asked), finished=False, current=None, created=now)
        if policy.asks and not self._pool(state):
            raise InputError(f"no questions match {self._describe(state)}: loosen the filters")
        intro = text(lang, f"intro_{mode}", n=state.limit, s=f"{seconds:g}" if seconds else "")
        if seconds and policy.asks:
            intro += " " + text(lang, "intro_limit_hard" if state.hard else "intro_limit", s=f"{seconds:g}")
        if not policy.asks:
            return state, Reply((intro,), event="start")
        state, notes = self._ask(state, now)
        return state, self._reply(state, [intro, *notes], event="start")

    def _area(self, area: str | None) -> str | None:
        if not area:
            return None
        for a in self.bank.areas:
            if a.casefold() == area.casefold():
                return a
        raise InputError(f"unknown area {area!r}: choose one of {', '.join(self.bank.areas)}")

    # ------------------------------------------------------------ the conversation

    def respond(self, state: State, message: str, *, now: float | None = None, spoken: Spoken | None = None,
                cut: bool = False) -> tuple[State, Reply]:
        """React to one user message; returns the new state and the reply (input untouched).
        `spoken`: how the answer was said, for the report; `cut`: the page sent what was
        written when a hard time limit ran out."""
        now = time.time() if now is None else float(now)
        message = message if isinstance(message, str) else ""
        state, notes = self._check(state)
        cur = state.current
        cmd = parse_command(message, followup_pending=bool(cur and cur.followup_of))
        name = cmd.name if cmd else ""
        lang = state.lang
        if name == "help":
            return state, self._reply(state, notes + [text(lang, "help")], event="help")
        if name == "unknown":
            return state, self._reply(state, notes + [text(lang, "unknown", cmd=code_literal(cmd.arg, 40)),
                                                      text(lang, "help")], event="unknown")
        if name == "report":
            if state.policy.timed and not state.finished:
                return self._finish(state, notes + [text(lang, "mock_stopped")])
            report = self.report(state)
            return state, self._reply(state, notes + [report.to_markdown()], report=report, event="report")
        if name == "lang":
            return self._switch_lang(state, cmd.arg, notes)
        if name == "retry":
            return self._retry(state, notes, now)
        if state.finished:
            return state, self._reply(state, notes + [text(lang, "finished")], event="finished")
        if name == "topic":
            return self._topic(state, cmd.arg, notes, now)
        if not state.policy.asks:
            return state, self._study(state, message, notes)
        if cur is None:
            state, asked = self._ask(state, now)
            return state, self._reply(state, notes + [text(lang, "start")] + asked, event="start")
        if name in ("hint", "answer") and not state.policy.coached:
            return state, self._reply(state, notes + [text(lang, "mock_no_help")], event="refused")
        if name == "hint":
            return self._hint(state, notes)
        if name in ("skip", "next", "decline", "answer"):
            return self._skip(state, name, notes, now)
        cut = cut or bool(state.hard and (e := _elapsed(cur, now)) is not None and e > state.seconds)
        if not message.strip():
            if cut:  # time ran out on an empty box: nothing to grade
                return self._skip(state, "skip", notes + [text(lang, "time_up_empty")], now, cut=True)
            return state, self._reply(state, notes + [text(lang, "empty")], event="empty")
        return self._grade(state, message, notes, now, spoken, cut)

    def _grade(self, state: State, message: str, notes: list[str], now: float, spoken: Spoken | None = None,
               cut: bool = False) -> tuple[State, Reply]:
        cur, lang = state.current, state.lang
        card = self.bank.card(cur.card)
        result = self.grader.grade(card, message, lang=lang)
        penalty = min(result.score, HINT_COST * cur.hints)
        score = result.score - penalty
        before = result.score
        if penalty:  # one score everywhere: the headline, the panel and the record include the cost
            band = self._band(score)
            result = replace(result, score=score, band=band, verdict=verdict(band, lang))
        elapsed = _elapsed(cur, now)
        late = bool(state.seconds and elapsed is not None and elapsed > state.seconds) and not cut
        said = spoken or Spoken(None)
        state = record(state, Asked(card.id, card.topic, cur.turn, message, score, self._band(score),
                                    tuple(m.term for m in result.missed), elapsed, cur.hints,
                                    followup=cur.followup_of is not None, late=late, at=now,
                                    covered=tuple(result.covered), cut=cut, pace=said.pace,
                                    fillers=said.fillers, pauses=said.pauses))
        if not state.policy.coached:
            msgs = notes + [text(lang, "time_up" if cut else "recorded", n=state.main_count, total=state.limit)]
        else:
            msgs = notes + [render_markdown(result)]
        if penalty and state.policy.coached:
            msgs.append(text(lang, "penalty", n=cur.hints, points=penalty, before=before))
        if late:
            msgs.append(text(lang, "late", limit=f"{state.seconds:g}", taken=f"{elapsed:g}"))
        if state.policy.teaches and result.band <= 1 and cur.followup_of is None:
            # a probe on one missed term helps little when most is missing: teach, then retry
            return self._next(state, msgs + [self._teach(card)], now, avoid=(card.id,), result=result,
                              event="answer")
        if state.policy.teaches and cur.followup_of is None:
            probe = self._followup(state, card, result)
            if probe is not None:
                fu, term = probe
                state = replace(state, turn=state.turn + 1, current=Current(
                    fu.id, state.turn + 1, now, followup_of=card.id, probe=term, reason="followup"))
                return state, self._reply(state, msgs, result=result, event="answer")
        # a mock interview gives no feedback until the end: its report carries the scores
        return self._next(state, msgs, now, result=result if state.policy.coached else None,
                          event="answer")

    def _skip(self, state: State, name: str, notes: list[str], now: float,
              cut: bool = False) -> tuple[State, Reply]:
        cur, lang = state.current, state.lang
        card = self.bank.card(cur.card)
        if name == "decline" or (name in ("skip", "next") and cur.followup_of):
            state = replace(state, current=None)  # declining costs nothing: no record
            return self._next(state, notes + [text(lang, "declined")], now, avoid=(card.id,),
                              event="decline")
        if name == "next" and not state.policy.timed:  # move on: no record, no penalty (a mock counts it)
            state = replace(state, current=None)
            return self._next(state, notes + [text(lang, "moved_on")], now, avoid=(card.id,), event="next")
        msgs = list(notes)
        if name == "answer":
            source = card.source or card.location
            msgs.append(text(lang, "reference", topic=self.bank.shown(card.topic, lang), source=source,
                             answer=card.answer))
        elif state.policy.teaches and not cur.followup_of:
            msgs.append(self._teach(card))
        elif not cut:
            msgs.append(text(lang, "skipped" if state.policy.coached else "skipped_mock"))
        elapsed = _elapsed(cur, now)
        state = record(state, Asked(card.id, card.topic, cur.turn, "", 0, 0,
                                    tuple(k.name for k in self._keywords(card)), elapsed, cur.hints,
                                    skipped=True, followup=cur.followup_of is not None, at=now, cut=cut))
        return self._next(state, msgs, now, event="reference" if name == "answer" else "skip")

    def _teach(self, card: Card) -> str:
        """After a skip or a weak answer: what a good answer says, its key terms, and when
        the question comes back (the schedule brings a failed card back after a few turns)."""
        terms = listed([_term_in(k, card.lang) for k in self._keywords(card)], card.lang) or "-"
        return text(card.lang, "teach", terms=terms, answer=card.answer, n=LAPSE_TURNS - 1)  # asked again at turn + LAPSE_TURNS

    def _retry(self, state: State, notes: list[str], now: float) -> tuple[State, Reply]:
        """A new session of the finished one's weak questions (band under 3), in order."""
        if not state.finished:
            return state, self._reply(state, notes + [text(state.lang, "retry_not_yet")], event="refused")
        weak = tuple(dict.fromkeys(a.card for a in state.session if not a.followup and a.band < PASS_BAND))
        if not weak:
            return state, self._reply(state, notes + [text(state.lang, "retry_none")], event="refused")
        new, reply = self.start_again(replace(state, queue=()), questions=len(weak), queue=weak, now=now)
        return new, replace(reply, messages=(*notes, text(state.lang, "retry_start", n=len(weak)), *reply.messages))

    def _hint(self, state: State, notes: list[str]) -> tuple[State, Reply]:
        cur, lang = state.current, state.lang
        keywords = self._keywords(self.bank.card(cur.card))
        if cur.hints >= len(keywords):
            return state, self._reply(state, notes + [text(lang, "no_hint")], event="hint")
        term = _term_in(keywords[cur.hints], lang)
        state = replace(state, current=replace(cur, hints=cur.hints + 1))
        msg = text(lang, "hint", term=term, cost=HINT_COST)
        return state, self._reply(state, notes + [msg], event="hint")

    def _switch_lang(self, state: State, lang: str, notes: list[str]) -> tuple[State, Reply]:
        if lang not in LANGS:
            return state, self._reply(state, notes + [text(state.lang, "lang_usage")], event="lang")
        if lang == state.lang:
            return state, self._reply(state, notes + [text(lang, "lang_same")], event="lang")
        state, cur = replace(state, lang=lang), state.current
        msgs = notes + [text(lang, "lang_switched")]
        if cur is not None:
            twin = self.bank.twin(self.bank.card(cur.card), lang)
            if twin is None:
                msgs.append(text(lang, "no_twin"))
            else:
                probe = cur.probe
                if probe:
                    kw = next((k for k in self._keywords(twin) if probe.casefold() in
                               (t.casefold() for t in k.terms)), None)
                    probe = _term_in(kw, lang) if kw else probe
                state = replace(state, current=replace(cur, card=twin.id, probe=probe))
        return state, self._reply(state, msgs, event="lang")

    def _topic(self, state: State, wish_text: str, notes: list[str], now: float) -> tuple[State, Reply]:
        lang = state.lang
        if not wish_text:
            filters = replace(state.filters, area=None, topic=None)
        else:
            wish = match_wish(self.bank, self.index, wish_text)
            if wish is None:
                msg = text(lang, "topic_unknown", wish=markdown_literal(shorten(wish_text, 60)),
                           near=listed([markdown_literal(self.bank.shown(t, lang))
                                        for t in nearest_topics(self.index, wish_text)], lang) or "—",
                           what=self._describe(state))
                return state, self._reply(state, notes + [msg], event="topic")
            filters = replace(state.filters, area=wish.area, topic=wish.topic)
        changed = replace(state, filters=filters, current=None)
        if state.policy.asks and not self._pool(changed):
            msg = text(lang, "no_questions", what=self._describe(changed))
            return state, self._reply(state, notes + [msg], event="topic")
        msgs = notes + [text(lang, "topic_set", what=self._describe(changed))]
        if not state.policy.asks:
            return changed, self._reply(changed, msgs, event="topic")
        changed, asked = self._ask(changed, now)
        return changed, self._reply(changed, msgs + asked, event="topic")

    def _study(self, state: State, message: str, notes: list[str]) -> Reply:
        lang = state.lang
        if not message.strip():
            return self._reply(state, notes + [text(lang, "study_empty")], event="empty")
        hits = study_hits(self.index, message, 3, lang=detect_lang(message), topic=state.filters.topic,
                          area=state.filters.area)
        if not hits:
            return self._reply(state, notes + [text(lang, "study_none")], event="study")
        parts = [text(lang, "study_header")]
        for h in hits:
            c = h.card
            parts.append(f"**{self.bank.shown(c.topic, lang)}** · {c.source or c.location} · {h.score:.2f}\n\n"
                         f"*{c.question}*\n\n{c.answer}")
        return self._reply(state, notes + ["\n\n".join(parts)], event="study")

    # ------------------------------------------------------------ asking

    def _pool(self, state: State) -> tuple[Card, ...]:
        f = state.filters
        return self.bank.filter(area=f.area, topic=f.topic, lang=state.lang, kinds=["qa"],
                                difficulty=f.difficulty)

    def _ask(self, state: State, now: float, avoid: tuple[str, ...] = ()) -> tuple[State, list[str]]:
        if state.queue:  # "retry the weak ones": the queued cards first, whatever the filters
            asked = {a.card for a in state.session}
            queued = [c for c in state.queue if c not in asked and self.bank.get(c) is not None]
            if queued:
                turn = state.turn + 1
                return replace(state, turn=turn, current=Current(queued[0], turn, now, reason="retry")), []
        card, reason = pick(state, self._pool(state), self._cards, avoid)
        if card is None:
            return replace(state, current=None), [text(state.lang, "none_left")]
        turn = state.turn + 1
        return replace(state, turn=turn, current=Current(card.id, turn, now, reason=reason)), []

    def _next(self, state: State, msgs: list[str], now: float, avoid: tuple[str, ...] = (),
              **kw) -> tuple[State, Reply]:
        if state.limit is not None and state.main_count >= state.limit:
            return self._finish(state, msgs, **kw)
        state, asked = self._ask(state, now, avoid)
        return state, self._reply(state, msgs + asked, **kw)

    def _finish(self, state: State, msgs: list[str], **kw) -> tuple[State, Reply]:
        state = replace(state, finished=True, current=None)
        report = self.report(state)
        kw.setdefault("event", "report")
        return state, self._reply(state, msgs + [text(state.lang, f"done_{state.mode}"),
                                                 report.to_markdown()], report=report, **kw)

    def _followup(self, state: State, card: Card, result: Result) -> tuple[Card, str] | None:
        """One card of the same topic and language whose answer carries a missed term."""
        if not result.missed:
            return None
        cards = self._cards
        seen = {question_key(cards[a.card]) for a in state.asked if a.card in cards}
        same_topic = self.bank.filter(topic=card.topic, lang=card.lang, kinds=["qa"])
        pool = {c.id: c for c in same_topic if question_key(c) not in seen and c.id != card.id}
        ref = self.bank.get(result.graded_against) or card
        keywords = {k.name: k for k in self._keywords(ref)}
        for missed in result.missed:
            kw = keywords.get(missed.term, Keyword(missed.term))
            carriers = [c for c in pool.values() if match_keywords([kw], c.answer).covered
                        or any(t.casefold() in (u.casefold() for k in c.keywords for u in k.terms)
                               for t in kw.terms)]
            if not carriers:
                continue
            # the index ranks the carriers by how close they are to the missed term
            ids = {c.id for c in carriers}
            hits = self.index.search(f"{card.topic}: {missed.term}", k=len(ids), topic=card.topic,
                                     lang=card.lang, kinds=["qa"],
                                     exclude={c.id for c in same_topic} - ids)
            best = next((pool[h.card.id] for h in hits if h.card.id in ids), carriers[0])
            return best, _term_in(kw, card.lang)
        return None

    def question(self, state: State) -> Question | None:
        """The question waiting for an answer, ready to show."""
        cur = state.current
        card = self.bank.get(cur.card) if cur else None
        if card is None:
            return None
        lang = state.lang
        follow = cur.followup_of is not None
        number = state.main_count + (0 if follow else 1)
        body = text(lang, "probe", term=cur.probe, question=card.question) if follow else card.question
        if follow:
            head = text(lang, "followup_head", topic=self.bank.shown(card.topic, lang))
        else:
            key = "question_head_total" if state.limit else "question_head"
            head = text(lang, key, n=number, total=state.limit, topic=self.bank.shown(card.topic, lang),
                        level=card.difficulty)
            if cur.reason in ("due", "review", "retry"):
                head += " · " + text(lang, f"reason_{cur.reason}")
        lines = [head, body]
        if follow:
            lines.append(text(lang, "decline_tip"))
        if state.seconds:
            lines.append(text(lang, "limit", s=f"{state.seconds:g}"))
        return Question(card.id, body, "\n\n".join(lines), card.topic, card.area, card.lang,
                        card.difficulty, number, state.limit, follow, state.seconds, cur.reason)

    # ------------------------------------------------------------ helpers

    def report(self, state: State) -> Report:
        return build_report(state, self.bank, self._key_terms)

    def marked_answer(self, result: Result, answer: str) -> str:
        """`answer` as literal Markdown with the words that earned `result`'s covered terms in bold."""
        card = self.bank.get(result.graded_against or result.card_id)
        if card is None or not result.covered:
            return marked(answer, ())
        known = self._key_terms(card)
        by_name = {k.name: k for k in known.keywords}
        return marked(answer, tuple(term_spans([by_name[n].terms if n in by_name else (n,) for n in result.covered],
                                               answer, known.mend(answer))))

    def _key_terms(self, card: Card) -> CardTerms:
        refs = self.grader.references.get(card)
        return CardTerms(refs.keywords, refs.shown_sentence_with, lambda answer: self.grader.mend(card, answer).text)

    @property
    def _cards(self) -> "_ById":
        return _ById(self.bank)

    def _keywords(self, card: Card) -> tuple[Keyword, ...]:
        # the grader's terms: authored (or derived) minus those the question names, so a hint
        # never gives away a word of the question
        return self.grader.reference(card).keywords

    def _band(self, score: int) -> int:
        return band_of(score, self.grader.weights.band_edges)

    def _describe(self, state: State) -> str:
        f = state.filters
        parts = [self.bank.shown(p, state.lang) for p in (f.topic, f.area) if p]
        parts += [f"level {f.difficulty}"] if f.difficulty else []
        return text(state.lang, "selection", what=listed(parts, state.lang) or text(state.lang, "any"),
                    lang=text(state.lang, f"lang_{state.lang}"))

    def _check(self, state: State) -> tuple[State, list[str]]:
        """Drop what the notes no longer have (a state saved against other notes)."""
        notes = []
        if state.current and self.bank.get(state.current.card) is None:
            state = replace(state, current=None)
            notes.append(text(state.lang, "stale_question"))
        if state.filters.topic and self.bank.topic(state.filters.topic) is None:
            state = replace(state, filters=replace(state.filters, topic=None))
            notes.append(text(state.lang, "stale_topic"))
        if state.filters.area and state.filters.area not in self.bank.areas:
            state = replace(state, filters=replace(state.filters, area=None))
            notes.append(text(state.lang, "stale_topic"))
        return state, notes

    def _reply(self, state: State, messages: list[str], **kw) -> Reply:
        return Reply(tuple(m for m in messages if m), self.question(state), finished=state.finished, **kw)


class _ById:
    """Read-only id → card view of a bank (Bank.get), usable where a Mapping is expected."""

    def __init__(self, bank: Bank):
        self.bank = bank

    def __getitem__(self, card_id: str) -> Card:
        return self.bank.card(card_id)

    def __contains__(self, card_id: object) -> bool:
        return isinstance(card_id, str) and self.bank.get(card_id) is not None


def _elapsed(cur: Current, now: float) -> float | None:
    """Seconds the answer took (never negative: clocks of two machines may disagree)."""
    return None if cur.asked_at is None else max(0.0, round(now - cur.asked_at, 1))


def _term_in(keyword: Keyword, lang: str) -> str:
    """The keyword's spelling in `lang` (keywords carry both languages as aliases)."""
    return next((t for t in keyword.terms if detect_lang(t) == lang), keyword.name)
