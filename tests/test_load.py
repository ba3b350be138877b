"""A small load run in the test suite (the full figures come from benchmarks/load.py):
several candidates at once over HTTP, nothing lost, nothing mixed, memory flat."""

import gc

import pytest

from benchmarks.load import run_load


@pytest.mark.parametrize("kind", ["gradio", "browser"])
def test_small_load_loses_and_mixes_nothing(app_url, corpus_bank, kind):
    r = run_load(app_url, clients=3, seconds=12, bank=corpus_bank, kind=kind)
    assert r.errors == [] and r.mixed == []
    assert r.sessions >= 3 and r.answers >= 3


def test_memory_stays_flat_over_repeated_load(app_url, corpus_bank):
    def rss():
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")) / 1024

    run_load(app_url, clients=2, seconds=6, bank=corpus_bank)  # warm-up: caches fill once
    gc.collect()
    before = rss()
    run_load(app_url, clients=2, seconds=10, bank=corpus_bank)
    gc.collect()
    assert rss() - before < 60, (before, rss())
