"""Folders for the files the web app hands to users (graded uploads, charts, exports).

Each request gets its own folder under one root; folders older than ``max_age`` seconds are
removed by a background sweep (and whenever a new one is made), and the whole root goes at
:meth:`Scratch.close`. Gradio copies a returned file into its own cache before serving it,
so a folder is only needed for the seconds between the handler's return and that copy;
``max_age`` leaves ample room for it.

    >>> s = Scratch(max_age=60)
    >>> f = s.folder("batch")
    >>> f.parent == s.root and f.name.startswith("batch-")
    True
    >>> s.close(); s.root.exists()
    False
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path


class Scratch:
    def __init__(self, max_age: float, parent: str | Path | None = None):
        self.max_age = max_age
        self.root = Path(tempfile.mkdtemp(prefix="interviewer-", dir=parent))
        self._stop = threading.Event()
        self._sweeper: threading.Thread | None = None
        self._lock = threading.Lock()

    def folder(self, kind: str) -> Path:
        """A new empty folder; also sweeps old ones and starts the background sweep."""
        self.sweep()
        with self._lock:
            if self._sweeper is None and not self._stop.is_set():
                self._sweeper = threading.Thread(target=self._run, name="scratch-sweep", daemon=True)
                self._sweeper.start()
        return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=self.root))

    def sweep(self, now: float | None = None) -> int:
        """Remove folders older than max_age; returns how many went."""
        now = time.time() if now is None else now
        gone = 0
        try:
            entries = list(self.root.iterdir())
        except FileNotFoundError:
            return 0
        for entry in entries:
            try:
                old = now - entry.stat().st_mtime > self.max_age
            except FileNotFoundError:
                continue
            if old:
                shutil.rmtree(entry, ignore_errors=True)
                gone += 1
        return gone

    def _run(self) -> None:
        while not self._stop.wait(max(1.0, self.max_age / 2)):
            self.sweep()

    def size(self) -> int:
        """Bytes held now (for benchmarks and tests)."""
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())

    def close(self) -> None:
        self._stop.set()
        shutil.rmtree(self.root, ignore_errors=True)
