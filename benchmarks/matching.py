"""Question matching benchmark: a teacher's question in their own words against the bank's cards.

    python benchmarks/matching.py            # measure and write the matching section of RESULTS.md

In-bank questions: ``benchmarks/data/paraphrases.jsonl`` (reworded bank questions, whose right
card is the one reworded or its twin; short generic questions, whose right card is any card of
the topic, each *tune* / *holdout* by topic) and the dev set's questions (the bank's own
wording). Out-of-bank questions: the questions of SAF (communication networks) and LE
(logistics), which no card answers, so any match is wrong and must fall under the cut.

Per group: how often the top card is right, right matches sent to review (under the cut),
wrong matches graded without review (at or above the cut), in one run with two baselines from
the same search: the nearest question by cosine alone (confidence: the cosine scaled as in the
grader), and the previous rule (that cosine and rapidfuzz's token-set ratio of the two texts).
The weights were chosen on the *tune* groups and SAF *training*; the rest were not looked at.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from benchmarks.quality import publish  # noqa: E402
from benchmarks.sets import le_rows, saf_rows  # noqa: E402
from interviewer.config import MIN_MATCH_CONFIDENCE, Settings  # noqa: E402
from interviewer.matching import _named_topics, match_question, scaled_cosine  # noqa: E402
from interviewer.resources import load_resources  # noqa: E402
from interviewer.text import detect_lang, normalise  # noqa: E402

PARAPHRASES = ROOT / "benchmarks" / "data" / "paraphrases.jsonl"


def cosine_only(index, question, vector, topics):
    lang = detect_lang(question)
    hit = (index.search_questions(vector, k=1, lang=lang) or index.search_questions(vector, k=1))[0]
    return hit.card, scaled_cosine(hit.score)


def previous_rule(index, question, vector, topics):
    """The rule before rare words weighed: top 8 by cosine plus the named topics' questions
    (topic names found by today's `named`, which also reads a singular for a plural)."""
    lang = detect_lang(question)
    hits = index.search_questions(vector, k=len(index.cards), lang=lang) or \
        index.search_questions(vector, k=len(index.cards))
    q = normalise(question)
    names = _named_topics(topics, q)
    best = None
    for h in hits[:8] + [h for h in hits[8:] if h.card.topic in names]:
        fuzzy = fuzz.token_set_ratio(q, normalise(h.card.question)) / 100.0
        c = max(scaled_cosine(h.score), fuzzy if fuzzy >= 0.9 else 0.0, 0.5 * scaled_cosine(h.score) + 0.5 * fuzzy)
        c = min(1.0, c + 0.15) if h.card.topic in names else c
        if best is None or c > best[1]:
            best = (h.card, c)
    return best


def ours(index, question, vector, topics):
    m = match_question(index, question, vector=vector, topics=topics)
    return m.card, m.confidence


def groups(bank):
    """(name, [(question, is_right(card) or None when no card is right)])."""
    pair = {c.id: c.pair for c in bank.cards}
    para = [json.loads(line) for line in PARAPHRASES.read_text("utf-8").splitlines() if line.strip()]
    out = []
    for split in ("tune", "holdout"):
        for kind in ("reworded", "generic"):
            rows = [r for r in para if r["split"] == split and r["kind"] == kind]
            if kind == "reworded":
                items = [(r["question"], lambda c, r=r: c.id == r["card"] or c.pair == pair[r["card"]]) for r in rows]
            else:
                items = [(r["question"], lambda c, r=r: c.topic == r["topic"]) for r in rows]
            out.append((f"paraphrases, {kind}, *{split}* (en {sum(r['lang'] == 'en' for r in rows)}, "
                        f"zh {sum(r['lang'] == 'zh' for r in rows)})", items))
    topic_of = {}  # the dev set names each row's topic
    for line in (ROOT / "benchmarks" / "data" / "devset.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            topic_of[(r["question"], r["split"])] = r["topic"]
    for split in ("tune", "holdout"):
        qs = sorted({q for (q, s) in topic_of if s == split})
        out.append((f"dev set questions (the bank's wording), *{split}*",
                    [(q, lambda c, t=topic_of[(q, split)]: c.topic == t) for q in qs]))
    saf = saf_rows()
    out.append(("SAF *training* questions (not in the bank)",
                [(q, None) for q in sorted({r.question for r in saf if r.split == "training"})]))
    out.append(("SAF *unseen* questions (not in the bank)",
                [(q, None) for q in sorted({r.question for r in saf if r.split != "training"})]))
    out.append(("LE questions (Chinese, not in the bank)", [(q, None) for q in sorted({r.question for r in le_rows()})]))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = ap.parse_args(argv)
    res = load_resources(Settings.from_env())
    index, topics, cut = res.index, res.bank.topics, MIN_MATCH_CONFIDENCE
    rules = [("cosine only", cosine_only), ("previous rule", previous_rule), ("**ours**", ours)]
    lines = ["| questions | n | " + " | ".join(f"{n}: right / right sent to review / wrong not sent"
                                                  for n, _ in rules) + " |",
             "|---|---|" + "---|" * len(rules)]
    for name, items in groups(res.bank):
        vectors = index.embedder.embed([q for q, _ in items])
        cells = []
        for _, rule in rules:
            right = flagged = slipped = 0
            for (q, is_right), v in zip(items, vectors):
                card, conf = rule(index, q, v, topics)
                ok = bool(is_right and is_right(card))
                right += ok
                flagged += ok and conf < cut
                slipped += (not ok) and conf >= cut
            cells.append(f"{right} / {flagged} / {slipped}" if items[0][1] else f"- / - / {slipped}")
        lines.append(f"| {name} | {len(items)} | " + " | ".join(cells) + " |")
    body = [
        "Command: `python benchmarks/matching.py`. Out-of-bank questions have no right card: every",
        f"one at or above the cut ({cut}) would be graded against a wrong reference without review.",
        "",
        *lines,
    ]
    publish("matching", "Question matching (batch grading without a reference column)", body,
            write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
