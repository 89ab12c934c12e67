"""What a GAN's ``.keras`` file holds beyond Keras' defaults.

Keras saves neither a ``SeedGenerator``'s state nor a subclassed model's
constructor arguments by itself; these mixins add both, so a resumed run
draws the same numbers as an uninterrupted one and a saved GAN rebuilds
with both networks.
"""

from __future__ import annotations

import keras
from keras import ops

RNG_KEY = "rng_state"  # the seed stream's entry among a layer's own variables


class SeedStateSaving:
    """Mixin of a Keras layer with a ``seed_generator``: saves and restores its state."""

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store[RNG_KEY] = ops.convert_to_numpy(self.seed_generator.state)

    def load_own_variables(self, store):
        if RNG_KEY in store.keys():
            self.seed_generator.state.assign(store[RNG_KEY])
        super().load_own_variables({k: store[k] for k in store.keys() if k != RNG_KEY})


class GANSaving(SeedStateSaving):
    """Mixin of ``ganzoo.GAN``: its config (both networks) and its compile settings."""

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

    def get_compile_config(self):
        """``compile``'s resolved arguments as a config (what a ``.keras`` file stores)."""
        return getattr(self, "_compile_args", None)

    def compile_from_config(self, config):
        """``compile`` again from ``get_compile_config()``'s output."""
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.optimizers.deserialize(config[key])
        self.compile(**config)
