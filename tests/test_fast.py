"""The fast tier's logic tests: the engine, the room's handlers and batch grading over the
seed notes with a fake embedder (tests/conftest.py), so they run in seconds without a model.
Grades here say nothing about quality (the fake embedder only counts shared words); what is
tested is what the code does with them."""

import json
import re

import pytest

from interviewer.bank import Card, Keyword
from interviewer.batch import Options, grade_rows
from interviewer.batchio import InputRow, mark_duplicates
from interviewer.interview import Interviewer
from interviewer.room import Choices, Handlers
from interviewer.session import Filters, Spoken, State


@pytest.fixture(scope="module")
def engine(fake_resources):
    return Interviewer.from_resources(fake_resources)


def test_fake_embedder_is_deterministic_and_follows_shared_words():
    from conftest import FakeEmbedder

    e = FakeEmbedder()
    a, b, c = e.embed(["batch norm mean variance", "batch norm mean variance", "reinforcement reward"])
    assert (a == b).all() and float(a @ b) == pytest.approx(1.0) and float(a @ c) < 0.5


def test_a_mock_interview_start_to_debrief_and_retry(engine):
    state, reply = engine.start(mode="mock", questions=3, lang="zh", seed=1, now=0.0)  # the seed notes ask in Chinese
    asked = []
    for i, line in enumerate(["/hint", None, "/skip", None]):
        if line == "/hint":
            state, reply = engine.respond(state, line, now=1.0)
            assert reply.event == "refused"
            continue
        card = engine.bank.card(reply.question.card_id)
        asked.append(card.id)
        text = line or card.answer
        state, reply = engine.respond(state, text, now=10.0 * (i + 1), spoken=Spoken(120.0, 1, 0) if i == 1 else None)
        assert reply.result is None  # nothing shown during a mock
    assert reply.finished and len(reply.report.questions) == 3
    md = reply.report.to_markdown()
    assert md.count("\n#### ") == 3 and "**表达：** 每分钟 120 字" in md
    weak = [q.card_id for q in reply.report.questions if q.band < 3]
    assert asked[1] in weak  # the skipped one
    state, reply = engine.respond(state, "/retry", now=100.0)
    assert reply.question.card_id == weak[0] and reply.question.reason == "retry" and state.limit == len(weak)


def test_handlers_send_highlights_and_hard_limit(fake_resources):
    h = Handlers(fake_resources)
    v = h.start("practice", "zh", "any", "BatchNorm", "any", 5, 0, "")
    card = fake_resources.bank.card(json.loads(v.state_json)["current"]["card"])
    v = h.send(card.answer, v.chat, v.state_json)
    assert v.result.startswith("### ") and v.chat[-2]["role"] == "user"
    v = h.start("mock", "zh", "any", "any", "any", 1, 5, v.state_json, hard=True)
    state = json.loads(v.state_json)
    state["current"]["asked_at"] -= 10
    sent = h.tick("half an answer", v.chat, json.dumps(state))
    assert sent.countdown == "" and json.loads(sent.state_json)["asked"][-1]["cut"] and not sent.mock_running


def test_batch_rows_with_references_are_graded_in_order(fake_resources):
    rows = [InputRow(i, {"id": str(i), "question": q, "answer": a, "reference": r}) for i, (q, a, r) in enumerate([
        ("What is dropout?", "It zeroes random units in training.", "Dropout zeroes random units in training."),
        ("What is dropout?", "", "Dropout zeroes random units in training."),
        ("What is dropout?", "Bananas are yellow.", "Dropout zeroes random units in training."),
    ], 1)]
    out = grade_rows(rows, fake_resources, Options())
    assert [r.id for r in out] == ["1", "2", "3"] and [r.number for r in out] == [1, 2, 3]
    assert out[0].graded and out[0].score > out[2].score and not out[0].truncated
    assert (out[1].graded, out[1].score, out[1].to_record()["review_reasons"]) == (False, None, "empty answer")
    assert out[1].to_record()["status"] == "not graded" and out[1].to_record()["needs_review"] == "yes"
    assert out[1].to_record()["feedback"] == "empty answer" and out[1].to_record("zh")["feedback"] == "回答为空"


@pytest.mark.parametrize("answer, blank", [
    ("N/A", True), ("No response.", True), ("[Empty submission]", True), ("未作答", True), ("-", True),
    ("None", False), ("无", False), ("No, it does not.", False),  # each can be a right answer
])
def test_a_placeholder_for_an_answer_is_an_empty_answer(fake_resources, answer, blank):
    # the SAF set's empty rows read "No response" and "Empty submission."; a teacher's file "N/A"
    ref = "Dropout zeroes random units in training."
    row = InputRow(1, {"id": "1", "question": "What is dropout?", "answer": answer, "reference": ref})
    (out,) = grade_rows([row], fake_resources, Options())
    assert (out.graded, out.to_record()["review_reasons"] == "empty answer") == (not blank, blank)


def test_batch_rows_keep_every_reason_to_review(fake_resources):
    ref = "Dropout zeroes random units in training."
    rows = [InputRow(1, {"id": "a", "question": "What is dropout?", "answer": "zeroes units", "reference": ref}),
            InputRow(2, {"id": "a", "question": "What is dropout?", "answer": "", "reference": ref}),
            InputRow(3, {"id": "b", "question": "What is dropout?", "answer": "x " * 3000, "reference": ref})]
    short, empty_duplicate, long_ = grade_rows(list(mark_duplicates(rows)), fake_resources, Options())
    assert "very short answer" in short.to_record()["review_reasons"]
    assert empty_duplicate.to_record()["review_reasons"] == "duplicate id (first on row 1); empty answer"
    assert empty_duplicate.to_record("zh")["review_reasons"] == "id 重复（第一次出现在第 1 行）；回答为空"
    assert long_.truncated and "very long answer (cut)" in long_.to_record()["review_reasons"]
    record = long_.to_record()
    assert record["score"] == long_.score and record["status"] == long_.to_record("zh")["status"] == "graded"


def test_a_command_as_the_first_message_is_answered_not_swallowed(fake_resources):
    h = Handlers(fake_resources)
    v = h.send("/help", [], "")
    assert v.chat[0] == {"role": "user", "content": "/help"} and "/hint" in v.chat[-1]["content"]
    assert json.loads(v.state_json).get("current") is None  # help asks nothing
    v = h.send("my answer", v.chat, v.state_json)  # the seed notes have no English question: said, not a crash
    assert v.chat[-1]["content"] == "⚠️ no questions match any topic in English: loosen the filters"
    v = h.send("/lang zh", v.chat, v.state_json)  # the seed notes ask in Chinese only
    v = h.send("批归一化是什么？", v.chat, v.state_json)  # an answer with no question starts one
    assert json.loads(v.state_json)["current"] is not None


def test_a_first_answer_after_picking_chinese_opens_a_chinese_session(fake_resources):
    """Picking 中文 and typing (not pressing Start) opened an English session and turned the page back."""
    h = Handlers(fake_resources)
    saved = h.prefer(Choices("zh"), "")
    v = h.send("它把每个特征标准化。", [], saved)
    state = json.loads(v.state_json)
    assert state["lang"] == "zh" and state["current"] is not None and v.controls[1] == "zh"
    # once a question has been asked the controls follow the session, never the reverse
    assert h.prefer(Choices("en"), v.state_json) == v.state_json
    # a /lang set before any question stands until a control changes: the API's /send keeps it
    v = h.send("/lang zh", [], "")
    assert json.loads(h.send("它把每个特征标准化。", v.chat, v.state_json).state_json)["lang"] == "zh"


@pytest.mark.parametrize("choices, lang, filters", [
    (Choices("zh", "any", "Batch Normalization", "2"), "zh", Filters(None, "Batch Normalization", 2)),
    (Choices("zh", "", "", ""), "zh", Filters()),
    (Choices("en", "any", "any", "Easy"), "en", Filters()),  # not a level: no filter, not an error
    (Choices("xx", "Vision", "any", "1"), "en", Filters()),  # not a language: nothing changes
])
def test_the_page_choices_become_the_session_settings(choices, lang, filters):
    state = choices.applied_to(State())
    assert (state.lang, state.filters) == (lang, filters)


@pytest.mark.parametrize("choices, settings", [
    (Choices(mode="mock", questions=3, seconds=60, hard=True), ("mock", 3, 60.0, True)),
    (Choices(mode="mock", questions=3, seconds=0), ("mock", 3, None, False)),  # 0 seconds: no clock, as Start
    (Choices(mode="practice", questions=3, seconds=60, hard=True), ("practice", None, None, False)),
    (Choices(mode="study"), ("study", None, None, False)),
    (Choices(mode="exam"), ("practice", None, None, False)),  # not a mode: nothing changes
])
def test_a_mock_picked_on_the_page_takes_its_count_and_clock(choices, settings):
    state = choices.applied_to(State())
    assert (state.mode, state.limit, state.seconds, state.hard) == settings


def test_a_first_answer_after_picking_a_mock_opens_the_mock(fake_resources):
    h = Handlers(fake_resources)
    v = h.send("它把每个特征标准化。", [], h.prefer(Choices("zh", mode="mock", questions=2, seconds=30), ""))
    state = json.loads(v.state_json)
    assert (state["mode"], state["limit"], state["seconds"]) == ("mock", 2, 30.0) and state["current"] is not None


def test_each_timed_question_gets_a_clock_of_its_own(fake_resources):
    h = Handlers(fake_resources)
    v = h.start("mock", "zh", "any", "any", "any", 3, 30, "")
    first = v.countdown
    v = h.send("不知道", v.chat, v.state_json)  # the next question, asked within the same second
    # the page restarts its count only when the clock's key changes (identical HTML is not even redrawn)
    assert first and v.countdown and first != v.countdown
    assert re.search(r'data-q="[^"]+"', first).group() != re.search(r'data-q="[^"]+"', v.countdown).group()


@pytest.mark.parametrize("first", ["help", "帮助", "/help"])
def test_a_word_command_as_the_first_message_is_answered_too(fake_resources, first):
    v = Handlers(fake_resources).send(first, [], "")
    assert "/hint" in v.chat[-1]["content"] and json.loads(v.state_json).get("current") is None


def test_only_an_ordinary_answer_leaves_the_controls_and_buttons_as_they_are(fake_resources):
    h = Handlers(fake_resources)
    v = h.start("practice", "zh", "any", "any", "any", 5, 0, "")
    assert not v.steady  # a new session sets every control
    v = h.send("不知道", v.chat, v.state_json)
    assert v.steady and v.controls == ("practice", "zh", "any", "any")
    v = h.send("/lang en", v.chat, v.state_json)
    assert not v.steady and v.controls[1] == "en"
    v = h.start("mock", "zh", "any", "any", "any", 2, 30, "")
    v = h.send("不知道", v.chat, v.state_json)  # question 2 of 2: the interview goes on
    assert v.steady and v.mock_running
    v = h.send("不知道", v.chat, v.state_json)  # the last one: scores, hints and buttons come back
    assert not v.steady and not v.mock_running


@pytest.mark.parametrize("answer, said", [
    ("It normalises each mini-batch with its mean and variance, then scales and shifts.", "未检查关键词"),
    ("🙂🙂🙂", "回答里没有文字（只有符号或表情）：用句子解释这个概念。"),
])
def test_a_chinese_session_answered_in_english_gets_chinese_feedback(engine, answer, said):
    state, reply = engine.start(lang="zh", seed=2, now=0.0)
    state, reply = engine.respond(state, answer, now=1.0)
    r = reply.result
    assert r.answer_lang == "en" and r.feedback_lang == "zh"
    assert reply.messages[0].startswith("**得分：") and r.verdict in "未答到要点 错误 薄弱 部分正确 良好 优秀".split()
    assert any(n.startswith(said) for n in r.notices) and re.search("[\u4e00-\u9fff]", r.suggestion)


def test_choosing_the_language_before_starting_translates_the_greeting():
    from interviewer.labels import label
    from interviewer.room import regreet

    hello = [{"role": "assistant", "content": [{"type": "text", "text": label("en", "welcome")}]}]
    assert regreet(hello, "zh") == [{"role": "assistant", "content": label("zh", "welcome")}]
    talk = hello + [{"role": "user", "content": "/help"}]
    assert regreet(talk, "zh") is None  # a conversation is left as it is


def test_a_reload_with_a_question_waiting_says_to_answer_it(fake_resources):
    from interviewer.labels import label

    h = Handlers(fake_resources)
    v = h.start("practice", "zh", "any", "BatchNorm", "any", 5, 0, "")
    pending = h.load(v.state_json).chat
    assert pending[0]["content"] == label("zh", "welcome_resume") and v.chat[-1]["content"].endswith(pending[1]["content"])
    assert h.load("").chat == [{"role": "assistant", "content": label("en", "welcome")}]  # nothing saved


@pytest.mark.parametrize("mode, lang, key", [("study", "zh", "placeholder_study"), ("mock", "en", "placeholder"),
                                             ("nonsense", "en", "placeholder")])
def test_the_answer_box_invites_what_the_mode_takes(mode, lang, key):
    from interviewer.labels import label
    from interviewer.room import box_placeholder

    assert box_placeholder(mode, lang) == label(lang, key)
    assert ("/hint" in box_placeholder(mode, lang)) is (key == "placeholder")  # Study has no hints


def test_the_page_processes_only_the_outputs_an_event_changes(fake_resources):
    """A skipped output goes back as a skip and its component is not rebuilt for the session
    (gradio's own Blocks builds a new one per skip: a fifth of the server's time under load)."""
    import asyncio

    import gradio as gr
    from gradio.state_holder import SessionState

    from interviewer.ui import build_app

    demo = build_app(fake_resources)
    fn = next(f for f in demo.fns.values() if f.api_name == "send")
    chat = [{"role": "assistant", "content": "Q1"}]
    given = {gr.Chatbot: chat, gr.Markdown: "### 5/100"}
    predictions = [given.get(type(b), gr.skip()) if b.elem_id in ("chat", "result") else gr.skip()
                   for b in fn.outputs]
    state = SessionState(demo)
    out = asyncio.run(demo.postprocess_data(fn, predictions, state))
    assert len(out) == len(fn.outputs)
    for block, sent, got in zip(fn.outputs, predictions, out):
        if block.stateful:
            continue
        if sent == gr.skip():
            assert got == {"__type__": "update"} and state.blocks_config.blocks[block._id] is block, block
        else:
            assert got == ("### 5/100" if block.elem_id == "result" else block.postprocess(chat).model_dump())
    # an event that changes a property still rebuilds that one component, as gradio does
    i = next(i for i, b in enumerate(fn.outputs) if b.elem_id == "hint")
    predictions[i] = gr.update(visible=False)
    out = asyncio.run(demo.postprocess_data(fn, predictions, state))
    assert out[i]["visible"] is False and state.blocks_config.blocks[fn.outputs[i]._id] is not fn.outputs[i]


def test_progress_import_and_study_speak_the_pages_language(fake_resources, tmp_path):
    h = Handlers(fake_resources)
    assert h.import_(None, "", "zh") == ("", "没有上传文件。")
    broken = tmp_path / "progress.json"
    broken.write_text("{not json", "utf-8")
    assert h.import_(str(broken), "kept", "zh") == ("kept", "⚠️ 未导入：这个文件不是可用的进度导出（is not valid JSON）；你的进度没有改变。")
    assert h.import_(str(broken), "kept") == ("kept", "⚠️ Not imported: that file is not valid JSON; your progress is unchanged.")
    assert h.search("  ", page_lang="zh") == "输入想查的内容，例如 *深度可分离卷积* 或 *batch norm at inference*。"


def test_a_file_problem_survives_a_trip_between_processes():
    import pickle

    from interviewer.problems import FileError, file_error

    e = pickle.loads(pickle.dumps(file_error("answers.csv:3", "not-utf8", byte="9f")))
    assert isinstance(e, FileError) and e.say("zh") == "answers.csv:3：不是 UTF-8 编码（字节 0x9f）：请另存为 UTF-8（Excel 中选“CSV UTF-8”）"


def test_a_wish_by_the_chinese_names_the_page_shows():
    from interviewer.bank import Bank, Topic
    from interviewer.commands import match_wish

    bank = Bank((Topic("ViT", "Vision transformers", aliases=("视觉 Transformer",)),
                 Topic("Convolution Arithmetic", "CNN mechanics", name_zh="卷积的尺寸计算")),
                area_names=(("Vision transformers", "视觉 Transformer"),))
    area, topic = match_wish(bank, None, "考我视觉 Transformer"), match_wish(bank, None, "考我卷积的尺寸计算")
    assert (area.area, area.topic, topic.topic) == ("Vision transformers", None, "Convolution Arithmetic")


def test_a_missed_terms_sentence_is_shown_as_written_not_cut_after_ie(fake_resources):
    # the grader compares by pieces cut after "i.e."; the reader must get the whole sentence
    card = Card("ie-card", "Inception-ResNet", "cnn", "qa", "How was training of very wide residual networks kept stable?",
                "Residual scaling was used, i.e. multiplying the residual branch by a constant near 0.1. "
                "Warm-up alone was not enough.",
                keywords=(Keyword("small constant", ("constant near 0.1",)), Keyword("warm-up")))
    result = fake_resources.grader.grade(card, "Warm-up alone was not enough for them.")
    assert [(m.term, m.sentence) for m in result.missed] == [
        ("small constant", "Residual scaling was used, i.e. multiplying the residual branch by a constant near 0.1.")]


def test_a_rows_doubts_are_worded_in_the_reviewers_language_not_the_answers():
    import pickle

    from interviewer.feedback import Doubt
    from interviewer.problems import Problem

    reason = Problem("unsure", {"doubts": (Doubt("doubt-edge"), Doubt("doubt-found", (("kind", "number"),)))})
    assert reason.text("zh") == "不确定：分数接近两个等级的分界；检测到矛盾（数字不符）"
    assert reason.text("en") == "not sure: the score is close to the edge between two bands; a contradiction cue (number) fired"
    assert pickle.loads(pickle.dumps(reason)) == reason  # rows cross processes in the Ray engine



def test_an_answer_to_another_question_of_the_bank_says_so_and_loses_points(fake_resources):
    from dataclasses import replace

    from interviewer.feedback import text as feedback_text
    from interviewer.scoring import Grader, Weights

    bank = fake_resources.bank
    asked = next(c for c in bank.cards if c.question == "1x1卷积的作用")
    other = next(c for c in bank.cards if c.question == "请简要介绍MobileNet")
    plain = Grader(bank, fake_resources.embedder, weights=replace(Weights(), elsewhere=0.0))
    r, before = fake_resources.grader.grade(asked, other.answer), plain.grade(asked, other.answer)
    assert r.signals.elsewhere > 0.25 and r.score < before.score
    assert "这更像是在回答另一个问题：“请简要介绍MobileNet”" in r.notices
    assert r.suggestion == feedback_text("empty", "zh")  # the asked question is still to be answered
    # a teacher's own reference is not one of the bank's questions: nothing to compare with
    adhoc = Card("adhoc-1x1", "custom", "custom", "qa", asked.question, asked.answer, lang="zh")
    assert fake_resources.grader.grade(adhoc, other.answer).signals.elsewhere == 0.0


def test_a_chinese_missed_terms_sentence_is_shown_whole_not_cut_at_commas_or_a_formulas_semicolon(fake_resources):
    # the grader compares by comma-cut clauses and splits at "; "; the reader gets the sentence
    sentence = ("两个网络结构相同：在线网络每步都训练；目标网络只负责计算回归目标 y = r + γ max Q(s', a'; θ⁻)，"
                "每隔一万次参数更新才同步一次，所以目标在一段时间内保持固定，训练因此更加稳定。")
    card = Card("dqn-zh", "DQN", "rl", "qa", "目标网络如何工作？", sentence + "没有它时网络会发散。", lang="zh",
                keywords=(Keyword("同步一次"), Keyword("发散")))
    result = fake_resources.grader.grade(card, "没有它时网络会发散。")
    assert [(m.term, m.sentence) for m in result.missed] == [("同步一次", sentence)]


def test_an_answer_in_the_twins_language_is_told_the_twins_terms_and_sentences(fake_resources):
    from interviewer.bank import Bank
    from interviewer.scoring import Grader

    zh = Card("lr-zh", "Logistic regression", "ml", "qa", "系数 0.7 如何解释？",
              "系数 0.7 表示该特征增加一个单位、其他特征不变时，对数几率增加 0.7，优势比约为 2。", lang="zh", pair="coef",
              keywords=(Keyword("优势比", ("odds ratio",)), Keyword("对数几率", ("log-odds",))))
    en = Card("lr-en", "Logistic regression", "ml", "qa", "How do you read a coefficient of 0.7?",
              "One more unit of the feature, others fixed, adds 0.7 to the log-odds. So the odds ratio is about 2.",
              lang="en", pair="coef", keywords=(Keyword("odds ratio", ("优势比",)), Keyword("log-odds", ("对数几率",))))
    grader = Grader(Bank(cards=(zh, en)), fake_resources.embedder)
    result = grader.grade(zh, "The log-odds go up by 0.7 for one more unit of the feature.")
    assert result.covered == ("log-odds",)
    assert [(m.term, m.sentence) for m in result.missed] == [("odds ratio", "So the odds ratio is about 2.")]
    assert grader.grade(zh, "对数几率增加 0.7。").missed[0].term == "优势比"  # the card's own language: as before


def test_a_misconception_is_answered_with_what_the_notes_say_instead(fake_resources):
    card = Card("bn-inf", "BN", "dl", "qa", "How does BN normalise at inference?",
                "At inference BN uses the running mean and variance collected during training.",
                misconceptions=("At inference BN normalises with the mean and variance of the test batch.",))
    result = fake_resources.grader.grade(card, "At inference BN normalises with the mean and variance of the test batch.")
    assert result.band <= 1
    assert result.notices[0] == ('"At inference BN normalises with the mean and variance of the test batch.": this is a '
                                 'common misconception; the notes say: "At inference BN uses the running mean and '
                                 'variance collected during training."')


def test_a_key_term_said_only_in_a_misconception_is_not_covered(fake_resources):
    card = Card("bn-inf-2", "BN", "dl", "qa", "How does BN normalise at inference?",
                "At inference BN uses the running mean and variance collected during training, then gamma and beta.",
                keywords=(Keyword("mean and variance"), Keyword("gamma"), Keyword("running mean")),
                misconceptions=("At inference BN normalises with the mean and variance of the test batch.",))
    result = fake_resources.grader.grade(
        card, "At inference BN normalises with the mean and variance of the test batch. Gamma scales the result.")
    assert result.band <= 1 and result.contradictions[0].kind == "misconception"
    assert result.covered == ("gamma",)
    assert [m.term for m in result.missed] == ["running mean", "mean and variance"]
    assert result.coverage == round(1 / 3, 4)


def test_missed_terms_from_one_sentence_share_its_quote_and_chinese_lists_use_the_enumeration_comma(fake_resources):
    from interviewer.scoring import render_markdown

    card = Card("triad", "DQN", "rl", "qa", "What is the deadly triad?",
                "Function approximation, bootstrapping and off-policy data together can diverge. Replay helps.",
                keywords=(Keyword("function approximation"), Keyword("bootstrapping"), Keyword("replay")))
    md = render_markdown(fake_resources.grader.grade(card, "It is something in reinforcement learning."))
    quote = "Function approximation, bootstrapping and off-policy data together can diverge."
    assert f"- `function approximation`, `bootstrapping`: {quote}" in md and md.count(quote) == 1
    zh = Card("triad-zh", "DQN", "rl", "qa", "什么是致命三要素？", "函数近似、自举和离策略数据一起会发散。经验回放有帮助。", lang="zh",
              keywords=(Keyword("函数近似"), Keyword("自举"), Keyword("经验回放")))
    assert "**已覆盖：** `函数近似`、`自举`" in render_markdown(fake_resources.grader.grade(zh, "函数近似和自举。"))


def test_the_not_sure_line_follows_the_unsure_setting(fake_resources):
    """`Weights.unsure_below` decides which doubted results are "not sure" (it was once never read)."""
    from dataclasses import replace

    from interviewer.scoring import Grader

    res = fake_resources
    card = next(c for c in res.bank.cards if c.kind == "qa")
    answer = card.answer[: len(card.answer) // 3]  # a fragment: some doubt is expected
    graded = {cut: Grader(res.bank, res.embedder, weights=replace(res.grader.weights, unsure_below=cut)).grade(card, answer)
              for cut in (0.0, 1.01)}
    assert graded[0.0].doubts and graded[0.0].confidence < 1.01
    assert (graded[0.0].unsure, graded[1.01].unsure) == (False, True)
    assert graded[1.01].to_dict()["unsure"] is True


@pytest.mark.parametrize("answer", ["训练时随机置零，相当于训练很多个 thinned network 的集成。",
                                    "训练时随机置零，相当于训练很多个子网络的集成。"])
def test_a_key_term_said_by_another_name_counts_the_references_words_for_it(fake_resources, answer):
    card = Card("zh-dropout", "Dropout", "dl", "qa", "Dropout 在训练时做了什么？",
                "训练时每个单元随机置零，相当于训练共享权重的子网络集成。", lang="zh",
                keywords=(Keyword("子网络", ("thinned network",)), Keyword("集成", ("ensemble",))))
    result = fake_resources.grader.grade(card, answer)
    plain = fake_resources.grader.grade(card, "训练时随机置零，相当于训练很多个网络的集成。")
    assert result.covered == ("子网络", "集成")
    assert result.signals.lexical > plain.signals.lexical
