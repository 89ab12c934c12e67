"""ganzoo mix (style-mixing grid) and ganzoo sample --truncation-psi on a tiny StyleGAN2."""

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_cli.main import cli
from PIL import Image

import ganzoo
from ganzoo.gan import GAN
from ganzoo.image_grid import make_grid
from ganzoo.testing.toy import mlp

# 16x16: six w's, so the default crossover (4) is inside the model.
TINY = {"image_size": 16, "channels": 1, "latent_dim": 8, "w_dim": 8,
        "base_filters": 64, "max_filters": 8, "batch_size": 4}


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A saved tiny StyleGAN2 whose mean w is not zero (so truncation shows)."""
    gan = ganzoo.build("stylegan2", **TINY)
    rng = np.random.default_rng(5)
    for generator in (gan.generator, gan.ema_generator):
        w_avg = generator.mapping.w_avg
        w_avg.assign(rng.normal(size=w_avg.shape).astype("float32"))
    path = tmp_path_factory.mktemp("run") / "gan.keras"
    gan.save(path)
    return ganzoo.load(path), path


def png(path):
    return np.asarray(Image.open(path)).astype(int)


def test_mix_grid_has_coarse_styles_from_rows_and_fine_from_columns(tmp_path, checkpoint):
    gan, path = checkpoint
    rows, cols = [1, 2, 4], [3, 4]
    out = tmp_path / "mix.png"
    result = invoke("mix", "--checkpoint", path, "--rows", "1,2,4", "--cols", "3,4",
                    "--crossover", 2, "--out", out)
    assert result.exit_code == 0, result.output
    z = {s: gan.latents(1, seed=s) for s in rows + cols}
    plain = {s: gan.generate_from_latents(z[s])[0] for s in rows + cols}
    blank = np.ones_like(plain[1])
    cells = [blank] + [plain[c] for c in cols]
    for r in rows:
        cells.append(plain[r])
        cells += [gan.style_mix(z[r], z[c], 2)[0] for c in cols]
    expected = make_grid(np.stack(cells), ncols=len(cols) + 1)[..., 0].astype(int)
    picture = png(out)
    assert picture.shape == expected.shape == (4 * 18 + 2, 3 * 18 + 2)
    assert np.abs(picture - expected).max() <= 1
    # Row seed 4 with column seed 4 mixes equal latents: the plain image.
    mixed_4_4 = gan.style_mix(z[4], z[4], 2)[0]
    np.testing.assert_allclose(mixed_4_4, plain[4], atol=1e-5)
    # A real mix is neither of its sources.
    mixed = gan.style_mix(z[1], z[3], 2)[0]
    assert not np.allclose(mixed, plain[1], atol=1e-3)
    assert not np.allclose(mixed, plain[3], atol=1e-3)


def test_mix_default_crossover_is_the_4x4_and_8x8_styles(tmp_path, checkpoint):
    gan, path = checkpoint
    outs = {}
    for name, extra in (("default", []), ("four", ["--crossover", 4]),
                        ("one", ["--crossover", 1])):
        outs[name] = tmp_path / f"{name}.png"
        result = invoke("mix", "--checkpoint", path, "--rows", "1", "--cols", "2", *extra,
                        "--out", outs[name])
        assert result.exit_code == 0, result.output
    assert np.array_equal(png(outs["default"]), png(outs["four"]))
    assert not np.array_equal(png(outs["default"]), png(outs["one"]))


def test_sample_truncation_psi(tmp_path, checkpoint):
    gan, path = checkpoint
    arrays = {}
    for name, extra in (("zero", ["--truncation-psi", 0]), ("one", ["--truncation-psi", 1]),
                        ("none", []), ("half", ["--truncation-psi", 0.5])):
        out = tmp_path / f"{name}.npz"
        result = invoke("sample", "--checkpoint", path, "--num", 4, *extra, "--out", out)
        assert result.exit_code == 0, result.output
        arrays[name] = np.load(out)["images"].astype(int)
    zero = arrays["zero"]
    assert (zero == zero[:1]).all()  # psi 0: the mean image for every z
    assert np.array_equal(arrays["one"], arrays["none"])
    assert not np.array_equal(arrays["half"], arrays["none"])
    assert not np.array_equal(arrays["half"], zero)


@pytest.fixture
def plain_checkpoint(tmp_path):
    gan = GAN(mlp(3, 2, name="g"), mlp(2, 1, name="d"), latent_dim=3, seed=0)
    gan.compile()
    path = tmp_path / "plain.keras"
    gan.save(path)
    return path


def test_bad_input_is_one_line(tmp_path, checkpoint, plain_checkpoint):
    _, path = checkpoint
    out = tmp_path / "x.png"
    cases = [
        (["mix", "--checkpoint", plain_checkpoint, "--rows", "1", "--cols", "2"],
         "needs a style-based model"),
        (["mix", "--checkpoint", path, "--rows", "1,a", "--cols", "2"], "--rows 1,a"),
        (["mix", "--checkpoint", path, "--rows", "1", "--cols", "2", "--crossover", 99],
         "--crossover 99"),
        (["sample", "--checkpoint", plain_checkpoint, "--truncation-psi", 0.7],
         "truncation_psi needs a style-based architecture"),
    ]
    for args, message in cases:
        result = invoke(*args, "--out", out)
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output
    assert not out.exists()
