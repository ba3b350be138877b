"""Batch grading on Ray: a local Ray runtime grades a fixture file with --engine ray and the
output equals the local engine's, row for row."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT

ray = pytest.importorskip("ray", reason="Ray is optional: pip install -r requirements-ray.txt")

FIXTURE = ROOT / "tests" / "fixtures" / "batch" / "answers.csv"


def grade(engine, out, cache):
    env = {**os.environ, "INTERVIEWER_CACHE_DIR": str(cache), "RAY_USAGE_STATS_ENABLED": "0"}
    args = [sys.executable, "-m", "interviewer", "grade", str(FIXTURE), "-o", str(out), "--force"]
    if engine == "ray":
        args += ["--engine", "ray", "--workers", "2"]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def test_ray_output_equals_local_output(tmp_path):
    cache = tmp_path / "cache"
    local = grade("local", tmp_path / "local.csv", cache)
    assert local.returncode == 0, local.stderr
    distributed = grade("ray", tmp_path / "ray.csv", cache)
    assert distributed.returncode == 0, distributed.stderr
    assert (tmp_path / "ray.csv").read_text("utf-8") == (tmp_path / "local.csv").read_text("utf-8")
    assert distributed.stdout.splitlines()[0] == local.stdout.splitlines()[0]
