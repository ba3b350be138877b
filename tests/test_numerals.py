"""Chinese numerals: reading, writing, and the other spellings of a key term's number."""

import pytest

from interviewer.numerals import read, spellings, whole_number, write


@pytest.mark.parametrize("text, value", [
    ("零", 0), ("七", 7), ("十", 10), ("十二", 12), ("二十", 20), ("一百零一", 101), ("两百五十六", 256),
    ("一千零五", 1005), ("一万零五百", 10500), ("两万三千", 23000), ("十万", 100_000), ("一亿两千万", 120_000_000),
    ("零点七", 0.7), ("二点五", 2.5), ("零点零五", 0.05),
    # a last digit after a larger place takes the place below it
    ("三千五", 3500), ("一万二", 12000), ("二百二", 220), ("一亿二", 120_000_000),
    ("一千零十", 1010), ("一万零十五", 10015),
    # not numbers
    ("", None), ("二三", None), ("万", None), ("七个", None), ("一致", None), ("点", None), ("百", None),
    ("千万", None), ("十十", None), ("一百零", None), ("两十", None),
])
def test_read(text, value):
    assert read(text) == value


@pytest.mark.parametrize("number", ["0", "2", "7", "10", "12", "20", "101", "110", "256", "1005", "2000", "10005",
                                    "10500", "23000", "100000", "1678000", "120000000", "0.7", "2.5", "0.05"])
def test_write_reads_back(number):
    for spelt in write(number):
        assert read(spelt) == (float(number) if "." in number else int(number)), spelt


@pytest.mark.parametrize("number, expected", [
    ("2", ("二", "两")), ("200", ("二百", "两百")), ("20", ("二十",)), ("22", ("二十二",)), ("10", ("十",)),
])
def test_write_offers_liang_only_at_the_head(number, expected):
    assert write(number) == expected


def test_write_leaves_out_what_it_cannot_spell():
    assert write("1000000000000") == () and write("2", ordinal=True) == ("二",)


def test_a_term_with_many_numbers_gets_a_few_spellings_not_all():
    assert len(spellings("2、" * 18 + "个")) <= 10 and spellings("两" * 200 + "个") == ("两" * 200 + "个",)


@pytest.mark.parametrize("term, expected", [
    ("10 毫秒", ("10 毫秒", "十毫秒")),
    ("1.4 万亿", ("1.4 万亿", "一点四万亿")),
    ("0.50 到 0.95", ("0.50 到 0.95", "0.5 到 0.95", "零点五到零点九五", "零点五零到零点九五")),
    ("三种尺度", ("三种尺度", "3种尺度")),
    # names, signs, fractions, percentages and words that hold a numeral keep one spelling
    ("1x1 卷积", ("1x1 卷积",)), ("L2 归一化", ("L2 归一化",)), ("2^n 个", ("2^n 个",)), ("1/8 到 1/9", ("1/8 到 1/9",)),
    ("30% 以上", ("30% 以上",)), ("一致性", ("一致性",)), ("万能逼近", ("万能逼近",)), ("一半", ("一半",)),
    ("256 anchors", ("256 anchors",)),  # large English numbers keep their digits
    ("two GPUs", ("two GPUs", "2 GPUs")), ("9 anchors", ("9 anchors", "nine anchors")), ("2", ("2",)),
    ("top-5 错误率", ("top-5 错误率",)), ("3 x 3 卷积", ("3 x 3 卷积",)), ("k−1 折", ("k−1 折",)),
    # not numbers: 二次 is "quadratic", 一阶 "first-order", 几十 "dozens"
    ("二次", ("二次",)), ("一阶", ("一阶",)), ("几十个", ("几十个",)),
    ("第 2 层", ("第 2 层", "第二层")),  # an ordinal: 第二, never 第两
    ("2(N-1) 个负样本", ("2(N-1) 个负样本",)), ("下一句预测", ("下一句预测",)),  # a formula; "the next sentence"
    ("1,000 个类别", ("1,000 个类别", "1000 个类别", "一千个类别")),
])
def test_spellings(term, expected):
    assert spellings(term) == expected


@pytest.mark.parametrize("text, start, end, whole", [
    ("约十倍", 1, 3, True), ("二十倍", 1, 3, False), ("是0.75", 1, 4, False), ("是0.7。", 1, 4, True),
    ("是0.7.", 1, 4, True), ("一百毫秒", 1, 4, False), ("有32层", 2, 4, False), ("有2层", 1, 3, True),
])
def test_whole_number(text, start, end, whole):
    assert whole_number(text, start, end) is whole
