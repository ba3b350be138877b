"""Whole sessions driven through the engine with the real grader: scripted candidates who
answer well, badly, only with commands, or switch language; follow-ups, schedule, report."""

import copy
import json
from dataclasses import replace

import pytest

from interviewer.interview import HINT_COST, Interviewer
from interviewer.keywords import match_keywords
from interviewer.session import load_state
from interviewer.schedule import FIRST_TURNS, WEAK_MASTERY, ema, question_key

OFF_TOPIC = "k-means assigns every point to its nearest centroid and moves each centroid to the mean."
PARTIAL = "BN normalises each feature with the mini-batch mean and variance, which stabilises training."


@pytest.fixture(scope="module")
def engine(resources):
    return Interviewer.from_resources(resources)  # the session's grader: references embedded once


def card_of(engine, reply):
    return engine.bank.card(reply.question.card_id)


def respond(engine, state, text, now):
    """engine.respond, checking on the way that the state passed in is never changed."""
    before = copy.deepcopy(state)
    new, reply = engine.respond(state, text, now=now)
    assert state == before
    return new, reply


# ---------------------------------------------------------------- candidates


def test_good_candidate_practice(engine):
    state, reply = engine.start(topic="BatchNorm", seed=3, now=0.0)
    assert reply.event == "start" and reply.question.number == 1
    results = []
    for i in range(5):  # answer whatever is asked (follow-ups too) with the reference answer
        card = card_of(engine, reply)
        state, reply = respond(engine, state, card.answer, now=10.0 * (i + 1))
        assert reply.event == "answer" and reply.result.card_id == card.id
        assert reply.messages[0].startswith("**Score: ")
        results.append(reply.result)
    assert all(r.band >= 4 for r in results), [r.score for r in results]
    ids = [a.card for a in state.session]
    assert len(set(ids)) == len(ids) == 5  # no repeats
    for a in state.session:  # mastered cards are scheduled far out
        s = state.schedule[a.card]
        assert (s.reps, s.due) == (1, a.turn + FIRST_TURNS)
    report = engine.report(state)
    assert report.strongest == ("BatchNorm",) and report.weakest == ()
    assert report.answered == 5 and report.skipped == 0
    assert report.average == round(sum(a.score for a in state.session) / 5, 1) >= 80
    assert all(r.reason == "due now" for r in report.review)  # nothing failed


def test_good_candidate_mock_gets_feedback_only_at_the_end(engine):
    state, reply = engine.start(mode="mock", questions=3, area="Training building blocks", seed=2, now=0.0)
    assert reply.question.prompt.startswith("**Question 1 of 3** · ")
    for n in (1, 2, 3):
        card = card_of(engine, reply)
        state, reply = respond(engine, state, card.answer, now=float(n))
        assert reply.result is None and "Score" not in reply.messages[0]
        assert reply.messages[0] == f"Answer recorded ({n} of 3)."
        assert reply.finished == (n == 3)
    assert reply.question is None and reply.event == "answer"
    assert reply.messages[1:3] == ("The mock interview is over.", reply.report.to_markdown())
    report = reply.report
    assert [q.score for q in report.questions] == [a.score for a in state.session]
    assert all(q.score >= 70 for q in report.questions), report.scores
    assert len({q.topic for q in report.questions}) == 3  # spread over the area's topics
    assert not any(a.followup for a in state.session)  # a mock interview does not probe
    for q in report.questions:
        assert f"| {q.number} | {q.topic} |" in report.to_markdown()
    state2, reply = respond(engine, state, "one more answer", now=9.0)
    assert reply.messages == ("The session is over. Type /report to see the report again.",)
    state2, reply = respond(engine, state, "/report", now=9.0)
    assert reply.report == report and reply.event == "report"


def test_a_partial_answer_gets_probed_and_weak_cards_return(engine):
    bank = engine.bank
    state, reply = engine.start(topic="BatchNorm", seed=5, now=0.0)
    first = card_of(engine, reply)
    state, reply = respond(engine, state, PARTIAL, now=1.0)
    result = reply.result
    assert result.band == 2 and result.missed
    # one follow-up, same topic and language, whose answer carries a missed term
    q = reply.question
    assert q.followup and q.reason == "followup" and q.number == 1
    probe = bank.card(q.card_id)
    assert probe.topic == first.topic and probe.lang == "en" and probe.id != first.id
    terms = {m.term: m for m in result.missed}
    term = next(t for t in terms if q.text.startswith(f"You didn't mention *{t}*; "))
    assert q.text == f"You didn't mention *{term}*; it comes up in this one: {probe.question}"
    kw = next(k for k in first.keywords if k.name == term)
    assert match_keywords([kw], probe.answer).covered or any(
        t in u for k in probe.keywords for u in k.terms for t in kw.terms)
    assert "_(type no to skip the follow-up)_" in q.prompt
    # declining costs nothing and leads to a normal question
    n_asked = len(state.asked)
    state, reply = respond(engine, state, "no", now=2.0)
    assert reply.event == "decline" and reply.messages == ("Follow-up skipped.",)
    assert len(state.asked) == n_asked and not reply.question.followup
    assert reply.question.card_id != probe.id
    # keep answering badly: the first card comes back (due) before any good card could
    reasons = []
    for i in range(4):
        if reply.question.followup:
            state, reply = respond(engine, state, "不用", now=3.0 + i)
            assert reply.event == "decline"
        reasons.append((reply.question.card_id, reply.question.reason))
        if reply.question.card_id == first.id:
            break
        state, reply = respond(engine, state, OFF_TOPIC, now=3.0 + i)
    assert reasons[-1] == (first.id, "due"), reasons
    assert "back for review" in reply.question.prompt.splitlines()[0]
    assert state.schedule[first.id].due <= state.turn
    report = engine.report(state)
    assert report.weakest == ("BatchNorm",) and report.strongest == ()
    assert state.mastery["BatchNorm"].score < WEAK_MASTERY
    failed = {a.card for a in state.session if a.band < 3}
    assert report.review[0].card_id in failed and report.review[0].reason.startswith("scored ")


def test_an_answer_far_off_is_taught_not_probed(engine):
    state, reply = engine.start(topic="BatchNorm", seed=5, now=0.0)
    first = card_of(engine, reply)
    state, reply = respond(engine, state, OFF_TOPIC, now=1.0)
    assert reply.result.band <= 1 and not reply.question.followup
    terms = ", ".join(k.name for k in engine.grader.reference(first).keywords)
    assert reply.messages[1] == (f"**What a good answer covers.** Key terms: {terms}.\n\n{first.answer}\n\n"
                                 "_This question comes back after 2 others: try it again then._")
    state, reply = respond(engine, state, "I don't know", now=2.0)
    skipped = state.asked[-1]
    assert reply.event == "skip" and skipped.skipped
    assert reply.messages[0].startswith("**What a good answer covers.** Key terms: ")
    assert engine.bank.card(skipped.card).answer in reply.messages[0]


def test_follow_up_answered_is_recorded_and_not_chained(engine):
    state, reply = engine.start(topic="BatchNorm", seed=5, now=0.0)
    state, reply = respond(engine, state, PARTIAL, now=1.0)
    assert reply.question.followup
    probe = card_of(engine, reply)
    state, reply = respond(engine, state, "It uses the batch statistics.", now=2.0)
    assert state.asked[-1].card == probe.id and state.asked[-1].followup
    assert reply.result.card_id == probe.id and not reply.question.followup  # one probe only
    report = engine.report(state)
    assert [(q.number, q.followup) for q in report.questions] == [(1, False), (1, True)]
    assert "| 1+ | BatchNorm |" in report.to_markdown()


def test_candidate_who_only_types_commands(engine):
    state, reply = engine.start(questions=3, topic="Dropout", seed=1, now=0.0)
    state, reply = respond(engine, state, "/help", now=1.0)
    assert reply.event == "help" and reply.messages[0].startswith("**Commands**")
    state, reply = respond(engine, state, "/frobnicate", now=1.0)
    assert reply.messages[0] == "Unknown command `/frobnicate`."
    state, reply = respond(engine, state, "   ", now=1.0)
    assert reply.messages == ("Type your answer, or /help for the commands.",)
    state, reply = respond(engine, state, "/lang fr", now=1.0)
    assert reply.messages == ("Choose /lang en or /lang zh.",)
    cards = []
    for line in ("/hint", "hint", "I don't know", "提示", "不会", "/answer"):
        card = card_of(engine, reply)
        hints = state.current.hints
        state, reply = respond(engine, state, line, now=2.0)
        assert reply.result is None
        terms = engine.grader.reference(card).keywords  # the question's own terms are never hints
        if reply.event == "hint" and hints < len(terms):
            assert reply.messages == (f"Hint: think about **{terms[hints].name}** "
                                      f"(-{HINT_COST} points on this answer).",)
            assert reply.question.card_id == card.id
        elif reply.event == "hint":
            assert reply.messages == ("No more hints: every key term has been revealed. "
                                      "Type /answer to see the reference.",)
        else:
            cards.append(card)
    assert reply.event == "reference" and reply.finished
    assert reply.messages[0] == f"**Reference answer** (Dropout; {cards[-1].source}):\n\n{cards[-1].answer}"
    # two hints asked on the first card, one on the second: as many as each card has terms to give
    used = [min(2, len(engine.grader.reference(cards[0]).keywords)),
            min(1, len(engine.grader.reference(cards[1]).keywords)), 0]
    assert [(a.card, a.skipped, a.score, a.hints) for a in state.session] == [
        (c.id, True, 0, n) for c, n in zip(cards, used)]
    report = reply.report
    assert (report.answered, report.skipped, report.hints, report.average) == (0, 3, sum(used), 0.0)
    assert state.session[0].missed == tuple(k.name for k in engine.grader.reference(cards[0]).keywords)
    assert report.weakest == ("Dropout",)


def test_hints_run_out_and_cost_points(engine):
    state, reply = engine.start(topic="BatchNorm", seed=8, now=0.0)
    card = card_of(engine, reply)
    terms = engine.grader.reference(card).keywords  # the question's own terms are never hints
    for _ in terms:
        state, reply = respond(engine, state, "/hint", now=1.0)
    state, reply = respond(engine, state, "/hint", now=1.0)
    assert reply.messages == ("No more hints: every key term has been revealed. "
                              "Type /answer to see the reference.",)
    n = len(terms)
    graded = engine.grader.grade(card, card.answer).score
    state, reply = respond(engine, state, card.answer, now=2.0)
    penalty = min(graded, HINT_COST * n)
    # one score everywhere: the result, its headline and the record all include the cost
    assert state.asked[-1].score == reply.result.score == graded - penalty and state.asked[-1].hints == n
    assert reply.messages[0].startswith(f"**Score: {graded - penalty}/100**, band {reply.result.band}/5")
    assert (f"The score includes -{penalty} points for {n} hint(s) ({graded} without them)."
            in reply.messages)


def test_skip_comes_back_and_next_moves_on_without_a_record(engine):
    state, reply = engine.start(topic="Adam", seed=2, now=0.0)
    first = card_of(engine, reply)
    state, reply = respond(engine, state, "/next", now=1.0)
    assert reply.event == "next" and state.asked == () and reply.question.card_id != first.id
    assert reply.messages == ("Moved on, no penalty: this question may come up again later.",)
    second = card_of(engine, reply)
    state, reply = respond(engine, state, "/skip", now=2.0)
    assert state.asked[-1].card == second.id and state.asked[-1].skipped
    assert state.schedule[second.id].due == state.asked[-1].turn + 3  # asked again 3 turns on: after two others


def test_candidate_who_switches_language(engine):
    bank = engine.bank
    state, reply = engine.start(topic="Dropout", seed=4, now=0.0)
    en_card = card_of(engine, reply)
    state, reply = respond(engine, state, "/lang zh", now=1.0)
    zh_card = card_of(engine, reply)
    assert reply.messages == ("已切换到中文。",) and zh_card == bank.twin(en_card, "zh")
    assert reply.question.prompt.startswith("**第 1 题** · Dropout")
    state, reply = respond(engine, state, zh_card.answer, now=2.0)
    assert reply.result.card_id == zh_card.id and reply.result.band >= 4
    if reply.question.followup:
        assert reply.question.text.startswith("你没有提到「")
        state, reply = respond(engine, state, "不用", now=3.0)
        assert reply.messages == ("已跳过追问。",)
    assert card_of(engine, reply).lang == "zh"
    state, reply = respond(engine, state, "English", now=4.0)
    en_next = card_of(engine, reply)
    assert reply.messages == ("Switched to English.",) and en_next.lang == "en"
    # a Chinese answer to an English question is graded against the Chinese reference, and the
    # feedback stays in the session's language
    twin = bank.twin(en_next, "zh")
    state, reply = respond(engine, state, twin.answer, now=5.0)
    assert reply.result.graded_against == twin.id and reply.result.band >= 4
    assert "> Graded against the Chinese version of the reference answer." in reply.messages[0]
    assert reply.messages[0].startswith("**Score: ") and reply.result.feedback_lang == "en"
    keys = [question_key(bank.card(a.card)) for a in state.session]
    assert len(keys) == len(set(keys))  # a question and its twin are one question


def test_timed_mock_records_late_answers(engine):
    state, reply = engine.start(mode="mock", questions=2, seconds=30, topic="Net2Net", seed=6, now=0.0)
    assert reply.messages == ("Mock interview: 2 questions, no feedback until the end. Type /help for "
                              "the commands. You have 30 s per question.",)
    assert reply.question.prompt.endswith("_You have 30 s._")
    state, reply = respond(engine, state, "Net2Net copies units to widen a layer.", now=100.0)
    assert reply.messages[1] == "Answered after the 30 s limit (100 s); recorded with a notice."
    state, reply = respond(engine, state, "Identity layers make it deeper.", now=110.0)
    report = reply.report
    assert [(q.late, q.seconds) for q in report.questions] == [(True, 100.0), (False, 10.0)]
    assert report.late == 1 and "late 1" in report.to_markdown()


def test_study_mode_answers_from_the_notes(engine):
    state, reply = engine.start(mode="study", now=0.0)
    assert reply.question is None and reply.messages == (
        "Study: ask anything about the notes and I answer from them, with the source.",)
    new, reply = respond(engine, state, "why does batch normalization allow higher learning rates", 1.0)
    assert new == state and reply.event == "study"
    assert reply.messages[0].startswith("From the notes:\n\n**BatchNorm** · Batch Normalization: "
                                        "Accelerating Deep Network Training")
    state, reply = respond(engine, state, "/topic Adam", now=2.0)
    state, reply = respond(engine, state, "为什么需要偏差修正", now=3.0)
    blocks = reply.messages[0].split("\n\n**")[1:]
    assert blocks and all(b.startswith("Adam** · ") for b in blocks)


# ---------------------------------------------------------------- state across turns


def test_saved_state_continues_identically(engine):
    state, reply = engine.start(area="Training building blocks", seed=12, now=0.0)
    state, reply = respond(engine, state, OFF_TOPIC, now=1.0)
    loaded, message = load_state(state.to_json())
    assert message == "" and loaded == state
    a = respond(engine, state, "/skip", now=2.0)
    b = respond(engine, loaded, "/skip", now=2.0)
    assert a[0] == b[0] and a[1].markdown == b[1].markdown


def test_every_state_along_a_session_reloads(engine):
    state, reply = engine.start(topic="BatchNorm", lang="zh", seconds=20, seed=30, now=0.0)
    script = ["/hint", "BN 用小批量统计量归一化。", "不用", "/lang en", "/skip", "show answer", "/report",
              "/topic Dropout", "English", "/next", "换个话题", "I don't know"]
    for i, line in enumerate(script):
        state, reply = respond(engine, state, line, now=5.0 * i)
        assert load_state(state.to_json()) == (state, ""), line
    assert len(state.asked) >= 5


def test_stale_question_from_other_notes(engine):
    state, reply = engine.start(topic="Adam", seed=1, now=0.0)
    stale = replace(state, current=replace(state.current, card="gone-00000000"))
    state, reply = respond(engine, stale, "an answer", now=1.0)
    assert reply.messages[:2] == ("The saved question is no longer in the notes; here is another one.",
                                  "Let's start.")
    assert reply.question.topic == "Adam"


def test_resume_keeps_history_and_reports_the_new_session(engine):
    state, _ = engine.start(topic="BatchNorm", seed=3, now=0.0)
    state, _ = respond(engine, state, "/skip", now=1.0)
    state, _ = respond(engine, state, "/skip", now=2.0)
    old = state
    state, reply = engine.start(mode="mock", questions=2, topic="BatchNorm", resume=old, seed=4, now=5.0)
    assert state.started == len(old.asked) == 2 and state.schedule == old.schedule
    assert reply.question.card_id not in {a.card for a in old.asked}
    for i in range(2):
        state, reply = respond(engine, state, card_of(engine, reply).answer, now=6.0 + i)
    assert len(reply.report.questions) == 2 and len(state.asked) == 4
    assert reply.report.topics[0].answers == 4  # mastery spans the history


def test_report_figures_match_the_recorded_answers(engine):
    state, reply = engine.start(area="Training building blocks", seed=21, now=0.0)
    for i, line in enumerate([None, "/skip", OFF_TOPIC, "/hint", None, "no", None]):
        if line is None or (line == "no" and not reply.question.followup):
            line = card_of(engine, reply).answer
        state, reply = respond(engine, state, line, now=float(i + 1))
    report = engine.report(state)
    session = state.session
    assert [(q.card_id, q.score, q.band, q.skipped, q.hints, q.followup) for q in report.questions] == [
        (a.card, a.score, a.band, a.skipped, a.hints, a.followup) for a in session]
    assert report.average == round(sum(a.score for a in session) / len(session), 1)
    assert report.skipped == sum(a.skipped for a in session)
    mastery = {}
    for a in session:
        mastery[a.topic] = ema(mastery.get(a.topic), a.score)
    assert {t.topic: t.mastery for t in report.topics} == {k: round(m.score, 1) for k, m in mastery.items()}
    assert [t.mastery for t in report.topics] == sorted((t.mastery for t in report.topics), reverse=True)
    data = json.loads(report.to_json())
    assert data["average"] == report.average and len(data["questions"]) == len(session)
    md = report.to_markdown()
    assert md.startswith("## Interview report\n\nPractice · ")
    for t in report.topics:
        assert f"- {t.topic}: {t.mastery:.0f}/100 (answers: {t.answers})" in md


def test_chinese_report(engine):
    state, reply = engine.start(mode="mock", questions=1, lang="zh", topic="BN", seed=2, now=0.0)
    assert reply.messages[0] == "模拟面试：共 1 题，结束后统一反馈。输入 /help 查看命令。"
    state, reply = respond(engine, state, "不知道", now=1.0)
    md = reply.report.to_markdown()
    assert reply.messages[:2] == ("已跳过。", "模拟面试结束。")
    assert md.startswith("## 面试报告\n\n模拟面试 · 1 题 · 平均 0.0/100 · 跳过 1")
    assert "**最弱：** 批归一化（BatchNorm）" in md and "### 接下来复习" in md  # the notes' Chinese name


@pytest.mark.parametrize("wish, topic, area", [
    ("考我Transformer", "Transformer", None),
    ("/topic attention", None, "Sequence models and attention"),
    ("/topic focal loss", "Class imbalance and focal loss", None),
    ("ask me about LoRA", "LoRA and Adapters", None),
    ("/topic 语义分割", None, "Semantic segmentation"),
    ("考我逻辑回归", "Logistic regression", None),
])
def test_wishes_reach_the_new_topics(engine, wish, topic, area):
    state, _ = engine.start(mode="practice", now=0.0)
    state, reply = respond(engine, state, wish, now=1.0)
    assert (state.filters.topic, state.filters.area) == (topic, area), reply.messages
    assert reply.question is not None


def test_a_wish_the_bank_does_not_cover_says_so_and_names_the_nearest(engine):
    state, _ = engine.start(mode="practice", topic="BatchNorm", now=0.0)
    new, reply = respond(engine, state, "/topic quantum computing", now=1.0)
    [said] = reply.messages
    assert said.startswith('The notes have no topic for "quantum computing" (nearest: ')
    assert said.endswith("); staying with BatchNorm in English.") and new.filters == state.filters
    state, _ = engine.start(mode="practice", lang="zh", topic="BatchNorm", now=0.0)
    _, reply = respond(engine, state, "/topic 量子计算", now=1.0)
    assert reply.messages[0].startswith("题库里没有“量子计算”这个话题（最接近的：")


# ---------------------------------------------------------------- the mock interview


def test_mock_gives_no_help_and_a_hard_limit_closes_the_question(engine):
    state, reply = engine.start(mode="mock", questions=3, topic="Dropout", seconds=60, hard=True, seed=4, now=0.0)
    assert reply.messages[0].endswith("You have 60 s per question; when time is up the question closes and "
                                      "what you have written is graded.")
    first = card_of(engine, reply)
    for line in ("/hint", "/answer", "提示"):
        state, reply = respond(engine, state, line, now=1.0)
        assert reply.event == "refused" and reply.messages == (
            "No hints or reference answers during a mock interview: the debrief at the end shows every "
            "reference. Answer as best you can, or /skip.",)
        assert state.current.hints == 0 and reply.question.card_id == first.id
    # the page sends what was written when the time ran out
    state, reply = engine.respond(state, first.answer[:120], now=61.0, cut=True)
    a = state.asked[-1]
    assert (a.card, a.cut, a.late, a.skipped) == (first.id, True, False, False) and a.score > 0
    assert reply.messages[0] == "Time is up: what you had written is graded (1 of 3)." and reply.result is None
    # an answer arriving after the limit is cut too (a page that did not send in time)
    second = card_of(engine, reply)
    state, reply = engine.respond(state, second.answer, now=61.0 + 75.0)
    assert state.asked[-1].cut and not state.asked[-1].late
    # time out on an empty box: skipped, no grade
    state, reply = engine.respond(state, "", now=61.0 + 75.0 + 61.0, cut=True)
    assert state.asked[-1].skipped and state.asked[-1].cut and reply.finished
    assert reply.messages[0] == "Time is up with nothing written: the question counts as skipped."
    summary = reply.report.to_markdown().split("\n\n")[1]  # the report counts the three cut questions
    assert summary.endswith("late 0 · cut at the time limit 3"), summary


def test_a_term_earned_through_a_typing_slip_is_marked_where_it_was_typed(engine):
    state, reply = engine.start(mode="mock", questions=1, topic="BatchNorm", seed=5, now=0.0)
    answer = "It lets you use Higher lerning rates, and it also regularises the network a bit."
    first = card_of(engine, reply)
    state, reply = engine.respond(state, answer, now=42.0)
    q1, = reply.report.questions
    assert q1.covered == ("higher learning rates", "regularization")
    assert [answer[a:b] for a, b in q1.highlights] == ["Higher lerning rates", "regularises"]
    # the chat marks the answer the same way
    assert engine.marked_answer(engine.grader.grade(first, answer), answer) == (
        "It lets you use **Higher lerning rates**, and it also **regularises** the network a bit\\.")


def test_mock_debrief_marks_what_was_said_and_shows_what_was_missed(engine):
    from interviewer.session import Spoken

    state, reply = engine.start(mode="mock", questions=2, topic="BatchNorm", seed=5, now=0.0)
    first = card_of(engine, reply)
    assert first.question.startswith("What are the main effects of adding BN")
    answer = "It lets you use Higher learning rates, and it also regularises the network a bit."
    state, reply = engine.respond(state, answer, now=42.0, spoken=Spoken(131.4, 2, 1))
    state, reply = respond(engine, state, "/skip", now=50.0)
    assert reply.finished and reply.messages[0] == "Skipped."
    q1, q2 = reply.report.questions
    assert q1.covered == ("higher learning rates", "regularization") and q1.pace == 131.4
    assert [answer[a:b] for a, b in q1.highlights] == ["Higher learning rates", "regularises"]
    md = reply.report.to_markdown()
    debrief = md[md.index("### Debrief"):]
    block = debrief.split("#### ")[1]
    assert block.startswith("1 · BatchNorm · ") and " · 42 s\n" in block
    assert ("> It lets you use **Higher learning rates**, and it also **regularises** the network a bit\\."
            in block)
    assert "**Covered:** higher learning rates, regularization" in block
    missed = dict(line[2:].split(": _", 1) for line in block.splitlines() if line.startswith("- "))
    assert set(missed) == {"initialization", "saturated", "loss landscape"}
    assert all(m.rstrip("_") in first.answer for m in missed.values())  # a sentence of the reference
    assert "**Delivery:** 131 words a minute, 2 filler word(s), 1 long pause(s)." in block
    assert f"**Reference answer:** {first.answer}" in block
    assert "**Your answer:** _(none)_" in debrief.split("#### ")[2]
    # two of the reference's five effects: weak, so both questions come back under /retry
    assert q1.band == 2 and "Type /retry to practise the 2 weak question(s) again." in md


def test_retry_the_weak_ones(engine):
    state, reply = engine.start(mode="mock", questions=3, topic="Adam", seed=3, now=0.0)
    state, reply = respond(engine, state, "/retry", now=0.5)
    assert reply.messages[0].startswith("/retry works once the session is over")
    asked = []
    for i, how in enumerate(("good", "bad", "skip")):
        card = card_of(engine, reply)
        asked.append(card.id)
        text = {"good": card.answer, "bad": OFF_TOPIC, "skip": "/skip"}[how]
        state, reply = respond(engine, state, text, now=1.0 + i)
    assert reply.finished
    state, reply = respond(engine, state, "/retry", now=10.0)
    assert reply.messages[0] == "Retrying the 2 weak question(s) of the last session."
    assert state.mode == "mock" and state.limit == 2 and not state.finished
    assert reply.question.card_id == asked[1] and reply.question.reason == "retry"
    state, reply = respond(engine, state, card_of(engine, reply).answer, now=11.0)
    assert reply.question.card_id == asked[2]
    state, reply = respond(engine, state, card_of(engine, reply).answer, now=12.0)
    assert reply.finished and [a.card for a in state.session] == asked[1:]
    state, reply = respond(engine, state, "重试", now=13.0)
    assert reply.messages == ("Nothing to retry: every answer of the session reached band 3 or more.",)
