"""Ray scaling: the same generated file graded by the local engine and by Ray with 1 and 2 workers.

    python benchmarks/ray_scaling.py [--rows 2000]

Needs ``pip install -r requirements-ray.txt``. Starts a local Ray runtime per run
(``num_cpus`` = workers; on this 2-core machine 2 workers is the ceiling). Reports rows/s and
the ratio to the local engine; the Ray figures include starting the runtime and loading the
model in every actor, which a long-running cluster pays once. Writes into
``benchmarks/RESULTS.md`` between the ``ray`` markers.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.batch import make_rows  # noqa: E402
from benchmarks.quality import publish  # noqa: E402
from interviewer.batch import Options  # noqa: E402
from interviewer.batchrun import grade_file  # noqa: E402
from interviewer.rayengine import grade_file_ray  # noqa: E402
from interviewer.config import Settings  # noqa: E402
from interviewer.resources import load_resources  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "answers.csv"
        with open(src, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["id", "question", "answer"])
            w.writeheader()
            w.writerows(make_rows(args.rows))
        t = time.perf_counter()
        res = load_resources(settings)
        local_load = time.perf_counter() - t
        t = time.perf_counter()
        grade_file(src, res, tmp / "local.csv", Options())
        local = args.rows / (time.perf_counter() - t)
        rows = [f"| local engine | {local:.0f} | 1.00 | model loaded before timing ({local_load:.0f} s) |"]
        outputs = {}
        for workers in (1, 2):
            t = time.perf_counter()
            grade_file_ray(src, settings, tmp / f"ray{workers}.csv", Options(), workers=workers)
            rate = args.rows / (time.perf_counter() - t)
            outputs[workers] = (tmp / f"ray{workers}.csv").read_text("utf-8")
            rows.append(f"| Ray, {workers} worker{'s' * (workers > 1)} | {rate:.0f} | {rate / local:.2f} | "
                        "includes runtime start and per-actor model load |")
        same = all(o == (tmp / "local.csv").read_text("utf-8") for o in outputs.values())
    body = [
        f"Command: `python benchmarks/ray_scaling.py --rows {args.rows}` (local Ray runtime on the same 2-core "
        f"machine; outputs identical to the local engine: {'yes' if same else 'NO'}).",
        "",
        "| engine | rows/s | vs local | note |",
        "|---|---|---|---|",
        *rows,
    ]
    publish("ray", "Ray scaling", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
