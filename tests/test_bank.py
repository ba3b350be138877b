"""Data types: stable ids, filters, twins, language detection."""

import pytest

from interviewer.bank import Bank, Keyword, card_id, slugify
from interviewer.text import detect_lang
from interviewer.notes import parse_text

BASE = """\
## Dropout

#### Questions

- Why does dropout reduce overfitting?

  Units cannot co-adapt, so the network acts like an ensemble of thinned networks.

  *Level:* 1 · *Pair:* d-why

- 为什么 dropout 能减少过拟合？

  神经元无法互相依赖，网络相当于许多子网络的集成。

  *Level:* 1 · *Pair:* d-why
"""

EXTRA = """
- What rate is used for hidden units?

  Usually 0.5 for hidden units and closer to 0.2 for inputs.

  *Level:* 2
"""


def test_ids_are_stable_when_unrelated_cards_are_added():
    before = parse_text(BASE)
    after = parse_text(BASE + EXTRA)
    assert [c.id for c in before.cards] == [c.id for c in after.cards][:2]
    assert len({c.id for c in after.cards}) == 3


def test_ids_ignore_case_spacing_and_question_marks():
    assert card_id("Dropout", "qa", "Why dropout?") == card_id("Dropout", "qa", "  why   DROPOUT ")
    assert card_id("Dropout", "qa", "Why dropout?") != card_id("BatchNorm", "qa", "Why dropout?")


def test_filter_and_twin():
    bank = parse_text(BASE + EXTRA)
    assert len(bank.filter(lang="zh")) == 1
    assert len(bank.filter(topic="dropout", difficulty=2)) == 1
    en = bank.filter(lang="en", difficulty=1)[0]
    assert bank.twin(en, "zh").question == "为什么 dropout 能减少过拟合？"
    assert bank.twin(bank.filter(difficulty=2)[0], "zh") is None


def test_content_hash_changes_with_content_only():
    assert parse_text(BASE).content_hash == parse_text(BASE).content_hash
    assert parse_text(BASE).content_hash != parse_text(BASE + EXTRA).content_hash


@pytest.mark.parametrize("text, lang", [
    ("1x1卷积的作用", "zh"), ("预测为什么使用global average pooling", "zh"),
    ("Why use global average pooling?", "en"), ("假定输入为$D_k \\times D_k \\times M$的tensor", "zh"),
    ("", "en"), ("🙂🙂", "en"),
])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


@pytest.mark.parametrize("spec, terms", [
    ("batch normalization = BN = 批归一化", ("batch normalization", "BN", "批归一化")),
    ("  ReLU  ", ("ReLU",)),
    ("a = = b", ("a", "b")),
])
def test_keyword_parse(spec, terms):
    assert Keyword.parse(spec).terms == terms


def test_slugify_non_ascii_falls_back_to_hash():
    assert slugify("中文").startswith("t") and len(slugify("中文")) == 7


def test_merge_keeps_everything():
    a, b = parse_text(BASE, "a.md"), parse_text("## Other\n\n1. something with enough words\n", "b.md")
    merged = Bank.merge([a, b])
    assert merged.counts()["topics"] == 2 and merged.files == ("a.md", "b.md")
