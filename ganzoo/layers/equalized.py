"""Equalized learning rate (Karras et al. 2018, "Progressive Growing of GANs")."""

from __future__ import annotations

import math

import keras

from ganzoo.layers.reparametrization import (
    KernelReparametrization,
    ReparametrizedConv2D,
    ReparametrizedDense,
)

SQRT_2 = math.sqrt(2.0)  # He's gain for ReLU-family activations


class EqualizedLearningRate(KernelReparametrization):
    """Mixin: kernel stored ~ N(0, 1/lr_multiplier), scaled at run time.

    The runtime scale is `gain * lr_multiplier / sqrt(fan_in)` (He's constant,
    times the learning-rate multiplier), and the bias is scaled by
    `lr_multiplier`, as in ProGAN and StyleGAN's `use_wscale`. `fan_in` is the
    product of all kernel dimensions but the last.
    """

    def __init__(
        self,
        *args,
        gain=SQRT_2,
        lr_multiplier=1.0,
        kernel_initializer=None,
        **kwargs,
    ):
        if kernel_initializer is None:
            kernel_initializer = keras.initializers.RandomNormal(
                stddev=1.0 / lr_multiplier
            )
        super().__init__(*args, kernel_initializer=kernel_initializer, **kwargs)
        self.gain = gain
        self.lr_multiplier = lr_multiplier

    @property
    def runtime_scale(self):
        fan_in = math.prod(self.stored_kernel.shape[:-1])
        return self.gain * self.lr_multiplier / math.sqrt(fan_in)

    def effective_kernel(self, training=None):
        return super().effective_kernel(training) * self.runtime_scale

    def effective_bias(self):
        return super().effective_bias() * self.lr_multiplier

    def get_config(self):
        config = super().get_config()
        config.update({"gain": self.gain, "lr_multiplier": self.lr_multiplier})
        return config


@keras.saving.register_keras_serializable(package="ganzoo")
class EqualizedDense(EqualizedLearningRate, ReparametrizedDense):
    """Dense layer with equalized learning rate (Karras et al. 2018, ProGAN).

    Takes the arguments of `keras.layers.Dense`, plus:
        gain: float, He gain; the kernel is scaled by `gain / sqrt(fan_in)`
            at run time. Default `sqrt(2)`.
        lr_multiplier: float, learning-rate multiplier (StyleGAN's mapping
            network uses 0.01). Kernel initialised N(0, 1/lr_multiplier),
            kernel and bias multiplied by it at run time. Default 1.
        kernel_initializer: default `RandomNormal(stddev=1/lr_multiplier)`.
    """


@keras.saving.register_keras_serializable(package="ganzoo")
class EqualizedConv2D(EqualizedLearningRate, ReparametrizedConv2D):
    """Conv2D layer with equalized learning rate (Karras et al. 2018, ProGAN).

    Takes the arguments of `keras.layers.Conv2D`, plus `gain` (default
    `sqrt(2)`) and `lr_multiplier` (default 1) as in `EqualizedDense`;
    `fan_in = kernel_height * kernel_width * input_channels`.
    """
