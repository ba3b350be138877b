"""Issue 18, item 11: notes with old Mac line endings, paths that are not files, many topics."""

import json
import os
import resource
import subprocess
import sys

import pytest

from conftest import ROOT, SEED
from interviewer.cli import main
from interviewer.errors import NotesError
from interviewer.notes import load_notes, parse_file, parse_text

# ---------------------------------------------------------------- 11a: line endings


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_seed_notes_with_other_line_endings_parse_to_the_same_cards(ending):
    text = SEED.read_text("utf-8")
    expected = parse_text(text, "seed.md")
    assert len(expected.cards) == 73
    assert parse_text(text.replace("\n", ending), "seed.md") == expected


def test_cr_only_file_parses_like_the_lf_file(tmp_path):
    f = tmp_path / "seed.md"
    f.write_bytes(SEED.read_bytes())
    expected = parse_file(f)
    f.write_bytes(SEED.read_bytes().replace(b"\n", b"\r"))
    got = parse_file(f)
    assert got == expected
    assert [c.location for c in got.cards] == [c.location for c in expected.cards]


def test_line_numbers_stay_right_with_cr_endings():
    text = "## M\r\r#### Questions\r\r- Q?\r\r  Answer here.\r\r  *Level:* 7\r"
    with pytest.raises(NotesError) as e:
        parse_text(text, "m.md")
    assert str(e.value) == "m.md:9: Level must be 1, 2 or 3, not '7'"


# ---------------------------------------------------------------- 11b: only regular files, bounded


@pytest.mark.timeout(20)
def test_a_fifo_is_refused_without_waiting(tmp_path, capsys):
    fifo = tmp_path / "notes.md"
    os.mkfifo(fifo)
    with pytest.raises(NotesError) as e:
        parse_file(fifo)
    assert str(e.value) == f"{fifo}: not a regular file (a FIFO): give a Markdown file"
    assert main(["parse", str(fifo)]) == 1
    assert capsys.readouterr().err == f"error: {fifo}: not a regular file (a FIFO): give a Markdown file\n"


@pytest.mark.timeout(20)
def test_a_fifo_in_a_folder_does_not_stop_the_rest(tmp_path):
    (tmp_path / "good.md").write_text("## Good\n\n1. a point with enough words here\n")
    os.mkfifo(tmp_path / "pipe.md")
    assert [t.name for t in load_notes([tmp_path]).topics] == ["Good"]


def _memory_cap():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.timeout(60)
def test_a_symlink_to_dev_zero_is_refused(tmp_path):
    """Run in a child capped at 2 GB: a regression fails with MemoryError instead of exhausting the machine."""
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    done = subprocess.run([sys.executable, "-m", "interviewer", "parse", str(link)], cwd=ROOT,
                          capture_output=True, text=True, timeout=50, preexec_fn=_memory_cap)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"error: {link}: not a regular file (a character device): give a Markdown file\n"


@pytest.mark.timeout(20)
def test_a_file_over_the_size_limit_is_refused(tmp_path):
    big = tmp_path / "big.md"
    with open(big, "wb") as f:
        f.write(b"## T\n\n1. a point with enough words here\n")
        f.truncate(20 * 1024 * 1024 + 1)  # sparse: no 20 MB written to the disk
    with pytest.raises(NotesError) as e:
        parse_file(big)
    assert str(e.value) == f"{big}: larger than 20 MB: split the notes into several files"


def test_a_file_at_the_size_limit_is_read(tmp_path):
    f = tmp_path / "full.md"
    head = b"## T\n\n1. a point with enough words here\n\n"
    f.write_bytes(head + b"x" * (20 * 1024 * 1024 - len(head) - 1) + b"\n")
    assert f.stat().st_size == 20 * 1024 * 1024
    assert parse_file(f).topics[0].name == "T"


# ---------------------------------------------------------------- 11c: many topics

TOPICS = 20_000


@pytest.fixture(scope="module")
def many_topics(tmp_path_factory):
    path = tmp_path_factory.mktemp("many") / "many.md"
    path.write_text("".join(
        f"## Topic {i}\n\n1. The point number {i} says something useful here.\n\n"
        f"#### Questions\n\n- What is topic {i}?\n\n  Topic {i} is a small topic.\n\n"
        for i in range(TOPICS)), "utf-8")
    return path


def test_cards_of_gives_each_topics_cards(many_topics):
    bank = load_notes([many_topics])
    grouped = [bank.cards_of(t.name) for t in bank.topics]
    assert [len(g) for g in grouped] == [2] * TOPICS
    assert [c for g in grouped for c in g] == list(bank.cards)
    assert bank.cards_of("no such topic") == ()


@pytest.mark.slow
def test_parse_many_topics(many_topics, capsys):
    assert main(["parse", str(many_topics)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == (f"{TOPICS} topics, {2 * TOPICS} cards ({TOPICS} questions, {TOPICS} summary "
                       f"points, 0 concepts; {2 * TOPICS} en, 0 zh), 0 syllabus entries")
    rows = [line.split() for line in out if line.startswith("Topic ")]
    assert len(rows) == TOPICS and all(r[3:7] == ["1", "1", "0", "0"] for r in rows)

    assert main(["parse", str(many_topics), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["topics"] == TOPICS and len(data["topics"]) == TOPICS
    for i, t in enumerate(data["topics"]):
        assert [q["question"] for q in t["questions"]] == [f"What is topic {i}?"]
        assert [c["kind"] for c in t["cards"]] == ["point"]
