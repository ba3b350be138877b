"""Spoken answers: delivery figures from word timestamps, bounded audio reading, the model
assembled from its two packages, and (slow) real transcription of synthesised speech."""

import numpy as np
import pytest

from interviewer import speech
from interviewer.speech import (MAX_SECONDS, SAMPLE_RATE, Recogniser, SpeechError, Transcript, Word, delivery,
                                model_folder, prompt_for, read_audio)
from recordings import needs_espeak, speak, tone, write_wav


def said(text, lang="en", step=0.4, gaps=None):
    """A transcript whose words are `step` s apart, with extra silence before word i: gaps[i]."""
    words, at = [], 0.0
    for i, w in enumerate(text.split()):
        at += (gaps or {}).get(i, 0.0)
        words.append(Word(at, at + step * 0.8, w))
        at += step
    return Transcript(text, lang, at, tuple(words))


@pytest.mark.parametrize("text, fillers", [
    ("Um, dropout zeroes units, uh, while training.", (("um", 1), ("uh", 1))),
    ("It works like an ensemble of thinned networks.", ()),  # "like" as a word, not a filler
    ("It is, like, an ensemble. You know, it averages.", (("you know", 1), ("like", 1))),
    ("Basically it is sort of a regulariser.", (("basically", 1), ("sort of", 1))),
    ("So the mean is subtracted.", (("so", 1),)),  # a sentence-opening "so" counts
])
def test_english_fillers(text, fillers):
    assert delivery(said(text)).fillers == fillers


def test_chinese_fillers_and_rate():
    t = Transcript("嗯，就是，批归一化用小批量的均值和方差。呃，然后再缩放。", "zh", 6.0,
                   (Word(0.0, 1.0, "嗯"), Word(1.0, 6.0, "……")))
    d = delivery(t)
    assert d.fillers == (("嗯", 1), ("呃", 1), ("就是", 1), ("然后", 1))
    assert d.unit == "characters" and d.count == 23 and round(d.rate) == 230
    assert d.lines()[1] == "口头禅：“嗯” 1 次、“呃” 1 次、“就是” 1 次、“然后” 1 次"


def test_long_pauses_and_pace():
    d = delivery(said("dropout zeroes random units during training so they cannot co adapt", gaps={5: 2.5, 8: 4.0}))
    assert [round(p, 1) for _, p in d.pauses] == [2.6, 4.1]
    assert d.lines() == ["11 s of speech at 61 words a minute (interview pace is about 120-160).",
                         "No filler words heard.", "2 long pauses (over 2 s), the longest 4.1 s."]


def test_prompt_keeps_fillers_and_the_terms_within_whisper_limit():
    p = prompt_for(["BatchNorm", "internal covariate shift", "BatchNorm"] + [f"term {i}" for i in range(200)], "en")
    assert p.startswith("Um, uh, so, let me think. BatchNorm, internal covariate shift, term 0")
    assert len(p) < 340 and p.count("BatchNorm") == 1
    assert prompt_for([], "zh") == "嗯，呃，以下是普通话的回答，使用简体中文。"


def test_audio_is_resampled_and_cut(tmp_path):
    audio, cut = read_audio(tone(tmp_path / "a.wav", 3.0), max_seconds=1.0)
    assert cut and audio.dtype == np.float32 and len(audio) == SAMPLE_RATE
    audio, cut = read_audio(tmp_path / "a.wav")
    assert not cut and abs(len(audio) - 3 * SAMPLE_RATE) < 200 and MAX_SECONDS == 180


@pytest.mark.parametrize("content, message", [
    (None, "{path}: no such file: check the path"),
    (b"", "The recording is empty: record again."),
    (b"this is a text file, not a recording" * 50, "That file could not be read as audio: record again or upload "
                                                   "WAV, MP3, M4A, OGG or WEBM."),
])
def test_bad_recordings_say_why(tmp_path, content, message):
    path = tmp_path / "answer.wav"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SpeechError) as e:
        read_audio(path)
    assert str(e.value) == message.format(path=path)


def test_a_blip_is_too_short(tmp_path):
    with pytest.raises(SpeechError, match="^The recording is too short to hold an answer: record again.$"):
        read_audio(tone(tmp_path / "blip.wav", 0.1))


def test_missing_or_damaged_model_packages(tmp_path, monkeypatch):
    monkeypatch.setattr(speech, "package_data", lambda module: None)
    with pytest.raises(SpeechError) as e:
        model_folder(tmp_path)
    assert str(e.value) == speech.UNAVAILABLE
    fake = tmp_path / "pkg"
    fake.mkdir()
    (fake / "model.bin.part1").write_bytes(b"x" * 10)
    monkeypatch.setattr(speech, "package_data", lambda module: fake)
    with pytest.raises(SpeechError, match=r"model file model.bin.part1 is damaged \(10 bytes, expected 94,371,840\)"):
        model_folder(tmp_path / "cache")


# ---------------------------------------------------------------- the real model


@pytest.fixture(scope="module")
def recogniser(tmp_path_factory):
    return Recogniser(tmp_path_factory.mktemp("speech-cache"))


@pytest.mark.slow
@needs_espeak
def test_english_answer_is_transcribed_with_its_delivery(recogniser, tmp_path):
    wav = speak(tmp_path / "bn.wav", "Batch normalization normalizes each feature over the mini batch, um, using its "
                                     "mean and variance. At test time it uses running averages.")
    heard = recogniser.transcribe(wav, "en", ["BatchNorm", "mini-batch", "running averages"])
    words = heard.text.lower()
    assert heard.lang == "en" and "normaliz" in words.replace("normalis", "normaliz")
    assert "mean and variance" in words and "running average" in words  # espeak's voice loses the plural
    d = delivery(heard)
    assert ("um", 1) in d.fillers and 100 < d.rate < 220
    folder = recogniser.cache_dir / "whisper-base"
    assert (folder / "model.bin").stat().st_size == 94_371_840 + 50_845_767


@pytest.mark.slow
def test_silence_and_noise_are_no_answer(recogniser, tmp_path):
    quiet = write_wav(tmp_path / "quiet.wav", np.zeros(3 * 16_000))
    noise = write_wav(tmp_path / "noise.wav", np.random.default_rng(0).normal(0, 0.2, 3 * 16_000))
    for path in (quiet, noise):
        with pytest.raises(SpeechError, match="^No speech was heard in the recording: check the microphone"):
            recogniser.transcribe(path, "en")
