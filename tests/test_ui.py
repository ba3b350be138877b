"""The web app's handlers, called directly (no server), with the real model and bank."""

import csv
import json
import re
from pathlib import Path

import pytest

from interviewer.errors import InterviewerError
from interviewer.feedback import VERDICTS, verdict
from interviewer.session import State
from interviewer.room import Handlers, escape_user_text, message_text, normalise_history


@pytest.fixture(scope="module")
def h(resources):
    return Handlers(resources)


def reference_of(h, state_json):
    state = State.from_dict(json.loads(state_json))
    return h.res.bank.card(state.current.card)


def test_load_with_nothing_saved_greets(h):
    v = h.load("")
    assert v.chat[0]["content"].startswith("Welcome!") and json.loads(v.state_json)["version"]


@pytest.mark.parametrize("saved, message", [
    ("{not json", "⚠️ The saved session is not valid JSON; starting a fresh session."),
    (json.dumps({"version": 0}), "⚠️ The saved session is from an older version (v0); starting a fresh session."),
])
def test_load_with_damaged_progress_says_why(h, saved, message):
    v = h.load(saved)
    assert v.chat[0]["content"] == message


def test_practice_exchange_scores_and_names_missed_terms(h):
    v = h.start("practice", "en", "any", "BatchNorm", "any", 5, 0, "")
    assert "BatchNorm" in v.chat[-1]["content"]
    card = reference_of(h, v.state_json)
    v = h.send(card.answer, v.chat, v.state_json)  # the reference itself: a complete answer
    assert v.result.startswith("### ") and "band" in v.result
    said = v.chat[-2]["content"]  # the answer as typed, the words that earned key terms in bold
    assert v.chat[-2]["role"] == "user" and said.replace("**", "") == escape_user_text(card.answer)
    covered = json.loads(v.state_json)["asked"][-1]["covered"]
    assert covered and said.count("**") == 2 * len(covered), said
    assert "**Score:" in v.chat[-1]["content"]
    weak = h.send("I think it has something to do with the data.", v.chat, v.state_json)
    assert "**Missed:** " in weak.result and weak.chat[-2]["content"] == escape_user_text(
        "I think it has something to do with the data.")
    assert json.loads(weak.state_json)["asked"][-1]["score"] < json.loads(v.state_json)["asked"][-1]["score"]


def test_commands_from_buttons(h):
    v = h.start("practice", "zh", "any", "Adam", "any", 5, 0, "")
    hinted = h.send("/hint", v.chat, v.state_json)
    assert hinted.chat[-1]["content"]
    skipped = h.send("/skip", hinted.chat, hinted.state_json)
    assert json.loads(skipped.state_json)["asked"][-1]["skipped"] is True


def test_mock_interview_shows_nothing_until_its_debrief(h):
    p = h.start("practice", "en", "any", "Adam", "any", 5, 0, "")
    old = h.send(reference_of(h, p.state_json).answer, p.chat, p.state_json)  # some history to hide
    v = h.start("mock", "en", "Optimization", "any", "any", 2, 0, old.state_json)
    assert v.mock_running and (v.result, v.report, v.mastery, v.scores) == ("", "", None, None)
    card = reference_of(h, v.state_json)
    v = h.send(card.answer, v.chat, v.state_json)
    assert v.mock_running and (v.result, v.report, v.mastery, v.scores) == ("", "", None, None)
    assert v.chat[-2]["content"] == escape_user_text(card.answer)  # no marks mid-interview
    assert v.progress == "Your progress is hidden until the mock interview ends."
    v = h.send("/hint", v.chat, v.state_json)
    assert v.chat[-1]["content"].startswith("No hints or reference answers during a mock interview")
    v = h.send(reference_of(h, v.state_json).answer, v.chat, v.state_json)
    assert not v.mock_running and v.mastery and len(v.scores) == 2
    assert "### Debrief" in v.report and "### Debrief" in v.chat[-1]["content"]
    assert all(0 <= row["score"] <= 100 for row in v.scores)


def test_a_hard_time_limit_sends_what_was_written(h):
    v = h.start("mock", "zh", "any", "Adam", "any", 2, 30, "", hard=True)
    assert v.timed and v.countdown.startswith('<div class="clock" role="timer" data-q="')
    assert "剩余 <strong>29 秒</strong>" in v.countdown or "剩余 <strong>30 秒</strong>" in v.countdown
    assert 'data-run="剩余 &lt;strong&gt;{n} 秒&lt;/strong&gt;"' in v.countdown
    assert h.tick("Adam 用梯度的一阶矩", v.chat, v.state_json) is None  # time is not up: nothing changes
    state = json.loads(v.state_json)
    state["current"]["asked_at"] -= 31  # the question was put 31 s ago
    sent = h.tick("Adam 用梯度的一阶矩", v.chat, json.dumps(state))
    asked = json.loads(sent.state_json)["asked"][-1]
    assert asked["cut"] and asked["answer"] == "Adam 用梯度的一阶矩" and not asked["late"]
    assert sent.chat[-1]["content"].startswith("时间到：按已写的内容评分（第 1/2 题）。")
    state = json.loads(sent.state_json)
    state["current"]["asked_at"] -= 31
    sent = h.tick("", sent.chat, json.dumps(state))  # nothing written: skipped
    asked = json.loads(sent.state_json)["asked"][-1]
    assert asked["skipped"] and asked["cut"] and not sent.timed and sent.countdown == ""
    assert "### 逐题复盘" in sent.report


def test_a_spoken_answer_keeps_its_delivery_for_the_report(h):
    v = h.start("mock", "en", "any", "Dropout", "any", 1, 0, "")
    said = {"lang": "en", "lines": ["x"], "pace": 151.26, "fillers": 3, "pauses": 0}
    v = h.send(reference_of(h, v.state_json).answer, v.chat, v.state_json, said)
    asked = json.loads(v.state_json)["asked"][-1]
    assert (asked["pace"], asked["fillers"], asked["pauses"]) == (151.3, 3, 0)
    assert "**Delivery:** 151 words a minute, 3 filler word(s), 0 long pause(s)." in v.report
    forged = {"lang": "en", "lines": [], "pace": "fast", "fillers": 1e9, "pauses": True}
    v = h.start("mock", "en", "any", "Dropout", "any", 1, 0, v.state_json)
    v = h.send(reference_of(h, v.state_json).answer, v.chat, v.state_json, forged)
    assert json.loads(v.state_json)["asked"][-1]["pace"] is None


def test_hostile_text_is_escaped(h):
    text = "<script>alert(1)</script><img src=x onerror=alert(2)> [click](javascript:alert(3))"
    v = h.start("practice", "en", "any", "Dropout", "any", 5, 0, "")
    v = h.send(text, v.chat, v.state_json)
    shown = v.chat[-2]["content"]
    assert "<script>" not in shown and "<img" not in shown and "](javascript" not in shown
    assert "&lt;script&gt;" in shown


def test_export_import_and_reset(h, tmp_path):
    v = h.start("practice", "en", "any", "Dropout", "any", 5, 0, "")
    v = h.send("Dropout zeroes random units during training.", v.chat, v.state_json)
    path = h.export(v.state_json)
    state_json, note = h.import_(path)
    assert note == "Progress imported: 1 answers." and json.loads(state_json)["asked"]
    # a bad file is refused and the progress the user had stays as it was
    tampered = tmp_path / "p.json"
    tampered.write_text(json.dumps({"version": 1, "asked": "lots"}))
    assert h.import_(str(tampered), state_json) == (state_json, "⚠️ Not imported: that file was damaged "
                                                    "(asked is not valid); your progress is unchanged.")
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00")
    assert h.import_(str(binary), state_json)[1] == ("⚠️ Not imported: that file is not UTF-8 text; "
                                                     "your progress is unchanged.")
    assert json.loads(h.reset())["asked"] == []


def test_batch_upload(h, tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("question,answer\nBN的参数数量,每个通道有 gamma 和 beta 两个可学习参数，还有滑动均值和方差，共 4C 个。\n"
                   "What is the capital of France?,Paris.\n", "utf-8")
    ticks = []
    out = h.grade_upload(str(src), progress=lambda d, t: ticks.append((d, t)))
    assert out["summary"].startswith("**2 rows**: 1 graded, 1 not graded")
    assert len(out["table"]) == 2 and len(out["review"]) >= 1 and ticks
    with open(out["file"], newline="", encoding="utf-8") as f:  # the page shows the rows written (plain text here)
        written = list(csv.DictReader(f))
    # verdict and feedback in the page's words, the Chinese answer's included, every cell as written
    page_verdict = [verdict(int(r["band"]), "en") if r["band"] else "" for r in written]
    assert out["table"] == [[v if c == "verdict" else r[c] for c in out["headers"]] for r, v in zip(written, page_verdict)]
    assert written[0]["verdict"] in VERDICTS["en"] and written[0]["verdict"] == page_verdict[0]
    assert written[0]["feedback"] and not any("\u4e00" <= ch <= "\u9fff" for ch in written[0]["feedback"])
    zh = h.grade_upload(str(src), lang="zh")  # a 中文 page says it in Chinese
    assert zh["summary"].startswith("**共 2 行**：已评分 1，未评分 1，待复核 ")
    assert zh["headers"] == ["id", "得分", "档位", "评价", "需复核", "状态", "遗漏", "反馈", "题目"]
    assert [row[4:6] for row in zh["table"]] == [["否", "已评分"], ["是", "未评分"]]
    assert open(out["histogram"], "rb").read(4) == b"\x89PNG"
    # switching the page to 中文 after an English run redraws the summary and the histogram
    text, hist = h.batch_overview(out["stats"], "zh")
    assert text == zh["summary"] and hist != out["histogram"] and open(hist, "rb").read(4) == b"\x89PNG"
    with pytest.raises(InterviewerError) as e:
        h.grade_upload(None)
    assert str(e.value) == "upload a .csv, .tsv, .jsonl or .xlsx file of answers first"


def test_study_search(h):
    md = h.search("深度可分离卷积的计算量", "zh")
    # the efficient-computation card asks exactly this comparison; MobileNet's own card is beside it
    assert any("MobileNet" in block for block in md.split("---")[:2])
    assert h.search("   ").startswith("Type what you want to read about")


def test_history_normalisation_of_gradio6_parts():
    history = [{"role": "user", "content": [{"type": "text", "text": "hi"}]},
               {"role": "assistant", "content": "ok"}, {"role": "system", "content": "x"}]
    assert normalise_history(history) == [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]
    assert message_text(None) == ""


def test_batch_upload_limits_speak_of_the_file_not_the_server(h, tmp_path):
    import dataclasses

    from interviewer.room import Handlers

    src = tmp_path / "many.csv"
    src.write_text("question,answer\n" + "What is dropout?,It zeroes random units.\n" * 4, "utf-8")
    small = Handlers(dataclasses.replace(h.res, settings=h.res.settings.with_(max_batch_rows=3)))
    with pytest.raises(InterviewerError) as e:
        small.grade_upload(str(src))
    assert str(e.value) == "many.csv: more than 3 answers; up to 3 are graded at a time here: split the file into smaller ones"
    long_line = tmp_path / "long.csv"
    long_line.write_bytes(b"question,answer\n" + b"x" * (5 << 20))
    with pytest.raises(InterviewerError) as e:
        h.grade_upload(str(long_line))
    assert str(e.value).startswith("long.csv: a line is longer than 4 MB") and str(tmp_path) not in str(e.value)


def test_scratch_files_are_swept_by_age(h, tmp_path):
    import time

    state_json = h.reset()
    path = Path(h.export(state_json))
    assert path.exists() and path.parent.parent == h.scratch.root
    assert h.scratch.sweep(now=time.time() + h.res.settings.temp_max_age + 1) >= 1
    assert not path.exists()


def test_secret_warning_only_off_loopback_with_the_default(h):
    import dataclasses

    from interviewer.ui import DEFAULT_SECRET_WARNING, secret_warning

    assert secret_warning(h.res, "127.0.0.1") is None
    assert secret_warning(h.res, "0.0.0.0") == DEFAULT_SECRET_WARNING
    custom = dataclasses.replace(h.res, settings=h.res.settings.with_(state_secret="s3cret-from-env"))
    assert secret_warning(custom, "0.0.0.0") is None


def test_fifty_uploads_and_exports_leave_the_scratch_empty_after_the_sweep(h, tmp_path):
    import time

    src = tmp_path / "a.csv"
    src.write_text("question,answer\nWhat is dropout?,It zeroes random units while training.\n", "utf-8")
    start = h.scratch.size()
    state_json = h.reset()
    for _ in range(50):
        h.grade_upload(str(src))
        h.export(state_json)
    assert h.scratch.size() > start
    h.scratch.sweep(now=time.time() + h.res.settings.temp_max_age + 1)
    assert h.scratch.size() == 0 and list(h.scratch.root.iterdir()) == []


def test_the_page_has_every_label_in_both_languages():
    from interviewer.labels import LABELS

    assert LABELS["en"].keys() == LABELS["zh"].keys()
    for key, en in LABELS["en"].items():  # the same fields to fill in both languages
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", LABELS["zh"][key])), key


def test_panels_follow_the_session_language(h):
    v = h.load(State(lang="zh").to_json())
    assert v.chat[-1]["content"].startswith("欢迎！") and v.progress == "还没有回答：你的进度会显示在这里。"
    v = h.start("practice", "zh", "any", "Adam", "any", 5, 0, v.state_json)
    v = h.send(reference_of(h, v.state_json).answer, v.chat, v.state_json)
    assert re.match(r"### \d+/100 · 等级 \d/5 · ", v.result) and "`语义 " in v.result
    assert v.progress.startswith("**1 个回答** · 已练习 ") and "| 话题 | 掌握度 | 回答数 |" in v.progress


def test_batch_columns_are_chosen_on_the_page(h, tmp_path):
    src = tmp_path / "answers.csv"
    src.write_text("prompt,response,model answer\n"
                   "What does dropout do during training?,It zeroes random hidden units so they cannot co-adapt.,"
                   "Dropout randomly zeroes hidden units during training so units cannot co-adapt.\n", "utf-8")
    names, guess, note = h.columns(str(src))
    assert names == ["prompt", "response", "model answer"] and note == ""
    assert guess == {"question": "", "answer": "", "reference": ""}  # nothing named as we name it
    with pytest.raises(InterviewerError, match=r"^answers.csv: choose the column that holds the answers "
                                               r"\(found: prompt, response, model answer\)$"):
        h.grade_upload(str(src), columns={"question": "prompt", "answer": "", "reference": ""})
    out = h.grade_upload(str(src), columns={"question": "prompt", "answer": "response", "reference": "model answer"})
    row = dict(zip(out["headers"], out["table"][0]))
    assert out["headers"][:6] == ["id", "score", "band", "verdict", "needs_review", "status"]  # no empty student column
    assert row["status"] == "graded" and int(row["score"]) >= 60
    assert out["headers"][-2:] == ["feedback", "question"] and row["feedback"]  # why it scored so, on the page
    from interviewer.ui import RESULT_WIDTHS

    assert set(out["columns"]) <= set(RESULT_WIDTHS)  # every column has its width on the page
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    names, guess, note = h.columns(str(bad))
    assert names == [] and note.startswith("⚠️ broken.xlsx: ") and str(tmp_path) not in note


def test_the_confidence_needed_is_chosen_on_the_page(h, tmp_path):
    src = tmp_path / "answers.csv"
    src.write_text("question,answer\nExplain batch normalization.,It normalises activations over the batch.\n", "utf-8")
    strict = dict(zip(*(lambda o: (o["headers"], o["table"][0]))(h.grade_upload(str(src), min_confidence=1.0))))
    lenient = dict(zip(*(lambda o: (o["headers"], o["table"][0]))(h.grade_upload(str(src), min_confidence=0.0))))
    assert strict["needs_review"] == "yes" and lenient["status"] == "graded"


@pytest.mark.parametrize("headers, row, lang, expected_headers, expected_row", [
    (["id", "score", "verdict", "needs_review", "status", "feedback"], ["a", "71", "good", "no", "graded", "Add x"], "zh",
     ["id", "得分", "评价", "需复核", "状态", "反馈"], ["a", "71", "良好", "否", "已评分", "Add x"]),
    (["id", "题目", "原因"], ["b", "什么是 BN？", "empty answer"], "en", ["id", "question", "why"],
     ["b", "什么是 BN？", "empty answer"]),  # review reasons stay as written
    (["id", "extra"], ["c", "graded"], "zh", ["id", "extra"], ["c", "graded"]),  # a column it does not know
])
def test_a_batch_table_is_relabelled_in_the_pages_language(headers, row, lang, expected_headers, expected_row):
    from interviewer.room import relabelled

    assert relabelled(headers, [row], lang) == (expected_headers, [expected_row])
