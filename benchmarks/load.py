"""Load benchmark: N simulated candidates practise at once against the app over HTTP.

    python benchmarks/load.py [--clients 1,8,32] [--seconds 30] [--client gradio|browser|both]

Starts ``python app.py`` on a free loopback port, then for each N runs N threads, each a
client doing full practice exchanges (start a session, answer, answer, ...)
for a bounded time. Every candidate marks its answers with its own tag and checks that its
transcript and state hold only its own answers (no request lost, none answered with another
user's data). Reports requests/s and p50/p95/p99 latency per answer and the server's memory
before and after, into ``benchmarks/RESULTS.md`` between the ``load`` markers.

Clients: ``gradio`` is `gradio_client.Client` (what the issue's figures were measured with);
``browser`` sends the page's own events as a browser does (one session per candidate, every
input of the event, Gradio's queue protocol) with the standard library. Both run on the
server's two cores; gradio_client is given one TLS context (``GradioCaller``: as it comes it
spent 83 ms of CPU per answer building them), and the browser-like client is lighter still,
so it shows more of what the server can do, as remote browsers would.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

TOPICS = ["BatchNorm", "Adam", "YOLO", "Dropout", "ResNet", "GAN", "MobileNet", "PCA", "Huber", "DQN 2015"]


@dataclass
class LoadResult:
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # per answer, seconds
    sessions: int = 0
    errors: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)  # transcripts holding another user's data
    # calls gradio_client gave up on because its event stream closed under them (sent again once)
    client_retries: int = 0

    @property
    def answers(self) -> int:
        return len(self.latencies)

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies, q) * 1000) if self.latencies else float("nan")


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    import certifi  # httpx's own default bundle

    return ssl.create_default_context(cafile=certifi.where())


class GradioCaller:
    """The practice endpoints through `gradio_client` (its public API: /start, /send).

    gradio_client opens a new httpx client for every request, and each one builds a TLS
    context from the CA bundle (about half of the client's CPU, profiled, even for http://).
    The client shares the server's two cores here, so every candidate is given one context,
    built once from the same CA bundle (certificates are still verified on https).
    """

    def __init__(self, url: str):
        from gradio_client import Client

        self.client = Client(url, verbose=False, ssl_verify=_tls())

        self.retries = 0

    def _predict(self, *args, api_name: str) -> tuple:
        """One call, sent again once if gradio_client cancels it itself.

        gradio_client 2.7 shares one event stream per client; as its code reads, when that stream
        ends (the server closes it once no event is pending) just as the next call is submitted,
        the new call is marked cancelled without a result (a CancelledError failed one full test
        run in several). The practice state travels with each call, so sending the same call
        again cannot record an answer twice; the checks on what comes back stay as strict.
        """
        try:
            return self.client.predict(*args, api_name=api_name)
        except concurrent.futures.CancelledError:
            self.retries += 1
            return self.client.predict(*args, api_name=api_name)

    def start(self, topic: str) -> tuple:
        return self._predict("practice", "en", "any", topic, "any", 5, 0, "", False, api_name="/start")

    def send(self, text: str, chat, state) -> tuple:
        return self._predict(text, chat, state, api_name="/send")


class BrowserCaller:
    """The practice events as the page sends them: one session per candidate, every input of
    the event, Gradio's queue protocol (POST ``queue/join``, then the session's server-sent
    events), with the standard library."""

    def __init__(self, url: str):
        self.url = url.rstrip("/") + "/"
        with urllib.request.urlopen(self.url + "config", timeout=60) as r:
            config = json.load(r)
        self.fn = {d.get("api_name"): d.get("id", i) for i, d in enumerate(config["dependencies"])}
        self.session = uuid.uuid4().hex[:11]

    def _event(self, name: str, data: list) -> tuple:
        body = json.dumps({"data": data, "fn_index": self.fn[name], "session_hash": self.session,
                           "event_data": None, "trigger_id": None}).encode()
        req = urllib.request.Request(self.url + "gradio_api/queue/join", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            event_id = json.load(r)["event_id"]
        with urllib.request.urlopen(f"{self.url}gradio_api/queue/data?session_hash={self.session}", timeout=120) as r:
            for raw in r:
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed" and msg.get("event_id") == event_id:
                    if not msg.get("success"):
                        raise RuntimeError(f"{name}: {str(msg.get('output'))[:120]}")
                    return tuple(msg["output"]["data"])
        raise RuntimeError(f"{name}: the stream ended without a result")

    def start(self, topic: str) -> tuple:  # mode, lang, area, topic, difficulty, questions, seconds, saved, hard, report
        return self._event("start", ["practice", "en", "any", topic, "any", 5, 0, "", False, False])

    def send(self, text: str, chat, state) -> tuple:  # answer box, chat, saved, spoken, report open
        return self._event("send", [text, chat, state, None, False])


def candidate(url: str, name: str, until: float, bank, result: LoadResult, lock: threading.Lock, seed: int,
              kind: str = "gradio"):
    from interviewer.room import message_text

    rng = random.Random(seed)
    try:
        client = BrowserCaller(url) if kind == "browser" else GradioCaller(url)
    except Exception as e:  # a client that cannot even connect is an error to report, not a crash
        with lock:
            result.errors.append(f"{name}: connect: {type(e).__name__}: {e}")
        return
    while time.time() < until:
        topic = rng.choice(TOPICS)
        try:
            chat, state, *_ = client.start(topic)
            with lock:
                result.sessions += 1
            sent = 0
            for turn in range(3):
                if time.time() >= until:
                    break
                sent += 1
                current = json.loads(state).get("current") or {}
                card = bank.get(current.get("card", ""))
                text = (card.answer if card and rng.random() < 0.5 else "I am not sure, maybe it normalises things")
                tagged = f"{text} [{name}-{turn}]"
                t = time.perf_counter()
                out = client.send(tagged, chat, state)
                elapsed = time.perf_counter() - t
                chat, state = out[0], out[1]
                with lock:
                    result.latencies.append(elapsed)
            saved = json.loads(state)
            mine = [a["answer"] for a in saved["asked"]]
            users = [message_text(m["content"]).replace("\\", "") for m in chat if m["role"] == "user"]
            if any(f"[{name}-" not in a for a in mine) or any(f"[{name}-" not in u for u in users):
                with lock:
                    result.mixed.append(name)
            if not (len(users) == len(mine) == sent):  # every answer sent came back recorded, once
                with lock:
                    result.errors.append(f"{name}: {sent} answers sent, {len(users)} in the chat, "
                                         f"{len(mine)} recorded")
        except Exception as e:
            with lock:
                result.errors.append(f"{name}: {type(e).__name__}: {str(e)[:120]}")
    with lock:
        result.client_retries += getattr(client, "retries", 0)


def run_load(url: str, clients: int, seconds: float, bank, kind: str = "gradio") -> LoadResult:
    result = LoadResult(clients, seconds)
    lock = threading.Lock()
    until = time.time() + seconds
    threads = [threading.Thread(target=candidate, args=(url, f"c{i}", until, bank, result, lock, i, kind))
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 300)
    return result


def child_pids(pid: int) -> set[int]:
    """The direct children of a process (the server's encoding worker and its tracker)."""
    out: set[int] = set()
    try:  # a process or thread may end while it is read
        for task in Path(f"/proc/{pid}/task").iterdir():
            out |= {int(c) for c in (task / "children").read_text().split()}
    except (FileNotFoundError, ProcessLookupError):
        pass
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of the process and its children."""
    total = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total + sum(rss_mb(child) for child in child_pids(pid))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(env: dict | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """``python app.py`` on a free loopback port, as a user starts it: (url, process) once it answers."""
    port = free_port()
    env = {**os.environ, **(env or {}), "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1"}
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--client", choices=("gradio", "browser", "both"), default="both",
                    help="gradio_client, the page's own events (standard library), or both in turn")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    kinds = ("gradio", "browser") if args.client == "both" else (args.client,)

    from interviewer.config import Settings
    from interviewer.notes import load_notes

    settings = Settings.from_env()
    bank = load_notes(settings.notes)
    with serve_app() as (url, server):
        rows = []
        for kind in kinds:
            for n in (int(x) for x in args.clients.split(",")):
                before = rss_mb(server.pid)
                r = run_load(url, n, args.seconds, bank, kind)
                after = rss_mb(server.pid)
                rows.append(f"| {kind} | {n} | {r.sessions} | {r.answers} | {r.answers / args.seconds:.1f} | "
                            f"{r.percentile(50):.0f} | {r.percentile(95):.0f} | {r.percentile(99):.0f} | "
                            f"{len(r.errors)} | {len(r.mixed)} | {before:.0f} → {after:.0f} |")
                print(rows[-1], f"calls sent again after gradio_client cancelled them: {r.client_retries}",
                      *r.errors[:3], sep="\n", file=sys.stderr)
    body = [
        f"Command: `python benchmarks/load.py --clients {args.clients} --seconds {args.seconds:g} "
        f"--client {args.client}` "
        f"(app started with `python app.py` on loopback; 2 cores shared by server and clients; queue "
        f"`default_concurrency_limit={settings.concurrency}`, `max_size={settings.queue_size}`; the sentence encoder in "
        f"{settings.serving().encoder_processes} worker process(es), `INTERVIEWER_ENCODER_PROCESSES`). Each simulated "
        "candidate starts a practice session and answers three questions, again and again; latency is per answer "
        "(`/send`, queueing included). *mixed* counts candidates whose transcript held anything not theirs; "
        "*server RSS* counts the server and its worker processes.",
        "",
        "| client | candidates | sessions | answers | answers/s | p50 ms | p95 ms | p99 ms | errors | mixed | server RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    from benchmarks.quality import publish

    publish("load", "Load", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
