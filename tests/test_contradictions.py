"""Contradiction cues that need no model: named values, flipped directions, numbers, swapped sides."""

import pytest

from interviewer.contradictions import _echoes_reference, bindings, degree_turned, flipped, numbers, of_one_thing
from interviewer.denials import turned_next
from interviewer.denials import negated as _negated, rejects
from interviewer.sides import exchanged, said_only_of, sides
from interviewer.lexical import units


@pytest.mark.parametrize("text, expected", [
    ("β1 = 0.9, β2 = 0.999", {"beta1": ("0.9",), "beta2": ("0.999",)}),
    ("beta1 0.9 and Beta2: 0.999", {"beta1": ("0.9",), "beta2": ("0.999",)}),  # spelled out, any case
    ("ε=1e-8 or eps 1e-7", {"epsilon": ("1e-8", "1e-7")}),  # two values for one name, in order
    ("IoU 0.7 for positives", {"iou": ("0.7",)}),  # an acronym is a name
    ("P[Y=3] = 0.27", {}),  # a one-letter variable is not a setting
    ("a window size of 4 with 3 layers", {}),  # plain words are not names
    ("About 12,800 architectures, LR 3", {"lr": ("3",)}),  # a capitalised word is not an acronym; 12,800 is not 12
    ("γ和β各 1 个", {}),  # no value right after the name
    ("", {}),
])
def test_bindings(text, expected):
    assert bindings(text) == expected


def test_flipped_and_numbers():
    assert flipped("更大的计算量", "计算量减少到 1/8") == ("更大", "减少")
    assert flipped("the same at training time", "the same at training time") is None
    assert numbers("2,000 proposals") == {"2000"}
    assert numbers("from (0,0) to (1,1)") == {"0", "1"}  # pairs, not 00 and 11


@pytest.mark.parametrize("said, reference, found", [
    ("PPO 是离策略，因为有新旧策略的比值。", "PPO 是同策略方法，旧样本很快过时。", ("离策略", "同策略")),
    ("The Gini impurity is largest for a pure node.", "It is smallest (zero) for a pure node.", ("largest", "smallest")),
    ("The variance BN uses is unbiased.", "BN normalises with the biased variance.", ("unbiased", "biased")),
    ("It is a non-linear map.", "It is a linear map per pixel.", None),  # the opposite holds the word: never fires
])
def test_flipped_pairs(said, reference, found):
    assert flipped(said, reference) == found


@pytest.mark.parametrize("said, echoed", [
    ("原始 LSTM 只有输入门和输出门，没有遗忘门", True),  # the reference says so itself
    ("原始 LSTM 有遗忘门，没有输出门", False),
    ("It is not differentiable, so we use REINFORCE.", True),
    ("The sampling step is differentiable.", False),  # no negation: nothing to echo
])
def test_a_negation_the_reference_makes_itself_is_no_contradiction(said, echoed):
    reference = "1997 年的 LSTM 只有输入门和输出门，没有遗忘门。\nThe reward is not differentiable with respect to the controller."
    assert _echoes_reference(said, reference.lower()) is echoed


@pytest.mark.parametrize("question, expected", [
    ("Compare A3C with DQN in how they handle data.", [("a3c",), ("dqn",)]),
    ("Compare Gini impurity and entropy as split criteria.", [("gini", "impurity"), ("entropy",)]),
    ("比较 GRU 和 LSTM：各自有什么是对方没有的？", [("gru",), ("lstm",)]),
    ("What is the difference between asynchronous and synchronous transmission?", [("asynchronous",), ("synchronous",)]),
    ("What is DHCP and why is it used?", []),  # "and why": a question word is not a side
    ("梯度裁剪是怎么做的？按范数裁剪和按值裁剪有什么区别？", [("按范数裁剪",), ("按值裁剪",)]),  # names in characters
    ("VAE 和普通自编码器有什么区别？", [("vae",), ("普通自编码器",)]),
    ("在多分类问题上比较宏平均 F1 和微平均 F1：它们什么时候会不一致？", [("宏平均",), ("微平均",)]),  # F1 names neither
    ("How does BN work at inference time?", []),
    ("Briefly. Compare TCP and UDP.", [("tcp",), ("udp",)]),  # a sentence's first word is no name
    ("Compare dropout and BN and explain why.", [("dropout",), ("bn",)]),  # nor what the question asks
    ("Compare R and Python for data work.", []),  # one letter would name every word starting with it
    ("word " * 4000, []),  # a huge batch cell: read in part, at once
])
def test_sides(question, expected):
    assert sides(question) == expected


A3C_Q = "Compare A3C with DQN in how they handle data and what hardware they need."
A3C_REF = ("DQN is off-policy and decorrelates data with a large replay memory, typically on a GPU.",
           "A3C runs 16 actor-learner threads on one multi-core CPU and keeps no replay at all.")


@pytest.mark.parametrize("answer, swapped", [
    (["A3C stores transitions in a large replay memory on a GPU, while DQN runs actor-learner threads on a CPU."], True),
    (["A3C relies on a large replay memory on a GPU.", "DQN instead runs parallel threads on a multi-core CPU."], True),
    (["DQN keeps a large replay memory on a GPU; A3C runs actor-learner threads on a multi-core CPU."], False),
    # one half alone: the other side is never described wrongly
    (["A3C uses a large replay memory on a GPU."], False),
    # what follows a negation or a denial is not claimed
    (["A3C has no replay memory and needs no GPU, while DQN does not run threads on a CPU."], False),
    (["A3C avoids the large replay memory and the GPU; DQN lacks actor-learner threads on a CPU."], False),
    (["A3C, in place of a large replay memory on a GPU, runs threads. DQN uses fewer CPU threads."], False),
    (["DQN 靠大容量经验回放，通常在 GPU 上训练；A3C 在多核 CPU 上并行运行线程。"], False),  # other language: no units shared
])
def test_a_swap_needs_both_sides_exchanged(answer, swapped):
    only = said_only_of(A3C_Q, A3C_REF, frozenset(units(A3C_Q)))
    found = exchanged(answer, only)
    assert (found is not None) is swapped
    if found:
        assert (found.side, found.other) == ("A3C", "DQN")
        assert found.reference == A3C_REF[0]


def test_a_misspelt_name_in_the_reference_still_names_its_side():
    question = "State the differences between the UDP and TCP headers."
    reference = ("The UPD header (8 bytes) is much shorter than the TCP header (20-60 bytes).",
                 "UDP carries a length field and a checksum; TCP has sequence numbers and variable options.")
    only = said_only_of(question, reference, frozenset(units(question)))
    assert {"8", "sequen"} & only[("tcp",)][0] == {"sequen"}


CLIP_Q = "梯度裁剪是怎么做的？按范数裁剪和按值裁剪有什么区别？"
CLIP_REF = ("按范数裁剪在梯度的整体范数超过阈值时把整个梯度向量等比例缩小，方向不变。",
            "按值裁剪把每个分量单独截断到区间之内，可能改变更新方向。")


@pytest.mark.parametrize("answer, swapped", [
    (["按范数裁剪把每个分量单独截断到区间之内，会改变更新方向；按值裁剪在整体范数超过阈值时把整个梯度向量等比例缩小。"], True),
    (["按值裁剪把每个分量单独截断，可能改变方向；按范数裁剪在整体范数超过阈值时等比例缩小整个梯度向量，方向不变。"], False),
    (["按范数裁剪对分量截断；按值裁剪会等比例缩小。"], True),  # terse, still exchanged
])
def test_a_swap_between_sides_named_in_chinese(answer, swapped):
    only = said_only_of(CLIP_Q, CLIP_REF, frozenset(units(CLIP_Q)))
    assert (exchanged(answer, only) is not None) is swapped


def test_one_chinese_word_of_the_other_side_is_not_aexchanged():
    """A right answer (a helper's, to the bank's card) that says when QAT is needed: "直接取整" is
    one word of the PTQ side but three bigram units, and "8" one of the QAT side."""
    question = "训练后量化和量化感知训练有什么区别？什么时候必须用后者？"
    reference = ("训练后量化用校准数据估范围后直接取整、无需重训练；",
                 "量化感知训练在权重上、以及推理时会被量化的激活处插入模拟量化，低于 8 位时需要它。")
    # as the grader cuts the long sentence at its comma (text.sentences)
    answer = ["对冗余度高的大模型做 8 位量化时训练后量化通常就够了", "直接取整掉点太多时才需要量化感知训练。"]
    assert exchanged(answer, said_only_of(question, reference, frozenset(units(question)))) is None


@pytest.mark.parametrize("text, negated", [
    ("算术平均差不多 0.5，F1 只有 0.02 左右", False),  # 差不多 is "about" (an audit answer flagged as a contradiction)
    ("损失不断下降", False), ("不同的层用不同的学习率", False),
    ("这样不收敛", True), ("参数不多", True), ("不是说无论怎么初始化结果都一样", True),
    ("方差不变", True), ("训练误差不代表泛化误差", True), ("这样就不过拟合", True), ("两个网络不同时更新", True),
    ("它也没法主导这一步的更新", True), ("没办法收敛", True),
])
def test_chinese_negation_is_not_a_word_that_contains_bu(text, negated):
    assert _negated(text) is negated



@pytest.mark.parametrize("said, claim, own, rejected", [
    ("The 11-point AP does not use raw precision.", "The 11-point AP uses the raw precision.", "", True),
    # a Chinese negation falls on one of the claim's own words (概率: the notes never say it) ...
    ("k-means 不给概率，只做硬分配。", "k-means 会给出每个点属于各簇的概率。", "概率", True),
    # ... or on two of its words, or denies "this" (a pro-form), or says "not necessarily"
    ("编码器的自注意力不加因果掩码。", "编码器的自注意力也使用因果掩码。", "", True),
    ("逐词生成描述是 captioning 模型的做法，CLIP 没有这样做。", "CLIP 的训练目标是逐词生成图像描述。", "", True),
    ("分类正确时合页损失不一定为零。", "只要分类正确，合页损失就为零。", "", True),
    ("认为测试时也随机丢弃单元，这是不对的。", "测试时 dropout 也随机丢弃单元。", "", True),
    # "actually not right" after the claim, and a claim set up as others' belief then turned
    ("损失处处可导——有人以为它和合页损失一样在 m = 1 有个折点，其实不对", "和合页损失一样，平方合页损失在 y·f(x) = 1 处有折点、不可微。",
     "", True),
    ("有人以为稀疏交叉熵要求标签是独热向量，其实并不需要", "稀疏分类交叉熵要求标签是形状为 (batch, K) 的独热向量。", "", True),
    # 对 as a preposition after 不 ("not doing it to the output") and a belief the sentence agrees with deny nothing
    ("测试时 dropout 也随机丢弃单元，以此对预测做平均，其实不对输出做缩放也可以。", "测试时 dropout 也随机丢弃单元，以此对预测做平均。", "",
     False),
    ("很多人认为推理时不用关闭 dropout，事实上确实如此", "推理时也要保持 dropout 开启", "", False),
    # a "but" that turns to something else, with no set-up, denies nothing
    ("稀疏交叉熵要求标签是独热向量，但不能越界", "稀疏分类交叉熵要求标签是形状为 (batch, K) 的独热向量。", "", False),
    # a Chinese negation of something beside the claim, or of one word the notes use too, denies nothing
    ("测试时 dropout 也随机丢弃单元，以此对预测做平均，不用额外缩放。", "测试时 dropout 也随机丢弃单元，以此对预测做平均。",
     "", False),
    ("BN 训练时用的是分母为 m − 1 的无偏方差，而不是滑动平均的方差。", "BN 训练时归一化用的是分母为 m − 1 的无偏方差。", "",
     False),
    ("Contrary to a common mix-up, raising T does not sharpen the softmax.", "Raising T sharpens the softmax.", "", True),
    # a negation of another word, or of no word of the claim, rejects nothing
    ("LOO is the best choice, since it is not a waste of time.", "Leave-one-out is always the best choice.", "", False),
    ("Tanh doesn't help since its maximum derivative is also 0.25.", "tanh has the same maximum derivative, 0.25.", "",
     False),
])
def test_an_answer_that_rejects_a_misconception(said, claim, own, rejected):
    assert rejects(said, claim, frozenset(own.split())) is rejected


def test_a_direction_the_answer_states_elsewhere_is_no_flip(corpus_bank, use_embedder):
    """'Child networks training at once' beside 'test error' in the next sentence: both sides said."""
    from interviewer.scoring import Grader

    grader = Grader(corpus_bank, use_embedder)
    card = next(c for c in corpus_bank.cards if c.question.startswith("How much compute did the original NAS use"))
    right = ("Zoph and Le ran the search with 800 child networks training at once on 800 GPUs, and the controller went "
             "through about 12,800 architectures on CIFAR-10. The best CIFAR-10 model reached 3.65% test error, and the "
             "searched recurrent cell got 62.4 perplexity on Penn Treebank.")
    assert [c.kind for c in grader.grade(card, right).contradictions if c.kind == "direction"] == []


@pytest.mark.parametrize("question, answer", [
    # long Chinese sentences are cut at commas: the rejection is the next piece
    ("AUC", "认为 AUC 就是分类器在最佳阈值下的准确率，这是不对的：AUC 是随机抽一个正样本和一个负样本时，正样本得分更高的"
            "概率，与阈值无关。"),
    ("AlexNet", "Some say AlexNet applied dropout to all of its convolutional layers. That is not true: dropout was "
                "used only in the first two fully connected layers."),
])
def test_a_misconception_turned_down_by_the_next_sentence_is_not_said(corpus_bank, use_embedder, question, answer):
    from interviewer.scoring import Grader

    card = next(c for c in corpus_bank.cards if any(m.startswith(question) for m in c.misconceptions))
    result = Grader(corpus_bank, use_embedder).grade(card, answer)
    assert not [c for c in result.contradictions if c.kind == "misconception"], result.contradictions
    said = answer.replace("这是不对的", "这是对的").replace("That is not true", "That is true")
    assert [c.kind for c in Grader(corpus_bank, use_embedder).grade(card, said).contradictions] == ["misconception"]


@pytest.mark.parametrize("said, claim, turned", [
    # both ends stated the right way round: not the misconception
    ("温度越低，softmax 越尖锐、越接近 one-hot，温度越高分布越平滑。", "温度越高，softmax 越尖锐，越接近 one-hot。", True),
    ("FLOPs 固定时，分组越多内存访问代价越高，分组越少内存访问代价越低。", "FLOPs 固定时，分组越多内存访问代价越低。", True),
    ("A higher temperature makes the softmax softer, and a lower one makes it sharper.",
     "A higher temperature makes the softmax sharper.", True),
    ("With fewer groups the cost is smaller, with more groups it is larger.", "More groups give a smaller cost.", True),
    # the misconception's own link is there: said, whatever else the sentence adds
    ("温度越高，softmax 越尖锐，温度越低越平滑。", "温度越高，softmax 越尖锐。", False),
    ("A higher temperature makes it sharper, and a lower one softer.", "A higher temperature makes it sharper.", False),
    # one end only: left to the direction cue
    ("温度越低，softmax 越尖锐。", "温度越高，softmax 越尖锐。", True),
    ("The softmax gets sharper.", "A higher temperature makes the softmax sharper.", False),
    # this end tied to the opposite outcome (a right clause once capped as the misconception)
    ("A higher temperature makes the softmax over the similarities softer",
     "A higher temperature makes the softmax over the similarities sharper.", True),
    ("A larger weight decay makes the regularization weaker", "A larger weight decay makes the regularization stronger.",
     True),
])
def test_a_link_stated_the_other_way_round(said, claim, turned):
    assert degree_turned(said, claim) is turned


def test_a_misconception_in_one_clause_is_quoted_by_that_clause(corpus_bank, use_embedder):
    """The notice quotes the clause that states the misconception, not the whole long sentence."""
    from interviewer.scoring import Grader

    card = next(c for c in corpus_bank.cards if c.question.startswith("What is the key idea that lets NASNet"))
    answer = ("NASNet searches for a small convolutional cell on CIFAR-10 instead of a whole network; for ImageNet "
              "the cell is stacked many times, and all the stacked copies share one set of weights, which keeps the "
              "big model compact.")
    result = Grader(corpus_bank, use_embedder).grade(card, answer)
    found = [c for c in result.contradictions if c.kind == "misconception"]
    assert [c.part for c in found] == ["all the stacked copies share one set of weights"]
    assert found[0].said.startswith("for ImageNet the cell is stacked many times")
    assert result.score <= 29
    assert any(n.startswith('"all the stacked copies share one set of weights": this is a common misconception')
               for n in result.notices), result.notices
    # in a 中文 session: what the notes say instead, in Chinese (the twin's core line)
    zh = Grader(corpus_bank, use_embedder).grade(card, answer, lang="zh")
    twin = corpus_bank.twin(card, "zh")
    assert any(n.startswith("「all the stacked copies share one set of weights」——这是一个常见误区") and twin.core in n
               for n in zh.notices), zh.notices


@pytest.mark.parametrize("piece, following, turned", [
    ("有人以为稀疏交叉熵要求 (batch, K) 的独热向量", "其实那是普通 categorical 交叉熵的要求", True),
    ("Many people think dropout is applied at test time too", "but it is not: the full network runs", True),
    ("稀疏交叉熵要求 (batch, K) 的独热向量", "其实那是普通 categorical 交叉熵的要求", False),  # stated, then something else
    ("有人以为稀疏交叉熵要求 (batch, K) 的独热向量", "这样训练更稳定", False),  # set up, never turned
    ("有人认为各份单元共享同一套权重", "但更重要的是单元能迁移", False),  # turned to another point
    ("All the stacked copies share one set of weights, as many people say", "However, the cell transfers", False),
    ("I would think all the stacked copies share one set of weights", "But the main point is the transfer", False),
])
def test_a_claim_set_up_as_others_and_turned_in_the_next_piece(piece, following, turned):
    assert turned_next(piece, following) is turned


DIAMETER_Q = 'What happens to the "collision domain diameter" if you use CSMA / CD and increase the speed of a network?'


@pytest.mark.parametrize("said, reference, flip, question, expected", [
    # a loosely aligned flip counts when both sides follow the same word of the question
    ("The collision Domain Diameter will be increased to 10times", "Diameter decreases by a factor of 10",
     ("increase", "decrease"), DIAMETER_Q, True),
    # the subject is the nearest content word before a side: the reference's off-policy is said of "needs"
    ("Experience replay keeps DQN on-policy", "replay needs an off-policy learner", ("on-policy", "off-policy"),
     "Why does DQN learn from an experience replay memory?", False),
    # named as a mistake, supposed, turned round or timed: not stated plainly (a helper's review)
    ("A common mistake is to think the diameter increases by a factor of 10", "Diameter decreases by a factor of 10",
     ("increase", "decrease"), DIAMETER_Q, False),
    ("Conversely, lowering the speed tenfold, diameter increases by a factor of 10",
     "Diameter decreases by a factor of 10", ("increase", "decrease"), DIAMETER_Q, False),
    ("Diameter would only increase if the speed were lowered", "Diameter decreases by a factor of 10",
     ("increase", "decrease"), DIAMETER_Q, False),
    ("When the loss plateaus the learning rate decreases", "Warm-up: the learning rate increases linearly at first",
     ("decrease", "increase"), "What is learning rate warm-up?", False),
    # another word between the question's word and the side: said of the loss, not the rate
    ("The learning rate decreases over time", "With a large learning rate the loss increases", ("decrease", "increase"),
     "What is learning rate warm-up?", False),
    # the side said of another thing of the question (the speed, not the diameter)
    ("The speed is increased tenfold", "Diameter decreases by a factor of 10", ("increase", "decrease"), DIAMETER_Q,
     False),
    # the same word before both sides, but not one the question asks about: "times larger" is "times smaller" turned
    ("Under BCE it would be about 150 times larger", "squared error gives about 150 times smaller",
     ("larger", "smaller"), "Why is cross-entropy preferred over squared error?", False),
    # a comparison that names what it compares after the side: both can be right
    ("Event B less than Event C", "Event B is more specific than C", ("less", "more"),
     "Arrange the events B, C and event A by probability.", False),
    # Chinese: the units just before each side (k-means 是一种 …)
    ("k-means 是一种有监督的分类算法", "k-means 是一种无监督的聚类算法", ("有监督", "无监督"), "简要介绍一下k-means", True),
    # the training variance is biased, the population variance unbiased: said of other things
    ("BN 的方差是有偏的", "推理用的总体方差乘以 m/(m−1) 校正，是无偏估计", ("有偏", "无偏"), "BN是无偏估计吗", False),
    # the same words before both sides, but not the question's
    ("它能保证收敛到全局最优解", "最终只保证收敛到局部最优", ("全局", "局部"), "简要介绍一下k-means", False),
    # a negated sentence is read by the negation cue, not this one
    ("No, the arrivals are dependent on each other", "The arrivals are not independent", ("dependent", "independent"),
     "Are the arrivals independent?", False),
])
def test_a_loosely_aligned_flip_counts_only_of_one_thing_asked_about(said, reference, flip, question, expected):
    assert of_one_thing(said, reference, flip, question) is expected
