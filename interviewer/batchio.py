"""Answer files in and graded files out: CSV, TSV, JSONL and Excel (.xlsx), streamed.

Reading yields `InputRow`s one at a time so a million-row file never sits in memory.
Files are parsed as data only: no pickle, no formulas evaluated, no paths followed.
Writing neutralises cells a spreadsheet would execute (``=``, ``+``, ``-``, ``@`` first).

    >>> print(neutralise('=HYPERLINK("http://x")'))
    '=HYPERLINK("http://x")
    >>> neutralise("-0.5"), neutralise("plain")
    ('-0.5', 'plain')
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from xml.parsers import expat
from typing import Iterable, Iterator, NamedTuple, Sequence

from .problems import Problem, file_error

FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_SURROGATE = re.compile("[\ud800-\udfff]")  # half of a pair: JSON can escape it, UTF-8 cannot hold it
XLSX_CELL_LIMIT = 32_767  # characters Excel keeps in one cell

# Bounds on what reading one file may cost, checked before anything is expanded: a 1 MB
# workbook can hold a 1 GB cell (its parts compress 1000:1), and a CSV line has no end.
CELL_CHARS = 1_000_000  # the grader reads 5,000 characters of an answer; this is far above any
LINE_BYTES = 4 << 20  # one line of a CSV, TSV or JSONL file
XLSX_PART_BYTES = 32 << 20  # one part of a workbook (a sheet, the shared strings), expanded
XLSX_TOTAL_BYTES = 128 << 20  # all parts, expanded
XLSX_RATIO = 200  # expanded / compressed: XML reaches 10-30, a zip bomb 1000
XLSX_ROWS = 1_000_000
XLSX_COLUMNS = 1_000
XML_DEPTH = 16  # a sheet is 6 levels deep (worksheet, sheetData, row, c, is, t)


class InputRow(NamedTuple):
    number: int  # 1-based data row number (header excluded)
    fields: dict[str, str]
    error: Problem | None = None  # why the row cannot be used as it is (None when fine)
    duplicate_of: int = 0  # the number of an earlier row with the same id (0: none); see `mark_duplicates`
    clashes_with: int = 0  # an earlier row whose id this row's id equals, one of them its row number (0: none)


def mark_duplicates(rows: Iterable[InputRow], id_column: str = "id") -> Iterator[InputRow]:
    """The rows, each whose id repeats an earlier row's marked with that row's number: the one
    pass that judges ids, over the whole file in order, for every engine and for a resumed run
    alike. A row without an id takes its row number as its id, so "5" given on one row and the
    fifth row without an id clash (`clashes_with`); two given ids repeat (`duplicate_of`).

    >>> [(r.duplicate_of, r.clashes_with) for r in mark_duplicates([
    ...     InputRow(1, {"id": "a"}), InputRow(2, {"id": " a"}), InputRow(3, {"id": "1"}), InputRow(4, {"id": ""}),
    ...     InputRow(5, {"id": "4"})])]
    [(0, 0), (1, 0), (0, 0), (0, 0), (0, 4)]
    """
    first: dict[str, tuple[int, bool]] = {}  # id -> (its first row, given in the file?)
    for row in rows:
        given = (row.fields.get(id_column) or "").strip()
        seen, seen_given = first.setdefault(given or str(row.number), (row.number, bool(given)))
        if seen == row.number:
            yield row
        elif given and seen_given:
            yield row._replace(duplicate_of=seen)
        else:
            yield row._replace(clashes_with=seen)


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise file_error(path, "unknown-type", suffix=path.suffix or "(none)")
    return fmt


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (numbers stay)."""
    if value and value[0] in "=+-@\t\r" and not _NUMBER.match(value):
        return "'" + value
    return value


def _check_file(path: Path) -> None:
    if not path.exists():
        raise file_error(path, "no-file")
    if path.is_dir():
        raise file_error(path, "folder")
    if path.stat().st_size == 0:
        raise file_error(path, "empty-file")


def check_input(path: Path) -> None:
    """A file to read: it exists, is not empty, has a known type, and stays within the
    reading limits (callers run this before any model loads)."""
    path = Path(path)
    _check_file(path)
    file_format(path)
    check_bounds(path)


def check_bounds(path: Path) -> None:
    """Refuse, with the limit named, a file whose reading would cost unbounded memory or time.

    Streams the file once with a fixed buffer: line lengths for text formats; for .xlsx the
    expanded sizes the zip directory declares (Python's zipfile never inflates past them),
    then every sheet and the shared strings through expat, counting rows, columns, nesting
    and characters per cell without keeping any of it.
    """
    path = Path(path)
    if file_format(path) == "xlsx":
        _check_xlsx(path)
        return
    longest, run = 0, 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            parts = chunk.split(b"\n")
            run += len(parts[0])
            if len(parts) > 1:
                longest = max(longest, run, *map(len, parts[1:-1]))
                run = len(parts[-1])
            if max(longest, run) > LINE_BYTES:
                raise file_error(path, "long-line", mb=LINE_BYTES >> 20)


def _mb(n: int) -> str:
    return f"{n / (1 << 30):.1f} GB" if n >= 1 << 30 else f"{n / (1 << 20):.0f} MB"


def _check_xlsx(path: Path) -> None:
    unreadable = file_error(path, "bad-xlsx")
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        for i in infos:
            if i.file_size > XLSX_PART_BYTES:
                raise file_error(path, "xlsx-part-size", part=i.filename, size=_mb(i.file_size),
                                 limit=_mb(XLSX_PART_BYTES))
            if i.file_size > (1 << 20) and i.file_size > XLSX_RATIO * max(1, i.compress_size):
                raise file_error(path, "xlsx-ratio", part=i.filename, ratio=i.file_size // max(1, i.compress_size))
        if total > XLSX_TOTAL_BYTES:
            raise file_error(path, "xlsx-size", size=_mb(total), limit=_mb(XLSX_TOTAL_BYTES))
        for i in infos:
            name = i.filename.lower()
            if name.endswith(".xml") and (name.startswith("xl/worksheets/") or name == "xl/sharedstrings.xml"):
                try:
                    with z.open(i) as part:
                        _XmlBounds(path, i.filename).scan(part)
                except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
                    raise unreadable from None


class _XmlBounds:
    """One streaming pass over a worksheet or the shared strings: depth, rows, columns and
    characters per cell, counted and forgotten."""

    def __init__(self, path: Path, part: str):
        self.path, self.part = path, part
        self.depth = self.rows = self.cells = self.chars = 0
        p = self.parser = expat.ParserCreate()
        p.StartElementHandler, p.EndElementHandler = self._start, self._end
        p.CharacterDataHandler = self._text
        p.StartDoctypeDeclHandler = self._doctype
        p.buffer_text = True

    def _fail(self, key: str, **values) -> None:
        raise file_error(self.path, key, part=self.part, **values)

    def _start(self, tag: str, attrs) -> None:
        self.depth += 1
        if self.depth > XML_DEPTH:
            self._fail("xml-deep", depth=XML_DEPTH)
        local = tag.rpartition(":")[2]
        if local == "row":
            self.rows += 1
            self.cells = 0
            if self.rows > XLSX_ROWS:
                self._fail("xml-rows", rows=XLSX_ROWS)
        elif local == "c":
            self.cells += 1
            if self.cells > XLSX_COLUMNS:
                self._fail("xml-cells", cells=XLSX_COLUMNS)
        elif local in ("si", "is", "v", "f"):
            self.chars = 0

    def _end(self, tag: str) -> None:
        self.depth -= 1

    def _text(self, data: str) -> None:
        self.chars += len(data)
        if self.chars > CELL_CHARS:
            self._fail("xml-chars", chars=CELL_CHARS)

    def _doctype(self, *args) -> None:
        self._fail("xml-doctype")

    def scan(self, stream) -> None:
        try:
            for chunk in iter(lambda: stream.read(1 << 16), b""):
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as e:
            self._fail("xml-broken", detail=expat.ErrorString(e.code))


class _Utf8Lines(io.TextIOBase):
    """Lines of a UTF-8 file (BOM optional) that name the line of any bad byte."""

    def __init__(self, path: Path):
        self.path, self.f, self.line = path, open(path, "rb"), 0

    def __iter__(self):
        first = True
        for raw in self.f:
            self.line += 1
            if first and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            first = False
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise file_error(f"{self.path}:{self.line}", "not-utf8", byte=f"{raw[e.start]:02x}") from None

    def close(self):
        self.f.close()


def count_rows(path: Path) -> int | None:
    """Data rows in the file (for progress bars); None when unknown without parsing it all."""
    fmt = file_format(path)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return max(0, (wb.worksheets[0].max_row or 1) - 1)
        finally:
            wb.close()
    with open(path, "rb") as f:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    return lines if fmt == "jsonl" else max(0, lines - 1)  # CSV cells may hold newlines: approximate


def read_rows(path: Path, checked: bool = False) -> Iterator[InputRow]:
    """Rows of an answers file as dicts keyed by lower-cased, stripped column names.

    `checked`: the caller already ran :func:`check_input` on this file (it streams the
    whole file, so a run that reads a file twice checks it once)."""
    path = Path(path)
    if not checked:
        check_input(path)
    fmt = file_format(path)
    if fmt in ("csv", "tsv"):
        yield from _read_delimited(path, "\t" if fmt == "tsv" else ",")
    elif fmt == "jsonl":
        yield from _read_jsonl(path)
    else:
        yield from _read_xlsx(path)


def columns_of(path: Path) -> list[str]:
    """The column names of an answers file, as :func:`read_rows` keys them (for a page that
    lets the user say which column holds what); [] for a file with a header and no rows."""
    first = next(read_rows(path), None)
    return [c for c in first.fields if c] if first is not None else []


def _header(cells: Sequence[str], path: Path) -> list[str]:
    names = [str(c or "").strip().lower().lstrip("\ufeff") for c in cells]
    if not any(names):
        raise file_error(path, "no-header")
    first: dict[str, int] = {}
    for i, name in enumerate(names, 1):  # a dict keeps one of them, silently
        if name and first.setdefault(name, i) != i:
            raise file_error(path, "column-twice", name=name, first=first[name], second=i)
    return names


def _read_delimited(path: Path, delimiter: str) -> Iterator[InputRow]:
    lines = _Utf8Lines(path)
    csv.field_size_limit(CELL_CHARS)  # the module-wide limit; every caller here wants this one
    try:
        reader = csv.reader(iter(lines), delimiter=delimiter)
        try:
            header = _header(next(reader), path)
        except StopIteration:
            raise file_error(path, "empty-file") from None
        except csv.Error as e:
            raise file_error(f"{path}:1", "bad-header", detail=e) from None
        n = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                n += 1
                too_long = "field larger than field limit" in str(e)  # a quoted cell over many lines
                yield InputRow(n, {}, Problem("cell-chars", {"chars": CELL_CHARS}) if too_long
                               else Problem("bad-row", {"detail": str(e)}))
                continue
            if not cells or not any(c.strip() for c in cells):
                continue
            n += 1
            error = None
            if len(cells) != len(header):
                error = Problem("field-count", {"got": len(cells), "want": len(header)})
            yield InputRow(n, dict(zip(header, cells)), error)
    finally:
        lines.close()


def _read_jsonl(path: Path) -> Iterator[InputRow]:
    lines = _Utf8Lines(path)
    try:
        n = 0
        for text in lines:
            if not text.strip():
                continue
            n += 1
            try:
                obj = json.loads(text)
                fields = {str(k).strip().lower(): cell_text(v) for k, v in obj.items()} if isinstance(obj, dict) else None
            except json.JSONDecodeError as e:
                yield InputRow(n, {}, Problem("bad-json", {"detail": e.msg, "column": e.colno}))
                continue
            except RecursionError:
                yield InputRow(n, {}, Problem("json-deep"))
                continue
            except ValueError:  # json's other refusal: an integer of thousands of digits
                yield InputRow(n, {}, Problem("json-number"))
                continue
            if fields is None:
                yield InputRow(n, {}, Problem("json-object"))
                continue
            bad = next((m.group() for t in (*fields, *fields.values()) if (m := _SURROGATE.search(t))), None)
            if bad:  # kept, readable, and encodable: the half character becomes U+FFFD
                fields = {_SURROGATE.sub("\ufffd", k): _SURROGATE.sub("\ufffd", v) for k, v in fields.items()}
                yield InputRow(n, fields, Problem("json-escape", {"code": f"{ord(bad):04x}"}))
                continue
            yield InputRow(n, fields)
    finally:
        lines.close()


def cell_text(value) -> str:
    """A cell as text: None is empty, a JSON object or list stays JSON."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_xlsx(path: Path) -> Iterator[InputRow]:
    from openpyxl import load_workbook

    try:
        # data_only: cached values, never formulas; read_only streams rows
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zip/xml errors of many kinds: the user needs one line
        raise file_error(path, "bad-xlsx-kind", kind=type(e).__name__) from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # the declared size is sometimes wrong and would cut rows and columns
        rows = ws.iter_rows(values_only=True)
        try:
            header = _header(next(rows), path)
        except StopIteration:
            raise file_error(path, "empty-file") from None
        n = 0
        for cells in rows:
            if not cells or all(c is None or str(c).strip() == "" for c in cells):
                continue
            n += 1
            cells = (*cells, *[None] * (len(header) - len(cells)))  # unsized rows end at their last cell
            yield InputRow(n, {h: cell_text(c) for h, c in zip(header, cells) if h})
    finally:
        wb.close()


class RowWriter:
    """Writes dict rows with fixed columns to CSV/TSV/JSONL/XLSX at `path` (not atomic itself)."""

    def __init__(self, path: Path, columns: Sequence[str]):
        self.path, self.columns, self.fmt = Path(path), list(columns), file_format(Path(path))
        if self.fmt == "xlsx":
            from openpyxl import Workbook

            self.wb = Workbook(write_only=True)
            self.ws = self.wb.create_sheet("graded")
            self.ws.append(self.columns)
        else:
            self.f = open(self.path, "w", encoding="utf-8", newline="")
            if self.fmt != "jsonl":
                self.w = csv.writer(self.f, delimiter="\t" if self.fmt == "tsv" else ",")
                self.w.writerow(self.columns)

    def write(self, row: dict) -> None:
        if self.fmt == "jsonl":
            self.f.write(json.dumps({c: row.get(c, "") for c in self.columns}, ensure_ascii=False) + "\n")
            return
        if self.fmt == "xlsx":
            self.ws.append([_xlsx_text(row.get(c, ""))[:XLSX_CELL_LIMIT] for c in self.columns])
        else:
            self.w.writerow([neutralise(cell_text(row.get(c, ""))) for c in self.columns])

    def too_long(self, row: dict) -> list[str]:
        """Columns of `row` that this format must cut (only .xlsx has a cell limit)."""
        if self.fmt != "xlsx":
            return []
        return [c for c in self.columns
                if len(cell_text(row.get(c, ""))) >= XLSX_CELL_LIMIT and len(_xlsx_text(row.get(c, ""))) > XLSX_CELL_LIMIT]

    def close(self) -> None:
        if self.fmt == "xlsx":
            self.wb.save(self.path)
        else:
            self.f.flush()
            self.f.close()


def _xlsx_text(value) -> str:
    """What an .xlsx cell holds for `value` before the length limit."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(cell_text(value)))


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[dict]) -> None:
    writer = RowWriter(path, columns)
    try:
        for r in rows:
            writer.write(r)
    finally:
        writer.close()
