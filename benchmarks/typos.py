"""Typing slips: the grader with and without mending them, on answers given slips on purpose.

    python benchmarks/typos.py            # measure and write benchmarks/RESULTS.md
    python benchmarks/typos.py --no-write # print only

Every English answer of the tune sets (the dev set's tune split; SAF ``training``, real student
answers that carry their own slips) is graded as written, then again after `slip` put one
typing slip (two neighbouring letters swapped, a letter dropped, doubled or replaced by a key
next to it) into a share of its words of five letters or more, with a fixed seed. Mending
(``interviewer/spelling.py``) is switched off and on in the same run. Nothing here was used to
choose the mending rule, which has no fitted setting.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from benchmarks.quality import card_for, corpus_and_embedder, pearson, publish, section_command  # noqa: E402
from benchmarks.sets import dev_rows, saf_rows  # noqa: E402
from interviewer.index import VectorCache  # noqa: E402
from interviewer.scoring import Grader, Weights  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RATES = (0.1, 0.25)
_KEYS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_WORD = re.compile(r"\b[A-Za-z]{5,}\b")


def _neighbour(ch: str, rng: random.Random) -> str:
    for r, row in enumerate(_KEYS):
        if ch.lower() in row:
            i = row.index(ch.lower())
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            near += [_KEYS[k][i] for k in (r - 1, r + 1) if 0 <= k < 3 and i < len(_KEYS[k])]
            return rng.choice(near)
    return ch


def slip(text: str, rate: float, rng: random.Random) -> str:
    """`text` with one typing slip in about `rate` of its words of five letters or more; the
    first letter is kept (slips there are rare, and the mending rule does not look for them).

    >>> slip("Dropout trains thinned networks", 1.0, random.Random(1)) != "Dropout trains thinned networks"
    True
    """
    def one(m: re.Match) -> str:
        w = m.group(0)
        if rng.random() >= rate:
            return w
        i = rng.randrange(1, len(w) - 1)
        kind = rng.randrange(4)
        if kind == 0 and w[i] != w[i + 1]:  # swapping two like letters would change nothing
            return w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if kind <= 1:
            return w[:i] + w[i + 1:]
        if kind == 2:
            return w[:i] + w[i] + w[i:]
        return w[:i] + _neighbour(w[i], rng) + w[i + 1:]

    return _WORD.sub(one, text)


def main(argv=None) -> int:
    args = section_command(__doc__, argv)
    t0 = time.perf_counter()
    bank, embedder = corpus_and_embedder()
    by_q = {c.question: c for c in bank.cards}
    graders = {on: Grader(bank, embedder, cache=VectorCache(None, embedder.dim),
                          weights=replace(Weights(), mend_slips=on)) for on in (False, True)}
    sets = [("dev tune (English)", [r for r in dev_rows() if r.split == "tune" and r.lang == "en"]),
            ("SAF training", [r for r in saf_rows() if r.split == "training"])]
    body = ["Command: `python benchmarks/typos.py` (ran in {secs:.0f} s). Cells: Pearson with people's "
            "grade; *lost* = answers whose band fell from the same answer as written (mending off / on); "
            "*mean change* = mean score change from it. Slips keep a word's first letter.", "",
            "| set | n | as written: off / on | rate | with slips: off / on | lost a band: off / on "
            "| mean change: off / on |", "|---|---|---|---|---|---|---|"]
    for name, rows in sets:
        cards = [card_for(r, by_q) for r in rows]
        human = np.array([r.human for r in rows])
        clean = {on: g.grade_many(list(zip(cards, [r.answer for r in rows])), evidence=False)
                 for on, g in graders.items()}
        for rate in RATES:
            rng = random.Random(17)
            slipped = [slip(r.answer, rate, rng) for r in rows]
            got = {on: g.grade_many(list(zip(cards, slipped)), evidence=False) for on, g in graders.items()}
            cell = {k: " / ".join(v[on] for on in (False, True)) for k, v in {
                "clean": {on: f"{pearson(np.array([x.score for x in clean[on]]), human):.3f}" for on in graders},
                "slipped": {on: f"{pearson(np.array([x.score for x in got[on]]), human):.3f}" for on in graders},
                "lost": {on: str(sum(b.band < a.band for a, b in zip(clean[False], got[on]))) for on in graders},
                "change": {on: f"{np.mean([b.score - a.score for a, b in zip(clean[False], got[on])]):+.1f}"
                           for on in graders},
            }.items()}
            body.append(f"| {name} | {len(rows)} | {cell['clean']} | {rate:.0%} of words | {cell['slipped']} "
                        f"| {cell['lost']} | {cell['change']} |")
    body[0] = body[0].format(secs=time.perf_counter() - t0)
    publish("typos", "Typing slips", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
