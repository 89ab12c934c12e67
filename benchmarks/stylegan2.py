"""StyleGAN2: ganzoo's train step vs a hand-written loop, and the cost of lazy regularization.

Both sides train the same two networks (ganzoo's StyleGAN2 generator and
discriminator, built from one config) with the same work per step as
stylegan2-ada-pytorch's training loop: non-saturating loss; style mixing
(probability 0.9) in every G forward; lazy R1 (gamma / 2 * E||grad D(x)||^2,
weighted by its interval) every ``r1_interval`` steps and path-length
regularization (batch // 2 latents, running mean decay 0.01, weighted by its
interval) every ``pl_interval`` steps, each an optimizer step of its own;
Adam rescaled by interval / (interval + 1); the EMA of G with the reference's
ramp-up. Both are compiled (XLA on TensorFlow, jit on JAX), one function per
set of active phases, after a warm-up that compiles every set. The
hand-written loop is what a user would write without ganzoo:
tf.function + GradientTape on TensorFlow, jax.jit over stateless_call /
stateless_apply on JAX, with the reference's ``Dreg`` (reals only).

Prints: the seconds per step of each over whole regularization periods, their
ratio, and ganzoo's median step time per kind of step (plain, with Greg,
with Dreg and Greg), timed one step at a time inside ``fit``.

    KERAS_BACKEND=jax python benchmarks/stylegan2.py [--steps 32] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time

import keras
import numpy as np
from keras import ops
from step_timer import StepTimes

import ganzoo

# The stylegan2-fashion-mnist-32 preset's widths at 16x16, batch 16, so that a
# CPU run takes minutes; r1 and pl intervals are the reference's (16, 4).
CONFIG = {"image_size": 16, "channels": 1, "latent_dim": 64, "w_dim": 64,
          "base_filters": 512, "max_filters": 32, "batch_size": 16, "seed": 0}


def data(steps: int, batch: int, size: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (steps * batch, size, size, 1)).astype("float32")


def time_ganzoo(steps: int, config: dict) -> dict:
    gan = ganzoo.build("stylegan2", **config)
    batch, size = config["batch_size"], config["image_size"]
    period = max(gan_intervals(gan))
    gan.fit(data(period + 1, batch, size), batch_size=batch, verbose=0)  # compiles every set
    gan.step_counter.assign(0)  # start the timed run at a period boundary
    x = data(steps, batch, size)
    start = time.perf_counter()
    gan.fit(x, batch_size=batch, verbose=0, shuffle=False)
    total = (time.perf_counter() - start) / steps
    gan.step_counter.assign(0)
    timer = StepTimes()
    gan.fit(x, batch_size=batch, verbose=0, shuffle=False, callbacks=[timer])
    r1, pl = gan_intervals(gan)
    kinds = {"plain": [], "greg": [], "dreg_greg": []}
    for step, seconds in enumerate(timer.times):
        kind = ("dreg_greg" if step % r1 == 0 else "greg") if step % pl == 0 else \
            ("plain" if step % r1 else None)
        if kind:
            kinds[kind].append(seconds)
    return {"s_per_step": total, "mean_timed_step_s": statistics.mean(timer.times),
            "median_s": {k: statistics.median(v) for k, v in kinds.items() if v}}


def gan_intervals(gan) -> tuple[int, int]:
    by_name = {r.name: r.interval for r in gan.regularizer_list}
    return by_name["r1"], by_name["path_length"]


# -- the hand-written loop ---------------------------------------------------------
class Setup:
    """The networks, optimizers and constants both hand-written loops use."""

    def __init__(self, config: dict):
        gan = ganzoo.build("stylegan2", **config)  # only for its networks and settings
        self.g, self.d = gan.generator, gan.discriminator
        # The EMA copies of G's trainable weights (the EMA model's are not trainable).
        self.ema_vars = [e for w, e in zip(self.g.weights, gan.ema_generator.weights,
                                           strict=True) if w.trainable]
        self.cfg = cfg = ganzoo.get_architecture("stylegan2").make_config(**config)
        self.batch, self.latent = cfg.batch_size, cfg.latent_dim
        self.num_ws = self.g.num_ws
        self.g_opt = self.adam(cfg.pl_interval)
        self.d_opt = self.adam(cfg.r1_interval)
        self.g_opt.build(self.g.trainable_variables)
        self.d_opt.build(self.d.trainable_variables)
        self.ema_nimg = cfg.ema_kimg * 1000

    def adam(self, interval: int):
        ratio = interval / (interval + 1)  # the reference's lazy rescaling
        c = self.cfg
        return keras.optimizers.Adam(c.learning_rate * ratio, beta_1=c.beta_1 ** ratio,
                                     beta_2=c.beta_2 ** ratio, epsilon=c.epsilon)

    def ema_decay(self, step: int) -> float:
        nimg = min(self.ema_nimg, step * self.batch * self.cfg.ema_rampup)
        return 0.5 ** (self.batch / max(nimg, 1e-8))


def time_handwritten_tensorflow(steps: int, config: dict) -> float:
    import tensorflow as tf

    s = Setup(config)
    g, d, cfg = s.g, s.d, s.cfg
    seed = keras.random.SeedGenerator(1)
    pl_mean = tf.Variable(0.0)

    def mapping(z, update=True):
        return g.mapping(z, training=True, update_w_avg=update)

    def mixed_ws(n):
        ws = mapping(keras.random.normal((n, s.latent), seed=seed))
        cutoff = keras.random.randint((), 1, s.num_ws, seed=seed)
        mix = keras.random.uniform((), seed=seed) < cfg.style_mixing_prob
        cutoff = ops.where(mix, cutoff, s.num_ws)
        other = mapping(keras.random.normal((n, s.latent), seed=seed), update=False)
        layer = ops.arange(s.num_ws)[None, :, None]
        return ops.where(layer < cutoff, ws, other)

    def synth(ws):
        return g.synthesis(ws, noise_mode="random", seed_generator=seed)

    @tf.function(jit_compile=True, reduce_retracing=False)
    def step(real, dreg: bool, greg: bool, decay):
        fake = tf.stop_gradient(synth(mixed_ws(s.batch)))
        with tf.GradientTape() as tape:
            d_loss = ops.mean(ops.softplus(-d(real, training=True))) + ops.mean(
                ops.softplus(d(fake, training=True)))
        d_vars = d.trainable_variables
        s.d_opt.apply(tape.gradient(d_loss, d_vars), d_vars)
        if dreg:  # the reference's Dreg: R1 on the reals only
            with tf.GradientTape() as tape:
                with tf.GradientTape() as inner:
                    inner.watch(real)
                    logits = ops.sum(d(real, training=True))
                grad = inner.gradient(logits, real)
                r1 = cfg.r1_gamma / 2 * ops.mean(ops.sum(ops.square(grad), axis=(1, 2, 3)))
                loss = r1 * cfg.r1_interval
            s.d_opt.apply(tape.gradient(loss, d_vars), d_vars)
        g_vars = g.trainable_variables
        with tf.GradientTape() as tape:
            g_loss = ops.mean(ops.softplus(-d(synth(mixed_ws(s.batch)), training=True)))
        s.g_opt.apply(tape.gradient(g_loss, g_vars), g_vars)
        if greg:
            n = s.batch // cfg.pl_batch_shrink
            size = cfg.image_size
            with tf.GradientTape() as tape:
                ws = mixed_ws(n)
                noise = keras.random.normal((n, size, size, cfg.channels), seed=seed) / size
                with tf.GradientTape() as inner:
                    inner.watch(ws)
                    out = ops.sum(synth(ws) * noise)
                grad = inner.gradient(out, ws)
                lengths = ops.sqrt(ops.mean(ops.sum(ops.square(grad), axis=2), axis=1))
                new_mean = pl_mean + cfg.pl_decay * (ops.mean(lengths) - pl_mean)
                pl = ops.mean(ops.square(lengths - new_mean)) * cfg.pl_weight * cfg.pl_interval
            pl_mean.assign(tf.stop_gradient(new_mean))
            s.g_opt.apply(tape.gradient(pl, g_vars), g_vars)
        for e, v in zip(s.ema_vars, g.trainable_variables, strict=True):
            e.assign(v + decay * (e - v))
        return d_loss, g_loss

    def run(x, first_step):
        for i in range(len(x) // s.batch):
            k = first_step + i
            out = step(tf.convert_to_tensor(x[i * s.batch:(i + 1) * s.batch]),
                       k % cfg.r1_interval == 0, k % cfg.pl_interval == 0,
                       tf.constant(s.ema_decay(k), "float32"))
        return [float(v) for v in out]

    size = cfg.image_size
    run(data(cfg.pl_interval + 1, s.batch, size), 0)  # compiles every set
    x = data(steps, s.batch, size)
    start = time.perf_counter()
    run(x, 0)
    return (time.perf_counter() - start) / steps


def time_handwritten_jax(steps: int, config: dict) -> float:
    import jax
    import jax.numpy as jnp

    s = Setup(config)
    g, d, cfg = s.g, s.d, s.cfg
    mapping, synthesis = g.mapping, g.synthesis

    def values(variables):
        return [v.value for v in variables]

    def map_z(mv, z, update=True):
        (mt, mn) = mv
        ws, mn2 = mapping.stateless_call(mt, mn, z, training=True, update_w_avg=update)
        return ws, (mt, mn2 if update else mn)

    def mixed_ws(mv, key, n):
        k1, k2, k3, k4 = jax.random.split(key, 4)
        ws, mv = map_z(mv, jax.random.normal(k1, (n, s.latent)))
        other, _ = map_z(mv, jax.random.normal(k2, (n, s.latent)), update=False)
        cutoff = jax.random.randint(k3, (), 1, s.num_ws)
        cutoff = jnp.where(jax.random.uniform(k4) < cfg.style_mixing_prob, cutoff, s.num_ws)
        layer = jnp.arange(s.num_ws)[None, :, None]
        return jnp.where(layer < cutoff, ws, other), mv

    def synth(sv, ws):
        (st, sn) = sv
        image, sn = synthesis.stateless_call(st, sn, ws, noise_mode="random")
        return image, (st, sn)

    def logits(dv, x):
        return d.stateless_call(dv[0], dv[1], x, training=True)[0]

    def step(state, real, key, decay, dreg, greg):
        mv, sv, dv, gov, dov, ema, pl_mean = state
        keys = jax.random.split(key, 6)
        ws, mv = mixed_ws(mv, keys[0], s.batch)
        fake, sv = synth(sv, ws)
        fake = jax.lax.stop_gradient(fake)

        def d_loss(dt):
            dv_ = (dt, dv[1])
            return jnp.mean(jax.nn.softplus(-logits(dv_, real))) + jnp.mean(
                jax.nn.softplus(logits(dv_, fake)))

        dl, grads = jax.value_and_grad(d_loss)(dv[0])
        dt, dov = s.d_opt.stateless_apply(dov, grads, dv[0])
        dv = (dt, dv[1])
        if dreg:
            def r1_loss(dt):
                grad = jax.grad(lambda x: jnp.sum(logits((dt, dv[1]), x)))(real)
                r1 = cfg.r1_gamma / 2 * jnp.mean(jnp.sum(jnp.square(grad), axis=(1, 2, 3)))
                return r1 * cfg.r1_interval

            grads = jax.grad(r1_loss)(dv[0])
            dt, dov = s.d_opt.stateless_apply(dov, grads, dv[0])
            dv = (dt, dv[1])
        n_st = len(sv[0])  # G's trainable variables: synthesis's, then mapping's

        def g_loss(gt):
            mv_, sv_ = (gt[n_st:], mv[1]), (gt[:n_st], sv[1])
            ws, mv_ = mixed_ws(mv_, keys[1], s.batch)
            image, sv_ = synth(sv_, ws)
            return jnp.mean(jax.nn.softplus(-logits(dv, image))), (mv_[1], sv_[1])

        (gl, (mn, sn)), grads = jax.value_and_grad(g_loss, has_aux=True)(sv[0] + mv[0])
        gt, gov = s.g_opt.stateless_apply(gov, grads, sv[0] + mv[0])
        mv, sv = (gt[n_st:], mn), (gt[:n_st], sn)
        if greg:
            n, size = s.batch // cfg.pl_batch_shrink, cfg.image_size
            noise = jax.random.normal(keys[2], (n, size, size, cfg.channels)) / size

            def pl_loss(gt):
                mv_, sv_ = (gt[n_st:], mv[1]), (gt[:n_st], sv[1])
                ws, mv_ = mixed_ws(mv_, keys[3], n)

                def out(ws):
                    image, sv2 = synth(sv_, ws)
                    return jnp.sum(image * noise), sv2

                grad, sv_ = jax.grad(out, has_aux=True)(ws)
                lengths = jnp.sqrt(jnp.mean(jnp.sum(jnp.square(grad), axis=2), axis=1))
                new_mean = pl_mean + cfg.pl_decay * (jnp.mean(lengths) - pl_mean)
                loss = jnp.mean(jnp.square(lengths - new_mean)) * cfg.pl_weight * cfg.pl_interval
                return loss, (jax.lax.stop_gradient(new_mean), mv_[1], sv_[1])

            (_, (pl_mean, mn, sn)), grads = jax.value_and_grad(pl_loss, has_aux=True)(gt)
            gt, gov = s.g_opt.stateless_apply(gov, grads, gt)
            mv, sv = (gt[n_st:], mn), (gt[:n_st], sn)
        ema = [v + decay * (e - v) for e, v in zip(ema, gt, strict=True)]
        return (mv, sv, dv, gov, dov, ema, pl_mean), dl, gl

    step = jax.jit(step, static_argnums=(4, 5))
    # The optimizer's slots follow g.trainable_variables: synthesis's, then mapping's.
    assert [v.path for v in synthesis.trainable_variables + mapping.trainable_variables] == \
        [v.path for v in g.trainable_variables]
    state = ((values(mapping.trainable_variables), values(mapping.non_trainable_variables)),
             (values(synthesis.trainable_variables), values(synthesis.non_trainable_variables)),
             (values(d.trainable_variables), values(d.non_trainable_variables)),
             values(s.g_opt.variables), values(s.d_opt.variables),
             values(s.ema_vars), jnp.float32(0.0))
    key = jax.random.PRNGKey(0)

    def run(x, state, key):
        for i in range(len(x) // s.batch):
            key, sub = jax.random.split(key)
            state, dl, gl = step(state, x[i * s.batch:(i + 1) * s.batch], sub,
                                 jnp.float32(s.ema_decay(i)), i % cfg.r1_interval == 0,
                                 i % cfg.pl_interval == 0)
        float(dl)  # wait for the device
        return state, key

    size = cfg.image_size
    state, key = run(data(cfg.pl_interval + 1, s.batch, size), state, key)  # compiles
    x = data(steps, s.batch, size)
    start = time.perf_counter()
    run(x, state, key)
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=32,
                        help="timed steps per side, a multiple of r1_interval (16)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.steps % 16:
        parser.error(f"--steps {args.steps}: use a multiple of 16 (whole R1 periods)")
    backend = keras.backend.backend()
    hand = {"tensorflow": time_handwritten_tensorflow, "jax": time_handwritten_jax}[backend]
    theirs = hand(args.steps, CONFIG)
    ours = time_ganzoo(args.steps, CONFIG)
    median = ours["median_s"]
    result = {
        "backend": backend, "steps": args.steps, "config": CONFIG,
        "handwritten_s_per_step": theirs, "ganzoo_s_per_step": ours["s_per_step"],
        "ganzoo_time_over_handwritten": ours["s_per_step"] / theirs,
        "ganzoo_median_s": median,
        # The steps alone, without fit's set-up and tear-down (timed one at a time).
        "ganzoo_mean_step_s": ours["mean_timed_step_s"],
        "greg_step_over_plain": median["greg"] / median["plain"],
        "dreg_greg_step_over_plain": median["dreg_greg"] / median["plain"],
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"backend {backend}, stylegan2 {CONFIG['image_size']}x{CONFIG['image_size']}x1, "
          f"batch {CONFIG['batch_size']}, {args.steps} steps")
    print(f"hand-written {theirs:.3f} s/step, ganzoo {ours['s_per_step']:.3f} s/step, "
          f"ganzoo time / hand-written time = {result['ganzoo_time_over_handwritten']:.2f}")
    print(f"ganzoo mean of the steps timed one at a time: {ours['mean_timed_step_s']:.3f} s")
    print("ganzoo median step: " + ", ".join(f"{k} {v:.3f} s" for k, v in median.items())
          + f"; Greg step / plain = {result['greg_step_over_plain']:.2f}, "
          f"Dreg+Greg step / plain = {result['dreg_greg_step_over_plain']:.2f}")
    assert math.isfinite(theirs)


if __name__ == "__main__":
    main()
