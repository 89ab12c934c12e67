"""Classifier-based conditionings of D: ACGAN, ContraGAN, ReACGAN, and their
twin (TAC) and discriminative (ADC) forms.

The head is an adversarial dense logit plus a classifier on D's pooled
features ``h``, scored by one of three criteria:

- ``"ce"``: class logits ``W h`` (no bias) and cross-entropy (ACGAN, Odena
  et al. 2017, as PyTorch-StudioGAN's ``AC``: D classifies the reals only);
- ``"2c"``: the conditional contrastive loss of ContraGAN (Kang & Park
  2020) between the embedding ``e = normalize(W h + b)``, the class proxy
  ``p = normalize(embed(y))`` and the other samples of the batch;
- ``"d2dce"``: ReACGAN's data-to-data cross-entropy (Kang et al. 2021) with
  margins ``m_p`` and ``1 - m_p``.

``aux`` adds a second classifier:

- ``"tac"`` (TACGAN, Gong et al. 2019): a twin classifier trained on the
  fakes; G minimises the main classifier's loss on the fakes and maximises
  the twin's;
- ``"adc"`` (ADCGAN, Hou et al. 2022): one classifier over 2K classes, a
  real and a fake one per class (2y for reals, 2y + 1 for fakes); D learns
  both, G pulls its fakes to 2y and away from 2y + 1.

D's term is ``weight * L(real)`` (+ ``tac_d_weight * L_twin(fake)`` or
``weight * L_fake(fake)``), G's is ``weight * L(fake)`` (- ``tac_g_weight *
L_twin(fake)`` or ``- weight * L_fake(fake)``).
"""

from __future__ import annotations

import dataclasses

from keras import ops

from ganzoo.conditioning.head import Conditioning

CRITERIA = ("ce", "2c", "d2dce")
AUX = ("none", "tac", "adc")
MASKED = -1e30  # a finite -inf for masked logits


def _f32(x):
    return ops.cast(x, "float32")


def _normalize(x):
    """x / max(||x||, 1e-12), with a finite gradient at x = 0 (a D whose ReLU
    features are all 0 for a sample embeds it at the bias, which may be 0;
    sqrt's gradient there would make the step's gradients NaN)."""
    x = _f32(x)
    return x * ops.rsqrt(ops.maximum(ops.sum(ops.square(x), axis=-1, keepdims=True), 1e-24))


def cross_entropy(class_logits, labels):
    """Mean cross-entropy of ``class_logits`` (B, K) against int ``labels`` (B,)."""
    logits = _f32(class_logits)
    target = ops.sum(logits * ops.one_hot(labels, ops.shape(logits)[-1]), axis=-1)
    return ops.mean(ops.logsumexp(logits, axis=-1) - target)


def _pairs(labels):
    """(same class and not the diagonal, different class) masks, (B, B) float32."""
    same = ops.cast(ops.equal(labels[:, None], labels[None, :]), "float32")
    off_diagonal = 1.0 - ops.eye(ops.shape(labels)[0])
    return same * off_diagonal, 1.0 - same


def conditional_contrastive(embed, proxy, labels, temperature):
    """ContraGAN's 2C loss (Kang & Park 2020) on normalised ``embed`` and ``proxy``:
    -log((e^{<e_i,p_i>/t} + sum_{j!=i, y_j=y_i} e^{<e_i,e_j>/t})
         / (e^{<e_i,p_i>/t} + sum_{j!=i} e^{<e_i,e_j>/t})), averaged; in log space."""
    labels = ops.reshape(labels, (-1,))
    sim = ops.matmul(embed, ops.transpose(embed)) / temperature
    to_proxy = ops.sum(embed * proxy, axis=-1, keepdims=True) / temperature
    positive, _ = _pairs(labels)
    off_diagonal = 1.0 - ops.eye(ops.shape(labels)[0])
    numerator = ops.logsumexp(ops.concatenate(
        [to_proxy, ops.where(positive > 0, sim, MASKED)], axis=1), axis=1)
    denominator = ops.logsumexp(ops.concatenate(
        [to_proxy, ops.where(off_diagonal > 0, sim, MASKED)], axis=1), axis=1)
    return ops.mean(denominator - numerator)


def data_to_data_cross_entropy(embed, proxy, labels, temperature, m_p):
    """ReACGAN's D2D-CE (Kang et al. 2021) as PyTorch-StudioGAN computes it:
    pos_i = relu((m_p - <e_i,p_i>) / t), s_ij = (<e_i,e_j> + m_p - 1) / t (j != i),
    loss_i = pos_i + log(e^{-pos_i} + sum_{y_j != y_i} e^{relu(s_ij) - max_j s_ij}),
    where the row maximum is a constant (no gradient)."""
    labels = ops.reshape(labels, (-1,))
    sim = (ops.matmul(embed, ops.transpose(embed)) + m_p - 1.0) / temperature
    off_diagonal = 1.0 - ops.eye(ops.shape(labels)[0])
    row_max = ops.stop_gradient(
        ops.max(ops.where(off_diagonal > 0, sim, MASKED), axis=1, keepdims=True))
    _, negative = _pairs(labels)
    repulsion = ops.sum(negative * ops.exp(ops.relu(sim) - row_max), axis=1)
    attraction = ops.relu((m_p - ops.sum(embed * proxy, axis=-1)) / temperature)
    return ops.mean(attraction + ops.log(ops.exp(-attraction) + repulsion))


@dataclasses.dataclass(frozen=True)
class ClassifierConditioning(Conditioning):
    """A classifier head scored by ``criterion`` (ce, 2c, d2dce), with ``aux``
    (none, tac, adc). Defaults: PyTorch-StudioGAN's CIFAR-10 configs."""

    criterion: str = "ce"
    aux: str = "none"
    weight: float = 1.0  # StudioGAN's cond_lambda
    tac_d_weight: float = 1.0  # tac_dis_lambda
    tac_g_weight: float = 1.0  # tac_gen_lambda
    embed_dim: int = 512  # d_embed_dim (2c, d2dce)
    temperature: float = 1.0  # 2c, d2dce
    m_p: float = 0.98  # d2dce's positive margin

    def __post_init__(self):
        if self.criterion not in CRITERIA or self.aux not in AUX:
            raise ValueError(f"criterion must be one of {CRITERIA} and aux one of {AUX}")

    @property
    def has_terms(self):
        return True

    # -- head -------------------------------------------------------------------
    def _classifier(self, head, classes, prefix):
        if self.criterion == "ce":
            head.dense(classes, False, prefix + "classifier")
        else:
            head.dense(self.embed_dim, True, prefix + "embed")
            head.embedding(classes, self.embed_dim, prefix + "proxy")

    def build_head(self, head, features_dim):
        head.dense(1, True, "adversarial")
        doubled = 2 if self.aux == "adc" else 1
        self._classifier(head, doubled * head.num_classes, "")
        if self.aux == "tac":
            self._classifier(head, head.num_classes, "twin_")

    def _classify(self, head, features, labels, prefix, training):
        parts = head.parts
        if self.criterion == "ce":
            return {prefix + "class_logits": parts[prefix + "classifier"](features,
                                                                         training=training)}
        proxy = parts[prefix + "proxy"]
        out = {prefix + "embed": _normalize(parts[prefix + "embed"](features, training=training))}
        if self.aux == "adc" and not prefix:
            out["proxy"] = _normalize(proxy(2 * labels, training=training))
            out["fake_proxy"] = _normalize(proxy(2 * labels + 1, training=training))
        else:
            out[prefix + "proxy"] = _normalize(proxy(labels, training=training))
        return out

    def call_head(self, head, features, labels, training=None):
        out = {"logits": head.parts["adversarial"](features, training=training)}
        out.update(self._classify(head, features, labels, "", training))
        if self.aux == "tac":
            out.update(self._classify(head, features, labels, "twin_", training))
        return out

    # -- losses -----------------------------------------------------------------
    def loss(self, out: dict, labels, prefix: str = "", fake_class: bool = False):
        """The criterion on one batch's outputs; ``fake_class``: ADC's fake classes."""
        if self.criterion == "ce":
            target = labels
            if self.aux == "adc":
                target = 2 * labels + (1 if fake_class else 0)
            return cross_entropy(out[prefix + "class_logits"], target)
        embed = out[prefix + "embed"]
        proxy = out["fake_proxy" if fake_class else prefix + "proxy"]
        if self.criterion == "2c":
            return conditional_contrastive(embed, proxy, labels, self.temperature)
        return data_to_data_cross_entropy(embed, proxy, labels, self.temperature, self.m_p)

    def discriminator_term(self, real, fake, labels):
        term = self.weight * self.loss(real, labels)
        if self.aux == "tac":
            term = term + self.tac_d_weight * self.loss(fake, labels, "twin_")
        elif self.aux == "adc":
            term = term + self.weight * self.loss(fake, labels, fake_class=True)
        return term

    def generator_term(self, fake, labels):
        term = self.weight * self.loss(fake, labels)
        if self.aux == "tac":
            term = term - self.tac_g_weight * self.loss(fake, labels, "twin_")
        elif self.aux == "adc":
            term = term - self.weight * self.loss(fake, labels, fake_class=True)
        return term


def _contrastive(name, criterion, aux="none"):
    if criterion == "2c":  # ContraGAN's configs: cond_lambda 1, temperature 1
        return ClassifierConditioning(name, criterion, aux, temperature=1.0)
    # ReACGAN's: cond_lambda (and TAC's lambdas) 0.5, temperature 0.5, m_p 0.98
    return ClassifierConditioning(name, criterion, aux, weight=0.5, tac_d_weight=0.5,
                                  tac_g_weight=0.5, temperature=0.5)


BUILTIN = (
    ClassifierConditioning("acgan"),
    ClassifierConditioning("tacgan", aux="tac"),
    ClassifierConditioning("adcgan", aux="adc"),
    _contrastive("contragan", "2c"),
    _contrastive("contragan_tac", "2c", "tac"),
    _contrastive("contragan_adc", "2c", "adc"),
    _contrastive("reacgan", "d2dce"),
    _contrastive("reacgan_tac", "d2dce", "tac"),
    _contrastive("reacgan_adc", "d2dce", "adc"),
)
