"""Teacher exemplars: answers with a human grade that grade the answers most like them.

In batch grading, rows that carry a ``teacher_score`` (or a ``--exemplars`` file) are kept
per question. A new answer to the same question is compared with them (half cosine of the
whole answers, half overlap of their content units); the grades of the five nearest,
weighted by a softmax of their similarity, give a second opinion that the grader blends
with its own score, trusted as far as the nearest exemplar is really near: an answer unlike
every graded one inherits little. Settings chosen on SAF ``training`` by leave-one-out
(benchmarks/RESULTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Exemplar:
    card_id: str
    answer: str
    grade: float  # 0..1


@dataclass
class ExemplarSet:
    """Exemplars grouped by card, embedded once. Built by ``Grader.exemplars``."""

    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    units: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    grades: dict[str, np.ndarray] = field(default_factory=dict)
    answers: dict[str, list[str]] = field(default_factory=dict)
    k: int = 5
    temperature: float = 0.1
    # similarity of the nearest exemplar at which its grade starts to count, and counts fully:
    # trusting far neighbours as much as near ones let wrong answers inherit right ones' grades
    near_low: float = 0.15
    near_high: float = 0.55

    def __len__(self) -> int:
        return sum(len(g) for g in self.grades.values())

    def add(self, card_id: str, answers: list[str], vectors: np.ndarray, units: list[frozenset[str]],
            grades: list[float]) -> None:
        if card_id in self.grades:
            vectors = np.vstack([self.vectors[card_id], vectors])
            units = self.units[card_id] + units
            grades = list(self.grades[card_id]) + list(grades)
            answers = self.answers[card_id] + answers
        self.vectors[card_id], self.units[card_id], self.answers[card_id] = vectors, units, answers
        self.grades[card_id] = np.asarray(grades, float)

    def predict(self, card_id: str, vector: np.ndarray, answer_units: frozenset[str],
                answer: str | None = None) -> tuple[float, float] | None:
        """(the exemplars' grade for an answer 0..1, how much to trust it 0..1), or None.

        The trust is the share of a full neighbourhood (k exemplars) that the card has, so
        one or two graded answers nudge the score instead of deciding it, times how near the
        nearest exemplar is (0 at `near_low`, 1 from `near_high`).
        """
        grades = self.grades.get(card_id)
        if grades is None or not len(grades):
            return None
        cos = self.vectors[card_id] @ vector
        jac = np.array([len(u & answer_units) / max(1, len(u | answer_units)) for u in self.units[card_id]])
        sim = 0.5 * cos + 0.5 * jac
        if answer is not None:  # an exemplar never grades itself
            sim = np.where([a == answer for a in self.answers[card_id]], -np.inf, sim)
            if not np.isfinite(sim).any():
                return None
        top = np.argsort(-sim)[: self.k]
        top = top[np.isfinite(sim[top])]
        w = np.exp((sim[top] - sim[top].max()) / self.temperature)
        near = float(np.clip((sim[top].max() - self.near_low) / (self.near_high - self.near_low), 0.0, 1.0))
        return float(w @ grades[top] / w.sum()), min(1.0, len(top) / self.k) * near
