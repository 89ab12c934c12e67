"""Kernel reparametrisation: layers whose op reads a kernel computed at call time.

Equalized learning rate and spectral normalization both keep the stored kernel
as the trainable parameter and transform it inside `call`, so gradients flow
through the transform and nothing is ever written back into the kernel. The
transforms are mixins (`EqualizedLearningRate`, `SpectralNorm`) that override
`effective_kernel`; the ops they apply to are the `Reparametrized*` classes
here. A new transform (weight norm, say) is one more mixin.
"""

from __future__ import annotations

import keras
from keras import ops


class KernelReparametrization:
    """Mixin for Keras layers whose op uses `effective_kernel(training)`.

    Subclasses override `effective_kernel` (calling `super()` first, so
    transforms stack) and, if needed, `effective_bias`. The stored kernel is
    `stored_kernel`.
    """

    @property
    def stored_kernel(self):
        return self._kernel

    def effective_kernel(self, training=None):
        return self.stored_kernel

    def effective_bias(self):
        return self.bias

    # Keras' Dense/Conv/Embedding save a fixed list (kernel, bias) and would
    # drop the state a transform adds (spectral norm's `u`). Save every variable
    # the layer owns, in creation order, as `keras.layers.Layer` does.
    def save_own_variables(self, store):
        keras.layers.Layer.save_own_variables(self, store)

    def load_own_variables(self, store):
        keras.layers.Layer.load_own_variables(self, store)

    def enable_lora(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} does not support LoRA: its kernel is "
            "reparametrised at call time."
        )

    def quantize(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} does not support quantization: its kernel "
            "is reparametrised at call time."
        )


@keras.saving.register_keras_serializable(package="ganzoo")
class ReparametrizedDense(KernelReparametrization, keras.layers.Dense):
    """`keras.layers.Dense` computing with `effective_kernel(training)`."""

    def call(self, inputs, training=None):
        x = ops.matmul(inputs, self.effective_kernel(training))
        if self.bias is not None:
            x = ops.add(x, self.effective_bias())
        if self.activation is not None:
            x = self.activation(x)
        return x


@keras.saving.register_keras_serializable(package="ganzoo")
class ReparametrizedConv2D(KernelReparametrization, keras.layers.Conv2D):
    """`keras.layers.Conv2D` computing with `effective_kernel(training)`."""

    def call(self, inputs, training=None):
        x = self.convolution_op(inputs, self.effective_kernel(training))
        if self.use_bias:
            if self.data_format == "channels_last":
                bias_shape = (1, 1, 1, self.filters)
            else:
                bias_shape = (1, self.filters, 1, 1)
            x = ops.add(x, ops.reshape(self.effective_bias(), bias_shape))
        if self.activation is not None:
            x = self.activation(x)
        return x


@keras.saving.register_keras_serializable(package="ganzoo")
class ReparametrizedEmbedding(KernelReparametrization, keras.layers.Embedding):
    """`keras.layers.Embedding` looking up rows of `effective_kernel(training)`."""

    @property
    def stored_kernel(self):
        return self._embeddings

    def call(self, inputs, training=None):
        if inputs.dtype not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        outputs = ops.take(self.effective_kernel(training), inputs, axis=0)
        return ops.cast(outputs, self.compute_dtype)
