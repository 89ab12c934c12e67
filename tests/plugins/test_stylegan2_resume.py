"""stylegan2 through the CLI: a run resumed half-way equals an uninterrupted one.

Both runs are ``ganzoo train`` in this process (Click's CliRunner). The
intervals are 2, so the lazy R1 (Dreg) and path-length (Greg) phases, the
path-length mean and the EMA ramp-up all run before and after the resume.
"""

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_cli.main import cli
from keras import ops

from ganzoo.testing import interrupted_copy
from ganzoo.training import latest_checkpoint, load_checkpoint

STEPS = 4  # the interrupted run's last checkpoint; both end at 2 * STEPS
CONFIG = ["--arch", "stylegan2", "--image-size", "8", "--batch-size", "4", "-q",
          "--sample-every", "1000",
          *[arg for kv in ("latent_dim=8", "w_dim=8", "base_filters=64", "max_filters=8",
                           "r1_interval=2", "pl_interval=2")
            for arg in ("--set", kv)]]


def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def state(gan) -> dict:
    """Every variable a resume must carry, by a name that says which."""
    (path_length,) = [r for r in gan.regularizer_list if r.name == "path_length"]
    out = {"step": numpy(gan.step_counter), "pl_mean": numpy(path_length.pl_mean)}
    for prefix, variables in (("G", gan.generator.variables),
                              ("D", gan.discriminator.variables),
                              ("EMA", gan.ema_generator.variables),
                              ("g_opt", gan.g_optimizer.variables),
                              ("d_opt", gan.d_optimizer.variables)):
        for i, v in enumerate(variables):
            # v.name, not v.path: paths carry per-process counters (seed_generator_22).
            out[f"{prefix}/{i}/{v.name}"] = numpy(v)
    return out


@pytest.mark.slow
def test_resumed_run_equals_an_uninterrupted_one(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (32, 8, 8, 1), dtype="uint8")
    data = tmp_path / "tiny.npz"
    np.savez(data, images=images)

    invoke("train", *CONFIG, "--dataset", data, "--steps", 2 * STEPS,
           "--checkpoint-every", STEPS, "--run-dir", tmp_path / "straight")
    interrupted_copy(tmp_path / "straight", tmp_path / "resumed", step=STEPS)
    invoke("train", "--resume", tmp_path / "resumed", "-q")

    straight, _ = load_checkpoint(latest_checkpoint(tmp_path / "straight" / "checkpoints"))
    resumed, _ = load_checkpoint(latest_checkpoint(tmp_path / "resumed" / "checkpoints"))
    a, b = state(straight), state(resumed)
    assert sorted(a) == sorted(b)
    assert int(a["step"]) == 2 * STEPS
    assert float(a["pl_mean"]) > 0  # the Greg phase ran
    assert any(k.startswith("g_opt") for k in a) and any(k.startswith("d_opt") for k in a)
    # The same ops on the same inputs in the same order on one CPU give the
    # same bits, so the comparison is exact: any state a resume lost or
    # re-drew (a seed, a phase counter, the pl mean, a moment) shows.
    for key in a:
        np.testing.assert_array_equal(b[key], a[key], err_msg=key)
    # The EMA is an average, not a copy of G: its ramp-up ran.
    g = [a[k] for k in a if k.startswith("G/")]
    ema = [a[k] for k in a if k.startswith("EMA/")]
    assert any(not np.array_equal(x, y) for x, y in zip(g, ema, strict=True))
