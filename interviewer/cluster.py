"""Batch grading on a Ray cluster (Ray Data), for files that outgrow one machine.

The same core as the local engine, :func:`interviewer.batch.grade_rows`, runs inside a pool
of Ray actors; each actor loads the embedder, the bank, its index and the cached reference
embeddings once (from the settings' cache folder) and grades batches of rows with
``map_batches``. The driver parses the file with the same streaming reader as the local
engine, so row numbers, per-row errors and duplicate-id checks are identical; output rows are
written in input order, atomically, with the local engine's columns.

Ray is optional: ``pip install -r requirements-ray.txt``. It is imported only here, only
when asked for.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from .batch import (COLUMNS, Options, RunState, Summary, check_first_row, check_paths, collect_exemplars,
                    grade_rows, write_records)
from .batchio import InputRow, read_rows
from .config import Settings
from .errors import InputError

RAY_HINT = "the Ray engine needs Ray: pip install -r requirements-ray.txt (or pip install '.[ray]')"


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise InputError(RAY_HINT) from None
    return ray


class GradeActor:
    """One worker: loads everything once, then grades batches of rows."""

    def __init__(self, settings: dict, options: dict, input_path: str = ""):
        from .resources import load_resources

        self.res = load_resources(Settings.from_dict(settings))
        self.opts = Options(**options)
        # question matches are cached per actor; teacher exemplars read once per actor, as locally
        self.state = RunState(exemplars=collect_exemplars(Path(input_path), self.res, self.opts)
                              if input_path else None)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        rows, firsts = [], {}
        for number, fields, error, first in zip(batch["number"], batch["fields"], batch["error"], batch["first"]):
            rows.append(InputRow(int(number), dict(fields), str(error)))
            if first is not None and int(first) > 0:
                firsts[dict(fields).get(self.opts.column("id"), "").strip()] = int(first)
        self.state.seen_ids.update(firsts)
        out = grade_rows(rows, self.res, self.opts, self.state)
        return {"number": [r.number for r in out],
                "record": [{c: str(rec.get(c, "")) for c in COLUMNS} for rec in (r.to_record() for r in out)]}


def grade_file_ray(input_path: Path, settings: Settings, output: Path | None = None,
                   opts: Options | None = None, address: str | None = None, workers: int = 2,
                   batch_size: int = 256) -> Summary:
    """Grade `input_path` on Ray (started locally, or joined at `address`) into `output`."""
    opts = opts or Options()
    input_path = Path(input_path)
    output = check_paths(input_path, Path(output) if output else None)
    ray = _ray()
    items, first_seen = [], {}
    for row in read_rows(input_path):
        rid = row.fields.get(opts.column("id"), "").strip()
        first = first_seen.setdefault(rid, row.number) if rid else 0
        items.append({"number": row.number, "fields": row.fields, "error": row.error, "first": first})
    first = InputRow(items[0]["number"], items[0]["fields"], items[0]["error"]) if items else None
    check_first_row(first, input_path, opts)
    started_here = False
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, logging_level="ERROR",
                 log_to_driver=False, **({} if address else {"num_cpus": max(1, workers)}))
        started_here = True
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        s = settings.with_(threads=1).to_dict()  # one core per actor: the pool gives the parallelism
        o = asdict(opts)
        graded = ray.data.from_items(items).map_batches(
            GradeActor, fn_constructor_kwargs={"settings": s, "options": o, "input_path": str(input_path.resolve())}, batch_size=batch_size,
            compute=ray.data.ActorPoolStrategy(size=max(1, workers)), num_cpus=1, batch_format="default")
        results = sorted(graded.take_all(), key=lambda r: int(r["number"]))
    finally:
        if started_here:
            ray.shutdown()
    return write_records((r["record"] for r in results), output)
