"""Settings: read once from the environment, and handed to other processes as plain data."""

import json
from pathlib import Path

import pytest

from interviewer.config import Settings
from interviewer.errors import InterviewerError


def test_round_trip_through_json_keeps_every_field():
    s = Settings(embedder="sentence-transformers", notes=(Path("a.md"), Path("notes")), cache_dir=Path("/tmp/c"),
                 threads=3, allow_hub=True, max_upload_mb=5, temp_max_age=60)
    assert Settings.from_dict(json.loads(json.dumps(s.to_dict()))) == s


def test_from_dict_fills_defaults_and_refuses_unknown_keys():
    assert Settings.from_dict({"threads": 1}) == Settings(threads=1, cache_dir=Settings().cache_dir)
    with pytest.raises(InterviewerError, match="^unknown settings: colour, size$"):
        Settings.from_dict({"size": 1, "colour": "red"})


@pytest.mark.parametrize("raw, message", [
    ("two", "INTERVIEWER_THREADS='two' is not a whole number: set it to e.g. 2"),
    ("1.5", "INTERVIEWER_THREADS='1.5' is not a whole number: set it to e.g. 2"),
])
def test_from_env_explains_a_bad_number(raw, message):
    with pytest.raises(InterviewerError) as e:
        Settings.from_env({"INTERVIEWER_THREADS": raw})
    assert str(e.value) == message


def test_from_env_reads_paths_and_flags():
    s = Settings.from_env({"INTERVIEWER_NOTES": "a.md:b", "INTERVIEWER_ALLOW_HUB": "yes", "INTERVIEWER_THREADS": "0"})
    assert s.notes == (Path("a.md"), Path("b")) and s.allow_hub and s.threads == 1


@pytest.mark.parametrize("threads, concurrency, serving", [(2, 4, 1), (8, 2, 4), (1, 1, 1), (4, 4, 1)])
def test_the_web_server_shares_the_encoder_threads_among_concurrent_answers(threads, concurrency, serving):
    s = Settings(threads=threads, concurrency=concurrency)
    assert s.serving().threads == serving and s.serving().concurrency == concurrency
    assert s.serving().speech_threads == threads  # transcription is not shared out
