"""Quality benchmark: the grader's scores against hand grades on the dev set.

    python benchmarks/quality.py [--backends use-multilingual,sentence-transformers] [--no-grid]

Reads ``benchmarks/data/devset.jsonl`` (answers graded 0-5 by the rubric in
``benchmarks/data/RUBRIC.md``), chooses the grader's weights by grid search on the *tune*
split only, and reports Pearson / Spearman correlations on the tune and the untouched
*holdout* split, per language, for the combined score and each single signal, for each
embedding backend. Also measures the time to grade one answer. Writes the tables into
``benchmarks/RESULTS.md`` between the ``quality`` markers.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from interviewer.embedding import get_embedder  # noqa: E402
from interviewer.index import VectorCache  # noqa: E402
from interviewer.notes import load_notes  # noqa: E402
from interviewer.scoring import Grader, Weights  # noqa: E402

DEVSET = ROOT / "benchmarks" / "data" / "devset.jsonl"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
GRID = {
    "off_topic_percentile": [90.0],
    "whole": [0.0, 0.3],
    "focus": [0.0, 0.2],
    "recall_top": [1.0, 0.75, 0.5],
    "semantic": [0.6, 0.7, 0.8, 0.9],
}


class MemoEmbedder:
    """The real embedder, remembering what it has embedded (grid points reuse vectors)."""

    def __init__(self, inner):
        self.inner, self.memo = inner, {}
        self.name, self.model_id, self.dim = inner.name, inner.model_id, inner.dim

    def embed(self, texts):
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if missing:
            self.memo.update(zip(missing, self.inner.embed(missing)))
        return np.stack([self.memo[t] for t in texts]) if texts else self.inner.embed([])


def ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    for v in np.unique(x):  # average ranks for ties
        idx = x == v
        r[idx] = r[idx].mean()
    return r


def pearson(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def spearman(a, b) -> float:
    return pearson(ranks(np.asarray(a, float)), ranks(np.asarray(b, float)))


def load_devset(bank):
    rows = [json.loads(line) for line in DEVSET.read_text("utf-8").splitlines() if line.strip()]
    by_q = {c.question: c for c in bank.cards}
    missing = [r["question"] for r in rows if r["question"] not in by_q]
    if missing:
        raise SystemExit(f"{len(missing)} dev-set questions are not in the bank, e.g. {missing[0]!r}")
    return rows, [by_q[r["question"]] for r in rows]


def evaluate(grader, rows, cards):
    results = grader.grade_many(list(zip(cards, [r["answer"] for r in rows])))
    return {"score": np.array([r.score for r in results], float),
            "semantic": np.array([r.semantic for r in results], float),
            "coverage": np.array([r.coverage for r in results], float),
            "band": np.array([r.band for r in results], float)}


def table_rows(name, out, rows):
    grades = np.array([r["grade"] for r in rows], float)
    lines = []
    for split in ("tune", "holdout"):
        for lang in ("all", "en", "zh"):
            mask = np.array([r["split"] == split and (lang == "all" or r["lang"] == lang) for r in rows])
            if mask.sum() < 3:
                continue
            g = grades[mask]
            cells = [f"{pearson(out[k][mask], g):.3f} / {spearman(out[k][mask], g):.3f}"
                     for k in ("score", "semantic", "coverage")]
            exact = float((out["band"][mask] == g).mean())
            within = float((np.abs(out["band"][mask] - g) <= 1).mean())
            lines.append(f"| {name} | {split} | {lang} | {int(mask.sum())} | " + " | ".join(cells)
                         + f" | {exact:.2f} / {within:.2f} |")
    return lines


MIN_GAP = 8


def fit_band_edges(scores, grades, start) -> tuple[float, ...]:
    """Score thresholds between bands that maximise exact band = grade agreement (tune split)."""
    scores, grades = np.asarray(scores, float), np.asarray(grades, float)
    edges = list(start)

    def agree(e):
        return float((np.searchsorted(np.asarray(e), scores, side="right") == grades).mean())

    for _ in range(3):  # coordinate ascent, edges kept increasing
        for i in range(len(edges)):
            # at least MIN_GAP points per band: a rare grade must not get a sliver of a band
            lo = edges[i - 1] + MIN_GAP if i else 5
            hi = edges[i + 1] - MIN_GAP if i + 1 < len(edges) else 95
            best = max(range(int(lo), int(hi) + 1),
                       key=lambda t: (agree(edges[:i] + [t] + edges[i + 1:]), -abs(t - edges[i])))
            edges[i] = float(best)
    return tuple(edges)


def timing(grader, cards, answers, n=60) -> tuple[float, float]:
    grader.prepare(cards)
    for c, a in zip(cards[:5], answers[:5]):
        grader.grade(c, a)  # warm-up
    times = []
    for c, a in itertools.islice(itertools.cycle(zip(cards, answers)), n):
        t = time.perf_counter()
        grader.grade(c, a)
        times.append(time.perf_counter() - t)
    return float(np.median(times) * 1000), float(np.percentile(times, 95) * 1000)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default="use-multilingual,sentence-transformers")
    ap.add_argument("--no-grid", action="store_true", help="use the default Weights, no search")
    ap.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    bank = load_notes([ROOT / "corpus"])
    rows, cards = load_devset(bank)
    tune = [i for i, r in enumerate(rows) if r["split"] == "tune"]
    out_lines, notes = [], []
    chosen_before = None
    for n_backend, backend in enumerate(args.backends.split(",")):
        embedder = MemoEmbedder(get_embedder(backend))
        cache = VectorCache(None, embedder.dim)
        grader = Grader(bank, embedder, cache=cache)
        grader.prepare(sorted(set(cards), key=lambda c: c.id))
        best, best_r = Weights(), -2.0
        if not args.no_grid and n_backend == 0:
            keys = list(GRID)
            for values in itertools.product(*(GRID[k] for k in keys)):
                params = dict(zip(keys, values))
                params["coverage"] = round(1 - params["semantic"], 2)
                w = replace(Weights(), **params)
                g = Grader(bank, embedder, cache=cache, weights=w)
                out = evaluate(g, [rows[i] for i in tune], [cards[i] for i in tune])
                r = pearson(out["score"], [rows[i]["grade"] for i in tune])
                if r > best_r:
                    best, best_r = w, r
            g = Grader(bank, embedder, cache=cache, weights=best)
            out = evaluate(g, [rows[i] for i in tune], [cards[i] for i in tune])
            edges = fit_band_edges(out["score"], [rows[i]["grade"] for i in tune], best.band_edges)
            best = replace(best, band_edges=edges)
        elif chosen_before:
            best = chosen_before  # the other backends reuse the first backend's weights
        chosen_before = chosen_before or best
        g = Grader(bank, embedder, cache=cache, weights=best)
        out = evaluate(g, rows, cards)
        out_lines += table_rows(backend, out, rows)
        chosen = {k: getattr(best, k) for k in ("semantic", "coverage", "whole", "focus", "recall_top",
                                                "off_topic_percentile", "band_edges")}
        how = "chosen on the tune split" if n_backend == 0 and not args.no_grid else "as for the first backend"
        notes.append(f"- `{backend}`: weights {how}: `{chosen}`")
        # references come from the filled cache; answers go through the real, un-memoised model
        fresh = Grader(bank, embedder.inner, cache=cache, weights=best)
        answers = [r["answer"] + " " for r in rows]
        med, p95 = timing(fresh, cards, answers)
        words = float(np.median([len(a.split()) for a in answers]))
        notes.append(f"  - one answer graded against an embedded reference: median {med:.1f} ms, p95 {p95:.1f} ms "
                     f"(dev-set answers, median {words:.0f} words; the p95 is the long padded answers)")
        print(f"{backend}: best tune Pearson {best_r:.3f} with {chosen}", file=sys.stderr)

    n_q = len({r["question"] for r in rows})
    areas = sorted({c.area for c in cards})
    header = [
        "<!-- quality:start -->",
        "## Scoring quality",
        "",
        f"Command: `python benchmarks/quality.py` (ran in {time.perf_counter() - started:.0f} s on 2 cores). "
        f"Dev set: {len(rows)} hand-graded answers to {n_q} questions from {len(areas)} areas "
        f"({', '.join(areas)}); grades 0-5 by `benchmarks/data/RUBRIC.md`. Weights are chosen on the "
        "*tune* split only; the *holdout* questions were never looked at while tuning.",
        "",
        "Cells: Pearson / Spearman against the human grade. Bands: exact / within-one agreement of band and grade.",
        "",
        "| backend | split | lang | n | score | semantic only | coverage only | band agreement |",
        "|---|---|---|---|---|---|---|---|",
        *out_lines,
        "",
        *notes,
        "<!-- quality:end -->",
    ]
    text = "\n".join(header)
    print(text)
    if not args.no_write:
        write_section(RESULTS, "quality", text)
    return 0


def write_section(path: Path, name: str, text: str) -> None:
    """Replace the section between `<!-- name:start -->` and `<!-- name:end -->` (or append)."""
    old = path.read_text("utf-8") if path.exists() else "# Benchmark results\n"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start in old and end in old:
        new = old[: old.index(start)] + text + old[old.index(end) + len(end):]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(new, "utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    sys.exit(main())
