"""The ``wgan``, ``wgan-gp`` and ``lsgan`` entry point: compile defaults, build,
architectures, hooks.

Imports no backend: ``build`` imports the networks when it runs.
"""

from ganzoo.architecture import Architecture, compiled_gan, optimizer_config
from ganzoo.hookspecs import hookimpl
from ganzoo_wgan.config import PRESETS, LSGANConfig, WGANConfig, WGANGPConfig


def compile_defaults(config: WGANConfig | WGANGPConfig | LSGANConfig) -> dict:
    """Each paper's optimizers, loss, penalties and critic steps."""
    if isinstance(config, WGANConfig):
        # RMSProp with the rho and epsilon of the reference torch.optim.RMSprop;
        # the critic's weights are clipped to [-c, c] after every step.
        opt = optimizer_config("RMSprop", learning_rate=config.learning_rate, rho=0.99,
                               epsilon=1e-8)
        clip = {"class_name": "ganzoo>WeightClip", "config": {"clip": config.clip}}
        extra = {"loss": "wasserstein", "d_steps": config.d_steps, "d_constraint": clip}
    elif isinstance(config, WGANGPConfig):
        opt = optimizer_config("Adam", learning_rate=config.learning_rate,
                               beta_1=config.beta_1, beta_2=config.beta_2)
        gp = [{"name": "gp", "weight": config.gp_weight}] if config.gp_weight else []
        extra = {"loss": "wasserstein", "d_steps": config.d_steps, "regularizers": gp}
    else:
        opt = optimizer_config("Adam", learning_rate=config.learning_rate, beta_1=config.beta_1)
        extra = {"loss": "least_squares", "label_smoothing": config.label_smoothing}
    return {"g_optimizer": opt, "d_optimizer": opt, **extra}


def build(config: WGANConfig | WGANGPConfig | LSGANConfig):
    """The critic and generator for ``config``'s architecture -> a compiled GAN."""
    from ganzoo_wgan.discriminator import build_discriminator
    from ganzoo_wgan.generator import build_generator

    return compiled_gan(build_generator(config), build_discriminator(config), config,
                        compile_defaults(config))


# One set of networks; the config class tells the three apart.
WGAN = Architecture(
    "wgan", "Wasserstein GAN: weight-clipped critic, RMSProp, 5 critic steps",
    "Arjovsky, Chintala & Bottou 2017, Wasserstein GAN (arXiv:1701.07875)",
    WGANConfig, build, presets=PRESETS["wgan"])
WGAN_GP = Architecture(
    "wgan-gp", "WGAN with gradient penalty; DCGAN or ResNet critic",
    "Gulrajani et al. 2017, Improved Training of Wasserstein GANs (arXiv:1704.00028)",
    WGANGPConfig, build, presets=PRESETS["wgan-gp"])
LSGAN = Architecture(
    "lsgan", "Least-squares GAN (a=0, b=c=1) on a DCGAN backbone",
    "Mao et al. 2017, Least Squares Generative Adversarial Networks (arXiv:1611.04076)",
    LSGANConfig, build, presets=PRESETS["lsgan"])


@hookimpl
def register_architectures(register):
    register(WGAN)
    register(WGAN_GP)
    register(LSGAN)
