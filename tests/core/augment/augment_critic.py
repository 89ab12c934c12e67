"""A tiny hand-written discriminator step with an augmentation pipeline.

It stands in for the GAN's D phase until the pipelines are wired into
``ganzoo.gan``: reals and fakes both pass through the pipeline, D takes one
optimizer step, then ``pipeline.update(real_logits)``. It runs through
``fit`` with the same backend mechanics as the GAN (compiled, and stateless on
JAX), so the pipeline's variables must be updated inside the step.
"""

import keras
from keras import ops

from ganzoo import backends


class AugmentedCritic(keras.Model):
    """Trains ``critic`` to tell ``fit``'s images (real) from noise (fake)."""

    def __init__(self, critic, pipeline, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.critic = critic
        self.pipeline = pipeline
        self.noise = keras.random.SeedGenerator(seed)

    def call(self, images, training=False):
        return self.critic(images, training=training)

    def train_step(self, *args):
        return backends.get().keras_train_step(self, self._step)(*args)

    def make_train_function(self, force=False):
        """Compiled as the GAN's step is (ganzoo.step): by the backend module. On
        PyTorch, Keras' own would hand the step to torch.compile, which the GAN's
        step never is (see ganzoo.backends.torch_backend)."""
        if self.train_function is None or force:
            backend = backends.get()
            self.train_function = backend.compile_train_function(
                self, backend.keras_train_step(self, self._step))
        return self.train_function

    def _step(self, data):
        real = data
        fake = keras.random.uniform(ops.shape(real), -1.0, 1.0, seed=self.noise)

        def loss_fn():
            real_logits = ops.reshape(self.critic(self.pipeline(real, training=True),
                                                  training=True), (-1,))
            fake_logits = ops.reshape(self.critic(self.pipeline(fake, training=True),
                                                  training=True), (-1,))
            loss = ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))
            return loss, (loss, real_logits)

        variables = self.critic.trainable_variables
        (_, (loss, real_logits)), grads = backends.get().value_and_grad(loss_fn, variables)
        backends.get().apply_gradients(self.optimizer, grads, variables)
        self.pipeline.update(real_logits)
        return {"d_loss": loss, **self.pipeline.logged_values()}


def critic(size=8, channels=1):
    inputs = keras.Input((size, size, channels))
    x = keras.layers.Flatten()(inputs)
    x = keras.layers.Dense(32, activation="relu")(x)
    return keras.Model(inputs, keras.layers.Dense(1)(x))
