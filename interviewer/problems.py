"""What a batch file's problems and a row's review reasons say, in English and Chinese.

A problem is a key and its values, put into words when it is shown: the command line writes
English, the web page writes in the page's language, and a graded file's review reasons are
in the language its run was asked for (`batch.Options.lang`). English texts are the ones the
command line has always printed.

    >>> Problem("duplicate-id", {"first": 3}).text("en"), Problem("short").text("zh")
    ('duplicate id (first on row 3)', '回答很短')
    >>> e = file_error("/tmp/x/a.csv:4", "not-utf8", byte="9f")
    >>> str(e), e.say("zh", {"/tmp/x/a.csv": "a.csv"})
    ('/tmp/x/a.csv:4: not UTF-8 (byte 0x9f): save the file as UTF-8 (in Excel: CSV UTF-8)', 'a.csv:4：不是 UTF-8 编码（字节 0x9f）：请另存为 UTF-8（Excel 中选“CSV UTF-8”）')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from .errors import InputError
from .feedback import cue_name, doubts_text

_SAVE_AGAIN = "save it again from Excel or export CSV"
_SAVE_AGAIN_ZH = "请在 Excel 中重新保存，或导出为 CSV"

_EN = {
    # the file as a whole (InputError)
    "unknown-type": "unknown file type {suffix!r}: use .csv, .tsv, .jsonl or .xlsx",
    "no-file": "no such file: check the path",
    "folder": "is a folder: pass the answers file itself",
    "empty-file": "the file is empty: it needs a header row and one row per answer",
    "long-line": "a line is longer than {mb} MB, far more than any answer: check that the file is really a table "
                 "of answers, one per line",
    "bad-xlsx": "not a readable .xlsx workbook: " + _SAVE_AGAIN,
    "bad-xlsx-kind": "not a readable .xlsx workbook ({kind}): " + _SAVE_AGAIN,
    "xlsx-part-size": "one part of the workbook ({part}) expands to {size}, above the {limit} this reader accepts: "
                      "split the answers into smaller files or export CSV",
    "xlsx-ratio": "{part} is compressed {ratio}:1, which spreadsheets never are (a zip bomb?): export the answers "
                  "as CSV",
    "xlsx-size": "the workbook expands to {size}, above the {limit} this reader accepts: split the answers into "
                 "smaller files or export CSV",
    "xml-deep": "the workbook is nested more than {depth} levels deep, which Excel never writes ({part}): " + _SAVE_AGAIN,
    "xml-rows": "the sheet has more than {rows:,} rows ({part}): " + _SAVE_AGAIN,
    "xml-cells": "a row has more than {cells:,} cells ({part}): " + _SAVE_AGAIN,
    "xml-chars": "a cell holds more than {chars:,} characters, far more than any answer ({part}): " + _SAVE_AGAIN,
    "xml-doctype": "the workbook declares an XML document type, which Excel never writes ({part}): " + _SAVE_AGAIN,
    "xml-broken": "broken XML ({detail}) ({part}): " + _SAVE_AGAIN,
    "not-utf8": "not UTF-8 (byte 0x{byte}): save the file as UTF-8 (in Excel: CSV UTF-8)",
    "no-header": "the first row must name the columns (e.g. question,answer)",
    "column-twice": "column {name!r} appears twice (columns {first} and {second}): rename one",
    "bad-header": "cannot read the header ({detail})",
    "no-rows": "no answer rows below the header",
    "no-answer-column": "no {column!r} column (found: {found}): {hint}",
    "too-many": "more than {limit:,} answers; up to {limit:,} are graded at a time here: split the file into "
                "smaller ones",
    "choose-answer-column": "choose the column that holds the answers (found: {found})",
    "upload-first": "upload a .csv, .tsv, .jsonl or .xlsx file of answers first",
    # one row (why it was not graded, or why a person should look at it)
    "cell-chars": "a cell holds more than {chars:,} characters",
    "bad-row": "unreadable row ({detail})",
    "field-count": "row has {got} fields but the header has {want}",
    "bad-json": "not valid JSON ({detail} at column {column})",
    "json-deep": "nested too deeply to read: give each field as plain text",
    "json-number": "a number too long to read: put it in quotes",
    "json-object": "a JSON line must be an object like {{\"question\": ..., \"answer\": ...}}",
    "json-escape": "broken character escape \\u{code} (half of a pair): fix the line",
    "empty-answer": "empty answer",
    "duplicate-id": "duplicate id (first on row {first})",
    "id-clash": "id {id} is also the id of row {row} (a row without an id gets its row number)",
    "low-confidence": "low-confidence match ({confidence:.2f})",
    "not-matched": "question not confidently matched to the bank ({hint})",
    "no-question": "no question and no reference: cannot tell what the answer should say",
    "no-card": "no card in the bank matches this question",
    "short": "very short answer",
    "cut": "very long answer (cut)",
    "languages": "answer in {answer}, question in {question}",
    "borderline": "borderline score",
    "unsure": "not sure: {doubts}",
    "contradiction": "contradiction ({kind})",
    "possible-contradiction": "possible contradiction ({kind}), not counted",
    "xlsx-cut": "{columns} cut to {limit:,} characters in the .xlsx output; use .csv or .jsonl for the full text",
    # how the command line lets a user do what a message asks (the web page has its own words)
    "hint-force": "use --force or a reference column",
    "hint-column": "rename it or pass --answer-col NAME",
}

_ZH = {
    "unknown-type": "不支持的文件类型 {suffix!r}：请使用 .csv、.tsv、.jsonl 或 .xlsx",
    "no-file": "文件不存在：请检查路径",
    "folder": "这是一个文件夹：请给出答案文件本身",
    "empty-file": "文件是空的：需要一行表头，以及每个回答一行",
    "long-line": "有一行超过 {mb} MB，远超任何回答：请确认这是每行一个回答的答案表",
    "bad-xlsx": "无法读取的 .xlsx 工作簿：" + _SAVE_AGAIN_ZH,
    "bad-xlsx-kind": "无法读取的 .xlsx 工作簿（{kind}）：" + _SAVE_AGAIN_ZH,
    "xlsx-part-size": "工作簿中的 {part} 解压后有 {size}，超过可读取的 {limit}：请把答案拆成较小的文件，或导出为 CSV",
    "xlsx-ratio": "{part} 的压缩比为 {ratio}:1，正常的表格不会这样（可能是压缩炸弹）：请把答案导出为 CSV",
    "xlsx-size": "工作簿解压后有 {size}，超过可读取的 {limit}：请把答案拆成较小的文件，或导出为 CSV",
    "xml-deep": "工作簿嵌套超过 {depth} 层，Excel 不会这样写（{part}）：" + _SAVE_AGAIN_ZH,
    "xml-rows": "工作表超过 {rows:,} 行（{part}）：" + _SAVE_AGAIN_ZH,
    "xml-cells": "有一行超过 {cells:,} 个单元格（{part}）：" + _SAVE_AGAIN_ZH,
    "xml-chars": "有一个单元格超过 {chars:,} 个字符，远超任何回答（{part}）：" + _SAVE_AGAIN_ZH,
    "xml-doctype": "工作簿声明了 XML 文档类型，Excel 不会这样写（{part}）：" + _SAVE_AGAIN_ZH,
    "xml-broken": "XML 已损坏（{detail}）（{part}）：" + _SAVE_AGAIN_ZH,
    "not-utf8": "不是 UTF-8 编码（字节 0x{byte}）：请另存为 UTF-8（Excel 中选“CSV UTF-8”）",
    "no-header": "第一行必须是列名（例如 question,answer）",
    "column-twice": "列名 {name!r} 出现了两次（第 {first} 列和第 {second} 列）：请改掉其中一个",
    "bad-header": "无法读取表头（{detail}）",
    "no-rows": "表头下面没有回答",
    "no-answer-column": "没有 {column!r} 列（找到的列：{found}）：{hint}",
    "too-many": "超过 {limit:,} 个回答；这里一次最多评 {limit:,} 个：请把文件拆成较小的文件",
    "choose-answer-column": "请选择存放回答的列（找到的列：{found}）",
    "upload-first": "请先上传 .csv、.tsv、.jsonl 或 .xlsx 答案文件",
    "cell-chars": "有一个单元格超过 {chars:,} 个字符",
    "bad-row": "无法读取的行（{detail}）",
    "field-count": "这一行有 {got} 个字段，而表头有 {want} 个",
    "bad-json": "不是有效的 JSON（{detail}，第 {column} 列）",
    "json-deep": "嵌套太深，无法读取：请把每个字段写成纯文本",
    "json-number": "数字太长，无法读取：请加上引号",
    "json-object": "每行 JSON 必须是一个对象，例如 {{\"question\": ..., \"answer\": ...}}",
    "json-escape": "字符转义 \\u{code} 已损坏（只有代理对的一半）：请修正这一行",
    "empty-answer": "回答为空",
    "duplicate-id": "id 重复（第一次出现在第 {first} 行）",
    "id-clash": "id {id} 也是第 {row} 行的 id（没有 id 的行以行号为 id）",
    "low-confidence": "题目匹配度低（{confidence:.2f}）",
    "not-matched": "题目与题库匹配不确定（{hint}）",
    "no-question": "没有题目也没有参考答案：无法判断回答应该说什么",
    "no-card": "题库中没有与这道题匹配的题目",
    "short": "回答很短",
    "cut": "回答很长（已截断）",
    "languages": "回答用{answer}，题目用{question}",
    "borderline": "分数接近档位边界",
    "unsure": "不确定：{doubts}",
    "contradiction": "矛盾（{kind}）",
    "possible-contradiction": "可能有矛盾（{kind}），未计入分数",
    "xlsx-cut": "{columns} 在 .xlsx 输出中截断为 {limit:,} 个字符；需要全文请用 .csv 或 .jsonl",
    "hint-force": "使用 --force 或添加参考答案列",
    "hint-column": "请改列名，或用 --answer-col NAME 指定",
}

TEXTS = MappingProxyType({"en": MappingProxyType(_EN), "zh": MappingProxyType(_ZH)})
# how a review reason names a language in each language ("answer in zh, question in en" as before)
_LANGUAGE_NAMES = {"en": {"en": "en", "zh": "zh"}, "zh": {"en": "英文", "zh": "中文"}}


@dataclass(frozen=True)
class Problem:
    """A problem's key and its values; `text(lang)` puts it into words."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        values = dict(self.values)
        if self.key == "languages":
            names = _LANGUAGE_NAMES.get(lang, _LANGUAGE_NAMES["en"])
            values = {k: names.get(str(v), v) for k, v in values.items()}
        elif self.key in ("contradiction", "possible-contradiction"):
            values["kind"] = cue_name(str(values["kind"]), lang)
        elif self.key == "unsure" and not isinstance(values["doubts"], str):
            values["doubts"] = doubts_text(values["doubts"], lang)  # the grader's Doubts, in the reader's words
        return TEXTS.get(lang, TEXTS["en"])[self.key].format(**values)


class FileError(InputError):
    """A file that cannot be graded: where (the path, with ``:line`` when known) and the problem."""

    def __init__(self, where: str, problem: Problem):
        self.where, self.problem = where, problem
        super().__init__(f"{where}: {problem.text('en')}" if where else problem.text("en"))

    def __reduce__(self):  # rebuilt from its parts when it crosses processes (the Ray engine's workers)
        return type(self), (self.where, self.problem)

    def say(self, lang: str, names: Mapping[str, str] | None = None) -> str:
        """The message in `lang`, each path in `names` (a server's folders) replaced by what
        the user calls the file."""
        where = self.where
        for path, name in (names or {}).items():
            where = where.replace(path, name)
        sep = "：" if lang == "zh" else ": "
        return f"{where}{sep}{self.problem.text(lang)}" if where else self.problem.text(lang)


def file_error(where: object, key: str, **values) -> FileError:
    return FileError(str(where), Problem(key, values))


def say(error: Exception, lang: str, names: Mapping[str, str] | None = None) -> str:
    """Any error's message for the page: a file problem in `lang`, another as it is (with the
    paths in `names` replaced)."""
    if isinstance(error, FileError):
        return error.say(lang, names)
    message = str(error)
    for path, name in (names or {}).items():
        message = message.replace(path, name)
    return message
