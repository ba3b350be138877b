"""The web app: the interview room laid out in Gradio and wired to `room.Handlers`.

Only this module imports gradio. It owns the page: components, the browser-side scripts
(Enter sends, focus, the countdown), and how the app is queued and launched.
"""

from __future__ import annotations

import atexit
import logging
from typing import Any

from .config import MIN_MATCH_CONFIDENCE
from .errors import InterviewerError
from .resources import Resources
from .labels import LABELS, label
from .room import ANY, REVIEW_SHOWN, SHOWN, STORAGE_KEY, Choices, Handlers, View, box_placeholder, regreet, relabelled

log = logging.getLogger(__name__)

# the notes write formulas as $...$ (inline) and $$...$$ (display)
LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]
# Enter sends, Shift+Enter is a new line; a Chinese input method's Enter (composing) is its own
ENTER_SENDS = r"""() => {
  const inBox = (e) => e.key === "Enter" && e.target.closest && e.target.closest("#answer-box");
  // Gradio's own key handlers would send on Shift+Enter: they never see Enter here
  document.addEventListener("keypress", (e) => { if (inBox(e)) e.stopPropagation(); }, true);
  document.addEventListener("keydown", (e) => {
    if (!inBox(e) || e.isComposing || e.keyCode === 229) return;
    e.stopPropagation();
    e.preventDefault();
    if (!e.shiftKey) {
      document.querySelector("#send")?.click();
      return;
    }
    const t = e.target;
    t.setRangeText("\n", t.selectionStart, t.selectionEnd, "end");
    t.dispatchEvent(new Event("input", { bubbles: true }));
  }, true);
}"""
# the mock's clock counts down on the page from the seconds the server gave with the question;
# a server tick per second cost an event per candidate and, landing late, could put a clock
# back after the interview had ended
COUNTDOWN = r"""() => {
  setInterval(() => {
    for (const c of document.querySelectorAll("#countdown .clock")) {
      if (c.dataset.for !== c.dataset.q) {  // a new question (or a first sight of this one)
        c.dataset.for = c.dataset.q;
        c.dataset.deadline = Date.now() + 1000 * parseFloat(c.dataset.left);
      }
      const ms = c.dataset.deadline - Date.now();
      c.innerHTML = ms > 0 ? c.dataset.run.replace("{n}", Math.floor(ms / 1000)) : c.dataset.end;
    }
  }, 250);
}"""
# Gradio names each chat message by its Markdown source ("**Score: 13/100**", "mini\-batch"),
# which a screen reader reads out with its asterisks and backslashes: name it by what it shows
PLAIN_LABELS = r"""() => {
  const MESSAGE = "[data-testid][aria-label]";
  // the text a reader hears: no formula twice (KaTeX's drawing is aria-hidden, its MathML
  // carries the TeX source as an annotation)
  const said = (el) => {
    const parts = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {acceptNode: (t) =>
      t.parentElement.closest("[aria-hidden='true'], annotation") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
    while (walk.nextNode()) parts.push(walk.currentNode.data);
    return parts.join(" ").replace(/\s+/g, " ").trim();
  };
  const name = (m) => {  // the role Gradio gives ("bot's message: "), then the text as shown
    const label = m.getAttribute("aria-label") || "";
    const content = m.querySelector(".message-content");
    const text = content && said(content);
    const cut = label.indexOf(": ");
    if (cut < 0 || !text) return;  // not rendered yet: its own mutation comes later
    const plain = label.slice(0, cut + 2) + text;
    if (plain !== label) m.setAttribute("aria-label", plain);
  };
  const wait = setInterval(() => {
    const chat = document.querySelector("#chat");
    if (!chat) return;
    clearInterval(wait);
    chat.querySelectorAll(MESSAGE).forEach(name);
    new MutationObserver((records) => {
      const touched = new Set();
      for (const r of records) {
        const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        const m = el?.closest(MESSAGE);
        if (m) touched.add(m);
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          if (n.matches(MESSAGE)) touched.add(n);
          n.querySelectorAll(MESSAGE).forEach((x) => touched.add(x));
        }
      }
      touched.forEach(name);
    }).observe(chat, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ["aria-label"]});
  }, 200);
}"""
PAGE_JS = f"() => {{ ({ENTER_SENDS})(); ({COUNTDOWN})(); ({PLAIN_LABELS})(); }}"
CSS = ("#countdown, #countdown * { font-size: 1.6rem !important; text-align: center; }\n"
       # the theme's orange gives white text 2.8:1 and its placeholder grey 1.9:1; both need 4.5:1
       "button.primary { background: #b93d0c !important; border-color: #b93d0c !important; color: #fff !important; }\n"
       "textarea::placeholder, input::placeholder { color: #5f6672 !important; opacity: 1 !important; }\n"
       "[role='tab'][aria-selected='true'] { color: #b93d0c !important; }\n"
       "footer, footer * { color: #5f6672 !important; }\n"
       # the chat's trash icon erased the interview with one click and no question asked
       "#chat button[aria-label='Clear'] { display: none; }\n"
       # report tables (in the chat and the report panel) broke words letter by letter on a
       # phone: whole words, a readable question column, and sideways scrolling instead
       "#chat table, #report table, #progress table { display: block; overflow-x: auto; max-width: 100%; }\n"
       "#chat th, #chat td, #report th, #report td, #progress th, #progress td "
       "{ word-break: normal !important; overflow-wrap: normal !important; }\n"
       "#chat td:nth-child(3), #report td:nth-child(3) { min-width: 14em; }\n"
       # batch tables: column names whole ("student", not "studen / t")
       "#results-table th, #results-table th *, #review-table th, #review-table th * "
       "{ white-space: nowrap !important; word-break: keep-all !important; }")
# the batch results table's columns, in pixels (on a phone the table scrolls sideways)
RESULT_WIDTHS = {"id": 60, "student": 100, "score": 60, "band": 56, "verdict": 100, "needs_review": 130,
                 "status": 100, "missed": 150, "feedback": 330, "question": 230}
EMPTY_TABLE = tuple(c for c in SHOWN if c != "student")  # the results table's columns before any file
NO_COLUMN = "<none>"  # the column choosers' "(none)": an empty value would read as "not chosen"
FOCUS_ANSWER = "() => { document.querySelector('#answer-box textarea')?.focus(); }"
# on a phone the controls stack under the chat: after Start, bring the new question into view
SHOW_QUESTION = ("() => { if (window.innerWidth < 768) "
                 "document.querySelector('#chat')?.scrollIntoView({block: 'start', behavior: 'smooth'}); }")


# ---------------------------------------------------------------- layout


def page_class(gr):
    """`gr.Blocks` whose skipped outputs cost nothing.

    Gradio 6 takes `gr.skip()` for an empty property update and builds that component anew
    for the session (its constructor, a signature inspection, a new config) although nothing
    changes: an ordinary answer skips 13 outputs, and under load these rebuilds were a fifth
    of the server's busy time (benchmarks/RESULTS.md, "Load"). Here a skipped output goes back
    to the page as a skip, and Gradio processes only the outputs that carry something. Server
    state (`gr.State`) keeps Gradio's own handling.
    """
    import copy

    skip = gr.skip()

    class Page(gr.Blocks):
        async def postprocess_data(self, block_fn, predictions, state):
            outputs = block_fn.outputs
            if (block_fn.batch or block_fn.is_validator_function or not isinstance(predictions, (list, tuple))
                    or len(outputs) < 2 or len(predictions) != len(outputs)):
                return await super().postprocess_data(block_fn, predictions, state)
            kept = [i for i, (block, p) in enumerate(zip(outputs, predictions))
                    if block.stateful or not (isinstance(p, dict) and p == skip)]
            if len(kept) == len(outputs):
                return await super().postprocess_data(block_fn, predictions, state)
            out: list[Any] = [dict(skip) for _ in outputs]
            if kept:
                part = copy.copy(block_fn)
                part.outputs = [outputs[i] for i in kept]
                values = [predictions[i] for i in kept]
                done = await super().postprocess_data(part, values if len(kept) > 1 else values[0], state)
                for i, value in zip(kept, done):
                    out[i] = value
            return out

    return Page


def build_app(res: Resources):
    """The Gradio Blocks app (call `.queue(...).launch(...)` on it; see app.py)."""
    import gradio as gr
    import pandas as pd

    h = Handlers(res)
    bank = res.bank
    L = LABELS["en"]  # the page starts in English; a 中文 session relabels it (see `relabel`)

    def area_choices(lang_value):
        return [(label(lang_value, "all_areas"), ANY)] + [(bank.shown(a, lang_value), a) for a in bank.areas]

    def frames(view: View):
        mastery = pd.DataFrame(view.mastery or [], columns=["topic", "mastery"])
        scores = pd.DataFrame(view.scores or [], columns=["question", "score"])
        # categories in the session's order (a plot sorts them as text otherwise: 1, 10, 2)
        return (gr.BarPlot(mastery, sort=list(mastery["topic"])),
                gr.BarPlot(scores, sort=list(scores["question"])))

    def topic_choices(area_value, lang_value="en"):
        return [(label(lang_value, "all_topics"), ANY)] + [(bank.shown(t, lang_value), t) for t in h.topics_for(area_value)]

    def mode_choices(lang_value):
        return [(label(lang_value, f"mode_{m}"), m) for m in ("practice", "mock", "study")]

    def difficulty_choices(lang_value):
        return [(label(lang_value, f"diff_{d}"), ANY if d == "any" else d) for d in ("any", "1", "2", "3")]

    def practice_out(view: View, report_open: bool = False):
        """The practice tab's outputs. The report and its charts travel only while the Report
        panel is open (opening it refreshes them) and the progress panel when its tab is
        selected, so an answer's round trip carries what changed, not every figure."""
        mastery, scores = frames(view) if report_open else (gr.skip(), gr.skip())
        # the controls follow the session (after /lang, /topic, a wish, a reload), never the reverse
        if view.controls is None:
            controls = (gr.skip(),) * 4
        else:
            m, lg, ar, tp = view.controls
            controls = (m, lg, ar, gr.update(choices=topic_choices(ar, lg), value=tp))
        if view.steady:
            # an ordinary answer: controls, buttons and the server's clock stay as the page has
            # them. A property update makes gradio build a new component, a share of every
            # event's cost under load; and a control the candidate is setting for the next
            # session is not put back under their hands
            return (view.chat, view.state_json, view.result, view.report if report_open else gr.skip(), mastery,
                    scores, *(gr.skip(),) * 6, view.countdown, *(gr.skip(),) * 4)
        helpful = not view.mock_running  # no hint and no reference during a mock interview
        asking = view.controls is None or view.controls[0] != "study"  # Study asks nothing: no such buttons
        return (view.chat, view.state_json, view.result, view.report if report_open else gr.skip(), mastery, scores,
                gr.update(active=view.timed), gr.skip(), *controls,
                view.countdown, gr.update(interactive=helpful, visible=asking),
                gr.update(interactive=helpful, visible=asking), gr.update(visible=asking),
                # a mock counts every question: "next, no penalty" would be a skip there
                gr.update(visible=asking and helpful))

    age = res.settings.temp_max_age
    atexit.register(h.scratch.close)
    # uploads and the copies Gradio serves: swept every half age, and all removed at shutdown
    with page_class(gr)(title="Interviewer · deep-learning interview coach",
                        delete_cache=(max(1, age // 2), age)) as demo:
        saved = gr.BrowserState("", storage_key=STORAGE_KEY, secret=res.settings.state_secret)
        intro = gr.Markdown(L["intro"])
        with gr.Tabs():
            with gr.Tab(L["tab_practice"], id="practice") as tab_practice:
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(label=L["chat"], height=520, buttons=["copy", "copy_all"],
                                          elem_id="chat", sanitize_html=True, latex_delimiters=LATEX)
                        countdown = gr.HTML(elem_id="countdown")  # by the answer box, large; see COUNTDOWN
                        box = gr.Textbox(label=L["answer"], show_label=False, lines=3, elem_id="answer-box",
                                         placeholder=L["placeholder"])
                        # the grade right under the answer box: on a phone the settings column
                        # stacks below, which put the score a screen away from the answer
                        result = gr.Markdown(elem_id="result", latex_delimiters=LATEX)
                        with gr.Row():
                            voice = gr.Audio(sources=["microphone", "upload"], type="filepath", elem_id="voice",
                                             label=L["voice"],
                                             scale=3)
                            with gr.Column(scale=1, min_width=160):
                                autosend = gr.Checkbox(False, label=L["autosend"],
                                                       elem_id="voice-autosend")
                                voice_note = gr.Markdown(elem_id="voice-note")
                        spoken = gr.State(None)  # how the pending answer was spoken, until it is sent
                        with gr.Row():
                            send = gr.Button(L["send"], variant="primary", elem_id="send")
                            hint = gr.Button(L["hint"], elem_id="hint")
                            skip = gr.Button(L["skip"], elem_id="skip")
                            show = gr.Button(L["show"], elem_id="show-answer")
                            nxt = gr.Button(L["next"], elem_id="next")
                    with gr.Column(scale=2):
                        mode = gr.Radio(mode_choices("en"), value="practice", label=L["mode"])
                        lang = gr.Radio([("English", "en"), ("中文", "zh")], value="en", label=L["language"])
                        area = gr.Dropdown(area_choices("en"), value=ANY, label=L["area"])
                        topic = gr.Dropdown(topic_choices(ANY), value=ANY, label=L["topic"])
                        difficulty = gr.Dropdown(difficulty_choices("en"), value=ANY, label=L["difficulty"])
                        with gr.Row():
                            n_questions = gr.Number(5, precision=0, minimum=1, maximum=50, label=L["questions"])
                            seconds = gr.Number(0, precision=0, minimum=0, maximum=3600, label=L["seconds"])
                        hard = gr.Checkbox(False, label=L["hard"], elem_id="hard-limit")
                        start = gr.Button(L["start"], elem_id="start")
                report_open = gr.State(False)  # whether the Report panel is open (see practice_out)
                with gr.Accordion(L["report"], open=False) as report_box:
                    report = gr.Markdown(elem_id="report", latex_delimiters=LATEX)
                    with gr.Row():
                        # slanted names: a dozen topics stay readable side by side
                        mastery_plot = gr.BarPlot(x="topic", y="mastery", title=L["chart_mastery"], y_lim=[0, 100],
                                                  x_label_angle=-35)
                        scores_plot = gr.BarPlot(x="question", y="score", title=L["chart_scores"], y_lim=[0, 100])
            with gr.Tab(L["tab_batch"], id="batch") as tab_batch:
                batch_intro = gr.Markdown(L["batch_intro"])
                with gr.Row():
                    upload = gr.File(label=L["upload"], file_types=[".csv", ".tsv", ".jsonl", ".xlsx"],
                                     elem_id="upload")
                    with gr.Column():
                        with gr.Row():  # which column holds what: filled from the file's first row
                            col_question = gr.Dropdown([], label=L["col_question"], elem_id="col-question")
                            col_answer = gr.Dropdown([], label=L["col_answer"], elem_id="col-answer")
                            col_reference = gr.Dropdown([], label=L["col_reference"], elem_id="col-reference")
                        min_conf = gr.Slider(0.0, 1.0, value=MIN_MATCH_CONFIDENCE, step=0.05, label=L["min_confidence"],
                                             elem_id="min-confidence")
                        force = gr.Checkbox(False, label=L["force"])
                        grade_btn = gr.Button(L["grade"], variant="primary", elem_id="grade")
                        download = gr.File(label=L["download"], interactive=False, elem_id="download")
                batch_summary = gr.Markdown(elem_id="batch-summary")
                batch_stats = gr.State(None)  # the last run's counts: its summary and histogram follow the language
                with gr.Row():
                    histogram = gr.Image(label=L["histogram"], type="filepath", interactive=False)
                    review = gr.Dataframe(headers=[L[f"h_{c}"] for c in REVIEW_SHOWN], label=L["review"], interactive=False,
                                          wrap=True, column_widths=["12%", "44%", "44%"], elem_id="review-table")
                table = gr.Dataframe(headers=[L[f"h_{c}"] for c in EMPTY_TABLE], label=L["table"], interactive=False,
                                     wrap=True, elem_id="results-table")
            with gr.Tab(L["tab_study"], id="study") as tab_study:
                with gr.Row():
                    query = gr.Textbox(label=L["query"], elem_id="query", scale=4, placeholder=L["query_placeholder"])
                    study_lang = gr.Radio([(L["both"], ANY), ("English", "en"), ("中文", "zh")], value=ANY,
                                          label=L["language"], scale=2)
                hits = gr.Markdown(elem_id="hits", latex_delimiters=LATEX)
            with gr.Tab(L["tab_progress"], id="progress") as tab_progress:
                progress_md = gr.Markdown(elem_id="progress")
                with gr.Row():
                    export_btn = gr.Button(L["export"])
                    exported = gr.File(label=L["exported"], interactive=False)
                    imported = gr.File(label=L["import"], file_types=[".json"], elem_id="import")
                    reset_btn = gr.Button(L["reset"], variant="stop", elem_id="reset")
                with gr.Row(visible=False) as confirm_row:  # nothing is erased without a second click
                    confirm_text = gr.Markdown(L["confirm_text"])
                    confirm_btn = gr.Button(L["confirm"], variant="stop", elem_id="reset-confirm")
                    keep_btn = gr.Button(L["keep"], elem_id="reset-cancel")
                progress_note = gr.Markdown(elem_id="progress-note")
        timer = gr.Timer(1.0, active=False)

        practice_outputs = [chat, saved, result, report, mastery_plot, scores_plot, timer, progress_md,
                            mode, lang, area, topic, countdown, hint, show, skip, nxt]
        demo.load(lambda s: practice_out(h.load(s)), [saved], practice_outputs, api_name="load")
        start.click(lambda *a: practice_out(h.start(*a[:-1]), a[-1]),
                    [mode, lang, area, topic, difficulty, n_questions, seconds, saved, hard, report_open],
                    practice_outputs,
                    api_name="start").then(None, js=SHOW_QUESTION)

        def send_and_clear(text, history, state_json, said=None, open_=False):
            return (*practice_out(h.send(text, history, state_json, said), open_), "", None)

        send.click(send_and_clear, [box, chat, saved, spoken, report_open], [*practice_outputs, box, spoken],
                   api_name="send").then(None, js=FOCUS_ANSWER)
        box.submit(send_and_clear, [box, chat, saved, spoken, report_open], [*practice_outputs, box, spoken],
                   api_visibility="private")
        # before the first question the controls are the candidate's settings (Handlers.prefer).
        # .input, not .change: only the candidate's own choice, not every time a view sets the
        # controls, sends the saved state up to be read (the area's, below, after its topic reset)
        prefs = ([saved, lang, area, topic, difficulty, mode, n_questions, seconds, hard], [saved])

        def prefer(s, *c):
            return h.prefer(Choices(*c), s)

        for control in (lang, topic, difficulty, mode, n_questions, seconds, hard):
            control.input(prefer, *prefs, api_visibility="private")

        def from_voice(audio, history, state_json, auto, open_):
            text, said, note = h.transcribe(audio, state_json)
            if auto and text:
                return (*practice_out(h.send(text, history, state_json, said), open_), "", None, note)
            return (*[gr.skip()] * len(practice_outputs), text or gr.skip(), said, note)

        voice_io = ([voice, chat, saved, autosend, report_open], [*practice_outputs, box, spoken, voice_note])
        voice.stop_recording(from_voice, *voice_io, api_visibility="private")
        voice.upload(from_voice, *voice_io, api_name="voice")
        for button, command in ((hint, "/hint"), (skip, "/skip"), (show, "/answer"), (nxt, "/next")):
            button.click(lambda history, s, open_, c=command: practice_out(h.send(c, history, s), open_),
                         [chat, saved, report_open], practice_outputs, api_visibility="private")
        # .input: only the user's own choice resets the topic, not the session moving the control
        area.input(lambda a, lg: gr.Dropdown(choices=topic_choices(a, lg), value=ANY), [area, lang], [topic],
                   api_visibility="private").then(prefer, *prefs, api_visibility="private")

        def batch_table(df, lg: str, title: str, columns: tuple[str, ...]):
            """A batch table in the page's language: its names and enumerated cells relabelled
            (`room.relabelled`), or its empty header row (Gradio does not rename an empty table's
            columns from `headers`)."""
            if df is None or not len(df) or (df.astype(str) == "").all(axis=None):
                return gr.Dataframe(label=title, value=pd.DataFrame(columns=[label(lg, f"h_{c}") for c in columns]))
            headers, rows = relabelled(list(df.columns), df.astype(str).values.tolist(), lg)
            return gr.Dataframe(label=title, value=pd.DataFrame(rows, columns=headers))

        def relabel(lg, ar, history, md, review_df=None, table_df=None, stats=None):
            """The whole page in the session's language (runs when the language control changes,
            by hand or because the session moved it); a greeting alone in the chat follows too,
            and a graded batch's summary and histogram."""
            t = LABELS.get(lg, LABELS["en"])
            summary, image = gr.skip(), gr.Image(label=t["histogram"])
            if stats:
                summary, hist = h.batch_overview(stats, lg)
                image = gr.Image(label=t["histogram"], value=hist)
            greeting = regreet(history, lg)
            chat_update = gr.Chatbot(label=t["chat"]) if greeting is None else gr.Chatbot(label=t["chat"], value=greeting)
            return (t["intro"], gr.Tab(label=t["tab_practice"]), gr.Tab(label=t["tab_batch"]),
                    gr.Tab(label=t["tab_study"]), gr.Tab(label=t["tab_progress"]), chat_update,
                    gr.Textbox(label=t["answer"], placeholder=box_placeholder(md, lg)), gr.Audio(label=t["voice"]),
                    gr.Checkbox(label=t["autosend"]), *(gr.Button(t[k]) for k in ("send", "hint", "skip", "show",
                                                                                 "next", "start")),
                    gr.Radio(choices=mode_choices(lg), label=t["mode"]), gr.Radio(label=t["language"]),
                    gr.Dropdown(choices=area_choices(lg), label=t["area"]),
                    gr.Dropdown(choices=topic_choices(ar, lg), label=t["topic"]),
                    gr.Dropdown(choices=difficulty_choices(lg), label=t["difficulty"]),
                    gr.Number(label=t["questions"]), gr.Number(label=t["seconds"]), gr.Checkbox(label=t["hard"]),
                    gr.Accordion(label=t["report"]), gr.BarPlot(title=t["chart_mastery"], x_title=t["axis_topic"], y_title=t["axis_mastery"]),
                    gr.BarPlot(title=t["chart_scores"], x_title=t["axis_question"], y_title=t["axis_score"]), t["batch_intro"], gr.File(label=t["upload"]),
                    gr.Checkbox(label=t["force"]), gr.Button(t["grade"]), gr.File(label=t["download"]),
                    gr.Dropdown(label=t["col_question"]), gr.Dropdown(label=t["col_answer"]),
                    gr.Dropdown(label=t["col_reference"]), gr.Slider(label=t["min_confidence"]),
                    image, batch_table(review_df, lg, t["review"], REVIEW_SHOWN),
                    batch_table(table_df, lg, t["table"], EMPTY_TABLE),
                    gr.Textbox(label=t["query"], placeholder=t["query_placeholder"]),
                    gr.Radio(choices=[(t["both"], ANY), ("English", "en"), ("中文", "zh")], label=t["language"]),
                    gr.Button(t["export"]), gr.File(label=t["exported"]), gr.File(label=t["import"]),
                    gr.Button(t["reset"]), t["confirm_text"], gr.Button(t["confirm"]), gr.Button(t["keep"]), summary)

        def opened(state_json):
            view = h.report_view(state_json)
            mastery, scores = frames(view)
            return True, view.report, mastery, scores

        report_box.expand(opened, [saved], [report_open, report, mastery_plot, scores_plot],
                          api_visibility="private")
        report_box.collapse(lambda: False, [], [report_open], api_visibility="private")
        tab_progress.select(h.progress, [saved], [progress_md], api_visibility="private")

        mode.change(lambda md, lg: gr.Textbox(placeholder=box_placeholder(md, lg)), [mode, lang], [box],
                    api_visibility="private", show_progress="hidden")
        lang.change(relabel, [lang, area, chat, mode, review, table, batch_stats],
                    [intro, tab_practice, tab_batch, tab_study, tab_progress, chat, box, voice, autosend, send, hint,
                     skip, show, nxt, start, mode, lang, area, topic, difficulty, n_questions, seconds, hard,
                     report_box, mastery_plot, scores_plot, batch_intro, upload, force, grade_btn, download,
                     col_question, col_answer, col_reference, min_conf,
                     histogram, review, table, query, study_lang, export_btn, exported, imported, reset_btn,
                     confirm_text, confirm_btn, keep_btn, batch_summary], api_visibility="private",
                    show_progress="hidden")
        def tick(text, history, state_json, said, open_):
            view = h.tick(text, history, state_json, said)
            if view is None:  # time is not up: nothing changes (the page counts the seconds)
                return tuple([gr.skip()] * (len(practice_outputs) + 2))
            return (*practice_out(view, open_), "", None)  # a hard limit ran out: the box was sent as it is

        timer.tick(tick, [box, chat, saved, spoken, report_open], [*practice_outputs, box, spoken],
                   api_visibility="private", show_progress="hidden")

        def grade(file_path, force_, q_col=None, a_col=None, r_col=None, min_confidence=MIN_MATCH_CONFIDENCE,
                  lg="en", progress=gr.Progress(track_tqdm=True)):
            def tick(done, total):
                progress((done, total) if total else done, desc=label(lg, "grading"), unit=label(lg, "rows"))

            chosen = {"question": q_col, "answer": a_col, "reference": r_col}
            columns = {f: "" if c == NO_COLUMN else c for f, c in chosen.items() if c is not None} or None
            # a problem is said once, where the results would be, and stays there; an exception
            # would mark every output panel "Error" and leave the reason in a toast that fades
            try:
                out = h.grade_upload(file_path, force_, tick, columns, min_confidence, lg)
            except InterviewerError as e:
                return f"⚠️ {e}", None, None, None, None, None
            except Exception:  # one line for the user, the traceback for the server log
                log.exception("batch grading failed")
                return f"⚠️ {label(lg, 'batch_failed')}", None, None, None, None, None
            df = pd.DataFrame(out["table"], columns=out["headers"])
            rv = pd.DataFrame(out["review"], columns=out["review_headers"])
            # widths set, not measured from the text: the feedback and question columns would
            # take a line each as wide as their longest cell and push the rest off the page
            table_ = gr.Dataframe(value=df, column_widths=[f"{RESULT_WIDTHS[c]}px" for c in out["columns"]])
            return out["summary"], table_, out["histogram"], rv, out["file"], out["stats"]

        batch_outputs = [batch_summary, table, histogram, review, download, batch_stats]
        def new_file(file_path, lg):
            """A new file clears the last run's results (a failed run never shows stale ones)
            and fills the column choosers from its first row."""
            names, guess, note = h.columns(file_path, lg)
            choices = [(label(lg, "no_column"), NO_COLUMN)] + [(n, n) for n in names]
            pick = [gr.Dropdown(choices=choices, value=guess.get(f) or NO_COLUMN) if names
                    else gr.Dropdown(choices=[], value=None) for f in ("question", "answer", "reference")]
            return (note, None, None, None, None, None, *pick)

        upload.change(new_file, [upload, lang], [*batch_outputs, col_question, col_answer, col_reference],
                      api_visibility="private")
        # one batch at a time: a large file must not take the cores every candidate's chat needs
        grade_btn.click(grade, [upload, force, col_question, col_answer, col_reference, min_conf, lang], batch_outputs,
                        api_name="grade", concurrency_limit=1, concurrency_id="batch")
        query.submit(lambda q, sl, lg: h.search(q, sl, page_lang=lg), [query, study_lang, lang], [hits],
                     api_name="search")

        def do_export(state_json):
            try:
                return h.export(state_json)
            except Exception:
                log.exception("export failed")
                raise gr.Error("The export file could not be written; try again.", print_exception=False) from None

        export_btn.click(do_export, [saved], [exported], api_name="export")

        def do_import(file_path, state_json, lg="en"):
            new, note = h.import_(file_path, state_json, lg)
            # unchanged: do not send the state back (nothing to store, and it may be MBs)
            return gr.skip() if new == state_json else new, note, h.progress(new)

        imported.upload(do_import, [imported, saved, lang], [saved, progress_note, progress_md],
                        api_name="import_progress")
        reset_btn.click(lambda: gr.Row(visible=True), [], [confirm_row], api_visibility="private")
        keep_btn.click(lambda: (gr.Row(visible=False), "Nothing was erased."), [], [confirm_row, progress_note],
                       api_visibility="private")
        confirm_btn.click(lambda: (h.reset(), "Progress reset.", h.progress(h.reset()), gr.Row(visible=False)), [],
                          [saved, progress_note, progress_md, confirm_row], api_name="reset")
    return demo


DEFAULT_SECRET_WARNING = ("INTERVIEWER_STATE_SECRET is not set: progress kept in visitors' browsers is "
                          "encrypted with the public default secret. Set it to a long random value.")


def secret_warning(res: Resources, server_name: str) -> str | None:
    """The warning to log when a server reachable from other machines uses the default secret."""
    from .config import Settings

    loopback = server_name in ("127.0.0.1", "localhost", "::1")
    return None if loopback or res.settings.state_secret != Settings.state_secret else DEFAULT_SECRET_WARNING


def launch_kwargs(res: Resources) -> dict[str, Any]:
    """How app.py launches: bounded uploads, no run history, no telemetry, and no raw
    exception text on the page (gr.Error messages, which are ours, still show)."""
    import os

    warning = secret_warning(res, os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    if warning:
        log.warning(warning)
    return {"max_file_size": f"{res.settings.max_upload_mb}mb", "run_history": False, "js": PAGE_JS,
            "css": CSS, "show_error": False}


def queue(demo, res: Resources):
    # queue positions pushed once a second ("auto" pushes them to every waiting candidate each
    # time an answer starts: a message per waiting candidate per answer under load)
    return demo.queue(default_concurrency_limit=res.settings.concurrency, max_size=res.settings.queue_size,
                      status_update_rate=1.0)



