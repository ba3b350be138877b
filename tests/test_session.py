"""Session state, its JSON form, the SM-2 schedule, question selection and topic wishes."""

import copy
import json
from dataclasses import replace

import pytest

from interviewer.commands import Command, match_wish, parse_command
from interviewer.interview import Interviewer
from interviewer.session import MAX_STATE_CHARS, Asked, Current, Filters, Mastery, Schedule, State, load_state
from interviewer.schedule import LAPSE_TURNS, ema, pick, question_key, record, sm2

FRESH = "starting a fresh session."


@pytest.fixture(scope="module")
def engine(resources):
    return Interviewer.from_resources(resources)  # the session's grader: references embedded once


def cards_by_id(bank):
    return {c.id: c for c in bank.cards}


def ask(state, card):
    """Put `card` to the candidate the way the engine does (the turn is the clock)."""
    turn = state.turn + 1
    return replace(state, turn=turn, current=Current(card.id, turn, 1000.0 + turn))


def answer(state, card, band, score=None):
    score = band * 20 if score is None else score
    return record(state, Asked(card.id, card.topic, state.current.turn, "an answer", score, band,
                               ("missed term",), 12.5, 0, at=2000.0))


def sample_state(bank):
    bn = bank.filter(topic="BatchNorm", lang="en", kinds=["qa"])
    s = State(mode="practice", lang="en", filters=Filters(topic="BatchNorm", difficulty=2), seed=7,
              limit=4, seconds=30.0, created=1.5)
    s = answer(ask(s, bn[0]), bn[0], 1)
    s = answer(ask(s, bn[1]), bn[1], 5)
    s = ask(s, bn[2])
    return replace(s, current=replace(s.current, hints=2, followup_of=bn[0].id, probe="mini-batch",
                                      reason="followup"))


# ---------------------------------------------------------------- state and JSON


def test_json_round_trip_keeps_everything(corpus_bank):
    state = sample_state(corpus_bank)
    text = state.to_json()
    loaded, message = load_state(text)
    assert message == "" and loaded == state
    assert loaded.schedule == state.schedule and loaded.current.probe == "mini-batch"
    assert copy.deepcopy(state) == state  # plain, copyable data
    # compact: ids and numbers, never card texts
    assert corpus_bank.card(state.asked[0].card).question not in text
    assert json.loads(text)["version"] == 1 and len(text) < 1500


def test_empty_text_is_a_fresh_state_without_message():
    assert load_state("") == (State(), "")
    assert load_state(None) == (State(), "")


@pytest.mark.parametrize("text, message", [
    ("not json {", f"The saved session is not valid JSON; {FRESH}"),
    ("[1, 2]", f"The saved session is not a session (no version field); {FRESH}"),
    ("null", f"The saved session is not a session (no version field); {FRESH}"),
    ('{"mode": "practice"}', f"The saved session is not a session (no version field); {FRESH}"),
    ('{"version": 0, "questions": []}', f"The saved session is from an older version (v0); {FRESH}"),
    ('{"version": 7}', f"The saved session is from a newer version (v7); {FRESH}"),
    ('{"version": "1"}', f"The saved session has an unreadable version; {FRESH}"),
    ('{"version": 1, "turn": -5}', f"The saved session was damaged (turn is not valid); {FRESH}"),
    ('{"version": 1, "mode": "hacker"}', f"The saved session was damaged (mode is not valid); {FRESH}"),
    ('{"version": 1, "seconds": NaN}', f"The saved session was damaged (seconds is not valid); {FRESH}"),
    ('{"version": 1, "asked": [{"card": "x", "topic": "t", "turn": 1, "score": 500, "band": 1}]}',
     f"The saved session was damaged (asked[0].score is not valid); {FRESH}"),
    ('{"version": 1, "asked": {"card": "x"}}', f"The saved session was damaged (asked is not valid); {FRESH}"),
    ('{"version": 1, "schedule": {"c": {"ease": "high"}}}',
     f"The saved session was damaged (schedule[c].ease is not valid); {FRESH}"),
    ('{"version": 1, "current": {"card": 42, "turn": 1}}',
     f"The saved session was damaged (current.card is not valid); {FRESH}"),
    ('{"version": 1, "finished": "yes"}', f"The saved session was damaged (finished is not valid); {FRESH}"),
])
def test_old_or_corrupt_state_gives_fresh_state_and_one_line(text, message):
    state, got = load_state(text)
    assert state == State() and got == message and "\n" not in got


def test_truncated_and_huge_states(corpus_bank):
    text = sample_state(corpus_bank).to_json()
    assert load_state(text[:-7]) == (State(), f"The saved session is not valid JSON; {FRESH}")
    assert load_state("x" * (MAX_STATE_CHARS + 1)) == (
        State(), f"The saved session is too large to be ours; {FRESH}")
    assert load_state('{"version": 1, "asked": [' + "[" * 5000 + "]" * 5000 + "]}")[0] == State()


def test_missing_optional_fields_take_defaults():
    state, message = load_state('{"version": 1}')
    assert (state, message) == (State(), "")


# ---------------------------------------------------------------- SM-2 and mastery


def test_weak_cards_are_due_sooner_than_mastered_ones():
    weak, strong = sm2(None, band=1, turn=10), sm2(None, band=5, turn=10)
    assert weak.due == 10 + LAPSE_TURNS < strong.due
    assert weak.ease < 2.5 < strong.ease
    s = strong
    intervals = []
    for turn in (20, 40, 80):  # each success pushes the card further out
        s = sm2(s, band=4, turn=turn)
        intervals.append(s.interval)
    assert intervals == sorted(intervals) and len(set(intervals)) == 3
    lapsed = sm2(s, band=2, turn=100)  # band < 3 resets the card
    assert (lapsed.reps, lapsed.interval, lapsed.due, lapsed.lapses) == (0, LAPSE_TURNS, 103, 1)
    assert sm2(Schedule(ease=1.3), band=0, turn=1).ease == 1.3  # the ease never drops below 1.3


def test_topic_mastery_is_a_moving_average():
    m = ema(None, 80)
    assert m == Mastery(80.0, 1)
    m = ema(m, 30)
    assert m == Mastery(60.0, 2)  # 80 + 0.4 * (30 - 80)
    assert ema(m, 100).score == pytest.approx(76.0)


def test_record_updates_schedule_and_mastery_without_mutating(corpus_bank):
    card = corpus_bank.filter(topic="Adam", lang="en", kinds=["qa"])[0]
    before = ask(State(seed=1), card)
    snapshot = copy.deepcopy(before)
    after = answer(before, card, band=2, score=40)
    assert before == snapshot and before.asked == ()
    assert after.current is None and after.asked[-1].score == 40
    assert after.schedule[card.id].due == 1 + LAPSE_TURNS
    assert after.mastery["Adam"] == Mastery(40.0, 1)


# ---------------------------------------------------------------- selection


def run_picks(bank, state, pool, n, band_of=lambda card, i: 5):
    cards, out = cards_by_id(bank), []
    for i in range(n):
        card, reason = pick(state, pool, cards)
        out.append((card.id, reason))
        state = answer(ask(state, card), card, band_of(card, i))
    return out, state


def test_no_repeats_until_the_pool_is_exhausted(corpus_bank):
    pool = corpus_bank.filter(area="Training building blocks", lang="en", kinds=["qa"])
    picks, _ = run_picks(corpus_bank, State(seed=3), pool, len(pool) + 3)
    ids = [i for i, _ in picks]
    assert sorted(ids[: len(pool)]) == sorted(c.id for c in pool)  # every card once
    assert [r for _, r in picks[len(pool):]] == ["review"] * 3  # then the due ones come back
    assert ids[len(pool)] == ids[0]  # the card due first is the one answered first


def test_bad_answers_come_back_sooner_than_good_ones(corpus_bank):
    pool = corpus_bank.filter(topic="BatchNorm", lang="en", kinds=["qa"])
    bad_first = lambda card, i: 1 if i == 0 else 5  # noqa: E731
    picks, state = run_picks(corpus_bank, State(seed=5), pool, LAPSE_TURNS, band_of=bad_first)
    ids = [i for i, _ in picks]
    assert len(set(ids)) == LAPSE_TURNS
    assert state.schedule[ids[0]].due < min(state.schedule[i].due for i in ids[1:])
    # the badly answered card is back after LAPSE_TURNS turns; the good ones are not
    picks, _ = run_picks(corpus_bank, State(seed=5), pool, 6, band_of=bad_first)
    assert picks[LAPSE_TURNS] == (ids[0], "due")
    assert [i for i, _ in picks].count(ids[1]) == 1 and [i for i, _ in picks].count(ids[2]) == 1


def test_weak_topics_are_asked_first(corpus_bank):
    pool = corpus_bank.filter(area="Optimization", lang="en", kinds=["qa"])
    state = replace(State(seed=11), mastery={"Adam": Mastery(20.0, 2), "SGD": Mastery(45.0, 1),
                                             "Momentum": Mastery(90.0, 3)})
    cards = cards_by_id(corpus_bank)
    card, reason = pick(state, pool, cards)
    assert (card.topic, reason) == ("Adam", "weak")
    adam = [c.id for c in pool if c.topic == "Adam"]
    seen = replace(state, asked=tuple(Asked(i, "Adam", 1) for i in adam))
    card, reason = pick(seen, pool, cards)  # Adam exhausted: the next weakest topic
    assert (card.topic, reason) == ("SGD", "weak")


def test_a_weak_topic_never_takes_more_than_two_questions_in_a_row(corpus_bank):
    pool = corpus_bank.filter(lang="en", kinds=["qa"])  # All topics
    state = replace(State(seed=4), mastery={"Anchors": Mastery(10.0, 3)})
    picks, _ = run_picks(corpus_bank, state, pool, 9, band_of=lambda card, i: 1)  # weak answers throughout
    topics = [corpus_bank.card(i).topic for i, _ in picks]
    assert topics.count("Anchors") >= 4  # the weak topic still comes first and often
    assert all(len(set(topics[i:i + 3])) > 1 for i in range(len(topics) - 2)), topics


def test_mock_selection_spreads_over_topics_and_never_repeats(corpus_bank):
    pool = corpus_bank.filter(area="Object detection", lang="en", kinds=["qa"])
    picks, state = run_picks(corpus_bank, State(mode="mock", seed=2), pool, 12,
                             band_of=lambda card, i: 0)
    topics = [corpus_bank.card(i).topic for i, _ in picks]
    assert len(set(topics)) == 12 and len({i for i, _ in picks}) == 12
    assert {r for _, r in picks} == {"new"}


def test_a_twin_counts_as_seen(corpus_bank):
    en = corpus_bank.filter(topic="Dropout", lang="en", kinds=["qa"])
    zh_pool = corpus_bank.filter(topic="Dropout", lang="zh", kinds=["qa"])
    state = answer(ask(State(seed=1), en[0]), en[0], 5)
    twin = corpus_bank.twin(en[0], "zh")
    assert question_key(twin) == question_key(en[0])
    picks, _ = run_picks(corpus_bank, replace(state, lang="zh"), zh_pool, len(zh_pool) - 1)
    assert twin.id not in [i for i, _ in picks]


def test_selection_is_seeded(corpus_bank):
    pool = corpus_bank.filter(lang="en", kinds=["qa"])
    first = run_picks(corpus_bank, State(seed=42), pool, 6)[0]
    assert run_picks(corpus_bank, State(seed=42), pool, 6)[0] == first
    assert run_picks(corpus_bank, State(seed=43), pool, 6)[0] != first


def test_declined_card_is_avoided_once(corpus_bank):
    pool = corpus_bank.filter(topic="Net2Net", lang="en", kinds=["qa"])
    cards = cards_by_id(corpus_bank)
    card, _ = pick(State(seed=9), pool, cards)
    other, _ = pick(State(seed=9), pool, cards, avoid=(card.id,))
    assert other.id != card.id
    assert pick(State(seed=9), pool[:1], cards, avoid=(pool[0].id,))[0] == pool[0]  # nothing else


# ---------------------------------------------------------------- filters (through the engine)


@pytest.mark.parametrize("options, check", [
    ({"area": "optimization"}, lambda c: c.area == "Optimization"),
    ({"topic": "BatchNorm", "lang": "zh"}, lambda c: c.topic == "BatchNorm" and c.lang == "zh"),
    ({"topic": "BN", "difficulty": 3}, lambda c: c.topic == "BatchNorm" and c.difficulty == 3),
    ({"topic": "object detection"}, lambda c: c.area == "Object detection"),
    ({"difficulty": 1, "lang": "zh"}, lambda c: c.difficulty == 1 and c.lang == "zh"),
])
def test_filters_hold_for_every_question(engine, corpus_bank, options, check):
    state, reply = engine.start(seed=4, now=0.0, **options)
    for _ in range(6):
        card = corpus_bank.card(reply.question.card_id)
        assert check(card) and card.kind == "qa", card
        state, reply = engine.respond(state, "/skip", now=1.0)


@pytest.mark.parametrize("options, message", [
    ({"area": "Cooking"}, "unknown area 'Cooking': choose one of Classical machine learning, CNN architectures, "
                          "Compact network design, Concepts, Efficient computation, Generative and self-supervised "
                          "learning, Deep generative models, Language models, Loss functions, Neural architecture "
                          "search, Object detection, Detection beyond two stages, Optimization, Deep reinforcement "
                          "learning, Reinforcement learning basics, Semantic segmentation, Sequence models and "
                          "attention, Training at scale, Evaluation metrics, Normalization and regularization, "
                          "Training building blocks, CNN mechanics, Vision transformers"),
    ({"topic": "qwxyzzy"}, "no topic matches 'qwxyzzy': name one like BatchNorm or Adam "
                           "(interviewer parse corpus/ lists them)"),
    ({"mode": "exam"}, "unknown mode 'exam': choose one of practice, mock, study"),
    ({"lang": "fr"}, "unknown language 'fr': choose en or zh"),
    ({"questions": 0}, "the number of questions must be at least 1, not 0"),
    ({"seconds": 0.5}, "the time limit must be at least 1 second, not 0.5"),
    ({"difficulty": 7}, "difficulty must be 1, 2 or 3, not 7"),
])
def test_bad_start_options_raise_input_errors(engine, options, message):
    from interviewer.errors import InputError

    with pytest.raises(InputError) as e:
        engine.start(**options)
    assert str(e.value) == message


# ---------------------------------------------------------------- wishes and commands


@pytest.mark.parametrize("wish, topic, area", [
    ("考我BN", "BatchNorm", None),
    ("ask me about object detection", None, "Object detection"),
    ("next question on Adam", "Adam", None),
    ("换个话题，考我Adam", "Adam", None),
    ("quiz me on GANs", "GAN", None),
    ("/topic batch norm", "BatchNorm", None),
    ("ask me about vanishing gradients", "Gradient Explosion and Vanishing", None),
    ("考我目标检测", None, "Object detection"),  # an area's Chinese alias
    ("考我强化学习", None, "Deep reinforcement learning"),
])
def test_wishes_match_topics(corpus_bank, corpus_index, wish, topic, area):
    got = match_wish(corpus_bank, corpus_index, wish)
    assert (got.topic, got.area) == (topic, area)


def test_wish_through_the_index(corpus_bank, corpus_index):
    got = match_wish(corpus_bank, corpus_index, "考我回归问题的损失")  # no alias: found by meaning
    assert got.via == "search" and (got.area == "Loss functions" or
                                    corpus_bank.topic(got.topic).area == "Loss functions")
    assert match_wish(corpus_bank, corpus_index, "qwxyzzy") is None


def test_wish_in_conversation_changes_the_topic(engine, corpus_bank):
    state, reply = engine.start(topic="Adam", seed=1, now=0.0)
    state, reply = engine.respond(state, "ask me about object detection", now=1.0)
    assert reply.event == "topic" and reply.messages == ("Next questions: Object detection in English.",)
    assert corpus_bank.card(reply.question.card_id).area == "Object detection"
    assert state.asked == ()  # an abandoned question is not recorded
    state, reply = engine.respond(state, "考我BN", now=2.0)
    assert reply.question.topic == "BatchNorm" and state.filters.topic == "BatchNorm"
    state, reply = engine.respond(state, "/topic qwxyzzy", now=3.0)
    [said] = reply.messages
    assert said.startswith('The notes have no topic for "qwxyzzy" (nearest: ')
    assert said.endswith("); staying with BatchNorm in English.")
    state, reply = engine.respond(state, "/topic", now=4.0)
    assert reply.messages == ("Next questions: any topic in English.",) and state.filters == Filters()


@pytest.mark.parametrize("text, followup, command", [
    ("/hint", False, Command("hint")), ("提示", False, Command("hint")),
    ("I don't know.", False, Command("skip")), ("不会", False, Command("skip")),
    ("不知道", False, Command("skip")), ("skip", False, Command("skip")),
    ("/next", False, Command("next")), ("Next", False, Command("next")),
    ("show answer", False, Command("answer")), ("/answer", False, Command("answer")),
    ("/report", False, Command("report")), ("/help", False, Command("help")),
    ("/lang ZH", False, Command("lang", "zh")), ("中文", False, Command("lang", "zh")),
    ("switch to English", False, Command("lang", "en")),
    ("/topic object detection", False, Command("topic", "object detection")),
    ("换个话题 Adam", False, Command("topic", "Adam")),
    ("no", True, Command("decline")), ("不用", True, Command("decline")),
    ("/frobnicate", False, Command("unknown", "/frobnicate")),
    ("no", False, None), ("Batch norm normalises activations.", False, None),
    ("Hinting at the answer: BN", False, None), ("answer", False, None),
])
def test_parse_command(text, followup, command):
    assert parse_command(text, followup_pending=followup) == command
