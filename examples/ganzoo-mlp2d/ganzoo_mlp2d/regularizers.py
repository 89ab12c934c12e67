"""This plugin's own regularizer, registered through ``register_regularizers``.

It needs no ``keras.saving.register_keras_serializable``: ganzoo saves it as
its registry name and config and finds the class through the registry.
"""

from keras import ops

from ganzoo.regularizers import DISCRIMINATOR, Regularizer


class LogitPenalty(Regularizer):
    """E[D(x)^2 + D(G(z))^2]: keeps the discriminator's logits near zero.

    Without it an unconstrained D on separable 2-D data can drive its logits
    without bound; ProGAN's drift term does the same for real logits only.
    """

    name = "mlp2d_logit_penalty"
    target = DISCRIMINATOR
    default_weight = 1e-3

    def __call__(self, ctx):
        real = ops.cast(ctx.real_logits, "float32")
        fake = ops.cast(ctx.fake_logits, "float32")
        return ops.mean(ops.square(real)) + ops.mean(ops.square(fake))
