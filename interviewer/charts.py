"""Pictures: score histograms and per-topic bars, drawn with matplotlib (no display needed)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .text import is_cjk

# font families known to draw Chinese, in order of preference (Debian's fonts-wqy-zenhei first)
CJK_FAMILIES = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN", "Droid Sans Fallback")
_WORDS = {"en": ("Batch scores", "score", "answers"), "zh": ("批量评分得分", "得分", "回答数")}


def pick_cjk(families: Iterable[str]) -> str | None:
    """The preferred family among `families` that draws Chinese, or None.

    >>> pick_cjk(["DejaVu Sans", "Droid Sans Fallback", "WenQuanYi Zen Hei"]), pick_cjk(["DejaVu Sans"])
    ('WenQuanYi Zen Hei', None)
    """
    have = set(families)
    return next((f for f in CJK_FAMILIES if f in have), None)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """A font of this machine that draws Chinese (None: charts keep English words)."""
    from matplotlib import font_manager

    return pick_cjk(f.name for f in font_manager.fontManager.ttflist)


def histogram_words(lang: str, font: str | None) -> tuple[str, str, str]:
    """(title, x label, y label) of the batch histogram: Chinese only with a font that draws it.

    >>> histogram_words("zh", "WenQuanYi Zen Hei")[1], histogram_words("zh", None)[1]
    ('得分', 'score')
    """
    return _WORDS["zh" if lang == "zh" and font else "en"]


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


def score_histogram_png(scores: Sequence[int], title: str = "Scores", xlabel: str = "score",
                        ylabel: str = "answers", font: str | None = None) -> bytes:
    """A histogram of 0-100 scores in bins of 10, as PNG bytes; `font`: a family for the words."""
    fig, ax = _figure(6, 3.2)
    ax.hist(list(scores), bins=range(0, 101, 10), color="#4c78a8", edgecolor="white")
    ax.set_xlim(0, 100)
    ax.yaxis.get_major_locator().set_params(integer=True)  # counts: no 0.5 answers
    words = {"fontfamily": font} if font else {}
    ax.set_xlabel(xlabel, **words)
    ax.set_ylabel(ylabel, **words)
    ax.set_title(f"{title} (n={len(scores)})", **words)
    return _png(fig)


def batch_histogram_png(scores: Sequence[int], lang: str = "en") -> bytes:
    """A batch run's histogram, its words in `lang` where this machine has a font that draws them."""
    font = cjk_font() if lang == "zh" else None
    return score_histogram_png(scores, *histogram_words(lang, font), font=font)


def bars_png(labels: Sequence[str], values: Sequence[float], title: str, xlabel: str = "") -> bytes:
    """Horizontal bars (e.g. mastery per topic), as PNG bytes."""
    fig, ax = _figure(6, max(2.0, 0.35 * len(labels) + 1))
    ax.barh(list(labels)[::-1], list(values)[::-1], color="#59a14f")
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    font = cjk_font() if any(is_cjk(t) for t in [*labels, title, xlabel]) else None
    if font:  # Chinese names (a 中文 session's topics) drawn, not boxes
        for text in (*ax.get_yticklabels(), ax.title, ax.xaxis.label):
            text.set_fontfamily(font)
    return _png(fig)


def save_png(data: bytes, path: Path) -> None:
    from .files import atomic_write_bytes

    atomic_write_bytes(Path(path), data)
