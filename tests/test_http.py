"""The running app over HTTP with gradio_client: a practice exchange, a batch upload, and two
candidates at once whose sessions never mix."""

import json
import re
import threading

import pytest

from interviewer.room import message_text
from recordings import broken_model_packages, needs_espeak, noise, padded, speak


@pytest.fixture
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def start(client, topic, lang="en", mode="practice", n=5):
    return client.predict(mode, lang, "any", topic, "any", n, 0, "", api_name="/start")


def send(client, text, chat, state):
    return client.predict(text, chat, state, api_name="/send")


def test_practice_exchange(client, resources):
    chat, state, *_ = start(client, "BatchNorm")
    asked = json.loads(state)["current"]["card"]
    card = resources.bank.card(asked)
    out = send(client, card.answer, chat, state)
    chat, state, result = out[0], out[1], out[2]
    assert result.startswith("### ") and "band" in result
    assert json.loads(state)["asked"][-1]["card"] == asked
    assert any("Score:" in str(m.get("content")) for m in chat if m["role"] == "assistant")


def test_two_candidates_never_mix(app_url, resources):
    from gradio_client import Client

    results = {}

    def candidate(name, topic, answer):
        c = Client(app_url, verbose=False)
        chat, state, *_ = start(c, topic)
        for _ in range(2):
            out = send(c, f"{answer} ({name})", chat, state)
            chat, state = out[0], out[1]
        results[name] = (chat, json.loads(state))

    threads = [threading.Thread(target=candidate, args=("ana", "Adam", "Adam keeps moving averages of gradients")),
               threading.Thread(target=candidate, args=("bo", "YOLO", "YOLO predicts boxes on a grid"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for name, other in (("ana", "bo"), ("bo", "ana")):
        chat, state = results[name]
        user_texts = [message_text(m["content"]).replace("\\", "") for m in chat if m["role"] == "user"]
        assert len(user_texts) == 2 and all(t.endswith(f"({name})") for t in user_texts)
        assert all(f"({other})" not in a["answer"] for a in state["asked"])
        assert all(a["answer"].endswith(f"({name})") for a in state["asked"])
    assert {a["topic"] for a in results["ana"][1]["asked"]} == {"Adam"}
    assert {a["topic"] for a in results["bo"][1]["asked"]} == {"YOLO"}


def test_batch_upload_over_http(client, tmp_path):
    from gradio_client import handle_file

    src = tmp_path / "answers.csv"
    src.write_text("id,question,answer\n1,What does dropout do during training?,It zeroes random units so "
                   "they cannot co-adapt; the net acts like an ensemble.\n", "utf-8")
    summary, table, histogram, review, graded = client.predict(handle_file(str(src)), False, api_name="/grade")
    assert summary.startswith("**1 rows**: 1 graded")
    assert open(graded, encoding="utf-8").readline().startswith("id,student,question,answer,card_id")


def test_study_search_over_http(client):
    md = client.predict("why use 1x1 convolutions in inception", "any", api_name="/search")
    # Xception ("extreme Inception") is a fair first hit; GoogLeNet's own card must be next to it
    assert "#### GoogLeNet" in [block.strip().split(" · ")[0] for block in md.split("---")[:2]]


def test_upload_over_the_limit_is_refused(app_url, resources):
    import httpx

    limit = resources.settings.max_upload_mb * 1024 * 1024
    big = b"question,answer\n" + b"q,a\n" * (limit // 4 + 10)
    r = httpx.post(app_url + "gradio_api/upload", files={"files": ("big.csv", big, "text/csv")}, timeout=120)
    assert r.status_code == 413
    assert r.text == f"File size exceeded maximum allowed size of {limit} bytes."


@needs_espeak
def test_a_spoken_answer_over_http(client, tmp_path):
    from gradio_client import handle_file

    chat, state, *_ = start(client, "Dropout")
    path = speak(tmp_path / "answer.wav", "Um, dropout sets random hidden units to zero during training, so the "
                                          "network cannot rely on any single unit.", speed=140)
    out = client.predict(handle_file(str(path)), chat, state, False, api_name="/voice")
    text, note = out[-2], out[-1]
    assert "network" in text.lower() and note == "Transcribed: check the text, then Send."
    chat, state, result, *_ = client.predict(handle_file(str(path)), chat, state, True, api_name="/voice")
    assert "band" in result and "**Delivery**" in result and '"um" ×1' in result
    assert "**Delivery**" in str(chat[-1]["content"])
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio " * 100)
    out = client.predict(handle_file(str(bad)), chat, state, False, api_name="/voice")
    assert out[-1] == "⚠️ That file could not be read as audio: record again or upload WAV, MP3, M4A, OGG or WEBM."


@needs_espeak
def test_noise_and_a_long_recording_over_http(client, tmp_path):
    from gradio_client import handle_file

    chat, state, *_ = start(client, "Adam")
    out = client.predict(handle_file(str(noise(tmp_path / "noise.wav"))), chat, state, False, api_name="/voice")
    assert out[-2] == {"__type__": "update"}  # what the candidate typed stays in the box
    assert out[-1] == "⚠️ No speech was heard in the recording: check the microphone and try again."
    said = speak(tmp_path / "said.wav", "Adam keeps moving averages of the gradient and of its square.")
    out = client.predict(handle_file(str(padded(tmp_path / "long.wav", said, 200.0))), chat, state, False,
                         api_name="/voice")
    assert "moving average" in out[-2].lower()
    assert out[-1] == ("The recording was longer than 3 minutes; only the first 3 were transcribed. "
                       "Transcribed: check the text, then Send.")


@pytest.mark.parametrize("damaged, lang, message", [
    (False, "en", "⚠️ Voice answers are not available on this server: its speech model is not installed. "
                  "Type your answer instead."),
    (True, "zh", "⚠️ 此服务器暂不支持语音回答：语音模型已损坏。请直接输入回答。"),
])
def test_a_server_without_a_working_speech_model_still_grades_typed_answers(resources, tmp_path, monkeypatch,
                                                                           damaged, lang, message):
    from dataclasses import replace

    from gradio_client import Client, handle_file

    from conftest import free_port
    from interviewer.speech import Recogniser
    from interviewer.ui import build_app, launch_kwargs, queue
    from recordings import tone

    monkeypatch.syspath_prepend(str(broken_model_packages(tmp_path / "site", damaged)))
    res = replace(resources, speech=Recogniser(tmp_path / "speech-cache"))
    demo = queue(build_app(res), res)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                **launch_kwargs(res))
    try:
        c = Client(f"http://127.0.0.1:{port}/", verbose=False)
        chat, state, *_ = start(c, "Dropout", lang=lang)
        out = c.predict(handle_file(str(tone(tmp_path / "a.wav", 2.0))), chat, state, False, api_name="/voice")
        assert out[-1] == message
        out = send(c, "Dropout zeroes random units during training so they cannot co-adapt.", chat, state)
        assert re.match(r"### \d+/100 · ", out[2])  # graded, typed
    finally:
        demo.close()
