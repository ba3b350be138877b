"""Faults of issue 18 in the progress kept in the browser, each reproduced first.

1 a failed import keeps the progress (handlers and Chromium); 2 an export of any valid size
imports back; 3 the history is trimmed so the state stays storable; 12 lone surrogates and
unexpected input give one line, never an exception; 13 an unknown command is shown as
text; 14 forged states are checked field by field and against the notes.
"""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from interviewer.interview import Interviewer
from interviewer.phrases import markdown_literal
from interviewer.session import (MAX_STATE_CHARS, STATE_BUDGET, Asked, Current, Mastery, State, fit, fit_to_bank,
                                 load_state, stored_size)
from interviewer.schedule import ema, sm2
from interviewer.text import sentences
from interviewer.room import MAX_IMPORT_BYTES, OOPS, Handlers, escape_user_text
from interviewer.ui import launch_kwargs

KEPT = "your progress is unchanged."
FRESH = "starting a fresh session."
ZH_ANSWER = ("批归一化用小批量的均值和方差归一化每层的输入，再用可学习的缩放和平移恢复表达能力，"
             "训练时用批统计量，推理时用滑动平均。") * 40
EN_ANSWER = 'Batch norm "normalises" each layer\'s inputs over the mini-batch \\ then scales and shifts.\n' * 30


@pytest.fixture(scope="module")
def h(resources):
    return Handlers(resources)


def one_answer(h):
    """A real session with one graded answer, as the page holds it."""
    v = h.start("practice", "en", "any", "Dropout", "any", 5, 0, "")
    return h.send("Dropout zeroes random units during training so they cannot co-adapt.", v.chat, v.state_json)


def big_state(bank, answer: str, limit: int, size=len) -> State:
    """A valid history of real cards with long answers, as large as fits in `limit` (of `size`)."""
    cards = [c for c in bank.cards if c.kind == "qa" and c.lang == "en"]
    answer = answer[:2000]

    def build(n: int) -> State:
        asked = tuple(Asked(cards[i % len(cards)].id, cards[i % len(cards)].topic, i + 1, answer, 40 + i % 50,
                            i % 6, ("mini-batch",), 30.0, at=1.7e9 + i) for i in range(n))
        schedule, mastery = {}, {}
        for a in asked:
            schedule[a.card] = sm2(schedule.get(a.card), a.band, a.turn)
            mastery[a.topic] = ema(mastery.get(a.topic), a.score)
        return State(turn=n, started=max(0, n - 3), asked=asked, schedule=schedule, mastery=mastery,
                     current=Current(cards[n % len(cards)].id, n + 1), created=1.7e9)

    lo, hi = 0, limit // len(answer) + 1  # the largest n that fits: the size grows with n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if size(build(mid).to_json()) <= limit else (lo, mid - 1)
    return build(lo)


def without(mapping, key) -> dict:
    return {k: v for k, v in mapping.items() if k != key}


def write(tmp_path, name, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


# ---------------------------------------------------------------- 1 a failed import keeps the progress


def test_failed_import_keeps_the_current_progress(h, tmp_path):
    v = one_answer(h)
    bad = {
        "other.json": (json.dumps({"hello": "world"}),
                       "that file is not a session (no version field)"),
        "binary.json": (b"\xff\xfe\x00", "that file is not UTF-8 text"),
        "cut.json": (v.state_json[:-9], "that file is not valid JSON"),
        "tampered.json": (json.dumps({"version": 1, "asked": "lots"}), "that file was damaged (asked is not valid)"),
        "old.json": (json.dumps({"version": 0}), "that file is from an older version (v0)"),
    }
    for name, (content, why) in bad.items():
        state_json, note = h.import_(write(tmp_path, name, content), v.state_json)
        assert (state_json, note) == (v.state_json, f"⚠️ Not imported: {why}; {KEPT}"), name
    assert h.import_(None, v.state_json) == (v.state_json, "No file was uploaded.")
    assert h.load(v.state_json).chat[0]["content"].startswith("Welcome back: 1 answers")


# ---------------------------------------------------------------- 2 an export of any valid size imports back


def test_export_import_round_trips_the_largest_state_the_app_keeps(h, corpus_bank):
    state = big_state(corpus_bank, ZH_ANSWER, STATE_BUDGET, stored_size)
    state_json = state.to_json()
    assert fit(state) is state and stored_size(state_json) > STATE_BUDGET - 7000  # within one entry of it
    path = h.export(state_json)
    assert Path(path).stat().st_size > 2_000_001  # what the import used to cut at
    assert h.import_(path, "") == (state_json, f"Progress imported: {len(state.asked)} answers.")


def test_export_at_the_load_limit_imports_and_is_fitted_to_the_browser(h, corpus_bank, tmp_path):
    state = big_state(corpus_bank, ZH_ANSWER, MAX_STATE_CHARS)
    text = state.to_json()
    assert MAX_STATE_CHARS - 3000 < len(text) <= MAX_STATE_CHARS and load_state(text) == (state, "")
    path = write(tmp_path, "big.json", text)
    assert Path(path).stat().st_size > 13_000_000  # Chinese: about 3 bytes a character
    state_json, note = h.import_(path, "")
    n = len(state.asked)
    assert note == (f"Progress imported: {n} answers. "
                    "The oldest history was shortened to fit in the browser's storage.")
    got = load_state(state_json)[0]
    assert stored_size(state_json) <= STATE_BUDGET and len(got.asked) == n
    assert got.schedule == state.schedule and got.mastery == state.mastery and got.current == state.current
    assert got.asked[0].answer == "" and got.asked[-1] == state.asked[-1]  # oldest texts went first


def test_import_reads_no_more_than_an_export_can_be(h, tmp_path):
    v = one_answer(h)
    path = write(tmp_path, "huge.json", b" " * (MAX_IMPORT_BYTES + 1))
    assert h.import_(path, v.state_json) == (
        v.state_json, f"⚠️ Not imported: that file is larger than a progress export can be (20 MB); {KEPT}")
    assert MAX_IMPORT_BYTES == 4 * MAX_STATE_CHARS  # no character takes more than 4 bytes in UTF-8


# ---------------------------------------------------------------- 3 the history is trimmed


def test_state_near_the_limit_stays_under_it_after_one_more_answer(h, corpus_bank):
    old = big_state(corpus_bank, EN_ANSWER, MAX_STATE_CHARS - 1000)
    assert len(old.to_json()) > MAX_STATE_CHARS - 3500 and len(old.asked) > 2000
    answer = ("Dropout zeroes random units during training so that they cannot co-adapt. " * 30)[:2000]
    v = h.send(answer, [], old.to_json())  # 2,000 more characters: over the limit, untrimmed
    new, problem = load_state(v.state_json)
    assert problem == "" and len(v.state_json) < MAX_STATE_CHARS and stored_size(v.state_json) <= STATE_BUDGET
    answered = new.asked[-1]
    assert answered.card == old.current.card and answered.answer == answer
    assert without(new.mastery, answered.topic) == without(old.mastery, answered.topic)
    assert new.mastery[answered.topic] == ema(old.mastery.get(answered.topic), answered.score)
    assert without(new.schedule, answered.card) == without(old.schedule, answered.card)
    assert new.schedule[answered.card] == sm2(old.schedule.get(answered.card), answered.band, answered.turn)
    assert h.load(v.state_json).chat[0]["content"].startswith(f"Welcome back: {len(new.asked)} answers")


def test_trimming_drops_old_answer_texts_before_old_entries(corpus_bank):
    state = big_state(corpus_bank, EN_ANSWER, 400_000)
    size = stored_size(state.to_json())
    texts_only = fit(state, size - 50_000)
    kept = [a.answer for a in texts_only.asked]
    assert len(texts_only.asked) == len(state.asked) and kept[0] == "" and kept[-1] == state.asked[-1].answer
    assert size - 50_000 - 3000 < stored_size(texts_only.to_json()) <= size - 50_000  # no more than needed
    no_texts = stored_size(replace(state, asked=tuple(replace(a, answer="") for a in state.asked[:-1])
                                   + state.asked[-1:]).to_json())
    entries = fit(state, no_texts - 5000)
    dropped = len(state.asked) - len(entries.asked)
    assert 0 < dropped < len(state.asked) and entries.started == state.started - dropped
    assert no_texts - 5000 - 400 < stored_size(entries.to_json()) <= no_texts - 5000  # one entry at most
    assert entries.asked[-1] == state.asked[-1] and entries.asked[0] == replace(state.asked[dropped], answer="")
    assert entries.schedule == state.schedule and entries.mastery == state.mastery


# ---------------------------------------------------------------- 12 surrogates and unexpected input


def test_lone_surrogates_in_search_and_answers(h):
    assert h.search("batch norm at inference\ud800") == h.search("batch norm at inference\ufffd")
    assert h.search("batch norm at inference\ud800").startswith("#### BatchNorm")
    v = h.start("practice", "en", "any", "Dropout", "any", 5, 0, "")
    v = h.send("Dropout zeroes random units\ud800 during training.", v.chat, v.state_json)
    v.state_json.encode("utf-8")  # what the page and the export file need
    assert json.loads(v.state_json)["asked"][-1]["answer"] == "Dropout zeroes random units\ufffd during training."
    assert v.chat[-2]["content"] == escape_user_text("Dropout zeroes random units\ufffd during training.")
    assert "**Score:" in v.chat[-1]["content"]
    assert Path(h.export(v.state_json)).read_text("utf-8") == v.state_json
    v = h.send("\ud800", v.chat, v.state_json)  # nothing but a surrogate: graded as an empty answer
    json.dumps(v.chat, ensure_ascii=False).encode("utf-8")
    history = [{"role": "user", "content": [{"type": "text", "text": "earlier\ud800"}]}]  # gradio 6 parts
    assert h.send("/help", history, v.state_json).chat[0] == {"role": "user", "content": "earlier\ufffd"}


def test_unexpected_input_gets_one_line_and_keeps_the_state(h, resources):
    v = one_answer(h)
    assert h.search("adam", "en", k="many") == OOPS
    got = h.start("practice", "en", "any", "any", "hard", 5, 0, v.state_json)
    assert got.chat == [{"role": "assistant", "content": OOPS}] and got.state_json == v.state_json
    got = h.send("/skip", "not a history", v.state_json)  # a history that is no list is ignored
    assert got.state_json != v.state_json and got.chat[0] == {"role": "user", "content": "/skip"}
    assert launch_kwargs(resources)["show_error"] is False  # whatever slips through shows no raw text


# ---------------------------------------------------------------- 13 an unknown command is text


def test_unknown_command_is_shown_literally(h):
    from markdown_it import MarkdownIt

    v = h.start("practice", "en", "any", "Dropout", "any", 5, 0, "")
    v = h.send("/x`<img src=x onerror=alert(1)>`", v.chat, v.state_json)
    said = v.chat[-1]["content"]
    assert said.split("\n\n")[0] == "Unknown command `/x'<img src=x onerror=alert(1)>'`."
    html = MarkdownIt("commonmark").render(said)
    assert "<img" not in html and "<code>/x'&lt;img src=x onerror=alert(1)&gt;'</code>" in html
    # a topic wish nothing matches is echoed in running text (no wish with HTML in it stays
    # reliably unmatched by the index, so the escaping is checked on its own)
    wish = markdown_literal("<img src=x onerror=alert(1)> *b* [l](javascript:x)")
    assert MarkdownIt("commonmark").render(f'I could not find a topic for "{wish}".') == (
        '<p>I could not find a topic for &quot;&lt;img src=x onerror=alert(1)&gt; *b* [l](javascript:x)&quot;.</p>\n')


# ---------------------------------------------------------------- 14 forged states


@pytest.mark.parametrize("forged, why", [
    ({"turn": "5"}, "turn is not valid"),
    ({"turn": True}, "turn is not valid"),
    ({"turn": -1}, "turn is not valid"),
    ({"seed": 2**70}, "seed is not valid"),
    ({"mastery": {"BatchNorm": {"score": -5, "n": 1}}}, "mastery[BatchNorm].score is not valid"),
    ({"mastery": {"BatchNorm": {"score": 1e308, "n": 1}}}, "mastery[BatchNorm].score is not valid"),
    ({"schedule": {"<img src=x onerror=alert(1)>": {"ease": "x"}}}, "schedule[?].ease is not valid"),
    ({"asked": [{"card": "c", "topic": "t", "turn": 1, "score": 1, "band": 1, "seconds": -3}]},
     "asked[0].seconds is not valid"),
    ({"asked": [{"card": "c", "topic": "t", "turn": 1, "score": 1, "band": 1, "missed": ["m"] * 51}]},
     "asked[0].missed is not valid"),
    ({"asked": [{"card": "c", "topic": "t" * 201, "turn": 1, "score": 1, "band": 1}]},
     "asked[0].topic is not valid"),
    ({"current": {"card": "c", "turn": 1, "hints": 10**9}}, "current.hints is not valid"),
])
def test_forged_fields_give_a_fresh_state_and_one_line(forged, why):
    assert load_state(json.dumps({"version": 1, **forged})) == (
        State(), f"The saved session was damaged ({why}); {FRESH}")


def test_unreadable_state_message_has_no_python_text():
    text = '{"version": 1, "turn": ' + "9" * 5000 + "}"  # more digits than Python reads
    assert load_state(text) == (State(), f"The saved session was damaged; {FRESH}")


def test_forged_state_keeps_only_what_the_notes_know(h, tmp_path):
    v = one_answer(h)
    d = json.loads(v.state_json)
    real = d["asked"][0]["card"]
    d["asked"][0]["topic"] = "<img src=x onerror=alert(1)>"
    d["asked"].append({"card": "forged-0001", "topic": "<script>alert(2)</script>", "turn": 9, "score": 100,
                       "band": 5, "answer": "surrogate \ud800"})
    d["schedule"]["forged-0001"] = {"ease": 2.5, "interval": 6, "reps": 1, "due": 15, "lapses": 0}
    d["mastery"]["<img src=x onerror=alert(3)>"] = {"score": 99.0, "n": 3}
    d["current"] = {"card": real, "turn": 10, "followup_of": real, "probe": "<img src=x onerror=alert(4)>",
                    "reason": "followup"}
    forged = json.dumps(d)
    loaded = h.load(forged)
    assert loaded.chat[0]["content"].startswith("Welcome back: 1 answers and 1 topics in your progress.")
    assert all("<img" not in m["content"] and "alert" not in m["content"] for m in loaded.chat)
    got = json.loads(loaded.state_json)
    assert [(a["card"], a["topic"]) for a in got["asked"]] == [(real, "Dropout")]
    assert set(got["schedule"]) == {real} and set(got["mastery"]) == {"Dropout"}
    assert (got["current"]["followup_of"], got["current"]["probe"], got["current"]["card"]) == (None, "", real)
    progress = h.progress(forged)
    assert "Dropout" in progress and "<img" not in progress and "<script" not in progress
    state_json, note = h.import_(write(tmp_path, "forged.json", forged), "")
    assert note == "Progress imported: 1 answers. 1 answers to questions these notes do not have were left out."
    assert json.loads(state_json)["asked"] == got["asked"]


def test_real_follow_ups_pass_the_notes_check(resources):
    """The check of a follow-up's probe against the notes keeps every probe the engine makes."""
    engine, bank = Interviewer.from_resources(resources), resources.bank
    follow_ups = 0
    for topic, lang in [(t.name, lang) for t in bank.topics[::3] for lang in ("en", "zh")]:
        state, _ = engine.start(topic=topic, lang=lang, seed=3, now=0.0)
        first = sentences(bank.card(state.current.card).answer)[0]
        state, _ = engine.respond(state, first, now=1.0)  # part of the answer: a term is missed
        if state.current and state.current.followup_of:
            follow_ups += 1
            assert fit_to_bank(state, bank) == state, (topic, lang, state.current)
            switched, _ = engine.respond(state, "/lang " + ("zh" if lang == "en" else "en"), now=2.0)
            assert fit_to_bank(switched, bank) == switched, (topic, lang, switched.current)
            if follow_ups == 6:
                break
    assert follow_ups == 6


def test_forged_mastery_and_schedule_values_in_range_are_kept(corpus_bank):
    """Validation is not loss: a state with every field at its limits loads as it is."""
    card = next(c for c in corpus_bank.cards if c.kind == "qa")
    state = State(turn=10**7, seed=2**63, limit=10**6, seconds=1e6, created=1e11,
                  asked=(Asked(card.id, card.topic, 10**7, "x" * 2000, 100, 5, ("m",) * 50, 1e9, 100, at=1e11),),
                  schedule={card.id: replace(sm2(None, 5, 1), ease=5.0, due=10**8)},
                  mastery={card.topic: Mastery(100.0, 10**7)})
    assert load_state(state.to_json()) == (state, "")
    assert fit_to_bank(state, corpus_bank) == state


# ---------------------------------------------------------------- in a real browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium not found: apt-get install chromium")


@pytest.fixture(scope="module")
def browser():
    pw_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with pw_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # its own storage
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(app_url)
    page.get_by_text("Welcome!").first.wait_for()
    yield page
    context.close()


def stored(page) -> str:
    return page.evaluate("localStorage.getItem('interviewer-progress')")


def welcome(page) -> str:
    page.locator("#chat").get_by_text("Welcome").first.wait_for()
    return page.locator("#chat").inner_text()


def import_file(page, path) -> str:
    page.get_by_role("tab", name="My progress").click()
    page.locator("#import input[type=file]").set_input_files(str(path))
    page.wait_for_function("() => /imported|⚠️/.test(document.querySelector('#progress-note').innerText)")
    page.wait_for_timeout(500)  # the page writes localStorage just after showing the outputs: let it
    return page.locator("#progress-note").inner_text()


@pytest.mark.browser
@needs_chromium
def test_failed_import_in_chromium_keeps_the_progress(page, tmp_path):
    page.locator("#start").click()
    page.get_by_text("Question 1").first.wait_for()
    page.locator("#answer-box textarea").fill("It normalises the activations over the mini-batch.")
    page.locator("#send").click()
    page.locator("#result").get_by_text("/100").wait_for()
    page.reload()
    assert "Welcome back: 1 answers" in welcome(page)
    before = stored(page)
    bad = tmp_path / "not-progress.json"
    bad.write_text(json.dumps({"hello": "world"}), "utf-8")
    note = import_file(page, bad)
    assert stored(page) == before
    page.reload()
    assert "Welcome back: 1 answers" in welcome(page)
    assert note == f"⚠️ Not imported: that file is not a session (no version field); {KEPT}"


@pytest.mark.browser
@needs_chromium
def test_largest_state_imports_and_survives_a_reload_in_chromium(page, tmp_path, corpus_bank):
    """A state at the budget fits the browser's storage: import it, reload, it is there."""
    state = big_state(corpus_bank, ZH_ANSWER, STATE_BUDGET, stored_size)
    path = tmp_path / "interviewer-progress.json"
    path.write_text(state.to_json(), "utf-8")
    note = import_file(page, path)
    assert note == f"Progress imported: {len(state.asked)} answers."
    assert len(stored(page)) > 3_900_000  # the encrypted copy: 4/3 of the state's bytes
    page.reload()
    assert f"Welcome back: {len(state.asked)} answers" in welcome(page)


@pytest.mark.browser
@needs_chromium
def test_unknown_command_is_text_in_chromium(page):
    page.locator("#start").click()
    page.get_by_text("Question 1").first.wait_for()
    page.locator("#answer-box textarea").fill("/x`<img src=x onerror=window.__pwned=1>`")
    page.locator("#send").click()
    chat = page.locator("#chat")
    chat.get_by_text("Unknown command").first.wait_for()
    assert chat.locator("img[src='x']").count() == 0 and page.evaluate("window.__pwned") is None
    assert "Unknown command /x'<img src=x onerror=window.__pwned=1>'." in chat.inner_text()
