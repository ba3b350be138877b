"""Shared fixtures. The environment is made offline before anything imports a model library."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "fixtures" / "seed_notes.md"  # the user's notes, verbatim
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def use_embedder():
    from interviewer.embedding import get_embedder

    return get_embedder("use-multilingual")


@pytest.fixture(scope="session")
def st_embedder():
    from interviewer.embedding import get_embedder

    return get_embedder("sentence-transformers")


@pytest.fixture(scope="session")
def corpus_bank():
    from interviewer.notes import load_notes

    return load_notes([CORPUS])


@pytest.fixture(scope="session")
def corpus_index(corpus_bank, use_embedder, tmp_path_factory):
    from interviewer.index import build_index

    return build_index(corpus_bank, use_embedder, tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def resources(corpus_bank, use_embedder, corpus_index, tmp_path_factory):
    """Everything a front end loads at start-up, built once for the test session."""
    from interviewer.config import Settings
    from interviewer.resources import Resources
    from interviewer.scoring import Grader

    settings = Settings(notes=(CORPUS,), cache_dir=tmp_path_factory.mktemp("res-cache"))
    from interviewer.speech import Recogniser

    return Resources(settings, corpus_bank, use_embedder, corpus_index,
                     Grader(corpus_bank, use_embedder, corpus_index), Recogniser(settings.cache_dir))


class FakeEmbedder:
    """A deterministic stand-in for the sentence encoder, for the fast tier: each word (or
    Chinese character) gets a fixed pseudo-random direction and a text is the normalised sum,
    so cosine follows shared words. Nothing loads; the same text always gives the same vector."""

    name = "fake"
    model_id = "fake-bag-of-words-1"
    dim = 64

    def embed(self, texts):
        import hashlib
        import re

        import numpy as np

        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for token in re.findall(r"[a-z0-9]+|[\u3400-\u9fff]", (text or "").lower()):
                seed = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")
                out[i] += np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out[i] = out[i] if out[i].any() else 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="session")
def fake_resources(tmp_path_factory):
    """The user's seed notes (19 topics, 29 questions) over the fake embedder: engine, room
    and batch logic in milliseconds, without the model."""
    from interviewer.config import Settings
    from interviewer.index import build_index
    from interviewer.notes import load_notes
    from interviewer.resources import Resources
    from interviewer.scoring import Grader

    cache = tmp_path_factory.mktemp("fake-cache")
    bank = load_notes([SEED])
    embedder = FakeEmbedder()
    index = build_index(bank, embedder, cache)
    return Resources(Settings(notes=(SEED,), cache_dir=cache), bank, embedder, index, Grader(bank, embedder, index))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(resources):
    """The web app served on a free loopback port for the whole test session."""
    from interviewer.ui import build_app, launch_kwargs, queue

    demo = queue(build_app(resources), resources)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                **launch_kwargs(resources))
    yield f"http://127.0.0.1:{port}/"
    demo.close()


# Fixtures that load a real model, start a server or a browser: a test that needs one (even
# through another fixture) is `slow`, as is every test of a module that starts subprocesses.
# `pytest -m "not slow"` is the fast tier: parsing, text, scheduling, state, files, limits.
SLOW_FIXTURES = {"use_embedder", "st_embedder", "app_url", "recogniser", "playwright", "embedder"}
SUBPROCESS_MODULES = {"test_cli.py", "test_practice_cli.py", "test_batch.py", "test_batch_faults.py",
                      "test_rayengine.py", "test_notes_faults.py"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.name in SUBPROCESS_MODULES:
            item.add_marker(pytest.mark.slow)
