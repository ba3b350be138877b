"""The command line: thin commands over the library, the only place (with the UI) that prints.

Exit codes: 0 success, 1 a problem with the input or settings (one-line message on
stderr, no traceback), 2 a usage error (argparse), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .config import MIN_MATCH_CONFIDENCE, Settings
from .errors import InterviewerError
from .problems import TEXTS, say
from .text import shorten


# ---------------------------------------------------------------- helpers


class _Bar:
    """tqdm progress for library callbacks ``progress(done, total)``."""

    def __init__(self, desc: str, unit: str = "text"):
        self.desc, self.unit, self.bar = desc, unit, None

    def __call__(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.desc, unit=self.unit, file=sys.stderr,
                            disable=None, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _table(rows: list[list[str]], headers: list[str]) -> str:
    cells = [headers] + [[str(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _settings(args) -> Settings:
    settings = Settings.from_env()
    notes = tuple(Path(p) for p in args.notes) if getattr(args, "notes", None) else None
    return settings.with_(embedder=getattr(args, "embedder", None), notes=notes,
                          cache_dir=Path(args.cache_dir) if getattr(args, "cache_dir", None) else None)


def _resources(settings: Settings, prepare: bool = True):
    """The one way every command loads the bank, model, index and grader, and shows what happened."""
    from .resources import load_resources

    bar = _Bar("embedding")
    try:
        res = load_resources(settings, progress=bar, prepare=prepare)
    finally:
        bar.close()
    for w in res.bank.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for notice in res.index.stats.notices:
        print(f"notice: {notice}", file=sys.stderr)
    return res


# ---------------------------------------------------------------- commands


def cmd_parse(args) -> int:
    from .notes import load_notes

    bank = load_notes(args.paths)
    for w in bank.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.format == "json":
        topics = []
        for t in bank.topics:
            cards = [c for c in bank.cards_of(t.name)
                     if c.location.rsplit(":", 1)[0] == t.location.rsplit(":", 1)[0]]
            topics.append({
                "name": t.name, "area": t.area, "paper": t.paper, "year": t.year,
                "aliases": list(t.aliases), "location": t.location, "summary": list(t.summary),
                "references": list(t.references),
                "questions": [c.to_dict() for c in cards if c.kind == "qa"],
                "cards": [c.to_dict() for c in cards if c.kind != "qa"],
            })
        out = {"files": list(bank.files), "counts": bank.counts(), "topics": topics,
               "syllabus": [vars(s) for s in bank.syllabus], "warnings": list(bank.warnings)}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    rows = []
    for t in bank.topics:
        cards = bank.cards_of(t.name)
        qa = [c for c in cards if c.kind == "qa"]
        rows.append([shorten(t.name, 28), shorten(t.area, 24), len(t.summary),
                     sum(c.lang == "en" for c in qa), sum(c.lang == "zh" for c in qa),
                     sum(bool(c.keywords) for c in cards), t.year or "", shorten(t.paper, 40)])
    print(_table(rows, ["topic", "area", "points", "q_en", "q_zh", "with_kw", "year", "paper"]))
    counts = bank.counts()
    print(f"\n{counts['topics']} topics, {counts['cards']} cards ({counts['qa']} questions, "
          f"{counts['point']} summary points, {counts['concept']} concepts; "
          f"{counts['lang_en']} en, {counts['lang_zh']} zh), {len(bank.syllabus)} syllabus entries")
    return 0


def cmd_check(args) -> int:
    from .audit import audit
    from .notes import load_notes

    bank = load_notes(args.paths)
    problems = audit(bank)
    for p in problems:
        print(p)
    cards = sum(c.kind == "qa" for c in bank.cards)
    print(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {cards} question cards" if problems
          else f"no problems in {cards} question cards", file=sys.stderr)
    return 1 if problems else 0


def cmd_index(args) -> int:
    res = _resources(_settings(args), prepare=False)
    bank, index = res.bank, res.index
    references = res.grader.prepare()  # so that no later command or worker embeds the bank
    s = index.stats
    if s.loaded_from_cache:
        what = f"index loaded from cache: nothing re-embedded ({s.reused} passages)"
    elif s.embedded == 0:
        what = f"index rebuilt from cached vectors: nothing re-embedded ({s.reused} passages)"
    else:
        what = f"embedded {s.embedded} new passages, reused {s.reused} cached"
    print(f"{s.cards} cards from {len(bank.topics)} topics; {what}; {references} reference texts ready for grading")
    print(f"embedder: {index.embedder.name} ({index.embedder.model_id})")
    print(f"cache: {s.path}")
    return 0


def cmd_search(args) -> int:
    if not args.query.strip():
        raise InterviewerError("the query is empty: type what you are looking for, e.g. "
                               "interviewer search \"batch norm at inference\"")
    index = _resources(_settings(args), prepare=False).index
    hits = index.search(args.query, k=args.k, lang=args.lang)
    if args.format == "json":
        print(json.dumps([{"rank": h.rank, "score": round(h.score, 4), **h.card.to_dict()}
                          for h in hits], ensure_ascii=False, indent=2))
        return 0
    rows = [[h.rank, f"{h.score:.3f}", shorten(h.card.topic, 22), h.card.kind, h.card.lang,
             shorten(h.card.question, 60)] for h in hits]
    print(_table(rows, ["#", "score", "topic", "kind", "lang", "question"]))
    return 0


def cmd_score(args) -> int:
    from .bank import Card, card_id
    from .text import detect_lang
    from .keywords import keywords_from_spec
    from .matching import match_question
    from .scoring import render_markdown

    answer = sys.stdin.read() if args.answer == "-" else args.answer
    recording = None
    if args.audio:
        from .speech import read_audio

        recording = read_audio(args.audio)  # decoded once, and a bad one refused before the models load
    if not args.question.strip():
        raise InterviewerError("the question is empty: pass --question \"...\"")
    if args.reference is not None and not args.reference.strip():
        raise InterviewerError("the reference answer is empty: pass a non-empty --reference")
    res = _resources(_settings(args))
    match = None
    if args.reference is not None:
        card = Card(card_id("custom", "qa", args.question), "custom", "custom", "qa", args.question,
                    args.reference, keywords_from_spec(args.keywords or ""),
                    detect_lang(args.question + args.reference), source="--reference")
    else:
        match = match_question(res.index, args.question, topics=res.bank.topics)
        if match is None:
            raise InterviewerError("no card in the bank matches this question: pass --reference")
        card = match.card
        if args.keywords:
            from dataclasses import replace

            card = replace(card, keywords=card.keywords + keywords_from_spec(args.keywords))
    heard = spoken = None
    if recording is not None:
        from .speech import card_terms, delivery

        heard = res.speech.transcribe(recording, card.lang, card_terms(card))
        answer, spoken = heard.text, delivery(heard)
    result = res.grader.grade(card, answer)
    if args.format == "json":
        out = {"result": result.to_dict(), "card": card.to_dict(),
               **({"transcript": heard.text, "delivery": spoken.to_dict()} if heard else {}),
               "match": None if match is None else {"card_id": match.card.id,
                                                    "question": match.card.question,
                                                    "confidence": match.confidence}}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if match is not None:
        print(f"Matched card: {card.topic} · {card.question} (confidence {match.confidence:.2f})")
        if match.confidence < 0.5:
            print("warning: low-confidence match; pass --reference to grade against your own answer")
        print()
    if heard:
        print(f"Heard: {heard.text}\n")
    print(render_markdown(result))
    if spoken:
        print("\n" + "\n".join(["Delivery:" if spoken.lang == "en" else "表达：", *heard.notices, *spoken.lines()]))
    return 0


def cmd_transcribe(args) -> int:
    from .speech import Recogniser, delivery

    settings = _settings(args)
    heard = Recogniser(settings.cache_dir, settings.threads).transcribe(
        args.file, None if args.lang == "auto" else args.lang)
    spoken = delivery(heard)
    if args.format == "json":
        print(json.dumps({"text": heard.text, "lang": heard.lang, "seconds": round(heard.seconds, 2),
                          "cut": heard.cut, "delivery": spoken.to_dict(),
                          "words": [[w.text, round(w.start, 2), round(w.end, 2)] for w in heard.words]},
                         ensure_ascii=False, indent=2))
        return 0
    for notice in heard.notices:
        print(f"notice: {notice}", file=sys.stderr)
    print(heard.text)
    print("\n" + "\n".join(spoken.lines()), file=sys.stderr)
    return 0


def cmd_grade(args) -> int:
    from .batch import Options
    from .batchrun import check_paths, check_report_path, output_lock, summary_text, write_report
    from .batchio import check_input

    # every path is checked, and the output locked, before the models load (seconds to minutes)
    output = check_paths(Path(args.input), Path(args.output) if args.output else None)
    if args.report:
        check_report_path(Path(args.report), Path(args.input), output)
    columns = {k: v for k, v in (("question", args.question_col), ("answer", args.answer_col),
                                 ("id", args.id_col), ("reference", args.reference_col),
                                 ("keywords", args.keywords_col), ("student", args.student_col),
                                 ("teacher_score", args.teacher_score_col)) if v}
    reference = None
    if args.reference_file:
        from .notes import read_notes_file

        reference = read_notes_file(args.reference_file).strip()
        if not reference:
            raise InterviewerError(f"{args.reference_file}: the reference file is empty")
    if args.chunk_size < 1:
        raise InterviewerError("--chunk-size must be at least 1")
    if args.exemplars:
        check_input(Path(args.exemplars))
    if args.engine == "ray" and args.resume:
        raise InterviewerError("--resume works with the local engine only: rerun without --resume")
    words = TEXTS[args.lang]
    opts = Options(columns=columns, force=args.force, reference=reference,
                   min_confidence=args.min_confidence, chunk_size=args.chunk_size,
                   exemplars_file=args.exemplars, lang=args.lang,
                   force_hint=words["hint-force"], column_hint=words["hint-column"])
    with output_lock(output):  # held from here, so a second run on this output is refused at once
        summary = _grade(args, output, opts)
    for notice in summary.notices:
        print(f"notice: {notice}", file=sys.stderr)
    print(summary_text(summary))
    if args.report:
        try:
            image = write_report(summary, Path(args.report))
        except OSError as e:
            raise InterviewerError(f"{args.report}: cannot write the report ({e.strerror}): "
                                   "choose another --report path") from None
        print(f"report: {args.report} (histogram: {image})")
    return 0


def _grade(args, output: Path, opts):
    from .batchrun import grade_file

    settings = _settings(args)
    res = _resources(settings)  # builds the caches the Ray workers read
    if args.engine == "ray":
        from .rayengine import grade_file_ray

        for name in ("ray", "ray.data"):  # Ray's INFO progress lines would drown the summary
            logging.getLogger(name).setLevel(logging.WARNING)
        return grade_file_ray(Path(args.input), settings, output, opts, address=args.address, workers=args.workers)
    rows_bar = _Bar("grading", unit="row")
    try:
        return grade_file(Path(args.input), res, output, opts, resume=args.resume, progress=rows_bar, locked=True)
    finally:
        rows_bar.close()


def cmd_practice(args) -> int:
    """An interview in the terminal; answers are read line by line from standard input."""
    from .files import atomic_write_bytes
    from .interview import Interviewer
    from .session import load_state

    if args.questions is not None and args.questions < 1:
        raise InterviewerError(f"--questions must be at least 1, not {args.questions}")
    if args.seconds is not None and not args.seconds >= 1:
        raise InterviewerError(f"--seconds must be at least 1, not {args.seconds:g}")
    previous = None
    if args.load:
        try:
            saved = Path(args.load).read_text("utf-8", errors="replace")
        except OSError as e:
            raise InterviewerError(f"{args.load}: cannot read the saved session ({e.strerror}): "
                                   "check the path, or drop --load") from None
        previous, message = load_state(saved)
        if message:
            print(f"notice: {message}", file=sys.stderr)
    res = _resources(_settings(args), prepare=False)  # only the asked cards are ever graded
    engine = Interviewer.from_resources(res)
    state, reply = engine.start(mode=args.mode, lang=args.lang, area=args.area, topic=args.topic,
                                difficulty=args.difficulty, questions=args.questions,
                                seconds=args.seconds, hard=args.hard, seed=args.seed, resume=previous)

    def save() -> None:
        if args.save:
            try:
                atomic_write_bytes(Path(args.save), state.to_json().encode("utf-8"))
            except OSError as e:
                raise InterviewerError(f"{args.save}: cannot save the session ({e.strerror}): "
                                       "choose another --save path") from None

    interactive = sys.stdin.isatty()
    print(reply.markdown, flush=True)
    save()
    while not state.finished:
        try:
            line = input("> ") if interactive else sys.stdin.readline()
        except EOFError:
            break
        if not line and not interactive:
            break  # end of the scripted answers
        line = line.rstrip("\r\n")
        if not interactive:
            print(f"\n> {line}")  # echo, so a scripted transcript reads as a conversation
        state, reply = engine.respond(state, line)
        print(f"\n{reply.markdown}", flush=True)
        save()
    if not state.finished and state.policy.asks:
        print("\n" + engine.report(state).to_markdown())
    if args.report:
        _export_report(engine.report(state), Path(args.report))
        print(f"\nreport: {args.report} (+ .json, mastery chart .png)")
    try:  # keep the reference vectors embedded in this session for the next one
        res.grader.cache.save()
    except OSError:
        pass
    return 0


def _export_report(report, path: Path) -> None:
    """The session report as Markdown, JSON and a mastery chart beside it."""
    from .charts import bars_png, save_png
    from .files import atomic_write_bytes

    image = path.with_suffix(".png")
    try:
        save_png(bars_png([t.topic for t in report.topics], [t.mastery for t in report.topics],
                          "Mastery per topic", "mastery (0-100)"), image)
        markdown = report.to_markdown() + f"\n\n![mastery per topic]({image.name})\n"
        atomic_write_bytes(path, markdown.encode("utf-8"))
        atomic_write_bytes(path.with_suffix(".json"), report.to_json().encode("utf-8"))
    except OSError as e:
        raise InterviewerError(f"{path}: cannot write the report ({e.strerror}): choose another --report path") \
            from None


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interviewer",
        description="Mock-interview coach for deep-learning engineer interviews.")
    parser.add_argument("--version", action="version", version=f"interviewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--notes", action="append", metavar="PATH",
                        help="notes file or folder (repeatable; default: the shipped corpus/)")
    common.add_argument("--embedder", metavar="NAME",
                        help="use-multilingual (default) or sentence-transformers")
    common.add_argument("--cache-dir", metavar="DIR", help="where the index cache lives")

    p = sub.add_parser("parse", help="show what the parser finds in notes files",
                       description="Parse notes files or folders and list topics and cards.")
    p.add_argument("paths", nargs="+", metavar="NOTES", help="a .md notes file or a folder of them")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("check", help="list what in notes files hurts grading, with the fix",
                       description="Check question cards: key terms that repeat the question, twins whose "
                                   "terms differ, missing core answers and misconceptions, near-duplicate questions.")
    p.add_argument("paths", nargs="+", metavar="NOTES", help="a .md notes file or a folder of them")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("index", parents=[common], help="build or refresh the cached search index",
                       description="Embed the bank and build the FAISS index (cached).")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", parents=[common], help="search the notes",
                       description="Find the cards nearest to a free-text query.")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5, help="how many results (default 5)")
    p.add_argument("--lang", choices=["en", "zh"], help="only cards in this language")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("score", parents=[common], help="grade one answer",
                       description="Grade one answer against a reference answer or the bank's "
                                   "closest card.")
    p.add_argument("--question", required=True)
    said = p.add_mutually_exclusive_group(required=True)
    said.add_argument("--answer", help="the answer text, or - to read standard input")
    said.add_argument("--audio", metavar="FILE", help="a recording of the answer (WAV, MP3, M4A, OGG, WEBM)")
    p.add_argument("--reference", help="reference answer (default: the bank's closest card)")
    p.add_argument("--keywords", help="key terms: 'term = alias; other term'")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("transcribe", parents=[common], help="turn a spoken answer into text",
                       description="Transcribe a recording offline (Whisper base) and say how it was "
                                   "spoken: speaking rate, filler words, long pauses.")
    p.add_argument("file", metavar="FILE", help="a recording (WAV, MP3, M4A, OGG, WEBM)")
    p.add_argument("--lang", choices=["en", "zh", "auto"], default="auto", help="language spoken (default: detect)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("grade", parents=[common], help="grade a file of answers",
                       description="Grade every answer in a CSV/TSV/JSONL/XLSX file. Output format "
                                   "follows the -o extension (default: INPUT.graded.csv).")
    p.add_argument("input")
    p.add_argument("-o", "--output")
    p.add_argument("--report", metavar="PATH", help="write a Markdown report (+ histogram PNG)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run")
    p.add_argument("--force", action="store_true", help="grade rows whose question matched weakly")
    p.add_argument("--min-confidence", type=float, default=MIN_MATCH_CONFIDENCE,
                   help=f"question-match confidence below which rows go to review (default {MIN_MATCH_CONFIDENCE})")
    p.add_argument("--reference-file", help="one reference answer (text file) for every row")
    p.add_argument("--exemplars", metavar="FILE",
                   help="graded answers (question, answer, teacher_score 0-5) whose grades the nearest "
                        "answers inherit in part; rows of INPUT with a teacher_score count too")
    p.add_argument("--chunk-size", type=int, default=256, help="rows graded per batch (default 256)")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of the review reasons written and of a file's problems (default en)")
    p.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local (default) or ray (pip install -r requirements-ray.txt)")
    p.add_argument("--address", help="Ray cluster address (auto, ray://host:10001); default: start a local one")
    p.add_argument("--workers", type=int, default=2, help="Ray grading actors (default 2)")
    for name in ("question", "answer", "id", "reference", "keywords", "student", "teacher_score"):
        p.add_argument(f"--{name}-col", metavar="NAME", help=f"column holding the {name} (default: {name})")
    p.set_defaults(func=cmd_grade)
    p = sub.add_parser("practice", parents=[common], help="practise or take a mock interview",
                       description="Interview practice in the terminal. Answers are read line by "
                                   "line from standard input, so a session can be scripted: "
                                   "printf 'answer\\n/skip\\n' | interviewer practice --questions 2. "
                                   "Type /help during the session for the commands.")
    p.add_argument("--mode", choices=["practice", "mock", "study"], default="practice",
                   help="practice: feedback after every answer (default); mock: N questions, "
                        "report at the end; study: ask the notes")
    p.add_argument("--topic", help="a topic name or a wish, e.g. BatchNorm, 'object detection', BN")
    p.add_argument("--area", help="an area of the notes, e.g. 'Optimization'")
    p.add_argument("--difficulty", type=int, choices=[1, 2, 3], help="only questions of this level")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="question language (default en)")
    p.add_argument("--questions", type=int, metavar="N",
                   help="questions in the session (mock default 5; practice: until input ends)")
    p.add_argument("--seconds", type=float, metavar="S",
                   help="time limit per question; a later answer is recorded as late")
    p.add_argument("--hard", action="store_true",
                   help="with --mode mock --seconds: a question closes at its limit; a later answer is graded as cut")
    p.add_argument("--seed", type=int, help="random seed, for a repeatable session")
    p.add_argument("--save", metavar="PATH", help="write the session (JSON) here after every answer")
    p.add_argument("--report", metavar="PATH", help="write the report as Markdown (+ .json and a mastery chart .png)")
    p.add_argument("--load", metavar="PATH",
                   help="continue from a saved session: its history, schedule and mastery")
    p.set_defaults(func=cmd_practice)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except InterviewerError as e:
        print(f"error: {say(e, getattr(args, 'lang', 'en'))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
