"""Hostile files against the command line and the web app (issue 17), measured.

    python benchmarks/hostile.py [--uploads 50] [--no-write]

1. Builds a 1 MB workbook whose one cell expands to 1 GB and runs ``interviewer grade`` on
   it: wall time and the process's peak memory.
2. Starts ``python app.py`` on loopback and uploads that workbook twice in parallel to the
   Batch grading tab while a candidate keeps answering in the chat: the server's peak
   memory and the chat's p95 latency, next to the same chat without the uploads.
3. Grades ``--uploads`` small files and makes as many progress exports in a row, then waits
   for the sweep: bytes in the server's temporary folders at the start, at the peak and
   after the sweep.

Writes the figures into ``benchmarks/RESULTS.md`` between the ``hostile`` markers.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.load import rss_mb, serve_app  # noqa: E402

GB = 1 << 30


def build_bomb(folder: Path) -> Path:
    from workbooks import one_huge_string, workbook

    return workbook(folder / "bomb.xlsx", {"xl/sharedStrings.xml": one_huge_string(GB)})


def cli_run(bomb: Path, folder: Path) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, last stderr line) of ``interviewer grade`` on the bomb."""
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "interviewer", "grade", str(bomb), "-o", str(folder / "out.csv")],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, p.returncode, (p.stderr.strip().splitlines() or [""])[-1]


def folder_bytes(*folders: Path) -> int:
    return sum(p.stat().st_size for f in folders if f.exists() for p in f.rglob("*") if p.is_file())


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self):
        while not self.stop.wait(0.05):
            self.peak = max(self.peak, rss_mb(self.pid))


def chat_latencies(url: str, until: float) -> list[float]:
    from gradio_client import Client

    client = Client(url, verbose=False)
    chat, state, *_ = client.predict("practice", "en", "any", "BatchNorm", "any", 5, 0, "", api_name="/start")
    out = []
    while time.time() < until:
        t0 = time.perf_counter()
        chat, state, *_ = client.predict("It normalises each feature over the mini-batch.", chat, state,
                                         api_name="/send")
        out.append(time.perf_counter() - t0)
    return out


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[int(0.95 * (len(xs) - 1))] * 1000 if xs else float("nan")


def upload(url: str, path: Path, results: list, what: str = "/grade"):
    from gradio_client import Client, handle_file

    try:
        Client(url, verbose=False).predict(handle_file(str(path)), False, api_name=what)
        results.append("graded")
    except Exception as e:  # the refusal arrives as an AppError carrying our message
        results.append(str(e).splitlines()[0][:200])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--uploads", type=int, default=50)
    ap.add_argument("--sweep-age", type=int, default=20, help="INTERVIEWER_TEMP_MAX_AGE for the server (seconds)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    t0 = time.perf_counter()
    bomb = build_bomb(work)
    print(f"bomb: {bomb.stat().st_size:,} bytes, built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    cli_s, cli_mb, cli_rc, cli_msg = cli_run(bomb, work)
    print(f"cli: {cli_s:.2f} s, peak {cli_mb:.0f} MB, exit {cli_rc}: {cli_msg}", file=sys.stderr)

    gtmp, ptmp = work / "gradio", work / "tmp"
    gtmp.mkdir(), ptmp.mkdir()
    env = {"GRADIO_TEMP_DIR": str(gtmp), "TMPDIR": str(ptmp), "INTERVIEWER_TEMP_MAX_AGE": str(args.sweep_age)}
    with serve_app(env) as (url, server):
        idle_rss = rss_mb(server.pid)
        quiet = chat_latencies(url, time.time() + 15)
        sampler = Sampler(server.pid)
        sampler.start()
        refusals: list[str] = []
        uploads = [threading.Thread(target=upload, args=(url, bomb, refusals)) for _ in range(2)]
        box: list[list[float]] = []
        chat = threading.Thread(target=lambda: box.append(chat_latencies(url, time.time() + 15)))
        chat.start()
        time.sleep(1)
        for u in uploads:
            u.start()
        for u in uploads:
            u.join()
        chat.join()
        sampler.stop.set()
        busy = box[0] if box else []
        print(f"web: idle {idle_rss:.0f} MB, peak {sampler.peak:.0f} MB; chat p95 {p95(quiet):.0f} ms quiet, "
              f"{p95(busy):.0f} ms during the uploads; refusals: {refusals}", file=sys.stderr)

        small = work / "answers.csv"
        small.write_text("question,answer\nWhat is dropout?,It zeroes random units while training.\n"
                         "Why use batch norm?,It normalises activations over the mini-batch.\n", "utf-8")
        start = folder_bytes(gtmp, ptmp)
        from gradio_client import Client

        client = Client(url, verbose=False)
        _, state, *_ = client.predict("practice", "en", "any", "BatchNorm", "any", 5, 0, "", api_name="/start")
        graded = []
        for _ in range(args.uploads):
            upload(url, small, graded)
            client.predict(state, api_name="/export")
        peak = folder_bytes(gtmp, ptmp)
        time.sleep(args.sweep_age * 2 + 2)
        end = folder_bytes(gtmp, ptmp)
        print(f"disk: start {start:,} B, after {args.uploads} uploads and exports {peak:,} B, "
              f"after the sweep {end:,} B ({graded.count('graded')} graded)", file=sys.stderr)
    body = [
        f"Command: `python benchmarks/hostile.py --uploads {args.uploads} --sweep-age {args.sweep_age}` "
        f"(2 cores; the workbook is {bomb.stat().st_size / 1e6:.1f} MB and its one cell expands to 1 GB).",
        "",
        "| what | figure |",
        "|---|---|",
        f"| `interviewer grade bomb.xlsx` | exit {cli_rc} in {cli_s:.1f} s, peak memory {cli_mb:.0f} MB |",
        f"| its message | {cli_msg.replace('|', '/')} |",
        f"| web app, two uploads of it in parallel | server {idle_rss:.0f} MB idle, {sampler.peak:.0f} MB peak |",
        f"| chat p95 while they run (quiet) | {p95(busy):.0f} ms ({p95(quiet):.0f} ms) |",
        f"| the page's message | {refusals[0].replace('|', '/') if refusals else ''} |",
        f"| temporary folders: start, after {args.uploads} uploads + {args.uploads} exports, after the sweep "
        f"({args.sweep_age} s) | {start:,} B, {peak:,} B, {end:,} B |",
    ]
    from benchmarks.quality import publish

    publish("hostile", "Hostile files", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
