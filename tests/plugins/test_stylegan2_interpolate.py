"""Interpolation in W (``ganzoo.latent.interpolate_w``, ``ganzoo interpolate --space w``)."""

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_cli.main import cli
from PIL import Image

import ganzoo
from ganzoo.errors import GanzooError
from ganzoo.image_grid import make_grid
from ganzoo.latent import interpolate, interpolate_w, latent_for_seed

TINY = {"image_size": 8, "channels": 1, "latent_dim": 8, "w_dim": 8,
        "base_filters": 64, "max_filters": 8, "batch_size": 4}


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def gan():
    gan = ganzoo.build("stylegan2", **TINY)
    # A non-zero mean w, so that truncation toward it changes the images.
    for generator in (gan.generator, gan.ema_generator):
        w_avg = generator.mapping.w_avg
        w_avg.assign(np.random.default_rng(5).normal(size=w_avg.shape).astype("float32"))
    return gan


@pytest.mark.parametrize("psi", [None, 0.5])
def test_w_path_ends_at_the_seeds_images(gan, psi):
    strip = interpolate_w(gan, 3, 7, 5, truncation_psi=psi)
    assert strip.shape == (5, 8, 8, 1)
    ends = gan.generate_from_latents(
        np.stack([latent_for_seed(gan, 3), latent_for_seed(gan, 7)]), truncation_psi=psi)
    np.testing.assert_allclose(strip[[0, -1]], ends, atol=1e-5)
    assert not np.allclose(strip[0], strip[-1], atol=1e-3)


def test_w_midpoint_is_not_the_z_midpoint(gan):
    in_w = interpolate_w(gan, 3, 7, 3)
    z = interpolate(latent_for_seed(gan, 3), latent_for_seed(gan, 7), 3)
    in_z = gan.generate_from_latents(z)
    np.testing.assert_allclose(in_w[[0, 2]], in_z[[0, 2]], atol=1e-5)  # same ends...
    assert np.abs(in_w[1] - in_z[1]).max() > 1e-3  # ...another path between them
    # The W midpoint is the image of the mean of the two w's.
    ws = gan.map_latents(z[[0, 2]])
    np.testing.assert_allclose(in_w[1], gan.generate_from_ws(ws.mean(axis=0)[None])[0],
                               atol=1e-5)


def test_truncation_psi_zero_gives_the_mean_image_along_the_whole_path(gan):
    strip = interpolate_w(gan, 3, 7, 4, truncation_psi=0.0)
    np.testing.assert_allclose(strip, np.repeat(strip[:1], 4, axis=0), atol=1e-5)


def test_cli_space_w_writes_the_strip(gan, tmp_path):
    gan.save(tmp_path / "gan.keras")
    out = tmp_path / "w.png"
    result = invoke("interpolate", "--checkpoint", tmp_path / "gan.keras", "--seeds", "3,7",
                    "--steps", 4, "--space", "w", "--truncation-psi", 0.5, "--out", out)
    assert result.exit_code == 0, result.output
    expected = make_grid(interpolate_w(gan, 3, 7, 4, truncation_psi=0.5), ncols=4)
    picture = np.asarray(Image.open(out))
    # One grey level of rounding: the loaded model reruns the same float ops.
    assert np.abs(picture.astype(int) - expected[..., 0].astype(int)).max() <= 1

    result = invoke("interpolate", "--checkpoint", tmp_path / "gan.keras", "--seeds", "3,7",
                    "--space", "w", "--spherical", "--out", out)
    assert result.exit_code == 2 and "--spherical" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_space_w_on_dcgan_is_one_line_naming_it(tmp_path):
    from ganzoo.training import TrainingSpec, train

    images = np.random.default_rng(0).integers(0, 256, (8, 16, 16, 1), dtype="uint8")
    np.savez(tmp_path / "tiny.npz", images=images)
    spec = TrainingSpec("dcgan", str(tmp_path / "tiny.npz"),
                        {"image_size": 16, "batch_size": 8, "base_filters": 8}, steps=1)
    run = train(spec, tmp_path / "run", verbose=0)
    result = invoke("interpolate", "--run", run.path, "--seeds", "1,2", "--space", "w",
                    "--out", tmp_path / "w.png")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "dcgan has no mapping network" in lines[0], result.output
    assert "--space z" in lines[0]
    with pytest.raises(GanzooError, match="no mapping network"):
        interpolate_w(ganzoo.load(run.gan_file), 1, 2, 3)
