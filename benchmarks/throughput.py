"""Images/s of ganzoo's ``fit`` against a hand-written loop over the same two networks.

Usage (one run measures every case on whatever devices are present):

    KERAS_BACKEND=jax python benchmarks/throughput.py                  # DCGAN-64, batch 128
    KERAS_BACKEND=jax python benchmarks/throughput.py --image-size 32 --batch-size 32 --steps 5

Cases: DCGAN (RGB) with the non-saturating loss, and the same networks with
lazy R1 (every ``--r1-interval`` steps, as StyleGAN2 does), each in fp32 and
bf16. Both sides use the same generator and discriminator, Adam, precision
and batch; the hand-written loop is one ``jax.jit`` (JAX) or ``tf.function``
(TensorFlow) step with no callbacks, no EMA, no loss trackers. With more than
one device ganzoo's ``fit`` also runs under ``ganzoo.distribution`` and the
scaling efficiency is (images/s on N devices) / (N x images/s on one).
"""

from __future__ import annotations

import argparse
import json
import time

import keras
import numpy as np
from keras import ops

import ganzoo
from ganzoo import distribution

POLICY = {"fp32": "float32", "bf16": "mixed_bfloat16"}


def build(args, r1: bool, strategy):
    keras.utils.set_random_seed(0)
    gan = ganzoo.build("dcgan", image_size=args.image_size, channels=3, batch_size=args.batch_size,
                       base_filters=args.base_filters)
    regs = [{"name": "r1", "weight": 1.0, "interval": args.r1_interval}] if r1 else []
    gan.compile(loss="non_saturating", regularizers=regs, **strategy.compile_options())
    return gan


def ganzoo_fit(args, r1: bool, devices: int) -> float:
    """Images/s of ``gan.fit`` over an in-memory stream, after warm-up steps."""
    images = np.random.default_rng(0).uniform(
        -1, 1, (args.batch_size * 2, args.image_size, args.image_size, 3)).astype("float32")
    with distribution.strategy(devices) as s:
        gan = build(args, r1, s)
        times = []
        timer = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: times.append(
            time.perf_counter()))
        steps = args.warmup + args.steps
        data = _repeat(images, args.batch_size, steps)
        gan.fit(data, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[timer])
    return args.batch_size * args.steps / (times[-1] - times[args.warmup - 1])


def _repeat(images, batch, steps):
    for i in range(steps):
        start = (i * batch) % len(images)
        yield (images[start : start + batch],)


def hand_loop(args, r1: bool) -> float:
    """Images/s of a plain compiled D+G step over the same networks."""
    gan = build(args, r1, distribution.strategy(1))
    G, D = gan.generator, gan.discriminator
    images = np.random.default_rng(0).uniform(
        -1, 1, (args.batch_size, args.image_size, args.image_size, 3)).astype("float32")
    step = (_jax_step if keras.backend.backend() == "jax" else _tf_step)(args, G, D)
    for i in range(args.warmup):
        step(images, i)
    start = time.perf_counter()
    for i in range(args.warmup, args.warmup + args.steps):
        step(images, i)
    step.sync()
    return args.batch_size * args.steps / (time.perf_counter() - start)


def _jax_step(args, G, D):
    import jax

    d_opt, g_opt = keras.optimizers.Adam(2e-4, 0.5), keras.optimizers.Adam(2e-4, 0.5)
    d_opt.build(D.trainable_variables)
    g_opt.build(G.trainable_variables)

    def run(model, trainable, non_trainable, x):
        return model.stateless_call(trainable, non_trainable, x, training=True)

    def d_step(state, real, key, with_r1):
        gt, gn, dt, dn, dos, gos = state
        z = jax.random.normal(key, (real.shape[0], G.input_shape[-1]))
        fake, gn = run(G, gt, gn, z)

        def loss_fn(dt):
            def logits(x):
                out, new = run(D, dt, dn, x)
                return ops.cast(ops.reshape(out, (-1,)), "float32"), new
            rl, new = logits(real)
            fl, new = logits(jax.lax.stop_gradient(fake))
            loss = ops.mean(ops.softplus(-rl)) + ops.mean(ops.softplus(fl))
            if with_r1:
                grad = jax.grad(lambda x: ops.sum(logits(x)[0]))(real)
                loss = loss + 0.5 * args.r1_interval * ops.mean(ops.sum(grad**2, axis=(1, 2, 3)))
            return loss, new
        (_, dn), grads = jax.value_and_grad(loss_fn, has_aux=True)(dt)
        dt, dos = d_opt.stateless_apply(dos, grads, dt)

        def g_loss(gt):
            fake, new = run(G, gt, gn, z)
            out, _ = run(D, dt, dn, fake)
            return ops.mean(ops.softplus(-ops.cast(ops.reshape(out, (-1,)), "float32"))), new
        (_, gn), grads = jax.value_and_grad(g_loss, has_aux=True)(gt)
        gt, gos = g_opt.stateless_apply(gos, grads, gt)
        return gt, gn, dt, dn, dos, gos

    compiled = {flag: jax.jit(lambda s, r, k, f=flag: d_step(s, r, k, f), donate_argnums=0)
                for flag in (False, True)}
    values = lambda vs: [v.value for v in vs]  # noqa: E731
    box = {"state": (values(G.trainable_variables), values(G.non_trainable_variables),
                     values(D.trainable_variables), values(D.non_trainable_variables),
                     values(d_opt.variables), values(g_opt.variables)),
           "key": jax.random.PRNGKey(0)}

    def step(real, i):
        box["key"], key = jax.random.split(box["key"])
        r1 = args.r1 and i % args.r1_interval == 0
        box["state"] = compiled[bool(r1)](box["state"], real, key)

    step.sync = lambda: jax.block_until_ready(box["state"])
    return step


def _tf_step(args, G, D):
    import tensorflow as tf

    d_opt, g_opt = keras.optimizers.Adam(2e-4, 0.5), keras.optimizers.Adam(2e-4, 0.5)

    def logits(x):
        return tf.cast(tf.reshape(D(x, training=True), (-1,)), tf.float32)

    def make(with_r1):
        @tf.function(jit_compile=True)
        def d_step(real):
            z = tf.random.normal((tf.shape(real)[0], G.input_shape[-1]))
            fake = G(z, training=True)
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.nn.softplus(-logits(real)))
                loss += tf.reduce_mean(tf.nn.softplus(logits(fake)))
                if with_r1:
                    with tf.GradientTape() as inner:
                        inner.watch(real)
                        out = tf.reduce_sum(logits(real))
                    grad = inner.gradient(out, real)
                    loss += 0.5 * args.r1_interval * tf.reduce_mean(
                        tf.reduce_sum(grad**2, axis=[1, 2, 3]))
            d_opt.apply(tape.gradient(loss, D.trainable_variables), D.trainable_variables)
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.nn.softplus(-logits(G(z, training=True))))
            g_opt.apply(tape.gradient(loss, G.trainable_variables), G.trainable_variables)
            return loss
        return d_step

    compiled = {flag: make(flag) for flag in (False, True)}
    last = {}

    def step(real, i):
        r1 = args.r1 and i % args.r1_interval == 0
        last["loss"] = compiled[bool(r1)](tf.constant(real))

    step.sync = lambda: float(last["loss"])
    return step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--base-filters", type=int, default=128)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=20, help="steps not timed (compiling)")
    parser.add_argument("--r1-interval", type=int, default=16)
    parser.add_argument("--precisions", default="fp32,bf16")
    args = parser.parse_args(argv)
    args.warmup = max(args.warmup, 2 * args.r1_interval if args.r1_interval else 2)
    devices = distribution.strategy("all").devices
    results = []
    for precision in args.precisions.split(","):
        keras.config.set_dtype_policy(POLICY[precision])
        for case, r1 in (("dcgan", False), ("dcgan+lazy_r1", True)):
            args.r1 = r1
            fit = ganzoo_fit(args, r1, 1)
            hand = hand_loop(args, r1)
            row = {"backend": keras.backend.backend(), "case": case, "precision": precision,
                   "ganzoo_img_s": round(fit, 1), "hand_img_s": round(hand, 1),
                   "ratio": round(fit / hand, 3)}
            if devices > 1 and args.batch_size % devices == 0:
                many = ganzoo_fit(args, r1, devices)
                row.update(devices=devices, ganzoo_many_img_s=round(many, 1),
                           scaling_efficiency=round(many / (devices * fit), 3))
            results.append(row)
            print(json.dumps(row), flush=True)
    keras.config.set_dtype_policy("float32")
    return results


if __name__ == "__main__":
    main()
