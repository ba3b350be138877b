"""The graded answer sets the benchmarks measure on, read into one row type.

- ``dev``: ``benchmarks/data/devset.jsonl``, hand-graded 0-5 against bank cards (tune / holdout);
  and ``benchmarks/data/devset_zh.jsonl`` (split ``zh-tune``): 135 Chinese answers to 45 more
  bank cards, written and graded by one helper session and graded again blind by another (the
  grade is the mean of the two; ``grades`` keeps both).
- ``saf-en``: SAF (Filighera et al., ACL 2022), English, scores 0..1, splits ``training``,
  ``unseen_answers``, ``unseen_questions``.
- ``le-zh``: SAS-Datasets LE (Lai et al. 2023), native Chinese, scores 0..1, one split.

Only the benchmarks read ``../shared/data/asag``; the app and the tests never do.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "benchmarks" / "data" / "devset.jsonl"
DEVSET_ZH = ROOT / "benchmarks" / "data" / "devset_zh.jsonl"
ASAG = ROOT.parent / "shared" / "data" / "asag"


@dataclass(frozen=True)
class Row:
    set: str  # dev | saf-en | le-zh
    split: str  # tune | holdout | training | unseen_answers | unseen_questions | all
    qid: str
    question: str
    reference: str  # empty for dev rows: their reference is the bank card
    answer: str
    human: float  # 0..1
    lang: str

    @property
    def grade5(self) -> float:
        return self.human * 5


def dev_rows(paths: tuple[Path, ...] = (DEVSET, DEVSET_ZH)) -> list[Row]:
    out = []
    for line in (line for path in paths for line in path.read_text("utf-8").splitlines()):
        if line.strip():
            r = json.loads(line)
            out.append(Row("dev", r["split"], r["question"], r["question"], "", r["answer"],
                           r["grade"] / 5, r["lang"]))
    return out


def saf_rows(root: Path = ASAG / "saf-en") -> list[Row]:
    out = []
    for split in ("training", "unseen_answers", "unseen_questions"):
        for f in sorted((root / split).glob("*.xml")):
            q = ET.parse(f).getroot()
            question = " ".join(q.findtext("questionText", "").split())
            reference = "\n".join(r.text.strip() for r in q.iter("referenceAnswer") if r.text)
            for a in q.iter("studentAnswer"):
                out.append(Row("saf-en", split, q.get("id", f.stem), question, reference,
                               (a.findtext("response") or "").strip(),
                               min(1.0, float(a.findtext("score") or 0)), "en"))
    return out


def le_rows(root: Path = ASAG / "le-zh") -> list[Row]:
    with open(root / "qa.csv", encoding="utf-8", newline="") as f:
        questions = {r[0]: r[1] for r in csv.reader(f, delimiter="\t") if len(r) >= 2}
    out = []
    with open(root / "train.csv", encoding="utf-8", newline="") as f:
        for r in csv.reader(f, delimiter="\t"):
            if len(r) >= 4:
                out.append(Row("le-zh", "all", r[0], questions.get(r[0], ""), r[1], r[2], float(r[3]), "zh"))
    return out


def all_rows() -> list[Row]:
    return dev_rows() + saf_rows() + le_rows()
