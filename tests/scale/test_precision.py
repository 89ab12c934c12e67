"""``--precision auto``: bf16 where the device computes it natively, fp32 elsewhere (CPU here)."""

import keras
import pytest
import yaml
from click.testing import CliRunner
from ganzoo_cli.main import cli

from ganzoo import precision
from ganzoo.errors import GanzooError
from ganzoo.precision import Device


@pytest.mark.parametrize("device, chosen", [
    (Device("tpu"), "bf16"),
    (Device("gpu", (9, 0), "NVIDIA H100"), "bf16"),
    (Device("gpu", (8, 0), "NVIDIA A100"), "bf16"),
    (Device("gpu", (8, 6)), "bf16"),
    (Device("gpu", (7, 5), "Tesla T4"), "fp32"),
    (Device("gpu", (6, 0)), "fp32"),
    (Device("gpu"), "fp32"),  # capability unknown: the safe choice
    (Device("cpu"), "fp32"),
])
def test_auto_chooses_bf16_only_where_the_device_has_it(device, chosen):
    assert precision.choose(device) == chosen
    assert precision.resolve("auto", device) == chosen


def test_explicit_precision_is_kept_and_unknown_is_refused():
    assert precision.resolve("fp16", Device("tpu")) == "fp16"
    assert precision.resolve("bf16", Device("cpu")) == "bf16"
    with pytest.raises(GanzooError, match="unknown precision 'fp8'; use one of auto, fp32"):
        precision.resolve("fp8")


def test_this_cpu_machine_resolves_auto_to_fp32():
    assert precision.local_device().kind == "cpu"
    assert precision.apply("auto") == "fp32"
    assert keras.config.dtype_policy().name == "float32"
    assert precision.apply("bf16") == "bf16"
    assert keras.config.dtype_policy().name == "mixed_bfloat16"


@pytest.mark.slow
def test_train_defaults_to_auto_and_records_the_resolved_precision(tmp_path, tiny_images):
    run = tmp_path / "run"
    result = CliRunner().invoke(cli, ["train", "--arch", "dcgan", "--dataset", tiny_images,
                                      "--image-size", "16", "--batch-size", "8", "--set",
                                      "base_filters=8", "--steps", "1", "--run-dir", str(run)])
    assert result.exit_code == 0, result.output
    assert result.output.count("precision: auto -> fp32 (cpu)") == 1
    assert yaml.safe_load((run / "config.yaml").read_text())["spec"]["precision"] == "fp32"
