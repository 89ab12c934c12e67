"""``GAN``: a keras.Model that trains a generator against a discriminator.

The train step is written once in keras.ops; ``ganzoo.backends`` supplies only
the gradient mechanics. ``fit`` takes images (``x``) and, for class-conditional
models, integer labels (``y``). With ``d_steps=k`` each batch is split into k
equal minibatches, one per discriminator step (a fresh real minibatch per
critic step, as in WGAN), followed by one generator step.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import keras
import numpy as np
from keras import ops
from keras.src.backend.common.stateless_scope import get_stateless_scope

from ganzoo import backends, distribution
from ganzoo.errors import GanzooError
from ganzoo.regularizers import DISCRIMINATOR, GENERATOR, Regularizer, StepContext

DEFAULT_OPTIMIZER = {
    "class_name": "Adam",
    "config": {"learning_rate": 2e-4, "beta_1": 0.5, "beta_2": 0.999},
}
COMPILE_DEFAULTS: dict[str, Any] = {
    "g_optimizer": DEFAULT_OPTIMIZER,
    "d_optimizer": DEFAULT_OPTIMIZER,
    "loss": "non_saturating",
    "regularizers": (),
    "d_steps": 1,
    "ema_decay": None,
    "ema_start": 0,
    "label_smoothing": 0.0,
}


@contextlib.contextmanager
def discard_state_updates():
    """Run code whose variable assignments (BN statistics...) must not stick."""
    outer = get_stateless_scope()
    scope = keras.StatelessScope()
    if outer is not None:
        scope.state_mapping = dict(outer.state_mapping)
    with scope:
        yield


class OptimizerPair:
    """Presents the G and D optimizers to Keras' trainers as one optimizer.

    Keras' JAX trainer threads ``model.optimizer.variables`` through its
    stateless train step; listing both optimizers' variables here carries
    both states through ``fit``.
    """

    def __init__(self, gan: GAN):
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


def _to_optimizer(value, which: str):
    if isinstance(value, keras.optimizers.Optimizer):
        return value
    try:
        return keras.optimizers.get(value)
    except (ValueError, TypeError) as exc:
        raise GanzooError(
            f"{which}={value!r} is not an optimizer: pass a keras optimizer, "
            f"its name ('adam') or its config ({exc})"
        ) from None


def _to_regularizer(value) -> Regularizer:
    from ganzoo.plugins import registries

    if isinstance(value, Regularizer):
        return value
    if isinstance(value, str):
        return registries().regularizers.get(value)()
    if isinstance(value, dict):
        if "class_name" in value and "module" in value:
            return keras.saving.deserialize_keras_object(value)
        value = dict(value)
        name = value.pop("name", None)
        if name is None:
            raise GanzooError(f"regularizer config {value!r} needs a 'name'")
        return registries().regularizers.get(name)(**value)
    raise GanzooError(
        f"{value!r} is not a regularizer: pass a ganzoo.regularizers.Regularizer, "
        "a registered name ('gp', 'r1'...) or {'name': ..., 'weight': ...}"
    )


def _to_loss(value):
    from ganzoo.losses import AdversarialLoss
    from ganzoo.plugins import registries

    if isinstance(value, AdversarialLoss):
        return value
    if isinstance(value, str):
        return registries().losses.get(value)
    raise GanzooError(
        f"loss={value!r} is not an adversarial loss: pass a registered name "
        f"({', '.join(registries().losses.names())}) or a ganzoo.losses.AdversarialLoss"
    )


def _clone(model: keras.Model) -> keras.Model:
    if isinstance(model, keras.Sequential) or getattr(model, "_is_graph_network", False):
        clone = keras.models.clone_model(model)
    else:
        clone = model.__class__.from_config(model.get_config())
        clone.build_from_config(model.get_build_config() or {})
    clone.set_weights(model.get_weights())
    return clone


@keras.saving.register_keras_serializable(package="ganzoo")
class GAN(keras.Model):
    """A generator, a discriminator and (optionally) an EMA copy of the generator.

    Args:
        generator: a built keras.Model mapping ``z`` (or ``[z, labels]`` when
            ``num_classes > 0``) to images in [-1, 1].
        discriminator: a built keras.Model mapping images (or ``[images,
            labels]``) to one logit per image.
        latent_dim: size of ``z``.
        num_classes: number of classes for class-conditional models, else 0.
        use_ema: keep an exponential moving average of the generator's weights
            (``compile(ema_decay=...)`` sets the decay); ``generate`` uses it.
        compile_defaults: the architecture's defaults for ``compile`` arguments
            that the caller omits.
        seed: seed of the train step's random stream (latents, GP mixing).
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        num_classes: int = 0,
        use_ema: bool = False,
        compile_defaults: dict | None = None,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.num_classes = int(num_classes)
        self.use_ema = bool(use_ema)
        self.compile_defaults = dict(compile_defaults or {})
        self.seed = seed
        self.ema_generator = None
        self._standing_for = None  # id of the generator inside standing_statistics
        if use_ema:
            self.ema_generator = _clone(generator)
            self.ema_generator.trainable = False
        self.seed_generator = keras.random.SeedGenerator(seed, name="gan_seed")
        self.step_counter = self.add_weight(
            shape=(), dtype="int32", initializer="zeros", trainable=False, name="step"
        )
        self._phase: tuple[bool, ...] | None = None
        self._trackers: list[keras.metrics.Metric] = []
        self.built = True

    # -- forward passes (plugins may override; keras.ops only) ---------------
    def generator_forward(self, z, labels=None, training: bool = False, generator=None):
        generator = generator or self.generator
        inputs = [z, labels] if self.num_classes else z
        return generator(inputs, training=training)

    def discriminator_forward(self, images, labels=None, training: bool = False):
        inputs = [images, labels] if self.num_classes else images
        logits = self.discriminator(inputs, training=training)
        return ops.reshape(logits, (-1,))

    def call(self, inputs, training=False):
        if self.num_classes:
            z, labels = inputs
            return self.generator_forward(z, labels, training=training)
        return self.generator_forward(inputs, training=training)

    def sample_latent(self, n):
        """Latents for one training step, from the model's seeded stream."""
        return distribution.replica_random(keras.random.normal, (n, self.latent_dim),
                                           self.seed_generator)

    def sample_uniform(self, shape):
        """Uniform [0, 1) noise for the train step (GP interpolation)."""
        return distribution.replica_random(keras.random.uniform, shape, self.seed_generator)

    def input_gradient(self, fn, x):
        """Gradient of sum(fn(x)) w.r.t. x; state updates inside fn are dropped."""
        x = ops.convert_to_tensor(x)
        with discard_state_updates():
            return backends.get().input_gradient(fn, x)

    def prepare_real(self, images):
        """Transform real images before D sees them (ProGAN blends levels here)."""
        return images

    def on_train_step_end(self) -> None:
        """Called at the end of every train step; plugins update schedules here."""

    # -- compile -------------------------------------------------------------
    def compile(
        self,
        g_optimizer=None,
        d_optimizer=None,
        loss=None,
        regularizers=None,
        d_steps: int | None = None,
        ema_decay: float | None = None,
        ema_start: int | None = None,
        label_smoothing: float | None = None,
        jit_compile: bool | str = True,
        steps_per_execution: int = 1,
        run_eagerly: bool = False,
    ):
        """Configure training; omitted arguments take the architecture's defaults.

        Args:
            g_optimizer, d_optimizer: optimizers (instances, names or configs);
                separate ones give TTUR.
            loss: an adversarial loss name (``ganzoo.list_losses()``) or object.
            regularizers: Regularizer instances, names or ``{"name": ...}`` dicts.
            d_steps: discriminator steps per generator step.
            ema_decay: decay of the generator EMA (requires ``use_ema=True``).
            ema_start: step before which the EMA copies the weights.
            label_smoothing: one-sided smoothing of the real targets.
            jit_compile: XLA compilation (on by default).
        """
        given = {
            "g_optimizer": g_optimizer,
            "d_optimizer": d_optimizer,
            "loss": loss,
            "regularizers": regularizers,
            "d_steps": d_steps,
            "ema_decay": ema_decay,
            "ema_start": ema_start,
            "label_smoothing": label_smoothing,
        }
        args = {
            k: v if v is not None else self.compile_defaults.get(k, COMPILE_DEFAULTS[k])
            for k, v in given.items()
        }
        g_opt = _to_optimizer(args["g_optimizer"], "g_optimizer")
        d_opt = _to_optimizer(args["d_optimizer"], "d_optimizer")
        if g_opt is d_opt:
            raise GanzooError(
                "g_optimizer and d_optimizer are the same object; "
                "pass two optimizers (each keeps its own state)"
            )
        if int(args["d_steps"]) < 1:
            raise GanzooError(f"d_steps={args['d_steps']} must be >= 1")
        if args["ema_decay"] is not None:
            if not self.use_ema:
                raise GanzooError(
                    "ema_decay is set but the GAN was built with use_ema=False; "
                    "build it with use_ema=True"
                )
            if not 0.0 <= float(args["ema_decay"]) < 1.0:
                raise GanzooError(f"ema_decay={args['ema_decay']} must be in [0, 1)")
        self.loss_fn = _to_loss(args["loss"])
        self.label_smoothing = float(args["label_smoothing"])
        self.loss_fn.check_label_smoothing(self.label_smoothing)
        self.regularizer_list = [_to_regularizer(r) for r in args["regularizers"]]
        self.d_steps = int(args["d_steps"])
        self.ema_decay = None if args["ema_decay"] is None else float(args["ema_decay"])
        if self.use_ema and self.ema_decay is None:
            self.ema_decay = 0.999
        self.ema_start = int(args["ema_start"])
        self._compile_args = {
            **args,
            "g_optimizer": keras.optimizers.serialize(g_opt),
            "d_optimizer": keras.optimizers.serialize(d_opt),
            "loss": self.loss_fn.name,
            "regularizers": [
                keras.saving.serialize_keras_object(r) for r in self.regularizer_list
            ],
            "jit_compile": jit_compile,
        }
        if steps_per_execution > 1 and any(r.interval > 1 for r in self.regularizer_list):
            raise GanzooError(
                "lazy regularization (interval > 1) needs steps_per_execution=1"
            )
        super().compile(
            optimizer=g_opt,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
            run_eagerly=run_eagerly,
        )
        if keras.config.dtype_policy().name == "mixed_float16":
            LossScale = keras.optimizers.LossScaleOptimizer
            g_opt = g_opt if isinstance(g_opt, LossScale) else LossScale(g_opt)
            d_opt = d_opt if isinstance(d_opt, LossScale) else LossScale(d_opt)
        self.g_optimizer = g_opt
        self.d_optimizer = d_opt
        self.optimizer = OptimizerPair(self)
        self.optimizer.build()
        for reg in self.regularizer_list:
            reg.on_compile(self)
        names = ["d_loss", "g_loss", "d_real", "d_fake"]
        names += [self._reg_key(i) for i, r in enumerate(self.regularizer_list)
                  if not getattr(r, "is_constraint", False)]
        self._trackers = [keras.metrics.Mean(name=n) for n in names]
        self._phase = None

    def _reg_key(self, index: int) -> str:
        reg = self.regularizer_list[index]
        same = [r for r in self.regularizer_list if r.name == reg.name]
        return reg.name if len(same) == 1 else f"{reg.name}_{same.index(reg)}"

    @property
    def metrics(self):
        return list(self._trackers)

    def get_compile_config(self):
        return getattr(self, "_compile_args", None)

    def compile_from_config(self, config):
        config = dict(config)
        config["regularizers"] = [
            keras.saving.deserialize_keras_object(r) for r in config["regularizers"]
        ]
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.optimizers.deserialize(config[key])
        self.compile(**config)

    # -- the train step ------------------------------------------------------
    def train_step(self, *args):
        return backends.get().run_train_step(self, args, self._gan_train_step)

    def _active(self, index: int) -> bool:
        return self._phase is None or self._phase[index]

    def _regularize(self, target: str, ctx: StepContext, values: dict):
        total = 0.0
        for i, reg in enumerate(self.regularizer_list):
            if reg.target != target or getattr(reg, "is_constraint", False):
                continue
            if not self._active(i):
                continue
            value = ops.cast(reg(ctx), "float32")
            values[self._reg_key(i)] = value
            total = total + reg.weight * reg.interval * value
        return total

    def _unpack(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if self.num_classes:
            if y is None:
                raise GanzooError(
                    "this GAN is class-conditional: fit it on (images, labels)"
                )
            y = ops.reshape(ops.cast(y, "int32"), (-1,))
        else:
            y = None
        return x, y

    def _discriminator_step(self, real, labels):
        n = ops.shape(real)[0]
        fake = ops.stop_gradient(
            self.generator_forward(self.sample_latent(n), labels, training=True)
        )
        reg_values: dict = {}

        def loss_fn():
            real_logits = self.discriminator_forward(real, labels, training=True)
            fake_logits = self.discriminator_forward(fake, labels, training=True)
            loss = self.loss_fn.discriminator(
                real_logits, fake_logits, self.label_smoothing
            )
            ctx = StepContext(self, real, fake, labels, real_logits, fake_logits)
            total = loss + self._regularize(DISCRIMINATOR, ctx, reg_values)
            aux = (loss, ops.mean(real_logits), ops.mean(fake_logits), dict(reg_values))
            return self.d_optimizer.scale_loss(total), aux

        variables = self.discriminator.trainable_variables
        (_, aux), grads = backends.get().value_and_grad(loss_fn, variables)
        backends.get().apply_gradients(self.d_optimizer, grads, variables)
        return aux

    def _generator_step(self, real, labels):
        n = ops.shape(real)[0]
        z = self.sample_latent(n)
        reg_values: dict = {}

        def loss_fn():
            fake = self.generator_forward(z, labels, training=True)
            fake_logits = self.discriminator_forward(fake, labels, training=True)
            real_logits = None
            if self.loss_fn.generator_needs_real:
                real_logits = self.discriminator_forward(real, labels, training=True)
            loss = self.loss_fn.generator(fake_logits, real_logits)
            ctx = StepContext(self, real, fake, labels, real_logits, fake_logits)
            total = loss + self._regularize(GENERATOR, ctx, reg_values)
            return self.g_optimizer.scale_loss(total), (loss, dict(reg_values))

        variables = self.generator.trainable_variables
        (_, aux), grads = backends.get().value_and_grad(loss_fn, variables)
        backends.get().apply_gradients(self.g_optimizer, grads, variables)
        return aux

    def _update_ema(self):
        if self.ema_generator is None:
            return
        decay = ops.where(self.step_counter >= self.ema_start, self.ema_decay, 0.0)
        for w, ema_w in zip(self.generator.weights, self.ema_generator.weights):
            if w.trainable:
                ema_w.assign(ema_w + (1.0 - decay) * (ops.cast(w, ema_w.dtype) - ema_w))
            else:
                ema_w.assign(w)

    def _gan_train_step(self, data):
        real, labels = self._unpack(data)
        real = self.prepare_real(real)
        size = ops.shape(real)[0] // self.d_steps
        reg_values: dict = {}
        for i in range(self.d_steps):
            chunk = real[i * size : (i + 1) * size]
            chunk_labels = None if labels is None else labels[i * size : (i + 1) * size]
            d_loss, d_real, d_fake, values = self._discriminator_step(chunk, chunk_labels)
            reg_values.update(values)
        g_loss, values = self._generator_step(chunk, chunk_labels)
        reg_values.update(values)
        self._update_ema()
        self.step_counter.assign_add(1)
        self.on_train_step_end()
        logged = {"d_loss": d_loss, "g_loss": g_loss, "d_real": d_real, "d_fake": d_fake}
        logged.update(reg_values)
        for tracker in self._trackers:
            if tracker.name in logged:
                tracker.update_state(logged[tracker.name])
        return {t.name: t.result() for t in self._trackers}

    # -- lazy regularization: one compiled step per set of active regularizers
    def make_train_function(self, force=False):
        intervals = [r.interval for r in getattr(self, "regularizer_list", [])]
        if all(k == 1 for k in intervals):
            self._phase = None
            return super().make_train_function(force)
        if self.train_function is not None and not force:
            return self.train_function
        compiled: dict = {}
        # Every phase's function is made now, before fit starts: under a
        # keras.distribution Keras reads the variables' layouts to make one,
        # which it cannot once fit holds their values. Each traces on first use.
        for step in range(math.lcm(*intervals)):
            phase = tuple(step % k == 0 for k in intervals)
            if phase not in compiled:
                super().make_train_function(force=True)  # stored on the model
                compiled[phase] = self.train_function

        def dispatch(*args, **kwargs):
            phase = tuple(self._host_step % k == 0 for k in intervals)
            self._phase = phase
            self._host_step += 1
            return compiled[phase](*args, **kwargs)

        self.train_function = dispatch
        return dispatch

    def fit(self, x=None, y=None, *args, **kwargs):
        if not self.compiled:
            raise GanzooError("compile() the GAN before fit() (ganzoo.build does it)")
        self._check_fit_inputs(x, y)
        self._host_step = int(ops.convert_to_numpy(self.step_counter))
        return super().fit(x, y, *args, **kwargs)

    def _check_fit_inputs(self, x, y) -> None:
        """Catch missing labels before Keras starts (a failed trace mid-fit
        leaves the JAX trainer's variables unusable)."""
        if not self.num_classes or y is not None:
            return
        spec = getattr(x, "element_spec", None)
        has_labels = isinstance(spec, tuple) and len(spec) >= 2
        if isinstance(x, np.ndarray) or (spec is not None and not has_labels):
            raise GanzooError(
                "this GAN is class-conditional: fit it on (images, labels)"
            )

    # -- sampling --------------------------------------------------------------
    def latents(self, n: int, seed: int | None = None, truncation: float | None = None):
        """``n`` latent vectors from a NumPy stream (identical on every backend).

        With ``truncation=t`` every coordinate whose magnitude exceeds t is
        resampled until none does (BigGAN's truncation trick).
        """
        rng = np.random.default_rng(seed)
        z = rng.standard_normal((n, self.latent_dim)).astype("float32")
        if truncation is not None:
            if truncation <= 0:
                raise GanzooError(f"truncation={truncation} must be > 0")
            bad = np.abs(z) > truncation
            while bad.any():
                z[bad] = rng.standard_normal(int(bad.sum())).astype("float32")
                bad = np.abs(z) > truncation
        return z

    def _labels_for(self, n: int, labels, seed):
        if not self.num_classes:
            if labels is not None:
                raise GanzooError("labels were given but this GAN is unconditional")
            return None
        if labels is None:
            return np.arange(n, dtype="int32") % self.num_classes
        labels = np.broadcast_to(np.asarray(labels, dtype="int32"), (n,)).copy()
        if labels.min() < 0 or labels.max() >= self.num_classes:
            raise GanzooError(
                f"labels must be in [0, {self.num_classes - 1}], got "
                f"{labels.min()}..{labels.max()}"
            )
        return labels

    def _sampling_generator(self, use_ema: bool) -> keras.Model:
        return self.ema_generator if use_ema and self.ema_generator else self.generator

    @contextlib.contextmanager
    def standing_statistics(self, truncation: float | None = None, *, use_ema: bool = True,
                            num_batches: int = 16, batch_size: int = 256, seed: int = 0):
        """Batch-norm statistics re-estimated for the latents being sampled.

        A generator's moving statistics were gathered on untruncated latents;
        truncated ones give smaller activations, which those statistics do not
        renormalise, so samples lose contrast. Inside this context every
        BatchNormalization layer of the sampling generator holds the average
        batch statistics of ``num_batches`` batches drawn at ``truncation``
        (BigGAN's "standing statistics"); on exit every variable is restored.
        ``generate`` enters it whenever ``truncation`` is set; inside an outer
        ``standing_statistics`` it keeps the outer statistics. A generator
        without batch norm is left as it is.
        """
        generator = self._sampling_generator(use_ema)
        norms = [layer for layer in generator._flatten_layers()
                 if isinstance(layer, keras.layers.BatchNormalization)]
        if not norms or self._standing_for == id(generator):
            yield
            return
        saved = [(v, ops.convert_to_numpy(v)) for v in generator.variables]
        settings = [(layer, layer.momentum, layer.trainable) for layer in norms]
        self._standing_for = id(generator)
        try:
            for layer in norms:
                layer.trainable = True  # BN updates its statistics only when trainable
            for i in range(num_batches):
                for layer in norms:
                    layer.momentum = i / (i + 1)  # a running mean over the batches
                z = self.latents(batch_size, seed + i, truncation)
                self.generator_forward(z, self._labels_for(batch_size, None, None), True,
                                       generator)
            statistics = {id(v) for layer in norms
                          for v in (layer.moving_mean, layer.moving_variance)}
            for v, value in saved:  # e.g. spectral norm's power-iteration vectors
                if id(v) not in statistics:
                    v.assign(value)
            yield
        finally:
            self._standing_for = None
            for layer, momentum, trainable in settings:
                layer.momentum, layer.trainable = momentum, trainable
            for v, value in saved:
                v.assign(value)

    def generate_from_latents(self, z, labels=None, use_ema: bool = True, batch_size=256):
        """Images in [-1, 1] (NumPy, NHWC) for the given latents."""
        z = np.asarray(z, dtype="float32")
        labels = self._labels_for(len(z), labels, None)
        generator = self._sampling_generator(use_ema)
        out = []
        for start in range(0, len(z), batch_size):
            batch_labels = None if labels is None else labels[start : start + batch_size]
            images = self.generator_forward(
                z[start : start + batch_size], batch_labels, False, generator
            )
            out.append(ops.convert_to_numpy(ops.cast(images, "float32")))
        return np.concatenate(out) if out else np.zeros((0,))

    def generate(self, n: int, seed: int | None = None, labels=None, truncation=None,
                 use_ema: bool = True, batch_size: int = 256):
        """``n`` images in [-1, 1] (NumPy, NHWC), from the EMA generator if any.

        ``labels`` (an int or n ints) picks classes for conditional models;
        by default classes cycle 0, 1, ..., K-1. With ``truncation`` the
        latents are truncated and batch norm uses standing statistics
        (see ``standing_statistics``).
        """
        z = self.latents(n, seed, truncation)
        if truncation is None:
            return self.generate_from_latents(z, labels, use_ema, batch_size)
        with self.standing_statistics(truncation, use_ema=use_ema):
            return self.generate_from_latents(z, labels, use_ema, batch_size)

    # -- serialization -----------------------------------------------------------
    # Keras does not save SeedGenerator state; a resumed run must draw the same
    # latents as an uninterrupted one, so the GAN saves it with its own weights.
    _RNG_KEY = "rng_state"

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store[self._RNG_KEY] = ops.convert_to_numpy(self.seed_generator.state)

    def load_own_variables(self, store):
        keys = [k for k in store.keys() if k != self._RNG_KEY]
        if self._RNG_KEY in store.keys():
            self.seed_generator.state.assign(store[self._RNG_KEY])
        super().load_own_variables({k: store[k] for k in keys})

    def get_config(self):
        return {
            **super().get_config(),
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "num_classes": self.num_classes,
            "use_ema": self.use_ema,
            "compile_defaults": self.compile_defaults,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(
                config[key], custom_objects=custom_objects
            )
        return cls(**config)
