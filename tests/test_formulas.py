"""Formulas in answers: one formula in two notations reads alike (fast), and a terse answer that
writes the core line's formula is graded at least "partial" (the real model)."""

import pytest

from interviewer.formulas import expressions, results, states
from interviewer.scoring import Grader

CCE = ('p-y',)  # "∂L/∂z_c = p_c − y_c", the softmax cross-entropy card's core
LSTM = results("then the cell state c_t = f⊙c_{t-1} + i⊙g and h_t = o⊙tanh(c_t).")
ATTENTION = results("with weights softmax(q·k/√d_k) over the keys")


@pytest.mark.parametrize("answer, wanted, said", [
    ("The gradient is p - y.", CCE, True),
    ("dL/dz_i = p_i − y_i", CCE, True),
    (r"$\partial L/\partial z = p - y$", CCE, True),
    ("dL/dz = y - p", CCE, False),  # the sign flipped
    ("dL/dz = (p - y) * p * (1 - p)", CCE, False),  # the card's misconception: p − y inside a longer product
    ("The gradient is y/p.", CCE, False),
    ("c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t)", LSTM, True),
    ("c_t = f ⊙ c_t-1 + i ⊙ g, h_t = o ⊙ tanh(c_t)", LSTM, True),
    ("c_t = f*h_{t-1} + i*g; h_t = o*tanh(c_t)", LSTM, False),  # the forget gate on the hidden state
    ("c_t = f*c_{t-1} + i*g", LSTM, False),  # half of it
    ("Attention(Q, K, V) = softmax(QK^T / sqrt(d_k)) V", ATTENTION, True),
    ("softmax(Q Kᵀ / √d_k) · V", ATTENTION, True),
    ("softmax(QK^T) V", ATTENTION, False),  # the scaling left out
    ("softmax(QK^T / d_k) V", ATTENTION, False),  # the square root left out
    ("p - y", (), False),  # a card whose core has no formula asks for none
])
def test_a_formula_is_read_in_any_notation_and_a_wrong_one_is_not(answer, wanted, said):
    assert states(answer, wanted) is said, expressions(answer)


@pytest.mark.parametrize("text, found", [
    ("Batch normalization normalises each mini-batch with a 1024-d vector.", ()),  # prose, a hyphen, a compound
    ("A 3x3 conv with k-means anchors", ()),
    ("It costs 4 + 4 - 2 = 6 units.", ()),  # plain arithmetic is the figures' business
    ("m = b1*m + (1-b1)*g", ("m=βm+1-βg",)),  # b1 is β1, subscripts go
    ("theta -= lr * m_hat / (sqrt(v_hat) + eps)", ("θ=αmˆ/sqrtvˆ+ε",)),  # lr is α; the hat stays
    ("θ ← θ − α m̂/(√v̂ + ε)", ("θ=θ-αmˆ/sqrtvˆ+ε",)),
    ("(2/n)(ŷ − y) is not (2/n)(y − y_hat)", ("2/nyˆ-y", "2/ny-yˆ")),
    ("H(p, q) = H(p) + KL(p‖q)", ("hp,q=hp+klp|q",)),
    ("", ()),
])
def test_expressions_are_cut_out_of_prose_and_spelled_one_way(text, found):
    assert expressions(text) == found


def test_a_core_line_asks_for_the_right_hand_sides_it_states():
    assert LSTM == ("fc+ig", "otanhc")
    assert ATTENTION == ("softmaxqk/sqrtd",)
    assert results("Both compute −log p of the true class; the sparse version takes indices") == ()  # one letter


@pytest.fixture(scope="module")
def grader(corpus_bank, use_embedder, corpus_index):
    return Grader(corpus_bank, use_embedder, corpus_index)


def card(bank, question, lang="en"):
    c = next(c for c in bank.cards if c.question == question)
    return c if lang == c.lang else bank.twin(c, lang)


SDPA = "What does scaled dot-product attention compute? Explain the roles of Q, K and V."
STEP = "Walk through one time step of an LSTM: what is computed, and in what order?"
NOTICE = ("The formula is the one the notes give, so this is partial at least; say in words what it means and why "
          "it holds.")


@pytest.mark.parametrize("question, answer, low, high", [
    (SDPA, "Attention(Q, K, V) = softmax(QK^T / sqrt(d_k)) V.", 3, 3),
    (STEP, "c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t)", 3, 3),
    (SDPA, "softmax(QK^T) V", 0, 1),
    (STEP, "c_t = f*h_{t-1} + i*g; h_t = o*tanh(c_t)", 0, 1),
])
def test_a_terse_right_formula_is_partial_and_a_wrong_one_is_not_lifted(grader, corpus_bank, question, answer,
                                                                       low, high):
    r = grader.grade(card(corpus_bank, question), answer)
    assert low <= r.band <= high, (r.score, r.notices)
    assert (NOTICE in r.notices) is (low == 3)


def test_the_floor_says_why_in_the_answers_language_and_leaves_longer_answers_to_their_words(grader, corpus_bank):
    zh = grader.grade(card(corpus_bank, SDPA, "zh"), "注意力的输出是 softmax(QK^T / sqrt(d_k)) V")
    assert zh.band == 3 and "公式与笔记给出的一致，至少算部分正确；再用文字说明它的含义和成立的原因。" in zh.notices
    # the core's formula beside a wrong account of it (dev tune, people 2): the words decide
    long_wrong = ("You write z = μ + σ·ε, where ε is a learned noise vector. It's needed because otherwise the KL "
                  "term between the encoder and the prior couldn't be computed in closed form.")
    c = card(corpus_bank, "What is the reparameterization trick, and why is it needed to train a VAE?")
    assert grader.references.get(c).formula_stated(long_wrong)
    assert NOTICE not in grader.grade(c, long_wrong).notices
