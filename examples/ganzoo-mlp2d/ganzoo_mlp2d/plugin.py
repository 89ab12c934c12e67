"""Hook implementations: what ganzoo discovers through the entry point."""

from dataclasses import dataclass

import keras

import ganzoo
from ganzoo_mlp2d.networks import build_discriminator, build_generator


@dataclass
class MLP2DConfig:
    latent_dim: int = 8  # size of z
    hidden: int = 128  # units per hidden layer
    depth: int = 3  # hidden layers in G and in D
    loss: str = "non_saturating"  # any registered adversarial loss
    gradient_penalty: float = 0.0  # WGAN-GP weight; 0 disables it
    r1: float = 0.0  # R1 weight (gamma); 0 disables it
    d_steps: int = 1  # critic steps per generator step
    learning_rate: float = 1e-3
    beta_1: float = 0.5
    beta_2: float = 0.9
    seed: int = 0


def build(config):
    gan = ganzoo.GAN(
        build_generator(config), build_discriminator(config), config.latent_dim, seed=config.seed
    )
    regularizers = []
    if config.gradient_penalty:
        regularizers.append({"name": "gp", "weight": config.gradient_penalty})
    if config.r1:
        regularizers.append({"name": "r1", "weight": config.r1})

    def adam():
        return keras.optimizers.Adam(config.learning_rate, config.beta_1, config.beta_2)

    gan.compile(adam(), adam(), loss=config.loss, regularizers=regularizers, d_steps=config.d_steps)
    return gan


@ganzoo.hookimpl
def register_architectures(register):
    register(
        "mlp2d",
        ganzoo.Architecture(
            name="mlp2d",
            summary="MLP GAN for 2-D points (example third-party plugin)",
            paper="Goodfellow et al. 2014; toy setting of Metz et al. 2017",
            config_class=MLP2DConfig,
            build=build,
        ),
    )


@ganzoo.hookimpl
def register_generators(register):
    register("mlp2d", build_generator)


@ganzoo.hookimpl
def register_discriminators(register):
    register("mlp2d", build_discriminator)
