"""Speech recognition on this machine: real-time factor and error rates, English and Chinese.

    python benchmarks/speech.py [--no-write]

The recordings are made here with Debian's espeak-ng (a formant synthesiser, far more
robotic than a person): English answers from its ``en-us`` voice, Chinese ones from its
``cmn-latn-pinyin`` voice reading tone-numbered pinyin (its character voice cannot read
Chinese characters here). Each is transcribed by :class:`interviewer.speech.Recogniser`
with and without the card's key terms as the prompt. Word error rate for English, character
error rate for Chinese (punctuation and case ignored), real-time factor = transcription
seconds / audio seconds on 2 cores. Writes ``benchmarks/RESULTS.md`` between the ``speech``
markers.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (spoken text or pinyin, the words said, key terms for the prompt)
ENGLISH = [
    ("Dropout randomly zeroes hidden units during training, so they cannot co-adapt.", ["dropout", "co-adapt"]),
    ("Batch normalization standardizes each feature with the mini-batch mean and variance.",
     ["batch normalization", "mini-batch"]),
    ("At test time batch norm uses the running averages collected during training.", ["running averages"]),
    ("A residual block learns the difference from the identity, which makes very deep networks trainable.",
     ["residual", "identity"]),
    ("Adam keeps moving averages of the gradient and its square, with bias correction early on.",
     ["Adam", "bias correction"]),
    ("Depthwise separable convolution splits a convolution into a depthwise and a pointwise step.",
     ["depthwise", "pointwise"]),
    ("Non-maximum suppression removes boxes that overlap a higher scoring box by more than a threshold.",
     ["non-maximum suppression", "IoU"]),
    ("The KV cache stores the keys and values of earlier tokens so that decoding does not recompute them.",
     ["KV cache", "decoding"]),
]
CHINESE = [  # (pinyin for espeak, the characters said, key terms)
    ("pi1 gui1 yi1 hua4 yong4 xiao3 pi1 liang4 de5 jun1 zhi2 he2 fang1 cha4 zuo4 biao1 zhun3 hua4",
     "批归一化用小批量的均值和方差做标准化", ["批归一化", "小批量"]),
    ("sui2 ji1 shi1 huo2 zai4 xun4 lian4 shi2 sui2 ji1 diu1 qi4 shen2 jing1 yuan2",
     "随机失活在训练时随机丢弃神经元", ["随机失活", "神经元"]),
    ("can2 cha1 lian2 jie1 rang4 ti1 du4 ke3 yi3 zhi2 jie1 chuan2 dao4 qian2 mian4 de5 ceng2",
     "残差连接让梯度可以直接传到前面的层", ["残差连接", "梯度"]),
    ("xue2 xi2 lv4 tai4 da4 hui4 dao3 zhi4 xun4 lian4 fa1 san4", "学习率太大会导致训练发散", ["学习率", "发散"]),
    ("juan4 ji1 shen2 jing1 wang3 luo4 tong1 guo4 quan2 zhi2 gong4 xiang3 jian3 shao3 can1 shu4",
     "卷积神经网络通过权值共享减少参数", ["卷积神经网络", "权值共享"]),
]


def edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("-", " "))


def chars(text: str) -> list[str]:
    return re.findall(r"[\u3400-\u9fff]", text)


def speak(path: Path, text: str, voice: str) -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True)
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    from interviewer.config import Settings
    from interviewer.speech import Recogniser

    settings = Settings.from_env()
    rec = Recogniser(settings.cache_dir, settings.threads)
    work = Path(tempfile.mkdtemp(prefix="speech-"))
    t0 = time.perf_counter()
    rec._load()
    load_s = time.perf_counter() - t0
    rows = []
    samples = []
    for lang, items in (("en", [(t, t, k) for t, k in ENGLISH]), ("zh", CHINESE)):
        for prompted in (True, False):
            errors = total = 0
            audio_s = busy_s = 0.0
            for i, (spoken, truth, terms) in enumerate(items):
                wav = work / f"{lang}{i}.wav"
                if not wav.exists():
                    speak(wav, spoken, "en-us" if lang == "en" else "cmn-latn-pinyin")
                t = time.perf_counter()
                try:
                    heard = rec.transcribe(wav, lang, terms if prompted else ())
                    text, seconds = heard.text, heard.seconds
                except Exception as e:  # a clip heard as silence counts as all words missed
                    text, seconds = "", 0.0
                    print(f"{wav.name}: {e}", file=sys.stderr)
                busy_s += time.perf_counter() - t
                audio_s += seconds or 5.0
                ref, hyp = (words(truth), words(text)) if lang == "en" else (chars(truth), chars(text))
                errors += edit_distance(ref, hyp)
                total += len(ref)
                if i < 2 and prompted:
                    samples.append(f"| {lang} | {truth} | {text.replace('|', '/')} |")
            rows.append(f"| {lang} | {'key terms' if prompted else 'none'} | {len(items)} | {audio_s:.0f} s | "
                        f"{'WER' if lang == 'en' else 'CER'} {100 * errors / total:.0f}% | {busy_s / audio_s:.2f} |")
            print(rows[-1], file=sys.stderr)
    body = [
        f"Command: `python benchmarks/speech.py` (Whisper base via faster-whisper, int8, 2 CPU threads; model "
        f"load {load_s:.1f} s). Recordings synthesised here by espeak-ng: English from `en-us`, Chinese from "
        "`cmn-latn-pinyin` reading tone-numbered pinyin. *Prompt* = the card's key terms given to the recogniser "
        "(what the app does); RTF = transcription time / audio time (below 1 is faster than speech).",
        "",
        "| language | prompt | clips | audio | error rate | RTF |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Examples (with the prompt):",
        "",
        "| language | said | heard |",
        "|---|---|---|",
        *samples,
        "",
        "What it means: espeak-ng's English is robotic but intelligible, and Whisper base recovers most of it, so "
        "a person speaking clearly should see a similar or lower word error rate, and the transcript box lets "
        "them fix a slip before sending. espeak-ng's Mandarin is far from human speech (flat tones, wrong "
        "rhythm); its error rate here measures the synthesiser as much as the recogniser and is not what a "
        "Chinese speaker will see, but it is the only Chinese audio this machine can make. No real Chinese "
        "recordings with a licence were available offline, so Chinese quality is unmeasured for real voices. "
        "On unclear audio Whisper may also write the prompt's key terms without hearing them (see the Chinese "
        "examples): the transcript is shown for the candidate to check before it is graded, and "
        "*Send as soon as transcribed* skips that check.",
    ]
    from benchmarks.quality import publish

    publish("speech", "Speech recognition", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
