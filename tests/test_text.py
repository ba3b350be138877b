"""Text utilities: cleaning, sentence splitting, binary detection."""

import pytest

from interviewer.text import clean_answer, has_words, looks_binary, sentences, word_count


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
