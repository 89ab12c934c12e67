"""Hierarchical latents (Brock et al. 2019, Section 4 "Hierarchical latent spaces")."""

from __future__ import annotations

import keras


def latent_chunk_sizes(latent_dim: int, num_chunks: int) -> list[int]:
    """Sizes of the z chunks, as equal as possible and summing to ``latent_dim``.

    BigGAN-PyTorch instead rounds z down to a multiple of the number of
    chunks; here the first ``latent_dim % num_chunks`` chunks are one longer.
    """
    base, extra = divmod(latent_dim, num_chunks)
    return [base + (i < extra) for i in range(num_chunks)]


@keras.saving.register_keras_serializable(package="ganzoo_biggan")
class LatentSplit(keras.layers.Layer):
    """Splits z (B, sum(sizes)) into chunks (B, sizes[i]) along the last axis.

    Args:
        sizes: list of int, the chunk sizes.
    """

    def __init__(self, sizes, **kwargs):
        super().__init__(**kwargs)
        self.sizes = [int(s) for s in sizes]

    def call(self, inputs):
        chunks, start = [], 0
        for size in self.sizes:
            chunks.append(inputs[:, start : start + size])
            start += size
        return chunks

    def compute_output_shape(self, input_shape):
        return [(input_shape[0], size) for size in self.sizes]

    def get_config(self):
        config = super().get_config()
        config.update({"sizes": self.sizes})
        return config
