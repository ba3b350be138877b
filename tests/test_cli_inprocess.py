"""Every command in-process (`cli.main(argv)` with capsys) over the user's seed notes and the
fake embedder: argument handling, output and error messages in milliseconds. The real model
and the `python -m interviewer` process are tested in test_cli.py."""

from __future__ import annotations

import csv
import json

import pytest

from interviewer import cli, resources
from interviewer.config import Settings
from conftest import SEED, FakeEmbedder


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, remembering every text it was asked to embed."""

    def __init__(self):
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        return super().embed(texts)


@pytest.fixture
def embedder(monkeypatch):
    fake = CountingEmbedder()
    monkeypatch.setattr(resources, "embedder_from_settings", lambda settings: fake)
    return fake


@pytest.fixture
def run(tmp_path, capsys, embedder):
    def run(*argv):
        code = cli.main([argv[0], "--notes", str(SEED), "--cache-dir", str(tmp_path / "cache"), *argv[1:]])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_index_then_nothing_is_embedded_again(run, embedder, tmp_path):
    code, out, _ = run("index")
    assert code == 0 and "embedded" in out and "reference texts ready for grading" in out
    embedder.seen.clear()
    resources.load_resources(Settings(notes=(SEED,), cache_dir=tmp_path / "cache"))
    assert embedder.seen == ["warm-up"]  # the bank and every reference came from the cache
    code, out, _ = run("index")
    assert code == 0 and "index loaded from cache: nothing re-embedded" in out


def test_search_prints_a_table_and_json(run):
    code, out, _ = run("search", "batch normalization", "-k", "3")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["#", "score", "topic"]
    assert len(out.strip().splitlines()) == 2 + 3  # header, rule, three hits
    code, out, _ = run("search", "batch normalization", "-k", "2", "--format", "json")
    hits = json.loads(out)
    assert code == 0 and [h["rank"] for h in hits] == [1, 2]


def test_search_refuses_an_empty_query(run):
    code, out, err = run("search", "   ")
    assert code == 1 and out == ""
    assert err.startswith("error: the query is empty: type what you are looking for")


def test_score_against_a_given_reference(run):
    code, out, _ = run("score", "--question", "What does dropout do?",
                       "--answer", "It randomly zeroes units during training.",
                       "--reference", "Dropout randomly zeroes units during training so units cannot co-adapt.",
                       "--format", "json")
    result = json.loads(out)["result"]
    assert code == 0 and 0 <= result["score"] <= 100 and 0 <= result["confidence"] <= 1
    assert result["card_id"].startswith("custom")


@pytest.mark.parametrize("argv, message", [
    (("score", "--question", " ", "--answer", "x"), "error: the question is empty: pass --question \"...\""),
    (("score", "--question", "q", "--answer", "x", "--reference", " "),
     "error: the reference answer is empty: pass a non-empty --reference"),
])
def test_score_refuses_empty_inputs(run, argv, message):
    code, _, err = run(*argv)
    assert code == 1 and err.strip() == message


def test_grade_a_file(run, tmp_path):
    src = tmp_path / "answers.csv"
    with open(src, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "question", "answer", "reference"])
        w.writerow(["1", "What does dropout do?", "It zeroes random units in training.",
                    "Dropout zeroes random units during training."])
        w.writerow(["2", "What does dropout do?", "", "Dropout zeroes random units during training."])
    out_path = tmp_path / "graded.csv"
    code, out, _ = run("grade", str(src), "-o", str(out_path))
    assert code == 0 and out_path.exists()
    with open(out_path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[0]["status"] == "graded" and 0 < int(rows[0]["score"]) <= 100
    assert (rows[1]["status"], rows[1]["review_reasons"], rows[1]["score"]) == ("not graded", "empty answer", "")


def test_grade_writes_review_reasons_and_problems_in_chinese(run, tmp_path):
    src = tmp_path / "answers.csv"
    src.write_text("id,question,answer,reference\n1,What does dropout do?,,Dropout zeroes random units.\n", "utf-8")
    out_path = tmp_path / "graded.csv"
    code, _, _ = run("grade", str(src), "-o", str(out_path), "--lang", "zh")
    with open(out_path, encoding="utf-8", newline="") as f:
        row = next(csv.DictReader(f))
    assert code == 0 and (row["status"], row["review_reasons"], row["feedback"]) == ("not graded", "回答为空", "回答为空")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("question,answer\nq,caf\xe9\n".encode("latin-1"))
    code, _, err = run("grade", str(bad), "-o", str(tmp_path / "b.csv"), "--lang", "zh")
    assert code == 1 and err.strip() == f"error: {bad}:2：不是 UTF-8 编码（字节 0xe9）：请另存为 UTF-8（Excel 中选“CSV UTF-8”）"
