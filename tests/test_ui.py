"""The web app's handlers, called directly (no server), with the real model and bank."""

import json

import pytest

from interviewer.errors import InterviewerError
from interviewer.session import State
from interviewer.ui import Handlers, escape_user_text, message_text, normalise_history


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
    assert v.chat[-2] == {"role": "user", "content": escape_user_text(card.answer)}
    assert "**Score:" in v.chat[-1]["content"]
    weak = h.send("I think it has something to do with the data.", v.chat, v.state_json)
    assert "**Missed:**" in weak.result or "Missed" in weak.chat[-1]["content"]
    assert json.loads(weak.state_json)["asked"][-1]["score"] < json.loads(v.state_json)["asked"][-1]["score"]


def test_commands_from_buttons(h):
    v = h.start("practice", "zh", "any", "Adam", "any", 5, 0, "")
    hinted = h.send("/hint", v.chat, v.state_json)
    assert hinted.chat[-1]["content"]
    skipped = h.send("/skip", hinted.chat, hinted.state_json)
    assert json.loads(skipped.state_json)["asked"][-1]["skipped"] is True


def test_mock_interview_ends_with_report_and_chart_data(h):
    v = h.start("mock", "en", "Optimization", "any", "any", 2, 0, "")
    for _ in range(2):
        card = reference_of(h, v.state_json)
        v = h.send(card.answer, v.chat, v.state_json)
    assert v.report and v.mastery and len(v.scores) == 2
    assert all(0 <= row["score"] <= 100 for row in v.scores)


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
    assert open(out["histogram"], "rb").read(4) == b"\x89PNG"
    with pytest.raises(InterviewerError) as e:
        h.grade_upload(None)
    assert str(e.value) == "upload a .csv, .tsv, .jsonl or .xlsx file of answers first"


def test_study_search(h):
    md = h.search("深度可分离卷积的计算量", "zh")
    assert md.startswith("#### MobileNet") or "MobileNet" in md.split("---")[0]
    assert h.search("   ").startswith("Type what you want to read about")


def test_history_normalisation_of_gradio6_parts():
    history = [{"role": "user", "content": [{"type": "text", "text": "hi"}]},
               {"role": "assistant", "content": "ok"}, {"role": "system", "content": "x"}]
    assert normalise_history(history) == [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]
    assert message_text(None) == ""
