"""Files built to hurt the reader (issue 17): each is refused with the limit it broke, before
anything is expanded, and a normal workbook still reads."""

import random

import pytest

from interviewer import batchio
from interviewer.batchio import check_bounds, read_rows
from interviewer.errors import InputError
from workbooks import SHEET_HEAD, SHEET_TAIL, one_huge_string, workbook

SHEET = "xl/worksheets/sheet1.xml"


def refused(path) -> str:
    with pytest.raises(InputError) as e:
        list(read_rows(path))
    return str(e.value)


def test_a_plain_workbook_still_reads(tmp_path):
    path = workbook(tmp_path / "ok.xlsx", {})
    check_bounds(path)
    assert [r.fields for r in read_rows(path)] == [
        {"question": "What is dropout?", "answer": "Randomly zeroing units while training."}]


def test_a_cell_that_expands_past_the_part_limit(tmp_path):
    size = batchio.XLSX_PART_BYTES + (1 << 20)
    path = workbook(tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": one_huge_string(size)})
    assert path.stat().st_size < 200_000  # the bomb is small; what it expands to is not
    assert refused(path) == (f"{path}: one part of the workbook (xl/sharedStrings.xml) expands to 33 MB, "
                             "above the 32 MB this reader accepts: split the answers into smaller files or export CSV")


def test_a_part_compressed_like_a_zip_bomb(tmp_path):
    path = workbook(tmp_path / "ratio.xlsx", {"xl/sharedStrings.xml": one_huge_string(8 << 20)})
    message = refused(path)
    assert message.startswith(f"{path}: xl/sharedStrings.xml is compressed ")
    assert message.endswith(":1, which spreadsheets never are (a zip bomb?): export the answers as CSV")


def test_millions_of_empty_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(batchio, "XLSX_ROWS", 1000)  # the real limit works the same, 1000 times slower
    rows = b"".join(b'<row r="%d"/>' % i for i in range(1, 1500))
    path = workbook(tmp_path / "rows.xlsx", {SHEET: lambda: [SHEET_HEAD, rows, SHEET_TAIL]})
    assert refused(path) == (f"{path}: the sheet has more than 1,000 rows ({SHEET}): "
                             "save it again from Excel or export CSV")


def test_a_row_with_too_many_cells(tmp_path):
    cells = b'<row r="1">' + b"<c/>" * (batchio.XLSX_COLUMNS + 1) + b"</row>"
    path = workbook(tmp_path / "wide.xlsx", {SHEET: lambda: [SHEET_HEAD, cells, SHEET_TAIL]})
    assert "a row has more than 1,000 cells" in refused(path)


def test_deeply_nested_xml(tmp_path):
    deep = b"<x>" * 10_000 + b"</x>" * 10_000
    path = workbook(tmp_path / "deep.xlsx", {SHEET: lambda: [SHEET_HEAD, deep, SHEET_TAIL]})
    assert f"nested more than {batchio.XML_DEPTH} levels deep" in refused(path)


def test_an_inline_cell_longer_than_any_answer(tmp_path):
    rng = random.Random(0)  # random letters: compresses like text, so only the cell limit stops it
    text = "".join(rng.choice("abcdefghij klmnopqrstuvwxyz") for _ in range(batchio.CELL_CHARS + 10)).encode()
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    path = workbook(tmp_path / "cell.xlsx", {SHEET: lambda: [SHEET_HEAD, cell, SHEET_TAIL]})
    assert "a cell holds more than 1,000,000 characters, far more than any answer" in refused(path)


def test_a_document_type_declaration(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    path = workbook(tmp_path / "dtd.xlsx", {SHEET: lambda: [laughs]})
    assert "declares an XML document type, which Excel never writes" in refused(path)


def test_not_a_zip_at_all(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    assert refused(path) == f"{path}: not a readable .xlsx workbook: save it again from Excel or export CSV"


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl"])
def test_a_line_with_no_end(tmp_path, suffix):
    path = tmp_path / f"long{suffix}"
    with open(path, "wb") as f:
        f.write(b"question,answer\n" if suffix != ".jsonl" else b"")
        f.write(b"x" * (batchio.LINE_BYTES + 10))
    assert refused(path) == (f"{path}: a line is longer than 4 MB, far more than any answer: "
                             "check that the file is really a table of answers, one per line")


def test_a_long_but_bounded_csv_cell_is_read(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("question,answer\nq," + "word " * 200_000 + "\n", "utf-8")
    [row] = list(read_rows(path))
    assert len(row.fields["answer"]) == 1_000_000


def test_a_quoted_cell_over_many_lines_past_the_cell_limit(tmp_path):
    path = tmp_path / "multi.csv"
    line = "word " * 100_000 + "\n"  # 500 kB lines: none is too long, the cell is
    path.write_text('question,answer\nq,"' + line * 3 + '"\nq2,fine answer\n', "utf-8")
    rows = list(read_rows(path))
    assert rows[0].error.text() == "a cell holds more than 1,000,000 characters"
