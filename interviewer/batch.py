"""Batch grading: a file of written answers in, every answer graded with feedback out.

The grading core, :func:`grade_rows`, is one function over a batch of input rows; the
local runner (:func:`grade_file`) streams the file through it in chunks, appends graded
rows to a ``.partial`` journal (so an interrupted run resumes with nothing lost or
repeated), and finally writes the output atomically in the requested format.
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
from typing import Callable, Iterable, Iterator, Sequence

from .bank import Card, card_id
from .config import MIN_MATCH_CONFIDENCE
from .text import detect_lang
from .batchio import XLSX_CELL_LIMIT, InputRow, RowWriter, check_input, count_rows, file_format, read_rows
from .errors import InputError
from .exemplars import Exemplar, ExemplarSet
from .files import atomic_output
from .keywords import keywords_from_spec
from .matching import match_question
from .resources import Resources
from .text import word_count

COLUMNS = ("id", "student", "question", "answer", "card_id", "card_question", "match_confidence",
           "score", "band", "verdict", "semantic", "coverage", "covered", "missed", "feedback",
           "needs_review", "review_reasons", "status")
FIELDS = ("question", "answer", "id", "reference", "keywords", "student", "teacher_score")
DUPLICATE_ID = "duplicate id (first on row {})"


@dataclass(frozen=True)
class Options:
    """How a batch run reads and judges the file."""

    columns: dict[str, str] = field(default_factory=dict)  # our field -> the file's column
    min_confidence: float = MIN_MATCH_CONFIDENCE  # below: flagged for review, graded only with force
    force: bool = False
    reference: str | None = None  # one reference answer for every row (--reference-file)
    chunk_size: int = 256
    short_words: int = 4
    borderline: float = 3.0  # points from a band edge that count as borderline
    exemplars_file: str | None = None  # graded answers (question, answer, teacher_score) that grade like answers
    max_rows: int | None = None  # refuse a file with more answer rows than this (the web app's budget)
    # how the front end lets a user do what a message asks (the web page has no flags)
    force_hint: str = "use --force or a reference column"
    column_hint: str = "rename it or pass --answer-col NAME"

    def column(self, name: str) -> str:
        return self.columns.get(name, name).strip().lower()


@dataclass
class RunState:
    """What one run remembers across chunks: ids seen (for duplicates) and question matches."""

    seen_ids: dict[str, int] = field(default_factory=dict)
    matches: dict = field(default_factory=dict)
    exemplars: ExemplarSet | None = None


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


# ---------------------------------------------------------------- the core


@dataclass(frozen=True)
class GradedRow:
    """One input row after grading: what was read, the grade (None when not graded), and the
    reasons a person should look at it. `to_record` is the one formatter for the journal, the
    output file, the Ray engine and the web table."""

    number: int
    id: str
    student: str
    question: str
    answer: str
    graded: bool = False
    card_id: str = ""
    card_question: str = ""
    match_confidence: float | None = None
    score: int | None = None
    band: int | None = None
    verdict: str = ""
    semantic: float | None = None
    coverage: float | None = None
    covered: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    feedback: str = ""
    reasons: tuple[str, ...] = ()
    truncated: bool = False  # the answer was longer than the grader reads

    @property
    def needs_review(self) -> bool:
        return bool(self.reasons) or not self.graded

    def to_record(self) -> dict:
        rec = {"id": self.id, "student": self.student, "question": self.question, "answer": self.answer,
               "status": "graded" if self.graded else "not graded", "feedback": self.feedback,
               "needs_review": "yes" if self.needs_review else "no", "review_reasons": "; ".join(self.reasons)}
        if self.card_id:
            rec.update(card_id=self.card_id, card_question=self.card_question,
                       match_confidence="" if self.match_confidence is None else f"{self.match_confidence:.2f}")
        if self.graded:
            rec.update(score=self.score, band=self.band, verdict=self.verdict, semantic=f"{self.semantic:.3f}",
                       coverage=f"{self.coverage:.3f}", covered="; ".join(self.covered), missed="; ".join(self.missed))
        return rec


def grade_rows(rows: Sequence[InputRow], res: Resources, opts: Options,
               state: RunState | None = None) -> list[GradedRow]:
    """Grade one batch of input rows; one `GradedRow` per input row, in order."""
    state = RunState() if state is None else state
    out: list[GradedRow] = []
    todo: list[tuple[int, Card]] = []
    for row in rows:
        f = row.fields
        get = lambda name: (f.get(opts.column(name)) or "").strip()  # noqa: E731
        read = GradedRow(row.number, get("id") or str(row.number), get("student"), get("question"),
                         f.get(opts.column("answer"), ""))
        reasons: list[str] = []
        if get("id"):
            first = state.seen_ids.setdefault(get("id"), row.number)
            if first != row.number:
                reasons.append(DUPLICATE_ID.format(first))
        card, conf, why = None, None, row.error or ("empty answer" if not read.answer.strip() else "")
        if not why:
            card, conf, why = _card_for(read.question, get("reference") or opts.reference, get("keywords"),
                                        res, state.matches)
        if card is not None:
            read = replace(read, card_id=card.id, card_question=card.question, match_confidence=conf)
            if conf is not None and conf < opts.min_confidence:
                reasons.append(f"low-confidence match ({conf:.2f})")
                if not opts.force:
                    why = f"question not confidently matched to the bank ({opts.force_hint})"
        if why:  # not graded: the reason is the feedback, and the last reason to review it
            out.append(replace(read, feedback=why, reasons=(*reasons, why)))
            continue
        out.append(replace(read, reasons=tuple(reasons)))
        todo.append((len(out) - 1, card))
    results = res.grader.grade_many([(c, out[i].answer) for i, c in todo], evidence=False,
                                    exemplars=state.exemplars) if todo else []
    edges = res.grader.weights.band_edges
    for (i, card), r in zip(todo, results):
        row = out[i]
        reasons = list(row.reasons)
        truncated = len(row.answer) > res.grader.weights.max_answer_chars
        if word_count(row.answer) < opts.short_words:
            reasons.append("very short answer")
        if truncated:
            reasons.append("very long answer (cut)")
        q_lang = detect_lang(row.question) if row.question else card.lang
        if r.answer_lang != q_lang and r.graded_against == card.id:
            reasons.append(f"answer in {r.answer_lang}, question in {q_lang}")
        if any(abs(r.score - e) <= opts.borderline for e in edges):
            reasons.append("borderline score")
        if r.unsure:
            reasons.append("not sure: " + "; ".join(r.doubts))
        if r.contradictions:
            reasons.append(f"contradiction ({r.contradictions[0].kind})")
        out[i] = replace(row, graded=True, score=r.score, band=r.band, verdict=r.verdict, semantic=r.semantic,
                         coverage=r.coverage, covered=r.covered, missed=tuple(m.term for m in r.missed),
                         feedback=r.suggestion, reasons=tuple(reasons), truncated=truncated)
    return out


def _review(rec: dict, reason: str) -> None:
    rec.update(needs_review="yes", review_reasons="; ".join(filter(None, [rec.get("review_reasons", ""), reason])))


def _card_for(question: str, reference: str | None, keywords: str, res: Resources, matches: dict):
    """(card, match confidence or None when a reference was given, reason when no card)."""
    extra = keywords_from_spec(keywords) if keywords else ()
    if reference:
        q = question or "(no question)"
        cid = card_id("custom", "qa", hashlib.sha1(f"{q}\x1f{reference}\x1f{keywords}".encode()).hexdigest())
        card = Card(cid, "custom", "custom", "qa", q, reference, extra, detect_lang(q + reference),
                    source="reference column")
        return card, None, ""
    if not question:
        return None, None, "no question and no reference: cannot tell what the answer should say"
    m = _match_cached(res, question, matches)
    if m is None:
        return None, None, "no card in the bank matches this question"
    card = m.card if not extra else replace(m.card, keywords=m.card.keywords + extra,
                                            id=m.card.id + "-kw" + hashlib.sha1(keywords.encode()).hexdigest()[:6])
    return card, m.confidence, ""


def _match_cached(res: Resources, question: str, cache: dict):
    if question not in cache:
        if len(cache) > 50_000:  # a file of all-different questions must not grow memory
            cache.clear()
        cache[question] = match_question(res.index, question, topics=res.bank.topics)
    return cache[question]


# ---------------------------------------------------------------- the local runner


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
        raise InputError(f"{input_path}: no answer rows below the header")
    if not first.error and opts.column("answer") not in first.fields:
        found = ", ".join(first.fields) or "none"
        raise InputError(f"{input_path}: no {opts.column('answer')!r} column (found: {found}): {opts.column_hint}")


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
        raise InputError(_too_many(input_path, opts.max_rows))
    state = RunState(exemplars=collect_exemplars(input_path, res, opts))
    all_rows = prepend(first, rows)
    with open(journal, "a", encoding="utf-8") as j:
        n = 0
        for chunk in chunks(all_rows, opts.chunk_size):
            for r in chunk:  # ids of rows graded before a resume still count for duplicates
                if r.fields.get(opts.column("id"), "").strip():
                    state.seen_ids.setdefault(r.fields[opts.column("id")].strip(), r.number)
            fresh = [r for r in chunk if r.number > done]
            n += len(chunk)
            if opts.max_rows and n > opts.max_rows:  # the count above can be short (an .xlsx's stated size)
                raise InputError(_too_many(input_path, opts.max_rows))
            if fresh:
                for graded in grade_rows(fresh, res, opts, state):
                    # the row number lets a resume tell a damaged or misplaced line
                    j.write(json.dumps({"_row": graded.number, **graded.to_record()}, ensure_ascii=False) + "\n")
                j.flush()
                os.fsync(j.fileno())
            if progress:
                progress(n, total)
    summary = _finish(journal, output)
    journal.unlink(missing_ok=True)
    meta.unlink(missing_ok=True)
    return replace(summary, notices=tuple(notices))


def _too_many(path: Path, limit: int) -> str:
    return (f"{path.name}: more than {limit:,} answers; up to {limit:,} are graded at a time here: "
            "split the file into smaller ones")


def teacher_grade(value: str) -> float | None:
    """A teacher's score as 0..1: a band 0-5 ("4", "3.5") or a fraction ("7/10"); None if neither.

    >>> teacher_grade("4"), teacher_grade("7/10"), teacher_grade("12"), teacher_grade("")
    (0.8, 0.7, None, None)
    """
    value = (value or "").strip()
    try:
        if "/" in value:
            top, bottom = (float(x) for x in value.split("/", 1))
            grade = top / bottom if bottom > 0 else -1.0
        else:
            grade = float(value) / 5
    except ValueError:
        return None
    return round(grade, 6) if 0.0 <= grade <= 1.0 else None


def collect_exemplars(input_path: Path, res: Resources, opts: Options) -> ExemplarSet | None:
    """Rows with a teacher score (in the input and in ``opts.exemplars_file``), embedded once."""
    items: list[Exemplar] = []
    state = RunState()
    for path in filter(None, [input_path, Path(opts.exemplars_file) if opts.exemplars_file else None]):
        for row in read_rows(path, checked=path is input_path):  # the input passed check_paths
            f = row.fields
            get = lambda name: (f.get(opts.column(name)) or "").strip()  # noqa: E731
            grade = teacher_grade(get("teacher_score"))
            if row.error or grade is None or not get("answer"):
                continue
            card, _, _ = _card_for(get("question"), get("reference") or opts.reference, get("keywords"),
                                   res, state.matches)
            if card is not None:
                items.append(Exemplar(card.id, get("answer"), grade))
    return res.grader.exemplars(items) if items else None


def prepend(first: InputRow, rest: Iterator[InputRow]) -> Iterator[InputRow]:
    yield first
    yield from rest


def _finish(journal: Path, output: Path) -> Summary:
    """Convert the journal into the output format atomically."""
    with open(journal, "rb") as j:
        return write_records(_journal_records(j, journal), output)


def _journal_records(lines: Iterable[bytes], journal: Path) -> Iterator[dict]:
    for k, line in enumerate(lines, 1):
        rec = _journal_record(line)
        if rec is None or rec["_row"] != k:  # written into during the run; the journal stays for --resume
            raise InputError(f"{journal}: line {k} was damaged during the run: "
                             "run the same command with --resume to grade its rows again")
        yield rec


def write_records(records: Iterable[dict], output: Path) -> Summary:
    """Write graded records to `output` atomically (temporary file, then rename), counting them."""
    bands: dict[int, int] = {b: 0 for b in range(6)}
    per_q: dict[str, list[float]] = {}
    scores: list[int] = []
    rows = graded = review = 0
    numeric_ids: dict[str, int] = {}  # id -> first row; only digits can equal an automatic id
    with atomic_output(output, suffix=output.suffix) as tmp:  # the suffix tells RowWriter the format
        writer = RowWriter(tmp, COLUMNS)
        for rec in records:
            rows += 1  # record k is row k: one record per input row, in order
            rid = str(rec.get("id", ""))
            if rid.isascii() and rid.isdigit():
                # checked here, on the whole output in order, so both engines flag the same rows
                first = numeric_ids.setdefault(rid, rows)
                if first != rows and DUPLICATE_ID.format(first) not in rec.get("review_reasons", ""):
                    _review(rec, f"id {rid} is also the id of row {first} (a row without an id gets its row number)")
            cut = writer.too_long(rec)
            if cut:
                _review(rec, f"{' and '.join(cut)} cut to {XLSX_CELL_LIMIT:,} characters in the .xlsx output; "
                             "use .csv or .jsonl for the full text")
            review += rec.get("needs_review") == "yes"
            if rec.get("status") == "graded":
                graded += 1
                bands[int(rec["band"])] += 1
                scores.append(int(rec["score"]))
                per_q.setdefault(rec.get("card_question") or rec.get("question", ""), []).append(int(rec["score"]))
            writer.write(rec)
        writer.close()
    hardest = sorted(((q, len(s), sum(s) / len(s)) for q, s in per_q.items()), key=lambda t: t[2])
    return Summary(rows, graded, rows - graded, review, bands, hardest, output, scores)


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
    from .charts import save_png, score_histogram_png
    from .files import atomic_write_bytes

    path = Path(path)
    image = path.with_suffix(".png")
    save_png(score_histogram_png(s.scores, "Batch scores"), image)
    lines = ["# Batch grading report", "", f"Output file: `{s.output}`", "",
             f"- rows: {s.rows}", f"- graded: {s.graded}", f"- not graded: {s.not_graded}",
             f"- review queue: {s.review}", "", f"![score histogram]({image.name})", "",
             "| band | answers |", "|---|---|", *[f"| {b} | {n} |" for b, n in s.bands.items()], "",
             "## Mean score per question (hardest first)", "", "| question | answers | mean |", "|---|---|---|",
             *[f"| {q.replace('|', '/')} | {n} | {m:.1f} |" for q, n, m in s.per_question]]
    atomic_write_bytes(path, ("\n".join(lines) + "\n").encode())
    return image
