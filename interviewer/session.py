"""Interview session state, its JSON form, and the scheduling / question-selection policy.

The state is plain frozen data (card ids, scores, counters; never card texts), so a web app
can keep one per user in its session and in the browser's storage. Nothing here mutates a
state: every change returns a new one.

The clock of the schedule is the *turn* (how many questions were put so far), never the
wall clock, so a session replays identically in tests; wall-clock timestamps are kept only
for the report and the mock interview's time limit.

Scheduling follows SM-2 with the grader's band (0-5) as the grade: band < 3 resets the
card, which comes back after a few turns; good answers push it further out each time.

    >>> s = sm2(None, band=5, turn=1)
    >>> (s.reps, s.interval, s.due), sm2(s, band=1, turn=4).due
    ((1, 6, 7), 7)
    >>> load_state('{"version": 0}')[1]
    'The saved session is from an older version (v0); starting a fresh session.'
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Mapping, Sequence

from .bank import LANGS, Card

STATE_VERSION = 1
MODES = ("practice", "mock", "study")
MAX_ANSWER_CHARS = 2000  # answers are stored for the report, cut to keep the state small
MAX_STATE_CHARS = 5_000_000  # browser storage holds a few MB; anything larger is not ours

# SM-2 in turns: a failed card returns after LAPSE_TURNS questions; passed ones after
# FIRST_TURNS, then SECOND_TURNS, then the previous interval times the ease factor.
LAPSE_TURNS, FIRST_TURNS, SECOND_TURNS = 3, 6, 15
MIN_EASE, START_EASE, MAX_EASE = 1.3, 2.5, 5.0
PASS_BAND = 3
MASTERY_ALPHA = 0.4  # weight of the newest score in a topic's moving average
WEAK_MASTERY = 60.0  # below this a topic is weak: its new cards are asked first


@dataclass(frozen=True)
class Filters:
    area: str | None = None
    topic: str | None = None
    difficulty: int | None = None  # 1..3


@dataclass(frozen=True)
class Schedule:
    """SM-2 state of one card, in turns."""

    ease: float = START_EASE
    interval: int = 0
    reps: int = 0  # successful reviews in a row; 0 after a failure
    due: int = 0  # the turn from which the card may be asked again
    lapses: int = 0


@dataclass(frozen=True)
class Asked:
    """One question put to the candidate and what came of it."""

    card: str
    topic: str
    turn: int
    answer: str = ""
    score: int = 0  # after the hint penalty
    band: int = 0
    missed: tuple[str, ...] = ()
    seconds: float | None = None  # time taken (wall clock, report only)
    hints: int = 0
    skipped: bool = False
    followup: bool = False
    late: bool = False  # answered after the mock interview's time limit
    at: float | None = None  # when it was answered (epoch seconds, report only)


@dataclass(frozen=True)
class Current:
    """The question waiting for an answer."""

    card: str
    turn: int
    asked_at: float | None = None
    hints: int = 0  # keywords revealed so far
    followup_of: str | None = None  # the card whose answer this follow-up probes
    probe: str = ""  # the missed term it probes
    reason: str = ""  # why it was chosen: due | weak | new | review | followup


@dataclass(frozen=True)
class Mastery:
    score: float  # exponential moving average of the topic's scores, 0..100
    n: int


@dataclass(frozen=True)
class State:
    """A whole interview session. Copy freely; serialise with :meth:`to_json`."""

    version: int = STATE_VERSION
    mode: str = "practice"
    lang: str = "en"
    filters: Filters = Filters()
    limit: int | None = None  # questions in this session (follow-ups not counted)
    seconds: float | None = None  # time limit per question (mock interview)
    seed: int = 0
    turn: int = 0  # questions put so far: the scheduling clock
    started: int = 0  # index in `asked` where this session began (earlier ones: history)
    finished: bool = False
    current: Current | None = None
    asked: tuple[Asked, ...] = ()
    schedule: Mapping[str, Schedule] = field(default_factory=dict)
    mastery: Mapping[str, Mastery] = field(default_factory=dict)
    created: float | None = None

    @property
    def session(self) -> tuple[Asked, ...]:
        return self.asked[self.started:]

    @property
    def main_count(self) -> int:
        """Questions of this session, follow-ups not counted."""
        return sum(not a.followup for a in self.session)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: Any) -> "State":
        """Strict reading: anything unexpected raises ValueError naming the field."""
        _need(isinstance(d, dict), "the top level is not an object")
        cur = d.get("current")
        sched, mast = d.get("schedule", {}), d.get("mastery", {})
        _need(isinstance(sched, dict) and isinstance(mast, dict), "schedule/mastery")
        asked = d.get("asked", [])
        _need(isinstance(asked, list), "asked")
        filters = d.get("filters") or {}
        _need(isinstance(filters, dict), "filters")
        return cls(
            version=_val(d, "version", int, 0, 10**6),
            mode=_choice(d, "mode", MODES), lang=_choice(d, "lang", LANGS),
            filters=Filters(_val(filters, "area", str, 0, 200, None),
                            _val(filters, "topic", str, 0, 200, None),
                            _val(filters, "difficulty", int, 1, 3, None)),
            limit=_val(d, "limit", int, 1, 10**6, None), seconds=_val(d, "seconds", float, 1, 1e6, None),
            seed=_val(d, "seed", int, 0, 2**63, 0), turn=_val(d, "turn", int, 0, 10**7, 0),
            started=_val(d, "started", int, 0, len(asked), 0),
            finished=_val(d, "finished", bool, default=False),
            current=None if cur is None else _current(cur),
            asked=tuple(_asked(a, f"asked[{i}]") for i, a in enumerate(asked)),
            schedule={_key(k): _schedule(v, k) for k, v in sched.items()},
            mastery={_key(k): _mastery(v, k) for k, v in mast.items()},
            created=_val(d, "created", float, 0, 1e11, None))


def load_state(text: str | None) -> tuple[State, str]:
    """A saved state, or a fresh one plus a one-line message saying why; never raises.

    An empty text gives a fresh state and an empty message (nothing was saved).
    """
    if text is None or not str(text).strip():
        return State(), ""
    fresh = "starting a fresh session."
    try:
        if len(text) > MAX_STATE_CHARS:
            return State(), f"The saved session is too large to be ours; {fresh}"
        data = json.loads(text)
        if not isinstance(data, dict) or "version" not in data:
            return State(), f"The saved session is not a session (no version field); {fresh}"
        version = data["version"]
        if type(version) is not int:
            return State(), f"The saved session has an unreadable version; {fresh}"
        if version < STATE_VERSION:
            return State(), f"The saved session is from an older version (v{version}); {fresh}"
        if version > STATE_VERSION:
            return State(), f"The saved session is from a newer version (v{version}); {fresh}"
        return State.from_dict(data), ""
    except json.JSONDecodeError:
        return State(), f"The saved session is not valid JSON; {fresh}"
    except Exception as e:  # tampered or damaged in any other way: the user keeps working
        return State(), f"The saved session was damaged ({str(e)[:80] or type(e).__name__}); {fresh}"


# ---------------------------------------------------------------- strict reading helpers


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(f"{what} is not valid")


_REQUIRED = object()


def _val(d: dict, key: str, kind: type, lo: float | None = None, hi: float | None = None,
         default: Any = _REQUIRED, path: str = "") -> Any:
    name = f"{path}.{key}" if path else key
    if key not in d or d[key] is None:
        _need(default is not _REQUIRED, name)
        return default
    v = d[key]
    if kind is float:
        _need(type(v) in (int, float) and math.isfinite(v), name)
        v = float(v)
    else:
        _need(type(v) is kind, name)
    if kind is str:
        _need(lo is None or lo <= len(v) <= hi, name)
    elif kind is not bool:
        _need(lo is None or lo <= v <= hi, name)
    return v


def _choice(d: dict, key: str, choices: Sequence[str]) -> str:
    v = d.get(key, choices[0])
    _need(v in choices, key)
    return v


def _key(k: str) -> str:
    _need(0 < len(k) <= 200, "a card id or topic name")
    return k


def _current(c: Any) -> Current:
    _need(isinstance(c, dict), "current")
    return Current(_val(c, "card", str, 1, 200, path="current"),
                   _val(c, "turn", int, 0, 10**7, path="current"),
                   _val(c, "asked_at", float, 0, 1e11, None, "current"),
                   _val(c, "hints", int, 0, 100, 0, "current"),
                   _val(c, "followup_of", str, 1, 200, None, "current"),
                   _val(c, "probe", str, 0, 200, "", "current"),
                   _choice(c, "reason", ("", "due", "weak", "new", "review", "followup")))


def _asked(a: Any, path: str) -> Asked:
    _need(isinstance(a, dict), path)
    missed = a.get("missed", [])
    _need(isinstance(missed, list) and all(isinstance(m, str) and len(m) < 200 for m in missed),
          f"{path}.missed")
    return Asked(_val(a, "card", str, 1, 200, path=path), _val(a, "topic", str, 0, 200, path=path),
                 _val(a, "turn", int, 0, 10**7, path=path),
                 _val(a, "answer", str, 0, MAX_ANSWER_CHARS, "", path),
                 _val(a, "score", int, 0, 100, path=path), _val(a, "band", int, 0, 5, path=path),
                 tuple(missed), _val(a, "seconds", float, 0, 1e9, None, path),
                 _val(a, "hints", int, 0, 100, 0, path), _val(a, "skipped", bool, default=False, path=path),
                 _val(a, "followup", bool, default=False, path=path),
                 _val(a, "late", bool, default=False, path=path), _val(a, "at", float, 0, 1e11, None, path))


def _schedule(s: Any, key: str) -> Schedule:
    _need(isinstance(s, dict), f"schedule[{key}]")
    p = f"schedule[{key}]"
    return Schedule(_val(s, "ease", float, MIN_EASE, MAX_EASE, path=p),
                    _val(s, "interval", int, 0, 10**7, path=p), _val(s, "reps", int, 0, 10**6, path=p),
                    _val(s, "due", int, 0, 10**8, path=p), _val(s, "lapses", int, 0, 10**6, path=p))


def _mastery(m: Any, key: str) -> Mastery:
    _need(isinstance(m, dict), f"mastery[{key}]")
    return Mastery(_val(m, "score", float, 0, 100, path=f"mastery[{key}]"),
                   _val(m, "n", int, 1, 10**7, path=f"mastery[{key}]"))


# ---------------------------------------------------------------- scheduling


def sm2(s: Schedule | None, band: int, turn: int) -> Schedule:
    """The card's schedule after an answer graded `band` (0-5) at `turn`."""
    s = s or Schedule()
    q = max(0, min(5, band))
    ease = round(min(MAX_EASE, max(MIN_EASE, s.ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))), 3)
    if q < PASS_BAND:
        return Schedule(ease, LAPSE_TURNS, 0, turn + LAPSE_TURNS, s.lapses + (s.reps > 0 or s.interval > 0))
    reps = s.reps + 1
    interval = FIRST_TURNS if reps == 1 else SECOND_TURNS if reps == 2 else round(s.interval * ease)
    return Schedule(ease, interval, reps, turn + interval, s.lapses)


def ema(m: Mastery | None, score: float) -> Mastery:
    if m is None:
        return Mastery(round(float(score), 2), 1)
    return Mastery(round(m.score + MASTERY_ALPHA * (score - m.score), 2), m.n + 1)


def record(state: State, asked: Asked) -> State:
    """Append an answered (or skipped) question; update the card's schedule and topic mastery."""
    answer = asked.answer[:MAX_ANSWER_CHARS]
    asked = replace(asked, answer=answer, missed=tuple(m[:199] for m in asked.missed))
    schedule = {**state.schedule, asked.card: sm2(state.schedule.get(asked.card), asked.band, asked.turn)}
    mastery = {**state.mastery, asked.topic: ema(state.mastery.get(asked.topic), asked.score)}
    return replace(state, asked=state.asked + (asked,), schedule=schedule, mastery=mastery, current=None)


def question_key(card: Card) -> str:
    """The identity of a question across languages: twins share it."""
    return f"{card.topic}\x1f{card.pair}" if card.pair else card.id


def rng_for(state: State) -> random.Random:
    """Deterministic per seed and turn: the same state always picks the same question."""
    return random.Random(f"{state.seed}/{state.turn}/{len(state.asked)}")


def pick(state: State, pool: Sequence[Card], cards: Mapping[str, Card],
         avoid: Sequence[str] = ()) -> tuple[Card | None, str]:
    """The next card from `pool` and why: 'due', 'weak', 'new' or 'review'.

    Order: cards answered badly that are due again (practice only), then unseen cards of
    the weakest topic (mastery below WEAK_MASTERY), then unseen cards, spread over topics
    in a mock interview. No card is repeated before the pool is exhausted, except a failed
    card coming due, which is the point of the schedule. Once exhausted, the cards due
    first come back. `cards` maps ids to cards (to recognise twins already asked); `avoid`
    holds card ids not to ask now (a follow-up just declined), unless nothing else is left.
    """
    pool = [c for c in pool if c.id not in avoid] or list(pool)
    if not pool:
        return None, ""
    rng, upcoming = rng_for(state), state.turn + 1
    current = state.current.card if state.current else None
    if state.mode != "mock":
        lapsed = [(s.due, s.ease, c.id, c) for c in pool if c.id != current
                  and (s := state.schedule.get(c.id)) and s.reps == 0 and s.due <= upcoming]
        if lapsed:
            return min(lapsed, key=lambda t: t[:3])[3], "due"
    seen = {question_key(cards[a.card]) for a in state.asked if a.card in cards}
    if current in cards:
        seen.add(question_key(cards[current]))
    unseen = [c for c in pool if question_key(c) not in seen]
    if unseen:
        if state.mode == "mock":
            used = {a.topic for a in state.session}
            fresh_topics = [c for c in unseen if c.topic not in used]
            return rng.choice(fresh_topics or unseen), "new"
        weak = sorted((m.score, t) for t, m in state.mastery.items() if m.score < WEAK_MASTERY)
        for _, topic in weak:
            in_topic = [c for c in unseen if c.topic == topic]
            if in_topic:
                return rng.choice(in_topic), "weak"
        return rng.choice(unseen), "new"
    last = state.asked[-1].card if state.asked else None
    again = [c for c in pool if c.id != current and (c.id != last or len(pool) == 1)] or list(pool)
    default = Schedule()
    return min(again, key=lambda c: (state.schedule.get(c.id, default).due,
                                     state.schedule.get(c.id, default).ease, c.id)), "review"
