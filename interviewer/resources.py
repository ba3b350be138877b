"""The loaded, read-only resources every front end needs: bank, embedder, index, grader.

Built once at start-up from `Settings` and shared by all users of a process (nothing in
them changes after loading, except caches that only ever grow).
"""

from __future__ import annotations

from dataclasses import dataclass

from .bank import Bank
from .config import Settings
from .speech import Recogniser
from .embedding import Embedder
from .embedworker import embedder_from_settings
from .index import Progress, SearchIndex, build_index, vector_cache
from .notes import load_notes
from .scoring import Grader, Weights


@dataclass(frozen=True)
class Resources:
    settings: Settings
    bank: Bank
    embedder: Embedder
    index: SearchIndex
    grader: Grader
    speech: Recogniser | None = None  # loads Whisper on first use; None: voice answers off


def load_resources(settings: Settings, progress: Progress | None = None,
                   weights: Weights | None = None, prepare: bool = True) -> Resources:
    """Parse the notes, load or build the index, and (by default) embed every reference."""
    bank = load_notes(settings.notes)
    embedder = embedder_from_settings(settings)
    vcache = vector_cache(settings.cache_dir, embedder)  # one per process: index and grader share it
    index = build_index(bank, embedder, settings.cache_dir, progress=progress, vcache=vcache)
    grader = Grader(bank, embedder, index, vcache, weights or Weights())
    if prepare:
        grader.prepare()  # every reference embedded (and cached) before the first answer
        embedder.embed(["warm-up"])  # load the model now, not on the first candidate's answer
    return Resources(settings, bank, embedder, index, grader, Recogniser(settings.cache_dir, settings.speech_threads or settings.threads))
