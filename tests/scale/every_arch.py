"""Trains and resumes every registered architecture through ``ganzoo train --devices N``, in one process.

Usage: python every_arch.py DEVICES WORKDIR (the devices are virtual, set by
the caller). For each architecture: 2 steps (3 for the phased
ones) on DEVICES devices with a checkpoint each step; the last checkpoint
is removed (as if the process had died just before writing it) and
``--resume --devices DEVICES`` trains the last step again. Prints one JSON line per architecture. One process for all of them,
so that the backend and the plugins import once (click's CliRunner).
"""

import json
import os
import shutil
import sys
import time
from pathlib import Path

if os.environ.get("GANZOO_TEST_TF_CPUS"):
    import tensorflow as tf

    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * int(os.environ["GANZOO_TEST_TF_CPUS"]))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from ganzoo_cli.main import cli  # noqa: E402

import ganzoo  # noqa: E402

# The smallest valid configs (--image-size, then --set overrides); None: not an image GAN.
# Self-attention is off (it has no per-device state; its own tests cover it): that saves
# a fifth of sagan's and biggan's time here.
# ProGAN and StyleGAN at 8x8 grow through 3 phases, one step each at least.
PHASED_STEPS = {"progan": 3, "stylegan": 3}
TINY = {
    "dcgan": (16, {"base_filters": 4, "kernel_size": 4}),
    "cgan": (16, {"base_filters": 4, "kernel_size": 4}),
    "wgan": (8, {"base_filters": 4}),
    "wgan-gp": (8, {"base_filters": 4}),
    "lsgan": (8, {"base_filters": 4}),
    "sagan": (16, {"base_filters": 2, "attention_resolution": 0}),
    "sngan": (16, {"base_filters": 2, "d_steps": 1}),  # its 5 D steps: 5 traced D phases
    "biggan": (16, {"base_filters": 2, "latent_dim": 12, "shared_dim": 4,
               "attention_resolution": 0}),
    "biggan-deep": (16, {"base_filters": 1, "latent_dim": 4, "shared_dim": 4,
                    "blocks_per_resolution": 1, "attention_resolution": 0}),
    "progan": (8, {"base_filters": 64, "max_filters": 4, "latent_dim": 8}),
    "stylegan": (8, {"latent_dim": 8, "w_dim": 8, "mapping_layers": 1, "base_filters": 32,
                     "max_filters": 4}),
    "stylegan2": (8, {"latent_dim": 8, "w_dim": 8, "base_filters": 32, "max_filters": 4}),
    "mlp2d": None,
}


def invoke(*args) -> str:
    result = CliRunner().invoke(cli, ["train", *map(str, args)])
    if result.exit_code != 0:
        raise RuntimeError(f"ganzoo train {' '.join(map(str, args))} -> {result.exit_code}: "
                           f"{result.output[-1500:]}{result.exception!r}")
    return result.output


def steps_done(run: Path) -> int:
    from ganzoo.training import load_checkpoint

    gan, _ = load_checkpoint(run / "gan.keras")
    return int(keras.ops.convert_to_numpy(gan.step_counter))


def main(devices: str, workdir: Path) -> None:
    rng = np.random.default_rng(0)
    data = workdir / "tiny.npz"
    np.savez(data, images=rng.integers(0, 256, (48, 16, 16, 1), dtype="uint8"),
             labels=rng.integers(0, 3, 48))  # 48: WGAN's 5 D steps read 40 images a step
    for arch in ganzoo.list_architectures():
        start, report = time.monotonic(), {"arch": arch}
        if arch not in TINY:
            report["error"] = "no tiny config in tests/scale/every_arch.py"
        elif TINY[arch] is None:
            result = CliRunner().invoke(cli, ["train", "--arch", arch, "--dataset", str(data),
                                              "--steps", "1", "--run-dir", str(workdir / arch)])
            report["refused"] = result.output.strip().splitlines()[-1:]
        else:
            size, overrides = TINY[arch]
            run, steps = workdir / arch, PHASED_STEPS.get(arch, 2)
            sets = [x for k, v in overrides.items() for x in ("--set", f"{k}={v}")]
            try:
                invoke("--arch", arch, "--dataset", data, "--image-size", size, "--batch-size", 8,
                       *sets, "--steps", steps, "--checkpoint-every", 1, "--run-dir", run,
                       "--devices", devices, "-q")
                shutil.rmtree(run / "checkpoints" / f"step-{steps:08d}")
                invoke("--resume", run, "--devices", devices, "-q")
                report["steps"] = steps_done(run)
                report["distribution"] = yaml.safe_load((run / "config.yaml").read_text())[
                    "distribution"]
                report["checkpoints"] = sorted(p.name for p in (run / "checkpoints").iterdir())
            except Exception as exc:  # noqa: BLE001 - reported per architecture, the test fails
                report["error"] = str(exc)
        report["seconds"] = round(time.monotonic() - start, 1)
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
