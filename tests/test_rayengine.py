"""Batch grading on Ray: a local Ray runtime grades a fixture file with --engine ray and the
output (chunks of two rows) equals the local engine's, byte for byte."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT

ray = pytest.importorskip("ray", reason="Ray is optional: pip install -r requirements-ray.txt")

FIXTURE = ROOT / "tests" / "fixtures" / "batch" / "answers.csv"


def grade(engine, out, cache, source=FIXTURE, *extra):
    env = {**os.environ, "INTERVIEWER_CACHE_DIR": str(cache), "RAY_USAGE_STATS_ENABLED": "0"}
    args = [sys.executable, "-m", "interviewer", "grade", str(source), "-o", str(out), "--force", *extra]
    if engine == "ray":
        args += ["--engine", "ray", "--workers", "2"]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def test_ray_output_equals_local_output(tmp_path):
    # an id used again three chunks later: duplicates are judged over the whole file on both engines
    source = tmp_path / "answers.csv"
    text = FIXTURE.read_text("utf-8")
    source.write_text(text + text.splitlines()[1] + "\n", "utf-8")
    cache = tmp_path / "cache"
    local = grade("local", tmp_path / "local.csv", cache, source)
    assert local.returncode == 0, local.stderr
    distributed = grade("ray", tmp_path / "ray.csv", cache, source, "--chunk-size", "2")
    assert distributed.returncode == 0, distributed.stderr
    assert (tmp_path / "ray.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    assert "duplicate id (first on row 1)" in (tmp_path / "ray.csv").read_text("utf-8")
    assert distributed.stdout.splitlines()[0] == local.stdout.splitlines()[0]
