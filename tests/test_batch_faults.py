"""Batch grading faults from issue 18, each reproduced: rows lost from an .xlsx whose declared
size is wrong, two runs on one output, a damaged journal, duplicated column names, automatic
ids that equal given ids, Excel's cell limit, JSONL lines that are not text, unwritable
output and report folders."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from conftest import ROOT
from interviewer.batch import Options
from interviewer.batchrun import grade_file
from interviewer.batchio import read_rows
from interviewer.cli import main
from interviewer.errors import InputError
from test_batch import read_output, write_csv

DROPOUT = "What does dropout do during training, and why does it reduce overfitting?"


def _answers(path, n):
    write_csv(path, [{"id": f"r{i}", "question": DROPOUT,
                      "answer": f"Dropout zeroes random units in training, so they cannot co-adapt ({i})."}
                     for i in range(n)])


# ---------------------------------------------------------------- 4. xlsx with a wrong <dimension>


@pytest.mark.parametrize("dimension", ["A1:C2", "A1:B2"])  # too few rows; too few rows and columns
def test_xlsx_with_a_wrong_dimension_reads_every_row(resources, tmp_path, dimension):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "question", "answer"])
    answers = [f"Dropout zeroes random units in training ({i})." for i in range(100)]
    for i, a in enumerate(answers):
        ws.append([f"s{i}", DROPOUT, a])
    wb.save(good)
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # as some exporters write it
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>'.encode(), data)
                assert n == 1
            zout.writestr(item, data)
    summary = grade_file(bad, resources, tmp_path / "out.csv")
    got = read_output(tmp_path / "out.csv")
    assert summary.rows == 100 and summary.graded == 100
    assert [r["id"] for r in got] == [f"s{i}" for i in range(100)]
    assert [r["answer"] for r in got] == answers


# ---------------------------------------------------------------- 5. two runs on one output


LOCKED = "{out}: another run is writing this output now: wait for it to finish, or choose another -o path"


def test_second_run_on_the_same_output_is_refused_while_the_first_writes(resources, tmp_path):
    src, out = tmp_path / "big.csv", tmp_path / "res.csv"
    _answers(src, 60)
    opts = Options(chunk_size=20)
    first_chunk_done, go_on = threading.Event(), threading.Event()

    def hold_after_first_chunk(done, total):
        first_chunk_done.set()
        go_on.wait(timeout=300)

    result = {}
    first = threading.Thread(target=lambda: result.update(
        summary=grade_file(src, resources, out, opts, progress=hold_after_first_chunk)))
    first.start()
    try:
        assert first_chunk_done.wait(timeout=300)
        with pytest.raises(InputError) as e:  # the same command with --resume, while the first writes
            grade_file(src, resources, out, opts, resume=True)
    finally:
        go_on.set()
        first.join(timeout=300)
    assert str(e.value) == LOCKED.format(out=out)
    assert result["summary"].rows == 60
    assert [r["id"] for r in read_output(out)] == [f"r{i}" for i in range(60)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "res.csv"]  # no lock or journal left


def test_the_cli_refuses_before_loading_models_and_a_killed_holder_does_not_block(resources, tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "res.csv"
    _answers(src, 3)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom interviewer.batchrun import output_lock\n"
         "with output_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n    time.sleep(600)\n", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        # an unknown embedder fails only when models load: the lock is refused before that
        assert main(["grade", str(src), "-o", str(out), "--resume", "--embedder", "bogus"]) == 1
        assert capsys.readouterr().err == f"error: {LOCKED.format(out=out)}\n"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert (tmp_path / "res.csv.lock").exists()  # left by the killed run: stale, must not block
    assert grade_file(src, resources, out).rows == 3
    assert not (tmp_path / "res.csv.lock").exists()


# ---------------------------------------------------------------- 6. a damaged journal line


@pytest.mark.parametrize("damage", ["garbage appended", "line overwritten", "line repeated"])
def test_a_damaged_journal_line_is_reported_skipped_and_its_row_graded_again(resources, tmp_path, damage):
    src, out, journal = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "out.csv.partial"
    _answers(src, 12)
    opts = Options(chunk_size=4)
    grade_file(src, resources, tmp_path / "full.csv", opts)

    def interrupt_after_two_chunks(done, total):
        if done == 8:
            raise KeyboardInterrupt  # what Ctrl-C raises

    with pytest.raises(KeyboardInterrupt):
        grade_file(src, resources, out, opts, progress=interrupt_after_two_chunks)
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 8 and not out.exists()
    if damage == "garbage appended":  # printf '\x00garbage\n' >> out.csv.partial
        journal.write_bytes(b"".join(lines) + b"\x00garbage\n")
        notice = f"{journal}: 1 damaged line skipped; rows from 9 on are graded again"
    elif damage == "line overwritten":  # bytes written over row 3's record
        lines[2] = b"\xff\xfe" + lines[2][2:]
        journal.write_bytes(b"".join(lines))
        notice = f"{journal}: 1 damaged line skipped; rows from 3 on are graded again"
    else:  # row 3's record where row 4's should be
        lines[3] = lines[2]
        journal.write_bytes(b"".join(lines))
        notice = f"{journal}: 1 damaged line skipped; rows from 4 on are graded again"
    summary = grade_file(src, resources, out, opts, resume=True)
    assert summary.notices == (notice,)
    assert summary.rows == 12
    assert out.read_text("utf-8") == (tmp_path / "full.csv").read_text("utf-8")
    assert not journal.exists()


def test_a_journal_damaged_during_the_run_is_a_one_line_error_and_resume_repairs_it(resources, tmp_path):
    src, out, journal = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "out.csv.partial"
    _answers(src, 8)
    opts = Options(chunk_size=4)
    grade_file(src, resources, tmp_path / "full.csv", opts)

    def write_garbage_after_the_first_chunk(done, total):
        if done == 4:
            with open(journal, "ab") as f:  # someone else writes into the journal
                f.write(b"\x00garbage\n")

    with pytest.raises(InputError) as e:
        grade_file(src, resources, out, opts, progress=write_garbage_after_the_first_chunk)
    assert str(e.value) == (f"{journal}: line 5 was damaged during the run: "
                            "run the same command with --resume to grade its rows again")
    assert not out.exists()
    summary = grade_file(src, resources, out, opts, resume=True)
    assert summary.notices == (f"{journal}: 1 damaged line skipped; rows from 5 on are graded again",)
    assert out.read_text("utf-8") == (tmp_path / "full.csv").read_text("utf-8")


# ---------------------------------------------------------------- 8. data quality


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx"])
def test_a_duplicated_column_name_is_an_input_error(tmp_path, suffix):
    p = tmp_path / f"dup{suffix}"
    header, row = ["id", "answer", "question", "Answer "], ["1", "first answer", "q", "second answer"]
    if suffix == ".xlsx":
        wb = Workbook()
        wb.active.append(header)
        wb.active.append(row)
        wb.save(p)
    else:
        sep = "\t" if suffix == ".tsv" else ","
        p.write_text(sep.join(header) + "\n" + sep.join(row) + "\n", "utf-8")
    with pytest.raises(InputError) as e:
        list(read_rows(p))
    assert str(e.value) == f"{p}: column 'answer' appears twice (columns 2 and 4): rename one"


def test_an_automatic_id_equal_to_a_given_id_is_flagged(resources, tmp_path):
    src = tmp_path / "ids.csv"
    ids = ["2", "", "4", "", "5", "", "6", "5", "10"]  # rows 1-9; a row without an id gets its number
    write_csv(src, [{"id": i, "question": DROPOUT, "answer": f"Dropout zeroes random units ({n})."}
                    for n, i in enumerate(ids, 1)])
    summary = grade_file(src, resources, tmp_path / "out.csv")
    got = read_output(tmp_path / "out.csv")
    assert [r["id"] for r in got] == ["2", "2", "4", "4", "5", "6", "6", "5", "10"]
    clash = "id {} is also the id of row {} (a row without an id gets its row number)"
    flagged = {n: r["review_reasons"] for n, r in enumerate(got, 1) if "is also the id of row" in r["review_reasons"]}
    assert flagged.keys() == {2, 4, 7}
    assert clash.format(2, 1) in flagged[2] and clash.format(4, 3) in flagged[4] and clash.format(6, 6) in flagged[7]
    assert "duplicate id (first on row 5)" in got[7]["review_reasons"]  # two given ids: the old reason only
    assert all(got[n - 1]["needs_review"] == "yes" for n in flagged)
    assert summary.review == sum(r["needs_review"] == "yes" for r in got)


def test_xlsx_output_keeps_answers_up_to_the_cell_limit_and_says_when_it_cuts(resources, tmp_path):
    fits = ("Dropout zeroes random units in training. " * 800)[:32_767]
    too_long = ("Dropout zeroes random units in training. " * 1000)[:40_000]
    src = tmp_path / "long.jsonl"
    src.write_text("".join(json.dumps({"id": i, "question": DROPOUT, "answer": a}) + "\n"
                           for i, a in (("fits", fits), ("long", too_long))), "utf-8")
    summary = grade_file(src, resources, tmp_path / "out.xlsx")
    ws = load_workbook(tmp_path / "out.xlsx", read_only=True).worksheets[0]
    header, *rows = [list(r) for r in ws.iter_rows(values_only=True)]
    got = [dict(zip(header, r)) for r in rows]
    assert got[0]["answer"] == fits
    assert "cut to" not in got[0]["review_reasons"]
    assert got[1]["answer"] == too_long[:32_767]
    assert got[1]["review_reasons"].endswith(
        "; answer cut to 32,767 characters in the .xlsx output; use .csv or .jsonl for the full text")
    assert got[1]["needs_review"] == "yes" and summary.review == 2


# ---------------------------------------------------------------- 9. JSONL lines that are not text


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_jsonl_lines_that_cannot_be_text_are_kept_not_graded(resources, tmp_path, suffix):
    good = {"question": DROPOUT, "answer": "Dropout zeroes random units in training, so they cannot co-adapt."}
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "ok1", **good}),
        '{"id": "s", "question": "q", "answer": "bad \\ud83d end"}',  # valid JSON, not text
        '{"id": "d", "question": "q", "answer": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"id": "n", "question": "q", "answer": 1' + "0" * 5000 + "}",
        json.dumps({"id": "ok2", **good}),
    ]) + "\n", "utf-8")
    out = tmp_path / f"out{suffix}"
    summary = grade_file(src, resources, out)
    got = read_output(out)
    assert (summary.rows, summary.graded) == (5, 2)
    assert [r["id"] for r in got] == ["ok1", "s", "3", "4", "ok2"]
    assert [r["status"] for r in got] == ["graded", "not graded", "not graded", "not graded", "graded"]
    assert got[1]["answer"] == "bad \ufffd end"
    assert [r["feedback"] for r in got[1:4]] == [
        "broken character escape \\ud83d (half of a pair): fix the line",
        "nested too deeply to read: give each field as plain text",
        "a number too long to read: put it in quotes"]


# ---------------------------------------------------------------- 10. unwritable output or report folder


def _unwritable_folder():
    """A folder where creating a file fails even for root (os.access still says yes there)."""
    folder = "/sys/kernel"
    try:
        os.close(os.open(os.path.join(folder, "probe"), os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError:
        return folder
    os.unlink(os.path.join(folder, "probe"))
    pytest.skip("no folder here refuses writes to root")


@pytest.mark.parametrize("case", ["output", "report", "output parent is a file", "report parent is a file",
                                  "report is the output"])
def test_an_unwritable_output_or_report_folder_fails_before_models_load(tmp_path, capsys, case):
    src = tmp_path / "in.csv"
    _answers(src, 2)
    (tmp_path / "file.txt").write_text("x")
    out, report = tmp_path / "out.csv", tmp_path / "report.md"
    if case == "output":
        out = f"{_unwritable_folder()}/out.csv"
        expected = "/sys/kernel: cannot write the output there (Permission denied): choose another -o path"
    elif case == "report":
        report = f"{_unwritable_folder()}/report.md"
        expected = "/sys/kernel: cannot write the report there (Permission denied): choose another --report path"
    elif case == "output parent is a file":
        out = tmp_path / "file.txt" / "out.csv"
        expected = f"{tmp_path / 'file.txt'}: no such folder for the output: create it first"
    elif case == "report parent is a file":
        report = tmp_path / "file.txt" / "report.md"
        expected = f"{tmp_path / 'file.txt'}: no such folder for the report: create it first"
    else:
        report = out
        expected = f"{out}: the report would overwrite the output: choose another --report path"
    # an unknown embedder fails only when models load: these checks must come first
    assert main(["grade", str(src), "-o", str(out), "--report", str(report), "--embedder", "bogus"]) == 1
    assert capsys.readouterr().err == f"error: {expected}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "in.csv"]  # nothing written
