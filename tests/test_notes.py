"""The notes parser: the user's seed notes as they are, and edge cases of our own."""

import json

import pytest

from conftest import SEED
from interviewer.errors import NotesError
from interviewer.notes import load_notes, parse_file, parse_text

SEED_TOPICS = [
    "AlexNet", "VGGNet", "NIN", "GoogLeNet", "InceptionV3", "InceptionV4", "MobileNet",
    "MobileNetV2", "MobileNetV3", "ShuffleNet", "ShuffleNetV2", "NasNet", "MnasNet", "BatchNorm",
    "Model Compression", "Loss Function", "Gradient Explode and Vanish", "k-means", "PCA",
]
SEED_QA_PER_TOPIC = {"GoogLeNet": 4, "InceptionV3": 2, "InceptionV4": 1, "MobileNet": 2,
                     "MobileNetV2": 2, "ShuffleNet": 2, "ShuffleNetV2": 4, "BatchNorm": 6,
                     "k-means": 3, "PCA": 3}
SEED_POINTS_PER_TOPIC = {"VGGNet": 3, "NIN": 2, "GoogLeNet": 5, "InceptionV3": 5, "InceptionV4": 2,
                         "MobileNet": 4, "MobileNetV2": 4, "ShuffleNet": 3, "ShuffleNetV2": 3,
                         "NasNet": 3, "BatchNorm": 3, "Model Compression": 5,
                         "Gradient Explode and Vanish": 5}


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


def test_seed_topics_are_all_found_and_nothing_else(seed):
    assert [t.name for t in seed.topics] == SEED_TOPICS
    assert {t.area for t in seed.topics} == {"Papers Summaries", "Concept Explanation"}


def test_seed_has_all_29_question_answer_pairs(seed):
    qa = [c for c in seed.cards if c.kind == "qa"]
    assert len(qa) == 29
    assert all(c.answer.strip() for c in qa)
    per_topic = {t: sum(c.topic == t for c in qa) for t in SEED_QA_PER_TOPIC}
    assert per_topic == SEED_QA_PER_TOPIC
    by_q = {c.question: c for c in qa}
    assert by_q["BN是无偏估计吗"].answer == "是。"
    assert by_q["k-means初始值的选取对最终结果有影响吗？"].answer == "有"
    # an answer that is a nested list keeps every item
    assert by_q["有什么改进"].answer.count("- ") == 2
    assert all(c.lang == "zh" for c in qa)


def test_seed_summary_points_keep_nested_text_and_formulas(seed):
    points = {t.name: len(t.summary) for t in seed.topics if t.summary}
    assert points == SEED_POINTS_PER_TOPIC
    mobilenet = seed.topic("MobileNet").summary[0]
    assert r"D_K \cdot D_K \cdot M \cdot N \cdot D_F \cdot D_F" in mobilenet
    v3 = seed.topic("InceptionV3").summary[4]
    assert "Avoid representational bottlenecks" in v3 and "Balance the width and depth" in v3
    pruning = seed.topic("Model Compression").summary[0]
    assert "Filter-level Pruning" in pruning and "Fine-grained Pruning" in pruning
    bn = seed.topic("BatchNorm").summary[1]
    assert "unbiased variance estimate" in bn


def test_seed_references_and_syllabus(seed):
    assert seed.topic("VGGNet").references[0].startswith("[1]")
    assert len(seed.topic("VGGNet").references) == 4
    assert seed.topic("AlexNet").paper.startswith("Imagenet classification")
    names = {s.name for s in seed.syllabus}
    assert {"AlexNet", "ResNet", "MnasNet", "Adam", "YOLO", "GAN", "DropOut"} <= names
    rainbow = [s for s in seed.syllabus if "Rainbow" in s.title][0]
    assert rainbow.year == 2018 and rainbow.section == "Deep Reinforcement Learning"
    assert [s.done for s in seed.syllabus if s.name == "BatchNorm"] == [True]


def test_seed_concept_entries_skip_empty_headings(seed):
    concepts = [c.question for c in seed.cards if c.kind == "concept"]
    assert concepts == ["What is Mean Squared Error?", "What is Mean Absolute Error?",
                        "What is Huber?", "What is Categorical Crossentropy?"]


def test_seed_locations_name_file_and_line(seed):
    card = [c for c in seed.cards if c.question == "1x1卷积的作用"][0]
    path, line = card.location.rsplit(":", 1)
    assert path == str(SEED)
    assert SEED.read_text().split("\n")[int(line) - 1].strip() == "- 1x1卷积的作用"


EXTENDED = """\
# Optimization

## Adam

*Paper:* Adam: A Method for Stochastic Optimization · *Year:* 2014 · *Aliases:* adaptive moment estimation; 自适应矩估计

1. Keeps running means of the gradient and its square.

#### Questions

- Why does Adam correct the bias of its moment estimates?

  Both averages start at zero, so early estimates are biased toward zero; dividing by $1-\\beta^t$ removes this.

  *Keywords:* bias correction = 偏差修正; zero initialization = start at zero
  *Level:* 3 · *Pair:* adam-bias

- Adam 为什么要做偏差修正？

  两个滑动平均都从零开始，早期估计偏向零；除以 $1-\\beta^t$ 可以消除这种偏差。

  *关键词:* 偏差修正 = bias correction
  *Level:* 3 · *Pair:* adam-bias
"""


def test_extension_metadata_is_read():
    bank = parse_text(EXTENDED, "opt.md")
    topic = bank.topics[0]
    assert (topic.area, topic.paper, topic.year) == ("Optimization", "Adam: A Method for Stochastic Optimization", 2014)
    assert topic.aliases == ("adaptive moment estimation", "自适应矩估计")
    en, zh = [c for c in bank.cards if c.kind == "qa"]
    assert (en.lang, zh.lang, en.difficulty, en.pair, zh.pair) == ("en", "zh", 3, "adam-bias", "adam-bias")
    assert [k.terms for k in en.keywords] == [("bias correction", "偏差修正"), ("zero initialization", "start at zero")]
    assert en.source == "Adam: A Method for Stochastic Optimization (2014)"
    assert "Keywords" not in en.answer and "Level" not in en.answer
    assert bank.twin(en, "zh") == zh and bank.twin(zh, "en") == en


def test_chinese_names_of_topics_and_areas():
    bank = parse_text("# Object detection\n\n*Aliases:* 目标检测 · *中文名:* 目标检测\n\n"
                      "## Anchors\n\n*Aliases:* 锚框 · *中文名:* 锚框\n\n1. A point.\n\n"
                      "## RetinaNet\n\n*Year:* 2017\n\n1. Another point.\n", "det.md")
    assert [t.name_zh for t in bank.topics] == ["锚框", ""]
    assert [bank.shown(n, "zh") for n in ("Anchors", "RetinaNet", "Object detection")] == ["锚框", "RetinaNet", "目标检测"]
    assert bank.shown("Anchors", "en") == "Anchors"


@pytest.mark.parametrize("text, message", [
    ("## T\n\n- q?\n\n  a\n\n#### Questions\n\n- q\n\n  a\n\n  *Keywords:* x · *Colour:* red\n",
     "t.md:13: unknown metadata label 'Colour': use one of core, keywords, lang, language, level, pair, wrong, 关键词, 核心, 误区, 难度"),
    ("## T\n\n#### Questions\n\n- q\n\n  a\n\n  *Level:* 7\n", "t.md:9: Level must be 1, 2 or 3, not '7'"),
    ("## T\n\n*Year:* soon\n", "t.md:3: Year must be four digits, not 'soon'"),
    ("## T\n\n#### Questions\n\n- q\n\n  a\n\n  *Paper:* X\n", "t.md:9: 'paper' belongs in a topic's first paragraph"),
])
def test_metadata_errors_name_file_and_line(text, message):
    with pytest.raises(NotesError) as e:
        parse_text(text, "t.md")
    assert str(e.value) == message


@pytest.mark.parametrize("text, expected", [
    # empty sections are topics without cards
    ("## Empty\n\n## Also empty\n", {"topics": 2, "cards": 0}),
    # a formula block stays inside its point
    ("## L\n\n1. Squared error\n\n$$\nMSE = \\frac{1}{n}\\sum (y-\\hat y)^2\n$$\n", {"topics": 1, "cards": 1}),
    # nested lists inside a point are one point
    ("## N\n\n1. Two levels of lists here\n   1. inner one\n   2. inner two\n2. second outer point with words\n",
     {"topics": 1, "cards": 2}),
    # Chinese questions and answers
    ("## 中文\n\n#### 问题\n\n- 什么是批归一化？\n\n  对每个小批量做归一化。\n", {"topics": 1, "cards": 1, "lang_zh": 1}),
    # a question without an answer is reported, not turned into a card
    ("## M\n\n#### Questions\n\n- Unanswered?\n- Answered?\n\n  Yes it is.\n", {"topics": 1, "cards": 1}),
    # a table of contents is not a topic
    ("## Content\n\n[A](#a)\n\n[B](#b)\n\n## A\n\n1. one real point here\n", {"topics": 1, "cards": 1}),
])
def test_edge_cases(text, expected):
    counts = parse_text(text, "e.md").counts()
    assert {k: counts[k] for k in expected} == expected


def test_missing_answer_is_a_warning_with_line():
    bank = parse_text("## M\n\n#### Questions\n\n- Unanswered?\n- Answered?\n\n  Yes.\n", "m.md")
    assert bank.warnings == ("m.md:5: question without an answer ('Unanswered?'); indent the answer under the bullet",)


def test_formula_text_survives():
    bank = parse_text("## L\n\n1. Squared error\n\n$$\nMSE = \\frac{1}{n}\\sum (y-\\hat y)^2\n$$\n")
    assert "\\frac{1}{n}" in bank.cards[0].answer


@pytest.mark.parametrize("data, message", [
    (b"", "no topics found: a topic starts with a '## Heading' line (see docs/notes-format.md)"),
    (b"just some text\n", "no topics found: a topic starts with a '## Heading' line (see docs/notes-format.md)"),
    (b"## T\n\xff\xfe bad bytes", "is not UTF-8 text (byte 0xff at offset 5): save it as UTF-8"),
    (b"\x00\x01\x02binary", "looks like a binary file, not Markdown notes"),
])
def test_bad_files(tmp_path, data, message):
    f = tmp_path / "notes.md"
    f.write_bytes(data)
    with pytest.raises(NotesError) as e:
        parse_file(f)
    assert str(e.value) == f"{f}: {message}"


def test_utf8_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.md"
    f.write_bytes("\ufeff## T\n\n1. a point with enough words\n".encode())
    assert parse_file(f).topics[0].name == "T"


def test_folder_skips_a_malformed_file_and_loads_the_rest(tmp_path):
    (tmp_path / "good.md").write_text("## Good\n\n1. a point with enough words here\n")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\x00")
    bank = load_notes([tmp_path])
    assert [t.name for t in bank.topics] == ["Good"]
    assert bank.warnings == (f"skipped {tmp_path / 'bad.md'}: looks like a binary file, not Markdown notes",)


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(NotesError) as e:
        load_notes([tmp_path / "nope.md"])
    assert str(e.value) == f"{tmp_path / 'nope.md'}: no such file or folder: check the path"


def test_cards_serialise_to_json(seed):
    json.dumps([c.to_dict() for c in seed.cards], ensure_ascii=False)


def test_area_aliases_follow_the_area_heading():
    bank = parse_text("# Object detection\n\n*Aliases:* 目标检测; detection\n\n## YOLO\n\n1. one grid, one pass, boxes\n")
    assert bank.area_aliases == (("Object detection", ("目标检测", "detection")),)
    assert bank.topics[0].area == "Object detection"


def test_latex_escapes_inside_formulas_are_kept():
    text = ("# A\n\n## REINFORCE\n\n1. Update $\\theta \\leftarrow \\theta + \\alpha\\, G_t\\, \\nabla_\\theta$ "
            "after each episode \\(escaped outside\\).\n")
    point = parse_text(text, "notes.md").topic("REINFORCE").summary[0]
    assert r"\alpha\, G_t\, \nabla_\theta" in point and "(escaped outside)" in point
