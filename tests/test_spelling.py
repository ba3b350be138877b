"""Typing slips mended towards the references' words, and words that must stay as written."""

from __future__ import annotations

import pytest

from interviewer.spelling import dictionary, mend, slips_allowed, vocabulary, written_spans

TARGETS = frozenset({"ensemble", "probability", "thinned", "dropout", "threshold", "connection", "window",
                     "should", "hhhttt", "weights", "layers", "players", "sample"})


@pytest.mark.parametrize("said, meant", [
    ("an ensamble", "an ensemble"),  # a letter replaced
    ("with probabilty p", "with probability p"),  # a letter dropped
    ("a thined net", "a thinned net"),  # a letter dropped from a double
    ("dropuot", "dropout"),  # two letters swapped: one slip
    ("the treshhold", "the threshold"),  # two slips in a long word
    ("Ensamble", "Ensemble"),  # the writer's case is kept
    ("ENSAMBLE", "ENSEMBLE"),
    ("(ensamble)", "(ensemble)"),
])
def test_a_slip_is_read_as_the_reference_word(said, meant):
    assert mend(said, TARGETS).text == meant


@pytest.mark.parametrize("said", [
    "the congestion window",  # a word of the dictionary, two slips from "connection"
    "hhhhtt",  # no vowel: a code, not a word
    "you shouldnt",  # the negation is not a slip
    "you shouldn't",
    "a simple case",  # a word of the dictionary, one slip from "sample"
    "asemble",  # another first letter
    "ensmble5",  # glued to a digit: a name, not a word
    "the wndw",  # too many slips for its length
])
def test_words_that_stay_as_written(said):
    assert mend(said, TARGETS).text == said


def test_other_forms_and_spellings_are_not_slips():
    assert mend("it normalises", frozenset({"normalise"})) == ("it normalises", ())
    assert mend("the centre", frozenset({"center"})) == ("the center", ())  # read as the word, not a slip
    assert mend("the centrre", frozenset({"center", "centre"})).slips == (("centrre", "centre"),)


@pytest.mark.parametrize("said, targets", [
    ("The entropy term rewards expliotation", {"exploration"}),  # one slip from "exploitation", two from it
    ("weights are nonegative", {"negative"}),  # "nonnegative" is nearer: the meaning would flip
    ("Recievers get it", {"receives"}),
    ("it pretrains", {"pretrained"}),  # another form of the word
    ("bursty traffic", {"bursts"}),
    ("assignIP now", {"assigns"}),  # a name
])
def test_a_word_nearer_another_word_or_another_form_is_no_slip(said, targets):
    assert mend(said, frozenset(targets)) == (said, ())


@pytest.mark.parametrize("said, targets, meant", [
    ("a tokeniser", {"tokenizer"}, "a tokenizer"),
    ("renormalize it", {"renormalised"}, "renormalised it"),
    ("labellers and uncentred data", {"labelers", "uncentered"}, "labelers and uncentered data"),
])
def test_a_british_or_american_spelling_is_read_as_the_references_and_not_called_a_slip(said, targets, meant):
    assert mend(said, frozenset(targets)) == (meant, ())


def test_only_one_nearest_word_is_taken():
    assert mend("lyers", TARGETS).text == "layers"
    assert mend("lyers", TARGETS | {"lagers"}).text == "layers"  # two slips away: "layers" is nearer
    assert mend("lyers", TARGETS | {"lyres"}).text == "lyers"  # a swap away as well: not sure which was meant


def test_each_slip_is_reported_once_in_order():
    assert mend("Ensamble, thined ensamble", TARGETS).slips == (("Ensamble", "ensemble"), ("thined", "thinned"),
                                                                ("ensamble", "ensemble"))
    assert mend("thined thined", TARGETS).slips == (("thined", "thinned"),)


def test_the_notes_own_words_are_words():
    assert mend("a softmaxx layer", frozenset({"softmax"})).text == "a softmax layer"
    assert mend("a softmaxx layer", frozenset({"softmax"}), {"softmaxx"}).text == "a softmaxx layer"


def test_slips_allowed_grow_with_the_word():
    assert [slips_allowed(w) for w in ("dropout", "ensemble", "probability")] == [1, 2, 2]


def test_the_dictionary_knows_english_but_not_slips():
    words = dictionary()
    assert {"congestion", "ensemble", "probability"} <= words
    assert not {"ensamble", "probabilty", "treshhold"} & words


def test_vocabulary_is_lower_case_words():
    assert vocabulary(["Batch-Norm uses γ and β", "ReLU6"]) == {"batch", "norm", "uses", "and", "relu"}


@pytest.mark.parametrize("text", ["", "   ", "😀" * 50, "批归一化" * 100, "a" * 100_000, "ensamble " * 20_000,
                                  "\x00\x01 ensamble"])
def test_hostile_text_comes_back_in_one_piece(text):
    out = mend(text, TARGETS).text
    assert len(out) == len(text)  # every slip here is mended to a word of the same length, or left
    assert out.replace("ensemble", "ensamble") == text


@pytest.mark.parametrize("written, mended, spans, marked", [
    # a term inside a word that was not mended keeps its own width ("network" of "subnetworks")
    ("an ensamble of subnetworks", "an ensemble of subnetworks", [(3, 11), (18, 25)], ["ensamble", "network"]),
    # at the start and the end of the text, and touching
    ("Dropuot trainig", "Dropout training", [(0, 7), (8, 16), (0, 16)], ["Dropuot", "trainig", "Dropuot trainig"]),
    # Chinese around the mended word moves by its length
    ("用 ensamble 取平均", "用 ensemble 取平均", [(2, 10), (11, 14)], ["ensamble", "取平均"]),
])
def test_spans_of_the_mended_text_are_moved_onto_the_text_as_typed(written, mended, spans, marked):
    assert [written[a:b] for a, b in written_spans(spans, written, mended)] == marked


@pytest.mark.parametrize("written, mended", [
    ("An ensamble of nets", "An ensemble of thinned nets"),  # a word more
    ("An ensamble, of nets", "An ensemble of nets"),  # the text between words differs
])
def test_a_mended_text_that_is_not_word_for_word_gives_no_spans(written, mended):
    assert written_spans([(0, 2)], written, mended) is None
