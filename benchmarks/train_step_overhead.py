"""ganzoo's train step vs a hand-written loop over the same two networks.

Both train the same small conv G and D (32x32x1, non-saturating loss, Adam,
one D and one G step per batch, XLA-compiled) on the current backend, after a
warm-up that excludes compilation. The hand-written loop is what a user would
write without ganzoo: tf.function + GradientTape on TensorFlow, jax.jit over
stateless_call / stateless_apply on JAX. Prints steps/s for each and the ratio.

    KERAS_BACKEND=jax python benchmarks/train_step_overhead.py [--steps 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import time

import keras
import numpy as np
from keras import ops

from ganzoo.gan import GAN

LATENT, SIZE, BATCH = 64, 32, 64


def generator():
    z = keras.Input((LATENT,))
    x = keras.layers.Dense(4 * 4 * 64, activation="relu")(z)
    x = keras.layers.Reshape((4, 4, 64))(x)
    for filters in (64, 32, 16):
        x = keras.layers.Conv2DTranspose(filters, 4, 2, "same", activation="relu")(x)
    return keras.Model(z, keras.layers.Conv2D(1, 3, padding="same", activation="tanh")(x))


def discriminator():
    inputs = keras.Input((SIZE, SIZE, 1))
    x = inputs
    for filters in (16, 32, 64):
        x = keras.layers.Conv2D(filters, 4, 2, "same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    return keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(x)))


def data(steps):
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (steps * BATCH, SIZE, SIZE, 1)).astype("float32")


def adam():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def time_ganzoo(steps):
    gan = GAN(generator(), discriminator(), LATENT, seed=0)
    gan.compile(adam(), adam())
    gan.fit(data(5), batch_size=BATCH, verbose=0)  # compile
    x = data(steps)
    start = time.perf_counter()
    gan.fit(x, batch_size=BATCH, verbose=0, shuffle=False)
    return steps / (time.perf_counter() - start)


def time_handwritten_tensorflow(steps):
    import tensorflow as tf

    g, d, g_opt, d_opt = generator(), discriminator(), adam(), adam()
    g_opt.build(g.trainable_variables)
    d_opt.build(d.trainable_variables)
    seed = keras.random.SeedGenerator(0)

    @tf.function(jit_compile=True)
    def step(real):
        z = keras.random.normal((BATCH, LATENT), seed=seed)
        fake = g(z, training=True)
        with tf.GradientTape() as tape:
            d_loss = ops.mean(ops.softplus(-d(real, training=True))) + ops.mean(
                ops.softplus(d(fake, training=True)))
        d_opt.apply(tape.gradient(d_loss, d.trainable_variables), d.trainable_variables)
        z = keras.random.normal((BATCH, LATENT), seed=seed)
        with tf.GradientTape() as tape:
            g_loss = ops.mean(ops.softplus(-d(g(z, training=True), training=True)))
        g_opt.apply(tape.gradient(g_loss, g.trainable_variables), g.trainable_variables)
        return d_loss, g_loss

    def run(x):
        for i in range(len(x) // BATCH):
            out = step(tf.convert_to_tensor(x[i * BATCH : (i + 1) * BATCH]))
        return [float(v) for v in out]

    run(data(5))
    x = data(steps)
    start = time.perf_counter()
    run(x)
    return steps / (time.perf_counter() - start)


def time_handwritten_jax(steps):
    import jax

    g, d, g_opt, d_opt = generator(), discriminator(), adam(), adam()
    g_opt.build(g.trainable_variables)
    d_opt.build(d.trainable_variables)

    def logits(dv, x):
        return d.stateless_call(dv, [], x, training=True)[0]

    def image(gv, z):
        return g.stateless_call(gv, [], z, training=True)[0]

    @jax.jit
    def step(state, real, key):
        gv, dv, gov, dov = state
        k1, k2 = jax.random.split(key)
        fake = image(gv, jax.random.normal(k1, (BATCH, LATENT)))

        def d_loss(dv):
            return ops.mean(ops.softplus(-logits(dv, real))) + ops.mean(
                ops.softplus(logits(dv, fake)))

        dl, grads = jax.value_and_grad(d_loss)(dv)
        dv, dov = d_opt.stateless_apply(dov, grads, dv)
        z = jax.random.normal(k2, (BATCH, LATENT))

        def g_loss(gv):
            return ops.mean(ops.softplus(-logits(dv, image(gv, z))))

        gl, grads = jax.value_and_grad(g_loss)(gv)
        gv, gov = g_opt.stateless_apply(gov, grads, gv)
        return (gv, dv, gov, dov), dl, gl

    state = ([v.value for v in g.trainable_variables], [v.value for v in d.trainable_variables],
             [v.value for v in g_opt.variables], [v.value for v in d_opt.variables])
    key = jax.random.PRNGKey(0)

    def run(x, state, key):
        for i in range(len(x) // BATCH):
            key, sub = jax.random.split(key)
            state, dl, gl = step(state, x[i * BATCH : (i + 1) * BATCH], sub)
        float(dl)  # wait for the device
        return state, key

    state, key = run(data(5), state, key)
    x = data(steps)
    start = time.perf_counter()
    run(x, state, key)
    return steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backend = keras.backend.backend()
    hand = {"tensorflow": time_handwritten_tensorflow, "jax": time_handwritten_jax}[backend]
    # Interleave two rounds so machine noise hits both sides alike.
    ours, theirs = [], []
    for _ in range(2):
        theirs.append(hand(args.steps))
        ours.append(time_ganzoo(args.steps))
    result = {
        "backend": backend,
        "steps": args.steps,
        "batch": BATCH,
        "handwritten_steps_per_s": max(theirs),
        "ganzoo_steps_per_s": max(ours),
        "ganzoo_time_over_handwritten": max(theirs) / max(ours),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"backend {backend}: hand-written {result['handwritten_steps_per_s']:.1f} steps/s, "
              f"ganzoo {result['ganzoo_steps_per_s']:.1f} steps/s, "
              f"ganzoo time / hand-written time = {result['ganzoo_time_over_handwritten']:.3f}")


if __name__ == "__main__":
    main()
