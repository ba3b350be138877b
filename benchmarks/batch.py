"""Batch throughput: graded answers per second vs. the embedder's own encode throughput.

    python benchmarks/batch.py [--rows 4000] [--backend use-multilingual]

Builds a CSV of `--rows` answers (the dev-set answers, each made unique so no cache helps),
then, in one run and on the same answer texts, measures

1. the embedder's raw ``embed`` throughput (answers/s), batches of 256, the physical limit;
2. ``grade_file`` end to end (read, match questions, grade, write the journal, convert),

and reports the ratio, plus the resident memory while grading (it must stay flat).
Writes the table into ``benchmarks/RESULTS.md`` between the ``batch`` markers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.quality import publish  # noqa: E402
from interviewer.batch import Options  # noqa: E402
from interviewer.batchrun import grade_file  # noqa: E402
from interviewer.config import Settings  # noqa: E402
from interviewer.resources import load_resources  # noqa: E402

DEVSET = ROOT / "benchmarks" / "data" / "devset.jsonl"


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_rows(n: int) -> list[dict]:
    dev = [json.loads(line) for line in DEVSET.read_text("utf-8").splitlines() if line.strip()]
    dev = [d for d in dev if d["answer"].strip()]
    # the number goes in front: after the last full stop it would be a sentence of its own
    return [{"id": str(i), "question": d["question"], "answer": f"({i}) {d['answer']}"}
            for i, d in ((i, dev[i % len(dev)]) for i in range(n))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=4000)
    ap.add_argument("--backend", default="use-multilingual")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        settings = Settings.from_env().with_(embedder=args.backend)
        res = load_resources(settings)
        rows = make_rows(args.rows)
        src = tmp / "answers.csv"
        with open(src, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["id", "question", "answer"])
            w.writeheader()
            w.writerows(rows)
        answers = [r["answer"] for r in rows]

        def raw() -> float:
            t = time.perf_counter()
            for i in range(0, len(answers), 256):
                res.embedder.embed(answers[i : i + 256])
            return len(answers) / (time.perf_counter() - t)

        res.embedder.embed(answers[:64])  # warm-up
        raw_before = raw()
        samples: list[float] = []

        def progress(done, total):
            samples.append(rss_mb())

        t = time.perf_counter()
        summary = grade_file(src, res, tmp / "graded.csv", Options(), progress=progress)
        graded_s = summary.rows / (time.perf_counter() - t)
        raw_after = raw()
        raw_s = (raw_before + raw_after) / 2

    quarter = samples[len(samples) // 4] if samples else 0.0
    body = [
        f"Command: `python benchmarks/batch.py --rows {args.rows} --backend {args.backend}` "
        f"(2 cores; dev-set answers made unique, median {sorted(len(a.split()) for a in answers)[len(answers) // 2]} words).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| embedder raw `embed` throughput on the same answers | {raw_s:.0f} answers/s "
        f"(before {raw_before:.0f}, after {raw_after:.0f}) |",
        f"| `grade_file` end to end (read, match, grade, journal, write CSV) | {graded_s:.0f} answers/s |",
        f"| ratio graded / raw encode | **{graded_s / raw_s:.2f}** |",
        f"| graded / not graded / review | {summary.graded} / {summary.not_graded} / {summary.review} |",
        f"| resident memory at 25% / 100% of the rows | {quarter:.0f} MB / {samples[-1] if samples else 0:.0f} MB |",
    ]
    publish("batch", "Batch grading throughput", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
