"""The GAN's two optimizers: fresh copies, loss scaling, lazy-regularization rescaling, and
presenting them to Keras' trainers as one."""

from __future__ import annotations

import keras

from ganzoo.errors import GanzooError


def fresh_copy(optimizer: keras.optimizers.Optimizer) -> keras.optimizers.Optimizer:
    """A new optimizer with the same settings and no state."""
    return optimizer.__class__.from_config(optimizer.get_config())


def with_loss_scaling(optimizer: keras.optimizers.Optimizer) -> keras.optimizers.Optimizer:
    """Under the mixed_float16 policy, the optimizer wrapped in a LossScaleOptimizer."""
    LossScale = keras.optimizers.LossScaleOptimizer
    if keras.config.dtype_policy().name != "mixed_float16" or isinstance(optimizer, LossScale):
        return optimizer
    return LossScale(optimizer)


def rescaled_for_lazy_regularization(
    optimizer: keras.optimizers.Optimizer, interval: int
) -> keras.optimizers.Optimizer:
    """The optimizer with lr *= k/(k+1) and beta_i **= k/(k+1) (Karras et al. 2020).

    With a regularization phase every k steps the network takes k+1 optimizer
    steps per k minibatches; the rescaling keeps the effective learning rate
    and momentum horizon of the unregularized schedule.
    """
    ratio = interval / (interval + 1)
    config = optimizer.get_config()
    if not isinstance(config.get("learning_rate"), float | int):
        raise GanzooError(
            "lazy_rescale needs a constant learning rate; "
            "pass a float learning_rate or compile(lazy_rescale=False)"
        )
    config["learning_rate"] = config["learning_rate"] * ratio
    for beta in ("beta_1", "beta_2"):
        if beta in config:
            config[beta] = config[beta] ** ratio
    return optimizer.__class__.from_config(config)


def rescale_for_lazy_phases(step_phases, g_optimizer, d_optimizer) -> tuple:
    """``(g_optimizer, d_optimizer)``, each rescaled for its network's lazy phase.

    A network whose lazy phases have two different intervals is an error:
    the rescaling assumes one extra step every k.
    """
    rescaled = {"generator": g_optimizer, "discriminator": d_optimizer}
    for network in rescaled:
        intervals = [p.interval for p in step_phases
                     if p.network == network and p.interval > 1]
        if len(intervals) > 1:
            raise GanzooError(
                f"lazy_rescale=True but the {network}'s regularizers use several "
                "intervals; give them one interval or compile(lazy_rescale=False)"
            )
        if intervals:
            rescaled[network] = rescaled_for_lazy_regularization(
                rescaled[network], intervals[0])
    return rescaled["generator"], rescaled["discriminator"]


class OptimizerPair:
    """Presents the G and D optimizers to Keras' trainers as one optimizer.

    Keras' JAX trainer threads ``model.optimizer.variables`` through its
    stateless train step; listing both optimizers' variables here carries
    both states through ``fit``.
    """

    def __init__(self, gan):
        self._gan = gan

    @property
    def built(self) -> bool:
        return self._gan.g_optimizer.built and self._gan.d_optimizer.built

    def build(self, var_list=None) -> None:
        gan = self._gan
        if not gan.g_optimizer.built:
            gan.g_optimizer.build(gan.generator.trainable_variables)
        if not gan.d_optimizer.built:
            gan.d_optimizer.build(gan.discriminator.trainable_variables)

    @property
    def variables(self) -> list:
        return list(self._gan.g_optimizer.variables) + list(
            self._gan.d_optimizer.variables
        )

    @property
    def iterations(self):
        return self._gan.g_optimizer.iterations

    def scale_loss(self, loss):
        return loss
