"""Two trainers on one run directory: the second is refused by the first's PID."""

import os
import signal
import subprocess
import sys
import time

import pytest
from reliability_helpers import TINY, hashes, invoke

import ganzoo.training.run_dir as lock_module

# The holder imports only run_dir.py (by path), so it starts in a fraction of a second.
HOLDER = """
import importlib.util, sys, time
spec = importlib.util.spec_from_file_location("lock", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module.RunLock(sys.argv[2]).acquire()
print("locked", flush=True)
time.sleep(600)
"""


def hold_lock(run_dir):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, lock_module.__file__, str(run_dir)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_trainer_is_refused_naming_the_first(run_copy, tiny_npz):
    (run_copy / "gan.keras").unlink()
    holder = hold_lock(run_copy)
    try:
        before = hashes(run_copy)
        result = invoke("train", "--resume", run_copy, "-q")
        assert result.exit_code == 2, result.output
        assert f"in use by ganzoo process {holder.pid}" in result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
        result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 2,
                        "--run-dir", run_copy, *TINY)
        assert result.exit_code == 2 and f"process {holder.pid}" in result.output
        assert hashes(run_copy) == before
    finally:
        holder.kill()
        holder.wait()
    # The holder died with the lock file still there: the next trainer takes it over.
    assert (run_copy / ".lock").read_text().strip() == str(holder.pid)
    result = invoke("train", "--resume", run_copy, "-q")
    assert result.exit_code == 0, result.output
    assert (run_copy / "gan.keras").is_file()


def test_lock_is_released_and_taken_over(tmp_path):
    from ganzoo.training.run_dir import RunDirLocked, RunLock, lock_owner

    RunLock(tmp_path).check()  # no lock file: nothing to refuse, nothing created
    assert not (tmp_path / ".lock").exists()
    with RunLock(tmp_path):
        assert lock_owner(tmp_path) == str(os.getpid())
        with pytest.raises(RunDirLocked, match=f"process {os.getpid()}"):
            RunLock(tmp_path).check()
        with pytest.raises(RunDirLocked, match=f"process {os.getpid()}"):
            RunLock(tmp_path).acquire()  # a second open file description is refused too
    RunLock(tmp_path).acquire().release()  # free again once released


def test_a_killed_holder_leaves_no_stuck_lock(tmp_path):
    from ganzoo.training.run_dir import RunLock

    holder = hold_lock(tmp_path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    time.sleep(0.1)
    lock = RunLock(tmp_path).acquire()
    assert (tmp_path / ".lock").read_text().strip() == str(os.getpid())
    lock.release()
