"""The sentence encoder in worker processes, for the web server (``Settings.serving``).

The server grades several answers at once on threads that share one interpreter lock, so
the encoder's many small numpy steps took turns with the server's own Python work instead of
using the second core. In a process of its own the encoder runs beside the server: a call
ships the texts there and the vectors back (benchmarks/RESULTS.md, Load).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from typing import Sequence

import numpy as np

from .embedding import Embedder, get_embedder

log = logging.getLogger(__name__)

CALL_TEXTS = 64  # texts per call: a batch upload's chunk does not hold a candidate's answer up
CALL_TIMEOUT = 120.0  # seconds: a worker that takes longer is treated as dead

# the embedder of this process when it is a worker (set once by the pool's initializer; a
# worker process serves one WorkerEmbedder and nothing else)
_worker: Embedder | None = None


def _start(kwargs: dict, parent: int) -> None:
    global _worker
    # a server stopped by a signal runs no clean-up, and the worker's own end of its task pipe
    # keeps it waiting: it leaves once its parent is gone
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _worker = get_embedder(**kwargs)
    _worker.embed(["warm-up"])  # the model loads now, not on a candidate's answer


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _embed(texts: list[str]) -> np.ndarray:
    return _worker.embed(texts)  # type: ignore[union-attr]


class WorkerEmbedder:
    """An `Embedder` whose encoding runs in `workers` spawned processes.

    If a worker dies, hangs or cannot start, encoding goes on in this process (logged once)
    rather than failing every answer after it. An error of the encoder itself is raised as it
    would be in-process.
    """

    def __init__(self, workers: int = 1, **kwargs):
        self._local = get_embedder(**kwargs)  # names and the fallback; loads no model until used
        self.name, self.model_id = self._local.name, self._local.model_id
        # a backend that knows its dimension without its model (USE: 512); else the worker says
        known = vars(type(self._local)).get("dim")  # a class attribute, not a property that loads
        self._dim: int | None = known if isinstance(known, int) else None
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        try:  # spawned, not forked: the server already runs threads, and a fork copies their locks
            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start, initargs=(kwargs, os.getpid()))
        except (OSError, NotImplementedError) as e:  # a platform without process semaphores
            log.warning("no encoding worker (%s); encoding in the server process", e)

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.embed(["dimension"]).shape[1])
        return self._dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        pool = self._pool
        if pool is not None:
            try:
                futures = [pool.submit(_embed, list(texts[i:i + CALL_TEXTS]))
                           for i in range(0, len(texts), CALL_TEXTS)]
            except (BrokenExecutor, RuntimeError) as e:  # dead, or given up by another thread
                if multiprocessing.parent_process() is not None:
                    raise  # a spawned child running a script without a __main__ guard must fail as usual
                self._give_up(pool, type(e).__name__)
            else:
                try:
                    return np.concatenate([f.result(timeout=CALL_TIMEOUT) for f in futures])
                except (BrokenExecutor, TimeoutError) as e:  # an encoder error itself is raised as it is
                    self._give_up(pool, type(e).__name__)
        return self._local.embed(texts)

    def _give_up(self, pool: ProcessPoolExecutor, why: str) -> None:
        with self._lock:
            if self._pool is not pool:
                return  # another thread already did
            self._pool = None
        pool.shutdown(wait=False)
        log.warning("the encoding worker stopped (%s); encoding in the server process from now on", why)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False)


def embedder_from_settings(settings) -> Embedder:
    """The embedder `settings` ask for: in this process, or in `encoder_processes` workers."""
    kwargs = dict(name=settings.embedder, model=settings.st_model, threads=settings.threads,
                  max_chars=settings.max_embed_chars, batch_size=settings.batch_size, allow_hub=settings.allow_hub)
    if settings.encoder_processes:
        return WorkerEmbedder(settings.encoder_processes, **kwargs)
    return get_embedder(**kwargs)
