"""The misconception, key-figure and swap cues on answers written for them: how often they fire, on
right and on wrong answers.

Eleven sets of answers to bank cards, written by helper sessions acting as candidates (not graded
by people, so they measure the cues, not the score's correlation):

- ``benchmarks/data/audit.jsonl``: 30 cards, a right and a flawed answer each; most flaws are one
  of the card's own *Wrong* lines in other words. The cue's settings were chosen with it (tune).
- ``benchmarks/data/misconceptions.jsonl``: 40 other cards, written without knowing the rule:
  right answers, a listed misconception in other words, an error the card does not list, and ten
  right answers that reject a listed misconception (blind when first measured).
- ``benchmarks/data/numbers.jsonl``: 40 cards with a key term that holds a number: right, the
  number wrong, and right with extra true numbers the notes do not give. The key-figure cue's
  setting was chosen with it (tune).
- ``benchmarks/data/onesided.jsonl``: 40 comparison cards: a right answer about one side only, a
  right one naming the other side in passing, and a wrong one that gives one side the other's
  traits without naming it (blind when first measured, for the one-side swap cue).
- ``benchmarks/data/sides_blind.jsonl``: 30 more comparison cards, written after the one-side rule
  was fixed: right, right about one side only, both sides exchanged, one side given the other's
  traits (blind when first measured).
- ``benchmarks/data/figures_review.jsonl``: 68 answers to 30-odd cards whose key term counts
  something ("256 anchors", "5 epochs"), written by a reviewer to trip the key-figure cue: right
  answers that leave the key figure out and give other true numbers, and wrong figures. Rules were
  chosen after reading it (tune).
- ``benchmarks/data/denials_review.jsonl``: 63 English answers to 26 cards, written by a reviewer
  to trip the rejection test: right answers that deny a listed misconception in words that repeat
  it, and misconceptions said beside an incidental negation. Rules were chosen after reading it
  (tune).
- ``benchmarks/data/blind9.jsonl``: 100 answers to cards from 20 corpus files, written by a helper
  session that did not see the grader, after the rules above were fixed: right answers that deny a
  listed misconception, misconceptions said, right answers with other true numbers but not the key
  figure, and the key figure given wrong (blind when first measured).
- ``benchmarks/data/blind9b.jsonl``: 50 more cards (35 English, 15 Chinese) none of the sets above
  uses, by another helper session that did not see the grader: a right answer (a third of them
  rejecting a listed misconception in passing) and a listed misconception in other words each
  (blind when first measured).
- ``benchmarks/data/blind14.jsonl``: 60 more cards (40 English, 20 Chinese) none of the sets above
  uses, by a helper session that saw neither the grader nor these sets: a right answer (a third of
  them rejecting a listed misconception in passing) and a listed misconception in other words, most
  inside an otherwise right answer. Written to measure the clause-level misconception reading; one
  false cap it showed was mended after reading it (benchmarks/RESULTS.md).
- ``benchmarks/data/trip_review.jsonl``: 42 answers by a reviewer of the session-9 change, made to
  trip the misconception cue: right answers that reuse a misconception's words (both directions in
  one sentence, another subject, a clause of a longer true sentence) and misconceptions beside a
  word that looks like a denial. Rules were mended after reading it (tune).

Beside the grader: the same grader with the cues as they were before (misconception by cosine
alone, 0.85 and 0.1 above every reference sentence; no key-figure cue; the swap cue only for both
sides exchanged).
Run: ``python benchmarks/cues.py [--no-write]``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from benchmarks.quality import corpus_and_embedder, publish, section_command  # noqa: E402
from interviewer.contradictions import Thresholds  # noqa: E402
from interviewer.index import VectorCache  # noqa: E402
from interviewer.scoring import Grader, Weights  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SETS = [("audit (tune)", ROOT / "benchmarks" / "data" / "audit.jsonl"),
        ("numbers (tune)", ROOT / "benchmarks" / "data" / "numbers.jsonl"),
        ("blind", ROOT / "benchmarks" / "data" / "misconceptions.jsonl"),
        ("one side (blind)", ROOT / "benchmarks" / "data" / "onesided.jsonl"),
        ("sides (blind)", ROOT / "benchmarks" / "data" / "sides_blind.jsonl"),
        ("figures review (tune)", ROOT / "benchmarks" / "data" / "figures_review.jsonl"),
        ("denials review (tune)", ROOT / "benchmarks" / "data" / "denials_review.jsonl"),
        ("blind 9", ROOT / "benchmarks" / "data" / "blind9.jsonl"),
        ("blind 9b", ROOT / "benchmarks" / "data" / "blind9b.jsonl"),
        ("trip review (tune)", ROOT / "benchmarks" / "data" / "trip_review.jsonl"),
        ("blind 14", ROOT / "benchmarks" / "data" / "blind14.jsonl")]
KINDS = ["right", "right_extra_numbers", "denial", "right_one_side", "right_one_side_named", "flawed", "wrong_number",
         "misconception", "other_error", "swapped", "half_swapped"]
CUES = ("misconception", "figure", "swap")


def measure(grader: Grader, bank, rows: list[dict]) -> dict[str, tuple[int, int, int, int, int, float]]:
    """Per answer kind: (n, misconception, key-figure and swap cues, band >= 4, band <= 1, mean score)."""
    by_question = {c.question: c for c in bank.cards}
    results = grader.grade_many([(by_question[r["question"]], r["answer"]) for r in rows], evidence=False)
    out = {}
    for kind in KINDS:
        got = [x for r, x in zip(rows, results) if r["kind"] == kind]
        if got:
            cue = [sum(any(c.kind == k for c in x.contradictions) for x in got) for k in CUES]
            out[kind] = (len(got), *cue, sum(x.band >= 4 for x in got), sum(x.band <= 1 for x in got),
                         float(np.mean([x.score for x in got])))
    return out


def main(argv=None) -> int:
    args = section_command(__doc__, argv)
    bank, embedder = corpus_and_embedder()
    now = Weights()
    before = replace(now, thresholds=replace(now.thresholds, misconception=0.85, margin=0.1, misconception_words=0,
                                             misconception_close=2.0, misconception_many_words=10**9, half_words_margin=-1.0,
                                             one_side_traits=10**9, clause_words=10**9, all_words_own=10**9,
                                             figure_aligned=2.0))  # a cosine never reaches 2: no key-figure cue
    graders = {"before": Grader(bank, embedder, cache=VectorCache(None, embedder.dim), weights=before),
               "**the grader**": Grader(bank, embedder, cache=VectorCache(None, embedder.dim), weights=now)}
    body = ["Command: `python benchmarks/cues.py`. Cells: answers with a misconception cue / a key-figure cue / "
            "a swap cue / band >= 4 / band <= 1 / mean score. *Before*: the misconception cue by cosine alone (0.85, "
            "and 0.1 above every reference sentence), no key-figure cue, a swap only when both sides are exchanged. "
            "Settings now: " + repr(now.thresholds) + ".", "",
            "| set | answers | n | " + " | ".join(graders) + " |", "|---|---|---|" + "---|" * len(graders)]
    for name, path in SETS:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        cells = {g: measure(grader, bank, rows) for g, grader in graders.items()}
        for kind in KINDS:
            first = next(iter(cells.values())).get(kind)
            if first:
                row = [" / ".join(map(str, c[kind][1:-1])) + f" / {c[kind][-1]:.0f}" for c in cells.values()]
                body.append(f"| {name} | {kind.replace('_', ' ')} | {first[0]} | " + " | ".join(row) + " |")
    publish("cues", "Contradiction cues on answers written for them", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
