"""The interview room's behaviour, without the page: `Handlers` turns what the page sends
(text, the stored state, a recording, an upload) into what it shows (a `View`), with plain
Python values and no gradio types, so each handler can be called in a test without a
server. `ui.py` lays out the page and wires these handlers to its components.

Per-user data lives only in the browser: the session state travels as JSON in a
``gr.BrowserState`` (encrypted with the configured secret), so the server keeps nothing
between requests and can run as several replicas. That secret reaches every visitor's
browser, so a state is only as trustworthy as `session.py`'s validation and
`fit_to_bank`, which every handler applies. No exception text reaches the page: handlers
turn the unexpected into one line (`_guarded`), and the app runs with ``show_error=False``.
"""

from __future__ import annotations

import functools
import html
import inspect
import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from .batch import Options
from .batchrun import grade_file
from .batchio import cell_text, columns_of
from .config import MIN_MATCH_CONFIDENCE
from .commands import parse_command
from .errors import InterviewerError
from .interview import Interviewer, Reply
from .resources import Resources
from .scratch import Scratch
from .labels import LABELS, label
from .study import study_hits
from .speech import ModelUnavailable, SpeechError, card_terms, delivery
from .phrases import markdown_literal
from .text import shorten
from .problems import file_error, say
from .report import Report
from .feedback import VERDICTS, doubt_line, listed, verdict
from .scoring import Result
from .bank import LANGS
from .session import (MAX_STATE_CHARS, MODE, Filters, Spoken, State, StateError, fit, fit_to_bank, load_state,
                      no_surrogates, parse_state)

ANY = "any"
STORAGE_KEY = "interviewer-progress"
MAX_IMPORT_BYTES = 4 * MAX_STATE_CHARS  # the largest export: a character takes up to 4 bytes in UTF-8
OOPS = "⚠️ That could not be handled; nothing was changed. Try again, or rephrase it."
log = logging.getLogger(__name__)


def _chosen(value: Any) -> Any:
    """A control's value as a filter: "any" or nothing is no filter."""
    return None if value in (ANY, "", None) else value


@dataclass(frozen=True)
class Choices:
    """What the page's controls show. Before a session has asked anything, a change of them is
    the candidate's setting: one who picked 中文 and then typed (or spoke) an answer got an
    English session, and the page turned back to English; one who picked a mock interview got
    practice. A first answer then opens the session as Start would."""

    lang: str = "en"
    area: str = ANY
    topic: str = ANY
    difficulty: str = ANY
    mode: str = "practice"
    questions: float | None = None
    seconds: float | None = None
    hard: bool = False

    def applied_to(self, state: State) -> State:
        if self.lang not in LANGS or self.mode not in MODE:
            return state
        level = str(self.difficulty)
        timed = MODE[self.mode].timed  # as Start: only a mock has a question count and a clock
        return replace(state, lang=self.lang, mode=self.mode,
                       filters=Filters(_chosen(self.area), _chosen(self.topic),
                                       int(level) if level in ("1", "2", "3") else None),
                       limit=int(self.questions) if timed and self.questions and self.questions >= 1 else None,
                       seconds=float(self.seconds) if timed and self.seconds and self.seconds >= 1 else None,
                       hard=bool(self.hard) and timed)


def escape_user_text(text: str) -> str:
    """Show what the user typed as text: no HTML, no Markdown links or images.

    >>> escape_user_text("<b>hi</b> [x](javascript:alert(1))")
    '&lt;b&gt;hi&lt;/b&gt; \\\\[x\\\\]\\\\(javascript:alert\\\\(1\\\\)\\\\)'
    """
    return markdown_literal(text)


def message_text(content: Any) -> str:
    """Chatbot history content as plain text (gradio 6 sends a list of typed parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, (list, tuple)):
        return "".join(message_text(p) for p in content)
    return "" if content is None else str(content)


def normalise_history(history: Any) -> list[dict]:
    out = []
    for m in history if isinstance(history, (list, tuple)) else []:
        if isinstance(m, dict) and m.get("role") in ("user", "assistant"):
            out.append({"role": m["role"], "content": no_surrogates(message_text(m.get("content")))})
    return out


def regreet(history: Any, lang: str) -> list[dict] | None:
    """The chat with its greeting in `lang`, when the greeting is all it holds (the language was
    chosen before starting); None when there is a conversation to leave alone."""
    chat = normalise_history(history)
    greetings = {label(lg, "welcome") for lg in ("en", "zh")}
    if len(chat) == 1 and chat[0]["role"] == "assistant" and chat[0]["content"] in greetings:
        return [{"role": "assistant", "content": label(lang, "welcome")}]
    return None


def box_placeholder(mode: str, lang: str) -> str:
    """What the answer box invites: an answer, or in Study (which asks nothing) a search."""
    asks = MODE[mode].asks if mode in MODE else True
    return label(lang, "placeholder" if asks else "placeholder_study")


def bar(value: float, width: int = 10) -> str:
    filled = int(round(max(0.0, min(1.0, value)) * width))
    return "█" * filled + "░" * (width - filled)


def result_panel(result: Result | None, lang: str = "en") -> str:
    if result is None:
        return ""
    t = lambda key, **kw: label(lang, key, **kw)  # noqa: E731
    lines = [t("result_head", score=result.score, band=result.band, verdict=result.verdict)]
    lines += [f"`{t(k)} {bar(v)} {v:.2f}`  " for k, v in (("semantic", result.semantic), ("coverage", result.coverage),
                                                         ("confidence", result.confidence)) if v is not None]
    if result.doubts:
        lines.append(doubt_line(result))
    if result.covered:
        lines.append(t("covered") + listed(result.covered, lang))
    if result.missed:
        lines.append(t("missed") + listed([m.term for m in result.missed], lang))
    return "\n\n".join(lines)


@dataclass(frozen=True)
class View:
    """Everything the practice tab shows after one event."""

    chat: list[dict]
    state_json: str
    result: str = ""
    report: str = ""
    mastery: list[dict] | None = None  # rows for the per-topic chart
    scores: list[dict] | None = None  # rows for the scores-over-session chart
    timed: bool = False  # a mock question with a hard time limit is open: the server closes it at time-out
    countdown: str = ""  # the clock by the answer box (HTML the page counts down itself; "" when none runs)
    mock_running: bool = False  # a mock interview is under way: no hints, no reference, no scores
    progress: str = ""  # the "My progress" panel
    controls: tuple[str, str, str, str] | None = None  # the session's mode, language, area, topic
    # the controls, the buttons and the server's clock are as the event found them (an
    # ordinary answer): the page keeps its own (see ui.practice_out)
    steady: bool = False


def _guarded(fallback: Callable[[dict], Any]):
    """A handler that never lets an exception reach the page (gradio would show its raw
    text): text inputs lose lone surrogates first (UTF-8 cannot carry them, the model and
    the reply would fail), and anything still unexpected is logged with its traceback and
    answered by `fallback(arguments by name)`, which keeps the user's state untouched."""
    def wrap(method):
        signature = inspect.signature(method)

        @functools.wraps(method)
        def guarded(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            for name, value in bound.arguments.items():
                if isinstance(value, str):
                    bound.arguments[name] = no_surrogates(value)
            try:
                return method(*bound.args, **bound.kwargs)
            except Exception:
                log.exception("%s failed", method.__name__)
                return fallback(bound.arguments)
        return guarded
    return wrap


@dataclass(frozen=True)
class BatchCounts:
    """What a graded batch's summary line and histogram are drawn from (kept by the page, so that
    both follow a change of language)."""

    rows: int
    graded: int
    not_graded: int
    review: int
    bands: tuple[tuple[int, int], ...]  # (band, answers)
    scores: tuple[int, ...]


MAPPED = ("question", "answer", "reference")  # the columns a user may point at on the page
# the feedback is why a row scored as it did: a teacher reads it on the page, not only in the file
SHOWN = ("id", "student", "score", "band", "verdict", "needs_review", "status", "missed", "feedback", "question")
REVIEW_SHOWN = ("id", "question", "why")  # the review queue's columns


def _shown_cell(rec: dict, column: str, lang: str) -> str:
    """A results-table cell as the page shows it: status, review flag and verdict in the page's
    language (the graded file keeps its fixed English values, which programs read)."""
    value = cell_text(rec.get(column))
    if column in ("status", "needs_review") and value:
        return label(lang, "v_" + value.replace(" ", "_"))
    if column == "verdict" and value:
        return verdict(int(rec["band"]), lang)
    return value


def relabelled(headers: Sequence[str], rows: Sequence[Sequence[str]], lang: str) -> tuple[list[str], list[list[str]]]:
    """A batch table (results or review queue) as the page shows it in `lang`: its column names,
    and its status, review flags and verdicts, whichever language it was graded in (the feedback
    and review reasons stay as they were written).

    >>> relabelled(["id", "得分", "评价", "状态"], [["a1", "62", "部分正确", "已评分"]], "en")
    (['id', 'score', 'verdict', 'status'], [['a1', '62', 'partial', 'graded']])
    """
    column = {label(lg, f"h_{c}"): c for lg in LABELS for c in (*SHOWN, *REVIEW_SHOWN)}
    value = {label(lg, f"v_{v}"): f"v_{v}" for lg in LABELS for v in ("graded", "not_graded", "yes", "no")}
    band = {word: b for lg in VERDICTS for b, word in enumerate(VERDICTS[lg])}
    names = [column.get(h) for h in headers]

    def cell(name: str | None, text: str) -> str:
        if name in ("status", "needs_review") and text in value:
            return label(lang, value[text])
        if name == "verdict" and text in band:
            return verdict(band[text], lang)
        return text

    return ([label(lang, f"h_{n}") if n else h for n, h in zip(names, headers)],
            [[cell(n, str(v)) for n, v in zip(names, row)] for row in rows])


def _left(state: State) -> float | None:
    """Seconds left on the open question of a timed mock interview (None: no clock runs)."""
    cur = state.current
    if not (state.policy.timed and state.seconds and cur and cur.asked_at and not state.finished):
        return None
    return state.seconds - (time.time() - cur.asked_at)


def _clock(state: State) -> str:
    """The countdown of the open timed question as HTML: the seconds left now, and what the
    page's script needs to count down from them on its own clock (no server round trip per
    second; a deadline in the server's time would be wrong on a client whose clock is off)."""
    left = _left(state)
    if left is None:
        return ""
    zh = state.lang == "zh"
    run = "剩余 <strong>{n} 秒</strong>" if zh else "<strong>{n} s</strong> left"
    end = "<strong>时间到</strong>" if zh else "<strong>Time is up</strong>"
    if not state.hard:
        end += "：回答会被标注为超时" if zh else ": your answer will be marked late"
    now = run.replace("{n}", str(int(left))) if left > 0 else end
    # the question's own key: the page restarts its count when the key changes, and gradio
    # does not even touch the element when the next question's HTML would be identical
    key = html.escape(f"{state.current.card}@{state.current.asked_at}")
    return (f'<div class="clock" role="timer" data-q="{key}" data-left="{max(left, 0.0):.1f}" '
            f'data-run="{html.escape(run)}" data-end="{html.escape(end)}">{now}</div>')


def _spoken(said: dict | None) -> Spoken | None:
    """What the session keeps of how an answer was spoken (the page's copy is not trusted)."""
    if not isinstance(said, dict):
        return None
    pace, fillers, pauses = said.get("pace"), said.get("fillers"), said.get("pauses")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (pace, fillers, pauses))
    if not numbers or not (0 <= pace <= 10_000 and 0 <= fillers <= 10_000 and 0 <= pauses <= 10_000):
        return None
    return Spoken(round(float(pace), 1), int(fillers), int(pauses))


def _spoken_markdown(spoken: dict | None) -> str:
    """The delivery feedback of a spoken answer, under the grade."""
    if not isinstance(spoken, dict) or not isinstance(spoken.get("lines"), list):
        return ""
    head = "**表达**" if spoken.get("lang") == "zh" else "**Delivery**"
    return f"\n\n{head}\n" + "".join(f"\n- {markdown_literal(str(x))}" for x in spoken["lines"][:4])


def _oops_view(args: dict) -> "View":
    chat = normalise_history(args.get("history"))
    return View([*chat, {"role": "assistant", "content": OOPS}], args.get("state_json") or "")


class Handlers:
    """UI event handlers over the shared, read-only resources."""

    def __init__(self, res: Resources):
        self.res = res
        self.scratch = Scratch(res.settings.temp_max_age)  # graded files and exports, swept by age
        self.engine = Interviewer.from_resources(res)

    # ------------------------------------------------------------ practice

    def _state(self, state_json: str) -> tuple[State, str]:
        state, problem = load_state(state_json)
        return fit_to_bank(state, self.res.bank), problem

    @staticmethod
    def _chrome(state: State) -> tuple[tuple[str, str, str, str], bool, bool]:
        """What the page shows apart from the chat and the grade: the controls (mode, language,
        area, topic), whether the server's clock runs, whether a mock hides the buttons and
        scores (see View.steady)."""
        f = state.filters
        mock_running = bool(state.policy.timed and not state.finished and state.current is not None)
        return ((state.mode, state.lang, f.area or ANY, f.topic or ANY), bool(state.hard and _left(state) is not None),
                mock_running)

    def _view(self, chat: list[dict], state: State, reply: Reply | None) -> View:
        report = reply.report if reply else None
        if report is None and state.finished:
            report = self.engine.report(state)
        overall = report or (self.engine.report(state) if state.asked else None)
        controls, timed, running = self._chrome(state)
        clock = _clock(state)
        if running:  # a real mock: nothing that tells how it is going until the debrief
            return View(chat, state.to_json(), timed=timed, countdown=clock, mock_running=True, controls=controls,
                        progress=label(state.lang, "mock_hidden"))
        return View(chat, state.to_json(), result_panel(reply.result if reply else None, state.lang),
                    report.to_markdown() if report else "", *self._charts(overall), timed=timed, countdown=clock,
                    progress=self._progress(state, overall), controls=controls)

    @staticmethod
    def _charts(report: Report | None) -> tuple[list[dict] | None, list[dict] | None]:
        if report is None:
            return None, None
        mastery = [{"topic": t.topic, "mastery": round(t.mastery, 1)} for t in report.topics]
        # one bar per question, named as in the report ("2+" is question 2's follow-up): whole
        # numbers on the axis, and a single answer still draws
        scores = [{"question": f"{q.number}+" if q.followup else str(q.number), "score": q.score}
                  for q in report.questions]
        return mastery, scores

    @_guarded(_oops_view)
    def load(self, state_json: str) -> View:
        """Page load: restore progress kept in the browser (or explain why it was dropped)."""
        state, problem = self._state(state_json)
        chat = []
        if problem:
            chat.append({"role": "assistant", "content": f"⚠️ {problem}"})
        done = len(state.asked)
        q = self.engine.question(state) if state.current and not state.finished else None
        # with a question waiting, say so instead of "pick a mode and Start", which reads as
        # if the session were gone
        hello = label(state.lang, "welcome_resume" if q else "welcome")
        if done:
            hello = label(state.lang, "welcome_back", n=done, topics=len(state.mastery)) + hello
        chat.append({"role": "assistant", "content": hello})
        if q:
            chat.append({"role": "assistant", "content": q.prompt})
        return self._view(chat, state, None)

    @_guarded(_oops_view)
    def start(self, mode: str, lang: str, area: str, topic: str, difficulty: str, questions: float | None,
              seconds: float | None, state_json: str, hard: bool = False) -> View:
        old, problem = self._state(state_json)
        chat = [{"role": "assistant", "content": f"⚠️ {problem}"}] if problem else []
        timed = mode in MODE and MODE[mode].timed  # an unknown mode is refused by start, with its message
        try:
            state, reply = self.engine.start(
                mode=mode, lang=lang, area=_chosen(area), topic=_chosen(topic),
                difficulty=None if _chosen(difficulty) is None else int(difficulty),
                questions=int(questions) if timed and questions else None,
                seconds=float(seconds) if timed and seconds else None,
                hard=bool(hard), resume=old, seed=time.time_ns() % 2**31)
        except InterviewerError as e:  # it may quote what was sent: show it as text
            chat.append({"role": "assistant", "content": f"⚠️ {escape_user_text(str(e))}"})
            return self._view(chat, old, None)
        chat.append({"role": "assistant", "content": reply.markdown})
        return self._view(chat, state, reply)

    @_guarded(lambda args: ("", None, OOPS))
    def transcribe(self, audio_path: str | None, state_json: str = "") -> tuple[str, dict | None, str]:
        """(the answer heard, how it was spoken, a note for the page) for a recording.

        The session's language steers recognition, and the current card's topic and key
        terms are given to the recogniser so that technical words come out right."""
        if not audio_path:
            return "", None, ""
        state, _ = self._state(state_json)
        card = self.res.bank.get(state.current.card) if state.current else None
        terms = card_terms(card) if card else []
        if self.res.speech is None:
            return "", None, f"⚠️ {ModelUnavailable('').for_page(state.lang)}"
        try:
            heard = self.res.speech.transcribe(audio_path, state.lang, terms)
        except ModelUnavailable as e:  # the candidate cannot fix it: no install commands on the page
            return "", None, f"⚠️ {e.for_page(state.lang)}"
        except SpeechError as e:
            return "", None, f"⚠️ {e}"
        d = delivery(heard)
        said = {"lang": heard.lang, "lines": d.lines(), "pace": round(d.rate, 1),
                "fillers": sum(n for _, n in d.fillers), "pauses": len(d.pauses)}
        zh = heard.lang == "zh"
        note = " ".join([*heard.notices, "已转写：检查文字后发送。" if zh else "Transcribed: check the text, then Send."])
        return heard.text, said, note

    @_guarded(lambda args: args.get("state_json") or "")
    def prefer(self, choices: Choices, state_json: str) -> str:
        """The saved state with the page's choices, while the session has asked nothing (a first
        answer, typed or spoken, then opens it in them); afterwards the controls follow the
        session, never the reverse."""
        state, problem = self._state(state_json)
        if problem or state.current is not None or state.asked:
            return state_json
        chosen = choices.applied_to(state)
        return state_json if chosen == state else chosen.to_json()

    @_guarded(_oops_view)
    def send(self, text: str, history: Any, state_json: str, spoken: dict | None = None,
             cut: bool = False) -> View:
        """One message from the answer box; `cut`: the page sent it because a hard time limit
        ran out (what was written by then is graded)."""
        chat = normalise_history(history)
        state, problem = self._state(state_json)
        if problem:
            chat.append({"role": "assistant", "content": f"⚠️ {problem}"})
        text = text if isinstance(text, str) else ""
        if not text.strip() and not (cut and state.current):
            chat.append({"role": "assistant", "content": label(state.lang, "type_first")})
            return self._view(chat, state, None)
        if text.strip():
            chat.append({"role": "user", "content": escape_user_text(text)})
        command = parse_command(text) is not None  # "/help", "帮助", "考我BN" first: answered, not swallowed
        if state.current is None and state.policy.asks and not state.asked and not command:
            try:
                state, first = self.engine.start_again(state, questions=state.limit, seed=time.time_ns() % 2**31)
            except InterviewerError as e:  # the session's filters match nothing: say so, keep the state
                chat.append({"role": "assistant", "content": f"⚠️ {escape_user_text(str(e))}"})
                return self._view(chat, state, None)
            chat.append({"role": "assistant", "content": first.markdown})
            return self._view(chat, state, first)
        chrome = self._chrome(state)
        state, reply = self.engine.respond(state, text, spoken=_spoken(spoken), cut=cut)
        if reply.result is not None:  # the words that earned each covered term, in bold
            chat[-1] = {"role": "user", "content": self.engine.marked_answer(reply.result, text)}
        content = reply.markdown or "…"
        spoken_md = _spoken_markdown(spoken) if reply.result is not None else ""
        chat.append({"role": "assistant", "content": content + spoken_md})
        # a saved state that needed repair may not be what the page's controls show
        view = replace(self._view(chat, state, reply), steady=self._chrome(state) == chrome and not problem)
        return replace(view, result=view.result + spoken_md) if spoken_md else view

    def tick(self, text: str, history: Any, state_json: str, spoken: dict | None = None) -> View | None:
        """The server's timer, running only while a hard limit is open: once it has run out,
        the answer box is sent as it is (the View of that send; else None, nothing changes).
        The page counts the seconds itself, so a tick that lands late cannot put back a
        clock that the interview's end took away."""
        state, _ = self._state(state_json)
        left = _left(state)
        if left is not None and left <= 0 and state.hard:
            return self.send(text, history, state_json, spoken, cut=True)
        return None

    @_guarded(lambda args: [])
    def topics_for(self, area: str) -> list[str]:
        bank = self.res.bank
        return [t.name for t in bank.topics if area in (ANY, "", None) or t.area == area]

    # ------------------------------------------------------------ progress

    @_guarded(lambda args: View([], args.get("state_json") or "", report=OOPS))
    def report_view(self, state_json: str) -> View:
        """The report and charts of the session as they stand (the Report panel opened)."""
        state, _ = self._state(state_json)
        view = self._view([], state, None)
        if view.mock_running or not state.asked or view.report:
            return view
        return replace(view, report=self.engine.report(state).to_markdown())

    @_guarded(lambda args: OOPS)
    def progress(self, state_json: str) -> str:
        state, problem = self._state(state_json)
        return self._progress(state, self.engine.report(state) if state.asked else None, problem)

    @staticmethod
    def _progress(state: State, report: Report | None, problem: str = "") -> str:
        if not state.asked or report is None:
            return (f"⚠️ {problem}\n\n" if problem else "") + label(state.lang, "no_answers")
        lines = [label(state.lang, "progress_head", n=len(state.asked), topics=len(report.topics),
                       total=report.total_topics), "", label(state.lang, "progress_table"), "|---|---|---|"]
        # names come from the notes after fit_to_bank; shown literally all the same (a table cell
        # of Markdown could hold a link or an image that calls out)
        lines += [f"| {markdown_literal(t.topic)} | {bar(t.mastery / 100)} {t.mastery:.0f} | {t.answers} |" for t in report.topics]
        if report.review:
            lines += ["", label(state.lang, "review_next") + "; ".join(f"{markdown_literal(r.topic)}: {markdown_literal(r.question)}"
                                                         for r in report.review)]
        return "\n".join(lines)

    def export(self, state_json: str) -> str:
        state, _ = self._state(state_json)
        folder = self.scratch.folder("export")
        path = folder / "interviewer-progress.json"
        path.write_text(state.to_json(), "utf-8")
        return str(path)

    @_guarded(lambda args: (args.get("state_json") or "", OOPS))
    def import_(self, file_path: str | None, state_json: str = "", lang: str = "en") -> tuple[str, str]:
        """(state JSON to keep, message in `lang`, the page's language). A file that is not a
        usable export changes nothing: the current `state_json` comes back as it is, and the
        message says why."""
        if not file_path:
            return state_json, label(lang, "import_none")
        kept = label(lang, "import_kept")
        try:
            with open(file_path, "rb") as f:
                raw = f.read(MAX_IMPORT_BYTES + 1)  # bounded: never more than an export can be
        except OSError:
            return state_json, label(lang, "import_unreadable", kept=kept)
        if len(raw) > MAX_IMPORT_BYTES:
            return state_json, label(lang, "import_large", mb=MAX_IMPORT_BYTES // 1_000_000, kept=kept)
        try:
            state = parse_state(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            return state_json, label(lang, "import_not_utf8", kept=kept)
        except StateError as e:
            return state_json, label(lang, "import_bad", why=e, kept=kept)
        known = fit_to_bank(state, self.res.bank)
        stored = fit(known)  # an export may be larger than the browser can keep
        notes = [label(lang, "imported", n=len(stored.asked))]
        if len(known.asked) < len(state.asked):
            notes.append(label(lang, "import_left_out", n=len(state.asked) - len(known.asked)))
        if stored is not known:
            notes.append(label(lang, "import_shortened"))
        return stored.to_json(), " ".join(notes)

    @staticmethod
    def reset() -> str:
        return State().to_json()

    # ------------------------------------------------------------ batch and study

    def columns(self, file_path: str | None, lang: str = "en") -> tuple[list[str], dict[str, str], str]:
        """(the file's columns, the column guessed for each of question / answer / reference,
        a note) for the page's column choosers; a file that cannot be read gives a note only."""
        if not file_path:
            return [], {}, ""
        src = Path(file_path)
        try:
            names = columns_of(src)
        except InterviewerError as e:
            return [], {}, f"⚠️ {say(e, lang, {str(src): src.name})}"
        guess = {f: (f if f in names else "") for f in MAPPED}
        return names, guess, ""

    def grade_upload(self, file_path: str | None, force: bool = False,
                     progress: Callable[[int, int | None], None] | None = None,
                     columns: dict[str, str] | None = None,
                     min_confidence: float = MIN_MATCH_CONFIDENCE, lang: str = "en") -> dict:
        """Grade an uploaded file. `columns`: which of the file's columns holds each of
        question / answer / reference ("" = none); `min_confidence`: question matches below
        it go to review and are graded only with `force`. Messages and review reasons are in
        `lang`, the page's language."""
        if not file_path:
            raise InterviewerError(say(file_error("", "upload-first"), lang))
        src = Path(file_path)
        out_dir = self.scratch.folder("batch")
        out = out_dir / f"{src.stem}.graded{src.suffix if src.suffix in ('.csv', '.xlsx') else '.csv'}"
        names = {str(src): src.name, str(out): out.name}  # the page names a file as the user knows it
        mapping = {f: c for f, c in (columns or {}).items() if f in MAPPED and isinstance(c, str)}
        try:
            if mapping and not mapping.get("answer"):
                raise file_error(src.name, "choose-answer-column", found=", ".join(columns_of(src)) or "none")
            opts = Options(columns={f: c or f"\0no {f}" for f, c in mapping.items()},  # "": a name no column has
                           min_confidence=min(1.0, max(0.0, float(min_confidence))), force=force,
                           max_rows=self.res.settings.max_batch_rows, lang=lang, feedback_lang=lang,
                           force_hint=label(lang, "force_hint", force=label(lang, "force")),
                           column_hint=label(lang, "column_hint"))
            summary = grade_file(src, self.res, out, opts, progress=progress)
        except InterviewerError as e:
            raise InterviewerError(say(e, lang, names)) from None
        stats = BatchCounts(summary.rows, summary.graded, summary.not_graded, summary.review,
                            tuple(summary.bands.items()), tuple(summary.scores))
        text, hist = self.batch_overview(stats, lang)

        def cell(rec: dict, column: str) -> str:
            return cell_text(rec.get(column))

        # the rows as they were written, carried by the summary (the file is not read back)
        rows = summary.head
        # what a teacher scans first on the left; a student column only when the file has one
        shown = [c for c in SHOWN if c != "student" or any(cell(r, "student") for r in rows)]
        table = [[_shown_cell(r, c, lang) for c in shown] for r in rows]
        review = [[cell(r, "id"), shorten(cell(r, "question"), 80), cell(r, "review_reasons")] for r in summary.to_review]
        return {"summary": text, "columns": shown, "headers": [label(lang, f"h_{c}") for c in shown], "table": table,
                "histogram": hist, "review": review, "stats": stats,
                "review_headers": [label(lang, f"h_{c}") for c in REVIEW_SHOWN], "file": str(out)}

    def batch_overview(self, stats: "BatchCounts", lang: str) -> tuple[str, str]:
        """A graded batch's summary line and histogram (a PNG file) in `lang`: drawn again when the
        page's language changes."""
        from .charts import batch_histogram_png

        bands = ", ".join(f"{b}: {n}" for b, n in stats.bands)
        text = label(lang, "batch_summary", rows=stats.rows, graded=stats.graded, not_graded=stats.not_graded,
                     review=stats.review, bands=bands)
        hist = self.scratch.folder("batch") / f"histogram-{lang}.png"
        hist.write_bytes(batch_histogram_png(stats.scores, lang))
        return text, str(hist)

    @_guarded(lambda args: OOPS)
    def search(self, query: str, lang: str = ANY, k: int = 5, page_lang: str = "en") -> str:
        """Study hits in `lang` (ANY: both), the page's own words in `page_lang`."""
        if not isinstance(query, str) or not query.strip():
            return label(page_lang, "study_empty")
        hits = study_hits(self.res.index, query[:500], int(k), lang=None if lang == ANY else lang)
        blocks = []
        shown = self.res.bank.shown
        for h in hits:
            c = h.card
            blocks.append(f"#### {shown(c.topic, page_lang)} · {c.question}\n\n{c.answer}\n\n"
                          f"<sub>{shown(c.area, page_lang)} · {c.source or c.location} · "
                          f"{label(page_lang, 'similarity')} {h.score:.2f}</sub>")
        return "\n\n---\n\n".join(blocks) or label(page_lang, "study_none")

