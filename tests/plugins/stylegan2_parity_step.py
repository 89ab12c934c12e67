"""StyleGAN2's path length and one training step from fixed weights; run per backend
by test_stylegan2.py. Usage: KERAS_BACKEND=... python stylegan2_parity_step.py OUT

Backends draw different random numbers, so latents, path-length noise and the
noise inputs are fixed (the generator's "const" noise maps; style mixing off).
"""

import sys

import keras
import numpy as np
from ganzoo_stylegan2.discriminator import build_discriminator
from ganzoo_stylegan2.gan import StyleGAN2
from ganzoo_stylegan2.generator import build_generator
from ganzoo_stylegan2.plugin import regularizer_configs
from keras import ops

import ganzoo
from ganzoo.regularizers import StepContext

CONFIG = ganzoo.get_architecture("stylegan2").make_config(
    image_size=8, channels=1, latent_dim=8, w_dim=8, base_filters=64, max_filters=8,
    batch_size=4, r1_gamma=1.0, style_mixing_prob=0.0)
rng = np.random.default_rng(0)
REAL = rng.uniform(-1, 1, size=(4, 8, 8, 1)).astype("float32")
Z = rng.normal(size=(4, 8)).astype("float32")
PL_NOISE = rng.normal(size=(4, 8, 8, 1)).astype("float32")


class FixedNoiseStyleGAN2(StyleGAN2):
    def sample_latent(self, n):
        return ops.convert_to_tensor(Z)[:n]

    def sample_path_noise(self, shape):
        return ops.convert_to_tensor(PL_NOISE)[: shape[0]]

    def synthesis_forward(self, ws, training=False, generator=None, noise=None):
        return (generator or self.generator).synthesize(ws, training, noise_mode="const")


def fixed_weights(model, seed):
    r = np.random.default_rng(seed)
    for w in model.weights:
        if "float" not in str(w.dtype):
            continue
        w.assign(r.normal(scale=0.5, size=w.shape).astype("float32"))


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x), dtype="float64")


def main(out):
    gan = FixedNoiseStyleGAN2(build_generator(CONFIG), build_discriminator(CONFIG),
                              CONFIG.latent_dim, style_mixing_prob=0.0, use_ema=True,
                              ema_kimg=CONFIG.ema_kimg, ema_rampup=CONFIG.ema_rampup,
                              images_per_step=4)
    fixed_weights(gan.generator, 1)
    fixed_weights(gan.discriminator, 2)
    gan.compile(keras.optimizers.SGD(0.01, momentum=0.5), keras.optimizers.SGD(0.01, momentum=0.5),
                loss="non_saturating", regularizers=regularizer_configs(CONFIG), jit_compile=False)
    results = {"initial/g0": numpy(gan.generator.trainable_weights[0])}
    path_length = gan.regularizer_list[1]
    ctx = StepContext(gan, REAL, REAL, None)
    results["penalty"] = numpy(path_length(ctx))
    results["pl_mean"] = numpy(path_length.pl_mean)
    path_length.pl_mean.assign(0.0)
    logs = gan.fit(REAL, batch_size=4, epochs=1, shuffle=False, verbose=0).history
    for key, value in logs.items():
        results[f"step/log_{key}"] = np.float64(value[0])
    results["step/pl_mean"] = numpy(path_length.pl_mean)
    for i, w in enumerate(gan.generator.trainable_weights):
        results[f"step/g{i}"] = numpy(w)
    for i, w in enumerate(gan.discriminator.trainable_weights):
        results[f"step/d{i}"] = numpy(w)
    np.savez(out, **results)


if __name__ == "__main__":
    main(sys.argv[1])
