"""Hostile .xlsx files built at test time: a valid workbook whose parts are swapped for
crafted XML, streamed into the zip so that building a bomb never holds it in memory."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable, Iterable

from openpyxl import Workbook

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"
STRINGS_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">')


def workbook(path: Path, parts: dict[str, Callable[[], Iterable[bytes]]]) -> Path:
    """An answers workbook (question, answer, one row) with `parts` replaced by the chunks
    their callables yield."""
    plain = path.with_suffix(".plain.xlsx")
    wb = Workbook()
    wb.active.append(["question", "answer"])
    wb.active.append(["What is dropout?", "Randomly zeroing units while training."])
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist() + [n for n in parts if n not in src.namelist()]
        for name in names:
            with dst.open(name, "w", force_zip64=True) as out:
                if name in parts:
                    for chunk in parts[name]():
                        out.write(chunk)
                else:
                    out.write(src.read(name))
    plain.unlink()
    return path


def repeated(head: bytes, unit: bytes, count: int, tail: bytes, block: int = 1 << 16):
    """head + unit * count + tail, yielded in blocks."""
    def chunks():
        yield head
        left = count
        while left:
            n = min(left, block)
            yield unit * n
            left -= n
        yield tail
    return chunks


def one_huge_string(size: int):
    """Shared strings whose first string is `size` bytes of one letter (compresses ~1000:1)."""
    return repeated(STRINGS_HEAD + b"<si><t>", b"a", size, b"</t></si><si><t>x</t></si></sst>")
