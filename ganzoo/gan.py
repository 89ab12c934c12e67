"""``GAN``: a keras.Model that trains a generator against a discriminator.

This file is the model: construction, the extension points plugins override,
``compile`` (arguments resolved against ``compile_defaults``), the glue to
Keras' ``fit``. How ``fit`` runs a train step is in ganzoo.step (the phases
in ganzoo.phases); sampling (``generate``, truncation) in ganzoo.sampling;
what its ``.keras`` file holds (config, compile settings, RNG) in ganzoo.saving.

Extension points (public; a plugin overrides or calls only these):

- ``generator_forward(z, labels, training, generator)`` and
  ``discriminator_forward(images, labels, training)``: how the networks are
  called (a GAN with ``has_w_space`` takes ``truncation_psi`` too). A D
  that ends with a conditioning head (``ganzoo.conditioning``) returns a
  dict: ``"logits"`` and the head's auxiliary outputs.
- ``prepare_real(images)``: transforms the reals before D sees them.
- ``on_train_step_end()``: runs inside every train step (schedules).
- ``current_ema_decay()``: this step's EMA decay (StyleGAN2 ramps it up).
- ``add_logged_metric(metric)``: one more value in ``fit``'s logs
  (``ganzoo.step.LastValue`` shows a value as it is now).
- ``retrace()``: rebuild the train function when what it traces changed.
- ``reset_optimizers()``: fresh optimizer state over the current trainable weights.
- ``has_w_space = True`` (a class attribute): the GAN is style-based and
  provides ``mapping_forward(z, training, labels=None)``,
  ``synthesis_forward(ws, training)``, ``map_latents(z, use_ema,
  truncation_psi, labels=None)``, ``generate_from_ws(ws, use_ema)``,
  ``style_mix(coarse_z, fine_z, crossover, use_ema, truncation_psi,
  labels=None)`` and ``generator_forward(..., truncation_psi=None)`` (the
  labels of a class-conditional one).

``step`` is the number of steps taken, as a Python int.
"""

from __future__ import annotations

import keras
from keras import ops

from ganzoo import backends, compile_args, distribution
from ganzoo.compile_args import COMPILE_DEFAULTS
from ganzoo.conditioning import check_labels
from ganzoo.conditioning.head import find as find_conditioning
from ganzoo.errors import GanzooError
from ganzoo.optimizers import (
    OptimizerPair,
    fresh_copy,
    rescale_for_lazy_phases,
    with_loss_scaling,
)
from ganzoo.phases import Phase, build_phases
from ganzoo.regularizers import RegularizerState
from ganzoo.sampling import Sampling
from ganzoo.saving import GANSaving
from ganzoo.step import check_fit_inputs, make_trackers, train_function
from ganzoo.tricks.freeze_d import freeze_blocks


@keras.saving.register_keras_serializable(package="ganzoo")
class GAN(Sampling, GANSaving, keras.Model):
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
            that the caller omits (keys of ``COMPILE_DEFAULTS``).
        seed: seed of the train step's random stream (latents, GP mixing).
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model,
                 latent_dim: int, num_classes: int = 0, use_ema: bool = False,
                 compile_defaults: dict | None = None, seed: int | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.num_classes = int(num_classes)
        self.use_ema = bool(use_ema)
        self.compile_defaults = dict(compile_defaults or {})
        self.seed = seed
        # D's conditioning head, if it has one (its loss terms join Dmain and Gmain)
        self.conditioning = find_conditioning(discriminator)
        if self.conditioning is not None and self.conditioning.uses_labels:
            check_labels(self.conditioning.name, self.num_classes)
        self.ema_generator = None
        if use_ema:
            self.ema_generator = backends.copy_model(generator)
            self.ema_generator.trainable = False
        self.seed_generator = keras.random.SeedGenerator(seed, name="gan_seed")
        self.step_counter = self.add_weight(
            shape=(), dtype="int32", initializer="zeros", trainable=False, name="step"
        )
        self.step_phases: list[Phase] = []
        self.augment = None
        self.topk = self.latent_optimization = None  # compile(...): ganzoo.tricks
        self.regularizer_state = None
        self._trackers: list[keras.metrics.Metric] = []
        self.host_step = 0  # the step count as fit's dispatch knows it (ganzoo.step)
        self.built = True

    # -- extension points (plugins may override; keras.ops only) ----------------
    def generator_forward(self, z, labels=None, training: bool = False, generator=None):
        """Images for latents ``z`` (and labels) from ``generator`` (default: G)."""
        generator = generator or self.generator
        inputs = [z, labels] if self.num_classes else z
        return generator(inputs, training=training)

    def discriminator_forward(self, images, labels=None, training: bool = False):
        """One logit per image, shape (n,); with a conditioning head, a dict of
        ``"logits"`` (n,) and the head's auxiliary outputs."""
        inputs = [images, labels] if self.num_classes else images
        out = self.discriminator(inputs, training=training)
        if isinstance(out, dict):
            return {**out, "logits": ops.reshape(out["logits"], (-1,))}
        return ops.reshape(out, (-1,))

    def discriminate(self, images, labels=None, training: bool = True,
                     outputs: bool = False):
        """D's logits for ``images`` after ``compile(augment=...)`` (``outputs=True``:
        the dict of ``"logits"`` and the conditioning head's outputs). Every image D
        sees in the step passes here; override ``discriminator_forward``, not this."""
        if self.augment is not None:
            images = self.augment(images, training=training)
        out = self.discriminator_forward(images, labels, training=training)
        out = out if isinstance(out, dict) else {"logits": out}
        return out if outputs else out["logits"]

    def prepare_real(self, images):
        """Transform real images before D sees them (ProGAN blends levels here)."""
        return images

    def on_train_step_end(self) -> None:
        """Called at the end of every train step; plugins update schedules here."""

    def current_ema_decay(self):
        """This step's EMA decay, read inside the step: ``ema_decay`` from
        ``ema_start`` on, 0 (a copy of G) before; override for a schedule."""
        return ops.where(self.step_counter >= self.ema_start, self.ema_decay, 0.0)

    def add_logged_metric(self, metric: keras.metrics.Metric) -> None:
        """Show ``metric`` in ``fit``'s logs; update it in ``on_train_step_end``.
        Call after ``compile`` (which resets the logged metrics)."""
        self._trackers.append(metric)

    def retrace(self) -> None:
        """Rebuild the train function on the next step (the traced step changed)."""
        self.train_function = None

    def reset_optimizers(self) -> None:
        """Fresh optimizers (same settings, no state) over the current trainable weights."""
        self.g_optimizer = fresh_copy(self.g_optimizer)
        self.d_optimizer = fresh_copy(self.d_optimizer)
        self._install_optimizers()

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
        draws = getattr(self.augment, "draws", 0)
        with backends.discard_state_updates():
            grad = backends.get().input_gradient(fn, x)
        # The augmentation drew keys inside; that stream's advance was discarded
        # with the rest, so advance it again: the next call must not reuse a key.
        if hasattr(self.augment, "advance"):
            self.augment.advance(self.augment.draws - draws)
        return grad

    # -- compile -------------------------------------------------------------
    def compile(self, g_optimizer=None, d_optimizer=None, loss=None, regularizers=None,
                d_steps: int | None = None, ema_decay: float | None = None,
                ema_start: int | None = None, label_smoothing: float | None = None,
                d_constraint=None, lazy_rescale: bool | None = None, augment=None,
                generator_first: bool | None = None, sanitize_gradients: bool | None = None,
                topk=None, freeze_d: int | None = None, latent_optimization=None,
                jit_compile: bool | str = True, steps_per_execution: int = 1,
                run_eagerly: bool = False):
        """Configure training; omitted arguments take the architecture's defaults.

        Args:
            g_optimizer, d_optimizer: optimizers (instances, names or configs);
                separate ones give TTUR.
            loss: an adversarial loss name (``ganzoo.list_losses()``) or object.
            regularizers: Regularizer instances, names or ``{"name": ...}`` dicts;
                ``interval=k`` makes one lazy phase (ganzoo.phases).
            d_steps: discriminator steps per generator step.
            ema_decay: decay of the generator EMA (requires ``use_ema=True``).
            ema_start: step before which the EMA copies the weights.
            label_smoothing: one-sided smoothing of the real targets.
            d_constraint: a keras Constraint applied to D's weights after each
                D update (``ganzoo.constraints.WeightClip`` for WGAN).
            lazy_rescale: rescale the optimizer of a network with a lazy phase
                (lr *= k/(k+1), beta_i **= k/(k+1); Karras et al. 2020).
            augment: differentiable augmentation of every image D sees: a
                ``ganzoo.augment`` spec string (``"diffaugment:color,translation,cutout"``,
                ``"ada"``, ``"ada:0.7"``), a pipeline (``ganzoo.augment.ADA(target=0.6)``)
                or any object with ``__call__(images, training)`` (and optionally
                ``update(real_logits)`` and ``logged_values()``). A pipeline draws from the
                GAN's seeded stream; its values (``augment_p``...) are logged every step.
            generator_first: G's phases before D's (stylegan2-ada-pytorch's order).
            sanitize_gradients: NaN gradients to 0, infinite ones to +-1e5 before each
                optimizer step, as stylegan2-ada-pytorch (not under fp16 loss scaling).
            topk, freeze_d, latent_optimization: top-k training of G (True or its
                options), FreezeD (D's first N blocks frozen), LOGAN: ganzoo.tricks.
            jit_compile: XLA compilation (on by default).
        """
        # The arguments that have defaults, by name (the rest configure Keras).
        given = {k: v for k, v in locals().items() if k in COMPILE_DEFAULTS}
        args = compile_args.resolve(given, self.compile_defaults, self.use_ema)
        self._compile_args = {**args.to_config(), "jit_compile": jit_compile}
        self.loss_fn, self.regularizer_list = args.loss, args.regularizers
        for name in ("label_smoothing", "d_steps", "ema_decay", "ema_start", "d_constraint",
                     "lazy_rescale", "generator_first", "sanitize_gradients", "topk",
                     "freeze_d", "latent_optimization"):
            setattr(self, name, getattr(args, name))
        if self.conditioning is not None and self.conditioning.replaces_loss \
                and self.label_smoothing:
            raise GanzooError(f"d_conditioning '{self.conditioning.name}' is the adversarial "
                              "loss and has no real target to smooth; use label_smoothing=0")
        freeze_blocks(self, self.freeze_d)  # before the optimizers are built over D's weights
        if steps_per_execution > 1 and any(r.interval > 1 for r in self.regularizer_list):
            raise GanzooError("lazy regularization (interval > 1) needs steps_per_execution=1")
        super().compile(optimizer=args.g_optimizer, jit_compile=jit_compile,
                        steps_per_execution=steps_per_execution, run_eagerly=run_eagerly)
        self._replace_tracked("augment", args.augment)
        if hasattr(self.augment, "bind"):
            self.augment.bind(self.seed_generator)  # one seeded stream for the whole step
        self.g_optimizer, self.d_optimizer = args.g_optimizer, args.d_optimizer
        if self.lazy_rescale:
            self.g_optimizer, self.d_optimizer = rescale_for_lazy_phases(
                build_phases(self), self.g_optimizer, self.d_optimizer)
        self._install_optimizers()
        self._replace_tracked("regularizer_state", RegularizerState(self))
        self._trackers = make_trackers(self)

    def _replace_tracked(self, name: str, value) -> None:
        old = getattr(self, name, None)
        if isinstance(old, keras.layers.Layer):
            backends.untrack_layer(self, old)
        setattr(self, name, value)

    def _install_optimizers(self) -> None:
        """Wrap (mixed precision) and build the optimizers; build the phases over them."""
        self.g_optimizer = with_loss_scaling(self.g_optimizer)
        self.d_optimizer = with_loss_scaling(self.d_optimizer)
        self.optimizer = OptimizerPair(self)
        self.optimizer.build()
        self.step_phases = build_phases(self)
        self.retrace()

    @property
    def metrics(self):
        return list(self._trackers)

    @property
    def step(self) -> int:
        """The train steps taken so far (the ``step_counter`` variable, read on the host)."""
        return int(ops.convert_to_numpy(self.step_counter))

    # -- fit glue --------------------------------------------------------------
    def make_train_function(self, force=False):
        """Keras' hook: ``fit`` calls what ganzoo.step's ``train_function`` makes."""
        if self.train_function is None or force:
            self.train_function = train_function(self)
        return self.train_function

    def train_step(self, *args):
        """Keras' step hook, which ``fit`` does not call here: ganzoo.step makes
        one function per set of phases (Keras' default would train a classifier)."""
        raise GanzooError("a GAN's train step is made per set of phases by ganzoo.step; "
                          "run steps with fit() or train_on_batch()")

    def fit(self, x=None, y=None, *args, **kwargs):
        if not self.compiled:
            raise GanzooError("compile() the GAN before fit() (ganzoo.build does it)")
        check_fit_inputs(self, x, y)
        self.host_step = self.step
        return super().fit(x, y, *args, **kwargs)
