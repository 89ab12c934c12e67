"""The ``mlp2d`` config and presets. Imports no backend."""

from dataclasses import dataclass

from ganzoo.architecture import preset
from ganzoo.config import ArchitectureConfig, check


@dataclass
class MLP2DConfig(ArchitectureConfig):  # latent_dim, num_classes, seed (images: GANConfig)
    """An MLP GAN for 2-D points (the toy setting of Metz et al. 2017)."""

    latent_dim: int = 8  # size of z
    hidden: int = 128  # units per hidden layer
    depth: int = 3  # hidden layers in G and in D
    loss: str = "non_saturating"  # any registered adversarial loss
    gradient_penalty: float = 0.0  # WGAN-GP weight; 0 disables it
    r1: float = 0.0  # R1 weight (gamma); 0 disables it
    logit_penalty: float = 0.0  # weight of this plugin's own regularizer (regularizers.py)
    d_steps: int = 1  # critic steps per generator step
    learning_rate: float = 1e-3
    beta_1: float = 0.5
    beta_2: float = 0.9

    def validate(self):
        super().validate()  # latent_dim > 0, num_classes >= 0
        check(self.num_classes == 0, "num_classes", self.num_classes,
              "use 0 (mlp2d's networks take no labels)")
        check(self.hidden > 0, "hidden", self.hidden, "use a positive width")
        check(self.depth >= 1, "depth", self.depth, "use 1 or more")
        for key in ("gradient_penalty", "r1", "logit_penalty"):
            check(getattr(self, key) >= 0, key, getattr(self, key), "use 0 (off) or more")
        check(self.d_steps >= 1, "d_steps", self.d_steps, "use 1 or more")


PRESETS = (
    preset("mlp2d-ring", "Eight Gaussians on a ring (ganzoo_mlp2d.data.ring_of_gaussians), "
           "WGAN-GP loss, logit penalty 1e-3", batch_size=256, steps=2000,
           loss="wasserstein", gradient_penalty=1.0, d_steps=5, logit_penalty=1e-3),
)
