"""The regression table: answers a careful interviewer would grade, and the band range they'd give.

Each case names where it comes from (the grading issue, or a real set's row in
tests/fixtures). Cases the grader still gets wrong are marked ``xfail(strict=True)`` with the
reason, so the table documents them and a fix makes the test say so.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from interviewer.bank import Card, card_id
from interviewer.feedback import Doubt, doubt_line
from interviewer.scoring import Grader, render_markdown

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures"

BN_INF = "How does a BN layer compute its output at inference time?"
GAP = "How does global average pooling work as NIN's classifier, and why does it overfit less than fully connected layers?"
ONE_BY_ONE = "What does a 1x1 convolution do in GoogLeNet, and how much computation can it save?"
BN_PARAMS = "How many parameters does a BN layer have for a feature map with C channels?"
ANCHORS = "How are anchors labelled and sampled when training the RPN?"
DROPOUT = "What does dropout do during training, and why does it reduce overfitting?"
ADAM = "Write the Adam update and state its default hyper-parameters."
KMEANS_ZH = "简要介绍一下k-means"
REPLAY = "Why does DQN learn from an experience replay memory instead of from consecutive samples as they arrive?"
A3C_DQN = "Compare A3C with DQN in how they handle data, what hardware they need and what that implies."
GINI = "Compare Gini impurity and entropy as split criteria. Does the choice matter much in practice?"
CLIP = "梯度裁剪是怎么做的？按范数裁剪和按值裁剪有什么区别？"
CLIP_EN = "How does gradient clipping work, and what is the difference between clipping by norm and clipping by value?"
AMSGRAD = "What are AMSGrad and AdamW, and which weaknesses of Adam do they address?"
KFOLD = "How does k-fold cross-validation estimate generalization error, and how do you choose k?"
SIGMOID = "Why do sigmoid activations make vanishing gradients worse? Give the numbers."
SSD = "Why does SSD need hard negative mining, and how does it decide which background boxes contribute to the loss?"
KMEANS_INIT = "k-means初始值的选取对最终结果有影响吗？"
BOTTLENECK = ("Work out how much a 1x1 bottleneck saves on a 256-channel layer, and explain how SqueezeNet's "
              "fire module builds on the same idea.")
MAE_ZH = "用 MAE 训练的模型学到的是哪个统计量？MAE 对应哪种噪声分布？"
FPS = "Why did Lample and Chaplot split the agent into action and navigation networks, and how is control switched between them?"
XGBOOST = "What does XGBoost add to classic gradient boosting, both in the objective and in the system?"
NASNET = "What is the key idea that lets NASNet search on CIFAR-10 yet deploy on ImageNet?"
HUBER = "What is the Huber loss, and why is it considered a robust loss?"
MAE = "How does a masked autoencoder pretrain a Vision Transformer, and which part of the model is kept afterwards?"


SLIPPED_DROPOUT = ("During trainig dropuot randomly zeros each hiden unit with probabilty p, so every step trains a "
                   "diffrent thined network; units cannot co-adapt, and at test time using all weigths scaled by p "
                   "aproximates averaging an ensamble of those networks, which reduces overfiting.")


@pytest.fixture(scope="module")
def grader(corpus_bank, use_embedder, corpus_index):
    return Grader(corpus_bank, use_embedder, corpus_index)


def card(bank, question: str) -> Card:
    return next(c for c in bank.cards if c.question == question)


CASES = [
    # (id, question, answer, lowest band, highest band)
    ("bn-inference-test-batch", BN_INF, "It computes the mean and variance of the test batch and normalises with them.", 0, 1),
    ("bn-inference-right", BN_INF, "At inference BN uses the running mean and variance collected during training "
     "instead of batch statistics, so it is a fixed affine transform that can be folded into the previous conv.", 4, 5),
    ("gap-short-right", GAP, "Because it has fewer parameters, so less overfitting.", 3, 5),
    ("1x1-short-right", ONE_BY_ONE, "They are used to reduce dimensionality so the computation is cheaper.", 3, 5),
    ("adam-compact-right", ADAM, "m = b1*m + (1-b1)*g, v = b2*v + (1-b2)*g^2, bias-correct both, then "
     "w -= lr * m_hat / (sqrt(v_hat) + eps); defaults lr 0.001, b1 0.9, b2 0.999, eps 1e-8.", 3, 5),
    ("adam-swapped-betas", ADAM, "m and v are moving averages of the gradient and its square, bias-corrected, and the "
     "step is lr * m_hat / (sqrt(v_hat) + eps); defaults lr 0.001, beta1 0.999, beta2 0.9, eps 1e-8.", 0, 1),
    ("gibberish", DROPOUT, "asdf qwer zxcv uiop hjkl", 0, 1),
    ("off-topic", DROPOUT, "k-means assigns every point to its nearest centroid and then moves each centroid.", 0, 1),
    ("keyword-list", DROPOUT, "thinned network, co-adaptation, ensemble, overfitting", 0, 2),
    ("empty", DROPOUT, "", 0, 0),
    ("question-echo", DROPOUT, DROPOUT, 0, 0),
    # dev tune, graded 1: replay is what makes DQN off-policy
    ("replay-on-policy-wrong", REPLAY, "Experience replay keeps DQN on-policy: the agent replays samples from its "
     "current policy so that the training data always matches the policy being learned, which is what makes "
     "Q-learning converge.", 0, 1),
    # dev tune, graded 1: k-means is unsupervised clustering (this describes k-NN)
    ("kmeans-supervised-zh", KMEANS_ZH, "k-means 是一种有监督的分类算法：对一个新样本，找训练集中离它最近的 k 个样本，"
     "按它们的标签投票决定类别，k 一般取奇数。", 0, 1),
    ("anchors-fluent-wrong", ANCHORS, "Every anchor is labelled positive and the RPN samples 20,000 anchors per image "
     "with no negatives, so the loss sees only objects.", 0, 1),
    # typed in a hurry (written for the typing-slip rule, spelling.py): graded like the answer without slips
    ("dropout-right-with-slips", DROPOUT, SLIPPED_DROPOUT, 4, 5),
    ("another-question", DROPOUT, "Batch normalization normalises each feature with the mini-batch mean and "
     "variance, then scales and shifts it with a learnable gamma and beta.", 0, 1),
    # fluent answers that exchange the two sides a question compares (found in a browser walk-through)
    ("a3c-dqn-swapped", A3C_DQN, "A3C stores transitions in a big replay memory and trains on a GPU, while DQN runs "
     "many actor-learner threads on a multi-core CPU without any replay.", 0, 1),
    ("a3c-dqn-right", A3C_DQN, "DQN keeps a large replay memory and usually trains on a GPU; A3C runs 16 actor-learner "
     "threads on a multi-core CPU instead, with no replay, so it can be on-policy but cannot reuse samples.", 3, 5),
    ("gini-entropy-swapped", GINI, "Entropy is one minus the sum of squared class probabilities, the chance two random "
     "samples disagree, while Gini impurity is minus the sum of p log p and its drop is the information gain. They "
     "usually pick the same splits; entropy is cheaper because it avoids logarithms.", 0, 1),
    ("gini-entropy-right", GINI, "Gini is 1 - sum p^2, the probability two random draws have different labels; entropy "
     "is -sum p log p and its decrease is information gain. Both give nearly the same splits, Gini is a bit cheaper "
     "since it has no log.", 3, 5),
    # sides named in Chinese characters (benchmarks/data/swaps.jsonl, a helper session's answers)
    ("clip-swapped", CLIP, "按范数裁剪把每个梯度分量单独截断到 [−c, c]，所以可能改变更新方向；按值裁剪则在梯度整体范数超过"
     "阈值时把整个向量等比例缩放，方向保持不变。", 0, 1),
    ("clip-right", CLIP, "梯度裁剪用来在梯度爆炸时限制单步更新的幅度。按范数裁剪先算整个梯度的全局范数，超过阈值 c 就把梯度"
     "整体缩放到范数为 c，方向不变；按值裁剪把每个分量单独截断到 [−c, c]，实现简单，但可能改变梯度方向。", 4, 5),
    # one side described as the other, the other left out; and right answers that describe one side only
    ("amsgrad-half-swapped", AMSGRAD, "AMSGrad is Adam with proper weight decay: rather than adding an L2 penalty to "
     "the loss, which the adaptive denominator rescales, it decouples the decay and shrinks the weights directly "
     "after each step.", 0, 1),
    ("adamw-one-side-right", AMSGRAD, "AdamW decouples weight decay from the Adam step and shrinks the weights "
     "directly, so the decay is not divided by the square root of v as an L2 term in the loss would be.", 2, 4),
    ("clip-half-swapped", CLIP, "梯度裁剪防止梯度爆炸。按范数裁剪是把每个分量单独截断到 [−c, c]，所以可能改变梯度的方向。", 0, 1),
    ("clip-one-side-right", CLIP, "梯度裁剪防止梯度爆炸。按范数裁剪在梯度整体范数超过阈值 c 时把整个梯度等比例缩放到范数为 c，方向不变。",
     2, 4),
    # a misconception the card lists, said in other words inside a fluent answer (a helper session's
    # answers, benchmarks/RESULTS.md "Misconceptions said in other words"); and a right answer that rejects one
    ("kfold-loo-misconception", KFOLD, "You split the data into k folds, train on k minus 1 of them and test on the one "
     "left out, rotate through all the folds and average the scores. As for k, leave-one-out is the best choice whenever "
     "you can afford it, because it uses almost all the data for training and gives the lowest-variance estimate.", 0, 1),
    ("kfold-loo-wastes-no-data", KFOLD, "You split the data into k folds, train on k minus 1 of them and test on the one "
     "left out, rotate through all the folds and average the scores. Leave-one-out is always the best choice, since it "
     "wastes no data and gives the lowest-variance estimate.", 0, 1),  # "no data" denies nothing: the main clause says it
    # right answers that deny the leave-one-out misconception in words that repeat it
    ("kfold-people-say-denial", KFOLD, "Train on k-1 folds, test on the held-out fold, rotate and average. People say "
     "leave-one-out is always the best choice because it uses the most data, but that is not true: it needs n fits and "
     "has high variance.", 3, 5),
    ("kfold-might-think-denial", KFOLD, "Train on k-1 folds, test on the held-out fold, rotate and average. You might "
     "think leave-one-out is always the best choice, but it does not have the lowest variance and needs n fits.", 3, 5),
    ("kfold-not-the-best-denial", KFOLD, "Train on k-1 folds, test on the held-out fold, rotate and average. "
     "Leave-one-out uses the most training data, but it is not the best choice: its variance is not the lowest.", 3, 5),
    # a reviewer's right answers (benchmarks/data/denials_review.jsonl, figures_review.jsonl): a concession that
    # repeats the misconception, and a key figure left out beside several true numbers the notes never give
    ("kfold-although-denial", KFOLD, "Split the shuffled data into k folds, train on k-1 of them and score the held-out "
     "fold, rotate so every fold is validated once, and average the k scores. Small k is pessimistic because each model "
     "sees less data. Although leave-one-out uses the most training data and looks like the best choice, it is not "
     "always best: its n fits are costly and its estimate has high variance, so 5 or 10 folds is the usual compromise.",
     4, 5),
    ("fpn-2048-channels-right", "Describe how FPN builds its pyramid on top of a ResNet backbone.",
     "The bottom-up path is the ResNet itself, taking the last residual block of each stage, C2 to C5, at strides 4, 8, "
     "16 and 32. Because these stages have very different widths, for example C5 has 2048 channels in ResNet-50, each is "
     "passed through a 1x1 lateral convolution to a common width before being added element-wise to the 2x "
     "nearest-neighbour upsampled coarser map. A 3x3 conv on each sum reduces aliasing and gives P2 to P5, which all "
     "share one head.", 3, 5),
    # listed misconceptions said in other words, with half their own words and the sentence no nearer a reference
    # sentence (benchmarks/data/blind9.jsonl, caught after it was measured blind)
    ("clip-temperature-sharper", "What role does the learned temperature play in CLIP's loss, and what goes wrong if it "
     "is badly set?", "Cosine similarities only range from −1 to 1, so CLIP divides them by a temperature τ to get "
     "usable logits, and it learns τ as a log-parameterised scalar rather than leaving it as a fixed constant. A higher "
     "temperature makes the softmax over the similarities sharper, so the loss concentrates on the hardest negatives, "
     "while a lower temperature flattens it and learning slows.", 0, 1),
    ("svd-conv-layers", "How does truncated SVD speed up Fast R-CNN at test time, and what does it cost?",
     "Truncated SVD targets the convolutional layers, which dominate Fast R-CNN's per-RoI computation: each large "
     "weight matrix W is approximated by its top t singular values and split into two smaller layers with no "
     "nonlinearity between them. That reduces detection time by more than 30% for a drop of only about 0.3 mAP.", 0, 1),
    # a Chinese denial of a misconception that is itself negated ("所以不需要做特征标准化"): benchmarks/data/blind9b.jsonl
    ("kmeans-euclid-denial-zh", "k-means计算距离应该计算什么距离", "标准 k-means 应该用（平方）欧氏距离。因为更新步把每个中心"
     "设成所属点的均值，而均值恰好是使到各点平方欧氏距离之和最小的点，这样分配步和更新步优化的是同一个目标，算法才保证收敛。"
     "另外要注意，欧氏距离并不会自动平等对待各个特征，取值范围大的特征会主导距离，所以事先一定要做标准化。", 3, 5),
    # a reviewer's answers (benchmarks/data/trip_review.jsonl): both directions in one sentence, and an
    # "as you would expect" that sets up nothing
    ("distill-both-directions-right", "What is the role of the temperature T in distillation, and why is the "
     "soft-target loss multiplied by T²?", "A lower temperature makes the softmax sharper and closer to one-hot, "
     "while a higher one softens it and exposes the dark knowledge.", 2, 5),
    ("bn-as-you-would-expect", "预测阶段BN怎么产生作用", "As you would expect, at inference BN still computes the mean "
     "and variance of the current test batch, not a stored average.", 0, 1),
    ("sigmoid-tanh-misconception", SIGMOID, "The derivative sigma(x)(1 - sigma(x)) maxes out at 0.25, so n layers multiply "
     "the gradient by at most 0.25^n, roughly 1e-6 after ten layers. Tanh doesn't help here since its maximum derivative "
     "is also 0.25; you need ReLU, whose derivative is 1 for positive inputs.", 0, 1),
    ("ssd-random-negatives", SSD, "Because most default boxes are background, the loss would be swamped by negatives. So "
     "SSD subsamples the negatives at random to keep a 3:1 negative-to-positive ratio.", 0, 1),
    ("kmeans-rejects-misconception", KMEANS_INIT, "不是说无论初始质心怎么选都会收敛到同一个结果，恰恰相反，k-means 对初始值挺敏感。"
     "它的目标非凸，Lloyd 迭代只能到达附近的局部最优，起点不同，划分和 SSE 都会不同。所以通常用 k-means++ 让初始中心彼此分散，再多次重启取 SSE "
     "最小的解。", 4, 5),
    # a Chinese negation of something beside the misconception does not deny it (benchmarks/data/trip_review.jsonl)
    ("zh-dropout-test-time-no-scaling", "Dropout 在训练阶段做了什么？为什么它能缓解过拟合？",
     "测试时 dropout 也随机丢弃单元，以此对预测做平均，不用额外缩放。", 0, 1),
    # listed misconceptions said with three of their own words but barely nearer to them than to the
    # notes, or said so closely that no word is needed (benchmarks/data/misconceptions.jsonl)
    ("nms-lower-keeps-more", "NMS 的 IoU 阈值该如何选？为什么 RPN 和最终检测器用的阈值不同？",
     "阈值越低，留下的重叠框就越多，重复检测也越多；阈值高了又会把靠得很近的不同物体一起抑制掉，所以最终检测一般取 0.3 到 0.5 "
     "之间。RPN 用的是比较宽松的 0.7，只去掉几乎完全重合的候选框，后面还有检测头再筛一遍。", 0, 1),
    ("softmax-mse-convex", "为什么训练 softmax 分类器时用交叉熵而不是均方误差？",
     "主要是梯度的原因：交叉熵对 logits 的梯度是 p − y，错得越厉害梯度越大，而 MSE 的梯度要经过 softmax 的雅可比，饱和时会变得很小。"
     "虽然 softmax 后接 MSE 对权重是凸的、交叉熵反而不是，但交叉熵的梯度性质更好，实际训练更快。", 0, 1),
    ("forest-subset-per-tree", "Why does a random forest sample a random subset of features at each split instead of only "
     "bagging trees on bootstrap samples?",
     "The point is to decorrelate the trees. With plain bagging they all look alike because the strongest feature ends up "
     "at the top of every tree. So a random forest gives each tree its own random subset of the features, picked once when "
     "the tree is created, and the tree does all its splits using only those features. The trees then disagree more and "
     "averaging them reduces variance more.", 0, 1),
    # a key figure given wrong, and right answers with extra numbers the notes do not give
    # (benchmarks/data/numbers.jsonl, a helper session's answers)
    ("anchors-iou-0.5", ANCHORS,
     "Positives are anchors with IoU above 0.5 with a ground-truth box, plus the highest-IoU anchor for "
     "each box so every object gets one. Negatives have IoU below 0.3 with all boxes, and everything else "
     "is ignored. They sample 256 anchors per image with a ratio of up to 1:1.", 0, 1),
    ("mae-15-percent", MAE,
     "You split the image into patches and drop a random 15% of them. The ViT encoder only processes the "
     "visible patches, then a lightweight decoder gets those encodings plus a learned mask token at each "
     "missing position, with position embeddings, and predicts the pixels of the patches. After "
     "pretraining you discard the decoder and fine-tune or linearly probe the encoder on full images.", 0, 1),
    ("bottleneck-4x", BOTTLENECK,
     "The direct 3x3 conv at 256 channels has 589,824 weights. If you squeeze to 64 channels with a 1x1, "
     "do the 3x3 there and expand back with another 1x1, you end up with about 69.6K weights, so roughly a"
     " 4x saving. The fire module in SqueezeNet is the same idea: squeeze with 1x1 filters, then expand "
     "with a mix of 1x1 and 3x3.", 0, 1),
    ("anchors-extra-numbers", ANCHORS,
     "IoU > 0.7 with any ground truth, or the best anchor for a given box, makes a positive; IoU < 0.3 "
     "with all boxes makes a negative; the rest are ignored. A mini-batch is 256 anchors from one image, "
     "so at most 128 positives. On a 1000x600 image there are about 60 x 40 x 9 = 21,600 anchors, around "
     "6,000 after dropping cross-boundary ones, so each mini-batch only looks at roughly 4% of the usable "
     "anchors.", 4, 5),
    ("mae-extra-numbers", MAE,
     "The image is cut into patches and 75% of them are removed at random. For a 224x224 image with 16x16 "
     "patches that's 196 patches, so only 49 visible patches go through the encoder and 147 are masked. A "
     "light decoder takes the encoded visible patches plus a shared mask token at every removed position, "
     "adds position embeddings, and regresses the pixel values. After pretraining the decoder is dropped "
     "and the encoder is used on whole, unmasked images.", 4, 5),
    ("bottleneck-extra-numbers", BOTTLENECK,
     "Plain 3x3 conv, 256 in and 256 out: 589,824 weights. Bottleneck: 256*64 + 9*64*64 + 64*256 = 16,384 "
     "+ 36,864 + 16,384 = 69,632, about 8.5x less. On a 56x56 feature map that's the difference between "
     "roughly 1.85 billion multiply-adds (589,824 x 3136) and about 218 million (69,632 x 3136). "
     "SqueezeNet's fire module is built on this idea too: 1x1 squeeze filters cut the channel count before"
     " the 3x3 filters, and part of the expand layer is 1x1 so it needs no spatial filtering at all. If "
     "you squeeze too hard, though, you lose accuracy.", 4, 5),
    # right answers that write a figure another way or sit near a misconception with no words of its
    # own (a review helper's cases): nothing may cap them
    ("l1-l2-swap-misconception-right", "Compare L1 and L2 penalties in logistic regression: what does each do to the weights, and what does the parameter C mean in scikit-learn?",
     "An L1 penalty sets the weights of irrelevant features exactly to zero, giving sparse models; an L2 "
     "penalty only shrinks them towards zero. In scikit-learn you pick it with penalty='l1' or 'l2' and C "
     "is the inverse strength.", 3, 5),
    ("simclr-16,382-negatives", "Why does SimCLR train with batches as large as 8192, and what does that scale require?",
     "Every other image in the batch is a negative, so with N = 8192 each positive pair is contrasted "
     "against 2(N-1) = 16,382 negatives; more negatives make the task harder and the representation "
     "better. That batch size needs LARS and training across 128 TPU cores with global BatchNorm.", 3, 5),
    ("mae-0.75-fraction", "How does a masked autoencoder pretrain a Vision Transformer, and which part of the model is kept afterwards?",
     "You split the image into patches and mask a 0.75 fraction of them at random. The ViT encoder sees "
     "only the visible patches, a light decoder adds mask tokens and reconstructs the missing pixels of "
     "the masked patches, and afterwards the decoder is discarded and the encoder is kept.", 3, 5),
    ("dcgan-2x10^-4", "Which optimizer settings did DCGAN train with, and why did the authors lower Adam's β1 from its default?",
     "They used Adam with a learning rate of 2 × 10^-4 instead of 10^-3, and lowered β1 from 0.9 to 0.5 "
     "because 0.9 made training oscillate and unstable; weights were initialised from a normal with "
     "standard deviation 0.02, batch size 128.", 3, 5),
    # right answers a capping cue took for wrong ones: the sides named the other way round from a
    # misconception in the notes' own words (the swap set), "About 12,800" read as a setting named
    # "About" (the numbers set)
    ("clip-mixed-right", "How does gradient clipping work, and what is the difference between clipping by norm and clipping by "
     "value?",
     "Both norm and value clipping cap the update when gradients explode, but only norm clipping preserves "
     "the gradient's direction, while value clipping clamps each coordinate separately and can change it. "
     "Neither of them does anything about vanishing gradients.", 3, 5),
    # both sides in one sentence, joined by ", and" (noticed in session 12: the swap was band 3)
    ("clip-swapped-one-sentence", CLIP_EN, "Clipping by value rescales the whole gradient vector so its norm is at "
     "most c, keeping its direction, and clipping by norm clamps each element into [-c, c], which can change the "
     "direction.", 0, 1),
    ("clip-right-one-sentence", CLIP_EN, "Clipping by norm rescales the whole gradient vector so its norm is at "
     "most c, keeping its direction, and clipping by value clamps each element into [-c, c], which can change the "
     "direction.", 3, 5),
    ("nas-about-12,800-right", "How much compute did the original NAS use, and what did it achieve on CIFAR-10 and Penn Treebank?",
     "The search ran 100 controller replicas with 8 child replicas each, so 800 child networks on 800 GPUs "
     "at any time. About 12,800 architectures were trained on CIFAR-10, each for 50 epochs, which is "
     "roughly 640,000 child-training epochs, or 16 rounds of all 800 GPUs. The best network got 3.65% test "
     "error, and on Penn Treebank the found cell reached 62.4 test perplexity.", 4, 5),
    # right answers a review helper wrote to trip this session's rules (the other direction, the other
    # count, a side named by a common word, "requires no"): none may be capped
    ("alexnet-abbreviated-right", "How is AlexNet laid out, and where do most of its 60 million parameters sit?",
     "AlexNet has five conv layers followed by three fully-connected layers. Most of the 60 million "
     "parameters sit in the FC layers, above all the first one.", 3, 5),
    ("knn-smaller-k-right", "How does the choice of k in k-nearest neighbours move a model along the bias-variance trade-off?",
     "A smaller k makes k-NN more flexible, so it lowers bias and raises variance; with k = 1 it memorises "
     "the training set. A larger k smooths the decision boundary, lowering variance but raising bias. Pick "
     "k by cross-validation.", 3, 5),
    ("nms-higher-keeps-more-right", "NMS 的 IoU 阈值该如何选？为什么 RPN 和最终检测器用的阈值不同？",
     "阈值越高，保留的重叠框越多，重复检测也越多；阈值太低又会误删密集人群里重叠的真实物体，召回下降。RPN 用宽松的 0.7，只去掉几乎重合的候选框。", 4, 5),
    ("c-larger-weaker-right", "Compare L1 and L2 penalties in logistic regression: what does each do to the weights, and what does "
     "the parameter C mean in scikit-learn?",
     "L2 把权重平滑地压向零，L1 让很多权重恰好为零，起到特征选择作用。scikit-learn 中 C 越大，正则化越弱，因为 C 是正则化强度的倒数。", 4, 5),
    ("pe-learned-512-right", "Compare learned absolute position embeddings with fixed sinusoidal ones: which works better?",
     "In the Transformer paper, learned and sinusoidal encodings gave nearly identical BLEU. Learned "
     "embeddings have one row per position up to a maximum length, 512 in BERT, so longer inputs cannot be "
     "handled. Sinusoids are defined for any position but in practice do not extrapolate well either, "
     "which is why RoPE and ALiBi took over.", 4, 5),
    ("sgd-bottou-right", "In theory batch gradient descent converges faster than SGD. Why is SGD still the better choice for "
     "large-scale learning?",
     "Batch gradient descent needs fewer iterations, but every SGD step costs one example instead of the "
     "whole dataset. As Bottou and Bousquet argue, with SGD driving the training loss further down buys "
     "little. The generalization error cannot drop below O(1/k) anyway, so measured as computation to "
     "reach a given test error, SGD wins on large redundant datasets.", 4, 5),
    ("nin-requires-no-fc-right", "How does global average pooling work as NIN's classifier, and why does it overfit less than fully "
     "connected layers?",
     "The last mlpconv layer outputs one feature map per class and each map is averaged over space. NIN "
     "requires no fully connected layers after global average pooling: the averaged maps go straight into "
     "softmax to produce the class scores. Having no parameters, this cannot overfit.", 4, 5),
    # right answers that leave the key figure out and count the same thing otherwise (a rule tried in session 9)
    ("anchors-nine-per-position-right", ANCHORS, "An anchor is positive above 0.7 IoU or as the best match for a box, "
     "negative below 0.3, ignored in between. Faster R-CNN places 9 anchors at every position. Each mini-batch samples "
     "positives and negatives 1:1 from one image.", 3, 5),
    ("anchors-of-20000-right", ANCHORS, "Positives are anchors over 0.7 IoU, negatives under 0.3. Of the roughly 20,000 "
     "anchors in an image, the cross-boundary ones are ignored, leaving about 6,000 anchors, and mini-batches sample "
     "positives and negatives up to 1:1.", 3, 5),
    ("kfold-ten-folds-right", KFOLD, "Split into k folds, train on all but one fold and test on it, rotate over the 10 "
     "folds and average the scores; 5 or 10 folds are common, leave-one-out is costly and noisy.", 3, 5),
    ("zh-answer-en-card", DROPOUT, "训练时 dropout 以一定概率随机把隐藏单元置零，每次训练的是不同的子网络；神经元不能依赖"
     "特定的其他神经元，减少共适应；测试时完整网络相当于对大量子网络取平均，是一种集成，所以能减轻过拟合。", 4, 5),
    # a terse right answer (from the Chinese tune answers, people 5 and 5) that shares with the
    # misconception "MAE 是高斯噪声假设下的最大似然损失" only the one word 假设下, two overlapping bigrams
    ("zh-mae-terse-right", MAE_ZH, "学到的是条件中位数；MAE 相当于拉普拉斯噪声假设下的最大似然。", 3, 5),
    # a misconception said in one clause of a long sentence (the whole sentence sat at cosine 0.46
    # to it in a blind answer, the clause at 0.81), beside the right account in the same form
    ("nasnet-shared-weights-in-a-clause", NASNET, "NASNet searches for a small convolutional cell on CIFAR-10 instead of "
     "a whole network; for ImageNet the cell is stacked many times, and all the stacked copies share one set of "
     "weights, which keeps the big model compact.", 0, 1),
    ("nasnet-own-weights-right", NASNET, "NASNet searches for a normal cell and a reduction cell on CIFAR-10 rather "
     "than a whole network, and since a cell does not depend on the image size, the ImageNet model just stacks more "
     "copies of the same cells, each copy with its own weights.", 3, 5),
    # every word of the misconception's own said, at cosine 0.56 (a blind answer, benchmarks/data/blind14.jsonl)
    ("fps-meta-controller", FPS, "Which of the two is in control at each step is decided by a separate high-level "
     "meta-controller, itself trained with reinforcement learning to choose between them.", 0, 1),
    # a misconception's words said of what the answer sets apart ("unlike …") are not said of the subject
    ("xgboost-unlike-right", XGBOOST, "XGBoost adds a penalty on the number of leaves and an L2 term on leaf weights, "
     "fits each tree with a second-order Taylor expansion of the loss, and unlike implementations that require "
     "missing values to be imputed before training, it learns a default direction for them at every split.", 3, 5),
    # found by a review of the change: the words said of what "rather than" / "instead of" sets
    # apart, or asked in a question, are not said; a belief "many people" hold is still stated
    ("xgboost-instead-of-right", XGBOOST, "XGBoost adds a penalty on the number of leaves and an L2 term on leaf "
     "weights and fits each tree with a second-order Taylor expansion. Instead of requiring missing values to be "
     "imputed before training, it learns a default direction at every split.", 3, 5),
    ("xgboost-question-right", XGBOOST, "XGBoost adds a penalty on the number of leaves and an L2 term on leaf "
     "weights and fits each tree with a second-order Taylor expansion. Does it require missing values to be imputed "
     "before training? No, it learns a default direction for them at every split.", 3, 5),
    ("nasnet-many-people-say-wrong", NASNET, "NASNet searches a small cell on CIFAR-10 and stacks it for ImageNet. All "
     "the stacked copies share one set of weights, as many people say. However, the cell itself transfers across "
     "datasets.", 0, 1),
    # the misconception is the notes' words the other way round: a right clause says them too
    ("huber-right-in-a-clause", HUBER, "The Huber loss is quadratic for small residuals and linear for large ones, so "
     "far from the target its gradient is capped at delta and a few outliers cannot dominate the fit.", 3, 5),
]
KNOWN_WRONG = {
    "gap-short-right": "a one-line right answer shares few words with a long reference: still band 1-2",
    "1x1-short-right": "a one-line right answer shares few words with a long reference: still band 1-2",
    "replay-on-policy-wrong": "loosely aligned, a flip needs the nearest word before each side to be the question's; "
                              "the reference's off-policy follows 'needs' (a looser subject capped right answers)",
    "anchors-fluent-wrong": "no cue fires: the notes give 20,000 (of all anchors), and a rule that took any other "
                            "number of anchors for a wrong '256 anchors' capped right answers (benchmarks/RESULTS.md)",
}


@pytest.mark.parametrize("case", [pytest.param(c, id=c[0], marks=pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[c[0]]))
                                  if c[0] in KNOWN_WRONG else pytest.param(c, id=c[0]) for c in CASES])
def test_band_range(grader, corpus_bank, case):
    name, question, answer, low, high = case
    r = grader.grade(card(corpus_bank, question), answer)
    assert low <= r.band <= high, (r.score, r.band, r.signals, r.contradictions)


def _le_rows():
    with open(FIXTURES / "le_zh_rows.tsv", encoding="utf-8", newline="") as f:
        return [r for r in csv.reader(f, delimiter="\t")]


def test_real_chinese_answers_keep_their_order(grader):
    """LE question 61: the human order 退货 (0) < 进货 (0.2) < five steps (0.6) holds, and 退货 is not praised."""
    rows = _le_rows()
    reference = rows[0][1]
    c = Card(card_id("custom", "qa", reference), "custom", "custom", "qa", "配送作业流程是什么？", reference, (), "zh")
    got = {r[2]: grader.grade(c, r[2]) for r in rows}
    assert got["退货。"].band <= 1
    assert got["退货。"].score < got["配送作业流程包括进货。"].score < got["顾客下单；订单处理；拣货；配货；配装；配送"].score


def _saf_rows():
    with open(FIXTURES / "saf_en_rows.tsv", encoding="utf-8", newline="") as f:
        return [r for r in csv.reader(f, delimiter="\t")]


def test_a_real_answer_that_flips_the_direction_is_capped_and_right_ones_are_not(grader):
    """SAF question 4.1: 'The collision Domain Diameter will be increased' (graded 0) sat under the
    alignment the direction cue needs to 'Diameter decreases by a factor of 10' and scored 69."""
    rows = _saf_rows()
    question, reference = rows[0][1], rows[0][2]
    c = Card(card_id("custom", "qa", reference), "custom", "custom", "qa", question, reference, (), "en")
    for _, _, _, answer, human in rows:
        r = grader.grade(c, answer)
        flips = [k for k in r.contradictions if k.kind == "direction"]
        if float(human) == 0:
            assert r.band <= 1 and flips[0].detail == "increase vs decrease", (r.score, r.contradictions)
        else:
            assert not flips and r.band >= 3, (answer, r.score, r.contradictions)


def test_feedback_counts_what_was_said_in_other_words(grader, corpus_bank):
    c = card(corpus_bank, BN_PARAMS)
    r = grader.grade(c, "Each channel has a learnable gamma and beta, so 2C trainable parameters, plus the stored "
                        "running mean and running variance, 4C numbers in all.")
    assert not any(m.term in ("trainable parameters", "running mean", "running variance") for m in r.missed), r.missed
    # the issue's own wording: "stored mean and variance" had coverage 0
    r = grader.grade(c, "Each channel has learnable gamma and beta, so 2C; the stored mean and variance add 2C more "
                        "that are not learned.")
    assert {"per channel", "running mean", "running variance"} <= set(r.covered), (r.covered, r.missed)


def test_a_key_term_typed_with_a_slip_is_covered(grader, corpus_bank):
    r = grader.grade(card(corpus_bank, DROPOUT), SLIPPED_DROPOUT)
    written = grader.grade(card(corpus_bank, DROPOUT), SLIPPED_DROPOUT.replace("ensamble", "ensemble"))
    assert "ensemble" in r.covered and "ensemble" not in [m.term for m in r.missed]
    assert r.score == written.score
    assert "Typing slips read as meant: trainig → training, dropuot → dropout, hiden → hidden (+6)." in r.notices
    zh = grader.grade(card(corpus_bank, DROPOUT), SLIPPED_DROPOUT, lang="zh")
    assert "拼写笔误已按原意理解：trainig → training；dropuot → dropout；hiden → hidden (+6)。" in zh.notices


def test_key_terms_named_by_the_question_earn_nothing_and_are_never_hints(grader, corpus_bank):
    from dataclasses import replace

    from interviewer.bank import Keyword

    # the shipped bank has no such term any more (`interviewer check` refuses one); a teacher's
    # rubric or the user's own notes may still name one
    c = card(corpus_bank, GAP)
    echo = replace(c, id=c.id + "-rubric", keywords=c.keywords + (Keyword("global average pooling"),))
    refs = grader.reference(echo)
    assert "global average pooling" not in [k.name for k in refs.keywords]
    assert len(refs.keywords) == len(c.keywords)
    r = grader.grade(echo, "It averages.")
    assert "global average pooling" not in [m.term for m in r.missed]


def test_every_confidence_below_one_says_why(grader, corpus_bank):
    c = card(corpus_bank, DROPOUT)
    graded = [grader.grade(c, a) for a in ("Dropout zeroes random units so the net cannot co-adapt.",
                                            "随机丢弃神经元。", "asdf")]
    graded += [grader.grade(card(corpus_bank, q), a) for _, q, a, _, _ in CASES]
    assert any(r.confidence < 1 for r in graded)
    for r in graded:
        assert 0.0 <= r.confidence <= 1.0
        assert r.confidence == 1.0 or r.doubts, (r.question, r.score, r.confidence)


def test_chinese_answers_get_chinese_feedback(grader, corpus_bank):
    c = card(corpus_bank, DROPOUT)
    r = grader.grade(c, "随机丢弃神经元，减少过拟合。")
    md = render_markdown(r)
    assert md.startswith(f"**得分：{r.score}/100**") and "下一步" in md


def test_chinese_answer_to_an_english_reference_without_a_twin(grader):
    """A teacher's English reference, no Chinese version: a complete Chinese answer is not failed."""
    ref = ("Dropout randomly zeroes hidden units during training with some probability, so each step trains a "
           "different thinned sub-network; units cannot co-adapt, and at test time the full network approximates "
           "averaging an ensemble of these sub-networks, which reduces overfitting.")
    c = Card(card_id("custom", "qa", ref), "custom", "custom", "qa", DROPOUT, ref, (), "en")
    good = grader.grade(c, "训练时 dropout 以一定概率随机把隐藏单元置零，每次训练的是不同的子网络；神经元不能依赖特定的"
                           "其他神经元，减少共适应；测试时完整网络相当于对大量子网络取平均，是一种集成，所以能减轻过拟合。")
    off = grader.grade(c, "k-means 把每个点分到最近的聚类中心，再把中心更新为类内均值。")
    assert good.band >= 4 and good.lexical is None
    assert "跨语言评分，只依据语义" in doubt_line(good)  # the doubts speak the answer's language
    assert off.score < good.score - 40


DROPOUT_REFERENCE = ("During training, dropout sets each hidden unit to zero with some probability, so every "
                     "mini-batch trains a different thinned sub-network. Units cannot rely on particular other "
                     "units, which reduces co-adaptation. At test time the full network approximates averaging "
                     "the many thinned networks, an ensemble, which reduces overfitting.")


@pytest.mark.parametrize("answer, low, high", [
    ("训练时 dropout 以一定概率随机把隐藏单元置零，每个 mini-batch 实际训练的是不同的子网络。神经元无法依赖特定的其他"
     "神经元，减少了共适应；测试时完整网络相当于对大量子网络取平均，是一种廉价的集成，所以能减轻过拟合。", 4, 5),
    ("k-means 把每个点分到最近的聚类中心，再把中心更新为类内均值，反复迭代直到不变。", 0, 1),
], ids=["complete", "off-topic"])
def test_a_chinese_answer_to_an_english_reference_column(grader, answer, low, high):
    """A batch file's English reference, no Chinese version: graded on meaning, with the key
    terms (English words of the reference) neither credited nor listed as missed."""
    c = Card(card_id("custom", "qa", DROPOUT_REFERENCE), "custom", "custom", "qa", DROPOUT, DROPOUT_REFERENCE, (), "en")
    r = grader.grade(c, answer)
    assert low <= r.band <= high, (r.score, r.signals)
    assert (r.coverage, r.missed, r.covered) == (None, (), ())
    assert "未检查关键词：参考答案与你的回答不是同一种语言，只按语义评分。" in r.notices
    assert "关键词 -" in render_markdown(r)


def test_a_terse_answer_graded_low_is_less_sure_and_says_why(grader, corpus_bank):
    # the grader cannot tell a terse right answer from a thin one: it says so instead of being sure
    r = grader.grade(card(corpus_bank, ONE_BY_ONE), "They are used to reduce dimensionality so the computation is cheaper.")
    assert r.band <= 2 and r.confidence <= 0.75
    assert Doubt("doubt-terse") in r.doubts
    assert "the answer is shorter than the reference answer, so there is less to grade it on" in doubt_line(r)
    full = grader.grade(card(corpus_bank, BN_INF), CASES[1][2])
    assert Doubt("doubt-terse") not in full.doubts


def test_a_misconception_under_the_cap_is_not_less_sure_for_its_band_edge(grader, corpus_bank):
    # the cue sets the band whether or not the score was above the cap: 29 (edge 30) was "not sure"
    # for being near an edge and in the middle bands, where 31 capped to 29 was not
    r = grader.grade(card(corpus_bank, BN_INF), CASES[0][2])
    assert [c.kind for c in r.contradictions] == ["misconception"] and r.band == 1
    assert Doubt("doubt-edge") not in r.doubts and Doubt("doubt-middle") not in r.doubts
    assert not r.unsure and "a contradiction cue (misconception) fired" in doubt_line(r)


def test_an_answer_to_another_question_is_told_which(grader, corpus_bank):
    r = grader.grade(card(corpus_bank, DROPOUT), CASES[[c[0] for c in CASES].index("another-question")][2])
    assert ("This reads more like an answer to another question: “What problem was batch normalization designed "
            "to solve, and what does the BN transform compute during training?”") in r.notices


def test_the_banks_own_answers_are_graded_as_right(grader, corpus_bank):
    """Every card's reference answer and core line, graded as an answer to it. A cue that caps
    one of them would cap a candidate who says exactly what the notes say; a core line below
    band 3 breaks the promise that one line stating the core is at least "fair" (the LSTM
    card's core once said "gates f, i, o" and scored 42, band 2). (The twins' answers too were
    checked once, 3,870 texts in all, none capped; left out here for time.)"""
    qa = [c for c in corpus_bank.cards if c.kind == "qa"]
    items = [(c, c.answer) for c in qa] + [(c, c.core) for c in qa if c.core]
    results = grader.grade_many(items, evidence=False)
    capped = [(c.question, r.contradictions) for (c, _), r in zip(items, results)
              if any(x.kind in grader.weights.capping_cues for x in r.contradictions)]
    low = [(c.question, text, r.score) for (c, text), r in zip(items, results)
           if r.band < (5 if text == c.answer else 3)]
    assert len(items) > 2000 and capped == [] and low == []


@pytest.mark.parametrize("answer", [
    "AlexNet has five convolutional layers followed by three fully connected layers.",
    "AlexNet has five convolutional layers followed by three fully connected layers, and most of the 60 million "
    "parameters are in the fully connected layers.",
])
def test_counting_a_thing_as_the_notes_do_is_not_the_misconception_that_swaps_the_counts(grader, corpus_bank, answer):
    """The *Wrong* line "three convolutional layers followed by five fully connected layers" has no
    word the notes lack; the right layout sat at cosine 0.93 to it and was capped. The second answer
    is as near the other *Wrong* line (most parameters in the convolutional layers), which has one
    word of its own: too few for nearness alone to say it."""
    c = card(corpus_bank, "How is AlexNet laid out, and where do most of its 60 million parameters sit?")
    assert [x.kind for x in grader.grade(c, answer).contradictions] == []


def test_a_misconception_is_answered_with_the_cards_core_line(grader, corpus_bank):
    """What the notes say instead is the whole right answer in one line, in the answer's language;
    the reference sentence nearest the answer was about zoom-out augmentation."""
    c = card(corpus_bank, "On which objects does SSD do worst, why, and what helps?")
    r = grader.grade(c, "SSD does worst on large objects, because even its biggest default boxes only cover about a "
                        "fifth of the image.")
    assert [(x.kind, x.detail) for x in r.contradictions] == [("misconception", c.core)]
    assert r.band <= 1
