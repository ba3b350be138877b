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
