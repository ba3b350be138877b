"""Pictures: score histograms and per-topic bars, drawn with matplotlib (no display needed)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Sequence


def _figure(width: float, height: float):
    # a Figure of its own, not pyplot: no backend switched for the process, and no global
    # figure list shared by the web server's threads
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    return fig, fig.subplots()


def _png(fig) -> bytes:
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def score_histogram_png(scores: Sequence[int], title: str = "Scores") -> bytes:
    """A histogram of 0-100 scores in bins of 10, as PNG bytes."""
    fig, ax = _figure(6, 3.2)
    ax.hist(list(scores), bins=range(0, 101, 10), color="#4c78a8", edgecolor="white")
    ax.set_xlim(0, 100)
    ax.set_xlabel("score")
    ax.set_ylabel("answers")
    ax.set_title(f"{title} (n={len(scores)})")
    return _png(fig)


def bars_png(labels: Sequence[str], values: Sequence[float], title: str, xlabel: str = "") -> bytes:
    """Horizontal bars (e.g. mastery per topic), as PNG bytes."""
    fig, ax = _figure(6, max(2.0, 0.35 * len(labels) + 1))
    ax.barh(list(labels)[::-1], list(values)[::-1], color="#59a14f")
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return _png(fig)


def save_png(data: bytes, path: Path) -> None:
    from .files import atomic_write_bytes

    atomic_write_bytes(Path(path), data)
