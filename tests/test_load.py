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


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return f.read().split("State:")[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_app_py_encodes_in_a_worker_process_that_ends_with_the_server(tmp_path):
    import json
    import time

    from benchmarks.load import BrowserCaller, child_pids, serve_app
    from conftest import SEED

    # the seed notes (Chinese questions only) keep a cold start short
    env = {"INTERVIEWER_CACHE_DIR": str(tmp_path / "cache"), "INTERVIEWER_NOTES": str(SEED),
           "INTERVIEWER_ENCODER_PROCESSES": "1"}
    with serve_app(env) as (url, server):
        children = child_pids(server.pid)  # the encoding worker, and multiprocessing's resource tracker
        workers = [p for p in children if b"spawn_main" in open(f"/proc/{p}/cmdline", "rb").read()]
        assert len(workers) == 1
        page = BrowserCaller(url)
        chat, state, *_ = page._event("start", ["practice", "zh", "any", "any", "any", 5, 0, "", False, False])
        chat, state, result, *_ = page.send("批归一化用小批量的均值和方差做标准化。", chat, state)
        assert json.loads(state)["asked"][-1]["score"] is not None and result.startswith("### ")
        assert _alive(workers[0])  # it graded the answer: a server that fell back stops its worker
    deadline = time.time() + 20
    while time.time() < deadline and any(_alive(p) for p in children):
        time.sleep(0.2)
    # stopped by a signal, the server ran no clean-up: the worker (and then the tracker) left on their own
    assert [p for p in children if _alive(p)] == []
