"""The schedule and question selection over a session's state.

Scheduling follows SM-2 with the grader's band (0-5) as the grade: band < 3 resets the
card, which comes back after a few turns; good answers push it further out each time. The
clock is the turn (how many questions were put so far), so a session replays identically.

    >>> s = sm2(None, band=5, turn=1)
    >>> (s.reps, s.interval, s.due), sm2(s, band=1, turn=4).due
    ((1, 6, 7), 7)
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Mapping, Sequence

from .bank import Card
from .session import (MAX_ANSWER_CHARS, MAX_EASE, MAX_MISSED, MIN_EASE, Asked, Mastery, Schedule, State, fit,
                      no_surrogates)

# SM-2 in turns: a failed card returns after LAPSE_TURNS questions; passed ones after
# FIRST_TURNS, then SECOND_TURNS, then the previous interval times the ease factor.
LAPSE_TURNS, FIRST_TURNS, SECOND_TURNS = 3, 6, 15
PASS_BAND = 3
MASTERY_ALPHA = 0.4  # weight of the newest score in a topic's moving average
WEAK_MASTERY = 60.0  # below this a topic is weak: its new cards are asked first


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
    """Append an answered (or skipped) question; update the card's schedule and topic mastery.

    The history is trimmed to STATE_BUDGET (`fit`), so the state never outgrows what the
    browser can store or what `load_state` accepts, however long the candidate practises.
    """
    answer = no_surrogates(asked.answer[:MAX_ANSWER_CHARS])
    asked = replace(asked, answer=answer, missed=tuple(no_surrogates(m[:199]) for m in asked.missed[:MAX_MISSED]))
    schedule = {**state.schedule, asked.card: sm2(state.schedule.get(asked.card), asked.band, asked.turn)}
    mastery = {**state.mastery, asked.topic: ema(state.mastery.get(asked.topic), asked.score)}
    return fit(replace(state, asked=state.asked + (asked,), schedule=schedule, mastery=mastery, current=None))


def question_key(card: Card) -> str:
    """The identity of a question across languages: twins share it."""
    return f"{card.topic}\x1f{card.pair}" if card.pair else card.id


MAX_STREAK = 2  # questions in a row from one topic when the selection spans several


def _streak_topic(state: State) -> str | None:
    """The topic of the session's last MAX_STREAK questions (follow-ups aside) if they share one."""
    recent = [a.topic for a in state.session if not a.followup][-MAX_STREAK:]
    return recent[0] if len(recent) == MAX_STREAK and len(set(recent)) == 1 else None


def rng_for(state: State) -> random.Random:
    """Deterministic per seed and turn: the same state always picks the same question."""
    return random.Random(f"{state.seed}/{state.turn}/{len(state.asked)}")


def pick(state: State, pool: Sequence[Card], cards: Mapping[str, Card],
         avoid: Sequence[str] = ()) -> tuple[Card | None, str]:
    """The next card from `pool` and why: 'due', 'weak', 'new' or 'review'.

    Order: cards answered badly that are due again (practice only), then unseen cards of
    the weakest topic (mastery below WEAK_MASTERY), then unseen cards, spread over topics
    in a mock interview. Never more than MAX_STREAK questions in a row on one topic when
    the pool holds others. No card is repeated before the pool is exhausted, except a failed
    card coming due, which is the point of the schedule. Once exhausted, the cards due
    first come back. `cards` maps ids to cards (to recognise twins already asked); `avoid`
    holds card ids not to ask now (a follow-up just declined), unless nothing else is left.
    """
    pool = [c for c in pool if c.id not in avoid] or list(pool)
    if not pool:
        return None, ""
    streak = _streak_topic(state)
    if streak is not None:  # never a third question in a row on one topic while others are there
        pool = [c for c in pool if c.topic != streak] or pool
    rng, upcoming = rng_for(state), state.turn + 1
    current = state.current.card if state.current else None
    if state.policy.spaced:
        lapsed = [(s.due, s.ease, c.id, c) for c in pool if c.id != current
                  and (s := state.schedule.get(c.id)) and s.reps == 0 and s.due <= upcoming]
        if lapsed:
            return min(lapsed, key=lambda t: t[:3])[3], "due"
    seen = {question_key(cards[a.card]) for a in state.asked if a.card in cards}
    if current in cards:
        seen.add(question_key(cards[current]))
    unseen = [c for c in pool if question_key(c) not in seen]
    if unseen:
        if not state.policy.spaced:
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
