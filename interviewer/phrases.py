"""What the interviewer says, in English and Chinese: one table of message templates.

    >>> text("zh", "hint", term="小批量", cost=10)
    '提示：想想 **小批量**（本题扣 10 分）。'
"""

from __future__ import annotations

import html
import re
from types import MappingProxyType

_HELP_EN = """**Commands** (type them, or say it in plain words):
- `/hint` (hint, 提示): reveal one key term, costs 10 points on this answer (not in a mock interview)
- `/skip` (skip, I don't know, 不会): skip and see what a good answer covers; the question comes back after two others
- `/answer` (show answer, 答案): show the reference answer (counts as skipped)
- `/next` (next, 下一题): move on with no penalty and nothing recorded (in a mock interview it counts as skipped); declines a follow-up (also: no, 不用)
- `/topic <wish>` (ask me about object detection, 考我BN): change topic; `/topic` alone: any topic
- `/lang en|zh` (中文, English): switch language, the current question too
- `/report` (report, 报告): the report so far (ends a mock interview)
- `/retry` (retry, 重试): once a session is over, ask again the questions scored under band 3
- `/help`: this list"""

_HELP_ZH = """**命令**（输入命令，或直接用自然语言）：
- `/hint`（提示）：透露一个关键词，本题扣 10 分（模拟面试中不可用）
- `/skip`（不会、不知道、跳过）：跳过并查看好的回答应包括什么；这道题会在两题之后再次出现
- `/answer`（答案、看答案）：显示参考答案（记为跳过）
- `/next`（下一题）：换一题，不扣分也不记录（模拟面试中记为跳过）；也用于拒绝追问（不用）
- `/topic <话题>`（考我BN、换个话题 Adam）：换话题；只输入 `/topic`：不限话题
- `/lang en|zh`（中文、English）：切换语言，当前题目也一起切换
- `/report`（报告）：目前的报告（模拟面试会就此结束）
- `/retry`（重试）：本次结束后，重新提问得分低于 3 档的题目
- `/help`：本列表"""

_EN = {
    "intro_practice": "Practice: you get feedback after every answer. Type /help for the commands.",
    "intro_mock": "Mock interview: {n} questions, no feedback until the end. Type /help for the commands.",
    "intro_limit": "You have {s} s per question.",
    "intro_limit_hard": "You have {s} s per question; when time is up the question closes and what you "
                        "have written is graded.",
    "mock_no_help": "No hints or reference answers during a mock interview: the debrief at the end shows "
                    "every reference. Answer as best you can, or /skip.",
    "time_up": "Time is up: what you had written is graded ({n} of {total}).",
    "time_up_empty": "Time is up with nothing written: the question counts as skipped.",
    "skipped_mock": "Skipped.",
    "teach": "**What a good answer covers.** Key terms: {terms}.\n\n{answer}\n\n_This question comes back "
             "after {n} others: try it again then._",
    "retry_not_yet": "/retry works once the session is over: it asks again the questions you scored "
                     "under band 3.",
    "retry_none": "Nothing to retry: every answer of the session reached band 3 or more.",
    "retry_start": "Retrying the {n} weak question(s) of the last session.",
    "reason_retry": "retry",
    "intro_study": "Study: ask anything about the notes and I answer from them, with the source.",
    "help": _HELP_EN,
    "unknown": "Unknown command `{cmd}`.",
    "start": "Let's start.",
    "empty": "Type your answer, or /help for the commands.",
    "finished": "The session is over. Type /report to see the report again.",
    "mock_stopped": "Mock interview stopped early.",
    "done_practice": "That was the last question.",
    "done_mock": "The mock interview is over.",
    "done_study": "The session is over.",
    "recorded": "Answer recorded ({n} of {total}).",
    "penalty": "The score includes -{points} points for {n} hint(s) ({before} without them).",
    "moved_on": "Moved on, no penalty: this question may come up again later.",
    "late": "Answered after the {limit} s limit ({taken} s); recorded with a notice.",
    "declined": "Follow-up skipped.",
    "skipped": "Skipped: this question comes back soon.",
    "reference": "**Reference answer** ({topic}; {source}):\n\n{answer}",
    "hint": "Hint: think about **{term}** (-{cost} points on this answer).",
    "no_hint": "No more hints: every key term has been revealed. Type /answer to see the reference.",
    "lang_usage": "Choose /lang en or /lang zh.",
    "lang_same": "Already in English.",
    "lang_switched": "Switched to English.",
    "no_twin": "This question has no English version; the next questions will be in English.",
    "topic_unknown": "The notes have no topic for \"{wish}\" (nearest: {near}); staying with {what}.",
    "no_questions": "No questions for {what}; keeping the previous choice.",
    "topic_set": "Next questions: {what}.",
    "study_empty": "Ask a question about the notes, or /help for the commands.",
    "study_none": "Nothing in the notes is close to that: try the name of a method or a concept.",
    "study_header": "From the notes:",
    "none_left": "No questions left for this choice: type /topic to pick another.",
    "probe": "You didn't mention *{term}*; it comes up in this one: {question}",
    "followup_head": "**Follow-up** · {topic}",
    "question_head": "**Question {n}** · {topic} · level {level}",
    "question_head_total": "**Question {n} of {total}** · {topic} · level {level}",
    "reason_due": "back for review",
    "reason_review": "review (every question seen)",
    "decline_tip": "_(type no to skip the follow-up)_",
    "limit": "_You have {s} s._",
    "selection": "{what} in {lang}",
    "any": "any topic",
    "lang_en": "English",
    "lang_zh": "Chinese",
    "stale_question": "The saved question is no longer in the notes; here is another one.",
    "stale_topic": "The saved topic is no longer in the notes; asking about any topic.",
    # the report
    "report_title": "## Interview report",
    "report_summary": "{mode} · questions {n} · average {avg}/100 · skipped {skipped} · hints {hints} · "
                      "late {late}",
    "report_cut": " · cut at the time limit {n}",
    "report_questions": "### Questions",
    "report_table": "| # | topic | question | score | notes |\n|---|---|---|---|---|",
    "report_topics": "### Topic mastery",
    "report_coverage": "{n} of {total} topics practised.",
    "report_strong": "**Strongest:** {topics}",
    "report_weak": "**Weakest:** {topics}",
    "report_review": "### Review next",
    "report_none": "No questions answered yet.",
    "note_skipped": "skipped", "note_hints": "{n} hint(s)", "note_late": "late",
    "note_followup": "follow-up", "note_cut": "cut at the time limit", "note_spoken": "spoken",
    "debrief": "### Debrief",
    "debrief_head": "#### {n} · {topic} · {score}/100 · band {band}/5{taken}",
    "debrief_taken": " · {s:.0f} s",
    "debrief_question": "**Question:** {q}",
    "debrief_answer": "**Your answer** (key terms you said in bold):\n\n> {answer}",
    "debrief_plain": "**Your answer:**\n\n> {answer}",
    "debrief_none": "**Your answer:** _(none)_",
    "debrief_covered": "**Covered:** {terms}",
    "debrief_missed": "**Missed:**",
    "debrief_missed_item": "- {term}: _{sentence}_",
    "debrief_reference": "**Reference answer:** {answer}",
    "debrief_spoken": "**Delivery:** {pace:.0f} {unit} a minute, {fillers} filler word(s), {pauses} long pause(s).",
    "unit_words": "words", "unit_characters": "characters",
    "debrief_retry": "Type /retry to practise the {n} weak question(s) again.",
    "list_sep": ", ",
    "topic_item": "- {topic}: {m:.0f}/100 (answers: {n})",
    "review_item": "- {topic}: {q} ({why})",
    "why_failed": "scored {score}, due now", "why_failed_later": "scored {score}, due in {n} turn(s)",
    "why_due": "due now", "why_weak": "weak topic ({m:.0f})",
    "mode_practice": "Practice", "mode_mock": "Mock interview", "mode_study": "Study",
}

_ZH = {
    "intro_practice": "练习模式：每答一题都有反馈。输入 /help 查看命令。",
    "intro_mock": "模拟面试：共 {n} 题，结束后统一反馈。输入 /help 查看命令。",
    "intro_limit_hard": "每题限时 {s} 秒；时间一到题目即关闭，按已写的内容评分。",
    "mock_no_help": "模拟面试中没有提示，也不显示参考答案：结束后的复盘会给出每题的参考答案。请尽力作答，或输入 /skip。",
    "time_up": "时间到：按已写的内容评分（第 {n}/{total} 题）。",
    "time_up_empty": "时间到，没有写任何内容：本题记为跳过。",
    "skipped_mock": "已跳过。",
    "teach": "**好的回答应包括的要点。** 关键词：{terms}。\n\n{answer}\n\n_这道题会在 {n} 题之后再次出现，到时再试一次。_",
    "retry_not_yet": "/retry 在本次练习结束后可用：重新提问得分低于 3 档的题目。",
    "retry_none": "没有需要重试的题目：本次每题都达到了 3 档或以上。",
    "retry_start": "重新练习上次的 {n} 道薄弱题。",
    "reason_retry": "重试",
    "intro_limit": "每题限时 {s} 秒。",
    "intro_study": "学习模式：关于笔记随便问，我用笔记内容回答并注明出处。",
    "help": _HELP_ZH,
    "unknown": "未知命令 `{cmd}`。",
    "start": "我们开始吧。",
    "empty": "请输入你的回答，或输入 /help 查看命令。",
    "finished": "本次练习已结束。输入 /report 可再次查看报告。",
    "mock_stopped": "模拟面试提前结束。",
    "done_practice": "这是最后一题。",
    "done_mock": "模拟面试结束。",
    "done_study": "本次练习已结束。",
    "recorded": "已记录回答（第 {n}/{total} 题）。",
    "penalty": "得分已扣除 {n} 次提示的 {points} 分（不扣为 {before} 分）。",
    "moved_on": "已换题，不扣分：这道题以后可能还会出现。",
    "late": "超过了 {limit} 秒的时限（用时 {taken} 秒），已记录并标注。",
    "declined": "已跳过追问。",
    "skipped": "已跳过：这道题很快会再出现。",
    "reference": "**参考答案**（{topic}；{source}）：\n\n{answer}",
    "hint": "提示：想想 **{term}**（本题扣 {cost} 分）。",
    "no_hint": "没有更多提示了：关键词都已给出。输入 /answer 查看参考答案。",
    "lang_usage": "请选择 /lang en 或 /lang zh。",
    "lang_same": "已经是中文了。",
    "lang_switched": "已切换到中文。",
    "no_twin": "这道题没有中文版本；接下来的题目将使用中文。",
    "topic_unknown": "题库里没有“{wish}”这个话题（最接近的：{near}）；继续{what}。",
    "no_questions": "{what}没有题目；保持原来的选择。",
    "topic_set": "接下来的题目：{what}。",
    "study_empty": "请就笔记内容提问，或输入 /help 查看命令。",
    "study_none": "笔记里没有与此接近的内容：试试方法或概念的名称。",
    "study_header": "笔记中的相关内容：",
    "none_left": "当前选择下没有题目了：输入 /topic 换一个话题。",
    "probe": "你没有提到「{term}」，下面这道题会用到它：{question}",
    "followup_head": "**追问** · {topic}",
    "question_head": "**第 {n} 题** · {topic} · 难度 {level}",
    "question_head_total": "**第 {n}/{total} 题** · {topic} · 难度 {level}",
    "reason_due": "复习",
    "reason_review": "复习（题目已全部出过）",
    "decline_tip": "_（输入“不用”跳过追问）_",
    "limit": "_限时 {s} 秒。_",
    "selection": "{what}（{lang}）",
    "any": "不限话题",
    "lang_en": "英文",
    "lang_zh": "中文",
    "stale_question": "保存的题目已不在笔记中，换一道题。",
    "stale_topic": "保存的话题已不在笔记中，改为不限话题。",
    "report_title": "## 面试报告",
    "report_summary": "{mode} · {n} 题 · 平均 {avg}/100 · 跳过 {skipped} · 提示 {hints} · 超时 {late}",
    "report_cut": " · 到时截断 {n}",
    "report_questions": "### 各题得分",
    "report_table": "| # | 话题 | 题目 | 得分 | 备注 |\n|---|---|---|---|---|",
    "report_topics": "### 话题掌握度",
    "report_coverage": "已练习 {total} 个话题中的 {n} 个。",
    "report_strong": "**最强：** {topics}",
    "report_weak": "**最弱：** {topics}",
    "report_review": "### 接下来复习",
    "report_none": "还没有回答任何题目。",
    "note_skipped": "跳过", "note_hints": "提示 {n} 次", "note_late": "超时",
    "note_followup": "追问", "note_cut": "到时截断", "note_spoken": "口述",
    "debrief": "### 逐题复盘",
    "debrief_head": "#### {n} · {topic} · {score}/100 · {band}/5 档{taken}",
    "debrief_taken": " · 用时 {s:.0f} 秒",
    "debrief_question": "**题目：** {q}",
    "debrief_answer": "**你的回答**（加粗的是你说到的关键词）：\n\n> {answer}",
    "debrief_plain": "**你的回答：**\n\n> {answer}",
    "debrief_none": "**你的回答：** _（无）_",
    "debrief_covered": "**已覆盖：** {terms}",
    "debrief_missed": "**遗漏：**",
    "debrief_missed_item": "- {term}：_{sentence}_",
    "debrief_reference": "**参考答案：** {answer}",
    "debrief_spoken": "**表达：** 每分钟 {pace:.0f} {unit}，口头禅 {fillers} 次，长停顿 {pauses} 次。",
    "unit_words": "词", "unit_characters": "字",
    "debrief_retry": "输入 /retry 重新练习这 {n} 道薄弱题。",
    "list_sep": "、",
    "topic_item": "- {topic}：{m:.0f}/100（{n} 次回答）",
    "review_item": "- {topic}：{q}（{why}）",
    "why_failed": "得分 {score}，现在复习", "why_failed_later": "得分 {score}，{n} 题后复习",
    "why_due": "现在复习", "why_weak": "薄弱话题（{m:.0f}）",
    "mode_practice": "练习", "mode_mock": "模拟面试", "mode_study": "学习",
}

PHRASES = MappingProxyType({"en": MappingProxyType(_EN), "zh": MappingProxyType(_ZH)})


def text(lang: str, key: str, /, **values) -> str:
    """The phrase `key` in `lang` (English when missing), filled with `values`."""
    table = PHRASES.get(lang, PHRASES["en"])
    return table.get(key, PHRASES["en"][key]).format(**values)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def markdown_literal(value: str) -> str:
    """`value` shown as typed in Markdown running text: no HTML, no Markdown syntax.

    >>> markdown_literal("<b>x</b> [a](b)")
    '&lt;b&gt;x&lt;/b&gt; \\\\[a\\\\]\\\\(b\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def code_literal(value: str, limit: int) -> str:
    """`value` cut to `limit` characters for the inside of a Markdown code span, where all
    shows literally but a backtick (it would end the span, and what follows, e.g. an
    ``<img onerror=...>``, would render) or a blank line: backticks become quotes and
    whitespace runs one space. No HTML escaping: inside a span it would show as ``&lt;``."""
    return " ".join(value.replace("`", "'").split())[:limit]
