"""Batch grading on a Ray cluster, for files that outgrow one machine.

The same core as the local engine, :func:`interviewer.batch.grade_rows`, runs inside a pool
of Ray actors; each actor loads the embedder, the bank, its index and the cached reference
embeddings once (from the settings' cache folder) and grades chunks of ``--chunk-size`` rows.
The driver streams the file with the same reader as the local engine (row numbers, per-row
errors and duplicate-id checks are identical), keeps at most two chunks per worker in flight,
and writes each graded chunk, in input order, as it comes back: neither the input nor the
output is held whole on the driver. The output is written atomically with the local engine's
columns.

Ray is optional: ``pip install -r requirements-ray.txt``. It is imported only here, only
when asked for.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Iterator

from .batch import COLUMNS, Options, RunState, collect_exemplars, grade_rows
from .batchrun import Summary, check_first_row, check_paths, chunks, prepend, write_records
from .batchio import InputRow, mark_duplicates, read_rows
from .config import Settings
from .errors import InputError

RAY_HINT = "the Ray engine needs Ray: pip install -r requirements-ray.txt (or pip install '.[ray]')"


def _ray():
    try:
        import ray
    except ImportError:
        raise InputError(RAY_HINT) from None
    return ray


class GradeWorker:
    """One worker: loads everything once, then grades chunks of rows."""

    def __init__(self, settings: dict, options: dict, input_path: str = ""):
        from .resources import load_resources

        self.res = load_resources(Settings.from_dict(settings))
        self.opts = Options(**options)
        # question matches are cached per actor; teacher exemplars read once per actor, as locally
        self.state = RunState(exemplars=collect_exemplars(Path(input_path), self.res, self.opts)
                              if input_path else None)

    def grade(self, rows: list[InputRow]) -> list[dict]:
        return [{c: str(rec.get(c, "")) for c in COLUMNS}
                for rec in (r.to_record(self.opts.lang) for r in grade_rows(rows, self.res, self.opts, self.state))]


def grade_file_ray(input_path: Path, settings: Settings, output: Path | None = None,
                   opts: Options | None = None, address: str | None = None, workers: int = 2) -> Summary:
    """Grade `input_path` on Ray (started locally, or joined at `address`) into `output`."""
    opts = opts or Options()
    input_path = Path(input_path)
    output = check_paths(input_path, Path(output) if output else None)
    ray = _ray()
    from ray.util import ActorPool

    rows = read_rows(input_path)
    first = next(rows, None)
    check_first_row(first, input_path, opts)
    started_here = False
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, logging_level="ERROR",
                 log_to_driver=False, **({} if address else {"num_cpus": max(1, workers)}))
        started_here = True
    try:
        worker = ray.remote(num_cpus=1)(GradeWorker)
        s = settings.with_(threads=1).to_dict()  # one core per actor: the pool gives the parallelism
        pool = ActorPool([worker.remote(s, asdict(opts), str(input_path.resolve())) for _ in range(max(1, workers))])
        # duplicates judged on the driver, over the whole file in order, as locally
        everything = mark_duplicates(prepend(first, rows), opts.column("id")) if first is not None else iter(())

        def graded() -> Iterator[dict]:
            in_flight = 0
            for chunk in chunks(everything, opts.chunk_size):
                if in_flight >= 2 * max(1, workers):  # bounded: the file is read as fast as it is graded
                    yield from pool.get_next()
                    in_flight -= 1
                pool.submit(lambda actor, c: actor.grade.remote(c), chunk)
                in_flight += 1
            while pool.has_next():
                yield from pool.get_next()

        return write_records(graded(), output, opts.lang)
    finally:
        if started_here:
            ray.shutdown()

