"""StyleGAN2's own regularizer: path-length regularization (Karras et al. 2020, §3.2).

``PathLengthPenalty``, registered as ``path_length`` by ``plugin.py``'s
``register_regularizers``: its running mean ``pl_mean`` is a variable the
regularizer creates in ``build(gan)``, so it is saved, resumed and threaded
through JAX's stateless step.
"""

from __future__ import annotations

import math

from keras import ops

from ganzoo.errors import GanzooError
from ganzoo.regularizers import GENERATOR, Regularizer


def path_length_statistics(grads, pl_mean, decay):
    """(penalty, new_mean, lengths) from d(sum(G(w) y))/dw of shape (B, num_ws, w_dim).

    ``new_mean`` stays differentiable, as in the reference; store its
    ``stop_gradient``.
    """
    grads = ops.cast(grads, "float32")
    lengths = ops.sqrt(ops.mean(ops.sum(ops.square(grads), axis=2), axis=1))
    pl_mean = ops.cast(pl_mean, "float32")
    new_mean = pl_mean + decay * (ops.mean(lengths) - pl_mean)
    penalty = ops.mean(ops.square(lengths - new_mean))
    return penalty, new_mean, lengths


class PathLengthPenalty(Regularizer):
    """StyleGAN2's path-length regularizer of G (weight 2, interval 4, shrink 2, decay 0.01).

    Needs a style-based GAN (``has_w_space``: ``mapping_forward(z, training,
    labels=...)`` and ``synthesis_forward(ws, training)``, as ``StyleGAN2``);
    a conditional GAN's latents take the first labels of the phase's batch.
    The running mean of the path lengths is its variable ``pl_mean``, created
    in ``build``.
    """

    name = "path_length"
    target = GENERATOR
    default_weight = 2.0

    def __init__(self, weight=None, interval=4, batch_shrink=2, decay=0.01):
        super().__init__(weight, interval)
        if int(batch_shrink) != batch_shrink or batch_shrink < 1:
            raise GanzooError(f"path_length batch_shrink={batch_shrink}: use a whole number >= 1")
        if not 0 < decay <= 1:
            raise GanzooError(f"path_length decay={decay}: use a value in (0, 1]")
        self.batch_shrink = int(batch_shrink)
        self.decay = float(decay)

    def build(self, gan) -> None:
        if not gan.has_w_space:
            raise GanzooError(
                f"the path_length regularizer needs a style-based GAN with a W space; "
                f"{type(gan).__name__} has none: use it with stylegan2"
            )
        self.pl_mean = self.add_variable("pl_mean")

    def __call__(self, ctx):
        gan = ctx.gan
        # The phase's batch size from its reals: the fakes are never read, so a
        # context that makes them on demand (``OnDemandStepContext``) never does.
        batch = ops.shape(ctx.real)[0]
        if isinstance(batch, int):
            n = max(batch // self.batch_shrink, 1)
        else:  # a dynamic batch (TensorFlow graph)
            n = ops.maximum(batch // self.batch_shrink, 1)
        labels = None if ctx.labels is None else ctx.labels[:n]  # the reference's gen_c[:n]
        ws = gan.mapping_forward(gan.sample_latent(n), training=True, labels=labels)
        size, channels = gan.generator.image_size, gan.generator.channels
        noise = gan.sample_path_noise((n, size, size, channels)) / math.sqrt(size * size)
        # G's noise inputs too are drawn here: input_gradient discards the state
        # updates made inside it, so draws there would not advance the stream.
        noise_inputs = gan.sample_noise_maps(n)

        def weighted_sum(ws_):
            images = gan.synthesis_forward(ws_, training=True, noise=noise_inputs)
            return ops.sum(ops.cast(images, "float32") * noise, axis=(1, 2, 3))

        grads = gan.input_gradient(weighted_sum, ws)
        penalty, new_mean, _ = path_length_statistics(grads, self.pl_mean, self.decay)
        self.pl_mean.assign(ops.stop_gradient(new_mean))
        return penalty

    def get_config(self):
        return {**super().get_config(), "batch_shrink": self.batch_shrink, "decay": self.decay}
