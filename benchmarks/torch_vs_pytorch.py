"""ganzoo on Keras' PyTorch backend vs the same DCGAN step written in plain PyTorch.

The README's DCGAN (the ``dcgan-fashion-mnist-32`` preset's networks: 32x32x1,
32 base filters, 4x4 kernels, batch 64, Adam(2e-4, beta_1=0.5), the
non-saturating loss, one D and one G step per batch) on random images. The
plain side is the same layers as ``torch.nn`` modules (translated from the
Keras networks, so the shapes match), trained by a hand-written loop: D on
reals and fakes, one Adam step; G through D, one Adam step. ``--rounds``
rounds each run ``--steps`` steps of both sides in turn, so a change in the
machine's load falls on both alike; a side's time is the median step time.

    KERAS_BACKEND=torch python benchmarks/torch_vs_pytorch.py [--steps 20] [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import keras
import numpy as np
import torch
from step_timer import StepTimes

import ganzoo

SIZE, BATCH = 32, 64


def to_torch(model: keras.Model) -> torch.nn.Sequential:
    """``model``'s layer chain as torch.nn modules (the DCGAN layers only; NCHW)."""
    modules, channels = [], model.inputs[0].shape[-1]
    for layer in model.layers[1:]:
        kind = type(layer).__name__
        if kind == "Dense":
            modules.append(torch.nn.Linear(layer.kernel.shape[0], layer.units,
                                           bias=layer.use_bias))
        elif kind == "Reshape":
            h, w, c = layer.target_shape
            modules.append(torch.nn.Unflatten(1, (c, h, w)))
            channels = c
        elif kind in ("Conv2D", "Conv2DTranspose"):
            assert layer.kernel_size == (4, 4) and layer.strides == (2, 2)
            make = torch.nn.Conv2d if kind == "Conv2D" else torch.nn.ConvTranspose2d
            modules.append(make(channels, layer.filters, 4, stride=2, padding=1,
                                bias=layer.use_bias))
            channels = layer.filters
        elif kind == "BatchNormalization":
            modules.append(torch.nn.BatchNorm2d(channels, eps=layer.epsilon, momentum=0.1))
        elif kind == "ReLU":
            modules.append(torch.nn.ReLU())
        elif kind == "LeakyReLU":
            modules.append(torch.nn.LeakyReLU(0.2))
        elif kind == "Activation":
            modules.append(torch.nn.Tanh())
        elif kind == "Flatten":
            modules.append(torch.nn.Flatten())
        else:
            raise ValueError(f"no torch.nn counterpart written for {kind}")
    return torch.nn.Sequential(*modules)


def plain_side(gan, images):
    G, D = to_torch(gan.generator), to_torch(gan.discriminator)
    opt_g = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
    reals = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()
    softplus = torch.nn.functional.softplus

    def step(real):
        z = torch.randn(BATCH, gan.latent_dim)
        with torch.no_grad():
            fake = G(z)
        d_loss = softplus(-D(real)).mean() + softplus(D(fake)).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        g_loss = softplus(-D(G(torch.randn(BATCH, gan.latent_dim)))).mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        return float(d_loss.detach())

    def run(steps):
        times = []
        for i in range(steps):
            start = time.perf_counter()
            step(reals[(i * BATCH) % len(reals):][:BATCH])
            times.append(time.perf_counter() - start)
        return times

    return run


def ganzoo_side(gan, images):
    def run(steps):
        timer = StepTimes()
        gan.fit(images[: steps * BATCH], batch_size=BATCH, verbose=0, shuffle=False,
                callbacks=[timer])
        return timer.times

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if keras.backend.backend() != "torch":
        raise SystemExit("run with KERAS_BACKEND=torch")
    gan = ganzoo.build("dcgan", image_size=SIZE, channels=1, base_filters=32, kernel_size=4,
                       seed=0)
    images = np.random.default_rng(0).uniform(-1, 1, (args.steps * BATCH, SIZE, SIZE, 1))
    images = images.astype("float32")
    sides = {"ganzoo": ganzoo_side(gan, images), "pytorch": plain_side(gan, images)}
    for run in sides.values():
        run(2)  # warm-up
    times = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, run in sides.items():
            times[name] += run(args.steps)
    medians = {name: statistics.median(t) for name, t in times.items()}
    result = {"steps_per_round": args.steps, "rounds": args.rounds, "threads": torch.get_num_threads(),
              "median_step_s": medians, "ratio_ganzoo_over_pytorch": medians["ganzoo"] / medians["pytorch"]}
    if args.json:
        print(json.dumps(result))
    else:
        for name, m in medians.items():
            print(f"{name:8s} {m * 1000:8.1f} ms/step  ({BATCH / m:.0f} img/s)")
        print(f"ganzoo / plain PyTorch step time: {result['ratio_ganzoo_over_pytorch']:.2f}")


if __name__ == "__main__":
    main()
