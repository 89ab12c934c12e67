"""Batch semantics and bad input of ganzoo.distribution (fast, in-process, both backends)."""

import pytest

from ganzoo import distribution
from ganzoo.distribution import DistributionError, Strategy
from ganzoo.training.interruption import StepWatchdog


def test_global_batch_splits_evenly_over_all_devices_of_all_processes():
    assert Strategy(devices=4).per_device_batch(128) == 32
    assert Strategy(devices=2, num_processes=3).per_device_batch(12) == 2
    assert Strategy(devices=2, num_processes=3).replicas == 6


def test_uneven_batch_is_one_clear_error_naming_the_numbers():
    with pytest.raises(DistributionError) as info:
        Strategy(devices=4, num_processes=2).per_device_batch(20)
    message = str(info.value)
    assert "--batch-size 20" in message and "8 devices" in message
    assert "4 per process x 2 processes" in message and "multiple of 8 (e.g. 16)" in message


@pytest.mark.parametrize("value, parsed", [(None, 1), ("all", "all"), ("ALL", "all"), ("3", 3),
                                           (2, 2)])
def test_parse_devices(value, parsed):
    assert distribution.parse_devices(value) == parsed


@pytest.mark.parametrize("bad", ["0", "two", -1, 0, True])
def test_bad_device_count_is_refused(bad):
    with pytest.raises(DistributionError, match="--devices must be a positive number or 'all'"):
        distribution.parse_devices(bad)


def test_more_devices_than_present_is_refused():
    with pytest.raises(DistributionError, match="asks for more devices than"):
        distribution.strategy(10_000)


def test_one_device_strategy_changes_nothing():
    import keras

    with distribution.strategy(1) as s:
        assert s.replicas == 1 and s.is_chief and s.compile_options() == {}
        assert distribution.current() is s
        if keras.backend.backend() == "jax":
            assert keras.distribution.distribution() is None
    assert distribution.current() is None


def test_partial_multi_host_options_are_refused():
    with pytest.raises(DistributionError, match="together"):
        distribution.initialize_multi_host("localhost:1234", None, None)
    with pytest.raises(DistributionError, match="--process-id 2 must be in 0..1"):
        distribution.initialize_multi_host("localhost:1234", 2, 2)


def test_watchdog_bounds_a_step(tmp_path):
    """A step past the bound ends the process with exit code 3 and a one-line reason."""
    import subprocess
    import sys

    code = ("import time, keras\n"
            "from ganzoo.training.interruption import StepWatchdog\n"
            "with StepWatchdog(1.0, compile_grace=0) as w:\n"
            "    w.on_train_begin(); w.on_train_batch_begin(0); time.sleep(30)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 3
    assert "took over 1 s (--step-timeout)" in result.stderr


def test_watchdog_rejects_a_bad_bound():
    with pytest.raises(DistributionError, match="--step-timeout must be positive"):
        StepWatchdog(0)
