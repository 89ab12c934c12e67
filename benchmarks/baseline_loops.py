"""Hand-written DCGAN train loops that do the same work as ganzoo's step.

What "the same work" means here, per step, on both backends:

- D phase (every step): fakes from fresh latents (G in training mode, its
  batch-norm statistics kept), D on the reals then on the fakes (statistics
  chained), the non-saturating loss, one optimizer step.
- Lazy R1 phase (steps 0, k, 2k, ... as StyleGAN2's ``Dreg``): D's reals,
  ``weight * k * 0.5 * E||grad_x D(x)||^2`` with D's statistics updates of the
  inner pass dropped, one more optimizer step.
- G phase: fresh latents, the non-saturating loss through D, one optimizer step.
- Logged values kept as running means over the round (``d_loss``, ``d_real``,
  ``d_fake``, ``g_loss``, ``r1``) and returned every step, as ``fit``'s trackers.
- No EMA (DCGAN has none) on either side.

The two optimizers are fresh copies of the GAN's (the same settings,
``lazy_rescale`` included). The step is compiled once per set of phases
(with and without R1) and chosen on the host from the step count.
TensorFlow: ``tf.function(jit_compile=True)`` fed by a ``tf.function`` that
pulls the batch from the tf.data iterator, as Keras' own ``fit`` does. JAX:
``jax.jit`` over ``stateless_call`` / ``stateless_apply`` with the whole
state donated.
"""

from __future__ import annotations

import keras
import numpy as np

from ganzoo.optimizers import fresh_copy

LOGGED = ("d_loss", "d_real", "d_fake", "g_loss", "r1")


def make_loop(gan, r1_interval: int, r1_weight: float):
    """A loop training ``gan``'s two networks (not the GAN itself).

    ``loop(data, first_step, batch)``: ``data`` is a batched tf.data.Dataset on
    TensorFlow (``batch`` unused), a numpy array of images on JAX (sliced by
    ``batch``); ``first_step`` is the global step of its first batch (it picks
    the lazy R1 steps); returns the last step's logs as floats.
    """
    maker = _jax_loop if keras.backend.backend() == "jax" else _tf_loop
    return maker(gan, r1_interval, r1_weight)


def _tf_loop(gan, interval, weight):
    import tensorflow as tf

    G, D = gan.generator, gan.discriminator
    d_opt, g_opt = fresh_copy(gan.d_optimizer), fresh_copy(gan.g_optimizer)
    d_opt.build(D.trainable_variables)
    g_opt.build(G.trainable_variables)
    seed = keras.random.SeedGenerator(0)
    means = {n: keras.metrics.Mean(name=n) for n in LOGGED}
    latent = gan.latent_dim

    def logits(x):
        return tf.cast(tf.reshape(D(x, training=True), (-1,)), tf.float32)

    def make(with_r1):
        @tf.function(jit_compile=True)
        def step(real):
            n = tf.shape(real)[0]
            fake = tf.stop_gradient(G(keras.random.normal((n, latent), seed=seed), training=True))
            with tf.GradientTape() as tape:
                rl, fl = logits(real), logits(fake)
                d_loss = tf.reduce_mean(tf.nn.softplus(-rl)) + tf.reduce_mean(tf.nn.softplus(fl))
            d_opt.apply(tape.gradient(d_loss, D.trainable_variables), D.trainable_variables)
            logs = {"d_loss": d_loss, "d_real": tf.reduce_mean(rl), "d_fake": tf.reduce_mean(fl)}
            if with_r1:
                with tf.GradientTape() as tape:
                    with keras.StatelessScope():  # the inner pass's BN updates are dropped
                        with tf.GradientTape() as inner:
                            inner.watch(real)
                            out = tf.reduce_sum(logits(real))
                        grad = inner.gradient(out, real)
                    r1 = 0.5 * tf.reduce_mean(tf.reduce_sum(tf.square(grad), axis=[1, 2, 3]))
                    loss = weight * interval * r1
                d_opt.apply(tape.gradient(loss, D.trainable_variables), D.trainable_variables)
                logs["r1"] = r1
            z = keras.random.normal((n, latent), seed=seed)
            with tf.GradientTape() as tape:
                g_loss = tf.reduce_mean(tf.nn.softplus(-logits(G(z, training=True))))
            g_opt.apply(tape.gradient(g_loss, G.trainable_variables), G.trainable_variables)
            logs["g_loss"] = g_loss
            for name, value in logs.items():
                means[name].update_state(value)
            return {n: m.result() for n, m in means.items()}

        @tf.function
        def on_iterator(iterator):
            return step(next(iterator))

        return on_iterator

    compiled = {False: make(False), True: make(True)}

    def loop(dataset, first_step: int, batch: int):
        for m in means.values():
            m.reset_state()
        logs, iterator = None, iter(dataset)
        for i in range(first_step, first_step + int(dataset.cardinality())):
            logs = compiled[bool(interval) and i % interval == 0](iterator)
        return {k: float(v) for k, v in logs.items()}  # waits for the last step

    return loop


def _jax_loop(gan, interval, weight):
    import jax
    import jax.numpy as jnp

    G, D = gan.generator, gan.discriminator
    d_opt, g_opt = fresh_copy(gan.d_optimizer), fresh_copy(gan.g_optimizer)
    d_opt.build(D.trainable_variables)
    g_opt.build(G.trainable_variables)
    latent = gan.latent_dim

    def logits(dt, dn, x):
        out, dn = D.stateless_call(dt, dn, x, training=True)
        return jnp.reshape(out, (-1,)).astype("float32"), dn

    def softplus_mean(x):
        return jnp.mean(jax.nn.softplus(x))

    def step(state, real, with_r1):
        gt, gn, dt, dn, dos, gos, key, sums, count = state
        key, k1, k2 = jax.random.split(key, 3)
        n = real.shape[0]
        fake, gn = G.stateless_call(gt, gn, jax.random.normal(k1, (n, latent)), training=True)
        fake = jax.lax.stop_gradient(fake)

        def d_loss_fn(dt):
            rl, dn1 = logits(dt, dn, real)
            fl, dn2 = logits(dt, dn1, fake)
            loss = softplus_mean(-rl) + softplus_mean(fl)
            return loss, (dn2, {"d_loss": loss, "d_real": jnp.mean(rl), "d_fake": jnp.mean(fl)})

        (_, (dn, logs)), grads = jax.value_and_grad(d_loss_fn, has_aux=True)(dt)
        dt, dos = d_opt.stateless_apply(dos, grads, dt)
        if with_r1:
            def r1_fn(dt):
                grad = jax.grad(lambda x: jnp.sum(logits(dt, dn, x)[0]))(real)
                r1 = 0.5 * jnp.mean(jnp.sum(jnp.square(grad), axis=(1, 2, 3)))
                return weight * interval * r1, r1

            (_, logs["r1"]), grads = jax.value_and_grad(r1_fn, has_aux=True)(dt)
            dt, dos = d_opt.stateless_apply(dos, grads, dt)

        z = jax.random.normal(k2, (n, latent))

        def g_loss_fn(gt):
            fake, gn1 = G.stateless_call(gt, gn, z, training=True)
            fl, dn1 = logits(dt, dn, fake)
            return softplus_mean(-fl), (gn1, dn1)

        (logs["g_loss"], (gn, dn)), grads = jax.value_and_grad(g_loss_fn, has_aux=True)(gt)
        gt, gos = g_opt.stateless_apply(gos, grads, gt)
        sums = {k: sums[k] + logs[k] if k in logs else sums[k] for k in sums}
        count = {k: count[k] + (1.0 if k in logs else 0.0) for k in count}
        out = {k: sums[k] / jnp.maximum(count[k], 1.0) for k in sums}
        return (gt, gn, dt, dn, dos, gos, key, sums, count), out

    compiled = {flag: jax.jit(lambda s, r, f=flag: step(s, r, f), donate_argnums=0)
                for flag in (False, True)}
    values = lambda vs: [v.value for v in vs]  # noqa: E731
    box = {"state": (values(G.trainable_variables), values(G.non_trainable_variables),
                     values(D.trainable_variables), values(D.non_trainable_variables),
                     values(d_opt.variables), values(g_opt.variables), jax.random.PRNGKey(0),
                     None, None)}

    def loop(images: np.ndarray, first_step: int, batch: int):
        zeros = lambda: {k: jnp.zeros((), "float32") for k in LOGGED}  # noqa: E731
        box["state"] = box["state"][:7] + (zeros(), zeros())  # reset the means
        logs = None
        for j, i in enumerate(range(first_step, first_step + len(images) // batch)):
            real = images[j * batch : (j + 1) * batch]
            box["state"], logs = compiled[bool(interval) and i % interval == 0](box["state"], real)
        return {k: float(v) for k, v in logs.items()}  # waits for the last step

    return loop
