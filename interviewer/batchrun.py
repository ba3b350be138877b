"""A batch run over a file: path checks and a lock, the resumable journal, the output written
atomically, and the summary and report.

:func:`grade_file` streams the file through :func:`interviewer.batch.grade_rows` in chunks,
appends graded rows to a ``.partial`` journal (so an interrupted run resumes with nothing lost
or repeated), and finally writes the output atomically in the requested format.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .batch import COLUMNS, Options, RunState, collect_exemplars, grade_rows
from .batchio import (XLSX_CELL_LIMIT, InputRow, RowWriter, check_input, count_rows, file_format, mark_duplicates,
                      read_rows)
from .errors import InputError
from .feedback import joined
from .files import atomic_output
from .problems import Problem, file_error
from .resources import Resources


@dataclass(frozen=True)
class Summary:
    rows: int
    graded: int
    not_graded: int
    review: int
    bands: dict[int, int]
    per_question: list[tuple[str, int, float]]  # (question, answers, mean score), hardest first
    output: Path
    scores: list[int] = field(default_factory=list, repr=False)
    notices: tuple[str, ...] = ()  # what the user should know about the run (e.g. a damaged journal)
    # the first KEPT records, for the page (the file's cells may be formula-escaped or cut)
    head: tuple[dict, ...] = field(default=(), repr=False)
    to_review: tuple[dict, ...] = field(default=(), repr=False)  # the first KEPT records that need review


KEPT = 500  # records a Summary carries for a page to show (the file has them all)


# ---------------------------------------------------------------- the core


def _review(rec: dict, reason: str, lang: str = "en") -> None:
    rec.update(needs_review="yes", review_reasons=joined([rec.get("review_reasons", ""), reason], lang))


def default_output(input_path: Path) -> Path:
    return input_path.with_name(input_path.stem + ".graded.csv")


def _fingerprint(path: Path, opts: Options) -> str:
    st = path.stat()
    h = hashlib.sha256(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{sorted(opts.columns.items())}|"
                       f"{opts.force}|{opts.min_confidence}|{opts.reference}|{opts.exemplars_file}".encode())
    with open(path, "rb") as f:
        h.update(f.read(1 << 16))
    return h.hexdigest()[:20]


def _journal(output: Path) -> tuple[Path, Path]:
    return output.with_name(output.name + ".partial"), output.with_name(output.name + ".partial.json")


def chunks(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    chunk: list[InputRow] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _resume_point(journal: Path) -> tuple[int, int]:
    """(rows done, damaged lines). Line k must be the record of row k; the journal is cut after
    the last such line in sequence, so a damaged line's row and every row after it is graded
    again. Damaged: unreadable lines, and the first record out of place. A half-written last
    line (a kill mid-write) is dropped without counting."""
    done = damaged = keep = 0
    cut = False
    with open(journal, "rb+") as f:
        for k, line in enumerate(f, 1):
            if not line.endswith(b"\n"):
                break
            rec = _journal_record(line)
            if not cut and rec is not None and rec.get("_row") == k:
                done, keep = k, keep + len(line)
                continue
            damaged += rec is None or not cut  # every unreadable line; of the readable, the first out of place
            cut = True
        f.truncate(keep)
    return done, damaged


def _journal_record(line: bytes) -> dict | None:
    try:
        rec = json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):  # bytes or text that a crash or a disk left behind
        return None
    return rec if isinstance(rec, dict) and "_row" in rec else None


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold ``OUTPUT.lock`` so that a second run on the same output is refused, not interleaved.

    flock is released by the OS when its process dies, so a lock file left by a killed run
    blocks nothing. The file is removed on release; an opener that raced that removal
    locked a file no longer on disk, so it checks and opens again.
    """
    import fcntl  # POSIX only, like the rest of the runner's file handling

    path = output.with_name(output.name + ".lock")
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError(f"{output}: another run is writing this output now: wait for it to finish, "
                             "or choose another -o path") from None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def check_writable(folder: Path, what: str, option: str) -> None:
    """One-line error unless a file can be created in `folder`. os.access alone is not enough:
    it says yes to root on read-only mounts and on /sys, so a real file is made and removed."""
    problem = "" if os.access(folder, os.W_OK | os.X_OK) else os.strerror(errno.EACCES)
    if not problem:
        try:
            fd, probe = tempfile.mkstemp(dir=folder, prefix=".interviewer-probe-")
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            problem = e.strerror
    if problem:
        raise InputError(f"{folder}: cannot write the {what} there ({problem}): choose another {option} path")


def check_paths(input_path: Path, output: Path | None) -> Path:
    """Raise a one-line InputError for a missing/odd input or output path; returns the output."""
    check_input(input_path)
    output = output or default_output(input_path)
    file_format(output)
    if output.resolve() == input_path.resolve():
        raise InputError(f"{output}: the output would overwrite the input: choose another -o path")
    if not output.parent.is_dir():
        raise InputError(f"{output.parent}: no such folder for the output: create it first")
    check_writable(output.parent, "output", "-o")
    return output


def check_report_path(report: Path, input_path: Path, output: Path) -> None:
    """The report (and the histogram PNG beside it) can be written and overwrites neither file."""
    for path in (report, report.with_suffix(".png")):
        for other, name in ((input_path, "the input"), (output, "the output")):
            if path.resolve() == other.resolve():
                raise InputError(f"{path}: the report would overwrite {name}: choose another --report path")
    if not report.parent.is_dir():
        raise InputError(f"{report.parent}: no such folder for the report: create it first")
    check_writable(report.parent, "report", "--report")


def check_first_row(first: InputRow | None, input_path: Path, opts: Options) -> None:
    """A file needs at least one row, and an answer column (named as the options say)."""
    if first is None:
        raise file_error(input_path, "no-rows")
    if not first.error and opts.column("answer") not in first.fields:
        found = ", ".join(first.fields) or "none"
        raise file_error(input_path, "no-answer-column", column=opts.column("answer"), found=found, hint=opts.column_hint)


def grade_file(input_path: Path, res: Resources, output: Path | None = None, opts: Options | None = None,
               resume: bool = False, progress: Callable[[int, int | None], None] | None = None,
               locked: bool = False) -> Summary:
    """Grade every row of `input_path` into `output` (format from its extension).

    `locked`: the caller already holds :func:`output_lock` for the output (the CLI takes it
    before loading models, so that a second run is refused at once).
    """
    opts = opts or Options()
    input_path = Path(input_path)
    output = check_paths(input_path, Path(output) if output else None)
    with nullcontext() if locked else output_lock(output):
        return _grade_file(input_path, res, output, opts, resume, progress)


def _grade_file(input_path: Path, res: Resources, output: Path, opts: Options, resume: bool,
                progress: Callable[[int, int | None], None] | None) -> Summary:
    rows = read_rows(input_path, checked=True)  # check_paths ran check_input
    first = next(rows, None)
    check_first_row(first, input_path, opts)
    journal, meta = _journal(output)
    fp = _fingerprint(input_path, opts)
    done, notices = 0, []
    if resume and journal.exists() and meta.exists():
        if json.loads(meta.read_text("utf-8")).get("input") != fp:
            raise InputError(f"{journal}: the unfinished run was for another input or other options: "
                             "delete it or run without --resume")
        done, damaged = _resume_point(journal)
        if damaged:
            notices.append(f"{journal}: {damaged} damaged line{'s' if damaged > 1 else ''} skipped; "
                           f"rows from {done + 1} on are graded again")
    else:
        journal.unlink(missing_ok=True)
        meta.write_text(json.dumps({"input": fp, "output": str(output)}), "utf-8")
    total = count_rows(input_path)
    if opts.max_rows and total and total > opts.max_rows:
        raise file_error(input_path.name, "too-many", limit=opts.max_rows)
    state = RunState(exemplars=collect_exemplars(input_path, res, opts))
    all_rows = mark_duplicates(prepend(first, rows), opts.column("id"))  # rows graded before a resume count too
    with open(journal, "a", encoding="utf-8") as j:
        n = 0
        for chunk in chunks(all_rows, opts.chunk_size):
            fresh = [r for r in chunk if r.number > done]
            n += len(chunk)
            if opts.max_rows and n > opts.max_rows:  # the count above can be short (an .xlsx's stated size)
                raise file_error(input_path.name, "too-many", limit=opts.max_rows)
            if fresh:
                for graded in grade_rows(fresh, res, opts, state):
                    # the row number lets a resume tell a damaged or misplaced line
                    j.write(json.dumps({"_row": graded.number, **graded.to_record(opts.lang)}, ensure_ascii=False) + "\n")
                j.flush()
                os.fsync(j.fileno())
            if progress:
                progress(n, total)
    summary = _finish(journal, output, opts.lang)
    journal.unlink(missing_ok=True)
    meta.unlink(missing_ok=True)
    return replace(summary, notices=tuple(notices))


def prepend(first: InputRow, rest: Iterator[InputRow]) -> Iterator[InputRow]:
    yield first
    yield from rest


def _finish(journal: Path, output: Path, lang: str = "en") -> Summary:
    """Convert the journal into the output format atomically."""
    with open(journal, "rb") as j:
        return write_records(_journal_records(j, journal), output, lang)


def _journal_records(lines: Iterable[bytes], journal: Path) -> Iterator[dict]:
    for k, line in enumerate(lines, 1):
        rec = _journal_record(line)
        if rec is None or rec["_row"] != k:  # written into during the run; the journal stays for --resume
            raise InputError(f"{journal}: line {k} was damaged during the run: "
                             "run the same command with --resume to grade its rows again")
        yield rec


def write_records(records: Iterable[dict], output: Path, lang: str = "en") -> Summary:
    """Write graded records to `output` atomically (temporary file, then rename), counting them."""
    bands: dict[int, int] = {b: 0 for b in range(6)}
    per_q: dict[str, list[float]] = {}
    scores: list[int] = []
    rows = graded = review = 0
    head: list[dict] = []
    to_review: list[dict] = []
    with atomic_output(output, suffix=output.suffix) as tmp:  # the suffix tells RowWriter the format
        writer = RowWriter(tmp, COLUMNS)
        for rec in records:
            rows += 1  # record k is row k: one record per input row, in order
            cut = writer.too_long(rec)
            if cut:
                _review(rec, Problem("xlsx-cut", {"columns": " and ".join(cut), "limit": XLSX_CELL_LIMIT}).text(lang), lang)
            review += rec.get("needs_review") == "yes"
            if rec.get("status") == "graded":
                graded += 1
                bands[int(rec["band"])] += 1
                scores.append(int(rec["score"]))
                per_q.setdefault(rec.get("card_question") or rec.get("question", ""), []).append(int(rec["score"]))
            writer.write(rec)
            if len(head) < KEPT:
                head.append(rec)
            if rec.get("needs_review") == "yes" and len(to_review) < KEPT:
                to_review.append(rec)
        writer.close()
    hardest = sorted(((q, len(s), sum(s) / len(s)) for q, s in per_q.items()), key=lambda t: t[2])
    return Summary(rows, graded, rows - graded, review, bands, hardest, output, scores,
                   head=tuple(head), to_review=tuple(to_review))


# ---------------------------------------------------------------- summary and report


def summary_text(s: Summary) -> str:
    lines = [f"{s.rows} rows: {s.graded} graded, {s.not_graded} not graded, {s.review} to review",
             "bands: " + "  ".join(f"{b}:{n}" for b, n in s.bands.items())]
    if s.per_question:
        lines.append("hardest questions (mean score):")
        lines += [f"  {mean:5.1f}  ({n})  {q[:70]}" for q, n, mean in s.per_question[:5]]
    lines.append(f"output: {s.output}")
    return "\n".join(lines)


def write_report(s: Summary, path: Path) -> Path:
    """A Markdown report with a score histogram PNG beside it; returns the image path."""
    from .charts import batch_histogram_png, save_png
    from .files import atomic_write_bytes

    path = Path(path)
    image = path.with_suffix(".png")
    save_png(batch_histogram_png(s.scores), image)
    lines = ["# Batch grading report", "", f"Output file: `{s.output}`", "",
             f"- rows: {s.rows}", f"- graded: {s.graded}", f"- not graded: {s.not_graded}",
             f"- review queue: {s.review}", "", f"![score histogram]({image.name})", "",
             "| band | answers |", "|---|---|", *[f"| {b} | {n} |" for b, n in s.bands.items()], "",
             "## Mean score per question (hardest first)", "", "| question | answers | mean |", "|---|---|---|",
             *[f"| {q.replace('|', '/')} | {n} | {m:.1f} |" for q, n, m in s.per_question]]
    atomic_write_bytes(path, ("\n".join(lines) + "\n").encode())
    return image
