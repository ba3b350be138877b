"""Formula answers: the grader with and without its formula floor, on answers written in formulas.

    python benchmarks/formulas.py            # measure and write benchmarks/RESULTS.md
    python benchmarks/formulas.py --no-write # print only

Sets (``benchmarks/data``), each with four answers per bank card, graded 0-5 by the helper
session that wrote them (``RUBRIC.md``): the right formula typed tersely (*formula*), the right
formula with a sentence or two (*formula-explained*), a wrong formula (*wrong-formula*) and a
wrong formula explained fluently (*wrong-formula-explained*). ``formulas.jsonl`` (tune: the
floor's matching was adjusted after reading its misses and false lifts there) and
``formulas_blind.jsonl`` (written afterwards for cards the first set does not use, by a session
that saw neither the grader nor the first set; after its first measurement one wrongly lifted
row was read and its cause fixed, so it is no longer blind: benchmarks/RESULTS.md).
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from benchmarks.quality import corpus_and_embedder, pearson, publish, section_command  # noqa: E402
from interviewer.index import VectorCache  # noqa: E402
from interviewer.scoring import Grader, Weights  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SETS = [("tune", ROOT / "benchmarks" / "data" / "formulas.jsonl"),
        ("written blind, one row read since", ROOT / "benchmarks" / "data" / "formulas_blind.jsonl")]
KINDS = ("formula", "formula-explained", "wrong-formula", "wrong-formula-explained")


def cells(rows: list[dict], results) -> list[str]:
    """Per kind: n, people's mean grade, mean score, band >= 3, band <= 1."""
    out = []
    for kind in KINDS:
        got = [(r, x) for r, x in zip(rows, results) if r["kind"] == kind]
        if got:
            out.append(f"{len(got)} · {np.mean([r['grade'] for r, _ in got]):.1f} · "
                       f"{np.mean([x.score for _, x in got]):.0f} · {sum(x.band >= 3 for _, x in got)} · "
                       f"{sum(x.band <= 1 for _, x in got)}")
        else:
            out.append("-")
    return out


def main(argv=None) -> int:
    args = section_command(__doc__, argv)
    started = time.perf_counter()
    bank, embedder = corpus_and_embedder()
    by_question = {c.question: c for c in bank.cards}
    cache = VectorCache(None, embedder.dim)
    now = Grader(bank, embedder, cache=cache)
    without = Grader(bank, embedder, cache=cache, weights=replace(Weights(), formula_floor=0.0))
    lines = []
    for name, path in SETS:
        if not path.exists():
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        items = [(by_question[r["question"]], r["answer"]) for r in rows]
        human = [r["grade"] for r in rows]
        before = without.grade_many(items, evidence=False)
        after = now.grade_many(items, evidence=False)
        lifted = sum(a.score > b.score for a, b in zip(after, before))
        cards = len({r["question"] for r in rows})
        for label, results, floor in (("without the floor", before, "-"), ("**the grader**", after, lifted)):
            lines.append(f"| {name} ({cards} cards) | {label} | {pearson([x.score for x in results], human):.3f} | "
                         + " | ".join(cells(rows, results)) + f" | {floor} |")
    body = [f"Command: `python benchmarks/formulas.py` (ran in {time.perf_counter() - started:.0f} s). Cells per "
            "answer kind: answers · people's mean grade · mean score · band >= 3 · band <= 1; *floor* = answers "
            "the formula floor lifted. Pearson with the people's grades over all four kinds.",
            "",
            "| set | grader | Pearson | formula | formula explained | wrong formula | wrong formula explained "
            "| floor |",
            "|---|---|---|---|---|---|---|---|",
            *lines]
    publish("formulas", "Answers written in formulas", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
