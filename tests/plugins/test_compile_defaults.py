"""Every architecture keeps its training setup in ``compile_defaults``.

``build`` -> ``compile()`` with no arguments must give back the loss,
regularizers, d_steps, EMA settings and optimizer configs that ``build``
gave; an architecture that passes optimizer instances to ``compile`` instead
silently falls back to Adam(2e-4, 0.5) here.
"""

import pytest

import ganzoo

# Small networks, so that building every architecture takes seconds.
TINY = {
    "dcgan": {"image_size": 16, "base_filters": 4, "kernel_size": 4},
    "cgan": {"image_size": 16, "base_filters": 4, "kernel_size": 4},
    "wgan": {"image_size": 8, "base_filters": 4},
    "wgan-gp": {"image_size": 8, "base_filters": 4},
    "lsgan": {"image_size": 8, "base_filters": 4},
    "sagan": {"image_size": 16, "base_filters": 2},
    "sngan": {"image_size": 16, "base_filters": 2},
    "biggan": {"image_size": 16, "base_filters": 2, "latent_dim": 12, "shared_dim": 4},
    "biggan-deep": {"image_size": 16, "base_filters": 1, "latent_dim": 4, "shared_dim": 4},
    "progan": {"image_size": 8, "base_filters": 64, "max_filters": 4, "latent_dim": 8},
    "stylegan": {"image_size": 8, "latent_dim": 8, "w_dim": 8, "mapping_layers": 1,
                 "base_filters": 32, "max_filters": 4},
    "stylegan2": {"image_size": 8, "latent_dim": 8, "w_dim": 8, "base_filters": 32,
                  "max_filters": 4},
    "mlp2d": {"hidden": 4, "logit_penalty": 1e-3},
}


def training_setup(gan) -> dict:
    def optimizer(opt):
        config = {k: v for k, v in opt.get_config().items() if k != "name"}
        return type(opt).__name__, config

    return {
        "loss": gan.loss_fn.name,
        "regularizers": [(type(r).__name__, r.get_config()) for r in gan.regularizer_list],
        "d_steps": gan.d_steps,
        "d_constraint": gan.d_constraint and (type(gan.d_constraint).__name__,
                                              gan.d_constraint.get_config()),
        "ema": (gan.use_ema, gan.ema_decay, gan.ema_start),
        "label_smoothing": gan.label_smoothing,
        "g_optimizer": optimizer(gan.g_optimizer),
        "d_optimizer": optimizer(gan.d_optimizer),
    }


@pytest.mark.parametrize("name", ganzoo.list_architectures())
def test_compile_without_arguments_restores_what_build_gave(name):
    gan = ganzoo.build(name, **TINY.get(name, {}))
    built = training_setup(gan)
    gan.compile()
    assert training_setup(gan) == built
    # The optimizers are fresh objects each time, never shared between G and D.
    assert gan.g_optimizer is not gan.d_optimizer


def test_the_check_sees_a_non_default_setup():
    # If compile_defaults were empty these would be Adam(2e-4, 0.5), non-saturating.
    setup = training_setup(ganzoo.build("wgan", **TINY["wgan"]))
    assert setup["g_optimizer"][0] == "RMSprop" and setup["d_steps"] == 5
    assert setup["loss"] == "wasserstein"
    assert setup["d_constraint"] == ("WeightClip", {"clip": 0.01})
    biggan = training_setup(ganzoo.build("biggan", **TINY["biggan"]))
    assert biggan["ema"] == (True, 0.9999, 20000) and biggan["d_steps"] == 2
    assert biggan["d_optimizer"][1]["learning_rate"] == pytest.approx(4e-4)
