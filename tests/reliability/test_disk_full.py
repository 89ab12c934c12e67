"""A full disk stops the run with one line; the last good checkpoint survives it."""

import errno
import os
import subprocess

import pytest
from reliability_helpers import TINY, hashes, invoke

from ganzoo.training import checkpoints as ckpt
from ganzoo.training import list_checkpoints


def test_enospc_on_checkpoint_write_keeps_the_previous_one(tmp_path, tiny_npz, monkeypatch):
    run = tmp_path / "run"
    real_write, seen = ckpt._write, {}

    def write(gan, tmp, state):
        if state["step"] == 4:  # the second checkpoint: the disk fills up half-way
            seen["before"] = hashes(run / "checkpoints")
            tmp.mkdir()
            (tmp / "gan.keras").write_bytes(b"\0" * 4096)
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp / "gan.keras"))
        return real_write(gan, tmp, state)

    monkeypatch.setattr(ckpt, "_write", write)
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 6,
                    "--checkpoint-every", 2, "--run-dir", run, *TINY)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: cannot write checkpoint")
    assert "step-00000004: no space left on the device; free some space" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert [p.name for p in (run / "checkpoints").iterdir()] == ["step-00000002"]  # no .tmp
    assert hashes(run / "checkpoints") == seen["before"]
    monkeypatch.setattr(ckpt, "_write", real_write)  # space is back
    result = invoke("train", "--resume", run, "-q")
    assert result.exit_code == 0, result.output
    assert [p.name for p in list_checkpoints(run / "checkpoints")] == [
        "step-00000004", "step-00000006"]


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 900 KiB tmpfs (two tiny checkpoints do not fit); skipped where mounting is not allowed."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=900k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_real_full_filesystem_then_resume_once_space_is_back(small_tmpfs, tiny_npz):
    run = small_tmpfs / "run"
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 8,
                    "--checkpoint-every", 2, "--sample-every", 100, "--run-dir", run, *TINY)
    assert result.exit_code == 2, result.output
    assert "no space left on the device" in result.output and "--resume" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    good = list_checkpoints(run / "checkpoints")
    assert good and all(ckpt.verify(p) is None for p in good)
    before = hashes(good[-1])
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_tmpfs)], check=True)
    assert hashes(good[-1]) == before
    result = invoke("train", "--resume", run, "-q")
    assert result.exit_code == 0, result.output
    assert list_checkpoints(run / "checkpoints")[-1].name == "step-00000008"
    assert not [p for p in (run / "checkpoints").iterdir() if p.name.startswith(".")]
