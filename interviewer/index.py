"""The FAISS search index over the bank's cards, and the on-disk caches behind it.

Two caches live under the cache folder:

- ``vectors/<model>.npz``: every text ever embedded by one model, keyed by a hash of the
  text. A bank change re-embeds only the cards whose text changed.
- ``index/<key>/``: the FAISS index and a manifest for one bank + backend + model. The key
  hashes all three, so a stale cache is never read; a corrupt one is rebuilt with a notice.

Search returns typed hits, e.g. ``build_index(bank, embedder, cache_dir).search("why 1x1
convolutions in inception", k=1)`` gives ``[Hit(card=<a GoogLeNet card>, score=0.6, rank=1)]``.
"""

from __future__ import annotations

import hashlib
import re
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

import faiss
import numpy as np

from .bank import Bank, Card, slugify
from .embedding import Embedder
from .errors import SearchIndexError

FORMAT_VERSION = 2
log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (done, total)


class Hit(NamedTuple):
    card: Card
    score: float  # cosine similarity
    rank: int


@dataclass(frozen=True)
class IndexStats:
    key: str
    path: Path
    cards: int
    embedded: int  # passages embedded in this run
    reused: int  # passages taken from a cache
    loaded_from_cache: bool
    notices: tuple[str, ...] = ()


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class VectorCache:
    """Text-hash → vector store for one model, persisted as one ``.npz`` file."""

    def __init__(self, path: Path | None, dim: int):
        self.path, self.dim = path, dim  # path None: kept in memory only
        self.notices: list[str] = []
        self._rows: dict[str, np.ndarray] = {}
        self._dirty = False
        if path is not None and path.exists():
            try:
                with np.load(path, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
                if vectors.ndim != 2 or vectors.shape[1] != dim or len(keys) != len(vectors):
                    raise ValueError(f"shape {vectors.shape} does not fit dim {dim}")
                self._rows = {str(k): v for k, v in zip(keys, vectors.astype(np.float32))}
            except Exception as e:  # any damage means: start over, say so
                self.notices.append(f"vector cache {path} was unreadable ({type(e).__name__}); "
                                    "rebuilding it")

    def __len__(self) -> int:
        return len(self._rows)

    def embed(self, embedder: Embedder, texts: Sequence[str], batch: int = 256,
              progress: Progress | None = None) -> tuple[np.ndarray, int]:
        """Vectors for `texts`, embedding only the ones not cached. Returns (vectors, n_new)."""
        keys = [text_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._rows))
        by_key = {k: t for k, t in zip(keys, texts)}
        for start in range(0, len(missing), batch):
            chunk = missing[start : start + batch]
            vectors = embedder.embed([by_key[k] for k in chunk])
            self._rows.update(zip(chunk, vectors))
            self._dirty = True
            if progress:
                progress(min(start + batch, len(missing)), len(missing))
        out = np.stack([self._rows[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)
        return out.astype(np.float32), len(missing)

    def save(self) -> None:
        if not self._dirty or self.path is None:
            return
        import io

        keys = np.array(list(self._rows), dtype="U40")
        vectors = np.stack(list(self._rows.values())).astype(np.float32)
        buf = io.BytesIO()
        np.savez(buf, keys=keys, vectors=vectors)
        atomic_write_bytes(self.path, buf.getvalue())
        self._dirty = False


_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*")


def passages(card: Card, max_chars: int = 400) -> list[str]:
    """What the index embeds for one card: its question, then its answer in short passages.

    Short passages keep one long answer from diluting the match of each of its points.

    >>> from interviewer.bank import Card
    >>> passages(Card("x", "Dropout", "A", "qa", "Why dropout?", "Less co-adaptation."))
    ['Dropout: Why dropout?', 'Dropout: Less co-adaptation.']
    """
    out = [f"{card.topic}: {card.question}"]
    for para in re.split(r"\n\s*\n", card.answer):
        para = " ".join(para.split())
        if not para:
            continue
        chunk = ""
        for sentence in _SENTENCE_END.split(para):
            if chunk and len(chunk) + len(sentence) > max_chars:
                out.append(f"{card.topic}: {chunk.strip()}")
                chunk = ""
            chunk += sentence + " "
        if chunk.strip():
            out.append(f"{card.topic}: {chunk.strip()}")
    return out


def index_key(bank: Bank, embedder: Embedder) -> str:
    raw = f"{FORMAT_VERSION}|{bank.content_hash}|{embedder.name}|{embedder.model_id}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass
class SearchIndex:
    """Cards and their FAISS inner-product index (vectors are L2-normalised)."""

    cards: tuple[Card, ...]
    faiss_index: faiss.Index  # one row per passage
    row_card: np.ndarray  # passage row -> index into `cards`
    embedder: Embedder
    stats: IndexStats
    vectors: np.ndarray = field(repr=False, default=None)  # type: ignore[assignment]
    texts: tuple[str, ...] = field(repr=False, default=())  # the passage of each row
    tags: dict[str, str] = field(repr=False, default_factory=dict)  # card id -> topic aliases, key terms
    lexical_weight: float = 0.15  # how much exact words (BM25) add to the cosine in `search`

    @cached_property
    def _lexical(self) -> "Bm25":
        return Bm25([f"{t} {self.tags.get(self.cards[i].id, '')}" for t, i in zip(self.texts, self.row_card)])

    def __len__(self) -> int:
        return len(self.cards)

    @cached_property
    def _questions(self) -> tuple[faiss.Index, np.ndarray]:
        """A small FAISS index over question passages only (the first passage of each card)."""
        first = np.r_[True, self.row_card[1:] != self.row_card[:-1]]
        rows = np.flatnonzero(first)
        index = faiss.IndexFlatIP(self.vectors.shape[1])
        index.add(np.ascontiguousarray(self.vectors[rows]))
        return index, self.row_card[rows]

    @cached_property
    def _topic_rows(self) -> dict[str, np.ndarray]:
        rows: dict[str, list[int]] = {}
        for row, i in enumerate(self.row_card):
            rows.setdefault(self.cards[int(i)].topic, []).append(row)
        return {t: np.array(r) for t, r in rows.items()}

    def search_topic(self, vector: np.ndarray, topic: str, k: int = 1,
                     exclude: Iterable[str] = ()) -> list[Hit]:
        """Nearest cards within one topic (a few dozen rows: a direct dot product)."""
        rows = self._topic_rows.get(topic)
        if rows is None or k <= 0:
            return []
        excluded = set(exclude)
        scores = self.vectors[rows] @ np.asarray(vector, np.float32)
        best: dict[int, float] = {}
        for j in np.argsort(-scores):
            i = int(self.row_card[rows[j]])
            if i in best or self.cards[i].id in excluded:
                continue
            best[i] = float(scores[j])
            if len(best) == k:
                break
        return [Hit(self.cards[i], s, n) for n, (i, s) in enumerate(best.items(), 1)]

    def search_questions(self, vector: np.ndarray, k: int = 8, *, lang: str | None = None,
                         kinds: Iterable[str] | None = ("qa",)) -> list[Hit]:
        """Cards whose *question* is nearest to `vector` (for matching a user's question)."""
        index, cards_of = self._questions
        kinds_ = set(kinds) if kinds else None
        scores, ids = index.search(np.asarray(vector, np.float32).reshape(1, -1), index.ntotal)
        hits: list[Hit] = []
        for score, row in zip(scores[0], ids[0]):
            card = self.cards[int(cards_of[row])]
            if (lang and card.lang != lang) or (kinds_ and card.kind not in kinds_):
                continue
            hits.append(Hit(card, float(score), len(hits) + 1))
            if len(hits) == k:
                break
        return hits

    def search(self, query: str, k: int = 5, **filters) -> list[Hit]:
        """Hybrid search: cosine of the best passage plus a BM25 bonus for the query's words.

        The bonus lets rare exact terms ("inception", "1x1", "RoIAlign") decide between
        passages the sentence encoder finds equally close.
        """
        vector = self.embedder.embed([query])[0]
        if not self.texts or self.lexical_weight <= 0:
            return self.search_vector(vector, k, **filters)
        bm25 = self._lexical.scores(query)
        top = float(bm25.max()) if len(bm25) else 0.0
        bonus = self.lexical_weight * bm25 / top if top > 0 else np.zeros(len(self.texts))
        return self.search_vector(vector, k, row_bonus=bonus, **filters)

    def search_vector(self, vector: np.ndarray, k: int = 5, *, lang: str | None = None,
                      kinds: Iterable[str] | None = None, topic: str | None = None,
                      exclude: Iterable[str] = (), row_bonus: np.ndarray | None = None) -> list[Hit]:
        """Nearest cards to one vector; filters are applied before the top `k` is cut."""
        if k <= 0 or not self.cards:
            return []
        kinds_, excluded = (set(kinds) if kinds else None), set(exclude)
        filtered = lang or kinds_ or topic or excluded or row_bonus is not None
        rows = self.faiss_index.ntotal
        want = rows if filtered else min(rows, k * 12)
        scores, ids = self.faiss_index.search(np.asarray(vector, np.float32).reshape(1, -1), want)
        if row_bonus is not None:
            scores = scores[0] + row_bonus[ids[0]]
            order = np.argsort(-scores, kind="stable")
            scores, ids = scores[order][None, :], ids[0][order][None, :]
        best: dict[int, float] = {}  # a card scores as its best passage
        for score, row in zip(scores[0], ids[0]):
            if row < 0:
                continue
            i = int(self.row_card[row])
            if i in best:
                continue
            card = self.cards[i]
            if (lang and card.lang != lang) or (kinds_ and card.kind not in kinds_) \
                    or (topic and card.topic != topic) or card.id in excluded:
                continue
            best[i] = float(score)
            if len(best) == k:
                break
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        return [Hit(self.cards[i], s, n) for n, (i, s) in enumerate(ranked, 1)]


_TOKEN = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")


def _tokens(text: str) -> list[str]:
    """Lower-case words (plural s dropped) and Chinese character bigrams."""
    out, prev_cjk = [], ""
    for t in _TOKEN.findall(text.lower()):
        if len(t) == 1 and "\u3400" <= t <= "\u9fff":
            if prev_cjk:
                out.append(prev_cjk + t)
            prev_cjk = t
            continue
        prev_cjk = ""
        out.append(t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t)
    return out


class Bm25:
    """Okapi BM25 over the index's passages (k1=1.2, b=0.75), for the lexical bonus."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75):
        from collections import Counter

        self.docs = [Counter(_tokens(t)) for t in texts]
        lengths = np.array([sum(d.values()) for d in self.docs], float)
        self.norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1.0)) if len(lengths) else lengths
        self.k1 = k1
        df = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: float(np.log(1 + (n - f + 0.5) / (f + 0.5))) for t, f in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, d in enumerate(self.docs):
            for t in d:
                self.postings.setdefault(t, []).append(i)

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(len(self.docs))
        for t in set(_tokens(query)):
            for i in self.postings.get(t, ()):
                tf = self.docs[i][t]
                out[i] += self.idf[t] * tf * (self.k1 + 1) / (tf + self.norm[i])
        return out


def vector_cache(cache_dir: Path, embedder: Embedder) -> VectorCache:
    """The on-disk text→vector cache of one model (shared by the index and the grader)."""
    return VectorCache(_vector_cache_path(Path(cache_dir), embedder), embedder.dim)


def _vector_cache_path(cache_dir: Path, embedder: Embedder) -> Path:
    return cache_dir / "vectors" / f"{slugify(embedder.name)}--{slugify(embedder.model_id)}.npz"


def build_index(bank: Bank, embedder: Embedder, cache_dir: Path,
                progress: Progress | None = None) -> SearchIndex:
    """Load the cached index for this bank and model, or (re)build it.

    Damage of any kind to the cache (deleted, truncated, written by another model) leads to
    a rebuild with a notice in ``stats.notices``, never to an exception.
    """
    if not bank.cards:
        raise SearchIndexError("the bank has no cards to index: check the notes files")
    cache_dir = Path(cache_dir)
    key = index_key(bank, embedder)
    folder = cache_dir / "index" / key
    notices: list[str] = []
    ids = [c.id for c in bank.cards]

    vcache = vector_cache(cache_dir, embedder)
    notices.extend(vcache.notices)
    texts, row_card = [], []
    for i, card in enumerate(bank.cards):
        for text in passages(card):
            texts.append(text)
            row_card.append(i)
    row_card_ = np.array(row_card, dtype=np.int32)
    aliases = {t.name: " ".join(t.aliases) for t in bank.topics}
    tags = {c.id: f"{aliases.get(c.topic, '')} {' '.join(t for k in c.keywords for t in k.terms)}"
            for c in bank.cards}
    cached = _load_cached(folder, key, ids, len(texts), embedder, notices)
    if cached is not None:
        index, vectors = cached
        stats = IndexStats(key, folder, len(ids), 0, len(texts), True, tuple(notices))
        return SearchIndex(bank.cards, index, row_card_, embedder, stats, vectors, tuple(texts), tags)

    started = time.perf_counter()
    vectors, n_new = vcache.embed(embedder, texts, progress=progress)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    try:
        vcache.save()
        atomic_write_bytes(folder / "vectors.npy", _npy_bytes(vectors))
        atomic_write_bytes(folder / "index.faiss", faiss.serialize_index(index).tobytes())
        manifest = {"format": FORMAT_VERSION, "key": key, "backend": embedder.name,
                    "model_id": embedder.model_id, "dim": int(vectors.shape[1]),
                    "bank_hash": bank.content_hash, "cards": ids,
                    "built_seconds": round(time.perf_counter() - started, 3)}
        atomic_write_bytes(folder / "manifest.json", json.dumps(manifest, indent=1).encode())
    except OSError as e:
        notices.append(f"could not write the index cache in {folder} ({e.strerror}); "
                       "it will be rebuilt next time")
    stats = IndexStats(key, folder, len(ids), n_new, len(texts) - n_new, False, tuple(notices))
    for n in notices:
        log.warning(n)
    return SearchIndex(bank.cards, index, row_card_, embedder, stats, vectors, tuple(texts), tags)


def _npy_bytes(array: np.ndarray) -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def _load_cached(folder: Path, key: str, ids: list[str], rows: int, embedder: Embedder,
                 notices: list[str]) -> tuple[faiss.Index, np.ndarray] | None:
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        return None
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if manifest.get("key") != key or manifest.get("cards") != ids \
                or manifest.get("model_id") != embedder.model_id:
            raise ValueError("manifest does not match this bank and model")
        data = np.frombuffer((folder / "index.faiss").read_bytes(), dtype=np.uint8)
        index = faiss.deserialize_index(data)
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        if index.ntotal != rows or index.d != manifest["dim"] or vectors.shape != (rows, index.d):
            raise ValueError("index size does not match the manifest")
        return index, vectors.astype(np.float32)
    except Exception as e:  # a damaged cache is rebuilt, whatever the damage
        notices.append(f"index cache in {folder} was unusable ({type(e).__name__}: "
                       f"{str(e)[:80]}); rebuilding it")
        return None
