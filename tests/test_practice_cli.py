"""`interviewer practice` run as a user runs it: a subprocess fed by a pipe, real models."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from interviewer.session import load_state


@pytest.fixture(scope="module")
def cache(corpus_index, tmp_path_factory):
    """A copy of the test session's index cache: the subprocesses start without re-embedding."""
    target = tmp_path_factory.mktemp("practice-cache")
    shutil.copytree(corpus_index.stats.path.parent.parent, target, dirs_exist_ok=True)
    return target


def run(*args, cache, stdin=""):
    env = {**os.environ, "INTERVIEWER_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "interviewer", "practice", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, input=stdin, timeout=600)


def test_mock_interview_in_english(cache):
    answers = ("It normalises activations with batch statistics.\n"
               "I don't know\n"
               "Dropout randomly zeroes units during training, which prevents co-adaptation.\n")
    r = run("--mode", "mock", "--questions", "3", "--seed", "7", cache=cache, stdin=answers)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("Mock interview: 3 questions, no feedback until the end.")
    for n in (1, 2, 3):
        assert f"**Question {n} of 3** · " in out
    assert "Answer recorded (1 of 3)." in out and "Answer recorded (3 of 3)." in out
    assert "Skipped.\n" in out
    assert "**Score:" not in out  # no feedback during a mock interview
    assert "### Debrief" in out and "**Reference answer:** " in out
    report = out[out.index("The mock interview is over."):]
    assert "## Interview report" in report and "Mock interview · questions 3 · average " in report
    assert report.count("\n| ") == 4  # header + 3 questions
    assert "> I don't know" in out  # the scripted answers are echoed


def test_mock_interview_in_chinese(cache):
    answers = "BN 用小批量的均值和方差做归一化，再做缩放和平移。\n不会\n提示\n不知道\n"
    r = run("--mode", "mock", "--questions", "3", "--lang", "zh", "--seed", "3", cache=cache, stdin=answers)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("模拟面试：共 3 题，结束后统一反馈。")
    assert "**第 1/3 题** · " in out and "**第 3/3 题** · " in out
    assert "模拟面试中没有提示，也不显示参考答案" in out and "提示：想想 **" not in out
    report = out[out.index("模拟面试结束。"):]
    assert "## 面试报告" in report and "模拟面试 · 3 题 · 平均 " in report and "跳过 2 · 提示 0" in report
    assert "### 逐题复盘" in report and "**参考答案：** " in report


def test_practice_script_from_the_issue_saves_and_resumes(cache, tmp_path):
    saved = tmp_path / "session.json"
    r = run("--questions", "2", "--topic", "BatchNorm", "--seed", "1", "--save", str(saved), cache=cache,
            stdin="answer\n/skip\n")
    assert r.returncode == 0, r.stderr
    assert "**Question 1 of 2** · BatchNorm" in r.stdout and "**Score: " in r.stdout
    assert "## Interview report" in r.stdout  # printed at the end of the input
    state, message = load_state(saved.read_text("utf-8"))
    assert message == "" and state.filters.topic == "BatchNorm" and state.asked[0].answer == "answer"
    again = run("--questions", "1", "--topic", "BatchNorm", "--load", str(saved), "--save", str(saved),
                cache=cache, stdin="/skip\n")
    assert again.returncode == 0, again.stderr
    resumed, _ = load_state(saved.read_text("utf-8"))
    assert resumed.started == len(state.asked) and len(resumed.asked) == len(state.asked) + 1
    assert set(state.schedule) <= set(resumed.schedule)  # the history carries over


def test_corrupt_saved_session_starts_fresh_with_a_notice(cache, tmp_path):
    saved = tmp_path / "broken.json"
    saved.write_text('{"version": 1, "turn": "many"')
    r = run("--questions", "1", "--topic", "Adam", "--load", str(saved), cache=cache, stdin="/skip\n")
    assert r.returncode == 0
    assert r.stderr == "notice: The saved session is not valid JSON; starting a fresh session.\n"
    assert "Practice · questions 1 · " in r.stdout


def test_study_mode(cache):
    r = run("--mode", "study", cache=cache, stdin="what does 1x1 convolution do in inception\n")
    assert r.returncode == 0, r.stderr
    assert "From the notes:" in r.stdout and "GoogLeNet" in r.stdout


@pytest.mark.parametrize("args, code, message", [
    (["--questions", "0"], 1, "error: --questions must be at least 1, not 0\n"),
    (["--seconds", "-5"], 1, "error: --seconds must be at least 1, not -5\n"),
    (["--load", "missing.json"], 1,
     "error: missing.json: cannot read the saved session (No such file or directory): check the path, "
     "or drop --load\n"),
    (["--topic", "qwxyzzy"], 1,
     "error: no topic matches 'qwxyzzy': name one like BatchNorm or Adam (interviewer parse corpus/ "
     "lists them)\n"),
    (["--area", "Cooking", "--lang", "zh"], 1, None),
    (["--lang", "fr"], 2, "argument --lang: invalid choice: 'fr'"),
    (["--mode", "exam"], 2, "argument --mode: invalid choice: 'exam'"),
    (["--questions", "three"], 2, "argument --questions: invalid int value: 'three'"),
])
def test_bad_options(cache, args, code, message):
    r = run(*args, cache=cache)
    assert r.returncode == code and r.stdout == ""
    assert "Traceback" not in r.stderr
    if code == 1:
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: ")
        assert message is None or r.stderr == message
        assert message is not None or r.stderr.startswith("error: unknown area 'Cooking': choose one of ")
    else:
        assert r.stderr.startswith("usage: interviewer practice") and message in r.stderr


def test_help(cache):
    r = run("--help", cache=cache)
    assert r.returncode == 0 and r.stdout.startswith("usage: interviewer practice")
    assert "printf 'answer\\n/skip\\n' | interviewer practice --questions 2" in " ".join(r.stdout.split())


def test_state_file_is_json(cache, tmp_path):
    saved = tmp_path / "s.json"
    r = run("--mode", "mock", "--questions", "1", "--topic", "Dropout", "--save", str(saved), cache=cache,
            stdin="/skip\n")
    assert r.returncode == 0, r.stderr
    data = json.loads(saved.read_text("utf-8"))
    assert data["version"] == 1 and data["finished"] is True and data["mode"] == "mock"


def test_report_is_exported_as_markdown_json_and_chart(cache, tmp_path):
    report = tmp_path / "report.md"
    r = run("--mode", "mock", "--questions", "2", "--seed", "1", "--report", str(report), cache=cache,
            stdin="Dropout zeroes units.\n/skip\n")
    assert r.returncode == 0, r.stderr
    assert "![mastery per topic](report.png)" in report.read_text("utf-8")
    assert len(json.loads((tmp_path / "report.json").read_text("utf-8"))["questions"]) == 2
    assert (tmp_path / "report.png").read_bytes()[:4] == b"\x89PNG"
