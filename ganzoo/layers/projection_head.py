"""Projection discriminator output (Miyato & Koyama 2018, cGANs with Projection Discriminator)."""

from __future__ import annotations

import keras
from keras import ops

from ganzoo.layers._utils import clone_initializer
from ganzoo.layers.spectral_norm import SNDense, SNEmbedding


@keras.saving.register_keras_serializable(package="ganzoo")
class ProjectionHead(keras.layers.Layer):
    """Class-conditional discriminator output (Miyato & Koyama 2018).

    Inputs `[features (B, C), labels (B,) or (B, 1) int]`; output logits
    `(B, 1) = dense(features) + sum(embed(labels) * features, axis=-1)`.
    SN-GAN, SAGAN and BigGAN discriminators end with it.

    Args:
        num_classes: int, number of classes.
        spectral_norm: bool, spectral-normalize the dense and the embedding
            (as SN-GAN, SAGAN and BigGAN do). Default False.
        kernel_initializer: initializer of the dense and the embedding.
        sigma_estimate: their `SpectralNorm` sigma estimate, "stored"
            (default) or "iterate".
    """

    def __init__(
        self,
        num_classes,
        spectral_norm=False,
        kernel_initializer="glorot_uniform",
        sigma_estimate="stored",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.sigma_estimate = sigma_estimate
        self.num_classes = num_classes
        self.spectral_norm = spectral_norm
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build(self, input_shape):
        features_shape, _ = input_shape
        dense_cls = SNDense if self.spectral_norm else keras.layers.Dense
        embedding_cls = SNEmbedding if self.spectral_norm else keras.layers.Embedding
        sn = {"sigma_estimate": self.sigma_estimate} if self.spectral_norm else {}
        self.dense = dense_cls(
            1,
            **sn,
            kernel_initializer=clone_initializer(self.kernel_initializer),
            dtype=self.dtype_policy,
            name="dense",
        )
        self.embedding = embedding_cls(
            self.num_classes,
            features_shape[-1],
            **sn,
            embeddings_initializer=clone_initializer(self.kernel_initializer),
            dtype=self.dtype_policy,
            name="embedding",
        )
        self.dense.build(features_shape)
        self.embedding.build((features_shape[0],))

    def call(self, inputs, training=None):
        features, labels = inputs
        labels = ops.reshape(labels, (-1,))
        projection = ops.sum(
            self.embedding(labels, training=training) * features,
            axis=-1,
            keepdims=True,
        )
        return self.dense(features, training=training) + projection

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], 1)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_classes": self.num_classes,
                "spectral_norm": self.spectral_norm,
                "sigma_estimate": self.sigma_estimate,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
            }
        )
        return config
