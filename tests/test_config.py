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
def test_without_a_worker_the_server_shares_the_encoder_threads_among_concurrent_answers(threads, concurrency,
                                                                                        serving):
    s = Settings(threads=threads, concurrency=concurrency, encoder_processes=0)
    assert s.serving().threads == serving and s.serving().concurrency == concurrency
    assert s.serving().speech_threads == threads  # transcription is not shared out
    assert s.serving().encoder_processes == 0


@pytest.mark.parametrize("threads, worker_threads", [(2, 1), (1, 1), (8, 7)])
def test_the_web_server_encodes_in_a_worker_and_keeps_a_thread_for_itself(threads, worker_threads):
    s = Settings(threads=threads)
    assert s.encoder_processes is None  # the command line encodes in its own process
    assert (s.serving().encoder_processes, s.serving().threads, s.serving().speech_threads) == (1, worker_threads,
                                                                                                 threads)


@pytest.mark.parametrize("raw, workers, threads", [("0", 0, 1), ("2", 2, 1), ("1", 1, 3)])
def test_the_number_of_encoding_workers_comes_from_the_environment(raw, workers, threads):
    s = Settings.from_env({"INTERVIEWER_ENCODER_PROCESSES": raw, "INTERVIEWER_THREADS": "4"}).serving()
    assert (s.encoder_processes, s.threads) == (workers, threads)  # workers share all threads but one


def test_a_bad_number_of_encoding_workers_says_what_to_write():
    with pytest.raises(InterviewerError) as e:
        Settings.from_env({"INTERVIEWER_ENCODER_PROCESSES": "one"})
    assert str(e.value) == ("INTERVIEWER_ENCODER_PROCESSES='one' is not a whole number: "
                            "set it to 0 (encode in the calling process) or 1")
