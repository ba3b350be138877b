"""Text utilities: cleaning, sentence splitting, binary detection."""

import pytest

from interviewer.mdtokens import plain_math
from interviewer.text import clean_answer, english_clauses, has_words, looks_binary, sentences, word_count


@pytest.mark.parametrize("text, expected", [
    ("One. Two! Three?", ["One.", "Two!", "Three?"]),
    ("第一句。第二句！", ["第一句。", "第二句！"]),
    ("- item one\n- item two", ["item one", "item two"]),
    ("🙂 . 🙂", []),
    ("", []),
])
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_long_chinese_sentence_is_cut_at_commas():
    s = "深度可分离卷积先对每个通道单独做卷积提取空间特征，再用逐点卷积组合不同通道的信息，这样计算量和参数量都大大降低，适合在手机上运行"
    assert len(sentences(s)) >= 3


def test_a_number_s_thousands_comma_does_not_cut_a_chinese_sentence():
    s = ("128 个卷积核中每一个都覆盖全部 64 个输入通道，有 3·3·64 = 576 个权重外加 1 个偏置，所以整层共 128·577 = 73,856 "
         "个参数（73,728 个权重加 128 个偏置），和输入图像的高和宽都没有任何关系。")
    assert sentences(s)[-2:] == ["所以整层共 128·577 = 73,856 个参数（73,728 个权重加 128 个偏置）", "和输入图像的高和宽都没有任何关系。"]


@pytest.mark.parametrize("sentence, expected", [
    # a long sentence: its clauses of three words or more, cut at commas, colons and before "while"
    ("Clipping by norm rescales the whole vector when its norm exceeds c, while clipping by value clamps each element.",
     ["Clipping by norm rescales the whole vector when its norm exceeds c", "while clipping by value clamps each element."]),
    ("The scale matters too: small weights shrink the signal layer by layer and large ones blow it up.",
     ["The scale matters too", "small weights shrink the signal layer by layer and large ones blow it up."]),
    # a clause under three words stays out; one clause left is no split
    ("In short, the generator gets one update for every five updates of the critic in WGAN.", []),
    ("It keeps 2,000 proposals per image and 300 at test time for the detector head.", []),  # a thousands comma
    ("Short, with a comma.", []),  # under ten words
    ("梯度裁剪有两种做法，按范数裁剪和按值裁剪，前者保持方向，后者逐元素截断，方向可能改变。", []),  # Chinese: cut elsewhere
])
def test_english_clauses(sentence, expected):
    assert english_clauses(sentence) == expected


def test_a_comma_in_brackets_does_not_cut_a_chinese_sentence():
    s = "有人以为稀疏分类交叉熵要求标签是形状为 (batch, K) 的独热向量，其实那是普通 categorical 交叉熵的要求，稀疏版本要整数标签（形状为 (batch,)，取值 0 到 K−1）。"
    assert sentences(s) == ["有人以为稀疏分类交叉熵要求标签是形状为 (batch, K) 的独热向量", "其实那是普通 categorical 交叉熵的要求",
                            "稀疏版本要整数标签（形状为 (batch,)，取值 0 到 K−1）。"]
    # a bracket left open keeps the cut at every comma
    assert len(sentences("一个没有闭合的括号 (a, b 会让后面的逗号都不再切分，这样的句子很长很长很长很长很长很长很长很长，还有更多内容在这里")) == 4


@pytest.mark.parametrize("text, expected", [
    (r"weighted by $h_i$", "weighted by h_i"),
    (r"about $28 \cdot 28 \cdot 32 \cdot 25 \cdot 192 \approx 120$M multiply-adds", "about 28 · 28 · 32 · 25 · 192 ≈ 120M multiply-adds"),
    (r"$\Omega(f)=\gamma T+\frac12\lambda\lVert w\rVert^2$", r"$\Omega(f)=\gamma T+\frac12\lambda\lVert w\rVert^2$"),  # \frac12: as written
    (r"$\mathcal{L} = -\log p$ and $x^\top y$", "L = -log p and xᵀ y"),
    (r"$a$$b$ and $$a$$", "ab and a"),
    (r"$$\frac{a}{b}$$ and $\sqrt{v}$", "a/b and √v"),
    ("it costs $5 and $6 more", "it costs $5 and $6 more"),  # money, not a formula
    ("a lone $ sign", "a lone $ sign"),
    (r"$\unknowncommand x$", r"$\unknowncommand x$"),  # what it cannot read stays as written
    (r"an escaped \$x$ dollar", r"an escaped \$x$ dollar"),
])
def test_plain_math(text, expected):
    assert plain_math(text) == expected


@pytest.mark.parametrize("text, binary", [("plain text", False), ("\x00\x01\x02abc", True),
                                          ("a\ufffd\ufffd\ufffdb", True), ("", False)])
def test_looks_binary(text, binary):
    assert looks_binary(text) is binary


def test_clean_answer_says_what_it_did():
    c = clean_answer("<b>x</b>" + "y" * 10, max_chars=5)
    assert (c.cut_from, c.had_tags) == (18, True)
    assert clean_answer("plain") == ("plain", 0, False)


def test_word_count_counts_chinese_characters():
    assert word_count("BN 很好") == 3 and has_words("中") and not has_words("🙂")
