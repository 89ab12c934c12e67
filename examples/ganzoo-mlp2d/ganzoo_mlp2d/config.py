"""The ``mlp2d`` config and presets. Imports no backend."""

from dataclasses import dataclass

from ganzoo.architecture import Preset
from ganzoo.config import check


@dataclass
class MLP2DConfig:
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
    seed: int = 0

    def __post_init__(self):
        check(self.logit_penalty >= 0, "logit_penalty", self.logit_penalty, "use 0 or more")


PRESETS = (
    Preset(
        "mlp2d-ring",
        "Eight Gaussians on a ring (ganzoo_mlp2d.data.ring_of_gaussians), WGAN-GP loss, "
        "logit penalty 1e-3",
        {"loss": "wasserstein", "gradient_penalty": 1.0, "d_steps": 5, "logit_penalty": 1e-3},
        {"steps": 2000, "batch_size": 256},
    ),
)
