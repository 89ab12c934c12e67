"""Importing the PyTorch examples' DCGAN (``pytorch-examples-dcgan`` format).

The example (``dcgan/main.py`` of github.com/pytorch/examples) saves
``netG.state_dict()`` and ``netD.state_dict()`` with ``torch.save`` after each
epoch (``netG_epoch_N.pth``, ``netD_epoch_N.pth``). Both networks are one
``nn.Sequential`` called ``main``, 64x64, 4x4 kernels, no biases:

- G: a transposed conv from the (nz, 1, 1) latent to 4x4 x 8*ngf, then three
  stride-2 transposed convs halving the width, each followed by batch norm
  and ReLU, then a stride-2 transposed conv to nc channels and tanh;
- D: four stride-2 convs (ndf, 2, 4, 8 x ndf; batch norm on all but the
  first; LeakyReLU 0.2), then a 4x4 conv to one value and a sigmoid.

``ganzoo.importers.pth_reader`` reads the files without PyTorch; the shapes
give nz, ngf, ndf and nc, and ganzoo's ``dcgan`` with ``kernel_size=4``,
``use_bias=False`` and ``d_base_filters=ndf`` is the same network:

- G's first layer (a transposed conv over a 1x1 map) is ganzoo's dense
  projection: ``[nz, C, 4, 4]`` -> ``[nz, 4*4*C]`` in height, width, channel
  order (ganzoo reshapes channels-last);
- transposed convs ``[in, out, kh, kw]`` -> ``[kh, kw, out, in]`` and convs
  ``[out, in, kh, kw]`` -> ``[kh, kw, in, out]``, not flipped (both code bases
  correlate; padding 1 at stride 2 is Keras' ``"same"`` for a 4x4 kernel);
- batch norm's weight, bias, running mean and variance -> gamma, beta and
  the moving mean and variance (epsilon 1e-5 and momentum 0.1, Keras' 0.9,
  in both);
- D's last conv (4x4 over a 4x4 map) is ganzoo's dense logit over the
  channels-last flattened map; ganzoo's D stops before the sigmoid (its
  losses take logits), so ``sigmoid(logit)`` is the example's output.

Without the discriminator's file the GAN gets a fresh, randomly initialized
D as wide as G.
"""

from __future__ import annotations

from pathlib import Path

from ganzoo.importers import assign, read_torch_state_dict
from ganzoo.importers.safe_pickle import ImporterError

FORMAT = "pytorch-examples-dcgan"
DESCRIPTION = ("The PyTorch examples' DCGAN state dicts: netG_epoch_*.pth, and its "
               "netD_epoch_*.pth with --discriminator")

IMAGE_SIZE, KERNEL = 64, 4
G_CONVS = (0, 3, 6, 9, 12)  # main.<i> of the Sequential
G_NORMS = (1, 4, 7, 10)
D_CONVS = (0, 2, 5, 8, 11)
D_NORMS = (3, 6, 9)
G_LAYERS = ("project", "up1", "up2", "up3", "to_image")  # ganzoo's names
D_LAYERS = ("down1", "down2", "down3", "down4", "logit")
NORM_KEYS = ("weight", "bias", "running_mean", "running_var")
IGNORED = "num_batches_tracked"  # only used with momentum=None; ganzoo has none


def kind(arrays: dict) -> str | None:
    """"G" or "D" when the keys are the example's Generator's or Discriminator's."""
    if "main.12.weight" in arrays:
        return "G"
    if "main.11.weight" in arrays:
        return "D"
    return None


def generator_shapes(nz: int, ngf: int, nc: int) -> dict[str, tuple]:
    widths = (nz, 8 * ngf, 4 * ngf, 2 * ngf, ngf, nc)
    return _shapes(G_CONVS, G_NORMS, [(widths[i], widths[i + 1]) for i in range(5)],
                   widths[1:5])


def discriminator_shapes(ndf: int, nc: int) -> dict[str, tuple]:
    widths = (nc, ndf, 2 * ndf, 4 * ndf, 8 * ndf, 1)
    return _shapes(D_CONVS, D_NORMS, [(widths[i + 1], widths[i]) for i in range(5)],
                   widths[2:5])


def _shapes(convs, norms, conv_shapes, norm_widths) -> dict[str, tuple]:
    out = {f"main.{i}.weight": (*s, KERNEL, KERNEL) for i, s in zip(convs, conv_shapes,
                                                                      strict=True)}
    for i, width in zip(norms, norm_widths, strict=True):
        out.update({f"main.{i}.{key}": (width,) for key in NORM_KEYS})
    return out


def _dim(arrays, key, axis, what, path) -> int:
    value = arrays[key]
    if value.ndim != 4:
        raise ImporterError(f"{what} {path}: {key} has shape {value.shape}, not a 4-D "
                            "conv weight; is it the PyTorch examples' DCGAN?")
    return int(value.shape[axis])


def check(arrays: dict, expected: dict, what: str, path) -> None:
    """Every key of the example's network is there, with its shape, and no other."""
    for key, shape in expected.items():
        if key not in arrays:
            raise ImporterError(f"{what} {path} has no '{key}'; is it the PyTorch "
                                "examples' DCGAN (64x64)?")
        if tuple(arrays[key].shape) != shape:
            raise ImporterError(f"{what} {path}: {key} has shape {tuple(arrays[key].shape)}"
                                f", the example's network needs {shape}")
    extra = sorted(k for k in arrays if k not in expected and not k.endswith(IGNORED))
    if extra:
        raise ImporterError(f"{what} {path} has weights the example's network does not: "
                            f"{', '.join(extra[:4])}")


def read_generator(path) -> tuple[dict, dict]:
    """``(arrays, {"latent_dim", "base_filters", "channels"})`` of a netG file."""
    arrays = read_torch_state_dict(path, "netG")
    found = kind(arrays)
    if found == "D":
        raise ImporterError(f"{path} is the example's netD (a Discriminator): give its "
                            "netG file as FILE and this one as --discriminator")
    if found is None:
        raise ImporterError(f"{path} is not the PyTorch examples' DCGAN netG (keys: "
                            f"{', '.join(list(arrays)[:4]) or 'none'})")
    nz = _dim(arrays, "main.0.weight", 0, "netG", path)
    ngf = _dim(arrays, "main.12.weight", 0, "netG", path)
    nc = _dim(arrays, "main.12.weight", 1, "netG", path)
    check(arrays, generator_shapes(nz, ngf, nc), "netG", path)
    return arrays, {"latent_dim": nz, "base_filters": ngf, "channels": nc}


def read_discriminator(path) -> tuple[dict, dict]:
    """``(arrays, {"d_base_filters", "channels"})`` of a netD file."""
    arrays = read_torch_state_dict(path, "netD")
    found = kind(arrays)
    if found == "G":
        raise ImporterError(f"--discriminator {path} is the example's netG (a Generator), "
                            "not its netD")
    if found is None:
        raise ImporterError(f"--discriminator {path} is not the PyTorch examples' DCGAN "
                            f"netD (keys: {', '.join(list(arrays)[:4]) or 'none'})")
    ndf = _dim(arrays, "main.0.weight", 0, "netD", path)
    nc = _dim(arrays, "main.0.weight", 1, "netD", path)
    check(arrays, discriminator_shapes(ndf, nc), "netD", path)
    return arrays, {"d_base_filters": ndf, "channels": nc}


def config_kwargs(generator: dict, discriminator: dict | None = None) -> dict:
    """``DCGANConfig`` fields of the example's networks (from ``read_*``'s dicts)."""
    if discriminator is not None and discriminator["channels"] != generator["channels"]:
        raise ImporterError(f"netG makes {generator['channels']}-channel images, netD "
                            f"takes {discriminator['channels']}: not one GAN's files")
    if generator["channels"] not in (1, 3):
        raise ImporterError(f"unsupported network: nc={generator['channels']} (ganzoo "
                            "images have 1 or 3 channels)")
    # The example's defaults beside the networks: batch 64, Adam(2e-4, beta_1 0.5).
    return {**generator, **(discriminator or {}), "image_size": IMAGE_SIZE,
            "kernel_size": KERNEL, "use_bias": False, "batch_size": 64}


# -- weights -------------------------------------------------------------------
def _norm(layer, arrays, index):
    for attr, key in zip(("gamma", "beta", "moving_mean", "moving_variance"), NORM_KEYS,
                         strict=True):
        assign(getattr(layer, attr), arrays[f"main.{index}.{key}"], f"main.{index}.{key}")


def set_generator(generator, arrays: dict) -> None:
    """Copy netG's arrays into ganzoo's dcgan generator (``use_bias=False``)."""
    w = arrays["main.0.weight"]  # [nz, C, 4, 4] -> [nz, 4*4*C], channels last
    assign(generator.get_layer("project").kernel,
            w.transpose(0, 2, 3, 1).reshape(w.shape[0], -1), "main.0.weight")
    for index, name in zip(G_CONVS[1:], G_LAYERS[1:], strict=True):
        assign(generator.get_layer(name).kernel,
                arrays[f"main.{index}.weight"].transpose(2, 3, 1, 0), f"main.{index}.weight")
    for index, name in zip(G_NORMS, G_LAYERS[:-1], strict=True):
        _norm(generator.get_layer(f"{name}_bn"), arrays, index)


def set_discriminator(discriminator, arrays: dict) -> None:
    """Copy netD's arrays into ganzoo's dcgan discriminator (``use_bias=False``)."""
    for index, name in zip(D_CONVS[:-1], D_LAYERS[:-1], strict=True):
        assign(discriminator.get_layer(name).kernel,
                arrays[f"main.{index}.weight"].transpose(2, 3, 1, 0), f"main.{index}.weight")
    for index, name in zip(D_NORMS, D_LAYERS[1:-1], strict=True):
        _norm(discriminator.get_layer(f"{name}_bn"), arrays, index)
    w = arrays["main.11.weight"]  # [1, C, 4, 4] -> [4*4*C, 1], channels last
    assign(discriminator.get_layer("logit").kernel,
            w.transpose(2, 3, 1, 0).reshape(-1, 1), "main.11.weight")


def load_gan(path: Path, discriminator=None):
    """A compiled ``dcgan`` GAN holding netG (and netD, given its file as ``discriminator``)."""
    from ganzoo.api import get_architecture

    g_arrays, g_kwargs = read_generator(path)
    d_arrays = d_kwargs = None
    if discriminator is not None:
        if not Path(discriminator).is_file():
            raise ImporterError(f"--discriminator {discriminator}: no such file")
        d_arrays, d_kwargs = read_discriminator(discriminator)
    architecture = get_architecture("dcgan")
    gan = architecture.build(architecture.make_config(**config_kwargs(g_kwargs, d_kwargs)))
    set_generator(gan.generator, g_arrays)
    if d_arrays is not None:
        set_discriminator(gan.discriminator, d_arrays)
    return gan
