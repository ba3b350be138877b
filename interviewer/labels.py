"""The web page's own words (tabs, buttons, labels, placeholders) in English and Chinese.

What the interviewer says lives in `phrases.py`; this table is what the page around the
conversation says, so that a 中文 session shows a Chinese page.

    >>> label("zh", "send"), label("en", "send")
    ('发送', 'Send')
"""

from __future__ import annotations

from types import MappingProxyType

_EN = {
    "intro": "# Interviewer\nMock interviews for deep-learning engineers: answer in English or 中文, get a score, "
             "the key terms you covered and missed, and evidence from the notes.",
    "tab_practice": "Practice", "tab_batch": "Batch grading", "tab_study": "Study", "tab_progress": "My progress",
    "chat": "Interview",
    "answer": "Your answer",
    "placeholder": "Type your answer (Enter sends, Shift+Enter: new line)… commands: /hint /skip /answer /next "
                   "/topic <name> /lang zh /help",
    "placeholder_study": "Ask about the notes, e.g. batch norm at inference (Enter sends)… commands: "
                         "/topic <name> /lang zh /help",
    "voice": "Answer out loud (English or 中文): record, check the text, Send",
    "autosend": "Send as soon as transcribed",
    "send": "Send", "hint": "Hint", "skip": "Skip (ask again later)", "show": "Show answer",
    "next": "Next (no penalty)",
    "mode": "Mode", "mode_practice": "Practice", "mode_mock": "Mock interview", "mode_study": "Study",
    "language": "Language", "area": "Area", "all_areas": "All areas", "topic": "Topic", "all_topics": "All topics",
    "difficulty": "Difficulty", "diff_any": "Any", "diff_1": "1 · basic", "diff_2": "2 · working", "diff_3": "3 · deep",
    "questions": "Mock: questions", "seconds": "Mock: seconds per question (0 = no limit)",
    "hard": "Mock: close the question when time is up", "start": "Start a new session",
    "report": "Report", "chart_mastery": "Mastery per topic", "chart_scores": "Scores over the session",
    "axis_topic": "topic", "axis_mastery": "mastery", "axis_question": "question", "axis_score": "score",
    "batch_intro": "Upload a CSV, TSV, JSONL or Excel file with `question` and `answer` columns "
                   "(optional: `id`, `student`, `reference`, `keywords`).",
    "upload": "Answers file", "force": "Also grade rows whose question matched the bank weakly", "grade": "Grade",
    "col_question": "Questions column", "col_answer": "Answers column",
    "col_reference": "Reference answers column (optional)", "no_column": "(none)",
    "batch_summary": "**{rows} rows**: {graded} graded, {not_graded} not graded, {review} to review. Bands: {bands}",
    "batch_failed": "Grading stopped on an unexpected problem with that file; check it and try again.",
    "min_confidence": "Question match needed to grade without review",
    "force_hint": "tick '{force}' or add a reference column",
    "column_hint": "choose the answers column above, or name it 'answer' in the file's first row",
    "h_id": "id", "h_student": "student", "h_score": "score", "h_band": "band", "h_needs_review": "needs_review",
    "h_status": "status", "h_question": "question", "h_verdict": "verdict", "h_missed": "missed", "h_why": "why",
    "h_feedback": "feedback",
    "v_graded": "graded", "v_not_graded": "not graded", "v_yes": "yes", "v_no": "no",
    "grading": "grading", "rows": "rows",
    "study_empty": "Type what you want to read about, e.g. *batch norm at inference* or *深度可分离卷积*.",
    "study_none": "Nothing in the notes is close to that. Try the name of a method or a concept, e.g. *dropout* "
                  "or *anchor boxes*.",
    "similarity": "similarity",
    "import_none": "No file was uploaded.", "import_kept": "your progress is unchanged.",
    "import_unreadable": "⚠️ Not imported: that file could not be read; {kept}",
    "import_large": "⚠️ Not imported: that file is larger than a progress export can be ({mb} MB); {kept}",
    "import_not_utf8": "⚠️ Not imported: that file is not UTF-8 text; {kept}",
    "import_bad": "⚠️ Not imported: that file {why}; {kept}",
    "imported": "Progress imported: {n} answers.",
    "import_left_out": "{n} answers to questions these notes do not have were left out.",
    "import_shortened": "The oldest history was shortened to fit in the browser's storage.",
    "download": "Graded file", "histogram": "Score histogram", "review": "Review queue",
    "table": "Results (first 500 rows)",
    "query": "Search the notes", "query_placeholder": "e.g. batch norm at inference · 深度可分离卷积的计算量",
    "both": "Both",
    "export": "Export progress (JSON)", "exported": "Exported file", "import": "Import progress",
    "reset": "Reset my progress",
    "confirm_text": "**Erase every answer, the schedule and the mastery kept in this browser?** "
                    "Export first if you may want them back.",
    "confirm": "Yes, erase my progress", "keep": "Keep my progress",
    # what the page's panels say
    "result_head": "### {score}/100 · band {band}/5 · {verdict}",
    "semantic": "semantic", "coverage": "key terms", "confidence": "confidence",
    "covered": "**Covered:** ", "missed": "**Missed:** ",
    "welcome": "Welcome! Pick a mode, language and topic on the right, then **Start**. "
               "Answer in English or 中文; type `/help` for commands.",
    "welcome_back": "Welcome back: {n} answers and {topics} topics in your progress. ",
    "welcome_resume": "Your session is where you left it: answer the question below, or pick a mode, "
                      "language and topic on the right and **Start** a new one.",
    "type_first": "Type an answer first (or `/help`).",
    "no_answers": "No answers yet: your progress appears here.",
    "progress_head": "**{n} answers** · {topics} of {total} topics practised.",
    "progress_table": "| topic | mastery | answers |",
    "review_next": "**Review next:** ",
    "mock_hidden": "Your progress is hidden until the mock interview ends.",
}

_ZH = {
    "intro": "# Interviewer 面试教练\n深度学习工程师模拟面试：用中文或 English 作答，得到评分、已覆盖和遗漏的关键词，以及笔记中的依据。",
    "tab_practice": "练习", "tab_batch": "批量评分", "tab_study": "学习", "tab_progress": "我的进度",
    "chat": "面试",
    "answer": "你的回答",
    "placeholder": "输入你的回答（Enter 发送，Shift+Enter 换行）… 命令：/hint /skip /answer /next /topic <话题> "
                   "/lang en /help",
    "placeholder_study": "输入想查的内容，例如“推理时的批归一化”（Enter 发送）… 命令：/topic <话题> /lang en /help",
    "voice": "口头作答（中文或 English）：录音，检查文字，再发送",
    "autosend": "转写后立即发送",
    "send": "发送", "hint": "提示", "skip": "跳过（稍后再问）", "show": "显示答案", "next": "换一题（不扣分）",
    "mode": "模式", "mode_practice": "练习", "mode_mock": "模拟面试", "mode_study": "学习",
    "language": "语言", "area": "领域", "all_areas": "全部领域", "topic": "话题", "all_topics": "全部话题",
    "difficulty": "难度", "diff_any": "不限", "diff_1": "1 · 基础", "diff_2": "2 · 进阶", "diff_3": "3 · 深入",
    "questions": "模拟面试：题数", "seconds": "模拟面试：每题秒数（0 = 不限时）",
    "hard": "模拟面试：时间到即关闭题目", "start": "开始新的练习",
    "report": "报告", "chart_mastery": "各话题掌握度", "chart_scores": "本次各题得分",
    "axis_topic": "话题", "axis_mastery": "掌握度", "axis_question": "题号", "axis_score": "得分",
    "batch_intro": "上传包含 `question` 和 `answer` 两列的 CSV、TSV、JSONL 或 Excel 文件"
                   "（可选列：`id`、`student`、`reference`、`keywords`）。",
    "upload": "答案文件", "force": "题目与题库匹配较弱的行也评分", "grade": "评分",
    "col_question": "题目列", "col_answer": "回答列", "col_reference": "参考答案列（可选）", "no_column": "（无）",
    "batch_summary": "**共 {rows} 行**：已评分 {graded}，未评分 {not_graded}，待复核 {review}。各档人数：{bands}",
    "batch_failed": "处理这个文件时遇到意外问题，评分已停止；请检查文件后重试。",
    "min_confidence": "无需复核即可评分的题目匹配度",
    "force_hint": "勾选“{force}”，或添加参考答案列",
    "column_hint": "在上方选择回答列，或在文件第一行把这一列命名为 answer",
    "h_id": "id", "h_student": "学生", "h_score": "得分", "h_band": "档位", "h_needs_review": "需复核",
    "h_status": "状态", "h_question": "题目", "h_verdict": "评价", "h_missed": "遗漏", "h_why": "原因",
    "h_feedback": "反馈",
    "v_graded": "已评分", "v_not_graded": "未评分", "v_yes": "是", "v_no": "否",
    "grading": "评分中", "rows": "行",
    "study_empty": "输入想查的内容，例如 *深度可分离卷积* 或 *batch norm at inference*。",
    "study_none": "笔记里没有与此相近的内容。试试方法或概念的名称，例如 *dropout* 或 *锚框*。",
    "similarity": "相似度",
    "import_none": "没有上传文件。", "import_kept": "你的进度没有改变。",
    "import_unreadable": "⚠️ 未导入：无法读取这个文件；{kept}",
    "import_large": "⚠️ 未导入：这个文件超过了进度导出文件的上限（{mb} MB）；{kept}",
    "import_not_utf8": "⚠️ 未导入：这个文件不是 UTF-8 文本；{kept}",
    "import_bad": "⚠️ 未导入：这个文件不是可用的进度导出（{why}）；{kept}",
    "imported": "已导入进度：{n} 个回答。",
    "import_left_out": "有 {n} 个回答的题目不在这些笔记中，已略去。",
    "import_shortened": "为放进浏览器的存储空间，最早的历史记录已缩短。",
    "download": "评分结果文件", "histogram": "得分分布", "review": "待复核", "table": "结果（前 500 行）",
    "query": "搜索笔记", "query_placeholder": "例如：深度可分离卷积的计算量 · batch norm at inference",
    "both": "两种",
    "export": "导出进度（JSON）", "exported": "导出的文件", "import": "导入进度", "reset": "重置我的进度",
    "confirm_text": "**要清除保存在此浏览器中的全部回答、复习计划和掌握度吗？** 如果以后还想要，请先导出。",
    "confirm": "确定清除", "keep": "保留我的进度",
    "result_head": "### {score}/100 · 等级 {band}/5 · {verdict}",
    "semantic": "语义", "coverage": "关键词", "confidence": "置信度",
    "covered": "**已覆盖：** ", "missed": "**遗漏：** ",
    "welcome": "欢迎！在右侧选择模式、语言和话题，然后点 **开始新的练习**。可以用中文或 English 作答；输入 `/help` 查看命令。",
    "welcome_back": "欢迎回来：你的进度里有 {n} 个回答、{topics} 个话题。",
    "welcome_resume": "练习还停在上次的地方：回答下面的问题；或者在右侧选择模式、语言和话题，点 **开始新的练习**。",
    "type_first": "请先输入回答（或 `/help`）。",
    "no_answers": "还没有回答：你的进度会显示在这里。",
    "progress_head": "**{n} 个回答** · 已练习 {total} 个话题中的 {topics} 个。",
    "progress_table": "| 话题 | 掌握度 | 回答数 |",
    "review_next": "**接下来复习：** ",
    "mock_hidden": "模拟面试结束前不显示进度。",
}

LABELS = MappingProxyType({"en": MappingProxyType(_EN), "zh": MappingProxyType(_ZH)})


def label(lang: str, key: str, **fields) -> str:
    words = LABELS.get(lang, LABELS["en"])[key]
    return words.format(**fields) if fields else words
