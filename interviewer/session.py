"""Interview session state and its JSON form (the schedule and question selection over it
are in ``schedule.py``).

The state is plain frozen data (card ids, scores, counters; never card texts), so a web app
can keep one per user in its session and in the browser's storage. Nothing here mutates a
state: every change returns a new one.

The clock of the schedule is the *turn* (how many questions were put so far), never the
wall clock, so a session replays identically in tests; wall-clock timestamps are kept only
for the report and the mock interview's time limit.

    >>> load_state('{"version": 0}')[1]
    'The saved session is from an older version (v0); starting a fresh session.'

The state travels through the user's browser, and gr.BrowserState's secret is sent to every
visitor, so its owner (or anyone who hands them a progress file) can write any JSON there:
`State.from_dict` checks every field's type, range and length, and :func:`fit_to_bank`
drops what the notes do not know. :func:`fit` keeps the state within what a browser can store.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

from .bank import LANGS, Bank
from .text import normalise

STATE_VERSION = 1


@dataclass(frozen=True)
class Mode:
    """How a kind of session behaves: the one place that knows what practice, mock and study differ in."""

    name: str
    asks: bool = True  # False: the session answers searches of the notes instead of asking (study)
    coached: bool = True  # scores, hints and the reference while answering (a mock keeps them for the end)
    teaches: bool = False  # a weak answer or a skip is taught and comes back; follow-up probes
    timed: bool = False  # a set number of questions, a countdown and an optional hard time limit
    spaced: bool = True  # due reviews are asked first (a mock asks new topics only)


MODE = {"practice": Mode("practice", teaches=True),
        "mock": Mode("mock", coached=False, timed=True, spaced=False),
        "study": Mode("study", asks=False)}
MODES = tuple(MODE)
MAX_ANSWER_CHARS = 2000  # answers are stored for the report, cut to keep the state small
MAX_STATE_CHARS = 5_000_000  # browser storage holds a few MB; anything larger is not ours
# What the app lets a state grow to, in bytes as the browser stores it (`stored_size`).
# gr.BrowserState keeps the state AES-encrypted and base64-encoded (4/3 of its bytes) in
# localStorage, which Chromium caps at 5,242,880 characters per site (measured): 3 MB
# becomes 4 M characters and leaves room for the rest of the site's storage. Over it, the
# oldest history is trimmed (`fit`); a state the browser cannot store is silently lost.
STATE_BUDGET = 3_000_000
MAX_MISSED = 50  # missed terms kept per answer (a card has a handful of key terms)

MIN_EASE, START_EASE, MAX_EASE = 1.3, 2.5, 5.0  # SM-2's ease factor (schedule.py)


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
    covered: tuple[str, ...] = ()  # key terms said (report only: the debrief marks them)
    cut: bool = False  # closed by a hard time limit: what was written by then was graded
    pace: float | None = None  # spoken answers: words (or characters) a minute; None: typed
    fillers: int = 0  # spoken answers: filler words heard
    pauses: int = 0  # spoken answers: pauses over two seconds


@dataclass(frozen=True)
class Spoken:
    """How a spoken answer was delivered, as the session keeps it."""

    pace: float | None = None  # words (or characters) a minute
    fillers: int = 0
    pauses: int = 0


@dataclass(frozen=True)
class Current:
    """The question waiting for an answer."""

    card: str
    turn: int
    asked_at: float | None = None
    hints: int = 0  # keywords revealed so far
    followup_of: str | None = None  # the card whose answer this follow-up probes
    probe: str = ""  # the missed term it probes
    reason: str = ""  # why it was chosen: due | weak | new | review | followup | retry


@dataclass(frozen=True)
class Mastery:
    score: float  # exponential moving average of the topic's scores, 0..100
    n: int


@dataclass(frozen=True)
class State:
    """A whole interview session. Copy freely; serialise with :meth:`to_json`."""

    version: int = STATE_VERSION
    mode: str = "practice"  # a key of MODE; `policy` says what it allows
    lang: str = "en"
    filters: Filters = Filters()
    limit: int | None = None  # questions in this session (follow-ups not counted)
    seconds: float | None = None  # time limit per question (mock interview)
    hard: bool = False  # the time limit closes the question (else a late answer is only marked)
    queue: tuple[str, ...] = ()  # card ids to ask first, in order ("retry the weak ones")
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
    def policy(self) -> Mode:
        return MODE[self.mode]

    @property
    def session(self) -> tuple[Asked, ...]:
        return self.asked[self.started:]

    @property
    def main_count(self) -> int:
        """Questions of this session, follow-ups not counted."""
        return sum(not a.followup for a in self.session)

    def to_dict(self) -> dict:
        # vars() of frozen dataclasses: the same dict asdict() builds (tuples for lists), without
        # its deep copies, which made serialising a large history 3x slower
        return {**vars(self), "filters": dict(vars(self.filters)),
                "current": None if self.current is None else dict(vars(self.current)),
                "asked": [dict(vars(a)) for a in self.asked],
                "schedule": {k: dict(vars(v)) for k, v in self.schedule.items()},
                "mastery": {k: dict(vars(v)) for k, v in self.mastery.items()}}

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
            hard=_val(d, "hard", bool, default=False), queue=_ids(d.get("queue", []), "queue"),
            seed=_val(d, "seed", int, 0, 2**63, 0), turn=_val(d, "turn", int, 0, 10**7, 0),
            started=_val(d, "started", int, 0, len(asked), 0),
            finished=_val(d, "finished", bool, default=False),
            current=None if cur is None else _current(cur),
            asked=tuple(_asked(a, f"asked[{i}]") for i, a in enumerate(asked)),
            schedule={_key(k): _schedule(v, k) for k, v in sched.items()},
            mastery={_key(k): _mastery(v, k) for k, v in mast.items()},
            created=_val(d, "created", float, 0, 1e11, None))


class StateError(ValueError):
    """Why a text is not a usable state, as the rest of a sentence: "is not valid JSON"."""


def parse_state(text: str) -> State:
    """The state in `text`; raises StateError saying why not, in the user's terms."""
    if len(text) > MAX_STATE_CHARS:
        raise StateError("is too large to be ours")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise StateError("is not valid JSON") from None
    except Exception:  # nesting too deep, a 5,000-digit number ...
        raise StateError("was damaged") from None
    if not isinstance(data, dict) or "version" not in data:
        raise StateError("is not a session (no version field)")
    version = data["version"]
    if type(version) is not int:
        raise StateError("has an unreadable version")
    if version != STATE_VERSION:
        raise StateError(f"is from {'an older' if version < STATE_VERSION else 'a newer'} version (v{version})")
    try:
        return State.from_dict(data)
    except StateError as e:
        raise StateError(f"was damaged ({e})") from None
    except Exception:  # never show a Python message to the user
        raise StateError("was damaged") from None


def load_state(text: str | None) -> tuple[State, str]:
    """A saved state, or a fresh one plus a one-line message saying why; never raises.

    An empty text gives a fresh state and an empty message (nothing was saved).
    """
    if not isinstance(text, str) or not text.strip():
        return State(), ""
    try:
        return parse_state(text), ""
    except StateError as e:  # tampered or damaged: the user keeps working
        return State(), f"The saved session {e}; starting a fresh session."


def no_surrogates(text: str) -> str:
    """Lone surrogates (from a JSON escape or a broken client) become U+FFFD: UTF-8 cannot
    encode them, so they would break the model, the page's reply and the export file."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def stored_size(state_json: str) -> int:
    """Bytes the browser encrypts for this state: the UTF-8 of JSON.stringify(state_json),
    which escapes each quote and backslash once more (the text has no raw control characters)."""
    return len(state_json.encode("utf-8")) + state_json.count('"') + state_json.count("\\") + 2


def fit(state: State, budget: int = STATE_BUDGET) -> State:
    """The state within `budget` (see `stored_size`): the oldest answer texts are dropped
    first, then the oldest entries; mastery, the schedule and the newest entry stay."""
    excess = stored_size(state.to_json()) - budget
    if excess <= 0:
        return state
    asked = list(state.asked)
    for i, a in enumerate(asked[:-1]):
        if excess <= 0:
            break
        if a.answer:
            excess -= _stored_text(a.answer)
            asked[i] = replace(a, answer="")
    drop = 0
    while excess > 0 and drop < len(asked) - 1:
        excess -= stored_size(json.dumps(vars(asked[drop]), ensure_ascii=False, separators=(",", ":"))) - 1
        drop += 1  # its JSON, its comma, less the 2 quotes stored_size adds
    return replace(state, asked=tuple(asked[drop:]), started=max(0, state.started - drop))


def _stored_text(text: str) -> int:
    return stored_size(json.dumps(text, ensure_ascii=False)) - stored_size('""')


def fit_to_bank(state: State, bank: Bank) -> State:
    """Only what these notes know: entries and schedules of unknown cards dropped, topics
    named as the notes name them (never as the state says), mastery of unknown topics
    dropped, a follow-up whose probe the notes do not hold turned into a plain question.

    A state saved against other notes loses what it cannot use; a forged one cannot put
    its own text (HTML in a topic name ...) on the page. An unknown current question and
    filters are left to the interviewer, which replaces them and says so.
    """
    asked, started = [], 0
    for i, a in enumerate(state.asked):
        card = bank.get(a.card)
        if card is not None:
            asked.append(a if a.topic == card.topic else replace(a, topic=card.topic))
            started += i < state.started
    topics = {t.name for t in bank.topics}
    cur = state.current
    if cur and (cur.followup_of is not None or cur.probe) and not _known_probe(cur, bank):
        cur = replace(cur, followup_of=None, probe="", reason="")
    return replace(state, asked=tuple(asked), started=started, current=cur,
                   queue=tuple(c for c in state.queue if bank.get(c) is not None),
                   schedule={k: v for k, v in state.schedule.items() if bank.get(k) is not None},
                   mastery={k: v for k, v in state.mastery.items() if k in topics})


def _known_probe(cur: Current, bank: Bank) -> bool:
    """The probed term is one of the notes' words for these cards (a key term, or a
    phrase of an answer, where derived terms come from)."""
    cards = [c for c in (bank.get(cur.card), bank.get(cur.followup_of or "")) if c is not None]
    if len(cards) < 2 or not cur.probe:
        return False
    cards += [t for c in cards[:2] for lang in LANGS if (t := bank.twin(c, lang)) is not None]
    probe = normalise(cur.probe)
    terms = {normalise(t) for c in cards for k in c.keywords for t in k.terms}
    return probe in terms or any(probe in normalise(c.answer) for c in cards)


# ---------------------------------------------------------------- strict reading helpers


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise StateError(f"{what} is not valid")


def _label(key: str) -> str:
    """A key as it may appear in a message shown on the page: an id-like key, or '?'."""
    return key if re.fullmatch(r"[\w .-]{1,60}", key) else "?"


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
        v = no_surrogates(v)
    elif kind is not bool:
        _need(lo is None or lo <= v <= hi, name)
    return v


def _choice(d: dict, key: str, choices: Sequence[str]) -> str:
    v = d.get(key, choices[0])
    _need(v in choices, key)
    return v


def _key(k: str) -> str:
    _need(0 < len(k) <= 200, "a card id or topic name")
    return no_surrogates(k)


def _current(c: Any) -> Current:
    _need(isinstance(c, dict), "current")
    return Current(_val(c, "card", str, 1, 200, path="current"),
                   _val(c, "turn", int, 0, 10**7, path="current"),
                   _val(c, "asked_at", float, 0, 1e11, None, "current"),
                   _val(c, "hints", int, 0, 100, 0, "current"),
                   _val(c, "followup_of", str, 1, 200, None, "current"),
                   _val(c, "probe", str, 0, 200, "", "current"),
                   _choice(c, "reason", ("", "due", "weak", "new", "review", "followup", "retry")))


def _ids(v: Any, path: str, limit: int = MAX_MISSED) -> tuple[str, ...]:
    """A short list of short strings (card ids, key terms)."""
    _need(isinstance(v, list) and len(v) <= limit and all(isinstance(x, str) and 0 < len(x) < 200 for x in v),
          path)
    return tuple(map(no_surrogates, v))


def _asked(a: Any, path: str) -> Asked:
    _need(isinstance(a, dict), path)
    return Asked(_val(a, "card", str, 1, 200, path=path), _val(a, "topic", str, 0, 200, path=path),
                 _val(a, "turn", int, 0, 10**7, path=path),
                 _val(a, "answer", str, 0, MAX_ANSWER_CHARS, "", path),
                 _val(a, "score", int, 0, 100, path=path), _val(a, "band", int, 0, 5, path=path),
                 _ids(a.get("missed", []), f"{path}.missed"), _val(a, "seconds", float, 0, 1e9, None, path),
                 _val(a, "hints", int, 0, 100, 0, path), _val(a, "skipped", bool, default=False, path=path),
                 _val(a, "followup", bool, default=False, path=path),
                 _val(a, "late", bool, default=False, path=path), _val(a, "at", float, 0, 1e11, None, path),
                 _ids(a.get("covered", []), f"{path}.covered"), _val(a, "cut", bool, default=False, path=path),
                 _val(a, "pace", float, 0, 10_000, None, path), _val(a, "fillers", int, 0, 10_000, 0, path),
                 _val(a, "pauses", int, 0, 10_000, 0, path))


def _schedule(s: Any, key: str) -> Schedule:
    p = f"schedule[{_label(key)}]"
    _need(isinstance(s, dict), p)
    return Schedule(_val(s, "ease", float, MIN_EASE, MAX_EASE, path=p),
                    _val(s, "interval", int, 0, 10**7, path=p), _val(s, "reps", int, 0, 10**6, path=p),
                    _val(s, "due", int, 0, 10**8, path=p), _val(s, "lapses", int, 0, 10**6, path=p))


def _mastery(m: Any, key: str) -> Mastery:
    p = f"mastery[{_label(key)}]"
    _need(isinstance(m, dict), p)
    return Mastery(_val(m, "score", float, 0, 100, path=p), _val(m, "n", int, 1, 10**7, path=p))
