"""Batch grading: every format, matching and review flags, formula safety, atomic writes,
resume after a killed run, and every bad-input case."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from openpyxl import Workbook, load_workbook

from conftest import ROOT
from interviewer.batch import COLUMNS, Options, grade_rows
from interviewer.batchrun import grade_file, write_report
from interviewer.batchio import InputRow, read_rows
from interviewer.errors import InputError

ROWS = [
    {"id": "a1", "student": "ana", "question": "What does dropout do while training, and why does it help with overfitting?",
     "answer": "It randomly zeroes hidden units on each training case, so units cannot co-adapt, and the "
               "trained net acts like an ensemble of thinned networks, which reduces overfitting."},
    {"id": "a2", "student": "ben", "question": "BN 层有多少个参数？",
     "answer": "每个通道有可学习的 gamma 和 beta 两个参数，另外还保存滑动平均的均值和方差，所以一共 4C 个数，其中 2C 个可训练。"},
    {"id": "a3", "student": "chen", "question": "What is the capital of France?", "answer": "Paris."},
    {"id": "a4", "student": "dan", "question": "Why does Faster R-CNN use anchors?", "answer": ""},
    {"id": "a5", "student": "=cmd", "question": "What does dropout do while training, and why does it help with overfitting?",
     "answer": "@SUM(A1:A9) dropout drops units"},
]


def write_csv(path, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)


def write_input(path, rows):
    if path.suffix == ".csv":
        write_csv(path, rows)
    elif path.suffix == ".tsv":
        write_csv(path, rows, "\t")
    elif path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    else:
        wb = Workbook()
        ws = wb.active
        ws.append(list(rows[0]))
        for r in rows:
            ws.append(list(r.values()))
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a text cell that looks like a formula, as a student might type
        wb.save(path)


def read_output(path):
    if path.suffix == ".xlsx":
        ws = load_workbook(path, read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        return [dict(zip(rows[0], ["" if v is None else str(v) for v in r])) for r in rows[1:]]
    if path.suffix == ".jsonl":
        return [{k: str(v) for k, v in json.loads(l).items()} for l in path.read_text("utf-8").splitlines()]
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t" if path.suffix == ".tsv" else ","))


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".xlsx"])
def test_every_format_in_and_out(resources, tmp_path, suffix):
    src = tmp_path / f"answers{suffix}"
    write_input(src, ROWS)
    out = tmp_path / f"graded{suffix}"
    summary = grade_file(src, resources, out)
    got = read_output(out)
    assert list(got[0]) == list(COLUMNS)
    assert [r["id"] for r in got] == ["a1", "a2", "a3", "a4", "a5"]
    assert (summary.rows, summary.graded) == (5, 3)
    a1, a2, a3, a4, a5 = got
    assert a1["status"] == "graded" and a1["card_question"].startswith("What does dropout do during training")
    assert float(a1["match_confidence"]) >= 0.6 and int(a1["score"]) >= 60
    assert a2["card_question"] == "BN的参数数量" and int(a2["score"]) >= 34  # Chinese, rephrased: band >= 2
    assert a3["status"] == "not graded" and a3["needs_review"] == "yes"
    assert "low-confidence match" in a3["review_reasons"]
    assert a4["status"] == "not graded" and a4["feedback"] == "empty answer"
    assert a1["answer"] == ROWS[0]["answer"]  # unchanged
    if suffix in (".csv", ".tsv", ".xlsx"):
        assert a5["student"] == "'=cmd" and a5["answer"].startswith("'@SUM")  # neutralised
    else:
        assert a5["student"] == "=cmd"  # JSON is data, not a spreadsheet


def test_default_output_is_next_to_the_input_and_never_the_input(resources, tmp_path):
    src = tmp_path / "in.csv"
    write_input(src, ROWS[:1])
    summary = grade_file(src, resources)
    assert summary.output == tmp_path / "in.graded.csv" and summary.output.exists()
    with pytest.raises(InputError) as e:
        grade_file(src, resources, src)
    assert str(e.value) == f"{src}: the output would overwrite the input: choose another -o path"


def test_force_grades_weak_matches_and_reference_column_overrides(resources, tmp_path):
    rows = [dict(ROWS[2]), {**ROWS[2], "id": "r", "reference": "Paris is the capital of France.",
                            "keywords": "Paris"}]
    rows[0]["reference"] = ""
    rows[0]["keywords"] = ""
    src = tmp_path / "x.csv"
    write_input(src, rows)
    forced = read_output(grade_file(src, resources, tmp_path / "f.csv", Options(force=True)).output)
    assert forced[0]["status"] == "graded" and "low-confidence match" in forced[0]["review_reasons"]
    assert forced[1]["match_confidence"] == "" and forced[1]["covered"] == "Paris"


def test_keywords_column_extends_the_card(resources, tmp_path):
    rows = [{**ROWS[0], "keywords": "Bernoulli = 伯努利"}]
    src = tmp_path / "k.csv"
    write_input(src, rows)
    got = read_output(grade_file(src, resources, tmp_path / "k.out.csv").output)[0]
    assert "Bernoulli" in got["missed"].split("; ")


def test_duplicate_ids_and_mixed_column_counts_are_per_row_reasons(resources, tmp_path):
    src = tmp_path / "d.csv"
    src.write_text("id,question,answer\n1,What is dropout?,It drops units at random.\n"
                   "1,What is dropout?,Random units are zeroed.\n2,too,many,fields\n", "utf-8")
    got = read_output(grade_file(src, resources, tmp_path / "d.out.csv").output)
    assert "duplicate id (first on row 1)" in got[1]["review_reasons"]
    assert got[2]["status"] == "not graded" and got[2]["feedback"] == "row has 4 fields but the header has 3"


@pytest.mark.parametrize("content, message", [
    (None, "{p}: no such file: check the path"),
    (b"", "{p}: the file is empty: it needs a header row and one row per answer"),
    (b"question,response\nq,a\n", "{p}: no 'answer' column (found: question, response): rename it or pass --answer-col NAME"),
    (b"question,answer\n", "{p}: no answer rows below the header"),
    (b"question,answer\nq,caf\xe9\n", "{p}:2: not UTF-8 (byte 0xe9): save the file as UTF-8 (in Excel: CSV UTF-8)"),
])
def test_bad_files_are_one_line_errors(resources, tmp_path, content, message):
    p = tmp_path / "bad.csv"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(InputError) as e:
        grade_file(p, resources, tmp_path / "o.csv")
    assert str(e.value) == message.format(p=p)


def test_utf8_bom_and_renamed_columns(resources, tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeffFrage,Antwort\nWhat is dropout?,It zeroes random units while training.\n".encode())
    got = read_output(grade_file(p, resources, tmp_path / "o.csv",
                                 Options(columns={"question": "Frage", "answer": "Antwort"})).output)
    assert got[0]["status"] == "graded"


def test_huge_cell_is_cut_not_fatal(resources, tmp_path):
    p = tmp_path / "huge.csv"
    with open(p, "w", encoding="utf-8") as f:
        f.write("question,answer\nWhat is dropout?,")
        f.write("dropout zeroes units " * 40_000)  # 840,000 characters in one cell, under the reading limit
        f.write("\n")
    got = read_output(grade_file(p, resources, tmp_path / "o.jsonl").output)
    assert got[0]["status"] == "graded" and "very long answer (cut)" in got[0]["review_reasons"]


def test_grade_rows_is_one_function_over_a_batch(resources):
    rows = [InputRow(i + 1, r) for i, r in enumerate(ROWS)]
    out = grade_rows(rows, resources, Options())
    assert [o.id for o in out] == [r["id"] for r in ROWS]


def test_report_has_a_histogram(resources, tmp_path):
    src = tmp_path / "r.csv"
    write_input(src, ROWS)
    summary = grade_file(src, resources, tmp_path / "r.out.csv")
    image = write_report(summary, tmp_path / "report.md")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = (tmp_path / "report.md").read_text()
    # a3 (no card matches) and a4 (empty) are always in the queue; others by confidence
    assert "![score histogram](report.png)" in text and summary.review >= 2
    assert f"- review queue: {summary.review}" in text


def _big_file(path, n):
    qs = ["What does dropout do during training, and why does it reduce overfitting?",
          "BN的参数数量", "Why does Faster R-CNN use anchors?"]
    rows = [{"id": f"r{i}", "question": qs[i % 3], "answer": f"answer number {i}: dropout zeroes units, "
             f"batch norm keeps statistics, anchors are reference boxes {i}"} for i in range(n)]
    write_csv(path, rows)


def _cli(*args, cache):
    env = {**os.environ, "INTERVIEWER_CACHE_DIR": str(cache)}
    return subprocess.Popen([sys.executable, "-m", "interviewer", "grade", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_run_resumes_with_nothing_lost_or_repeated(tmp_path):
    src = tmp_path / "big.csv"
    _big_file(src, 600)
    cache = tmp_path / "cache"
    full = _cli(str(src), "-o", str(tmp_path / "full.csv"), "--chunk-size", "20", cache=cache)
    assert full.wait(timeout=600) == 0, full.stderr.read()

    out = tmp_path / "resumed.csv"
    journal = tmp_path / "resumed.csv.partial"
    p = _cli(str(src), "-o", str(out), "--chunk-size", "20", cache=cache)
    deadline = time.time() + 300
    while time.time() < deadline and (not journal.exists() or journal.read_text().count("\n") < 100):
        time.sleep(0.2)
    p.send_signal(signal.SIGKILL)
    p.wait()
    done = journal.read_text().count("\n")
    assert 100 <= done < 600 and not out.exists()  # nothing final is written until the end
    r = _cli(str(src), "-o", str(out), "--chunk-size", "20", "--resume", cache=cache)
    assert r.wait(timeout=600) == 0, r.stderr.read()
    assert out.read_text("utf-8") == (tmp_path / "full.csv").read_text("utf-8")
    assert not journal.exists()


def test_cli_grade_prints_summary_and_exit_codes(tmp_path):
    src = tmp_path / "a.csv"
    write_input(src, ROWS[:2])
    p = _cli(str(src), "--report", str(tmp_path / "rep.md"), cache=tmp_path / "c")
    stdout, stderr = p.communicate(timeout=600)
    assert p.returncode == 0, stderr
    assert stdout.startswith("2 rows: 2 graded, 0 not graded") and "report: " in stdout
    bad = _cli(str(tmp_path / "missing.csv"), cache=tmp_path / "c")
    _, err = bad.communicate(timeout=600)
    assert bad.returncode == 1 and err == f"error: {tmp_path / 'missing.csv'}: no such file: check the path\n"


def test_reader_rejects_unknown_types(tmp_path):
    p = tmp_path / "a.pkl"
    p.write_bytes(b"\x80\x04.")
    with pytest.raises(InputError) as e:
        list(read_rows(p))
    assert str(e.value) == f"{p}: unknown file type '.pkl': use .csv, .tsv, .jsonl or .xlsx"


def test_teacher_exemplars_pull_similar_answers_towards_their_grade(resources, tmp_path):
    """Five answers a teacher failed: a near copy of them scores lower than without exemplars."""
    q = ROWS[0]["question"]
    failed = ["Dropout randomly removes units during training so the network becomes an ensemble of thinned networks.",
              "Dropout randomly removes some units during training, so the net is an ensemble of thinned networks.",
              "During training dropout removes random units and the network becomes an ensemble of thinned nets.",
              "Dropout removes units at random in training; the network is then an ensemble of thinned networks.",
              "In training, dropout randomly drops units so that the network is an ensemble of thinned networks."]
    new = "Dropout randomly removes units in training so the network is an ensemble of thinned networks."
    rows = [{"id": f"t{i}", "question": q, "answer": a, "teacher_score": "0"} for i, a in enumerate(failed)]
    rows.append({"id": "s1", "question": q, "answer": new, "teacher_score": ""})
    write_csv(tmp_path / "taught.csv", rows)
    write_csv(tmp_path / "plain.csv", [{"id": "s1", "question": q, "answer": new}])
    grade_file(tmp_path / "taught.csv", resources, tmp_path / "taught.out.csv")
    grade_file(tmp_path / "plain.csv", resources, tmp_path / "plain.out.csv")
    taught = {r["id"]: int(r["score"]) for r in csv.DictReader(open(tmp_path / "taught.out.csv", encoding="utf-8"))}
    plain = {r["id"]: int(r["score"]) for r in csv.DictReader(open(tmp_path / "plain.out.csv", encoding="utf-8"))}
    assert taught["s1"] <= plain["s1"] - 30, (taught, plain)
    # the same exemplars given as a separate file grade the plain file the same way
    write_csv(tmp_path / "exemplars.csv", rows[:-1])
    grade_file(tmp_path / "plain.csv", resources, tmp_path / "via.out.csv",
               Options(exemplars_file=str(tmp_path / "exemplars.csv")))
    via = {r["id"]: int(r["score"]) for r in csv.DictReader(open(tmp_path / "via.out.csv", encoding="utf-8"))}
    assert via["s1"] == taught["s1"]


def test_a_capped_answer_is_not_sent_to_review_as_borderline(resources):
    """A swapped account is capped at 29, a point under the band edge by rule, not by measurement."""
    question = "Compare A3C with DQN in how they handle data, what hardware they need and what that implies."
    swapped = ("A3C stores transitions in a big replay memory and trains on a GPU, while DQN runs many "
               "actor-learner threads on a multi-core CPU without any replay.")
    [row] = grade_rows([InputRow(1, {"question": question, "answer": swapped})], resources, Options())
    assert row.score == 29
    assert [p.key for p in row.reasons] == ["contradiction"]
    assert [p.text("zh") for p in row.reasons] == ["矛盾（张冠李戴）"]  # found, not "possible": it capped the band


def test_a_review_reason_is_given_once(resources):
    """A score near a band edge is "borderline" once, and a contradiction is its own reason: the
    "not sure" reason lists only the doubts no other reason says (it listed both again)."""
    question = ("Why did Lample and Chaplot split the agent into action and navigation networks, and how is control "
                "switched between them?")
    answer = ("Which of the two is in control at each step is decided by a separate high-level meta-controller, "
              "itself trained with reinforcement learning to choose between them.")
    [row] = grade_rows([InputRow(1, {"question": question, "answer": answer})], resources, Options())
    keys = [p.key for p in row.reasons]
    assert "contradiction" in keys
    unsure = [p.text("en") for p in row.reasons if p.key == "unsure"]
    assert not any("contradiction cue" in t for t in unsure), unsure  # the cue's own reason says it
    if "borderline" in keys:
        assert not any("close to the edge" in t for t in unsure), unsure


def test_batch_feedback_follows_the_language_asked_for(resources):
    """On the 中文 page an English answer is told what to fix in Chinese; by default (the command
    line) each answer's feedback is in its own language."""
    row = InputRow(1, {"question": "What does dropout do during training, and why does it reduce overfitting?",
                       "answer": "It randomly drops units."})
    [own] = grade_rows([row], resources, Options())
    [zh] = grade_rows([row], resources, Options(lang="zh", feedback_lang="zh"))
    assert own.feedback and not any("\u4e00" <= ch <= "\u9fff" for ch in own.feedback)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh.feedback), zh.feedback
    assert zh.score == own.score


def test_batch_feedback_has_no_latex(resources):
    """A table cell or a CSV file renders no LaTeX: a missed term's sentence from the notes ("weighted
    by $h_i$") is written as plain characters."""
    row = InputRow(1, {"question": "What does XGBoost add to classic gradient boosting, both in the objective and in "
                                   "the system?",
                       "answer": "XGBoost adds a penalty on the number of leaves and an L2 term on leaf weights, fits "
                                 "each tree with a second-order Taylor expansion of the loss, and learns a default "
                                 "direction for missing values at every split."})
    [graded] = grade_rows([row], resources, Options())
    assert graded.feedback and "$" not in graded.feedback and "\\" not in graded.feedback, graded.feedback
