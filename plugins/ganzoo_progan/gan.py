"""``ProGAN``: a ganzoo.GAN that trains one level (and fade-in) at a time.

Everything that depends on the growth stage follows from ``step_counter`` and
the schedule: the level (a trace-time constant of the train step: the step is
retraced when it changes) and ``alpha`` (a variable the step updates). Only
the current stage's layers are trainable; the others get neither gradients
nor optimizer updates, and the step never runs layers above the current level.

When the stage changes, the optimizers start afresh over the new set of
trainable weights, as the official code does (``reset_opt_for_new_lod``).
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import ops

from ganzoo.gan import GAN
from ganzoo.step import LastValue
from ganzoo_progan.blocks import downscale2d, lerp, upscale2d
from ganzoo_progan.schedule import GrowthStage, Schedule


@keras.saving.register_keras_serializable(package="ganzoo_progan")
class ProGAN(GAN):
    """Progressive growing of GANs (Karras et al. 2018) on the ganzoo.GAN step.

    Args:
        generator: a ProGANGenerator.
        discriminator: a ProGANDiscriminator.
        latent_dim: size of z.
        schedule: the growth stages (a Schedule or its config); the trainer
            sets it from the architecture's ``stages(config, total_steps)``
            when it enters a stage.
        **kwargs: ganzoo.GAN's (``use_ema``, ``compile_defaults``, ``seed``).
    """

    def __init__(
        self, generator, discriminator, latent_dim: int, schedule=None, **kwargs
    ):
        super().__init__(generator, discriminator, latent_dim, **kwargs)
        if schedule is None:
            from ganzoo_progan.config import ProGANConfig
            from ganzoo_progan.schedule import progan_schedule

            schedule = progan_schedule(ProGANConfig(image_size=generator.image_size))
        if not isinstance(schedule, Schedule):
            schedule = Schedule.from_config(schedule)
        self.schedule = schedule
        self.alpha = self.add_weight(
            shape=(), dtype="float32", initializer="ones", trainable=False, name="alpha"
        )
        self._current: GrowthStage | None = None
        self.sync_stage()

    # -- where training is -----------------------------------------------------
    @property
    def stage(self) -> GrowthStage:
        """The growth stage the model is set up for (that of ``step_counter`` outside ``fit``)."""
        return self._current

    @property
    def level(self) -> int:
        return self._current.level

    @property
    def fading(self) -> bool:
        return self._current.fading

    @property
    def resolution(self) -> int:
        return self._current.image_size

    def progress_info(self) -> dict[str, Any]:
        """What a progress bar shows: stage name, resolution and the next step's alpha."""
        return {
            "stage": self._current.name,
            "resolution": self._current.image_size,
            "alpha": float(ops.convert_to_numpy(self.alpha)),
        }

    def set_schedule(self, schedule: Schedule) -> None:
        """Use ``schedule`` from now on and move to the stage of ``step_counter``."""
        self.schedule = schedule
        self.sync_stage()

    def sync_stage(self) -> None:
        """Set level, trainable layers, optimizers and alpha from ``step_counter``.

        Called on construction, ``enter`` and before and after ``fit``. A
        change of level or fade-in retraces the train step and resets the
        optimizers' state.
        """
        step = self.step
        self._move_to(self.schedule.stage_at(step))
        self.alpha.assign(self.schedule.alpha_at(step))

    def _move_to(self, stage: GrowthStage) -> None:
        if stage == self._current:
            return
        old, self._current = self._current, stage
        if old is None or (old.level, old.fading) != (stage.level, stage.fading):
            self._enter_level(stage)
        self.retrace()

    def _enter_level(self, stage: GrowthStage) -> None:
        for generator in (self.generator, self.ema_generator):
            if generator is not None:
                generator.level = stage.level
        for model in (self.generator, self.discriminator):
            active = {id(la) for la in model.level_layers(stage.level, stage.fading)}
            for layer in model.layers:
                layer.trainable = id(layer) in active
        if self.compiled:
            self.reset_optimizers()

    # -- extension points of the GAN step ---------------------------------------
    def _alpha(self):
        return ops.convert_to_tensor(self.alpha) if self._current.fading else None

    def generator_forward(self, z, labels=None, training: bool = False, generator=None):
        generator = generator or self.generator
        return generator(z, level=self.level, alpha=self._alpha(), training=training)

    def discriminator_forward(self, images, labels=None, training: bool = False):
        logits = self.discriminator(images, alpha=self._alpha(), training=training)
        return ops.reshape(logits, (-1,))

    def prepare_real(self, images):
        """During fade-in, blend the reals with their 2x down- and up-sampled copy."""
        if not self._current.fading:
            return images
        return lerp(upscale2d(downscale2d(images)), images, self._alpha())

    def on_train_step_end(self) -> None:
        stage = self._current
        self._alpha_log.update_state(self.alpha)  # the alpha this step used
        self._resolution_log.update_state(stage.image_size)
        if stage.fading:
            done = ops.cast(self.step_counter - stage.start, "float32") / stage.steps
            self.alpha.assign(ops.clip(done, 0.0, 1.0))

    # -- keep the stage in step with step_counter --------------------------------
    def compile(self, *args, **kwargs):
        # super() builds the optimizers over the current stage's trainable set.
        super().compile(*args, **kwargs)
        # alpha and resolution appear in fit's logs (progress bar, metrics.jsonl).
        self._alpha_log = LastValue("alpha")
        self._resolution_log = LastValue("resolution")
        self.add_logged_metric(self._alpha_log)
        self.add_logged_metric(self._resolution_log)

    def fit(self, *args, **kwargs):
        self.sync_stage()
        try:
            return super().fit(*args, **kwargs)
        finally:
            self.sync_stage()

    # The stage is saved with the model: a checkpoint written inside fit at
    # the last step of a stage holds that stage's optimizer state, and the
    # loaded model must match it; ``enter`` or ``fit`` then move it on to the
    # stage of its step_counter exactly as they move the original.
    _STAGE_KEY = "progan_stage"
    _OLD_STAGE_KEYS = ("progan_phase",)  # files saved before the rename

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store[self._STAGE_KEY] = np.array(self.schedule.stages.index(self._current))

    def load_own_variables(self, store):
        # Own variables load before the optimizers', so the optimizers are
        # rebuilt for the saved stage before their state loads.
        stage_keys = (self._STAGE_KEY, *self._OLD_STAGE_KEYS)
        keys = [k for k in store.keys() if k not in stage_keys]
        super().load_own_variables({k: store[k] for k in keys})
        saved = [k for k in stage_keys if k in store.keys()]
        if saved:
            index = int(np.asarray(store[saved[0]]))
            self._move_to(self.schedule.stages[index])
        else:
            self.sync_stage()

    def get_config(self):
        return {**super().get_config(), "schedule": self.schedule.get_config()}
